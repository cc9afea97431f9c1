-- Saved prioritisation scenarios, newest first (weights and selection are JSON text).
-- Params: none.
-- Columns: name, weights, budget_cap, selection, saved_at, saved_by, view (the filters it was
--   made under, in words; null for scenarios saved before views were kept).
select
    name,
    weights,
    budget_cap,
    selection,
    saved_at,
    saved_by,
    view
from pmo_scenarios
order by saved_at desc, name
