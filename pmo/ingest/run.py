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
from pathlib import Path

import duckdb
import pandas as pd

from pmo import review, schema, settings as settings_, store
from pmo.ingest import (
    headers,
    mapping as mappings,
    model,
    parse,
    read,
    stream,
    validate,
    values,
    write,
)
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
    value_maps: dict[str, dict[str, str]] | None = None  # --value: {column: {source: target}}
    ignore: frozenset[str] = frozenset()  # --ignore: source headers left out
    money_unit: float = 1.0  # --money-unit
    currency: str | None = None  # --currency: the files' currency
    has_money: bool = False  # the database holds money (its currency is fixed)
    as_of: dt.date | None = None  # --as-of
    settings: settings_.Settings = field(default_factory=settings_.Settings)  # the database's
    _rules: parse.Rules | None = None

    def known(self) -> set[str]:
        """Header keys the options name: they help find the header row."""
        sources = list((self.mapping or {}).values())
        sources += [h for cm in self.column_mappings.values() for h in cm.columns.values()]
        parts = [p for src in sources if src for p in src.split("|")]
        return {headers.header_key(p) for p in parts if p.strip()}

    def rules(self) -> parse.Rules:
        """The options that change how cells are read (one Rules per import: it collects the
        currency symbols met when the database has no currency to check yet)."""
        if self._rules is not None:
            return self._rules
        self._rules = parse.Rules(
            lenient=self.lenient,
            # Nothing to check against on a database without money, unless --currency says.
            currency=self.currency or (self.settings.currency if self.has_money else None),
            money_unit=self.money_unit,
            rating_scale=dict(self.settings.rating_scale),
            ignore=self.ignore,
            as_of=self.as_of,
        )
        return self._rules

    def explicit(self, s: Sheet, table: str | None = None) -> ColumnMapping:
        """The explicit mapping for a sheet (for ``table``, default its own): the Data page's
        choice for it, else the command line's entries that apply to its table and headers."""
        table = table or s.table
        chosen = self.column_mappings.get(s.key)
        if chosen is not None and chosen.table == table:
            return chosen.whole()
        explicit = mappings.for_table(table, self.mapping, self.defaults, self.value_maps)
        have = set(s.raw.headers)
        explicit.columns = {
            c: h
            for c, h in explicit.columns.items()
            if not h or h in have or all(p.strip() in have for p in h.split("|"))
        }
        return explicit


@dataclass
class _SheetParsed:
    """What parsing one read sheet gave: notes on its saved mapping, the result, its findings."""

    notes: list[Finding]
    parsed: Parsed | None
    findings: list[Finding]
    used: ColumnMapping
    flat: Parsed | None = None  # the status reports of a flat export (a projects sheet)
    flat_used: ColumnMapping | None = None  # their mapping, saved with the projects'


def _saved_for(
    s: Sheet, con: duckdb.DuckDBPyConnection | None, options: Options
) -> tuple[ColumnMapping | None, list[Finding]]:
    """The saved mapping that applies to a sheet (--mapping NAME, or one for its headers)."""
    if s.table in options.named:
        return options.named[s.table], []
    if s.mapping_name and s.table and con is not None:
        match = mappings.by_signature(con, s.raw.headers, s.table)
        if match:
            return match[1], [
                Finding(
                    "info",
                    s.file,
                    s.sheet,
                    None,
                    None,
                    None,
                    f"applied the saved mapping {match[0]!r} (same headers)",
                )
            ]
    return None, []


def _constant_dates(
    s: Sheet, saved: ColumnMapping | None, explicit: ColumnMapping, as_of: dt.date | None
) -> list[Finding]:
    """A saved mapping's constant report date that is not the import's as-of date would date
    every report of this import by an older month: a warning (docs/data-model.md)."""
    if saved is None or as_of is None:
        return []
    const = saved.constants.get("report_date")
    if not const or "report_date" in explicit.constants or "report_date" in explicit.columns:
        return []
    try:
        day = pd.Timestamp(const).date()
    except (ValueError, TypeError):
        return []
    if day == as_of:
        return []
    return [
        Finding(
            "warning",
            s.file,
            s.sheet,
            None,
            "report_date",
            str(const),
            f"the saved mapping dates every report {day:%Y-%m-%d}, but this import is "
            f"as of {as_of:%Y-%m-%d}: give --default report_date={as_of:%Y-%m-%d} "
            "(or map a report date column) if these are this period's reports",
        )
    ]


def _parse_read_sheet(
    s: Sheet, con: duckdb.DuckDBPyConnection | None, options: Options
) -> _SheetParsed:
    saved, notes = _saved_for(s, con, options)
    explicit = options.explicit(s)
    notes += _constant_dates(s, saved, explicit, options.as_of)
    rules = options.rules()
    if s.stream is not None:
        try:
            p, found, used = stream.stage(con, s, explicit, saved, rules)
            return _SheetParsed(notes, p, found, used)
        except stream.Fallback:  # the pandas path: read the file's cells after all
            stream.drop_staged(con)
            notes += stream.load(s, headers.known_keys(s.table) | options.known())
    p, found = parse.parse_sheet(s, mapping=explicit, saved=saved, rules=rules)
    used = parse.used_mapping(s, explicit, saved, rules)
    flat = flat_cm = None
    if s.table == "projects":
        sr = options.explicit(s, "status_reports")
        # Word maps chosen for the status reports' columns (the Data page keeps them with the
        # projects, as status_reports.COLUMN) go to the reports' part, which is saved (its own
        # row of the mapping, with its columns) and reused next month.
        for target in [t for t in used.values if mappings.split_target(t)[0] == "status_reports"]:
            c = mappings.split_target(target)[1]
            sr.values[c] = {**used.values.pop(target), **sr.values.get(c, {})}
        saved_sr = _saved_reports_for(s, con, options, saved)
        flat, flat_found, flat_used, flat_cm = parse.flat_reports(s, sr, used, rules, saved_sr)
        # The report's project is the row's: its findings are the projects' already.
        pid = used.columns.get("project_id")
        found = [f for f in found if not (f.level == "warning" and f.column in flat_used)]
        found += [f for f in flat_found if f.column != pid]
    return _SheetParsed(notes, p, found, used, flat, flat_cm)


def _saved_reports_for(
    s: Sheet,
    con: duckdb.DuckDBPyConnection | None,
    options: Options,
    saved: ColumnMapping | None,
) -> ColumnMapping | None:
    """The status_reports part of the saved mapping a flat export's projects sheet is read
    with (--mapping NAME, or the one saved for its headers): its status columns."""
    if "projects" in options.named:
        return options.named.get("status_reports")
    if saved is None or con is None:
        return None
    match = mappings.by_signature(con, s.raw.headers, "status_reports")
    return match[1] if match else None


def _check_options(complete: set[str], options: Options, table: read.TableChoice) -> None:
    unknown = complete - set(schema.TABLES)
    if unknown:
        raise MappingError(
            f"--complete: no table {', '.join(sorted(unknown))}; tables: {', '.join(schema.TABLES)}"
        )
    mappings.check_targets(options.mapping, options.defaults, options.value_maps)
    for cm in options.column_mappings.values():
        cm.check()
    if options.currency:
        try:
            options.currency = settings_.check_currency(options.currency)
        except ValueError as exc:
            raise MappingError(f"--currency: {exc}") from None
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


def _using(
    held: duckdb.DuckDBPyConnection | None, db: str | os.PathLike | None, *, write: bool = False
):
    """The import's held connection (a streamed file's rows live in it), else a new one."""
    return contextlib.nullcontext(held) if held is not None else store.connect(db, write=write)


def _read_and_parse(
    uploads: list[Upload],
    db: str | os.PathLike | None,
    table: read.TableChoice,
    options: Options,
    mapping_name: str | None,
    progress: Progress | None,
    held: duckdb.DuckDBPyConnection | None = None,
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
    fresh = not store.db_path(db).exists() and not mapping_name and held is None
    with contextlib.nullcontext() if fresh else _using(held, db) as con:
        options.named = mappings.by_name(con, mapping_name) if mapping_name else {}
        if con is not None:
            _database_settings(con, options)
        options.rules()  # made once, before the reading threads share it
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


def _database_settings(con: duckdb.DuckDBPyConnection, options: Options) -> None:
    """The database's settings; --currency must be its currency once it holds money."""
    options.settings = settings_.read(con)
    stored = options.settings.currency
    options.has_money = settings_.has_money(con)
    if options.currency and options.currency != stored and options.has_money:
        raise MappingError(
            f"--currency {options.currency}: this database's money is in {stored}; one database "
            f"holds one currency (convert the files to {stored}, or import into another database)"
        )


def currency_met(options: Options, files: str) -> tuple[str | None, list[Finding]]:
    """The currency of a first import's money from the symbols it is written with (no
    --currency, a database without money): one currency sets the database's; several are an
    error. (None, []) when the money carries no symbol."""
    seen = options.rules().seen
    if options.currency or options.has_money or not seen:
        return None, []
    codes = set()
    for mark in seen:
        exact = [c for c, symbols in values.currency_symbols().items() if mark.upper() == c]
        en = [c for c in values.currency_symbols() if settings_.symbol(c) == mark]
        fits = exact or en or [c for c in values.currency_symbols() if values.symbol_fits(mark, c)]
        codes.add(fits[0] if len(fits) == 1 or exact or en else mark)
    if len(codes) > 1:
        return None, [
            file_error(
                files,
                "money in several currencies ("
                + ", ".join(sorted(seen))
                + "): a database holds one; convert the files to one currency",
            )
        ]
    code = codes.pop()
    if code not in values.currency_symbols():
        return None, [
            file_error(
                files,
                f"money written with {code!r}: say which currency it is "
                "with --currency CODE (e.g. --currency CAD)",
            )
        ]
    if code == options.settings.currency:
        return None, []
    return code, [
        Finding(
            "info",
            files,
            None,
            None,
            None,
            None,
            f"money in {code} ({', '.join(sorted(seen))}): the database's currency "
            f"is now {code} (--currency to say otherwise)",
        )
    ]


def _unmatched_sources(
    uploads: list[Upload], sheets: list[Sheet], options: Options
) -> list[Finding]:
    """--map or --ignore naming a header that no uploaded sheet has."""
    files = ", ".join(u.name for u in uploads)
    have = {h for s in sheets for h in s.raw.headers}
    found = [
        Finding(
            "error",
            files,
            None,
            None,
            src,
            None,
            f"--map {src}={target}: no uploaded sheet has a column {part!r}",
        )
        for target, src in (options.mapping or {}).items()
        if src
        for part in [next((p for p in src.split("|") if p.strip() not in have), None)]
        if part is not None
    ]
    found += [
        Finding(
            "error",
            files,
            None,
            None,
            src,
            None,
            f"--ignore {src}: no uploaded sheet has a column {src!r}",
        )
        for src in sorted(options.ignore)
        if src not in have
    ]
    return found


def _keyed_tables(
    parsed: list[Parsed],
    done: dict[int, _SheetParsed],
    findings: list[Finding],
    con: duckdb.DuckDBPyConnection | None = None,
) -> dict[str, Parsed]:
    """One table per name, its keys checked once, on the stacked rows of all its sheets (on
    integer codes: issue 20; a check per file in the reading threads was thrown away). A
    table staged in DuckDB has its keys checked there (pmo.ingest.stream)."""
    names = [p.table for p in parsed]
    parsed[:] = [
        stream.frame(con, p) if p.staged and names.count(p.table) > 1 else p for p in parsed
    ]
    tables = parse.combine(parsed)
    parsed.clear()  # the stacked tables are the only holders of the rows now
    for name in list(tables):
        p = tables.pop(name)
        tables[name], f = stream.check_keys(con, p) if p.staged else validate.check_keys(p)
        findings += f
    return tables


def _check_stored(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, Parsed],
    complete: set[str],
    findings: list[Finding],
    as_of: dt.date | None,
) -> tuple[dict, dict]:
    """The checks against the stored rows, all of them even when the upload has errors (one
    pass reports every problem); raise ImportRejected when any finding is an error."""
    findings.extend(validate.check_references(con, tables, complete))
    findings.extend(validate.check_dependencies(con, tables, complete))  # issue 17
    validate.register_keys(con, tables)
    findings.extend(validate.check_complete(con, tables, complete))
    lacking, examples = validate.stored_not_in_upload(con, tables, complete)
    for name, n in lacking.items():
        if n:
            if name in complete and schema.TABLES[name].snapshot:
                when = f"{as_of:%Y-%m-%d}" if as_of else "today"
                what = f"will be marked as left on {when} (complete list; their history is kept)"
            else:
                what = "will be removed (complete list)" if name in complete else "are kept"
            findings.append(
                Finding(
                    "info",
                    tables[name].file,
                    tables[name].sheet,
                    None,
                    None,
                    None,
                    f"{n} stored {name} row(s) are not in the upload and {what}: "
                    + ", ".join(examples[name])
                    # The exact rest (issue 14: never a silent cap).
                    + (f" and {n - len(examples[name])} more" if n > len(examples[name]) else ""),
                    n,
                )
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
    settings: settings_.Settings | None = None  # to store (the first import's --currency)


def _write_all(
    con: duckdb.DuckDBPyConnection, tables: dict[str, Parsed], w: _Write, progress: Progress | None
) -> tuple[int, dict[str, write.Written]]:
    """Write every table, the review snapshot, the saved mapping and the import's record as
    one transaction; return the import's id and what was written per table."""
    con.execute("begin transaction")
    try:
        import_id = store.scalar(con, "select coalesce(max(import_id), 0) + 1 from pmo_imports")
        written: dict[str, write.Written] = {}
        order = [n for n in schema.TABLE_ORDER if n in tables]
        for k, name in enumerate(order):
            if progress:
                progress(0.85 + 0.13 * k / len(order), f"writing {name}")
            written[name] = write.write_table(con, import_id, tables[name], name in w.complete)
            if name in w.complete and schema.TABLES[name].snapshot:
                written[name].left = write.mark_left(
                    con, import_id, name, w.as_of or dt.date.today()
                )
        review.snapshot(con, import_id)
        if w.save_mapping:
            for s, cm in w.used:
                mappings.save(con, w.save_mapping, s.raw.headers, cm.savable(), w.user)
        if w.settings is not None:
            settings_.write(con, w.settings)
        _record(con, import_id, w)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return import_id, written


def _dry_written(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, Parsed],
    complete: set[str],
    lacking: dict[str, int],
) -> dict[str, write.Written]:
    """What _write_all would report per table, counted without writing (a dry run): the
    same comparison of the upload with the stored rows, and the stored rows a complete list
    would mark as left (projects, resources) or remove (other tables)."""
    written: dict[str, write.Written] = {}
    for name in [n for n in schema.TABLE_ORDER if n in tables]:
        w = write.compare_table(con, tables[name])
        if name in complete:
            if schema.TABLES[name].snapshot:
                w.left = lacking.get(name, 0)
            else:
                w.removed = lacking.get(name, 0)
        written[name] = w
    return written


def summary(
    written: dict[str, write.Written], as_of: dt.date | None, *, dry_run: bool = False
) -> list[Finding]:
    """The import summary (docs/data-model.md): per table, rows added, changed (with the
    columns that changed) and unchanged, rows marked as left; replaced status reports listed.
    A dry run says the same counts ("would be" where rows are marked, removed or replaced)."""
    out = []
    would = "would be " if dry_run else ""
    for name, w in written.items():
        parts = [f"{w.added} added", f"{w.changed} changed", f"{w.unchanged} unchanged"]
        if w.columns:
            parts[1] += " (" + ", ".join(f"{c} {n}" for c, n in w.columns.items()) + ")"
        if w.left:
            when = f"{as_of:%Y-%m-%d}" if as_of else "today"
            parts.append(f"{w.left} {would}marked as left on {when}")
        if w.removed:
            parts.append(f"{w.removed} {would}removed")
        out.append(
            Finding("info", "import", None, None, None, None, f"{name}: " + ", ".join(parts))
        )
        if name == "status_reports" and w.changed:
            out.append(
                Finding(
                    "warning",
                    "import",
                    None,
                    None,
                    None,
                    None,
                    f"{w.changed} stored status report(s) {would}replaced with different values: "
                    + ", ".join(w.examples)
                    + (
                        f" and {w.changed - len(w.examples)} more"
                        if w.changed > len(w.examples)
                        else ""
                    ),
                    w.changed,
                )
            )
    return out


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


def _prepare(
    uploads: list[Upload],
    db,
    table: read.TableChoice,
    options: Options,
    complete: set[str],
    mapping_name: str | None,
    progress: Progress | None,
    held: duckdb.DuckDBPyConnection | None = None,
) -> tuple[dict[str, Parsed], list[tuple[Sheet, ColumnMapping]], list[Finding]]:
    """Read, parse and check keys: the tables to import, the mappings used, the findings."""
    sheets, done, findings = _read_and_parse(
        uploads, db, table, options, mapping_name, progress, held
    )
    findings += _unmatched_sources(uploads, sheets, options)
    parsed: list[Parsed] = []
    used: list[tuple[Sheet, ColumnMapping]] = []
    flat_used: list[tuple[Sheet, ColumnMapping]] = []
    for s in sheets:
        if s.table is None:
            continue
        result = done[id(s)]
        findings += result.findings
        used.append((s, result.used))
        if result.parsed is not None:
            parsed.append(result.parsed)
        if result.flat is not None:
            parsed.append(result.flat)
        if result.flat_used is not None:
            flat_used.append((s, result.flat_used))
    # A flat export's status-report part is saved with the mapping, unless the upload has a
    # status_reports sheet of its own (its mapping is that table's).
    have = {cm.table for _, cm in used}
    used += [(s, cm) for s, cm in flat_used if cm.table not in have]
    files = ", ".join(u.name for u in uploads)
    if not sheets and not has_errors(findings):
        findings.append(file_error(files or "upload", "no template table found in the upload"))
    if progress:
        progress(0.75, "validating")
    done.clear()
    tables = _keyed_tables(parsed, done, findings, held)
    for name in complete - set(tables):
        findings.append(
            file_error(
                files, f"{name} is marked as the complete list but the upload has no {name} rows"
            )
        )
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
    values: dict[str, dict[str, str]] | None = None,
    ignore: Iterable[str] = (),
    money_unit: str | float | None = None,
    currency: str | None = None,
    complete: Iterable[str] = (),
    mapping_name: str | None = None,
    save_mapping: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate and import files as one transaction; raise ImportRejected with every error.

    ``table``: the table for files whose names do not say (str, or {file or 'file::sheet':
    table}). ``mapping``: {column or 'table.column': source header, or "A|B" for the first
    non-blank of A and B}; ``defaults``: {column: constant}, filling blanks of a mapped column
    or the whole of an unmapped one (the command line's --map and --default).
    ``column_mappings``: {Sheet.key: ColumnMapping}, the whole mapping chosen for a sheet (the
    Data page's grid). ``values``: {column: {word as exported: template word}} (--value).
    ``ignore``: source headers left out (--ignore). ``money_unit``: 'k', 'm', 'bn' (or a
    factor): money cells are in thousands, millions, billions. ``currency``: the files'
    currency (ISO code); on a database without money yet it becomes the database's.
    ``mapping_name``: apply a saved mapping; ``save_mapping``: save the mapping used under this
    name (with the import). ``complete``: tables the upload is the complete list of (stored
    projects and resources it lacks are marked left on ``as_of``; other tables' are removed).
    ``progress(fraction, message)`` is called as the work advances.
    """
    complete = set(complete)
    options = Options(
        lenient,
        mapping,
        defaults,
        dict(column_mappings or {}),
        value_maps=values,
        ignore=frozenset(ignore),
        money_unit=money_factor(money_unit),
        currency=currency,
        as_of=as_of,
    )
    _check_options(complete, options, table)
    if progress:
        progress(0.0, "reading")
    with contextlib.ExitStack() as stack:
        # A file DuckDB stages (pmo.ingest.stream) lives in the import's connection: it is
        # opened first and held to the end (to write, unless a dry run).
        held = None
        if any(u.deferred for u in uploads):
            held = stack.enter_context(store.connect(db, write=not dry_run))
        return _import(
            uploads,
            db,
            held,
            table,
            options,
            complete,
            mapping_name,
            progress,
            dry_run,
            save_mapping,
            user,
            as_of,
        )


def _import(
    uploads: list[Upload],
    db,
    held: duckdb.DuckDBPyConnection | None,
    table: read.TableChoice,
    options: Options,
    complete: set[str],
    mapping_name: str | None,
    progress: Progress | None,
    dry_run: bool,
    save_mapping: str | None,
    user: str | None,
    as_of: dt.date | None,
) -> ImportResult:
    """import_uploads once its options are checked."""
    tables, used, findings = _prepare(
        uploads, db, table, options, complete, mapping_name, progress, held
    )
    detected, said = currency_met(options, ", ".join(u.name for u in uploads))
    findings += said
    as_of = as_of or _latest_report(tables)
    counts = {name: p.n_rows for name, p in tables.items()}
    preview = {name: p.head() for name, p in tables.items()}
    if dry_run:
        with _using(held, db) as con:
            lacking, examples = _check_stored(con, tables, complete, findings, as_of)
            written = _dry_written(con, tables, complete, lacking)
        if progress:
            progress(1.0, "dry run done")
        findings += summary(written, as_of, dry_run=True)
        removed = {n: x.removed for n, x in written.items() if n in complete and not x.left}
        result = ImportResult(None, True, findings, counts, preview, lacking, examples, removed)
        result.left = {n: x.left for n, x in written.items() if x.left}
        result.written = written
        return result
    with _using(held, db, write=True) as con:
        lacking, examples = _check_stored(con, tables, complete, findings, as_of)
        if progress:
            progress(0.85, "writing")
        new_settings = None
        currency = options.currency or detected
        if currency and currency != options.settings.currency:
            new_settings = settings_.validated(options.settings, currency=currency)
        w = _Write(uploads, complete, used, save_mapping, user, as_of, counts, new_settings)
        import_id, written = _write_all(con, tables, w, progress)
    if progress:
        progress(1.0, "done")
    findings += summary(written, as_of)
    removed = {n: x.removed for n, x in written.items() if n in complete and not x.left}
    result = ImportResult(import_id, False, findings, counts, preview, lacking, examples, removed)
    result.left = {n: x.left for n, x in written.items() if x.left}
    result.written = written
    return result


MONEY_UNITS = {
    "": 1.0,
    "1": 1.0,
    "k": 1e3,
    "thousands": 1e3,
    "m": 1e6,
    "millions": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "billions": 1e9,
}


def money_factor(unit: str | float | None) -> float:
    """--money-unit as a factor: 'k' 1,000, 'm' 1,000,000, 'bn' 1,000,000,000."""
    if unit is None:
        return 1.0
    if isinstance(unit, int | float):
        return float(unit)
    key = str(unit).strip().lower()
    if key not in MONEY_UNITS:
        raise MappingError(
            f"--money-unit {unit!r}: use k (thousands), m (millions) or bn (billions)"
        )
    return MONEY_UNITS[key]


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
    # A timesheet CSV is read by DuckDB from disk (pmo.ingest.stream), its bytes never held.
    uploads = [
        stream.deferred_upload(p, read._table_choice(table, Path(p).name, None))
        or Upload.from_path(p, table)
        for p in paths
    ]
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
            con.execute(
                "update pmo_imports set undone = true where import_id = $id", {"id": import_id}
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return import_id


def history(db: str | os.PathLike | None = None) -> pd.DataFrame:
    """Imports, newest first: import_id, imported_at, imported_by, files, as_of, row_counts,
    undone."""
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
    out["as_of"] = pd.to_datetime(out["as_of"])  # dates: the page formats them (31 Oct 2026)
    return out


def last_import_id(frame: pd.DataFrame) -> int | None:
    """The import undo_last would revert, from history(); None when there is none."""
    live = frame[~frame["undone"].fillna(False).astype(bool)]
    return None if live.empty else int(live["import_id"].max())
