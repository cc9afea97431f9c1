"""Review page charts (also in the review pack): RAG movement between two imports."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pmo import schema
from pmo.charts.theme import INK, RAG_COLOURS, empty_note

RAG_MOVES = {"rag_better": "Better", "rag_worse": "Worse"}


def rag_movement(changes: pd.DataFrame) -> alt.Chart:
    """Projects per RAG move (e.g. "Green → Amber"), coloured better or worse.

    Columns: change_kind, before, after (review_imports / review_changes); rows of kinds
    other than rag_better and rag_worse are ignored.
    """
    data = changes[changes["change_kind"].isin(list(RAG_MOVES))]
    if data.empty:
        return empty_note("No project changed RAG")
    moves = (
        data.assign(
            move=data["before"].astype(str) + " → " + data["after"].astype(str),
            direction=data["change_kind"].map(RAG_MOVES),
        )
        .groupby(["move", "direction"], as_index=False)
        .size()
        .rename(columns={"size": "projects"})
    )
    # RAG words or, where both reports had one, five-point ratings (Amber/Green → Amber):
    # ranked on the five-point scale, Red 0 ... Green 4. Worst moves first, then the better.
    rank = {point: i for i, point in enumerate(reversed(schema.RATING_POINTS))}
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
        color=alt.Color(
            "direction:N",
            title=None,
            scale=alt.Scale(
                domain=["Better", "Worse"], range=[RAG_COLOURS["Green"], RAG_COLOURS["Red"]]
            ),
        ),
        tooltip=[alt.Tooltip("move:N", title="RAG"), alt.Tooltip("projects:Q", title="Projects")],
    )
    labels = base.mark_text(align="left", dx=6, fontSize=13, color=INK).encode(
        y=y, x="projects:Q", text=alt.Text("projects:Q", format="d")
    )
    return (bars + labels).properties(
        title=alt.Title(
            "RAG movement",
            subtitle="Projects whose latest rating changed, from → to (five-point where both "
            "reports use it, else RAG)",
        ),
        width="container",
        height=alt.Step(36),
    )
