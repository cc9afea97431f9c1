import streamlit as st

import ui
from pmo import app_data, decisions, forecast as fc, format, views
from ui import charts  # pmo.charts, each spec kept per query, params and data version

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

latest = trend.iloc[-1]
with st.container(horizontal=True):
    st.metric(
        "Cost performance (CPI)",
        format.ratio(latest["cpi"]),
        border=True,
        help="Σ earned value / Σ actual cost over in-flight projects, latest month",
    )
    st.metric(
        "Schedule performance (SPI)",
        format.ratio(latest["spi"]),
        border=True,
        help="Σ earned value / Σ planned value over in-flight projects, latest month",
    )
    st.metric(
        "Earned value",
        format.money(latest["earned_value"]),
        border=True,
        help="Cumulative, in-flight projects",
    )
    st.metric(
        "Actual cost",
        format.money(latest["actual_cost"]),
        border=True,
        help="Cumulative, in-flight projects",
    )
    st.metric("Red projects", format.count(latest["rag_red"]), border=True)

coverage = app_data.filtered("cost_coverage").iloc[0]
if coverage["without_cost"]:
    st.caption(
        f"{format.count(coverage['without_cost'])} of {format.count(coverage['reporting'])} "
        "reporting in-flight projects give no cost figures (actual cost or earned value) in "
        "their latest status report: their RAG counts, but CPI, SPI, EV and AC leave them out."
    )
left, right = st.columns(2)
with left:
    ui.chart(
        charts.cpi_spi_trend(
            trend,
            empty_text=f"{format.count(coverage['reporting'])} projects report status, "
            "none with cost figures: CPI and SPI need actual cost or earned value",
        ),
        "CPI and SPI by month",
        key="performance_indices",
    )
with right:
    ui.chart(charts.cumulative_evm(trend), "PV EV AC", key="performance_evm")
ui.chart(charts.rag_trend(trend), "RAG by month", key="performance_rag")
with st.expander("Monthly figures"):
    ui.table(
        trend,
        "Portfolio trend",
        key="performance_trend",
        column_order=[
            "month",
            "planned_value",
            "earned_value",
            "actual_cost",
            "cpi",
            "spi",
            "rag_green",
            "rag_amber",
            "rag_red",
            "projects",
        ],
        column_config={
            "month": ui.month_column("Month end"),
            "planned_value": ui.money_column("PV"),
            "earned_value": ui.money_column("EV"),
            "actual_cost": ui.money_column("AC"),
            "cpi": st.column_config.NumberColumn("CPI", format="%.2f"),
            "spi": st.column_config.NumberColumn("SPI", format="%.2f"),
            "rag_green": st.column_config.NumberColumn("Green", format="%d"),
            "rag_amber": st.column_config.NumberColumn("Amber", format="%d"),
            "rag_red": st.column_config.NumberColumn("Red", format="%d"),
            "projects": st.column_config.NumberColumn("Projects reporting", format="%d"),
        },
    )

# ------------------------------------------------------------------ forecast (issue 16)
st.subheader("Forecast to completion")
result = app_data.forecast()
port = result.portfolio
if not port.get("forecast_projects"):
    st.caption("No forecast: no in-flight project with a budget and a status report history.")
else:
    eac = result.eac  # portfolio_eac.sql, read with the forecast's inputs
    st.markdown(f"**{fc.takeaway(port, format.money)}.**")
    with st.container(horizontal=True):
        st.metric(
            "Cost at completion (P80)",
            format.money(port["p80_cost"]),
            border=True,
            help=f"80% of {port['draws']:,} seeded draws (seed {port['seed']}) end at or "
            f"below this total for the {port['forecast_projects']} in-flight projects "
            f"with a budget; their budget (BAC) is {format.money(port['total_bac'])}",
        )
        st.metric(
            "Chance within budget",
            fc.chance(port["probability_within_budget"]),
            border=True,
            help="Share of draws whose total stays within the total BAC",
        )
        st.metric(
            "Expected overspend",
            format.money(port["expected_overspend"]),
            border=True,
            help="Mean of max(total cost at completion − total BAC, 0) over the draws",
        )
        st.metric(
            "Projects likely late",
            format.count(port["late_at_p80"]),
            border=True,
            help="Projects finishing after their planned end in at least 80% of draws",
        )
        st.metric(
            "Portfolio EAC (BAC / CPI)",
            format.money(eac["portfolio_eac"]),
            border=True,
            help="Σ BAC / CPI (BAC where CPI is undefined); VAC "
            f"{format.money(eac['portfolio_vac'])}",
        )
    ranked = fc.ranked(result)
    left, right = st.columns([3, 2])
    with left:
        ui.chart(
            charts.cost_histogram(result.total_draws, port),
            "Portfolio cost at completion",
            key="performance_forecast_histogram",
        )
    with right:
        ui.chart(
            charts.spi_t_distribution(ranked),
            "SPI(t) of in-flight projects",
            key="performance_forecast_spi_t",
        )
    ui.table(
        ranked,
        "Project forecasts",
        key="performance_forecast_table",
        column_order=[
            "name",
            "spi",
            "spi_t",
            "sv_t_days",
            "end_date",
            "forecast_finish",
            "p50_finish",
            "p80_finish",
            "probability_late",
            "budget",
            "eac_cpi",
            "eac_remaining_at_plan",
            "eac_composite",
            "p50_cost",
            "p80_cost",
            "tcpi",
            "cpi",
            "not_credible",
            "source_detail",
            "note",
        ],
        column_config={
            "name": st.column_config.TextColumn("Project", pinned=True),
            "spi": st.column_config.NumberColumn("SPI", format="%.2f"),
            "spi_t": st.column_config.NumberColumn(
                "SPI(t)", format="%.2f", help="Earned schedule / actual time"
            ),
            "sv_t_days": st.column_config.NumberColumn(
                "SV(t) days", format="%+.0f", help="ES − AT: negative = behind"
            ),
            "end_date": ui.date_column("Planned finish"),
            "forecast_finish": ui.date_column("IEAC(t)", help="Start + planned duration / SPI(t)"),
            "p50_finish": ui.date_column("P50 finish"),
            "p80_finish": ui.date_column("P80 finish"),
            "probability_late": st.column_config.ProgressColumn(
                "Chance late",
                format=ui.SHARE_FORMAT,
                min_value=0.0,
                max_value=1.0,
                help="Share of draws finishing after the planned end",
            ),
            "budget": ui.money_column("BAC"),
            "eac_cpi": ui.money_column("EAC BAC/CPI"),
            "eac_remaining_at_plan": ui.money_column("EAC AC+(BAC−EV)"),
            "eac_composite": ui.money_column("EAC CPI×SPI(t)"),
            "p50_cost": ui.money_column("P50 cost"),
            "p80_cost": ui.money_column("P80 cost"),
            "tcpi": st.column_config.NumberColumn("TCPI", format="%.2f"),
            "cpi": st.column_config.NumberColumn("CPI", format="%.2f"),
            "not_credible": st.column_config.CheckboxColumn(
                "Not credible", help="TCPI − CPI > 0.10, or the budget spent with work left"
            ),
            "source_detail": st.column_config.TextColumn("Forecast drawn from", width="large"),
            "note": "Note",
        },
    )

MILESTONE_COLUMNS = {
    "project_name": "Project",
    "milestone": "Milestone",
    "baseline_date": ui.date_column("Baseline"),
    "forecast_date": ui.date_column("Forecast"),
    "actual_date": ui.date_column("Actual"),
    "slip_days": st.column_config.NumberColumn(
        "Slip (days)", format="%+d", help="Actual, else forecast, minus baseline"
    ),
    "status": "Status",
}

st.subheader("Milestone slip")
milestones = app_data.filtered("milestone_slip")
if milestones.empty:
    ui.empty_state(["Milestones"], "milestone slip", missing=not loaded["milestones"])
else:
    ui.chart(charts.milestone_slip(milestones), "Milestone slip", key="performance_milestones")
    ui.table(
        milestones,
        "Milestones",
        key="performance_milestone_table",
        column_order=list(MILESTONE_COLUMNS),
        column_config=MILESTONE_COLUMNS,
    )

st.subheader("One project")
evm = app_data.filtered("project_evm")
choices = views.project_choices(evm)
project_id = st.columns([2, 1])[0].selectbox(
    "Project",
    list(choices),
    format_func=choices.get,
    key="performance_project",
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
            ui.chart(
                charts.cpi_spi_trend(history, x="report_date", title=f"{name}: CPI and SPI"),
                "Project CPI and SPI",
                key="performance_project_indices",
            )
        with right:
            ui.chart(
                charts.cumulative_evm(
                    history, x="report_date", title=f"{name}: PV, EV and AC to date"
                ),
                "Project PV EV AC",
                key="performance_project_evm",
            )
        comment = views.latest_comment(history)
        if comment:
            st.caption(f"Latest comment, report of {views.day(comment[0])}")
            st.text(comment[1])
        ui.table(
            history,
            "Project status reports",
            key="performance_project_history",
            column_order=[
                "report_date",
                "rag",
                "percent_complete",
                "planned_value",
                "earned_value",
                "actual_cost",
                "cpi",
                "spi",
                "eac",
                "forecast_end_date",
                "comment",
            ],
            column_config={
                "report_date": ui.date_column("Report date"),
                "rag": "RAG",
                "percent_complete": ui.percent_column("Complete"),
                "planned_value": ui.money_column("PV"),
                "earned_value": ui.money_column("EV"),
                "actual_cost": ui.money_column("AC"),
                "cpi": st.column_config.NumberColumn("CPI", format="%.2f"),
                "spi": st.column_config.NumberColumn("SPI", format="%.2f"),
                "eac": ui.money_column("EAC"),
                "forecast_end_date": ui.date_column("Forecast finish"),
                "comment": st.column_config.TextColumn("Comment", width="large"),
            },
        )
    st.markdown("**Earned schedule and forecast**")
    fore = result.of(project_id)
    if fore is None:
        st.caption("This project is not in flight (Active or On Hold): no forecast.")
    else:
        with st.container(horizontal=True):
            st.metric(
                "Earned schedule (ES)",
                views.day(fore["es_date"]),
                border=True,
                help="The date the planned value curve reached today's earned value",
            )
            st.metric(
                "SV(t)",
                "—" if fore["sv_t_days"] is None else f"{fore['sv_t_days']:+.0f} days",
                border=True,
                help="ES − actual time",
            )
            st.metric(
                "SPI(t)",
                format.ratio(fore["spi_t"]),
                border=True,
                help="ES / actual time; SPI is " + format.ratio(fore["spi"]),
            )
            st.metric(
                "Forecast finish IEAC(t)",
                views.day(fore["forecast_finish"]),
                border=True,
                help="Start + planned duration / SPI(t); planned finish "
                + views.day(fore["end_date"]),
            )
            st.metric(
                "Finish P50 – P80",
                f"{views.day(fore['p50_finish'])} – {views.day(fore['p80_finish'])}",
                border=True,
            )
            st.metric(
                "Cost P50 – P80",
                f"{format.money(fore['p50_cost'])} – {format.money(fore['p80_cost'])}",
                border=True,
            )
        if fore["note"]:
            st.caption(f"Earned schedule: {fore['note']}.")
        st.caption(
            f"Forecast drawn from: {fore['source_detail']} · seed {result.seed}, "
            f"{result.draws:,} draws"
        )
        es_history = app_data.filtered("earned_schedule_history", project_id=project_id)
        ui.chart(
            charts.fan_chart(history, fore, app_data.forecast_draws(project_id)),
            "Project forecast fan",
            key="performance_project_fan",
        )
        ui.chart(
            charts.spi_vs_spi_t(
                es_history,
                title=f"{now['name']}: SPI against SPI(t)",
                planned_finish=fore["end_date"],
            ),
            "Project SPI and SPI(t)",
            key="performance_project_spi_t",
        )
        st.markdown(fc.credibility(fore))
        ui.table(
            fc.methods(fore),
            "Project EAC methods",
            key="performance_project_eac",
            column_config={
                "method": "Method",
                "formula": "Formula",
                "eac": ui.money_column("EAC"),
                "vac": ui.money_column("VAC", signed=True, help="BAC − EAC; negative = overrun"),
            },
        )
    own = views.of_project(milestones, project_id)
    if not own.empty:
        ui.chart(
            charts.milestone_slip(
                own, title=f"{now['name']}: milestones against baseline", one_project=True
            ),
            "Project milestones",
            key="performance_project_milestones",
        )
        ui.table(
            own,
            "Project milestones",
            key="performance_project_milestone_table",
            column_order=list(MILESTONE_COLUMNS)[1:],
            column_config=MILESTONE_COLUMNS,
        )

    # Issue 17: the project's risks from the register at the as-of date.
    risks = views.of_project(app_data.filtered("risk_register"), project_id)
    st.markdown(f"**Risks of this project: {len(risks)}** ({int(risks['is_open'].sum())} open)")
    if risks.empty:
        st.caption("No risk recorded for this project (upload a Risks sheet on the Data page).")
    else:
        ui.table(
            risks,
            "Project risks",
            key="performance_project_risks",
            column_order=[
                "risk_id",
                "title",
                "exposure",
                "band",
                "status",
                "owner",
                "due_date",
                "days_overdue",
                "mitigation",
            ],
            column_config={
                "risk_id": "Risk",
                "title": st.column_config.TextColumn("Title", width="large"),
                "exposure": st.column_config.NumberColumn(
                    "Exposure", format="%d", help="Probability × impact, 1–25"
                ),
                "band": "Band",
                "status": "Status",
                "owner": "Owner",
                "due_date": ui.date_column("Due"),
                "days_overdue": st.column_config.NumberColumn("Overdue", format="%d days"),
                "mitigation": st.column_config.TextColumn("Mitigation", width="large"),
            },
        )
    # Issue 21: what the reviews decided about this project.
    decided = app_data.query(
        "project_decisions", project_id=project_id, as_of=app_data.current_filters()["as_of"]
    )
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
                "date": ui.date_column("Decided"),
                "title": st.column_config.TextColumn("Decision or action", width="large"),
                "owner": "Owner",
                "due_date": ui.date_column("Due"),
                "state": "Status",
                "detail": st.column_config.TextColumn("Detail", width="medium"),
            },
        )
