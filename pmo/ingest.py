"""Import Excel/CSV exports into the database: read, map headers, parse, validate, write.

An import is one transaction: every table of the upload lands, or none does. Each import is
recorded in pmo_imports and keeps the rows it replaced, so the last one can be undone exactly.
Reading is pmo.readers, cell parsing pmo.values, header mapping pmo.mapping.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import json
import os
import queue
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from pmo import mapping as mappings
from pmo import prefetch, readers, review, schema, store, values
from pmo.mapping import ColumnMapping, MappingError
from pmo.readers import CSV_SUFFIXES, EXCEL_SUFFIXES, RawTable, Unreadable

MAX_FILE_BYTES = prefetch.MAX_BYTES
# Findings listed per column before the rest are summarised in one line.
MAX_LISTED = 200
# Files over this size get a progress line on the command line.
LARGE_FILE_BYTES = 5 * 1024 * 1024

Progress = Callable[[float, str], None]
# Called with each sheet as soon as it is read, and the reader's DuckDB cursor.
OnSheet = Callable[["Sheet", "duckdb.DuckDBPyConnection | None"], None]

__all__ = [
    "Finding",
    "ImportRejected",
    "ImportResult",
    "MappingError",
    "Upload",
    "history",
    "import_paths",
    "import_uploads",
    "undo_last",
]


@dataclass
class Finding:
    """One problem found in an upload, named by file, sheet, Excel row and column."""

    level: str  # "error", "warning" or "info"
    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        found = f" (found {self.value!r})" if self.value not in (None, "") else ""
        return f"{self.level}: {', '.join(where)}: {self.message}{found}"


class ImportRejected(Exception):
    """The upload has errors; nothing was written."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        errors = [f for f in findings if f.level == "error"]
        super().__init__("\n".join(str(f) for f in errors[:50]))

    @property
    def errors(self) -> list[Finding]:
        """The findings that refused the import."""
        return [f for f in self.findings if f.level == "error"]


@dataclass
class Upload:
    """One file as given: its name and bytes."""

    name: str
    data: bytes

    @classmethod
    def from_path(cls, path: str | os.PathLike) -> Upload:
        """Read a file from disk, refusing files over the size limit before reading them."""
        p = Path(path)
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportRejected([_too_big(p.name, size)])
        return cls(p.name, p.read_bytes())

    @property
    def sha256(self) -> str:
        """SHA-256 of the bytes, recorded with the import."""
        return hashlib.sha256(self.data).hexdigest()


def _too_big(name: str, size: int) -> Finding:
    return Finding(
        "error",
        name,
        None,
        None,
        None,
        None,
        f"the file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.1f} MB",
    )


@dataclass
class Sheet:
    """The raw cells of one table read from a file, with the table it is for."""

    raw: RawTable
    table: str | None  # None: the file does not say which table it holds
    mapping_name: str | None = None  # a saved mapping that applies to it

    @property
    def file(self) -> str:
        """The file the cells came from."""
        return self.raw.file

    @property
    def sheet(self) -> str | None:
        """The worksheet (None for CSV)."""
        return self.raw.sheet


@dataclass
class Parsed:
    """One table parsed to canonical columns and types."""

    table: str
    frame: pd.DataFrame
    rows: pd.Series  # Excel row per line of frame
    file: str
    sheet: str | None
    where: pd.Series | None = None  # (file, sheet) per line when several sheets were stacked


@dataclass
class ImportResult:
    """What an import (or dry run) did."""

    import_id: int | None
    dry_run: bool
    findings: list[Finding]
    row_counts: dict[str, int]
    preview: dict[str, pd.DataFrame] = field(default_factory=dict)
    not_in_upload: dict[str, int] = field(default_factory=dict)
    not_in_upload_examples: dict[str, list[str]] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    @property
    def warnings(self) -> list[Finding]:
        """Findings that did not stop the import."""
        return [f for f in self.findings if f.level == "warning"]


# Kept for callers of the skeleton's names.
normalise_header = readers.header_key
table_for_name = mappings.table_for_name


def _emit(progress: Progress | None, start: float, span: float) -> Progress | None:
    if progress is None:
        return None
    return lambda frac, msg: progress(start + span * max(0.0, min(1.0, frac)), msg)


# ---------------------------------------------------------------------------------- reading


def _table_choice(table: str | dict[str, str] | None, file: str, sheet: str | None) -> str | None:
    if isinstance(table, dict):
        for key in ((f"{file}::{sheet}" if sheet else None), file):
            if key and table.get(key):
                return table[key]
        return None
    return table


def read_upload(
    upload: Upload,
    table: str | dict[str, str] | None = None,
    *,
    known: set[str] | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    progress: Progress | None = None,
    on_sheet: OnSheet | None = None,
) -> tuple[list[Sheet], list[Finding]]:
    """Read one file into Sheets: every template sheet of a workbook, or the table a CSV holds.

    ``table`` names the table for files whose names do not say (a dict may name it per file
    or per 'file::sheet'). With ``con``, a saved mapping for the same headers names it too.
    ``on_sheet(sheet, con)`` is called for each sheet with a table as soon as it is read (the
    importer parses it there, while calamine reads the next sheet).
    """

    def error(message: str, sheet: str | None = None) -> tuple[list[Sheet], list[Finding]]:
        return [], [Finding("error", upload.name, sheet, None, None, None, message)]

    if len(upload.data) > MAX_FILE_BYTES:
        return [], [_too_big(upload.name, len(upload.data))]
    if not upload.data or upload.data.isspace():
        return error("the file is empty")
    suffix = Path(upload.name).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(upload, table, known, con, on_sheet)
    if suffix in CSV_SUFFIXES:
        chosen = _table_choice(table, upload.name, None)
        target = chosen or mappings.table_for_name(Path(upload.name).stem)
        keys = mappings.known_keys(target) | (known or set())
        try:
            raw = readers.read_csv(upload.name, upload.data, keys, progress)
        except Unreadable as exc:
            return error(str(exc))
        sheet = Sheet(raw, target)
        found = [Finding("warning", raw.file, None, r, None, None, m) for r, m in raw.notes]
        if con is not None:
            match = mappings.by_signature(con, raw.headers, target)
            if match and (target is None or match[1].table == target):
                sheet.table, sheet.mapping_name = match[1].table, match[0]
        if sheet.table is None:
            found.append(
                Finding(
                    "error",
                    upload.name,
                    None,
                    None,
                    None,
                    None,
                    "the file name does not say which table it holds: name it after a table "
                    f"({', '.join(schema.TABLES)}), e.g. projects.csv, or choose the table "
                    "(--table on the command line)",
                )
            )
            return [sheet], found
        if raw.frame.empty:
            found.append(
                Finding("error", upload.name, None, None, None, None, "the file has no data rows")
            )
        if on_sheet is not None:
            on_sheet(sheet, con)
        return [sheet], found
    return error(
        f"unsupported file type {suffix or '(none)'}: upload .xlsx or .xlsm workbooks or .csv files"
    )


def _read_all(
    uploads: list[Upload],
    table: str | dict[str, str] | None,
    known: set[str],
    con: duckdb.DuckDBPyConnection | None,
    progress: Progress | None,
    on_sheet: OnSheet | None = None,
) -> list[tuple[list[Sheet], list[Finding]]]:
    """read_upload for every file, two at a time; results in upload order.

    calamine and pyarrow parse without holding the GIL, so a workbook and a large CSV are read
    side by side on two cores (issue 9). Each reader has its own DuckDB cursor (for saved
    mappings); progress is relayed to the calling thread, the only one that may draw it.
    """
    if len(uploads) < 2:
        return [
            read_upload(u, table, known=known, con=con, progress=progress, on_sheet=on_sheet)
            for u in uploads
        ]
    total = sum(len(u.data) for u in uploads) or 1
    shares = [len(u.data) / total for u in uploads]
    done = [0.0] * len(uploads)
    messages: queue.SimpleQueue = queue.SimpleQueue()

    def relay(i: int) -> Progress | None:
        return None if progress is None else (lambda frac, msg: messages.put((i, frac, msg)))

    cursors = [None if con is None else con.cursor() for _ in uploads]
    try:
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="pmo-read") as pool:
            futures = [
                pool.submit(read_upload, u, table, known=known, con=cur, progress=relay(i),
                            on_sheet=on_sheet)
                for i, (u, cur) in enumerate(zip(uploads, cursors, strict=True))
            ]
            while True:
                finished, _ = wait(futures, timeout=0.1)
                while not messages.empty():
                    i, frac, msg = messages.get()
                    done[i] = max(done[i], min(1.0, frac))
                    if progress:
                        progress(sum(s * d for s, d in zip(shares, done, strict=True)), msg)
                if len(finished) == len(futures):
                    return [f.result() for f in futures]
    finally:
        for cur in cursors:
            if cur is not None:
                cur.close()


def _read_workbook_sheet(
    upload: Upload,
    wb: object,
    name: str,
    table: str | dict[str, str] | None,
    known: set[str] | None,
    con: duckdb.DuckDBPyConnection | None,
    several: bool,
) -> tuple[Sheet | None, list[Finding]]:
    """One worksheet: the Sheet to import (None when skipped) and what to say about it."""
    chosen = _table_choice(table, upload.name, name)
    if isinstance(table, str) and several and mappings.table_for_name(name):
        chosen = None  # a named sheet keeps its table in a several-sheet workbook
    target = chosen or mappings.table_for_name(name)
    keys = (mappings.known_keys(target) if target else mappings.known_keys()) | (known or set())

    def note(level: str, message: str) -> tuple[None, list[Finding]]:
        return None, [Finding(level, upload.name, name, None, None, None, message)]

    try:
        raw = readers.read_sheet(upload.name, wb, name, keys)
    except Exception as exc:  # a damaged sheet: say so, keep the others
        return note("error", f"unreadable sheet ({exc})")
    if raw is None:
        return note("warning", "sheet is empty; skipped") if target else (None, [])
    sheet = Sheet(raw, target)
    if con is not None:
        match = mappings.by_signature(con, raw.headers, target)
        if match and (target is None or match[1].table == target):
            sheet.table, sheet.mapping_name = match[1].table, match[0]
    if sheet.table is None:
        return note(
            "warning",
            f"sheet skipped: its name is not a template table ({', '.join(schema.TABLES)})",
        )
    if raw.frame.empty:
        return note("warning", "sheet has no data rows; skipped")
    return sheet, [Finding("warning", raw.file, name, r, None, None, m) for r, m in raw.notes]


def _read_workbook(
    upload: Upload,
    table: str | dict[str, str] | None,
    known: set[str] | None,
    con: duckdb.DuckDBPyConnection | None,
    on_sheet: OnSheet | None = None,
) -> tuple[list[Sheet], list[Finding]]:
    found: list[Finding] = []
    try:
        wb, names = readers.workbook_sheets(upload.name, upload.data)
    except Unreadable as exc:
        return [], [Finding("error", upload.name, None, None, None, None, str(exc))]
    # Sheets are taken in the order calamine parses them (largest first), and reported in
    # the workbook's order.
    done: dict[str, tuple[Sheet | None, list[Finding]]] = {}
    for name in wb.order:
        done[name] = _read_workbook_sheet(upload, wb, name, table, known, con, len(names) > 1)
        sheet = done[name][0]
        if sheet is not None and on_sheet is not None:
            on_sheet(sheet, con)
    sheets: list[Sheet] = []
    for name in names:
        sheet, notes = done[name]
        found += notes
        if sheet is not None:
            sheets.append(sheet)
    if not sheets and not any(f.level == "error" for f in found):
        found.append(
            Finding(
                "error",
                upload.name,
                None,
                None,
                None,
                None,
                "no sheet with data is named after a template table "
                f"({', '.join(schema.TABLES)})",
            )
        )
    return sheets, found


# ---------------------------------------------------------------------------------- mapping


def resolve(sheet: Sheet, explicit: ColumnMapping | None, saved: ColumnMapping | None) -> ColumnMapping:
    """The mapping used for a sheet: header names, then a saved mapping, then explicit entries.

    A source of "" unmaps a column. A constant for a column the same layer does not map fills
    the whole column when it comes from a saved mapping (saved mappings are complete), and
    fills only the blanks of a mapped column otherwise (--default).
    """
    table = schema.TABLES[sheet.table]
    headers = sheet.raw.headers
    out = ColumnMapping(table.name, mappings.match_headers(table, headers), {})
    for layer in (saved, explicit):
        if layer is None:
            continue
        for col, src in layer.columns.items():
            if not src:
                out.columns.pop(col, None)
            elif src in headers:
                out.columns[col] = src
        for col, const in layer.constants.items():
            out.constants[col] = const
            if layer is saved and col not in layer.columns:
                out.columns.pop(col, None)
    return out


def _unpivot_months(raw: RawTable, used: set[str]) -> tuple[RawTable, dict[str, pd.Series]] | None:
    """Wide allocations (one column per month) as long rows: month, hours."""
    months = mappings.month_headers([h for h in raw.headers if h not in used])
    if not months:
        return None
    ids = [h for h in raw.headers if h not in months]
    frame = raw.frame
    month_cols = list(months)
    n = len(frame)
    hours = pd.concat([frame[c].astype(object) for c in month_cols], ignore_index=True)
    keep = ~values.blank_mask(hours)
    keep = keep.to_numpy()
    long = pd.DataFrame({h: np.tile(frame[h].to_numpy(dtype=object), len(month_cols)) for h in ids})
    long["__month"] = np.repeat(np.array([months[c] for c in month_cols], dtype=object), n)
    long["__hours"] = hours.to_numpy(dtype=object)
    labels = pd.Series(np.repeat(np.array(month_cols, dtype=object), n))
    rows = np.tile(raw.rows, len(month_cols))
    long, labels, rows = long[keep].reset_index(drop=True), labels[keep].reset_index(drop=True), rows[keep]
    # Sort back to sheet order: row, then month column.
    order = np.lexsort((np.arange(len(rows)), rows))
    long = long.iloc[order].reset_index(drop=True)
    labels = labels.iloc[order].reset_index(drop=True)
    new = RawTable(raw.file, raw.sheet, [*ids, "__month", "__hours"], long, rows[order], raw.notes)
    return new, {"__hours": labels, "__month": labels}


# ---------------------------------------------------------------------------------- parsing


def parse_sheet(
    sheet: Sheet,
    *,
    mapping: dict[str, str] | ColumnMapping | None = None,
    defaults: dict[str, str] | None = None,
    lenient: bool = False,
    saved: ColumnMapping | None = None,
    progress: Progress | None = None,
) -> tuple[Parsed | None, list[Finding]]:
    """Turn a Sheet into canonical typed columns.

    ``mapping`` is {column: source header} (keys may be 'table.column'), ``defaults``
    {column: constant}; a ColumnMapping gives both. Explicit entries beat a ``saved`` mapping,
    which beats matching by header names.
    """
    table = schema.TABLES[sheet.table]
    if isinstance(mapping, ColumnMapping):
        explicit = mapping
    else:
        explicit = mappings.for_table(table.name, mapping, defaults)
    found: list[Finding] = []
    raw = sheet.raw

    def finding(level, row, column, value, message):
        found.append(Finding(level, raw.file, raw.sheet, row, column, value, message))

    cm = resolve(sheet, explicit, saved)
    labels: dict[str, pd.Series] = {}
    if table.name == "allocations" and "month" not in cm.columns and "month" not in cm.constants:
        wide = _unpivot_months(raw, set(cm.columns.values()))
        if wide is not None:
            raw, labels = wide
            cm.columns["month"] = "__month"
            cm.columns["hours"] = "__hours"
            finding(
                "info",
                None,
                None,
                None,
                f"month columns unpivoted: {len(raw.frame)} allocations from "
                f"{len(sheet.raw.frame)} rows",
            )
    for col, src in explicit.columns.items():
        if src and src not in raw.headers:
            finding("error", None, src, None, f"no column {src!r} to map to {col}; the file's columns: "
                    + ", ".join(h for h in raw.headers if not h.startswith("__")))
    used = set(cm.columns.values())
    for h in raw.headers:
        if h not in used:
            finding("warning", None, h, None, f"unknown column ignored (not in the {table.name} template)")
    missing = [
        c.name
        for c in table.columns
        if c.required and c.name not in cm.columns and c.name not in cm.constants
    ]
    for name in missing:
        finding(
            "error",
            None,
            name,
            None,
            f"required column {name} is missing; map a source column to it or give a constant",
        )
    if missing or any(f.level == "error" for f in found):
        return None, found

    rows = pd.Series(raw.rows, index=raw.frame.index)
    n = len(raw.frame)
    out = pd.DataFrame(index=raw.frame.index)
    cols = table.columns
    for i, col in enumerate(cols):
        if progress:
            progress(i / len(cols), f"parsing {table.name}.{col.name}")
        source = cm.columns.get(col.name)
        const = cm.constants.get(col.name)
        if source is None and const is None:
            out[col.name] = pd.Series([col.default] * n, index=raw.frame.index, dtype=object)
            continue
        if source is None:
            cell = pd.Series([const], dtype=object)
            parsed1, bad1, _ = values.parse(col.kind, cell)
            if bad1.any():
                finding("error", None, col.name, str(const),
                        f"the constant for {col.name} cannot be read: expected {values.expected(col.kind)}")
                out[col.name] = pd.Series([None] * n, index=raw.frame.index, dtype=object)
                continue
            out[col.name] = pd.Series(np.repeat(parsed1.to_numpy(), n), index=raw.frame.index)
            continue
        cells = raw.frame[source]
        label = labels.get(source)
        shown = source if not source.startswith("__") else col.name
        parsed, bad, note, blank = values.parse_column(col.kind, cells)
        if note:
            finding("warning", None, shown, None, note)
        if const is not None and blank.any():
            c_parsed, c_bad, _ = values.parse(col.kind, pd.Series([const], dtype=object))
            if c_bad.any():
                finding("error", None, col.name, str(const),
                        f"the default for {col.name} cannot be read: expected {values.expected(col.kind)}")
            else:
                parsed = parsed.astype(object).where(~blank, c_parsed.iloc[0])
                blank = pd.Series(False, index=blank.index)
        if bad.any():
            level = "warning" if lenient and not col.value_required else "error"
            idx = bad[bad].index
            for j in idx[:MAX_LISTED]:
                finding(
                    level,
                    int(rows[j]),
                    str(label[j]) if label is not None else shown,
                    str(cells[j]),
                    f"cannot read as {col.kind}: expected {values.expected(col.kind)}"
                    + ("; loaded as blank" if level == "warning" else ""),
                )
            if len(idx) > MAX_LISTED:
                finding(level, None, shown, None, f"{len(idx) - MAX_LISTED} more unreadable values in {shown}")
            parsed = parsed.where(~bad)
        if col.value_required and blank.any():
            idx = blank[blank].index
            for j in idx[:MAX_LISTED]:
                finding("error", int(rows[j]), shown, "", f"a value is required for {col.name}")
            if len(idx) > MAX_LISTED:
                finding("error", None, shown, None, f"{len(idx) - MAX_LISTED} more blank {col.name} values")
        elif col.name == "budget" and blank.any():
            idx = blank[blank].index
            for j in idx[:MAX_LISTED]:
                finding("warning", int(rows[j]), shown, "", "blank budget loaded as null")
            if len(idx) > MAX_LISTED:
                finding("warning", None, shown, None, f"{len(idx) - MAX_LISTED} more blank budgets")
        elif blank.any() and col.default is None:
            first = ", ".join(str(int(r)) for r in rows[blank].iloc[:5])
            finding(
                "warning",
                None,
                shown,
                None,
                f"{int(blank.sum())} blank {col.name} value(s), loaded as null (rows {first}"
                + (" …)" if blank.sum() > 5 else ")"),
            )
        if col.default is not None:
            parsed = parsed.where(parsed.notna(), col.default)
        out[col.name] = parsed
    found += _domain_checks(table, out, raw, rows)
    if any(f.level == "error" for f in found):
        return None, found
    return Parsed(table.name, out, rows, raw.file, raw.sheet), found


def _domain_checks(
    table: schema.Table, frame: pd.DataFrame, raw: RawTable, rows: pd.Series
) -> list[Finding]:
    found = []

    def bad_rows(mask: pd.Series, column: str, message: str) -> None:
        mask = mask.fillna(False).astype(bool)
        for i in mask[mask].index[:MAX_LISTED]:
            found.append(
                Finding("error", raw.file, raw.sheet, int(rows[i]), column, str(frame.at[i, column]), message)
            )
        if mask.sum() > MAX_LISTED:
            found.append(Finding("error", raw.file, raw.sheet, None, column, None,
                                 f"{int(mask.sum()) - MAX_LISTED} more: {message}"))

    def num(column: str) -> pd.Series:
        return pd.to_numeric(frame[column], errors="coerce").astype("float64")

    if table.name == "projects":
        bad_rows(num("budget") < 0, "budget", "budget must not be negative")
        risk = num("risk_score")
        bad_rows((risk < 1) | (risk > 5), "risk_score", "risk_score must be between 1 and 5")
    elif table.name == "alignment":
        s = num("score")
        bad_rows((s < 0) | (s > 5), "score", "score must be a whole number from 0 to 5")
    elif table.name == "objectives":
        bad_rows(num("weight") <= 0, "weight", "weight must be greater than 0")
        share = num("target_share")
        bad_rows((share < 0) | (share > 1), "target_share", "target_share must be between 0% and 100%")
    elif table.name == "resources":
        bad_rows(num("capacity_hours") < 0, "capacity_hours", "capacity_hours must not be negative")
    elif table.name == "status_reports":
        pct = num("percent_complete")
        bad_rows((pct < 0) | (pct > 100), "percent_complete", "percent_complete must be between 0 and 100")
    return found


# ------------------------------------------------------------------------------- validating


def _combine(parsed: list[Parsed]) -> dict[str, Parsed]:
    """One Parsed per table: sheets of the same table from several files are stacked."""
    groups: dict[str, list[Parsed]] = {}
    for p in parsed:
        groups.setdefault(p.table, []).append(p)
    out: dict[str, Parsed] = {}
    for name, ps in groups.items():
        if len(ps) == 1:
            p = ps[0]
            out[name] = Parsed(name, p.frame.reset_index(drop=True), p.rows.reset_index(drop=True),
                               p.file, p.sheet)
            continue
        where = pd.concat(
            [pd.Series([(p.file, p.sheet)] * len(p.frame), dtype=object) for p in ps],
            ignore_index=True,
        )
        out[name] = Parsed(
            name,
            pd.concat([p.frame for p in ps], ignore_index=True),
            pd.concat([p.rows for p in ps], ignore_index=True),
            ps[0].file,
            ps[0].sheet,
            where,
        )
    return out


def _where(p: Parsed, i: int) -> tuple[str, str | None]:
    if p.where is not None:
        return p.where.iloc[i]
    return p.file, p.sheet


def check_keys(p: Parsed) -> tuple[Parsed, list[Finding]]:
    """Repeated keys: summed for allocations/timesheets, an error elsewhere."""
    table = schema.TABLES[p.table]
    key = list(table.key)
    dup = p.frame.duplicated(subset=key, keep=False)
    if not dup.any():
        return p, []
    if table.sum_duplicates:
        agg = {c: "sum" for c in table.sum_duplicates}
        grouped = p.frame.groupby(key, as_index=False, sort=False, dropna=False)
        summed = grouped.agg(agg)
        firsts = p.frame.reset_index().groupby(key, sort=False, dropna=False)["index"].first().to_numpy()
        summed = summed[table.column_names]
        where = None if p.where is None else p.where.iloc[firsts].reset_index(drop=True)
        out = Parsed(p.table, summed, p.rows.iloc[firsts].reset_index(drop=True), p.file, p.sheet,
                     where)
        return out, [
            Finding(
                "info",
                p.file,
                p.sheet,
                None,
                "/".join(key),
                None,
                f"{int(dup.sum())} lines share a key; summed into {int(len(p.frame) - len(summed))} "
                f"fewer {p.table} rows",
            )
        ]
    found = []
    groups = p.frame[dup].groupby(key, sort=False, dropna=False).groups
    for _, idx in list(groups.items())[:MAX_LISTED]:
        idx = list(idx)
        keyval = ", ".join(str(p.frame.at[idx[0], k]) for k in key)
        for i in idx[1:]:
            file, sheet = _where(p, i)
            found.append(
                Finding(
                    "error",
                    file,
                    sheet,
                    int(p.rows[i]),
                    "/".join(key),
                    keyval,
                    f"duplicate key: already on row {int(p.rows[idx[0]])}",
                )
            )
    return p, found


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
            if not unknown:
                continue
            missing = cells.isin(unknown)
            idx = missing[missing].index
            for i in idx[:MAX_LISTED]:
                file, sheet = _where(p, i)
                found.append(
                    Finding(
                        "error",
                        file,
                        sheet,
                        int(p.rows[i]),
                        column,
                        str(p.frame.at[i, column]),
                        f"unknown {parent_col.removesuffix('_id')}: not in {parent} "
                        + ("(the upload, marked complete)" if parent in complete else "(upload or stored)"),
                    )
                )
            if len(idx) > MAX_LISTED:
                found.append(Finding("error", p.file, p.sheet, None, column, None,
                                     f"{len(idx) - MAX_LISTED} more unknown {parent_col} values"))
    return found


def _register_keys(con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed]) -> None:
    for name, p in tables.items():
        table = schema.TABLES[name]
        keys = list(table.upsert_key)
        # check_keys left the natural key unique; only a shorter upsert key can repeat.
        frame = p.frame[keys] if table.upsert_key == table.key else p.frame[keys].drop_duplicates()
        con.register(f"upload_keys_{name}", frame)


def _keys_equal(table: schema.Table, left: str, right: str) -> str:
    """SQL matching two rows' upsert keys; an optional key column (a benefit's date) matches
    blank to blank, so re-importing a row without one replaces it instead of adding a copy."""
    return " and ".join(
        f"{left}.{k} {'=' if table.column(k).value_required else 'is not distinct from'} {right}.{k}"
        for k in table.upsert_key
    )


def _key_match(name: str, alias: str) -> str:
    return _keys_equal(schema.TABLES[name], "u", alias)


def stored_not_in_upload(
    con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed]
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Per uploaded table: how many stored rows the upload lacks, and up to 10 of their keys."""
    counts, examples = {}, {}
    for name in tables:
        if not con.execute(schema.sql("select 1 from {table} limit 1", table=name)).fetchall():
            counts[name], examples[name] = 0, []  # nothing stored (a first import)
            continue
        keys = schema.TABLES[name].upsert_key
        key_text = " || ' / ' || ".join(f"coalesce(cast(t.{k} as varchar), '(blank)')" for k in keys)
        lacking = (
            f"from {name} as t where not exists "  # noqa: S608
            f"(select 1 from upload_keys_{name} as u where {_key_match(name, 't')})"
        )
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


# ---------------------------------------------------------------------------------- writing


def _as_arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """The frame as an Arrow table when it converts (DuckDB scans that twice as fast)."""
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return frame  # a column of mixed Python objects: DuckDB reads the frame itself


def _write_table(
    con: duckdb.DuckDBPyConnection, import_id: int, p: Parsed, complete: bool
) -> tuple[int, int]:
    """Replace the stored rows the upload touches, keeping the old ones for undo.

    Returns (rows written, stored rows removed because the table is the complete list).
    """
    table = schema.TABLES[p.table]
    cols = table.column_names
    keys = list(table.upsert_key)
    frame = p.frame[cols]
    con.register("incoming", _as_arrow(frame))
    casts = ", ".join(f"cast({c} as {table.column(c).sql_type}) as {c}" for c in cols)
    key_list = ", ".join(keys)
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
    join = _keys_equal(table, "t", "s")
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
        removed_keys = store.scalar(con, "select count(*) from touched") - before
        removed = removed_keys
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
    return len(frame), removed


@dataclass
class _SheetParsed:
    """What parsing one read sheet gave: notes on its saved mapping, the result, its findings."""

    notes: list[Finding]
    parsed: Parsed | None
    findings: list[Finding]
    used: ColumnMapping
    keyed: tuple[Parsed, list[Finding]] | None  # check_keys of the sheet on its own


def _parse_read_sheet(
    s: Sheet,
    con: duckdb.DuckDBPyConnection | None,
    named: dict[str, ColumnMapping],
    mapping: dict[str, str] | None,
    defaults: dict[str, str] | None,
    lenient: bool,
) -> _SheetParsed:
    notes: list[Finding] = []
    saved = None
    if s.table in named:
        saved = named[s.table]
    elif s.mapping_name and s.table and con is not None:
        match = mappings.by_signature(con, s.raw.headers, s.table)
        if match:
            saved = match[1]
            notes.append(Finding("info", s.file, s.sheet, None, None, None,
                                 f"applied the saved mapping {match[0]!r} (same headers)"))
    explicit = mappings.for_table(s.table, mapping, defaults)
    explicit.columns = {c: h for c, h in explicit.columns.items() if not h or h in s.raw.headers}
    p, found = parse_sheet(s, mapping=explicit, lenient=lenient, saved=saved)
    # Keys checked here too, in the reading thread: the import uses this when the sheet is
    # its table's only one (as _combine would give it: a fresh 0..n-1 index).
    keyed = None if p is None else check_keys(_combine([p])[p.table])
    return _SheetParsed(notes, p, found, resolve(s, explicit, saved), keyed)


def _check_options(complete: set[str]) -> None:
    unknown = complete - set(schema.TABLES)
    if unknown:
        raise MappingError(f"--complete: no table {', '.join(sorted(unknown))}; tables: {', '.join(schema.TABLES)}")


def _collector_paused(fn: Callable) -> Callable:
    """Run ``fn`` with Python's cyclic garbage collector paused (then as it was).

    Reading a workbook makes millions of cell objects that all live until the import ends;
    the collector would walk them again and again (14 % of an import's samples in py-spy,
    issue 9). Nothing the import makes needs collecting before it returns.
    """

    @functools.wraps(fn)
    def paused(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@_collector_paused
def import_uploads(
    uploads: list[Upload],
    db: str | os.PathLike | None = None,
    *,
    dry_run: bool = False,
    lenient: bool = False,
    user: str | None = None,
    as_of: dt.date | None = None,
    table: str | dict[str, str] | None = None,
    mapping: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    complete: Iterable[str] = (),
    mapping_name: str | None = None,
    save_mapping: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate and import files as one transaction; raise ImportRejected with every error.

    ``table``: the table for files whose names do not say (str, or {file or 'file::sheet':
    table}). ``mapping``: {column or 'table.column': source header}; ``defaults``: {column:
    constant}, filling blanks of a mapped column or the whole of an unmapped one.
    ``mapping_name``: apply a saved mapping; ``save_mapping``: save the mapping used under this
    name (with the import). ``complete``: tables whose stored rows missing from the upload are
    removed. ``progress(fraction, message)`` is called as the work advances.
    """
    complete = set(complete)
    _check_options(complete)
    mappings.check_targets(mapping, defaults)
    if isinstance(table, str) and table not in schema.TABLES:
        raise MappingError(f"no table {table!r}; tables: {', '.join(schema.TABLES)}")
    if progress:
        progress(0.0, "reading")
    findings: list[Finding] = []
    sheets: list[Sheet] = []
    known = {readers.header_key(s) for s in (mapping or {}).values() if s}
    done: dict[int, _SheetParsed] = {}

    def parse_now(s: Sheet, cur: duckdb.DuckDBPyConnection | None) -> None:
        # Each sheet is parsed as soon as it is read: in the reading thread, while calamine
        # parses the next sheet's XML and the other file is read (issue 9).
        done[id(s)] = _parse_read_sheet(s, cur, named, mapping, defaults, lenient)

    # A database that does not exist yet holds no saved mappings: it is created only when
    # the import writes (saves opening a new file twice, issue 9).
    fresh = not store.db_path(db).exists() and not mapping_name
    with contextlib.nullcontext() if fresh else store.connect(db) as con:
        named = mappings.by_name(con, mapping_name) if mapping_name else {}
        for got, f in _read_all(uploads, table, known, con, _emit(progress, 0.0, 0.75), parse_now):
            sheets += got
            findings += f
        for s in sheets:
            if s.table is not None and id(s) not in done:
                parse_now(s, con)
    for s in sheets:
        if s.table is not None:
            findings += done[id(s)].notes
    if mapping:
        for target, src in mapping.items():
            if src and not any(src in s.raw.headers for s in sheets):
                t, c = mappings.split_target(target)
                findings.append(Finding("error", ", ".join(u.name for u in uploads), None, None, src, None,
                                        f"--map {src}={target}: no uploaded sheet has a column {src!r}"))
    parsed: list[Parsed] = []
    used_mappings: list[tuple[Sheet, ColumnMapping]] = []
    for s in sheets:
        if s.table is None:
            continue
        result = done[id(s)]
        findings += result.findings
        used_mappings.append((s, result.used))
        if result.parsed is not None:
            parsed.append(result.parsed)
    if not sheets and not any(f.level == "error" for f in findings):
        findings.append(
            Finding("error", ", ".join(u.name for u in uploads) or "upload", None, None, None, None,
                    "no template table found in the upload")
        )
    if progress:
        progress(0.75, "validating")
    tables = _combine(parsed)
    keyed = {r.parsed.table: r.keyed for r in done.values() if r.keyed is not None}
    for name in list(tables):
        if sum(p.table == name for p in parsed) == 1:  # checked in the reading thread
            tables[name], f = keyed[name]
        else:
            tables[name], f = check_keys(tables[name])
        findings += f
    for name in complete - set(tables):
        findings.append(
            Finding("error", ", ".join(u.name for u in uploads), None, None, None, None,
                    f"{name} is marked as the complete list but the upload has no {name} rows")
        )
    if as_of is None and "status_reports" in tables:
        latest = pd.to_datetime(tables["status_reports"].frame["report_date"]).max()
        as_of = None if pd.isna(latest) else latest.date()
    counts = {name: len(p.frame) for name, p in tables.items()}
    preview = {name: _preview(p) for name, p in tables.items()}

    def validate(con: duckdb.DuckDBPyConnection) -> tuple[dict, dict]:
        if not any(f.level == "error" for f in findings):
            findings.extend(check_references(con, tables, complete))
        _register_keys(con, tables)
        if not any(f.level == "error" for f in findings):
            findings.extend(check_complete(con, tables, complete))
        lacking, examples = stored_not_in_upload(con, tables)
        for name, n in lacking.items():
            if n:
                what = "will be removed (complete list)" if name in complete else "are kept"
                findings.append(
                    Finding("info", tables[name].file, tables[name].sheet, None, None, None,
                            f"{n} stored {name} row(s) are not in the upload and {what}: "
                            + ", ".join(examples[name]) + (" …" if n > len(examples[name]) else ""))
                )
        if any(f.level == "error" for f in findings):
            raise ImportRejected(findings)
        return lacking, examples

    if dry_run:
        with store.connect(db) as con:
            lacking, examples = validate(con)
        if progress:
            progress(1.0, "dry run done")
        removed = {n: lacking[n] for n in complete if n in lacking}
        return ImportResult(None, True, findings, counts, preview, lacking, examples, removed)

    with store.connect(db, write=True) as con:
        lacking, examples = validate(con)
        if progress:
            progress(0.85, "writing")
        con.execute("begin transaction")
        try:
            import_id = store.scalar(con, "select coalesce(max(import_id), 0) + 1 from pmo_imports")
            removed: dict[str, int] = {}
            order = [n for n in schema.TABLE_ORDER if n in tables]
            for k, name in enumerate(order):
                if progress:
                    progress(0.85 + 0.13 * k / len(order), f"writing {name}")
                _, removed[name] = _write_table(con, import_id, tables[name], name in complete)
            review.snapshot(con, import_id)
            if save_mapping:
                for s, cm in used_mappings:
                    mappings.save(con, save_mapping, s.raw.headers, _savable(cm), user)
            files = [{"name": u.name, "sha256": u.sha256, "bytes": len(u.data)} for u in uploads]
            con.execute(
                "insert into pmo_imports (import_id, imported_at, imported_by, files, as_of, row_counts) "
                "values ($id, now()::timestamp, $user, $files, $as_of, $counts)",
                {
                    "id": import_id,
                    "user": user or os.environ.get("USER") or "local",
                    "files": json.dumps(files),
                    "as_of": as_of,
                    "counts": json.dumps(counts),
                },
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    if progress:
        progress(1.0, "done")
    removed = {n: v for n, v in removed.items() if n in complete}
    return ImportResult(import_id, False, findings, counts, preview, lacking, examples, removed)


def inspect(
    uploads: list[Upload],
    db: str | os.PathLike | None = None,
    *,
    table: str | dict[str, str] | None = None,
    progress: Progress | None = None,
) -> tuple[list[Sheet], list[Finding]]:
    """Read files for the mapping step: their sheets (table guessed, saved mapping found)."""
    sheets: list[Sheet] = []
    findings: list[Finding] = []
    total = sum(len(u.data) for u in uploads) or 1
    done = 0
    with store.connect(db) as con:
        for u in uploads:
            sub = _emit(progress, done / total, len(u.data) / total)
            got, f = read_upload(u, table, con=con, progress=sub)
            sheets += got
            findings += f
            done += len(u.data)
    if progress:
        progress(1.0, "read")
    return sheets, findings


def sheet_key(sheet: Sheet) -> str:
    """'file' for a CSV, 'file::sheet' for a worksheet: the keys of import_uploads(table=…)."""
    return sheet.file if sheet.sheet is None else f"{sheet.file}::{sheet.sheet}"


def proposed_mapping(sheet: Sheet, db: str | os.PathLike | None = None) -> tuple[ColumnMapping, str | None]:
    """The mapping offered for a sheet: a saved one for the same headers, else header matching."""
    saved_name, saved = None, None
    with store.connect(db) as con:
        match = mappings.by_signature(con, sheet.raw.headers, sheet.table)
    if match:
        saved_name, saved = match
    return resolve(sheet, None, saved), saved_name


def missing_required(table: str, cm: ColumnMapping) -> list[str]:
    """Required columns of ``table`` that ``cm`` neither maps nor gives a constant."""
    return [
        c.name
        for c in schema.TABLES[table].columns
        if c.required and c.name not in cm.columns and c.name not in cm.constants
    ]


def preview_mapping(sheet: Sheet, cm: ColumnMapping, n: int = 20) -> tuple[pd.DataFrame, list[Finding]]:
    """The first ``n`` rows parsed with ``cm`` (unreadable cells blank), and what was found."""
    raw = sheet.raw
    head = RawTable(raw.file, raw.sheet, raw.headers, raw.frame.head(n), raw.rows[:n], [])
    cm = ColumnMapping(cm.table, {c: h for c, h in cm.columns.items() if h}, dict(cm.constants))
    unmapped = {c.name: "" for c in schema.TABLES[cm.table].columns if c.name not in cm.columns}
    explicit = ColumnMapping(cm.table, {**unmapped, **cm.columns}, cm.constants)
    parsed, found = parse_sheet(Sheet(head, cm.table), mapping=explicit, lenient=True)
    if parsed is None:
        return pd.DataFrame(columns=["row", *schema.TABLES[cm.table].column_names]), found
    return _preview(parsed, n), found


def _savable(cm: ColumnMapping) -> ColumnMapping:
    """A mapping as saved: wide-allocation helper columns are found again on reuse."""
    cols = {c: h for c, h in cm.columns.items() if not h.startswith("__")}
    return ColumnMapping(cm.table, cols, dict(cm.constants))


def _preview(p: Parsed, n: int = 50) -> pd.DataFrame:
    frame = p.frame.head(n).copy()
    frame.insert(0, "row", p.rows.head(n).to_numpy())
    return frame


def import_paths(paths: Iterable[str | os.PathLike], db=None, **options) -> ImportResult:
    """Import files from disk (see import_uploads for the options)."""
    uploads = []
    too_big = []
    for p in paths:
        try:
            uploads.append(Upload.from_path(p))
        except ImportRejected as exc:
            too_big += exc.findings
    if too_big:
        raise ImportRejected(too_big)
    return import_uploads(uploads, db, **options)


def undo_last(db: str | os.PathLike | None = None) -> int | None:
    """Revert the last import exactly; return its id, or None when there is nothing to undo."""
    with store.connect(db, write=True) as con:
        import_id = store.scalar(
            con, "select max(import_id) from pmo_imports where not coalesce(undone, false)"
        )
        if import_id is None:
            return None
        con.execute("begin transaction")
        try:
            for name in reversed(schema.TABLE_ORDER):
                table = schema.TABLES[name]
                keys = list(table.upsert_key)
                join = _keys_equal(table, "t", "s")
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
            review.drop_snapshot(con, import_id)
            con.execute("update pmo_imports set undone = true where import_id = $id", {"id": import_id})
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return import_id


def history(db: str | os.PathLike | None = None) -> pd.DataFrame:
    """Imports, newest first: import_id, imported_at, imported_by, files, as_of, row_counts, undone."""
    with store.connect(db) as con:
        return con.execute(
            "select import_id, imported_at, imported_by, files, as_of, row_counts, undone "
            "from pmo_imports order by import_id desc"
        ).df()


def history_table(frame: pd.DataFrame) -> pd.DataFrame:
    """history() for display: file names and row counts as readable text."""
    out = frame.copy()
    out["files"] = out["files"].map(lambda s: ", ".join(f["name"] for f in json.loads(s)))
    out["row_counts"] = out["row_counts"].map(
        lambda s: ", ".join(f"{k} {v}" for k, v in json.loads(s).items())
    )
    out["as_of"] = pd.to_datetime(out["as_of"]).dt.strftime("%Y-%m-%d")
    return out


def last_import_id(frame: pd.DataFrame) -> int | None:
    """The import undo_last would revert, from history(); None when there is none."""
    live = frame[~frame["undone"].fillna(False).astype(bool)]
    return None if live.empty else int(live["import_id"].max())


def as_dicts(findings: list[Finding]) -> list[dict]:
    """Findings as plain rows for a table or JSON."""
    return [dataclasses.asdict(f) for f in findings]


def report(findings: list[Finding]) -> pd.DataFrame:
    """The validation report as a table: level, file, sheet, row, column, value, message."""
    frame = pd.DataFrame(as_dicts(findings), columns=[f.name for f in dataclasses.fields(Finding)])
    frame["row"] = frame["row"].astype("Int64")
    return frame
