-- Portfolio delivery by month: cumulative PV, EV, AC, portfolio CPI and SPI, and RAG counts at
-- each month-end from the first status report to the as-of date (docs/kpis.md trends).
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: month (month-end), measured_at (the month-end, or the as-of date in its own
--   month), planned_value, earned_value, actual_cost, cpi, spi, rag_green, rag_amber, rag_red,
--   projects (in-flight projects with a report by then), in_flight_projects.
-- Each month is evm_series at the month-end over the in-flight projects: each one's latest
-- report on or before that date, PV/EV derived when missing, RAG by the design's rule. PV, EV
-- and AC are cumulative as reported (the sum of each project's to-date figures);
-- CPI = ΣEV / ΣAC and SPI = ΣEV / ΣPV, null on a zero divisor. In-flight means the CURRENT status Active or On
-- Hold (status has no history), so the last row equals headline_kpis at the as-of date.
with
in_flight as (
    select project_id
    from scoped_projects($portfolio, $business_unit, $status, $sponsor)
    where is_in_flight(status)
),

first_report as (
    select min(report_date) as d
    from status_reports
    where project_id in (select project_id from in_flight)
),

month_points as (
    select
        last_day(m)::date as month,
        least(last_day(m)::date, resolve_as_of($as_of)) as measured_at
    from (
        select unnest(generate_series(
            date_trunc('month', (select d from first_report)),
            date_trunc('month', resolve_as_of($as_of)),
            interval 1 month
        )) as m
    )
    where (select d from first_report) <= resolve_as_of($as_of)
),

in_flight_evm as (
    select *
    from evm_series(
        (select list(measured_at) from month_points), $portfolio, $business_unit, $status, $sponsor
    )
    where is_in_flight(status)
)

select
    p.month,
    p.measured_at,
    sum(e.planned_value) as planned_value,
    sum(e.earned_value) as earned_value,
    sum(e.actual_cost) as actual_cost,
    sum(e.earned_value) / nullif(sum(e.actual_cost), 0) as cpi,
    sum(e.earned_value) / nullif(sum(e.planned_value), 0) as spi,
    count(*) filter (where e.rag = 'Green') as rag_green,
    count(*) filter (where e.rag = 'Amber') as rag_amber,
    count(*) filter (where e.rag = 'Red') as rag_red,
    count(e.report_date) as projects,
    count(e.project_id) as in_flight_projects
from month_points as p
left join in_flight_evm as e on p.measured_at = e.measured_at
group by p.month, p.measured_at
order by p.month
