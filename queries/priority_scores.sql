-- Priority score (0–100) of each candidate project (status other than Completed and
-- Cancelled) passing the filters, ranked best first (docs/kpis.md).
-- Params: $w_alignment, $w_value, $w_risk (criterion weights ≥ 0; null = 0.5, 0.3, 0.2),
--   $portfolio, $business_unit, $status, $sponsor (lists; empty = all).
-- Columns: project_id, name, status, portfolio, business_unit, sponsor, budget,
--   expected_benefit, risk_score, alignment_score, value_ratio, norm_alignment, norm_value,
--   norm_risk, contrib_alignment, contrib_value, contrib_risk, priority_score, in_portfolio,
--   rank.
-- Criteria: alignment_score (0–100); value_ratio = expected_benefit / budget; risk = 6 −
-- risk_score (lower risk scores higher). Each is min–max normalised over the candidates in
-- scope: norm = (x − min) / (max − min). When min = max (e.g. one candidate) every candidate
-- with a value gets norm 1. A missing value (no benefit, no or zero budget, no risk score, no
-- objectives) gets norm 0, the worst, so missing data never lifts a project.
-- contrib_c = weight_c × norm_c / Σ weights × 100; priority_score = Σ contrib (null when every
-- weight is 0). A negative weight counts as 0. rank: 1 = highest score; ties share a rank.
-- in_portfolio = status Approved, Active or On Hold.
with
weights as (
    select
        greatest(coalesce($w_alignment::double, 0.5), 0) as w_alignment,
        greatest(coalesce($w_value::double, 0.3), 0) as w_value,
        greatest(coalesce($w_risk::double, 0.2), 0) as w_risk
),

candidates as (
    select
        *,
        expected_benefit / nullif(budget, 0) as value_ratio,
        6 - risk_score as risk_criterion
    from alignment_scores($portfolio, $business_unit, $status, $sponsor)
    where status not in ('Completed', 'Cancelled')
),

normalised as (
    select
        *,
        coalesce(case
            when max(alignment_score) over () = min(alignment_score) over () then 1
            else (alignment_score - min(alignment_score) over ())
                / (max(alignment_score) over () - min(alignment_score) over ())
        end * (alignment_score is not null)::int, 0) as norm_alignment,
        coalesce(case
            when max(value_ratio) over () = min(value_ratio) over () then 1
            else (value_ratio - min(value_ratio) over ())
                / (max(value_ratio) over () - min(value_ratio) over ())
        end * (value_ratio is not null)::int, 0) as norm_value,
        coalesce(case
            when max(risk_criterion) over () = min(risk_criterion) over () then 1
            else (risk_criterion - min(risk_criterion) over ())
                / (max(risk_criterion) over () - min(risk_criterion) over ())
        end * (risk_criterion is not null)::int, 0) as norm_risk
    from candidates
),

contributions as (
    select
        n.*,
        w.w_alignment * n.norm_alignment
        / nullif(w.w_alignment + w.w_value + w.w_risk, 0) * 100 as contrib_alignment,
        w.w_value * n.norm_value
        / nullif(w.w_alignment + w.w_value + w.w_risk, 0) * 100 as contrib_value,
        w.w_risk * n.norm_risk
        / nullif(w.w_alignment + w.w_value + w.w_risk, 0) * 100 as contrib_risk
    from normalised as n
    cross join weights as w
)

select
    project_id,
    name,
    status,
    portfolio,
    business_unit,
    sponsor,
    budget,
    expected_benefit,
    risk_score,
    alignment_score,
    value_ratio,
    norm_alignment,
    norm_value,
    norm_risk,
    contrib_alignment,
    contrib_value,
    contrib_risk,
    contrib_alignment + contrib_value + contrib_risk as priority_score,
    in_portfolio,
    rank() over (order by contrib_alignment + contrib_value + contrib_risk desc nulls last) as rank
from contributions
order by rank, project_id
