-- Strategic alignment score per project passing the filters, best aligned first.
-- Params: $portfolio, $business_unit, $status, $sponsor (lists; empty = all).
-- Columns: project_id, name, status, portfolio, business_unit, sponsor, budget,
--   alignment_score (0–100), aligned, in_portfolio.
-- alignment_score = Σ_o weight_o × score_po / (5 × Σ_o weight_o) × 100 over ALL objectives
-- (docs/kpis.md; null only when no objectives are loaded); aligned is false when every score is
-- 0 or absent; in_portfolio = status Approved, Active or On Hold.
select
    project_id,
    name,
    status,
    portfolio,
    business_unit,
    sponsor,
    budget,
    alignment_score,
    aligned,
    in_portfolio
from alignment_scores($portfolio, $business_unit, $status, $sponsor)
order by alignment_score desc nulls last, project_id
