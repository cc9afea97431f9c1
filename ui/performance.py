"""The Performance page's sections: the portfolio's trend, its forecast, milestone slip, and one
project in detail (status reports, earned schedule, milestones, risks, decisions)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo import decisions, forecast as fc, format, views
from ui import (
    SHARE_FORMAT,
    chart,
    charts,
    date_column,
    metrics,
    money_column,
    month_column,
    percent_column,
    table,
)

MILESTONE_COLUMNS = {
    "project_name": "Project",
    "milestone": "Milestone",
    "baseline_date": date_column("Baseline"),
    "forecast_date": date_column("Forecast"),
    "actual_date": date_column("Actual"),
    "slip_days": st.column_config.NumberColumn(
        "Slip (days)", format="%+d", help="Actual, else forecast, minus baseline"
    ),
    "status": "Status",
}


def headline(latest: pd.Series) -> None:
    """The row of figures from portfolio_trend's latest month: CPI, SPI, EV, AC, red projects."""
    metrics(
        (
            "Cost performance (CPI)",
            format.ratio(latest["cpi"]),
            "Σ earned value / Σ actual cost over in-flight projects, latest month",
        ),
        (
            "Schedule performance (SPI)",
            format.ratio(latest["spi"]),
            "Σ earned value / Σ planned value over in-flight projects, latest month",
        ),
        (
            "Earned value",
            format.money(latest["earned_value"]),
            "Cumulative, in-flight projects",
        ),
        ("Actual cost", format.money(latest["actual_cost"]), "Cumulative, in-flight projects"),
        ("Red projects", format.count(latest["rag_red"])),
    )


def trend_section(trend: pd.DataFrame, coverage: pd.Series) -> None:
    """CPI and SPI, PV EV AC and RAG by month (portfolio_trend), with a note on the projects
    that give no cost figures (``coverage``: cost_coverage's row) and the monthly figures."""
    if coverage["without_cost"]:
        st.caption(
            f"{format.count(coverage['without_cost'])} of {format.count(coverage['reporting'])} "
            "reporting in-flight projects give no cost figures (actual cost or earned value) in "
            "their latest status report: their RAG counts, but CPI, SPI, EV and AC leave them out."
        )
    left, right = st.columns(2)
    with left:
        chart(
            charts.cpi_spi_trend(
                trend,
                empty_text=f"{format.count(coverage['reporting'])} projects report status, "
                "none with cost figures: CPI and SPI need actual cost or earned value",
            ),
            "CPI and SPI by month",
            key="performance_indices",
        )
    with right:
        chart(charts.cumulative_evm(trend), "PV EV AC", key="performance_evm")
    chart(charts.rag_trend(trend), "RAG by month", key="performance_rag")
    with st.expander("Monthly figures"):
        table(
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
                "month": month_column("Month end"),
                "planned_value": money_column("PV"),
                "earned_value": money_column("EV"),
                "actual_cost": money_column("AC"),
                "cpi": st.column_config.NumberColumn("CPI", format="%.2f"),
                "spi": st.column_config.NumberColumn("SPI", format="%.2f"),
                "rag_green": st.column_config.NumberColumn("Green", format="%d"),
                "rag_amber": st.column_config.NumberColumn("Amber", format="%d"),
                "rag_red": st.column_config.NumberColumn("Red", format="%d"),
                "projects": st.column_config.NumberColumn("Projects reporting", format="%d"),
            },
        )


def forecast_panel(result: fc.Result) -> None:
    """The portfolio's forecast to completion (pmo.forecast's result): the takeaway, P80 cost,
    chance within budget, overspend, late projects, the EAC (portfolio_eac, read with the
    forecast's inputs), the cost histogram, SPI(t) of each project and the project forecasts."""
    port, eac = result.portfolio, result.eac
    st.markdown(f"**{fc.takeaway(port, format.money)}.**")
    metrics(
        (
            "Cost at completion (P80)",
            format.money(port["p80_cost"]),
            f"80% of {port['draws']:,} seeded draws (seed {port['seed']}) end at or "
            f"below this total for the {port['forecast_projects']} in-flight projects "
            f"with a budget; their budget (BAC) is {format.money(port['total_bac'])}",
        ),
        (
            "Chance within budget",
            fc.chance(port["probability_within_budget"]),
            "Share of draws whose total stays within the total BAC",
        ),
        (
            "Expected overspend",
            format.money(port["expected_overspend"]),
            "Mean of max(total cost at completion − total BAC, 0) over the draws",
        ),
        (
            "Projects likely late",
            format.count(port["late_at_p80"]),
            "Projects finishing after their planned end in at least 80% of draws",
        ),
        (
            "Portfolio EAC (BAC / CPI)",
            format.money(eac["portfolio_eac"]),
            f"Σ BAC / CPI (BAC where CPI is undefined); VAC {format.money(eac['portfolio_vac'])}",
        ),
    )
    ranked = fc.ranked(result)
    left, right = st.columns([3, 2])
    with left:
        chart(
            charts.cost_histogram(result.total_draws, port),
            "Portfolio cost at completion",
            key="performance_forecast_histogram",
        )
    with right:
        chart(
            charts.spi_t_distribution(ranked),
            "SPI(t) of in-flight projects",
            key="performance_forecast_spi_t",
        )
    forecast_table(ranked)


def forecast_table(ranked: pd.DataFrame) -> None:
    """Each in-flight project's forecast (forecast.ranked): schedule, finish and cost."""
    table(
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
            "end_date": date_column("Planned finish"),
            "forecast_finish": date_column("IEAC(t)", help="Start + planned duration / SPI(t)"),
            "p50_finish": date_column("P50 finish"),
            "p80_finish": date_column("P80 finish"),
            "probability_late": st.column_config.ProgressColumn(
                "Chance late",
                format=SHARE_FORMAT,
                min_value=0.0,
                max_value=1.0,
                help="Share of draws finishing after the planned end",
            ),
            "budget": money_column("BAC"),
            "eac_cpi": money_column("EAC BAC/CPI"),
            "eac_remaining_at_plan": money_column("EAC AC+(BAC−EV)"),
            "eac_composite": money_column("EAC CPI×SPI(t)"),
            "p50_cost": money_column("P50 cost"),
            "p80_cost": money_column("P80 cost"),
            "tcpi": st.column_config.NumberColumn("TCPI", format="%.2f"),
            "cpi": st.column_config.NumberColumn("CPI", format="%.2f"),
            "not_credible": st.column_config.CheckboxColumn(
                "Not credible", help="TCPI − CPI > 0.10, or the budget spent with work left"
            ),
            "source_detail": st.column_config.TextColumn("Forecast drawn from", width="large"),
            "note": "Note",
        },
    )


def milestone_section(milestones: pd.DataFrame) -> None:
    """Every milestone's slip against its baseline (milestone_slip): the chart and the table."""
    chart(charts.milestone_slip(milestones), "Milestone slip", key="performance_milestones")
    table(
        milestones,
        "Milestones",
        key="performance_milestone_table",
        column_order=list(MILESTONE_COLUMNS),
        column_config=MILESTONE_COLUMNS,
    )


def project_picker(evm: pd.DataFrame) -> str | None:
    """The project to show in detail, among those passing the filters (project_evm), red first."""
    choices = views.project_choices(evm)
    return st.columns([2, 1])[0].selectbox(
        "Project",
        list(choices),
        format_func=choices.get,
        key="performance_project",
        help="Projects passing the filters, red first",
    )


def project_headline(now: pd.Series) -> None:
    """One project at the as-of date (its project_evm row): RAG, CPI, SPI, complete, BAC, EAC."""
    st.markdown(f"Status at the as-of date: {views.rag_badge(now['rag'])}")
    metrics(
        ("CPI", format.ratio(now["cpi"])),
        ("SPI", format.ratio(now["spi"])),
        ("Complete", views.points(now["percent_complete"])),
        ("Budget (BAC)", format.money(now["budget"])),
        ("Forecast at completion (EAC)", format.money(now["eac"])),
    )


def project_reports(history: pd.DataFrame, name: str) -> None:
    """One project's status reports (project_history): CPI and SPI, PV EV AC, the latest
    comment and the reports themselves."""
    left, right = st.columns(2)
    with left:
        chart(
            charts.cpi_spi_trend(history, x="report_date", title=f"{name}: CPI and SPI"),
            "Project CPI and SPI",
            key="performance_project_indices",
        )
    with right:
        chart(
            charts.cumulative_evm(history, x="report_date", title=f"{name}: PV, EV and AC to date"),
            "Project PV EV AC",
            key="performance_project_evm",
        )
    comment = views.latest_comment(history)
    if comment:
        st.caption(f"Latest comment, report of {views.day(comment[0])}")
        st.text(comment[1])
    table(
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
            "report_date": date_column("Report date"),
            "rag": "RAG",
            "percent_complete": percent_column("Complete"),
            "planned_value": money_column("PV"),
            "earned_value": money_column("EV"),
            "actual_cost": money_column("AC"),
            "cpi": st.column_config.NumberColumn("CPI", format="%.2f"),
            "spi": st.column_config.NumberColumn("SPI", format="%.2f"),
            "eac": money_column("EAC"),
            "forecast_end_date": date_column("Forecast finish"),
            "comment": st.column_config.TextColumn("Comment", width="large"),
        },
    )


def project_forecast_figures(fore: dict, result: fc.Result) -> None:
    """One project's earned schedule and forecast (``fore``: result.of(project)): ES, SV(t),
    SPI(t), IEAC(t), P50–P80 finish and cost, with where the forecast was drawn from."""
    metrics(
        (
            "Earned schedule (ES)",
            views.day(fore["es_date"]),
            "The date the planned value curve reached today's earned value",
        ),
        (
            "SV(t)",
            "—" if fore["sv_t_days"] is None else f"{fore['sv_t_days']:+.0f} days",
            "ES − actual time",
        ),
        (
            "SPI(t)",
            format.ratio(fore["spi_t"]),
            "ES / actual time; SPI is " + format.ratio(fore["spi"]),
        ),
        (
            "Forecast finish IEAC(t)",
            views.day(fore["forecast_finish"]),
            "Start + planned duration / SPI(t); planned finish " + views.day(fore["end_date"]),
        ),
        (
            "Finish P50 – P80",
            f"{views.day(fore['p50_finish'])} – {views.day(fore['p80_finish'])}",
        ),
        (
            "Cost P50 – P80",
            f"{format.money(fore['p50_cost'])} – {format.money(fore['p80_cost'])}",
        ),
    )
    if fore["note"]:
        st.caption(f"Earned schedule: {fore['note']}.")
    st.caption(
        f"Forecast drawn from: {fore['source_detail']} · seed {result.seed}, {result.draws:,} draws"
    )


def project_forecast_charts(
    fore: dict, history: pd.DataFrame, es_history: pd.DataFrame, draws, name: str
) -> None:
    """One project's forecast fan (its ``draws``), SPI against SPI(t) (earned_schedule_history),
    the credibility sentence and its EAC by each method."""
    chart(
        charts.fan_chart(history, fore, draws),
        "Project forecast fan",
        key="performance_project_fan",
    )
    chart(
        charts.spi_vs_spi_t(
            es_history,
            title=f"{name}: SPI against SPI(t)",
            planned_finish=fore["end_date"],
        ),
        "Project SPI and SPI(t)",
        key="performance_project_spi_t",
    )
    st.markdown(fc.credibility(fore))
    table(
        fc.methods(fore),
        "Project EAC methods",
        key="performance_project_eac",
        column_config={
            "method": "Method",
            "formula": "Formula",
            "eac": money_column("EAC"),
            "vac": money_column("VAC", signed=True, help="BAC − EAC; negative = overrun"),
        },
    )


def project_milestones(own: pd.DataFrame, name: str) -> None:
    """One project's milestones against their baseline (its milestone_slip rows)."""
    chart(
        charts.milestone_slip(own, title=f"{name}: milestones against baseline", one_project=True),
        "Project milestones",
        key="performance_project_milestones",
    )
    table(
        own,
        "Project milestones",
        key="performance_project_milestone_table",
        column_order=list(MILESTONE_COLUMNS)[1:],
        column_config=MILESTONE_COLUMNS,
    )


def project_risks(risks: pd.DataFrame) -> None:
    """One project's risks from the register at the as-of date (its risk_register rows)."""
    st.markdown(f"**Risks of this project: {len(risks)}** ({int(risks['is_open'].sum())} open)")
    if risks.empty:
        st.caption("No risk recorded for this project (upload a Risks sheet on the Data page).")
        return
    table(
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
            "due_date": date_column("Due"),
            "days_overdue": st.column_config.NumberColumn("Overdue", format="%d days"),
            "mitigation": st.column_config.TextColumn("Mitigation", width="large"),
        },
    )


def project_decisions(decided: pd.DataFrame) -> None:
    """What the reviews decided about one project (project_decisions)."""
    st.markdown("**Decisions and actions**")
    if decided.empty:
        st.caption("No decision or action recorded for this project.")
        return
    table(
        decisions.display(decided),
        "Project decisions",
        key="performance_project_decisions",
        column_order=["decision_id", "date", "title", "owner", "due_date", "state", "detail"],
        column_config={
            "decision_id": "ID",
            "date": date_column("Decided"),
            "title": st.column_config.TextColumn("Decision or action", width="large"),
            "owner": "Owner",
            "due_date": date_column("Due"),
            "state": "Status",
            "detail": st.column_config.TextColumn("Detail", width="medium"),
        },
    )
