-- Benefits planned vs realised per project passing the filters (docs/kpis.md), largest planned
-- first.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: project_id, project_name, status, portfolio, sponsor, benefits, planned, realized,
--   realisation_rate, due_planned, due_realized, due_rate, due_shortfall.
-- planned / realized: every benefit of the project (realized blank = 0); realisation_rate =
-- realized / planned (null when nothing is planned) -- the headline benefits_realization is
-- the same ratio over all projects. due_*: only the benefits due by the as-of date (dated on
-- or before it, or undated): due_rate = due_realized / due_planned (null when nothing is due
-- yet), due_shortfall = due_planned − due_realized (what benefits_behind lists).
select
    project_id,
    project_name,
    status,
    portfolio,
    sponsor,
    count(*) as benefits,
    sum(planned_value) as planned,
    coalesce(sum(realized_value), 0) as realized,
    coalesce(sum(realized_value), 0) / nullif(sum(planned_value), 0) as realisation_rate,
    coalesce(sum(planned_value) filter (where due), 0) as due_planned,
    coalesce(sum(realized_value) filter (where due), 0) as due_realized,
    coalesce(sum(realized_value) filter (where due), 0)
    / nullif(sum(planned_value) filter (where due), 0) as due_rate,
    coalesce(sum(planned_value) filter (where due), 0)
    - coalesce(sum(realized_value) filter (where due), 0) as due_shortfall
from benefits_at($as_of, $portfolio, $business_unit, $status, $sponsor)
group by all
order by planned desc, project_id
