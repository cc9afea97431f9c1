import streamlit as st

import ui
from pmo import app_data, export, ingest, schema

ui.header(
    "Data",
    "Upload the portfolio exports you keep; they are checked before anything is written, "
    "and the last import can be undone.",
)
db = app_data.import_db()  # the PMO's own database: nothing is ever imported into the demo
editor = app_data.can_edit()  # viewers get no write controls (the README's sign-in and roles)

st.subheader("Upload")
if not editor:
    st.info(
        "You have read-only access: uploads, imports, undo and demo data are for editors.",
        icon=":material/lock:",
    )
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
        bar, report_progress = ui.progress_bar("Reading files…")
        sheets, read_findings = ingest.inspect(uploads, db, progress=report_progress)
        bar.empty()
        st.session_state["data_read"] = (signature, sheets, read_findings)
    _, sheets, read_findings = st.session_state["data_read"]
    read_errors = [
        f for f in read_findings if f.level == "error" and "which table" not in f.message
    ]
    if read_errors:
        st.error(f"{len(read_errors)} file(s) cannot be read.", icon=":material/error:")
        ui.table(ingest.report(read_errors), "files not read", key="data_read_report")

    for i, sheet in enumerate(sheets):
        table, chosen = ui.sheet_step(sheet, i, db)
        if table is None:
            incomplete.append(ui.sheet_label(sheet))
            continue
        table_choice[sheet.key] = table
        column_mappings[sheet.key] = chosen

    st.subheader("Import")
    lenient = st.checkbox(
        "Lenient: load unreadable optional values as blank (listed as warnings)",
        key="data_lenient",
    )
    as_of, unit, currency = ui.import_options(app_data.database_settings())
    save_as = st.text_input(
        "Save the mapping as (optional)",
        key="data_save_mapping",
        placeholder="e.g. finance export",
        help="Offered again for files with the same headers.",
    )
    complete = []
    for table in sorted(set(table_choice.values()), key=list(schema.TABLES).index):
        what = (
            f"mark stored {table} the upload lacks as left (their history is kept)"
            if schema.TABLES[table].snapshot
            else f"remove stored {table} rows the upload lacks"
        )
        if st.checkbox(f"{table} is the complete list: {what}", key=f"data_complete_{table}"):
            complete.append(table)
    buttons = st.container(horizontal=True)
    dry = buttons.button("Dry run (validate only)", key="data_dry_run", icon=":material/rule:")
    go = buttons.button("Import", type="primary", key="data_import", icon=":material/upload:")
    if incomplete and (dry or go):
        st.error("Choose the table for: " + ", ".join(ui.plain(w) for w in incomplete))
    elif dry or go:
        user = app_data.require_editor("import data")
        bar, report_progress = ui.progress_bar("Validating…")
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
            ui.import_outcome(result, complete)

st.subheader("Import history")
history = app_data.import_history()
if history.empty:
    st.caption("No imports yet.")
else:
    st.dataframe(
        ingest.history_table(history),
        hide_index=True,
        key="data_history",
        placeholder=ui.MISSING,
        column_config={
            "import_id": "Import",
            "imported_at": "Imported at",
            "imported_by": "By",
            "files": "Files",
            "as_of": "As of",
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

ui.settings_note(app_data.database_settings())

st.subheader("Data quality")
quality = app_data.query("data_quality", as_of=app_data.current_filters()["as_of"])
if quality.empty:
    st.caption("No gaps found: every project has a manager, a budget, recent status and alignment.")
else:
    st.caption(f"{len(quality)} {'gap' if len(quality) == 1 else 'gaps'} that make KPIs incomplete")
    ui.table(
        quality,
        "data quality findings",
        key="data_quality",
        column_config={
            "finding": "Finding",
            "table_name": "Sheet",
            "id": "ID",
            "name": "Name",
            "detail": "Detail",
        },
    )

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
    cols[1].caption(
        "You are looking at the demo portfolio; the banner above leads to your own data."
    )
elif cols[1].button(
    "Explore the demo portfolio",
    key="data_explore_demo",
    icon=":material/science:",
    help="Look at Northwind Financial's made-up portfolio in this session. "
    "Your own data stays as it is; the banner offers the way back.",
):
    app_data.show_demo(True)
    st.rerun()
