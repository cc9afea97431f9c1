import pandas as pd
import streamlit as st

import ui
from pmo import app_data, format, prioritise, scenarios, selection
from ui import charts  # pmo.charts, each spec kept per query, params and data version

ui.header(
    "Prioritisation",
    "Rank the candidate projects by your weighting of the criteria, and find the set that "
    "gives the most priority for the money still to spend, under the board's constraints.",
)

if not app_data.import_status().get("projects"):
    ui.empty_state(["Projects", "Objectives", "Alignment"], "prioritisation")
    st.stop()

SCORE_HELP = "Sum of the projects' priority scores (each 0–100) under the weights above"
WEIGHT_KEYS = {c: f"prioritisation_w_{c}" for c in prioritise.CRITERIA}
CAP_KEY = "prioritisation_cap_m"
CAP_DEFAULT_KEY = "prioritisation_cap_default"
ON = {  # constraint toggles and their defaults
    "cap": ("prioritisation_on_cap", True),
    "fy": ("prioritisation_on_fy", False),
    "mandatory": ("prioritisation_on_mandatory", True),
    "dependencies": ("prioritisation_on_dependencies", True),
    "capacity": ("prioritisation_on_capacity", True),
}
TOL_KEY = "prioritisation_tolerance"
PIN_IN_KEY, PIN_OUT_KEY = "prioritisation_pin_in", "prioritisation_pin_out"
FY_KEY = "prioritisation_fy_cap_{}"
for criterion, key in WEIGHT_KEYS.items():
    st.session_state.setdefault(key, prioritise.DEFAULT_WEIGHTS[criterion])
for key, default in ON.values():
    st.session_state.setdefault(key, default)
st.session_state.setdefault(TOL_KEY, 100)

st.subheader("Criteria weights")
c1, c2, c3 = st.columns(3)
c1.slider(
    "Strategic alignment",
    0.0,
    1.0,
    step=0.05,
    key=WEIGHT_KEYS["alignment"],
    help="Alignment score (0–100) from the objectives each project serves",
)
c2.slider(
    "Value for money",
    0.0,
    1.0,
    step=0.05,
    key=WEIGHT_KEYS["value"],
    help="Expected benefit / budget",
)
c3.slider(
    "Low risk",
    0.0,
    1.0,
    step=0.05,
    key=WEIGHT_KEYS["risk"],
    help="6 − risk score (risk 1 scores highest)",
)
weights = {c: st.session_state[k] for c, k in WEIGHT_KEYS.items()}
st.caption(
    "Weights are relative: each criterion is scaled 0–1 across the candidates, then "
    "averaged with these weights into a 0–100 priority score. Candidates: every project "
    "not Completed or Cancelled."
)
if not any(weights.values()):
    st.warning("Give at least one criterion a weight above 0.", icon=":material/tune:")
    st.stop()

scores = app_data.filtered("priority_scores", **app_data.priority_params(weights))
if scores.empty:  # the filters match no candidate (Proposed, Approved, Active, On Hold)
    ui.empty_state(["Projects"], "prioritisation")
    st.stop()
problem = app_data.selection_problem(weights)
names = dict(zip(problem.ids, problem.names, strict=True))

# The cap defaults to today's portfolio's cost to continue, and follows it (filters, new
# data) until the user types their own.
default_cap = prioritise.to_millions(selection.default_cap(problem))
if st.session_state.get(CAP_KEY) is None or st.session_state.get(CAP_KEY) == st.session_state.get(
    CAP_DEFAULT_KEY
):
    st.session_state[CAP_KEY] = default_cap
st.session_state[CAP_DEFAULT_KEY] = default_cap
fy_defaults = selection.default_fy_caps(problem)
for year, amount in fy_defaults.items():
    st.session_state.setdefault(FY_KEY.format(year), prioritise.to_millions(amount))
for key in (PIN_IN_KEY, PIN_OUT_KEY):  # pins of projects no longer in view drop out
    st.session_state[key] = [p for p in st.session_state.get(key) or [] if p in names]


def reset_cap() -> None:
    st.session_state[CAP_KEY] = st.session_state[CAP_DEFAULT_KEY]


st.subheader("Constraints")
st.caption(
    "Switch each constraint on or off. Money is cost to continue: what a project still "
    "needs (EAC − actual cost, or its budget before it reports); money already spent is "
    "sunk and is never freed by stopping a project."
)
with st.container(border=True):
    a, b, c = st.columns([1.2, 1, 1.3], vertical_alignment="bottom")
    a.toggle("Cap on cost to continue", key=ON["cap"][0])
    b.number_input(
        "Cap ($M)",
        min_value=0.0,
        step=0.5,
        format="%.2f",
        key=CAP_KEY,
        disabled=not st.session_state[ON["cap"][0]],
        help="The most the selected set may still cost, in millions",
    )
    c.button(
        f"Reset to today's cost to continue ({format.money(selection.default_cap(problem))})",
        on_click=reset_cap,
        key="prioritisation_reset_cap",
    )
    a, b = st.columns([1.2, 2.3], vertical_alignment="bottom")
    a.toggle(
        "Mandatory projects in",
        key=ON["mandatory"][0],
        help="Projects marked mandatory (regulatory, contractual, committed) are always in",
    )
    must = [names[i] for i in problem.ids if problem.mandatory[problem.index[i]]]
    b.caption(
        "Mandatory: "
        + (
            ", ".join(ui.plain(n) for n in must)
            if must
            else "none marked (the projects sheet's mandatory column)"
        )
    )
    a, b = st.columns([1.2, 2.3], vertical_alignment="bottom")
    a.toggle(
        "Dependencies respected",
        key=ON["dependencies"][0],
        help="A project is selected only with the projects it depends on",
    )
    b.caption(
        f"{len(problem.deps)} dependenc{'y' if len(problem.deps) == 1 else 'ies'} between "
        "candidates"
        + (
            f"; {len(problem.blocked)} project(s) wait on a cancelled or out-of-view project"
            if problem.blocked
            else ""
        )
        if problem.deps or problem.blocked
        else "No dependencies loaded (the Dependencies sheet)."
    )
    a, b = st.columns([1.2, 2.3], vertical_alignment="bottom")
    a.toggle(
        "Capacity by role and month",
        key=ON["capacity"][0],
        help="Per role and month, the selected projects' allocated hours stay within "
        "the role's capacity × the tolerance",
    )
    if problem.rows:
        b.slider(
            "Tolerance (% of capacity)",
            50,
            150,
            step=5,
            key=TOL_KEY,
            disabled=not st.session_state[ON["capacity"][0]],
        )
    else:
        b.caption("No allocations after the as-of date (the Allocations sheet).")
    a, b = st.columns([1.2, 2.3], vertical_alignment="top")
    a.toggle(
        "Fiscal-year caps",
        key=ON["fy"][0],
        disabled=not problem.years,
        help="Per fiscal year, the planned cost of the year's remaining months (from the "
        "cost plan) within that year's cap",
    )
    if problem.years:
        cols = b.columns(len(problem.years))
        for col, year in zip(cols, problem.years, strict=True):
            col.number_input(
                f"{problem.fiscal_label(year)} ($M)",
                min_value=0.0,
                step=0.5,
                format="%.2f",
                key=FY_KEY.format(year),
                disabled=not st.session_state[ON["fy"][0]],
                help="Default: today's portfolio's planned spend that year",
            )
    else:
        b.caption("No cost plan loaded (the Cost Plan sheet).")
    a, b = st.columns(2)
    a.multiselect(
        "Pin in",
        list(names),
        key=PIN_IN_KEY,
        format_func=lambda i: names[i],
        help="Projects that must be in this scenario",
    )
    b.multiselect(
        "Pin out",
        list(names),
        key=PIN_OUT_KEY,
        format_func=lambda i: names[i],
        help="Projects that must be out of this scenario",
    )

on = {k: bool(st.session_state[key]) for k, (key, _d) in ON.items()}
constraints = selection.Constraints(
    cap=prioritise.from_millions(st.session_state[CAP_KEY]) if on["cap"] else None,
    fy_caps=tuple(
        (y, prioritise.from_millions(st.session_state[FY_KEY.format(y)])) for y in problem.years
    )
    if on["fy"]
    else (),
    mandatory=on["mandatory"],
    dependencies=on["dependencies"],
    capacity=st.session_state[TOL_KEY] / 100 if on["capacity"] and problem.rows else None,
    pin_in=tuple(st.session_state[PIN_IN_KEY]),
    pin_out=tuple(st.session_state[PIN_OUT_KEY]),
)
both = set(constraints.pin_in) & set(constraints.pin_out)
if both:
    st.error(
        "Pinned both in and out: "
        + ", ".join(ui.plain(names[i]) for i in both)
        + ". Remove it from one list."
    )
    st.stop()
best, now, takes = app_data.selection_answer(weights, constraints)
for note in problem.notes:
    st.caption(ui.plain(note))

st.subheader("Today's portfolio against the best set")
if not best.feasible:
    st.error(
        "No set of projects meets these constraints together:\n\n"
        + "\n".join(f"- {ui.plain(r)}" for r in best.infeasible)
        + "\n\nSwitch a constraint off, raise a cap or the tolerance, or unpin a project.",
        icon=":material/block:",
    )
    st.stop()


def money_sum(ids_mask, values) -> float:
    return float(pd.Series(values[ids_mask]).fillna(0.0).sum())


x_best = best.x > 0.5
x_now = now.x > 0.5
left, right = st.columns(2)
with left, st.container(border=True):
    st.markdown("**Today's portfolio** (Approved, Active, On Hold)")
    with st.container(horizontal=True):
        st.metric("Projects", format.count(int(x_now.sum())))
        st.metric("Budget", format.money(money_sum(x_now, problem.budget)))
        st.metric("Spent", format.money(money_sum(x_now, problem.spent)))
        st.metric("Cost to continue", format.money(now.cost))
        st.metric("Total priority score", f"{now.score:,.0f}", help=SCORE_HELP)
with right, st.container(border=True):
    proof = selection.proof_words(best.proven_optimal, best.gap)
    st.markdown(f"**Best set under these constraints** ({proof})")
    with st.container(horizontal=True):
        st.metric(
            "Projects",
            format.count(int(x_best.sum())),
            delta=int(x_best.sum()) - int(x_now.sum()),
            delta_color="off",
        )
        st.metric("Budget", format.money(money_sum(x_best, problem.budget)))
        st.metric("Spent", format.money(money_sum(x_best, problem.spent)))
        st.metric(
            "Cost to continue",
            format.money(best.cost),
            delta=format.signed(best.cost - now.cost, "money"),
            delta_color="off",
        )
        st.metric(
            "Total priority score",
            f"{best.score:,.0f}",
            delta=format.signed(best.score - now.score),
            help=SCORE_HELP,
        )
if now.breaks:
    st.warning(
        "Today's portfolio itself breaks these constraints:\n\n"
        + "\n".join(f"- {ui.plain(b)}" for b in now.breaks[:6])
        + (f"\n- … and {len(now.breaks) - 6} more" if len(now.breaks) > 6 else ""),
        icon=":material/warning:",
    )

moves = selection.moves(problem, best)
stop, start = moves[moves["change"] == "Stop"], moves[moves["change"] == "Start"]
money_cols = {
    "budget": ui.money_column("Budget", compact=True),
    "spent": ui.money_column("Spent (sunk)", compact=True),
    "priority_score": st.column_config.NumberColumn("Priority score", format="%.1f"),
    "mandatory": st.column_config.CheckboxColumn("Mandatory"),
}
a, b = st.columns(2)
with a:
    st.markdown(
        f"**Stop: {len(stop)} project{'s' if len(stop) != 1 else ''}**, freeing "
        f"{format.money(stop['cost_to_continue'].sum())} of cost to continue "
        f"({format.money(stop['spent'].sum())} already spent stays spent)"
    )
    if stop.empty:
        st.caption("Nothing in today's portfolio stops.")
    else:
        ui.table(
            stop.drop(columns=["change"]),
            "Stop",
            key="prioritisation_stop",
            column_config={
                "project_id": None,
                "name": "Project",
                "status": "Status",
                "cost_to_continue": ui.money_column("Frees (cost to continue)", compact=True),
                **money_cols,
            },
        )
with b:
    st.markdown(
        f"**Start: {len(start)} project{'s' if len(start) != 1 else ''}**, committing "
        f"{format.money(start['cost_to_continue'].sum())}"
    )
    if start.empty:
        st.caption("Nothing new starts.")
    else:
        ui.table(
            start.drop(columns=["change", "spent"]),
            "Start",
            key="prioritisation_start",
            column_config={
                "project_id": None,
                "name": "Project",
                "status": "Status",
                "cost_to_continue": ui.money_column("Commits (cost to continue)", compact=True),
                **money_cols,
            },
        )

st.subheader("What binds, and what it would take")
if not best.binding:
    st.caption(
        "No constraint that is on changes the answer: lifting any of them would not "
        "raise the total score."
    )
else:
    binds = pd.DataFrame(
        [{"constraint": b.label, "gain": b.gain, "detail": b.detail} for b in best.binding]
    )
    ui.table(
        binds,
        "Binding constraints",
        key="prioritisation_binding",
        column_config={
            "constraint": "Constraint",
            "gain": st.column_config.NumberColumn("Score if lifted", format="+%.1f"),
            "detail": "What it changes",
        },
    )
for t in takes:
    st.markdown(
        f"**{ui.plain(t.sentence)}** — "
        + ", ".join(f"{m:%b %Y} +{h:,.0f} h" for m, h in sorted(t.extra_hours.items()))
    )
if takes:
    t = takes[0]
    ks = [k for k, (r, _m) in enumerate(problem.rows) if r == t.role]
    q = problem.index[t.project_id]
    rows = []
    for k in ks:
        month = problem.rows[k][1]
        avail = max(float(problem.available[k]), 0.0) * constraints.capacity
        rows.append(
            {
                "month": pd.Timestamp(month),
                "series": "Best set",
                "order": 0,
                "hours": float(problem.demand[k] @ best.x),
                "available": avail,
            }
        )
        rows.append(
            {
                "month": pd.Timestamp(month),
                "series": f"Admitting {t.project}",
                "order": 1,
                "hours": float(problem.demand[k, q]),
                "available": avail,
            }
        )
    ui.chart(
        charts.role_hours(pd.DataFrame(rows), t.role),
        f"{t.role} hours",
        key="prioritisation_role_hours",
    )

st.subheader("The exact frontier")
front = app_data.selection_frontier(weights, constraints)
greedy = prioritise.frontier(
    scores.assign(
        budget=scores["project_id"].map(dict(zip(problem.ids, problem.cost, strict=True)))
    ),
    prioritise.Selection("", (), 0, 0),
    prioritise.Selection("", (), 0, 0),
).rename(columns={"cum_budget": "cum_cost"})
marks = pd.DataFrame(
    [
        {
            "label": "Today's portfolio",
            "cost": now.cost,
            "score": now.score,
            "projects": int(x_now.sum()),
            "text": f"Today: {format.money(now.cost)}, score {now.score:,.0f}",
        },
        {
            "label": "Best set under the cap",
            "cost": best.cost,
            "score": best.score,
            "projects": int(x_best.sum()),
            "text": f"Best: {format.money(best.cost)}, score {best.score:,.0f}",
        },
    ]
)
show_greedy = st.toggle(
    "Show the greedy curve (projects by score per cost; an illustration, not optimal)",
    key="prioritisation_greedy",
    value=False,
)
ui.chart(
    charts.exact_frontier(
        front.points,
        marks,
        constraints.cap,
        greedy if show_greedy else None,
        symbol=format.currency_symbol(),
    ),
    "Exact frontier",
    key="prioritisation_frontier",
)
gap_text = (
    f"At today's cost to continue ({format.money(front.today_cost)}) the best set scores "
    f"{front.best_at_today:,.0f}, {front.score_gap:,.0f} more than today's portfolio "
    f"({front.today_score:,.0f})."
    if front.best_at_today is not None
    else ""
)
st.caption(
    f"{len(front.points)} caps from {format.money(front.points['cap'].min())} to "
    f"{format.money(front.points['cap'].max())}, "
    f"{selection.frontier_proof_words(front.points)}, with the other constraints as set "
    f"above. {gap_text}"
    + (
        ""
        if front.today_feasible
        else " Today's portfolio breaks a constraint (above), so it may sit above the line."
    )
)

st.subheader("Ranked candidates")
ranked = prioritise.ranked(
    scores,
    prioritise.Selection("", tuple(p for p, x in zip(problem.ids, x_now, strict=True) if x), 0, 0),
    prioritise.Selection("", tuple(p for p, x in zip(problem.ids, x_best, strict=True) if x), 0, 0),
)
costs = selection.candidates(problem, best).set_index("project_id")
ranked = ranked.assign(
    spent=ranked["project_id"].map(costs["spent"]),
    cost_to_continue=ranked["project_id"].map(costs["cost_to_continue"]),
    mandatory=ranked["project_id"].map(costs["mandatory"]).fillna(False).astype(bool),
)
first = ["rank", "project_id", "name", "status", "mandatory", "budget", "spent", "cost_to_continue"]
ranked = ranked[first + [c for c in ranked.columns if c not in first]]
ui.chart(
    charts.priority_contributions(ranked),
    "Priority contributions",
    key="prioritisation_contributions",
)
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
        "budget": ui.money_column("Budget", compact=True),
        "spent": ui.money_column("Spent", compact=True),
        "cost_to_continue": ui.money_column("Cost to continue", compact=True),
        "expected_benefit": ui.money_column("Expected benefit", compact=True),
        "risk_score": st.column_config.NumberColumn("Risk (1–5)", format="%.0f"),
        "alignment_score": st.column_config.NumberColumn("Alignment (0–100)", format="%.0f"),
        "contrib_alignment": st.column_config.NumberColumn("Alignment pts", format="%.1f"),
        "contrib_value": st.column_config.NumberColumn("Value pts", format="%.1f"),
        "contrib_risk": st.column_config.NumberColumn("Risk pts", format="%.1f"),
        "priority_score": st.column_config.ProgressColumn(
            "Priority (0–100)", format="%.1f", min_value=0, max_value=100
        ),
        "mandatory": st.column_config.CheckboxColumn("Mandatory"),
        "in_today": st.column_config.CheckboxColumn("In portfolio today"),
        "in_optimal": st.column_config.CheckboxColumn("In best set"),
    },
)

st.subheader("Scenarios")
st.caption(
    "Save these weights, every constraint (on or off), the pins, the filters and the "
    "best set under a name, then compare scenarios side by side."
)
editor = app_data.can_edit()  # viewers get no write controls (the README's sign-in and roles)


def save_scenario(name: str) -> str:
    saved_by = app_data.require_editor("save scenarios")
    return scenarios.save(
        app_data.db_path(),
        name,
        weights,
        constraints.cap,
        [problem.ids[i] for i in range(problem.n) if x_best[i]],
        saved_by=saved_by or app_data.current_user(),
        view=app_data.view_in_words(),
        constraints=constraints.to_dict(),
        filters=app_data.current_filters(),
    )


def apply_scenario(chosen: dict) -> None:
    for criterion, key in WEIGHT_KEYS.items():
        st.session_state[key] = float(chosen["weights"].get(criterion, 0.0))
    c = chosen.get("constraints")
    if c is None:  # saved before constraints were kept: a budget cap only
        st.session_state[CAP_KEY] = prioritise.to_millions(chosen["budget_cap"])
        return
    st.session_state[ON["cap"][0]] = c.get("cap") is not None
    if c.get("cap") is not None:
        st.session_state[CAP_KEY] = prioritise.to_millions(c["cap"])
    st.session_state[ON["fy"][0]] = bool(c.get("fy_caps"))
    for year, amount in (c.get("fy_caps") or {}).items():
        st.session_state[FY_KEY.format(int(year))] = prioritise.to_millions(amount)
    st.session_state[ON["mandatory"][0]] = bool(c.get("mandatory", True))
    st.session_state[ON["dependencies"][0]] = bool(c.get("dependencies", True))
    st.session_state[ON["capacity"][0]] = c.get("capacity") is not None
    if c.get("capacity") is not None:
        st.session_state[TOL_KEY] = int(round(float(c["capacity"]) * 100))
    st.session_state[PIN_IN_KEY] = [p for p in c.get("pin_in") or [] if p in names]
    st.session_state[PIN_OUT_KEY] = [p for p in c.get("pin_out") or [] if p in names]


def delete_scenario(name: str) -> None:
    app_data.require_editor("delete scenarios")
    scenarios.delete(app_data.db_path(), name)


if editor:
    ui.scenario_save_form(save_scenario)
saved = scenarios.parse(app_data.query("scenarios").to_dict("records"))
if not saved:
    st.caption("No scenario saved yet.")
    st.stop()
chosen = ui.scenario_picker(saved, apply_scenario, delete_scenario if editor else None)
own_scores = {
    s["name"]: app_data.filtered("priority_scores", **app_data.priority_params(s["weights"]))
    for s in chosen
}
summary, membership = prioritise.compare(
    chosen, scores, own_scores, cost_to_continue=dict(zip(problem.ids, problem.cost, strict=True))
)
ui.scenario_comparison(chosen, summary, membership, app_data.view_in_words())
