"""Portfolio selection under the board's constraints (docs/kpis.md second release, issue 15).

Maximise Σ priority score over the candidate projects subject to, each on or off:
  cap            Σ cost to continue ≤ the cap (money already spent is sunk, never freed);
  fiscal years   per fiscal year, Σ planned cost of the year's remaining months ≤ its cap;
  mandatory      must-do projects in;
  pins           projects pinned in or out by the scenario;
  dependencies   a project only with the projects it depends on;
  capacity       per role and month, Σ hours of the selected projects ≤ available × tolerance
                 (named placeholder resources with capacity 0 add demand, no supply).
Exact 0/1 MILP with scipy.optimize.milp (HiGHS). Every constraint row has non-negative
coefficients, so the problem is feasible exactly when the smallest set the rules force (the
forced projects with everything they depend on) fits every row: an infeasible combination is
reported with the row that breaks and its numbers, and nothing is guessed.

Plain data in, plain data out: ``Problem`` holds the arrays (``load`` builds it from the
queries), ``solve`` returns an ``Outcome``; ``frontier`` and ``what_it_would_take`` build on
``solve``. Pages and the command line only present what comes back.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from pmo import format, queries
from pmo.filters import query_params

# HiGHS stops after this long and reports the gap it proved (never reached on the demo).
TIME_LIMIT_SECONDS = 20.0
# Relative gap HiGHS must close: 0 = proven optimal.
MIP_REL_GAP = 0.0
# Frontier points (docs/kpis.md: at least 20 caps, each solved exactly).
FRONTIER_POINTS = 21
# The app at scale (issue 20): above EXACT_MAX candidates, each solve the page asks for stops
# once its set is proven within PAGE_GAP of the best (HiGHS's mip_rel_gap), or after
# PAGE_TIME_LIMIT seconds (the frontier's caps share FRONTIER_TIME_BUDGET), and the page says
# "within x % of the best" instead of "proven optimal". Up to EXACT_MAX every answer is exact.
EXACT_MAX = 5000
# The Prioritisation page draws the frontier (FRONTIER_POINTS + 1 solves) at once up to this
# many candidates, and on request above: at 5,000 candidates it takes ~7 s of a cold page.
FRONTIER_AUTO = 1000
PAGE_GAP = 1e-4  # 0.01 %
PAGE_TIME_LIMIT = 2.0
FRONTIER_TIME_BUDGET = 4.0
# "What it would take": the best excluded projects tried per binding role.
TRY_PER_ROLE = 8
_EPS = 1e-9


def page_limits(p: Problem, frontier: bool = False) -> tuple[float, float]:
    """(time limit per solve in seconds, relative gap) for a solve the page waits for: exact
    up to EXACT_MAX candidates, bounded above (see PAGE_GAP)."""
    if p.n <= EXACT_MAX:
        return TIME_LIMIT_SECONDS, MIP_REL_GAP
    if frontier:
        return min(PAGE_TIME_LIMIT, FRONTIER_TIME_BUDGET / (FRONTIER_POINTS + 1)), PAGE_GAP
    return PAGE_TIME_LIMIT, PAGE_GAP


def _percent_up(gap: float) -> str:
    """A proved relative gap as a percent rounded up, never below 0.01 %: '0.01 %', '0.25 %'."""
    hundredths = max(math.ceil(gap * 10000 - 1e-9), 1)
    return f"{hundredths / 100:.2f} %"


def proof_words(proven_optimal: bool, gap: float | None) -> str:
    """How sure a set is, in words: 'proven optimal', 'within 0.01 % of the best' (a gap
    proved: no set scores more than that above it), or 'the best found in the time allowed'
    (no bound proved)."""
    if proven_optimal:
        return "proven optimal"
    if gap is not None:
        return f"within {_percent_up(gap)} of the best"
    return "the best found in the time allowed, not proven"


def frontier_proof_words(points: pd.DataFrame) -> str:
    """The frontier's caps in words: 'each solved exactly (all proven optimal)', or 'each
    within 0.01 % of the best (3 proven optimal)', or how many caps have no bound."""
    proven = int(points["proven_optimal"].fillna(False).astype(bool).sum())
    solved = points[points["score"].notna()]
    if proven == len(solved):
        return "each solved exactly (all proven optimal)"
    gaps = solved.loc[~solved["proven_optimal"].astype(bool), "gap"]
    if gaps.isna().any():
        return (
            f"{proven} of {len(solved)} proven optimal, {int(gaps.isna().sum())} the best found "
            "in the time allowed"
        )
    return f"each within {_percent_up(float(gaps.max()))} of the best ({proven} proven optimal)"


# ----------------------------------------------------------------------------- the inputs


@dataclass
class Problem:
    """The candidates and every constraint's data, as arrays over the candidates (length n).

    cost: cost to continue (nan = no budget: cannot be costed, never selected unless forced).
    fy_cost: (years × n) planned cost of each fiscal year's remaining months.
    demand: (rows × n) hours per (role, month) row; available: hours per row (capacity minus
    what projects outside the view keep), capacity: the role's whole capacity that month.
    deps: (i, j) pairs: candidate i needs candidate j. blocked: {i: reason} candidates whose
    prerequisite cannot be had (cancelled, or outside the view and not in the portfolio).
    """

    ids: list[str]
    names: list[str]
    status: list[str]
    score: np.ndarray
    cost: np.ndarray
    budget: np.ndarray
    spent: np.ndarray
    in_today: np.ndarray
    mandatory: np.ndarray
    years: list[int] = field(default_factory=list)
    fy_cost: np.ndarray | None = None
    fy_start_month: int = 1
    rows: list[tuple[str, dt.date]] = field(default_factory=list)
    demand: np.ndarray | None = None
    available: np.ndarray | None = None
    capacity: np.ndarray | None = None
    deps: list[tuple[int, int]] = field(default_factory=list)
    dep_labels: dict[tuple[int, int], str] = field(default_factory=dict)
    blocked: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        n = len(self.ids)
        if self.fy_cost is None:
            self.fy_cost = np.zeros((len(self.years), n))
        if self.demand is None:
            self.demand = np.zeros((len(self.rows), n))
        if self.available is None:
            self.available = np.zeros(len(self.rows))
        if self.capacity is None:
            self.capacity = self.available.copy()
        self.index = {p: i for i, p in enumerate(self.ids)}

    @property
    def n(self) -> int:
        """How many candidates."""
        return len(self.ids)

    def roles(self) -> list[str]:
        """The roles with capacity rows, in order."""
        return sorted({r for r, _ in self.rows})

    def fiscal_label(self, year: int) -> str:
        """'FY2027' with its months when the year does not start in January."""
        if self.fy_start_month == 1:
            return f"FY{year}"
        first = dt.date(year - 1, self.fy_start_month, 1)
        last = dt.date(year, self.fy_start_month - 1, 1)
        return f"FY{year} ({first:%b %Y}–{last:%b %Y})"


@dataclass(frozen=True)
class Constraints:
    """Which constraints are on, and their limits. None / empty = off."""

    cap: float | None = None  # cost to continue
    fy_caps: tuple[tuple[int, float], ...] = ()  # (fiscal year, cap)
    mandatory: bool = True
    dependencies: bool = True
    capacity: float | None = None  # tolerance: 1.0 = 100 % of available hours
    pin_in: tuple[str, ...] = ()
    pin_out: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """JSON-ready: what a scenario stores and `select --format json` echoes."""
        return {
            "cap": self.cap,
            "fy_caps": {str(y): c for y, c in self.fy_caps},
            "mandatory": self.mandatory,
            "dependencies": self.dependencies,
            "capacity": self.capacity,
            "pin_in": list(self.pin_in),
            "pin_out": list(self.pin_out),
        }

    @classmethod
    def from_dict(cls, d: dict | None) -> Constraints:
        """The inverse of to_dict (missing keys take the defaults)."""
        d = d or {}
        return cls(
            cap=None if d.get("cap") is None else float(d["cap"]),
            fy_caps=tuple(sorted((int(y), float(c)) for y, c in (d.get("fy_caps") or {}).items())),
            mandatory=bool(d.get("mandatory", True)),
            dependencies=bool(d.get("dependencies", True)),
            capacity=None if d.get("capacity") is None else float(d["capacity"]),
            pin_in=tuple(d.get("pin_in") or ()),
            pin_out=tuple(d.get("pin_out") or ()),
        )


# ----------------------------------------------------------------------------- the answer


@dataclass
class Row:
    """One ≤ row of the model: its family (cap, fy:YEAR, capacity:ROLE), words and numbers."""

    family: str
    label: str
    used: float
    limit: float
    unit: str  # "money" or "hours"

    @property
    def slack(self) -> float:
        """What is left under the limit."""
        return self.limit - self.used

    def amount(self, value: float) -> str:
        """A value of this row in its unit: $1.2M or 1,240 hours."""
        return format.money(value) if self.unit == "money" else f"{value:,.0f} hours"


@dataclass
class Binding:
    """A constraint that changes the answer: the score the optimum would gain without it."""

    family: str
    label: str
    gain: float
    detail: str = ""


@dataclass
class Outcome:
    """The solver's answer for one set of constraints."""

    status: str  # optimal, gap (stopped with a proven gap), infeasible
    x: np.ndarray
    score: float
    cost: float
    proven_optimal: bool
    gap: float | None  # relative gap proved (0 when optimal)
    infeasible: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    binding: list[Binding] = field(default_factory=list)

    @property
    def feasible(self) -> bool:
        """False when the constraints cannot all hold."""
        return self.status != "infeasible"


# ------------------------------------------------------------------------------- building


def _month_text(m: dt.date) -> str:
    return f"{m:%b %Y}"


def _row_specs(p: Problem, c: Constraints) -> list[tuple[str, str, np.ndarray, float, str]]:
    """The ≤ rows that are on: (family, label, coefficients over candidates, limit, unit)."""
    out = []
    cost = np.nan_to_num(p.cost, nan=0.0)
    if c.cap is not None:
        out.append(("cap", "Cost-to-continue cap", cost, float(c.cap), "money"))
    for year, limit in c.fy_caps:
        coeff = p.fy_cost[p.years.index(year)] if year in p.years else np.zeros(p.n)
        out.append(
            (
                f"fy:{year}",
                f"{p.fiscal_label(year)} planned spend cap",
                coeff,
                float(limit),
                "money",
            )
        )
    if c.capacity is not None:
        tol = float(c.capacity)
        for k, (role, month) in enumerate(p.rows):
            limit = max(float(p.available[k]), 0.0) * tol
            out.append(
                (
                    f"capacity:{role}",
                    f"{role} hours in {_month_text(month)}",
                    p.demand[k],
                    limit,
                    "hours",
                )
            )
    return out


def _bounds(p: Problem, c: Constraints) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Lower and upper bounds of each x, and the conflicts found among them (in words)."""
    lb = np.zeros(p.n)
    ub = np.ones(p.n)
    conflicts: list[str] = []
    reason: dict[int, str] = {}
    ub[np.isnan(p.cost)] = 0.0  # cannot be costed
    for i in np.flatnonzero(np.isnan(p.cost)):
        reason[i] = "has no budget"
    if c.dependencies:
        for i, why in p.blocked.items():
            ub[i] = 0.0
            reason[i] = why
    for pid in c.pin_out:
        i = p.index.get(pid)
        if i is not None:
            ub[i] = 0.0
            reason[i] = "is pinned out"
    forced: dict[int, str] = {}
    if c.mandatory:
        for i in np.flatnonzero(p.mandatory):
            forced[i] = "mandatory"
    for pid in c.pin_in:
        i = p.index.get(pid)
        if i is not None:
            forced.setdefault(i, "pinned in")
    # Close the forced set under the dependencies: a forced project forces what it needs.
    if c.dependencies:
        needs: dict[int, list[int]] = {}
        for i, j in p.deps:
            needs.setdefault(i, []).append(j)
        stack = list(forced)
        while stack:
            i = stack.pop()
            for j in needs.get(i, []):
                if j not in forced:
                    forced[j] = f"needed by {p.names[i]} ({forced[i]})"
                    stack.append(j)
    for i, why in forced.items():
        if ub[i] == 0.0 and not (np.isnan(p.cost[i]) and reason.get(i) == "has no budget"):
            conflicts.append(f"{p.names[i]} ({p.ids[i]}) is {why} but {reason.get(i, 'excluded')}")
        lb[i] = 1.0
        ub[i] = 1.0
    return lb, ub, conflicts


def _forced_cost(p: Problem, x: np.ndarray) -> np.ndarray:
    return np.nan_to_num(p.cost, nan=0.0) * x


def _check_rows(p: Problem, specs, x: np.ndarray, who: str) -> list[str]:
    """Rows that ``x`` breaks, in words with the numbers."""
    out = []
    for family, label, coeff, limit, unit in specs:
        used = math.fsum(coeff * x)
        if used > limit * (1 + 1e-9) + 1e-6:
            row = Row(family, label, used, limit, unit)
            if family.startswith("capacity:"):
                role, month = label.split(" hours in ")
                out.append(f"{who} need {used:,.0f} {role} hours in {month}; capacity {limit:,.0f}")
            else:
                named = label if label.startswith("FY") else label[:1].lower() + label[1:]
                out.append(
                    f"{who} need {row.amount(used)} against the {named} of {row.amount(limit)}"
                )
    return out


# Above this many free variables, the LP relaxation guides the search (see _solve_large).
LARGE = 300
# HiGHS's presolve grows much faster than the model and ignores the time limit: on 19,421
# candidates it took 2.6 s of CPU on the LP relaxation (the LP itself 0.03 s) and 48 s on the
# MILP (issue 20, 5x scale). Above this many variables HiGHS runs without it; the
# reduced-cost fixing above does the presolve's useful work for this model.
PRESOLVE_MAX = 2000
# Variables freed around the LP's fractional ones to find a first good set.
NEIGHBOURHOOD = 400


def _model(p: Problem, score: np.ndarray, lb: np.ndarray, ub: np.ndarray, specs, c: Constraints):
    """The model over the free variables: (free, objective, A (csr), b, lo, hi, rows_money)."""
    from scipy.sparse import coo_matrix, csr_matrix, vstack

    free = np.flatnonzero(ub > lb)
    fixed = lb > 0.5
    mats, rhs = [], []
    for _family, _label, coeff, limit, _unit in specs:
        room = limit - math.fsum(coeff[fixed])
        cf = coeff[free]
        if cf.sum() <= room + 1e-9 * max(abs(room), 1.0):
            continue  # cannot bind
        scale = room if room > 0 else max(cf.max(), 1.0)
        mats.append(cf / scale)
        rhs.append(room / scale)
    hi = np.ones(len(free))
    for m, r in zip(mats, rhs, strict=True):
        hi[m > r + 1e-12] = 0.0  # alone over a row's room: never 1
    pos = {v: k for k, v in enumerate(free)}
    dep_rows = []
    if c.dependencies:
        for i, j in p.deps:
            if i in pos and j in pos:
                dep_rows.append((pos[i], pos[j]))
            elif i in pos and ub[j] == 0:
                hi[pos[i]] = 0.0
    blocks = []
    if mats:
        blocks.append(csr_matrix(np.vstack(mats)))
    if dep_rows:
        k = len(dep_rows)
        blocks.append(
            coo_matrix(
                (
                    np.tile([1.0, -1.0], k),
                    (np.repeat(np.arange(k), 2), np.array([v for pair in dep_rows for v in pair])),
                ),
                shape=(k, len(free)),
            ).tocsr()
        )
    a = vstack(blocks).tocsr() if blocks else csr_matrix((0, len(free)))
    b = np.concatenate([np.array(rhs, dtype=float), np.zeros(len(dep_rows))])
    # A tiny cost per selected project breaks ties between equal scores towards doing less
    # (a project scoring 0 is not started for nothing); far below any score difference.
    costn = np.nan_to_num(p.cost[free], nan=0.0)
    tie = 1e-7 * (costn / costn.max() if costn.max() > 0 else np.ones(len(free)))
    obj = -(score[free]) + tie
    # Dominance (issue 20): a candidate that adds score and uses nothing any row limits, with
    # no dependency, is in every optimal set (taking it can only help).
    lo = np.zeros(len(free))
    uses = np.zeros(len(free), dtype=bool)
    for m in mats:
        uses |= m > 0
    for pair in dep_rows:
        uses[list(pair)] = True
    lo[(obj < 0) & ~uses & (hi > 0.5)] = 1.0
    return free, obj, a, b, lo, hi


def _milp(obj, a, b, lo, hi, time_limit: float, gap: float):
    """scipy.optimize.milp (HiGHS) on a 0/1 model; (x or None, optimal?, dual bound)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    if len(obj) == 0:
        return np.zeros(0), True, 0.0
    cons = [LinearConstraint(a, -np.inf, b)] if a.shape[0] else []
    res = milp(
        obj,
        integrality=np.ones(len(obj)),
        bounds=Bounds(lo, hi),
        constraints=cons,
        options={
            "mip_rel_gap": gap,
            "time_limit": max(time_limit, 0.05),
            "presolve": len(obj) <= PRESOLVE_MAX,
        },
    )
    if res.x is None:
        return None, False, None
    bound = getattr(res, "mip_dual_bound", None)
    return np.round(res.x), res.status == 0, (None if bound is None else -float(bound))


def _sub(a, b, lo, hi, keep: np.ndarray, values: np.ndarray):
    """The model restricted to the variables ``keep``; the others fixed at ``values``."""
    others = ~keep
    b2 = b - a[:, others] @ values[others]
    return a[:, keep], b2, lo[keep], hi[keep]


def _greedy_fill(x: np.ndarray, obj, a, b, hi, xl, d) -> np.ndarray:
    """Add variables to a feasible 0/1 set while every row still holds: the LP's fractional
    ones first (largest value first), then the rest by reduced cost (score net of the LP's
    prices for what it uses), best first."""
    x = x.copy()
    dense = a.toarray() if a.shape[0] else np.zeros((0, len(obj)))
    room = b - dense @ x
    order = np.lexsort((d, -xl))
    order = order[(x[order] < 0.5) & (hi[order] >= 0.5) & (obj[order] < 0)]
    if (dense >= 0).all():
        # Rows only fill up: a candidate that does not fit now never will, so each pass drops
        # every misfit at once and takes the first that fits (the same set as one by one,
        # without a Python step per candidate: 19,000 of them at 5x scale).
        while order.size:
            order = order[(dense[:, order] <= room[:, None] + 1e-12).all(axis=0)]
            if not order.size:
                break
            # The run of candidates that fit one after the other is taken at once.
            used = np.cumsum(dense[:, order], axis=1)
            fits = (used <= room[:, None] + 1e-12).all(axis=0)
            k = len(fits) if fits.all() else int(fits.argmin())
            x[order[:k]] = 1.0
            room = room - used[:, k - 1]
            order = order[k:]
        return x
    for j in order:
        col = dense[:, j]
        if (col <= room + 1e-12).all():
            x[j] = 1.0
            room -= col
    return x


def _knapsack_lp(obj, a, b, lo, hi) -> tuple[np.ndarray, np.ndarray]:
    """The LP relaxation of a model with one row of non-negative coefficients (the cap alone)
    in closed form (Dantzig): take the candidates by score per unit of the row, best first,
    the one that no longer fits in part. Returns (x, reduced costs); the same optimum HiGHS
    finds, without building its model 20 times for the frontier (issue 20)."""
    n = len(obj)
    row = a.toarray()[0] if a.shape[0] else np.zeros(n)
    x = lo.astype(float).copy()
    room = (b[0] if a.shape[0] else np.inf) - row @ x
    open_ = (hi > lo) & (obj < 0)
    free_ride = open_ & (row <= 0)
    x[free_ride] = hi[free_ride]
    ask = np.flatnonzero(open_ & (row > 0))
    price = 0.0
    if ask.size:
        ratio = -obj[ask] / row[ask]
        ask = ask[np.argsort(-ratio, kind="stable")]
        used = np.cumsum(row[ask])
        whole = int(np.searchsorted(used, room, side="right"))
        x[ask[:whole]] = 1.0
        if whole < ask.size:
            k = ask[whole]
            before = used[whole - 1] if whole else 0.0
            x[k] = max(min((room - before) / row[k], 1.0), 0.0)
            price = -obj[k] / row[k]
    return x, obj + price * row


def _solve_large(obj, a, b, lo, hi, time_limit: float, gap: float):
    """A large model: the LP relaxation's bound and reduced costs, a first set from a small
    MILP around its fractional variables, then every variable whose reduced cost proves it
    cannot change side (reduced-cost fixing: exact) fixed, and HiGHS on the rest.

    Returns (x, proven optimal, relative gap proved or None).
    """
    import time

    from scipy.optimize import linprog

    t0 = time.monotonic()
    if a.shape[0] <= 1 and (a.data >= 0).all():
        xl, d = _knapsack_lp(obj, a, b, lo, hi)
    else:
        lp = linprog(
            obj,
            A_ub=a if a.shape[0] else None,
            b_ub=b if a.shape[0] else None,
            bounds=np.column_stack([lo, hi]),
            method="highs",
            options={"presolve": len(obj) <= PRESOLVE_MAX},
        )
        if lp.x is None:
            return None, False, None
        xl = lp.x
        d = lp.lower.marginals + lp.upper.marginals  # reduced costs (min form)
    upper = -(obj @ xl)  # no 0/1 set scores more
    frac = (xl > 1e-7) & (xl < 1 - 1e-7)
    order = np.argsort(np.abs(d) + frac * -1e9, kind="stable")
    near = np.zeros(len(obj), dtype=bool)
    near[order[:NEIGHBOURHOOD]] = True
    near |= frac
    rounded = _greedy_fill((xl > 1 - 1e-7).astype(float), obj, a, b, hi, xl, d)
    first = -(obj @ rounded)
    if gap > 0 and upper - first <= gap * max(abs(first), 1e-9):
        return rounded, False, max(upper - first, 0.0) / max(abs(first), 1e-9)
    sa, sb, slo, shi = _sub(a, b, lo, hi, near, rounded)
    xs, _ok, _bd = _milp(obj[near], sa, sb, slo, shi, 0.3 * time_limit, 1e-6)
    inc = rounded.copy()
    if xs is not None:
        cand = rounded.copy()
        cand[near] = xs
        if obj @ cand < obj @ inc:
            inc = cand
    if a.shape[0] and (a @ inc > b + 1e-9).any():
        inc = np.zeros(len(obj))  # cannot happen with the LP's rounding; stay safe
        inc[lo > 0.5] = 1
    lower = -(obj @ inc)
    if gap > 0 and upper - lower <= gap * max(abs(lower), 1e-9):
        return inc, False, max(upper - lower, 0.0) / max(abs(lower), 1e-9)
    # Reduced-cost fixing: forcing j to the other side costs at least |d_j| of the bound.
    slack = upper - lower
    at_zero = (xl < 1e-7) & (d > slack + 1e-9)
    at_one = (xl > 1 - 1e-7) & (-d > slack + 1e-9)
    core = ~(at_zero | at_one)
    values = np.where(at_one, 1.0, 0.0)
    ca, cb, clo, chi = _sub(a, b, lo, hi, core, values)
    left = time_limit - (time.monotonic() - t0)
    xc, ok, bound = _milp(obj[core], ca, cb, clo, chi, left, gap)
    best = inc
    if xc is not None:
        cand = values.copy()
        cand[core] = xc
        if obj @ cand <= obj @ inc + 1e-12:
            best = cand
    score = -(obj @ best)
    if xc is not None and ok and best is not inc:
        return best, gap == 0.0, 0.0 if gap == 0.0 else None
    top = upper
    if bound is not None:
        top = min(top, bound - (obj[~core] @ values[~core]))
    g = max(top - score, 0.0) / max(abs(score), 1e-9)
    return best, g <= 1e-9, g


def _solve_core(
    p: Problem,
    score: np.ndarray,
    lb: np.ndarray,
    ub: np.ndarray,
    specs,
    c: Constraints,
    time_limit: float,
    gap: float,
) -> tuple[np.ndarray, bool, float | None]:
    """HiGHS on the free variables; returns (x, proven optimal, relative gap)."""
    x = lb.copy()
    free, obj, a, b, lo, hi = _model(p, score, lb, ub, specs, c)
    # The candidates dominance settles (alone over a row's room: out; free of every limit:
    # in) leave the model, so HiGHS works on a smaller candidate set.
    settled = hi <= lo
    if settled.any():
        x[free[settled]] = lo[settled]
        a, b, lo, hi = _sub(a, b, lo, hi, ~settled, lo)
        free, obj = free[~settled], obj[~settled]
    if len(free) == 0:
        return x, True, 0.0
    for _attempt in range(4):
        if len(free) > LARGE:
            got, proven, g = _solve_large(obj, a, b, lo, hi, time_limit, gap)
        else:
            got, proven, bound = _milp(obj, a, b, lo, hi, time_limit, gap)
            g = (
                0.0
                if proven
                else (
                    None
                    if bound is None or got is None
                    else max(bound + obj @ got, 0.0) / max(abs(obj @ got), 1e-9)
                )
            )
        if got is None:
            # Nothing found in time (the model is feasible by construction: the forced set
            # fits): keep the forced set, unproven.
            return x, False, None
        # HiGHS's tolerances may let a row overshoot by a hair: check exactly, tighten.
        over = a @ got - b
        if not (over > 1e-12).any():
            break
        b = b - np.where(over > 1e-12, over + 1e-9, 0.0)
    x[free] = got > 0.5
    return x, proven, g


def solve(
    p: Problem,
    c: Constraints,
    explain: bool = True,
    time_limit: float = TIME_LIMIT_SECONDS,
    gap: float = MIP_REL_GAP,
    score: np.ndarray | None = None,
) -> Outcome:
    """The optimal set under ``c``; with ``explain``, which constraints bind and by how much.

    Infeasible when the forced set (mandatory, pinned in, and what they depend on) breaks a
    row or a pin: ``infeasible`` names each broken constraint with its numbers.
    """
    score = p.score if score is None else score
    specs = _row_specs(p, c)
    lb, ub, conflicts = _bounds(p, c)
    who = "Mandatory and pinned-in projects (with what they depend on) alone"
    broken = conflicts + _check_rows(p, specs, lb, who)
    if broken:
        return Outcome(
            "infeasible",
            lb,
            math.fsum(score * lb),
            math.fsum(_forced_cost(p, lb)),
            False,
            None,
            broken,
            _rows(p, specs, lb),
        )
    x, proven, g = _solve_core(p, score, lb, ub, specs, c, time_limit, gap)
    out = Outcome(
        "optimal" if proven else "gap",
        x,
        math.fsum(score * x),
        math.fsum(_forced_cost(p, x)),
        proven,
        g,
        [],
        _rows(p, specs, x),
    )
    if explain:
        out.binding = _binding(p, c, out, time_limit, gap, score)
    return out


def _rows(p: Problem, specs, x: np.ndarray) -> list[Row]:
    return [Row(f, lbl, math.fsum(coeff * x), limit, unit) for f, lbl, coeff, limit, unit in specs]


def _families(p: Problem, c: Constraints) -> list[tuple[str, str, Constraints]]:
    """Each constraint family that is on, with the constraints without it."""
    out = []
    if c.cap is not None:
        out.append(("cap", "Cost-to-continue cap", replace(c, cap=None)))
    for year, _limit in c.fy_caps:
        out.append(
            (
                f"fy:{year}",
                f"{p.fiscal_label(year)} spend cap",
                replace(c, fy_caps=tuple((y, v) for y, v in c.fy_caps if y != year)),
            )
        )
    if c.mandatory and p.mandatory.any():
        out.append(("mandatory", "Mandatory projects", replace(c, mandatory=False)))
    if c.pin_in:
        out.append(("pin_in", "Projects pinned in", replace(c, pin_in=())))
    if c.pin_out:
        out.append(("pin_out", "Projects pinned out", replace(c, pin_out=())))
    if c.dependencies and (p.deps or p.blocked):
        out.append(("dependencies", "Dependencies", replace(c, dependencies=False)))
    if c.capacity is not None:
        for role in p.roles():
            out.append((f"capacity:{role}", f"{role} capacity", c))  # lifted in _without
    return out


def _without(p: Problem, family: str) -> Problem:
    """The problem with one role's capacity lifted (its rows dropped)."""
    role = family.split(":", 1)[1]
    keep = [k for k, (r, _m) in enumerate(p.rows) if r != role]
    return replace(
        p,
        rows=[p.rows[k] for k in keep],
        demand=p.demand[keep],
        available=p.available[keep],
        capacity=p.capacity[keep],
    )


def _binding(p: Problem, c: Constraints, base: Outcome, time_limit, gap, score) -> list[Binding]:
    """Constraints whose removal raises the optimum: the score each one costs."""
    out = []
    for family, label, without in _families(p, c):
        q = _without(p, family) if family.startswith("capacity:") else p
        alt = solve(q, without, explain=False, time_limit=time_limit, gap=gap, score=score)
        if not alt.feasible:
            continue
        gain = alt.score - base.score
        # A gain within what either solve left unproven is no evidence that the constraint binds.
        noise = max(base.gap or 0.0, alt.gap or 0.0, 1e-6) * max(1.0, abs(base.score))
        if gain > noise:
            detail = ""
            rows = [r for r in base.rows if r.family == family]
            if family.startswith("capacity:") and c.capacity is not None:
                role = family.split(":", 1)[1]
                over = [
                    (m, float(p.demand[k] @ alt.x) - max(float(p.available[k]), 0.0) * c.capacity)
                    for k, (r, m) in enumerate(p.rows)
                    if r == role
                ]
                over = [(m, h) for m, h in over if h > 1e-6]
                if over:
                    span = _span([m for m, _h in over])
                    detail = (
                        f"the best set without it needs up to "
                        f"{max(h for _m, h in over):,.0f} more {role} hours a month, "
                        f"{span}"
                    )
            elif not rows:
                gone = [p.names[i] for i in np.flatnonzero((base.x > 0.5) & (alt.x < 0.5))]
                added = [p.names[i] for i in np.flatnonzero((base.x < 0.5) & (alt.x > 0.5))]
                parts = []
                if gone:
                    parts.append(
                        "would drop " + ", ".join(gone[:4]) + (" …" if len(gone) > 4 else "")
                    )
                if added:
                    parts.append(
                        "would add " + ", ".join(added[:4]) + (" …" if len(added) > 4 else "")
                    )
                detail = "Without it the best set " + " and ".join(parts) if parts else ""
            else:
                # The fullest row (least room left as a share of its limit).
                tight = min(rows, key=lambda r: r.slack / max(abs(r.limit), 1e-9))
                detail = f"{tight.label}: {tight.amount(tight.used)} of {tight.amount(tight.limit)}"
            out.append(Binding(family, label, gain, detail))
    out.sort(key=lambda b: -b.gain)
    return out


# ---------------------------------------------------------------------------- today's set


@dataclass
class TodaySet:
    """Today's portfolio scored the same way, and the constraints it breaks itself."""

    x: np.ndarray
    score: float
    cost: float
    breaks: list[str]

    @property
    def feasible(self) -> bool:
        """True when today's set meets every constraint that is on."""
        return not self.breaks


def today(p: Problem, c: Constraints, score: np.ndarray | None = None) -> TodaySet:
    """Today's in-portfolio set (Approved, Active, On Hold) under the same constraints."""
    score = p.score if score is None else score
    x = p.in_today.astype(float)
    breaks = _check_rows(p, _row_specs(p, c), x, "Today's portfolio would")
    breaks = [b.replace("would need", "needs") for b in breaks]
    if c.mandatory:
        for i in np.flatnonzero(p.mandatory & (x < 0.5)):
            breaks.append(f"Today's portfolio leaves out mandatory {p.names[i]} ({p.ids[i]})")
    if c.dependencies:
        for i, j in p.deps:
            if x[i] > 0.5 and x[j] < 0.5:
                breaks.append(
                    f"Today's portfolio has {p.names[i]} without {p.names[j]}, which it depends on"
                )
        for i, why in p.blocked.items():
            if x[i] > 0.5:
                breaks.append(f"Today's portfolio has {p.names[i]}, which {why}")
    for pid in c.pin_in:
        i = p.index.get(pid)
        if i is not None and x[i] < 0.5:
            breaks.append(f"Today's portfolio leaves out pinned-in {p.names[i]}")
    for pid in c.pin_out:
        i = p.index.get(pid)
        if i is not None and x[i] > 0.5:
            breaks.append(f"Today's portfolio has pinned-out {p.names[i]}")
    return TodaySet(x, math.fsum(score * x), math.fsum(_forced_cost(p, x)), breaks)


# ------------------------------------------------------------------------------- frontier


@dataclass
class Frontier:
    """The exact efficient frontier: the optimal score at each cap (cost to continue)."""

    points: pd.DataFrame  # cap, score, cost, projects, proven_optimal, gap, ids
    today_cost: float
    today_score: float
    today_feasible: bool
    best_at_today: float | None  # the optimum at today's cost
    score_gap: float | None  # best_at_today − today's score


def frontier(
    p: Problem,
    c: Constraints,
    points: int = FRONTIER_POINTS,
    time_limit: float = TIME_LIMIT_SECONDS,
    gap: float = MIP_REL_GAP,
) -> Frontier:
    """The optimum at ``points`` caps from the forced set's cost (0 when nothing is forced)
    to the cost of every candidate that may be selected, plus today's cost; each solved
    exactly with the other constraints of ``c``. The cap of ``c`` itself is ignored.

    Monotone by construction: a larger cap admits every smaller cap's set, so a point that
    could not prove a better set keeps the previous one.
    """
    base = replace(c, cap=None)
    lb, ub, _conflicts = _bounds(p, base)
    cost = np.nan_to_num(p.cost, nan=0.0)
    lo = math.fsum(cost * lb)
    hi = math.fsum(cost * ub)
    caps = list(np.linspace(lo, hi, max(points, 2)))
    now = today(p, base)
    if lo <= now.cost <= hi:
        caps.append(now.cost)
    caps = sorted(set(float(v) for v in caps))
    rows = []
    prev = None
    for cap in caps:
        out = solve(p, replace(base, cap=cap), explain=False, time_limit=time_limit, gap=gap)
        if not out.feasible:
            rows.append(
                {
                    "cap": cap,
                    "score": None,
                    "cost": None,
                    "projects": None,
                    "proven_optimal": False,
                    "gap": None,
                    "ids": [],
                }
            )
            continue
        if prev is not None and out.score < prev.score:
            out = prev  # a hair of solver gap must not make the frontier dip
        prev = out
        rows.append(
            {
                "cap": cap,
                "score": out.score,
                "cost": out.cost,
                "projects": int(out.x.sum()),
                "proven_optimal": out.proven_optimal,
                "gap": out.gap,
                "ids": [p.ids[i] for i in np.flatnonzero(out.x > 0.5)],
            }
        )
    frame = pd.DataFrame(
        rows, columns=["cap", "score", "cost", "projects", "proven_optimal", "gap", "ids"]
    )
    at = frame.loc[np.isclose(frame["cap"].to_numpy(float), now.cost), "score"]
    best = (
        float(at.iloc[0])
        if len(at) and at.iloc[0] is not None and not pd.isna(at.iloc[0])
        else None
    )
    return Frontier(
        frame, now.cost, now.score, now.feasible, best, None if best is None else best - now.score
    )


# ---------------------------------------------------------------------- what it would take


@dataclass
class Takes:
    """For one binding role: the extra hours by month that admit the best excluded project."""

    role: str
    project_id: str
    project: str
    gain: float
    extra_hours: dict[dt.date, float]
    people: int  # full-time people needed at the peak month
    admits: list[str]
    drops: list[str]

    @property
    def months(self) -> str:
        """'Mar–Aug 2027' (the months with extra hours)."""
        return _span([m for m, h in self.extra_hours.items() if h > 0])

    @property
    def sentence(self) -> str:
        """'+1 Data Engineer, Mar–Aug 2027, admits Wealth Portal Launch, +89.5'."""
        return f"+{self.people} {self.role}, {self.months}, admits {self.project}, {self.gain:+.1f}"

    def to_dict(self) -> dict:
        """JSON-ready."""
        return {
            "role": self.role,
            "project_id": self.project_id,
            "project": self.project,
            "score_added": round(self.gain, 4),
            "people": self.people,
            "months": self.months,
            "extra_hours": {
                m.isoformat(): round(h, 1) for m, h in sorted(self.extra_hours.items()) if h > 0
            },
            "admits": self.admits,
            "drops": self.drops,
            "text": self.sentence,
        }


def _span(months: list[dt.date]) -> str:
    """'Mar–Aug 2027', 'Nov 2026–Feb 2027', 'Mar 2027' (first to last month)."""
    ms = sorted(months)
    if not ms:
        return ""
    a, b = ms[0], ms[-1]
    if a == b:
        return f"{a:%b %Y}"
    if a.year == b.year:
        return f"{a:%b}–{b:%b %Y}"
    return f"{a:%b %Y}–{b:%b %Y}"


def _fte_hours(month: dt.date) -> float:
    """One full-time person's hours in a month: 40 × weekdays / 5."""
    days = calendar.monthrange(month.year, month.month)[1]
    weekdays = sum(
        1 for d in range(1, days + 1) if dt.date(month.year, month.month, d).weekday() < 5
    )
    return 40.0 * weekdays / 5


def what_it_would_take(
    p: Problem,
    c: Constraints,
    base: Outcome,
    time_limit: float = TIME_LIMIT_SECONDS,
    gap: float = MIP_REL_GAP,
    tries: int = TRY_PER_ROLE,
) -> list[Takes]:
    """For each role whose capacity binds: the excluded project that adds the most score once
    that role has the hours (tried among the best-scoring excluded projects that ask for the
    role), the extra hours by month it takes, and the score it adds (net of any project it
    pushes out under the other constraints)."""
    if c.capacity is None or not base.feasible:
        return []
    roles = [b.family.split(":", 1)[1] for b in base.binding if b.family.startswith("capacity:")]
    out = []
    tol = float(c.capacity)
    for role in roles:
        lifted = _without(p, f"capacity:{role}")
        ks = [k for k, (r, _m) in enumerate(p.rows) if r == role]
        asks = p.demand[ks].sum(axis=0) > 0
        excluded = np.flatnonzero((base.x < 0.5) & asks)
        excluded = excluded[np.argsort(-p.score[excluded], kind="stable")][:tries]
        best = None
        for q in excluded:
            pins = tuple(dict.fromkeys([*c.pin_in, p.ids[q]]))
            alt = solve(
                lifted, replace(c, pin_in=pins), explain=False, time_limit=time_limit, gap=gap
            )
            if not alt.feasible:
                continue
            gain = alt.score - base.score
            if gain > 1e-6 and (best is None or gain > best[0] + 1e-9):
                best = (gain, q, alt)
        if best is None:
            continue
        gain, q, alt = best
        extra = {}
        people = 0
        for k in ks:
            month = p.rows[k][1]
            need = float(p.demand[k] @ alt.x)
            limit = max(float(p.available[k]), 0.0) * tol
            more = max(need - limit, 0.0)
            if more > 1e-6:
                extra[month] = more
                people = max(people, math.ceil(more / _fte_hours(month) - 1e-9))
        out.append(
            Takes(
                role,
                p.ids[q],
                p.names[q],
                gain,
                extra,
                people,
                [p.ids[i] for i in np.flatnonzero((alt.x > 0.5) & (base.x < 0.5))],
                [p.ids[i] for i in np.flatnonzero((alt.x < 0.5) & (base.x > 0.5))],
            )
        )
    return out


# ---------------------------------------------------------------------------- from the data


def fiscal_year_start(con) -> int:
    """The fiscal-year start month (1–12) of the database's settings (pmo.settings; January
    unless set)."""
    from pmo import settings

    return settings.read(con).fiscal_year_start


def parse_month(value: object) -> int | None:
    """A month as 1–12 from 4, '4', 'Apr', 'April'; None when it is not one."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    for k in range(1, 13):
        if text in (calendar.month_name[k].lower(), calendar.month_abbr[k].lower()):
            return k
    return None


def inputs(
    con,
    as_of=None,
    filters: dict | None = None,
    weights: dict | None = None,
    fy_start_month: int | None = None,
    scores: bool = True,
) -> dict[str, pd.DataFrame | int]:
    """The query results a Problem is made of (cacheable as plain frames). ``scores=False``
    leaves out priority_scores (the only one the weights change: a page caches it apart)."""
    view = {**(filters or {}), "as_of": as_of}
    w = weights or {"alignment": 0.5, "value": 0.3, "risk": 0.2}
    fy = fy_start_month or fiscal_year_start(con)

    def run(name: str, **extra: object) -> pd.DataFrame:
        return queries.run(con, name, **query_params(name, view, **extra))

    out = {}
    if scores:
        out["scores"] = run(
            "priority_scores",
            **{f"w_{k}": float(w.get(k, 0.0)) for k in ("alignment", "value", "risk")},
        )
    return out | {
        "costs": run("cost_to_continue"),
        "fy": run("cost_plan_by_year", fy_start_month=fy),
        "demand": run("selection_demand"),
        "capacity": run("selection_capacity"),
        "deps": run("selection_dependencies"),
        "fy_start_month": fy,
    }


def problem(data: dict) -> Problem:
    """A Problem from the frames of ``inputs``."""
    scores = data["scores"]
    frame = (
        scores.merge(
            data["costs"][["project_id", "cost_to_continue", "spent", "mandatory"]],
            on="project_id",
            how="left",
        )
        .sort_values(["rank", "project_id"])
        .reset_index(drop=True)
    )
    ids = frame["project_id"].astype(str).tolist()
    index = {pid: i for i, pid in enumerate(ids)}
    n = len(ids)
    notes = []
    cost = pd.to_numeric(frame["cost_to_continue"], errors="coerce").to_numpy(float, copy=True)
    no_budget = [ids[i] for i in np.flatnonzero(np.isnan(cost))]
    if no_budget:
        notes.append(
            f"{len(no_budget)} candidate(s) without a budget cannot be costed and are "
            f"not selected: {', '.join(no_budget[:5])}"
        )
    mandatory = frame["mandatory"].fillna(False).astype(bool).to_numpy()
    forced_nan = np.isnan(cost) & mandatory
    cost[forced_nan] = 0.0  # a must-do without a budget still goes in, costed at 0
    # Fiscal years with money still to spend (a year already over counts nothing).
    fy_left = data["fy"][pd.to_numeric(data["fy"]["remaining_cost"], errors="coerce").fillna(0) > 0]
    p_years: list[int] = (
        sorted(int(y) for y in fy_left["fiscal_year"].unique()) if len(fy_left) else []
    )
    fy_cost = np.zeros((len(p_years), n))
    fy = data["fy"]
    if len(fy):
        cols = fy["project_id"].astype(str).map(index)
        ok = cols.notna().to_numpy().copy()
        year_pos = {y: k for k, y in enumerate(p_years)}
        ys = fy["fiscal_year"].astype(int).map(year_pos)
        ok &= ys.notna().to_numpy()
        np.add.at(
            fy_cost,
            (ys.to_numpy()[ok].astype(int), cols.to_numpy()[ok].astype(int)),
            pd.to_numeric(fy["remaining_cost"], errors="coerce").fillna(0.0).to_numpy()[ok],
        )
    cap = data["capacity"]
    rows = [
        (str(r), pd.Timestamp(m).date()) for r, m in zip(cap["role"], cap["month"], strict=True)
    ]
    demand = np.zeros((len(rows), n))
    dem = data["demand"]
    if len(dem):
        cols = dem["project_id"].astype(str).map(index)
        # (role, month) of each demand row -> its capacity row, vectorised.
        known = pd.MultiIndex.from_arrays(
            [cap["role"].astype(str), pd.to_datetime(cap["month"]).to_numpy()]
        )
        ks = known.get_indexer(
            pd.MultiIndex.from_arrays(
                [dem["role"].astype(str), pd.to_datetime(dem["month"]).to_numpy()]
            )
        )
        ok = cols.notna().to_numpy() & (ks >= 0)
        np.add.at(
            demand, (ks[ok], cols.to_numpy()[ok].astype(int)), dem["hours"].to_numpy(float)[ok]
        )
    # Rows nobody asks anything of are dropped (they never bind).
    asked = demand.sum(axis=1) > 0
    keep = np.flatnonzero(asked)
    available = cap["available_hours"].to_numpy(float)
    capacity = cap["capacity_hours"].to_numpy(float)
    over = [(rows[k], capacity[k], capacity[k] - available[k]) for k in keep if available[k] < 0]
    if over:
        (role, month), capk, used = over[0]
        notes.append(
            f"Projects outside this view already ask more of {role} than its capacity "
            f"in {len(over)} month(s) (e.g. {used:,.0f} of {capk:,.0f} hours in "
            f"{month:%b %Y}): this view gets none of it there"
        )
    rows = [rows[k] for k in keep]
    demand, available, capacity = demand[keep], available[keep], capacity[keep]
    deps, blocked, dep_labels = [], {}, {}
    status_in_view = set(ids)
    for d in data["deps"].itertuples(index=False):
        i = index.get(str(d.project_id))
        if i is None or bool(d.met):
            continue
        j = index.get(str(d.depends_on))
        if j is not None:
            deps.append((i, j))
            dep_labels[(i, j)] = f"{frame['name'][i]} needs {frame['name'][j]}"
        elif str(d.depends_on) not in status_in_view:
            st = str(d.depends_on_status)
            if st in ("Approved", "Active", "On Hold"):
                continue  # outside the view, but continuing in the portfolio
            blocked[i] = f"depends on {d.depends_on_name} ({d.depends_on}), which is {st}" + (
                "" if st == "Cancelled" else " and outside this view"
            )
    return Problem(
        ids=ids,
        names=frame["name"].astype(str).tolist(),
        status=frame["status"].astype(str).tolist(),
        score=pd.to_numeric(frame["priority_score"], errors="coerce").fillna(0.0).to_numpy(float),
        cost=cost,
        budget=pd.to_numeric(frame["budget"], errors="coerce").to_numpy(float),
        spent=pd.to_numeric(frame["spent"], errors="coerce").fillna(0.0).to_numpy(float),
        in_today=frame["in_portfolio"].fillna(False).astype(bool).to_numpy(),
        mandatory=mandatory,
        years=p_years,
        fy_cost=fy_cost,
        fy_start_month=int(data["fy_start_month"]),
        rows=rows,
        demand=demand,
        available=available,
        capacity=capacity,
        deps=deps,
        dep_labels=dep_labels,
        blocked=blocked,
        notes=notes,
    )


# ------------------------------------------------------------------------ reports as data


def default_cap(p: Problem) -> float:
    """Today's portfolio's cost to continue: the cap's default (docs/kpis.md)."""
    return math.fsum(np.nan_to_num(p.cost, nan=0.0) * p.in_today)


def default_fy_caps(p: Problem) -> dict[int, float]:
    """Per fiscal year, today's portfolio's planned spend of the year's remaining months."""
    return {y: math.fsum(p.fy_cost[k] * p.in_today) for k, y in enumerate(p.years)}


def moves(p: Problem, out: Outcome) -> pd.DataFrame:
    """Stop and start lists: today's projects the answer stops, the projects it starts.

    Columns: change (Stop, Start), project_id, name, status, cost_to_continue (what stopping
    frees, or starting commits), spent, budget, priority_score, mandatory. Best score first
    within Stop and Start.
    """
    rows = []
    for i in range(p.n):
        inn, now = out.x[i] > 0.5, bool(p.in_today[i])
        if inn == now:
            continue
        rows.append(
            {
                "change": "Start" if inn else "Stop",
                "project_id": p.ids[i],
                "name": p.names[i],
                "status": p.status[i],
                "priority_score": float(p.score[i]),
                "budget": float(p.budget[i]),
                "spent": float(p.spent[i]),
                "cost_to_continue": float(p.cost[i]),
                "mandatory": bool(p.mandatory[i]),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "change",
            "project_id",
            "name",
            "status",
            "cost_to_continue",
            "spent",
            "budget",
            "priority_score",
            "mandatory",
        ],
    )
    order = {"Stop": 0, "Start": 1}
    return frame.sort_values(
        ["change", "priority_score"], key=lambda s: s.map(order) if s.name == "change" else -s
    ).reset_index(drop=True)


def candidates(p: Problem, out: Outcome) -> pd.DataFrame:
    """Every candidate with its score, money and membership, best score first.

    Columns: project_id, name, status, priority_score, budget, spent, cost_to_continue,
    mandatory, in_today, in_optimal.
    """
    return pd.DataFrame(
        {
            "project_id": p.ids,
            "name": p.names,
            "status": p.status,
            "priority_score": p.score,
            "budget": p.budget,
            "spent": p.spent,
            "cost_to_continue": p.cost,
            "mandatory": p.mandatory,
            "in_today": p.in_today,
            "in_optimal": out.x > 0.5,
        }
    )


def set_totals(p: Problem, x: np.ndarray) -> dict[str, float]:
    """A set's projects, budget and spent (``x``: 1 per candidate in it; no figure counts 0).

    Keys: projects, budget, spent.
    """
    inn = x > 0.5
    return {
        "projects": int(inn.sum()),
        "budget": float(pd.Series(p.budget[inn]).fillna(0.0).sum()),
        "spent": float(pd.Series(p.spent[inn]).fillna(0.0).sum()),
    }


def binding_table(out: Outcome) -> pd.DataFrame:
    """The constraints that bind the answer. Columns: constraint, gain (score if lifted), detail."""
    return pd.DataFrame(
        [{"constraint": b.label, "gain": b.gain, "detail": b.detail} for b in out.binding]
    )


def role_hours(p: Problem, c: Constraints, out: Outcome, take: Takes) -> pd.DataFrame:
    """Per month of ``take``'s role: the best set's hours and the hours admitting ``take``'s
    project would add, each beside the hours available (capacity × the tolerance).

    Columns: month, series (Best set, Admitting <project>), order, hours, available.
    """
    q = p.index[take.project_id]
    rows = []
    for k, (role, month) in enumerate(p.rows):
        if role != take.role:
            continue
        avail = max(float(p.available[k]), 0.0) * c.capacity
        rows.append(
            {
                "month": pd.Timestamp(month),
                "series": "Best set",
                "order": 0,
                "hours": float(p.demand[k] @ out.x),
                "available": avail,
            }
        )
        rows.append(
            {
                "month": pd.Timestamp(month),
                "series": f"Admitting {take.project}",
                "order": 1,
                "hours": float(p.demand[k, q]),
                "available": avail,
            }
        )
    return pd.DataFrame(rows)


def frontier_marks(now: TodaySet, best: Outcome) -> pd.DataFrame:
    """Today's portfolio and the best set as points beside the frontier.

    Columns: label, cost, score, projects, text ("Today: $47.2M, score 1,234").
    """
    return pd.DataFrame(
        [
            {
                "label": "Today's portfolio",
                "cost": now.cost,
                "score": now.score,
                "projects": int((now.x > 0.5).sum()),
                "text": f"Today: {format.money(now.cost)}, score {now.score:,.0f}",
            },
            {
                "label": "Best set under the cap",
                "cost": best.cost,
                "score": best.score,
                "projects": int((best.x > 0.5).sum()),
                "text": f"Best: {format.money(best.cost)}, score {best.score:,.0f}",
            },
        ]
    )


def greedy_curve(p: Problem, scores: pd.DataFrame) -> pd.DataFrame:
    """The greedy curve beside the exact frontier: candidates by score per cost to continue,
    cumulated (prioritise.frontier over cost to continue; its cum_budget named cum_cost)."""
    from pmo import prioritise

    none = prioritise.Selection("", (), 0, 0)
    costed = scores.assign(budget=scores["project_id"].map(dict(zip(p.ids, p.cost, strict=True))))
    return prioritise.frontier(costed, none, none).rename(columns={"cum_budget": "cum_cost"})


def ranked_candidates(
    p: Problem, scores: pd.DataFrame, now: TodaySet, out: Outcome
) -> pd.DataFrame:
    """prioritise.ranked's list (scores: priority_scores' rows) with each candidate's spent,
    cost to continue and mandatory flag, today's set and the best set marked.

    Columns: rank, project_id, name, status, mandatory, budget, spent, cost_to_continue, then
    prioritise.ranked's others.
    """
    from pmo import prioritise

    def members(x: np.ndarray) -> prioritise.Selection:
        ids = tuple(pid for pid, inn in zip(p.ids, x > 0.5, strict=True) if inn)
        return prioritise.Selection("", ids, 0, 0)

    ranked = prioritise.ranked(scores, members(now.x), members(out.x))
    costs = candidates(p, out).set_index("project_id")
    ranked = ranked.assign(
        spent=ranked["project_id"].map(costs["spent"]),
        cost_to_continue=ranked["project_id"].map(costs["cost_to_continue"]),
        mandatory=ranked["project_id"].map(costs["mandatory"]).fillna(False).astype(bool),
    )
    first = [
        "rank",
        "project_id",
        "name",
        "status",
        "mandatory",
        "budget",
        "spent",
        "cost_to_continue",
    ]
    return ranked[first + [c for c in ranked.columns if c not in first]]


def report(
    p: Problem, c: Constraints, out: Outcome, now: TodaySet, takes: list[Takes] | None = None
) -> dict:
    """`select --format json`: the optimal set, today's set scored the same way, the status."""
    chosen = np.flatnonzero(out.x > 0.5)
    t = np.flatnonzero(now.x > 0.5)

    def money(v: float) -> float:
        return round(float(v), 2)

    return {
        "status": out.status,
        "proven_optimal": out.proven_optimal,
        "gap": None if out.gap is None else round(out.gap, 6),
        "constraints": c.to_dict(),
        "fiscal_year_start_month": p.fy_start_month,
        "candidates": p.n,
        "infeasible": out.infeasible,
        "selected": {
            "ids": [p.ids[i] for i in chosen],
            "count": int(len(chosen)),
            "cost_to_continue": money(out.cost),
            "score": round(out.score, 4),
            "budget": money(np.nansum(p.budget[chosen])),
            "spent": money(np.nansum(p.spent[chosen])),
        },
        "today": {
            "ids": [p.ids[i] for i in t],
            "count": int(len(t)),
            "cost_to_continue": money(now.cost),
            "score": round(now.score, 4),
            "feasible": now.feasible,
            "breaks": now.breaks,
        },
        "stop": [p.ids[i] for i in np.flatnonzero((out.x < 0.5) & p.in_today)]
        if out.feasible
        else [],
        "start": [p.ids[i] for i in np.flatnonzero((out.x > 0.5) & ~p.in_today)]
        if out.feasible
        else [],
        "binding": [
            {
                "constraint": b.family,
                "label": b.label,
                "score_if_lifted": round(out.score + b.gain, 4),
                "score_gain": round(b.gain, 4),
                "detail": b.detail,
            }
            for b in out.binding
        ],
        "rows": [
            {
                "constraint": r.family,
                "label": r.label,
                "used": round(r.used, 2),
                "limit": round(r.limit, 2),
            }
            for r in out.rows
            if r.family in ("cap",)
            or r.family.startswith("fy:")
            or r.slack <= 1e-6 * max(1.0, r.limit)
            or r.used > r.limit
        ],
        "what_it_would_take": [t.to_dict() for t in (takes or [])],
        "notes": p.notes,
    }
