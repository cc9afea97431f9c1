-- Earned schedule and the EAC methods per in-flight project at the as-of date (issue 16).
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: project_id, name, portfolio, business_unit, sponsor, manager, status, budget,
--   start_date, end_date, planned_days, report_date, cost_reports, percent_complete,
--   planned_value, earned_value, actual_cost, cpi, spi, at_days, es_days, es_date, sv_t_days,
--   spi_t, forecast_finish, eac_cpi, eac_remaining_at_plan, eac_composite, vac_cpi,
--   vac_remaining_at_plan, vac_composite, tcpi, tcpi_minus_cpi, not_credible, note.
-- The rules live in the earned_schedule_at and es_series macros of _macros.sql.
select *
from earned_schedule_at($as_of, $portfolio, $business_unit, $status, $sponsor)
order by project_id
