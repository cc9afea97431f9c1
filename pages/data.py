import streamlit as st

import ui
from pmo import app_data, export

ui.header(
    "Data",
    "Upload the portfolio exports you keep; they are checked before anything is written, "
    "and the last import can be undone.",
)
db = app_data.import_db()  # the PMO's own database: nothing is ever imported into the demo
editor = app_data.can_edit()  # viewers get no write controls (the README's sign-in and roles)

st.subheader("Upload")
uploads = ui.upload_step(editor)
if uploads:
    sheets = ui.read_step(uploads, db)
    table_choice, column_mappings, incomplete = ui.mapping_step(sheets, db)
    st.subheader("Import")
    ui.import_step(uploads, db, table_choice, column_mappings, incomplete)

st.subheader("Import history")
ui.import_history(db, editor)

st.subheader("Settings")
ui.settings_step(app_data.database_settings(), db, editor)

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
