"""The demo portfolio, kept apart from real data.

The demo is a database of its own (data/demo.duckdb), built through the normal import from
the generated workbooks in data/: three monthly exports of Northwind Financial's portfolio
(August, September and October 2026), each imported as the complete list of projects as of
its month-end, so the Review page and the trends show real movement from the first visit.
A PMO's own database (data/pmo.duckdb or $PMO_DB) is never filled with demo rows.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from pmo import ingest, store

DATA = store.ROOT / "data"
DEMO_DB = DATA / "demo.duckdb"
WORKBOOK = DATA / "demo_portfolio.xlsx"
MONTHLY = (
    (DATA / "demo" / "northwind-2026-08.xlsx", dt.date(2026, 8, 31)),
    (DATA / "demo" / "northwind-2026-09.xlsx", dt.date(2026, 9, 30)),
)
AS_OF = dt.date(2026, 10, 31)


def exports() -> list[tuple[Path, dt.date]]:
    """The demo's monthly exports in import order, each with its as-of date."""
    return [*MONTHLY, (WORKBOOK, AS_OF)]


def build(
    db: str | os.PathLike = DEMO_DB, progress: Callable[[float, str], None] | None = None
) -> Path:
    """(Re)build the demo database at ``db``: delete it and import the monthly exports in turn.

    Returns the path. Every file goes through ingest as a user's would, as the complete list
    of projects as of its month-end.
    """
    path = Path(db)
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    files = exports()
    for i, (file, as_of) in enumerate(files):
        if progress:
            progress(i / len(files), f"importing {file.name}")
        ingest.import_paths([file], path, user="demo", as_of=as_of, complete=["projects"])
    if progress:
        progress(1.0, "demo ready")
    return path


def own_db() -> Path:
    """The PMO's own database: $PMO_DB, else data/pmo.duckdb (pmo.store.db_path)."""
    return store.db_path()


def serving_db(demo_chosen: bool = False) -> Path:
    """The database the app serves: the demo when chosen, or when the PMO has no data yet.

    $PMO_DB always names the PMO's own database (created empty when it does not exist).
    Without it, data/pmo.duckdb once it exists ("Start with your own data" creates it),
    else the demo database.
    """
    if demo_chosen:
        return DEMO_DB
    if os.environ.get("PMO_DB") or store.DEFAULT_DB.exists():
        return own_db()
    return DEMO_DB


def is_demo(path: str | os.PathLike) -> bool:
    """True for the demo database's file."""
    return Path(path).resolve() == DEMO_DB.resolve()
