import streamlit as st

import ui
from pmo import app_data, format, review, views
from ui import charts  # pmo.charts, each spec kept per query, params and data version

ui.header(
    "Review",
    "What changed between two imports (each keeps the portfolio as it stood after it) or between "
    "two as-of dates: new and closed projects, status and RAG moves, date slips, budget changes.",
)

loaded = app_data.query("loaded_tables").iloc[0]
if not loaded["projects"]:
    ui.empty_state(["Projects", "Status Reports"], "the review", missing=True)
    st.stop()

imports = app_data.query("review_import_options")
IMPORTS, DATES = "Two imports", "Two as-of dates"
mode = st.segmented_control(
    "Compare", [IMPORTS, DATES], default=IMPORTS if len(imports) >= 2 else DATES,
    key="review_mode",
) or DATES

if mode == IMPORTS and len(imports) < 2:
    st.info(
        "There is only one import to compare so far"
        if len(imports) else "No import recorded yet can be compared",
        icon=":material/compare_arrows:",
    )
    st.caption("Each import from now on keeps the portfolio as it stood after it; import next "
               "month's exports on the Data page, or compare two as-of dates.")
    st.stop()

if mode == IMPORTS:
    labels = views.import_labels(imports)
    ids = list(labels)
    pick = st.columns(2)
    before_id = pick[0].selectbox("From import (earlier state)", ids, index=1,
                                  format_func=labels.get, key="review_from_import")
    after_id = pick[1].selectbox("To import (later state)", ids, index=0,
                                 format_func=labels.get, key="review_to_import")
    if before_id == after_id:
        st.info("Pick two different imports.", icon=":material/compare_arrows:")
        st.stop()
    changes = app_data.filtered("review_imports", from_import=before_id, to_import=after_id)
    period = f"import #{before_id} → import #{after_id}"
    kinds = list(review.KINDS)
else:
    to_default = app_data.as_of_in_force()
    pick = st.columns(2)
    from_date = pick[0].date_input("From (earlier date)", value=review.previous_month_end(to_default),
                                   key="review_from_date", format="YYYY-MM-DD")
    to_date = pick[1].date_input("To (later date)", value=to_default, key="review_to_date",
                                 format="YYYY-MM-DD")
    if from_date is None or to_date is None or from_date >= to_date:
        st.info("Pick an earlier From date and a later To date.", icon=":material/date_range:")
        st.stop()
    changes = app_data.filtered("review_changes", from_date=from_date, to_date=to_date)
    period = f"{views.day(from_date)} → {views.day(to_date)}"
    kinds = list(review.DATE_KINDS)
    st.caption("Between dates the status reports tell RAG and forecast moves; status, planned end "
               "and budget changes need two imports (the project list keeps no history).")

counts = review.counts(changes)
with st.container(horizontal=True):
    st.metric("New projects", format.count(counts["new"]), border=True)
    st.metric("Closed", format.count(counts["closed"]), border=True,
              help="Became Completed or Cancelled (or no longer in the data)" if mode == IMPORTS
              else "Finished (actual end date) in the period")
    st.metric("Status changes", format.count(counts["status"]) if mode == IMPORTS else format.DASH,
              border=True, help="Other status changes" if mode == IMPORTS
              else "Needs two imports")
    st.metric("RAG better", format.count(counts["rag_better"]), border=True)
    st.metric("RAG worse", format.count(counts["rag_worse"]), border=True)
    st.metric("Slipped", format.count(counts["slipped_projects"]), border=True,
              help="Projects whose planned end or forecast finish moved later")
    st.metric("Budget changes", format.count(counts["budget"]) if mode == IMPORTS else format.DASH,
              border=True, help=None if mode == IMPORTS else "Needs two imports")

if changes.empty:
    st.success(f"No changes for the projects shown, {period}.", icon=":material/check_circle:")
    st.stop()

if counts["rag_better"] or counts["rag_worse"]:
    ui.chart(charts.rag_movement(changes), "RAG movement", key="review_rag")
else:
    st.caption(f"No project's RAG changed, {period}.")

COLUMNS = {
    "project_id": "Project ID",
    "name": "Project",
    "delta_days": st.column_config.NumberColumn("Moved by (days)", format="%+d",
                                                help="Positive: later; negative: pulled in"),
    "delta_amount": st.column_config.NumberColumn("Change", format="$%,.0f"),
}
WORDS = {
    "new": ("", "Now"),
    "closed": ("Before", "Now"),
    "status": ("Status before", "Status now"),
    "rag_better": ("RAG before", "RAG now"),
    "rag_worse": ("RAG before", "RAG now"),
    "end_date_slip": ("Planned end before", "Planned end now"),
    "forecast_slip": ("Forecast before", "Forecast now"),
    "budget": ("Budget before", "Budget now"),
}
labels = [f"{review.KINDS[k]} ({counts[k]})" for k in kinds]
# Open on the first kind that has changes.
tabs = st.tabs(labels, default=next((lb for k, lb in zip(kinds, labels, strict=True) if counts[k]),
                                    labels[0]))
for tab, kind in zip(tabs, kinds, strict=True):
    with tab:
        rows = review.display(changes, kind)
        if rows.empty:
            st.caption(f"None, {period}.")
            continue
        before, after = WORDS[kind]
        money = kind == "budget"
        config = {
            **COLUMNS,
            "before": st.column_config.NumberColumn(before, format="$%,.0f") if money else before,
            "after": st.column_config.NumberColumn(after, format="$%,.0f") if money else after,
        }
        order = [c for c in rows.columns if not (kind == "new" and c == "before")]
        ui.table(rows, f"Review {review.KINDS[kind]}", key=f"review_{kind}",
                 column_order=order, column_config=config)
