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
# The staging's temporary tables and views: named in pmo.schema, so schema.sql knows them.
(
    RAW,
    ROWS,
    DUPS,
    KEYED,
    DROP,
    SUSPECTS,
    GONE,
    HASHES,
    CANDIDATES,
    TOTALS,
    UNKNOWN,
    MAP,
) = schema.STREAM_TABLES


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
        drop = "drop view if exists {name}" if kind == "VIEW" else "drop table if exists {name}"
        con.execute(schema.sql(drop, name=name))


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
    columns = {_col(i): "VARCHAR" for i in range(len(source.headers))}
    if source.delimiter not in readers.CSV_DELIMITERS:  # pragma: no cover - sniff's choice
        raise Fallback(source.delimiter)
    con.execute("set enable_progress_bar = false")
    try:
        con.execute(
            schema.sql(
                "create or replace temp table {raw} as select * from read_csv($path, "
                "header = false, skip = $skip, delim = $delim, quote = '\"', escape = '\"', "
                "auto_detect = false, strict_mode = true, columns = $columns)",
                raw=RAW,
            ),
            {
                "path": str(source.path),
                "skip": source.header_index + 1,
                "delim": source.delimiter,
                "columns": columns,
            },
        )
    except duckdb.Error as exc:  # ragged rows, stray quotes ...: the pandas path says what
        raise Fallback(str(exc)) from None
    n = int(store.scalar(con, schema.sql("select count(*) from {raw}", raw=RAW)))
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
    firsts = [
        r[0] for r in con.execute(schema.sql("select distinct c0 from {raw}", raw=RAW)).fetchall()
    ]
    cells = pd.Series(["" if v is None else v for v in firsts], dtype="str")
    text = values.as_text(cells)
    odd = (text.isna() | _is_total(text)).to_numpy()
    suspects = [v for v, o in zip(firsts, odd, strict=True) if o and v is not None]
    if not odd.any():
        return 0
    con.register(SUSPECTS, pa.table({"v": pa.array(suspects, pa.string())}))
    rows = con.execute(
        schema.sql(
            "select rowid, * from {raw} where c0 is null or c0 in (select v from {suspects})",
            raw=RAW,
            suspects=SUSPECTS,
        )
    ).df()
    con.unregister(SUSPECTS)
    cols = [_col(i) for i in range(width)]
    frame = rows[cols].astype("str").where(rows[cols].notna(), "")
    blank = pd.Series(True, index=frame.index)
    for c in cols:
        blank &= values.blank_mask(frame[c])
    first = values.as_text(frame[cols[0]])
    for c in cols[1:3]:
        first = first.where(first.notna(), values.as_text(frame[c]))
    drop = (blank | _is_total(first)).to_numpy()
    con.execute(schema.sql("create or replace temp table {drop} (dropped bigint)", drop=DROP))
    gone = rows["rowid"].to_numpy()[drop]
    if len(gone):
        con.register(GONE, pa.table({"dropped": pa.array(gone, pa.int64())}))
        con.execute(
            schema.sql("insert into {drop} select dropped from {gone}", drop=DROP, gone=GONE)
        )
        con.unregister(GONE)
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


# Which staged rows the checks read: all, or those the pandas reader would not drop.
KEEP_ALL = schema.SQL("true")
KEEP_UNDROPPED = schema.sql("r.rowid not in (select dropped from {drop})", drop=DROP)
NO_JOIN = schema.SQL("")


@dataclass
class _Column:
    """How one template column is read from the staged text (SQL over RAW as r)."""

    name: str
    expr: schema.SQL  # its value
    join: schema.SQL = (
        NO_JOIN  # a join with the map of its distinct cells, when casting does not do
    )
    bad: schema.SQL | None = None  # true where a cell cannot be read (None: no such cell)
    blank: schema.SQL | None = None  # true where the cell is blank (None: no blank cell)
    source: str | None = None  # the source header
    raw: str | None = None  # the raw column
    values: list | None = None  # its distinct values (ids: for the reference check)


def _distinct_cells(con: duckdb.DuckDBPyConnection, raw: str, keep: schema.SQL) -> list[str | None]:
    got = con.execute(
        schema.sql("select distinct r.{c} from {raw} as r where {keep}", c=raw, raw=RAW, keep=keep)
    ).fetchall()
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


def _map_table(
    con: duckdb.DuckDBPyConnection, col: schema.Column, frame: pd.DataFrame, m: str
) -> None:
    """A column's parsed distinct cells (cell, value, bad, blank) into the table ``m``."""
    con.register(MAP, pa.Table.from_pandas(frame, preserve_index=False))
    con.execute(
        schema.sql(
            "create or replace temp table {m} as select cell, "
            "cast(value as {type}) as value, bad, blank from {map}",
            m=m,
            type=col.sql_type,
            map=MAP,
        )
    )
    con.unregister(MAP)


def _reader(
    con: duckdb.DuckDBPyConnection,
    col: schema.Column,
    src: str,
    raw: str,
    keep: schema.SQL,
    k: int,
) -> tuple[_Column, str]:
    """How a mapped column is read, and its note: every distinct cell parsed once; the rows
    then take DuckDB's cast where it gives every distinct cell's value (checked), else the
    parsed values by a join."""
    cells = _distinct_cells(con, raw, keep)
    if col.kind == "text":
        clean = all(v is None or (v == v.strip() and v) for v in cells)
        if clean:  # ids as exported: the cell is the value
            blank = schema.sql("r.{c} is null", c=raw) if None in cells else None
            ids = [v for v in cells if v is not None]
            value = schema.sql("r.{c}", c=raw)
            return _Column(col.name, value, NO_JOIN, None, blank, src, raw, ids), ""
    frame, note = _parsed_map(col, cells)
    m = f"pmo_stream_m{k}"
    if col.kind == "text":
        frame["value"] = frame["value"].astype(object)
    _map_table(con, col, frame, m)
    any_bad, any_blank = bool(frame["bad"].any()), bool(frame["blank"].any())
    bad = schema.sql("r.{c} in (select cell from {m} where bad)", c=raw, m=m) if any_bad else None
    blank = (
        schema.sql("(r.{c} is null or r.{c} in (select cell from {m} where blank))", c=raw, m=m)
        if any_blank or None in cells
        else None
    )
    cast = schema.sql("try_cast(r.{c} as {type})", c=raw, type=col.sql_type)
    differs = store.scalar(
        con,
        schema.sql(
            "select count(*) from {m} "
            "where try_cast(cell as {type}) is distinct from value and not bad",
            m=m,
            type=col.sql_type,
        ),
    )
    if not differs and col.kind != "text":
        expr = (
            schema.sql("case when {bad} then null else {cast} end", bad=bad, cast=cast)
            if any_bad
            else cast
        )
        return _Column(col.name, expr, NO_JOIN, bad, blank, src, raw), note
    join = schema.sql("left join {m} on coalesce(r.{c}, '') = {m}.cell", m=m, c=raw)
    ids = frame["value"].dropna().unique().tolist() if col.kind == "text" else None
    value = schema.sql("{m}.value", m=m)
    return _Column(col.name, value, join, bad, blank, src, raw, ids), note


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
    cm, cells, missing = _mapping(sheet, table, explicit, saved, rules)
    if missing or any(f.level == "error" for f in cells.found):
        return None, cells.found, cm
    cols, notes, n_rows = _stage_rows(con, source, table, cm)
    found = list(cells.found) + _cell_findings(con, table, cols, notes, source.name, rules)
    p = Parsed(
        table.name,
        pd.DataFrame(columns=table.column_names),
        pd.Series(dtype="int64"),
        source.name,
        None,
    )
    p.staged, p.staged_rows = ROWS, n_rows
    p.distinct = {c.name: c.values for c in cols if c.values is not None}
    return p, found, cm


def _mapping(
    sheet: Sheet,
    table: schema.Table,
    explicit: ColumnMapping,
    saved: ColumnMapping | None,
    rules: parse.Rules,
) -> tuple[ColumnMapping, parse._Cells, bool]:
    """The mapping used, the mapping's findings and whether a required column is missing,
    as the pandas path checks them. Fallback for what only the pandas path does."""
    source: Source = sheet.stream
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
    return cm, cells, bool(missing)


def _stage_rows(
    con: duckdb.DuckDBPyConnection, source: Source, table: schema.Table, cm: ColumnMapping
) -> tuple[list[_Column], dict[str, str], int]:
    """The file read into RAW and its rows as the view ROWS: how each template column is
    read, the columns' notes and the number of rows kept."""
    n_raw = _read(con, source)
    n_dropped = _dropped(con, len(source.headers))
    if n_raw - n_dropped == 0:
        raise Fallback("no data rows")  # the pandas path says so
    keep = KEEP_UNDROPPED if n_dropped else KEEP_ALL
    cols, notes = [], {}
    for k, col in enumerate(table.columns):
        src = cm.columns.get(col.name)
        if src is None:
            cols.append(_Column(col.name, schema.SQL("null")))
            continue
        c, notes[col.name] = _reader(con, col, src, _col(source.headers.index(src)), keep, k)
        cols.append(c)
    _rows_view(con, cols, keep, source.header_index + 2)
    return cols, notes, n_raw - n_dropped


def _rows_view(
    con: duckdb.DuckDBPyConnection, cols: list[_Column], keep: schema.SQL, first_row: int
) -> None:
    """The view ROWS of the staged values: __row (the row the user sees, the first data record
    being ``first_row``), each template column, and the flags and cells the checks read."""
    select = [schema.sql("r.rowid + {first} as __row", first=first_row)]
    select += [schema.sql("{expr} as {c}", expr=c.expr, c=c.name) for c in cols]
    select += [schema.sql("{bad} as {f}", bad=c.bad, f=f"__bad_{c.name}") for c in cols if c.bad]
    select += [
        schema.sql("{blank} as {f}", blank=c.blank, f=f"__blank_{c.name}") for c in cols if c.blank
    ]
    select += [schema.sql("r.{raw} as {f}", raw=c.raw, f=f"__cell_{c.name}") for c in cols if c.bad]
    joins = schema.join((c.join for c in cols if c.join), " ")
    # A view: the rows are computed from the text cells as each step reads them, so the
    # import holds the file's cells once (issue 20: 2 GB at ten million lines).
    con.execute(
        schema.sql(
            "create or replace temp view {rows} as select {select} "
            "from {raw} as r {joins} where {keep}",
            rows=ROWS,
            select=schema.join(select),
            raw=RAW,
            joins=joins,
            keep=keep,
        )
    )


def _cell_findings(
    con: duckdb.DuckDBPyConnection,
    table: schema.Table,
    cols: list[_Column],
    notes: dict[str, str],
    file: str,
    rules: parse.Rules,
) -> list[Finding]:
    """Each mapped column's note, cells that cannot be read and blank cells."""
    found = []
    for col, c in zip(table.columns, cols, strict=True):
        if c.source is None:
            continue
        if notes.get(col.name):
            found.append(Finding("warning", file, None, None, c.source, None, notes[col.name]))
        if c.bad:
            found += _bad_cells(con, col, c, file, rules)
        if c.blank:
            found += _blank_cells(con, col, c, file)
    return found


def _first_rows(
    con: duckdb.DuckDBPyConnection, where: str, cell: str | None
) -> tuple[int, list[int], list[str]]:
    """How many staged rows the flag ``where`` holds for, the first of them and their cells
    (the column ``cell``; None: none)."""
    count = int(
        store.scalar(con, schema.sql("select count(*) from {rows} where {w}", rows=ROWS, w=where))
    )
    if not count:
        return 0, [], []
    if cell is None:
        first = schema.sql(
            "select __row, null from {rows} where {w} order by __row limit $limit",
            rows=ROWS,
            w=where,
        )
    else:
        first = schema.sql(
            "select __row, {cell} from {rows} where {w} order by __row limit $limit",
            cell=cell,
            rows=ROWS,
            w=where,
        )
    got = con.execute(first, {"limit": MAX_LISTED}).fetchall()
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
    _candidates(con, key)
    lines, groups = _repeated_keys(con, table)
    _summed_away(con, table)
    con.execute(
        schema.sql(
            "create or replace temp view {keyed} as {kept}",
            keyed=KEYED,
            kept=_kept(table, schema.sql("{rows}", rows=ROWS)),
        )
    )
    p.staged = KEYED
    p.staged_rows -= lines - groups
    p.staged_head = _head(con, table, lines - groups)
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


def _candidates(con: duckdb.DuckDBPyConnection, key: list[str]) -> None:
    """The staged rows that may repeat a key into the table CANDIDATES: rows whose key hashes
    alike (one sorted array of integers is cheaper than grouping ten million keys). Equal keys
    hash alike, so no repeated key is missed; a hash shared by different keys groups apart
    again (_repeated_keys)."""
    hashes = con.execute(schema.sql("select hash({key}) as h from {rows}", key=key, rows=ROWS))
    hashes = hashes.fetchnumpy()["h"]
    hashes.sort()
    repeated = np.unique(hashes[1:][hashes[1:] == hashes[:-1]])
    del hashes
    con.register(HASHES, pa.table({"h": pa.array(repeated, pa.uint64())}))
    con.execute(
        schema.sql(
            "create or replace temp table {candidates} as select * from {rows} "
            "where hash({key}) in (select h from {hashes})",
            candidates=CANDIDATES,
            rows=ROWS,
            key=key,
            hashes=HASHES,
        )
    )
    con.unregister(HASHES)


def _repeated_keys(con: duckdb.DuckDBPyConnection, table: schema.Table) -> tuple[int, int]:
    """The candidates grouped by the key into DUPS (a key, its first line, its number of
    lines and its totals) for each key on more than one line; (those lines, those keys)."""
    sums = schema.join(
        schema.sql("sum(coalesce({c}, 0)) as {c}", c=c) for c in table.sum_duplicates
    )
    con.execute(
        schema.sql(
            "create or replace temp table {dups} as select {key}, min(__row) as __first, "
            "count(*) as __lines, {sums} from {candidates} group by all having count(*) > 1",
            dups=DUPS,
            key=list(table.key),
            sums=sums,
            candidates=CANDIDATES,
        )
    )
    lines, groups = con.execute(
        schema.sql("select coalesce(sum(__lines), 0), count(*) from {dups}", dups=DUPS)
    ).fetchall()[0]
    return int(lines), int(groups)


def _summed_away(con: duckdb.DuckDBPyConnection, table: schema.Table) -> None:
    """The lines summed away (GONE), and the first line of each repeated key with its totals
    (TOTALS): the rows kept are joined to them on the row number alone."""
    match = schema.join(
        (schema.sql("d.{k} is not distinct from s.{k}", k=k) for k in table.key), " and "
    )
    con.execute(
        schema.sql(
            "create or replace temp table {gone} as select s.__row from {candidates} as s "
            "join {dups} as d on {match} where s.__row <> d.__first",
            gone=GONE,
            candidates=CANDIDATES,
            dups=DUPS,
            match=match,
        )
    )
    con.execute(
        schema.sql(
            "create or replace temp table {totals} as select __first as __row, {sums} from {dups}",
            totals=TOTALS,
            sums=list(table.sum_duplicates),
            dups=DUPS,
        )
    )
    con.execute(schema.sql("drop table {candidates}", candidates=CANDIDATES))


def _kept(table: schema.Table, rows: schema.SQL) -> schema.SQL:
    """The rows of ``rows`` kept once repeated keys are summed: the first line of each key
    with its totals, every line whose key does not repeat."""
    picked = schema.join(
        schema.sql("coalesce(t.{c}, s.{c}) as {c}", c=c)
        if c in table.sum_duplicates
        else schema.sql("s.{c}", c=c)
        for c in table.column_names
    )
    return schema.sql(
        "select s.__row, {picked} from {rows} as s "
        "left join {totals} as t on t.__row = s.__row "
        "where s.__row not in (select __row from {gone})",
        picked=picked,
        rows=rows,
        totals=TOTALS,
        gone=GONE,
    )


def _head(con: duckdb.DuckDBPyConnection, table: schema.Table, summed: int) -> pd.DataFrame:
    """The first 50 kept rows (row, columns): they are among the first 50 + ``summed`` (the
    lines summed away) staged ones."""
    first = schema.sql("(select * from {rows} order by __row limit $limit)", rows=ROWS)
    head = con.execute(
        schema.sql("select * from ({kept}) order by __row limit 50", kept=_kept(table, first)),
        {"limit": 50 + summed},
    ).df()
    return head.rename(columns={"__row": "row"})


def distinct(con: duckdb.DuckDBPyConnection, column: str) -> list:
    """The distinct non-blank values of a staged column (summing keeps every key)."""
    query = schema.sql("select distinct {c} from {rows} where {c} is not null", c=column, rows=ROWS)
    return [r[0] for r in con.execute(query).fetchall()]


def unknown_rows(
    con: duckdb.DuckDBPyConnection, p: Parsed, column: str, unknown: list
) -> tuple[int, list[int], list[str]]:
    """How many staged rows name one of ``unknown`` in ``column``, the first and their cells."""
    con.register(UNKNOWN, pa.table({"v": pa.array([str(v) for v in unknown])}))
    try:
        names = {"c": column, "staged": p.staged, "unknown": UNKNOWN}
        count = int(
            store.scalar(
                con,
                schema.sql(
                    "select count(*) from {staged} where {c} in (select v from {unknown})",
                    **names,
                ),
            )
        )
        got = con.execute(
            schema.sql(
                "select __row, {c} from {staged} where {c} in (select v from {unknown}) "
                "order by __row limit $limit",
                **names,
            ),
            {"limit": MAX_LISTED},
        ).fetchall()
    finally:
        con.unregister(UNKNOWN)
    return count, [int(r[0]) for r in got], [str(r[1]) for r in got]


def frame(con: duckdb.DuckDBPyConnection, p: Parsed) -> Parsed:
    """The staged rows as a pandas Parsed (when another sheet of the same table is stacked
    with them)."""
    table = schema.TABLES[p.table]
    got = con.execute(
        schema.sql(
            "select __row, {cols} from {staged} order by __row",
            cols=table.column_names,
            staged=p.staged,
        )
    ).df()
    rows = got.pop("__row").astype("int64")
    for col in table.columns:
        if col.kind == "date":
            got[col.name] = pd.to_datetime(got[col.name]).astype("datetime64[ns]")
    return Parsed(p.table, got, rows, p.file, p.sheet)
