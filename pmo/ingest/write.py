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
    _incoming(con, p, cols)
    n = p.n_rows
    casts = schema.join(
        schema.sql("cast({c} as {type}) as {c}", c=c, type=table.column(c).sql_type) for c in cols
    )
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
        con.execute(
            schema.sql("insert into {t} select {casts} from incoming", t=table.name, casts=casts)
        )
        _drop_incoming(con, p)
        return Written(n, added=n)
    con.execute(
        schema.sql(
            "create or replace temp table staged as select {casts} from incoming", casts=casts
        )
    )
    _drop_incoming(con, p)
    written = _compare(con, table, n)
    written.removed = _replace(con, import_id, table, complete and not table.snapshot)
    return written


def _incoming(con: duckdb.DuckDBPyConnection, p: Parsed, cols: list[str]) -> None:
    """The upload's rows as the view or frame ``incoming``."""
    if p.staged:  # staged in DuckDB (pmo.ingest.stream): INSERT ... SELECT from its rows
        con.execute(
            schema.sql(
                "create or replace temp view incoming as select {cols} from {staged}",
                cols=cols,
                staged=p.staged,
            )
        )
    else:
        con.register("incoming", _as_arrow(p.frame[cols]))


def _drop_incoming(con: duckdb.DuckDBPyConnection, p: Parsed) -> None:
    if p.staged:
        con.execute("drop view incoming")
    else:
        con.unregister("incoming")


def compare_table(con: duckdb.DuckDBPyConnection, p: Parsed) -> Written:
    """What write_table would report for ``p`` (added, changed and which columns, unchanged),
    counted without writing: a dry run's summary is the real import's (issue 14). Only temp
    tables are made, so a read-only connection does."""
    table = schema.TABLES[p.table]
    cols = table.column_names
    _incoming(con, p, cols)
    casts = schema.join(
        schema.sql("cast({c} as {type}) as {c}", c=c, type=table.column(c).sql_type) for c in cols
    )
    con.execute(
        schema.sql(
            "create or replace temp table staged as select {casts} from incoming", casts=casts
        )
    )
    _drop_incoming(con, p)
    try:
        return _compare(con, table, p.n_rows)
    finally:
        con.execute("drop table staged")


def _compare(con: duckdb.DuckDBPyConnection, table: schema.Table, n: int) -> Written:
    """Count the staged rows that are new, changed (and in which columns) or unchanged."""
    if table.upsert_key != table.key:  # replaced per project (alignment): rows, not keys
        return Written(n)
    join = keys_equal(table, "t", "s")
    k0 = table.key[0]
    others = [c for c in table.column_names if c not in table.key]
    differs = [schema.sql("s.{c} is distinct from t.{c}", c=c) for c in others]
    any_diff = schema.join(differs, " or ") if differs else schema.SQL("false")
    counted = [
        schema.sql("count(*) filter (where t.{k0} is not null and {d})", k0=k0, d=d)
        for d in differs
    ]
    row = con.execute(
        schema.sql(
            "select count(*) filter (where t.{k0} is null), "
            "count(*) filter (where t.{k0} is not null and ({any_diff})) {per_column} "
            "from staged as s left join {t} as t on {join}",
            k0=k0,
            any_diff=any_diff,
            per_column=schema.SQL(", " + schema.join(counted)) if counted else schema.SQL(""),
            t=table.name,
            join=join,
        )
    ).fetchall()[0]
    added, changed = int(row[0]), int(row[1])
    columns = {c: int(v) for c, v in zip(others, row[2:], strict=True) if v}
    key_text = schema.join(
        (schema.sql("coalesce(cast(s.{k} as varchar), '(blank)')", k=k) for k in table.key),
        " || ' ' || ",
    )
    examples = (
        [
            r[0]
            for r in con.execute(
                schema.sql(
                    "select {key_text} as k from staged as s join {t} as t on {join} "
                    "where {any_diff} order by k limit 10",
                    key_text=key_text,
                    t=table.name,
                    join=join,
                    any_diff=any_diff,
                )
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
    names = {
        "t": name,
        "key": key,
        "left_on": schema.LEFT_ON,
        "keys": f"upload_keys_{name}",
        "touched": f"pmo_touched_{name}",
        "undo": f"pmo_undo_{name}",
    }
    con.execute(
        schema.sql(
            "create or replace temp table leaving as select {key} from {t} "
            "where {left_on} is null and {key} not in (select {key} from {keys})",
            **names,
        )
    )
    n = store.scalar(con, "select count(*) from leaving")
    if n:
        con.execute(
            schema.sql("insert into {touched} select $id, {key} from leaving", **names),
            {"id": import_id},
        )
        con.execute(
            schema.sql(
                "insert into {undo} select $id, t.* from {t} as t "
                "semi join leaving as l on t.{key} = l.{key}",
                **names,
            ),
            {"id": import_id},
        )
        con.execute(
            schema.sql(
                "update {t} set {left_on} = $as_of where {key} in (select {key} from leaving)",
                **names,
            ),
            {"as_of": as_of},
        )
    con.execute("drop table leaving")
    return int(n)


def _replace(
    con: duckdb.DuckDBPyConnection, import_id: int, table: schema.Table, complete: bool
) -> int:
    """Swap the stored rows for the staged ones on their keys; return the keys removed."""
    names = {
        "t": table.name,
        "keys": table.upsert_key,
        "join": keys_equal(table, "t", "s"),
        "log": f"pmo_touched_{table.name}",
        "undo": f"pmo_undo_{table.name}",
    }
    # check_keys left the natural key unique: DISTINCT only where the upsert key is shorter.
    touched = (
        "create or replace temp table touched as select {keys} from staged"
        if table.upsert_key == table.key
        else "create or replace temp table touched as select distinct {keys} from staged"
    )
    con.execute(schema.sql(touched, **names))
    removed = 0
    if complete:
        before = store.scalar(con, "select count(*) from touched")
        con.execute(
            schema.sql(
                "insert into touched select distinct {keys} from {t} "
                "except select {keys} from touched",
                **names,
            )
        )
        removed = store.scalar(con, "select count(*) from touched") - before
    con.execute(
        schema.sql("insert into {log} select $id, {keys} from touched", **names),
        {"id": import_id},
    )
    con.execute(
        schema.sql(
            "insert into {undo} select $id, t.* from {t} as t semi join touched as s on {join}",
            **names,
        ),
        {"id": import_id},
    )
    con.execute(schema.sql("delete from {t} as t using touched as s where {join}", **names))
    con.execute(schema.sql("insert into {t} select * from staged", t=table.name))
    con.execute("drop table staged")
    con.execute("drop table touched")
    return removed


def undo_table(con: duckdb.DuckDBPyConnection, import_id: int, name: str) -> None:
    """Put one table back as it was before ``import_id`` (inside the caller's transaction)."""
    table = schema.TABLES[name]
    names = {
        "t": name,
        "key0": table.upsert_key[0],
        "join": keys_equal(table, "t", "s"),
        "cols": table.column_names,
        "log": f"pmo_touched_{name}",
        "undo": f"pmo_undo_{name}",
    }
    was_empty = con.execute(
        schema.sql("select 1 from {log} where import_id = $id and {key0} is null", **names),
        {"id": import_id},
    ).fetchall()
    if was_empty:  # the import found the table empty: all it holds is the import's
        con.execute(schema.sql("delete from {t}", t=name))
    con.execute(
        schema.sql(
            "delete from {t} as t using {log} as s where s.import_id = $id and {join}", **names
        ),
        {"id": import_id},
    )
    con.execute(
        schema.sql("insert into {t} select {cols} from {undo} where import_id = $id", **names),
        {"id": import_id},
    )
    for log in (f"pmo_undo_{name}", f"pmo_touched_{name}"):
        con.execute(
            schema.sql("delete from {log} where import_id = $id", log=log), {"id": import_id}
        )
