"""Altair chart builders: DataFrame in, alt.Chart out; no Streamlit, no SQL. One house theme."""

from __future__ import annotations

import altair as alt
import pandas as pd

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
RAG_COLOURS = {"Green": "#009E73", "Amber": "#E69F00", "Red": "#D55E00", "No report": "#999999"}
RAG_ORDER = ["Green", "Amber", "Red", "No report"]
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
INK = "#1f2a37"
MUTED = "#5b6775"
FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"

# Vega-Lite expressions for axis labels: $1.2M, 93%.
MONEY_EXPR = (
    "datum.value >= 1e9 || datum.value <= -1e9 ? '$' + format(datum.value / 1e9, '.1f') + 'B' : "
    "datum.value >= 1e6 || datum.value <= -1e6 ? '$' + format(datum.value / 1e6, '.1f') + 'M' : "
    "datum.value >= 1e3 || datum.value <= -1e3 ? '$' + format(datum.value / 1e3, '.0f') + 'K' : "
    "'$' + format(datum.value, ',.0f')"
)


@alt.theme.register("pmo", enable=True)
def pmo_theme() -> alt.theme.ThemeConfig:
    """House style shared by every chart: readable type, quiet grid, colour-blind-safe colours."""
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "padding": 12,
            "title": {
                "fontSize": 17,
                "fontWeight": 600,
                "color": INK,
                "anchor": "start",
                "subtitleFontSize": 13,
                "subtitleColor": MUTED,
                "offset": 12,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "titleFontWeight": 500,
                "labelColor": INK,
                "titleColor": MUTED,
                "gridColor": "#e6e9ee",
                "domainColor": "#c5ccd6",
                "tickColor": "#c5ccd6",
                "labelLimit": 260,
            },
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "titleColor": MUTED, "orient": "top"},
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 340},
            "range": {"category": PALETTE},
            "bar": {"cornerRadiusEnd": 2},
        }
    }


def money_axis(title: str) -> alt.Axis:
    """An axis labelled in $K/$M/$B."""
    return alt.Axis(title=title, labelExpr=MONEY_EXPR)


def rag_scale() -> alt.Scale:
    """Green/Amber/Red mapped to the house colours, always in that order."""
    return alt.Scale(domain=RAG_ORDER, range=[RAG_COLOURS[r] for r in RAG_ORDER])


def rag_mix(mix: pd.DataFrame, title: str = "RAG status of in-flight projects") -> alt.Chart:
    """Horizontal bars of projects per RAG, labelled with the word and count; columns rag, projects."""
    total = int(mix["projects"].sum()) if len(mix) else 0
    base = alt.Chart(mix, title=alt.Title(title, subtitle=f"{total} projects, latest status report")).encode(
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
        text=alt.Text("projects:Q", format="d")
    )
    return (bars + labels).properties(height=alt.Step(40), width="container")


def evm_scatter(evm: pd.DataFrame, title: str = "Cost and schedule performance by project") -> alt.Chart:
    """CPI (x) against SPI (y) per in-flight project, colour and shape by RAG, 1.0 lines marked.

    Columns: project_id, name, rag, cpi, spi, budget, sponsor.
    """
    data = evm.dropna(subset=["cpi", "spi"])
    points = (
        alt.Chart(data)
        .mark_point(filled=True, opacity=0.85, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("cpi:Q", title="Cost performance index (CPI)", scale=alt.Scale(zero=False, nice=True)),
            y=alt.Y("spi:Q", title="Schedule performance index (SPI)", scale=alt.Scale(zero=False, nice=True)),
            size=alt.Size("budget:Q", title="Budget", legend=None, scale=alt.Scale(range=[60, 900])),
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
