"""Workbook sheets parsed ahead, in a background thread, before the importer asks for them.

calamine parses a sheet's XML without holding the GIL, so on two cores the next sheet is
parsed while the importer turns the previous one into a frame; and the command line starts a
workbook's parse before it imports pandas, so the two overlap too (issue 9). This module
imports nothing heavy on purpose.
"""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
MAX_BYTES = 200 * 1024 * 1024  # the importer's limit per file

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
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pmo-sheets")
        self._parsed = {name: pool.submit(wb.get_sheet_by_name, name) for name in self.names}
        pool.shutdown(wait=False)

    def get_sheet_by_name(self, name: str) -> object:
        """The parsed sheet (waiting for the background thread to reach it)."""
        return self._parsed[name].result()


def start(paths: list[str]) -> None:
    """Start parsing the workbooks among ``paths``; a file that fails is left to the importer."""
    for path in paths:
        p = Path(path)
        if p.suffix.lower() not in EXCEL_SUFFIXES:
            continue
        try:
            if p.stat().st_size > MAX_BYTES:
                continue
            data = p.read_bytes()
            ahead = SheetsAhead(data)
        except Exception:  # unreadable or damaged: the import reports it properly
            continue
        with _lock:
            _started[data] = ahead


def take(data: bytes) -> SheetsAhead | None:
    """The parse started for a workbook with exactly these bytes, if any (used once)."""
    with _lock:
        return _started.pop(data, None) if _started else None
