-- The imports the Review page can compare: those not undone that have a project snapshot,
-- newest first.
-- Params: none.
-- Columns: import_id, imported_at, imported_by, file_names (comma-separated), as_of,
--   projects (in the snapshot), latest_report_date (in the snapshot).
select
    i.import_id,
    i.imported_at,
    i.imported_by,
    (
        select string_agg(f ->> 'name', ', ')
        from unnest(cast(json(i.files) as json[])) as t (f)
    ) as file_names,
    i.as_of,
    s.projects,
    s.latest_report_date
from pmo_imports as i
inner join (
    select
        import_id,
        count(*) as projects,
        max(report_date) as latest_report_date
    from pmo_snapshots_projects
    group by import_id
) as s on i.import_id = s.import_id
where not coalesce(i.undone, false)
order by i.import_id desc
