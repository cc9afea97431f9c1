"""The database's settings: its currency, fiscal-year start month and rating scale.

Kept in pmo_settings (key, value) and changed on the Data page or with `python -m pmo
settings`. Every figure of money is in the one currency (ISO code; its symbol comes from CLDR
through Babel); the rating scale turns a rating as reported (status_reports.rating, e.g.
Amber/Green) into the RAG every KPI counts (docs/data-model.md, second release).
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass, field, replace

import duckdb

from pmo import schema, store

# The fiscal year's start month as people name it (Data page, `python -m pmo settings`).
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DEFAULT_CURRENCY = "USD"


@functools.cache
def currencies() -> frozenset[str]:
    """ISO 4217 codes Babel (CLDR) knows."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


@functools.cache
def symbol(code: str) -> str:
    """The currency's symbol in English as CLDR gives it: USD $, GBP £, EUR €, CAD CA$."""
    from babel.numbers import get_currency_symbol

    return get_currency_symbol(code, locale="en")


def check_currency(code: str) -> str:
    """The ISO code in capitals; ValueError when CLDR has no such currency."""
    text = str(code).strip().upper()
    if text not in currencies():
        raise ValueError(f"{code!r} is not an ISO 4217 currency code (e.g. USD, GBP, EUR)")
    return text


@dataclass(frozen=True)
class Settings:
    """One database's settings."""

    currency: str = DEFAULT_CURRENCY
    fiscal_year_start: int = 1  # month 1-12
    rating_scale: dict[str, str] = field(default_factory=lambda: dict(schema.DEFAULT_RATING_SCALE))

    @property
    def symbol(self) -> str:
        """The currency's symbol (CLDR, English)."""
        return symbol(self.currency)

    def as_dict(self) -> dict[str, object]:
        """The settings as plain values (for JSON and the Data page)."""
        return {
            "currency": self.currency,
            "currency_symbol": self.symbol,
            "fiscal_year_start": self.fiscal_year_start,
            "rating_scale": dict(self.rating_scale),
        }


def read(con: duckdb.DuckDBPyConnection) -> Settings:
    """The settings stored in the database (defaults for what is not stored)."""
    try:
        rows = dict(con.execute("select key, value from pmo_settings").fetchall())
    except duckdb.CatalogException:  # a database made before settings existed
        rows = {}
    out = Settings()
    if rows.get("currency"):
        out = replace(out, currency=rows["currency"])
    if rows.get("fiscal_year_start"):
        out = replace(out, fiscal_year_start=int(rows["fiscal_year_start"]))
    if rows.get("rating_scale"):
        out = replace(out, rating_scale={**out.rating_scale, **json.loads(rows["rating_scale"])})
    return out


def load(db: str | os.PathLike | None = None) -> Settings:
    """The settings of the database file ``db`` (see pmo.store.db_path)."""
    with store.connect(db) as con:
        return read(con)


def validated(
    current: Settings,
    *,
    currency: str | None = None,
    fiscal_year_start: int | None = None,
    rating_scale: dict[str, str] | None = None,
) -> Settings:
    """``current`` with the changes given, each checked; ValueError says what is wrong."""
    out = current
    if currency is not None:
        out = replace(out, currency=check_currency(currency))
    if fiscal_year_start is not None:
        if not 1 <= int(fiscal_year_start) <= 12:
            raise ValueError(f"the fiscal year starts in a month 1-12, not {fiscal_year_start}")
        out = replace(out, fiscal_year_start=int(fiscal_year_start))
    if rating_scale:
        scale = dict(out.rating_scale)
        for point, rag in rating_scale.items():
            if point not in schema.RATING_POINTS:
                raise ValueError(
                    f"rating scale: {point!r} is not a rating; ratings: "
                    + ", ".join(schema.RATING_POINTS)
                )
            if rag not in schema.RAGS:
                raise ValueError(
                    f"rating scale: {point} must count as Green, Amber or Red, not {rag!r}"
                )
            scale[point] = rag
        out = replace(out, rating_scale=scale)
    return out


def write(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Store ``settings`` (inside the caller's transaction, if any)."""
    con.execute("create table if not exists pmo_settings (key varchar primary key, value varchar)")
    for key, value in (
        ("currency", settings.currency),
        ("fiscal_year_start", str(settings.fiscal_year_start)),
        ("rating_scale", json.dumps(settings.rating_scale)),
    ):
        con.execute("insert or replace into pmo_settings values ($k, $v)", {"k": key, "v": value})


def save(db: str | os.PathLike | None = None, **changes) -> Settings:
    """Change the settings of the database ``db``; return them. See validated for the changes."""
    with store.connect(db, write=True) as con:
        new = validated(read(con), **changes)
        write(con, new)
    return new


def has_money(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database holds any amount of money yet (then its currency is fixed)."""
    for table in schema.TABLES.values():
        for col in table.columns:
            if col.money:
                text = schema.sql(
                    "select 1 from {t} where {c} is not null limit 1", t=table.name, c=col.name
                )
                if con.execute(text).fetchall():
                    return True
    return False
