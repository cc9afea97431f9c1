-- The roadmap: every project in view with its planned and forecast dates, RAG and grouping
-- (docs/pages.md page 9). Projects in view = those passing the filters, Cancelled ones only when
-- the status filter names Cancelled.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: project_id, name, portfolio, business_unit, objective (the objective it serves
--   most: highest score, then weight, then objective_id; null when unaligned), sponsor,
--   manager, status, budget, start_date, end_date, forecast_end_date (latest reported),
--   finish_date (actual end of a Completed project, else forecast, else planned end),
--   finish_source, slip_days (finish_date − end_date), rag (evm_at's RAG at the as-of date,
--   'No report' when none), budget_rank (1 = largest budget).
with
primary_objective as (
    select
        a.project_id,
        o.name as objective,
        row_number() over (
            partition by a.project_id order by a.score desc, o.weight desc, o.objective_id
        ) as pick
    from alignment as a
    inner join objectives as o on a.objective_id = o.objective_id
    where a.score > 0
),

rag as (
    select project_id, rag
    from evm_at($as_of, $portfolio, $business_unit, $status, $sponsor)
)

select
    p.project_id,
    p.name,
    p.portfolio,
    p.business_unit,
    po.objective,
    p.sponsor,
    p.manager,
    p.status,
    p.budget,
    p.start_date,
    p.end_date,
    s.forecast_end_date,
    s.finish_date,
    s.finish_source,
    datediff('day', p.end_date, s.finish_date) as slip_days,
    coalesce(r.rag, 'No report') as rag,
    row_number() over (order by p.budget desc nulls last, p.project_id) as budget_rank
from scoped_projects($portfolio, $business_unit, $status, $sponsor) as p
inner join project_schedule_at($as_of) as s on p.project_id = s.project_id
left join primary_objective as po on p.project_id = po.project_id and po.pick = 1
left join rag as r on p.project_id = r.project_id
where p.status <> 'Cancelled' or list_contains($status, 'Cancelled')
order by p.start_date nulls last, p.project_id
