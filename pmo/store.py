"""The DuckDB database file: opening it briefly, its schema, and its data version."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from pmo import schema

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = ROOT / "data" / "pmo.duckdb"
MACROS_DIR = ROOT / "queries" / "macros"
# The temp macros the queries share, one topic per file, installed in this order on every
# connection (a macro after those it uses): statuses first, then as-of and filters, the
# month helpers, then the KPI building blocks (each after those it uses), the headline last.
MACRO_FILES = (
    "statuses",  # is_in_flight, is_in_portfolio (from schema.IN_FLIGHT, schema.IN_PORTFOLIO)
    "ratings",  # rating_level, rag_level, rag_move (from schema.RATING_SYNONYMS)
    "as_of",  # resolve_as_of
    "filters",  # scoped_projects, filters_active
    "months",  # month_param, window_to, window_from, trend_month_ends
    "evm",  # evm_series, evm_at
    "forecast",  # es_series, earned_schedule_at (issue 16)
    "alignment",  # alignment_scores
    "investment",  # investment_shares
    "key_results",  # kr_elapsed, kr_status, key_results_series/_at, objective_progress_series/_at
    "resources",  # resource_months
    "delivery",  # delivery_at
    "benefits",  # benefits_at
    "roadmap",  # project_schedule_at, dependency_links_at, risk_register_at (issue 17)
    "headline",  # headline_series, headline_at
    "selection",  # is_yes, fiscal_year, continue_costs (issue 15)
    "decisions",  # decision_project_list, decision_ref_date, ..., decision_listed (issue 21)
)

# How long an open waits for another process (a command-line import) to release the file.
LOCK_WAIT_SECONDS = 30.0

# One open at a time in this process: DuckDB refuses a read-only and a read-write
# connection to the same file side by side in one process.
_process_lock = threading.RLock()


def db_path(path: str | os.PathLike | None = None) -> Path:
    """The database file: the argument, else $PMO_DB, else data/pmo.duckdb."""
    if path:
        return Path(path)
    env = os.environ.get("PMO_DB")
    return Path(env) if env else DEFAULT_DB


INTERNAL_DDL = [
    """create table if not exists pmo_imports (
        import_id integer,
        imported_at timestamp,
        imported_by varchar,
        files varchar,
        as_of date,
        row_counts varchar,
        undone boolean default false,
        note varchar
    )""",
    """create table if not exists pmo_mappings (
        name varchar,
        signature varchar,
        table_name varchar,
        mapping varchar,
        defaults varchar,
        saved_at timestamp,
        saved_by varchar
    )""",
    """create table if not exists pmo_scenarios (
        name varchar,
        weights varchar,
        budget_cap double,
        selection varchar,
        saved_at timestamp,
        saved_by varchar,
        view varchar
    )""",
    # Databases made before scenarios kept the view they were made under.
    "alter table pmo_scenarios add column if not exists view varchar",
    # Issue 15: every constraint and pin (JSON of selection.Constraints) and the filters
    # (JSON) a scenario was made under; budget_cap is then its cost-to-continue cap.
    "alter table pmo_scenarios add column if not exists constraints varchar",
    "alter table pmo_scenarios add column if not exists filters varchar",
    # Value maps saved with a mapping ({column: {source word: target}}).
    "alter table pmo_mappings add column if not exists value_maps varchar",
    # The database's settings (pmo.settings): currency, fiscal-year start, rating scale.
    "create table if not exists pmo_settings (key varchar primary key, value varchar)",
]


def undo_ddl(table: schema.Table) -> list[str]:
    """Tables that keep, per import, the rows it replaced and the keys it touched."""
    cols = ", ".join(f"{c.name} {c.sql_type}" for c in table.columns)
    keys = ", ".join(f"{k} {table.column(k).sql_type}" for k in table.upsert_key)
    return [
        f"create table if not exists pmo_undo_{table.name} (import_id integer, {cols})",
        f"create table if not exists pmo_touched_{table.name} (import_id integer, {keys})",
    ]


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every template table and the internal tables, if missing."""
    for table in schema.TABLES.values():
        con.execute(schema.ddl(table))
        for stmt in undo_ddl(table):
            con.execute(stmt)
    for stmt in INTERNAL_DDL:
        con.execute(stmt)
    con.execute(schema.snapshot_ddl())
    _add_new_columns(con)


def _add_new_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Columns added to the template since a database was made (left_on, rating), appended
    to its tables, their undo logs and the review snapshots, in the schema's order."""
    have: dict[str, set[str]] = {}
    for table_name, column in con.execute(
        "select table_name, column_name from duckdb_columns() "
        "where database_name = current_database() and schema_name = 'main'"
    ).fetchall():
        have.setdefault(table_name, set()).add(column)
    for table in schema.TABLES.values():
        targets = [table.name, f"pmo_undo_{table.name}"]
        if table.name == "projects":
            targets.append(schema.SNAPSHOT_TABLE)
        for target in targets:
            for col in table.columns:
                if col.name not in have.get(target, {col.name}):
                    con.execute(
                        schema.sql(
                            "alter table {t} add column {c} {type}",
                            t=target,
                            c=col.name,
                            type=col.sql_type,
                        )
                    )
    # The snapshots' status-report columns likewise (rating, kept since issue 14).
    for name, sql_type in schema.SNAPSHOT_REPORT_COLUMNS:
        if name not in have.get(schema.SNAPSHOT_TABLE, {name}):
            con.execute(
                schema.sql(
                    "alter table {t} add column {c} {type}",
                    t=schema.SNAPSHOT_TABLE,
                    c=name,
                    type=schema.SQL(sql_type),  # a fixed type of SNAPSHOT_REPORT_COLUMNS
                )
            )


@functools.cache
def _macro_text(name: str) -> str:
    """One macro file of MACRO_FILES, the status lists and rating words filled in."""
    text = (MACROS_DIR / f"{name}.sql").read_text(encoding="utf-8")
    if name == "statuses":
        text = text.format(
            in_flight=schema.status_literals(schema.IN_FLIGHT),
            in_portfolio=schema.status_literals(schema.IN_PORTFOLIO),
        )
    elif name == "ratings":
        text = text.replace("{rating_synonyms}", schema.rating_synonym_cases()).replace(
            "{rating_points}", schema.rating_point_list()
        )
    return text


@functools.cache
def macros_sql(files: tuple[str, ...] = MACRO_FILES) -> str:
    """The text of these macro files (default: every one), in MACRO_FILES' order."""
    return "\n".join(_macro_text(name) for name in MACRO_FILES if name in files)


_MACRO_DEFINITION = re.compile(r"create\s+or\s+replace\s+temp\s+macro\s+(\w+)", re.IGNORECASE)


@functools.cache
def _macro_files_by_name() -> dict[str, str]:
    """Each macro's name -> the file of MACRO_FILES that defines it."""
    return {
        macro: name
        for name in MACRO_FILES
        for macro in _MACRO_DEFINITION.findall(_macro_text(name))
    }


def _macros_called(sql: str) -> set[str]:
    """The files whose macros ``sql`` calls (a name followed by '(')."""
    by_name = _macro_files_by_name()
    called = set(re.findall(r"\b(\w+)\s*\(", sql))
    return {by_name[m] for m in called if m in by_name}


@functools.cache
def macro_files_for(sql: str) -> tuple[str, ...]:
    """The macro files one query needs: those it calls and, transitively, those they call
    (issue 20: installing all of them cost ~50 ms of CPU per connection, a query per
    connection in the app, ~1 s of a cold page)."""
    need: set[str] = set()
    todo = _macros_called(sql)
    while todo:
        name = todo.pop()
        if name not in need:
            need.add(name)
            todo |= _macros_called(_macro_text(name)) - need
    return tuple(name for name in MACRO_FILES if name in need)


def _install_macros(con: duckdb.DuckDBPyConnection, files: tuple[str, ...] = MACRO_FILES) -> None:
    """Temp macros shared by the queries (queries/macros/), defined once in SQL.

    DuckDB binds a macro's tables when it is made, so a file from an earlier version opened
    read-only (no table added since, e.g. key_results) gets those tables as empty temp tables
    for this connection: its pages show their empty states instead of failing.
    """
    stored = {
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
    }
    for table in schema.TABLES.values():
        if table.name not in stored:
            con.execute(schema.ddl(table).replace("create table", "create temp table", 1))
    if files:
        con.execute(macros_sql(files))


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "different configuration" in text


@contextlib.contextmanager
def connect(
    path: str | os.PathLike | None = None,
    *,
    write: bool = False,
    wait: float = LOCK_WAIT_SECONDS,
    macros_for: str | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the database for one operation and close it at once, so others may write.

    Every macro of queries/macros is installed, or with ``macros_for`` (the text of the one
    query the connection will run) only those it needs. A read-only open of a file that does
    not exist yet creates it with an empty schema first. While another process holds the
    write lock, retry for up to ``wait`` seconds.
    """
    target = db_path(path)
    with _process_lock:
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_first = True
        else:
            write_first = False
        deadline = time.monotonic() + wait
        delay = 0.02
        while True:
            try:
                if write_first and not write:
                    with contextlib.closing(duckdb.connect(str(target))) as init:
                        create_schema(init)
                con = duckdb.connect(str(target), read_only=not write)
                break
            except duckdb.Error as exc:
                if not _is_lock_error(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
        try:
            if write:
                create_schema(con)
            _install_macros(con, MACRO_FILES if macros_for is None else macro_files_for(macros_for))
            yield con
        finally:
            con.close()


def data_version(path: str | os.PathLike | None = None) -> str:
    """A token that changes whenever the database file changes (import, undo, demo)."""
    target = db_path(path)
    parts = []
    for p in (target, Path(str(target) + ".wal")):
        try:
            st = p.stat()
            parts.append(f"{st.st_mtime_ns}:{st.st_size}")
        except FileNotFoundError:
            parts.append("-")
    return f"{target}|{'|'.join(parts)}"


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> object:
    """The first value of the first row, or None.

    fetchall, not fetchone: DuckDB 2.0 keeps a half-read result open on the connection
    and refuses further work on it until the result is finished.
    """
    rows = con.execute(sql, params or {}).fetchall()
    return rows[0][0] if rows else None
