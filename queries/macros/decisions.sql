-- Issue 21: decisions and actions. Scalar macros only (a table macro naming the decisions
-- table would fail on a database made before it existed).
-- project_ids 'P1, P2' as a list of ids (blanks dropped).
create or replace temp macro decision_project_list(ids) as
    list_filter(
        list_transform(string_split(coalesce(ids, ''), ','), lambda x: trim(x)),
        lambda x: x <> ''
    );

-- The date decisions are judged at: the as-of date when one is chosen, else today (an action
-- is overdue by the calendar, not by the date of the latest status report).
create or replace temp macro decision_ref_date(f_as_of) as coalesce(f_as_of::date, current_date);

-- The last review: the end of the month before the reference date (as review_changes' from).
create or replace temp macro decision_last_review(f_as_of) as
    last_day((decision_ref_date(f_as_of) - interval 1 month)::date);

-- Overdue: still Open with a due date before the reference date.
create or replace temp macro decision_overdue(d_status, d_due, ref_date) as
    coalesce(d_status, 'Open') = 'Open' and d_due is not null and d_due < ref_date;

-- In view: a decision naming no project concerns the whole portfolio (always in view); one
-- naming projects is in view when any passes the filters, or when no filter is set.
create or replace temp macro decision_in_view(
    d_projects, scoped_ids, f_portfolio, f_business_unit, f_status, f_sponsor
) as
    len(d_projects) = 0
    or len(list_intersect(d_projects, scoped_ids)) > 0
    or not filters_active(f_portfolio, f_business_unit, f_status, f_sponsor);

-- In the log: dated on or before the reference date and in view (queries/decisions.sql and
-- summary_overdue_actions.sql list the same decisions).
create or replace temp macro decision_listed(
    d_date, d_project_ids, f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor
) as
    d_date <= decision_ref_date(f_as_of)
    and decision_in_view(
        decision_project_list(d_project_ids),
        (
            select coalesce(list(project_id), []::varchar[])
            from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor)
        ),
        f_portfolio, f_business_unit, f_status, f_sponsor
    );
