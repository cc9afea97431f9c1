-- The decisions and actions that name one project (issue 21), for its drill-down: open ones
-- first (most overdue first), then the newest.
-- Params: $project_id (text), $as_of (date; null = today, the date actions are judged at).
-- Columns: decision_id, date, title, detail, project_ids, owner, due_date, status, overdue,
--   days_overdue, recorded_by, recorded_at, comparison (as queries/decisions.sql).
select
    d.decision_id,
    d.date,
    d.title,
    d.detail,
    d.project_ids,
    d.owner,
    d.due_date,
    coalesce(d.status, 'Open') as status,
    decision_overdue(d.status, d.due_date, decision_ref_date($as_of)) as overdue,
    case
        when decision_overdue(d.status, d.due_date, decision_ref_date($as_of))
            then datediff('day', d.due_date, decision_ref_date($as_of))
    end as days_overdue,
    d.recorded_by,
    d.recorded_at,
    d.comparison
from decisions as d
where
    list_contains(decision_project_list(d.project_ids), $project_id::varchar)
    and d.date <= decision_ref_date($as_of)
order by
    coalesce(d.status, 'Open') = 'Open' desc,
    days_overdue desc nulls last,
    d.date desc,
    d.decision_id desc
