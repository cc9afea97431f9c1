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
with
in_portfolio as (
    select * from alignment_scores($portfolio, $business_unit, $status, $sponsor)
    where in_portfolio
),

total as (
    select sum(budget) as budget from in_portfolio
),

split as (
    select
        a.objective_id,
        p.project_id,
        p.budget * a.score / sum(a.score) over (partition by p.project_id) as invested
    from in_portfolio as p
    inner join alignment as a on p.project_id = a.project_id
    inner join objectives as o on a.objective_id = o.objective_id
    where a.score > 0
),

by_objective as (
    select
        o.objective_id,
        o.name as objective_name,
        o.weight,
        o.target_share,
        coalesce(sum(s.invested), 0) as invested_budget,
        count(s.project_id) as projects,
        1 as sort_group
    from objectives as o
    left join split as s on o.objective_id = s.objective_id
    group by all
),

unaligned as (
    select
        'UNALIGNED' as objective_id,
        'Unaligned' as objective_name,
        null::double as weight,
        null::double as target_share,
        coalesce(sum(budget), 0) as invested_budget,
        count(*) as projects,
        2 as sort_group
    from in_portfolio
    where not aligned
)

select
    objective_id,
    objective_name,
    weight,
    target_share,
    invested_budget,
    invested_budget / nullif((select budget from total), 0) as actual_share,
    invested_budget / nullif((select budget from total), 0) - target_share as gap,
    projects
from (select * from by_objective union all select * from unaligned)
-- Without objectives there is nothing to be aligned to: no rows, rather than "100 % unaligned".
where exists (select 1 from objectives)
order by sort_group, weight desc, objective_id
