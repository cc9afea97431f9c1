-- Hours per resource and month (docs/kpis.md), every resource × every month from f_from to f_to
-- (first days of months, inclusive):
--   capacity_hours = capacity_hours per week (40 when blank) × weekdays(month) / 5, weekdays
--   counted Monday–Friday; allocated_hours = allocations on the projects passing the filters
--   only, 0 when none (resource_months below adds the timesheets' actual_hours).
-- A filter narrows the hours, never the capacity. Columns: resource_id, name, team, role,
-- month, weekdays, capacity_hours, allocated_hours.
create or replace temp macro resource_plan_months(f_from, f_to, f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
days as (
    -- generate_series in the select list, not range() in FROM: a table function's
    -- arguments may not hold the subquery of resolve_as_of.
    select unnest(generate_series(
        f_from::timestamp, f_to::timestamp + interval 1 month - interval 1 day, interval 1 day
    )) as d
),

months as (
    select
        date_trunc('month', d)::date as month,
        count(*) filter (where isodow(d) <= 5) as weekdays
    from days
    group by all
),

scoped as (
    select project_id from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor)
),

planned as (
    select
        resource_id,
        date_trunc('month', month)::date as month,
        sum(hours) as hours
    from allocations
    where
        project_id in (select project_id from scoped)
        and month >= f_from::date
        and month < f_to::date + interval 1 month
    group by all
)

select
    r.resource_id,
    r.name,
    r.team,
    r.role,
    m.month,
    m.weekdays,
    coalesce(r.capacity_hours, 40) * m.weekdays / 5 as capacity_hours,
    coalesce(pl.hours, 0) as allocated_hours
from resources as r
cross join months as m
left join planned as pl on r.resource_id = pl.resource_id and m.month = pl.month
-- A resource absent from a complete list of resources (left_on) has no capacity from the
-- month it left.
where r.left_on is null or m.month < date_trunc('month', r.left_on);

-- resource_plan_months with actual_hours: the timesheets booked on the scoped projects, by the
-- month of their date, 0 when none. Only the queries that show actuals pay for the timesheet scan.
create or replace temp macro resource_months(f_from, f_to, f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
actual as (
    select
        resource_id,
        date_trunc('month', date)::date as month,
        sum(hours) as hours
    from timesheets
    where
        project_id in (
            select project_id
            from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor)
        )
        and date >= f_from::date
        and date < f_to::date + interval 1 month
    group by all
)

select
    rp.*,
    coalesce(ac.hours, 0) as actual_hours
from resource_plan_months(f_from, f_to, f_portfolio, f_business_unit, f_status, f_sponsor) as rp
left join actual as ac on rp.resource_id = ac.resource_id and rp.month = ac.month;
