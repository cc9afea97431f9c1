"""Altair chart builders: DataFrame in, alt.Chart out; no Streamlit, no SQL. One house theme."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
RAG_COLOURS = {"Green": "#009E73", "Amber": "#E69F00", "Red": "#D55E00", "No report": "#999999"}
RAG_ORDER = ["Green", "Amber", "Red", "No report"]
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
INK = "#1f2a37"
MUTED = "#5b6775"
FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"

# Vega-Lite expressions for axis labels: $1.2M, 93%.
MONEY_EXPR = (
    "datum.value >= 1e9 || datum.value <= -1e9 ? '$' + format(datum.value / 1e9, '.1f') + 'B' : "
    "datum.value >= 1e6 || datum.value <= -1e6 ? '$' + format(datum.value / 1e6, '.1f') + 'M' : "
    "datum.value >= 1e3 || datum.value <= -1e3 ? '$' + format(datum.value / 1e3, '.0f') + 'K' : "
    "'$' + format(datum.value, ',.0f')"
)


@alt.theme.register("pmo", enable=True)
def pmo_theme() -> alt.theme.ThemeConfig:
    """House style shared by every chart: readable type, quiet grid, colour-blind-safe colours."""
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "padding": 12,
            "title": {
                "fontSize": 17,
                "fontWeight": 600,
                "color": INK,
                "anchor": "start",
                "subtitleFontSize": 13,
                "subtitleColor": MUTED,
                "offset": 12,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "titleFontWeight": 500,
                "labelColor": INK,
                "titleColor": MUTED,
                "gridColor": "#e6e9ee",
                "domainColor": "#c5ccd6",
                "tickColor": "#c5ccd6",
                "labelLimit": 260,
            },
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "titleColor": MUTED, "orient": "top"},
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 340},
            "range": {"category": PALETTE},
            "bar": {"cornerRadiusEnd": 2},
        }
    }


def money_axis(title: str) -> alt.Axis:
    """An axis labelled in $K/$M/$B."""
    return alt.Axis(title=title, labelExpr=MONEY_EXPR)


def rag_scale() -> alt.Scale:
    """Green/Amber/Red mapped to the house colours, always in that order."""
    return alt.Scale(domain=RAG_ORDER, range=[RAG_COLOURS[r] for r in RAG_ORDER])


def rag_mix(mix: pd.DataFrame, title: str = "RAG status of in-flight projects") -> alt.Chart:
    """Horizontal bars of projects per RAG, labelled with the word and count; columns rag, projects."""
    total = int(mix["projects"].sum()) if len(mix) else 0
    base = alt.Chart(mix, title=alt.Title(title, subtitle=f"{total:,} projects, latest status report")).encode(
        y=alt.Y("rag:N", sort=RAG_ORDER, title=None, axis=alt.Axis(labelFontSize=13)),
        x=alt.X("projects:Q", title="Projects", axis=alt.Axis(tickMinStep=1, format="d")),
    )
    bars = base.mark_bar(height=28).encode(
        color=alt.Color("rag:N", scale=rag_scale(), legend=None),
        tooltip=[
            alt.Tooltip("rag:N", title="RAG"),
            alt.Tooltip("projects:Q", title="Projects"),
            alt.Tooltip("budget:Q", title="Budget", format="$,.0f"),
        ],
    )
    labels = base.mark_text(align="left", dx=6, fontSize=13, color=INK).encode(
        text=alt.Text("projects:Q", format=",d")
    )
    return (bars + labels).properties(height=alt.Step(40), width="container")


def evm_scatter(evm: pd.DataFrame, title: str = "Cost and schedule performance by project") -> alt.Chart:
    """CPI (x) against SPI (y) per in-flight project, colour and shape by RAG, 1.0 lines marked.

    Columns: project_id, name, rag, cpi, spi, budget, sponsor.
    """
    data = evm.dropna(subset=["cpi", "spi"])
    points = (
        alt.Chart(data)
        .mark_point(filled=True, opacity=0.85, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("cpi:Q", title="Cost performance index (CPI)", scale=alt.Scale(zero=False, nice=True)),
            y=alt.Y("spi:Q", title="Schedule performance index (SPI)", scale=alt.Scale(zero=False, nice=True)),
            size=alt.Size("budget:Q", title="Budget", legend=None, scale=alt.Scale(range=[60, 900])),
            color=alt.Color("rag:N", scale=rag_scale(), title="RAG"),
            shape=alt.Shape("rag:N", scale=alt.Scale(domain=RAG_ORDER), title="RAG"),
            tooltip=[
                alt.Tooltip("name:N", title="Project"),
                alt.Tooltip("sponsor:N", title="Sponsor"),
                alt.Tooltip("rag:N", title="RAG"),
                alt.Tooltip("cpi:Q", title="CPI", format=".2f"),
                alt.Tooltip("spi:Q", title="SPI", format=".2f"),
                alt.Tooltip("budget:Q", title="Budget", format="$,.0f"),
            ],
        )
    )
    one = pd.DataFrame({"v": [1.0]})
    vline = alt.Chart(one).mark_rule(strokeDash=[4, 4], color=MUTED).encode(x="v:Q")
    hline = alt.Chart(one).mark_rule(strokeDash=[4, 4], color=MUTED).encode(y="v:Q")
    return (vline + hline + points).properties(
        title=alt.Title(title, subtitle="Below 1.0: over budget (left) or behind schedule (below)"),
        width="container",
        height=380,
    )


# ------------------------------------------------------------------------------ operations
# Resources, Performance & trends, Benefits and Review pages.

# Under → at → over capacity: Okabe–Ito blue, near-white at exactly 100%, vermillion.
UTILISATION_DOMAIN = [0.0, 1.0, 1.5]
UTILISATION_RANGE = ["#56B4E9", "#f4f4f4", "#D55E00"]
MONTH_AXIS = alt.Axis(format="%b %Y", labelAngle=0, labelOverlap="greedy", title=None)
MONTH_BAND_AXIS = alt.Axis(format="%b %y", labelAngle=0, title=None, labelOverlap="greedy")
DATE_AXIS = alt.Axis(format="%b %y", labelOverlap="greedy", labelSeparation=12, title=None)


def _empty_note(text: str) -> alt.Chart:
    """A chart that says there is nothing to draw (builders never fail on empty data)."""
    return (
        alt.Chart(pd.DataFrame({"t": [text]}))
        .mark_text(fontSize=14, color=MUTED)
        .encode(text="t:N")
        .properties(width="container", height=80)
    )


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
    data = util.dropna(subset=["utilisation"])
    if data.empty:
        return _empty_note("No capacity or allocations in this window")
    rows = data["group_label"].nunique()
    base = alt.Chart(data).encode(
        x=alt.X("yearmonth(month):O", title=None, axis=alt.Axis(format="%b %y", labelAngle=0, orient="top")),
        y=alt.Y("group_label:N", title=None, sort="ascending"),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "utilisation:Q",
            title="Allocated ÷ capacity",
            scale=alt.Scale(domain=UTILISATION_DOMAIN, range=UTILISATION_RANGE, clamp=True),
            legend=alt.Legend(format=".0%", orient="top", gradientLength=240, values=[0, 0.5, 1, 1.5]),
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
    over = (
        base.transform_filter("datum.over_allocated")
        .mark_rect(fill=None, stroke=INK, strokeWidth=1.5)
    )
    labels = base.mark_text(fontSize=10).encode(
        text=alt.Text("utilisation:Q", format=".0%"),
        color=alt.condition(
            "datum.utilisation >= 1.3",
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
        return _empty_note("No capacity or demand in this window")
    who = role or "all roles"
    x = alt.X("yearmonth(month):O", title=None, axis=alt.Axis(format="%b %y", labelAngle=0))
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("sum(demand_hours):Q", title="Hours per month", axis=alt.Axis(format=",.0f")),
            color=alt.Color("role:N", title="Demand by role", legend=alt.Legend(columns=4, symbolLimit=0)),
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
        return _empty_note("No allocations or timesheets in this window")
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
            scale=alt.Scale(domain=["Planned (allocations)", "Actual (timesheets)"], range=["#56B4E9", "#0072B2"]),
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


def cpi_spi_trend(trend: pd.DataFrame, x: str = "month", title: str | None = None) -> alt.Chart:
    """CPI and SPI over time with the 1.0 line; columns ``x`` (a date), cpi, spi."""
    title = title or "Cost and schedule performance by month"
    if trend.empty or trend[["cpi", "spi"]].isna().all().all():
        return _empty_note("No status reports to measure performance")
    names = {"cpi": "CPI (cost)", "spi": "SPI (schedule)"}
    lines = (
        alt.Chart(trend)
        .transform_fold(["cpi", "spi"], as_=["index", "value"])
        .transform_calculate(series=f"datum.index == 'cpi' ? '{names['cpi']}' : '{names['spi']}'")
        .mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=36, filled=True))
        .encode(
            x=alt.X(f"{x}:T", axis=DATE_AXIS),
            y=alt.Y("value:Q", title="Index (1.0 = on plan)", scale=alt.Scale(zero=False, nice=True),
                    axis=alt.Axis(format=".2f")),
            color=alt.Color("series:N", title=None, scale=alt.Scale(domain=list(names.values()),
                                                                    range=["#0072B2", "#E69F00"])),
            strokeDash=alt.StrokeDash("series:N", title=None, scale=alt.Scale(domain=list(names.values()),
                                                                              range=[[1, 0], [6, 3]])),
            tooltip=[
                alt.Tooltip(f"{x}:T", title="Date", format="%d %b %Y"),
                alt.Tooltip("series:N", title="Index"),
                alt.Tooltip("value:Q", title="Value", format=".2f"),
            ],
        )
    )
    one = alt.Chart(pd.DataFrame({"v": [1.0], "label": ["1.0 = on plan"]}))
    rule = one.mark_rule(color=MUTED, strokeDash=[4, 4]).encode(y="v:Q")
    rule_label = one.mark_text(align="right", baseline="bottom", dy=-2, color=MUTED, fontSize=11).encode(
        y="v:Q", x=alt.value({"expr": "width"}), text="label:N")
    return (rule + rule_label + lines).properties(
        title=alt.Title(title, subtitle="Below 1.0: over budget (CPI) or behind schedule (SPI)"),
        width="container",
        height=320,
    )


def cumulative_evm(trend: pd.DataFrame, x: str = "month", title: str | None = None) -> alt.Chart:
    """Cumulative planned value, earned value and actual cost; columns ``x``, planned_value,
    earned_value, actual_cost."""
    title = title or "Planned value, earned value and actual cost (cumulative)"
    if trend.empty:
        return _empty_note("No status reports yet")
    names = {"planned_value": "Planned value (PV)", "earned_value": "Earned value (EV)",
             "actual_cost": "Actual cost (AC)"}
    order = list(names.values())
    expr = " : ".join(f"datum.k == '{k}' ? '{v}'" for k, v in names.items()) + " : datum.k"
    lines = (
        alt.Chart(trend)
        .transform_fold(list(names), as_=["k", "value"])
        .transform_calculate(series=expr)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X(f"{x}:T", axis=DATE_AXIS),
            y=alt.Y("value:Q", axis=money_axis("Cumulative to date")),
            color=alt.Color("series:N", title=None, sort=order,
                            scale=alt.Scale(domain=order, range=["#999999", "#0072B2", "#D55E00"])),
            strokeDash=alt.StrokeDash("series:N", title=None, sort=order,
                                      scale=alt.Scale(domain=order, range=[[6, 3], [1, 0], [1, 0]])),
            tooltip=[
                alt.Tooltip(f"{x}:T", title="Date", format="%d %b %Y"),
                alt.Tooltip("series:N", title="Measure"),
                alt.Tooltip("value:Q", title="Value", format="$,.0f"),
            ],
        )
    )
    return lines.properties(
        title=alt.Title(title, subtitle="EV below PV: behind schedule; AC above EV: over budget"),
        width="container",
        height=320,
    )


def rag_trend(trend: pd.DataFrame) -> alt.Chart:
    """Projects per RAG by month, stacked Green/Amber/Red with counts; columns month,
    rag_green, rag_amber, rag_red."""
    if trend.empty:
        return _empty_note("No status reports yet")
    folded = (
        alt.Chart(trend)
        .transform_fold(["rag_green", "rag_amber", "rag_red"], as_=["k", "projects"])
        .transform_calculate(
            rag="datum.k == 'rag_green' ? 'Green' : datum.k == 'rag_amber' ? 'Amber' : 'Red'",
            rank="datum.k == 'rag_green' ? 0 : datum.k == 'rag_amber' ? 1 : 2",
        )
        .transform_filter("datum.projects > 0")
        .transform_joinaggregate(month_total="sum(projects)", groupby=["month"])
        .transform_joinaggregate(peak="max(month_total)")
    )
    x = alt.X("yearmonth(month):O", title=None, axis=alt.Axis(format="%b %y", labelAngle=0, labelOverlap="greedy"))
    y = alt.Y("projects:Q", title="In-flight projects", stack="zero", axis=alt.Axis(tickMinStep=1, format="d"))
    order = alt.Order("rank:Q", sort="ascending")
    bars = folded.mark_bar().encode(
        x=x,
        y=y,
        order=order,
        color=alt.Color("rag:N", title="RAG", scale=alt.Scale(domain=RAG_ORDER[:3],
                                                              range=[RAG_COLOURS[r] for r in RAG_ORDER[:3]])),
        tooltip=[
            alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
            alt.Tooltip("rag:N", title="RAG"),
            alt.Tooltip("projects:Q", title="Projects"),
        ],
    )
    # Count labels only where the segment is tall enough to hold one.
    labels = folded.transform_filter("datum.projects >= 0.06 * datum.peak").mark_text(
        dy=3, color="white", fontSize=11, baseline="top"
    ).encode(
        x=x, y=y, order=order, text=alt.Text("projects:Q", format="d"),
        detail="rag:N",
    )
    return (bars + labels).properties(
        title=alt.Title("RAG status of in-flight projects by month",
                        subtitle="Each project's latest status report on or before the month's end"),
        width="container",
        height=320,
    )


def milestone_slip(
    ms: pd.DataFrame, top: int = 20, title: str | None = None, one_project: bool = False
) -> alt.Chart:
    """Baseline → forecast (or actual) date per milestone, the ``top`` worst slips first.

    Columns: project_name, milestone, baseline_date, forecast_date, actual_date, slip_days
    (milestone_slip). Hollow circle: baseline; filled: forecast or actual, vermillion when late,
    green when on time or early. ``one_project``: rows named by milestone alone, in baseline
    order.
    """
    data = ms.dropna(subset=["slip_days"])
    data = (data.sort_values("baseline_date") if one_project
            else data.sort_values("slip_days", ascending=False, kind="stable").head(top)).copy()
    if data.empty:
        return _empty_note("No milestones with a forecast or actual date")
    data["label"] = data["milestone"].astype(str) if one_project else (
        data["project_name"].astype(str) + " · " + data["milestone"].astype(str))
    data["latest_date"] = data["actual_date"].fillna(data["forecast_date"])
    data["kind"] = data["actual_date"].notna().map({True: "Actual", False: "Forecast"})
    data["late"] = (data["slip_days"] > 0).map({True: "Late", False: "On time or early"})
    title = title or (f"Milestone slip: the {len(data)} largest slips against baseline" if len(ms) > top
                      else "Milestone slip against baseline")
    order = data["label"].tolist()
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=340))
    base = alt.Chart(data)
    tooltip = [
        alt.Tooltip("project_name:N", title="Project"),
        alt.Tooltip("milestone:N", title="Milestone"),
        alt.Tooltip("baseline_date:T", title="Baseline", format="%d %b %Y"),
        alt.Tooltip("latest_date:T", title="Forecast / actual", format="%d %b %Y"),
        alt.Tooltip("kind:N", title="Date is"),
        alt.Tooltip("slip_days:Q", title="Slip (days)", format="+,d"),
    ]
    rule = base.mark_rule(color="#c5ccd6", strokeWidth=2).encode(
        y=y,
        x=alt.X("baseline_date:T", axis=DATE_AXIS, scale=alt.Scale(padding=40)),
        x2="latest_date:T",
    )
    baseline = base.mark_point(size=70, filled=False, color=INK, strokeWidth=1.5).encode(
        y=y, x="baseline_date:T", tooltip=tooltip)
    latest = base.mark_point(size=80, filled=True, opacity=1).encode(
        y=y, x="latest_date:T", tooltip=tooltip,
        color=alt.Color("late:N", title=None, scale=alt.Scale(
            domain=["Late", "On time or early"], range=[RAG_COLOURS["Red"], RAG_COLOURS["Green"]])),
    )
    labels = base.mark_text(align="left", dx=8, fontSize=11, color=INK).encode(
        y=y, x="latest_date:T", text=alt.Text("slip_label:N"),
    ).transform_calculate(slip_label="(datum.slip_days > 0 ? '+' : '') + datum.slip_days + ' d'")
    return (rule + baseline + latest + labels).properties(
        title=alt.Title(title, subtitle="Hollow: baseline date; filled: forecast or actual date; label: days late"),
        width="container",
        height=alt.Step(22),
    )


def benefits_bars(frame: pd.DataFrame, label: str, title: str) -> alt.Chart:
    """Planned and realised benefit per row (project or objective), largest planned first.

    Columns: ``label`` (the row name), planned, realized, realisation_rate.
    """
    if frame.empty:
        return _empty_note("No benefits recorded")
    order = frame.sort_values("planned", ascending=False)[label].tolist()
    names = {"planned": "Planned", "realized": "Realised"}
    bars = (
        alt.Chart(frame)
        .transform_fold(["planned", "realized"], as_=["k", "value"])
        .transform_calculate(series="datum.k == 'planned' ? 'Planned' : 'Realised'")
        .mark_bar()
        .encode(
            y=alt.Y(f"{label}:N", title=None, sort=order, axis=alt.Axis(labelLimit=300)),
            yOffset=alt.YOffset("series:N", sort=list(names.values())),
            x=alt.X("value:Q", axis=money_axis("Benefit")),
            color=alt.Color("series:N", title=None, scale=alt.Scale(
                domain=list(names.values()), range=["#56B4E9", "#009E73"])),
            tooltip=[
                alt.Tooltip(f"{label}:N", title=label.replace("_", " ").capitalize()),
                alt.Tooltip("planned:Q", title="Planned", format="$,.0f"),
                alt.Tooltip("realized:Q", title="Realised", format="$,.0f"),
                alt.Tooltip("realisation_rate:Q", title="Realised share", format=".0%"),
            ],
        )
    )
    # The label: realised ÷ planned; "not yet due" where nothing is due and nothing realised.
    rate_text = "format(datum.realisation_rate, '.0%')"
    if "due_planned" in frame.columns:
        rate_text = f"datum.due_planned === 0 && !datum.realized ? 'not yet due' : {rate_text}"
    rate = (
        alt.Chart(frame)
        .transform_calculate(
            end="max(datum.planned, datum.realized || 0)",
            rate_label=rate_text,
        )
        .mark_text(align="left", dx=6, fontSize=11, color=INK)
        .encode(
            y=alt.Y(f"{label}:N", sort=order),
            x=alt.X("end:Q"),
            text=alt.Text("rate_label:N"),
        )
    )
    return (bars + rate).properties(
        title=alt.Title(title, subtitle="Label: realised ÷ planned; not yet due: no benefit due by the as-of date"),
        width="container",
        height=alt.Step(14),
    )


RAG_MOVES = {"rag_better": "Better", "rag_worse": "Worse"}


def rag_movement(changes: pd.DataFrame) -> alt.Chart:
    """Projects per RAG move (e.g. "Green → Amber"), coloured better or worse.

    Columns: change_kind, before, after (review_imports / review_changes); rows of kinds
    other than rag_better and rag_worse are ignored.
    """
    data = changes[changes["change_kind"].isin(list(RAG_MOVES))]
    if data.empty:
        return _empty_note("No project changed RAG")
    moves = (
        data.assign(
            move=data["before"].astype(str) + " → " + data["after"].astype(str),
            direction=data["change_kind"].map(RAG_MOVES),
        )
        .groupby(["move", "direction"], as_index=False)
        .size()
        .rename(columns={"size": "projects"})
    )
    rank = {"Red": 0, "Amber": 1, "Green": 2}
    # Worst moves first (Green → Red), then the better ones.
    order = sorted(
        moves["move"],
        key=lambda m: (rank.get(m.split(" → ")[1], 0) - rank.get(m.split(" → ")[0], 0), m),
    )
    top = int(moves["projects"].max())
    y = alt.Y("move:N", title=None, sort=order, axis=alt.Axis(labelFontSize=13))
    base = alt.Chart(moves)
    bars = base.mark_bar(height=24).encode(
        y=y,
        x=alt.X(
            "projects:Q",
            title="Projects",
            scale=alt.Scale(domain=[0, top + 1], nice=False),
            axis=alt.Axis(values=list(range(0, top + 2, max(1, (top + 1) // 8))), format="d"),
        ),
        color=alt.Color("direction:N", title=None, scale=alt.Scale(
            domain=["Better", "Worse"], range=[RAG_COLOURS["Green"], RAG_COLOURS["Red"]])),
        tooltip=[alt.Tooltip("move:N", title="RAG"), alt.Tooltip("projects:Q", title="Projects")],
    )
    labels = base.mark_text(align="left", dx=6, fontSize=13, color=INK).encode(
        y=y, x="projects:Q", text=alt.Text("projects:Q", format="d"))
    return (bars + labels).properties(
        title=alt.Title("RAG movement", subtitle="Projects whose latest RAG changed, from → to"),
        width="container",
        height=alt.Step(36),
    )


# --- Executive pages: Overview, Strategic alignment, Prioritisation -------------------------

NOT_STARTED = "No report"
LABEL_MAX_POINTS = 150  # name the largest bubbles only up to this many projects
FRONTIER_HEIGHT = 420
IN_PORTFOLIO_COLOURS = {"In portfolio": "#0072B2", "Not in portfolio": "#9fb3c8"}
CRITERIA_COLOURS = {"Alignment": "#0072B2", "Value for money": "#E69F00", "Low risk": "#009E73"}
SET_COLOURS = {"Today's portfolio": "#CC79A7", "Optimal under the cap": "#0072B2"}
# Alignment scores 0–5: 0 a pale grey, 1–5 darkening blues (readable in grey scale too).
SCORE_COLOURS = ["#f1f3f6", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
SCORE_LABEL_EXPR = (
    "datum.value == 0 ? '0 none' : datum.value == 5 ? '5 critical' : datum.label"
)


def _labels(names: pd.Series, ids: pd.Series) -> pd.Series:
    """Project names as axis labels, made unique with the id where two projects share a name."""
    names = names.fillna(ids).astype(str)
    dup = names.duplicated(keep=False)
    return names.where(~dup, names + " (" + ids.astype(str) + ")")


def _wrap(text: str, width: int = 18) -> str:
    """Break a label into lines of about ``width`` characters, joined by '|' for labelExpr."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "|".join(lines)


def _money_expr(field: str) -> str:
    """A Vega expression formatting ``datum[field]`` as $1.2M, computed in the browser, so
    thousands of rows cost nothing to label in Python."""
    return MONEY_EXPR.replace("datum.value", f"datum['{field}']")


def _fmt_money(value: float) -> str:
    # Imported here so the chart module stays usable without the rest of the package.
    from pmo import format

    return format.money(value)


def _place_labels(
    points: pd.DataFrame, x: str, y: str, x_max: float, y_max: float, radius: pd.Series,
    width: float = 600, height: float = 360, char_px: float = 6.2,
) -> pd.DataFrame:
    """Greedy label placement: try each point's label right, then left, of its bubble (level,
    then above, then below), and keep the first spot that overlaps no label already placed
    nor leaves the plot. Returns the placed rows with label_x, label_y (data units) and side.
    """
    placed: list[tuple[float, float, float, float]] = []
    rows = []
    for idx, row in points.iterrows():
        px = row[x] / x_max * width
        py = height - row[y] / y_max * height
        w, h, gap = len(str(row["label"])) * char_px, 14, float(radius.loc[idx]) + 4
        for side, dy in (("right", 0), ("left", 0), ("right", -gap), ("left", -gap),
                         ("right", gap), ("left", gap)):
            left = px + gap if side == "right" else px - gap - w
            box = (left, py + dy - h / 2, left + w, py + dy + h / 2)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            clear = all(box[2] < o[0] or box[0] > o[2] or box[3] < o[1] or box[1] > o[3] for o in placed)
            if inside and clear:
                placed.append(box)
                rows.append({**row.to_dict(), "side": side,
                             "label_x": (left if side == "right" else left + w) / width * x_max,
                             "label_y": (height - (py + dy)) / height * y_max})
                break
    return pd.DataFrame(rows, columns=[*points.columns, "side", "label_x", "label_y"])


def _size_legend_values(budgets: pd.Series) -> list[float]:
    """Three round budgets spanning the data for the size legend ($1M, $4M, $8M ...)."""
    top = float(budgets.max()) if len(budgets) and budgets.notna().any() else 0.0
    if top <= 0:
        return []
    values = []
    for share in (0.15, 0.5, 1.0):
        v = top * share
        magnitude = 10 ** math.floor(math.log10(v))
        values.append(math.floor(v / magnitude) * magnitude)
    return sorted(set(values))


def portfolio_bubble(
    priority: pd.DataFrame,
    evm: pd.DataFrame,
    title: str = "Portfolio map: strategic alignment against priority",
    label_top: int = 6,
) -> alt.Chart:
    """In-portfolio projects placed by alignment (x) and priority score (y), sized by budget,
    coloured and shaped by RAG; the largest budgets named where their labels fit.

    priority: priority_scores rows (project_id, name, sponsor, status, budget, alignment_score,
    priority_score, in_portfolio). evm: project_evm rows (project_id, rag, cpi, spi).
    """
    data = priority[priority["in_portfolio"].fillna(False).astype(bool)]
    data = data[["project_id", "name", "sponsor", "status", "budget", "alignment_score",
                 "priority_score"]]
    data = data.merge(evm[["project_id", "rag", "cpi", "spi"]], on="project_id", how="left")
    data = data.assign(
        rag=data["rag"].fillna(NOT_STARTED),
        label=_labels(data["name"], data["project_id"]),
    )
    total = _fmt_money(data["budget"].sum())
    top_x = float(data["alignment_score"].max()) if data["alignment_score"].notna().any() else 0.0
    x_max = min(100.0, max(10.0, math.ceil((top_x + 5) / 10) * 10))
    x_title, y_title = "Strategic alignment score (0–100)", "Priority score (0–100)"
    x_scale, y_scale = alt.Scale(domain=[0, x_max]), alt.Scale(domain=[0, 100])
    x_axis = alt.Axis(tickCount=10)
    x = alt.X("alignment_score:Q", title=x_title, scale=x_scale, axis=x_axis)
    y = alt.Y("priority_score:Q", title=y_title, scale=y_scale)
    points = alt.Chart(data).transform_calculate(
        budget_label=_money_expr("budget")
    ).mark_point(filled=True, opacity=0.5 if len(data) > LABEL_MAX_POINTS else 0.8, stroke="white",
                 strokeWidth=0.5 if len(data) > LABEL_MAX_POINTS else 1).encode(
        x=x,
        y=y,
        size=alt.Size("budget:Q", title="Budget", scale=alt.Scale(range=[40, 1400]),
                      legend=alt.Legend(labelExpr=MONEY_EXPR, symbolFillColor="#9aa5b1",
                                        symbolStrokeColor="#9aa5b1",
                                        values=_size_legend_values(data["budget"]))),
        color=alt.Color("rag:N", scale=rag_scale(), title="RAG"),
        shape=alt.Shape("rag:N", scale=alt.Scale(domain=RAG_ORDER,
                                                 range=["circle", "triangle-up", "square", "diamond"]),
                        title="RAG"),
        order=alt.Order("budget:Q", sort="descending"),
        tooltip=[
            alt.Tooltip("name:N", title="Project"),
            alt.Tooltip("sponsor:N", title="Sponsor"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("rag:N", title="RAG"),
            alt.Tooltip("cpi:Q", title="CPI", format=".2f"),
            alt.Tooltip("spi:Q", title="SPI", format=".2f"),
            alt.Tooltip("budget_label:N", title="Budget"),
            alt.Tooltip("alignment_score:Q", title="Alignment score", format=".0f"),
            alt.Tooltip("priority_score:Q", title="Priority score", format=".0f"),
        ],
    )
    # Names only where they can be read: in a cloud of hundreds of bubbles they are noise.
    crowded = len(data) > LABEL_MAX_POINTS
    candidates = data.dropna(subset=["alignment_score", "priority_score"]).nlargest(
        0 if crowded else label_top, "budget"
    )
    # Bubble radius in pixels: area grows linearly from 40 to 1400 px² over 0..max budget.
    top_budget = float(data["budget"].max()) if data["budget"].notna().any() else 0.0
    area = 40 + 1360 * candidates["budget"].fillna(0) / (top_budget or 1)
    named = _place_labels(candidates, "alignment_score", "priority_score", x_max, 100.0,
                          radius=(area / math.pi) ** 0.5)
    layers = [points]
    for side in ("left", "right"):
        part = named[named["side"] == side]
        if len(part):
            layers.append(
                alt.Chart(part).mark_text(align="left" if side == "right" else "right",
                                          baseline="middle", fontSize=11, color=INK).encode(
                    # Same titles and ticks as the bubbles', so the shared axes stay theirs.
                    x=alt.X("label_x:Q", title=x_title, axis=x_axis, scale=x_scale),
                    y=alt.Y("label_y:Q", title=y_title, scale=y_scale),
                    text="label:N",
                )
            )
    return alt.layer(*layers).properties(
        title=alt.Title(
            title,
            subtitle=f"{len(data):,} in-portfolio projects, {total} budget; bubble size = budget; "
            + ("hover for names" if crowded else "the largest named"),
        ),
        width="container",
        height=480,
    )


def alignment_heatmap(
    matrix: pd.DataFrame,
    ranking: pd.DataFrame,
    title: str = "How each project contributes to each objective",
    limit: int = 60,
) -> alt.Chart:
    """Objective (columns) × project (rows) heatmap of alignment scores 0–5, the numbers in
    the cells; projects in ranking order (best aligned first), at most ``limit`` rows.

    matrix: alignment_matrix rows (project_id, objective_id, objective_name, weight, score).
    ranking: project_alignment rows (project_id, name, alignment_score), in the order to show.
    """
    shown = ranking.head(limit).reset_index(drop=True)
    shown = shown.assign(
        row_label=_labels(shown["name"], shown["project_id"])
        + "  ("
        + shown["alignment_score"].map(lambda v: "—" if pd.isna(v) else f"{v:.0f}")
        + ")"
    )
    objectives = (
        matrix[["objective_id", "objective_name", "weight"]]
        .drop_duplicates("objective_id")
        .sort_values(["weight", "objective_id"], ascending=[False, True])
    )
    # About 7 px a character in a plot ~900 px wide: wrap the names to their column's width.
    per_line = max(10, min(24, 900 // max(1, len(objectives)) // 7))
    objectives = objectives.assign(
        col_label=[
            _wrap(f"{n} (weight {w:g})", per_line)
            for n, w in zip(objectives["objective_name"], objectives["weight"], strict=True)
        ]
    )
    # Every project × objective cell, 0 where no score was given.
    grid = shown[["project_id", "name", "row_label", "alignment_score"]].merge(
        objectives, how="cross"
    )
    # Only the shown projects' rows (60,000 rows at 5,000 projects; a set lookup, not isin,
    # which is slow on Arrow strings).
    shown_ids = set(shown["project_id"])
    mine = np.fromiter((p in shown_ids for p in matrix["project_id"].to_numpy(object)), bool,
                       len(matrix))
    scores = matrix.loc[mine, ["project_id", "objective_id", "score"]].dropna(subset=["score"])
    grid = grid.merge(scores, on=["project_id", "objective_id"], how="left")
    grid["score"] = grid["score"].fillna(0).astype(int)
    grid["score_label"] = grid["score"].map(lambda s: str(s) if s else "")
    row_order = shown["row_label"].tolist()
    col_order = objectives["col_label"].tolist()
    # Top-axis labels grow downwards line by line: lift them by their extra lines.
    lines = max((label.count("|") + 1 for label in col_order), default=1)
    base = alt.Chart(grid).encode(
        x=alt.X("col_label:N", sort=col_order, title=None,
                axis=alt.Axis(orient="top", labelAngle=0, labelExpr="split(datum.label, '|')",
                              labelLineHeight=14, labelPadding=6 + 14 * (lines - 1),
                              labelFontSize=12,
                              labelLimit=200, ticks=False, domain=False)),
        y=alt.Y("row_label:N", sort=row_order, title=None,
                axis=alt.Axis(labelFontSize=12, labelLimit=320, ticks=False, domain=False)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1.5).encode(
        color=alt.Color("score:O", title="Contribution to the objective",
                        scale=alt.Scale(domain=list(range(6)), range=SCORE_COLOURS),
                        legend=alt.Legend(orient="top", labelExpr=SCORE_LABEL_EXPR)),
        tooltip=[
            alt.Tooltip("name:N", title="Project"),
            alt.Tooltip("objective_name:N", title="Objective"),
            alt.Tooltip("score:Q", title="Contribution (0–5)"),
            alt.Tooltip("alignment_score:Q", title="Project alignment score", format=".0f"),
        ],
    )
    numbers = base.mark_text(fontSize=12, fontWeight=600).encode(
        text="score_label:N",
        color=alt.condition("datum.score >= 3", alt.value("white"), alt.value(INK)),
    )
    more = len(ranking) - len(shown)
    subtitle = "Rows: projects, best aligned first, alignment score (0–100) in brackets; blank = no contribution"
    if more > 0:
        subtitle += f"; top {len(shown)} of {len(ranking)} shown (all in the table below)"
    return (cells + numbers).properties(
        title=alt.Title(title, subtitle=subtitle),
        width="container",
        height=alt.Step(22),
    )


def investment_vs_target(
    investment: pd.DataFrame, title: str = "Investment by objective against target share"
) -> alt.Chart:
    """Per objective, the share of in-portfolio budget invested beside its target share, with
    the gap labelled in percentage points; the unaligned share last.

    Columns: objective_id, objective_name, weight, target_share, invested_budget, actual_share,
    gap (actual − target).
    """
    data = investment.copy()
    data["objective_name"] = data["objective_name"].fillna(data["objective_id"]).astype(str)
    unaligned = data["objective_id"] == "UNALIGNED"
    data.loc[unaligned, "objective_name"] = "Unaligned (no objective)"
    data["order"] = unaligned.astype(int)  # the unaligned share comes last
    data = data.sort_values(["order", "weight", "objective_id"], ascending=[True, False, True])
    order = data["objective_name"].tolist()
    data["invested_label"] = data["invested_budget"].map(_fmt_money)
    data["gap_label"] = [
        "no target" if pd.isna(g) else "on target" if abs(g) < 0.005
        else f"{g * 100:+.0f} pts vs target".replace("-", "−")
        for g in data["gap"]
    ]
    data["label_at"] = data[["actual_share", "target_share"]].max(axis=1)
    long = data.melt(
        id_vars=["objective_id", "objective_name", "invested_label", "gap_label"],
        value_vars=["actual_share", "target_share"],
        var_name="measure",
        value_name="share",
    ).dropna(subset=["share"])
    long["measure"] = long["measure"].map({"actual_share": "Invested", "target_share": "Target"})
    measures = ["Invested", "Target"]
    y = alt.Y("objective_name:N", sort=order, title=None,
              scale=alt.Scale(paddingInner=0.3, paddingOuter=0.15),
              axis=alt.Axis(labelFontSize=12, labelLimit=260))
    bars = alt.Chart(long).mark_bar().encode(
        y=y,
        yOffset=alt.YOffset("measure:N", sort=measures, scale=alt.Scale(paddingInner=0.1)),
        x=alt.X("share:Q", title="Share of in-portfolio budget",
                axis=alt.Axis(format=".0%", tickCount=6)),
        color=alt.Color("measure:N", sort=measures, title=None,
                        scale=alt.Scale(domain=measures, range=["#0072B2", "#c5ccd6"])),
        tooltip=[
            alt.Tooltip("objective_name:N", title="Objective"),
            alt.Tooltip("measure:N", title="Measure"),
            alt.Tooltip("share:Q", title="Share", format=".1%"),
            alt.Tooltip("invested_label:N", title="Invested"),
        ],
    )
    gaps = alt.Chart(data).mark_text(align="left", dx=8, fontSize=12, color=INK).encode(
        y=y,
        x=alt.X("label_at:Q"),
        text="gap_label:N",
        color=alt.condition("datum.gap < -0.02", alt.value("#D55E00"), alt.value(INK)),
    )
    return (bars + gaps).properties(
        title=alt.Title(title, subtitle="Budget of Approved, Active and On Hold projects, split by "
                        "their alignment scores; label = invested minus target"),
        width="container",
        height=alt.Step(16),  # per bar: the step applies to the offset band
    )


def alignment_ranking(
    ranking: pd.DataFrame, title: str = "Projects ranked by strategic alignment", limit: int = 40
) -> alt.Chart:
    """Horizontal bars of alignment score (0–100) per project, best first, in-portfolio
    projects in blue; at most ``limit`` rows.

    Columns: project_id, name, status, portfolio, sponsor, budget, alignment_score, in_portfolio.
    """
    shown = ranking.head(limit)
    data = shown.assign(
        label=_labels(shown["name"], shown["project_id"]),
        group=shown["in_portfolio"].fillna(False).astype(bool).map(
            {True: "In portfolio", False: "Not in portfolio"}
        ),
        budget_label=shown["budget"].map(_fmt_money),
    )
    order = data["label"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
        x=alt.X("alignment_score:Q", title="Alignment score (0–100)", scale=alt.Scale(domain=[0, 100])),
    )
    bars = base.mark_bar(height=alt.RelativeBandSize(0.7)).encode(
        color=alt.Color("group:N", title=None,
                        scale=alt.Scale(domain=list(IN_PORTFOLIO_COLOURS),
                                        range=list(IN_PORTFOLIO_COLOURS.values()))),
        tooltip=[
            alt.Tooltip("name:N", title="Project"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("portfolio:N", title="Portfolio"),
            alt.Tooltip("sponsor:N", title="Sponsor"),
            alt.Tooltip("budget_label:N", title="Budget"),
            alt.Tooltip("alignment_score:Q", title="Alignment score", format=".0f"),
        ],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11, color=INK).encode(
        text=alt.Text("alignment_score:Q", format=".0f")
    )
    more = len(ranking) - len(shown)
    subtitle = "Weighted contribution to the objectives, 100 = critical to every objective"
    if more > 0:
        subtitle += f"; top {len(shown)} of {len(ranking)}"
    return (bars + labels).properties(
        title=alt.Title(title, subtitle=subtitle), width="container", height=alt.Step(20)
    )


def priority_contributions(
    ranked: pd.DataFrame, title: str = "Priority score and what makes it", limit: int = 30
) -> alt.Chart:
    """Stacked bars of each criterion's contribution to the priority score, best first;
    projects in the optimal set marked ✓. At most ``limit`` rows.

    Columns: rank, project_id, name, contrib_alignment, contrib_value, contrib_risk,
    priority_score, in_optimal.
    """
    shown = ranked.sort_values("rank").head(limit)
    shown = shown.assign(
        label=shown["rank"].astype(int).astype(str) + ". "
        + _labels(shown["name"], shown["project_id"])
        + shown["in_optimal"].map({True: "  ✓", False: ""})
    )
    parts = {
        "contrib_alignment": "Alignment",
        "contrib_value": "Value for money",
        "contrib_risk": "Low risk",
    }
    long = shown.melt(
        id_vars=["label", "name", "priority_score"], value_vars=list(parts),
        var_name="criterion", value_name="points",
    )
    long["criterion"] = long["criterion"].map(parts)
    order = shown["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    bars = alt.Chart(long).mark_bar(height=alt.RelativeBandSize(0.7)).encode(
        y=y,
        x=alt.X("sum(points):Q", title="Priority score (0–100)", scale=alt.Scale(domain=[0, 100])),
        color=alt.Color("criterion:N", title=None, sort=list(CRITERIA_COLOURS),
                        scale=alt.Scale(domain=list(CRITERIA_COLOURS),
                                        range=list(CRITERIA_COLOURS.values()))),
        order=alt.Order("criterion_order:Q"),
        tooltip=[
            alt.Tooltip("name:N", title="Project"),
            alt.Tooltip("criterion:N", title="Criterion"),
            alt.Tooltip("points:Q", title="Points", format=".1f"),
            alt.Tooltip("priority_score:Q", title="Priority score", format=".1f"),
        ],
    ).transform_calculate(
        criterion_order="indexof(['Alignment', 'Value for money', 'Low risk'], datum.criterion)"
    )
    totals = alt.Chart(shown).mark_text(align="left", dx=4, fontSize=11, color=INK).encode(
        y=y, x="priority_score:Q", text=alt.Text("priority_score:Q", format=".0f")
    )
    more = len(ranked) - len(shown)
    subtitle = "Each bar: the weighted, normalised criteria; ✓ = in the optimal set under the cap"
    if more > 0:
        subtitle += f"; top {len(shown)} of {len(ranked)}"
    return (bars + totals).properties(
        title=alt.Title(title, subtitle=subtitle), width="container", height=alt.Step(20)
    )


def value_cost_frontier(
    frontier: pd.DataFrame,
    sets: pd.DataFrame,
    cap: float | None,
    title: str = "Value for money: cumulative priority score against cumulative cost",
) -> alt.Chart:
    """The frontier (candidates in score-per-dollar order, cumulative cost vs cumulative
    score), each project coloured by whether it is in today's portfolio; today's set and the
    optimal set as labelled markers; the budget cap as a rule.

    frontier: prioritise.frontier columns (step, name, budget, priority_score, cum_budget,
    cum_score, in_today). sets: prioritise.set_points columns (label, projects, budget, score).
    """
    data = frontier[["step", "name", "budget", "priority_score", "cum_budget", "cum_score"]].assign(
        group=frontier["in_today"].map({True: "In today's portfolio", False: "Not in portfolio"}),
    )
    marks = sets.assign(
        budget_label=sets["budget"].map(_fmt_money),
        text=[
            f"{lab}: {_fmt_money(b)}, score {s:,.0f}"
            for lab, b, s in zip(sets["label"], sets["budget"], sets["score"], strict=True)
        ],
    )
    x = alt.X("cum_budget:Q", title="Cumulative budget", axis=money_axis("Cumulative budget"))
    y = alt.Y("cum_score:Q", title="Cumulative priority score")
    line = alt.Chart(data).mark_line(color="#9aa5b1", strokeWidth=1.5).encode(x=x, y=y, order="step:Q")
    dots = alt.Chart(data).transform_calculate(
        budget_label=_money_expr("budget"), cum_label=_money_expr("cum_budget")
    ).mark_circle(size=36 if len(data) <= 300 else 10, opacity=0.9 if len(data) <= 300 else 0.6).encode(
        x=x,
        y=y,
        color=alt.Color("group:N", title=None,
                        scale=alt.Scale(domain=["In today's portfolio", "Not in portfolio"],
                                        range=[SET_COLOURS["Today's portfolio"], "#9aa5b1"])),
        tooltip=[
            alt.Tooltip("step:Q", title="Order (score per $)"),
            alt.Tooltip("name:N", title="Project"),
            alt.Tooltip("budget_label:N", title="Budget"),
            alt.Tooltip("priority_score:Q", title="Priority score", format=".1f"),
            alt.Tooltip("cum_label:N", title="Cumulative budget"),
            alt.Tooltip("cum_score:Q", title="Cumulative score", format=",.0f"),
            alt.Tooltip("group:N", title="Today"),
        ],
    )
    set_x = alt.X("budget:Q")
    set_y = alt.Y("score:Q")
    set_marks = alt.Chart(marks).mark_point(size=260, filled=True, shape="diamond",
                                             stroke="white", strokeWidth=1.5).encode(
        x=set_x, y=set_y,
        fill=alt.Fill("label:N", title=None, scale=alt.Scale(domain=list(SET_COLOURS),
                                                             range=list(SET_COLOURS.values()))),
        tooltip=[alt.Tooltip("label:N", title="Set"), alt.Tooltip("projects:Q", title="Projects"),
                 alt.Tooltip("budget_label:N", title="Budget"),
                 alt.Tooltip("score:Q", title="Total score", format=",.0f")],
    )
    set_text = alt.Chart(marks).mark_text(align="right", dx=-12, dy=-10, fontSize=12,
                                          fontWeight=600, color=INK).encode(
        x=set_x, y=set_y, text="text:N"
    )
    layers = [line, dots, set_marks, set_text]
    if cap is not None and not pd.isna(cap):
        rule_data = pd.DataFrame({"cap": [float(cap)], "text": [f"Budget cap {_fmt_money(cap)}"]})
        layers.append(alt.Chart(rule_data).mark_rule(strokeDash=[5, 4], color=INK).encode(x="cap:Q"))
        layers.append(
            # At the foot of the rule: the set labels sit near the top of the curve.
            alt.Chart(rule_data).mark_text(align="left", dx=5, dy=-4, baseline="bottom", fontSize=12,
                                           color=INK).encode(x="cap:Q", y=alt.datum(0), text="text:N")
        )
    return alt.layer(*layers).resolve_scale(color="independent", fill="independent").properties(
        title=alt.Title(title, subtitle="Projects in descending score per dollar; the curve bends "
                        "where extra spend buys less priority"),
        width="container",
        height=FRONTIER_HEIGHT,
    )
