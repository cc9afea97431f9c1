-- Objectives on track at the as-of date and at the previous month-end: the Overview's tile.
-- Params: $as_of (date; null = latest report date).
-- Columns: as_of, objectives (all loaded), measured (with a key result measured by then),
--   on_track, at_risk, off_track (objective status of objective_progress_at), previous_as_of
--   (the end of the month before as_of's), previous_on_track, change (on_track −
--   previous_on_track). One row; counts 0 when no objectives are loaded.
with
dates as (
    select
        resolve_as_of($as_of) as as_of,
        last_day((resolve_as_of($as_of) - interval 1 month)::date) as previous_as_of
),

now as (
    select
        count(*) as objectives,
        count(status) as measured,
        count(*) filter (where status = 'On track') as on_track,
        count(*) filter (where status = 'At risk') as at_risk,
        count(*) filter (where status = 'Off track') as off_track
    from objective_progress_at((select as_of from dates))
),

before as (
    select count(*) filter (where status = 'On track') as on_track
    from objective_progress_at((select previous_as_of from dates))
)

select
    d.as_of,
    n.objectives,
    n.measured,
    n.on_track,
    n.at_risk,
    n.off_track,
    d.previous_as_of,
    b.on_track as previous_on_track,
    n.on_track - b.on_track as change
from dates as d
cross join now as n
cross join before as b
