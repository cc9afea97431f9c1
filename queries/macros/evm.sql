-- Earned value per project at each of a list of dates (docs/kpis.md), from each project's latest
-- status report on or before that date. One row per (measured_at, project passing the
-- filters); report columns are null for a project with no report yet. The single definition
-- of EV/PV derivation, the ratios and the RAG rule: evm_at is its one-date view, and the trend
-- queries ask for many dates in one pass (an ASOF join, not one scan per date).
-- One status report's figures (docs/kpis.md), the single definition evm_series and es_series
-- (forecast.sql) share: EV and PV as reported, else EV = budget × percent_complete / 100 and
-- PV = budget × the elapsed share of [start_date, end_date] at the report, clamped to 0–1
-- (greatest/least skip nulls in DuckDB, so only a share that exists is clamped); CPI = EV / AC,
-- SPI = EV / PV, EAC = BAC / CPI, TCPI = (BAC − EV) / (BAC − AC), null on a zero divisor.
create or replace temp macro report_ev(reported_ev, budget, percent_complete) as
    coalesce(reported_ev, budget * percent_complete / 100);

create or replace temp macro report_pv(reported_pv, budget, elapsed_share) as
    coalesce(
        reported_pv,
        budget * case
            when elapsed_share is not null then greatest(0, least(1, elapsed_share))
        end
    );

create or replace temp macro evm_cpi(ev, ac) as ev / nullif(ac, 0);

create or replace temp macro evm_spi(ev, pv) as ev / nullif(pv, 0);

create or replace temp macro evm_eac(bac, cpi) as bac / nullif(cpi, 0);

create or replace temp macro evm_tcpi(bac, ev, ac) as (bac - ev) / nullif(bac - ac, 0);

create or replace temp macro evm_series(f_dates, f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
points as (
    select distinct unnest(f_dates)::date as measured_at
),

grid as (
    select
        pt.measured_at,
        p.*
    from points as pt
    cross join scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor) as p
),

measured as (
    select
        p.measured_at,
        p.project_id,
        p.name,
        p.portfolio,
        p.business_unit,
        p.sponsor,
        p.manager,
        p.status,
        p.budget,
        l.report_date,
        l.percent_complete,
        l.actual_cost,
        l.rag_overall,
        l.rag_schedule,
        l.rag_budget,
        l.rag_scope,
        l.forecast_end_date,
        l.comment,
        l.rating,
        l.planned_value as reported_pv,
        l.earned_value as reported_ev,
        datediff('day', p.start_date, l.report_date)
        / nullif(datediff('day', p.start_date, p.end_date), 0) as elapsed_share
    -- The latest report on or before measured_at: ASOF picks the greatest report_date <= it.
    from grid as p
    asof left join (
        select * from status_reports
        where report_date <= (select max(measured_at) from points)
    ) as l
        on p.project_id = l.project_id and p.measured_at >= l.report_date
),

derived as (
    select
        * exclude (reported_pv, reported_ev, elapsed_share),
        report_ev(reported_ev, budget, percent_complete) as earned_value,
        report_pv(reported_pv, budget, elapsed_share) as planned_value
    from measured
),

ratios as (
    select
        *,
        evm_cpi(earned_value, actual_cost) as cpi,
        evm_spi(earned_value, planned_value) as spi
    from derived
),

worst_dimension as (
    select
        *,
        case greatest(
            case rag_schedule when 'Red' then 3 when 'Amber' then 2 when 'Green' then 1 end,
            case rag_budget when 'Red' then 3 when 'Amber' then 2 when 'Green' then 1 end,
            case rag_scope when 'Red' then 3 when 'Amber' then 2 when 'Green' then 1 end
        )
            when 3 then 'Red' when 2 then 'Amber' when 1 then 'Green'
        end as rag_dimensions,
        -- min(CPI, SPI); where one is undefined (a zero divisor) the other decides.
        case
            when least(cpi, spi) >= 0.95 then 'Green'
            when least(cpi, spi) >= 0.85 then 'Amber'
            when least(cpi, spi) is not null then 'Red'
        end as rag_computed
    from ratios
)

select
    measured_at,
    project_id,
    name,
    portfolio,
    business_unit,
    sponsor,
    manager,
    status,
    budget,
    report_date,
    percent_complete,
    planned_value,
    earned_value,
    actual_cost,
    cpi,
    spi,
    earned_value - actual_cost as cv,
    earned_value - planned_value as sv,
    evm_eac(budget, cpi) as eac,
    budget - evm_eac(budget, cpi) as vac,
    evm_tcpi(budget, earned_value, actual_cost) as tcpi,
    coalesce(rag_overall, rag_dimensions, rag_computed) as rag,
    case
        when rag_overall is not null then 'reported'
        when rag_dimensions is not null then 'dimensions'
        when rag_computed is not null then 'cpi/spi'
    end as rag_source,
    forecast_end_date,
    comment,
    rating
from worst_dimension;

-- Earned value per project at one as-of date (null = latest report date): evm_series at that
-- date, without the measured_at column. The rules live in evm_series above.
create or replace temp macro evm_at(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
select * exclude (measured_at)
from evm_series([resolve_as_of(f_as_of)], f_portfolio, f_business_unit, f_status, f_sponsor);
