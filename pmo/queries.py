"""Load SQL files from queries/ by name and run them with named, bound parameters."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:  # pandas is imported by DuckDB's .df() when a frame is asked for: the
    import pandas as pd  # `pmo kpis` path never needs it and starts faster without it.

QUERIES_DIR = Path(__file__).resolve().parents[1] / "queries"

# Comments and string literals are removed before looking for $params,
# so "-- filter by $project" or '$5 budget' are not mistaken for parameters.
_COMMENTS_AND_STRINGS = re.compile(r"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", re.DOTALL)
_NAMED_PARAM = re.compile(r"(?<![\w$])\$([A-Za-z_]\w*)")

# The sidebar filters: every query that scopes projects takes all four, as lists.
FILTER_PARAMS = ("portfolio", "business_unit", "status", "sponsor")
LIST_PARAMS = frozenset(FILTER_PARAMS)


@dataclass(frozen=True)
class Query:
    """One SQL file from queries/, with the $params it uses."""

    name: str
    sql: str
    params: frozenset[str]
    description: str


def param_names(sql: str) -> frozenset[str]:
    """Return the $names used in ``sql``, ignoring comments and string literals."""
    return frozenset(_NAMED_PARAM.findall(_COMMENTS_AND_STRINGS.sub("", sql)))


def names() -> list[str]:
    """Every query name (path below queries/ without .sql); the macros of queries/macros/
    (installed by pmo.store) and files named _* are not queries."""
    return sorted(
        p.relative_to(QUERIES_DIR).with_suffix("").as_posix()
        for p in QUERIES_DIR.rglob("*.sql")
        if not p.name.startswith("_") and p.relative_to(QUERIES_DIR).parts[0] != "macros"
    )


@functools.cache
def load(name: str) -> Query:
    """Read queries/<name>.sql once; later calls return the cached Query."""
    if name not in names():
        raise KeyError(f"no query named {name!r}; known: {', '.join(names())}")
    sql = (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
    header = [ln[2:].strip() for ln in sql.splitlines() if ln.startswith("--")]
    return Query(name=name, sql=sql, params=param_names(sql), description=" ".join(header[:1]))


def normalise(name: str, params: dict[str, object]) -> dict[str, object]:
    """Filter params become lists (None or "" -> []); dates stay dates."""
    out: dict[str, object] = {}
    for key, value in params.items():
        if key in LIST_PARAMS:
            if value is None or value == "":
                value = []
            elif isinstance(value, str):
                value = [value]
            else:
                value = [str(v) for v in value]
        elif isinstance(value, dt.datetime):  # pandas Timestamps included
            value = value.date()
        out[key] = value
    return out


def _execute(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> duckdb.DuckDBPyConnection:
    query = load(name)
    missing = query.params - params.keys()
    unexpected = params.keys() - query.params
    if missing or unexpected:
        raise ValueError(
            f"{name}.sql expects {sorted(query.params)}; "
            f"missing {sorted(missing)}, unexpected {sorted(unexpected)}"
        )
    return con.execute(query.sql, normalise(name, params))


def run(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """Run a named query; the keyword arguments must match its $params exactly."""
    return _execute(con, name, params).df()


def records(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> list[dict[str, object]]:
    """Run a named query into plain dicts (no pandas): for small results on fast paths."""
    cursor = _execute(con, name, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def arrays(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> dict:
    """Run a named query into one numpy array per column (no pandas): numbers as float64 with
    NaN for null, other columns as object arrays. For large results read by numpy code."""
    import numpy as np

    out = {}
    for column, values in _execute(con, name, params).fetchnumpy().items():
        if np.ma.isMaskedArray(values):
            values = (
                values.astype(float).filled(np.nan)
                if values.dtype.kind in "fiu"
                else values.filled(None)
            )
        elif values.dtype.kind in "iu":
            values = values.astype(float)
        out[column] = values
    return out


def defaults(name: str) -> dict[str, object]:
    """A value for every parameter of a query: filters empty (all), everything else null."""
    return {p: ([] if p in LIST_PARAMS else None) for p in load(name).params}
