"""The Data page's mapping step: files read without importing, a mapping proposed and previewed.

The page reads the uploads (inspect), offers for each sheet the mapping a saved one or the
header names give (proposed_mapping), says which required columns are still unmapped
(missing_required) and shows the first rows as the chosen mapping would import them
(preview_mapping). The chosen ColumnMapping then goes to import_uploads as it is.
"""

from __future__ import annotations

import os

import pandas as pd

from pmo import schema, store
from pmo.ingest import mapping as mappings, parse, values
from pmo.ingest.mapping import ColumnMapping
from pmo.ingest.model import Finding, Progress, Sheet, Upload, scaled
from pmo.ingest.parse import parse_sheet, resolve
from pmo.ingest.read import TableChoice, read_upload
from pmo.ingest.readers import RawTable


def inspect(
    uploads: list[Upload],
    db: str | os.PathLike | None = None,
    *,
    table: TableChoice = None,
    progress: Progress | None = None,
) -> tuple[list[Sheet], list[Finding]]:
    """Read files for the mapping step: their sheets (table guessed, saved mapping found)."""
    sheets: list[Sheet] = []
    findings: list[Finding] = []
    total = sum(len(u.data) for u in uploads) or 1
    done = 0
    with store.connect(db) as con:
        for u in uploads:
            sub = scaled(progress, done / total, len(u.data) / total)
            got, f = read_upload(u, table, con=con, progress=sub)
            sheets += got
            findings += f
            done += len(u.data)
    if progress:
        progress(1.0, "read")
    return sheets, findings


def proposed_mapping(
    sheet: Sheet, db: str | os.PathLike | None = None
) -> tuple[ColumnMapping, str | None]:
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


def preview_mapping(
    sheet: Sheet, cm: ColumnMapping, n: int = 20
) -> tuple[pd.DataFrame, list[Finding]]:
    """The first ``n`` rows parsed with ``cm`` (unreadable cells blank), and what was found."""
    raw = sheet.raw
    head = RawTable(raw.file, raw.sheet, raw.headers, raw.frame.head(n), raw.rows[:n], [])
    parsed, found = parse_sheet(Sheet(head, cm.table), mapping=cm.whole(), lenient=True)
    if parsed is None:
        return pd.DataFrame(columns=["row", *schema.TABLES[cm.table].column_names]), found
    return parsed.head(n), found


# The values an enumeration column holds (a value map's targets), by column kind.
_KIND_VALUES = {
    "status": schema.STATUSES,
    "rag": schema.RAGS,
    "rating": schema.RATING_POINTS,
}


def enumerations(table: str) -> dict[str, tuple[str, ...]]:
    """The enumeration columns of ``table`` and the values each may hold: what a value map
    (--value COLUMN:SOURCE=TARGET) maps an exported word to."""
    out = {
        c.name: _KIND_VALUES[c.kind]
        for c in schema.TABLES[table].columns
        if c.kind in _KIND_VALUES and not c.managed
    }
    for (name, column), words in parse._WORD_COLUMNS.items():  # risk status, dependency type
        if name == table:
            out[column] = tuple(dict.fromkeys(words.values()))
    return out


def _is_known(table: str, column: str, kind: str, words: pd.Series) -> pd.Series:
    """Whether each word is one of the column's values or a synonym the importer reads."""
    canonical = parse._WORD_COLUMNS.get((table, column))
    if canonical is not None:
        keys = words.map(parse._word_key)
        return keys.isin(set(canonical)) | words.isin(set(canonical.values()))
    _, bad, _ = values.parse(kind, words)
    return ~bad.to_numpy()


def unknown_words(sheet: Sheet, cm: ColumnMapping) -> dict[str, list[tuple[str, int]]]:
    """Per enumeration column ``cm`` fills from a source: the words found there that are not
    one of its values (nor a synonym), and the words ``cm``'s value map already maps, each
    (case and spaces aside) with its number of rows, most frequent first: what the mapping
    step offers a value map for. Keys are the columns as parse reads them (a source mapped
    to rag_overall lands in rating).
    """
    raw = parse._combined_sources(sheet.raw, cm)
    used = resolve(Sheet(raw, cm.table), cm.whole(), None)
    table = schema.TABLES[cm.table]
    out: dict[str, list[tuple[str, int]]] = {}
    for column, _allowed in enumerations(cm.table).items():
        source = used.columns.get(column)
        if not source or source not in raw.frame.columns:
            continue
        text = values.as_text(raw.frame[source]).dropna()
        text = text[text.str.strip() != ""]
        if text.empty:
            continue
        counts = text.value_counts(sort=True)
        words = pd.Series(counts.index.astype(str), dtype=object)
        known = _is_known(cm.table, column, table.column(column).kind, words)
        mapped = {str(k).strip().lower() for k in cm.values.get(column, {})}
        # A value map ignores case and surrounding spaces: "In delivery" and "in delivery "
        # are one word, shown as most rows write it.
        keep: dict[str, list] = {}
        for w, n, ok in zip(words, counts.to_numpy(), known, strict=True):
            k = w.strip().lower()
            if not ok or k in mapped:
                keep.setdefault(k, [w.strip(), 0])[1] += int(n)
        if keep:
            out[column] = sorted(((w, n) for w, n in keep.values()), key=lambda x: -x[1])
    return out


def flat_unknown_words(sheet: Sheet, cm: ColumnMapping) -> dict[str, list[tuple[str, int]]]:
    """unknown_words for the status reports a projects sheet carries (a flat export: its
    rating, RAG columns); keys are 'status_reports.COLUMN', as a projects mapping's value
    maps for them are kept."""
    if cm.table != "projects":
        return {}
    raw = parse._combined_sources(sheet.raw, cm)
    matched = resolve(Sheet(raw, "status_reports"), None, None)
    status = {c: src for c, src in matched.columns.items() if c in parse.STATUS_COLUMNS}
    if not status:
        return {}
    words = {
        c.split(".", 1)[1]: dict(v) for c, v in cm.values.items() if c.startswith("status_reports.")
    }
    flat = ColumnMapping("status_reports", status, {}, words)
    found = unknown_words(Sheet(raw, "status_reports"), flat)
    return {f"status_reports.{c}": w for c, w in found.items()}
