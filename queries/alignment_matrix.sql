-- Objective × project alignment scores for the heatmap: one row per project passing the
-- filters × objective, score 0 where the project has no score for that objective.
-- Params: $portfolio, $business_unit, $status, $sponsor (lists; empty = all).
-- Columns: project_id, project_name, status, budget, objective_id, objective_name, weight,
--   score (0–5), in_portfolio, alignment_score (the project's 0–100 score, for sorting).
select
    p.project_id,
    p.name as project_name,
    p.status,
    p.budget,
    o.objective_id,
    o.name as objective_name,
    o.weight,
    coalesce(a.score, 0) as score,
    p.in_portfolio,
    p.alignment_score
from alignment_scores($portfolio, $business_unit, $status, $sponsor) as p
cross join objectives as o
left join alignment as a on p.project_id = a.project_id and o.objective_id = a.objective_id
order by p.alignment_score desc nulls last, p.project_id, o.weight desc, o.objective_id
