import streamlit as st

import ui
import ui.performance
from pmo import app_data, views

ui.header(
    "Performance & trends",
    "Earned value of in-flight projects month by month, RAG over time, milestone slip, and one "
    "project in detail.",
)

loaded = app_data.query("loaded_tables").iloc[0]
trend = app_data.filtered("portfolio_trend")
if trend.empty:
    ui.empty_state(
        ["Projects", "Status Reports"], "performance trends", missing=not loaded["status_reports"]
    )
    st.stop()

ui.performance.headline(trend.iloc[-1])
ui.performance.trend_section(trend, app_data.filtered("cost_coverage").iloc[0])

st.subheader("Forecast to completion")
result = app_data.forecast()
if not result.portfolio.get("forecast_projects"):
    st.caption("No forecast: no in-flight project with a budget and a status report history.")
else:
    ui.performance.forecast_panel(result)

st.subheader("Milestone slip")
milestones = app_data.filtered("milestone_slip")
if milestones.empty:
    ui.empty_state(["Milestones"], "milestone slip", missing=not loaded["milestones"])
else:
    ui.performance.milestone_section(milestones)

st.subheader("One project")
evm = app_data.filtered("project_evm")
project_id = ui.performance.project_picker(evm)
if project_id is not None:  # the filters leave no project
    history = app_data.filtered("project_history", project_id=project_id)
    now = views.of_project(evm, project_id).iloc[0]
    ui.performance.project_headline(now)
    if history.empty:
        st.caption("No status reports for this project up to the as-of date.")
    else:
        ui.performance.project_reports(history, str(now["name"]))

    st.markdown("**Earned schedule and forecast**")
    fore = result.of(project_id)
    if fore is None:
        st.caption("This project is not in flight (Active or On Hold): no forecast.")
    else:
        ui.performance.project_forecast_figures(fore, result)
        ui.performance.project_forecast_charts(
            fore,
            history,
            app_data.filtered("earned_schedule_history", project_id=project_id),
            app_data.forecast_draws(project_id),
            str(now["name"]),
        )
    own = views.of_project(milestones, project_id)
    if not own.empty:
        ui.performance.project_milestones(own, str(now["name"]))

    ui.performance.project_risks(views.of_project(app_data.filtered("risk_register"), project_id))
    ui.performance.project_decisions(
        app_data.query(
            "project_decisions", project_id=project_id, as_of=app_data.current_filters()["as_of"]
        )
    )
