-- Issue 16: earned schedule per report (es_series) and per in-flight project at the as-of date
-- with the EAC methods (earned_schedule_at). Uses scoped_projects, resolve_as_of, the report
-- figures of evm.sql (report_ev, report_pv, evm_cpi, evm_spi, evm_eac, evm_tcpi) and
-- is_in_flight.

-- Issue 16 — earned schedule (docs/kpis.md, second release) at every status report with cost
-- figures on or before the as-of date, for the projects passing the filters. One row per
-- (project, report): EVM at the report's date by evm.sql's definitions (as evm_series gives
-- it at that date), and
--   planned_days = end_date − start_date; at_days (AT) = report_date − start_date;
--   es_days (ES, days after the start): where the project's PV curve reaches the report's EV.
--     The curve is cumulative PV by report date, from (start_date, 0) to (end_date, BAC),
--     linear between points; reports outside (start, end) add no point; a reported PV above
--     BAC counts as BAC, and a PV lower than an earlier one as the earlier one (a cumulative
--     curve never falls). EV ≤ 0 gives ES = 0; EV ≥ BAC the first day the curve reaches BAC;
--   spi_t = ES / AT (AT > 0); sv_t_days = ES − AT.
--   es_note says why ES is null or meaningless (no start date, no planned end, ...): said,
--     never guessed.
create or replace temp macro es_series(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
plan as (
    select
        project_id,
        start_date,
        end_date,
        budget,
        datediff('day', start_date, end_date) as planned_days
    from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor)
),

-- Each report's EVM at its own date: what evm_series gives at that date (the project's latest
-- report on or before it is the report itself), from the same definitions (report_ev,
-- report_pv, evm_cpi ... in evm.sql), without evm_series' grid of every date × project.
reported as (
    select
        r.report_date as measured_at,
        s.project_id,
        s.name,
        s.budget,
        r.report_date,
        r.percent_complete,
        report_pv(
            r.planned_value,
            s.budget,
            datediff('day', s.start_date, r.report_date)
            / nullif(datediff('day', s.start_date, s.end_date), 0)
        ) as planned_value,
        report_ev(r.earned_value, s.budget, r.percent_complete) as earned_value,
        r.actual_cost
    from status_reports as r
    inner join scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor) as s
        on r.project_id = s.project_id
    where r.report_date <= resolve_as_of(f_as_of)
),

evm as (
    select
        *,
        evm_cpi(earned_value, actual_cost) as cpi,
        evm_spi(earned_value, planned_value) as spi,
        evm_eac(budget, evm_cpi(earned_value, actual_cost)) as eac,
        evm_tcpi(budget, earned_value, actual_cost) as tcpi
    from reported
    where earned_value is not null and actual_cost is not null
),

measurable as (
    select * from plan where planned_days > 0 and budget > 0
),

points as (
    select project_id, 0 as day, 0.0::double as pv from measurable
    union all
    select
        e.project_id,
        datediff('day', m.start_date, e.report_date) as day,
        greatest(least(e.planned_value, m.budget), 0)::double as pv
    from evm as e
    inner join measurable as m on e.project_id = m.project_id
    where
        e.planned_value is not null
        and datediff('day', m.start_date, e.report_date) > 0
        and datediff('day', m.start_date, e.report_date) < m.planned_days
    union all
    select project_id, planned_days as day, budget::double as pv from measurable
),

curve as (
    select
        project_id,
        day,
        max(pv) over (
            partition by project_id order by day rows between unbounded preceding and current row
        ) as pv
    from points
),

segments as (
    select
        project_id,
        day as d0,
        pv as v0,
        lead(day) over (partition by project_id order by day) as d1,
        lead(pv) over (partition by project_id order by day) as v1
    from curve
),

earned as (
    select
        e.*,
        m.start_date,
        m.end_date,
        m.planned_days,
        least(greatest(e.earned_value, 0), m.budget) as ev_on_curve
    from evm as e
    inner join measurable as m on e.project_id = m.project_id
),

located as (
    select
        a.project_id,
        a.measured_at,
        min(s.d0 + (a.ev_on_curve - s.v0) / (s.v1 - s.v0) * (s.d1 - s.d0)) as es_days
    from earned as a
    inner join segments as s
        on
            a.project_id = s.project_id
            and s.v1 > s.v0
            and a.ev_on_curve > s.v0
            and a.ev_on_curve <= s.v1
    group by a.project_id, a.measured_at
),

scheduled as (
    select
        e.project_id,
        e.measured_at,
        case when e.ev_on_curve <= 0 then 0.0 else l.es_days end as es_days
    from earned as e
    left join located as l on e.project_id = l.project_id and e.measured_at = l.measured_at
)

select
    e.project_id,
    e.name,
    e.report_date,
    e.budget,
    p.start_date,
    p.end_date,
    p.planned_days,
    e.percent_complete,
    e.planned_value,
    e.earned_value,
    e.actual_cost,
    e.cpi,
    e.spi,
    e.tcpi,
    e.eac,
    datediff('day', p.start_date, e.report_date) as at_days,
    case when datediff('day', p.start_date, e.report_date) > 0 then s.es_days end as es_days,
    case when datediff('day', p.start_date, e.report_date) > 0 then
        s.es_days / datediff('day', p.start_date, e.report_date)
    end as spi_t,
    case when datediff('day', p.start_date, e.report_date) > 0 then
        s.es_days - datediff('day', p.start_date, e.report_date)
    end as sv_t_days,
    case
        when p.start_date is null then 'no start date'
        when p.end_date is null then 'no planned end date'
        when p.planned_days <= 0 then 'planned end not after the start'
        when p.budget is null or p.budget <= 0 then 'no budget'
        when datediff('day', p.start_date, e.report_date) <= 0 then 'report not after the start'
        when s.es_days = 0 then 'no earned value yet'
    end as es_note
from evm as e
inner join plan as p on e.project_id = p.project_id
left join scheduled as s on e.project_id = s.project_id and e.measured_at = s.measured_at;

-- Issue 16 — earned schedule and the EAC methods (docs/kpis.md) per in-flight project (Active,
-- On Hold) passing the filters, at its latest status report with cost figures on or before the
-- as-of date (reports with a rating only are skipped, as every EVM figure skips them). One row
-- per project, also those with no such report (figures null, note says so):
--   es_date = start_date + ES; forecast_finish (IEAC(t)) = start_date + planned_days / SPI(t)
--     (null when SPI(t) is 0 or the result is more than 100 years out);
--   eac_cpi = BAC / CPI; eac_remaining_at_plan = AC + (BAC − EV);
--   eac_composite = AC + (BAC − EV) / (CPI × SPI(t)); vac_* = BAC − that EAC;
--   tcpi = (BAC − EV) / (BAC − AC); not_credible = TCPI − CPI > 0.1, or the budget already
--     spent (AC ≥ BAC) with work left (EV < BAC), where TCPI turns negative;
--   cost_reports = status reports with cost figures up to the as-of date;
--   note: why figures are missing (no report, no start date, ...), or that the latest report
--     with cost figures is more than 45 days older than the as-of date (figures stand as then).
create or replace temp macro earned_schedule_at(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
in_flight as (
    select *
    from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor)
    where is_in_flight(status)
),

series as (
    select s.*
    from es_series(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as s
    where s.project_id in (select project_id from in_flight)
),

latest as (
    select *
    from series
    qualify row_number() over (partition by project_id order by report_date desc) = 1
),

counts as (
    select project_id, count(*) as cost_reports from series group by project_id
),

figures as (
    select
        p.project_id,
        p.name,
        p.portfolio,
        p.business_unit,
        p.sponsor,
        p.manager,
        p.status,
        p.budget,
        p.start_date,
        p.end_date,
        datediff('day', p.start_date, p.end_date) as planned_days,
        l.report_date,
        coalesce(c.cost_reports, 0) as cost_reports,
        l.percent_complete,
        l.planned_value,
        l.earned_value,
        l.actual_cost,
        l.cpi,
        l.spi,
        l.tcpi,
        l.eac as eac_cpi,
        l.at_days,
        l.es_days,
        l.sv_t_days,
        l.spi_t,
        case
            when l.report_date is null then 'no status report with cost figures'
            when l.es_note is not null then l.es_note
            when l.report_date < resolve_as_of(f_as_of) - interval 45 day then
                'latest report with cost figures is of ' || strftime(l.report_date, '%d %b %Y')
        end as note
    from in_flight as p
    left join latest as l on p.project_id = l.project_id
    left join counts as c on p.project_id = c.project_id
)

select
    project_id,
    name,
    portfolio,
    business_unit,
    sponsor,
    manager,
    status,
    budget,
    start_date,
    end_date,
    planned_days,
    report_date,
    cost_reports,
    percent_complete,
    planned_value,
    earned_value,
    actual_cost,
    cpi,
    spi,
    at_days,
    es_days,
    (start_date + round(es_days)::integer)::date as es_date,
    sv_t_days,
    spi_t,
    case when spi_t > 0 and planned_days / spi_t < 36525 then
        (start_date + round(planned_days / spi_t)::integer)::date
    end as forecast_finish,
    eac_cpi,
    actual_cost + (budget - earned_value) as eac_remaining_at_plan,
    actual_cost + (budget - earned_value) / nullif(cpi * spi_t, 0) as eac_composite,
    budget - eac_cpi as vac_cpi,
    budget - (actual_cost + (budget - earned_value)) as vac_remaining_at_plan,
    budget - (actual_cost + (budget - earned_value) / nullif(cpi * spi_t, 0)) as vac_composite,
    tcpi,
    tcpi - cpi as tcpi_minus_cpi,
    case
        when actual_cost >= budget and earned_value < budget then true
        when tcpi is not null and cpi is not null then tcpi - cpi > 0.1
    end as not_credible,
    note
from figures;
