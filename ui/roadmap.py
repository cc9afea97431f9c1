"""The Roadmap page's sections: headline figures, the Gantt chart, dependencies, risks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo import format, roadmap
from ui import chart, charts, date_column, metrics, plain, table

RISK_COLUMNS = {
    "risk_id": "Risk",
    "title": st.column_config.TextColumn("Title", width="large"),
    "project_name": "Project",
    "category": "Category",
    "exposure": st.column_config.NumberColumn(
        "Exposure", format="%d", help="Probability × impact, 1–25"
    ),
    "band": "Band",
    "owner": "Owner",
    "due_date": date_column("Due"),
    "days_overdue": st.column_config.NumberColumn("Overdue", format="%d days"),
    "status": "Status",
}


def headline(road: pd.DataFrame, figures: pd.Series) -> None:
    """The row of figures: projects in view, dependencies at risk, open high and overdue risks
    (``figures``: roadmap_kpis' row)."""
    metrics(
        (
            "Projects in view",
            format.count(len(road)),
            "Projects passing the filters (Cancelled ones only when the status filter asks)",
        ),
        (
            "Dependencies at risk",
            format.count(figures["dependencies_at_risk"]),
            "The predecessor's forecast finish, start or milestone falls after the "
            "dependent's start",
        ),
        (
            "Open high risks",
            format.count(figures["open_high_risks"]),
            "Open risks with exposure (probability × impact) of 15 or more",
        ),
        (
            "Overdue risks",
            format.count(figures["overdue_risks"]),
            "Open risks past their due date",
        ),
    )


def gantt_controls() -> tuple[str, int]:
    """Group by (portfolio, objective, business unit) and how many projects to draw."""
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    group_by = (
        left.segmented_control(
            "Group by",
            list(roadmap.GROUPS),
            format_func=roadmap.GROUPS.get,
            default="portfolio",
            key="roadmap_group",
            help="Objective: the one each project serves most (highest score)",
        )
        or "portfolio"
    )
    limit = right.number_input(
        "Projects drawn (largest by budget)",
        min_value=5,
        max_value=400,
        value=roadmap.DEFAULT_LIMIT,
        step=5,
        key="roadmap_limit",
        width=260,
        help="Above this many, only the largest projects by budget are drawn, with a note",
    )
    return group_by, int(limit)


def gantt_chart(data: roadmap.GanttData, as_of: object, group_by: str) -> None:
    """The projects on one timeline (roadmap.gantt_data's bars), grouped, with its note."""
    chart(
        charts.gantt(
            data,
            as_of,
            f"Roadmap by {roadmap.GROUPS[group_by].lower()}",
            roadmap.GROUPS[group_by],
            format.currency_symbol(),
        ),
        "Roadmap",
        key="roadmap_gantt",
    )
    if data.note:
        st.caption(data.note)


def dependencies_table(waiting: pd.DataFrame) -> None:
    """The dependencies at risk (dependencies_at_risk's rows) with the takeaway above them."""
    st.caption(plain(roadmap.dependencies_takeaway(waiting)))
    table(
        waiting,
        "Dependencies at risk",
        key="roadmap_dependencies",
        column_order=[
            "project_name",
            "predecessor_name",
            "link",
            "milestone",
            "needed_by",
            "predecessor_date",
            "predecessor_date_source",
            "days_waiting",
        ],
        column_config={
            "project_name": "Waits (dependent)",
            "predecessor_name": "On (predecessor)",
            "link": "Link",
            "milestone": "Milestone",
            "needed_by": date_column("Needed by (start)"),
            "predecessor_date": date_column("Ready"),
            "predecessor_date_source": "Ready date is",
            "days_waiting": st.column_config.NumberColumn("Days waiting", format="%d days"),
        },
    )


def risk_charts(heatmap: pd.DataFrame, exposure: pd.DataFrame) -> None:
    """The heat map of open risks and open exposure by month, side by side."""
    left, right = st.columns([2, 3])
    with left:
        chart(charts.risk_heatmap(heatmap), "Risk heat map", key="roadmap_heatmap")
    with right:
        chart(charts.risk_exposure_trend(exposure), "Open risk exposure", key="roadmap_exposure")


def top_risks(register: pd.DataFrame) -> None:
    """The ten open project risks with the highest exposure."""
    top = roadmap.open_risks(register, "Project").head(10)
    st.markdown(
        f"**Top project risks by exposure** ({len(roadmap.open_risks(register, 'Project'))} open)"
    )
    table(
        top,
        "Top project risks",
        key="roadmap_top_risks",
        column_order=[c for c in RISK_COLUMNS if c != "days_overdue"],
        column_config=RISK_COLUMNS,
    )


def overdue_risks(register: pd.DataFrame) -> None:
    """The open risks past their due date."""
    overdue = roadmap.overdue_risks(register)
    st.markdown(f"**Overdue risks: {len(overdue)}** (open past their due date)")
    if overdue.empty:
        st.caption("No open risk is past its due date.")
        return
    table(
        overdue,
        "Overdue risks",
        key="roadmap_overdue",
        column_order=[
            "risk_id",
            "title",
            "project_name",
            "exposure",
            "owner",
            "due_date",
            "days_overdue",
            "status",
        ],
        column_config=RISK_COLUMNS,
    )


def portfolio_risks(register: pd.DataFrame, filtered: bool) -> None:
    """The open risks of no single project; a filter in force (``filtered``) leaves them out."""
    portfolio = roadmap.open_risks(register, "Portfolio")
    st.markdown(f"**Portfolio risks** (no single project): {len(portfolio)} open")
    if filtered:
        st.caption(
            "Portfolio-wide risks belong to no project, so a filter leaves them out; clear the "
            "filters to see them."
        )
    elif portfolio.empty:
        st.caption("No open portfolio-wide risk.")
    else:
        table(
            portfolio,
            "Portfolio risks",
            key="roadmap_portfolio_risks",
            column_order=[
                "risk_id",
                "title",
                "category",
                "exposure",
                "band",
                "owner",
                "due_date",
                "status",
            ],
            column_config=RISK_COLUMNS,
        )
