"""Workbook sheets parsed ahead, in a background thread, before the importer asks for them.

calamine parses a sheet's XML without holding the GIL, so on two cores the next sheet is
parsed while the importer turns the previous one into a frame; and the command line starts a
workbook's parse before it imports pandas, so the two overlap too (issue 9). This module
imports nothing heavy on purpose.
"""

from __future__ import annotations

import html
import io
import re
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
MAX_BYTES = 200 * 1024 * 1024  # the importer's limit per file
# Per table, for a CSV file whose name (or the table option) says its table before it is read
# (issue 20): timesheets, where a large file is normal. Ten years of a large PMO's timesheets,
# 10,000,000 lines, are 280-560 MB as CSV depending on the length of the ids.
TABLE_MAX_BYTES = {"timesheets": 1024 * 1024 * 1024}
CSV_SUFFIXES = (".csv", ".txt")

_started: dict[bytes, SheetsAhead] = {}
_lock = threading.Lock()


class SheetsAhead:
    """A workbook whose sheets one background thread parses in order, ahead of their use.

    The thread has its own CalamineWorkbook: calamine serves one call at a time per workbook
    object. Raises what calamine raises for a damaged workbook.
    """

    def __init__(self, data: bytes):
        from python_calamine import CalamineWorkbook

        self.names: list[str] = list(CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names)
        # Largest first: its rows are turned into a frame while the smaller ones are parsed,
        # instead of last, after everything else (issue 9).
        sizes = xml_sizes(data)
        self.order = sorted(self.names, key=lambda name: -sizes.get(name, 0))
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pmo-sheets")
        self._parsed = {name: pool.submit(wb.get_sheet_by_name, name) for name in self.order}
        pool.shutdown(wait=False)

    def get_sheet_by_name(self, name: str) -> object:
        """The parsed sheet (waiting for the background thread to reach it)."""
        return self._parsed[name].result()


_SHEET = re.compile(r"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(r"([\w:]+)=\"([^\"]*)\"")


def xml_sizes(data: bytes) -> dict[str, int]:
    """{sheet name: bytes of its XML} of an .xlsx/.xlsm workbook; {} for any other file.

    Only orders the parsing: whatever it cannot read leaves the workbook's own order.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = {i.filename: i.file_size for i in z.infolist()}
            book = z.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return {}
    targets = {}
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        attrs = dict(_ATTR.findall(tag))
        target = attrs.get("Target", "").lstrip("/")
        targets[attrs.get("Id")] = target if target.startswith("xl/") else f"xl/{target}"
    sizes = {}
    for tag in _SHEET.findall(book):
        attrs = dict(_ATTR.findall(tag))
        rid = next((v for k, v in attrs.items() if k.endswith(":id")), None)
        if "name" in attrs and rid in targets:
            sizes[html.unescape(attrs["name"])] = infos.get(targets[rid], 0)
    return sizes


def limit_table(name: str, table: str | dict[str, str] | None = None) -> str | None:
    """The table whose size limit applies to a file: a CSV's table as its name or the table
    option says (workbooks may hold any table: None, the general limit)."""
    if Path(name).suffix.lower() not in CSV_SUFFIXES:
        return None
    if isinstance(table, dict):
        table = table.get(name)
    if table:
        return table
    from pmo.ingest.headers import table_for_name  # light: pmo.schema only

    return table_for_name(Path(name).stem)


def max_bytes(
    name: str, table: str | dict[str, str] | None = None, default: int = MAX_BYTES
) -> int:
    """The largest file the importer reads for ``name`` (``default`` unless its table has a
    limit of its own)."""
    return TABLE_MAX_BYTES.get(limit_table(name, table) or "", default)


def start(paths: list[str], table: str | dict[str, str] | None = None) -> None:
    """Start parsing the workbooks among ``paths``; a file that fails is left to the importer.

    Nothing starts when any file is over its size limit: the importer refuses the upload from
    the sizes alone, before anything is parsed.
    """
    try:
        if any(Path(p).stat().st_size > max_bytes(Path(p).name, table) for p in paths):
            return
    except OSError:
        pass  # a missing file: the importer says so
    for path in paths:
        p = Path(path)
        if p.suffix.lower() not in EXCEL_SUFFIXES:
            continue
        ahead = None
        try:
            if p.stat().st_size <= MAX_BYTES:
                data = p.read_bytes()
                ahead = SheetsAhead(data)
        except Exception:  # unreadable or damaged: the import reports it properly
            ahead = None
        if ahead is None:
            continue
        with _lock:
            _started[data] = ahead


def take(data: bytes) -> SheetsAhead | None:
    """The parse started for a workbook with exactly these bytes, if any (used once)."""
    with _lock:
        return _started.pop(data, None) if _started else None
