-- What the sidebar says about the data: the latest report date and the last import.
-- Params: none.
-- Columns: latest_report_date, projects (current: not marked as left by a complete list),
--   left_projects, last_import_id, last_import_at, last_import_by, imports.
select
    (select max(report_date) from status_reports) as latest_report_date,
    (select count(*) from projects where left_on is null) as projects,
    (select count(*) from projects where left_on is not null) as left_projects,
    i.import_id as last_import_id,
    i.imported_at as last_import_at,
    i.imported_by as last_import_by,
    (select count(*) from pmo_imports where not coalesce(undone, false)) as imports
from (select 1) as one
left join (
    select *
    from pmo_imports
    where not coalesce(undone, false)
    order by import_id desc
    limit 1
) as i on true
