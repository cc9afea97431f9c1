-- Earned value of in-flight projects (Active, On Hold) at the as-of date: project_evm's rows
-- for the projects whose delivery is measured.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: as project_evm.
select *
from evm_at($as_of, $portfolio, $business_unit, $status, $sponsor)
where is_in_flight(status)
order by project_id
