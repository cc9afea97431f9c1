-- Executive summary, budget (issue 21): the open risk with the largest cost impact among the
-- projects in view and the portfolio-wide risks (project_id blank), and the open cost impact
-- in all. Needs the risks table (docs/data-model.md); pmo/summary.py skips it while there is none.
-- Params: $portfolio, $business_unit, $status, $sponsor (lists of project filters; empty = all).
-- Columns: risk_id, title, project_id, project_name (null for a portfolio risk), probability,
--   impact, exposure (probability × impact, 1–25), cost_impact, owner, open_risks_with_cost
--   (open risks in view with a cost impact > 0), total_cost_impact (their Σ cost_impact).
-- Open = status other than Closed (Open, Mitigating; blank counts as Open). Ties: the higher
-- exposure, then risk_id.
with
open_risks as (
    select
        r.risk_id,
        r.title,
        r.project_id,
        p.name as project_name,
        r.probability,
        r.impact,
        r.probability * r.impact as exposure,
        r.cost_impact,
        r.owner
    from risks as r
    left join projects as p on r.project_id = p.project_id
    where
        coalesce(r.status, 'Open') <> 'Closed'
        and r.cost_impact > 0
        and (
            r.project_id is null
            or r.project_id in (
                select project_id from scoped_projects($portfolio, $business_unit, $status, $sponsor)
            )
        )
)

select
    *,
    count(*) over () as open_risks_with_cost,
    sum(cost_impact) over () as total_cost_impact
from open_risks
order by cost_impact desc, exposure desc nulls last, risk_id
limit 1
