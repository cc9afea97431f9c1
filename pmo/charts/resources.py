"""Resources page charts: utilisation heatmap, capacity against demand, planned vs actual hours."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pmo.charts.theme import INK, empty_note

# Under → at → over capacity: Okabe–Ito blue, near-white at exactly 100%, vermillion.
UTILISATION_DOMAIN = [0.0, 1.0, 1.5]
UTILISATION_RANGE = ["#56B4E9", "#f4f4f4", "#D55E00"]


def utilisation_heatmap(
    util: pd.DataFrame, by: str = "resource", title: str | None = None
) -> alt.Chart:
    """Heatmap of planned utilisation, one row per resource or team, one column per month.

    Columns: group_label, month, capacity_hours, allocated_hours, actual_hours, utilisation,
    over_allocated (the utilisation query). The colour diverges at exactly 100%: blue under,
    white at, vermillion over capacity; every cell prints its percentage, over-allocated
    cells are outlined.
    """
    noun = {"resource": "person", "team": "team", "role": "role"}.get(by, by)
    title = title or f"Planned utilisation by {noun} and month"
    # A cell with hours but no capacity (a role still to hire) has no utilisation but is
    # over-allocated: it stays, drawn at the top of the scale and labelled "no capacity".
    over_flag = (
        util["over_allocated"].fillna(False).astype(bool)
        if "over_allocated" in util
        else pd.Series(False, index=util.index)
    )
    data = util[util["utilisation"].notna() | over_flag].copy()
    no_capacity = data["utilisation"].isna()
    data["shade"] = data["utilisation"].astype(float).where(~no_capacity, UTILISATION_DOMAIN[-1])
    data["cell_label"] = [
        "no capacity" if missing else f"{u:.0%}"
        for u, missing in zip(data["utilisation"], no_capacity, strict=True)
    ]
    if data.empty:
        return empty_note("No capacity or allocations in this window")
    rows = data["group_label"].nunique()
    base = alt.Chart(data).encode(
        x=alt.X(
            "yearmonth(month):O",
            title=None,
            axis=alt.Axis(format="%b %Y", labelAngle=0, orient="top"),
        ),
        y=alt.Y("group_label:N", title=None, sort="ascending"),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "shade:Q",
            title="Allocated ÷ capacity",
            scale=alt.Scale(domain=UTILISATION_DOMAIN, range=UTILISATION_RANGE, clamp=True),
            legend=alt.Legend(
                format=".0%", orient="top", gradientLength=240, values=[0, 0.5, 1, 1.5]
            ),
        ),
        tooltip=[
            alt.Tooltip("group_label:N", title=noun.capitalize()),
            alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
            alt.Tooltip("utilisation:Q", title="Utilisation", format=".0%"),
            alt.Tooltip("allocated_hours:Q", title="Allocated hours", format=",.0f"),
            alt.Tooltip("capacity_hours:Q", title="Capacity hours", format=",.0f"),
            alt.Tooltip("actual_hours:Q", title="Actual hours", format=",.0f"),
        ],
    )
    over = base.transform_filter("datum.over_allocated").mark_rect(
        fill=None, stroke=INK, strokeWidth=1.5
    )
    labels = base.mark_text(fontSize=10).encode(
        text=alt.Text("cell_label:N"),
        color=alt.condition(
            "datum.shade >= 1.3",
            alt.value("white"),
            alt.value(INK),
        ),
    )
    return (cells + over + labels).properties(
        title=alt.Title(
            title,
            subtitle="Allocated hours ÷ capacity. White is exactly 100%; orange and outlined: over-allocated",
        ),
        width="container",
        height=alt.Step(22 if rows > 12 else 30),
    )


def capacity_demand(by_role: pd.DataFrame, role: str | None = None) -> alt.Chart:
    """Demand (allocated hours) stacked by role per month, against the capacity line.

    Columns: role, month, capacity_hours, demand_hours (capacity_demand_by_role). With
    ``role`` only that role is drawn and the line is its capacity; else the line is the
    capacity of every role shown.
    """
    data = by_role if role is None else by_role[by_role["role"] == role]
    if data.empty:
        return empty_note("No capacity or demand in this window")
    who = role or "all roles"
    x = alt.X("yearmonth(month):O", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0))
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("sum(demand_hours):Q", title="Hours per month", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "role:N", title="Demand by role", legend=alt.Legend(columns=4, symbolLimit=0)
            ),
            order=alt.Order("role:N"),
            tooltip=[
                alt.Tooltip("role:N", title="Role"),
                alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                alt.Tooltip("demand_hours:Q", title="Demand (allocated hours)", format=",.0f"),
                alt.Tooltip("capacity_hours:Q", title="Capacity hours", format=",.0f"),
            ],
        )
    )
    capacity = (
        alt.Chart(data)
        .transform_aggregate(capacity="sum(capacity_hours)", groupby=["month"])
        .transform_calculate(series="'Capacity'")
        .mark_line(color=INK, strokeWidth=2.5, point=alt.OverlayMarkDef(color=INK, size=30))
        .encode(
            x=x,
            y=alt.Y("capacity:Q"),
            strokeDash=alt.StrokeDash("series:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                alt.Tooltip("capacity:Q", title="Capacity hours", format=",.0f"),
            ],
        )
    )
    return (bars + capacity).properties(
        title=alt.Title(
            f"Capacity vs demand, {who}",
            subtitle="Bars: hours allocated to projects; line: hours available (weekly capacity × weekdays ÷ 5)",
        ),
        width="container",
        height=360,
    )


def planned_vs_actual(by_team: pd.DataFrame, period: str = "") -> alt.Chart:
    """Planned (allocated) and actual (timesheet) hours per team, summed over the months given.

    Columns: group_label (team), month, allocated_hours, actual_hours (utilisation by team).
    """
    if by_team.empty:
        return empty_note("No allocations or timesheets in this window")
    folded = (
        alt.Chart(by_team)
        .transform_fold(["allocated_hours", "actual_hours"], as_=["measure", "hours"])
        .transform_calculate(
            series="datum.measure == 'allocated_hours' ? 'Planned (allocations)' : 'Actual (timesheets)'"
        )
    )
    bars = folded.mark_bar(height={"band": 0.8}).encode(
        y=alt.Y("group_label:N", title=None, sort="ascending"),
        yOffset=alt.YOffset("series:N", sort=["Planned (allocations)", "Actual (timesheets)"]),
        x=alt.X("sum(hours):Q", title="Hours", axis=alt.Axis(format=",.0f")),
        color=alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(
                domain=["Planned (allocations)", "Actual (timesheets)"],
                range=["#56B4E9", "#0072B2"],
            ),
        ),
        tooltip=[
            alt.Tooltip("group_label:N", title="Team"),
            alt.Tooltip("series:N", title="Hours"),
            alt.Tooltip("sum(hours):Q", title="Total", format=",.0f"),
        ],
    )
    return bars.properties(
        title=alt.Title("Planned vs actual hours by team", subtitle=period or None),
        width="container",
        height=alt.Step(16),
    )
