import streamlit as st

import ui
import ui.roadmap
from pmo import app_data, roadmap

ui.header(
    "Roadmap",
    "The projects in view on one timeline, what waits on what, and the risks that threaten "
    "the plan, at the as-of date.",
)

loaded = app_data.query("loaded_tables").iloc[0]
road = app_data.filtered("roadmap")
if road.empty:
    ui.empty_state(["Projects", "Milestones", "Dependencies", "Risks"], "the roadmap")
    st.stop()

links = app_data.filtered("dependency_links")
waiting = app_data.filtered("dependencies_at_risk")
register = app_data.filtered("risk_register")
ui.roadmap.headline(road, app_data.filtered("roadmap_kpis").iloc[0])

group_by, limit = ui.roadmap.gantt_controls()
data = roadmap.gantt_data(road, app_data.filtered("milestone_slip"), links, group_by, limit)
ui.roadmap.gantt_chart(data, app_data.as_of_in_force(), group_by)

st.subheader(f"Dependencies at risk: {len(waiting)}")
if not loaded["dependencies"]:
    ui.empty_state(["Dependencies"], "dependencies between projects", missing=True)
elif waiting.empty:
    st.caption("No dependency is at risk: every predecessor is forecast to be ready in time.")
else:
    ui.roadmap.dependencies_table(waiting)

st.subheader("Risks")
if not loaded["risks"]:
    ui.empty_state(["Risks"], "the risk view", missing=True)
    st.stop()
if register.empty:
    ui.empty_state(["Risks"], "the risk view")
    st.stop()
st.caption(ui.plain(roadmap.risks_takeaway(register)))
ui.roadmap.risk_charts(app_data.filtered("risk_heatmap"), app_data.filtered("risk_exposure_trend"))
ui.roadmap.top_risks(register)
ui.roadmap.overdue_risks(register)
ui.roadmap.portfolio_risks(
    register, any(v for k, v in app_data.current_filters().items() if k != "as_of")
)
