"""Budget-constrained selection (docs/kpis.md): the candidates that maximise total priority score
with total budget within a cap, found exactly as a 0/1 knapsack with scipy.optimize.milp.

Everything here takes the rows of queries/priority_scores.sql (project_id, name, status, budget,
priority_score, in_portfolio, ...) and returns plain data; pages only draw what comes back.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmo import format

# The criteria of docs/kpis.md and their default weights.
CRITERIA = ("alignment", "value", "risk")
DEFAULT_WEIGHTS = {"alignment": 0.5, "value": 0.3, "risk": 0.2}

# Give up proving optimality after this long (never reached on 5,000 candidates in practice).
TIME_LIMIT_SECONDS = 20.0


@dataclass(frozen=True)
class Selection:
    """A set of projects: their ids (best priority first), total budget and total score."""

    label: str
    ids: tuple[str, ...]
    budget: float
    score: float
    cap: float | None = None
    proven_optimal: bool = True

    @property
    def count(self) -> int:
        """How many projects the set holds."""
        return len(self.ids)


def _member(ids: pd.Series, wanted: object) -> np.ndarray:
    """ids.isin(wanted) as a numpy mask; pandas' isin on Arrow strings converts each value to
    a pyarrow scalar, ~100x slower on thousands of ids."""
    chosen = set(wanted)
    return np.fromiter((p in chosen for p in ids.to_numpy(object)), bool, len(ids))


def _clean(scores: pd.DataFrame) -> pd.DataFrame:
    """Candidates with a usable budget, ordered by rank; a missing score counts as 0."""
    frame = scores.assign(
        priority_score=pd.to_numeric(scores["priority_score"], errors="coerce").fillna(0.0),
        budget=pd.to_numeric(scores["budget"], errors="coerce"),
    )
    return frame.sort_values(["priority_score", "project_id"], ascending=[False, True])


def _totals(frame: pd.DataFrame, ids: list[str]) -> tuple[float, float]:
    chosen = frame[_member(frame["project_id"], ids)]
    return math.fsum(chosen["budget"].fillna(0.0)), math.fsum(chosen["priority_score"])


def selection_of(
    scores: pd.DataFrame, ids: list[str] | tuple[str, ...], label: str, cap: float | None = None
) -> Selection:
    """The Selection made of ``ids`` (unknown ids ignored), with its budget and score."""
    frame = _clean(scores)
    wanted = set(ids)
    ordered = frame.loc[_member(frame["project_id"], wanted), "project_id"].tolist()
    budget, score = _totals(frame, ordered)
    return Selection(label, tuple(ordered), budget, score, cap)


def today(scores: pd.DataFrame) -> Selection:
    """Today's set: the in-portfolio candidates (Approved, Active, On Hold)."""
    frame = _clean(scores)
    ids = frame.loc[frame["in_portfolio"].fillna(False).astype(bool), "project_id"].tolist()
    return selection_of(frame, ids, "Today's portfolio")


def _local_search(
    v: np.ndarray,
    c: np.ndarray,
    chosen: np.ndarray,
    cap: float,
    items: np.ndarray,
    rounds: int = 200,
) -> np.ndarray:
    """Improve a feasible 0/1 set by the best single add or swap among ``items``, repeatedly."""
    chosen = chosen.copy()
    for _ in range(rounds):
        room = cap - math.fsum(c[chosen])
        ins = items[chosen[items]]
        outs = items[~chosen[items]]
        best_gain, move = 1e-9, None
        fits = outs[c[outs] <= room]
        if fits.size:
            j = fits[np.argmax(v[fits])]
            if v[j] > best_gain:
                best_gain, move = v[j], (None, j)
        if ins.size and outs.size:
            feasible = c[outs][None, :] - c[ins][:, None] <= room
            gain = np.where(feasible, v[outs][None, :] - v[ins][:, None], -np.inf)
            a, b = np.unravel_index(np.argmax(gain), gain.shape)
            if gain[a, b] > best_gain:
                best_gain, move = gain[a, b], (ins[a], outs[b])
        if move is None:
            break
        out_item, in_item = move
        if out_item is not None:
            chosen[out_item] = False
        chosen[in_item] = True
    return chosen


def _knapsack(values: np.ndarray, costs: np.ndarray, cap: float) -> tuple[np.ndarray, bool]:
    """Exact 0/1 knapsack: x maximising values·x with costs·x <= cap; values, costs >= 0.

    Variable fixing first (Martello & Toth's reduction, which never removes an optimum): for
    each item, the LP-relaxation bound with the item forced the other way; where that bound is
    below a known solution's value, the item is fixed. The few items left (the "core") go to
    HiGHS through scipy.optimize.milp with the capacity they have left.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp  # slow import: only when solving

    n = len(values)
    x = np.zeros(n)
    live = (values > 0) & (costs <= cap)
    x[live & (costs == 0)] = 1.0
    idx = np.flatnonzero(live & (costs > 0))
    if len(idx) == 0:
        return x, True
    order = idx[np.argsort(-(values[idx] / costs[idx]), kind="stable")]
    v, c = values[order], costs[order]  # in ratio order from here on
    m = len(order)
    cumc, cumv = np.cumsum(c), np.cumsum(v)
    k = int(np.searchsorted(cumc, cap, side="right"))  # items 0..k-1 fit whole
    if k == m:
        x[order] = 1.0
        return x, True

    def prefix_value(count: np.ndarray) -> np.ndarray:
        return np.where(count > 0, cumv[np.maximum(count - 1, 0)], 0.0)

    def lp_bound(capacity: np.ndarray, skip: np.ndarray | None) -> np.ndarray:
        # Greedy fill in ratio order to ``capacity``, the next item taken fractionally.
        # ``skip`` (positions < the fill point) is left out, so its cost is added back.
        extra = c[skip] if skip is not None else 0.0
        whole = np.searchsorted(cumc, capacity + extra, side="right")
        value = prefix_value(whole) - (v[skip] if skip is not None else 0.0)
        used = np.where(whole > 0, cumc[np.maximum(whole - 1, 0)], 0.0) - extra
        nxt = np.minimum(whole, m - 1)
        frac = np.where(whole < m, v[nxt] * (capacity - used) / c[nxt], 0.0)
        return value + frac

    # A good incumbent: the LP's whole items, then anything later that still fits, then
    # improved by single adds and swaps among the items near the critical ratio.
    chosen = np.zeros(m, dtype=bool)
    chosen[:k] = True
    room = cap - cumc[k - 1] if k else cap
    for j in range(k, m):
        if c[j] <= room:
            chosen[j] = True
            room -= c[j]
    window = np.arange(max(0, k - 60), min(m, k + 60))
    chosen = _local_search(v, c, chosen, cap, window)
    lower = v[chosen].sum()
    margin = 1e-9 * max(1.0, lower)

    pos = np.arange(m)
    fix_one = np.zeros(m, dtype=bool)
    fix_zero = np.zeros(m, dtype=bool)
    head = pos[: k + 1]  # forcing a prefix item (or the critical one) out
    fix_one[head] = lp_bound(np.full(len(head), cap), head) < lower - margin
    tail = pos[k:]  # forcing the critical item or a later one in
    room_left = cap - c[tail]
    bound_in = np.where(
        room_left >= 0, v[tail] + lp_bound(np.maximum(room_left, 0.0), None), -np.inf
    )
    fix_zero[tail] = bound_in < lower - margin

    room = cap - math.fsum(c[fix_one])
    core = ~(fix_one | fix_zero) & (c <= room)
    pick = fix_one.copy()
    proven = True
    core_pos = np.flatnonzero(core)
    if len(core_pos):
        cv, cc = v[core_pos], c[core_pos]
        fallback = chosen[core_pos]  # the incumbent agrees with every fixed item
        bound = room
        for _attempt in range(3):
            res = milp(
                -cv,
                integrality=np.ones(len(core_pos)),
                bounds=Bounds(0, 1),
                constraints=LinearConstraint((cc / room)[None, :], -np.inf, bound / room),
                options={"mip_rel_gap": 0.0, "time_limit": TIME_LIMIT_SECONDS},
            )
            if res.x is None:  # nothing found within the time limit: keep the incumbent
                pick[core_pos], proven = fallback, False
                break
            got = np.round(res.x) > 0.5
            over = math.fsum(cc[got]) - room
            if over <= 0:
                proven = res.status == 0
                if not proven and cv[got].sum() < cv[fallback].sum():
                    got = fallback
                pick[core_pos] = got
                break
            bound -= over + 1e-9 * room  # the solver's tolerance let it overshoot: tighten
        else:
            pick[core_pos], proven = fallback, False
    x[order] = pick
    return x, proven


def optimal(scores: pd.DataFrame, cap: float, label: str = "Optimal under the cap") -> Selection:
    """The candidates maximising total priority score with total budget <= ``cap``.

    A candidate without a budget cannot be costed and is never selected; a missing score is 0.
    """
    frame = _clean(scores).reset_index(drop=True)
    usable = frame["budget"].notna() & (frame["budget"] >= 0)
    cap = float(cap) if cap is not None and not pd.isna(cap) else 0.0
    pool = frame[usable]
    if pool.empty or cap < 0:
        return Selection(label, (), 0.0, 0.0, cap)
    x, proven = _knapsack(
        pool["priority_score"].to_numpy(float), pool["budget"].to_numpy(float), cap
    )
    ids = pool.loc[x > 0.5, "project_id"].tolist()
    budget, score = _totals(frame, ids)
    return Selection(label, tuple(ids), budget, score, cap, proven)


def changes(scores: pd.DataFrame, before: Selection, after: Selection) -> pd.DataFrame:
    """Projects that enter or leave going from ``before`` to ``after``, best score first.

    Columns: change (Enters, Leaves), project_id, name, status, portfolio, budget, priority_score.
    """
    frame = _clean(scores)
    enters = set(after.ids) - set(before.ids)
    leaves = set(before.ids) - set(after.ids)
    cols = ["project_id", "name", "status", "portfolio", "budget", "priority_score"]
    parts = [
        frame.loc[_member(frame["project_id"], enters), cols].assign(change="Enters"),
        frame.loc[_member(frame["project_id"], leaves), cols].assign(change="Leaves"),
    ]
    out = pd.concat(parts, ignore_index=True)
    return out[["change", *cols]]


def ranked(scores: pd.DataFrame, current: Selection, best: Selection) -> pd.DataFrame:
    """The ranked candidate list with each criterion's contribution and both sets marked.

    Columns: rank, project_id, name, status, portfolio, sponsor, budget, expected_benefit,
    risk_score, alignment_score, contrib_alignment, contrib_value, contrib_risk,
    priority_score, in_today, in_optimal.
    """
    frame = scores.sort_values(["rank", "project_id"]).reset_index(drop=True)
    cols = [
        "rank",
        "project_id",
        "name",
        "status",
        "portfolio",
        "sponsor",
        "budget",
        "expected_benefit",
        "risk_score",
        "alignment_score",
        "contrib_alignment",
        "contrib_value",
        "contrib_risk",
        "priority_score",
    ]
    return frame[cols].assign(
        in_today=_member(frame["project_id"], current.ids),
        in_optimal=_member(frame["project_id"], best.ids),
    )


def frontier(scores: pd.DataFrame, current: Selection, best: Selection) -> pd.DataFrame:
    """Value-vs-cost frontier: candidates in score-per-dollar order, cumulative cost and score.

    Columns: step, project_id, name, budget, priority_score, score_per_million, cum_budget,
    cum_score, in_today, in_optimal. Candidates without a budget are left out.
    """
    frame = _clean(scores)
    frame = frame[frame["budget"].notna() & (frame["budget"] >= 0)].copy()
    # Score per $1M; a free project has an infinite ratio and comes first.
    frame["score_per_million"] = np.where(
        frame["budget"] > 0,
        frame["priority_score"] / frame["budget"].where(frame["budget"] > 0) * 1e6,
        np.inf,
    )
    frame = frame.sort_values(
        ["score_per_million", "priority_score", "project_id"], ascending=[False, False, True]
    ).reset_index(drop=True)
    frame["step"] = np.arange(1, len(frame) + 1)
    frame["cum_budget"] = frame["budget"].cumsum()
    frame["cum_score"] = frame["priority_score"].cumsum()
    frame["in_today"] = _member(frame["project_id"], current.ids)
    frame["in_optimal"] = _member(frame["project_id"], best.ids)
    return frame[
        [
            "step",
            "project_id",
            "name",
            "budget",
            "priority_score",
            "score_per_million",
            "cum_budget",
            "cum_score",
            "in_today",
            "in_optimal",
        ]
    ]


def set_points(*sets: Selection) -> pd.DataFrame:
    """One row per set for charts: label, projects, budget, score, cap."""
    return pd.DataFrame(
        [
            {
                "label": s.label,
                "projects": s.count,
                "budget": s.budget,
                "score": s.score,
                "cap": s.cap,
            }
            for s in sets
        ],
        columns=["label", "projects", "budget", "score", "cap"],
    )


def weights_json(weights: dict[str, float]) -> str:
    """Weights as stored with a scenario: {"alignment": .., "value": .., "risk": ..}."""
    return json.dumps({k: float(weights.get(k, 0.0)) for k in CRITERIA}, sort_keys=True)


def _weight(value: object) -> str:
    return format.DASH if value is None else f"{float(value):.2f}"


def _on_off(value: object) -> str:
    return "On" if value else "Off"


def _constraint_rows(s: dict, names: dict[str, str]) -> dict[str, str]:
    """A scenario's constraints in words (issue 15); — for one saved before they were kept."""
    c = s.get("constraints")
    if c is None:
        return {k: format.DASH for k in CONSTRAINT_ROWS}

    def listed(ids: list[str]) -> str:
        return ", ".join(names.get(i, i) for i in ids) if ids else "None"

    fy = c.get("fy_caps") or {}
    return {
        "Fiscal-year caps": ", ".join(f"FY{y} {format.money(v)}" for y, v in sorted(fy.items()))
        if fy
        else "Off",
        "Mandatory projects in": _on_off(c.get("mandatory", True)),
        "Dependencies respected": _on_off(c.get("dependencies", True)),
        "Capacity by role and month": "Off"
        if c.get("capacity") is None
        else f"On, {float(c['capacity']):.0%} of capacity",
        "Pinned in": listed(c.get("pin_in") or []),
        "Pinned out": listed(c.get("pin_out") or []),
    }


CONSTRAINT_ROWS = (
    "Fiscal-year caps",
    "Mandatory projects in",
    "Dependencies respected",
    "Capacity by role and month",
    "Pinned in",
    "Pinned out",
)


def compare(
    scenarios: list[dict],
    scores: pd.DataFrame,
    scores_by_scenario: dict[str, pd.DataFrame] | None = None,
    cost_to_continue: dict[str, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Saved scenarios side by side.

    ``scenarios``: dicts with name, weights (dict), budget_cap, selection (list of ids),
    saved_by, saved_at. ``scores``: priority_scores rows (names, budgets, benefits, status).
    ``scores_by_scenario``: each scenario's own priority_scores, for its total score.
    ``cost_to_continue``: {project_id: cost to continue}, for each set's cost to continue.
    Issue 15: a scenario's constraints (dict of selection.Constraints.to_dict) give the rows
    Cap (cost to continue when constraints were kept, else the budget cap), Fiscal-year caps,
    Mandatory projects in, Dependencies respected, Capacity by role and month, Pinned in,
    Pinned out; the column "differs" says ≠ where the scenarios' values differ.

    Returns (summary, membership). summary: one row per measure (Weight: alignment ..., Budget
    cap, Projects, Budget used, Total priority score, Expected benefit, Made under, Saved by,
    Saved at), one column per scenario. membership: project rows that are in at least one scenario (name, status,
    budget, then one True/False column per scenario), those where the scenarios differ first.
    Summary cells are display strings ($45.0M, 0.50).
    """
    frame = _clean(scores)
    names = [s["name"] for s in scenarios]
    rows: dict[str, list[object]] = {
        "Weight: alignment": [],
        "Weight: value for money": [],
        "Weight: low risk": [],
        "Cap": [],
        **{k: [] for k in CONSTRAINT_ROWS},
        "Projects selected": [],
        "Budget used": [],
        "Cost to continue": [],
        "Total priority score": [],
        "Expected benefit": [],
        "Made under": [],
        "Saved by": [],
        "Saved at": [],
    }
    members: dict[str, np.ndarray] = {}
    for s in scenarios:
        w = s.get("weights") or {}
        own = (scores_by_scenario or {}).get(s["name"])
        own = _clean(own) if own is not None else frame
        chosen_ids = set(s.get("selection") or [])
        chosen = frame[_member(frame["project_id"], chosen_ids)]
        benefit = pd.to_numeric(chosen["expected_benefit"], errors="coerce").fillna(0.0)
        saved_at = s.get("saved_at")
        rows["Weight: alignment"].append(_weight(w.get("alignment")))
        rows["Weight: value for money"].append(_weight(w.get("value")))
        rows["Weight: low risk"].append(_weight(w.get("risk")))
        has_constraints = s.get("constraints") is not None
        cap = s.get("budget_cap")
        rows["Cap"].append(
            "Off"
            if has_constraints and cap is None
            else format.money(cap) + (" (cost to continue)" if has_constraints else " (budget)")
        )
        for k, v in _constraint_rows(
            s, dict(zip(frame["project_id"], frame["name"], strict=True))
        ).items():
            rows[k].append(v)
        rows["Projects selected"].append(format.count(len(chosen_ids)))
        rows["Budget used"].append(format.money(math.fsum(chosen["budget"].fillna(0.0))))
        rows["Cost to continue"].append(
            format.money(math.fsum(float(cost_to_continue.get(i) or 0.0) for i in chosen_ids))
            if cost_to_continue is not None
            else format.DASH
        )
        rows["Total priority score"].append(
            f"{math.fsum(own.loc[_member(own['project_id'], chosen_ids), 'priority_score']):,.1f}"
        )
        rows["Expected benefit"].append(format.money(math.fsum(benefit)))
        rows["Made under"].append(str(s.get("view") or format.DASH))
        rows["Saved by"].append(str(s.get("saved_by") or format.DASH))
        rows["Saved at"].append(
            pd.Timestamp(saved_at).strftime("%-d %b %Y %H:%M")
            if saved_at is not None and not pd.isna(saved_at)
            else format.DASH
        )
        members[s["name"]] = _member(frame["project_id"], chosen_ids)
    summary = pd.DataFrame(
        [
            {
                "measure": k,
                **dict(zip(names, v, strict=True)),
                "differs": "≠"
                if k not in ("Saved by", "Saved at") and len(set(map(str, v))) > 1
                else "",
            }
            for k, v in rows.items()
        ],
        columns=["measure", *names, "differs"],
    )
    membership = frame[["project_id", "name", "status", "budget", "priority_score"]].copy()
    for name, flags in members.items():
        membership[name] = flags
    if names:
        flags = membership[names]
        membership = membership[flags.any(axis=1)]
        differs = ~(flags.loc[membership.index].all(axis=1))
        membership = (
            membership.assign(_differs=differs)
            .sort_values(["_differs", "priority_score"], ascending=[False, False])
            .drop(columns="_differs")
        )
    else:
        membership = membership.iloc[0:0]
    return summary, membership.drop(columns="priority_score").reset_index(drop=True)


def to_millions(amount: float | None) -> float:
    """A budget in $M for the cap input."""
    if amount is None or pd.isna(amount):
        return 0.0
    return float(amount) / 1e6


def from_millions(millions: float | None) -> float:
    """The cap input ($M) in currency units."""
    return 0.0 if millions is None else float(millions) * 1e6
