"""PMO Lens: the frame and router. Page config, navigation, the shared sidebar."""

import streamlit as st

import ui
from pmo import app_data

app_data.ensure_database()
app_data.read_url_once()
presenting = app_data.presenting()
st.set_page_config(
    page_title="PMO Lens",
    page_icon=":material/insights:",
    layout="wide",
    initial_sidebar_state="collapsed" if presenting else "expanded",
)

# Each page's url_path differs from its file name on purpose: Streamlit still serves a file in
# pages/ at /<file name> on its own, without this entrypoint (no sidebar, no filters), so the
# app's links must never use those paths. tests/test_architecture.py keeps it so.
pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/alignment.py", title="Alignment", icon=":material/track_changes:",
            url_path="strategic-alignment"),
    st.Page("pages/prioritisation.py", title="Prioritisation", icon=":material/low_priority:",
            url_path="portfolio-prioritisation"),
    st.Page("pages/resources.py", title="Resources", icon=":material/groups:",
            url_path="resource-capacity"),
    st.Page("pages/performance.py", title="Performance & trends", icon=":material/trending_up:",
            url_path="performance-trends"),
    st.Page("pages/benefits.py", title="Benefits", icon=":material/savings:",
            url_path="benefits-realisation"),
    st.Page("pages/review.py", title="Review", icon=":material/compare_arrows:",
            url_path="review-changes"),
    st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data-imports"),
]
page = st.navigation(pages, position="hidden" if presenting else "top")
ui.frame()
ui.sidebar()
ui.notices()
page.run()
if presenting:
    ui.presentation_footer()
app_data.write_url()
