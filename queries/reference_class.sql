-- The reference class of the probabilistic forecast (issue 16, docs/kpis.md): completed projects
-- with a final cost and dates, how far they overran. Not narrowed by the sidebar filters: the
-- class is the organisation's whole record.
-- Params: $as_of (date; null = latest report date): projects finished on or before it.
-- Columns: project_id, name, budget, final_cost, start_date, end_date, actual_end_date,
--   cost_ratio, duration_ratio.
--   final_cost = actual cost of its latest status report with one (on or before the as-of
--   date); cost_ratio = final_cost / budget; duration_ratio = (actual_end_date − start_date) /
--   (end_date − start_date). Only projects where both ratios exist (budget > 0, planned end
--   after the start, finished after the start).
with
final as (
    select project_id, actual_cost as final_cost
    from status_reports
    where actual_cost is not null and report_date <= resolve_as_of($as_of)
    qualify row_number() over (partition by project_id order by report_date desc) = 1
)

select
    p.project_id,
    p.name,
    p.budget,
    f.final_cost,
    p.start_date,
    p.end_date,
    p.actual_end_date,
    f.final_cost / p.budget as cost_ratio,
    datediff('day', p.start_date, p.actual_end_date)
    / datediff('day', p.start_date, p.end_date) as duration_ratio
from projects as p
inner join final as f on p.project_id = f.project_id
where
    p.status = 'Completed'
    and p.budget > 0
    and p.actual_end_date <= resolve_as_of($as_of)
    and datediff('day', p.start_date, p.end_date) > 0
    and datediff('day', p.start_date, p.actual_end_date) > 0
order by p.project_id
