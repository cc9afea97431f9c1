"""Step 3 of an import: the parsed tables checked against each other and the database.

Keys (a repeated key is an error, or summed for allocations and timesheets), references (every
project, objective and resource named exists in the upload or the database), and complete
lists (a stored row the upload lacks cannot go while other rows point at it). What the upload
leaves out of the stored rows is counted for the summary.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import numpy as np
import pandas as pd

from pmo import schema, store
from pmo.ingest import stream
from pmo.ingest.model import MAX_LISTED, Finding, Parsed, rows_text

# What a referenced id names, in messages ("unknown key result: not in key_results").
_THING = {"kr_id": "key result"}


def check_keys(p: Parsed) -> tuple[Parsed, list[Finding]]:
    """Repeated keys: summed for allocations/timesheets, an error elsewhere.

    On integer codes, never a groupby on text (issue 20): each key column is factorized once
    (its distinct values are kept on the result for the reference check), the codes combine
    into one integer per row, one sort of those says whether any key repeats, and only the
    rows of repeated keys are grouped. A blank key value equals a blank one. The same rows,
    order and findings as the pandas groupby(dropna=False) this replaced (tests keep it so).
    """
    table = schema.TABLES[p.table]
    key = list(table.key)
    codes, sizes, distinct = [], [], {}
    for column in key:
        c, uniques = pd.factorize(p.frame[column], use_na_sentinel=False)
        codes.append(c.astype(np.int64, copy=False))
        sizes.append(len(uniques))
        distinct[column] = uniques
    p.distinct = distinct
    rep = _repeats(_combine_codes(codes, sizes)) if len(p.frame) > 1 else None
    if rep is None:
        return p, []
    positions, group = rep
    if table.sum_duplicates:
        return _summed(p, table, key, positions, group)
    return p, _duplicates(p, key, positions, group)


def _duplicates(
    p: Parsed, key: list[str], positions: np.ndarray, group: np.ndarray
) -> list[Finding]:
    """One finding for every row that repeats a key of an earlier row: the exact count and
    the first rows (issue 14). Rows with a blank key are not compared when the key is
    required: their blank is its own error, and must not hide (or make) duplicates."""
    table = schema.TABLES[p.table]
    first_of: dict[int, int] = {}
    repeats: list[tuple[int, int]] = []  # (position, position of its key's first row)
    blank = p.frame[key].isna().any(axis=1).to_numpy() if table.key_required else None
    for pos, g in zip(positions.tolist(), group.tolist(), strict=True):
        if blank is not None and blank[pos]:
            continue
        if g not in first_of:
            first_of[g] = pos
        else:
            repeats.append((pos, first_of[g]))
    if not repeats:
        return []
    rows = [int(p.rows.iloc[pos]) for pos, _ in repeats[:MAX_LISTED]]

    def key_text(pos: int) -> str:
        return ", ".join(str(p.frame[k].iloc[pos]) for k in key)

    cells = [f"{key_text(i0)}, first on row {int(p.rows.iloc[i0])}" for _, i0 in repeats[:5]]
    pos, i0 = repeats[0]
    file, sheet = p.at(pos)
    if len(repeats) == 1:
        message = f"duplicate key: already on row {int(p.rows.iloc[i0])}"
    else:
        message = (
            f"duplicate key: {len(repeats)} rows repeat a key of an earlier row "
            f"({rows_text(rows, len(repeats), cells)})"
        )
    return [
        Finding(
            "error",
            file,
            sheet,
            rows[0],
            "/".join(key),
            key_text(i0),
            message,
            len(repeats),
            tuple(rows) if len(repeats) > 1 else (),
        )
    ]


def _combine_codes(codes: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """One integer per row from the key columns' codes (mixed radix, renumbered whenever the
    next product would pass 2**62)."""
    out, span = codes[0], max(1, sizes[0])
    for c, n in zip(codes[1:], sizes[1:], strict=True):
        if span * max(1, n) >= 2**62:
            out, uniq = pd.factorize(out)
            span = max(1, len(uniq))
        out = out * max(1, n) + c
        span *= max(1, n)
    return out


def _repeats(code: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Positions (ascending) of the rows whose code repeats, and per row its key's number
    among the repeated keys (0, 1, … in the order they first appear); None when none does."""
    ordered = np.sort(code)
    same = ordered[1:] == ordered[:-1]
    if not same.any():
        return None
    positions = np.flatnonzero(np.isin(code, ordered[1:][same]))
    group, _ = pd.factorize(code[positions])
    return positions, group.astype(np.int64, copy=False)


def _summed(
    p: Parsed, table: schema.Table, key: list[str], positions: np.ndarray, group: np.ndarray
) -> tuple[Parsed, list[Finding]]:
    """Lines sharing a key summed into the first of them (several timesheet lines a day are
    normal); a blank amount counts as 0, as pandas' sum does. Consumes ``p.frame``."""
    is_first = np.zeros(len(positions), dtype=bool)
    _, first_idx = np.unique(group, return_index=True)
    is_first[first_idx] = True
    keep = np.ones(len(p.frame), dtype=bool)
    keep[positions[~is_first]] = False
    # Where each repeated key's first line lands among the kept rows.
    landing = np.cumsum(keep)[positions[first_idx]] - 1
    totals = {}
    for column in table.sum_duplicates:
        amounts = pd.to_numeric(p.frame[column].iloc[positions]).to_numpy(
            dtype=float, na_value=np.nan
        )
        totals[column] = np.bincount(group, weights=np.nan_to_num(amounts, nan=0.0))
    # The kept lines, column by column, each taken out of the input as it is copied: ten
    # million lines are never held twice (the input's frame is consumed).
    columns = {}
    for column in table.column_names:
        kept = p.frame.pop(column)[keep].reset_index(drop=True)
        if column in totals:
            values = kept.to_numpy(dtype=float, na_value=np.nan, copy=True)
            values[landing] = totals[column]
            kept = pd.Series(values, name=column)
        columns[column] = kept
    frame = pd.DataFrame(columns)
    where = None if p.where is None else p.where[keep].reset_index(drop=True)
    out = Parsed(p.table, frame, p.rows[keep].reset_index(drop=True), p.file, p.sheet, where)
    out.distinct = p.distinct
    dropped = int((~keep).sum())
    return out, [
        Finding(
            "info",
            p.file,
            p.sheet,
            None,
            "/".join(key),
            None,
            f"{len(positions)} lines share a key; summed into {dropped} fewer {p.table} rows",
        )
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
            if p.staged:  # staged in DuckDB (pmo.ingest.stream)
                seen = (p.distinct or {}).get(column)
                if seen is None:
                    seen = stream.distinct(con, column)
                unknown = [v for v in seen if v not in known]
                if unknown:
                    count, rows, cells = stream.unknown_rows(con, p, column, unknown)
                    found.append(
                        _unknown_finding(
                            p.file,
                            p.sheet,
                            column,
                            parent,
                            parent_col,
                            parent in complete,
                            count,
                            rows,
                            cells,
                        )
                    )
                continue
            # Each distinct value looked up once (a million timesheet rows name ~5,000 projects);
            # the rows are looked at only when some value is unknown.
            cells = p.frame[column]
            seen = p.distinct.get(column) if p.distinct else None  # check_keys factorized it
            values = pd.unique(cells.dropna()) if seen is None else seen[~pd.isna(seen)]
            unknown = [v for v in pd.Series(values).tolist() if v not in known]
            if unknown:
                found += _unknown_rows(
                    p, column, parent, parent_col, cells.isin(unknown), parent in complete
                )
    if "decisions" in tables:
        found += _decision_projects(con, tables, complete)
    return found


def _decision_projects(
    con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed], complete: set[str]
) -> list[Finding]:
    """Issue 21: every id in a decision's comma-separated project_ids names a project."""
    p = tables["decisions"]
    known: set = set() if "projects" in complete else _stored_values(con, "projects", "project_id")
    if "projects" in tables:
        known |= set(tables["projects"].frame["project_id"].dropna().tolist())
    lists = p.frame["project_ids"].map(
        lambda v: [x.strip() for x in str(v).split(",") if x.strip()] if isinstance(v, str) else []
    )
    missing = lists.map(lambda ids: any(i not in known for i in ids))
    found = []
    idx = missing[missing].index
    for i in idx[:MAX_LISTED]:
        file, sheet = p.at(i)
        names = ", ".join(x for x in lists[i] if x not in known)
        found.append(
            Finding(
                "error",
                file,
                sheet,
                int(p.rows[i]),
                "project_ids",
                str(p.frame.at[i, "project_ids"]),
                f"unknown project {names}: not in projects (upload or stored)",
            )
        )
    if len(idx) > MAX_LISTED:
        found.append(
            Finding(
                "error",
                p.file,
                p.sheet,
                None,
                "project_ids",
                None,
                f"{len(idx) - MAX_LISTED} more rows with unknown project ids",
            )
        )
    return found


def _unknown_rows(
    p: Parsed, column: str, parent: str, parent_col: str, missing: pd.Series, complete: bool
) -> list[Finding]:
    idx = missing[missing].index
    rows = [int(p.rows[i]) for i in idx[:MAX_LISTED]]
    cells = [str(p.frame.at[i, column]) for i in idx[:5]]
    file, sheet = p.at(idx[0])
    return [
        _unknown_finding(file, sheet, column, parent, parent_col, complete, len(idx), rows, cells)
    ]


def _unknown_finding(
    file: str,
    sheet: str | None,
    column: str,
    parent: str,
    parent_col: str,
    complete: bool,
    count: int,
    rows: list[int],
    cells: list[str],
) -> Finding:
    """The finding for ``count`` rows naming ids their parent table lacks."""
    message = (
        f"unknown {_THING.get(parent_col, parent_col.removesuffix('_id'))}: not in {parent} "
        + ("(the upload, marked complete)" if complete else "(upload or stored)")
    )
    if count > 1:
        message += f": {count} rows ({rows_text(rows, count, cells[:5])})"
    return Finding(
        "error",
        file,
        sheet,
        rows[0],
        column,
        cells[0],
        message,
        count,
        tuple(rows) if count > 1 else (),
    )


def register_keys(con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed]) -> None:
    """Register each table's upsert keys as upload_keys_TABLE for the checks in SQL."""
    for name, p in tables.items():
        table = schema.TABLES[name]
        keys = list(table.upsert_key)
        if p.staged:  # a view of the staged rows (pmo.ingest.stream; key unique once summed)
            con.execute(
                schema.sql(
                    "create or replace temp view {view} as select {keys} from {staged}",
                    view=f"upload_keys_{name}",
                    keys=keys,
                    staged=p.staged,
                )
            )
            continue
        # check_keys left the natural key unique; only a shorter upsert key can repeat.
        frame = p.frame[keys] if table.upsert_key == table.key else p.frame[keys].drop_duplicates()
        con.register(f"upload_keys_{name}", frame)


def keys_equal(table: schema.Table, left: str, right: str) -> str:
    """SQL matching two rows' upsert keys; an optional key column (a benefit's date) matches
    blank to blank, so re-importing a row without one replaces it instead of adding a copy."""
    return schema.join(
        (
            schema.sql(
                "{a} "
                + ("=" if table.column(k).value_required else "is not distinct from")
                + " {b}",
                a=schema.Qualified(left, (k,)),
                b=schema.Qualified(right, (k,)),
            )
            for k in table.upsert_key
        ),
        " and ",
    )


def _key_match(name: str, alias: str) -> str:
    return keys_equal(schema.TABLES[name], "u", alias)


def stored_not_in_upload(
    con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed], complete: set[str] = frozenset()
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Per uploaded table: how many stored rows the upload lacks, and up to 10 of their keys.
    A history table only when marked complete (then they go); else older rows are normal."""
    counts, examples = {}, {}
    for name in tables:
        if schema.TABLES[name].history and name not in complete:
            continue  # history accumulates: older reports are not missing from a new one
        if not con.execute(schema.sql("select 1 from {table} limit 1", table=name)).fetchall():
            counts[name], examples[name] = 0, []  # nothing stored (a first import)
            continue
        key_text = schema.join(
            (
                schema.sql("coalesce(cast(t.{k} as varchar), '(blank)')", k=k)
                for k in schema.TABLES[name].upsert_key
            ),
            " || ' / ' || ",
        )
        lacking = schema.sql(
            # a snapshot table: rows that left before are not missing again
            "from {t} as t where not exists (select 1 from {keys} as u where {match})"
            " and t.{left_on} is null"
            if schema.TABLES[name].snapshot
            else "from {t} as t where not exists (select 1 from {keys} as u where {match})",
            t=name,
            keys=f"upload_keys_{name}",
            match=_key_match(name, "t"),
            left_on=schema.LEFT_ON,
        )
        counts[name] = store.scalar(
            con,
            schema.sql(
                "select count(*) from (select distinct {key_text} {lacking})",
                key_text=key_text,
                lacking=lacking,
            ),
        )
        examples[name] = [
            r[0]
            for r in con.execute(
                schema.sql(
                    "select distinct {key_text} as k {lacking} order by k limit 10",
                    key_text=key_text,
                    lacking=lacking,
                )
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
                names = {
                    "child": child,
                    "column": column,
                    "pkey": pkey,
                    "parent": parent,
                    "ref_col": ref_col,
                    "parent_keys": f"upload_keys_{parent}",
                    "child_keys": f"upload_keys_{child}",
                    "match": _key_match(child, "c"),
                }
                # A child row the upload replaces too does not hold its parent back.
                template = (
                    "select c.{column}, count(*) from {child} as c "
                    "where c.{column} in (select {pkey} from {parent} "
                    "except select {ref_col} from {parent_keys}) "
                    "and not exists (select 1 from {child_keys} as u where {match}) "
                    "group by 1 order by 1"
                    if child in tables
                    else "select c.{column}, count(*) from {child} as c "
                    "where c.{column} in (select {pkey} from {parent} "
                    "except select {ref_col} from {parent_keys}) "
                    "group by 1 order by 1"
                )
                rows = con.execute(schema.sql(template, **names)).fetchall()
                for value, count in rows[:MAX_LISTED]:
                    found.append(
                        Finding(
                            "error",
                            tables[parent].file,
                            tables[parent].sheet,
                            None,
                            ref_col,
                            str(value),
                            f"cannot remove {value} from {parent} (marked complete, not in the "
                            f"upload): {count} stored {child} row(s) still point at it",
                        )
                    )
    return found


# ------------------------------------------------------------------ issue 17: dependencies


def _stored_edges(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    return {
        (a, b) for a, b in con.execute("select project_id, depends_on from dependencies").fetchall()
    }


def _cycle_groups(edges: set[tuple[str, str]]) -> dict[str, int]:
    """Strongly connected components (iterative Tarjan): {project: component id}. An edge
    lies on a cycle when both its ends share a component."""
    graph: dict[str, list[str]] = {}
    for a, b in sorted(edges):
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    comp: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            nxt = graph[node]
            if i < len(nxt):
                work.append((node, i + 1))
                child = nxt[i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    comp[member] = index[node]
                    if member == node:
                        break
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return comp


def _path(edges: set[tuple[str, str]], start: str, goal: str) -> list[str]:
    """A shortest chain of 'depends on' links from ``start`` to ``goal`` (breadth first)."""
    graph: dict[str, list[str]] = {}
    for a, b in sorted(edges):
        graph.setdefault(a, []).append(b)
    came = {start: None}
    queue = [start]
    for node in queue:
        if node == goal:
            break
        for nxt in graph.get(node, []):
            if nxt not in came:
                came[nxt] = node
                queue.append(nxt)
    path, node = [], goal
    while node is not None:
        path.append(node)
        node = came.get(node)
    return path[::-1]


def check_dependencies(
    con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed], complete: Iterable[str] = ()
) -> list[Finding]:
    """Dependencies (issue 17): a link that closes a cycle with the uploaded and stored links
    (P1 waits on P2 … waits on P1) is an error on its row; a milestone that the predecessor
    does not have (upload or stored) is a warning (the link shows as Unknown)."""
    p = tables.get("dependencies")
    if p is None:
        return []
    found: list[Finding] = []
    uploaded = list(zip(p.frame["project_id"], p.frame["depends_on"], strict=True))
    edges = set(uploaded) | (set() if "dependencies" in set(complete) else _stored_edges(con))
    comp = _cycle_groups(edges)
    cyclic = [i for i, (a, b) in enumerate(uploaded) if a != b and comp.get(a) == comp.get(b)]
    for i in cyclic[:MAX_LISTED]:
        a, b = uploaded[i]
        chain = [a, *_path(edges, b, a)]
        file, sheet = p.at(i)
        found.append(
            Finding(
                "error",
                file,
                sheet,
                int(p.rows[i]),
                "depends_on",
                str(b),
                "dependency cycle: "
                + " waits on ".join(chain)
                + ": a project would wait on itself; remove one of these links",
            )
        )
    if len(cyclic) > MAX_LISTED:
        found.append(
            Finding(
                "error",
                p.file,
                p.sheet,
                None,
                "depends_on",
                None,
                f"{len(cyclic) - MAX_LISTED} more links close a dependency cycle",
            )
        )
    named = p.frame["milestone"].notna()
    if named.any():
        known = {
            tuple(r) for r in con.execute("select project_id, milestone from milestones").fetchall()
        }
        if "milestones" in tables:
            m = tables["milestones"].frame
            known |= set(zip(m["project_id"], m["milestone"], strict=True))
        for i in p.frame.index[named][:MAX_LISTED]:
            pair = (p.frame.at[i, "depends_on"], p.frame.at[i, "milestone"])
            if pair not in known:
                file, sheet = p.at(i)
                found.append(
                    Finding(
                        "warning",
                        file,
                        sheet,
                        int(p.rows[i]),
                        "milestone",
                        str(pair[1]),
                        f"{pair[0]} has no milestone of that name (upload or stored): the link "
                        "shows as Unknown until it has",
                    )
                )
    return found
