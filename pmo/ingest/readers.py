"""Reading files into raw tables: workbooks through calamine, CSV through pyarrow.

A raw table is the cells below the header row, with the header texts and the row number the
user sees in Excel for each line. Nothing is typed here: pmo.ingest.values does that. The header row
is the one of the first rows that matches most known headers (title rows above it are
skipped); blank rows and totals rows ("Total", "Grand Total") are dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from pmo.ingest import prefetch, values
from pmo.ingest.headers import header_key

EXCEL_SUFFIXES = prefetch.EXCEL_SUFFIXES
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
HEADER_SCAN_ROWS = 30
TOTAL_WORDS = frozenset({"total", "totals", "grand total", "subtotal", "sub total", "sum"})
CSV_DELIMITERS = (",", ";", "\t", "|")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Progress = Callable[[float, str], None]


class Unreadable(Exception):
    """The file cannot be read as what its name says; the message says why."""


@dataclass
class RawTable:
    """Cells of one sheet or CSV below its header row, untyped."""

    file: str
    sheet: str | None
    headers: list[str]  # unique, in file order
    frame: pd.DataFrame  # columns = headers
    rows: np.ndarray  # Excel row number of each line of frame
    notes: list[tuple[int | None, str]] = field(default_factory=list)  # (row, message) warnings

    @property
    def where(self) -> str:
        """'file' or 'file, sheet S' for messages."""
        return self.file if self.sheet is None else f"{self.file}, sheet {self.sheet}"


# --------------------------------------------------------------------------- header and rows


def _cell_str(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == dt.time() else v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v).strip()


def _cell_text(cells: Iterable[object]) -> list[str]:
    """One header-area row as text (at most a few dozen cells: a plain loop is fine)."""
    return [_cell_str(v) for v in cells]


def find_header(rows: list[list[str]], known: set[str]) -> int:
    """Index of the header among the first rows: most known headers, then most filled cells."""
    best, best_score = 0, (-1, -1)
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = {header_key(c) for c in row if c}
        score = (len(keys & known), sum(1 for c in row if c))
        if score > best_score:
            best, best_score = i, score
    return best


def unique_headers(cells: list[str]) -> list[str]:
    """Blank headers become 'column N'; a repeated header gets ' (2)', ' (3)' …"""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(cells):
        name = name.strip() or f"column {i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def _finish(table: RawTable, header_cells: list[str]) -> RawTable:
    """Drop blank rows, totals rows, and blank columns without a header."""
    frame = table.frame
    if frame.empty:
        return table
    cols = list(frame.columns)
    blank0 = values.blank_mask(frame[cols[0]])
    blank = blank0.copy()
    blank_cols = [cols[0]] if not header_cells[0].strip() and blank0.all() else []
    for name, cell in zip(cols[1:], header_cells[1:], strict=False):
        if not cell.strip():  # a column without a header goes if it is blank throughout
            b = values.blank_mask(frame[name])
            blank &= b
            if b.all():
                blank_cols.append(name)
        elif blank.any():  # only the rows blank so far need looking at (issue 9)
            blank[blank] = values.blank_mask(frame.loc[blank, name])

    def is_total(text: pd.Series) -> pd.Series:
        return text.str.lower().str.rstrip(":").str.strip().isin(TOTAL_WORDS).fillna(False)

    # A totals row says so in its first filled cell of the first three.
    first = frame[cols[0]]
    if values._is_text_dtype(first):  # CSV text: each distinct first cell judged once
        total = values.per_distinct(first, lambda u: is_total(values.as_text(u)))
    else:
        total = values.per_distinct(values.as_text(first), is_total)
    total = total.fillna(False).astype(bool)
    need = blank0
    for name in cols[1:3]:
        if not need.any():
            break
        text = values.as_text(frame.loc[need, name])
        total[text.index] = is_total(text).astype(bool)
        need = need.copy()
        need[text.index] = text.isna()
    keep = (~blank & ~total).to_numpy()
    if not keep.all() or blank_cols:  # copy the frame only when something goes
        frame = frame.loc[keep].drop(columns=blank_cols).reset_index(drop=True)
    table.frame = frame
    table.headers = list(frame.columns)
    table.rows = table.rows[keep]
    return table


# ---------------------------------------------------------------------------------- workbooks


def check_workbook_bytes(name: str, data: bytes) -> None:
    """Refuse a file named like a workbook whose bytes are not one."""
    suffix = Path(name).suffix.lower()
    magic = _OLE_MAGIC if suffix == ".xls" else _ZIP_MAGIC
    if not data.startswith(magic):
        if _looks_like_text(data):
            raise Unreadable(
                f"the file is named {suffix} but holds text (a CSV file?); "
                "save it as a workbook or rename it .csv"
            )
        raise Unreadable(f"the file is named {suffix} but is not an Excel workbook")


def workbook_sheets(name: str, data: bytes) -> tuple[prefetch.SheetsAhead, list[str]]:
    """Open a workbook; return (workbook, sheet names). Its sheets are parsed ahead, in order."""
    check_workbook_bytes(name, data)
    wb = prefetch.take(data)  # the command line may have started it already
    if wb is None:
        try:
            wb = prefetch.SheetsAhead(data)
        except Exception as exc:  # calamine raises several types for a damaged workbook
            raise Unreadable(f"the workbook cannot be opened ({exc})") from None
    return wb, wb.names


def _typed(column: pd.Series) -> pd.Series:
    """A workbook column holding one kind of cell as a typed column (floats, text or dates).

    Blank cells ('' from calamine) become nulls. pmo.ingest.values reads a typed column in a few
    vectorised steps instead of looking at each cell's type; a column mixing kinds of cell
    (numbers and text, say) stays as it is.
    """
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind == "string":  # text only (blank cells are '' text too)
        return column.astype("string")
    cells = column
    if kind in ("mixed", "mixed-integer"):  # numbers or dates among blank '' cells?
        cells = column.where(column != "")
        kind = pd.api.types.infer_dtype(cells, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float"):
        return pd.to_numeric(cells).astype("float64")
    if kind in ("date", "datetime"):
        try:
            return pd.to_datetime(cells).astype("datetime64[ns]")
        except (
            ValueError,
            OverflowError,
        ):  # 9999-12-31 and the like: pmo.ingest.values judges them
            return column
    return column


def read_sheet(file: str, wb: object, sheet: str, known: set[str]) -> RawTable | None:
    """One worksheet as a RawTable, or None when it holds no cells."""
    grid = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    while grid and not any(str(c).strip() for c in grid[-1]):
        grid.pop()
    if not grid:
        return None
    head = [_cell_text(r) for r in grid[:HEADER_SCAN_ROWS]]
    h = find_header(head, known)
    header_cells = head[h]
    width = len(header_cells)
    while (
        width
        and not header_cells[width - 1]
        and not any(len(r) >= width and str(r[width - 1]).strip() for r in grid[h + 1 :])
    ):
        width -= 1
    header_cells = header_cells[:width]
    headers = unique_headers(header_cells)
    body = grid[h + 1 :]
    if body:
        # calamine's rows all have the sheet's width: cut the columns, not every row.
        frame = pd.DataFrame(body, dtype=object).reindex(columns=range(width), fill_value="")
        frame = frame.set_axis(headers, axis=1).apply(_typed)
    else:
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in headers})
    rows = np.arange(h + 2, h + 2 + len(frame))
    return _finish(RawTable(file, sheet, headers, frame, rows), header_cells)


# ---------------------------------------------------------------------------------------- CSV


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in head and not head.startswith((_ZIP_MAGIC, _OLE_MAGIC))


def decode(data: bytes) -> tuple[str, str]:
    """Text of a CSV file and the encoding found: UTF-8 (± BOM), UTF-16, else cp1252."""
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise Unreadable("the file is named .csv but is an Excel workbook; rename it .xlsx")
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16"), "utf-16"
    except UnicodeDecodeError as exc:
        raise Unreadable(
            f"the file's byte-order mark says {exc.encoding.upper()}, but byte {exc.start} is not "
            "valid in it: save it again as CSV UTF-8"
        ) from None
    head = data[:4096]
    if len(head) >= 4 and head.count(b"\x00") >= len(head) // 4:
        # UTF-16 without a BOM: every other byte of ASCII text is zero.
        enc = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            raise Unreadable("the file is not text (binary content)") from None
    if b"\x00" in head:
        raise Unreadable("the file is not text (binary content); expected a CSV file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _record_spans(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) of the first ``limit`` records, quotes respected; end excludes the newline."""
    spans: list[tuple[int, int]] = []
    start, i, n, quoted = 0, 0, len(text), False
    while i < n and len(spans) < limit:
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "\r\n":
            spans.append((start, i))
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            start = i + 1
        i += 1
    if len(spans) < limit and start < n:
        spans.append((start, n))
    return spans


def _split(record: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([record], delimiter=delimiter), [])
    except csv.Error:
        return record.split(delimiter)


def sniff(text: str, known: set[str]) -> tuple[str, int, list[str], int]:
    """(delimiter, header record index, header cells, offset of the first data record)."""
    prefix = text[: 1 << 16]
    spans = _record_spans(prefix, HEADER_SCAN_ROWS + 1)
    if len(spans) > HEADER_SCAN_ROWS:
        spans = spans[:HEADER_SCAN_ROWS]
    records = [prefix[a:b] for a, b in spans]
    best = None
    for delim in CSV_DELIMITERS:
        rows = [_split(r, delim) for r in records]
        widths = [len(r) for r in rows if any(c.strip() for c in r)]
        if not widths:
            continue
        modal = max(set(widths), key=widths.count)
        consistent = sum(1 for w in widths if w == modal) if modal > 1 else 0
        h = find_header([[c.strip() for c in r] for r in rows], known)
        hits = len({header_key(c) for c in rows[h]} & known)
        score = (hits, consistent, modal)
        if best is None or score > best[0]:
            best = (score, delim, h, rows[h])
    if best is None:
        raise Unreadable("the file is empty")
    _, delim, h, header = best
    offset = spans[h + 1][0] if h + 1 < len(spans) else len(text)
    return delim, h, [c.strip() for c in header], offset


def _ascii_head(data: bytes, known: set[str]) -> tuple[str, str, tuple | None]:
    """For a plain ASCII file (valid UTF-8 as it is, like most large exports): its head
    decoded and sniffed, without decoding the whole file (issue 9). (text, encoding, None)
    when the file needs decode() after all.
    """
    if not data.isascii():
        return "", "", None
    head = data[: 1 << 16]
    text, encoding = decode(head)  # the same checks decode() makes on the file's head
    if encoding != "utf-8" or not text.strip():
        return "", "", None
    found = sniff(text, known)
    if found[3] >= len(text) and len(data) > len(head):
        return "", "", None  # the data starts beyond the head: sniff the whole file
    return text, encoding, found


def _arrow_csv(
    utf8: bytes, offset: int, delim: str, names: list[str], file: str, progress: Progress | None
) -> tuple[pa.Table, list[tuple[int, str]]]:
    """The records after ``offset`` as text columns, and the ragged ones pyarrow skipped
    as (record number, text)."""
    ragged: list[tuple[int, str]] = []

    def on_invalid(row) -> str:
        ragged.append((row.number, row.text))
        return "skip"

    def read(threads: bool) -> pa.Table:
        source = pa.BufferReader(pa.py_buffer(utf8).slice(offset))
        total = max(1, len(utf8) - offset)
        reader = pacsv.open_csv(
            source,
            read_options=pacsv.ReadOptions(
                column_names=names, use_threads=threads, block_size=4 << 20
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delim,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        batches = []
        done = 0
        for batch in reader:
            batches.append(batch)
            done += batch.nbytes
            if progress:
                progress(min(0.99, done / total), f"reading {file}")
        return pa.Table.from_batches(batches, schema=reader.schema)

    try:
        table = read(threads=True)
        if ragged:
            # Parsing on several threads does not number the rows a ragged line is reported
            # on; read again on one thread, which does.
            ragged.clear()
            table = read(threads=False)
    except pa.ArrowInvalid as exc:
        if "Empty CSV file" in str(exc):
            table = pa.table({n: pa.array([], pa.string()) for n in names})
        else:
            raise Unreadable(f"not a readable CSV file: {exc}") from None
    return table, ragged


def _put_back_ragged(
    frame: pd.DataFrame, ragged: list[tuple[int, str]], delim: str, h: int
) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int | None, str]]]:
    """The frame with the ragged records back in place (cut or padded to the header's
    width), the record numbers of its lines, and a note for each record cut short."""
    width = len(frame.columns)
    notes: list[tuple[int | None, str]] = []
    # Records are numbered from 1 after the header; skipped (ragged) ones are put back.
    numbers = np.arange(1, len(frame) + len(ragged) + 1)
    if not ragged:
        return frame, numbers, notes
    bad_numbers = np.array([n for n, _ in ragged])
    valid_numbers = np.setdiff1d(numbers, bad_numbers)
    extra_rows = []
    for number, raw_text in ragged:
        cells = _split(raw_text, delim)
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            notes.append(
                (
                    h + 1 + number,
                    f"the row has {len(cells)} cells but the header "
                    f"{width}; the cells beyond column {width} are ignored",
                )
            )
        extra_rows.append((cells + [""] * width)[:width])
    extra = pd.DataFrame(extra_rows, columns=frame.columns).astype(frame.dtypes.to_dict())
    frame = pd.concat([frame, extra], ignore_index=True)
    order = np.argsort(np.concatenate([valid_numbers, bad_numbers]), kind="stable")
    frame = frame.iloc[order].reset_index(drop=True)
    return frame, np.concatenate([valid_numbers, bad_numbers])[order], notes


def read_csv(file: str, data: bytes, known: set[str], progress: Progress | None = None) -> RawTable:
    """A CSV file as a RawTable (pyarrow's reader: no Python loop over rows)."""
    text, encoding, found = _ascii_head(data, known)
    if found is None:  # not plain ASCII: decode it all
        text, encoding = decode(data)
        if not text or text.isspace():
            raise Unreadable("the file is empty")
        found = sniff(text, known)
    delim, h, header_cells, offset = found
    utf8 = text.encode("utf-8") if encoding != "utf-8" else data
    byte_offset = len(text[:offset].encode("utf-8"))
    names = [f"c{i}" for i in range(len(header_cells))]
    table, ragged = _arrow_csv(utf8, byte_offset, delim, names, file, progress)
    del utf8
    # Each column's Arrow memory is freed as it becomes a pandas column: ten million lines
    # are not held twice (issue 20). The table is not used again.
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    headers = unique_headers(header_cells)
    frame.columns = headers
    frame, numbers, notes = _put_back_ragged(frame, ragged, delim, h)
    rows = h + 1 + numbers
    raw = RawTable(file, None, headers, frame, rows.astype(np.int64), notes)
    return _finish(raw, header_cells)
