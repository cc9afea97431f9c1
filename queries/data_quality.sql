-- Data-quality findings for the Data page: gaps that make KPIs incomplete (docs/pages.md).
-- Projects with no manager, no budget, no alignment (open projects: not Completed or
-- Cancelled), no status report in the 60 days up to the as-of date (in-flight projects:
-- Active or On Hold); resources with no team.
-- Params: $as_of (date or null = the latest report date).
-- Columns: finding, table_name, id, name, detail.
with
as_of as (
    select resolve_as_of($as_of) as d
),

last_report as (
    select
        project_id,
        max(report_date) as report_date
    from status_reports
    where report_date <= (select d from as_of)
    group by project_id
),

findings as (
    select
        'Project has no manager' as finding,
        'projects' as table_name,
        project_id as id,
        name,
        status as detail,
        1 as rank
    from projects
    where coalesce(trim(manager), '') = '' and left_on is null

    union all

    select
        'Project has no budget' as finding,
        'projects' as table_name,
        project_id as id,
        name,
        status as detail,
        2 as rank
    from projects
    where budget is null and left_on is null

    union all

    select
        'No status report in the 60 days before the as-of date' as finding,
        'projects' as table_name,
        p.project_id as id,
        p.name,
        coalesce(
            'last report ' || strftime(r.report_date, '%Y-%m-%d'),
            'no report'
        ) as detail,
        3 as rank
    from projects as p
    left join last_report as r on p.project_id = r.project_id
    where
        is_in_flight(p.status)
        and p.left_on is null
        and (r.report_date is null or r.report_date < (select d from as_of) - interval 60 day)

    union all

    select
        'Project has no alignment to any objective' as finding,
        'projects' as table_name,
        p.project_id as id,
        p.name,
        p.status as detail,
        4 as rank
    from projects as p
    where
        p.status not in ('Completed', 'Cancelled')
        and p.left_on is null
        and not exists (select 1 from alignment as a where a.project_id = p.project_id)

    union all

    select
        'Resource has no team' as finding,
        'resources' as table_name,
        resource_id as id,
        name,
        role as detail,
        5 as rank
    from resources
    where coalesce(trim(team), '') = '' and left_on is null
)

select
    finding,
    table_name,
    id,
    name,
    detail
from findings
order by rank, id
