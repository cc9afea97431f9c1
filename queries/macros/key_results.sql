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

-- On track / At risk / Off track of a key result or an objective (docs/kpis.md): On track if
-- progress ≥ expected, At risk if ≥ expected − 0.15, else Off track; null when either is
-- null. Compared at 9 decimals, so a progress exactly at an edge (0.35 against 0.5) is on it.
create or replace temp macro kr_status(progress, expected) as
    case
        when progress is null or expected is null then null
        when round(progress, 9) >= round(expected, 9) then 'On track'
        when round(progress, 9) >= round(expected - 0.15, 9) then 'At risk'
        else 'Off track'
    end;

-- Key-result progress at each of a list of dates (docs/kpis.md, issue 18): one row per (as_of,
-- key result). key_results_at is its one-date view. Measurements dated after a row's as_of
-- are ignored: the KR stands where it stood then.
--   latest_value = the value of the latest measurement on or before as_of;
--   start_date = baseline_date, else the first such measurement's date;
--   progress = (latest_value − baseline) / (target − baseline), clamped 0–1, so a KR whose
--     target is below its baseline (direction 'down': cost, cycle time) counts falling values
--     as progress; null when never measured by as_of, or when target = baseline;
--   expected_progress = kr_elapsed(start_date, target_date, as_of): the elapsed share of
--     [start_date, target_date], clamped 0–1;
--   status = kr_status(progress, expected_progress); null when unmeasured.
create or replace temp macro key_results_series(f_dates) as table
with
points as (
    select distinct unnest(f_dates)::date as as_of
),

measured as (
    select
        pt.as_of,
        m.kr_id,
        max(m.date) as latest_date,
        arg_max(m.value, m.date) as latest_value,
        min(m.date) as first_date,
        count(*) as measurements
    from points as pt
    inner join kr_measurements as m on m.date <= pt.as_of
    group by all
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
        pt.as_of
    from points as pt
    cross join key_results as k
    left join objectives as o on k.objective_id = o.objective_id
    left join measured as m on k.kr_id = m.kr_id and pt.as_of = m.as_of
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

-- Key-result progress at one as-of date (null = latest report date): key_results_series there.
create or replace temp macro key_results_at(f_as_of) as table
select * from key_results_series([resolve_as_of(f_as_of)]);

-- Objective progress at each of a list of dates (docs/kpis.md), one row per (as_of, objective):
--   key_results = how many it has; on_track = how many of them are On track;
--   progress, expected_progress = Σ weight × value / Σ weight over its key results measured by
--   as_of (key_results_series), never a plain average; status = kr_status of the two.
--   All three null when none of its key results is measured yet (or it has none).
create or replace temp macro objective_progress_series(f_dates) as table
with
points as (
    select distinct unnest(f_dates)::date as as_of
),

rollup as (
    select
        as_of,
        objective_id,
        count(*) as key_results,
        count(*) filter (where status = 'On track') as on_track,
        sum(weight * progress) filter (where status is not null)
        / nullif(sum(weight) filter (where status is not null), 0) as progress,
        sum(weight * expected_progress) filter (where status is not null)
        / nullif(sum(weight) filter (where status is not null), 0) as expected_progress
    from key_results_series(f_dates)
    group by all
)

select
    pt.as_of,
    o.objective_id,
    coalesce(r.key_results, 0) as key_results,
    coalesce(r.on_track, 0) as on_track,
    r.progress,
    r.expected_progress,
    kr_status(r.progress, r.expected_progress) as status
from points as pt
cross join objectives as o
left join rollup as r on o.objective_id = r.objective_id and pt.as_of = r.as_of;

-- Objective progress at one as-of date (null = latest report date), without the as_of column.
create or replace temp macro objective_progress_at(f_as_of) as table
select * exclude (as_of) from objective_progress_series([resolve_as_of(f_as_of)]);
