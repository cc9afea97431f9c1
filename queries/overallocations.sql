-- Over-allocated resources: each resource × month where allocated hours exceed capacity
-- (utilisation > 100 %), worst first, with the projects that make up the load (docs/kpis.md).
-- Params: $from_month, $to_month (dates or "YYYY-MM"; null = the 12 months ending at the
--   as-of month), $as_of (date; null = latest report date), $portfolio, $business_unit,
--   $status, $sponsor (lists; empty = all).
-- Columns: resource_id, name, team, role, month (first day), capacity_hours, allocated_hours,
--   utilisation, excess_hours (allocated − capacity), projects (text: "Name (120 h), ..."
--   largest first), project_count.
-- The same hours as utilisation: the filters narrow the allocations to the scoped projects,
-- so a filtered row means those projects alone over-allocate the person.
with
hours as materialized (
    select *
    from resource_plan_months(
        window_from($from_month, $to_month, $as_of),
        window_to($to_month, $as_of),
        $portfolio, $business_unit, $status, $sponsor
    )
    where allocated_hours > capacity_hours
),

per_project as (
    select
        a.resource_id,
        date_trunc('month', a.month)::date as month,
        p.name,
        a.project_id,
        sum(a.hours) as hours
    from allocations as a
    inner join scoped_projects($portfolio, $business_unit, $status, $sponsor) as p
        on a.project_id = p.project_id
    semi join hours as h
        on a.resource_id = h.resource_id and date_trunc('month', a.month)::date = h.month
    group by all
),

project_lists as (
    select
        pp.resource_id,
        pp.month,
        string_agg(
            pp.name || ' (' || format('{:,.0f}', pp.hours) || ' h)', ', '
            order by pp.hours desc, pp.name
        ) as projects,
        count(*) as project_count
    from per_project as pp
    group by all
)

select
    h.resource_id,
    h.name,
    h.team,
    h.role,
    h.month,
    h.capacity_hours,
    h.allocated_hours,
    h.allocated_hours / nullif(h.capacity_hours, 0) as utilisation,
    h.allocated_hours - h.capacity_hours as excess_hours,
    l.projects,
    l.project_count
from hours as h
left join project_lists as l on h.resource_id = l.resource_id and h.month = l.month
order by h.month desc, utilisation desc nulls first, h.name
