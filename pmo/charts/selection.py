"""Prioritisation charts of issue 15: the exact efficient frontier with today's portfolio
against it, and a binding role's hours against its capacity."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pmo.charts.theme import INK, MUTED, fmt_money, money_axis

EXACT_HEIGHT = 420
POINT_COLOURS = {"Today's portfolio": "#CC79A7", "Best set under the cap": "#0072B2"}


def exact_frontier(
    points: pd.DataFrame,
    marks: pd.DataFrame,
    cap: float | None,
    greedy: pd.DataFrame | None = None,
    symbol: str = "$",
    title: str | None = None,
    subtitle: str | None = None,
) -> alt.Chart:
    """The optimal total score at each cap on cost to continue (each point solved exactly),
    drawn as steps (between two caps the best set stays the same); today's portfolio and the
    best set under the cap as labelled diamonds; the cap as a rule. ``greedy`` (cum_cost,
    cum_score), when given, is drawn dashed grey and labelled an illustration.

    points: cap, score, projects, proven_optimal. marks: label, cost, score, projects, text.
    """
    exact = bool(points["proven_optimal"].fillna(False).astype(bool).all())
    title = title or (
        "The best portfolio at each cost: the exact efficient frontier"
        if exact
        else "The best portfolio at each cost: the efficient frontier (within the gap stated)"
    )
    pts = points.dropna(subset=["score"]).assign(
        cap_label=lambda f: f["cap"].map(fmt_money),
        proof=lambda f: f["proven_optimal"].map(
            {True: "proven optimal", False: "within the gap shown"}
        ),
        # Up to 5,000 candidates every cap is solved exactly; above, within a gap (the caption).
        series=(
            "Best set at each cap (each solved exactly)"
            if exact
            else "Best set at each cap (within the gap stated)"
        ),
    )
    x = alt.X(
        "cap:Q",
        title=f"Cost to continue ({symbol})",
        axis=money_axis(f"Cost to continue ({symbol})", symbol),
    )
    y = alt.Y("score:Q", title="Total priority score")
    layers = []
    if greedy is not None and len(greedy):
        g = greedy.assign(series="Greedy by score per cost (illustration, not optimal)")
        layers.append(
            alt.Chart(g)
            .mark_line(strokeDash=[4, 4], color="#9aa5b1", strokeWidth=1.5)
            .encode(
                x=alt.X("cum_cost:Q"),
                y=alt.Y("cum_score:Q"),
                color=alt.Color(
                    "series:N",
                    title=None,
                    scale=alt.Scale(range=["#9aa5b1"]),
                    legend=alt.Legend(orient="bottom"),
                ),
            )
        )
    line = (
        alt.Chart(pts)
        .mark_line(interpolate="step-after", color="#0072B2", strokeWidth=2.5)
        .encode(x=x, y=y, detail="series:N")
    )
    dots = (
        alt.Chart(pts)
        .mark_circle(size=45, color="#0072B2")
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("cap_label:N", title="Cap"),
                alt.Tooltip("score:Q", title="Best total score", format=",.1f"),
                alt.Tooltip("projects:Q", title="Projects"),
                alt.Tooltip("proof:N", title="Solved"),
            ],
        )
    )
    layers += [line, dots]
    if len(marks):
        m = marks.assign(cost_label=marks["cost"].map(fmt_money))
        layers.append(
            alt.Chart(m)
            .mark_point(size=280, filled=True, shape="diamond", stroke="white", strokeWidth=1.5)
            .encode(
                x=alt.X("cost:Q"),
                y=alt.Y("score:Q"),
                fill=alt.Fill(
                    "label:N",
                    title=None,
                    scale=alt.Scale(domain=list(POINT_COLOURS), range=list(POINT_COLOURS.values())),
                    legend=alt.Legend(orient="bottom"),
                ),
                tooltip=[
                    alt.Tooltip("label:N", title="Set"),
                    alt.Tooltip("cost_label:N", title="Cost to continue"),
                    alt.Tooltip("score:Q", title="Total score", format=",.1f"),
                    alt.Tooltip("projects:Q", title="Projects"),
                ],
            )
        )
        # Today's label below right of its point, the best set's above left: they sit close.
        below = m[m["label"] != "Best set under the cap"]
        above = m[m["label"] == "Best set under the cap"]
        layers.append(
            alt.Chart(below)
            .mark_text(align="left", dx=12, dy=16, fontSize=12, fontWeight=600, color=INK)
            .encode(x="cost:Q", y="score:Q", text="text:N")
        )
        layers.append(
            alt.Chart(above)
            .mark_text(align="right", dx=-12, dy=-14, fontSize=12, fontWeight=600, color=INK)
            .encode(x="cost:Q", y="score:Q", text="text:N")
        )
    if cap is not None and not pd.isna(cap):
        rule = pd.DataFrame({"cap": [float(cap)], "text": [f"Cap {fmt_money(cap)}"]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[5, 4], color=INK).encode(x="cap:Q"))
        layers.append(
            alt.Chart(rule)
            .mark_text(align="left", dx=5, dy=-4, baseline="bottom", fontSize=12, color=INK)
            .encode(x="cap:Q", y=alt.datum(0), text="text:N")
        )
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent", fill="independent")
        .properties(
            title=alt.Title(
                title,
                subtitle=subtitle
                or "Each point is the best total score any set "
                "of projects reaches within that cost to continue, under the constraints "
                "switched on; below the line, score is left on the table",
            ),
            width="container",
            height=EXACT_HEIGHT,
        )
    )


def role_hours(frame: pd.DataFrame, role: str, title: str | None = None) -> alt.Chart:
    """A role's hours by month: what the best set asks (blue bars), what admitting the best
    excluded project would add on top (amber), and the hours available (a black tick per
    month).

    frame: month, series ('Best set', 'Admitting <project>'), order (0, 1), hours, available.
    """
    data = frame.assign(month_label=pd.to_datetime(frame["month"]).dt.strftime("%b %Y"))
    months = list(dict.fromkeys(data.sort_values("month")["month_label"]))
    series = list(dict.fromkeys(data.sort_values("order")["series"]))
    x = alt.X(
        "month_label:O", sort=months, title=None, axis=alt.Axis(labelAngle=0, labelOverlap="greedy")
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("hours:Q", title="Hours a month", stack=True),
            color=alt.Color(
                "series:N",
                title=None,
                sort=series,
                scale=alt.Scale(domain=series, range=["#0072B2", "#E69F00"]),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("month_label:N", title="Month"),
                alt.Tooltip("series:N", title="Hours for"),
                alt.Tooltip("hours:Q", title="Hours", format=",.0f"),
            ],
        )
    )
    cap = data.drop_duplicates("month_label")[["month_label", "available"]]
    ticks = (
        alt.Chart(cap)
        .mark_tick(color=INK, thickness=3, bandSize=28)
        .encode(
            x=x,
            y="available:Q",
            tooltip=[
                alt.Tooltip("month_label:N", title="Month"),
                alt.Tooltip("available:Q", title="Hours available", format=",.0f"),
            ],
        )
    )
    return alt.layer(bars, ticks).properties(
        title=alt.Title(
            title or f"{role}: hours asked against hours available",
            subtitle="Black tick: the hours available to this view each month "
            "(capacity × tolerance); amber: what admitting the project adds",
            subtitleColor=MUTED,
        ),
        width="container",
        height=300,
    )
