-- The 5×5 risk matrix at the as-of date: open risks of the register (risk_register_at) per
-- probability × impact cell. All 25 cells, empty ones with 0.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: probability (1–5), impact (1–5), exposure (probability × impact), band ('High'
--   ≥ 15, 'Medium' 8–14, 'Low' < 8), risks (open risks in the cell), project_risks,
--   portfolio_risks.
with
open_risks as (
    select probability, impact, scope
    from risk_register_at($as_of, $portfolio, $business_unit, $status, $sponsor)
    where is_open
),

cells as (
    select p.v as probability, i.v as impact
    from range(1, 6) as p (v)
    cross join range(1, 6) as i (v)
)

select
    c.probability::integer as probability,
    c.impact::integer as impact,
    (c.probability * c.impact)::integer as exposure,
    case
        when c.probability * c.impact >= 15 then 'High'
        when c.probability * c.impact >= 8 then 'Medium'
        else 'Low'
    end as band,
    count(o.scope) as risks,
    count(o.scope) filter (where o.scope = 'Project') as project_risks,
    count(o.scope) filter (where o.scope = 'Portfolio') as portfolio_risks
from cells as c
left join open_risks as o on c.probability = o.probability and c.impact = o.impact
group by c.probability, c.impact
order by c.probability desc, c.impact
