"""Step 2 of an import: a Sheet's raw cells into canonical typed columns (a Parsed table).

The mapping used for a sheet is resolved from header names, a saved mapping and the explicit
choices (--map/--default, the Data page's grid); each column is then read by its kind
(pmo.ingest.values), and every cell that cannot be read, every blank required value and every
value out of range is a Finding with its Excel row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pmo import schema
from pmo.ingest import headers, mapping as mappings, values
from pmo.ingest.mapping import ColumnMapping
from pmo.ingest.model import (
    MAX_LISTED,
    ROWS_SHOWN,
    Finding,
    Parsed,
    Progress,
    Sheet,
    rows_text,
)
from pmo.ingest.readers import RawTable


def resolve(
    sheet: Sheet, explicit: ColumnMapping | None, saved: ColumnMapping | None
) -> ColumnMapping:
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
            if const is None or not str(const).strip():
                continue  # an empty constant never stands for a value
            out.constants[col] = const
            if layer is saved and col not in layer.columns:
                out.columns.pop(col, None)
        for col, words in layer.values.items():
            out.values[col] = {**out.values.get(col, {}), **words}
    _rating_from_rag(table, out)
    return out


def used_mapping(
    sheet: Sheet, explicit: ColumnMapping | None, saved: ColumnMapping | None, rules: Rules
) -> ColumnMapping:
    """The mapping parse_sheet reads a sheet with (combined sources included): what is saved."""
    raw = _combined_sources(_without(sheet.raw, rules.ignore), explicit, saved)
    return resolve(Sheet(raw, sheet.table), explicit, saved)


def _rating_from_rag(table: schema.Table, cm: ColumnMapping) -> None:
    """A source mapped to rag_overall lands as a rating (kept as reported, its RAG derived by
    the rating scale), as one mapped to rating does (docs/data-model.md, second release)."""
    names = table.column_names
    if (
        "rating" in names
        and "rag_overall" in cm.columns
        and "rating" not in cm.columns
        and "rating" not in cm.constants
    ):
        cm.columns["rating"] = cm.columns.pop("rag_overall")
        if "rag_overall" in cm.values:
            cm.values["rating"] = cm.values.pop("rag_overall")


@dataclass
class Rules:
    """How cells are read beyond the mapping: the import's options that change values."""

    lenient: bool = False
    currency: str | None = None  # ISO code money must be in (None: not checked)
    money_unit: float = 1.0  # --money-unit: money cells are in thousands (1e3), millions (1e6)...
    rating_scale: dict[str, str] = field(default_factory=lambda: dict(schema.DEFAULT_RATING_SCALE))
    ignore: frozenset[str] = frozenset()  # --ignore: source headers dropped before matching
    as_of: dt.date | None = None  # the import's as-of date: a flat export's report date
    # With no currency to check (a database without money, no --currency), the symbols met,
    # from which the import decides the database's currency.
    seen: set[str] = field(default_factory=set)


def _combined_sources(raw: RawTable, *layers: ColumnMapping | None) -> RawTable:
    """Sources "A|B" (first non-blank of A, B) of the explicit and saved mappings ``layers``
    added to the raw table as columns of their own."""
    sources = [src for layer in layers if layer is not None for src in layer.columns.values()]
    if not sources:
        return raw
    frame, names = raw.frame, list(raw.headers)
    for src in dict.fromkeys(sources):
        if not src or "|" not in src or src in names:
            continue
        parts = [p.strip() for p in src.split("|")]
        if not all(p in raw.headers for p in parts):
            continue
        combined = frame[parts[0]].astype(object).where(~values.blank_mask(frame[parts[0]]))
        for part in parts[1:]:
            cells = frame[part].astype(object).where(~values.blank_mask(frame[part]))
            combined = combined.where(combined.notna(), cells)
        if frame is raw.frame:
            frame = frame.copy()
        frame[src] = combined
        names.append(src)
    if frame is raw.frame:
        return raw
    return RawTable(raw.file, raw.sheet, names, frame, raw.rows, raw.notes)


def _without(raw: RawTable, ignore: frozenset[str]) -> RawTable:
    """The raw table without the --ignore'd headers."""
    drop = [h for h in raw.headers if h in ignore]
    if not drop:
        return raw
    return RawTable(
        raw.file,
        raw.sheet,
        [h for h in raw.headers if h not in ignore],
        raw.frame.drop(columns=drop),
        raw.rows,
        raw.notes,
    )


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
    long, labels, rows = (
        long[keep].reset_index(drop=True),
        labels[keep].reset_index(drop=True),
        rows[keep],
    )
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
    rules: Rules
    found: list[Finding]
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # value maps per column

    @property
    def lenient(self) -> bool:
        """Unreadable optional values load blank (--lenient)."""
        return self.rules.lenient

    def add(
        self, level: str, row: int | None, column: str | None, value: str | None, message: str
    ) -> None:
        self.found.append(
            Finding(level, self.raw.file, self.raw.sheet, row, column, value, message)
        )

    def listed(
        self,
        level: str,
        mask: pd.Series,
        column: str,
        message: str,
        *,
        value=None,
        label: pd.Series | None = None,
        quote: bool = True,
    ) -> None:
        """One finding for the rows of ``mask``: its exact count and the first rows (with
        their cells as typed when ``value(j)`` gives them and ``quote``)."""
        idx = mask[mask].index
        if not len(idx):
            return
        j0 = idx[0]
        where = str(label[j0]) if label is not None and len(idx) == 1 else column
        first = value(j0) if value is not None else ""
        if len(idx) == 1:
            self.add(level, int(self.rows[j0]), where, first, message)
            return
        rows = [int(self.rows[j]) for j in idx[:MAX_LISTED]]
        cells = [value(j) for j in idx[:5]] if value is not None and quote else None
        self.found.append(
            Finding(
                level,
                self.raw.file,
                self.raw.sheet,
                rows[0],
                where,
                first,
                f"{message}: {len(idx)} rows ({rows_text(rows, len(idx), cells)})",
                len(idx),
                tuple(rows),
            )
        )


# A status report says something: a rating, % complete or a cost figure (docs/data-model.md).
REPORT_CONTENT = (
    "rating",
    "rag_overall",
    "percent_complete",
    "planned_value",
    "earned_value",
    "actual_cost",
)


def _mapping_checks(
    table: schema.Table, cells: _Cells, explicit: ColumnMapping, cm: ColumnMapping, flat: bool
) -> list[str]:
    """Say what the mapping lacks or names wrongly; return the required columns missing."""
    raw = cells.raw
    for col, src in explicit.columns.items():
        if src and src not in raw.headers:
            cells.add(
                "error",
                None,
                src,
                None,
                f"no column {src!r} to map to {col}; the file's columns: "
                + ", ".join(h for h in raw.headers if not h.startswith("__") and "|" not in h),
            )
    used = {p.strip() for src in cm.columns.values() for p in src.split("|")}
    for h in raw.headers:
        if h not in used and "|" not in h and not flat:
            cells.add(
                "warning",
                None,
                h,
                None,
                f"unknown column ignored (not in the {table.name} "
                "template); map it with --map or leave it out with --ignore",
            )
    missing = [
        c.name
        for c in table.importable
        if c.required and c.name not in cm.columns and c.name not in cm.constants
    ]
    for name in missing:
        cells.add(
            "error",
            None,
            name,
            None,
            f"required column {name} is missing: map a source column to it (--map "
            f"SOURCE={name}) or give a value for every row (--default {name}=VALUE; an "
            "empty one does not count)",
        )
    if (
        table.name == "status_reports"
        and not flat
        and not any(c in cm.columns or c in cm.constants for c in REPORT_CONTENT)
    ):
        cells.add(
            "error",
            None,
            None,
            None,
            "a status report needs a rating, RAG, % complete or a cost figure: map a "
            "column to one of " + ", ".join(REPORT_CONTENT) + " (--map SOURCE=COLUMN)",
        )
        missing.append("rating")
    return missing


# Tables also accepted wide, one column per month (docs/data-model.md): the column the cells
# fill, and what a row is called in the finding. cost_plan: issue 15.
WIDE_TABLES = {
    "allocations": ("hours", "allocations"),
    "cost_plan": ("planned_cost", "cost plan rows"),
}


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
    cells.add(
        "info",
        None,
        None,
        None,
        f"month columns unpivoted: {len(cells.raw.frame)} {rows_are} from "
        f"{len(sheet.raw.frame)} rows",
    )


def parse_sheet(
    sheet: Sheet,
    *,
    mapping: dict[str, str] | ColumnMapping | None = None,
    defaults: dict[str, str] | None = None,
    lenient: bool = False,
    saved: ColumnMapping | None = None,
    progress: Progress | None = None,
    rules: Rules | None = None,
    flat: bool = False,
) -> tuple[Parsed | None, list[Finding]]:
    """Turn a Sheet into canonical typed columns.

    ``mapping`` is {column: source header} (keys may be 'table.column'), ``defaults``
    {column: constant}; a ColumnMapping gives both. Explicit entries beat a ``saved`` mapping,
    which beats matching by header names. ``rules`` carry the options that change values
    (lenient, currency, money unit, rating scale, ignored headers). ``flat``: the status
    reports of a projects sheet (its other columns are the projects').
    """
    rules = rules or Rules(lenient=lenient)
    table = schema.TABLES[sheet.table]
    explicit = (
        mapping
        if isinstance(mapping, ColumnMapping)
        else mappings.for_table(table.name, mapping, defaults)
    )
    raw = _combined_sources(_without(sheet.raw, rules.ignore), explicit, saved)
    cells = _Cells(raw, pd.Series(dtype="int64"), {}, rules, [])
    cm = resolve(Sheet(raw, sheet.table), explicit, saved)
    cells.values = cm.values
    _wide(sheet, cm, cells)
    missing = _mapping_checks(table, cells, explicit, cm, flat)
    # One pass (issue 14): a column the mapping lacks is said together with every cell's
    # finding of the columns it has; only a sheet without its key gives no rows to check.
    if any(c in table.key for c in missing):
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
    _derive_rag(out, rules)
    cells.found += _domain_checks(table, out, raw, cells.rows)
    # Every check has run: a sheet with errors still gives its rows, so that keys and
    # references are checked too and one pass reports every problem (issue 14).
    return Parsed(table.name, out, cells.rows, raw.file, raw.sheet), cells.found


def _derive_rag(out: pd.DataFrame, rules: Rules) -> None:
    """rag_overall from the rating as reported, by the rating scale, where no RAG is given."""
    if "rating" not in out.columns or "rag_overall" not in out.columns:
        return
    rating = out["rating"]
    if rating.isna().all():
        return
    points = values.rating_points(rating)
    derived = points.map(rules.rating_scale, na_action="ignore").astype(object)
    out["rag_overall"] = (
        out["rag_overall"].astype(object).where(out["rag_overall"].notna(), derived)
    )


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
            cells.add(
                "error",
                None,
                col.name,
                str(const),
                f"the constant for {col.name} cannot be read: expected {values.expected(col.kind)}",
            )
            return pd.Series([None] * n, index=index, dtype=object)
        return pd.Series(np.repeat(parsed1.to_numpy(), n), index=index)
    return _from_source(col, source, const, cells)


def _mapped_words(col: schema.Column, raw_cells: pd.Series, cells: _Cells) -> pd.Series:
    """Cells with the column's value map applied (--value COLUMN:SOURCE=TARGET): a cell whose
    text is a SOURCE word (case and spaces aside) becomes the TARGET."""
    words = cells.values.get(col.name)
    if not words:
        return raw_cells
    lookup = {str(k).strip().lower(): v for k, v in words.items()}
    keys = values.as_text(raw_cells).str.lower()
    mapped = keys.map(lookup, na_action="ignore")
    hit = mapped.notna()
    if not hit.any():
        return raw_cells
    return raw_cells.astype(object).where(~hit, mapped.astype(object))


def _from_source(col: schema.Column, source: str, const: str | None, cells: _Cells) -> pd.Series:
    """A mapped column read by its kind: unreadable and blank cells said, blanks defaulted."""
    raw_cells = _mapped_words(col, cells.raw.frame[source], cells)
    shown = source if not source.startswith("__") else col.name
    parsed, bad, note, blank = values.parse_column(col.kind, raw_cells)
    if note:
        cells.add("warning", None, shown, None, note)
    if const is not None and blank.any():
        c_parsed, c_bad, _ = values.parse(col.kind, pd.Series([const], dtype=object))
        if c_bad.any():
            cells.add(
                "error",
                None,
                col.name,
                str(const),
                f"the default for {col.name} cannot be read: expected {values.expected(col.kind)}",
            )
        else:
            parsed = parsed.astype(object).where(~blank, c_parsed.iloc[0])
            blank = pd.Series(False, index=blank.index)
    if bad.any():
        _unreadable(col, source, shown, bad, raw_cells, cells)
        parsed = parsed.where(~bad)
    if col.money:
        parsed = _money(col, source, shown, parsed, raw_cells, cells)
    _blanks(col, shown, blank, cells)
    if col.default is not None:
        parsed = parsed.where(parsed.notna(), col.default)
    return parsed


_UNIT_WORDS = {1e3: "thousands", 1e6: "millions", 1e9: "billions"}


def _money(
    col: schema.Column,
    source: str,
    shown: str,
    parsed: pd.Series,
    raw_cells: pd.Series,
    cells: _Cells,
) -> pd.Series:
    """Amounts in the database's currency and in whole units: another currency's symbol is
    an error, a unit (the header's, else --money-unit) scales the column, and a negative
    amount is an error (with --lenient, blank and a warning)."""
    rules = cells.rules
    stated = headers.money_unit(source)
    factor = stated[0] if stated and stated[0] != 1.0 else rules.money_unit
    marks = values.money_marks(raw_cells)
    if stated and stated[1]:
        marks = marks.where(marks.notna(), stated[1])
    if not rules.currency:
        rules.seen.update(m for m in marks.dropna().unique().tolist() if isinstance(m, str))
    else:
        wrong = pd.Series(
            [isinstance(m, str) and not values.symbol_fits(m, rules.currency) for m in marks],
            index=marks.index,
            dtype=bool,
        )
        if wrong.any():
            cells.listed(
                "error",
                wrong,
                shown,
                f"money in another currency than the database's ({rules.currency}): convert "
                f"it, or on a database without money yet give its currency (--currency)",
                value=lambda j: _typed(raw_cells, j),
            )
            parsed = parsed.where(~wrong)
    if factor != 1.0:
        why = f"the header says {stated[2]}" if stated and stated[0] != 1.0 else "--money-unit"
        cells.add(
            "info",
            None,
            shown,
            None,
            f"{col.name} in {_UNIT_WORDS.get(factor, f'units of {factor:g}')} ({why}): "
            f"every value × {factor:,.0f}",
        )
        parsed = parsed * factor
    negative = (pd.to_numeric(parsed, errors="coerce") < 0).fillna(False).astype(bool)
    if negative.any():
        level = "warning" if rules.lenient else "error"
        cells.listed(
            level,
            negative,
            shown,
            f"{col.name} must not be negative"
            + (
                "; loaded as blank"
                if level == "warning"
                else " (correct the cell, or load it blank with --lenient)"
            ),
            value=lambda j: _typed(raw_cells, j),
        )
        parsed = parsed.where(~negative)
    return parsed


def _typed(raw_cells: pd.Series, j) -> str:
    """The cell at ``j`` as typed (its text), "" when blank."""
    text = values.as_text(raw_cells.loc[[j]]).iloc[0]
    return "" if pd.isna(text) else str(text)


def _fix_hint(col: schema.Column, level: str) -> str:
    """The option that fixes an unreadable cell."""
    if level == "warning":
        return "; loaded as blank"
    if col.kind in ("status", "rag", "rating"):
        example = {"status": "Active", "rag": "Amber", "rating": "Amber"}[col.kind]
        return f"; map the word to one (--value {col.name}:WORD={example})" + (
            "" if col.value_required else ", or load it blank with --lenient"
        )
    if col.value_required:
        return "; correct the cell"
    return "; correct the cell, or load it blank with --lenient"


def _unreadable(
    col: schema.Column, source: str, shown: str, bad: pd.Series, raw_cells: pd.Series, cells: _Cells
) -> None:
    level = "warning" if cells.lenient and not col.value_required else "error"
    cells.listed(
        level,
        bad,
        shown,
        f"cannot read as {col.kind}: expected {values.expected(col.kind)}" + _fix_hint(col, level),
        value=lambda j: str(raw_cells[j]),
        label=cells.labels.get(source),
    )


def _blanks(col: schema.Column, shown: str, blank: pd.Series, cells: _Cells) -> None:
    if not blank.any():
        return
    if col.value_required:
        cells.listed(
            "error",
            blank,
            shown,
            f"a value is required for {col.name} (fill the cells, or give one for every "
            f"blank with --default {col.name}=VALUE)",
            quote=False,
        )
    elif col.name == "budget":
        cells.listed("warning", blank, shown, "blank budget loaded as null", quote=False)
    elif col.default is None:
        # The first rows and how many more (issue 14: never a silent cap).
        n = int(blank.sum())
        first = [int(r) for r in cells.rows[blank].iloc[:ROWS_SHOWN]]
        cells.add(
            "warning",
            None,
            shown,
            None,
            f"{n} blank {col.name} value(s), loaded as null ({rows_text(first, n)})",
        )


# Issue 17: the words a risk register and a dependency list use, as their canonical values;
# any other word is an error (_domain_checks). Keys are lower-case, spaces and dashes single.
RISK_STATUS_WORDS = {
    "open": "Open",
    "new": "Open",
    "identified": "Open",
    "raised": "Open",
    "active": "Open",
    "mitigating": "Mitigating",
    "mitigation": "Mitigating",
    "in progress": "Mitigating",
    "treating": "Mitigating",
    "monitoring": "Mitigating",
    "managing": "Mitigating",
    "closed": "Closed",
    "resolved": "Closed",
    "retired": "Closed",
    "done": "Closed",
    "complete": "Closed",
    "completed": "Closed",
}
DEPENDENCY_TYPE_WORDS = {
    "finish-to-start": "finish-to-start",
    "finish to start": "finish-to-start",
    "finish-start": "finish-to-start",
    "fs": "finish-to-start",
    "f-s": "finish-to-start",
    "start-to-start": "start-to-start",
    "start to start": "start-to-start",
    "start-start": "start-to-start",
    "ss": "start-to-start",
    "s-s": "start-to-start",
}
_WORD_COLUMNS = {
    ("risks", "status"): RISK_STATUS_WORDS,
    ("dependencies", "type"): DEPENDENCY_TYPE_WORDS,
}


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
                lambda v, w=words: w.get(_word_key(v), v) if isinstance(v, str) else v
            )


class _Rows:
    """One table's rows under domain rules: each broken rule is one finding with its count."""

    def __init__(self, frame: pd.DataFrame, raw: RawTable, rows: pd.Series) -> None:
        self.frame, self.raw, self.rows, self.found = frame, raw, rows, []

    def num(self, column: str) -> pd.Series:
        return pd.to_numeric(self.frame[column], errors="coerce").astype("float64")

    def bad(self, mask: pd.Series, column: str, message: str) -> None:
        """The rows where ``mask`` holds break the rule ``message`` about ``column``."""
        mask = mask.fillna(False).astype(bool)
        idx = mask[mask].index
        if not len(idx):
            return
        listed = [int(self.rows[i]) for i in idx[:MAX_LISTED]]
        cells = [str(self.frame.at[i, column]) for i in idx[:5]]
        text = (
            message
            if len(idx) == 1
            else f"{message}: {len(idx)} rows ({rows_text(listed, len(idx), cells)})"
        )
        self.found.append(
            Finding(
                "error",
                self.raw.file,
                self.raw.sheet,
                listed[0],
                column,
                str(self.frame.at[idx[0], column]),
                text,
                len(idx),
                tuple(listed) if len(idx) > 1 else (),
            )
        )


def _projects_rules(r: _Rows) -> None:
    risk = r.num("risk_score")
    r.bad((risk < 1) | (risk > 5), "risk_score", "risk_score must be between 1 and 5")


def _alignment_rules(r: _Rows) -> None:
    s = r.num("score")
    r.bad((s < 0) | (s > 5), "score", "score must be a whole number from 0 to 5")


def _objectives_rules(r: _Rows) -> None:
    r.bad(r.num("weight") <= 0, "weight", "weight must be greater than 0")
    share = r.num("target_share")
    r.bad((share < 0) | (share > 1), "target_share", "target_share must be between 0% and 100%")


def _resources_rules(r: _Rows) -> None:
    r.bad(r.num("capacity_hours") < 0, "capacity_hours", "capacity_hours must not be negative")


def _status_reports_rules(r: _Rows) -> None:
    pct = r.num("percent_complete")
    r.bad((pct < 0) | (pct > 100), "percent_complete", "percent_complete must be between 0 and 100")


def _risks_rules(r: _Rows) -> None:
    for column in ("probability", "impact"):
        v = r.num(column)
        r.bad((v < 1) | (v > 5), column, f"{column} must be a whole number from 1 to 5")
    status = r.frame["status"]
    r.bad(
        status.notna() & ~status.isin(set(RISK_STATUS_WORDS.values())),
        "status",
        "status must be Open, Mitigating or Closed (blank = Open)",
    )


def _dependencies_rules(r: _Rows) -> None:
    kind = r.frame["type"]
    r.bad(
        kind.notna() & ~kind.isin(set(DEPENDENCY_TYPE_WORDS.values())),
        "type",
        "type must be finish-to-start (FS, the default when blank) or start-to-start "
        "(SS); finish-to-finish and start-to-finish links are not supported",
    )
    r.bad(
        r.frame["project_id"] == r.frame["depends_on"],
        "depends_on",
        "a project cannot depend on itself: depends_on names the project of the row",
    )


def _key_results_rules(r: _Rows) -> None:
    r.bad(r.num("weight") <= 0, "weight", "weight must be greater than 0")
    r.bad(
        r.num("target") == r.num("baseline"),
        "target",
        "target must differ from baseline: progress runs from one to the other "
        "(a target below the baseline is fine)",
    )
    start = pd.to_datetime(r.frame["baseline_date"])
    due = pd.to_datetime(r.frame["target_date"])
    r.bad(due <= start, "target_date", "target_date must be after baseline_date")


def _decisions_rules(r: _Rows) -> None:
    """Status words as the app writes them; the row keeps the canonical word."""
    words = r.frame["status"].astype("string").str.strip().str.lower()
    canonical = words.map(_DECISION_STATUS)
    r.bad(
        words.notna() & canonical.isna(),
        "status",
        f"status must be one of {', '.join(schema.DECISION_STATUSES)} (also read: "
        "to do, in progress -> Open; closed, complete -> Done; cancelled -> Dropped)",
    )
    r.frame["status"] = canonical.where(canonical.notna(), r.frame["status"]).astype(object)


# The rules beyond a column's type, per table (docs/data-model.md).
_DOMAIN_RULES = {
    "projects": _projects_rules,
    "alignment": _alignment_rules,
    "objectives": _objectives_rules,
    "resources": _resources_rules,
    "status_reports": _status_reports_rules,
    "risks": _risks_rules,
    "dependencies": _dependencies_rules,
    "key_results": _key_results_rules,
    "decisions": _decisions_rules,
}


def _domain_checks(
    table: schema.Table, frame: pd.DataFrame, raw: RawTable, rows: pd.Series
) -> list[Finding]:
    """The table's domain rules over its parsed rows: a finding per rule broken."""
    checked = _Rows(frame, raw, rows)
    rules = _DOMAIN_RULES.get(table.name)
    if rules:
        rules(checked)
    return checked.found


# Issue 21: decision statuses as exports write them (case-insensitive).
_DECISION_STATUS = {
    **{s.lower(): s for s in schema.DECISION_STATUSES},
    "to do": "Open",
    "todo": "Open",
    "in progress": "Open",
    "ongoing": "Open",
    "pending": "Open",
    "closed": "Done",
    "complete": "Done",
    "completed": "Done",
    "implemented": "Done",
    "cancelled": "Dropped",
    "canceled": "Dropped",
    "withdrawn": "Dropped",
    "rejected": "Dropped",
}


def combine(parsed: list[Parsed]) -> dict[str, Parsed]:
    """One Parsed per table: sheets of the same table from several files are stacked."""
    groups: dict[str, list[Parsed]] = {}
    for p in parsed:
        groups.setdefault(p.table, []).append(p)
    out: dict[str, Parsed] = {}
    for name, ps in groups.items():
        if len(ps) == 1 and ps[0].staged:  # staged in DuckDB (pmo.ingest.stream)
            out[name] = ps[0]
            continue
        if len(ps) == 1:
            p = ps[0]
            out[name] = Parsed(
                name, p.frame.reset_index(drop=True), p.rows.reset_index(drop=True), p.file, p.sheet
            )
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


# Columns that make a projects sheet a flat export (docs/data-model.md): each row also reports
# status.
STATUS_COLUMNS = (
    "rating",
    "rag_overall",
    "rag_schedule",
    "rag_budget",
    "rag_scope",
    "percent_complete",
    "planned_value",
    "earned_value",
    "actual_cost",
    "forecast_end_date",
)


def flat_reports(
    sheet: Sheet,
    explicit: ColumnMapping,
    projects: ColumnMapping,
    rules: Rules,
    saved: ColumnMapping | None = None,
) -> tuple[Parsed | None, list[Finding], set[str], ColumnMapping | None]:
    """The status reports a flat export carries: one per row of a projects sheet that has
    status columns, dated by its report_date column, else the import's as-of date (even when
    the row's status cells are blank: the project was reported that period without them).

    ``explicit`` is the status_reports part of the options, ``saved`` that of a saved
    mapping, ``projects`` the mapping the projects were read with (the report's project is the
    row's). Returns (the reports or None, their findings, the source headers they use, the
    status_reports part to save with the mapping: the columns and constants it was given,
    not the project, nor the as-of date that dates the reports this time).
    """
    raw = _combined_sources(_without(sheet.raw, rules.ignore), explicit, saved)
    cm = resolve(Sheet(raw, "status_reports"), explicit, saved)
    chosen = {*explicit.columns, *(saved.columns if saved is not None else ())}
    for col in [c for c, src in cm.columns.items() if src in projects.columns.values()]:
        if col not in STATUS_COLUMNS and col not in chosen:
            del cm.columns[col]  # a projects column (its name, say) matched a synonym
    if not any(c in cm.columns for c in STATUS_COLUMNS):
        return None, [], set(), None
    used = {p.strip() for c, src in cm.columns.items() for p in src.split("|")}
    cm.columns.pop("project_id", None)
    cm.constants.pop("project_id", None)
    to_save = ColumnMapping(
        "status_reports",
        dict(cm.columns),
        dict(cm.constants),
        {c: dict(v) for c, v in cm.values.items()},
    )
    if "project_id" in projects.columns:
        cm.columns["project_id"] = projects.columns["project_id"]
    elif "project_id" in projects.constants:
        cm.constants["project_id"] = projects.constants["project_id"]
    if "report_date" not in cm.columns and "report_date" not in cm.constants:
        if rules.as_of is None:
            status = ", ".join(c for c in STATUS_COLUMNS if c in cm.columns)
            asked = any(c in explicit.columns for c in STATUS_COLUMNS)
            # Mapped on purpose: an error. Only matched by header: said, and left out.
            return (
                None,
                [
                    Finding(
                        "error" if asked else "warning",
                        sheet.file,
                        sheet.sheet,
                        None,
                        None,
                        None,
                        f"the projects sheet carries status columns ({status}), so each row is "
                        "also a status report, which needs a date: give the import's as-of date "
                        "(--as-of) or map a report date column (--map SOURCE=report_date)"
                        + ("" if asked else "; not imported as status reports"),
                    )
                ],
                used if asked else set(),
                None,
            )
        cm.constants["report_date"] = rules.as_of.isoformat()
    parsed, found = parse_sheet(
        Sheet(sheet.raw, "status_reports"), mapping=cm.whole(), rules=rules, flat=True
    )
    return parsed, found, used, to_save
