import streamlit as st

import ui
from pmo import app_data, decisions, format, views
from ui import charts  # pmo.charts, each spec kept per query, params and data version

ui.header(
    "Performance & trends",
    "Earned value of in-flight projects month by month, RAG over time, milestone slip, and one "
    "project in detail.",
)

loaded = app_data.query("loaded_tables").iloc[0]
trend = app_data.filtered("portfolio_trend")
if trend.empty:
    ui.empty_state(["Projects", "Status Reports"], "performance trends",
                   missing=not loaded["status_reports"])
    st.stop()

latest = trend.iloc[-1]
with st.container(horizontal=True):
    st.metric("Cost performance (CPI)", format.ratio(latest["cpi"]), border=True,
              help="Σ earned value / Σ actual cost over in-flight projects, latest month")
    st.metric("Schedule performance (SPI)", format.ratio(latest["spi"]), border=True,
              help="Σ earned value / Σ planned value over in-flight projects, latest month")
    st.metric("Earned value", format.money(latest["earned_value"]), border=True,
              help="Cumulative, in-flight projects")
    st.metric("Actual cost", format.money(latest["actual_cost"]), border=True,
              help="Cumulative, in-flight projects")
    st.metric("Red projects", format.count(latest["rag_red"]), border=True)

left, right = st.columns(2)
with left:
    ui.chart(charts.cpi_spi_trend(trend), "CPI and SPI by month", key="performance_indices")
with right:
    ui.chart(charts.cumulative_evm(trend), "PV EV AC", key="performance_evm")
ui.chart(charts.rag_trend(trend), "RAG by month", key="performance_rag")
with st.expander("Monthly figures"):
    ui.table(
        trend,
        "Portfolio trend",
        key="performance_trend",
        column_order=["month", "planned_value", "earned_value", "actual_cost", "cpi", "spi",
                      "rag_green", "rag_amber", "rag_red", "projects"],
        column_config={
            "month": st.column_config.DateColumn("Month end", format="MMM YYYY"),
            "planned_value": st.column_config.NumberColumn("PV", format="$%,.0f"),
            "earned_value": st.column_config.NumberColumn("EV", format="$%,.0f"),
            "actual_cost": st.column_config.NumberColumn("AC", format="$%,.0f"),
            "cpi": st.column_config.NumberColumn("CPI", format="%.2f"),
            "spi": st.column_config.NumberColumn("SPI", format="%.2f"),
            "rag_green": st.column_config.NumberColumn("Green", format="%d"),
            "rag_amber": st.column_config.NumberColumn("Amber", format="%d"),
            "rag_red": st.column_config.NumberColumn("Red", format="%d"),
            "projects": st.column_config.NumberColumn("Projects reporting", format="%d"),
        },
    )

MILESTONE_COLUMNS = {
    "project_name": "Project",
    "milestone": "Milestone",
    "baseline_date": st.column_config.DateColumn("Baseline", format="DD MMM YYYY"),
    "forecast_date": st.column_config.DateColumn("Forecast", format="DD MMM YYYY"),
    "actual_date": st.column_config.DateColumn("Actual", format="DD MMM YYYY"),
    "slip_days": st.column_config.NumberColumn("Slip (days)", format="%+d",
                                               help="Actual, else forecast, minus baseline"),
    "status": "Status",
}

st.subheader("Milestone slip")
milestones = app_data.filtered("milestone_slip")
if milestones.empty:
    ui.empty_state(["Milestones"], "milestone slip", missing=not loaded["milestones"])
else:
    ui.chart(charts.milestone_slip(milestones), "Milestone slip", key="performance_milestones")
    ui.table(milestones, "Milestones", key="performance_milestone_table",
             column_order=list(MILESTONE_COLUMNS), column_config=MILESTONE_COLUMNS)

st.subheader("One project")
evm = app_data.filtered("project_evm")
choices = views.project_choices(evm)
project_id = st.columns([2, 1])[0].selectbox(
    "Project", list(choices), format_func=choices.get, key="performance_project",
    help="Projects passing the filters, red first",
)
if project_id is not None:
    history = app_data.filtered("project_history", project_id=project_id)
    now = views.of_project(evm, project_id).iloc[0]
    st.markdown(f"Status at the as-of date: {views.rag_badge(now['rag'])}")
    with st.container(horizontal=True):
        st.metric("CPI", format.ratio(now["cpi"]), border=True)
        st.metric("SPI", format.ratio(now["spi"]), border=True)
        st.metric("Complete", views.points(now["percent_complete"]), border=True)
        st.metric("Budget (BAC)", format.money(now["budget"]), border=True)
        st.metric("Forecast at completion (EAC)", format.money(now["eac"]), border=True)
    if history.empty:
        st.caption("No status reports for this project up to the as-of date.")
    else:
        name = str(now["name"])
        left, right = st.columns(2)
        with left:
            ui.chart(charts.cpi_spi_trend(history, x="report_date", title=f"{name}: CPI and SPI"),
                     "Project CPI and SPI", key="performance_project_indices")
        with right:
            ui.chart(charts.cumulative_evm(history, x="report_date",
                                           title=f"{name}: PV, EV and AC to date"),
                     "Project PV EV AC", key="performance_project_evm")
        comment = views.latest_comment(history)
        if comment:
            st.caption(f"Latest comment, report of {views.day(comment[0])}")
            st.text(comment[1])
        ui.table(
            history,
            "Project status reports",
            key="performance_project_history",
            column_order=["report_date", "rag", "percent_complete", "planned_value",
                          "earned_value", "actual_cost", "cpi", "spi", "eac",
                          "forecast_end_date", "comment"],
            column_config={
                "report_date": st.column_config.DateColumn("Report date", format="DD MMM YYYY"),
                "rag": "RAG",
                "percent_complete": st.column_config.NumberColumn("Complete", format="%.0f%%"),
                "planned_value": st.column_config.NumberColumn("PV", format="$%,.0f"),
                "earned_value": st.column_config.NumberColumn("EV", format="$%,.0f"),
                "actual_cost": st.column_config.NumberColumn("AC", format="$%,.0f"),
                "cpi": st.column_config.NumberColumn("CPI", format="%.2f"),
                "spi": st.column_config.NumberColumn("SPI", format="%.2f"),
                "eac": st.column_config.NumberColumn("EAC", format="$%,.0f"),
                "forecast_end_date": st.column_config.DateColumn("Forecast finish",
                                                                 format="DD MMM YYYY"),
                "comment": st.column_config.TextColumn("Comment", width="large"),
            },
        )
    own = views.of_project(milestones, project_id)
    if not own.empty:
        ui.chart(charts.milestone_slip(own, title=f"{now['name']}: milestones against baseline",
                                       one_project=True),
                 "Project milestones", key="performance_project_milestones")
        ui.table(own, "Project milestones", key="performance_project_milestone_table",
                 column_order=list(MILESTONE_COLUMNS)[1:], column_config=MILESTONE_COLUMNS)

    # Issue 21: what the reviews decided about this project.
    decided = app_data.query("project_decisions", project_id=project_id,
                             as_of=app_data.current_filters()["as_of"])
    st.markdown("**Decisions and actions**")
    if decided.empty:
        st.caption("No decision or action recorded for this project.")
    else:
        ui.table(
            decisions.display(decided),
            "Project decisions",
            key="performance_project_decisions",
            column_order=["decision_id", "date", "title", "owner", "due_date", "state", "detail"],
            column_config={
                "decision_id": "ID",
                "date": st.column_config.DateColumn("Decided", format="D MMM YYYY"),
                "title": st.column_config.TextColumn("Decision or action", width="large"),
                "owner": "Owner",
                "due_date": st.column_config.DateColumn("Due", format="D MMM YYYY"),
                "state": "Status",
                "detail": st.column_config.TextColumn("Detail", width="medium"),
            },
        )
