"""Column mapping: which source header (or constant) fills each template column.

Headers match the template case-, space- and punctuation-insensitively and by the synonyms of
pmo.schema. What automatic matching cannot do, a mapping does: {column: source header} plus
{column: constant}. Mappings are saved by name in pmo_mappings, keyed by a signature of the
headers, so a file with the same headers next month gets the same mapping.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pmo import schema, values
from pmo.readers import header_key


class MappingError(ValueError):
    """A mapping names a table or column that does not exist."""


def header_lookup(table: schema.Table) -> dict[str, str]:
    """Header key (of the canonical name or a synonym) -> canonical column, for one table."""
    out: dict[str, str] = {}
    for col in table.columns:
        for name in (col.name, *col.synonyms):
            out.setdefault(header_key(name), col.name)
    return out


def known_keys(table: str | None = None) -> set[str]:
    """Header keys recognised for one table, or for every table when ``table`` is None."""
    tables = [schema.TABLES[table]] if table else list(schema.TABLES.values())
    return {k for t in tables for k in header_lookup(t)}


def table_for_name(name: str) -> str | None:
    """The template table a sheet or file is named after ('Status Reports' -> status_reports)."""
    k = header_key(name)
    for table in schema.TABLES.values():
        if k in {header_key(table.name), *(header_key(s) for s in table.synonyms)}:
            return table.name
    return None


def match_headers(table: schema.Table, headers: Iterable[str]) -> dict[str, str]:
    """Canonical column -> source header, for the headers that match by name or synonym."""
    lookup = header_lookup(table)
    mapping: dict[str, str] = {}
    exact = {header_key(c.name): c.name for c in table.columns}
    headers = list(headers)
    # Canonical names first, so 'name' is not taken by a 'project' synonym when 'name' exists.
    for h in headers:
        target = exact.get(header_key(h))
        if target and target not in mapping:
            mapping[target] = h
    taken = set(mapping.values())
    for h in headers:
        target = lookup.get(header_key(h))
        if target and target not in mapping and h not in taken:
            mapping[target] = h
            taken.add(h)
    return mapping


def signature(headers: Iterable[str]) -> str:
    """A short fingerprint of a file's headers (order, case and punctuation ignored)."""
    keys = sorted({header_key(h) for h in headers if str(h).strip()})
    return hashlib.sha256("\x1f".join(keys).encode("utf-8")).hexdigest()[:16]


@dataclass
class ColumnMapping:
    """For one table: template column -> source header, and template column -> constant."""

    table: str
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)

    def check(self) -> None:
        """Raise MappingError for an unknown table or column."""
        if self.table not in schema.TABLES:
            raise MappingError(f"no table {self.table!r}; tables: {', '.join(schema.TABLES)}")
        names = schema.TABLES[self.table].column_names
        for col in [*self.columns, *self.constants]:
            if col not in names:
                raise MappingError(
                    f"{self.table} has no column {col!r}; its columns: {', '.join(names)}"
                )


def split_target(target: str, table: str | None = None) -> tuple[str | None, str]:
    """'projects.status' -> ('projects', 'status'); 'status' -> (table, 'status')."""
    target = target.strip()
    if "." in target:
        t, c = target.split(".", 1)
        return t.strip(), c.strip()
    return table, target


def for_table(
    table: str, mapping: dict[str, str] | None, constants: dict[str, str] | None
) -> ColumnMapping:
    """The entries of a command-line style mapping that apply to ``table``.

    Keys are 'column' (any table that has it) or 'table.column'.
    """
    names = schema.TABLES[table].column_names
    out = ColumnMapping(table)
    for src, dst in ((mapping or {}, out.columns), (constants or {}, out.constants)):
        for target, value in src.items():
            t, c = split_target(target)
            if (t is None or t == table) and c in names:
                dst[c] = value
    return out


def check_targets(mapping: dict[str, str] | None, constants: dict[str, str] | None) -> None:
    """Raise MappingError when a target names no template column."""
    for target in [*(mapping or {}), *(constants or {})]:
        t, c = split_target(target)
        tables = [t] if t else list(schema.TABLES)
        if t and t not in schema.TABLES:
            raise MappingError(f"no table {t!r} (in {target!r}); tables: {', '.join(schema.TABLES)}")
        if not any(c in schema.TABLES[x].column_names for x in tables):
            raise MappingError(f"no template column {target!r}")


# ------------------------------------------------------------------------ saved mappings


def save(
    con: duckdb.DuckDBPyConnection,
    name: str,
    headers: Iterable[str],
    cm: ColumnMapping,
    user: str | None = None,
) -> None:
    """Save (or replace) the mapping ``name`` for ``cm.table`` and these headers."""
    cm.check()
    sig = signature(headers)
    con.execute(
        "delete from pmo_mappings where name = $name and table_name = $table",
        {"name": name, "table": cm.table},
    )
    con.execute(
        "insert into pmo_mappings (name, signature, table_name, mapping, defaults, saved_at, "
        "saved_by) values ($name, $sig, $table, $mapping, $defaults, $at, $user)",
        {
            "name": name,
            "sig": sig,
            "table": cm.table,
            "mapping": json.dumps(cm.columns),
            "defaults": json.dumps(cm.constants),
            "at": dt.datetime.now(),
            "user": user or "local",
        },
    )


def _row_to_mapping(row: tuple) -> ColumnMapping:
    table, columns, constants = row
    return ColumnMapping(table, json.loads(columns or "{}"), json.loads(constants or "{}"))


def saved(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Saved mappings, newest first: name, table_name, signature, mapping, defaults, saved_at."""
    return con.execute(
        "select name, table_name, signature, mapping, defaults, saved_at, saved_by "
        "from pmo_mappings order by saved_at desc, name"
    ).df()


def by_name(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, ColumnMapping]:
    """The mapping saved as ``name``: one ColumnMapping per table; MappingError if none."""
    rows = con.execute(
        "select table_name, mapping, defaults from pmo_mappings where name = $name",
        {"name": name},
    ).fetchall()
    if not rows:
        known = [r[0] for r in con.execute("select distinct name from pmo_mappings").fetchall()]
        raise MappingError(
            f"no saved mapping named {name!r}"
            + (f"; saved: {', '.join(sorted(known))}" if known else "; none saved yet")
        )
    return {r[0]: _row_to_mapping(r) for r in rows}


def by_signature(
    con: duckdb.DuckDBPyConnection, headers: Iterable[str], table: str | None = None
) -> tuple[str, ColumnMapping] | None:
    """The newest saved mapping for files with exactly these headers, as (name, mapping)."""
    rows = con.execute(
        "select name, table_name, mapping, defaults from pmo_mappings "
        "where signature = $sig and ($table is null or table_name = $table) "
        "order by saved_at desc limit 1",
        {"sig": signature(headers), "table": table},
    ).fetchall()
    if not rows:
        return None
    return rows[0][0], _row_to_mapping(rows[0][1:])


# ------------------------------------------------------------------------ wide allocations


_MONTH_HEADER = re.compile(
    r"(?i)^((jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?[ \-']?\d{2}(\d{2})?"
    r"|\d{4}-\d{1,2}(-\d{1,2})?( 00:00:00)?|\d{1,2}/\d{4}|\d{1,2}/\d{1,2}/\d{4})$"
)


def month_headers(headers: Iterable[str]) -> dict[str, pd.Timestamp]:
    """Headers that name a month ('Jan 2025', '2025-02', a date) -> the month's first day."""
    found = [h for h in headers if _MONTH_HEADER.match(str(h).strip())]
    if not found:
        return {}
    months, bad = values.parse_month(pd.Series(found, dtype=object))
    return {h: m for h, m, b in zip(found, months, bad, strict=True) if not b}
