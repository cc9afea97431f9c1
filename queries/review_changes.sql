-- What changed between two as-of dates, per project passing the filters, for the Review page:
-- new and closed projects, RAG moves and forecast slips.
-- Params: $from_date (date; null = the end of the month before the to-date's), $to_date
--   (date; null = the as-of date), $as_of (date; null = latest report date), $portfolio, $business_unit,
--   $status, $sponsor (lists; empty = all).
-- Columns: project_id, name, portfolio, status (today's), change_kind, before, after (text),
--   delta_days, delta_amount, change_date, from_date, to_date.
-- change_kind, each compared over (from_date, to_date]:
--   'new'           start_date (else the first status report) falls in the window;
--                   after = start date.
--   'closed'        actual_end_date falls in the window; before = planned end, after = actual end,
--                   delta_days = days late (negative = early).
--   'rag_better' / 'rag_worse'  the latest report at to_date vs at from_date (evm_series): the
--                   ratings on the five-point scale where both have one (shown by their point's name),
--                   else the RAG, both known (rag_move, ratings_compared: macros/ratings.sql).
--   'forecast_slip' the latest report's forecast_end_date moved; delta_days = days later
--                   (negative = pulled in).
--   'percent_complete' is not a change kind; the EVM columns show progress.
-- 'status', 'end_date_slip' and 'budget' need the project rows as they were at an earlier
-- import: the import comparison provides them, this as-of comparison never emits them (the
-- projects table keeps no history). delta_amount is null for every kind here.
with
bounds as (
    select
        coalesce($to_date::date, resolve_as_of($as_of)) as to_d,
        coalesce(
            $from_date::date,
            last_day((coalesce($to_date::date, resolve_as_of($as_of)) - interval 1 month)::date)
        ) as from_d
),

both_dates as (
    select *
    from evm_series(
        (select [from_d, to_d] from bounds), $portfolio, $business_unit, $status, $sponsor
    )
),

before as (
    select * from both_dates where measured_at = (select from_d from bounds)
),

after as (
    select * from both_dates where measured_at = (select to_d from bounds)
),

first_reports as (
    select project_id, min(report_date) as first_report
    from status_reports
    group by project_id
),

changes as (
    select
        p.project_id,
        'new' as change_kind,
        null as before,
        strftime(coalesce(p.start_date, f.first_report), '%Y-%m-%d') as after,
        null::bigint as delta_days,
        coalesce(p.start_date, f.first_report) as change_date
    from scoped_projects($portfolio, $business_unit, $status, $sponsor) as p
    left join first_reports as f on p.project_id = f.project_id
    cross join bounds as b
    where coalesce(p.start_date, f.first_report) > b.from_d
        and coalesce(p.start_date, f.first_report) <= b.to_d

    union all

    select
        p.project_id,
        'closed',
        strftime(p.end_date, '%Y-%m-%d'),
        strftime(p.actual_end_date, '%Y-%m-%d'),
        datediff('day', p.end_date, p.actual_end_date),
        p.actual_end_date
    from scoped_projects($portfolio, $business_unit, $status, $sponsor) as p
    cross join bounds as b
    where p.actual_end_date > b.from_d and p.actual_end_date <= b.to_d

    union all

    select
        a.project_id,
        'rag_' || rag_move(b.rating, b.rag, a.rating, a.rag),
        case when ratings_compared(b.rating, a.rating) then rating_point(b.rating) else b.rag end,
        case when ratings_compared(b.rating, a.rating) then rating_point(a.rating) else a.rag end,
        null,
        a.report_date
    from after as a
    inner join before as b on a.project_id = b.project_id
    where rag_move(b.rating, b.rag, a.rating, a.rag) is not null

    union all

    select
        a.project_id,
        'forecast_slip',
        strftime(b.forecast_end_date, '%Y-%m-%d'),
        strftime(a.forecast_end_date, '%Y-%m-%d'),
        datediff('day', b.forecast_end_date, a.forecast_end_date),
        a.report_date
    from after as a
    inner join before as b on a.project_id = b.project_id
    where a.forecast_end_date <> b.forecast_end_date
)

select
    c.project_id,
    p.name,
    p.portfolio,
    p.status,
    c.change_kind,
    c.before,
    c.after,
    c.delta_days,
    null::double as delta_amount,
    c.change_date,
    b.from_d as from_date,
    b.to_d as to_date
from changes as c
inner join projects as p on c.project_id = p.project_id
cross join bounds as b
order by
    case c.change_kind
        when 'rag_worse' then 1 when 'forecast_slip' then 2 when 'closed' then 3
        when 'new' then 4 else 5
    end,
    abs(c.delta_days) desc nulls last,
    c.project_id
