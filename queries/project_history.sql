-- One project's status reports over time, for the drill-down: EVM at each report date.
-- Params: $project_id (text; null = no rows), $as_of (date; null = latest report date; reports
--   after it are left out), $portfolio, $business_unit, $status, $sponsor (lists; empty = all:
--   a project outside the filters has no rows).
-- Columns: project_id, name, report_date, percent_complete, planned_value, earned_value,
--   actual_cost, cpi, spi, cv, sv, eac, rag, rag_source, rag_schedule, rag_budget, rag_scope,
--   forecast_end_date, comment.
-- Each row is evm_series at the report's date for the project, so PV/EV are derived when
-- missing and the RAG follows the design's rule exactly as in project_evm.
with
reports as (
    select r.report_date, r.rag_schedule, r.rag_budget, r.rag_scope
    from status_reports as r
    where
        r.project_id = $project_id::varchar
        and r.report_date <= resolve_as_of($as_of)
),

history as (
    select *
    from evm_series(
        (select list(report_date) from reports), $portfolio, $business_unit, $status, $sponsor
    )
    where project_id = $project_id::varchar
)

select
    e.project_id,
    e.name,
    e.report_date,
    e.percent_complete,
    e.planned_value,
    e.earned_value,
    e.actual_cost,
    e.cpi,
    e.spi,
    e.cv,
    e.sv,
    e.eac,
    e.rag,
    e.rag_source,
    r.rag_schedule,
    r.rag_budget,
    r.rag_scope,
    e.forecast_end_date,
    e.comment
from reports as r
inner join history as e on r.report_date = e.measured_at
order by e.report_date
