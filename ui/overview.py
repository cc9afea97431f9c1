"""The Overview page's blocks: the executive summary, the KPI tiles and the exceptions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from pmo import overview, views
from ui import date_column, money_column, plain, share_column, table

PAGES = Path(__file__).resolve().parents[1] / "pages"


def executive_summary(said: list[str]) -> None:
    """The executive summary's sentences in a box (nothing when there are none)."""
    if said:
        with st.container(border=True):
            st.markdown("**Executive summary**")
            st.markdown("\n".join(f"- {plain(text)}" for text in said))


def tiles(all_tiles: list[overview.Tile]) -> None:
    """The KPI tiles, at most four a row, the rows as even as they can be (10 → 4·3·3)."""
    for row in overview.tile_rows(all_tiles):
        # Columns, not a wrapping flex row: on a laptop screen beside the sidebar a flex row of
        # four wrapped its last tile onto a row of its own. A wide tile gets a wider column.
        cols = st.columns([t.width / 260 if isinstance(t.width, int) else 1 for t in row])
        for col, tile in zip(cols, row, strict=True):
            with col:
                st.metric(
                    tile.label,
                    tile.value,
                    delta=tile.delta,
                    delta_color=tile.delta_color,
                    delta_description=tile.delta_description,
                    delta_arrow=tile.delta_arrow,
                    help=tile.help,
                    border=True,
                    chart_data=tile.trend or None,
                    chart_type="line",
                )


def detail_link(page: str, label: str) -> None:
    """A link to the page with the details (a caption naming it when the page is absent)."""
    if (PAGES / page).exists():
        st.page_link(f"pages/{page}", label=label, icon=":material/arrow_forward:")
    else:
        st.caption(f"Details: {label.removeprefix('Open ')} page.")


def exception(heading: str, rows: pd.DataFrame, none: str, name: str, *, key: str, **kw) -> None:
    """One exception: a bold heading with its count, the table (``kw``: ui.table's column
    settings) or ``none`` in words when there are no rows."""
    st.markdown(heading)
    if rows.empty:
        st.caption(none)
    else:
        table(rows, name, key=key, **kw)


def red_projects(red: pd.DataFrame) -> None:
    """In-flight projects reporting Red."""
    exception(
        f"**Red projects: {len(red)}**",
        red,
        "No in-flight project is Red.",
        "Red projects",
        key="overview_red",
        column_config={
            "project_id": None,
            "name": "Project",
            "sponsor": "Sponsor",
            "manager": "Manager",
            "budget": money_column("Budget"),
            "cpi": st.column_config.NumberColumn("CPI", format="%.2f"),
            "spi": st.column_config.NumberColumn("SPI", format="%.2f"),
            "report_date": date_column("Reported"),
            "comment": st.column_config.TextColumn("Latest comment", width="large"),
        },
    )


def overallocated_teams(teams: pd.DataFrame, as_of: object) -> None:
    """Teams with someone allocated above capacity in the as-of month."""
    exception(
        f"**Over-allocated teams in {views.month_label(as_of)}: {len(teams)}**",
        teams,
        "No team has anyone allocated above capacity this month.",
        "Over-allocated teams",
        key="overview_teams",
        column_config={
            "team": "Team",
            "people": st.column_config.NumberColumn("People over 100%", format="%d"),
            "excess_hours": st.column_config.NumberColumn("Hours over", format="%.0f h"),
            "worst_utilisation": share_column("Worst"),
            "month": None,
        },
    )


def slipped_milestones(slips: pd.DataFrame) -> None:
    """Open milestones late against their baseline."""
    exception(
        f"**Slipped or overdue milestones: {len(slips)}**",
        slips,
        "No open milestone is late against its baseline.",
        "Slipped milestones",
        key="overview_slips",
        column_config={
            "project_id": None,
            "project_name": "Project",
            "milestone": "Milestone",
            "baseline_date": date_column("Baseline"),
            "forecast_date": date_column("Forecast"),
            "slip_days": st.column_config.NumberColumn("Slip", format="%d days"),
        },
    )


def high_risks(high: pd.DataFrame) -> None:
    """Open risks with an exposure of 15 or more (issue 17)."""
    exception(
        f"**High risks: {len(high)}** (open, exposure 15 or more)",
        high,
        "No open risk has an exposure (probability × impact) of 15 or more.",
        "High risks",
        key="overview_high_risks",
        column_order=["title", "project_name", "exposure", "owner", "due_date"],
        column_config={
            "title": st.column_config.TextColumn("Risk", width="large"),
            "project_name": "Project",
            "exposure": st.column_config.NumberColumn("Exposure", format="%d"),
            "owner": "Owner",
            "due_date": date_column("Due"),
        },
    )


def dependencies_at_risk(waiting: pd.DataFrame) -> None:
    """Projects waiting on a predecessor forecast to be late (issue 17)."""
    exception(
        f"**Dependencies at risk: {len(waiting)}**",
        waiting,
        "No project waits on a predecessor forecast to be late.",
        "Dependencies at risk",
        key="overview_dependencies",
        column_order=[
            "project_name",
            "predecessor_name",
            "link",
            "needed_by",
            "predecessor_date",
            "days_waiting",
        ],
        column_config={
            "project_name": "Waits",
            "predecessor_name": "On",
            "link": "Link",
            "needed_by": date_column("Needed by"),
            "predecessor_date": date_column("Ready"),
            "days_waiting": st.column_config.NumberColumn("Days waiting", format="%d days"),
        },
    )


def open_actions(facts: pd.Series, actions: pd.DataFrame) -> None:
    """Open and overdue actions from the reviews' decisions log (issue 21)."""
    exception(
        f"**Open actions: {int(facts['open_actions'])}, overdue: {int(facts['overdue_actions'])}**",
        actions,
        "No open action from the reviews.",
        "Open actions",
        key="overview_actions",
        column_order=["title", "project_names", "owner", "due_date", "state"],
        column_config={
            "title": st.column_config.TextColumn("Action", width="large"),
            "project_names": "Projects",
            "owner": "Owner",
            "due_date": date_column("Due"),
            "state": "Status",
        },
    )
