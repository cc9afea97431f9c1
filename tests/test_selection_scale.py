"""The selection at scale (issue 20): the page's bounded solves, the closed-form LP, dominance,
and what the page says when a set is within a gap rather than proven."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from pmo import selection as S, store


def problem(n: int, seed: int = 7, roles: bool = False) -> S.Problem:
    """n candidates with costs, scores and (optionally) two roles' hours over three months."""
    rng = np.random.default_rng(seed)
    cost = np.round(rng.uniform(1, 20, n), 2)
    rows, demand, available = [], None, None
    if roles:
        import datetime as dt

        rows = [(r, dt.date(2027, m, 1)) for r in ("Analyst", "Engineer") for m in (1, 2, 3)]
        demand = np.where(rng.random((6, n)) < 0.3, np.round(rng.uniform(10, 80, (6, n))), 0.0)
        available = np.round(demand.sum(axis=1) * 0.5)
    return S.Problem(
        ids=[f"P{i:04d}" for i in range(n)],
        names=[f"Project {i}" for i in range(n)],
        status=["Proposed"] * n,
        score=np.round(rng.uniform(1, 100, n), 2),
        cost=cost,
        budget=cost,
        spent=np.zeros(n),
        in_today=rng.random(n) < 0.5,
        mandatory=np.zeros(n, dtype=bool),
        rows=rows,
        demand=demand,
        available=available,
    )


def test_the_knapsack_lp_in_closed_form_is_the_lp_highs_solves():
    # Three candidates, one row (the cap) of 10: scores 30, 20, 12 over costs 6, 5, 4 are
    # 5.0, 4.0 and 3.0 a unit. Take the first whole (6), then 4 of the second's 5 (0.8):
    # x = (1, 0.8, 0), the LP's optimum 30 + 0.8 × 20 = 46; the price of the row is the
    # second's ratio 4.0, so the reduced costs are −30 + 4×6 = −6, −20 + 4×5 = 0, −12 + 4×4 = 4.
    obj = np.array([-30.0, -20.0, -12.0])
    a = csr_matrix(np.array([[6.0, 5.0, 4.0]]))
    x, d = S._knapsack_lp(obj, a, np.array([10.0]), np.zeros(3), np.ones(3))
    assert x.tolist() == pytest.approx([1.0, 0.8, 0.0])
    assert -(obj @ x) == pytest.approx(46.0)
    assert d.tolist() == pytest.approx([-6.0, 0.0, 4.0])
    # And on 2,000 random candidates it is HiGHS's optimum.
    p = problem(2000)
    c = S.Constraints(cap=float(np.sum(p.cost)) / 3)
    lb, ub, _ = S._bounds(p, c)
    free, obj, a, b, lo, hi = S._model(p, p.score, lb, ub, S._row_specs(p, c), c)
    x, d = S._knapsack_lp(obj, a, b, lo, hi)
    lp = linprog(obj, A_ub=a, b_ub=b, bounds=np.column_stack([lo, hi]), method="highs")
    assert obj @ x == pytest.approx(lp.fun, rel=1e-9)
    assert (a @ x <= b + 1e-9).all()


def test_greedy_fill_takes_the_same_set_as_one_by_one():
    # Room 10; candidates in the order given (LP value, then reduced cost): sizes 4, 7, 3, 2, 5.
    # One by one: 4 fits (room 6), 7 does not, 3 fits (3), 2 fits (1), 5 does not -> {0, 2, 3}.
    a = csr_matrix(np.array([[4.0, 7.0, 3.0, 2.0, 5.0]]))
    obj = -np.ones(5)
    xl = np.array([0.9, 0.8, 0.7, 0.6, 0.5])  # the order: largest LP value first
    x = S._greedy_fill(np.zeros(5), obj, a, np.array([10.0]), np.ones(5), xl, np.zeros(5))
    assert x.tolist() == [1.0, 0.0, 1.0, 1.0, 0.0]


def test_dominance_settles_candidates_before_the_solver():
    # Cap 10. A costs 0 and scores 5: it uses nothing a row limits, so it is in every optimal
    # set. B costs 12 > 10: it can never fit, out. C (cost 6, score 9) and D (cost 5, score 8)
    # compete: only one fits beside A, C scores more -> {A, C}, score 5 + 9 = 14.
    p = S.Problem(
        ids=["A", "B", "C", "D"],
        names=["A", "B", "C", "D"],
        status=["Proposed"] * 4,
        score=np.array([5.0, 50.0, 9.0, 8.0]),
        cost=np.array([0.0, 12.0, 6.0, 5.0]),
        budget=np.array([1.0, 12.0, 6.0, 5.0]),
        spent=np.zeros(4),
        in_today=np.zeros(4, bool),
        mandatory=np.zeros(4, bool),
    )
    c = S.Constraints(cap=10.0)
    lb, ub, _ = S._bounds(p, c)
    free, obj, a, b, lo, hi = S._model(p, p.score, lb, ub, S._row_specs(p, c), c)
    assert lo.tolist() == [1.0, 0.0, 0.0, 0.0]  # A settled in
    assert hi.tolist() == [1.0, 0.0, 1.0, 1.0]  # B settled out
    out = S.solve(p, c, explain=False)
    assert out.status == "optimal"
    assert [p.ids[i] for i in np.flatnonzero(out.x > 0.5)] == ["A", "C"]
    assert out.score == 14.0


@pytest.mark.parametrize("roles", [False, True])
def test_a_bounded_solve_is_feasible_and_reports_its_gap(roles):
    # 3,000 candidates (the large path), the cap a third of everything's cost; asked to stop
    # within 1 % or after 0.05 s. Whatever it stops at: the set keeps the cap (and every role's
    # hours), its gap is reported, at most 1 %, and the exact optimum is no better than the
    # set's score × (1 + gap).
    p = problem(3000, roles=roles)
    cap = float(np.sum(p.cost)) / 3
    c = S.Constraints(cap=cap, capacity=1.0 if roles else None)
    out = S.solve(p, c, explain=False, time_limit=0.05, gap=0.01)
    assert out.feasible
    assert float(np.nan_to_num(p.cost) @ out.x) <= cap + 1e-6
    if roles:
        assert (p.demand @ out.x <= p.available + 1e-6).all()
    assert out.proven_optimal or out.gap is not None
    assert (out.gap or 0.0) <= 0.01 + 1e-12
    exact = S.solve(p, c, explain=False)
    assert exact.status == "optimal"
    assert exact.score <= out.score * (1 + (out.gap or 0.0)) + 1e-6
    assert out.score <= exact.score + 1e-6


def test_page_limits_are_exact_up_to_five_thousand_candidates():
    assert S.page_limits(problem(10)) == (S.TIME_LIMIT_SECONDS, 0.0)
    big = problem(S.EXACT_MAX + 1)
    assert S.page_limits(big) == (S.PAGE_TIME_LIMIT, S.PAGE_GAP)
    # The frontier's 22 caps share FRONTIER_TIME_BUDGET: 4 s / 22 = 0.18 s each.
    limit, gap = S.page_limits(big, frontier=True)
    assert limit == pytest.approx(4.0 / 22)
    assert gap == S.PAGE_GAP


def test_what_the_page_says_about_a_set():
    assert S.proof_words(True, 0.0) == "proven optimal"
    # A gap of 0.0017 % is said as at most 0.01 % (rounded up, never down).
    assert S.proof_words(False, 1.7e-5) == "within 0.01 % of the best"
    # 0.2301 % rounds up to 0.24 %.
    assert S.proof_words(False, 0.002301) == "within 0.24 % of the best"
    assert S.proof_words(False, None) == "the best found in the time allowed, not proven"


def test_what_the_page_says_about_the_frontier():
    def pts(proven, gaps, scores=None):
        return pd.DataFrame(
            {
                "score": scores or [1.0] * len(proven),
                "proven_optimal": proven,
                "gap": gaps,
            }
        )

    assert S.frontier_proof_words(pts([True, True], [0.0, 0.0])) == (
        "each solved exactly (all proven optimal)"
    )
    # Unproven caps at 0.003 % and 0.008 %: the largest, rounded up, is 0.01 %.
    assert S.frontier_proof_words(pts([True, False, False], [0.0, 3e-5, 8e-5])) == (
        "each within 0.01 % of the best (1 proven optimal)"
    )
    assert S.frontier_proof_words(pts([False, True], [None, 0.0])) == (
        "1 of 2 proven optimal, 1 the best found in the time allowed"
    )
    # An infeasible cap (no score) counts in neither.
    assert S.frontier_proof_words(pts([False, True], [None, 0.0], scores=[None, 3.0])) == (
        "each solved exactly (all proven optimal)"
    )


def test_a_query_gets_only_the_macros_it_calls():
    # overallocations calls resource_plan_months (resources), window_from/window_to (months)
    # and scoped_projects (filters); resource_plan_months calls scoped_projects, and the
    # filters call resolve_as_of (as_of). Not the EVM, the headline or the forecast.
    from pmo import queries

    files = store.macro_files_for(queries.load("overallocations").sql)
    assert files == ("as_of", "filters", "months", "resources")
    assert store.macro_files_for("select 1") == ()
    # In MACRO_FILES' order, so each is installed after those it uses.
    headline = store.macro_files_for(queries.load("headline_trend").sql)
    assert list(headline) == [f for f in store.MACRO_FILES if f in headline]
    assert "evm" in headline and "headline" in headline


def test_the_overview_asks_for_the_as_of_month_only():
    # The Overview lists teams over-allocated in the as-of month: it asks overallocations for
    # that month alone (from = to = '2026-10'), not the 12 months the Resources page shows.
    import datetime as dt

    from pmo import overview

    assert overview.month_param(dt.date(2026, 10, 31)) == "2026-10"
    assert overview.month_param(pd.Timestamp("2027-01-01")) == "2027-01"
    assert overview.month_param(None) is None
