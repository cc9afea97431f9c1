-- Benefits behind plan: benefits due by the as-of date (dated on or before it, or undated)
-- whose realised value is below the planned value, largest shortfall first.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: project_id, project_name, status, portfolio, sponsor, benefit, date, planned_value,
--   realized_value, shortfall (planned − realized, realized blank = 0), realisation_rate.
select
    project_id,
    project_name,
    status,
    portfolio,
    sponsor,
    benefit,
    date,
    planned_value,
    realized_value,
    planned_value - coalesce(realized_value, 0) as shortfall,
    coalesce(realized_value, 0) / nullif(planned_value, 0) as realisation_rate
from benefits_at($as_of, $portfolio, $business_unit, $status, $sponsor)
where due and coalesce(realized_value, 0) < planned_value
order by shortfall desc, project_id, benefit
