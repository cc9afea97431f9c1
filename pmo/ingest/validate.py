"""Step 3 of an import: the parsed tables checked against each other and the database.

Keys (a repeated key is an error, or summed for allocations and timesheets), references (every
project, objective and resource named exists in the upload or the database), and complete
lists (a stored row the upload lacks cannot go while other rows point at it). What the upload
leaves out of the stored rows is counted for the summary.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from pmo import schema, store
from pmo.ingest.model import MAX_LISTED, Finding, Parsed, rows_text


def check_keys(p: Parsed) -> tuple[Parsed, list[Finding]]:
    """Repeated keys: summed for allocations/timesheets, an error elsewhere (one finding for
    all of them). Rows with a blank key are not compared (their blank is its own error)."""
    table = schema.TABLES[p.table]
    key = list(table.key)
    keyed = p.frame[key].notna().all(axis=1) if table.key_required else None
    dup = p.frame.duplicated(subset=key, keep=False)
    if keyed is not None:
        dup &= keyed
    if not dup.any():
        return p, []
    if table.sum_duplicates:
        return _summed(p, table, key, dup)
    repeats: list[tuple[int, str, int]] = []  # (line, key text, first row)
    groups = p.frame[dup].groupby(key, sort=False, dropna=False).groups
    for _, idx in groups.items():
        idx = list(idx)
        keyval = ", ".join(str(p.frame.at[idx[0], k]) for k in key)
        repeats += [(i, keyval, int(p.rows[idx[0]])) for i in idx[1:]]
    repeats.sort(key=lambda r: int(p.rows[r[0]]))
    rows = [int(p.rows[i]) for i, _, _ in repeats[:MAX_LISTED]]
    cells = [f"{k}, first on row {first}" for _, k, first in repeats[:5]]
    file, sheet = p.at(repeats[0][0])
    where = "/".join(key)
    if len(repeats) == 1:
        message = f"duplicate key: already on row {repeats[0][2]}"
    else:
        message = (f"duplicate key: {len(repeats)} rows repeat a key of an earlier row "
                   f"({rows_text(rows, len(repeats), cells)})")
    return p, [Finding("error", file, sheet, rows[0], where, repeats[0][1], message, len(repeats),
                       tuple(rows) if len(repeats) > 1 else ())]


def _summed(p: Parsed, table: schema.Table, key: list[str],
            dup: pd.Series) -> tuple[Parsed, list[Finding]]:
    """Lines sharing a key summed into one (several timesheet lines a day are normal)."""
    agg = {c: "sum" for c in table.sum_duplicates}
    grouped = p.frame.groupby(key, as_index=False, sort=False, dropna=False)
    summed = grouped.agg(agg)
    firsts = p.frame.reset_index().groupby(key, sort=False, dropna=False)["index"].first().to_numpy()
    summed = summed[table.column_names]
    where = None if p.where is None else p.where.iloc[firsts].reset_index(drop=True)
    out = Parsed(p.table, summed, p.rows.iloc[firsts].reset_index(drop=True), p.file, p.sheet,
                 where)
    return out, [
        Finding("info", p.file, p.sheet, None, "/".join(key), None,
                f"{int(dup.sum())} lines share a key; summed into {int(len(p.frame) - len(summed))} "
                f"fewer {p.table} rows")
    ]


def _stored_values(con: duckdb.DuckDBPyConnection, table: str, column: str) -> set:
    text = schema.sql("select distinct {column} from {table}", column=column, table=table)
    return {r[0] for r in con.execute(text).fetchall()}


def check_references(
    con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed], complete: Iterable[str] = ()
) -> list[Finding]:
    """Every project, objective and resource named exists in the upload or the database.

    A parent table marked as the complete list counts only its uploaded rows.
    """
    complete = set(complete)
    found = []
    for p in tables.values():
        for column, parent, parent_col in schema.TABLES[p.table].references:
            known: set = set()
            if parent not in complete:
                known |= _stored_values(con, parent, parent_col)
            if parent in tables:
                known |= set(tables[parent].frame[parent_col].dropna().tolist())
            # Each distinct value looked up once (a million timesheet rows name ~5,000 projects);
            # the rows are looked at only when some value is unknown.
            cells = p.frame[column]
            unknown = [v for v in pd.unique(cells.dropna()).tolist() if v not in known]
            if unknown:
                found += _unknown_rows(p, column, parent, parent_col, cells.isin(unknown),
                                       parent in complete)
    return found


def _unknown_rows(p: Parsed, column: str, parent: str, parent_col: str, missing: pd.Series,
                  complete: bool) -> list[Finding]:
    idx = missing[missing].index
    rows = [int(p.rows[i]) for i in idx[:MAX_LISTED]]
    cells = [str(p.frame.at[i, column]) for i in idx[:5]]
    file, sheet = p.at(idx[0])
    message = (f"unknown {parent_col.removesuffix('_id')}: not in {parent} "
               + ("(the upload, marked complete)" if complete else "(upload or stored)"))
    if len(idx) > 1:
        message += f": {len(idx)} rows ({rows_text(rows, len(idx), cells)})"
    return [Finding("error", file, sheet, rows[0], column, cells[0], message, len(idx),
                    tuple(rows) if len(idx) > 1 else ())]


def register_keys(con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed]) -> None:
    """Register each table's upsert keys as upload_keys_TABLE for the checks in SQL."""
    for name, p in tables.items():
        table = schema.TABLES[name]
        keys = list(table.upsert_key)
        # check_keys left the natural key unique; only a shorter upsert key can repeat.
        frame = p.frame[keys] if table.upsert_key == table.key else p.frame[keys].drop_duplicates()
        con.register(f"upload_keys_{name}", frame)


def keys_equal(table: schema.Table, left: str, right: str) -> str:
    """SQL matching two rows' upsert keys; an optional key column (a benefit's date) matches
    blank to blank, so re-importing a row without one replaces it instead of adding a copy."""
    return " and ".join(
        f"{left}.{k} {'=' if table.column(k).value_required else 'is not distinct from'} {right}.{k}"
        for k in table.upsert_key
    )


def _key_match(name: str, alias: str) -> str:
    return keys_equal(schema.TABLES[name], "u", alias)


def stored_not_in_upload(
    con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed]
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Per uploaded table: how many stored rows the upload lacks, and up to 10 of their keys."""
    counts, examples = {}, {}
    for name in tables:
        if schema.TABLES[name].history:
            continue  # history accumulates: older reports are not missing from a new one
        if not con.execute(schema.sql("select 1 from {table} limit 1", table=name)).fetchall():
            counts[name], examples[name] = 0, []  # nothing stored (a first import)
            continue
        keys = schema.TABLES[name].upsert_key
        key_text = " || ' / ' || ".join(f"coalesce(cast(t.{k} as varchar), '(blank)')" for k in keys)
        lacking = (
            f"from {name} as t where not exists "  # noqa: S608
            f"(select 1 from upload_keys_{name} as u where {_key_match(name, 't')})"
        )
        if schema.TABLES[name].snapshot:  # rows that left before are not missing again
            lacking += f" and t.{schema.LEFT_ON} is null"
        counts[name] = store.scalar(con, f"select count(*) from (select distinct {key_text} {lacking})")
        examples[name] = [
            r[0]
            for r in con.execute(
                f"select distinct {key_text} as k {lacking} order by k limit 10"
            ).fetchall()
        ]
    return counts, examples


def check_complete(
    con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed], complete: set[str]
) -> list[Finding]:
    """Refuse removing rows of a complete-list table that other stored rows still point at."""
    found = []
    for parent in complete:
        if schema.TABLES[parent].snapshot:
            continue  # nothing is removed: absent rows are marked as left
        pkey = schema.TABLES[parent].key[0]
        for child in schema.TABLE_ORDER:
            for column, ref_table, ref_col in schema.TABLES[child].references:
                if ref_table != parent or child in complete:
                    continue
                survives = ""
                if child in tables:
                    survives = (
                        f"and not exists (select 1 from upload_keys_{child} as u "
                        f"where {_key_match(child, 'c')})"
                    )
                rows = con.execute(
                    f"select c.{column}, count(*) from {child} as c "  # noqa: S608
                    f"where c.{column} in (select {pkey} from {parent} "
                    f"except select {ref_col} from upload_keys_{parent}) {survives} "
                    "group by 1 order by 1"
                ).fetchall()
                for value, count in rows[:MAX_LISTED]:
                    found.append(Finding(
                        "error", tables[parent].file, tables[parent].sheet, None, ref_col,
                        str(value),
                        f"cannot remove {value} from {parent} (marked complete, not in the "
                        f"upload): {count} stored {child} row(s) still point at it",
                    ))
    return found
