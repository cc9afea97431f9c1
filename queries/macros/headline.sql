-- Every headline KPI of the README's command line at each of a list of dates, one row per date (as_of).
-- headline_at is its one-date view; headline_kpis, headline_trend and headline_change select
-- from it, so a tile, its trend and its change never disagree:
--   in_flight_projects, planned/earned value, actual cost, CPI, SPI, RAG counts: in-flight
--     projects (current status Active, On Hold) from evm_series; CPI = ΣEV / ΣAC,
--     SPI = ΣEV / ΣPV, never a mean of ratios;
--   total_budget, portfolio_alignment (budget-weighted mean alignment score, 0–100),
--     unaligned_share: in-portfolio projects (Approved, Active, On Hold) with a budget;
--     unaligned_share is null when no objectives are loaded (these have no history: the
--     same at every date);
--   utilization = Σ allocated / Σ capacity of ALL resources in the date's month (hours on the
--     scoped projects), overallocated_resources = resources with allocated > capacity then
--     (both null when there are no resources);
--   on_time_delivery = on-time / delivered projects of delivery_at (finished by the date);
--   benefits_realization = Σ realized / Σ planned over every benefit of benefits_at.
-- Null wherever a divisor is 0.
create or replace temp macro headline_series(f_dates, f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
points as (
    select distinct unnest(f_dates)::date as as_of
),

in_flight as (
    select *
    from evm_series(f_dates, f_portfolio, f_business_unit, f_status, f_sponsor)
    where is_in_flight(status)
),

evm_totals as (
    select
        pt.as_of,
        count(e.project_id) as in_flight_projects,
        sum(e.planned_value) as planned_value,
        sum(e.earned_value) as earned_value,
        sum(e.actual_cost) as actual_cost,
        sum(e.earned_value) / nullif(sum(e.actual_cost), 0) as portfolio_cpi,
        sum(e.earned_value) / nullif(sum(e.planned_value), 0) as portfolio_spi,
        count(*) filter (where e.rag = 'Green') as rag_green,
        count(*) filter (where e.rag = 'Amber') as rag_amber,
        count(*) filter (where e.rag = 'Red') as rag_red
    from points as pt
    left join in_flight as e on pt.as_of = e.measured_at
    group by pt.as_of
),

alignment_totals as (
    select
        sum(budget) as total_budget,
        sum(budget * alignment_score) / nullif(sum(budget), 0) as portfolio_alignment,
        case when exists (select 1 from objectives) then
            coalesce(sum(budget) filter (where not aligned), 0) / nullif(sum(budget), 0)
        end as unaligned_share
    from alignment_scores(f_portfolio, f_business_unit, f_status, f_sponsor)
    where in_portfolio
),

resource_totals as (
    select
        month,
        sum(allocated_hours) / nullif(sum(capacity_hours), 0) as utilization,
        count(*) filter (where allocated_hours > capacity_hours) as overallocated_resources
    from resource_plan_months(
        date_trunc('month', (select min(as_of) from points))::date,
        date_trunc('month', (select max(as_of) from points))::date,
        f_portfolio, f_business_unit, f_status, f_sponsor
    )
    group by month
),

delivered as (
    select actual_end_date, on_time
    from delivery_at(
        (select max(as_of) from points), f_portfolio, f_business_unit, f_status, f_sponsor
    )
),

delivery_totals as (
    select
        pt.as_of,
        count(*) filter (where d.on_time) / nullif(count(d.actual_end_date), 0) as on_time_delivery
    from points as pt
    left join delivered as d on d.actual_end_date <= pt.as_of
    group by pt.as_of
),

benefit_totals as (
    select
        coalesce(sum(realized_value), 0) / nullif(sum(planned_value), 0) as benefits_realization
    from benefits_at(
        (select max(as_of) from points), f_portfolio, f_business_unit, f_status, f_sponsor
    )
)

select
    e.as_of,
    e.in_flight_projects,
    a.total_budget,
    e.planned_value,
    e.earned_value,
    e.actual_cost,
    e.portfolio_cpi,
    e.portfolio_spi,
    e.rag_green,
    e.rag_amber,
    e.rag_red,
    a.portfolio_alignment,
    a.unaligned_share,
    r.utilization,
    -- No resources at all: no month rows, so null rather than 0.
    r.overallocated_resources,
    d.on_time_delivery,
    b.benefits_realization
from evm_totals as e
cross join alignment_totals as a
cross join benefit_totals as b
left join resource_totals as r on date_trunc('month', e.as_of)::date = r.month
left join delivery_totals as d on e.as_of = d.as_of
order by e.as_of;

-- The headline KPIs at one as-of date (null = latest report date): one row of headline_series.
create or replace temp macro headline_at(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
select *
from headline_series([resolve_as_of(f_as_of)], f_portfolio, f_business_unit, f_status, f_sponsor);
