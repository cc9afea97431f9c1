-- Headline portfolio KPIs at the as-of date: one row, the keys of `python -m pmo kpis --json`.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: as_of, in_flight_projects, total_budget, planned_value, earned_value, actual_cost,
--   portfolio_cpi, portfolio_spi, rag_green, rag_amber, rag_red, portfolio_alignment,
--   unaligned_share, utilization, overallocated_resources, on_time_delivery,
--   benefits_realization.
-- Every definition lives in the headline_at macro of macros/headline.sql (shared with headline_trend):
-- CPI = ΣEV / ΣAC and SPI = ΣEV / ΣPV over in-flight projects (Active, On Hold), never a mean
-- of ratios; total_budget, portfolio_alignment and unaligned_share over in-portfolio projects
-- (Approved, Active, On Hold); utilization and overallocated_resources over all resources in
-- the as-of month; ratios are fractions, null on a zero divisor.
select *
from headline_at($as_of, $portfolio, $business_unit, $status, $sponsor)
