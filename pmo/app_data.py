"""Streamlit-facing data access: the only pmo module that imports streamlit.

The database is opened only for the moment a query runs (pmo.store), so a command-line import
can write while the app serves. Results are cached per (database, data version, query,
parameters): an import or undo changes the data version, and the next rerun shows new data.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from pmo import ingest, queries, store

DEMO_WORKBOOK = store.ROOT / "data" / "demo_portfolio.xlsx"

# Sidebar filter state lives in st.session_state under these keys.
FILTER_KEYS = {f: f"filter_{f}" for f in queries.FILTER_PARAMS}
AS_OF_KEY = "filter_as_of"


def db_path() -> str:
    """The database file this app serves ($PMO_DB or data/pmo.duckdb)."""
    return str(store.db_path())


@st.cache_resource(show_spinner="Building the demo database from data/demo_portfolio.xlsx…")
def _ensure(db: str) -> bool:
    # First run on a machine with no database: load the demo through the normal import.
    if not store.db_path(db).exists():
        ingest.import_paths([DEMO_WORKBOOK], db, user="demo")
    return True


def ensure_database() -> None:
    """Create the database from the demo workbook if there is none yet."""
    _ensure(db_path())


def data_version() -> str:
    """Changes whenever the database file changes."""
    return store.data_version(db_path())


def _freeze(value: object) -> object:
    if isinstance(value, list | tuple | set):
        return tuple(str(v) for v in value)
    return value


@st.cache_data(show_spinner=False, max_entries=2000)
def _run(db: str, version: str, name: str, frozen: tuple) -> pd.DataFrame:
    params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in frozen}
    with store.connect(db) as con:
        return queries.run(con, name, **params)


def query(name: str, **params: object) -> pd.DataFrame:
    """Run queries/<name>.sql with exactly these params, cached by data version."""
    frozen = tuple(sorted((k, _freeze(v)) for k, v in params.items()))
    return _run(db_path(), data_version(), name, frozen)


def current_filters() -> dict[str, object]:
    """The sidebar filters in force: as_of (date or None) and one list per filter."""
    out: dict[str, object] = {"as_of": st.session_state.get(AS_OF_KEY)}
    for f, key in FILTER_KEYS.items():
        out[f] = list(st.session_state.get(key) or [])
    return out


def filtered(name: str, **extra: object) -> pd.DataFrame:
    """Run a query with the sidebar filters (those it takes) plus ``extra`` params."""
    wanted = queries.load(name).params
    params = {k: v for k, v in current_filters().items() if k in wanted}
    params.update(extra)
    return query(name, **params)


def filter_options() -> pd.DataFrame:
    """Distinct values for each sidebar filter: columns field, value."""
    return query("filter_options")


def import_status() -> dict[str, object]:
    """The data's as-of date and the last import, for the sidebar."""
    frame = query("data_status")
    row = frame.iloc[0].to_dict() if len(frame) else {}
    return row


def clear_caches() -> None:
    """Forget cached results (after a write made by this process)."""
    _run.clear()


def today() -> dt.date:
    """Today's date (a seam for tests)."""
    return dt.date.today()
