-- Issue 15: the portfolio selection's building blocks (pmo/selection.py, queries
-- cost_to_continue, cost_plan_by_year): yes/no cells, fiscal years, cost to continue.

-- Issue 15. A yes/no cell as stored (projects.mandatory is kept as the word given): true for
-- yes, y, true, 1, x, mandatory, must do, required; false otherwise (blank, no, n, false, 0).
create or replace temp macro is_yes(x) as
    coalesce(lower(trim(x::varchar)) in (
        'yes', 'y', 'true', 't', '1', '1.0', 'x', 'mandatory', 'must do', 'must-do', 'required'
    ), false);

-- Issue 15. The fiscal year of a date, named by the calendar year it ends in (docs/data-model.md: the
-- fiscal-year start month is a setting, default January): with an April start, Apr 2026–Mar
-- 2027 is FY2027; with January, the calendar year.
create or replace temp macro fiscal_year(d, f_start_month) as
    year(d) + case
        when coalesce(f_start_month, 1) > 1 and month(d) >= coalesce(f_start_month, 1) then 1
        else 0
    end;

-- Issue 15. Cost to continue (remaining cost) of each candidate project (status other than
-- Completed and Cancelled) passing the filters, at the as-of date (docs/kpis.md):
--   a project with a status report on or before the as-of date: max(EAC − AC, 0), EAC =
--   BAC / CPI when CPI is defined (and not 0), else BAC; a project without one: BAC. Money
--   already spent (AC) is sunk: stopping a project frees its cost to continue, never its AC.
--   Null when the project has no budget. spent = AC of the latest report (0 without one).
create or replace temp macro continue_costs(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as table
select
    e.project_id,
    e.name,
    e.status,
    e.portfolio,
    e.budget,
    e.report_date,
    coalesce(e.actual_cost, 0) as spent,
    e.cpi,
    case when e.report_date is not null then coalesce(e.eac, e.budget) end as eac,
    -- to the cent: EAC − AC of a finished-on-budget project is 0, not 1e-10
    round(case
        when e.report_date is null then e.budget
        else greatest(coalesce(e.eac, e.budget) - coalesce(e.actual_cost, 0), 0)
    end, 2) as cost_to_continue,
    is_in_portfolio(e.status) as in_portfolio,
    is_yes(p.mandatory) as mandatory
from evm_at(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor) as e
inner join projects as p on e.project_id = p.project_id
where e.status not in ('Completed', 'Cancelled');
