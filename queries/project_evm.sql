-- Earned value per project at the as-of date, from its latest status report on or before it.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: project_id, name, portfolio, business_unit, sponsor, manager, status, budget,
--   report_date, percent_complete, planned_value, earned_value, actual_cost, cpi, spi, cv, sv,
--   eac, vac, tcpi, rag, rag_source, forecast_end_date, comment.
-- The rules (EV and PV derived when missing, null ratios on a zero divisor, the RAG order)
-- live in the evm_at macro of macros/evm.sql.
select *
from evm_at($as_of, $portfolio, $business_unit, $status, $sponsor)
order by project_id
