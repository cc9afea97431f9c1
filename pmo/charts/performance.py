"""Performance & trends page charts: CPI/SPI trend, cumulative EVM, RAG by month, milestone slip."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pmo.charts.theme import DATE_AXIS, INK, MUTED, RAG_COLOURS, RAG_ORDER, empty_note, money_axis


def cpi_spi_trend(
    trend: pd.DataFrame,
    x: str = "month",
    title: str | None = None,
    empty_text: str = "No status reports with cost figures to measure performance",
) -> alt.Chart:
    """CPI and SPI over time with the 1.0 line; columns ``x`` (a date), cpi, spi.
    ``empty_text`` is drawn when no report gives the figures."""
    title = title or "Cost and schedule performance by month"
    if trend.empty or trend[["cpi", "spi"]].isna().all().all():
        return empty_note(empty_text)
    names = {"cpi": "CPI (cost)", "spi": "SPI (schedule)"}
    lines = (
        alt.Chart(trend)
        .transform_fold(["cpi", "spi"], as_=["index", "value"])
        .transform_calculate(series=f"datum.index == 'cpi' ? '{names['cpi']}' : '{names['spi']}'")
        .mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=36, filled=True))
        .encode(
            x=alt.X(f"{x}:T", axis=DATE_AXIS),
            y=alt.Y(
                "value:Q",
                title="Index (1.0 = on plan)",
                scale=alt.Scale(zero=False, nice=True),
                axis=alt.Axis(format=".2f"),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(names.values()), range=["#0072B2", "#E69F00"]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(names.values()), range=[[1, 0], [6, 3]]),
            ),
            tooltip=[
                alt.Tooltip(f"{x}:T", title="Date", format="%-d %b %Y"),
                alt.Tooltip("series:N", title="Index"),
                alt.Tooltip("value:Q", title="Value", format=".2f"),
            ],
        )
    )
    one = alt.Chart(pd.DataFrame({"v": [1.0], "label": ["1.0 = on plan"]}))
    rule = one.mark_rule(color=MUTED, strokeDash=[4, 4]).encode(y="v:Q")
    rule_label = one.mark_text(
        align="right", baseline="bottom", dy=-2, color=MUTED, fontSize=11
    ).encode(y="v:Q", x=alt.value({"expr": "width"}), text="label:N")
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
        return empty_note("No status reports yet")
    names = {
        "planned_value": "Planned value (PV)",
        "earned_value": "Earned value (EV)",
        "actual_cost": "Actual cost (AC)",
    }
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
            color=alt.Color(
                "series:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=["#999999", "#0072B2", "#D55E00"]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[[6, 3], [1, 0], [1, 0]]),
            ),
            tooltip=[
                alt.Tooltip(f"{x}:T", title="Date", format="%-d %b %Y"),
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
        return empty_note("No status reports yet")
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
    x = alt.X(
        "yearmonth(month):O",
        title=None,
        axis=alt.Axis(format="%b %Y", labelAngle=0, labelOverlap="greedy"),
    )
    y = alt.Y(
        "projects:Q",
        title="In-flight projects",
        stack="zero",
        axis=alt.Axis(tickMinStep=1, format="d"),
    )
    order = alt.Order("rank:Q", sort="ascending")
    bars = folded.mark_bar().encode(
        x=x,
        y=y,
        order=order,
        color=alt.Color(
            "rag:N",
            title="RAG",
            scale=alt.Scale(domain=RAG_ORDER[:3], range=[RAG_COLOURS[r] for r in RAG_ORDER[:3]]),
        ),
        tooltip=[
            alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
            alt.Tooltip("rag:N", title="RAG"),
            alt.Tooltip("projects:Q", title="Projects"),
        ],
    )
    # Count labels only where the segment is tall enough to hold one.
    labels = (
        folded.transform_filter("datum.projects >= 0.06 * datum.peak")
        .mark_text(dy=3, color="white", fontSize=11, baseline="top")
        .encode(
            x=x,
            y=y,
            order=order,
            text=alt.Text("projects:Q", format="d"),
            detail="rag:N",
        )
    )
    return (bars + labels).properties(
        title=alt.Title(
            "RAG status of in-flight projects by month",
            subtitle="Each project's latest status report on or before the month's end",
        ),
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
    data = (
        data.sort_values("baseline_date")
        if one_project
        else data.sort_values("slip_days", ascending=False, kind="stable").head(top)
    ).copy()
    if data.empty:
        return empty_note("No milestones with a forecast or actual date")
    data["label"] = (
        data["milestone"].astype(str)
        if one_project
        else (data["project_name"].astype(str) + " · " + data["milestone"].astype(str))
    )
    data["latest_date"] = data["actual_date"].fillna(data["forecast_date"])
    data["kind"] = data["actual_date"].notna().map({True: "Actual", False: "Forecast"})
    data["late"] = (data["slip_days"] > 0).map({True: "Late", False: "On time or early"})
    title = title or (
        f"Milestone slip: the {len(data)} largest slips against baseline"
        if len(ms) > top
        else "Milestone slip against baseline"
    )
    order = data["label"].tolist()
    y = alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=340))
    base = alt.Chart(data)
    tooltip = [
        alt.Tooltip("project_name:N", title="Project"),
        alt.Tooltip("milestone:N", title="Milestone"),
        alt.Tooltip("baseline_date:T", title="Baseline", format="%-d %b %Y"),
        alt.Tooltip("latest_date:T", title="Forecast / actual", format="%-d %b %Y"),
        alt.Tooltip("kind:N", title="Date is"),
        alt.Tooltip("slip_days:Q", title="Slip (days)", format="+,d"),
    ]
    rule = base.mark_rule(color="#c5ccd6", strokeWidth=2).encode(
        y=y,
        x=alt.X("baseline_date:T", axis=DATE_AXIS, scale=alt.Scale(padding=40)),
        x2="latest_date:T",
    )
    baseline = base.mark_point(size=70, filled=False, color=INK, strokeWidth=1.5).encode(
        y=y, x="baseline_date:T", tooltip=tooltip
    )
    latest = base.mark_point(size=80, filled=True, opacity=1).encode(
        y=y,
        x="latest_date:T",
        tooltip=tooltip,
        color=alt.Color(
            "late:N",
            title=None,
            scale=alt.Scale(
                domain=["Late", "On time or early"],
                range=[RAG_COLOURS["Red"], RAG_COLOURS["Green"]],
            ),
        ),
    )
    labels = (
        base.mark_text(align="left", dx=8, fontSize=11, color=INK)
        .encode(
            y=y,
            x="latest_date:T",
            text=alt.Text("slip_label:N"),
        )
        .transform_calculate(slip_label="(datum.slip_days > 0 ? '+' : '') + datum.slip_days + ' d'")
    )
    return (rule + baseline + latest + labels).properties(
        title=alt.Title(
            title,
            subtitle="Hollow: baseline date; filled: forecast or actual date; label: days late",
        ),
        width="container",
        height=alt.Step(22),
    )
