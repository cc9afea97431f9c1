-- Executive summary, strategy (issue 21): each objective with a measured key result, its
-- progress against the progress expected by the as-of date, the furthest behind first.
-- The progress rules are the scorecard's (objective_progress_at and key_results_at in
-- _macros.sql, docs/kpis.md); this query only ranks them.
-- Params: $as_of (date; null = latest report date).
-- Columns: objective_id, objective_name, progress (0–1), expected (0–1), shortfall (expected −
--   progress), rating (On track / At risk / Off track), key_results (measured), off_track
--   (key results Off track), objectives (objectives with a measured key result).
with
krs as (
    select
        objective_id,
        count(*) filter (where status is not null) as key_results,
        count(*) filter (where status = 'Off track') as off_track
    from key_results_at($as_of)
    group by objective_id
)

select
    o.objective_id,
    coalesce(ob.name, o.objective_id) as objective_name,
    o.progress,
    o.expected_progress as expected,
    o.expected_progress - o.progress as shortfall,
    o.status as rating,
    k.key_results,
    k.off_track,
    count(*) over () as objectives
from objective_progress_at($as_of) as o
inner join krs as k on o.objective_id = k.objective_id
left join objectives as ob on o.objective_id = ob.objective_id
where o.status is not null
order by shortfall desc, o.objective_id
