-- Strategic investment by objective vs its target share, over in-portfolio projects
-- (Approved, Active, On Hold) passing the filters; one row per objective plus an
-- 'UNALIGNED' row.
-- Params: $portfolio, $business_unit, $status, $sponsor (lists; empty = all).
-- Columns: objective_id, objective_name, weight, target_share, invested_budget, actual_share,
--   gap (actual_share − target_share), projects (in-portfolio projects scoring > 0).
-- A project's budget is split over the objectives it scores on in proportion to its scores
-- (budget × score_po / Σ_o' score_po'); actual_share = invested_budget / total in-portfolio
-- budget. The 'UNALIGNED' row (objective_name 'Unaligned', weight, target and gap null)
-- holds the budget of projects whose scores are all 0 or absent, so the shares sum to 1.
-- A share is null when the total budget is 0; projects with a blank budget add nothing.
-- No rows at all when no objectives are loaded.
select *
from investment_shares($portfolio, $business_unit, $status, $sponsor)
order by objective_id = 'UNALIGNED', weight desc, objective_id
