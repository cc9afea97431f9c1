"""Headline KPIs as a plain dict (the `kpis --json` keys of design §6)."""

from __future__ import annotations

import datetime as dt
import decimal
import math

import duckdb

from pmo import filters, queries

# The keys of `python -m pmo kpis --json`, in the order of design §6.
HEADLINE_KEYS = (
    "as_of",
    "in_flight_projects",
    "total_budget",
    "planned_value",
    "earned_value",
    "actual_cost",
    "portfolio_cpi",
    "portfolio_spi",
    "rag_green",
    "rag_amber",
    "rag_red",
    "portfolio_alignment",
    "unaligned_share",
    "utilization",
    "overallocated_resources",
    "on_time_delivery",
    "benefits_realization",
)


def _plain(value: object) -> object:
    """numpy/pandas scalars -> JSON-ready Python values; NaN/NaT -> None."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    return value


def headline(con: duckdb.DuckDBPyConnection, as_of: dt.date | None = None, **view) -> dict:
    """Every headline KPI at ``as_of`` for the projects passing the filters of ``view``
    (portfolio=[...], ...)."""
    params = filters.query_params("headline_kpis", {**view, "as_of": as_of})
    # Plain rows, not a DataFrame: `pmo kpis` then never imports pandas (issue 9: ≤ 1 s).
    row = queries.records(con, "headline_kpis", **params)[0]
    return {key: _plain(row.get(key)) for key in HEADLINE_KEYS}
