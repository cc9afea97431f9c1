-- The strategy scorecard (issue 18): per objective, where the money goes and whether it works.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all: they scope the investment share only, as key results
--   measure the whole organisation).
-- Columns: objective_id, name, weight, investment_share (actual_share of investment_shares,
--   the figure investment_by_objective shows), target_share, progress, expected_progress,
--   status, key_results (how many the objective has), on_track (how many of them are On track).
-- progress, expected_progress and status are objective_progress_at's: weight-weighted means
--   over the objective's key results measured by the as-of date, never a plain average; null
--   when none is measured yet. One row per objective, heaviest first; none without objectives.
select
    o.objective_id,
    o.name,
    o.weight,
    i.actual_share as investment_share,
    o.target_share,
    p.progress,
    p.expected_progress,
    p.status,
    p.key_results,
    p.on_track
from objectives as o
inner join objective_progress_at($as_of) as p on o.objective_id = p.objective_id
left join investment_shares($portfolio, $business_unit, $status, $sponsor) as i
    on o.objective_id = i.objective_id
order by o.weight desc, o.objective_id
