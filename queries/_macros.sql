-- Temp macros shared by the queries; pmo.store installs them on every connection.
-- Not a query: the loader skips files whose name starts with "_".

-- The as-of date: the one chosen, else the latest of the latest report_date and the latest
-- import's as-of date (an import of a list as of 31 March is the data's date even when no
-- report is that late), else today.
create or replace temp macro resolve_as_of(d) as
    coalesce(
        d::date,
        greatest(
            (select max(report_date) from status_reports),
            (select max(as_of) from pmo_imports where not coalesce(undone, false))
        ),
        current_date
    );

-- Projects passing the sidebar filters. Each argument is a list of values;
-- an empty or null list means "all". A project that has left the portfolio (absent from a
-- complete list of projects: left_on set) is no longer one of them.
create or replace temp macro scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor) as table
select p.*
from projects as p
where
    p.left_on is null
    and (coalesce(len(f_portfolio), 0) = 0 or list_contains(f_portfolio, p.portfolio))
    and (coalesce(len(f_business_unit), 0) = 0 or list_contains(f_business_unit, p.business_unit))
    and (coalesce(len(f_status), 0) = 0 or list_contains(f_status, p.status))
    and (coalesce(len(f_sponsor), 0) = 0 or list_contains(f_sponsor, p.sponsor));

-- Earned value per project at each of a list of dates (design §4), from each project's latest
-- status report on or before that date. One row per (measured_at, project passing the
-- filters); report columns are null for a project with no report yet. The single definition
-- of EV/PV derivation, the ratios and the RAG rule: evm_at is its one-date view, and the trend
-- queries ask for many dates in one pass (an ASOF join, not one scan per date).
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
        coalesce(reported_ev, budget * percent_complete / 100) as earned_value,
        -- greatest/least skip nulls in DuckDB, so clamp only a share that exists.
        coalesce(
            reported_pv,
            budget * case
                when elapsed_share is not null then greatest(0, least(1, elapsed_share))
            end
        ) as planned_value
    from measured
),

ratios as (
    select
        *,
        earned_value / nullif(actual_cost, 0) as cpi,
        earned_value / nullif(planned_value, 0) as spi
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

-- Earned value per project at one as-of date (null = latest report date): evm_series at that
-- date, without the measured_at column. The rules live in evm_series above.
create or replace temp macro evm_at(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
select * exclude (measured_at)
from evm_series([resolve_as_of(f_as_of)], f_portfolio, f_business_unit, f_status, f_sponsor);

-- True when any sidebar filter is set (some queries list every resource only when none is).
create or replace temp macro filters_active(f_portfolio, f_business_unit, f_status, f_sponsor) as
    coalesce(len(f_portfolio), 0) + coalesce(len(f_business_unit), 0)
    + coalesce(len(f_status), 0) + coalesce(len(f_sponsor), 0) > 0;

-- A month parameter as the first day of its month: a date, a timestamp, "2025-10" or
-- "2025-10-17" (the command line passes text); null stays null.
create or replace temp macro month_param(x) as
    case
        when x is null then null
        when length(x::varchar) = 7 then (x::varchar || '-01')::date
        else date_trunc('month', x::varchar::date)::date
    end;

-- Strategic alignment per project passing the filters (design §4). One row per project:
--   alignment_score = Σ_o weight_o × score_po / (5 × Σ_o weight_o) × 100, the denominator over
--   ALL objectives (an absent score counts 0); null only when there are no objectives;
--   aligned = some score > 0; in_portfolio = status Approved, Active or On Hold.
create or replace temp macro alignment_scores(f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
total_weight as (
    select sum(weight) as w from objectives
),

contributions as (
    select
        a.project_id,
        sum(o.weight * a.score) as weighted,
        max(a.score) as best
    from alignment as a
    inner join objectives as o on a.objective_id = o.objective_id
    group by a.project_id
)

select
    p.project_id,
    p.name,
    p.portfolio,
    p.business_unit,
    p.sponsor,
    p.manager,
    p.status,
    p.budget,
    p.expected_benefit,
    p.risk_score,
    coalesce(c.weighted, 0) / nullif(5 * (select w from total_weight), 0) * 100 as alignment_score,
    coalesce(c.best, 0) > 0 as aligned,
    p.status in ('Approved', 'Active', 'On Hold') as in_portfolio
from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor) as p
left join contributions as c on p.project_id = c.project_id;

-- Hours per resource and month (design §4), every resource × every month from f_from to f_to
-- (first days of months, inclusive):
--   capacity_hours = capacity_hours per week (40 when blank) × weekdays(month) / 5, weekdays
--   counted Monday–Friday; allocated_hours and actual_hours = allocations and timesheets
--   (by the month of their date) on the projects passing the filters only, 0 when none.
-- A filter narrows the hours, never the capacity.
create or replace temp macro resource_months(f_from, f_to, f_portfolio, f_business_unit, f_status, f_sponsor) as table
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
),

actual as (
    select
        resource_id,
        date_trunc('month', date)::date as month,
        sum(hours) as hours
    from timesheets
    where
        project_id in (select project_id from scoped)
        and date >= f_from::date
        and date < f_to::date + interval 1 month
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
    coalesce(pl.hours, 0) as allocated_hours,
    coalesce(ac.hours, 0) as actual_hours
from resources as r
cross join months as m
left join planned as pl on r.resource_id = pl.resource_id and m.month = pl.month
left join actual as ac on r.resource_id = ac.resource_id and m.month = ac.month
-- A resource absent from a complete list of resources (left_on) has no capacity from the
-- month it left.
where r.left_on is null or m.month < date_trunc('month', r.left_on);

-- The month window of the resource queries: f_to's month, else the as-of month; f_from's
-- month, else the 12 months ending at the window's end. First days of months.
create or replace temp macro window_to(f_to, f_as_of) as
    coalesce(month_param(f_to), date_trunc('month', resolve_as_of(f_as_of))::date);

create or replace temp macro window_from(f_from, f_to, f_as_of) as
    coalesce(month_param(f_from), (window_to(f_to, f_as_of) - interval 11 month)::date);

-- Delivered projects (design §4 on-time delivery): Completed projects passing the filters with
-- both end_date and actual_end_date, finished on or before the as-of date.
--   on_time = actual_end_date ≤ end_date; days_variance = actual − planned end (negative =
--   early); days_late = the same, 0 when early or on time.
create or replace temp macro delivery_at(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
select
    project_id,
    name,
    portfolio,
    business_unit,
    sponsor,
    manager,
    budget,
    start_date,
    end_date,
    actual_end_date,
    actual_end_date <= end_date as on_time,
    datediff('day', end_date, actual_end_date) as days_variance,
    greatest(datediff('day', end_date, actual_end_date), 0) as days_late
from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor)
where
    status = 'Completed'
    and end_date is not null
    and actual_end_date is not null
    and actual_end_date <= resolve_as_of(f_as_of);

-- Benefits of the projects passing the filters, each flagged due when dated on or before the
-- as-of date (an undated benefit counts as due). Benefits realisation (design §4) is
-- Σ realized / Σ planned over ALL of them (realized_value blank counts as 0 realised); the
-- due flag gives the "realised of what is due by now" view and benefits_behind.
create or replace temp macro benefits_at(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
select
    b.project_id,
    p.name as project_name,
    p.status,
    p.portfolio,
    p.business_unit,
    p.sponsor,
    b.benefit,
    b.date,
    b.planned_value,
    b.realized_value,
    b.date is null or b.date <= resolve_as_of(f_as_of) as due
from benefits as b
inner join scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor) as p
    on b.project_id = p.project_id;

-- Every headline KPI of design §6 at each of a list of dates, one row per date (as_of).
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
    where status in ('Active', 'On Hold')
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
    from resource_months(
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

-- Strategic investment share per objective (design §4), the one definition behind
-- investment_by_objective (which documents the columns) and strategy_scorecard:
-- in-portfolio projects passing the filters, a project's budget split over the objectives
-- it scores on in proportion to its scores, plus an 'UNALIGNED' row. No rows without objectives.
create or replace temp macro investment_shares(f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
in_portfolio as (
    select * from alignment_scores(f_portfolio, f_business_unit, f_status, f_sponsor)
    where in_portfolio
),

total as (
    select sum(budget) as budget from in_portfolio
),

split as (
    select
        a.objective_id,
        p.project_id,
        p.budget * a.score / sum(a.score) over (partition by p.project_id) as invested
    from in_portfolio as p
    inner join alignment as a on p.project_id = a.project_id
    inner join objectives as o on a.objective_id = o.objective_id
    where a.score > 0
),

by_objective as (
    select
        o.objective_id,
        o.name as objective_name,
        o.weight,
        o.target_share,
        coalesce(sum(s.invested), 0) as invested_budget,
        count(s.project_id) as projects,
        1 as sort_group
    from objectives as o
    left join split as s on o.objective_id = s.objective_id
    group by all
),

unaligned as (
    select
        'UNALIGNED' as objective_id,
        'Unaligned' as objective_name,
        null::double as weight,
        null::double as target_share,
        coalesce(sum(budget), 0) as invested_budget,
        count(*) as projects,
        2 as sort_group
    from in_portfolio
    where not aligned
)

select
    objective_id,
    objective_name,
    weight,
    target_share,
    invested_budget,
    invested_budget / nullif((select budget from total), 0) as actual_share,
    invested_budget / nullif((select budget from total), 0) - target_share as gap,
    projects
from (select * from by_objective union all select * from unaligned)
-- Without objectives there is nothing to be aligned to: no rows, rather than "100 % unaligned".
where exists (select 1 from objectives)
order by sort_group, weight desc, objective_id;

-- The elapsed share of [start_date, target_date] at date d, clamped 0–1: a key result's
-- expected progress, and where its straight plan line stands. When target_date ≤ start_date
-- it is 0 before the target date and 1 from it; null when a date is missing.
create or replace temp macro kr_elapsed(start_date, target_date, d) as
    case
        when start_date is null or target_date is null or d is null then null
        when target_date <= start_date then case when d >= target_date then 1.0 else 0.0 end
        else greatest(0.0, least(1.0,
            datediff('day', start_date, d) / datediff('day', start_date, target_date)
        ))
    end;

-- On track / At risk / Off track of a key result or an objective (design §4): On track if
-- progress ≥ expected, At risk if ≥ expected − 0.15, else Off track; null when either is
-- null. Compared at 9 decimals, so a progress exactly at an edge (0.35 against 0.5) is on it.
create or replace temp macro kr_status(progress, expected) as
    case
        when progress is null or expected is null then null
        when round(progress, 9) >= round(expected, 9) then 'On track'
        when round(progress, 9) >= round(expected - 0.15, 9) then 'At risk'
        else 'Off track'
    end;

-- Key-result progress at the as-of date (design §4, issue 18), one row per key result.
-- Measurements dated after the as-of date are ignored: the KR stands where it stood then.
--   latest_value = the value of the latest measurement on or before the as-of date;
--   start_date = baseline_date, else the first such measurement's date;
--   progress = (latest_value − baseline) / (target − baseline), clamped 0–1, so a KR whose
--     target is below its baseline (direction 'down': cost, cycle time) counts falling values
--     as progress; null when never measured by the as-of date, or when target = baseline;
--   expected_progress = elapsed share of [start_date, target_date] at the as-of date, clamped
--     0–1 (1 from the target date on when the two dates coincide);
--   status = kr_status(progress, expected_progress); null when unmeasured.
create or replace temp macro key_results_at(f_as_of) as table
with
asof_point as (
    select resolve_as_of(f_as_of) as as_of
),

measured as (
    select
        kr_id,
        max(date) as latest_date,
        arg_max(value, date) as latest_value,
        min(date) as first_date,
        count(*) as measurements
    from kr_measurements
    where date <= (select as_of from asof_point)
    group by kr_id
),

joined as (
    select
        k.kr_id,
        k.objective_id,
        o.name as objective_name,
        k.name,
        k.unit,
        k.baseline,
        k.target,
        case when k.target < k.baseline then 'down' else 'up' end as direction,
        coalesce(k.baseline_date, m.first_date) as start_date,
        k.target_date,
        coalesce(k.weight, 1) as weight,
        m.latest_date,
        m.latest_value,
        coalesce(m.measurements, 0) as measurements,
        (m.latest_value - k.baseline) / nullif(k.target - k.baseline, 0) as raw_progress,
        (select as_of from asof_point) as as_of
    from key_results as k
    left join objectives as o on k.objective_id = o.objective_id
    left join measured as m on k.kr_id = m.kr_id
),

scored as (
    select
        * exclude (raw_progress),
        -- greatest/least skip nulls in DuckDB: clamp only a progress that exists.
        case when raw_progress is not null then greatest(0.0, least(1.0, raw_progress)) end
            as progress,
        kr_elapsed(start_date, target_date, as_of) as expected_progress
    from joined
)

select
    *,
    kr_status(progress, expected_progress) as status
from scored;

-- Objective progress at the as-of date (design §4), one row per objective:
--   key_results = how many it has; on_track = how many of them are On track;
--   progress, expected_progress = Σ weight × value / Σ weight over its key results measured by
--   the as-of date (key_results_at), never a plain average; status = kr_status of the two.
--   All three null when none of its key results is measured yet (or it has none).
create or replace temp macro objective_progress_at(f_as_of) as table
with
krs as (
    select * from key_results_at(f_as_of)
),

rollup as (
    select
        objective_id,
        count(*) as key_results,
        count(*) filter (where status = 'On track') as on_track,
        sum(weight * progress) filter (where status is not null)
        / nullif(sum(weight) filter (where status is not null), 0) as progress,
        sum(weight * expected_progress) filter (where status is not null)
        / nullif(sum(weight) filter (where status is not null), 0) as expected_progress
    from krs
    group by objective_id
)

select
    o.objective_id,
    coalesce(r.key_results, 0) as key_results,
    coalesce(r.on_track, 0) as on_track,
    r.progress,
    r.expected_progress,
    kr_status(r.progress, r.expected_progress) as status
from objectives as o
left join rollup as r on o.objective_id = r.objective_id;
