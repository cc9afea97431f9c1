-- Objectives on track at each month-end of the 13 months up to the as-of date (the last row
-- is the as-of date itself): the Overview's "Objectives on track" tile, its change since the
-- previous month-end and its sparkline.
-- Params: $as_of (date; null = latest report date).
-- Columns: month (month-end), as_of (the date measured: the month-end, or the as-of date in
--   its own month), objectives (all loaded), measured (with a key result measured by then),
--   on_track, at_risk, off_track (objective status of objective_progress_series), change
--   (on_track − the previous row's on_track; null on the first row).
-- Counts 0 when no objectives are loaded.
with
trend_points as (
    select * from trend_month_ends($as_of)
),

counts as (
    select
        as_of,
        count(*) as objectives,
        count(status) as measured,
        count(*) filter (where status = 'On track') as on_track,
        count(*) filter (where status = 'At risk') as at_risk,
        count(*) filter (where status = 'Off track') as off_track
    from objective_progress_series((select list(measured_at) from trend_points))
    group by as_of
)

select
    t.month,
    t.measured_at as as_of,
    coalesce(c.objectives, 0) as objectives,
    coalesce(c.measured, 0) as measured,
    coalesce(c.on_track, 0) as on_track,
    coalesce(c.at_risk, 0) as at_risk,
    coalesce(c.off_track, 0) as off_track,
    coalesce(c.on_track, 0) - lag(coalesce(c.on_track, 0)) over (order by t.month) as change
from trend_points as t
left join counts as c on t.measured_at = c.as_of
order by t.month
