"""Number formats executives read: $1.2M, 93%, 0.94, "—" for what cannot be computed."""

from __future__ import annotations

import math
import os

DASH = "—"


def currency_symbol() -> str:
    """The currency shown before money ($ unless PMO_CURRENCY says otherwise)."""
    return os.environ.get("PMO_CURRENCY", "$")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is _NA


try:  # pandas.NA without importing pandas at module import time for callers that lack it
    from pandas import NA as _NA
except ImportError:  # pragma: no cover
    _NA = object()


def money(value: object, digits: int = 1) -> str:
    """$1.2M, $850K, $950, -$1.2M; — when missing."""
    if _missing(value):
        return DASH
    v = float(value)
    sign = "-" if v < 0 else ""
    v = abs(v)
    sym = currency_symbol()
    for limit, suffix, places in ((1e9, "B", digits), (1e6, "M", digits), (1e3, "K", 0)):
        if v >= limit:
            return f"{sign}{sym}{v / limit:.{places}f}{suffix}"
    return f"{sign}{sym}{v:,.0f}"


def percent(value: object, digits: int = 0) -> str:
    """A fraction as a percent: 0.934 -> 93%; — when missing."""
    if _missing(value):
        return DASH
    return f"{float(value) * 100:.{digits}f}%"


def ratio(value: object) -> str:
    """CPI/SPI style: 0.94; — when missing."""
    if _missing(value):
        return DASH
    return f"{float(value):.2f}"


def score(value: object) -> str:
    """A 0–100 score rounded to a whole number: 72; — when missing."""
    if _missing(value):
        return DASH
    return f"{float(value):.0f}"


def count(value: object) -> str:
    """A whole number with thousands separators; — when missing."""
    if _missing(value):
        return DASH
    return f"{int(value):,}"


def score_of_100(value: object) -> str:
    """A 0–100 score with its scale: 62 / 100; — when missing."""
    if _missing(value):
        return DASH
    return f"{float(value):.0f} / 100"


def signed(value: object, kind: str = "count") -> str | None:
    """A change for st.metric's delta (+3, -$1.2M, +2.1 pts); None when missing."""
    if _missing(value):
        return None
    v = float(value)
    if kind == "money":
        return ("+" if v >= 0 else "") + money(v)
    if kind == "percent":
        return f"{v * 100:+.1f} pts"
    if kind == "ratio":
        return f"{v:+.2f}"
    return f"{v:+,.0f}"
