-- Dependency links of the projects in view (the dependent passes the filters) at the as-of
-- date, with their slack and state (docs/kpis.md dependency at risk): the roadmap's links.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: project_id, project_name, project_status, depends_on, predecessor_name,
--   predecessor_status, milestone, link ('finish-to-start', 'start-to-start', 'milestone'),
--   needed_by (the dependent's start), predecessor_date, predecessor_date_source,
--   predecessor_done, predecessor_in_view, slack_days (needed_by − predecessor_date;
--   negative = waits), state ('At risk', 'On track', 'Met', 'Unknown', 'Closed'), at_risk.
-- The rules live in the dependency_links_at macro of queries/macros/roadmap.sql.
select *
from dependency_links_at($as_of, $portfolio, $business_unit, $status, $sponsor)
order by at_risk desc, slack_days nulls last, project_id, depends_on
