"""The Data page's import steps: files, sheets, the mapping grid and preview, options, outcome."""

from __future__ import annotations

import re

import streamlit as st

from pmo import app_data, ingest, schema, settings
from ui import DATE_FORMAT, MISSING, date_column, month_column, plain, table

NOT_MAPPED = "(not mapped)"
CONSTANT = "(constant value)"


def upload_step(editor: bool) -> list[ingest.Upload]:
    """The file uploader (editors only; viewers are told why there is none)."""
    if not editor:
        st.info(
            "You have read-only access: uploads, imports, undo and settings are for editors.",
            icon=":material/lock:",
        )
        return []
    files = st.file_uploader(
        "Drop Excel workbooks or CSV files here (several at once)",
        type=["xlsx", "xlsm", "csv"],
        accept_multiple_files=True,
        key="data_files",
        help="A workbook with one sheet per table, or one CSV per table named after it "
        "(projects.csv). Other exports can be mapped column by column below.",
    )
    return [ingest.Upload(f.name, f.getvalue()) for f in files or []]


def read_step(uploads: list[ingest.Upload], db: str) -> list[ingest.Sheet]:
    """The uploads read once per set of files (kept in the session); files that cannot be
    read are listed."""
    signature = tuple((u.name, u.sha256) for u in uploads)
    if st.session_state.get("data_read", (None,))[0] != signature:
        bar, report_progress = progress_bar("Reading files…")
        sheets, read_findings = ingest.inspect(uploads, db, progress=report_progress)
        bar.empty()
        st.session_state["data_read"] = (signature, sheets, read_findings)
    _, sheets, read_findings = st.session_state["data_read"]
    read_errors = [
        f for f in read_findings if f.level == "error" and "which table" not in f.message
    ]
    if read_errors:
        st.error(f"{len(read_errors)} file(s) cannot be read.", icon=":material/error:")
        findings_table(read_errors, "files not read", key="data_read_report")
    return sheets


def mapping_step(
    sheets: list[ingest.Sheet], db: str
) -> tuple[dict[str, str], dict[str, ingest.ColumnMapping], list[str]]:
    """Each sheet's table and mapping: ({Sheet.key: table}, {Sheet.key: mapping}, the sheets
    still without a table)."""
    table_choice: dict[str, str] = {}
    column_mappings: dict[str, ingest.ColumnMapping] = {}
    incomplete: list[str] = []
    for i, sheet in enumerate(sheets):
        name, chosen = sheet_step(sheet, i, db)
        if name is None:
            incomplete.append(sheet_label(sheet))
            continue
        table_choice[sheet.key] = name
        column_mappings[sheet.key] = chosen
    return table_choice, column_mappings, incomplete


def complete_lists(tables: list[str]) -> list[str]:
    """A checkbox per table imported: the upload is its complete list (--complete)."""
    complete = []
    for name in sorted(set(tables), key=list(schema.TABLES).index):
        what = (
            f"mark stored {name} the upload lacks as left (their history is kept)"
            if schema.TABLES[name].snapshot
            else f"remove stored {name} rows the upload lacks"
        )
        if st.checkbox(f"{name} is the complete list: {what}", key=f"data_complete_{name}"):
            complete.append(name)
    return complete


def import_step(
    uploads: list[ingest.Upload],
    db: str,
    table_choice: dict[str, str],
    column_mappings: dict[str, ingest.ColumnMapping],
    incomplete: list[str],
) -> None:
    """The import's options, the dry run and import buttons, and what they did."""
    lenient = st.checkbox(
        "Lenient: load unreadable optional values as blank (listed as warnings)",
        key="data_lenient",
    )
    as_of, unit, currency = import_options(app_data.database_settings())
    save_as = st.text_input(
        "Save the mapping as (optional)",
        key="data_save_mapping",
        placeholder="e.g. finance export",
        help="The column mappings and value maps, offered again for files with the same headers.",
    )
    complete = complete_lists(list(table_choice.values()))
    buttons = st.container(horizontal=True)
    dry = buttons.button("Dry run (validate only)", key="data_dry_run", icon=":material/rule:")
    go = buttons.button("Import", type="primary", key="data_import", icon=":material/upload:")
    if not (dry or go):
        return
    if incomplete:
        st.error("Choose the table for: " + ", ".join(plain(w) for w in incomplete))
        return
    user = app_data.require_editor("import data")
    bar, report_progress = progress_bar("Validating…")
    try:
        result = ingest.import_uploads(
            uploads,
            db,
            dry_run=dry,
            lenient=lenient,
            as_of=as_of,
            money_unit=unit,
            currency=currency,
            table=table_choice,
            column_mappings=column_mappings,
            complete=complete,
            save_mapping=(save_as.strip() or None) if go else None,
            progress=report_progress,
            user=user,
        )
    except ingest.ImportRejected as rejected:
        bar.empty()
        st.error(
            f"Import refused: {len(rejected.errors)} error(s). Nothing was written. "
            "Each is listed below with its file, sheet, row and column.",
            icon=":material/error:",
        )
        findings_table(rejected.findings, "validation report", key="data_report")
    except ingest.MappingError as exc:
        bar.empty()
        st.error(f"Mapping problem: {exc}", icon=":material/error:")
    except Exception as exc:  # never a traceback: the import rolled back
        bar.empty()
        st.error(f"The import failed and nothing was written: {exc}", icon=":material/error:")
    else:
        bar.empty()
        if not result.dry_run:
            app_data.show_demo(False)  # the data just imported is what the app shows now
        app_data.clear_caches()
        import_outcome(result, complete)


# The command line's options, as the Data page's controls that do the same (issue 14: a
# message names the control that fixes it).
_CONTROLS = (
    (re.compile(r"--value [^\s,;)]+"), "a value map under Column mapping › Values to map"),
    (re.compile(r"--lenient"), "the Lenient checkbox"),
    (re.compile(r"--map SOURCE=(\w+)"), r"a source column for \1 in the Column mapping"),
    (re.compile(r"--map [^\s,;)]+"), "the Column mapping"),
    (re.compile(r"--default (\w+)=[^\s,;)]+"), r"a constant for \1 in the Column mapping"),
    (re.compile(r"--as-of"), "the As of date"),
    (
        re.compile(r"--currency( CODE)?( \(e\.g\. --currency \w+\))?"),
        "the Currency of the files choice",
    ),
    (re.compile(r"--money-unit"), "the Money in the files is in choice"),
)


def for_the_page(message: str) -> str:
    """A finding's message with the command line's options named as this page's controls."""
    for pattern, control in _CONTROLS:
        message = pattern.sub(control, message)
    return message


def findings_table(findings: list, name: str, *, key: str) -> None:
    """The validation report, its fixes named as this page's controls."""
    report = ingest.report(findings)
    if "message" in report.columns:
        report["message"] = report["message"].map(for_the_page)
    table(report, name, key=key)


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
            still_missing = ingest.missing_required(table, chosen)
            if still_missing:
                st.warning(
                    "Map a column or give a constant for: " + ", ".join(still_missing),
                    icon=":material/warning:",
                )
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
    unknown = {
        **ingest.unknown_words(sheet, chosen),
        **ingest.flat_unknown_words(sheet, chosen),
    }
    if not unknown:
        return
    n = sum(len(words) for words in unknown.values())
    st.markdown(f"**Values to map** · {n} {'word' if n == 1 else 'words'} not in the template")
    for target, words in unknown.items():
        name, column = target.split(".", 1) if "." in target else (sheet.table, target)
        col = schema.TABLES[name].column(column)
        allowed = ingest.enumerations(name)[column]
        where = f"{column} (the status report each row carries)" if "." in target else column
        st.caption(
            f"{where} must be one of {', '.join(allowed)}. Choose what each word means; "
            + (
                "a word left unmapped stops the import (a value is required)."
                if col.value_required
                else "a word left unmapped stops the import, or loads blank with Lenient."
            )
        )
        saved = {str(k).strip().lower(): v for k, v in proposed.values.get(target, {}).items()}
        options = [KEEP_WORD, *allowed]
        grid = st.columns(3)
        picks = {}
        for k, (word, rows) in enumerate(words):
            was = saved.get(word.lower())
            pick = grid[k % 3].selectbox(
                f"{column} “{plain(word)}” ({rows} {'row' if rows == 1 else 'rows'})",
                options,
                index=options.index(was) if was in options else 0,
                key=f"data_value_{key}_{target}_{word}",
            )
            if pick != KEEP_WORD:
                picks[word] = pick
        if picks:
            chosen.values[target] = picks
        else:
            chosen.values.pop(target, None)


def date_columns(name: str) -> dict:
    """Column configs that show a table's dates as 31 Oct 2026 (months as Oct 2026)."""
    return {
        c.name: (month_column if c.kind == "month" else date_column)(c.name)
        for c in schema.TABLES[name].columns
        if c.kind in ("date", "month")
    }


def mapping_preview(sheet: ingest.Sheet, chosen: ingest.ColumnMapping, *, key: str) -> None:
    """The first rows as they would be imported."""
    preview, findings = ingest.preview_mapping(sheet, chosen)
    st.caption("Preview of the first rows as they would be imported")
    st.dataframe(
        preview,
        hide_index=True,
        key=key,
        placeholder=MISSING,
        column_config=date_columns(sheet.table),
    )
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
    return settings.symbol(code)


MONTHS = settings.MONTHS
SPLIT_RATINGS = ("Amber/Green", "Amber/Red")  # the points a scale may count either way


def settings_note(current) -> None:
    """The database's settings in one line."""
    scale = ", ".join(f"{k} → {v}" for k, v in current.rating_scale.items() if "/" in k)
    st.caption(
        f"Money in {current.currency} ({current.symbol}); the fiscal year starts in "
        f"{MONTHS[current.fiscal_year_start - 1]}; five-point ratings count as {scale}. "
        "The command line: `python -m pmo settings`."
    )


def settings_step(current, db: str, editor: bool) -> None:
    """The database's settings (pmo.settings): shown to everyone, changed by editors (the
    command line's `python -m pmo settings`). A bad value is a message; nothing is written."""
    settings_note(current)
    if not editor:
        return
    with (
        st.expander("Change the settings", icon=":material/settings:"),
        st.form("data_settings", border=False),
    ):
        cols = st.columns(4)
        code = cols[0].text_input(
            "Currency (ISO code)",
            value=current.currency,
            key="data_set_currency",
            help="e.g. USD, GBP, EUR. Stored amounts are relabelled, not converted: change it "
            "only when the database's money was in the wrong currency.",
        )
        month = cols[1].selectbox(
            "Fiscal year starts in",
            MONTHS,
            index=current.fiscal_year_start - 1,
            key="data_set_fiscal_year",
        )
        scale = {
            point: cols[2 + k].selectbox(
                f"A rating of {point} counts as",
                schema.RAGS,
                index=schema.RAGS.index(current.rating_scale[point]),
                key=f"data_set_scale_{point}",
                help="Five-point ratings (UK Delivery Confidence) as the RAG every KPI counts; "
                "applies to the status reports imported from now on.",
            )
            for k, point in enumerate(SPLIT_RATINGS)
        }
        save = st.form_submit_button("Save settings", key="data_settings_save")
    if save:
        app_data.require_editor("change the settings")
        try:
            new = settings.save(
                db,
                currency=code,
                fiscal_year_start=MONTHS.index(month) + 1,
                rating_scale=scale,
            )
        except ValueError as exc:
            st.error(f"Settings not saved: {exc}. Nothing was changed.", icon=":material/error:")
            return
        app_data.clear_caches()
        st.toast(f"Settings saved: money in {new.currency} ({new.symbol}) on every page")
        st.rerun()


def import_history(db: str, editor: bool) -> None:
    """The imports, newest first, and undo of the last one (editors)."""
    history = app_data.import_history()
    if history.empty:
        st.caption("No imports yet.")
        return
    st.dataframe(
        ingest.history_table(history),
        hide_index=True,
        key="data_history",
        placeholder=MISSING,
        column_order=["import_id", "imported_at", "imported_by", "files", "as_of", "row_counts"],
        column_config={
            "import_id": "Import",
            "imported_at": st.column_config.DatetimeColumn(
                "Imported at", format=f"{DATE_FORMAT}, HH:mm"
            ),
            "imported_by": "By",
            "files": "Files",
            "as_of": date_column("As of"),
            "row_counts": "Rows",
        },
    )
    last = ingest.last_import_id(history)
    if (
        editor
        and last is not None
        and st.button(f"Undo import #{last}", key="data_undo", icon=":material/undo:")
    ):
        app_data.require_editor("undo an import")
        undone = ingest.undo_last(db)
        app_data.clear_caches()
        st.session_state.pop("data_read", None)
        st.toast(f"Import #{undone} undone" if undone else "Nothing to undo")
        st.rerun()


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
    rest = [f for f in result.findings if not (f.file == "import" and f.level == "info")]
    if rest:  # the summary lines are said above
        findings_table(rest, "validation report", key="data_report")
    for name, frame_ in result.preview.items():
        with st.expander(f"Preview: {name} ({result.row_counts[name]} rows)"):
            st.dataframe(
                frame_, hide_index=True, placeholder=MISSING, column_config=date_columns(name)
            )
