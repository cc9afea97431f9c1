-- The decisions log (issue 21): decisions and actions that concern the projects in view,
-- dated on or before the reference date, open ones first (most overdue first), then the newest.
-- Params: $as_of (date; null = today, the date actions are judged at), $portfolio,
--   $business_unit, $status, $sponsor (lists of project filters; empty = all).
-- Columns: decision_id, date, title, detail, project_ids, project_names (names in the order
--   of project_ids; an unknown id stays as is), owner, due_date, status, overdue (Open and due
--   before the reference date), days_overdue (null unless overdue), since_last_review (decided
--   after the end of the month before the reference date), last_review, ref_date, recorded_by,
--   recorded_at, comparison.
with
listed as (
    select
        d.*,
        decision_project_list(d.project_ids) as project_list,
        decision_ref_date($as_of) as ref_date,
        decision_last_review($as_of) as last_review
    from decisions as d
    where decision_listed(d.date, d.project_ids, $as_of, $portfolio, $business_unit, $status, $sponsor)
),

names as (
    select
        l.decision_id,
        string_agg(coalesce(p.name, u.pid), ', ' order by u.pos) as project_names
    from listed as l
    cross join unnest(l.project_list) with ordinality as u(pid, pos)
    left join projects as p on p.project_id = u.pid
    group by l.decision_id
)

select
    l.decision_id,
    l.date,
    l.title,
    l.detail,
    l.project_ids,
    n.project_names,
    l.owner,
    l.due_date,
    coalesce(l.status, 'Open') as status,
    decision_overdue(l.status, l.due_date, l.ref_date) as overdue,
    case
        when decision_overdue(l.status, l.due_date, l.ref_date)
            then datediff('day', l.due_date, l.ref_date)
    end as days_overdue,
    l.date > l.last_review as since_last_review,
    l.last_review,
    l.ref_date,
    l.recorded_by,
    l.recorded_at,
    l.comparison
from listed as l
left join names as n on l.decision_id = n.decision_id
order by
    coalesce(l.status, 'Open') = 'Open' desc,
    days_overdue desc nulls last,
    l.date desc,
    l.decision_id desc
