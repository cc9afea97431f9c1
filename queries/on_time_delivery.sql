-- Delivered projects and whether each finished on time (docs/kpis.md); the headline
-- on_time_delivery is the share of these rows with on_time true.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: project_id, name, portfolio, business_unit, sponsor, manager, budget, end_date,
--   actual_end_date, on_time, days_late (0 when early or on time), days_variance (actual −
--   planned end; negative = early).
-- Rows: Completed projects with both end_date and actual_end_date, finished on or before the
-- as-of date (the delivery_at macro). on_time = actual_end_date ≤ end_date.
select
    project_id,
    name,
    portfolio,
    business_unit,
    sponsor,
    manager,
    budget,
    end_date,
    actual_end_date,
    on_time,
    days_late,
    days_variance
from delivery_at($as_of, $portfolio, $business_unit, $status, $sponsor)
order by actual_end_date desc, project_id
