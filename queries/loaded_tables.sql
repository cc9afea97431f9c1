-- Rows stored per template table, so a page can tell "not loaded" from "filtered out".
-- Params: none.
-- Columns: objectives, projects, alignment, resources, allocations, timesheets,
--   status_reports, benefits, milestones, dependencies, risks (row counts).
select
    (select count(*) from objectives) as objectives,
    (select count(*) from projects) as projects,
    (select count(*) from alignment) as alignment,
    (select count(*) from resources) as resources,
    (select count(*) from allocations) as allocations,
    (select count(*) from timesheets) as timesheets,
    (select count(*) from status_reports) as status_reports,
    (select count(*) from benefits) as benefits,
    (select count(*) from milestones) as milestones,
    (select count(*) from dependencies) as dependencies,
    (select count(*) from risks) as risks
