-- Period performance of every in-flight project (Active, On Hold), the history the
-- probabilistic forecast draws from (issue 16, docs/kpis.md). Not narrowed by the sidebar
-- filters: a project's own history is the same in any view, and the "portfolio history"
-- fallback pools the whole in-flight portfolio.
-- Params: $as_of (date; null = latest report date).
-- Columns: project_id, report_date, budget, planned_days, d_ev, d_ac, d_es, d_at.
-- One row per status report with cost figures on or before the as-of date; the period runs
-- from the previous such report (the first from the start: EV, AC, ES and AT all 0 there):
--   d_ev = ΔEV, d_ac = ΔAC (period CPI = d_ev / d_ac), d_es = ΔES and d_at = ΔAT in days
--   (period SPI(t) = d_es / d_at); d_es and d_at null without a start and planned end.
with
series as (
    select s.*
    from es_series($as_of, [], [], [], []) as s
    inner join projects as p on s.project_id = p.project_id
    where is_in_flight(p.status)
)

select
    project_id,
    report_date,
    budget,
    planned_days,
    earned_value - lag(earned_value, 1, 0) over w as d_ev,
    actual_cost - lag(actual_cost, 1, 0) over w as d_ac,
    es_days - lag(es_days, 1, 0) over w as d_es,
    case when es_days is not null then at_days - lag(at_days, 1, 0) over w end as d_at
from series
window w as (partition by project_id order by report_date)
order by project_id, report_date
