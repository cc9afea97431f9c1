-- Headline portfolio KPIs at the as-of date: one row, the keys of `python -m pmo kpis --json`.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: as_of, in_flight_projects, total_budget, planned_value, earned_value, actual_cost,
--   portfolio_cpi, portfolio_spi, rag_green, rag_amber, rag_red.
-- Portfolio CPI = sum EV / sum AC and SPI = sum EV / sum PV over in-flight projects (Active,
-- On Hold), never a mean of ratios. total_budget is over in-portfolio projects (Approved,
-- Active, On Hold).
with
evm as (
    select * from evm_at($as_of, $portfolio, $business_unit, $status, $sponsor)
),

in_flight as (
    select * from evm
    where status in ('Active', 'On Hold')
)

select
    resolve_as_of($as_of) as as_of,
    count(*) as in_flight_projects,
    (
        select sum(budget) from evm
        where status in ('Approved', 'Active', 'On Hold')
    ) as total_budget,
    sum(planned_value) as planned_value,
    sum(earned_value) as earned_value,
    sum(actual_cost) as actual_cost,
    sum(earned_value) / nullif(sum(actual_cost), 0) as portfolio_cpi,
    sum(earned_value) / nullif(sum(planned_value), 0) as portfolio_spi,
    count(*) filter (where rag = 'Green') as rag_green,
    count(*) filter (where rag = 'Amber') as rag_amber,
    count(*) filter (where rag = 'Red') as rag_red
from in_flight
