-- Saved prioritisation scenarios, newest first (weights and selection are JSON text).
-- Params: none.
-- Columns: name, weights, budget_cap, selection, saved_at, saved_by.
select
    name,
    weights,
    budget_cap,
    selection,
    saved_at,
    saved_by
from pmo_scenarios
order by saved_at desc, name
