-- Temp macros shared by the queries; pmo.store installs them on every connection.
-- Not a query: the loader skips files whose name starts with "_".

-- The as-of date: the one chosen, else the latest report_date, else today.
create or replace temp macro resolve_as_of(d) as
    coalesce(
        d::date,
        (select max(report_date) from status_reports),
        current_date
    );

-- Projects passing the sidebar filters. Each argument is a list of values;
-- an empty or null list means "all".
create or replace temp macro scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor) as table
select p.*
from projects as p
where
    (coalesce(len(f_portfolio), 0) = 0 or list_contains(f_portfolio, p.portfolio))
    and (coalesce(len(f_business_unit), 0) = 0 or list_contains(f_business_unit, p.business_unit))
    and (coalesce(len(f_status), 0) = 0 or list_contains(f_status, p.status))
    and (coalesce(len(f_sponsor), 0) = 0 or list_contains(f_sponsor, p.sponsor));

-- Earned value per project at an as-of date (design §4), from each project's latest status
-- report on or before it. One row per project passing the filters; report columns are null
-- for a project with no report yet. The single definition of EV/PV derivation, the ratios
-- and the RAG rule: queries select from it instead of repeating it.
create or replace temp macro evm_at(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
as_of as (
    select resolve_as_of(f_as_of) as d
),

scoped as (
    select * from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor)
),

latest as (
    select r.*
    from status_reports as r
    inner join scoped as p on r.project_id = p.project_id
    where r.report_date <= (select d from as_of)
    qualify row_number() over (partition by r.project_id order by r.report_date desc) = 1
),

measured as (
    select
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
        coalesce(l.earned_value, p.budget * l.percent_complete / 100) as earned_value,
        coalesce(
            l.planned_value,
            -- greatest/least skip nulls in DuckDB, so clamp only a share that exists.
            p.budget * (
                select case when x is not null then greatest(0, least(1, x)) end
                from (
                    select
                        datediff('day', p.start_date, l.report_date)
                        / nullif(datediff('day', p.start_date, p.end_date), 0) as x
                )
            )
        ) as planned_value
    from scoped as p
    left join latest as l on p.project_id = l.project_id
),

ratios as (
    select
        *,
        earned_value / nullif(actual_cost, 0) as cpi,
        earned_value / nullif(planned_value, 0) as spi
    from measured
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
    budget / nullif(cpi, 0) as eac,
    budget - budget / nullif(cpi, 0) as vac,
    (budget - earned_value) / nullif(budget - actual_cost, 0) as tcpi,
    coalesce(rag_overall, rag_dimensions, rag_computed) as rag,
    case
        when rag_overall is not null then 'reported'
        when rag_dimensions is not null then 'dimensions'
        when rag_computed is not null then 'cpi/spi'
    end as rag_source,
    forecast_end_date,
    comment
from worst_dimension;
