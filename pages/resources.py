import streamlit as st

import ui
from pmo import app_data, views
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
group, start, end = ui.resources.window(months, *views.default_window(months, cover["as_of_month"]))
window = dict(from_month=start, to_month=end)
period = f"{views.month_label(start)} – {views.month_label(end)}"

by_team = app_data.filtered("utilisation", group="team", **window)
over = app_data.filtered("overallocations", **window)
ui.resources.overallocation_tiles(over, period)

if group == "Person":
    by_person = app_data.filtered("utilisation", group="resource", **window)
    ui.resources.person_heatmap(by_person, views.distinct(by_team, "group_label"))
else:
    ui.chart(
        charts.utilisation_heatmap(by_team, "team"), "Utilisation by team", key="resources_heatmap"
    )

ui.resources.overallocations(over, period)

st.subheader("Capacity and demand")
ui.resources.capacity_demand(app_data.filtered("capacity_demand_by_role", **window))
ui.resources.planned_vs_actual(views.actuals_window(start, end, cover["as_of_month"]))
ui.resources.team_hours(by_team)
