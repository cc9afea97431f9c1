"""Strategy scorecard charts (issue 18): objective progress against expected, and each key
result's measurements over time against its straight plan line."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pmo.charts.labels import wrap
from pmo.charts.theme import INK, MUTED, empty_note

STATUS_ORDER = ["On track", "At risk", "Off track", "Not measured"]
STATUS_COLOURS = {
    "On track": "#009E73",
    "At risk": "#E69F00",
    "Off track": "#D55E00",
    "Not measured": "#999999",
}
PLAN = "Plan (baseline → target)"
MEASURED = "Measured"


def status_scale() -> alt.Scale:
    """On track / At risk / Off track in the RAG colours (green, amber, red), always in order."""
    return alt.Scale(domain=STATUS_ORDER, range=[STATUS_COLOURS[s] for s in STATUS_ORDER])


def _pct(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{float(v) * 100:.0f}%"


def scorecard_progress(
    card: pd.DataFrame, title: str = "Strategy scorecard: key-result progress against plan"
) -> alt.Chart:
    """Per objective, its weighted key-result progress (bar, coloured by status) against the
    progress expected by now (tick), labelled '31% of target · Off track'.

    Columns: objective_id, name, weight, progress, expected_progress, status (strategy_scorecard).
    """
    if card is None or card.empty:
        return empty_note("No strategic objectives loaded.")
    data = card.copy()
    data["name"] = data["name"].fillna(data["objective_id"]).astype(str)
    data["status_word"] = [s if isinstance(s, str) else "Not measured" for s in data["status"]]
    data["bar"] = data["progress"].fillna(0.0).astype(float)
    data["label_at"] = data[["progress", "expected_progress"]].max(axis=1).fillna(0.0)
    data["label"] = [
        "no key result measured yet"
        if w == "Not measured"
        else f"{_pct(p)} of target, {_pct(e)} expected · {w}"
        for p, e, w in zip(
            data["progress"], data["expected_progress"], data["status_word"], strict=True
        )
    ]
    data["y"] = [wrap(n, 26) for n in data["name"]]
    order = data["y"].tolist()
    y = alt.Y(
        "y:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelExpr="split(datum.label, '|')", labelFontSize=12, labelLimit=260),
    )
    x = alt.X(
        "bar:Q",
        title="Key-result progress (share of the way from baseline to target)",
        scale=alt.Scale(domain=[0, 1.6]),
        axis=alt.Axis(format=".0%", values=[0, 0.25, 0.5, 0.75, 1.0]),
    )
    tooltip = [
        alt.Tooltip("name:N", title="Objective"),
        alt.Tooltip("status_word:N", title="Status"),
        alt.Tooltip("progress:Q", title="Progress", format=".0%"),
        alt.Tooltip("expected_progress:Q", title="Expected by now", format=".0%"),
        alt.Tooltip("weight:Q", title="Weight"),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.6})
        .encode(
            y=y,
            x=x,
            color=alt.Color(
                "status_word:N",
                title="Status",
                scale=status_scale(),
                legend=alt.Legend(orient="top", values=STATUS_ORDER[:3]),
            ),
            tooltip=tooltip,
        )
    )
    ticks = (
        alt.Chart(data.dropna(subset=["expected_progress"]))
        .mark_tick(color=INK, thickness=3, size=26)
        .encode(y=y, x=alt.X("expected_progress:Q"), tooltip=tooltip)
    )
    labels = (
        alt.Chart(data)
        .mark_text(align="left", dx=8, fontSize=12)
        .encode(
            y=y,
            x=alt.X("label_at:Q"),
            text="label:N",
            color=alt.Color("status_word:N", scale=status_scale(), legend=None),
        )
    )
    return (bars + ticks + labels).properties(
        title=alt.Title(
            title,
            subtitle="Bar: objective progress, the weighted mean of its key "
            "results; black tick: where the straight line from baseline to target "
            "stands at the as-of date",
        ),
        width="container",
        height=alt.Step(44),
    )


def kr_trajectories(
    krs: pd.DataFrame,
    measurements: pd.DataFrame,
    plan: pd.DataFrame,
    title: str = "Key results over time against plan",
    columns: int = 3,
    as_of=None,
):
    """One small chart per key result: its measurements (line in its status colour) against the
    straight plan line from (start_date, baseline) to (target_date, target), dashed.

    ``krs``: key_results rows (kr_id, name, unit, status, progress, expected_progress);
    ``measurements``: kr_measurements rows (kr_id, date, value); ``plan``: scorecard.plan_line.
    """
    if krs is None or krs.empty:
        return empty_note("No key results for this objective.")
    panels = []
    for kr in krs.itertuples(index=False):
        status = kr.status if isinstance(kr.status, str) else "Not measured"
        colour = STATUS_COLOURS[status]
        m = measurements[measurements["kr_id"] == kr.kr_id].assign(series=MEASURED)
        p = plan[plan["kr_id"] == kr.kr_id].assign(series=PLAN)
        both = pd.concat([p[["date", "value", "series"]], m[["date", "value", "series"]]])
        both["date"] = pd.to_datetime(both["date"])
        unit = kr.unit if isinstance(kr.unit, str) and kr.unit else "value"
        x = alt.X(
            "date:T",
            title=None,
            axis=alt.Axis(
                format="%b %Y", labelAngle=0, tickCount=5, labelOverlap="greedy", labelSeparation=12
            ),
        )
        yv = alt.Y("value:Q", title=unit, scale=alt.Scale(zero=False))
        dash = alt.StrokeDash(
            "series:N",
            title=None,
            scale=alt.Scale(domain=[MEASURED, PLAN], range=[[1, 0], [6, 4]]),
            legend=None,
        )  # the subtitle says solid = measured, dashed = plan
        tip = [
            alt.Tooltip("series:N", title=" "),
            alt.Tooltip("date:T", title="Date", format="%-d %b %Y"),
            alt.Tooltip("value:Q", title=unit, format=",.4~g"),
        ]
        plan_line = (
            alt.Chart(both[both.series == PLAN])
            .mark_line(color=MUTED, strokeWidth=2)
            .encode(x=x, y=yv, strokeDash=dash, tooltip=tip)
        )
        line = (
            alt.Chart(both[both.series == MEASURED])
            .mark_line(
                color=colour, strokeWidth=2.5, point=alt.OverlayMarkDef(color=colour, size=28)
            )
            .encode(x=x, y=yv, strokeDash=dash, tooltip=tip)
        )
        subtitle = (
            f"{status} · {_pct(kr.progress)} of target, {_pct(kr.expected_progress)} expected"
            if status != "Not measured"
            else "Not measured yet"
        )
        layers = [plan_line, line]
        if as_of is not None and not pd.isna(as_of):
            rule = pd.DataFrame({"date": [pd.Timestamp(as_of)], "label": ["as of"]})
            layers.append(alt.Chart(rule).mark_rule(color=MUTED, strokeDash=[2, 2]).encode(x=x))
            layers.append(
                alt.Chart(rule)
                .mark_text(align="left", dx=3, dy=-4, fontSize=11, color=MUTED, baseline="top")
                .encode(x=x, y=alt.value(0), text="label:N")
            )
        panels.append(
            alt.layer(*layers).properties(
                title=alt.Title(
                    wrap(str(kr.name), 34).split("|"),
                    subtitle=subtitle,
                    subtitleColor=colour,
                    fontSize=14,
                ),
                width=270,
                height=180,
            )
        )
    return (
        alt.concat(*panels, columns=columns)
        .properties(
            title=alt.Title(
                title,
                subtitle="Solid: measurements up to the as-of date; dashed: the "
                "straight line from baseline to target",
            ),
        )
        .resolve_scale(y="independent", x="independent")
    )
