-- ---------------------------------------------------------------------------------------------
-- Issue 17: roadmap, dependencies and risks (docs/kpis.md "Dependency at risk", "Risk exposure").
-- ---------------------------------------------------------------------------------------------

-- Every project's schedule at the as-of date (all projects, unfiltered):
--   forecast_end_date = the forecast_end_date of its latest status report on or before the
--     as-of date that gives one (null when none does);
--   finish_date = actual_end_date of a Completed project, else forecast_end_date, else
--     end_date; finish_source says which ('actual', 'forecast', 'plan').
create or replace temp macro project_schedule_at(f_as_of) as table
with
forecasts as (
    select
        project_id,
        arg_max(forecast_end_date, report_date) as forecast_end_date
    from status_reports
    where forecast_end_date is not null and report_date <= resolve_as_of(f_as_of)
    group by project_id
)

select
    p.project_id,
    p.name,
    p.status,
    p.start_date,
    p.end_date,
    p.actual_end_date,
    f.forecast_end_date,
    case
        when p.status = 'Completed' and p.actual_end_date is not null then p.actual_end_date
        else coalesce(f.forecast_end_date, p.end_date)
    end as finish_date,
    case
        when p.status = 'Completed' and p.actual_end_date is not null then 'actual'
        when f.forecast_end_date is not null then 'forecast'
        when p.end_date is not null then 'plan'
    end as finish_source
from projects as p
left join forecasts as f on p.project_id = f.project_id;

-- Dependency links whose dependent project (project_id) passes the filters, at the as-of date
-- (docs/kpis.md). The predecessor (depends_on) may be outside the view.
--   link: 'milestone' when a milestone of depends_on is named (whatever the type), else
--     'start-to-start' when type says so, else 'finish-to-start' (the default);
--   needed_by = the dependent's start_date;
--   predecessor_date = finish-to-start: the predecessor's finish_date (project_schedule_at:
--     actual end, else latest forecast_end_date, else end_date); start-to-start: its
--     start_date; milestone: the milestone's actual date, else forecast, else baseline;
--   slack_days = needed_by − predecessor_date in days (negative = the dependent waits);
--   predecessor_done: the finish (a Completed project's actual end), the milestone's actual
--     date or the start (an Active, On Hold or Completed project's start) is on or before the
--     as-of date;
--   state: 'Closed' when the dependent is Completed or Cancelled; else 'Met' when
--     predecessor_done; else 'Unknown' when a date is missing (or the milestone is not
--     found); else 'At risk' when slack_days < 0; else 'On track'. at_risk = state 'At risk'.
create or replace temp macro dependency_links_at(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
sched as (
    select * from project_schedule_at(f_as_of)
),

scoped as (
    select project_id from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor)
),

typed as (
    select
        d.*,
        case
            when d.milestone is not null then 'milestone'
            when lower(trim(coalesce(d.type, ''))) = 'start-to-start' then 'start-to-start'
            else 'finish-to-start'
        end as link
    from dependencies as d
    where d.project_id in (select project_id from scoped)
),

dated as (
    select
        t.project_id,
        s.name as project_name,
        s.status as project_status,
        t.depends_on,
        pr.name as predecessor_name,
        pr.status as predecessor_status,
        t.milestone,
        t.link,
        s.start_date as needed_by,
        case t.link
            when 'milestone' then coalesce(m.actual_date, m.forecast_date, m.baseline_date)
            when 'start-to-start' then pr.start_date
            else pr.finish_date
        end as predecessor_date,
        case t.link
            when 'milestone' then case
                when m.actual_date is not null then 'milestone actual'
                when m.forecast_date is not null then 'milestone forecast'
                when m.baseline_date is not null then 'milestone baseline'
            end
            when 'start-to-start' then 'start'
            else pr.finish_source
        end as predecessor_date_source,
        case t.link
            when 'milestone' then coalesce(m.actual_date <= resolve_as_of(f_as_of), false)
            when 'start-to-start' then coalesce(
                (is_in_flight(pr.status) or pr.status = 'Completed')
                and pr.start_date <= resolve_as_of(f_as_of), false)
            else coalesce(
                pr.status = 'Completed' and pr.actual_end_date <= resolve_as_of(f_as_of), false)
        end as predecessor_done,
        t.depends_on in (select project_id from scoped) as predecessor_in_view
    from typed as t
    inner join sched as s on t.project_id = s.project_id
    inner join sched as pr on t.depends_on = pr.project_id
    left join milestones as m on t.depends_on = m.project_id and t.milestone = m.milestone
),

judged as (
    select
        *,
        datediff('day', predecessor_date, needed_by) as slack_days,
        case
            when project_status in ('Completed', 'Cancelled') then 'Closed'
            when predecessor_done then 'Met'
            when predecessor_date is null or needed_by is null then 'Unknown'
            when datediff('day', predecessor_date, needed_by) < 0 then 'At risk'
            else 'On track'
        end as state
    from dated
)

select
    *,
    state = 'At risk' as at_risk
from judged;

-- The risk register at the as-of date (docs/kpis.md risk exposure). Risks of the projects passing
-- the filters, and portfolio risks (no project) when no filter is set; risks raised after the
-- as-of date are left out.
--   exposure = probability × impact (1–25); band: 'High' ≥ 15, 'Medium' 8–14, 'Low' < 8;
--   is_open: not closed by the as-of date (closed_date on or before it, or status Closed
--     without a closed_date); overdue = open and due_date before the as-of date;
--   days_overdue = as-of − due_date for an overdue risk; scope 'Project' or 'Portfolio'.
create or replace temp macro risk_register_at(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
scoped as (
    select project_id, name, portfolio, business_unit
    from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor)
),

base as (
    select
        r.*,
        r.probability * r.impact as exposure,
        coalesce(r.status, 'Open') as state,
        not (
            coalesce(r.closed_date <= resolve_as_of(f_as_of), false)
            or (r.closed_date is null and coalesce(r.status, 'Open') = 'Closed')
        ) as is_open
    from risks as r
    where r.raised_date is null or r.raised_date <= resolve_as_of(f_as_of)
)

select
    b.risk_id,
    b.title,
    b.project_id,
    s.name as project_name,
    s.portfolio,
    s.business_unit,
    case when b.project_id is null then 'Portfolio' else 'Project' end as scope,
    b.category,
    b.probability,
    b.impact,
    b.exposure,
    case when b.exposure >= 15 then 'High' when b.exposure >= 8 then 'Medium' else 'Low' end as band,
    b.owner,
    b.state as status,
    b.is_open,
    b.is_open and b.due_date < resolve_as_of(f_as_of) as overdue,
    case
        when b.is_open and b.due_date < resolve_as_of(f_as_of)
            then datediff('day', b.due_date, resolve_as_of(f_as_of))
    end as days_overdue,
    b.raised_date,
    b.due_date,
    b.closed_date,
    b.mitigation,
    b.cost_impact
from base as b
left join scoped as s on b.project_id = s.project_id
where
    (b.project_id is null and not filters_active(f_portfolio, f_business_unit, f_status, f_sponsor))
    or s.project_id is not null;
