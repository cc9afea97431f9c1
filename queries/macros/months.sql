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
