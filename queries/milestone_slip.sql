-- Milestone slip: each milestone of the projects passing the filters with its slip in days
-- against the baseline (docs/kpis.md), latest-slipping first.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: project_id, project_name, project_status, portfolio, milestone, baseline_date,
--   forecast_date, actual_date, due_date (actual, else forecast, else baseline), slip_days,
--   status ('Done', 'Slipped', 'On track').
-- slip_days = coalesce(actual_date, forecast_date) − baseline_date (positive = late; null when
-- neither date is known). status at the as-of date: 'Done' when actual_date ≤ as-of; else
-- 'Slipped' when slip_days > 0 or due_date has passed (overdue); else 'On track'. A done
-- milestone keeps its slip_days, so "done late" reads as Done with slip_days > 0.
select
    m.project_id,
    p.name as project_name,
    p.status as project_status,
    p.portfolio,
    m.milestone,
    m.baseline_date,
    m.forecast_date,
    m.actual_date,
    coalesce(m.actual_date, m.forecast_date, m.baseline_date) as due_date,
    datediff('day', m.baseline_date, coalesce(m.actual_date, m.forecast_date)) as slip_days,
    case
        when m.actual_date <= resolve_as_of($as_of) then 'Done'
        when datediff('day', m.baseline_date, coalesce(m.actual_date, m.forecast_date)) > 0
            then 'Slipped'
        when coalesce(m.actual_date, m.forecast_date, m.baseline_date) < resolve_as_of($as_of)
            then 'Slipped'
        else 'On track'
    end as status
from milestones as m
inner join scoped_projects($portfolio, $business_unit, $status, $sponsor) as p
    on m.project_id = p.project_id
order by slip_days desc nulls last, m.project_id, m.baseline_date, m.milestone
