-- Capacity vs demand by role × month: what each role can supply, what the allocations ask
-- of it and what the timesheets booked (docs/kpis.md).
-- Params: $from_month, $to_month (dates or "YYYY-MM"; null = the 12 months ending at the
--   as-of month), $as_of (date; null = latest report date), $portfolio, $business_unit,
--   $status, $sponsor (lists; empty = all).
-- Columns: role, month (first day), resources, capacity_hours, demand_hours, actual_hours,
--   gap_hours (capacity − demand; negative = short), utilisation (demand / capacity).
-- capacity_hours = Σ over the role's people of weekly capacity × weekdays(month) / 5
-- (Monday–Friday); the filters narrow demand and actuals to the scoped projects, never the
-- capacity. With a filter, only roles with hours on scoped projects in the window appear.
-- A blank role shows as 'No role'.
with
grouped as (
    select
        coalesce(role, 'No role') as role,
        month,
        count(*) as resources,
        sum(capacity_hours) as capacity_hours,
        sum(allocated_hours) as demand_hours,
        sum(actual_hours) as actual_hours
    from resource_months(
        window_from($from_month, $to_month, $as_of),
        window_to($to_month, $as_of),
        $portfolio, $business_unit, $status, $sponsor
    )
    group by all
)

select
    role,
    month,
    resources,
    capacity_hours,
    demand_hours,
    actual_hours,
    capacity_hours - demand_hours as gap_hours,
    demand_hours / nullif(capacity_hours, 0) as utilisation
from grouped
qualify
    not filters_active($portfolio, $business_unit, $status, $sponsor)
    or sum(demand_hours + actual_hours) over (partition by role) > 0
order by role, month
