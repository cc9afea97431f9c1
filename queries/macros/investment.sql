-- Strategic investment share per objective (docs/kpis.md), the one definition behind
-- investment_by_objective (which documents the columns) and strategy_scorecard:
-- in-portfolio projects passing the filters, a project's budget split over the objectives
-- it scores on in proportion to its scores, plus an 'UNALIGNED' row. No rows without objectives.
create or replace temp macro investment_shares(f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
in_portfolio as (
    select * from alignment_scores(f_portfolio, f_business_unit, f_status, f_sponsor)
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
order by sort_group, weight desc, objective_id;
