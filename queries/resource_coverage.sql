-- What resource data there is and the months it covers, for the Resources page's empty state
-- and its month window.
-- Params: $as_of (date; null = latest report date).
-- Columns: resources, allocations, timesheets (row counts), first_month, last_month (first
--   days of the earliest and latest month with allocations or timesheets; null when none),
--   as_of_month (first day of the as-of date's month).
select
    (select count(*) from resources) as resources,
    (select count(*) from allocations) as allocations,
    (select count(*) from timesheets) as timesheets,
    -- least/greatest skip nulls in DuckDB: either table alone decides when the other is empty.
    date_trunc('month', least(
        (select min(month) from allocations),
        (select min(date) from timesheets)
    ))::date as first_month,
    date_trunc('month', greatest(
        (select max(month) from allocations),
        (select max(date) from timesheets)
    ))::date as last_month,
    date_trunc('month', resolve_as_of($as_of))::date as as_of_month
