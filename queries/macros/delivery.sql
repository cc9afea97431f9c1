-- Delivered projects (docs/kpis.md on-time delivery): Completed projects passing the filters with
-- both end_date and actual_end_date, finished on or before the as-of date.
--   on_time = actual_end_date ≤ end_date; days_variance = actual − planned end (negative =
--   early); days_late = the same, 0 when early or on time.
create or replace temp macro delivery_at(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
select
    project_id,
    name,
    portfolio,
    business_unit,
    sponsor,
    manager,
    budget,
    start_date,
    end_date,
    actual_end_date,
    actual_end_date <= end_date as on_time,
    datediff('day', end_date, actual_end_date) as days_variance,
    greatest(datediff('day', end_date, actual_end_date), 0) as days_late
from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor)
where
    status = 'Completed'
    and end_date is not null
    and actual_end_date is not null
    and actual_end_date <= resolve_as_of(f_as_of);
