"""Timesheet CSVs staged in DuckDB (issue 20): read, checked and written without pandas rows.

A timesheet export of ten million lines is normal. ``python -m pmo import`` hands such a file
to DuckDB: read_csv reads it from disk into a temporary table of text cells (the file's bytes
are never held by Python), each column's distinct cells are parsed by pmo.ingest.values (the
same rules as the pandas path, so the same values and findings) and joined back, the checks
(required, types, repeated keys, references) run in SQL with exact counts and the first rows,
and the write is INSERT ... SELECT from the staged rows, in the import's one transaction.

Whatever this path would not do exactly as the pandas path (a blank line, a ragged row, text
that is not ASCII, a mapping with constants, value maps or combined sources, a number column
whose decimal mark depends on how many rows show it, mixed day orders ...) falls back to the
pandas path, whose results it equals (tests/test_ingest_stream.py).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from pmo import schema, store
from pmo.ingest import headers, parse, readers, values
from pmo.ingest.mapping import ColumnMapping
from pmo.ingest.model import MAX_LISTED, Finding, Parsed, Sheet, Upload, rows_text
from pmo.ingest.readers import RawTable

# Tables whose CSV files are staged in DuckDB: large files of few columns whose repeated keys
# are summed (docs/data-model.md), referencing tables that are not large.
STREAMED = frozenset({"timesheets"})
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
CHUNK = 8 << 20
HEAD_BYTES = 1 << 16
RAW, ROWS, DUPS, KEYED = "pmo_stream_raw", "pmo_stream_rows", "pmo_stream_dups", "pmo_stream_keyed"


# A number column whose values show a European decimal mark decides it by counting rows.
_EU_LIKE = re.compile(r"\d{1,3}(\.\d{3}){2,}|,")


class Fallback(Exception):
    """The staged path would not give the pandas path's result for this file."""


@dataclass
class Source:
    """A deferred CSV file: where it is and how its header reads."""

    path: Path
    name: str
    delimiter: str
    header_index: int  # the header's record (0-based): data rows are numbered from it
    header_cells: list[str]
    headers: list[str]
    lines: int  # the file's lines (data records follow the header's, one a line)


# ------------------------------------------------------------------------- the file itself


def _scan(path: Path) -> tuple[str, int, int] | None:
    """SHA-256, size and number of lines of a plain file (ASCII, no NUL byte, lines ending
    in LF or CRLF); None as soon as the file shows it is not plain (it is read the pandas
    way, which hashes it again)."""
    digest, size, lines, last = hashlib.sha256(), 0, 0, b""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            if (
                not chunk.isascii()
                or b"\x00" in chunk
                or chunk.count(b"\r") != chunk.count(b"\r\n") + (chunk[-1:] == b"\r")
            ):
                return None
            digest.update(chunk)
            lines += chunk.count(b"\n")
            last = chunk[-1:]
            size += len(chunk)
    if not size:
        return None
    return digest.hexdigest(), size, lines + (last != b"\n")


def deferred_upload(path: str | Path, table: str | None) -> Upload | None:
    """An Upload that DuckDB will read from disk, or None when the file goes the pandas way
    (not a CSV of a streamed table, or not plain). ``table``: the table chosen for the file."""
    p = Path(path)
    if os.environ.get("PMO_IMPORT_STAGING") == "0":  # the pandas path, to compare (bench/)
        return None
    if p.suffix.lower() not in CSV_SUFFIXES:
        return None
    named = headers.table_for_name(p.stem)
    if (named or table) not in STREAMED:
        return None
    scanned = _scan(p)
    if scanned is None:
        return None
    digest, size, lines = scanned
    upload = Upload(p.name, b"", path=p, _digest=digest, _size=size)
    upload.lines = lines
    return upload


def open_source(upload: Upload, known: set[str]) -> Source | None:
    """Sniff a deferred file's head: its delimiter and header. None: read it the pandas way."""
    with upload.path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    try:
        text, _, found = readers._ascii_head(head, known)
    except readers.Unreadable:
        return None
    if found is None:
        return None
    delim, h, header_cells, offset = found
    if offset >= len(text) or not header_cells or not all(c.strip() for c in header_cells):
        return None  # data beyond the head, or a header with blank cells (_finish drops some)
    if text[:offset].count("\n") != h + 1 or "\r" in text[:offset].replace("\r\n", ""):
        return None  # records in the header area span lines: DuckDB skips lines
    headers_ = readers.unique_headers(header_cells)
    return Source(upload.path, upload.name, delim, h, header_cells, headers_, upload.lines)


def raw_sheet(source: Source) -> RawTable:
    """The header of a deferred file as a RawTable without rows (mapping works on headers)."""
    frame = pd.DataFrame({h: pd.Series([], dtype="str") for h in source.headers})
    return RawTable(source.name, None, list(source.headers), frame, np.arange(0, dtype=np.int64))


def drop_staged(con: duckdb.DuckDBPyConnection) -> None:
    """Drop what staging made so far (it falls back: the pandas path holds the rows now)."""
    for name, kind in con.execute(
        "select table_name, table_type from information_schema.tables "
        "where table_name like 'pmo_stream_%'"
    ).fetchall():
        con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} if exists {name}")


def load(sheet: Sheet, known: set[str]) -> list[Finding]:
    """Read a deferred sheet the pandas way after all; return the reading's findings."""
    source: Source = sheet.stream
    sheet.stream = None
    raw = readers.read_csv(source.name, source.path.read_bytes(), known)
    sheet.raw = raw
    found = [Finding("warning", raw.file, None, r, None, None, m) for r, m in raw.notes]
    if raw.frame.empty:
        found.append(
            Finding("error", raw.file, None, None, None, None, "the file has no data rows")
        )
    return found


# ------------------------------------------------------------------------------- staging


def _col(i: int) -> str:
    return f"c{i}"


def _read(con: duckdb.DuckDBPyConnection, source: Source) -> int:
    """The file's data records into RAW (text cells, in file order); their number."""
    width = len(source.headers)
    columns = "{" + ", ".join(f"'{_col(i)}': 'VARCHAR'" for i in range(width)) + "}"
    if source.delimiter not in readers.CSV_DELIMITERS:  # pragma: no cover - sniff's choice
        raise Fallback(source.delimiter)
    delim = source.delimiter.replace("\t", "\\t")
    con.execute("set enable_progress_bar = false")
    try:
        con.execute(
            # The delimiter is one of readers.CSV_DELIMITERS, the columns c0, c1 ...
            f"create or replace temp table {RAW} as select * from read_csv($path, "  # noqa: S608
            f"header = false, skip = $skip, delim = '{delim}', quote = '\"', escape = '\"', "
            f"auto_detect = false, strict_mode = true, columns = {columns})",
            {"path": str(source.path), "skip": source.header_index + 1},
        )
    except duckdb.Error as exc:  # ragged rows, stray quotes ...: the pandas path says what
        raise Fallback(str(exc)) from None
    n = int(store.scalar(con, f"select count(*) from {RAW}"))  # noqa: S608 - a fixed name
    if n != source.lines - source.header_index - 1:
        # A blank line (DuckDB skips it) or a quoted line break: the row numbers would not be
        # the lines the user sees.
        raise Fallback("records and lines differ")
    return n


def _is_total(text: pd.Series) -> pd.Series:
    """As pmo.ingest.readers._finish judges a totals row's first filled cell."""
    return text.str.lower().str.rstrip(":").str.strip().isin(readers.TOTAL_WORDS).fillna(False)


def _dropped(con: duckdb.DuckDBPyConnection, width: int) -> int:
    """The rows the pandas reader drops (blank throughout, or a totals row: its first filled
    cell of the first three says Total, Grand Total ...) into the table pmo_stream_drop;
    their number. Only rows whose first cell is blank or a total word are looked at."""
    firsts = [r[0] for r in con.execute(f"select distinct c0 from {RAW}").fetchall()]  # noqa: S608
    cells = pd.Series(["" if v is None else v for v in firsts], dtype="str")
    text = values.as_text(cells)
    odd = (text.isna() | _is_total(text)).to_numpy()
    suspects = [v for v, o in zip(firsts, odd, strict=True) if o and v is not None]
    if not odd.any():
        return 0
    con.register("pmo_stream_suspects", pa.table({"v": pa.array(suspects, pa.string())}))
    rows = con.execute(
        f"select rowid, * from {RAW} where c0 is null "  # noqa: S608 - a fixed name
        "or c0 in (select v from pmo_stream_suspects)"
    ).df()
    con.unregister("pmo_stream_suspects")
    cols = [_col(i) for i in range(width)]
    frame = rows[cols].astype("str").where(rows[cols].notna(), "")
    blank = pd.Series(True, index=frame.index)
    for c in cols:
        blank &= values.blank_mask(frame[c])
    first = values.as_text(frame[cols[0]])
    for c in cols[1:3]:
        first = first.where(first.notna(), values.as_text(frame[c]))
    drop = (blank | _is_total(first)).to_numpy()
    con.execute("create or replace temp table pmo_stream_drop (dropped bigint)")
    gone = rows["rowid"].to_numpy()[drop]
    if len(gone):
        con.register("pmo_stream_gone", pa.table({"dropped": pa.array(gone, pa.int64())}))
        con.execute("insert into pmo_stream_drop select dropped from pmo_stream_gone")
        con.unregister("pmo_stream_gone")
    return len(gone)


def _listed(
    level: str,
    file: str,
    column: str,
    message: str,
    count: int,
    rows: list[int],
    cells: list[str] | None,
) -> Finding:
    """One finding for ``count`` rows, the first ``rows`` (with their cells): as
    pmo.ingest.parse's _Cells.listed words it."""
    first = cells[0] if cells else ""
    if count == 1:
        return Finding(level, file, None, rows[0], column, first, message)
    return Finding(
        level,
        file,
        None,
        rows[0],
        column,
        first,
        f"{message}: {count} rows ({rows_text(rows, count, cells[:5] if cells else None)})",
        count,
        tuple(rows),
    )


@dataclass
class _Column:
    """How one template column is read from the staged text (SQL over RAW as r)."""

    name: str
    expr: str  # its value
    join: str = ""  # a join with the map of its distinct cells, when casting does not do
    bad: str | None = None  # true where a cell cannot be read (None: no such cell)
    blank: str | None = None  # true where the cell is blank (None: no blank cell)
    source: str | None = None  # the source header
    raw: str | None = None  # the raw column
    values: list | None = None  # its distinct values (ids: for the reference check)


def _distinct_cells(con: duckdb.DuckDBPyConnection, raw: str, keep: str) -> list[str | None]:
    got = con.execute(f"select distinct r.{raw} from {RAW} as r where {keep}").fetchall()  # noqa: S608
    return [r[0] for r in got]


def _parsed_map(col: schema.Column, cells: list[str | None]) -> tuple[pd.DataFrame, str]:
    """Each distinct cell parsed by pmo.ingest.values: (cell, value, bad, blank) rows, and
    the column's note. Fallback when the distinct cells would not parse as the rows do (a
    column-wide choice that counts rows)."""
    texts = list(dict.fromkeys("" if v is None else v for v in cells))
    series = pd.Series([*texts, None], dtype="str")
    safe = values._distinct_safe(col.kind, series)
    if not safe and col.kind == "number":
        # The decimal mark is decided by counting rows only when some value looks European.
        safe = not any(_EU_LIKE.search(re.sub(r"[\s']", "", c)) for c in texts)
    if not safe:
        raise Fallback(f"{col.name}: the distinct cells do not decide as the rows do")
    value, bad, note = values._parse(col.kind, series)
    if note.startswith(values._MIX_NOTE):
        raise Fallback(f"{col.name}: {note}")
    blank = values.blank_mask(series)
    n = len(texts)
    return pd.DataFrame(
        {
            "cell": pd.Series(texts, dtype=object),
            "value": value.iloc[:n].where(~bad.iloc[:n]).reset_index(drop=True),
            "bad": bad.iloc[:n].to_numpy(dtype=bool),
            "blank": blank.iloc[:n].to_numpy(dtype=bool),
        }
    ), note


def _reader(
    con: duckdb.DuckDBPyConnection, col: schema.Column, src: str, raw: str, keep: str, k: int
) -> tuple[_Column, str]:
    """How a mapped column is read, and its note: every distinct cell parsed once; the rows
    then take DuckDB's cast where it gives every distinct cell's value (checked), else the
    parsed values by a join."""
    cells = _distinct_cells(con, raw, keep)
    if col.kind == "text":
        clean = all(v is None or (v == v.strip() and v) for v in cells)
        if clean:  # ids as exported: the cell is the value
            blank = f"r.{raw} is null" if None in cells else None
            ids = [v for v in cells if v is not None]
            return _Column(col.name, f"r.{raw}", "", None, blank, src, raw, ids), ""
    frame, note = _parsed_map(col, cells)
    name = f"pmo_stream_map{k}"
    if col.kind == "text":
        frame["value"] = frame["value"].astype(object)
    con.register(name, pa.Table.from_pandas(frame, preserve_index=False))
    sql_type = col.sql_type
    con.execute(
        f"create or replace temp table pmo_stream_m{k} as select cell, "  # noqa: S608
        f"cast(value as {sql_type}) as value, bad, blank from {name}"
    )
    con.unregister(name)
    m = f"pmo_stream_m{k}"
    any_bad, any_blank = bool(frame["bad"].any()), bool(frame["blank"].any())
    # Generated names only: raw is c0, c1 ..., m pmo_stream_m0 ...
    bad = f"r.{raw} in (select cell from {m} where bad)" if any_bad else None  # noqa: S608
    blank = (
        f"(r.{raw} is null or r.{raw} in (select cell from {m} where blank))"  # noqa: S608
        if any_blank or None in cells
        else None
    )
    cast = f"try_cast(r.{raw} as {sql_type})"
    differs = store.scalar(
        con,
        f"select count(*) from {m} "  # noqa: S608 - generated names
        f"where try_cast(cell as {sql_type}) is distinct from value and not bad",
    )
    if not differs and col.kind != "text":
        expr = cast if not any_bad else f"case when {bad} then null else {cast} end"
        return _Column(col.name, expr, "", bad, blank, src, raw), note
    join = f"left join {m} as m{k} on coalesce(r.{raw}, '') = m{k}.cell"
    ids = frame["value"].dropna().unique().tolist() if col.kind == "text" else None
    return _Column(col.name, f"m{k}.value", join, bad, blank, src, raw, ids), note


def stage(
    con: duckdb.DuckDBPyConnection,
    sheet: Sheet,
    explicit: ColumnMapping,
    saved: ColumnMapping | None,
    rules: parse.Rules,
) -> tuple[Parsed | None, list[Finding], ColumnMapping]:
    """Parse a deferred sheet in DuckDB: (the staged rows or None, their findings, the mapping
    used), the findings pmo.ingest.parse.parse_sheet gives for the same file. Raises Fallback
    when the file must go the pandas way."""
    source: Source = sheet.stream
    table = schema.TABLES[sheet.table]
    if table.name not in STREAMED or rules.ignore & set(source.headers):
        raise Fallback("not a streamed table, or --ignore")
    if any("|" in (s or "") for s in explicit.columns.values()):
        raise Fallback("combined sources")
    cm = parse.resolve(sheet, explicit, saved)
    if cm.constants or any(cm.values.values()) or any(c.money for c in table.columns):
        raise Fallback("constants, value maps or money")
    if any(c.default is not None and c.name not in cm.columns for c in table.columns):
        raise Fallback("a column filled by its default")
    cells = parse._Cells(sheet.raw, pd.Series(dtype="int64"), {}, rules, [])
    missing = parse._mapping_checks(table, cells, explicit, cm, False)
    if missing or any(f.level == "error" for f in cells.found):
        return None, cells.found, cm
    n_raw = _read(con, source)
    n_dropped = _dropped(con, len(source.headers))
    if n_raw - n_dropped == 0:
        raise Fallback("no data rows")  # the pandas path says so
    keep = "r.rowid not in (select dropped from pmo_stream_drop)" if n_dropped else "true"
    cols, notes = [], {}
    for k, col in enumerate(table.columns):
        src = cm.columns.get(col.name)
        if src is None:
            cols.append(_Column(col.name, "null"))
            continue
        c, notes[col.name] = _reader(con, col, src, _col(source.headers.index(src)), keep, k)
        cols.append(c)
    first_row = source.header_index + 2  # the row the user sees for the first data record
    select = [f"r.rowid + {first_row} as __row"]
    select += [f"{c.expr} as {c.name}" for c in cols]
    select += [f"{c.bad} as __bad_{c.name}" for c in cols if c.bad]
    select += [f"{c.blank} as __blank_{c.name}" for c in cols if c.blank]
    select += [f"r.{c.raw} as __cell_{c.name}" for c in cols if c.bad]
    joins = " ".join(c.join for c in cols if c.join)
    # A view: the rows are computed from the text cells as each step reads them, so the
    # import holds the file's cells once (issue 20: 2 GB at ten million lines).
    con.execute(
        f"create or replace temp view {ROWS} as select {', '.join(select)} "  # noqa: S608
        f"from {RAW} as r {joins} where {keep}"
    )
    found = list(cells.found)
    for col, c in zip(table.columns, cols, strict=True):
        if c.source is None:
            continue
        if notes.get(col.name):
            found.append(
                Finding("warning", source.name, None, None, c.source, None, notes[col.name])
            )
        if c.bad:
            found += _bad_cells(con, col, c, source.name, rules)
        if c.blank:
            found += _blank_cells(con, col, c, source.name)
    p = Parsed(
        table.name,
        pd.DataFrame(columns=table.column_names),
        pd.Series(dtype="int64"),
        source.name,
        None,
    )
    p.staged, p.staged_rows = ROWS, n_raw - n_dropped
    p.distinct = {c.name: c.values for c in cols if c.values is not None}
    return p, found, cm


def _first_rows(
    con: duckdb.DuckDBPyConnection, where: str, cell: str | None
) -> tuple[int, list[int], list[str]]:
    """How many staged rows ``where`` holds for, the first of them and their cells."""
    count = int(store.scalar(con, f"select count(*) from {ROWS} where {where}"))  # noqa: S608
    if not count:
        return 0, [], []
    got = con.execute(
        f"select __row, {cell or 'null'} from {ROWS} where {where} "  # noqa: S608
        f"order by __row limit {MAX_LISTED}"
    ).fetchall()
    return count, [int(r[0]) for r in got], ["" if r[1] is None else str(r[1]) for r in got]


def _bad_cells(
    con: duckdb.DuckDBPyConnection, col: schema.Column, c: _Column, file: str, rules: parse.Rules
) -> list[Finding]:
    count, rows, cells = _first_rows(con, f"__bad_{col.name}", f"__cell_{col.name}")
    if not count:
        return []
    level = "warning" if rules.lenient and not col.value_required else "error"
    message = f"cannot read as {col.kind}: expected {values.expected(col.kind)}" + parse._fix_hint(
        col, level
    )
    return [_listed(level, file, c.source, message, count, rows, cells)]


def _blank_cells(
    con: duckdb.DuckDBPyConnection, col: schema.Column, c: _Column, file: str
) -> list[Finding]:
    count, rows, _ = _first_rows(con, f"__blank_{col.name}", None)
    if not count:
        return []
    if col.value_required:
        message = (
            f"a value is required for {col.name} (fill the cells, or give one for every "
            f"blank with --default {col.name}=VALUE)"
        )
        return [_listed("error", file, c.source, message, count, rows, None)]
    if col.name == "budget":
        return [
            _listed("warning", file, c.source, "blank budget loaded as null", count, rows, None)
        ]
    if col.default is None:
        first = ", ".join(str(r) for r in rows[:5])
        return [
            Finding(
                "warning",
                file,
                None,
                None,
                c.source,
                None,
                f"{count} blank {col.name} value(s), loaded as null (rows {first}"
                + (" …)" if count > 5 else ")"),
            )
        ]
    return []


# ------------------------------------------------------------------------- keys, references


def check_keys(con: duckdb.DuckDBPyConnection, p: Parsed) -> tuple[Parsed, list[Finding]]:
    """Repeated keys of the staged rows summed into the first line of each (the pandas
    path's validate.check_keys for a table that sums them): a blank key value equals a blank
    one, a blank amount counts as 0. The rows kept are the view KEYED."""
    table = schema.TABLES[p.table]
    key = list(table.key)
    keys = ", ".join(key)
    sums = ", ".join(f"sum(coalesce({c}, 0)) as {c}" for c in table.sum_duplicates)
    # Rows whose key hashes alike are the candidates (one sorted array of integers is
    # cheaper than grouping ten million keys); only they are grouped by the key itself.
    # Equal keys hash alike, so no repeated key is missed; a hash shared by different keys
    # groups apart again.
    hashes = con.execute(f"select hash({keys}) as h from {ROWS}").fetchnumpy()["h"]  # noqa: S608
    hashes.sort()
    repeated = np.unique(hashes[1:][hashes[1:] == hashes[:-1]])
    del hashes
    con.register("pmo_stream_hashes", pa.table({"h": pa.array(repeated, pa.uint64())}))
    con.execute(
        f"create or replace temp table pmo_stream_candidates as select * from {ROWS} "  # noqa: S608
        f"where hash({keys}) in (select h from pmo_stream_hashes)"
    )
    con.unregister("pmo_stream_hashes")
    con.execute(
        f"create or replace temp table {DUPS} as select {keys}, min(__row) as __first, "  # noqa: S608
        f"count(*) as __lines, {sums} from pmo_stream_candidates "
        "group by all having count(*) > 1"
    )
    lines, groups = con.execute(
        f"select coalesce(sum(__lines), 0), count(*) from {DUPS}"  # noqa: S608
    ).fetchall()[0]
    lines, groups = int(lines), int(groups)
    # The lines summed away, and the first line of each repeated key with its totals: the
    # rows kept are joined to them on the row number alone.
    match = " and ".join(f"d.{k} is not distinct from s.{k}" for k in key)
    con.execute(
        "create or replace temp table pmo_stream_gone as select s.__row "  # noqa: S608
        f"from pmo_stream_candidates as s join {DUPS} as d on {match} where s.__row <> d.__first"
    )
    totals = ", ".join(table.sum_duplicates)
    con.execute(
        "create or replace temp table pmo_stream_totals as "  # noqa: S608
        f"select __first as __row, {totals} from {DUPS}"
    )
    con.execute("drop table pmo_stream_candidates")
    picked = ", ".join(
        f"coalesce(t.{c}, s.{c}) as {c}" if c in table.sum_duplicates else f"s.{c}"
        for c in table.column_names
    )
    kept = (  # schema column names only
        f"select s.__row, {picked} from {{rows}} as s "  # noqa: S608
        "left join pmo_stream_totals as t on t.__row = s.__row "
        "where s.__row not in (select __row from pmo_stream_gone)"
    )
    con.execute(f"create or replace temp view {KEYED} as " + kept.format(rows=ROWS))
    p.staged = KEYED
    p.staged_rows -= lines - groups
    # The first 50 kept rows are among the first 50 + (lines summed away) staged ones.
    first = f"(select * from {ROWS} order by __row limit {50 + lines - groups})"  # noqa: S608
    p.staged_head = con.execute(
        f"select * from ({kept.format(rows=first)}) order by __row limit 50"  # noqa: S608
    ).df()
    p.staged_head = p.staged_head.rename(columns={"__row": "row"})
    if not groups:
        return p, []
    return p, [
        Finding(
            "info",
            p.file,
            p.sheet,
            None,
            "/".join(key),
            None,
            f"{lines} lines share a key; summed into {lines - groups} fewer {p.table} rows",
        )
    ]


def distinct(con: duckdb.DuckDBPyConnection, column: str) -> list:
    """The distinct non-blank values of a staged column (summing keeps every key)."""
    column = schema.sql("{c}", c=column)
    return [
        r[0]
        for r in con.execute(
            f"select distinct {column} from {ROWS} where {column} is not null"  # noqa: S608
        ).fetchall()
    ]


def unknown_rows(
    con: duckdb.DuckDBPyConnection, p: Parsed, column: str, unknown: list
) -> tuple[int, list[int], list[str]]:
    """How many staged rows name one of ``unknown`` in ``column``, the first and their cells."""
    con.register("pmo_stream_unknown", pa.table({"v": pa.array([str(v) for v in unknown])}))
    try:
        where = f"{column} in (select v from pmo_stream_unknown)"  # noqa: S608 - a schema column
        count = int(store.scalar(con, f"select count(*) from {p.staged} where {where}"))  # noqa: S608
        got = con.execute(
            f"select __row, {column} from {p.staged} where {where} "  # noqa: S608
            f"order by __row limit {MAX_LISTED}"
        ).fetchall()
    finally:
        con.unregister("pmo_stream_unknown")
    return count, [int(r[0]) for r in got], [str(r[1]) for r in got]


def frame(con: duckdb.DuckDBPyConnection, p: Parsed) -> Parsed:
    """The staged rows as a pandas Parsed (when another sheet of the same table is stacked
    with them)."""
    table = schema.TABLES[p.table]
    got = con.execute(
        f"select __row, {', '.join(table.column_names)} from {p.staged} order by __row"  # noqa: S608
    ).df()
    rows = got.pop("__row").astype("int64")
    for col in table.columns:
        if col.kind == "date":
            got[col.name] = pd.to_datetime(got[col.name]).astype("datetime64[ns]")
    return Parsed(p.table, got, rows, p.file, p.sheet)
