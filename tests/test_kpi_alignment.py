"""Alignment, investment and priority queries against a hand-computed portfolio.

Objectives: O1 weight 3 (target 40 %), O2 weight 1 (target 40 %), O3 weight 1 (no target,
no project scores on it). Σ weights = 5, so a score's denominator is 5 × 5 = 25.

project status     portfolio budget benefit risk  scores          alignment score
A       Active     Ops       100    300     2     O1=5            15 / 25 = 60
B       Approved   IT        300    300     4     O1=2, O2=2      (6 + 2) / 25 = 32
C       On Hold    Ops       100    -       1     (none)          0, unaligned
D       Proposed   Ops       500    1000    -     O2=5            5 / 25 = 20
E       Active     Ops       0      50      3     O2=0            0, unaligned (all zero)
F       Completed  Ops       900    900     1     O1=5            60
G       Cancelled  IT        50     10      5     O1=1            3 / 25 = 12
"""

import pandas as pd
import pytest

from pmo import filters, kpi, queries, store
from tests.conftest import load


def run(db, name, **params):
    with store.connect(db) as con:
        return queries.run(con, name, **filters.query_params(name, **params))


@pytest.fixture
def portfolio(db):
    load(
        db,
        objectives=pd.DataFrame(
            [("O1", "Grow", 3, 0.4), ("O2", "Serve", 1, 0.4), ("O3", "Learn", 1, None)],
            columns=["objective_id", "name", "weight", "target_share"],
        ),
        projects=pd.DataFrame(
            [
                ("A", "Alpha", "Active", "Ops", 100, 300, 2),
                ("B", "Beta", "Approved", "IT", 300, 300, 4),
                ("C", "Gamma", "On Hold", "Ops", 100, None, 1),
                ("D", "Delta", "Proposed", "Ops", 500, 1000, None),
                ("E", "Epsilon", "Active", "Ops", 0, 50, 3),
                ("F", "Phi", "Completed", "Ops", 900, 900, 1),
                ("G", "Gamma2", "Cancelled", "IT", 50, 10, 5),
            ],
            columns=[
                "project_id",
                "name",
                "status",
                "portfolio",
                "budget",
                "expected_benefit",
                "risk_score",
            ],
        ),
        alignment=pd.DataFrame(
            [
                ("A", "O1", 5),
                ("B", "O1", 2),
                ("B", "O2", 2),
                ("D", "O2", 5),
                ("E", "O2", 0),
                ("F", "O1", 5),
                ("G", "O1", 1),
            ],
            columns=["project_id", "objective_id", "score"],
        ),
    )
    return db


def test_project_alignment_scores_over_all_objective_weights(portfolio):
    df = run(portfolio, "project_alignment").set_index("project_id")
    assert df.alignment_score.to_dict() == pytest.approx(
        {"A": 60, "B": 32, "C": 0, "D": 20, "E": 0, "F": 60, "G": 12}
    )
    assert df.aligned.to_dict() == {
        "A": True,
        "B": True,
        "C": False,
        "D": True,
        "E": False,
        "F": True,
        "G": True,
    }
    assert sorted(df.index[df.in_portfolio]) == ["A", "B", "C", "E"]
    # Best aligned first, ties by project_id.
    assert run(portfolio, "project_alignment").project_id.tolist() == [
        "A",
        "F",
        "B",
        "D",
        "G",
        "C",
        "E",
    ]


def test_alignment_matrix_has_every_project_objective_pair(portfolio):
    df = run(portfolio, "alignment_matrix")
    assert len(df) == 7 * 3  # 7 projects x 3 objectives, absent scores as 0
    scores = {(r.project_id, r.objective_id): r.score for r in df.itertuples()}
    assert scores[("B", "O2")] == 2
    assert scores[("C", "O1")] == 0  # no alignment rows at all
    assert scores[("A", "O3")] == 0
    assert set(df.columns) >= {
        "project_id",
        "project_name",
        "status",
        "budget",
        "objective_id",
        "objective_name",
        "weight",
        "score",
    }
    narrowed = run(portfolio, "alignment_matrix", portfolio=["IT"])
    assert sorted(set(narrowed.project_id)) == ["B", "G"]


def test_headline_alignment_is_budget_weighted_over_in_portfolio(portfolio):
    with store.connect(portfolio) as con:
        out = kpi.headline(con)
        ops = kpi.headline(con, portfolio=["Ops"])
    # In portfolio: A 100, B 300, C 100, E 0 -> total 500 (D Proposed, F, G closed are out).
    assert out["total_budget"] == 500
    # (100 x 60 + 300 x 32 + 100 x 0 + 0 x 0) / 500 = (6000 + 9600) / 500 = 31.2
    assert out["portfolio_alignment"] == pytest.approx(31.2)
    # Unaligned: C (no scores) 100 + E (all zero) 0 -> 100 / 500 = 0.2
    assert out["unaligned_share"] == pytest.approx(0.2)
    # Ops only: A, C, E -> 6000 / 200 = 30 ; unaligned 100 / 200 = 0.5
    assert ops["portfolio_alignment"] == pytest.approx(30)
    assert ops["unaligned_share"] == pytest.approx(0.5)


def test_investment_by_objective_splits_budget_by_score_share(portfolio):
    df = run(portfolio, "investment_by_objective").set_index("objective_id")
    assert df.index.tolist() == ["O1", "O2", "O3", "UNALIGNED"]
    # O1: A 100 (5/5 of it) + B 300 x 2/4 = 250 -> 250 / 500 = 0.5, gap 0.5 - 0.4 = +0.1
    # O2: B 300 x 2/4 = 150 -> 0.3, gap -0.1 ; O3: nothing -> 0, no target -> gap null
    # Unaligned: C 100 + E 0 -> 0.2 ; the shares sum to 1.
    assert df.invested_budget.to_dict() == pytest.approx(
        {"O1": 250, "O2": 150, "O3": 0, "UNALIGNED": 100}
    )
    assert df.actual_share.to_dict() == pytest.approx(
        {"O1": 0.5, "O2": 0.3, "O3": 0, "UNALIGNED": 0.2}
    )
    assert df.gap["O1"] == pytest.approx(0.1)
    assert df.gap["O2"] == pytest.approx(-0.1)
    assert pd.isna(df.gap["O3"]) and pd.isna(df.target_share["UNALIGNED"])
    assert df.loc["UNALIGNED", "objective_name"] == "Unaligned"
    assert df.actual_share.sum() == pytest.approx(1)
    # The Unaligned row is the headline's unaligned_share.
    with store.connect(portfolio) as con:
        assert kpi.headline(con)["unaligned_share"] == pytest.approx(df.actual_share["UNALIGNED"])


def test_investment_filter_narrows_every_share(portfolio):
    df = run(portfolio, "investment_by_objective", portfolio=["IT"]).set_index("objective_id")
    # IT in portfolio: B only (G is cancelled): 300 -> O1 150 / 300 = 0.5, O2 0.5, unaligned 0
    assert df.actual_share.to_dict() == pytest.approx(
        {"O1": 0.5, "O2": 0.5, "O3": 0, "UNALIGNED": 0}
    )


def test_no_objectives_gives_null_alignment_not_zero(db):
    load(
        db,
        projects=pd.DataFrame(
            [("A", "Alpha", "Active", 100)], columns=["project_id", "name", "status", "budget"]
        ),
    )
    with store.connect(db) as con:
        out = kpi.headline(con)
    assert out["portfolio_alignment"] is None
    assert out["unaligned_share"] is None
    assert run(db, "investment_by_objective").empty
    assert pd.isna(run(db, "project_alignment").alignment_score[0])


def test_priority_scores_by_hand(portfolio):
    df = run(portfolio, "priority_scores").set_index("project_id")
    # Candidates: A B C D E (F Completed and G Cancelled are not).
    assert sorted(df.index) == ["A", "B", "C", "D", "E"]
    # value_ratio: A 300/100 = 3, B 1, C null (no benefit), D 1000/500 = 2, E null (budget 0)
    assert df.value_ratio["A"] == 3 and df.value_ratio["D"] == 2
    assert pd.isna(df.value_ratio["C"]) and pd.isna(df.value_ratio["E"])
    # alignment 60, 32, 0, 20, 0: min 0, max 60 -> 1, 0.5333, 0, 0.3333, 0
    assert df.norm_alignment.to_dict() == pytest.approx(
        {"A": 1, "B": 32 / 60, "C": 0, "D": 1 / 3, "E": 0}
    )
    # value 3, 1, -, 2, -: min 1, max 3 -> 1, 0, 0 (missing), 0.5, 0 (missing)
    assert df.norm_value.to_dict() == pytest.approx({"A": 1, "B": 0, "C": 0, "D": 0.5, "E": 0})
    # risk criterion 6 - risk: A 4, B 2, C 5, D missing, E 3: min 2, max 5 -> 2/3, 0, 1, 0, 1/3
    assert df.norm_risk.to_dict() == pytest.approx({"A": 2 / 3, "B": 0, "C": 1, "D": 0, "E": 1 / 3})
    # Weights 0.5 / 0.3 / 0.2 (sum 1), score = 100 x Σ w x norm:
    # A 50 + 30 + 13.33 = 93.33 ; B 26.67 ; C 20 ; D 16.67 + 15 = 31.67 ; E 6.67
    assert df.priority_score.to_dict() == pytest.approx(
        {"A": 280 / 3, "B": 80 / 3, "C": 20, "D": 95 / 3, "E": 20 / 3}
    )
    assert df.contrib_value["D"] == pytest.approx(15)
    assert df["rank"].to_dict() == {"A": 1, "D": 2, "B": 3, "C": 4, "E": 5}
    assert df.in_portfolio.to_dict() == {"A": True, "B": True, "C": True, "D": False, "E": True}


def test_priority_weights_are_parameters(portfolio):
    df = run(portfolio, "priority_scores", w_alignment=0, w_value=1, w_risk=1).set_index(
        "project_id"
    )
    # Σ w = 2: A (0 + 1 + 2/3) / 2 = 83.33 ; B 0 ; C 50 ; D 25 ; E 16.67
    assert df.priority_score.to_dict() == pytest.approx(
        {"A": 250 / 3, "B": 0, "C": 50, "D": 25, "E": 50 / 3}
    )
    # Weights as text (the command line) work the same.
    df2 = run(portfolio, "priority_scores", w_alignment="0", w_value="1", w_risk="1")
    assert df2.set_index("project_id").priority_score.to_dict() == pytest.approx(
        df.priority_score.to_dict()
    )
    zero = run(portfolio, "priority_scores", w_alignment=0, w_value=0, w_risk=0)
    assert zero.priority_score.isna().all()


def test_priority_single_candidate_normalises_to_one(portfolio):
    # IT candidates: B only (G is cancelled): min = max on every criterion -> norm 1 -> 100.
    df = run(portfolio, "priority_scores", portfolio=["IT"])
    assert df.project_id.tolist() == ["B"]
    assert df.priority_score[0] == pytest.approx(100)
    assert (df.norm_alignment[0], df.norm_value[0], df.norm_risk[0]) == (1, 1, 1)
