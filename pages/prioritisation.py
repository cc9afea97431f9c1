import streamlit as st

import ui
from pmo import app_data, format, prioritise, scenarios
from ui import charts  # pmo.charts, each spec kept per query, params and data version

ui.header(
    "Prioritisation",
    "Rank the candidate projects by your weighting of the criteria, and find the set that "
    "gives the most priority for a budget.",
)

if not app_data.import_status().get("projects"):
    ui.empty_state(["Projects", "Objectives", "Alignment"], "prioritisation")
    st.stop()

SCORE_HELP = "Sum of the projects' priority scores (each 0–100) under the weights above"
WEIGHT_KEYS = {c: f"prioritisation_w_{c}" for c in prioritise.CRITERIA}
CAP_KEY = "prioritisation_cap_m"
CAP_DEFAULT_KEY = "prioritisation_cap_default"
for criterion, key in WEIGHT_KEYS.items():
    st.session_state.setdefault(key, prioritise.DEFAULT_WEIGHTS[criterion])

st.subheader("Criteria weights")
c1, c2, c3 = st.columns(3)
c1.slider("Strategic alignment", 0.0, 1.0, step=0.05, key=WEIGHT_KEYS["alignment"],
          help="Alignment score (0–100) from the objectives each project serves")
c2.slider("Value for money", 0.0, 1.0, step=0.05, key=WEIGHT_KEYS["value"],
          help="Expected benefit / budget")
c3.slider("Low risk", 0.0, 1.0, step=0.05, key=WEIGHT_KEYS["risk"],
          help="6 − risk score (risk 1 scores highest)")
weights = {c: st.session_state[k] for c, k in WEIGHT_KEYS.items()}
st.caption("Weights are relative: each criterion is scaled 0–1 across the candidates, then "
           "averaged with these weights into a 0–100 priority score. Candidates: every project "
           "not Completed or Cancelled.")
if not any(weights.values()):
    st.warning("Give at least one criterion a weight above 0.", icon=":material/tune:")
    st.stop()

scores = app_data.filtered("priority_scores", **app_data.priority_params(weights))
if scores.empty:  # the filters match no candidate (Proposed, Approved, Active, On Hold)
    ui.empty_state(["Projects"], "prioritisation")
    st.stop()
current = prioritise.today(scores)

# The cap defaults to today's in-portfolio budget, and follows it (filters, new data) until
# the user types their own.
default_cap = prioritise.to_millions(current.budget)
if st.session_state.get(CAP_KEY) is None or st.session_state.get(CAP_KEY) == st.session_state.get(CAP_DEFAULT_KEY):
    st.session_state[CAP_KEY] = default_cap
st.session_state[CAP_DEFAULT_KEY] = default_cap


def reset_cap() -> None:
    st.session_state[CAP_KEY] = st.session_state[CAP_DEFAULT_KEY]


st.subheader("Budget cap")
cap_col, reset_col = st.columns([2, 3], vertical_alignment="bottom")
cap_col.number_input("Budget cap ($M)", min_value=0.0, step=0.5, format="%.2f", key=CAP_KEY,
                     help="The most the selected set may cost, in millions")
reset_col.button(f"Reset to today's portfolio budget ({format.money(current.budget)})",
                 on_click=reset_cap, key="prioritisation_reset_cap")
cap = prioritise.from_millions(st.session_state[CAP_KEY])
best = app_data.optimal_selection(weights, cap)
diff = prioritise.versus(current, best)

st.subheader("Today's portfolio against the optimal set")
left, right = st.columns(2)
with left, st.container(border=True):
    st.markdown("**Today's portfolio** (Approved, Active, On Hold)")
    with st.container(horizontal=True):
        st.metric("Projects", format.count(current.count))
        st.metric("Budget", format.money(current.budget))
        st.metric("Total priority score", f"{current.score:,.0f}", help=SCORE_HELP)
with right, st.container(border=True):
    st.markdown(f"**Optimal set under a {format.money(cap)} cap**")
    with st.container(horizontal=True):
        st.metric("Projects", format.count(best.count), delta=diff["projects"], delta_color="off")
        st.metric("Budget", format.money(best.budget),
                  delta=format.signed(diff["budget"], "money"), delta_color="off")
        st.metric("Total priority score", f"{best.score:,.0f}", delta=format.signed(diff["score"]),
                  help=SCORE_HELP)
if not best.proven_optimal:
    st.warning("The solver stopped before proving this set optimal; it is the best found.")

moves = prioritise.changes(scores, current, best)
st.markdown(f"**What changes: {diff['enters']} enter, {diff['leaves']} leave**")
if moves.empty:
    st.caption("The optimal set is today's portfolio.")
else:
    ui.table(
        moves,
        "Enters and leaves",
        key="prioritisation_moves",
        column_config={
            "change": "Change",
            "project_id": None,
            "name": "Project",
            "status": "Status",
            "portfolio": "Portfolio",
            "budget": st.column_config.NumberColumn("Budget", format="compact"),
            "priority_score": st.column_config.NumberColumn("Priority score", format="%.1f"),
        },
    )

ranked = prioritise.ranked(scores, current, best)
ui.chart(charts.priority_contributions(ranked), "Priority contributions",
         key="prioritisation_contributions")
ui.chart(
    charts.value_cost_frontier(prioritise.frontier(scores, current, best),
                               prioritise.set_points(current, best), cap),
    "Value vs cost frontier",
    key="prioritisation_frontier",
)

st.subheader("Ranked candidates")
ui.table(
    ranked,
    "Ranked candidates",
    key="prioritisation_ranked",
    column_config={
        "rank": st.column_config.NumberColumn("Rank", format="%d"),
        "project_id": "ID",
        "name": "Project",
        "status": "Status",
        "portfolio": "Portfolio",
        "sponsor": "Sponsor",
        "budget": st.column_config.NumberColumn("Budget", format="compact"),
        "expected_benefit": st.column_config.NumberColumn("Expected benefit", format="compact"),
        "risk_score": st.column_config.NumberColumn("Risk (1–5)", format="%.0f"),
        "alignment_score": st.column_config.NumberColumn("Alignment (0–100)", format="%.0f"),
        "contrib_alignment": st.column_config.NumberColumn("Alignment pts", format="%.1f"),
        "contrib_value": st.column_config.NumberColumn("Value pts", format="%.1f"),
        "contrib_risk": st.column_config.NumberColumn("Risk pts", format="%.1f"),
        "priority_score": st.column_config.ProgressColumn("Priority (0–100)", format="%.1f",
                                                          min_value=0, max_value=100),
        "in_today": st.column_config.CheckboxColumn("In portfolio today"),
        "in_optimal": st.column_config.CheckboxColumn("In optimal set"),
    },
)

st.subheader("Scenarios")
st.caption("Save these weights, this cap and the optimal set under a name, then compare "
           "scenarios side by side.")
editor = app_data.can_edit()  # viewers get no write controls (design §7)
if editor:
    with st.form("prioritisation_save_form", clear_on_submit=True, border=False):
        name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
        name = name_col.text_input("Scenario name", key="prioritisation_scenario_name",
                                   placeholder="e.g. Board option A: value first")
        if save_col.form_submit_button("Save scenario", icon=":material/save:"):
            saved_by = app_data.require_editor("save scenarios")
            try:
                saved = scenarios.save(app_data.db_path(), name, weights, cap, list(best.ids),
                                       saved_by=saved_by or app_data.current_user(),
                                       view=app_data.view_in_words())
                st.success("Scenario saved: it is listed below.")
                compared = list(st.session_state.get("prioritisation_compare") or [])
                st.session_state["prioritisation_compare"] = [*(n for n in compared if n != saved), saved]
            except ValueError as exc:
                st.error(str(exc))

saved = scenarios.parse(app_data.query("scenarios").to_dict("records"))
if not saved:
    st.caption("No scenario saved yet.")
    st.stop()
names = [s["name"] for s in saved]
by_name = {s["name"]: s for s in saved}


def apply_scenario() -> None:
    chosen = by_name.get(st.session_state.get("prioritisation_apply"))
    if chosen:
        for criterion, key in WEIGHT_KEYS.items():
            st.session_state[key] = float(chosen["weights"].get(criterion, 0.0))
        st.session_state[CAP_KEY] = prioritise.to_millions(chosen["budget_cap"])


def delete_scenario() -> None:
    app_data.require_editor("delete scenarios")
    scenarios.delete(app_data.db_path(), st.session_state.get("prioritisation_apply"))


if st.session_state.get("prioritisation_apply") not in names:
    st.session_state.pop("prioritisation_apply", None)
pick_col, apply_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
pick_col.selectbox("Saved scenario", names, key="prioritisation_apply")
apply_col.button("Apply", on_click=apply_scenario, key="prioritisation_apply_btn",
                 icon=":material/restore:", help="Set the weights and the cap to this scenario's")
if editor:
    delete_col.button("Delete", on_click=delete_scenario, key="prioritisation_delete_btn",
                      icon=":material/delete:")

kept = [n for n in st.session_state.get("prioritisation_compare") or [] if n in names]
st.session_state["prioritisation_compare"] = kept or names[:3]
compare = st.multiselect("Compare", names, key="prioritisation_compare")
chosen = [by_name[n] for n in compare]
own_scores = {s["name"]: app_data.filtered("priority_scores", **app_data.priority_params(s["weights"]))
              for s in chosen}
summary, membership = prioritise.compare(chosen, scores, own_scores)
elsewhere = [s["name"] for s in chosen if s.get("view") and s["view"] != app_data.view_in_words()]
if elsewhere:
    st.caption(
        "Made under other filters than these: " + ", ".join(ui.plain(n) for n in elsewhere)
        + ". A scenario's set was optimal for the projects of its own view (see Made under)."
    )
ui.table(summary, "Scenario comparison", key="prioritisation_compare_summary",
         column_config={"measure": ""}, height="content")  # every measure, no scrolling
st.markdown("**Projects in each scenario** (those that differ first)")
ui.table(
    membership,
    "Scenario membership",
    key="prioritisation_compare_members",
    column_config={
        "project_id": "ID",
        "name": "Project",
        "status": "Status",
        "budget": st.column_config.NumberColumn("Budget", format="compact"),
        **{n: st.column_config.CheckboxColumn(n) for n in compare},
    },
)
