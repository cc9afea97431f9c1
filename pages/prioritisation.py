import streamlit as st

import ui
import ui.prioritisation
from pmo import app_data, prioritise, scenarios, selection

ui.header(
    "Prioritisation",
    "Rank the candidate projects by your weighting of the criteria, and find the set that "
    "gives the most priority for the money still to spend, under the board's constraints.",
)

if not app_data.import_status().get("projects"):
    ui.empty_state(["Projects", "Objectives", "Alignment"], "prioritisation")
    st.stop()

st.subheader("Criteria weights")
weights = ui.prioritisation.weight_sliders()
if not any(weights.values()):
    st.warning("Give at least one criterion a weight above 0.", icon=":material/tune:")
    st.stop()

scores = app_data.filtered("priority_scores", **app_data.priority_params(weights))
if scores.empty:  # the filters match no candidate (Proposed, Approved, Active, On Hold)
    ui.empty_state(["Projects"], "prioritisation")
    st.stop()
problem = app_data.selection_problem(weights)
names = dict(zip(problem.ids, problem.names, strict=True))
ui.prioritisation.follow_defaults(problem, names)

st.subheader("Constraints")
ui.prioritisation.constraints_panel(problem, names)
constraints = ui.prioritisation.constraints_in_force(problem)
if ui.prioritisation.pinned_both(constraints, names):
    st.stop()
best, now, takes = app_data.selection_answer(weights, constraints)
for note in problem.notes:
    st.caption(ui.plain(note))

st.subheader("Today's portfolio against the best set")
if not best.feasible:
    ui.prioritisation.no_feasible_set(best)
    st.stop()
ui.prioritisation.sets_side_by_side(problem, now, best)
ui.prioritisation.stop_and_start(selection.moves(problem, best))

st.subheader("What binds, and what it would take")
ui.prioritisation.binding_section(problem, constraints, best, takes)
st.subheader("The frontier: the best set at each cap")
if ui.prioritisation.frontier_wanted(problem):
    ui.prioritisation.frontier_section(
        app_data.selection_frontier(weights, constraints),
        selection.frontier_marks(now, best),
        selection.greedy_curve(problem, scores),
        constraints.cap,
    )
st.subheader("Ranked candidates")
ui.prioritisation.ranked_section(selection.ranked_candidates(problem, scores, now, best))

st.subheader("Scenarios")
st.caption(
    "Save these weights, every constraint (on or off), the pins, the filters and the "
    "best set under a name, then compare scenarios side by side."
)
editor = app_data.can_edit()  # viewers get no write controls (the README's sign-in and roles)
if editor:
    ui.scenario_save_form(ui.prioritisation.scenario_saver(weights, constraints, problem, best))
saved = scenarios.parse(app_data.query("scenarios").to_dict("records"))
if not saved:
    st.caption("No scenario saved yet.")
    st.stop()
chosen = ui.scenario_picker(
    saved,
    ui.prioritisation.scenario_applier(names),
    ui.prioritisation.delete_scenario if editor else None,
)
own_scores = {
    s["name"]: app_data.filtered("priority_scores", **app_data.priority_params(s["weights"]))
    for s in chosen
}
summary, membership = prioritise.compare(
    chosen, scores, own_scores, cost_to_continue=dict(zip(problem.ids, problem.cost, strict=True))
)
ui.scenario_comparison(chosen, summary, membership, app_data.view_in_words())
