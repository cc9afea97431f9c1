"""Chart builders of the Roadmap page (issue 17): the portfolio Gantt, the 5×5 risk matrix and
open risk exposure by month. Pure Altair: frames in (pmo.roadmap shapes the Gantt's), charts out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from pmo.charts.theme import INK, MUTED, RAG_COLOURS, RAG_ORDER, rag_scale

if TYPE_CHECKING:
    from pmo.roadmap import GanttData

ROW_PX = 22
HEADER_FILL = "#eef1f5"
LINK_COLOURS = {"At risk": RAG_COLOURS["Red"], "On track": "#7b8794"}
BAND_ORDER = ["High", "Medium", "Low"]
BAND_COLOURS = {
    "High": RAG_COLOURS["Red"],
    "Medium": RAG_COLOURS["Amber"],
    "Low": RAG_COLOURS["Green"],
}
BAND_LABELS = {"High": "High (15–25)", "Medium": "Medium (8–14)", "Low": "Low (1–7)"}

# Quarter labels in UTC, so a viewer west of Greenwich does not see 1 Jan as Q4.
QUARTER_EXPR = "'Q' + (floor(utcmonth(datum.value) / 3) + 1) + ' ' + utcyear(datum.value)"
ROW_LABEL_EXPR = "split(datum.value, '|')[2]"
IS_HEADER = "split(datum.value, '|')[1] == 'G'"


def _quarters(first: pd.Timestamp, last: pd.Timestamp) -> list[str]:
    start = pd.Timestamp(first).to_period("Q").start_time
    end = pd.Timestamp(last).to_period("Q").end_time
    return [d.strftime("%Y-%m-%d") for d in pd.date_range(start, end, freq="QS")]


def _iso(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series).dt.strftime("%Y-%m-%d")


def gantt(
    data: GanttData,
    as_of: object = None,
    title: str = "Roadmap",
    group_label: str = "portfolio",
    currency: str = "$",
) -> alt.LayerChart | alt.Chart:
    """The portfolio on one timeline: per project a planned bar (start → planned end) in its
    RAG colour, a paler dashed extension to the forecast finish, the RAG word (and the slip)
    after it; milestones as diamonds (hollow: baseline, filled: forecast or actual); the
    as-of date as a dashed line; dependency links from the predecessor's date to the
    dependent's start, red when at risk, slack in the tooltip. Quarters on the axis, groups as
    shaded header rows."""
    bars = data.bars
    if bars.empty:
        return (
            alt.Chart(pd.DataFrame({"t": ["No project with a start and end date in view"]}))
            .mark_text(fontSize=15, color=MUTED)
            .encode(text="t:N")
            .properties(title=title, width="container", height=80)
        )
    day = pd.Timestamp(as_of) if as_of is not None and not pd.isna(as_of) else None
    dates = pd.concat([pd.to_datetime(bars["start_date"]), pd.to_datetime(bars["label_date"])])
    if not data.milestones.empty:
        dates = pd.concat(
            [
                dates,
                pd.to_datetime(data.milestones["baseline_date"]),
                pd.to_datetime(data.milestones["forecast_date"]),
            ]
        )
    first, last = dates.min(), dates.max() + pd.DateOffset(months=4)  # room for the RAG word
    if day is not None:
        first, last = min(first, day), max(last, day)
    quarters = _quarters(first, last)
    domain = [
        quarters[0],
        (pd.Timestamp(last).to_period("Q").end_time + pd.Timedelta(days=1)).strftime("%Y-%m-%d"),
    ]
    x_scale = alt.Scale(type="utc", domain=domain)
    x_axis = alt.Axis(
        values=quarters,
        labelExpr=QUARTER_EXPR,
        title=None,
        orient="top",
        labelAngle=0,
        labelOverlap=True,
        labelFlush=False,
        grid=True,
        gridColor="#dfe3e8",
    )
    rows = data.rows
    y_axis = alt.Axis(
        labelExpr=ROW_LABEL_EXPR,
        labelLimit=300,
        ticks=False,
        domain=False,
        labelFontWeight=alt.ExprRef(f"{IS_HEADER} ? 'bold' : 'normal'"),
        labelColor=alt.ExprRef(f"{IS_HEADER} ? '{INK}' : '#39424e'"),
        labelFontSize=alt.ExprRef(f"{IS_HEADER} ? 13 : 12"),
    )
    y = alt.Y("row:N", sort=rows, scale=alt.Scale(domain=rows), title=None, axis=y_axis)

    plot = bars.assign(
        start=_iso(bars["start_date"]),
        end=_iso(bars["end_date"]),
        finish=_iso(bars["finish_date"]),
        at=_iso(bars["label_date"]),
        budget_text=[f"{currency}{v / 1e6:,.1f}M" if pd.notna(v) else "—" for v in bars["budget"]],
    )[
        [
            "row",
            "project_id",
            "name",
            "group",
            "status",
            "rag",
            "rag_label",
            "start",
            "end",
            "finish",
            "at",
            "extends",
            "slip_days",
            "budget_text",
        ]
    ]
    tooltip = [
        alt.Tooltip("name:N", title="Project"),
        alt.Tooltip("group:N", title=group_label.capitalize()),
        alt.Tooltip("status:N", title="Status"),
        alt.Tooltip("rag:N", title="RAG"),
        alt.Tooltip("start:N", title="Start"),
        alt.Tooltip("end:N", title="Planned end"),
        alt.Tooltip("finish:N", title="Forecast finish"),
        alt.Tooltip("slip_days:Q", title="Slip (days)", format="+,d"),
        alt.Tooltip("budget_text:N", title="Budget"),
    ]
    base = alt.Chart(plot)
    colour = alt.Color(
        "rag:N",
        scale=rag_scale(),
        title="RAG",
        legend=alt.Legend(orient="top", values=RAG_ORDER, symbolType="square"),
    )

    header_band = (
        alt.Chart(data.headers.assign(a=domain[0], b=domain[1]))
        .mark_rect(color=HEADER_FILL)
        .encode(y=y, x=alt.X("a:T", scale=x_scale, axis=x_axis), x2="b:T")
    )
    planned = base.mark_bar(height=12, cornerRadius=2).encode(
        y=y,
        x=alt.X("start:T", scale=x_scale, axis=x_axis),
        x2="end:T",
        color=colour,
        tooltip=tooltip,
    )
    extension = (
        base.transform_filter("datum.extends")
        .mark_bar(height=12, opacity=0.35, strokeDash=[3, 2], strokeWidth=1.2)
        .encode(
            y=y,
            x=alt.X("end:T", scale=x_scale),
            x2="finish:T",
            color=alt.Color("rag:N", scale=rag_scale(), legend=None),
            stroke=alt.Color("rag:N", scale=rag_scale(), legend=None),
            tooltip=tooltip,
        )
    )
    words = base.mark_text(align="left", dx=5, fontSize=11, color=INK).encode(
        y=y, x=alt.X("at:T", scale=x_scale), text="rag_label:N", tooltip=tooltip
    )
    layers = [header_band, planned, extension, words]

    if not data.milestones.empty:
        ms = data.milestones.assign(
            baseline=_iso(data.milestones["baseline_date"]),
            forecast=_iso(data.milestones["forecast_date"]),
        )
        ms_tip = [
            alt.Tooltip("project_name:N", title="Project"),
            alt.Tooltip("milestone:N", title="Milestone"),
            alt.Tooltip("baseline:N", title="Baseline"),
            alt.Tooltip("forecast:N", title="Forecast or actual"),
        ]
        mbase = alt.Chart(ms)
        layers.append(
            mbase.mark_point(
                shape="diamond", size=55, filled=False, color=INK, strokeWidth=1.3
            ).encode(y=y, x=alt.X("baseline:T", scale=x_scale), tooltip=ms_tip)
        )
        layers.append(
            mbase.transform_filter("isValid(datum.forecast)")
            .mark_point(shape="diamond", size=45, filled=True, color=INK, opacity=0.9)
            .encode(y=y, x=alt.X("forecast:T", scale=x_scale), tooltip=ms_tip)
        )

    if not data.links.empty:
        ln = data.links.assign(a=_iso(data.links["from_date"]), b=_iso(data.links["to_date"]))
        link_colour = alt.Color(
            "at_risk:N",
            scale=alt.Scale(domain=list(LINK_COLOURS), range=list(LINK_COLOURS.values())),
            legend=None,
        )
        tip = [
            alt.Tooltip("what:N", title="Dependency"),
            alt.Tooltip("slack_days:Q", title="Slack (days)", format="+,d"),
            alt.Tooltip("a:N", title="Predecessor ready"),
            alt.Tooltip("b:N", title="Needed by"),
        ]
        lbase = alt.Chart(ln)
        to_y = alt.Y("to_row:N", sort=rows, scale=alt.Scale(domain=rows), title=None, axis=y_axis)
        # An elbow: down from the predecessor's date to the dependent's row, then along that
        # row to the dependent's start; at risk, the run back to the left is the wait.
        layers.append(
            lbase.mark_rule(strokeWidth=1.4, opacity=0.8, strokeDash=[2, 2]).encode(
                x=alt.X("a:T", scale=x_scale),
                y=alt.Y(
                    "from_row:N", sort=rows, scale=alt.Scale(domain=rows), title=None, axis=y_axis
                ),
                y2="to_row:N",
                color=link_colour,
                tooltip=tip,
            )
        )
        layers.append(
            lbase.mark_rule(strokeWidth=3, yOffset=-8).encode(
                x=alt.X("a:T", scale=x_scale), x2="b:T", y=to_y, color=link_colour, tooltip=tip
            )
        )
        layers.append(
            lbase.mark_point(
                shape="triangle-right", filled=True, size=70, opacity=1, yOffset=-8
            ).encode(x=alt.X("b:T", scale=x_scale), y=to_y, color=link_colour, tooltip=tip)
        )

    if day is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"d": [day.strftime("%Y-%m-%d")]}))
            .mark_rule(color=INK, strokeDash=[6, 4], strokeWidth=1.5)
            .encode(x=alt.X("d:T", scale=x_scale), tooltip=[alt.Tooltip("d:N", title="As of")])
        )

    subtitle = [
        "Bar: start to planned end in its RAG colour; pale dashed: forecast finish beyond the "
        "planned end; after it the RAG word and the slip.",
        "Milestones: hollow diamond = baseline, filled = forecast or actual. Dependency: dotted from "
        "the predecessor's date to the dependent's row, arrow at its start; red when at risk.",
    ]
    if day is not None:
        subtitle.append(f"Dashed vertical line: as of {day:%-d %b %Y}.")
    if data.note:
        subtitle.append(data.note)
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .properties(
            title=alt.Title(title, subtitle=subtitle),
            width="container",
            height=ROW_PX * len(rows),
        )
    )


def risk_heatmap(
    cells: pd.DataFrame, title: str = "Open risks: probability × impact"
) -> alt.LayerChart:
    """The 5×5 matrix: open risks per probability (rows, 5 on top) × impact (columns), the
    count in each cell, cells coloured by exposure band (High red, Medium amber, Low green) with
    the band named in the legend. Columns of risk_heatmap."""
    data = cells.assign(
        band_label=cells["band"].map(BAND_LABELS),
        count_text=[str(int(n)) if n else "·" for n in cells["risks"]],
    )
    total = int(cells["risks"].sum())
    x = alt.X(
        "impact:O",
        title="Impact (1 minor … 5 severe)",
        axis=alt.Axis(labelAngle=0, labelFontSize=13),
    )
    y = alt.Y(
        "probability:O",
        title="Probability (1 rare … 5 almost certain)",
        sort="descending",
        axis=alt.Axis(labelFontSize=13),
    )
    tip = [
        alt.Tooltip("probability:O", title="Probability"),
        alt.Tooltip("impact:O", title="Impact"),
        alt.Tooltip("exposure:Q", title="Exposure (P × I)"),
        alt.Tooltip("band:N", title="Band"),
        alt.Tooltip("risks:Q", title="Open risks"),
        alt.Tooltip("project_risks:Q", title="of projects"),
        alt.Tooltip("portfolio_risks:Q", title="portfolio-wide"),
    ]
    base = alt.Chart(data)
    rect = base.mark_rect(stroke="white", strokeWidth=2).encode(
        x=x,
        y=y,
        tooltip=tip,
        color=alt.Color(
            "band_label:N",
            title="Exposure band",
            scale=alt.Scale(
                domain=[BAND_LABELS[b] for b in BAND_ORDER],
                range=[BAND_COLOURS[b] for b in BAND_ORDER],
            ),
        ),
        opacity=alt.condition("datum.risks > 0", alt.value(1.0), alt.value(0.45)),
    )
    text = base.mark_text(fontSize=20, fontWeight=700).encode(
        x=x,
        y=y,
        text="count_text:N",
        tooltip=tip,
        color=alt.condition("datum.band == 'Medium'", alt.value(INK), alt.value("white")),
    )
    return (rect + text).properties(
        title=alt.Title(title, subtitle=f"{total} open risks; the number in a cell counts them"),
        width=alt.Step(64),
        height=alt.Step(56),
    )


def risk_exposure_trend(
    trend: pd.DataFrame, title: str = "Open risk exposure by month"
) -> alt.LayerChart:
    """Stacked bars of open exposure (Σ probability × impact) per month by band, with the risks
    raised (+) and closed (−) that month written above each bar. Columns of
    risk_exposure_trend."""
    data = trend.assign(
        month_text=pd.to_datetime(trend["month"]).dt.strftime("%Y-%m-%d"),
        moves=[
            f"+{int(r)} −{int(c)}" for r, c in zip(trend["raised"], trend["closed"], strict=True)
        ],
    )
    x = alt.X(
        "month_text:O",
        title=None,
        axis=alt.Axis(labelExpr="timeFormat(toDate(datum.value), '%b %Y')", labelAngle=-40),
    )
    tip = [
        alt.Tooltip("month_text:N", title="Month end"),
        alt.Tooltip("open_risks:Q", title="Open risks"),
        alt.Tooltip("open_high:Q", title="Open high risks"),
        alt.Tooltip("open_exposure:Q", title="Open exposure"),
        alt.Tooltip("raised:Q", title="Raised in month"),
        alt.Tooltip("closed:Q", title="Closed in month"),
    ]
    base = alt.Chart(data)
    bars = (
        base.transform_fold(
            ["high_exposure", "medium_exposure", "low_exposure"], as_=["band_key", "exposure"]
        )
        .transform_calculate(
            band="datum.band_key == 'high_exposure' ? 'High (15–25)' : "
            "datum.band_key == 'medium_exposure' ? 'Medium (8–14)' : 'Low (1–7)'",
            order="datum.band_key == 'high_exposure' ? 0 : datum.band_key == 'medium_exposure' ? 1 : 2",
        )
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("exposure:Q", stack="zero", title="Open exposure (Σ probability × impact)"),
            color=alt.Color(
                "band:N",
                title="Exposure band",
                scale=alt.Scale(
                    domain=[BAND_LABELS[b] for b in BAND_ORDER],
                    range=[BAND_COLOURS[b] for b in BAND_ORDER],
                ),
            ),
            order=alt.Order("order:Q", sort="ascending"),
            tooltip=tip,
        )
    )
    moves = base.mark_text(dy=-7, fontSize=10, color=MUTED).encode(
        x=x, y="open_exposure:Q", text="moves:N", tooltip=tip
    )
    return (bars + moves).properties(
        title=alt.Title(
            title,
            subtitle="Risks open at each month end by band; above each bar: "
            "raised (+) and closed (−) that month",
        ),
        width="container",
        height=300,
    )
