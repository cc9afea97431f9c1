"""Prioritisation charts of issue 15: the exact efficient frontier with today's portfolio
against it, and a binding role's hours against its capacity."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pmo.charts.theme import INK, MONTH_AXIS, MUTED, fmt_money, money_axis

EXACT_HEIGHT = 420
POINT_COLOURS = {"Today's portfolio": "#CC79A7", "Best set under the cap": "#0072B2"}


def exact_frontier(
    points: pd.DataFrame,
    marks: pd.DataFrame,
    cap: float | None,
    greedy: pd.DataFrame | None = None,
    symbol: str = "$",
    title: str = "The best portfolio at each cost: the exact efficient frontier",
    subtitle: str | None = None,
) -> alt.Chart:
    """The optimal total score at each cap on cost to continue (each point solved exactly),
    drawn as steps (between two caps the best set stays the same); today's portfolio and the
    best set under the cap as labelled diamonds; the cap as a rule. ``greedy`` (cum_cost,
    cum_score), when given, is drawn dashed grey and labelled an illustration.

    points: cap, score, projects, proven_optimal. marks: label, cost, score, projects, text.
    """
    pts = points.dropna(subset=["score"]).assign(
        cap_label=lambda f: f["cap"].map(fmt_money),
        proof=lambda f: f["proven_optimal"].map({True: "proven optimal", False: "within the gap shown"}),
        series="Exact frontier (each point solved exactly)",
    )
    x = alt.X("cap:Q", title=f"Cost to continue ({symbol})",
              axis=money_axis(f"Cost to continue ({symbol})", symbol))
    y = alt.Y("score:Q", title="Total priority score")
    layers = []
    if greedy is not None and len(greedy):
        g = greedy.assign(series="Greedy by score per cost (illustration, not optimal)")
        layers.append(alt.Chart(g).mark_line(strokeDash=[4, 4], color="#9aa5b1", strokeWidth=1.5)
                      .encode(x=alt.X("cum_cost:Q"), y=alt.Y("cum_score:Q"),
                              color=alt.Color("series:N", title=None,
                                              scale=alt.Scale(range=["#9aa5b1"]),
                                              legend=alt.Legend(orient="bottom"))))
    line = alt.Chart(pts).mark_line(interpolate="step-after", color="#0072B2", strokeWidth=2.5).encode(
        x=x, y=y, detail="series:N")
    dots = alt.Chart(pts).mark_circle(size=45, color="#0072B2").encode(
        x=x, y=y,
        tooltip=[alt.Tooltip("cap_label:N", title="Cap"),
                 alt.Tooltip("score:Q", title="Best total score", format=",.1f"),
                 alt.Tooltip("projects:Q", title="Projects"),
                 alt.Tooltip("proof:N", title="Solved")],
    )
    layers += [line, dots]
    if len(marks):
        m = marks.assign(cost_label=marks["cost"].map(fmt_money))
        layers.append(alt.Chart(m).mark_point(size=280, filled=True, shape="diamond", stroke="white",
                                              strokeWidth=1.5).encode(
            x=alt.X("cost:Q"), y=alt.Y("score:Q"),
            fill=alt.Fill("label:N", title=None, scale=alt.Scale(domain=list(POINT_COLOURS),
                                                                 range=list(POINT_COLOURS.values())),
                          legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("label:N", title="Set"),
                     alt.Tooltip("cost_label:N", title="Cost to continue"),
                     alt.Tooltip("score:Q", title="Total score", format=",.1f"),
                     alt.Tooltip("projects:Q", title="Projects")]))
        layers.append(alt.Chart(m).mark_text(align="left", dx=12, dy=14, fontSize=12, fontWeight=600,
                                             color=INK).encode(x="cost:Q", y="score:Q", text="text:N"))
    if cap is not None and not pd.isna(cap):
        rule = pd.DataFrame({"cap": [float(cap)], "text": [f"Cap {fmt_money(cap)}"]})
        layers.append(alt.Chart(rule).mark_rule(strokeDash=[5, 4], color=INK).encode(x="cap:Q"))
        layers.append(alt.Chart(rule).mark_text(align="left", dx=5, dy=-4, baseline="bottom",
                                                fontSize=12, color=INK)
                      .encode(x="cap:Q", y=alt.datum(0), text="text:N"))
    return alt.layer(*layers).resolve_scale(color="independent", fill="independent").properties(
        title=alt.Title(title, subtitle=subtitle or "Each point is the best total score any set "
                        "of projects reaches within that cost to continue, under the constraints "
                        "switched on; below the line, score is left on the table"),
        width="container",
        height=EXACT_HEIGHT,
    )


def role_hours(frame: pd.DataFrame, role: str, title: str | None = None) -> alt.Chart:
    """A role's hours by month: what the best set asks (bars), what the best excluded project
    would add on top (lighter bars), and the hours available (the line).

    frame: month, series ('Best set', 'Admitting <project>'), hours, available.
    """
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("yearmonth(month):T", axis=MONTH_AXIS),
        y=alt.Y("sum(hours):Q", title="Hours a month", stack=True),
        color=alt.Color("series:N", title=None, scale=alt.Scale(range=["#0072B2", "#E69F00"]),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("yearmonth(month):T", title="Month", format="%b %Y"),
                 alt.Tooltip("series:N", title="Hours for"),
                 alt.Tooltip("hours:Q", title="Hours", format=",.0f")],
    )
    cap = frame.drop_duplicates("month")[["month", "available"]]
    line = alt.Chart(cap.assign(what="Hours available")).mark_line(
        color=INK, strokeDash=[5, 3], interpolate="step-after", strokeWidth=2).encode(
        x="yearmonth(month):T", y="available:Q",
        tooltip=[alt.Tooltip("yearmonth(month):T", title="Month", format="%b %Y"),
                 alt.Tooltip("available:Q", title="Hours available", format=",.0f")])
    return alt.layer(bars, line).properties(
        title=alt.Title(title or f"{role}: hours asked against hours available",
                        subtitle="Dashed line: the hours available to this view (capacity × "
                        "tolerance); amber: what admitting the project would add",
                        subtitleColor=MUTED),
        width="container", height=300,
    )
