"""What the import pipeline passes along: files, sheets, parsed tables, findings, results.

An Upload (a file's name and bytes) is read into Sheets (raw cells and the table they hold),
each parsed into a Parsed table (canonical typed columns, the Excel row of each line); every
problem met on the way is a Finding. An import returns an ImportResult, or raises
ImportRejected with every Finding when any is an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from pmo.ingest import prefetch
from pmo.ingest.readers import RawTable

if TYPE_CHECKING:
    import duckdb

MAX_FILE_BYTES = prefetch.MAX_BYTES  # read as model.MAX_FILE_BYTES, so a test may lower it
# A rule broken on many rows is one finding: its exact count and the first rows (issue 14).
ROWS_SHOWN = 5
MAX_LISTED = 200  # row numbers a finding keeps (Finding.rows) for tables and downloads
# Files over this size get a progress line on the command line.
LARGE_FILE_BYTES = 5 * 1024 * 1024

Progress = Callable[[float, str], None]
# Called with each sheet as soon as it is read, and the reader's DuckDB cursor.
OnSheet = Callable[["Sheet", "duckdb.DuckDBPyConnection | None"], None]


def scaled(progress: Progress | None, start: float, span: float) -> Progress | None:
    """A progress callback for one step: its 0..1 lands on start..start+span of ``progress``."""
    if progress is None:
        return None
    return lambda frac, msg: progress(start + span * max(0.0, min(1.0, frac)), msg)


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
    count: int = 1  # rows this finding stands for (one finding per rule and column)
    rows: tuple[int, ...] = ()  # their Excel rows (the first MAX_LISTED), when more than one

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        # A cell with line breaks in it is quoted on one line (its whitespace as single spaces).
        value = " ".join(self.value.split()) if isinstance(self.value, str) else self.value
        found = f" (found {value!r})" if value not in (None, "") else ""
        return f"{self.level}: {', '.join(where)}: {self.message}{found}"


def rows_text(rows: list[int], total: int, cells: list[str] | None = None) -> str:
    """'rows 4, 9 and 12' or 'rows 4 ("TBC"), 9 ("n/a") … and 165 more': the first rows of a
    finding (with their cells as typed, when given) and how many more there are."""
    shown = rows[:ROWS_SHOWN]
    parts = []
    for i, r in enumerate(shown):
        cell = None if cells is None else cells[i]
        if cell is not None and cell != "":
            cell = " ".join(cell.split())  # on one line, as the user reads it
            cell = cell if len(cell) <= 40 else cell[:39] + "…"
            parts.append(f"{r} ({cell!r})")
        else:
            parts.append(str(r))
    more = total - len(shown)
    if more > 0:
        return "rows " + ", ".join(parts) + f" and {more} more"
    if len(parts) == 1:
        return "row " + parts[0]
    return "rows " + ", ".join(parts[:-1]) + " and " + parts[-1]


def file_error(file: str, message: str, sheet: str | None = None) -> Finding:
    """An error about a whole file (or sheet): no row or column."""
    return Finding("error", file, sheet, None, None, None, message)


def has_errors(findings: list[Finding]) -> bool:
    """Whether any finding refuses the import."""
    return any(f.level == "error" for f in findings)


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


def max_bytes(name: str, table: str | dict[str, str] | None = None) -> int:
    """The size limit for a file: MAX_FILE_BYTES, or its table's own (timesheets: a CSV of
    ten million lines is normal; prefetch.TABLE_MAX_BYTES)."""
    return prefetch.max_bytes(name, table, MAX_FILE_BYTES)


def too_big(name: str, size: int, table: str | dict[str, str] | None = None) -> Finding:
    """The finding for a file over its size limit."""
    limit, which = max_bytes(name, table), prefetch.limit_table(name, table)
    where = f"the limit for {which} is" if which else "the limit is"
    return file_error(name, f"the file is {size / 1e6:.1f} MB; {where} {limit / 1e6:.1f} MB")


def size_refusal(
    path: str | os.PathLike, table: str | dict[str, str] | None = None
) -> Finding | None:
    """The finding refusing a file on disk from its size alone (nothing read), or None."""
    p = Path(path)
    size = p.stat().st_size
    return too_big(p.name, size, table) if size > max_bytes(p.name, table) else None


@dataclass
class Upload:
    """One file as given: its name and bytes."""

    name: str
    data: bytes
    # Set by import_paths: the bytes may be dropped once read (release), so a file of ten
    # million timesheet lines is not held beside its parsed rows (issue 20).
    release_after_read: bool = field(default=False, repr=False, compare=False)
    # A timesheet CSV that DuckDB reads from disk (pmo.ingest.stream): its bytes are never
    # held (data stays b"" unless the import falls back to reading them, load()).
    path: Path | None = field(default=None, repr=False, compare=False)
    lines: int = field(default=0, repr=False, compare=False)  # a deferred file's line count
    _digest: str | None = field(default=None, repr=False, compare=False)
    _size: int | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_path(
        cls, path: str | os.PathLike, table: str | dict[str, str] | None = None
    ) -> Upload:
        """Read a file from disk, refusing files over the size limit before reading them."""
        refusal = size_refusal(path, table)
        if refusal is not None:
            raise ImportRejected([refusal])
        return cls(Path(path).name, Path(path).read_bytes())

    @property
    def sha256(self) -> str:
        """SHA-256 of the bytes, recorded with the import."""
        return self._digest or hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        """The file's size in bytes."""
        return len(self.data) if self._size is None else self._size

    @property
    def deferred(self) -> bool:
        """Whether the file is read from ``path`` by DuckDB, its bytes not loaded."""
        return self.path is not None and not self.data

    def load(self) -> None:
        """Read the bytes of a deferred file after all (the import's pandas path)."""
        if self.deferred:
            self.data = self.path.read_bytes()

    def release(self) -> None:
        """Keep the digest and size, drop the bytes."""
        self._digest, self._size = self.sha256, self.size
        self.data = b""


@dataclass
class Sheet:
    """The raw cells of one table read from a file, with the table it is for."""

    raw: RawTable
    table: str | None  # None: the file does not say which table it holds
    mapping_name: str | None = None  # a saved mapping that applies to it
    # A deferred CSV (pmo.ingest.stream.Source): its header is read, its rows are staged in
    # DuckDB when the sheet is parsed; raw.frame is empty.
    stream: object | None = field(default=None, repr=False, compare=False)

    @property
    def file(self) -> str:
        """The file the cells came from."""
        return self.raw.file

    @property
    def sheet(self) -> str | None:
        """The worksheet (None for CSV)."""
        return self.raw.sheet

    @property
    def key(self) -> str:
        """'file' for a CSV, 'file::sheet' for a worksheet: how options name this sheet."""
        return self.file if self.sheet is None else f"{self.file}::{self.sheet}"


@dataclass
class Parsed:
    """One table parsed to canonical columns and types."""

    table: str
    frame: pd.DataFrame
    rows: pd.Series  # Excel row per line of frame
    file: str
    sheet: str | None
    where: pd.Series | None = None  # (file, sheet) per line when several sheets were stacked
    # The distinct values of key columns, as check_keys found them ({column: values}): the
    # reference check looks them up instead of hashing every row again (issue 20).
    distinct: dict | None = field(default=None, repr=False, compare=False)
    # Rows staged in DuckDB instead of ``frame`` (pmo.ingest.stream, issue 20): the temporary
    # view holding them (__row first, then the table's columns), their number, the first ones.
    staged: str | None = field(default=None, repr=False, compare=False)
    staged_rows: int = field(default=0, repr=False, compare=False)
    staged_head: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    @property
    def n_rows(self) -> int:
        """How many rows the table holds (staged or in ``frame``)."""
        return self.staged_rows if self.staged else len(self.frame)

    def head(self, n: int = 50) -> pd.DataFrame:
        """The first ``n`` lines as they would be imported, with their Excel row first."""
        if self.staged:
            return self.staged_head.head(n).copy()
        frame = self.frame.head(n).copy()
        frame.insert(0, "row", self.rows.head(n).to_numpy())
        return frame

    def at(self, i: int) -> tuple[str, str | None]:
        """(file, sheet) of line ``i``."""
        if self.where is not None:
            return self.where.iloc[i]
        return self.file, self.sheet


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
    left: dict[str, int] = field(default_factory=dict)  # rows marked left (complete lists)
    written: dict = field(default_factory=dict)  # per table: pmo.ingest.write.Written

    @property
    def warnings(self) -> list[Finding]:
        """Findings that did not stop the import."""
        return [f for f in self.findings if f.level == "warning"]


def as_dicts(findings: list[Finding]) -> list[dict]:
    """Findings as plain rows for a table or JSON."""
    return [dataclasses.asdict(f) for f in findings]


def report(findings: list[Finding]) -> pd.DataFrame:
    """The validation report as a table: level, file, sheet, row, column, value, message."""
    frame = pd.DataFrame(as_dicts(findings), columns=[f.name for f in dataclasses.fields(Finding)])
    frame["row"] = frame["row"].astype("Int64")
    return frame
