"""Import Excel/CSV exports into the database: read, match headers, parse, validate, write.

An import is one transaction: every table of the upload lands, or none does. Each import is
recorded in pmo_imports and keeps the rows it replaced, so the last one can be undone exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
from python_calamine import CalamineWorkbook

from pmo import review, schema, store, values

MAX_FILE_BYTES = 200 * 1024 * 1024
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TOTAL_WORDS = {"total", "grand total", "totals", "sum"}
HEADER_SCAN_ROWS = 30


@dataclass
class Finding:
    """One problem found in an upload, named by file, sheet, Excel row and column."""

    level: str  # "error" or "warning"
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
        f"the file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB",
    )


@dataclass
class Sheet:
    """The raw cells of one table read from a file, with the Excel row of each line."""

    file: str
    sheet: str | None
    table: str
    raw: pd.DataFrame  # columns are the source headers, cells raw
    rows: pd.Series  # the row number the user sees in Excel, per line of raw


@dataclass
class Parsed:
    """One table parsed to canonical columns and types."""

    table: str
    frame: pd.DataFrame
    rows: pd.Series
    file: str
    sheet: str | None


@dataclass
class ImportResult:
    """What an import (or dry run) did."""

    import_id: int | None
    dry_run: bool
    findings: list[Finding]
    row_counts: dict[str, int]
    preview: dict[str, pd.DataFrame] = field(default_factory=dict)
    not_in_upload: dict[str, int] = field(default_factory=dict)

    @property
    def warnings(self) -> list[Finding]:
        """Findings that did not stop the import."""
        return [f for f in self.findings if f.level == "warning"]


def normalise_header(text: object) -> str:
    """'Budget ($)' -> 'budget', '% Complete' -> '% complete', 'Project_ID' -> 'project id'."""
    s = str(text).strip().lower()
    s = re.sub(r"\((\$|€|£|eur|usd|gbp)\)", "", s)
    s = s.replace("_", " ").replace("-", " ")
    s = re.sub(r"[^\w%]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _key(text: str) -> str:
    return re.sub(r"[^\w%]", "", normalise_header(text))


def header_lookup(table: schema.Table) -> dict[str, str]:
    """Normalised header or synonym -> canonical column, for one table."""
    out: dict[str, str] = {}
    for col in table.columns:
        for name in (col.name, *col.synonyms):
            out.setdefault(_key(name), col.name)
    return out


def table_for_name(name: str) -> str | None:
    """The template table a sheet or file is named after ('Status Reports' -> status_reports)."""
    k = _key(name)
    for table in schema.TABLES.values():
        if k in {_key(table.name), *(_key(s) for s in table.synonyms)}:
            return table.name
    return None


def match_headers(table: schema.Table, headers: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Map canonical columns to source headers; return (mapping, unmatched source headers)."""
    lookup = header_lookup(table)
    mapping: dict[str, str] = {}
    extra: list[str] = []
    for h in headers:
        target = lookup.get(_key(h))
        if target and target not in mapping:
            mapping[target] = h
        else:
            extra.append(h)
    return mapping, extra


# ---------------------------------------------------------------------------------- reading


def _decode(upload: Upload) -> str:
    data = upload.data
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _grid_from_csv(upload: Upload) -> list[list[object]]:
    text = _decode(upload)
    first = text[:4096].split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    frame = pd.read_csv(
        io.StringIO(text),
        sep=sep,
        header=None,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
        engine="python" if "\r" in text and "\r\n" not in text else "c",
    )
    return frame.to_numpy(dtype=object).tolist()


def _header_row(grid: list[list[object]], lookup: dict[str, str]) -> int:
    """Index of the row that matches most known headers (title rows above are skipped)."""
    best, best_hits = 0, 0
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        hits = len({lookup[_key(c)] for c in row if str(c).strip() and _key(c) in lookup})
        if hits > best_hits:
            best, best_hits = i, hits
    return best


def _sheet_from_grid(
    file: str, sheet: str | None, table: str, grid: list[list[object]]
) -> Sheet:
    lookup = header_lookup(schema.TABLES[table])
    h = _header_row(grid, lookup)
    headers = [str(c).strip() for c in grid[h]] if grid else []
    # Blank trailing header cells are not columns.
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    body = [list(r[:width]) + [""] * (width - len(r[:width])) for r in grid[h + 1 :]]
    seen: dict[str, int] = {}
    unique = []
    for i, name in enumerate(headers):
        name = name or f"column {i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        unique.append(name)
    raw = pd.DataFrame(body, columns=unique, dtype=object)
    rows = pd.Series(range(h + 2, h + 2 + len(raw)), index=raw.index)
    blank = pd.concat([values.blank_mask(raw[c]) for c in raw.columns], axis=1).all(axis=1)
    if width:
        first = raw.iloc[:, 0].astype("string").str.strip().str.lower()
        total = first.isin(TOTAL_WORDS).fillna(False)
    else:
        total = pd.Series(False, index=raw.index)
    keep = ~blank & ~total
    return Sheet(file, sheet, table, raw[keep].reset_index(drop=True), rows[keep].reset_index(drop=True))


def read_upload(upload: Upload, table: str | None = None) -> tuple[list[Sheet], list[Finding]]:
    """Read one file into Sheets: every mapped sheet of a workbook, or the table a CSV names."""
    findings: list[Finding] = []
    if len(upload.data) > MAX_FILE_BYTES:
        return [], [_too_big(upload.name, len(upload.data))]
    if not upload.data.strip():
        return [], [Finding("error", upload.name, None, None, None, None, "the file is empty")]
    suffix = Path(upload.name).suffix.lower()
    sheets: list[Sheet] = []
    if suffix in EXCEL_SUFFIXES:
        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(upload.data))
        except Exception:  # calamine raises several types for a non-workbook
            return [], [
                Finding(
                    "error",
                    upload.name,
                    None,
                    None,
                    None,
                    None,
                    f"the file is not a readable {suffix} workbook",
                )
            ]
        for name in wb.sheet_names:
            target = table or table_for_name(name)
            if target is None:
                findings.append(
                    Finding("warning", upload.name, name, None, None, None, "sheet skipped: not a template table")
                )
                continue
            grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if not any(str(c).strip() for r in grid for c in r):
                findings.append(Finding("warning", upload.name, name, None, None, None, "sheet is empty"))
                continue
            sheets.append(_sheet_from_grid(upload.name, name, target, grid))
    elif suffix in (".csv", ".txt", ".tsv"):
        target = table or table_for_name(Path(upload.name).stem)
        if target is None:
            return [], [
                Finding(
                    "error",
                    upload.name,
                    None,
                    None,
                    None,
                    None,
                    "the file name does not say which table it holds "
                    f"(name it after one of: {', '.join(schema.TABLES)}) or choose the table",
                )
            ]
        try:
            grid = _grid_from_csv(upload)
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
            return [], [
                Finding("error", upload.name, None, None, None, None, f"not a readable CSV file: {exc}")
            ]
        sheets.append(_sheet_from_grid(upload.name, None, target, grid))
    else:
        findings.append(
            Finding(
                "error",
                upload.name,
                None,
                None,
                None,
                None,
                "unsupported file type; upload .xlsx, .xlsm or .csv",
            )
        )
    return sheets, findings


# ---------------------------------------------------------------------------------- parsing


def parse_sheet(
    sheet: Sheet,
    *,
    mapping: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    lenient: bool = False,
) -> tuple[Parsed | None, list[Finding]]:
    """Turn a Sheet into canonical typed columns; ``mapping`` is {canonical: source header}."""
    table = schema.TABLES[sheet.table]
    found: list[Finding] = []
    auto, extra = match_headers(table, sheet.raw.columns)
    mapping = {**auto, **(mapping or {})}
    defaults = defaults or {}
    used = set(mapping.values())
    extra = [h for h in sheet.raw.columns if h not in used]

    def finding(level, row, column, value, message):
        found.append(Finding(level, sheet.file, sheet.sheet, row, column, value, message))

    for h in extra:
        finding("warning", None, h, None, f"unknown column ignored (not in the {table.name} template)")
    missing = [c.name for c in table.columns if c.required and c.name not in mapping and c.name not in defaults]
    for name in missing:
        finding(
            "error",
            None,
            name,
            None,
            f"required column {name} is missing; map a source column or give a constant",
        )
    if missing:
        return None, found

    n = len(sheet.raw)
    out = pd.DataFrame(index=sheet.raw.index)
    for col in table.columns:
        if col.name in mapping:
            source = mapping[col.name]
            raw = sheet.raw[source]
        elif col.name in defaults:
            source = f"{col.name} (constant)"
            raw = pd.Series([defaults[col.name]] * n, index=sheet.raw.index, dtype=object)
        else:
            out[col.name] = pd.Series([col.default] * n, index=sheet.raw.index, dtype=object)
            continue
        parsed, bad, note = values.parse(col.kind, raw)
        if note:
            finding("warning", None, source, None, note)
        blank = values.blank_mask(raw)
        if bad.any():
            level = "warning" if lenient and not col.value_required else "error"
            for i in bad[bad].index[:200]:
                finding(
                    level,
                    int(sheet.rows[i]),
                    source,
                    str(raw[i]),
                    f"cannot read as {col.kind}: expected {values.expected(col.kind)}"
                    + ("; loaded as blank" if level == "warning" else ""),
                )
            if bad.sum() > 200:
                finding(level, None, source, None, f"{int(bad.sum()) - 200} more unreadable values")
            parsed = parsed.where(~bad)
        if col.value_required:
            for i in blank[blank].index[:200]:
                finding("error", int(sheet.rows[i]), source, "", f"a value is required for {col.name}")
        elif col.name == "budget" and blank.any():
            for i in blank[blank].index[:200]:
                finding("warning", int(sheet.rows[i]), source, "", "blank budget loaded as null")
        if col.default is not None:
            parsed = parsed.where(parsed.notna(), col.default)
        out[col.name] = parsed
    if not any(f.level == "error" for f in found):
        found += _domain_checks(table, out, sheet)
    return Parsed(table.name, out, sheet.rows, sheet.file, sheet.sheet), found


def _domain_checks(table: schema.Table, frame: pd.DataFrame, sheet: Sheet) -> list[Finding]:
    found = []

    def bad_rows(mask, column, message):
        for i in mask[mask].index[:200]:
            found.append(
                Finding("error", sheet.file, sheet.sheet, int(sheet.rows[i]), column, str(frame.at[i, column]), message)
            )

    if table.name == "projects":
        bad_rows(frame["budget"].astype("float64") < 0, "budget", "budget must not be negative")
        risk = frame["risk_score"].astype("float64")
        bad_rows((risk < 1) | (risk > 5), "risk_score", "risk_score must be between 1 and 5")
    if table.name == "alignment":
        s = frame["score"].astype("float64")
        bad_rows((s < 0) | (s > 5), "score", "score must be a whole number from 0 to 5")
    if table.name == "objectives":
        bad_rows(frame["weight"].astype("float64") <= 0, "weight", "weight must be greater than 0")
    return found


# ------------------------------------------------------------------------------- validating


def _combine(parsed: list[Parsed]) -> dict[str, Parsed]:
    """One Parsed per table: sheets of the same table from several files are stacked."""
    out: dict[str, Parsed] = {}
    for p in parsed:
        if p.table in out:
            prev = out[p.table]
            out[p.table] = Parsed(
                p.table,
                pd.concat([prev.frame, p.frame], ignore_index=True),
                pd.concat([prev.rows, p.rows], ignore_index=True),
                prev.file,
                prev.sheet,
            )
        else:
            out[p.table] = p
    return out


def check_keys(p: Parsed) -> tuple[Parsed, list[Finding]]:
    """Repeated keys: summed for allocations/timesheets, an error elsewhere."""
    table = schema.TABLES[p.table]
    key = list(table.key)
    dup = p.frame.duplicated(subset=key, keep=False)
    if not dup.any():
        return p, []
    if table.sum_duplicates:
        agg = {c: "sum" for c in table.sum_duplicates}
        summed = p.frame.groupby(key, as_index=False, sort=False, dropna=False).agg(agg)
        first_rows = p.rows.groupby([p.frame[k] for k in key], sort=False, dropna=False).first()
        return Parsed(p.table, summed, pd.Series(first_rows.to_numpy()), p.file, p.sheet), []
    found = []
    firsts = p.frame[dup].groupby(key, sort=False, dropna=False)
    for _, idx in list(firsts.groups.items())[:200]:
        idx = list(idx)
        keyval = ", ".join(str(p.frame.at[idx[0], k]) for k in key)
        for i in idx[1:]:
            found.append(
                Finding(
                    "error",
                    p.file,
                    p.sheet,
                    int(p.rows[i]),
                    "/".join(key),
                    keyval,
                    f"duplicate key: already on row {int(p.rows[idx[0]])}",
                )
            )
    return p, found


def check_references(
    con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed]
) -> list[Finding]:
    """Every project, objective and resource an upload names exists in the upload or the database."""
    found = []
    for p in tables.values():
        for column, parent, parent_col in schema.TABLES[p.table].references:
            known = set(
                r[0]
                for r in con.execute(f"select {parent_col} from {parent}").fetchall()  # noqa: S608
            )
            if parent in tables:
                known |= set(tables[parent].frame[parent_col].dropna())
            missing = ~p.frame[column].isin(known) & p.frame[column].notna()
            for i in missing[missing].index[:200]:
                found.append(
                    Finding(
                        "error",
                        p.file,
                        p.sheet,
                        int(p.rows[i]),
                        column,
                        str(p.frame.at[i, column]),
                        f"unknown {parent_col.removesuffix('_id')}: not in {parent} (upload or stored)",
                    )
                )
    return found


# ---------------------------------------------------------------------------------- writing


def _write_table(con: duckdb.DuckDBPyConnection, import_id: int, p: Parsed, complete: bool) -> int:
    """Replace the stored rows the upload touches, keeping the old ones for undo."""
    table = schema.TABLES[p.table]
    cols = table.column_names
    keys = list(table.upsert_key)
    frame = p.frame[cols]
    con.register("incoming", frame)
    casts = ", ".join(f"cast({c} as {table.column(c).sql_type}) as {c}" for c in cols)
    con.execute(f"create or replace temp table staged as select {casts} from incoming")
    con.unregister("incoming")
    key_list = ", ".join(keys)
    join = " and ".join(f"t.{k} = s.{k}" for k in keys)
    con.execute(f"create or replace temp table touched as select distinct {key_list} from staged")
    if complete:
        con.execute(
            f"insert into touched select distinct {key_list} from {table.name} "
            f"except select {key_list} from touched"
        )
    con.execute(
        f"insert into pmo_touched_{table.name} select {import_id}, {key_list} from touched"
    )
    con.execute(
        f"insert into pmo_undo_{table.name} select {import_id}, t.* from {table.name} as t "
        f"semi join touched as s on {join}"
    )
    con.execute(f"delete from {table.name} as t using touched as s where {join}")
    con.execute(f"insert into {table.name} select * from staged")
    return len(frame)


def import_uploads(
    uploads: list[Upload],
    db: str | os.PathLike | None = None,
    *,
    dry_run: bool = False,
    lenient: bool = False,
    user: str | None = None,
    as_of: dt.date | None = None,
    table: str | None = None,
    mapping: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    complete: Iterable[str] = (),
) -> ImportResult:
    """Validate and import files as one transaction; raise ImportRejected with every error."""
    findings: list[Finding] = []
    parsed: list[Parsed] = []
    for upload in uploads:
        sheets, f = read_upload(upload, table)
        findings += f
        for sheet in sheets:
            p, f = parse_sheet(sheet, mapping=mapping, defaults=defaults, lenient=lenient)
            findings += f
            if p is not None:
                parsed.append(p)
    if not parsed and not any(f.level == "error" for f in findings):
        findings.append(
            Finding("error", ", ".join(u.name for u in uploads) or "upload", None, None, None, None,
                    "no template table found in the upload")
        )
    tables = _combine(parsed)
    for name in list(tables):
        tables[name], f = check_keys(tables[name])
        findings += f
    complete = set(complete)
    with store.connect(db, write=not dry_run) as con:
        if not any(f.level == "error" for f in findings):
            findings += check_references(con, tables)
        if any(f.level == "error" for f in findings):
            raise ImportRejected(findings)
        counts = {name: len(p.frame) for name, p in tables.items()}
        preview = {name: p.frame.head(50) for name, p in tables.items()}
        if dry_run:
            return ImportResult(None, True, findings, counts, preview)
        con.execute("begin transaction")
        try:
            import_id = store.scalar(con, "select coalesce(max(import_id), 0) + 1 from pmo_imports")
            for name in schema.TABLE_ORDER:
                if name in tables:
                    _write_table(con, import_id, tables[name], name in complete)
            review.snapshot(con, import_id)
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
    return ImportResult(import_id, False, findings, counts, preview)


def import_paths(paths: Iterable[str | os.PathLike], db=None, **options) -> ImportResult:
    """Import files from disk (see import_uploads for the options)."""
    return import_uploads([Upload.from_path(p) for p in paths], db, **options)


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
                join = " and ".join(f"t.{k} = s.{k}" for k in keys)
                cols = ", ".join(table.column_names)
                con.execute(
                    f"delete from {name} as t using pmo_touched_{name} as s "
                    f"where s.import_id = $id and {join}",
                    {"id": import_id},
                )
                con.execute(
                    f"insert into {name} select {cols} from pmo_undo_{name} where import_id = $id",
                    {"id": import_id},
                )
                con.execute(f"delete from pmo_undo_{name} where import_id = $id", {"id": import_id})
                con.execute(f"delete from pmo_touched_{name} where import_id = $id", {"id": import_id})
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


def as_dicts(findings: list[Finding]) -> list[dict]:
    """Findings as plain rows for a table or JSON."""
    return [dataclasses.asdict(f) for f in findings]
