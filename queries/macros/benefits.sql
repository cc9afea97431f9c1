-- Benefits of the projects passing the filters, each flagged due when dated on or before the
-- as-of date (an undated benefit counts as due). Benefits realisation (docs/kpis.md) is
-- Σ realized / Σ planned over ALL of them (realized_value blank counts as 0 realised); the
-- due flag gives the "realised of what is due by now" view and benefits_behind.
create or replace temp macro benefits_at(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
select
    b.project_id,
    p.name as project_name,
    p.status,
    p.portfolio,
    p.business_unit,
    p.sponsor,
    b.benefit,
    b.date,
    b.planned_value,
    b.realized_value,
    b.date is null or b.date <= resolve_as_of(f_as_of) as due
from benefits as b
inner join scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor) as p
    on b.project_id = p.project_id;
