-- Distinct values offered by each sidebar filter, sorted.
-- Params: none.
-- Columns: field (portfolio, business_unit, status, sponsor), value.
select distinct
    'portfolio' as field,
    portfolio as value
from projects where portfolio is not null
union all
select distinct
    'business_unit' as field,
    business_unit as value
from projects where business_unit is not null
union all
select distinct
    'status' as field,
    status as value
from projects where status is not null
union all
select distinct
    'sponsor' as field,
    sponsor as value
from projects where sponsor is not null
order by field, value
