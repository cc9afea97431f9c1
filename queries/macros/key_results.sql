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

-- On track / At risk / Off track of a key result or an objective (design §4): On track if
-- progress ≥ expected, At risk if ≥ expected − 0.15, else Off track; null when either is
-- null. Compared at 9 decimals, so a progress exactly at an edge (0.35 against 0.5) is on it.
create or replace temp macro kr_status(progress, expected) as
    case
        when progress is null or expected is null then null
        when round(progress, 9) >= round(expected, 9) then 'On track'
        when round(progress, 9) >= round(expected - 0.15, 9) then 'At risk'
        else 'Off track'
    end;

-- Key-result progress at the as-of date (design §4, issue 18), one row per key result.
-- Measurements dated after the as-of date are ignored: the KR stands where it stood then.
--   latest_value = the value of the latest measurement on or before the as-of date;
--   start_date = baseline_date, else the first such measurement's date;
--   progress = (latest_value − baseline) / (target − baseline), clamped 0–1, so a KR whose
--     target is below its baseline (direction 'down': cost, cycle time) counts falling values
--     as progress; null when never measured by the as-of date, or when target = baseline;
--   expected_progress = elapsed share of [start_date, target_date] at the as-of date, clamped
--     0–1 (1 from the target date on when the two dates coincide);
--   status = kr_status(progress, expected_progress); null when unmeasured.
create or replace temp macro key_results_at(f_as_of) as table
with
asof_point as (
    select resolve_as_of(f_as_of) as as_of
),

measured as (
    select
        kr_id,
        max(date) as latest_date,
        arg_max(value, date) as latest_value,
        min(date) as first_date,
        count(*) as measurements
    from kr_measurements
    where date <= (select as_of from asof_point)
    group by kr_id
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
        (select as_of from asof_point) as as_of
    from key_results as k
    left join objectives as o on k.objective_id = o.objective_id
    left join measured as m on k.kr_id = m.kr_id
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

-- Objective progress at the as-of date (design §4), one row per objective:
--   key_results = how many it has; on_track = how many of them are On track;
--   progress, expected_progress = Σ weight × value / Σ weight over its key results measured by
--   the as-of date (key_results_at), never a plain average; status = kr_status of the two.
--   All three null when none of its key results is measured yet (or it has none).
create or replace temp macro objective_progress_at(f_as_of) as table
with
krs as (
    select * from key_results_at(f_as_of)
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
)

select
    o.objective_id,
    coalesce(r.key_results, 0) as key_results,
    coalesce(r.on_track, 0) as on_track,
    r.progress,
    r.expected_progress,
    kr_status(r.progress, r.expected_progress) as status
from objectives as o
left join rollup as r on o.objective_id = r.objective_id;
