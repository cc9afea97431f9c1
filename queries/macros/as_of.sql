-- The as-of date: the one chosen, else the latest of the latest report_date and the latest
-- import's as-of date (an import of a list as of 31 March is the data's date even when no
-- report is that late), else today.
create or replace temp macro resolve_as_of(d) as
    coalesce(
        d::date,
        greatest(
            (select max(report_date) from status_reports),
            (select max(as_of) from pmo_imports where not coalesce(undone, false))
        ),
        current_date
    );
