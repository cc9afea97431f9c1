-- Saved prioritisation scenarios, newest first (weights and selection are JSON text).
-- Params: none.
-- Columns: name, weights, budget_cap, selection, saved_at, saved_by, view (the filters it was
--   made under, in words; null for scenarios saved before views were kept), constraints
--   (JSON: cap, fy_caps, mandatory, dependencies, capacity, pin_in, pin_out; null for
--   scenarios saved before constraints were kept: a budget cap only), filters (JSON: the
--   sidebar filters and as-of date it was made under).
select
    name,
    weights,
    budget_cap,
    selection,
    saved_at,
    saved_by,
    view,
    constraints,
    filters
from pmo_scenarios
order by saved_at desc, name
