import streamlit as st

import ui
from pmo import app_data, format, views
from ui import charts  # pmo.charts, each spec kept per query, params and data version

ui.header(
    "Resources",
    "Who is over-allocated, when and on which projects; capacity against demand by role. "
    "Capacity = weekly hours × weekdays in the month ÷ 5.",
)

cover = app_data.filtered("resource_coverage").iloc[0]
if not cover["resources"] or not (cover["allocations"] or cover["timesheets"]):
    ui.empty_state(["Resources", "Allocations", "Timesheets"], "resource utilisation", missing=True)
    st.stop()

months = views.month_options(cover["first_month"], cover["last_month"])
start, end = views.default_window(months, cover["as_of_month"])
controls = st.columns([1, 3], vertical_alignment="bottom")
group = (
    controls[0].segmented_control(
        "Heatmap rows",
        ["Team", "Person"],
        default="Team",
        key="resources_group",
        help="One row per team, or per person",
    )
    or "Team"
)
if len(months) > 1:
    start, end = controls[1].select_slider(
        "Months",
        options=months,
        value=(start, end),
        format_func=views.month_label,
        key="resources_months",
    )
window = dict(from_month=start, to_month=end)
period = f"{views.month_label(start)} – {views.month_label(end)}"

by_team = app_data.filtered("utilisation", group="team", **window)
over = app_data.filtered("overallocations", **window)

with st.container(horizontal=True):
    st.metric(
        "Over-allocated person-months",
        format.count(len(over)),
        border=True,
        help=f"A person in a month with more hours allocated than capacity, {period}",
    )
    st.metric(
        "People over-allocated",
        format.count(views.distinct_count(over, "resource_id")),
        border=True,
        help="People over-allocated in at least one month of the window",
    )
    st.metric(
        "Hours over capacity",
        format.count(over["excess_hours"].sum()),
        border=True,
        help="Σ (allocated − capacity) over the over-allocated person-months",
    )

if group == "Person":
    by_person = app_data.filtered("utilisation", group="resource", **window)
    team = st.selectbox(
        "Team",
        [None, *views.distinct(by_team, "group_label")],
        key="resources_team",
        format_func=lambda t: "All teams" if t is None else t,
    )
    rows, shown, total = views.heatmap_rows(by_person, team)
    if shown < total:
        st.caption(
            f"Showing the {shown} people with the highest peak utilisation of {total}"
            + ("; pick a team to see its people." if team is None else " in this team.")
        )
    ui.chart(
        charts.utilisation_heatmap(rows, "resource"),
        "Utilisation by person",
        key="resources_heatmap",
    )
else:
    ui.chart(
        charts.utilisation_heatmap(by_team, "team"), "Utilisation by team", key="resources_heatmap"
    )

st.subheader("Over-allocations")
if over.empty:
    st.caption(f"No one is allocated beyond capacity in {period}.")
else:
    ui.table(
        views.as_percent(over, ["utilisation"]),
        "Over-allocations",
        key="resources_over",
        column_order=[
            "name",
            "team",
            "role",
            "month",
            "utilisation",
            "allocated_hours",
            "capacity_hours",
            "excess_hours",
            "projects",
        ],
        column_config={
            "name": "Person",
            "team": "Team",
            "role": "Role",
            "month": ui.month_column("Month"),
            "utilisation": ui.percent_column("Utilisation"),
            "allocated_hours": st.column_config.NumberColumn("Allocated h", format="%,.0f"),
            "capacity_hours": st.column_config.NumberColumn("Capacity h", format="%,.0f"),
            "excess_hours": st.column_config.NumberColumn("Over by (h)", format="%,.0f"),
            "projects": st.column_config.TextColumn("On projects (allocated hours)", width="large"),
        },
    )

st.subheader("Capacity and demand")
by_role = app_data.filtered("capacity_demand_by_role", **window)
role = st.columns([1, 2])[0].selectbox(
    "Role",
    [None, *views.distinct(by_role, "role")],
    key="resources_role",
    format_func=lambda r: "All roles" if r is None else r,
)
ui.chart(charts.capacity_demand(by_role, role), "Capacity vs demand", key="resources_capacity")

actuals = views.actuals_window(start, end, cover["as_of_month"])
if actuals is None:
    st.caption(
        "Planned vs actual: the window starts after the as-of date, so there are no timesheets yet."
    )
else:
    a_from, a_to = actuals
    team_actuals = app_data.filtered("utilisation", group="team", from_month=a_from, to_month=a_to)
    ui.chart(
        charts.planned_vs_actual(
            team_actuals,
            f"Hours allocated vs booked on timesheets, {views.month_label(a_from)} – "
            f"{views.month_label(a_to)} (months up to the as-of date)",
        ),
        "Planned vs actual by team",
        key="resources_actual",
    )

with st.expander("Team hours by month"):
    ui.table(
        views.as_percent(by_team, ["utilisation", "actual_utilisation"]),
        "Team hours by month",
        key="resources_team_hours",
        column_order=[
            "group_label",
            "month",
            "capacity_hours",
            "allocated_hours",
            "actual_hours",
            "utilisation",
            "actual_utilisation",
        ],
        column_config={
            "group_label": "Team",
            "month": ui.month_column("Month"),
            "capacity_hours": st.column_config.NumberColumn("Capacity h", format="%,.0f"),
            "allocated_hours": st.column_config.NumberColumn("Allocated h", format="%,.0f"),
            "actual_hours": st.column_config.NumberColumn("Actual h", format="%,.0f"),
            "utilisation": ui.percent_column("Planned utilisation"),
            "actual_utilisation": ui.percent_column("Actual utilisation"),
        },
    )
