"""PMO Lens: the frame and router. Sign-in, page config, navigation, the shared sidebar."""

import streamlit as st

import ui
from pmo import app_data

# Design §7: with [auth] in secrets, a visitor who has not signed in sees the sign-in
# screen only: a navigation of one page, no data, no sidebar. It comes first: nothing
# below (not even the demo build or the URL's filters) runs for them.
who = app_data.identity()
if not who.can_view:
    st.set_page_config(
        page_title="PMO Lens", page_icon=":material/insights:", initial_sidebar_state="collapsed"
    )
    st.navigation(
        [st.Page(ui.sign_in_screen, title="Sign in", icon=":material/login:")], position="hidden"
    ).run()
    st.stop()

app_data.ensure_database()
app_data.read_url_once()
presenting = app_data.presenting()
st.set_page_config(
    page_title="PMO Lens",
    page_icon=":material/insights:",
    layout="wide",
    initial_sidebar_state="collapsed" if presenting else "expanded",
)

# The navigation per role: every signed-in user sees every page; pages draw their write
# controls only for editors, and every write also calls app_data.require_editor().
# Each page's url_path is its file name: until the first st.navigation call of a process,
# Streamlit routes requests through the pages/ folder, and any other path would get a "Page
# not found" dialog (a shared link opened first after a restart). A page reached that way
# runs this frame around itself (app_data.guard_page). tests/test_architecture.py keeps it so.
pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page(
        "pages/alignment.py",
        title="Alignment",
        icon=":material/track_changes:",
        url_path="alignment",
    ),
    st.Page(
        "pages/prioritisation.py",
        title="Prioritisation",
        icon=":material/low_priority:",
        url_path="prioritisation",
    ),
    st.Page(
        "pages/resources.py", title="Resources", icon=":material/groups:", url_path="resources"
    ),
    st.Page(
        "pages/performance.py",
        title="Performance & trends",
        icon=":material/trending_up:",
        url_path="performance",
    ),
    st.Page("pages/benefits.py", title="Benefits", icon=":material/savings:", url_path="benefits"),
    st.Page(
        "pages/roadmap.py", title="Roadmap", icon=":material/view_timeline:", url_path="roadmap"
    ),
    st.Page("pages/review.py", title="Review", icon=":material/compare_arrows:", url_path="review"),
    st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data"),
]
page = st.navigation(pages, position="hidden" if presenting else "top")
ui.frame()
ui.sidebar()
ui.account(who)
ui.notices()
page.run()
if presenting:
    ui.presentation_footer()
app_data.write_url()
