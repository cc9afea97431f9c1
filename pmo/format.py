"""Number formats executives read: $1.2M, 93%, 0.94, "—" for what cannot be computed."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import math
import sys

DASH = "—"


# The database's currency (ISO 4217), set for the current thread of work: each script run of
# the app, a command or a pack sets it from the database's settings (use_currency). Every
# money figure below is written in it; nothing here hard-codes "$".
_CURRENCY: contextvars.ContextVar[str] = contextvars.ContextVar("pmo_currency", default="USD")

# The English locale whose short forms a currency's readers expect: £471.8bn in the UK,
# $92.3M in the US. Symbols and unit suffixes both come from CLDR through Babel.
_HOME_LOCALE = {"GBP": "en_GB"}


def use_currency(code: str | None) -> contextvars.Token:
    """Write money in ``code`` (ISO 4217, e.g. GBP) from now on in this thread or context;
    the token gives the previous currency back (``_CURRENCY.reset``, see in_currency)."""
    return _CURRENCY.set((code or "USD").upper())


@contextlib.contextmanager
def in_currency(code: str | None):
    """Write money in ``code`` inside the block, and as before after it (a command, a pack)."""
    token = use_currency(code)
    try:
        yield
    finally:
        _CURRENCY.reset(token)


def currency() -> str:
    """The ISO code money is written in now (USD unless use_currency said otherwise)."""
    return _CURRENCY.get()


@functools.cache
def _style(code: str) -> tuple[str, tuple[str, str, str]]:
    """The currency's symbol and its (thousand, million, billion) suffixes, from CLDR."""
    from babel import Locale
    from babel.numbers import get_currency_symbol

    locale = _HOME_LOCALE.get(code, "en")
    short = Locale.parse(locale).compact_currency_formats["short"]["one"]
    suffixes = tuple(
        short[n].pattern.replace("¤", "").replace("0", "").strip()
        for n in ("1000", "1000000", "1000000000")
    )
    return get_currency_symbol(code, locale=locale), suffixes


def currency_symbol() -> str:
    """The symbol shown before money: $ for USD, £ for GBP, € for EUR (CLDR)."""
    return _style(currency())[0]


def money_units() -> tuple[str, str, str]:
    """The suffixes of thousands, millions and billions: K, M, B (k, m, bn for GBP)."""
    return _style(currency())[1]


def _missing(value: object) -> bool:
    # pandas.NA only exists once pandas is imported; this module never imports it (the
    # `pmo kpis` path stays off pandas).
    pandas = sys.modules.get("pandas")
    na = getattr(pandas, "NA", None) if pandas is not None else None
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or (na is not None and value is na)
    )


def money(value: object, digits: int = 1) -> str:
    """$1.2M, $850K, $950, -$1.2M (£471.8bn, £32.6m in pounds); — when missing."""
    if _missing(value):
        return DASH
    v = float(value)
    sign = "-" if v < 0 else ""
    v = abs(v)
    sym = currency_symbol()
    thousand, million, billion = money_units()
    for limit, suffix, places in (
        (1e9, billion, digits),
        (1e6, million, digits),
        (1e3, thousand, 0),
    ):
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
