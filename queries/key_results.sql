-- Key results with their progress at the as-of date (issue 18): the scorecard's drill-down.
-- Params: $as_of (date; null = latest report date).
-- Columns: kr_id, objective_id, objective_name, name, unit, direction ('up', or 'down' when the
--   target is below the baseline), baseline, target, start_date (baseline_date, else the first
--   measurement), target_date, weight, latest_date, latest_value, measurements (how many by the
--   as-of date), progress, expected_progress, status (On track / At risk / Off track; null
--   when not measured yet). The rules are key_results_at's; measurements after the as-of date
--   are ignored. Ordered by objective weight, then key-result weight.
select
    k.kr_id,
    k.objective_id,
    k.objective_name,
    k.name,
    k.unit,
    k.direction,
    k.baseline,
    k.target,
    k.start_date,
    k.target_date,
    k.weight,
    k.latest_date,
    k.latest_value,
    k.measurements,
    k.progress,
    k.expected_progress,
    k.status
from key_results_at($as_of) as k
left join objectives as o on k.objective_id = o.objective_id
order by o.weight desc, k.objective_id, k.weight desc, k.kr_id
