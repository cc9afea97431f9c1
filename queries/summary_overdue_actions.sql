-- Executive summary, actions (issue 21): open and overdue actions for the projects in view
-- (dated on or before the reference date), and the longest-overdue one. One row; counts are 0 when no decision is stored.
-- Params: $as_of (date; null = today, the date actions are judged at), $portfolio,
--   $business_unit, $status, $sponsor (lists of project filters; empty = all).
-- Columns: decisions (rows in view), decided_since_last_review, open_actions, overdue_actions,
--   ref_date, last_review, top_decision_id, top_title, top_owner, top_due_date,
--   top_days_overdue (the open action most overdue; null when none is overdue).
-- Listed (decision_listed), open and overdue follow the decision_* macros, as queries/decisions.sql does.
with
listed as (
    select
        d.*,
        decision_ref_date($as_of) as ref_date,
        decision_last_review($as_of) as last_review,
        decision_overdue(d.status, d.due_date, decision_ref_date($as_of)) as overdue
    from decisions as d
    where decision_listed(d.date, d.project_ids, $as_of, $portfolio, $business_unit, $status, $sponsor)
),

top as (
    select decision_id, title, owner, due_date, datediff('day', due_date, ref_date) as days_overdue
    from listed
    where overdue
    order by due_date, decision_id
    limit 1
)

select
    (select count(*) from listed) as decisions,
    (select count(*) from listed where date > last_review) as decided_since_last_review,
    (select count(*) from listed where coalesce(status, 'Open') = 'Open') as open_actions,
    (select count(*) from listed where overdue) as overdue_actions,
    decision_ref_date($as_of) as ref_date,
    decision_last_review($as_of) as last_review,
    t.decision_id as top_decision_id,
    t.title as top_title,
    t.owner as top_owner,
    t.due_date as top_due_date,
    t.days_overdue as top_days_overdue
from (select 1) as one
left join top as t on true
