-- The headline KPIs at each month-end of the 13 months up to the as-of date, so a tile can
-- show its change since the previous month; the last row is the as-of date itself.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: month (month-end), then the columns of headline_kpis: as_of (the date the row is
--   measured at: the month-end, or the as-of date in its own month), in_flight_projects,
--   total_budget, planned_value, earned_value, actual_cost, portfolio_cpi, portfolio_spi,
--   rag_green, rag_amber, rag_red, portfolio_alignment, unaligned_share, utilization,
--   overallocated_resources, on_time_delivery, benefits_realization.
-- Each row is headline_series at that date: the same definitions as headline_kpis. Project status,
-- budget and alignment have no history, so total_budget, portfolio_alignment and
-- unaligned_share are today's at every month; in-flight means today's status Active/On Hold.
with
trend_points as (
    select * from trend_month_ends($as_of)
)

select
    t.month,
    h.*
from trend_points as t
inner join headline_series(
    (select list(measured_at) from trend_points),
    $portfolio, $business_unit, $status, $sponsor
) as h on t.measured_at = h.as_of
order by t.month
