"""The Data page's import steps: files, sheets, the mapping grid and preview, options, outcome."""

from __future__ import annotations

import streamlit as st

from pmo import ingest, schema
from ui import MISSING, plain, table

NOT_MAPPED = "(not mapped)"
CONSTANT = "(constant value)"


def progress_bar(text: str):
    """A progress bar and the callback the importer reports to: (bar, report(fraction, message))."""
    bar = st.progress(0.0, text=text)
    return bar, lambda fraction, message: bar.progress(min(1.0, fraction), text=message)


def sheet_label(sheet: ingest.Sheet) -> str:
    """Where a sheet came from: 'export.xlsx · sheet Projects', or the CSV's file name."""
    return sheet.file if sheet.sheet is None else f"{sheet.file} · sheet {sheet.sheet}"


def sheet_step(
    sheet: ingest.Sheet, index: int, db: str
) -> tuple[str | None, ingest.ColumnMapping | None]:
    """One uploaded sheet on the Data page: the table it holds (offered from its name) and its
    column mapping (offered from a saved mapping with the same headers, else by synonyms).

    Returns (table, the user's whole mapping); (None, None) while no table is chosen.
    """
    with st.container(border=True):
        rows, columns = len(sheet.raw.frame), len(sheet.raw.headers)
        st.text(f"{sheet_label(sheet)}: {rows} rows, {columns} columns")
        names = list(schema.TABLES)
        table = st.selectbox(
            "Table this holds",
            names,
            index=names.index(sheet.table) if sheet.table else None,
            placeholder="Choose the table (the file name does not say)",
            key=f"data_table_{index}",
        )
        if table is None:
            return None, None
        sheet_for_table = ingest.Sheet(sheet.raw, table)
        proposed, saved_name = ingest.proposed_mapping(sheet_for_table, db)
        if saved_name:
            st.caption(
                f"Mapping offered from the saved mapping {plain(str(saved_name))} (same headers)."
            )
        missing = ingest.missing_required(table, proposed)
        unknown = ingest.unknown_words(sheet_for_table, proposed)
        with st.expander(
            "Column mapping",
            expanded=bool(missing or unknown),
            icon=":material/swap_horiz:",
        ):
            key = f"{index}_{table}"
            chosen = mapping_grid(sheet_for_table, proposed, key=key)
            value_maps(sheet_for_table, chosen, proposed, key=key)
            mapping_preview(sheet_for_table, chosen, key=f"data_preview_{index}")
    return table, chosen


def mapping_grid(
    sheet: ingest.Sheet, proposed: ingest.ColumnMapping, *, key: str
) -> ingest.ColumnMapping:
    """A picker per template column of the sheet's table, three to a row: a source header,
    a constant (typed beside it) or not mapped, starting from ``proposed``."""
    options = [NOT_MAPPED, *sheet.raw.headers, CONSTANT]
    chosen = ingest.ColumnMapping(sheet.table)
    grid = st.columns(3)
    for k, col in enumerate(schema.TABLES[sheet.table].importable):
        cell = grid[k % 3]
        if col.name in proposed.columns:
            default = options.index(proposed.columns[col.name])
        elif col.name in proposed.constants:
            default = options.index(CONSTANT)
        else:
            default = 0
        label = f"{col.name} (required)" if col.required else col.name
        pick = cell.selectbox(
            label, options, index=default, key=f"data_map_{key}_{col.name}", format_func=str
        )
        if pick == CONSTANT:
            chosen.constants[col.name] = cell.text_input(
                f"{col.name}: constant",
                value=str(proposed.constants.get(col.name, "")),
                key=f"data_const_{key}_{col.name}",
            )
        elif pick != NOT_MAPPED:
            chosen.columns[col.name] = pick
    return chosen


KEEP_WORD = "(not mapped)"


def value_maps(
    sheet: ingest.Sheet, chosen: ingest.ColumnMapping, proposed: ingest.ColumnMapping, *, key: str
) -> None:
    """A value map for each word of an enumeration column that is not one of its values
    (status "In delivery", a rating word): the user picks the value it means, as the command
    line's --value COLUMN:WORD=VALUE does. The picks go into ``chosen.values`` and are saved
    with the mapping; a saved mapping's picks are offered again."""
    chosen.values = {c: dict(words) for c, words in proposed.values.items()}
    unknown = ingest.unknown_words(sheet, chosen)
    if not unknown:
        return
    allowed = ingest.enumerations(sheet.table)
    n = sum(len(words) for words in unknown.values())
    st.markdown(f"**Values to map** · {n} {'word' if n == 1 else 'words'} not in the template")
    for column, words in unknown.items():
        col = schema.TABLES[sheet.table].column(column)
        st.caption(
            f"{column} must be one of {', '.join(allowed[column])}. Choose what each word "
            "means; "
            + (
                "a word left unmapped stops the import (a value is required)."
                if col.value_required
                else "a word left unmapped stops the import, or loads blank with Lenient."
            )
        )
        saved = {str(k).strip().lower(): v for k, v in proposed.values.get(column, {}).items()}
        options = [KEEP_WORD, *allowed[column]]
        grid = st.columns(3)
        picks = {}
        for k, (word, rows) in enumerate(words):
            target = saved.get(word.lower())
            pick = grid[k % 3].selectbox(
                f"{column} “{plain(word)}” ({rows} {'row' if rows == 1 else 'rows'})",
                options,
                index=options.index(target) if target in options else 0,
                key=f"data_value_{key}_{column}_{word}",
            )
            if pick != KEEP_WORD:
                picks[word] = pick
        if picks:
            chosen.values[column] = picks
        else:
            chosen.values.pop(column, None)


def mapping_preview(sheet: ingest.Sheet, chosen: ingest.ColumnMapping, *, key: str) -> None:
    """What the mapping still lacks, and the first rows as they would be imported."""
    preview, findings = ingest.preview_mapping(sheet, chosen)
    still_missing = ingest.missing_required(sheet.table, chosen)
    if still_missing:
        st.warning(
            "Map a column or give a constant for: " + ", ".join(still_missing),
            icon=":material/warning:",
        )
    st.caption("Preview of the first rows as they would be imported")
    st.dataframe(preview, hide_index=True, key=key, placeholder=MISSING)
    problems = [f for f in findings if f.level != "info" and f.row is not None]
    if problems:
        st.caption(f"{len(problems)} cell(s) in these rows cannot be read as mapped")


MONEY_UNITS = {
    "as written": None,
    "thousands (k, 000)": "k",
    "millions (m)": "m",
    "billions (bn)": "bn",
}


def import_options(current) -> tuple:
    """The export's as-of date, the unit and the currency its money is written in (the
    command line's --as-of, --money-unit, --currency); ``current`` is pmo.settings.Settings.
    Returns (as_of or None, unit or None, currency ISO code)."""
    when, unit, money = st.columns(3)
    as_of = when.date_input(
        "As of (the export's date)",
        value=None,
        key="data_as_of",
        format="YYYY-MM-DD",
        help="The date of the export: a complete list marks what it lacks as left on this "
        "date, and flat exports date their status reports by it. Blank: the report dates.",
    )
    unit_word = unit.selectbox(
        "Money in the files is in",
        list(MONEY_UNITS),
        key="data_money_unit",
        help="GMPP-style exports give money in millions: choose millions, or name the unit in "
        "the header, e.g. 'Whole life cost (£m)'.",
    )
    codes = sorted({current.currency, "USD", "GBP", "EUR", "CAD", "AUD", "NZD", "CHF", "JPY"})
    code = money.selectbox(
        "Currency of the files",
        codes,
        index=codes.index(current.currency),
        key="data_currency",
        format_func=lambda c: f"{c} ({settings_symbol(c)})",
        help="The database holds one currency, set by its first import with money; later "
        "files must be in it. Every page shows money in it.",
    )
    return as_of, MONEY_UNITS[unit_word], code


def settings_symbol(code: str) -> str:
    """The symbol of an ISO currency code (CLDR)."""
    from pmo import settings

    return settings.symbol(code)


def settings_note(current) -> None:
    """The database's settings in one line, and how to change them."""
    scale = ", ".join(f"{k} → {v}" for k, v in current.rating_scale.items() if "/" in k)
    month = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ][current.fiscal_year_start - 1]
    st.caption(
        f"Settings of this database: money in {current.currency} ({current.symbol}); the "
        f"fiscal year starts in {month}; five-point ratings count as {scale}. Change them with "
        "`python -m pmo settings`."
    )


def import_outcome(result: ingest.ImportResult, complete: list[str]) -> None:
    """What an import (or a dry run) did: rows per table, rows removed or kept, the findings
    and a preview of each table imported."""
    counts = ", ".join(f"{k} {v}" for k, v in result.row_counts.items())
    if result.dry_run:
        st.success(f"Dry run passed: would import {counts}. Nothing was written.")
    else:
        st.success(f"Import #{result.import_id} done: {counts}.")
    # Nothing overwritten unseen: added / changed (which columns) / unchanged per table, rows
    # marked as left, status reports replaced (the importer's summary lines).
    summary = [f.message for f in result.findings if f.file == "import" and f.level == "info"]
    if summary:
        st.info("\n".join(f"- {plain(line)}" for line in summary), icon=":material/summarize:")
    if result.left:
        st.info(
            "Not in this complete list, marked as left: "
            + ", ".join(f"{k} {v}" for k, v in result.left.items())
        )
    removed = {k: v for k, v in result.removed.items() if v}
    if removed:
        verb = "would be removed" if result.dry_run else "removed"
        st.info(
            f"Stored rows not in the upload {verb} (complete list): "
            + ", ".join(f"{k} {v}" for k, v in removed.items())
        )
    kept = {k: v for k, v in result.not_in_upload.items() if v and k not in complete}
    if kept:
        st.info(
            "Stored rows not in the upload, kept: " + ", ".join(f"{k} {v}" for k, v in kept.items())
        )
    if result.findings:
        table(ingest.report(result.findings), "validation report", key="data_report")
    for name, frame_ in result.preview.items():
        with st.expander(f"Preview: {name} ({result.row_counts[name]} rows)"):
            st.dataframe(frame_, hide_index=True, placeholder=MISSING)
