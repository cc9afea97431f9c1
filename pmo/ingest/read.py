"""Step 1 of an import: files into Sheets (raw cells and the table each holds).

A workbook gives one Sheet per sheet named after a template table; a CSV file one Sheet, its
table named by the file name, the ``table`` option, or a saved mapping for the same headers.
Reading is pmo.ingest.readers; this module decides which table each holds and what to say.
"""

from __future__ import annotations

import queue
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import duckdb

from pmo import schema
from pmo.ingest import headers, mapping, model, readers
from pmo.ingest.model import (
    Finding,
    OnSheet,
    Progress,
    Sheet,
    Upload,
    file_error,
    has_errors,
    too_big,
)
from pmo.ingest.readers import CSV_SUFFIXES, EXCEL_SUFFIXES, Unreadable

TableChoice = str | dict[str, str] | None  # one table for all files, or per file / 'file::sheet'


def _table_choice(table: TableChoice, file: str, sheet: str | None) -> str | None:
    if isinstance(table, dict):
        for key in ((f"{file}::{sheet}" if sheet else None), file):
            if key and table.get(key):
                return table[key]
        return None
    return table


def _saved_table(sheet: Sheet, con: duckdb.DuckDBPyConnection | None) -> None:
    """A saved mapping for the same headers names the sheet's table (and applies to it)."""
    if con is None:
        return
    match = mapping.by_signature(con, sheet.raw.headers, sheet.table)
    if match and (sheet.table is None or match[1].table == sheet.table):
        sheet.table, sheet.mapping_name = match[1].table, match[0]


def read_upload(
    upload: Upload,
    table: TableChoice = None,
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
    if upload.deferred:
        got = _read_deferred(upload, table, known, con)
        if got is not None:
            return got
        upload.load()  # the pandas way after all
    limit_choice = _table_choice(table, upload.name, None)
    if len(upload.data) > model.max_bytes(upload.name, limit_choice):
        return [], [too_big(upload.name, len(upload.data), limit_choice)]
    if not upload.data or upload.data.isspace():
        return [], [file_error(upload.name, "the file is empty")]
    suffix = Path(upload.name).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(upload, table, known, con, on_sheet)
    if suffix in CSV_SUFFIXES:
        return _read_csv(upload, table, known, con, progress, on_sheet)
    return [], [
        file_error(
            upload.name,
            f"unsupported file type {suffix or '(none)'}: "
            "upload .xlsx or .xlsm workbooks or .csv files",
        )
    ]


def _csv_target(upload: Upload, table: TableChoice) -> str | None:
    """The table a CSV file holds, by its name or the table chosen for it."""
    chosen = _table_choice(table, upload.name, None)
    named = headers.table_for_name(Path(upload.name).stem)
    # A table chosen for this file wins; one --table for all files only where the name is silent.
    return (chosen or named) if isinstance(table, dict) else (named or chosen)


def _read_deferred(
    upload: Upload,
    table: TableChoice,
    known: set[str] | None,
    con: duckdb.DuckDBPyConnection | None,
) -> tuple[list[Sheet], list[Finding]] | None:
    """A deferred CSV (pmo.ingest.stream): only its header is read now; its rows are staged
    in DuckDB when the sheet is parsed, on the import's connection (not in a reading thread:
    so it is not handed to on_sheet). None: read it the pandas way."""
    from pmo.ingest import stream

    target = _csv_target(upload, table)
    keys = headers.known_keys(target) | (known or set())
    source = stream.open_source(upload, keys)
    if source is None or con is None:
        return None
    sheet = Sheet(stream.raw_sheet(source), target, stream=source)
    _saved_table(sheet, con)
    if sheet.table not in stream.STREAMED:
        return None
    return [sheet], []


def _read_csv(
    upload: Upload,
    table: TableChoice,
    known: set[str] | None,
    con: duckdb.DuckDBPyConnection | None,
    progress: Progress | None,
    on_sheet: OnSheet | None,
) -> tuple[list[Sheet], list[Finding]]:
    target = _csv_target(upload, table)
    keys = headers.known_keys(target) | (known or set())
    try:
        raw = readers.read_csv(upload.name, upload.data, keys, progress)
    except Unreadable as exc:
        return [], [file_error(upload.name, str(exc))]
    if upload.release_after_read:
        upload.release()  # its cells are read: not held while they are parsed (issue 20)
    sheet = Sheet(raw, target)
    found = [Finding("warning", raw.file, None, r, None, None, m) for r, m in raw.notes]
    _saved_table(sheet, con)
    if sheet.table is None:
        found.append(
            file_error(
                upload.name,
                "the file name does not say which table it holds: name it after a table "
                f"({', '.join(schema.TABLES)}), e.g. projects.csv, or choose the table "
                f"(on the command line {upload.name}:projects, or --table for every file)",
            )
        )
        return [sheet], found
    if raw.frame.empty:
        found.append(file_error(upload.name, "the file has no data rows"))
    if on_sheet is not None:
        on_sheet(sheet, con)
    return [sheet], found


def read_all(
    uploads: list[Upload],
    table: TableChoice,
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
                pool.submit(
                    read_upload,
                    u,
                    table,
                    known=known,
                    con=cur,
                    progress=relay(i),
                    on_sheet=on_sheet,
                )
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
    table: TableChoice,
    known: set[str] | None,
    con: duckdb.DuckDBPyConnection | None,
    several: bool,
) -> tuple[Sheet | None, list[Finding]]:
    """One worksheet: the Sheet to import (None when skipped) and what to say about it."""
    chosen = _table_choice(table, upload.name, name)
    if isinstance(table, str) and several and headers.table_for_name(name):
        chosen = None  # a named sheet keeps its table in a several-sheet workbook
    target = chosen or headers.table_for_name(name)
    keys = (headers.known_keys(target) if target else headers.known_keys()) | (known or set())

    def note(level: str, message: str) -> tuple[None, list[Finding]]:
        return None, [Finding(level, upload.name, name, None, None, None, message)]

    try:
        raw = readers.read_sheet(upload.name, wb, name, keys)
    except Exception as exc:  # a damaged sheet: say so, keep the others
        return note("error", f"unreadable sheet ({exc})")
    if raw is None:
        return note("warning", "sheet is empty; skipped") if target else (None, [])
    sheet = Sheet(raw, target)
    _saved_table(sheet, con)
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
    table: TableChoice,
    known: set[str] | None,
    con: duckdb.DuckDBPyConnection | None,
    on_sheet: OnSheet | None = None,
) -> tuple[list[Sheet], list[Finding]]:
    found: list[Finding] = []
    try:
        wb, names = readers.workbook_sheets(upload.name, upload.data)
    except Unreadable as exc:
        return [], [file_error(upload.name, str(exc))]
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
    if not sheets and not has_errors(found):
        found.append(
            file_error(
                upload.name,
                f"no sheet with data is named after a template table ({', '.join(schema.TABLES)})",
            )
        )
    return sheets, found
