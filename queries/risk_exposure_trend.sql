-- Open risk exposure by month (docs/kpis.md: from raised and closed dates), up to 24 months
-- ending at the as-of month, from the month of the first risk raised.
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: month (its last day; the as-of date for the as-of month), open_risks,
--   open_exposure (Σ probability × impact of the risks open at that date), high_exposure,
--   medium_exposure, low_exposure (the same per band), open_high (open risks with exposure
--   ≥ 15), raised (risks raised in the month), closed (risks closed in the month).
-- A risk is open at a date when raised on or before it (a blank raised date: from the first
-- month) and not closed by it; a Closed risk without a closed_date is never counted open.
-- The risks are those of risk_register_at at the as-of date (same scope as the register).
with
register as (
    select *
    from risk_register_at($as_of, $portfolio, $business_unit, $status, $sponsor)
),

bounds as (
    select
        date_trunc('month', resolve_as_of($as_of))::date as last_month,
        greatest(
            date_trunc('month', coalesce(min(raised_date), resolve_as_of($as_of)))::date,
            (date_trunc('month', resolve_as_of($as_of)) - interval 23 month)::date
        ) as first_month
    from register
),

months as (
    select
        m::date as month_start,
        least((m + interval 1 month - interval 1 day)::date, resolve_as_of($as_of)) as month_end
    from bounds,
        unnest(generate_series(first_month::timestamp, last_month::timestamp, interval 1 month)) as t (m)
)

select
    ms.month_end as month,
    count(r.risk_id) filter (where r.open_then) as open_risks,
    coalesce(sum(r.exposure) filter (where r.open_then), 0)::bigint as open_exposure,
    coalesce(sum(r.exposure) filter (where r.open_then and r.band = 'High'), 0)::bigint as high_exposure,
    coalesce(sum(r.exposure) filter (where r.open_then and r.band = 'Medium'), 0)::bigint as medium_exposure,
    coalesce(sum(r.exposure) filter (where r.open_then and r.band = 'Low'), 0)::bigint as low_exposure,
    count(r.risk_id) filter (where r.open_then and r.band = 'High') as open_high,
    count(r.risk_id) filter (where r.raised_date between ms.month_start and ms.month_end) as raised,
    count(r.risk_id) filter (where r.closed_date between ms.month_start and ms.month_end) as closed
from months as ms
left join (
    select
        g.*,
        m2.month_end as at_date,
        (g.raised_date is null or g.raised_date <= m2.month_end)
        and not coalesce(g.closed_date <= m2.month_end, false)
        and not (g.closed_date is null and g.status = 'Closed') as open_then
    from register as g
    cross join months as m2
) as r on ms.month_end = r.at_date
group by ms.month_start, ms.month_end
order by ms.month_end
