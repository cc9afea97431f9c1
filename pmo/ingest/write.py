"""Step 4 of an import: the validated tables into the database, keeping what each replaced.

Rows are upserted on their natural keys; the stored rows an import replaces (or removes, for a
table marked as the complete list) are kept in pmo_undo_TABLE and the keys it touched in
pmo_touched_TABLE, so the last import can be undone exactly (pmo.ingest.run.undo_last).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa

from pmo import schema, store
from pmo.ingest.model import Parsed
from pmo.ingest.validate import keys_equal


@dataclass
class Written:
    """What writing one table did, for the import summary (docs/data-model.md: nothing overwritten
    unseen)."""

    rows: int  # rows written
    added: int = 0  # keys not stored before
    changed: int = 0  # stored rows replaced with different values
    unchanged: int = 0  # stored rows the upload repeats as they were
    columns: dict[str, int] = field(default_factory=dict)  # changed rows per column
    examples: list[str] = field(default_factory=list)  # keys of changed rows (the first 10)
    removed: int = 0  # stored rows removed (a complete list)
    left: int = 0  # stored rows marked as left (a complete list of projects or resources)


def _as_arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The frame as an Arrow table when it converts (DuckDB scans that twice as fast)."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame  # a column of mixed Python objects: DuckDB reads the frame itself


def write_table(
    con: duckdb.DuckDBPyConnection, import_id: int, p: Parsed, complete: bool
) -> Written:
    """Replace the stored rows the upload touches, keeping the old ones for undo.

    A table marked complete loses the stored rows the upload lacks, except a snapshot table
    (projects, resources), whose absent rows mark_left marks instead.
    """
    table = schema.TABLES[p.table]
    cols = table.column_names
    frame = p.frame[cols]
    con.register("incoming", _as_arrow(frame))
    casts = ", ".join(f"cast({c} as {table.column(c).sql_type}) as {c}" for c in cols)
    empty = not con.execute(schema.sql("select 1 from {t} limit 1", t=table.name)).fetchall()
    if not complete and empty:
        # Nothing stored yet (a first import): nothing to keep for undo or to replace, so the
        # rows go straight in (issue 9). Undo, which only ever reverts the latest import,
        # empties the table again: one row of null keys marks that, not a million keys.
        con.execute(
            schema.sql(
                "insert into {log} (import_id) values ($id)", log=f"pmo_touched_{table.name}"
            ),
            {"id": import_id},
        )
        con.execute(f"insert into {table.name} select {casts} from incoming")
        con.unregister("incoming")
        return Written(len(frame), added=len(frame))
    con.execute(f"create or replace temp table staged as select {casts} from incoming")
    con.unregister("incoming")
    written = _compare(con, table, len(frame))
    written.removed = _replace(con, import_id, table, complete and not table.snapshot)
    return written


def compare_table(con: duckdb.DuckDBPyConnection, p: Parsed) -> Written:
    """What write_table would report for ``p`` (added, changed and which columns, unchanged),
    counted without writing: a dry run's summary is the real import's (issue 14). Only temp
    tables are made, so a read-only connection does."""
    table = schema.TABLES[p.table]
    cols = table.column_names
    con.register("incoming", _as_arrow(p.frame[cols]))
    # The identifiers are the schema's own column names and types, nothing from the upload.
    casts = ", ".join(f"cast({c} as {table.column(c).sql_type}) as {c}" for c in cols)
    con.execute(f"create or replace temp table staged as select {casts} from incoming")  # noqa: S608
    con.unregister("incoming")
    try:
        return _compare(con, table, len(p.frame))
    finally:
        con.execute("drop table staged")


def _compare(con: duckdb.DuckDBPyConnection, table: schema.Table, n: int) -> Written:
    """Count the staged rows that are new, changed (and in which columns) or unchanged."""
    if table.upsert_key != table.key:  # replaced per project (alignment): rows, not keys
        return Written(n)
    join = keys_equal(table, "t", "s")
    k0 = table.key[0]
    others = [c for c in table.column_names if c not in table.key]
    differs = [f"s.{c} is distinct from t.{c}" for c in others]
    any_diff = " or ".join(differs) or "false"
    per_column = ", ".join(f"count(*) filter (where t.{k0} is not null and {d})" for d in differs)
    row = con.execute(
        f"select count(*) filter (where t.{k0} is null), "  # noqa: S608
        f"count(*) filter (where t.{k0} is not null and ({any_diff})) "
        + (f", {per_column} " if per_column else " ")
        + f"from staged as s left join {table.name} as t on {join}"
    ).fetchall()[0]
    added, changed = int(row[0]), int(row[1])
    columns = {c: int(v) for c, v in zip(others, row[2:], strict=True) if v}
    key_text = " || ' ' || ".join(f"coalesce(cast(s.{k} as varchar), '(blank)')" for k in table.key)
    examples = (
        [
            r[0]
            for r in con.execute(
                f"select {key_text} as k from staged as s join {table.name} as t on {join} "  # noqa: S608
                f"where {any_diff} order by k limit 10"
            ).fetchall()
        ]
        if changed
        else []
    )
    return Written(n, added, changed, n - added - changed, columns, examples)


def mark_left(con: duckdb.DuckDBPyConnection, import_id: int, name: str, as_of: dt.date) -> int:
    """A complete list of a snapshot table (projects, resources): the stored rows it lacks
    are marked left on ``as_of`` (kept, with their history), their old state logged for undo.
    Uses upload_keys_<name> (validate.register_keys). Returns the rows marked."""
    table = schema.TABLES[name]
    key = table.key[0]
    con.execute(
        f"create or replace temp table leaving as select {key} from {name} "  # noqa: S608
        f"where {schema.LEFT_ON} is null "
        f"and {key} not in (select {key} from upload_keys_{name})"
    )
    n = store.scalar(con, "select count(*) from leaving")
    if n:
        con.execute(
            f"insert into pmo_touched_{name} select $id, {key} from leaving", {"id": import_id}
        )
        con.execute(
            f"insert into pmo_undo_{name} select $id, t.* from {name} as t "
            f"semi join leaving as l on t.{key} = l.{key}",
            {"id": import_id},
        )
        con.execute(
            f"update {name} set {schema.LEFT_ON} = $as_of "
            f"where {key} in (select {key} from leaving)",
            {"as_of": as_of},
        )
    con.execute("drop table leaving")
    return int(n)


def _replace(
    con: duckdb.DuckDBPyConnection, import_id: int, table: schema.Table, complete: bool
) -> int:
    """Swap the stored rows for the staged ones on their keys; return the keys removed."""
    key_list = ", ".join(table.upsert_key)
    join = keys_equal(table, "t", "s")
    # check_keys left the natural key unique: DISTINCT only where the upsert key is shorter.
    distinct = "" if table.upsert_key == table.key else "distinct"
    con.execute(f"create or replace temp table touched as select {distinct} {key_list} from staged")
    removed = 0
    if complete:
        before = store.scalar(con, "select count(*) from touched")
        con.execute(
            f"insert into touched select distinct {key_list} from {table.name} "
            f"except select {key_list} from touched"
        )
        removed = store.scalar(con, "select count(*) from touched") - before
    con.execute(
        f"insert into pmo_touched_{table.name} select $id, {key_list} from touched",
        {"id": import_id},
    )
    con.execute(
        f"insert into pmo_undo_{table.name} select $id, t.* from {table.name} as t "
        f"semi join touched as s on {join}",
        {"id": import_id},
    )
    con.execute(f"delete from {table.name} as t using touched as s where {join}")
    con.execute(schema.sql("insert into {t} select * from staged", t=table.name))
    con.execute("drop table staged")
    con.execute("drop table touched")
    return removed


def undo_table(con: duckdb.DuckDBPyConnection, import_id: int, name: str) -> None:
    """Put one table back as it was before ``import_id`` (inside the caller's transaction)."""
    table = schema.TABLES[name]
    keys = list(table.upsert_key)
    join = keys_equal(table, "t", "s")
    cols = ", ".join(table.column_names)
    was_empty = con.execute(
        f"select 1 from pmo_touched_{name} where import_id = $id and {keys[0]} is null",
        {"id": import_id},
    ).fetchall()
    if was_empty:  # the import found the table empty: all it holds is the import's
        con.execute(schema.sql("delete from {t}", t=name))
    con.execute(
        f"delete from {name} as t using pmo_touched_{name} as s where s.import_id = $id and {join}",
        {"id": import_id},
    )
    con.execute(
        f"insert into {name} select {cols} from pmo_undo_{name} where import_id = $id",
        {"id": import_id},
    )
    for log in (f"pmo_undo_{name}", f"pmo_touched_{name}"):
        con.execute(
            schema.sql("delete from {log} where import_id = $id", log=log), {"id": import_id}
        )
