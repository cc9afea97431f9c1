"""Prioritisation page charts: priority score contributions and the value-for-money frontier."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pmo.charts.labels import project_labels
from pmo.charts.theme import INK, fmt_money, money_axis, money_expr

FRONTIER_HEIGHT = 420
CRITERIA_COLOURS = {"Alignment": "#0072B2", "Value for money": "#E69F00", "Low risk": "#009E73"}
SET_COLOURS = {"Today's portfolio": "#CC79A7", "Optimal under the cap": "#0072B2"}


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
        label=shown["rank"].astype(int).astype(str)
        + ". "
        + project_labels(shown["name"], shown["project_id"])
        + shown["in_optimal"].map({True: "  ✓", False: ""})
    )
    parts = {
        "contrib_alignment": "Alignment",
        "contrib_value": "Value for money",
        "contrib_risk": "Low risk",
    }
    long = shown.melt(
        id_vars=["label", "name", "priority_score"],
        value_vars=list(parts),
        var_name="criterion",
        value_name="points",
    )
    long["criterion"] = long["criterion"].map(parts)
    order = shown["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    bars = (
        alt.Chart(long)
        .mark_bar(height=alt.RelativeBandSize(0.7))
        .encode(
            y=y,
            x=alt.X(
                "sum(points):Q", title="Priority score (0–100)", scale=alt.Scale(domain=[0, 100])
            ),
            color=alt.Color(
                "criterion:N",
                title=None,
                sort=list(CRITERIA_COLOURS),
                scale=alt.Scale(
                    domain=list(CRITERIA_COLOURS), range=list(CRITERIA_COLOURS.values())
                ),
            ),
            order=alt.Order("criterion_order:Q"),
            tooltip=[
                alt.Tooltip("name:N", title="Project"),
                alt.Tooltip("criterion:N", title="Criterion"),
                alt.Tooltip("points:Q", title="Points", format=".1f"),
                alt.Tooltip("priority_score:Q", title="Priority score", format=".1f"),
            ],
        )
        .transform_calculate(
            criterion_order="indexof(['Alignment', 'Value for money', 'Low risk'], datum.criterion)"
        )
    )
    totals = (
        alt.Chart(shown)
        .mark_text(align="left", dx=4, fontSize=11, color=INK)
        .encode(y=y, x="priority_score:Q", text=alt.Text("priority_score:Q", format=".0f"))
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
        budget_label=sets["budget"].map(fmt_money),
        text=[
            f"{lab}: {fmt_money(b)}, score {s:,.0f}"
            for lab, b, s in zip(sets["label"], sets["budget"], sets["score"], strict=True)
        ],
    )
    x = alt.X("cum_budget:Q", title="Cumulative budget", axis=money_axis("Cumulative budget"))
    y = alt.Y("cum_score:Q", title="Cumulative priority score")
    line = (
        alt.Chart(data).mark_line(color="#9aa5b1", strokeWidth=1.5).encode(x=x, y=y, order="step:Q")
    )
    dots = (
        alt.Chart(data)
        .transform_calculate(
            budget_label=money_expr(field="budget"), cum_label=money_expr(field="cum_budget")
        )
        .mark_circle(size=36 if len(data) <= 300 else 10, opacity=0.9 if len(data) <= 300 else 0.6)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "group:N",
                title=None,
                scale=alt.Scale(
                    domain=["In today's portfolio", "Not in portfolio"],
                    range=[SET_COLOURS["Today's portfolio"], "#9aa5b1"],
                ),
            ),
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
    )
    set_x = alt.X("budget:Q")
    set_y = alt.Y("score:Q")
    set_marks = (
        alt.Chart(marks)
        .mark_point(size=260, filled=True, shape="diamond", stroke="white", strokeWidth=1.5)
        .encode(
            x=set_x,
            y=set_y,
            fill=alt.Fill(
                "label:N",
                title=None,
                scale=alt.Scale(domain=list(SET_COLOURS), range=list(SET_COLOURS.values())),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Set"),
                alt.Tooltip("projects:Q", title="Projects"),
                alt.Tooltip("budget_label:N", title="Budget"),
                alt.Tooltip("score:Q", title="Total score", format=",.0f"),
            ],
        )
    )
    set_text = (
        alt.Chart(marks)
        .mark_text(align="right", dx=-12, dy=-10, fontSize=12, fontWeight=600, color=INK)
        .encode(x=set_x, y=set_y, text="text:N")
    )
    layers = [line, dots, set_marks, set_text]
    if cap is not None and not pd.isna(cap):
        rule_data = pd.DataFrame({"cap": [float(cap)], "text": [f"Budget cap {fmt_money(cap)}"]})
        layers.append(
            alt.Chart(rule_data).mark_rule(strokeDash=[5, 4], color=INK).encode(x="cap:Q")
        )
        layers.append(
            # At the foot of the rule: the set labels sit near the top of the curve.
            alt.Chart(rule_data)
            .mark_text(align="left", dx=5, dy=-4, baseline="bottom", fontSize=12, color=INK)
            .encode(x="cap:Q", y=alt.datum(0), text="text:N")
        )
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent", fill="independent")
        .properties(
            title=alt.Title(
                title,
                subtitle="Projects in descending score per dollar; the curve bends "
                "where extra spend buys less priority",
            ),
            width="container",
            height=FRONTIER_HEIGHT,
        )
    )
