-- How many in-flight projects (Active, On Hold) passing the filters can be measured by earned
-- value at the as-of date: a status report needs no cost (a rating or % complete is enough),
-- and EVM figures skip reports without one, so a page says how many lack cost data.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: in_flight (projects), reporting (with a status report on or before the as-of
--   date), with_cost (whose latest report gives an actual cost or an earned value),
--   without_cost (reporting − with_cost).
select
    count(*) as in_flight,
    count(report_date) as reporting,
    count(*) filter (where actual_cost is not null or earned_value is not null) as with_cost,
    count(report_date)
    - count(*) filter (where actual_cost is not null or earned_value is not null) as without_cost
from evm_at($as_of, $portfolio, $business_unit, $status, $sponsor)
where is_in_flight(status)
