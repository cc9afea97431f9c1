"""An import from end to end: read, parse, validate, write, as one transaction; undo; history.

An import is one transaction: every table of the upload lands, or none does. Each import is
recorded in pmo_imports and keeps the rows it replaced, so the last one can be undone exactly.
The steps are the modules read, parse, validate and write of this package.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pmo import review, schema, store
from pmo.ingest import headers, model, parse, read, validate, write
from pmo.ingest import mapping as mappings
from pmo.ingest.mapping import ColumnMapping, MappingError
from pmo.ingest.model import (
    Finding,
    ImportRejected,
    ImportResult,
    Parsed,
    Progress,
    Sheet,
    Upload,
    file_error,
    has_errors,
    scaled,
)


@dataclass
class Options:
    """How the sheets of one import are mapped and read (the import's options, gathered)."""

    lenient: bool = False
    mapping: dict[str, str] | None = None  # --map: {column or 'table.column': source header}
    defaults: dict[str, str] | None = None  # --default: {column or 'table.column': constant}
    column_mappings: dict[str, ColumnMapping] = field(default_factory=dict)  # per Sheet.key
    named: dict[str, ColumnMapping] = field(default_factory=dict)  # --mapping NAME, per table

    def known(self) -> set[str]:
        """Header keys the options name: they help find the header row."""
        sources = list((self.mapping or {}).values())
        sources += [h for cm in self.column_mappings.values() for h in cm.columns.values()]
        return {headers.header_key(s) for s in sources if s}

    def explicit(self, s: Sheet) -> ColumnMapping:
        """The explicit mapping for a sheet: the Data page's choice for it, else the
        command line's entries that apply to its table and headers."""
        chosen = self.column_mappings.get(s.key)
        if chosen is not None and chosen.table == s.table:
            return chosen.whole()
        explicit = mappings.for_table(s.table, self.mapping, self.defaults)
        explicit.columns = {c: h for c, h in explicit.columns.items() if not h or h in s.raw.headers}
        return explicit


@dataclass
class _SheetParsed:
    """What parsing one read sheet gave: notes on its saved mapping, the result, its findings."""

    notes: list[Finding]
    parsed: Parsed | None
    findings: list[Finding]
    used: ColumnMapping


def _parse_read_sheet(
    s: Sheet, con: duckdb.DuckDBPyConnection | None, options: Options
) -> _SheetParsed:
    notes: list[Finding] = []
    saved = None
    if s.table in options.named:
        saved = options.named[s.table]
    elif s.mapping_name and s.table and con is not None:
        match = mappings.by_signature(con, s.raw.headers, s.table)
        if match:
            saved = match[1]
            notes.append(Finding("info", s.file, s.sheet, None, None, None,
                                 f"applied the saved mapping {match[0]!r} (same headers)"))
    explicit = options.explicit(s)
    p, found = parse.parse_sheet(s, mapping=explicit, lenient=options.lenient, saved=saved)
    return _SheetParsed(notes, p, found, parse.resolve(s, explicit, saved))


def _check_options(complete: set[str], options: Options, table: read.TableChoice) -> None:
    unknown = complete - set(schema.TABLES)
    if unknown:
        raise MappingError(f"--complete: no table {', '.join(sorted(unknown))}; tables: {', '.join(schema.TABLES)}")
    mappings.check_targets(options.mapping, options.defaults)
    for cm in options.column_mappings.values():
        cm.check()
    if isinstance(table, str) and table not in schema.TABLES:
        raise MappingError(f"no table {table!r}; tables: {', '.join(schema.TABLES)}")


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


def _read_and_parse(
    uploads: list[Upload],
    db: str | os.PathLike | None,
    table: read.TableChoice,
    options: Options,
    mapping_name: str | None,
    progress: Progress | None,
) -> tuple[list[Sheet], dict[int, _SheetParsed], list[Finding]]:
    """Every file read and each sheet parsed as soon as it is read."""
    findings: list[Finding] = []
    sheets: list[Sheet] = []
    done: dict[int, _SheetParsed] = {}

    def parse_now(s: Sheet, cur: duckdb.DuckDBPyConnection | None) -> None:
        # Each sheet is parsed as soon as it is read: in the reading thread, while calamine
        # parses the next sheet's XML and the other file is read (issue 9).
        done[id(s)] = _parse_read_sheet(s, cur, options)
        # Parsed: the raw cells are not needed again (only the headers are), and at ten
        # million timesheet lines they are the largest thing the import holds (issue 20).
        s.raw.frame = s.raw.frame.iloc[:0]
        s.raw.rows = s.raw.rows[:0]

    # A database that does not exist yet holds no saved mappings: it is created only when
    # the import writes (saves opening a new file twice, issue 9).
    fresh = not store.db_path(db).exists() and not mapping_name
    with contextlib.nullcontext() if fresh else store.connect(db) as con:
        options.named = mappings.by_name(con, mapping_name) if mapping_name else {}
        reading = scaled(progress, 0.0, 0.75)
        for got, f in read.read_all(uploads, table, options.known(), con, reading, parse_now):
            sheets += got
            findings += f
        for s in sheets:
            if s.table is not None and id(s) not in done:
                parse_now(s, con)
    for u in uploads:
        if u.release_after_read:  # read from disk by import_paths: the bytes are not needed
            u.release()
    for s in sheets:
        if s.table is not None:
            findings += done[id(s)].notes
    return sheets, done, findings


def _unmatched_sources(uploads: list[Upload], sheets: list[Sheet],
                       mapping: dict[str, str] | None) -> list[Finding]:
    """--map naming a header that no uploaded sheet has."""
    files = ", ".join(u.name for u in uploads)
    return [
        Finding("error", files, None, None, src, None,
                f"--map {src}={target}: no uploaded sheet has a column {src!r}")
        for target, src in (mapping or {}).items()
        if src and not any(src in s.raw.headers for s in sheets)
    ]


def _keyed_tables(parsed: list[Parsed], done: dict[int, _SheetParsed],
                  findings: list[Finding]) -> dict[str, Parsed]:
    """One table per name, its keys checked once, on the stacked rows of all its sheets (on
    integer codes: issue 20; a check per file in the reading threads was thrown away)."""
    tables = parse.combine(parsed)
    parsed.clear()  # the stacked tables are the only holders of the rows now
    for name in list(tables):
        tables[name], f = validate.check_keys(tables.pop(name))
        findings += f
    return tables


def _check_stored(con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed], complete: set[str],
                  findings: list[Finding]) -> tuple[dict, dict]:
    """The checks against the stored rows; raise ImportRejected when any finding is an error."""
    if not has_errors(findings):
        findings.extend(validate.check_references(con, tables, complete))
    if not has_errors(findings):
        findings.extend(validate.check_dependencies(con, tables, complete))  # issue 17
    validate.register_keys(con, tables)
    if not has_errors(findings):
        findings.extend(validate.check_complete(con, tables, complete))
    lacking, examples = validate.stored_not_in_upload(con, tables)
    for name, n in lacking.items():
        if n:
            what = "will be removed (complete list)" if name in complete else "are kept"
            findings.append(
                Finding("info", tables[name].file, tables[name].sheet, None, None, None,
                        f"{n} stored {name} row(s) are not in the upload and {what}: "
                        + ", ".join(examples[name]) + (" …" if n > len(examples[name]) else ""))
            )
    if has_errors(findings):
        raise ImportRejected(findings)
    return lacking, examples


@dataclass
class _Write:
    """What the writing step needs besides the tables."""

    uploads: list[Upload]
    complete: set[str]
    used: list[tuple[Sheet, ColumnMapping]]
    save_mapping: str | None
    user: str | None
    as_of: dt.date | None
    counts: dict[str, int]


def _write_all(con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed], w: _Write,
               progress: Progress | None) -> tuple[int, dict[str, int]]:
    """Write every table, the review snapshot, the saved mapping and the import's record as
    one transaction; return the import's id and the rows removed per complete table."""
    con.execute("begin transaction")
    try:
        import_id = store.scalar(con, "select coalesce(max(import_id), 0) + 1 from pmo_imports")
        removed: dict[str, int] = {}
        order = [n for n in schema.TABLE_ORDER if n in tables]
        for k, name in enumerate(order):
            if progress:
                progress(0.85 + 0.13 * k / len(order), f"writing {name}")
            _, removed[name] = write.write_table(con, import_id, tables[name], name in w.complete)
        review.snapshot(con, import_id)
        if w.save_mapping:
            for s, cm in w.used:
                mappings.save(con, w.save_mapping, s.raw.headers, cm.savable(), w.user)
        _record(con, import_id, w)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return import_id, {n: v for n, v in removed.items() if n in w.complete}


def _record(con: duckdb.DuckDBPyConnection, import_id: int, w: _Write) -> None:
    files = [{"name": u.name, "sha256": u.sha256, "bytes": u.size} for u in w.uploads]
    con.execute(
        "insert into pmo_imports (import_id, imported_at, imported_by, files, as_of, row_counts) "
        "values ($id, now()::timestamp, $user, $files, $as_of, $counts)",
        {
            "id": import_id,
            "user": w.user or os.environ.get("USER") or "local",
            "files": json.dumps(files),
            "as_of": w.as_of,
            "counts": json.dumps(w.counts),
        },
    )


def _latest_report(tables: dict[str, Parsed]) -> dt.date | None:
    if "status_reports" not in tables:
        return None
    latest = pd.to_datetime(tables["status_reports"].frame["report_date"]).max()
    return None if pd.isna(latest) else latest.date()


def _prepare(uploads: list[Upload], db, table: read.TableChoice, options: Options,
             complete: set[str], mapping_name: str | None, progress: Progress | None
             ) -> tuple[dict[str, Parsed], list[tuple[Sheet, ColumnMapping]], list[Finding]]:
    """Read, parse and check keys: the tables to import, the mappings used, the findings."""
    sheets, done, findings = _read_and_parse(uploads, db, table, options, mapping_name, progress)
    findings += _unmatched_sources(uploads, sheets, options.mapping)
    parsed: list[Parsed] = []
    used: list[tuple[Sheet, ColumnMapping]] = []
    for s in sheets:
        if s.table is None:
            continue
        result = done[id(s)]
        findings += result.findings
        used.append((s, result.used))
        if result.parsed is not None:
            parsed.append(result.parsed)
    files = ", ".join(u.name for u in uploads)
    if not sheets and not has_errors(findings):
        findings.append(file_error(files or "upload", "no template table found in the upload"))
    if progress:
        progress(0.75, "validating")
    done.clear()
    tables = _keyed_tables(parsed, done, findings)
    for name in complete - set(tables):
        findings.append(file_error(
            files, f"{name} is marked as the complete list but the upload has no {name} rows"))
    return tables, used, findings


@_collector_paused
def import_uploads(
    uploads: list[Upload],
    db: str | os.PathLike | None = None,
    *,
    dry_run: bool = False,
    lenient: bool = False,
    user: str | None = None,
    as_of: dt.date | None = None,
    table: read.TableChoice = None,
    mapping: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    column_mappings: dict[str, ColumnMapping] | None = None,
    complete: Iterable[str] = (),
    mapping_name: str | None = None,
    save_mapping: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate and import files as one transaction; raise ImportRejected with every error.

    ``table``: the table for files whose names do not say (str, or {file or 'file::sheet':
    table}). ``mapping``: {column or 'table.column': source header}; ``defaults``: {column:
    constant}, filling blanks of a mapped column or the whole of an unmapped one (the command
    line's --map and --default). ``column_mappings``: {Sheet.key: ColumnMapping}, the whole
    mapping chosen for a sheet (the Data page's grid). ``mapping_name``: apply a saved mapping;
    ``save_mapping``: save the mapping used under this name (with the import). ``complete``:
    tables whose stored rows missing from the upload are removed. ``progress(fraction,
    message)`` is called as the work advances.
    """
    complete = set(complete)
    options = Options(lenient, mapping, defaults, dict(column_mappings or {}))
    _check_options(complete, options, table)
    if progress:
        progress(0.0, "reading")
    tables, used, findings = _prepare(uploads, db, table, options, complete, mapping_name, progress)
    as_of = as_of or _latest_report(tables)
    counts = {name: len(p.frame) for name, p in tables.items()}
    preview = {name: p.head() for name, p in tables.items()}
    if dry_run:
        with store.connect(db) as con:
            lacking, examples = _check_stored(con, tables, complete, findings)
        if progress:
            progress(1.0, "dry run done")
        removed = {n: lacking[n] for n in complete if n in lacking}
        return ImportResult(None, True, findings, counts, preview, lacking, examples, removed)
    with store.connect(db, write=True) as con:
        lacking, examples = _check_stored(con, tables, complete, findings)
        if progress:
            progress(0.85, "writing")
        w = _Write(uploads, complete, used, save_mapping, user, as_of, counts)
        import_id, removed = _write_all(con, tables, w, progress)
    if progress:
        progress(1.0, "done")
    return ImportResult(import_id, False, findings, counts, preview, lacking, examples, removed)


def import_paths(paths: Iterable[str | os.PathLike], db=None, **options) -> ImportResult:
    """Import files from disk (see import_uploads for the options).

    Every file's size is checked first, against its table's limit: an upload with a file too
    big is refused before any file is read (issue 20).
    """
    paths = list(paths)
    table = options.get("table")
    refusals = [f for f in (model.size_refusal(p, table) for p in paths) if f is not None]
    if refusals:
        raise ImportRejected(refusals)
    uploads = [Upload.from_path(p, table) for p in paths]
    for u in uploads:
        u.release_after_read = True  # nobody else holds these: free each file once read
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
                write.undo_table(con, import_id, name)
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
