import streamlit as st

import ui
from pmo import app_data, views

ui.header(
    "Review",
    "What changed between two imports (each keeps the portfolio as it stood after it) or between "
    "two as-of dates: new and closed projects, status and RAG moves, date slips, budget changes.",
)

loaded = app_data.query("loaded_tables").iloc[0]
if not loaded["projects"]:
    ui.empty_state(["Projects", "Status Reports"], "the review", missing=True)
    st.stop()

period = ui.review.comparison()

# ------------------------------------------------------- decisions and actions (issue 21)
st.subheader("Decisions and actions")
log = app_data.filtered("decisions")
ui.review.decision_counts(app_data.filtered("summary_overdue_actions").iloc[0])
ui.review.decision_flash()
ui.review.decisions_log(log)

if not app_data.can_edit():  # viewers read the log (the README's sign-in and roles)
    st.caption("Editors record decisions and actions here during the review.")
    st.stop()

against = " · ".join(p for p in (period, app_data.view_in_words()) if p)
choices = views.project_choices(app_data.filtered("project_evm"))
ui.review.decision_form(choices, against, expanded=log.empty)
if not log.empty:
    ui.review.status_update(log)
