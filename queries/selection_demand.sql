-- Hours each candidate project passing the filters asks of each role, by month, for the months
-- not over at the as-of date (the last day after it: at a month-end as-of date, from the next
-- month; issue 15: the capacity constraint of the selection). Allocations to named
-- placeholder resources ("Data Engineer (TBD)", capacity 0) count like any other: demand.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: project_id, role (blank = 'No role'), month (first day), hours.
select
    a.project_id,
    coalesce(r.role, 'No role') as role,
    date_trunc('month', a.month)::date as month,
    sum(a.hours) as hours
from allocations as a
inner join scoped_projects($portfolio, $business_unit, $status, $sponsor) as p
    on a.project_id = p.project_id
inner join resources as r on a.resource_id = r.resource_id
where
    p.status not in ('Completed', 'Cancelled')
    and last_day(a.month) > resolve_as_of($as_of)
group by all
having sum(a.hours) > 0
order by project_id, role, month
