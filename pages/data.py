import streamlit as st

import ui
from pmo import app_data, export, ingest, schema

NOT_MAPPED = "(not mapped)"
CONSTANT = "(constant value)"


def progress_bar(text: str):
    bar = st.progress(0.0, text=text)
    return bar, lambda fraction, message: bar.progress(min(1.0, fraction), text=message)


ui.header(
    "Data",
    "Upload the portfolio exports you keep; they are checked before anything is written, "
    "and the last import can be undone.",
)
db = app_data.import_db()  # the PMO's own database: nothing is ever imported into the demo
editor = app_data.can_edit()  # viewers get no write controls (design §7)

st.subheader("Upload")
if not editor:
    st.info("You have read-only access: uploads, imports, undo and demo data are for editors.",
            icon=":material/lock:")
files = editor and st.file_uploader(
    "Drop Excel workbooks or CSV files here (several at once)",
    type=["xlsx", "xlsm", "csv"],
    accept_multiple_files=True,
    key="data_files",
    help="A workbook with one sheet per table, or one CSV per table named after it "
    "(projects.csv). Other exports can be mapped column by column below.",
)
uploads = [ingest.Upload(f.name, f.getvalue()) for f in files or []]

table_choice: dict[str, str] = {}
column_mappings: dict[str, ingest.ColumnMapping] = {}  # per sheet: the grid's whole choice
incomplete: list[str] = []
if uploads:
    signature = tuple((u.name, u.sha256) for u in uploads)
    if st.session_state.get("data_read", (None,))[0] != signature:
        bar, report_progress = progress_bar("Reading files…")
        sheets, read_findings = ingest.inspect(uploads, db, progress=report_progress)
        bar.empty()
        st.session_state["data_read"] = (signature, sheets, read_findings)
    _, sheets, read_findings = st.session_state["data_read"]
    read_errors = [f for f in read_findings if f.level == "error" and "which table" not in f.message]
    if read_errors:
        st.error(f"{len(read_errors)} file(s) cannot be read.", icon=":material/error:")
        ui.table(ingest.report(read_errors), "files not read", key="data_read_report")

    for i, sheet in enumerate(sheets):
        where = sheet.file if sheet.sheet is None else f"{sheet.file} · sheet {sheet.sheet}"
        with st.container(border=True):
            st.text(f"{where}: {len(sheet.raw.frame)} rows, {len(sheet.raw.headers)} columns")
            names = list(schema.TABLES)
            table = st.selectbox(
                "Table this holds",
                names,
                index=names.index(sheet.table) if sheet.table else None,
                placeholder="Choose the table (the file name does not say)",
                key=f"data_table_{i}",
            )
            if table is None:
                incomplete.append(where)
                continue
            table_choice[sheet.key] = table
            sheet_for_table = ingest.Sheet(sheet.raw, table)
            proposed, saved_name = ingest.proposed_mapping(sheet_for_table, db)
            if saved_name:
                st.caption(f"Mapping offered from the saved mapping {ui.plain(str(saved_name))} (same headers).")
            missing = ingest.missing_required(table, proposed)
            with st.expander("Column mapping", expanded=bool(missing), icon=":material/swap_horiz:"):
                options = [NOT_MAPPED, *sheet.raw.headers, CONSTANT]
                chosen = ingest.ColumnMapping(table)
                grid = st.columns(3)
                for k, col in enumerate(schema.TABLES[table].importable):
                    cell = grid[k % 3]
                    if col.name in proposed.columns:
                        default = options.index(proposed.columns[col.name])
                    elif col.name in proposed.constants:
                        default = options.index(CONSTANT)
                    else:
                        default = 0
                    label = f"{col.name} (required)" if col.required else col.name
                    pick = cell.selectbox(
                        label, options, index=default, key=f"data_map_{i}_{table}_{col.name}",
                        format_func=str,
                    )
                    if pick == CONSTANT:
                        chosen.constants[col.name] = cell.text_input(
                            f"{col.name}: constant",
                            value=str(proposed.constants.get(col.name, "")),
                            key=f"data_const_{i}_{table}_{col.name}",
                        )
                    elif pick != NOT_MAPPED:
                        chosen.columns[col.name] = pick
                    elif col.name in proposed.constants:
                        pass
                preview, preview_findings = ingest.preview_mapping(sheet_for_table, chosen)
                still_missing = ingest.missing_required(table, chosen)
                if still_missing:
                    st.warning(
                        "Map a column or give a constant for: " + ", ".join(still_missing),
                        icon=":material/warning:",
                    )
                st.caption("Preview of the first rows as they would be imported")
                st.dataframe(preview, hide_index=True, key=f"data_preview_{i}", placeholder=ui.MISSING)
                problems = [f for f in preview_findings if f.level != "info" and f.row is not None]
                if problems:
                    st.caption(f"{len(problems)} cell(s) in these rows cannot be read as mapped")
            column_mappings[sheet.key] = chosen

    st.subheader("Import")
    lenient = st.checkbox(
        "Lenient: load unreadable optional values as blank (listed as warnings)",
        key="data_lenient",
    )
    save_as = st.text_input(
        "Save the mapping as (optional)", key="data_save_mapping",
        placeholder="e.g. finance export", help="Offered again for files with the same headers.",
    )
    complete = []
    for table in sorted(set(table_choice.values()), key=list(schema.TABLES).index):
        what = (f"mark stored {table} the upload lacks as left (their history is kept)"
                if schema.TABLES[table].snapshot else f"remove stored {table} rows the upload lacks")
        if st.checkbox(f"{table} is the complete list: {what}", key=f"data_complete_{table}"):
            complete.append(table)
    buttons = st.container(horizontal=True)
    dry = buttons.button("Dry run (validate only)", key="data_dry_run", icon=":material/rule:")
    go = buttons.button("Import", type="primary", key="data_import", icon=":material/upload:")
    if incomplete and (dry or go):
        st.error("Choose the table for: " + ", ".join(ui.plain(w) for w in incomplete))
    elif dry or go:
        user = app_data.require_editor("import data")
        bar, report_progress = progress_bar("Validating…")
        try:
            result = ingest.import_uploads(
                uploads,
                db,
                dry_run=dry,
                lenient=lenient,
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
            ui.table(ingest.report(rejected.findings), "validation report", key="data_report")
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
            counts = ", ".join(f"{k} {v}" for k, v in result.row_counts.items())
            if result.dry_run:
                st.success(f"Dry run passed: would import {counts}. Nothing was written.")
            else:
                st.success(f"Import #{result.import_id} done: {counts}.")
            if result.left:
                st.info("Not in this complete list, marked as left: "
                        + ", ".join(f"{k} {v}" for k, v in result.left.items()))
            removed = {k: v for k, v in result.removed.items() if v}
            if removed:
                verb = "would be removed" if result.dry_run else "removed"
                st.info(
                    "Stored rows not in the upload "
                    + verb
                    + " (complete list): "
                    + ", ".join(f"{k} {v}" for k, v in removed.items())
                )
            kept = {k: v for k, v in result.not_in_upload.items() if v and k not in complete}
            if kept:
                st.info(
                    "Stored rows not in the upload, kept: "
                    + ", ".join(f"{k} {v}" for k, v in kept.items())
                )
            if result.findings:
                ui.table(ingest.report(result.findings), "validation report", key="data_report")
            for name, frame in result.preview.items():
                with st.expander(f"Preview: {name} ({result.row_counts[name]} rows)"):
                    st.dataframe(frame, hide_index=True, placeholder=ui.MISSING)

st.subheader("Import history")
history = app_data.import_history()
if history.empty:
    st.caption("No imports yet.")
else:
    st.dataframe(ingest.history_table(history), hide_index=True, key="data_history", placeholder=ui.MISSING)
    last = ingest.last_import_id(history)
    if editor and last is not None and st.button(
        f"Undo import #{last}", key="data_undo", icon=":material/undo:"
    ):
        app_data.require_editor("undo an import")
        undone = ingest.undo_last(db)
        app_data.clear_caches()
        st.session_state.pop("data_read", None)
        st.toast(f"Import #{undone} undone" if undone else "Nothing to undo")
        st.rerun()

st.subheader("Data quality")
quality = app_data.query("data_quality", as_of=app_data.current_filters()["as_of"])
if quality.empty:
    st.caption("No gaps found: every project has a manager, a budget, recent status and alignment.")
else:
    st.caption(f"{len(quality)} gap(s) that make KPIs incomplete")
    ui.table(quality, "data quality findings", key="data_quality")

st.subheader("Template and demo")
cols = st.columns(2)
cols[0].download_button(
    "Download the upload template",
    data=export.template_workbook,
    file_name="pmo_lens_template.xlsx",
    icon=":material/download:",
    key="data_template",
    on_click="ignore",
)
if app_data.is_demo():
    cols[1].caption("You are looking at the demo portfolio; the banner above leads to your own data.")
elif cols[1].button("Explore the demo portfolio", key="data_explore_demo", icon=":material/science:",
                    help="Look at Northwind Financial's made-up portfolio in this session. "
                    "Your own data stays as it is; the banner offers the way back."):
    app_data.show_demo(True)
    st.rerun()
