-- The status lists, named once in pmo/schema.py (IN_FLIGHT, IN_PORTFOLIO): pmo.store puts
-- them in place of the names in braces below, quoted and each checked against
-- schema.STATUSES. Queries say is_in_flight(status), never the statuses themselves.
--   is_in_flight(s): the project is being delivered;
--   is_in_portfolio(s): the project holds budget in the portfolio (in flight or approved).
-- Null status: null (not in flight, not in the portfolio).
create or replace temp macro is_in_flight(s) as s in ({in_flight});

create or replace temp macro is_in_portfolio(s) as s in ({in_portfolio});
