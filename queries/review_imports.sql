-- What changed between two imports: each import's snapshot of the projects (pmo/review.py)
-- compared project by project. One row per change; a project can have several.
-- Params: $from_import, $to_import (import ids; the earlier and the later state),
--   $portfolio, $business_unit, $status, $sponsor (lists; empty = all; matched on the later
--   state, or the earlier one for a project the later import no longer has).
-- Columns: project_id, name, change_kind, before, after, delta_days, delta_amount.
--   change_kind: 'new' (not in the earlier snapshot), 'closed' (became Completed or Cancelled,
--   left the portfolio (left_on: absent from a complete list of projects), or no longer
--   stored), 'status' (any other status change), 'rag_better', 'rag_worse' (the latest
--   report's rating on the five-point scale where both snapshots have one, before/after the
--   points' names; else its RAG, Red < Amber < Green: rag_move and ratings_compared of
--   macros/ratings.sql), 'end_date_slip' (planned end moved), 'forecast_slip' (forecast
--   finish moved), 'budget' (budget changed). before/after are the values as text (dates ISO, budgets in whole currency units); delta_days = days later
--   (negative = pulled in), as in review_changes; delta_amount = after - before (budget).
with
before_state as (
    select *
    from pmo_snapshots_projects
    where import_id = $from_import
),

after_state as (
    select *
    from pmo_snapshots_projects
    where import_id = $to_import
),

pairs as (
    select
        coalesce(a.project_id, b.project_id) as project_id,
        coalesce(a.name, b.name) as name,
        -- A project marked as left is out of the portfolio from that import on.
        b.project_id is not null and b.left_on is null as in_before,
        a.project_id is not null and a.left_on is null as in_after,
        a.left_on is not null as left_after,
        b.status as status_before,
        a.status as status_after,
        b.rag as rag_before,
        a.rag as rag_after,
        b.rating as rating_before,
        a.rating as rating_after,
        rag_move(b.rating, b.rag, a.rating, a.rag) as rag_move,
        b.end_date as end_before,
        a.end_date as end_after,
        b.forecast_end_date as forecast_before,
        a.forecast_end_date as forecast_after,
        b.budget as budget_before,
        a.budget as budget_after,
        coalesce(a.portfolio, b.portfolio) as portfolio,
        coalesce(a.business_unit, b.business_unit) as business_unit,
        coalesce(a.status, b.status) as status,
        coalesce(a.sponsor, b.sponsor) as sponsor
    from after_state as a
    full outer join before_state as b on a.project_id = b.project_id
),

scoped as (
    select *
    from pairs
    where
        (coalesce(len($portfolio), 0) = 0 or list_contains($portfolio, portfolio))
        and (coalesce(len($business_unit), 0) = 0 or list_contains($business_unit, business_unit))
        and (coalesce(len($status), 0) = 0 or list_contains($status, status))
        and (coalesce(len($sponsor), 0) = 0 or list_contains($sponsor, sponsor))
),

ranked as (
    select
        *,
        coalesce(status_before in ('Completed', 'Cancelled'), false) as closed_before,
        coalesce(status_after in ('Completed', 'Cancelled'), false) as closed_after
    from scoped
),

changes as (
    select
        project_id,
        name,
        'new' as change_kind,
        null::varchar as before,
        status_after as after,
        null::integer as delta_days,
        null::double as delta_amount
    from ranked
    where in_after and not in_before

    union all

    select
        project_id,
        name,
        'closed',
        status_before,
        case
            when left_after then 'Left the portfolio'
            else coalesce(status_after, 'No longer stored')
        end,
        null,
        null
    from ranked
    where in_before and not closed_before and (closed_after or not in_after)

    union all

    select
        project_id,
        name,
        'status',
        status_before,
        status_after,
        null,
        null
    from ranked
    where
        in_before
        and in_after
        and status_before is distinct from status_after
        and not (closed_after and not closed_before)

    union all

    select
        project_id,
        name,
        'rag_' || rag_move,
        case
            when ratings_compared(rating_before, rating_after) then rating_point(rating_before)
            else rag_before
        end,
        case
            when ratings_compared(rating_before, rating_after) then rating_point(rating_after)
            else rag_after
        end,
        null,
        null
    from ranked
    where in_before and in_after and rag_move is not null

    union all

    select
        project_id,
        name,
        'end_date_slip',
        strftime(end_before, '%Y-%m-%d'),
        strftime(end_after, '%Y-%m-%d'),
        datediff('day', end_before, end_after),
        null
    from ranked
    where in_before and in_after and end_after <> end_before

    union all

    select
        project_id,
        name,
        'forecast_slip',
        strftime(forecast_before, '%Y-%m-%d'),
        strftime(forecast_after, '%Y-%m-%d'),
        datediff('day', forecast_before, forecast_after),
        null
    from ranked
    where in_before and in_after and forecast_after <> forecast_before

    union all

    select
        project_id,
        name,
        'budget',
        printf('%.0f', budget_before),
        printf('%.0f', budget_after),
        null,
        budget_after - budget_before
    from ranked
    where in_before and in_after and budget_before is distinct from budget_after
)

select
    project_id,
    name,
    change_kind,
    before,
    after,
    delta_days,
    delta_amount
from changes
order by
    list_position(
        ['new', 'closed', 'status', 'rag_better', 'rag_worse', 'end_date_slip', 'forecast_slip',
            'budget'],
        change_kind
    ),
    project_id
