-- Strategic alignment per project passing the filters (docs/kpis.md). One row per project:
--   alignment_score = Σ_o weight_o × score_po / (5 × Σ_o weight_o) × 100, the denominator over
--   ALL objectives (an absent score counts 0); null only when there are no objectives;
--   aligned = some score > 0; in_portfolio = status Approved, Active or On Hold.
create or replace temp macro alignment_scores(f_portfolio, f_business_unit, f_status, f_sponsor) as table
with
total_weight as (
    select sum(weight) as w from objectives
),

contributions as (
    select
        a.project_id,
        sum(o.weight * a.score) as weighted,
        max(a.score) as best
    from alignment as a
    inner join objectives as o on a.objective_id = o.objective_id
    group by a.project_id
)

select
    p.project_id,
    p.name,
    p.portfolio,
    p.business_unit,
    p.sponsor,
    p.manager,
    p.status,
    p.budget,
    p.expected_benefit,
    p.risk_score,
    coalesce(c.weighted, 0) / nullif(5 * (select w from total_weight), 0) * 100 as alignment_score,
    coalesce(c.best, 0) > 0 as aligned,
    is_in_portfolio(p.status) as in_portfolio
from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor) as p
left join contributions as c on p.project_id = c.project_id;
