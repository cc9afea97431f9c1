-- Dependencies at risk at the as-of date: who waits for whom, and by how many days, the
-- longest wait first (docs/kpis.md: the predecessor's finish, start or milestone falls after the
-- dependent's start). Dependents passing the filters only.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: project_id, project_name, depends_on, predecessor_name, link, milestone,
--   needed_by, predecessor_date, predecessor_date_source, days_waiting (= −slack_days, > 0),
--   slack_days.
select
    project_id,
    project_name,
    depends_on,
    predecessor_name,
    link,
    milestone,
    needed_by,
    predecessor_date,
    predecessor_date_source,
    -slack_days as days_waiting,
    slack_days
from dependency_links_at($as_of, $portfolio, $business_unit, $status, $sponsor)
where at_risk
order by slack_days, project_id, depends_on
