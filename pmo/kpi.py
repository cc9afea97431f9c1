"""Headline KPIs as a plain dict (the `kpis --json` keys of the README's command line)."""

from __future__ import annotations

import datetime as dt
import decimal
import math
import os

import duckdb

from pmo import filters, queries, store

# The keys of `python -m pmo kpis --json`, in the order of the README's command line. SERIES_KEYS are those of
# the headline_series macro (with a monthly trend and a change since last month); the keys
# after them come from their own queries, at the as-of date only.
SERIES_KEYS = (
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
HEADLINE_KEYS = (
    *SERIES_KEYS,
    # Issue 17 (roadmap_kpis.sql): null when no risk / no dependency is loaded.
    "open_high_risks",
    "dependencies_at_risk",
)

# Issue 16: the forecast's keys of `kpis --json` (the README's command line), from pmo.forecast (the SQL
# portfolio EAC, and the Monte Carlo with its default seed). Not in headline(): the trends and
# the pack's tiles do not pay for a simulation.
FORECAST_KEYS = (
    "portfolio_eac",
    "portfolio_vac",
    "p80_cost_at_completion",
    "probability_within_budget",
)
JSON_KEYS = HEADLINE_KEYS + FORECAST_KEYS


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
    # Issue 17: open_high_risks and dependencies_at_risk (roadmap_kpis.sql).
    row.update(
        queries.records(
            con, "roadmap_kpis", **filters.query_params("roadmap_kpis", {**view, "as_of": as_of})
        )[0]
    )
    return {key: _plain(row.get(key)) for key in HEADLINE_KEYS}


def for_json(con: duckdb.DuckDBPyConnection, as_of: dt.date | None = None, **filters) -> dict:
    """Every key of `python -m pmo kpis --json`: the headline KPIs and the forecast's."""
    from pmo import forecast  # numpy, only for this command

    out = headline(con, as_of, **filters)
    params = {f: filters.get(f) for f in queries.FILTER_PARAMS}
    extra = forecast.kpis(con, as_of, params)
    out.update({key: _plain(extra.get(key)) for key in FORECAST_KEYS})
    return out


def for_json_cached(db, as_of: dt.date | None = None, **filters) -> dict:
    """``for_json`` for the database file ``db``, kept beside it (DB.kpis.json) for the same
    data version, as-of date, filters and forecast seed and draws: a monitoring job that asks
    every few minutes pays for the forecast's simulation once per import, not every time.
    Any write to the database (import, undo, settings, a decision) changes the data version
    and so computes afresh; a file that cannot be written is no error."""
    import json

    from pmo import forecast

    path = store.db_path(db)
    cache = path.with_name(path.name + ".kpis.json")
    key = json.dumps(
        [
            store.data_version(path),
            str(as_of),
            {f: filters.get(f) for f in queries.FILTER_PARAMS},
            forecast.SEED,
            forecast.DRAWS,
        ],
        sort_keys=True,
        default=str,
    )
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
        if kept.get("key") == key:
            return kept["kpis"]
    except (OSError, ValueError, AttributeError):
        pass  # none yet, or unreadable: compute
    with store.connect(db) as con:
        out = for_json(con, as_of, **filters)
    try:
        tmp = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"key": key, "kpis": out}), encoding="utf-8")
        os.replace(tmp, cache)  # whole or not at all, for a reader at the same moment
    except OSError:
        pass  # a read-only folder: the next call computes again
    return out
