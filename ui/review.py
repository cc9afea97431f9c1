"""The Review page's blocks: the comparison of two imports or two dates, the decisions log,
the form that records a decision and the status update."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo import app_data, decisions, format, review, views
from ui import chart, charts, date_column, money_column, table

IMPORTS, DATES = "Two imports", "Two as-of dates"
FLASH_KEY = "review_decision_flash"  # the outcome of the last write, shown once
FIELDS = {  # widget key -> value after a recording (the form starts empty again)
    "review_decision_title": "",
    "review_decision_detail": "",
    "review_decision_projects": [],
    "review_decision_owner": "",
    "review_decision_due": None,
}
CHANGE_COLUMNS = {
    "project_id": "Project ID",
    "name": "Project",
    "delta_days": st.column_config.NumberColumn(
        "Moved by (days)", format="%+d", help="Positive: later; negative: pulled in"
    ),
}
# Per kind of change, the labels of its before and after columns.
CHANGE_WORDS = {
    "new": ("", "Now"),
    "closed": ("Before", "Now"),
    "status": ("Status before", "Status now"),
    "rag_better": ("RAG before", "RAG now"),
    "rag_worse": ("RAG before", "RAG now"),
    "end_date_slip": ("Planned end before", "Planned end now"),
    "forecast_slip": ("Forecast before", "Forecast now"),
    "budget": ("Budget before", "Budget now"),
}


def comparison() -> str | None:
    """Draw the comparison; return it in words ('import #3 → import #4'), None when none."""
    imports = app_data.query("review_import_options")
    mode = (
        st.segmented_control(
            "Compare",
            [IMPORTS, DATES],
            default=IMPORTS if len(imports) >= 2 else DATES,
            key="review_mode",
        )
        or DATES
    )
    picked = import_pickers(imports) if mode == IMPORTS else date_pickers()
    if picked is None:
        return None
    changes, period, kinds = picked
    counts = review.counts(changes)
    change_counts(counts, by_imports=mode == IMPORTS)
    if changes.empty:
        st.success(f"No changes for the projects shown, {period}.", icon=":material/check_circle:")
        return period
    if counts["rag_better"] or counts["rag_worse"]:
        chart(charts.rag_movement(changes), "RAG movement", key="review_rag")
    else:
        st.caption(f"No project's RAG changed, {period}.")
    change_tabs(changes, counts, kinds, period)
    return period


def import_pickers(imports: pd.DataFrame) -> tuple[pd.DataFrame, str, list[str]] | None:
    """The From and To imports; their changes, the period in words and the kinds of change."""
    if len(imports) < 2:
        st.info(
            "There is only one import to compare so far"
            if len(imports)
            else "No import recorded yet can be compared",
            icon=":material/compare_arrows:",
        )
        st.caption(
            "Each import from now on keeps the portfolio as it stood after it; import next "
            "month's exports on the Data page, or compare two as-of dates."
        )
        return None
    labels = views.import_labels(imports)
    ids = list(labels)
    pick = st.columns(2)
    before_id = pick[0].selectbox(
        "From import (earlier state)",
        ids,
        index=1,
        format_func=labels.get,
        key="review_from_import",
    )
    after_id = pick[1].selectbox(
        "To import (later state)", ids, index=0, format_func=labels.get, key="review_to_import"
    )
    if before_id == after_id:
        st.info("Pick two different imports.", icon=":material/compare_arrows:")
        return None
    changes = app_data.filtered("review_imports", from_import=before_id, to_import=after_id)
    return changes, f"import #{before_id} → import #{after_id}", list(review.KINDS)


def date_pickers() -> tuple[pd.DataFrame, str, list[str]] | None:
    """The From and To dates; their changes, the period in words and the kinds of change."""
    to_default = app_data.as_of_in_force()
    pick = st.columns(2)
    from_date = pick[0].date_input(
        "From (earlier date)",
        value=review.previous_month_end(to_default),
        key="review_from_date",
        format="YYYY-MM-DD",
    )
    to_date = pick[1].date_input(
        "To (later date)", value=to_default, key="review_to_date", format="YYYY-MM-DD"
    )
    if from_date is None or to_date is None or from_date >= to_date:
        st.info("Pick an earlier From date and a later To date.", icon=":material/date_range:")
        return None
    changes = app_data.filtered("review_changes", from_date=from_date, to_date=to_date)
    st.caption(
        "Between dates the status reports tell RAG and forecast moves; status, planned end "
        "and budget changes need two imports (the project list keeps no history)."
    )
    return changes, f"{views.day(from_date)} → {views.day(to_date)}", list(review.DATE_KINDS)


def change_counts(counts: dict, *, by_imports: bool) -> None:
    """The strip of counts: new, closed, status, RAG better and worse, slipped, budget."""
    with st.container(horizontal=True):
        st.metric("New projects", format.count(counts["new"]), border=True)
        st.metric(
            "Closed",
            format.count(counts["closed"]),
            border=True,
            help="Became Completed or Cancelled (or no longer in the data)"
            if by_imports
            else "Finished (actual end date) in the period",
        )
        st.metric(
            "Status changes",
            format.count(counts["status"]) if by_imports else format.DASH,
            border=True,
            help="Other status changes" if by_imports else "Needs two imports",
        )
        st.metric("RAG better", format.count(counts["rag_better"]), border=True)
        st.metric("RAG worse", format.count(counts["rag_worse"]), border=True)
        st.metric(
            "Slipped",
            format.count(counts["slipped_projects"]),
            border=True,
            help="Projects whose planned end or forecast finish moved later",
        )
        st.metric(
            "Budget changes",
            format.count(counts["budget"]) if by_imports else format.DASH,
            border=True,
            help=None if by_imports else "Needs two imports",
        )


def change_tabs(changes: pd.DataFrame, counts: dict, kinds: list[str], period: str) -> None:
    """A tab per kind of change with its table, opening on the first kind that has changes."""
    labels = [f"{review.KINDS[k]} ({counts[k]})" for k in kinds]
    tabs = st.tabs(
        labels,
        default=next((lb for k, lb in zip(kinds, labels, strict=True) if counts[k]), labels[0]),
    )
    for tab, kind in zip(tabs, kinds, strict=True):
        with tab:
            rows = review.display(changes, kind)
            if rows.empty:
                st.caption(f"None, {period}.")
                continue
            before, after = CHANGE_WORDS[kind]
            money = kind == "budget"
            config = {
                **CHANGE_COLUMNS,
                "delta_amount": money_column("Change", signed=True),
                "before": money_column(before) if money else before,
                "after": money_column(after) if money else after,
            }
            order = [c for c in rows.columns if not (kind == "new" and c == "before")]
            table(
                rows,
                f"Review {review.KINDS[kind]}",
                key=f"review_{kind}",
                column_order=order,
                column_config=config,
            )


def decision_counts(facts: pd.Series) -> None:
    """What the log is about, then open, overdue and recent decisions."""
    st.caption(
        "What the review decided and who acts on it, for the projects in view (a decision naming "
        "no project concerns the whole portfolio). Overdue: open and due before "
        f"{views.day(facts['ref_date'])}."
    )
    with st.container(horizontal=True):
        st.metric("Open actions", format.count(facts["open_actions"]), border=True)
        st.metric(
            "Overdue",
            format.count(facts["overdue_actions"]),
            border=True,
            help="Open actions whose due date has passed",
        )
        st.metric(
            f"Decided since {views.day(facts['last_review'])}",
            format.count(facts["decided_since_last_review"]),
            border=True,
            help="Dated after the last monthly review (the end of the previous month)",
        )


def decision_flash() -> None:
    """The outcome of the last recording or status update, once."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        (st.success if flash[0] == "success" else st.error)(flash[1])


def decisions_log(log: pd.DataFrame) -> None:
    """The decisions and actions in view, open ones first."""
    columns = {
        "decision_id": "ID",
        "state": st.column_config.TextColumn("Status", width="medium"),
        "date": date_column("Decided"),
        "title": st.column_config.TextColumn("Decision or action", width="large"),
        "owner": "Owner",
        "due_date": date_column("Due"),
        "project_names": "Projects",
        "detail": st.column_config.TextColumn("Detail", width="medium"),
        "recorded_by": "Recorded by",
        "recorded_at": "Recorded at",
        "comparison": "Recorded against",
    }
    if log.empty:
        st.caption("No decision recorded for the projects in view yet.")
        return
    table(
        decisions.display(log),
        "Decisions and actions",
        key="review_decisions",
        column_order=list(columns),
        column_config=columns,
    )


def record_decision(db: str, against: str) -> None:
    """The Record button's callback: runs before the rerun, so the log above shows the row.

    ``db`` comes from the run that drew the button (app_data.db_path() wants a page run).
    """
    who = app_data.require_editor("record decisions")
    ss = st.session_state
    try:
        did = decisions.record(
            db,
            title=ss.get("review_decision_title"),
            detail=ss.get("review_decision_detail"),
            project_ids=ss.get("review_decision_projects") or [],
            owner=ss.get("review_decision_owner"),
            date=ss.get("review_decision_date"),
            due_date=ss.get("review_decision_due"),
            status=ss.get("review_decision_status") or decisions.OPEN,
            comparison=against,
            recorded_by=who or app_data.current_user(),
        )
    except ValueError as exc:
        ss[FLASH_KEY] = ("error", f"Not recorded: {exc}")
        return
    ss[FLASH_KEY] = ("success", f"Recorded as {did}.")
    ss.update(FIELDS)


def change_status(db: str) -> None:
    """The Update status button's callback (``db`` as for record_decision)."""
    app_data.require_editor("change decisions")
    ss = st.session_state
    picked, status = ss.get("review_status_pick"), ss.get("review_status_new") or "Done"
    try:
        found = decisions.update_status(db, picked, status)
    except ValueError as exc:
        ss[FLASH_KEY] = ("error", str(exc))
        return
    ss[FLASH_KEY] = (
        ("success", f"{picked} is now {status}.")
        if found
        else ("error", f"No decision {picked} any more (an import may have been undone).")
    )


def decision_form(choices: dict, against: str, *, expanded: bool) -> None:
    """An editor's form recording a decision or action against ``against`` (the comparison
    and the view in words), about projects of ``choices`` ({id: label})."""
    db = app_data.db_path()
    with (
        st.expander("Record a decision or action", icon=":material/gavel:", expanded=expanded),
        st.form("review_decision_form", border=False),
    ):
        st.text_input(
            "Decision or action",
            key="review_decision_title",
            max_chars=decisions.MAX_TITLE,
            placeholder="e.g. Stop Project X and move its remaining budget to Project Y",
        )
        st.text_area(
            "Detail", key="review_decision_detail", max_chars=decisions.MAX_DETAIL, height=80
        )
        st.multiselect(
            "Projects it concerns (none: the whole portfolio)",
            list(choices),
            format_func=choices.get,
            key="review_decision_projects",
        )
        cols = st.columns(4)
        cols[0].text_input("Owner", key="review_decision_owner", max_chars=decisions.MAX_SHORT)
        cols[1].date_input(
            "Decided on",
            value=app_data.today(),
            max_value=app_data.today(),
            key="review_decision_date",
            format="YYYY-MM-DD",
        )
        cols[2].date_input("Due", value=None, key="review_decision_due", format="YYYY-MM-DD")
        cols[3].selectbox("Status", decisions.STATUSES, key="review_decision_status")
        st.caption(f"Recorded against: {against}")
        st.form_submit_button(
            "Record",
            icon=":material/add:",
            key="review_record",
            type="primary",
            on_click=record_decision,
            args=(db, against),
        )


def status_update(log: pd.DataFrame) -> None:
    """An editor's picker of a logged decision and its new status."""
    labels = decisions.labels(log)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox(
            "Decision", list(labels), format_func=labels.get, key="review_status_pick", width=520
        )
        st.segmented_control(
            "New status", decisions.STATUSES, default="Done", key="review_status_new"
        )
        st.button(
            "Update status",
            key="review_status_btn",
            icon=":material/edit:",
            on_click=change_status,
            args=(app_data.db_path(),),
        )
