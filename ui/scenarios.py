"""Prioritisation's saved scenarios: save, pick and apply, compare."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ui import money_column, plain, table

APPLY_KEY = "prioritisation_apply"  # the saved scenario picked
COMPARE_KEY = "prioritisation_compare"  # the scenarios compared


def scenario_save_form(on_save: Callable[[str], str]) -> None:
    """An editor's form saving the settings in force under a name: ``on_save(name)`` (the
    page's, which calls app_data.require_editor first) stores them and returns the name saved
    (ValueError: a message for the user). The new scenario joins the comparison."""
    with st.form("prioritisation_save_form", clear_on_submit=True, border=False):
        name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
        name = name_col.text_input(
            "Scenario name",
            key="prioritisation_scenario_name",
            placeholder="e.g. Board option A: value first",
        )
        if save_col.form_submit_button("Save scenario", icon=":material/save:"):
            try:
                saved = on_save(name)
            except ValueError as exc:
                st.error(str(exc))
                return
            st.success("Scenario saved: it is listed below.")
            compared = list(st.session_state.get(COMPARE_KEY) or [])
            st.session_state[COMPARE_KEY] = [*(n for n in compared if n != saved), saved]


def scenario_picker(
    saved: list[dict], on_apply: Callable[[dict], None], on_delete: Callable[[str], None] | None
) -> list[dict]:
    """Pick a saved scenario; Apply hands it to ``on_apply`` (which sets the page's widgets),
    Delete (``on_delete`` given: editors only; the page's callback calls
    app_data.require_editor first) removes it. Returns the scenarios chosen for the comparison
    (the last ones compared, else the first three)."""
    names = [s["name"] for s in saved]
    by_name = {s["name"]: s for s in saved}
    if st.session_state.get(APPLY_KEY) not in names:
        st.session_state.pop(APPLY_KEY, None)

    def apply_picked() -> None:
        chosen = by_name.get(st.session_state.get(APPLY_KEY))
        if chosen:
            on_apply(chosen)

    pick_col, apply_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    pick_col.selectbox("Saved scenario", names, key=APPLY_KEY)
    apply_col.button(
        "Apply",
        on_click=apply_picked,
        key="prioritisation_apply_btn",
        icon=":material/restore:",
        help="Set the weights, constraints and pins to this scenario's (the filters "
        "stay as they are: see Made under)",
    )
    if on_delete is not None:
        delete_col.button(
            "Delete",
            on_click=lambda: on_delete(st.session_state.get(APPLY_KEY)),
            key="prioritisation_delete_btn",
            icon=":material/delete:",
        )
    kept = [n for n in st.session_state.get(COMPARE_KEY) or [] if n in names]
    st.session_state[COMPARE_KEY] = kept or names[:3]
    compare = st.multiselect("Compare", names, key=COMPARE_KEY)
    return [by_name[n] for n in compare]


def scenario_comparison(
    chosen: list[dict], summary: pd.DataFrame, membership: pd.DataFrame, view_in_words: str
) -> None:
    """The scenarios side by side (prioritise.compare's summary and membership), with a note
    naming those made under other filters than the view in force."""
    elsewhere = [s["name"] for s in chosen if s.get("view") and s["view"] != view_in_words]
    if elsewhere:
        st.caption(
            "Made under other filters than these: "
            + ", ".join(plain(n) for n in elsewhere)
            + ". A scenario's set was optimal for the projects of its own view (see Made under)."
        )
    table(
        summary,
        "Scenario comparison",
        key="prioritisation_compare_summary",
        column_config={
            "measure": "",
            "differs": st.column_config.TextColumn(
                "Differs", help="≠ where the scenarios' values differ"
            ),
        },
        height="content",
    )  # every measure, no scrolling
    st.markdown("**Projects in each scenario** (those that differ first)")
    table(
        membership,
        "Scenario membership",
        key="prioritisation_compare_members",
        column_config={
            "project_id": "ID",
            "name": "Project",
            "status": "Status",
            "budget": money_column("Budget", compact=True),
            **{s["name"]: st.column_config.CheckboxColumn(s["name"]) for s in chosen},
        },
    )
