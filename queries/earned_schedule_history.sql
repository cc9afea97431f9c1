-- One project's earned schedule at each of its status reports with cost figures (issue 16):
-- SPI against SPI(t) over time, the chart that shows SPI drifting back to 1.0.
-- Params: $project_id (text; null = no rows), $as_of (date; null = latest report date; later
--   reports left out), $portfolio, $business_unit, $status, $sponsor (lists; empty = all: a
--   project outside the filters has no rows).
-- Columns: project_id, name, report_date, earned_value, planned_value, actual_cost, cpi, spi,
--   es_days, at_days, es_date, sv_t_days, spi_t, forecast_finish, es_note.
-- forecast_finish = IEAC(t) as it stood at that report: start_date + planned_days / SPI(t).
select
    project_id,
    name,
    report_date,
    earned_value,
    planned_value,
    actual_cost,
    cpi,
    spi,
    es_days,
    at_days,
    (start_date + round(es_days)::integer)::date as es_date,
    sv_t_days,
    spi_t,
    case when spi_t > 0 and planned_days / spi_t < 36525 then
        (start_date + round(planned_days / spi_t)::integer)::date
    end as forecast_finish,
    es_note
from es_series($as_of, $portfolio, $business_unit, $status, $sponsor)
where project_id = $project_id::varchar
order by report_date
