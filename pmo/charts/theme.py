"""The house style of every chart: palette, RAG colours, the registered Altair theme, axes,
money labels (built from a currency symbol) and the note drawn in place of an empty chart."""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
RAG_COLOURS = {"Green": "#009E73", "Amber": "#E69F00", "Red": "#D55E00", "No report": "#999999"}
RAG_ORDER = ["Green", "Amber", "Red", "No report"]
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
INK = "#1f2a37"
MUTED = "#5b6775"
FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"


def _js_string(text: str) -> str:
    """``text`` as a single-quoted Vega expression string literal (quotes and backslashes escaped)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def money_expr(symbol: str | None = None, field: str = "value") -> str:
    """A Vega expression labelling a number as money: $1.2B, $1.2M, $850K, $950 (£1.2bn …).

    ``symbol`` is the currency shown before the amount (default: the database's, as
    pmo.format writes it, with its unit suffixes); ``field`` the datum field formatted
    ("value": an axis or legend label; any other name: that column, computed in the browser,
    so thousands of rows cost nothing to label in Python).
    """
    from pmo import format

    ref = "datum.value" if field == "value" else f"datum['{field}']"
    sym = _js_string(format.currency_symbol() if symbol is None else symbol)
    k, m, bn = (_js_string(u) for u in format.money_units())
    return (
        f"{ref} >= 1e9 || {ref} <= -1e9 ? {sym} + format({ref} / 1e9, '.1f') + {bn} : "
        f"{ref} >= 1e6 || {ref} <= -1e6 ? {sym} + format({ref} / 1e6, '.1f') + {m} : "
        f"{ref} >= 1e3 || {ref} <= -1e3 ? {sym} + format({ref} / 1e3, '.0f') + {k} : "
        f"{sym} + format({ref}, ',.0f')"
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
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "titleColor": MUTED,
                "orient": "top",
            },
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 340},
            "range": {"category": PALETTE},
            "bar": {"cornerRadiusEnd": 2},
        }
    }


def money_axis(title: str, symbol: str | None = None) -> alt.Axis:
    """An axis labelled in the database's currency: $K/$M/$B, £k/£m/£bn (or ``symbol``)."""
    return alt.Axis(title=title, labelExpr=money_expr(symbol))


def rag_scale() -> alt.Scale:
    """Green/Amber/Red mapped to the house colours, always in that order."""
    return alt.Scale(domain=RAG_ORDER, range=[RAG_COLOURS[r] for r in RAG_ORDER])


# Time axes: months as "Oct 2026" or "Oct 26" (banded), dates as "Oct 26".
MONTH_AXIS = alt.Axis(format="%b %Y", labelAngle=0, labelOverlap="greedy", title=None)
MONTH_BAND_AXIS = alt.Axis(format="%b %Y", labelAngle=0, title=None, labelOverlap="greedy")
DATE_AXIS = alt.Axis(format="%b %Y", labelOverlap="greedy", labelSeparation=12, title=None)


def empty_note(text: str) -> alt.Chart:
    """A chart that says there is nothing to draw (builders never fail on empty data); a
    long note wraps at about 48 characters so that a half-width column never clips it."""
    lines = textwrap.wrap(text, 48) or [""]
    return (
        alt.Chart(pd.DataFrame({"t": ["\n".join(lines)]}))
        .mark_text(fontSize=14, color=MUTED, lineBreak="\n")
        .encode(text="t:N")
        .properties(width="container", height=max(80, 24 * len(lines) + 32))
    )


def fmt_money(value: float) -> str:
    """A money amount as text ($1.2M), for labels and tooltips built in Python."""
    # Imported here so the chart module stays usable without the rest of the package.
    from pmo import format

    return format.money(value)
