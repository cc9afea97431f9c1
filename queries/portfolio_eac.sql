-- Portfolio estimate at completion (issue 16; `kpis --json` portfolio_eac, portfolio_vac).
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: projects, portfolio_bac, portfolio_eac, portfolio_vac.
-- Over in-flight projects (Active, On Hold) with a budget, from earned_schedule_at:
--   portfolio_bac = Σ BAC; portfolio_eac = Σ EAC, each project's EAC = BAC / CPI where CPI is
--   defined, else its BAC (docs/kpis.md's cost-to-continue rule: no report, no evidence of
--   overrun); portfolio_vac = portfolio_bac − portfolio_eac. Null when no such project.
select
    count(*) as projects,
    sum(budget) as portfolio_bac,
    sum(coalesce(eac_cpi, budget)) as portfolio_eac,
    sum(budget) - sum(coalesce(eac_cpi, budget)) as portfolio_vac
from earned_schedule_at($as_of, $portfolio, $business_unit, $status, $sponsor)
where budget is not null
