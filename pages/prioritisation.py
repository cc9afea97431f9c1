import streamlit as st

import ui
from pmo import app_data, prioritise, scenarios, selection
from ui.prioritisation import (
    binding_section,
    constraints_in_force,
    constraints_panel,
    delete_scenario,
    follow_defaults,
    frontier_section,
    no_feasible_set,
    pinned_both,
    ranked_section,
    scenario_applier,
    scenario_saver,
    sets_side_by_side,
    stop_and_start,
    weight_sliders,
)

ui.header(
    "Prioritisation",
    "Rank the candidate projects by your weighting of the criteria, and find the set that "
    "gives the most priority for the money still to spend, under the board's constraints.",
)

if not app_data.import_status().get("projects"):
    ui.empty_state(["Projects", "Objectives", "Alignment"], "prioritisation")
    st.stop()

st.subheader("Criteria weights")
weights = weight_sliders()
if not any(weights.values()):
    st.warning("Give at least one criterion a weight above 0.", icon=":material/tune:")
    st.stop()

scores = app_data.filtered("priority_scores", **app_data.priority_params(weights))
if scores.empty:  # the filters match no candidate (Proposed, Approved, Active, On Hold)
    ui.empty_state(["Projects"], "prioritisation")
    st.stop()
problem = app_data.selection_problem(weights)
names = dict(zip(problem.ids, problem.names, strict=True))
follow_defaults(problem, names)

st.subheader("Constraints")
constraints_panel(problem, names)
constraints = constraints_in_force(problem)
if pinned_both(constraints, names):
    st.stop()
best, now, takes = app_data.selection_answer(weights, constraints)
for note in problem.notes:
    st.caption(ui.plain(note))

st.subheader("Today's portfolio against the best set")
if not best.feasible:
    no_feasible_set(best)
    st.stop()
sets_side_by_side(problem, now, best)
stop_and_start(selection.moves(problem, best))

st.subheader("What binds, and what it would take")
binding_section(problem, constraints, best, takes)
st.subheader("The exact frontier")
frontier_section(
    app_data.selection_frontier(weights, constraints),
    selection.frontier_marks(now, best),
    selection.greedy_curve(problem, scores),
    constraints.cap,
)
st.subheader("Ranked candidates")
ranked_section(selection.ranked_candidates(problem, scores, now, best))

st.subheader("Scenarios")
st.caption(
    "Save these weights, every constraint (on or off), the pins, the filters and the "
    "best set under a name, then compare scenarios side by side."
)
editor = app_data.can_edit()  # viewers get no write controls (the README's sign-in and roles)
if editor:
    best_ids = [problem.ids[i] for i in range(problem.n) if best.x[i] > 0.5]
    ui.scenario_save_form(scenario_saver(weights, constraints, best_ids))
saved = scenarios.parse(app_data.query("scenarios").to_dict("records"))
if not saved:
    st.caption("No scenario saved yet.")
    st.stop()
chosen = ui.scenario_picker(saved, scenario_applier(names), delete_scenario if editor else None)
own_scores = {
    s["name"]: app_data.filtered("priority_scores", **app_data.priority_params(s["weights"]))
    for s in chosen
}
summary, membership = prioritise.compare(
    chosen, scores, own_scores, cost_to_continue=dict(zip(problem.ids, problem.cost, strict=True))
)
ui.scenario_comparison(chosen, summary, membership, app_data.view_in_words())
