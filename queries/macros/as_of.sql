-- The as-of date: the one chosen, else the latest report_date, else today.
create or replace temp macro resolve_as_of(d) as
    coalesce(
        d::date,
        (select max(report_date) from status_reports),
        current_date
    );
