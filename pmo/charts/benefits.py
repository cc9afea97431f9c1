"""Benefits page charts: planned against realised benefit per project or objective."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pmo.charts.theme import INK, empty_note, money_axis


def benefits_bars(frame: pd.DataFrame, label: str, title: str) -> alt.Chart:
    """Planned and realised benefit per row (project or objective), largest planned first.

    Columns: ``label`` (the row name), planned, realized, realisation_rate.
    """
    if frame.empty:
        return empty_note("No benefits recorded")
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
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(names.values()), range=["#56B4E9", "#009E73"]),
            ),
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
        title=alt.Title(
            title,
            subtitle="Label: realised ÷ planned; not yet due: no benefit due by the as-of date",
        ),
        width="container",
        height=alt.Step(14),
    )
