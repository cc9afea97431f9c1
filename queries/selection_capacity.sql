-- Capacity by role and month for the selection (issue 15), from the first month not over at
-- the as-of date (at a month-end as-of date, the next month) to the last month any allocation
-- asks for.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: role (blank = 'No role'), month (first day), resources, placeholders (resources of
--   the role with capacity 0: demand, no supply), capacity_hours (Σ weekly capacity ×
--   weekdays(month) / 5, docs/kpis.md; blank capacity = 40), committed_hours (allocated to
--   projects outside this view that stay in the portfolio: Approved, Active, On Hold — they
--   keep their people whatever this view selects), available_hours (capacity − committed).
with
bounds as (
    select
        date_trunc('month', resolve_as_of($as_of) + 1)::date as first_month,
        coalesce(max(month), date_trunc('month', resolve_as_of($as_of) + 1)::date) as last_month
    from allocations
    where last_day(month) > resolve_as_of($as_of)
),

supply as (
    select
        coalesce(role, 'No role') as role,
        month,
        count(*) as resources,
        count(*) filter (where capacity_hours = 0) as placeholders,
        sum(capacity_hours) as capacity_hours
    from resource_plan_months(
        (select first_month from bounds), (select last_month from bounds), [], [], [], []
    )
    group by all
),

in_view as (
    select project_id from scoped_projects($portfolio, $business_unit, $status, $sponsor)
),

committed as (
    select
        coalesce(r.role, 'No role') as role,
        date_trunc('month', a.month)::date as month,
        sum(a.hours) as hours
    from allocations as a
    inner join projects as p on a.project_id = p.project_id
    inner join resources as r on a.resource_id = r.resource_id
    where
        is_in_portfolio(p.status)
        and a.project_id not in (select project_id from in_view)
        and a.month >= (select first_month from bounds)
    group by all
)

select
    s.role,
    s.month,
    s.resources,
    s.placeholders,
    s.capacity_hours,
    coalesce(c.hours, 0) as committed_hours,
    s.capacity_hours - coalesce(c.hours, 0) as available_hours
from supply as s
left join committed as c on s.role = c.role and s.month = c.month
order by s.role, s.month
