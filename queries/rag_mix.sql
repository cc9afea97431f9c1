-- RAG mix of in-flight projects (Active, On Hold) at the as-of date, from their latest report.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: rag (Green, Amber, Red, No report), projects, budget.
with
in_flight as (
    select
        coalesce(rag, 'No report') as rag,
        budget
    from evm_at($as_of, $portfolio, $business_unit, $status, $sponsor)
    where is_in_flight(status)
),

levels as (
    select *
    from (values ('Green', 1), ('Amber', 2), ('Red', 3), ('No report', 4)) as v (rag, sort_order)
)

select
    l.rag,
    count(f.rag) as projects,
    coalesce(sum(f.budget), 0) as budget
from levels as l
left join in_flight as f on l.rag = f.rag
group by l.rag, l.sort_order
having l.rag <> 'No report' or count(f.rag) > 0
order by l.sort_order
