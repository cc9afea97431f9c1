-- Dependencies between projects for the selection (issue 15): a project may be selected only
-- with the project it depends on, unless that dependency is already met.
-- Params: $as_of (date; null = latest report date).
-- Columns: project_id (the dependent), depends_on, depends_on_name, depends_on_status,
--   milestone, type (blank = finish-to-start), met (true when the predecessor is Completed,
--   or the named milestone has an actual date on or before the as-of date).
select
    d.project_id,
    d.depends_on,
    p.name as depends_on_name,
    p.status as depends_on_status,
    d.milestone,
    coalesce(d.type, 'finish-to-start') as type,
    coalesce(
        p.status = 'Completed'
        or (d.milestone is not null and m.actual_date <= resolve_as_of($as_of)),
        false
    ) as met
from dependencies as d
inner join projects as p on d.depends_on = p.project_id
left join milestones as m on d.depends_on = m.project_id and d.milestone = m.milestone
order by d.project_id, d.depends_on
