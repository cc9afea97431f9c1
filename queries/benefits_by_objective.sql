-- Benefits planned vs realised by strategic objective (docs/kpis.md), plus an 'UNALIGNED' row.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: objective_id, objective_name, weight, planned, realized, realisation_rate,
--   due_planned, due_realized, due_rate, due_shortfall.
-- A project's benefits are attributed to the objectives it scores on in proportion to its
-- scores (value × score_po / Σ_o' score_po'), as investment_by_objective splits budgets;
-- benefits of projects with no score above 0 go to 'UNALIGNED' (objective_name 'Unaligned').
-- Every project passing the filters counts, whatever its status (completed projects deliver
-- most benefits). The columns mean what they mean in benefits_by_project, so each
-- column sums over the rows to the portfolio total. No rows when no objectives are loaded.
with
per_project as (
    select
        project_id,
        sum(planned_value) as planned,
        coalesce(sum(realized_value), 0) as realized,
        coalesce(sum(planned_value) filter (where due), 0) as due_planned,
        coalesce(sum(realized_value) filter (where due), 0) as due_realized
    from benefits_at($as_of, $portfolio, $business_unit, $status, $sponsor)
    group by all
),

shares as (
    select
        project_id,
        objective_id,
        score / sum(score) over (partition by project_id) as share
    from alignment
    where score > 0 and objective_id in (select objective_id from objectives)
),

attributed as (
    select
        coalesce(s.objective_id, 'UNALIGNED') as objective_id,
        b.planned * coalesce(s.share, 1) as planned,
        b.realized * coalesce(s.share, 1) as realized,
        b.due_planned * coalesce(s.share, 1) as due_planned,
        b.due_realized * coalesce(s.share, 1) as due_realized
    from per_project as b
    left join shares as s on b.project_id = s.project_id
),

targets as (
    select objective_id, name as objective_name, weight, 1 as sort_group from objectives
    union all
    select 'UNALIGNED', 'Unaligned', null, 2
)

select
    t.objective_id,
    t.objective_name,
    t.weight,
    coalesce(sum(a.planned), 0) as planned,
    coalesce(sum(a.realized), 0) as realized,
    sum(a.realized) / nullif(sum(a.planned), 0) as realisation_rate,
    coalesce(sum(a.due_planned), 0) as due_planned,
    coalesce(sum(a.due_realized), 0) as due_realized,
    sum(a.due_realized) / nullif(sum(a.due_planned), 0) as due_rate,
    coalesce(sum(a.due_planned), 0) - coalesce(sum(a.due_realized), 0) as due_shortfall
from targets as t
left join attributed as a on t.objective_id = a.objective_id
where exists (select 1 from objectives)
group by t.objective_id, t.objective_name, t.weight, t.sort_group
order by t.sort_group, t.weight desc, t.objective_id
