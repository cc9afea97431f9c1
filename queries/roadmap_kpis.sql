-- The roadmap's headline figures at the as-of date, for `kpis --json` and the Overview:
-- Params: $as_of (date; null = latest report date), $portfolio, $business_unit, $status,
--   $sponsor (lists; empty = all).
-- Columns: open_high_risks (open risks of the register with exposure ≥ 15; null when no risk
--   is loaded), overdue_risks (open, past due; null likewise), dependencies_at_risk
--   (dependency_links_at rows at risk; null when no dependency is loaded).
select
    case when exists (select 1 from risks) then (
        select count(*)
        from risk_register_at($as_of, $portfolio, $business_unit, $status, $sponsor)
        where is_open and band = 'High'
    ) end as open_high_risks,
    case when exists (select 1 from risks) then (
        select count(*)
        from risk_register_at($as_of, $portfolio, $business_unit, $status, $sponsor)
        where overdue
    ) end as overdue_risks,
    case when exists (select 1 from dependencies) then (
        select count(*)
        from dependency_links_at($as_of, $portfolio, $business_unit, $status, $sponsor)
        where at_risk
    ) end as dependencies_at_risk
