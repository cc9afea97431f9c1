-- Key-result measurements over time against the plan line (issue 18): the drill-down chart.
-- Params: $as_of (date; null = latest report date).
-- Columns: kr_id, objective_id, name (of the key result), unit, date, value, planned_value.
-- One row per measurement on or before the as-of date (later ones are ignored, as in
-- key_results_at). planned_value = where the straight line from (start_date, baseline) to
-- (target_date, target) stands on that date: baseline + (target − baseline) × the elapsed
-- share, clamped 0–1 (start_date = baseline_date, else the first measurement).
select
    k.kr_id,
    k.objective_id,
    k.name,
    k.unit,
    m.date,
    m.value,
    k.baseline + (k.target - k.baseline) * kr_elapsed(k.start_date, k.target_date, m.date)
        as planned_value
from key_results_at($as_of) as k
inner join kr_measurements as m on k.kr_id = m.kr_id
where m.date <= k.as_of
order by k.kr_id, m.date
