-- The risk register at the as-of date: risks of the projects in view, and portfolio risks
-- (no project) when no filter is set; open risks first, highest exposure first.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: risk_id, title, project_id, project_name, portfolio, business_unit, scope
--   ('Project', 'Portfolio'), category, probability, impact, exposure (probability × impact,
--   1–25), band ('High' ≥ 15, 'Medium' 8–14, 'Low' < 8), owner, status, is_open, overdue
--   (open, due before the as-of date), days_overdue, raised_date, due_date, closed_date,
--   mitigation, cost_impact.
-- The rules live in the risk_register_at macro of queries/macros/roadmap.sql.
select *
from risk_register_at($as_of, $portfolio, $business_unit, $status, $sponsor)
order by is_open desc, exposure desc, due_date nulls last, risk_id
