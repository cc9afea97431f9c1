"""PMO Lens: the frame and router. Page config, navigation, the shared sidebar."""

import streamlit as st

import ui
from pmo import app_data

st.set_page_config(
    page_title="PMO Lens",
    page_icon=":material/insights:",
    layout="wide",
    initial_sidebar_state="expanded",
)
app_data.ensure_database()

pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/data.py", title="Data", icon=":material/database:"),
]
page = st.navigation(pages, position="top")
ui.sidebar()
page.run()
