import pandas as pd
import streamlit as st

import ui
from pmo import app_data, export, ingest

ui.header("Data", "Upload the portfolio exports you keep; they are checked before anything is written.")

files = st.file_uploader(
    "Excel workbooks or CSV files",
    type=["xlsx", "xlsm", "csv"],
    accept_multiple_files=True,
    key="data_files",
    help="A workbook with one sheet per table, or one CSV per table named after it (projects.csv).",
)
opts = st.columns(3)
dry_run = opts[0].checkbox("Dry run (validate only)", key="data_dry_run")
lenient = opts[1].checkbox("Lenient: load unreadable optional values as blank", key="data_lenient")

if files and st.button("Validate and import", type="primary", key="data_import"):
    uploads = [ingest.Upload(f.name, f.getvalue()) for f in files]
    try:
        result = ingest.import_uploads(uploads, app_data.db_path(), dry_run=dry_run, lenient=lenient)
    except ingest.ImportRejected as rejected:
        errors = [f for f in rejected.findings if f.level == "error"]
        st.error(f"Import refused: {len(errors)} error(s). Nothing was written.", icon=":material/error:")
        ui.table(pd.DataFrame(ingest.as_dicts(rejected.findings)), "validation report", key="data_report")
    else:
        app_data.clear_caches()
        counts = ", ".join(f"{k}: {v}" for k, v in result.row_counts.items())
        if result.dry_run:
            st.success(f"Dry run passed: would import {counts}. Nothing was written.")
        else:
            st.success(f"Import #{result.import_id} done: {counts}.")
        if result.findings:
            ui.table(pd.DataFrame(ingest.as_dicts(result.findings)), "validation report", key="data_report")
        for name, frame in result.preview.items():
            with st.expander(f"Preview: {name} ({result.row_counts[name]} rows)"):
                st.dataframe(frame, hide_index=True)

st.subheader("Import history")
history = ingest.history(app_data.db_path())
if history.empty:
    st.caption("No imports yet.")
else:
    st.dataframe(history, hide_index=True, key="data_history")
    if st.button("Undo the last import", key="data_undo", icon=":material/undo:"):
        undone = ingest.undo_last(app_data.db_path())
        app_data.clear_caches()
        st.toast(f"Import #{undone} undone" if undone else "Nothing to undo")
        st.rerun()

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
if cols[1].button("Load the demo portfolio", key="data_demo", icon=":material/science:"):
    ingest.import_paths([app_data.DEMO_WORKBOOK], app_data.db_path(), user="demo")
    app_data.clear_caches()
    st.toast("Demo portfolio loaded")
    st.rerun()
