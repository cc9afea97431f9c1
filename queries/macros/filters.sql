-- Projects passing the sidebar filters. Each argument is a list of values;
-- an empty or null list means "all". A project that has left the portfolio (absent from a
-- complete list of projects: left_on set) is no longer one of them.
create or replace temp macro scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor) as table
select p.*
from projects as p
where
    p.left_on is null
    and (coalesce(len(f_portfolio), 0) = 0 or list_contains(f_portfolio, p.portfolio))
    and (coalesce(len(f_business_unit), 0) = 0 or list_contains(f_business_unit, p.business_unit))
    and (coalesce(len(f_status), 0) = 0 or list_contains(f_status, p.status))
    and (coalesce(len(f_sponsor), 0) = 0 or list_contains(f_sponsor, p.sponsor));

-- True when any sidebar filter is set (some queries list every resource only when none is).
create or replace temp macro filters_active(f_portfolio, f_business_unit, f_status, f_sponsor) as
    coalesce(len(f_portfolio), 0) + coalesce(len(f_business_unit), 0)
    + coalesce(len(f_status), 0) + coalesce(len(f_sponsor), 0) > 0;
