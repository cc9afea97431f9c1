-- Planned spend of each candidate project passing the filters by fiscal year, from the cost
-- plan (issue 15): what each fiscal-year cap of the selection counts.
-- Params: $as_of (date; null = latest report date), $fy_start_month (1–12; null = January),
--   $portfolio, $business_unit, $status, $sponsor (lists; empty = all).
-- Columns: project_id, fiscal_year (named by the calendar year it ends in, see the
--   fiscal_year macro), first_month, last_month (of the year's plan rows), planned_cost (the
--   whole year), remaining_cost (the months not over at the as-of date, i.e. whose last day is
--   after it: what is still to be spent).
-- Candidates: every status but Completed and Cancelled. Projects without cost_plan rows are
-- absent (they count 0 against a fiscal-year cap).
select
    c.project_id,
    fiscal_year(cp.month, $fy_start_month) as fiscal_year,
    min(cp.month) as first_month,
    max(cp.month) as last_month,
    sum(cp.planned_cost) as planned_cost,
    coalesce(sum(cp.planned_cost) filter (
        where last_day(cp.month) > resolve_as_of($as_of)
    ), 0) as remaining_cost
from scoped_projects($portfolio, $business_unit, $status, $sponsor) as c
inner join cost_plan as cp on c.project_id = cp.project_id
where c.status not in ('Completed', 'Cancelled')
group by all
order by c.project_id, fiscal_year
