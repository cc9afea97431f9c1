-- Each headline KPI at the as-of date beside its value at the previous month-end, for the
-- Overview tiles' "change since the previous month" (one row per KPI, in the kpis --json order).
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: kpi (the kpis --json key), value, previous_value, change (value − previous_value;
--   null when either is null), as_of, previous_as_of (the end of the month before as_of's).
-- Both sides come from headline_series, so value equals headline_kpis and previous_value equals the
-- previous row of headline_trend. Counts come back as doubles.
with
keys as (
    select unnest([
        'in_flight_projects', 'total_budget', 'planned_value', 'earned_value', 'actual_cost',
        'portfolio_cpi', 'portfolio_spi', 'rag_green', 'rag_amber', 'rag_red',
        'portfolio_alignment', 'unaligned_share', 'utilization', 'overallocated_resources',
        'on_time_delivery', 'benefits_realization'
    ]) as kpi,
    unnest(range(1, 17)) as sort_order
),

both_dates as (
    select * replace (
        in_flight_projects::double as in_flight_projects,
        rag_green::double as rag_green,
        rag_amber::double as rag_amber,
        rag_red::double as rag_red,
        overallocated_resources::double as overallocated_resources
    )
    from headline_series(
        [
            resolve_as_of($as_of),
            last_day((resolve_as_of($as_of) - interval 1 month)::date)
        ],
        $portfolio, $business_unit, $status, $sponsor
    )
),

now as (
    unpivot (select * from both_dates where as_of = resolve_as_of($as_of))
    on columns(* exclude (as_of)) into name kpi value value
),

previous as (
    unpivot (select * from both_dates where as_of < resolve_as_of($as_of))
    on columns(* exclude (as_of)) into name kpi value value
)

select
    k.kpi,
    n.value,
    p.value as previous_value,
    n.value - p.value as change,
    resolve_as_of($as_of) as as_of,
    last_day((resolve_as_of($as_of) - interval 1 month)::date) as previous_as_of
from keys as k
left join now as n on k.kpi = n.kpi
left join previous as p on k.kpi = p.kpi
order by k.sort_order
