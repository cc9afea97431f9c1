"""The Prioritisation page's sections: the weights, the constraints and their widgets' state,
today's portfolio against the best set, what binds, the exact frontier, the ranked candidates,
and the saved scenarios' callbacks (their form, picker and comparison: ui/scenarios)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from pmo import app_data, format, prioritise, scenarios, selection
from ui import chart, charts, money_column, plain, table

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


def weight_sliders() -> dict[str, float]:
    """The criteria weights' sliders (each widget's default set once); returns the weights."""
    for criterion, key in WEIGHT_KEYS.items():
        st.session_state.setdefault(key, prioritise.DEFAULT_WEIGHTS[criterion])
    for key, default in ON.values():
        st.session_state.setdefault(key, default)
    st.session_state.setdefault(TOL_KEY, 100)

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
    st.caption(
        "Weights are relative: each criterion is scaled 0–1 across the candidates, then "
        "averaged with these weights into a 0–100 priority score. Candidates: every project "
        "not Completed or Cancelled."
    )
    return {c: st.session_state[k] for c, k in WEIGHT_KEYS.items()}


def follow_defaults(problem: selection.Problem, names: dict[str, str]) -> None:
    """The cap defaults to today's portfolio's cost to continue, and follows it (filters, new
    data) until the user types their own; the fiscal-year caps default to today's planned
    spend; pins of projects no longer in view (``names``) drop out."""
    default_cap = prioritise.to_millions(selection.default_cap(problem))
    if st.session_state.get(CAP_KEY) is None or st.session_state.get(
        CAP_KEY
    ) == st.session_state.get(CAP_DEFAULT_KEY):
        st.session_state[CAP_KEY] = default_cap
    st.session_state[CAP_DEFAULT_KEY] = default_cap
    fy_defaults = selection.default_fy_caps(problem)
    for year, amount in fy_defaults.items():
        st.session_state.setdefault(FY_KEY.format(year), prioritise.to_millions(amount))
    for key in (PIN_IN_KEY, PIN_OUT_KEY):
        st.session_state[key] = [p for p in st.session_state.get(key) or [] if p in names]


def _reset_cap() -> None:
    st.session_state[CAP_KEY] = st.session_state[CAP_DEFAULT_KEY]


def constraints_panel(problem: selection.Problem, names: dict[str, str]) -> None:
    """Each constraint's toggle and settings (cap, mandatory, dependencies, capacity tolerance,
    fiscal-year caps) and the pins, with what the data gives each."""
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
            on_click=_reset_cap,
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
                ", ".join(plain(n) for n in must)
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
        pins = (("in", "in", PIN_IN_KEY), ("out", "out of", PIN_OUT_KEY))
        for col, (word, phrase, key) in zip(st.columns(2), pins, strict=True):
            col.multiselect(
                f"Pin {word}",
                list(names),
                key=key,
                format_func=lambda i: names[i],
                help=f"Projects that must be {phrase} this scenario",
            )


def constraints_in_force(problem: selection.Problem) -> selection.Constraints:
    """The constraints the widgets set: those switched off are left out."""
    on = {k: bool(st.session_state[key]) for k, (key, _d) in ON.items()}
    return selection.Constraints(
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


def pinned_both(constraints: selection.Constraints, names: dict[str, str]) -> bool:
    """Say which projects are pinned both in and out (True), if any."""
    both = set(constraints.pin_in) & set(constraints.pin_out)
    if both:
        st.error(
            "Pinned both in and out: "
            + ", ".join(plain(names[i]) for i in both)
            + ". Remove it from one list."
        )
    return bool(both)


def no_feasible_set(best: selection.Outcome) -> None:
    """Why no set meets the constraints together, and what to change."""
    st.error(
        "No set of projects meets these constraints together:\n\n"
        + "\n".join(f"- {plain(r)}" for r in best.infeasible)
        + "\n\nSwitch a constraint off, raise a cap or the tolerance, or unpin a project.",
        icon=":material/block:",
    )


def sets_side_by_side(
    problem: selection.Problem, now: selection.TodaySet, best: selection.Outcome
) -> None:
    """Today's portfolio and the best set: projects, budget, spent, cost to continue and total
    score, the best set's differences as deltas; then what today's portfolio breaks."""
    today, ideal = selection.set_totals(problem, now.x), selection.set_totals(problem, best.x)
    left, right = st.columns(2)
    with left, st.container(border=True):
        st.markdown("**Today's portfolio** (Approved, Active, On Hold)")
        with st.container(horizontal=True):
            st.metric("Projects", format.count(today["projects"]))
            st.metric("Budget", format.money(today["budget"]))
            st.metric("Spent", format.money(today["spent"]))
            st.metric("Cost to continue", format.money(now.cost))
            st.metric("Total priority score", f"{now.score:,.0f}", help=SCORE_HELP)
    with right, st.container(border=True):
        proof = selection.proof_words(best.proven_optimal, best.gap)
        st.markdown(f"**Best set under these constraints** ({proof})")
        with st.container(horizontal=True):
            st.metric(
                "Projects",
                format.count(ideal["projects"]),
                delta=ideal["projects"] - today["projects"],
                delta_color="off",
            )
            st.metric("Budget", format.money(ideal["budget"]))
            st.metric("Spent", format.money(ideal["spent"]))
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
            + "\n".join(f"- {plain(b)}" for b in now.breaks[:6])
            + (f"\n- … and {len(now.breaks) - 6} more" if len(now.breaks) > 6 else ""),
            icon=":material/warning:",
        )


def stop_and_start(moves: pd.DataFrame) -> None:
    """The projects the best set stops and those it starts (selection.moves), side by side."""
    stop, start = moves[moves["change"] == "Stop"], moves[moves["change"] == "Start"]
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
            _moves_table(stop.drop(columns=["change"]), "Stop", "Frees (cost to continue)")
    with b:
        st.markdown(
            f"**Start: {len(start)} project{'s' if len(start) != 1 else ''}**, committing "
            f"{format.money(start['cost_to_continue'].sum())}"
        )
        if start.empty:
            st.caption("Nothing new starts.")
        else:
            _moves_table(
                start.drop(columns=["change", "spent"]), "Start", "Commits (cost to continue)"
            )


def _moves_table(frame: pd.DataFrame, name: str, cost_label: str) -> None:
    table(
        frame,
        name,
        key=f"prioritisation_{name.lower()}",  # prioritisation_stop, prioritisation_start
        column_config={
            "project_id": None,
            "name": "Project",
            "status": "Status",
            "cost_to_continue": money_column(cost_label, compact=True),
            "budget": money_column("Budget", compact=True),
            "spent": money_column("Spent (sunk)", compact=True),
            "priority_score": st.column_config.NumberColumn("Priority score", format="%.1f"),
            "mandatory": st.column_config.CheckboxColumn("Mandatory"),
        },
    )


def binding_section(
    problem: selection.Problem,
    constraints: selection.Constraints,
    best: selection.Outcome,
    takes: list[selection.Takes],
) -> None:
    """What binds (the score if each constraint were lifted), what extra hours would admit the
    best excluded project per binding role, and the first such role's hours by month."""
    if not best.binding:
        st.caption(
            "No constraint that is on changes the answer: lifting any of them would not "
            "raise the total score."
        )
    else:
        table(
            selection.binding_table(best),
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
            f"**{plain(t.sentence)}** — "
            + ", ".join(f"{m:%b %Y} +{h:,.0f} h" for m, h in sorted(t.extra_hours.items()))
        )
    if takes:
        t = takes[0]
        chart(
            charts.role_hours(selection.role_hours(problem, constraints, best, t), t.role),
            f"{t.role} hours",
            key="prioritisation_role_hours",
        )


def frontier_wanted(problem: selection.Problem) -> bool:
    """Whether to draw the frontier now: always for up to selection.FRONTIER_AUTO candidates;
    above, its 22 solves take seconds, so the page draws the best set first and the frontier
    when asked (the choice is kept for the session)."""
    if problem.n <= selection.FRONTIER_AUTO:
        return True
    st.caption(
        f"{format.count(problem.n)} candidates: the frontier solves the selection at "
        f"{selection.FRONTIER_POINTS + 1} caps, which takes several seconds at this size."
    )
    return st.toggle("Compute the frontier", key="prioritisation_frontier_on", value=False)


def frontier_section(
    front: selection.Frontier,
    marks: pd.DataFrame,
    greedy: pd.DataFrame,
    cap: float | None,
) -> None:
    """The exact frontier (the best score at each cap) with today's portfolio and the best set
    marked (``marks``), the greedy curve on request, and what it says in words."""
    show_greedy = st.toggle(
        "Show the greedy curve (projects by score per cost; an illustration, not optimal)",
        key="prioritisation_greedy",
        value=False,
    )
    chart(
        charts.exact_frontier(
            front.points,
            marks,
            cap,
            greedy if show_greedy else None,
            symbol=format.currency_symbol(),
        ),
        "Frontier",
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


def ranked_section(ranked: pd.DataFrame) -> None:
    """The candidates ranked by priority score (selection.ranked_candidates): each criterion's
    contribution as a chart, then the table."""
    chart(
        charts.priority_contributions(ranked),
        "Priority contributions",
        key="prioritisation_contributions",
    )
    table(
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
            "budget": money_column("Budget", compact=True),
            "spent": money_column("Spent", compact=True),
            "cost_to_continue": money_column("Cost to continue", compact=True),
            "expected_benefit": money_column("Expected benefit", compact=True),
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


def scenario_saver(
    weights: dict[str, float],
    constraints: selection.Constraints,
    problem: selection.Problem,
    best: selection.Outcome,
) -> Callable[[str], str]:
    """ui.scenario_save_form's callback: an editor saves these weights, constraints, filters
    and the best set under a name."""
    chosen_ids = [problem.ids[i] for i in range(problem.n) if best.x[i] > 0.5]

    def save_scenario(name: str) -> str:
        saved_by = app_data.require_editor("save scenarios")
        return scenarios.save(
            app_data.db_path(),
            name,
            weights,
            constraints.cap,
            chosen_ids,
            saved_by=saved_by or app_data.current_user(),
            view=app_data.view_in_words(),
            constraints=constraints.to_dict(),
            filters=app_data.current_filters(),
        )

    return save_scenario


def scenario_applier(names: dict[str, str]) -> Callable[[dict], None]:
    """ui.scenario_picker's Apply: set the weights, constraints and pins to a saved scenario's
    (pins of projects not in view, ``names``, left out)."""

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

    return apply_scenario


def delete_scenario(name: str) -> None:
    """ui.scenario_picker's Delete: an editor removes a saved scenario."""
    app_data.require_editor("delete scenarios")
    scenarios.delete(app_data.db_path(), name)
