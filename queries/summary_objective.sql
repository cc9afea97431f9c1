-- Executive summary, strategy (issue 21): each objective's key-result progress against the
-- progress expected by the as-of date, the furthest behind first. Needs key_results and
-- kr_measurements (design §2); pmo/summary.py skips it while they are missing.
-- Params: $as_of (date; null = latest report date).
-- Columns: objective_id, objective_name, progress (weight-weighted mean of its key results'
--   progress, 0–1), expected (the same mean of expected progress), shortfall (expected −
--   progress), rating (On track / At risk / Off track), key_results (measured), off_track
--   (key results Off track), objectives (objectives with a measured key result).
-- Design §4: progress = (latest value − baseline) / (target − baseline) clamped 0–1; expected =
-- elapsed share of [baseline_date (else the first measurement), target_date] at the as-of
-- date; On track if progress ≥ expected, At risk if ≥ expected − 0.15, else Off track.
with
ref as (
    select resolve_as_of($as_of) as as_of
),

latest as (
    select
        m.kr_id,
        arg_max(m.value, m.date) as value,
        min(m.date) as first_date
    from kr_measurements as m
    cross join ref
    where m.date <= ref.as_of
    group by m.kr_id
),

kr as (
    select
        k.objective_id,
        coalesce(k.weight, 1) as weight,
        greatest(0, least(1, (l.value - k.baseline) / nullif(k.target - k.baseline, 0))) as progress,
        greatest(0, least(1,
            datediff('day', coalesce(k.baseline_date, l.first_date), ref.as_of)
            / nullif(datediff('day', coalesce(k.baseline_date, l.first_date), k.target_date), 0)
        )) as expected
    from key_results as k
    inner join latest as l on k.kr_id = l.kr_id
    cross join ref
),

rated as (
    select
        *,
        case
            when progress >= expected then 'On track'
            when progress >= expected - 0.15 then 'At risk'
            else 'Off track'
        end as rating
    from kr
    where progress is not null and expected is not null
),

objective as (
    select
        objective_id,
        sum(weight * progress) / sum(weight) as progress,
        sum(weight * expected) / sum(weight) as expected,
        count(*) as key_results,
        count(*) filter (where rating = 'Off track') as off_track
    from rated
    group by objective_id
)

select
    o.objective_id,
    coalesce(ob.name, o.objective_id) as objective_name,
    o.progress,
    o.expected,
    o.expected - o.progress as shortfall,
    case
        when o.progress >= o.expected then 'On track'
        when o.progress >= o.expected - 0.15 then 'At risk'
        else 'Off track'
    end as rating,
    o.key_results,
    o.off_track,
    count(*) over () as objectives
from objective as o
left join objectives as ob on o.objective_id = ob.objective_id
order by shortfall desc, o.objective_id
