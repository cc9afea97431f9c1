"""What the Prioritisation page (and the pack's frontier slide) show of a solved selection,
computed in pmo.selection: set totals, frontier marks, the greedy curve, a role's hours, the
binding table and the ranked list."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pmo import selection as S

MAR, APR = dt.date(2027, 3, 1), dt.date(2027, 4, 1)


@pytest.fixture
def solved():
    # A (Active, 80 pts, $2M to continue), B (Proposed, 60, $4M, no report: spent unknown),
    # C (Active, 10, $3M). Today's set is A + C: $5M, 90 pts. Under a $6M cap the best set is
    # A + B: $6M, 140 pts (A + C scores 90; B + C costs $7M).
    p = S.Problem(
        ids=["A", "B", "C"],
        names=["Project A", "Project B", "Project C"],
        status=["Active", "Proposed", "Active"],
        score=np.array([80.0, 60.0, 10.0]),
        cost=np.array([2e6, 4e6, 3e6]),
        budget=np.array([5e6, 4e6, 6e6]),
        spent=np.array([3e6, np.nan, 3e6]),
        in_today=np.array([True, False, True]),
        mandatory=np.array([False, False, True]),
        rows=[("Dev", MAR), ("Dev", APR), ("Ops", MAR)],
        demand=np.array([[100.0, 50.0, 0.0], [0.0, 80.0, 20.0], [10.0, 10.0, 10.0]]),
        available=np.array([120.0, 60.0, 500.0]),
    )
    c = S.Constraints(cap=6e6, mandatory=False)
    return p, c, S.solve(p, c), S.today(p, c)


def test_the_best_set_and_todays_set_are_the_hand_worked_ones(solved):
    p, _c, best, now = solved
    assert best.x.tolist() == [1.0, 1.0, 0.0] and best.score == 140.0 and best.cost == 6e6
    assert now.x.tolist() == [1.0, 0.0, 1.0] and now.score == 90.0 and now.cost == 5e6


def test_set_totals_count_a_missing_spent_as_zero(solved):
    p, _c, best, now = solved
    # Today A + C: budget 5 + 6 = $11M, spent 3 + 3 = $6M.
    assert S.set_totals(p, now.x) == {"projects": 2, "budget": 11e6, "spent": 6e6}
    # Best A + B: budget 5 + 4 = $9M, spent 3 + (none) = $3M.
    assert S.set_totals(p, best.x) == {"projects": 2, "budget": 9e6, "spent": 3e6}


def test_frontier_marks_place_today_and_the_best_set(solved):
    _p, _c, best, now = solved
    marks = S.frontier_marks(now, best)
    assert marks.to_dict("records") == [
        {
            "label": "Today's portfolio",
            "cost": 5e6,
            "score": 90.0,
            "projects": 2,
            "text": "Today: $5.0M, score 90",
        },
        {
            "label": "Best set under the cap",
            "cost": 6e6,
            "score": 140.0,
            "projects": 2,
            "text": "Best: $6.0M, score 140",
        },
    ]


def scores_of(p: S.Problem) -> pd.DataFrame:
    """priority_scores' rows for the three projects (rank by score; budget is the BAC)."""
    return pd.DataFrame(
        {
            "rank": [1, 2, 3],
            "project_id": p.ids,
            "name": p.names,
            "status": p.status,
            "portfolio": ["Digital"] * 3,
            "sponsor": ["Ann"] * 3,
            "budget": p.budget,
            "expected_benefit": [9e6, 6e6, 1e6],
            "risk_score": [2, 3, 4],
            "alignment_score": [90, 60, 10],
            "contrib_alignment": [50.0, 30.0, 5.0],
            "contrib_value": [20.0, 20.0, 3.0],
            "contrib_risk": [10.0, 10.0, 2.0],
            "priority_score": p.score,
            "in_portfolio": p.in_today,
        }
    )


def test_the_greedy_curve_runs_on_cost_to_continue_not_budget(solved):
    p, *_ = solved
    greedy = S.greedy_curve(p, scores_of(p))
    # Score per $1M of cost to continue: A 80/2 = 40, B 60/4 = 15, C 10/3 = 3.3 (by budget,
    # C's $6M, it would be 1.7): cumulated $2M, $6M, $9M and 80, 140, 150 points.
    assert greedy["project_id"].tolist() == ["A", "B", "C"]
    assert greedy["cum_cost"].tolist() == [2e6, 6e6, 9e6]
    assert greedy["cum_score"].tolist() == [80.0, 140.0, 150.0]
    assert greedy["score_per_million"].round(2).tolist() == [40.0, 15.0, 3.33]


def test_role_hours_set_the_best_sets_hours_beside_the_admitted_projects(solved):
    p, _c, best, _now = solved
    take = S.Takes("Dev", "C", "Project C", 10.0, {APR: 40.0}, 1, ["C"], [])
    hours = S.role_hours(p, S.Constraints(capacity=1.1), best, take)
    # Dev rows only (Ops left out); available = capacity × 110 %: 120 × 1.1 = 132, 60 × 1.1 = 66.
    # Best set A + B asks 100 + 50 = 150 h in March, 0 + 80 = 80 h in April; C asks 0 and 20.
    assert hours.to_dict("records") == [
        {
            "month": pd.Timestamp(MAR),
            "series": "Best set",
            "order": 0,
            "hours": 150.0,
            "available": pytest.approx(132.0),
        },
        {
            "month": pd.Timestamp(MAR),
            "series": "Admitting Project C",
            "order": 1,
            "hours": 0.0,
            "available": pytest.approx(132.0),
        },
        {
            "month": pd.Timestamp(APR),
            "series": "Best set",
            "order": 0,
            "hours": 80.0,
            "available": pytest.approx(66.0),
        },
        {
            "month": pd.Timestamp(APR),
            "series": "Admitting Project C",
            "order": 1,
            "hours": 20.0,
            "available": pytest.approx(66.0),
        },
    ]


def test_the_binding_table_says_what_lifting_the_cap_gains(solved):
    _p, _c, best, _now = solved
    # Without the cap all three go in: 80 + 60 + 10 = 150, 10 more than 140. Mandatory is
    # off and there are no capacity rows on, so the cap is the only constraint that binds.
    assert S.binding_table(best).to_dict("records") == [
        {
            "constraint": "Cost-to-continue cap",
            "gain": 10.0,
            "detail": "Cost-to-continue cap: $6.0M of $6.0M",
        }
    ]


def test_ranked_candidates_add_money_and_membership_to_the_ranking(solved):
    p, _c, best, now = solved
    ranked = S.ranked_candidates(p, scores_of(p), now, best)
    assert list(ranked.columns[:8]) == [
        "rank",
        "project_id",
        "name",
        "status",
        "mandatory",
        "budget",
        "spent",
        "cost_to_continue",
    ]
    assert ranked["project_id"].tolist() == ["A", "B", "C"]
    assert ranked["cost_to_continue"].tolist() == [2e6, 4e6, 3e6]
    assert ranked["spent"].fillna(-1).tolist() == [3e6, -1, 3e6]  # B has no report
    assert ranked["mandatory"].tolist() == [False, False, True]
    assert ranked["in_today"].tolist() == [True, False, True]  # A + C
    assert ranked["in_optimal"].tolist() == [True, True, False]  # A + B
