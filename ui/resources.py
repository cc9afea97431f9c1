"""The Resources page's blocks: the window, the over-allocation tiles, the utilisation
heatmap, the over-allocations, capacity against demand and the planned against actual hours."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo import app_data, format, views
from ui import chart, charts, hours_column, month_column, percent_column, table


def window(months: list, start: object, end: object) -> tuple[str, object, object]:
    """The heatmap's rows (Team or Person) and the months shown, from ``start`` to ``end``
    unless the user moved the slider. Returns (rows, first month, last month)."""
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
    return group, start, end


def overallocation_tiles(over: pd.DataFrame, period: str) -> None:
    """Over-allocated person-months, people and hours over capacity in the window."""
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


def person_heatmap(by_person: pd.DataFrame, teams: list[str]) -> None:
    """Utilisation by person, of a team picked or of the people with the highest peaks."""
    team = st.selectbox(
        "Team",
        [None, *teams],
        key="resources_team",
        format_func=lambda t: "All teams" if t is None else t,
    )
    rows, shown, total = views.heatmap_rows(by_person, team)
    if shown < total:
        st.caption(
            f"Showing the {shown} people with the highest peak utilisation of {total}"
            + ("; pick a team to see its people." if team is None else " in this team.")
        )
    chart(
        charts.utilisation_heatmap(rows, "resource"),
        "Utilisation by person",
        key="resources_heatmap",
    )


def overallocations(over: pd.DataFrame, period: str) -> None:
    """Each person-month allocated beyond capacity, with the projects it is on."""
    st.subheader("Over-allocations")
    if over.empty:
        st.caption(f"No one is allocated beyond capacity in {period}.")
        return
    columns = {  # in the order shown
        "name": "Person",
        "team": "Team",
        "role": "Role",
        "month": month_column("Month"),
        "utilisation": percent_column("Utilisation"),
        "allocated_hours": hours_column("Allocated h"),
        "capacity_hours": hours_column("Capacity h"),
        "excess_hours": hours_column("Over by (h)"),
        "projects": st.column_config.TextColumn("On projects (allocated hours)", width="large"),
    }
    table(
        views.as_percent(over, ["utilisation"]),
        "Over-allocations",
        key="resources_over",
        column_order=list(columns),
        column_config=columns,
    )


def capacity_demand(by_role: pd.DataFrame) -> None:
    """Capacity against demand, of a role picked or of all roles."""
    role = st.columns([1, 2])[0].selectbox(
        "Role",
        [None, *views.distinct(by_role, "role")],
        key="resources_role",
        format_func=lambda r: "All roles" if r is None else r,
    )
    chart(charts.capacity_demand(by_role, role), "Capacity vs demand", key="resources_capacity")


def planned_vs_actual(actuals: tuple | None) -> None:
    """Hours allocated against booked by team over ``actuals`` (the window's months up to the
    as-of date; None when it starts after it)."""
    if actuals is None:
        st.caption(
            "Planned vs actual: the window starts after the as-of date, so there are no "
            "timesheets yet."
        )
        return
    a_from, a_to = actuals
    team_actuals = app_data.filtered("utilisation", group="team", from_month=a_from, to_month=a_to)
    chart(
        charts.planned_vs_actual(
            team_actuals,
            f"Hours allocated vs booked on timesheets, {views.month_label(a_from)} – "
            f"{views.month_label(a_to)} (months up to the as-of date)",
        ),
        "Planned vs actual by team",
        key="resources_actual",
    )


def team_hours(by_team: pd.DataFrame) -> None:
    """Each team's hours by month, in an expander."""
    columns = {  # in the order shown
        "group_label": "Team",
        "month": month_column("Month"),
        "capacity_hours": hours_column("Capacity h"),
        "allocated_hours": hours_column("Allocated h"),
        "actual_hours": hours_column("Actual h"),
        "utilisation": percent_column("Planned utilisation"),
        "actual_utilisation": percent_column("Actual utilisation"),
    }
    with st.expander("Team hours by month"):
        table(
            views.as_percent(by_team, ["utilisation", "actual_utilisation"]),
            "Team hours by month",
            key="resources_team_hours",
            column_order=list(columns),
            column_config=columns,
        )
