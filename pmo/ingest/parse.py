"""Step 2 of an import: a Sheet's raw cells into canonical typed columns (a Parsed table).

The mapping used for a sheet is resolved from header names, a saved mapping and the explicit
choices (--map/--default, the Data page's grid); each column is then read by its kind
(pmo.ingest.values), and every cell that cannot be read, every blank required value and every
value out of range is a Finding with its Excel row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmo import schema
from pmo.ingest import headers, values
from pmo.ingest import mapping as mappings
from pmo.ingest.mapping import ColumnMapping
from pmo.ingest.model import MAX_LISTED, Finding, Parsed, Progress, Sheet, has_errors
from pmo.ingest.readers import RawTable


def resolve(sheet: Sheet, explicit: ColumnMapping | None, saved: ColumnMapping | None) -> ColumnMapping:
    """The mapping used for a sheet: header names, then a saved mapping, then explicit entries.

    A source of "" unmaps a column. A constant for a column the same layer does not map fills
    the whole column when it comes from a saved mapping (saved mappings are complete), and
    fills only the blanks of a mapped column otherwise (--default).
    """
    table = schema.TABLES[sheet.table]
    found = sheet.raw.headers
    out = ColumnMapping(table.name, headers.match_headers(table, found), {})
    for layer in (saved, explicit):
        if layer is None:
            continue
        for col, src in layer.columns.items():
            if not src:
                out.columns.pop(col, None)
            elif src in found:
                out.columns[col] = src
        for col, const in layer.constants.items():
            out.constants[col] = const
            if layer is saved and col not in layer.columns:
                out.columns.pop(col, None)
    return out


def unpivot_months(raw: RawTable, used: set[str]) -> tuple[RawTable, dict[str, pd.Series]] | None:
    """A wide sheet (one column per month) as long rows: __month, and __hours (the cells: hours
    of allocations, planned cost of a cost plan)."""
    months = mappings.month_headers([h for h in raw.headers if h not in used])
    if not months:
        return None
    ids = [h for h in raw.headers if h not in months]
    frame = raw.frame
    month_cols = list(months)
    n = len(frame)
    hours = pd.concat([frame[c].astype(object) for c in month_cols], ignore_index=True)
    keep = ~values.blank_mask(hours)
    keep = keep.to_numpy()
    long = pd.DataFrame({h: np.tile(frame[h].to_numpy(dtype=object), len(month_cols)) for h in ids})
    long["__month"] = np.repeat(np.array([months[c] for c in month_cols], dtype=object), n)
    long["__hours"] = hours.to_numpy(dtype=object)
    labels = pd.Series(np.repeat(np.array(month_cols, dtype=object), n))
    rows = np.tile(raw.rows, len(month_cols))
    long, labels, rows = long[keep].reset_index(drop=True), labels[keep].reset_index(drop=True), rows[keep]
    # Sort back to sheet order: row, then month column.
    order = np.lexsort((np.arange(len(rows)), rows))
    long = long.iloc[order].reset_index(drop=True)
    labels = labels.iloc[order].reset_index(drop=True)
    new = RawTable(raw.file, raw.sheet, [*ids, "__month", "__hours"], long, rows[order], raw.notes)
    return new, {"__hours": labels, "__month": labels}


@dataclass
class _Cells:
    """The sheet being parsed: its cells, their Excel rows, and the findings so far."""

    raw: RawTable
    rows: pd.Series
    labels: dict[str, pd.Series]  # source -> the header each cell came from (wide sheets)
    lenient: bool
    found: list[Finding]

    def add(self, level: str, row: int | None, column: str | None, value: str | None,
            message: str) -> None:
        self.found.append(Finding(level, self.raw.file, self.raw.sheet, row, column, value, message))

    def listed(self, level: str, mask: pd.Series, column: str, message: str, more: str, *,
               value=lambda j: "", label: pd.Series | None = None) -> None:
        """One finding per row of ``mask`` (the first MAX_LISTED), then one for the rest."""
        idx = mask[mask].index
        for j in idx[:MAX_LISTED]:
            where = str(label[j]) if label is not None else column
            self.add(level, int(self.rows[j]), where, value(j), message)
        if len(idx) > MAX_LISTED:
            self.add(level, None, column, None, f"{len(idx) - MAX_LISTED} more {more}")


def _mapping_checks(table: schema.Table, cells: _Cells, explicit: ColumnMapping,
                    cm: ColumnMapping) -> list[str]:
    """Say what the mapping lacks or names wrongly; return the required columns missing."""
    raw = cells.raw
    for col, src in explicit.columns.items():
        if src and src not in raw.headers:
            cells.add("error", None, src, None, f"no column {src!r} to map to {col}; the file's columns: "
                      + ", ".join(h for h in raw.headers if not h.startswith("__")))
    used = set(cm.columns.values())
    for h in raw.headers:
        if h not in used:
            cells.add("warning", None, h, None, f"unknown column ignored (not in the {table.name} template)")
    missing = [
        c.name
        for c in table.columns
        if c.required and c.name not in cm.columns and c.name not in cm.constants
    ]
    for name in missing:
        cells.add("error", None, name, None,
                  f"required column {name} is missing; map a source column to it or give a constant")
    return missing


# Tables also accepted wide, one column per month (design §2): the column the cells fill, and
# what a row is called in the finding. cost_plan: issue 15.
WIDE_TABLES = {"allocations": ("hours", "allocations"), "cost_plan": ("planned_cost", "cost plan rows")}


def _wide(sheet: Sheet, cm: ColumnMapping, cells: _Cells) -> None:
    """Allocations or a cost plan with one column per month: unpivoted, month and the value
    column (hours, planned_cost) mapped to them."""
    value_column, rows_are = WIDE_TABLES.get(sheet.table, (None, None))
    if value_column is None or "month" in cm.columns or "month" in cm.constants:
        return
    wide = unpivot_months(cells.raw, set(cm.columns.values()))
    if wide is None:
        return
    cells.raw, cells.labels = wide
    cm.columns["month"] = "__month"
    cm.columns[value_column] = "__hours"
    cells.add("info", None, None, None,
              f"month columns unpivoted: {len(cells.raw.frame)} {rows_are} from "
              f"{len(sheet.raw.frame)} rows")


def parse_sheet(
    sheet: Sheet,
    *,
    mapping: dict[str, str] | ColumnMapping | None = None,
    defaults: dict[str, str] | None = None,
    lenient: bool = False,
    saved: ColumnMapping | None = None,
    progress: Progress | None = None,
) -> tuple[Parsed | None, list[Finding]]:
    """Turn a Sheet into canonical typed columns.

    ``mapping`` is {column: source header} (keys may be 'table.column'), ``defaults``
    {column: constant}; a ColumnMapping gives both. Explicit entries beat a ``saved`` mapping,
    which beats matching by header names.
    """
    table = schema.TABLES[sheet.table]
    if isinstance(mapping, ColumnMapping):
        explicit = mapping
    else:
        explicit = mappings.for_table(table.name, mapping, defaults)
    cells = _Cells(sheet.raw, pd.Series(dtype="int64"), {}, lenient, [])
    cm = resolve(sheet, explicit, saved)
    _wide(sheet, cm, cells)
    missing = _mapping_checks(table, cells, explicit, cm)
    if missing or has_errors(cells.found):
        return None, cells.found
    raw = cells.raw
    cells.rows = pd.Series(raw.rows, index=raw.frame.index)
    out = pd.DataFrame(index=raw.frame.index)
    cols = table.columns
    for i, col in enumerate(cols):
        if progress:
            progress(i / len(cols), f"parsing {table.name}.{col.name}")
        out[col.name] = _column(col, cm, cells)
    _canonical_words(table, out)  # issue 17: risk status and dependency type words
    cells.found += _domain_checks(table, out, raw, cells.rows)
    if has_errors(cells.found):
        return None, cells.found
    return Parsed(table.name, out, cells.rows, raw.file, raw.sheet), cells.found


def _column(col: schema.Column, cm: ColumnMapping, cells: _Cells) -> pd.Series:
    """One template column: from its source, its constant, or its default."""
    index = cells.raw.frame.index
    n = len(index)
    source = cm.columns.get(col.name)
    const = cm.constants.get(col.name)
    if source is None and const is None:
        return pd.Series([col.default] * n, index=index, dtype=object)
    if source is None:
        parsed1, bad1, _ = values.parse(col.kind, pd.Series([const], dtype=object))
        if bad1.any():
            cells.add("error", None, col.name, str(const),
                      f"the constant for {col.name} cannot be read: expected {values.expected(col.kind)}")
            return pd.Series([None] * n, index=index, dtype=object)
        return pd.Series(np.repeat(parsed1.to_numpy(), n), index=index)
    return _from_source(col, source, const, cells)


def _from_source(col: schema.Column, source: str, const: str | None, cells: _Cells) -> pd.Series:
    """A mapped column read by its kind: unreadable and blank cells said, blanks defaulted."""
    raw_cells = cells.raw.frame[source]
    shown = source if not source.startswith("__") else col.name
    parsed, bad, note, blank = values.parse_column(col.kind, raw_cells)
    if note:
        cells.add("warning", None, shown, None, note)
    if const is not None and blank.any():
        c_parsed, c_bad, _ = values.parse(col.kind, pd.Series([const], dtype=object))
        if c_bad.any():
            cells.add("error", None, col.name, str(const),
                      f"the default for {col.name} cannot be read: expected {values.expected(col.kind)}")
        else:
            parsed = parsed.astype(object).where(~blank, c_parsed.iloc[0])
            blank = pd.Series(False, index=blank.index)
    if bad.any():
        _unreadable(col, source, shown, bad, raw_cells, cells)
        parsed = parsed.where(~bad)
    _blanks(col, shown, blank, cells)
    if col.default is not None:
        parsed = parsed.where(parsed.notna(), col.default)
    return parsed


def _unreadable(col: schema.Column, source: str, shown: str, bad: pd.Series,
                raw_cells: pd.Series, cells: _Cells) -> None:
    level = "warning" if cells.lenient and not col.value_required else "error"
    cells.listed(
        level, bad, shown,
        f"cannot read as {col.kind}: expected {values.expected(col.kind)}"
        + ("; loaded as blank" if level == "warning" else ""),
        f"unreadable values in {shown}",
        value=lambda j: str(raw_cells[j]), label=cells.labels.get(source),
    )


def _blanks(col: schema.Column, shown: str, blank: pd.Series, cells: _Cells) -> None:
    if not blank.any():
        return
    if col.value_required:
        cells.listed("error", blank, shown, f"a value is required for {col.name}",
                     f"blank {col.name} values")
    elif col.name == "budget":
        cells.listed("warning", blank, shown, "blank budget loaded as null", "blank budgets")
    elif col.default is None:
        first = ", ".join(str(int(r)) for r in cells.rows[blank].iloc[:5])
        cells.add(
            "warning", None, shown, None,
            f"{int(blank.sum())} blank {col.name} value(s), loaded as null (rows {first}"
            + (" …)" if blank.sum() > 5 else ")"),
        )


# Issue 17: the words a risk register and a dependency list use, as their canonical values;
# any other word is an error (_domain_checks). Keys are lower-case, spaces and dashes single.
RISK_STATUS_WORDS = {
    "open": "Open", "new": "Open", "identified": "Open", "raised": "Open", "active": "Open",
    "mitigating": "Mitigating", "mitigation": "Mitigating", "in progress": "Mitigating",
    "treating": "Mitigating", "monitoring": "Mitigating", "managing": "Mitigating",
    "closed": "Closed", "resolved": "Closed", "retired": "Closed", "done": "Closed",
    "complete": "Closed", "completed": "Closed",
}
DEPENDENCY_TYPE_WORDS = {
    "finish-to-start": "finish-to-start", "finish to start": "finish-to-start",
    "finish-start": "finish-to-start", "fs": "finish-to-start", "f-s": "finish-to-start",
    "start-to-start": "start-to-start", "start to start": "start-to-start",
    "start-start": "start-to-start", "ss": "start-to-start", "s-s": "start-to-start",
}
_WORD_COLUMNS = {("risks", "status"): RISK_STATUS_WORDS,
                 ("dependencies", "type"): DEPENDENCY_TYPE_WORDS}


def _word_key(value: object) -> object:
    if not isinstance(value, str):
        return value
    return " ".join(value.replace("_", " ").split()).lower()


def _canonical_words(table: schema.Table, frame: pd.DataFrame) -> None:
    """Risk status and dependency type words in their canonical form, in place; a word not in
    the list stays as given, for _domain_checks to report."""
    for (name, column), words in _WORD_COLUMNS.items():
        if table.name == name and column in frame:
            frame[column] = frame[column].map(
                lambda v, w=words: w.get(_word_key(v), v) if isinstance(v, str) else v)


def _domain_checks(
    table: schema.Table, frame: pd.DataFrame, raw: RawTable, rows: pd.Series
) -> list[Finding]:
    found = []

    def bad_rows(mask: pd.Series, column: str, message: str) -> None:
        mask = mask.fillna(False).astype(bool)
        for i in mask[mask].index[:MAX_LISTED]:
            found.append(
                Finding("error", raw.file, raw.sheet, int(rows[i]), column, str(frame.at[i, column]), message)
            )
        if mask.sum() > MAX_LISTED:
            found.append(Finding("error", raw.file, raw.sheet, None, column, None,
                                 f"{int(mask.sum()) - MAX_LISTED} more: {message}"))

    def num(column: str) -> pd.Series:
        return pd.to_numeric(frame[column], errors="coerce").astype("float64")

    if table.name == "projects":
        bad_rows(num("budget") < 0, "budget", "budget must not be negative")
        risk = num("risk_score")
        bad_rows((risk < 1) | (risk > 5), "risk_score", "risk_score must be between 1 and 5")
    elif table.name == "alignment":
        s = num("score")
        bad_rows((s < 0) | (s > 5), "score", "score must be a whole number from 0 to 5")
    elif table.name == "objectives":
        bad_rows(num("weight") <= 0, "weight", "weight must be greater than 0")
        share = num("target_share")
        bad_rows((share < 0) | (share > 1), "target_share", "target_share must be between 0% and 100%")
    elif table.name == "resources":
        bad_rows(num("capacity_hours") < 0, "capacity_hours", "capacity_hours must not be negative")
    elif table.name == "status_reports":
        pct = num("percent_complete")
        bad_rows((pct < 0) | (pct > 100), "percent_complete", "percent_complete must be between 0 and 100")
    elif table.name == "risks":  # issue 17
        for column in ("probability", "impact"):
            v = num(column)
            bad_rows((v < 1) | (v > 5), column, f"{column} must be a whole number from 1 to 5")
        status = frame["status"]
        bad_rows(status.notna() & ~status.isin(set(RISK_STATUS_WORDS.values())), "status",
                 "status must be Open, Mitigating or Closed (blank = Open)")
    elif table.name == "dependencies":  # issue 17
        kind = frame["type"]
        bad_rows(kind.notna() & ~kind.isin(set(DEPENDENCY_TYPE_WORDS.values())), "type",
                 "type must be finish-to-start (FS, the default when blank) or start-to-start "
                 "(SS); finish-to-finish and start-to-finish links are not supported")
        bad_rows(frame["project_id"] == frame["depends_on"], "depends_on",
                 "a project cannot depend on itself: depends_on names the project of the row")
    elif table.name == "key_results":  # issue 18
        bad_rows(num("weight") <= 0, "weight", "weight must be greater than 0")
        bad_rows(num("target") == num("baseline"), "target",
                 "target must differ from baseline: progress runs from one to the other "
                 "(a target below the baseline is fine)")
        start, due = pd.to_datetime(frame["baseline_date"]), pd.to_datetime(frame["target_date"])
        bad_rows(due <= start, "target_date", "target_date must be after baseline_date")
    elif table.name == "decisions":  # issue 21: status words as the app writes them
        words = frame["status"].astype("string").str.strip().str.lower()
        canonical = words.map(_DECISION_STATUS)
        bad_rows(words.notna() & canonical.isna(), "status",
                 f"status must be one of {', '.join(schema.DECISION_STATUSES)} (also read: "
                 "to do, in progress -> Open; closed, complete -> Done; cancelled -> Dropped)")
        frame["status"] = canonical.where(canonical.notna(), frame["status"]).astype(object)
    return found


# Issue 21: decision statuses as exports write them (case-insensitive).
_DECISION_STATUS = {
    **{s.lower(): s for s in schema.DECISION_STATUSES},
    "to do": "Open", "todo": "Open", "in progress": "Open", "ongoing": "Open", "pending": "Open",
    "closed": "Done", "complete": "Done", "completed": "Done", "implemented": "Done",
    "cancelled": "Dropped", "canceled": "Dropped", "withdrawn": "Dropped", "rejected": "Dropped",
}


def combine(parsed: list[Parsed]) -> dict[str, Parsed]:
    """One Parsed per table: sheets of the same table from several files are stacked."""
    groups: dict[str, list[Parsed]] = {}
    for p in parsed:
        groups.setdefault(p.table, []).append(p)
    out: dict[str, Parsed] = {}
    for name, ps in groups.items():
        if len(ps) == 1:
            p = ps[0]
            out[name] = Parsed(name, p.frame.reset_index(drop=True), p.rows.reset_index(drop=True),
                               p.file, p.sheet)
            continue
        where = pd.concat(
            [pd.Series([(p.file, p.sheet)] * len(p.frame), dtype=object) for p in ps],
            ignore_index=True,
        )
        out[name] = Parsed(
            name,
            pd.concat([p.frame for p in ps], ignore_index=True),
            pd.concat([p.rows for p in ps], ignore_index=True),
            ps[0].file,
            ps[0].sheet,
            where,
        )
    return out
