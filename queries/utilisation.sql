-- Utilisation by resource, team or role × month, planned (allocations) and actual
-- (timesheets), for the utilisation heatmap and planned-vs-actual (docs/kpis.md).
-- Params: $group ('resource' | 'team' | 'role'; null = 'resource'), $from_month, $to_month
--   (dates or "YYYY-MM", any day of the month; null = the 12 months ending at the as-of
--   month), $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: group_key (resource_id, team or role), group_label (name, team or role), team,
--   role (null when grouping by the other), month (first day), weekdays, capacity_hours,
--   allocated_hours, actual_hours, utilisation, actual_utilisation, over_allocated.
-- capacity_hours = weekly capacity × weekdays(month) / 5, weekdays Monday–Friday; a team or
-- role sums its members' hours and capacities. utilisation = allocated / capacity,
-- actual_utilisation = actual / capacity (null on zero capacity); over_allocated =
-- allocated > capacity (as overallocations.sql: hours on a zero capacity, a role still to
-- hire, are over-allocated though their utilisation is null). The filters narrow the hours
-- to the scoped projects, never the capacity (so a filtered figure is the share of capacity those projects take). With no filter every
-- resource appears; with a filter only groups with hours on scoped projects in the window.
-- A blank team or role groups as 'No team' / 'No role'.
with
settings as (
    select
        case
            when coalesce(lower(trim($group::varchar)), 'resource') in ('resource', 'team', 'role')
                then coalesce(lower(trim($group::varchar)), 'resource')
            else error(
                'utilisation: $group must be resource, team or role, not ' || $group::varchar
            )
        end as grouping
),

hours as (
    select *
    from resource_months(
        window_from($from_month, $to_month, $as_of),
        window_to($to_month, $as_of),
        $portfolio, $business_unit, $status, $sponsor
    )
),

keyed as (
    select
        case s.grouping
            when 'team' then coalesce(h.team, 'No team')
            when 'role' then coalesce(h.role, 'No role')
            else h.resource_id
        end as group_key,
        case s.grouping
            when 'team' then coalesce(h.team, 'No team')
            when 'role' then coalesce(h.role, 'No role')
            else h.name
        end as group_label,
        case s.grouping when 'role' then null else coalesce(h.team, 'No team') end as team,
        case s.grouping when 'team' then null else coalesce(h.role, 'No role') end as role,
        h.month,
        h.weekdays,
        h.capacity_hours,
        h.allocated_hours,
        h.actual_hours
    from hours as h
    cross join settings as s
),

grouped as (
    select
        group_key,
        group_label,
        team,
        role,
        month,
        weekdays,
        sum(capacity_hours) as capacity_hours,
        sum(allocated_hours) as allocated_hours,
        sum(actual_hours) as actual_hours
    from keyed
    group by all
)

select
    group_key,
    group_label,
    team,
    role,
    month,
    weekdays,
    capacity_hours,
    allocated_hours,
    actual_hours,
    allocated_hours / nullif(capacity_hours, 0) as utilisation,
    actual_hours / nullif(capacity_hours, 0) as actual_utilisation,
    allocated_hours > capacity_hours as over_allocated
from grouped
qualify
    not filters_active($portfolio, $business_unit, $status, $sponsor)
    or sum(allocated_hours + actual_hours) over (partition by group_key) > 0
order by group_label, group_key, month
