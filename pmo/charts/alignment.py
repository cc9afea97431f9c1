"""Strategic alignment page charts: project × objective heatmap, investment against target
share, alignment ranking."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from pmo.charts.labels import project_labels, wrap
from pmo.charts.theme import INK, fmt_money

IN_PORTFOLIO_COLOURS = {"In portfolio": "#0072B2", "Not in portfolio": "#9fb3c8"}
# Alignment scores 0–5: 0 a pale grey, 1–5 darkening blues (readable in grey scale too).
SCORE_COLOURS = ["#f1f3f6", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
SCORE_LABEL_EXPR = "datum.value == 0 ? '0 none' : datum.value == 5 ? '5 critical' : datum.label"


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
        row_label=project_labels(shown["name"], shown["project_id"])
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
            wrap(f"{n} (weight {w:g})", per_line)
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
    mine = np.fromiter(
        (p in shown_ids for p in matrix["project_id"].to_numpy(object)), bool, len(matrix)
    )
    scores = matrix.loc[mine, ["project_id", "objective_id", "score"]].dropna(subset=["score"])
    grid = grid.merge(scores, on=["project_id", "objective_id"], how="left")
    grid["score"] = grid["score"].fillna(0).astype(int)
    grid["score_label"] = grid["score"].map(lambda s: str(s) if s else "")
    row_order = shown["row_label"].tolist()
    col_order = objectives["col_label"].tolist()
    # Top-axis labels grow downwards line by line: lift them by their extra lines.
    lines = max((label.count("|") + 1 for label in col_order), default=1)
    base = alt.Chart(grid).encode(
        x=alt.X(
            "col_label:N",
            sort=col_order,
            title=None,
            axis=alt.Axis(
                orient="top",
                labelAngle=0,
                labelExpr="split(datum.label, '|')",
                labelLineHeight=14,
                labelPadding=6 + 14 * (lines - 1),
                labelFontSize=12,
                labelLimit=200,
                ticks=False,
                domain=False,
            ),
        ),
        y=alt.Y(
            "row_label:N",
            sort=row_order,
            title=None,
            axis=alt.Axis(labelFontSize=12, labelLimit=320, ticks=False, domain=False),
        ),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1.5).encode(
        color=alt.Color(
            "score:O",
            title="Contribution to the objective",
            scale=alt.Scale(domain=list(range(6)), range=SCORE_COLOURS),
            legend=alt.Legend(orient="top", labelExpr=SCORE_LABEL_EXPR),
        ),
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
    data["invested_label"] = data["invested_budget"].map(fmt_money)
    data["gap_label"] = [
        "no target"
        if pd.isna(g)
        else "on target"
        if abs(g) < 0.005
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
    y = alt.Y(
        "objective_name:N",
        sort=order,
        title=None,
        scale=alt.Scale(paddingInner=0.3, paddingOuter=0.15),
        axis=alt.Axis(labelFontSize=12, labelLimit=260),
    )
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=y,
            yOffset=alt.YOffset("measure:N", sort=measures, scale=alt.Scale(paddingInner=0.1)),
            x=alt.X(
                "share:Q",
                title="Share of in-portfolio budget",
                axis=alt.Axis(format=".0%", tickCount=6),
            ),
            color=alt.Color(
                "measure:N",
                sort=measures,
                title=None,
                scale=alt.Scale(domain=measures, range=["#0072B2", "#c5ccd6"]),
            ),
            tooltip=[
                alt.Tooltip("objective_name:N", title="Objective"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
                alt.Tooltip("invested_label:N", title="Invested"),
            ],
        )
    )
    gaps = (
        alt.Chart(data)
        .mark_text(align="left", dx=8, fontSize=12, color=INK)
        .encode(
            y=y,
            x=alt.X("label_at:Q"),
            text="gap_label:N",
            color=alt.condition("datum.gap < -0.02", alt.value("#D55E00"), alt.value(INK)),
        )
    )
    return (bars + gaps).properties(
        title=alt.Title(
            title,
            subtitle="Budget of Approved, Active and On Hold projects, split by "
            "their alignment scores; label = invested minus target",
        ),
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
        label=project_labels(shown["name"], shown["project_id"]),
        group=shown["in_portfolio"]
        .fillna(False)
        .astype(bool)
        .map({True: "In portfolio", False: "Not in portfolio"}),
        budget_label=shown["budget"].map(fmt_money),
    )
    order = data["label"].tolist()
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
        x=alt.X(
            "alignment_score:Q", title="Alignment score (0–100)", scale=alt.Scale(domain=[0, 100])
        ),
    )
    bars = base.mark_bar(height=alt.RelativeBandSize(0.7)).encode(
        color=alt.Color(
            "group:N",
            title=None,
            scale=alt.Scale(
                domain=list(IN_PORTFOLIO_COLOURS), range=list(IN_PORTFOLIO_COLOURS.values())
            ),
        ),
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
