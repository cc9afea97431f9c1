"""Overview page charts (also in the review pack): RAG mix, CPI × SPI scatter, portfolio map."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from pmo.charts.labels import place_labels, project_labels
from pmo.charts.theme import INK, MUTED, RAG_ORDER, fmt_money, money_expr, rag_scale

NOT_STARTED = "No report"
LABEL_MAX_POINTS = 150  # name the largest bubbles only up to this many projects


def rag_mix(mix: pd.DataFrame, title: str = "RAG status of in-flight projects") -> alt.Chart:
    """Horizontal bars of projects per RAG, labelled with the word and count; columns rag, projects."""
    total = int(mix["projects"].sum()) if len(mix) else 0
    base = alt.Chart(
        mix, title=alt.Title(title, subtitle=f"{total:,} projects, latest status report")
    ).encode(
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


def evm_scatter(
    evm: pd.DataFrame, title: str = "Cost and schedule performance by project"
) -> alt.Chart:
    """CPI (x) against SPI (y) per in-flight project, colour and shape by RAG, 1.0 lines marked.

    Columns: project_id, name, rag, cpi, spi, budget, sponsor.
    """
    data = evm.dropna(subset=["cpi", "spi"])
    points = (
        alt.Chart(data)
        .mark_point(filled=True, opacity=0.85, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "cpi:Q",
                title="Cost performance index (CPI)",
                scale=alt.Scale(zero=False, nice=True),
            ),
            y=alt.Y(
                "spi:Q",
                title="Schedule performance index (SPI)",
                scale=alt.Scale(zero=False, nice=True),
            ),
            size=alt.Size(
                "budget:Q", title="Budget", legend=None, scale=alt.Scale(range=[60, 900])
            ),
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
    data = data[
        ["project_id", "name", "sponsor", "status", "budget", "alignment_score", "priority_score"]
    ]
    data = data.merge(evm[["project_id", "rag", "cpi", "spi"]], on="project_id", how="left")
    data = data.assign(
        rag=data["rag"].fillna(NOT_STARTED),
        label=project_labels(data["name"], data["project_id"]),
    )
    total = fmt_money(data["budget"].sum())
    top_x = float(data["alignment_score"].max()) if data["alignment_score"].notna().any() else 0.0
    x_max = min(100.0, max(10.0, math.ceil((top_x + 5) / 10) * 10))
    x_title, y_title = "Strategic alignment score (0–100)", "Priority score (0–100)"
    x_scale, y_scale = alt.Scale(domain=[0, x_max]), alt.Scale(domain=[0, 100])
    x_axis = alt.Axis(tickCount=10)
    x = alt.X("alignment_score:Q", title=x_title, scale=x_scale, axis=x_axis)
    y = alt.Y("priority_score:Q", title=y_title, scale=y_scale)
    points = (
        alt.Chart(data)
        .transform_calculate(budget_label=money_expr(field="budget"))
        .mark_point(
            filled=True,
            opacity=0.5 if len(data) > LABEL_MAX_POINTS else 0.8,
            stroke="white",
            strokeWidth=0.5 if len(data) > LABEL_MAX_POINTS else 1,
        )
        .encode(
            x=x,
            y=y,
            size=alt.Size(
                "budget:Q",
                title="Budget",
                scale=alt.Scale(range=[40, 1400]),
                legend=alt.Legend(
                    labelExpr=money_expr(),
                    symbolFillColor="#9aa5b1",
                    symbolStrokeColor="#9aa5b1",
                    values=_size_legend_values(data["budget"]),
                ),
            ),
            color=alt.Color("rag:N", scale=rag_scale(), title="RAG"),
            shape=alt.Shape(
                "rag:N",
                scale=alt.Scale(
                    domain=RAG_ORDER, range=["circle", "triangle-up", "square", "diamond"]
                ),
                title="RAG",
            ),
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
    )
    # Names only where they can be read: in a cloud of hundreds of bubbles they are noise.
    crowded = len(data) > LABEL_MAX_POINTS
    candidates = data.dropna(subset=["alignment_score", "priority_score"]).nlargest(
        0 if crowded else label_top, "budget"
    )
    # Bubble radius in pixels: area grows linearly from 40 to 1400 px² over 0..max budget.
    top_budget = float(data["budget"].max()) if data["budget"].notna().any() else 0.0
    area = 40 + 1360 * candidates["budget"].fillna(0) / (top_budget or 1)
    named = place_labels(
        candidates,
        "alignment_score",
        "priority_score",
        x_max,
        100.0,
        radius=(area / math.pi) ** 0.5,
    )
    layers = [points]
    for side in ("left", "right"):
        part = named[named["side"] == side]
        if len(part):
            layers.append(
                alt.Chart(part)
                .mark_text(
                    align="left" if side == "right" else "right",
                    baseline="middle",
                    fontSize=11,
                    color=INK,
                )
                .encode(
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
