-- A month parameter as the first day of its month: a date, a timestamp, "2025-10" or
-- "2025-10-17" (the command line passes text); null stays null.
create or replace temp macro month_param(x) as
    case
        when x is null then null
        when length(x::varchar) = 7 then (x::varchar || '-01')::date
        else date_trunc('month', x::varchar::date)::date
    end;

-- The month window of the resource queries: f_to's month, else the as-of month; f_from's
-- month, else the 12 months ending at the window's end. First days of months.
create or replace temp macro window_to(f_to, f_as_of) as
    coalesce(month_param(f_to), date_trunc('month', resolve_as_of(f_as_of))::date);

create or replace temp macro window_from(f_from, f_to, f_as_of) as
    coalesce(month_param(f_from), (window_to(f_to, f_as_of) - interval 11 month)::date);

-- The trends' points: the 13 month-ends up to the as-of date (headline_trend,
-- objectives_on_track). month (month-end), measured_at (the month-end, or the as-of date in
-- its own month: the last row is the as-of date itself).
create or replace temp macro trend_month_ends(f_as_of) as table
    select
        last_day(m)::date as month,
        least(last_day(m)::date, resolve_as_of(f_as_of)) as measured_at
    from (
        select unnest(generate_series(
            date_trunc('month', resolve_as_of(f_as_of)) - interval 12 month,
            date_trunc('month', resolve_as_of(f_as_of)),
            interval 1 month
        )) as m
    );
