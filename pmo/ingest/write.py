"""Step 4 of an import: the validated tables into the database, keeping what each replaced.

Rows are upserted on their natural keys; the stored rows an import replaces (or removes, for a
table marked as the complete list) are kept in pmo_undo_TABLE and the keys it touched in
pmo_touched_TABLE, so the last import can be undone exactly (pmo.ingest.run.undo_last).
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from pmo import schema, store
from pmo.ingest.model import Parsed
from pmo.ingest.validate import keys_equal


def _as_arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The frame as an Arrow table when it converts (DuckDB scans that twice as fast)."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame  # a column of mixed Python objects: DuckDB reads the frame itself


def write_table(
    con: duckdb.DuckDBPyConnection, import_id: int, p: Parsed, complete: bool
) -> tuple[int, int]:
    """Replace the stored rows the upload touches, keeping the old ones for undo.

    Returns (rows written, stored rows removed because the table is the complete list).
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
        con.execute(schema.sql("insert into {log} (import_id) values ($id)",
                               log=f"pmo_touched_{table.name}"), {"id": import_id})
        con.execute(f"insert into {table.name} select {casts} from incoming")
        con.unregister("incoming")
        return len(frame), 0
    con.execute(f"create or replace temp table staged as select {casts} from incoming")
    con.unregister("incoming")
    removed = _replace(con, import_id, table, complete)
    return len(frame), removed


def _replace(con: duckdb.DuckDBPyConnection, import_id: int, table: schema.Table,
             complete: bool) -> int:
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
        f"insert into pmo_touched_{table.name} select $id, {key_list} from touched", {"id": import_id}
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
        f"delete from {name} as t using pmo_touched_{name} as s "
        f"where s.import_id = $id and {join}",
        {"id": import_id},
    )
    con.execute(
        f"insert into {name} select {cols} from pmo_undo_{name} where import_id = $id",
        {"id": import_id},
    )
    for log in (f"pmo_undo_{name}", f"pmo_touched_{name}"):
        con.execute(schema.sql("delete from {log} where import_id = $id", log=log),
                    {"id": import_id})
