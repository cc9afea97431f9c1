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
from pmo.ingest import mapping as mappings
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
