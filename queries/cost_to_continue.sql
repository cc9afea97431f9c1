-- Cost to continue (remaining cost) of each candidate project passing the filters, beside its
-- budget and the money already spent (docs/kpis.md, issue 15): the rule lives in the
-- continue_costs macro of _macros.sql.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: project_id, name, status, portfolio, budget, report_date (latest report on or
--   before the as-of date; null = none), spent (its actual cost; 0 without a report), cpi,
--   eac (null without a report), cost_to_continue (null without a budget), in_portfolio,
--   mandatory (true/false).
select *
from continue_costs($as_of, $portfolio, $business_unit, $status, $sponsor)
order by project_id
