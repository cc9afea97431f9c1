"""Importing portfolio exports: Excel/CSV files into the database, checked first, undoable.

The package reads as the pipeline, one module per step:

- model: what passes along (Upload, Sheet, Parsed, Finding, ImportRejected, ImportResult)
- read: files into Sheets (readers: workbooks through calamine, CSV through pyarrow;
  prefetch: workbooks parsed ahead on another core)
- parse: a Sheet into canonical typed columns (headers: header names matched to the template;
  mapping: explicit and saved column mappings; values: cells as real tools export them)
- validate: keys, references and complete lists, against the upload and the database
- write: the tables upserted, with what each replaced kept for undo
- stream: a timesheet CSV from disk read, parsed, checked and written in DuckDB (issue 20),
  with the same findings and rows as the steps above
- run: an import from end to end as one transaction (import_uploads, import_paths), undo,
  history
- preview: the Data page's mapping step (inspect, proposed_mapping, preview_mapping)

The names below are what pages, the command line, bench/ and tests use. They load on first
use: the command line imports pmo.ingest.prefetch to start parsing a workbook before pandas
is imported, and that must not import the rest of the package (issue 9).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_EXPORTS = {
    "ColumnMapping": "mapping",
    "MappingError": "mapping",
    "Finding": "model",
    "ImportRejected": "model",
    "ImportResult": "model",
    "LARGE_FILE_BYTES": "model",
    "Sheet": "model",
    "Upload": "model",
    "as_dicts": "model",
    "report": "model",
    "history": "run",
    "history_table": "run",
    "import_paths": "run",
    "import_uploads": "run",
    "last_import_id": "run",
    "undo_last": "run",
    "enumerations": "preview",
    "flat_unknown_words": "preview",
    "inspect": "preview",
    "missing_required": "preview",
    "preview_mapping": "preview",
    "proposed_mapping": "preview",
    "unknown_words": "preview",
}
_MODULES = frozenset(
    {
        "headers",
        "mapping",
        "model",
        "parse",
        "prefetch",
        "preview",
        "read",
        "readers",
        "run",
        "stream",
        "validate",
        "values",
        "write",
    }
)

__all__ = [  # = _EXPORTS, written out for linters (tests/test_architecture.py checks)
    "ColumnMapping",
    "Finding",
    "ImportRejected",
    "ImportResult",
    "LARGE_FILE_BYTES",
    "MappingError",
    "Sheet",
    "Upload",
    "as_dicts",
    "enumerations",
    "flat_unknown_words",
    "history",
    "history_table",
    "import_paths",
    "import_uploads",
    "inspect",
    "last_import_id",
    "missing_required",
    "preview_mapping",
    "proposed_mapping",
    "report",
    "undo_last",
    "unknown_words",
]

if TYPE_CHECKING:  # the names as a type checker or an editor sees them
    from pmo.ingest.mapping import ColumnMapping, MappingError
    from pmo.ingest.model import (
        LARGE_FILE_BYTES,
        Finding,
        ImportRejected,
        ImportResult,
        Sheet,
        Upload,
        as_dicts,
        report,
    )
    from pmo.ingest.preview import (
        enumerations,
        flat_unknown_words,
        inspect,
        missing_required,
        preview_mapping,
        proposed_mapping,
        unknown_words,
    )
    from pmo.ingest.run import (
        history,
        history_table,
        import_paths,
        import_uploads,
        last_import_id,
        undo_last,
    )


def __getattr__(name: str) -> object:
    """Load an exported name (or a submodule) on first use."""
    if name in _MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS, *_MODULES})
