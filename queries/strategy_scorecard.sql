-- The strategy scorecard (issue 18): per objective, where the money goes and whether it works.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all: they scope the investment share only, as key results
--   measure the whole organisation).
-- Columns: objective_id, name, weight, investment_share (actual_share of investment_shares,
--   the figure investment_by_objective shows), target_share, progress, expected_progress,
--   status, key_results (how many the objective has), on_track (how many of them are On track).
-- progress and expected_progress = the weight-weighted means over the objective's key results
--   measured by the as-of date (key_results_at): Σ weight × progress / Σ weight, never a plain
--   average; status = kr_status(progress, expected_progress); all three null when none of its
--   key results is measured yet. One row per objective, heaviest first; none without objectives.
with
krs as (
    select * from key_results_at($as_of)
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
),

invest as (
    select objective_id, actual_share
    from investment_shares($portfolio, $business_unit, $status, $sponsor)
)

select
    o.objective_id,
    o.name,
    o.weight,
    i.actual_share as investment_share,
    o.target_share,
    r.progress,
    r.expected_progress,
    kr_status(r.progress, r.expected_progress) as status,
    coalesce(r.key_results, 0) as key_results,
    coalesce(r.on_track, 0) as on_track
from objectives as o
left join invest as i on o.objective_id = i.objective_id
left join rollup as r on o.objective_id = r.objective_id
order by o.weight desc, o.objective_id
