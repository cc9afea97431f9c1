"""Column mapping: which source header (or constant) fills each template column.

Headers are matched by name first (pmo.ingest.headers); what automatic matching cannot do, a
mapping does: {column: source header} plus {column: constant}. Mappings are saved by name in
pmo_mappings, keyed by a signature of the headers, so a file with the same headers next month
gets the same mapping.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pmo import schema
from pmo.ingest import values
from pmo.ingest.headers import signature


class MappingError(ValueError):
    """A mapping names a table or column that does not exist."""


@dataclass
class ColumnMapping:
    """For one table: template column -> source header, and template column -> constant.

    A source may name several headers joined by "|" ("colour_rating|colour_rating (2)"): the
    first non-blank of them fills the column. ``values`` maps words of an enumeration
    column as exported to the template's ({"status": {"Live": "Active"}}); a projects
    mapping may also hold the word maps of the status reports its flat export carries
    ({"status_reports.rating": {"Exempt": "Amber"}}), saved with it.
    """

    table: str
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def check(self) -> None:
        """Raise MappingError for an unknown table or column."""
        if self.table not in schema.TABLES:
            raise MappingError(f"no table {self.table!r}; tables: {', '.join(schema.TABLES)}")
        names = schema.TABLES[self.table].column_names
        for col in [*self.columns, *self.constants, *self.values]:
            if col in self.values and "." in col:  # a flat export's status report's word map
                t, c = split_target(col)
                if t in schema.TABLES and c in schema.TABLES[t].column_names:
                    continue
            if col not in names:
                raise MappingError(
                    f"{self.table} has no column {col!r}; its columns: {', '.join(names)}"
                )

    def whole(self) -> ColumnMapping:
        """This mapping as the whole choice (the Data page's grid): every column it does not
        map is unmapped ("" as source), so header matching adds nothing to it."""
        unmapped = {c: "" for c in schema.TABLES[self.table].column_names}
        columns = {c: h for c, h in self.columns.items() if h}
        return ColumnMapping(
            self.table,
            {**unmapped, **columns},
            dict(self.constants),
            {c: dict(v) for c, v in self.values.items()},
        )

    def savable(self) -> ColumnMapping:
        """The mapping as saved: wide-allocation helper columns are found again on reuse."""
        cols = {c: h for c, h in self.columns.items() if not h.startswith("__")}
        return ColumnMapping(
            self.table, cols, dict(self.constants), {c: dict(v) for c, v in self.values.items()}
        )


def split_target(target: str, table: str | None = None) -> tuple[str | None, str]:
    """'projects.status' -> ('projects', 'status'); 'status' -> (table, 'status')."""
    target = target.strip()
    if "." in target:
        t, c = target.split(".", 1)
        return t.strip(), c.strip()
    return table, target


def for_table(
    table: str,
    mapping: dict[str, str] | None,
    constants: dict[str, str] | None,
    value_maps: dict[str, dict[str, str]] | None = None,
) -> ColumnMapping:
    """The entries of a command-line style mapping that apply to ``table``.

    Keys are 'column' (any table that has it) or 'table.column'.
    """
    names = schema.TABLES[table].column_names
    out = ColumnMapping(table)
    for src, dst in (
        (mapping or {}, out.columns),
        (constants or {}, out.constants),
        (value_maps or {}, out.values),
    ):
        for target, value in src.items():
            t, c = split_target(target)
            if (t is None or t == table) and c in names:
                dst[c] = value
    return out


def check_targets(
    mapping: dict[str, str] | None, constants: dict[str, str] | None, value_maps: dict | None = None
) -> None:
    """Raise MappingError when a target names no template column."""
    for target in [*(mapping or {}), *(constants or {}), *(value_maps or {})]:
        t, c = split_target(target)
        tables = [t] if t else list(schema.TABLES)
        if t and t not in schema.TABLES:
            raise MappingError(
                f"no table {t!r} (in {target!r}); tables: {', '.join(schema.TABLES)}"
            )
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
        "saved_by, value_maps) values ($name, $sig, $table, $mapping, $defaults, $at, $user, $values)",
        {
            "name": name,
            "sig": sig,
            "table": cm.table,
            "mapping": json.dumps(cm.columns),
            "defaults": json.dumps(cm.constants),
            "values": json.dumps(cm.values),
            "at": dt.datetime.now(),
            "user": user or "local",
        },
    )


def _row_to_mapping(row: tuple) -> ColumnMapping:
    table, columns, constants, value_maps = row
    return ColumnMapping(
        table,
        json.loads(columns or "{}"),
        json.loads(constants or "{}"),
        json.loads(value_maps or "{}"),
    )


def _value_maps(con: duckdb.DuckDBPyConnection) -> schema.SQL:
    """The value_maps column, or null for a database saved before value maps (read-only)."""
    rows = con.execute(
        "select 1 from duckdb_columns() where table_name = 'pmo_mappings' "
        "and column_name = 'value_maps' and database_name = current_database()"
    ).fetchall()
    return schema.SQL("value_maps" if rows else "null::varchar")


def saved(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Saved mappings, newest first: name, table_name, signature, mapping, defaults, saved_at."""
    return con.execute(
        "select name, table_name, signature, mapping, defaults, saved_at, saved_by "
        "from pmo_mappings order by saved_at desc, name"
    ).df()


def by_name(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, ColumnMapping]:
    """The mapping saved as ``name``: one ColumnMapping per table; MappingError if none."""
    rows = con.execute(
        schema.sql(
            "select table_name, mapping, defaults, {value_maps} "
            "from pmo_mappings where name = $name",
            value_maps=_value_maps(con),
        ),
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
        schema.sql(
            "select name, table_name, mapping, defaults, {value_maps} from pmo_mappings "
            "where signature = $sig and ($table is null or table_name = $table) "
            "order by saved_at desc limit 1",
            value_maps=_value_maps(con),
        ),
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
