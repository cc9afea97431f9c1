import itertools

import numpy as np
import pandas as pd
import pytest

from pmo import prioritise, scenarios


def candidates(rows) -> pd.DataFrame:
    """priority_scores-shaped rows from (id, budget, score, in_portfolio)."""
    frame = pd.DataFrame(rows, columns=["project_id", "budget", "priority_score", "in_portfolio"])
    frame["name"] = "Project " + frame["project_id"]
    frame["status"] = np.where(frame["in_portfolio"], "Active", "Proposed")
    frame["portfolio"] = "P"
    frame["sponsor"] = "S"
    frame["expected_benefit"] = frame["budget"].fillna(0) * 2
    frame["rank"] = frame["priority_score"].rank(ascending=False, method="first").astype(int)
    return frame


def random_candidates(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return candidates(
        [
            (
                f"P{i:04d}",
                float(round(rng.lognormal(13.5, 0.9), -3)),
                float(round(rng.uniform(0, 100), 2)),
                bool(rng.random() < 0.5),
            )
            for i in range(n)
        ]
    )


def test_the_exact_selection_beats_greedy_by_ratio():
    frame = candidates([("A", 6, 66, True), ("B", 5, 50, False), ("C", 5, 50, False)])
    best = prioritise.optimal(frame, cap=10)
    # Greedy by score per $ takes A (11/$) and then nothing fits: 66. B + C = 10 <= 10: 100.
    assert set(best.ids) == {"B", "C"}
    assert best.budget == 10
    assert best.score == 100
    assert best.proven_optimal


def test_projects_without_budget_or_over_the_cap_are_never_selected():
    frame = candidates(
        [
            ("NOBUDGET", None, 99, True),
            ("HUGE", 50, 90, True),
            ("FREE", 0, 5, False),
            ("OK", 8, 40, False),
            ("ZERO", 1, 0, False),
        ]
    )
    best = prioritise.optimal(frame, cap=10)
    # FREE costs nothing and scores 5; OK fits (8 <= 10); ZERO adds no score.
    assert best.ids == ("OK", "FREE")
    assert (best.budget, best.score) == (8, 45)


def test_an_empty_or_zero_cap_selects_only_free_projects():
    frame = candidates([("A", 5, 50, True), ("FREE", 0, 5, False)])
    assert prioritise.optimal(frame, cap=0).ids == ("FREE",)
    assert prioritise.optimal(frame.iloc[0:0], cap=10).ids == ()


@pytest.mark.parametrize("seed", range(8))
def test_selection_matches_brute_force_on_small_portfolios(seed):
    frame = random_candidates(13, seed)
    cap = frame["budget"].sum() * 0.4
    b, s = frame["budget"].to_numpy(), frame["priority_score"].to_numpy()
    masks = np.array(list(itertools.product([0, 1], repeat=len(frame))), dtype=bool)
    feasible = masks @ b <= cap
    brute = (masks @ s)[feasible].max()
    best = prioritise.optimal(frame, cap)
    assert best.budget <= cap
    assert best.score == pytest.approx(brute, abs=1e-6)


def no_single_swap_improves(frame: pd.DataFrame, sel: prioritise.Selection, cap: float) -> bool:
    chosen = frame["project_id"].isin(sel.ids).to_numpy()
    b, s = frame["budget"].to_numpy(), frame["priority_score"].to_numpy()
    bi, si = b[chosen], s[chosen]
    bj, sj = b[~chosen], s[~chosen]
    # Swap selected i for unselected j: feasible when budget - b_i + b_j <= cap.
    feasible = sel.budget - bi[:, None] + bj[None, :] <= cap
    gain = sj[None, :] - si[:, None]
    swap_ok = not (feasible & (gain > 1e-9)).any()
    # Adding one unselected j on its own: feasible when budget + b_j <= cap.
    add_ok = not ((sel.budget + bj <= cap) & (sj > 1e-9)).any()
    return swap_ok and add_ok


def test_two_thousand_candidates_optimal_set_is_within_cap_and_beats_every_swap():
    frame = random_candidates(2000, seed=7)
    cap = frame.loc[frame["in_portfolio"], "budget"].sum()
    best = prioritise.optimal(frame, cap)
    today = prioritise.today(frame)
    assert best.proven_optimal
    assert best.budget <= cap
    # The optimum under today's budget scores at least what today's set scores.
    assert today.budget == cap
    assert best.score >= today.score
    assert no_single_swap_improves(frame, best, cap)
    # Its totals are those of its rows.
    rows = frame[frame["project_id"].isin(best.ids)]
    assert best.budget == pytest.approx(rows["budget"].sum())
    assert best.score == pytest.approx(rows["priority_score"].sum())


def test_today_enters_and_leaves():
    frame = candidates([("A", 6, 66, True), ("B", 5, 50, False), ("C", 5, 55, True)])
    today = prioritise.today(frame)
    assert (today.ids, today.budget, today.score) == (("A", "C"), 11, 121)
    best = prioritise.optimal(frame, cap=today.budget)  # 11: A + C (121) beats B + C (105)
    assert set(best.ids) == {"A", "C"}
    tighter = prioritise.optimal(frame, cap=10)  # B + C (105); A + anything is over 10
    moves = prioritise.changes(frame, today, tighter)
    assert moves[["change", "project_id"]].values.tolist() == [["Enters", "B"], ["Leaves", "A"]]


def test_frontier_is_cumulative_in_score_per_dollar_order():
    frame = candidates(
        [("A", 6e6, 66, True), ("B", 5e6, 50, False), ("C", 2e6, 40, True), ("N", None, 80, False)]
    )
    today = prioritise.today(frame)
    best = prioritise.optimal(frame, cap=8e6)
    f = prioritise.frontier(frame, today, best)
    # Score per $1M: C 40/2 = 20, A 66/6 = 11, B 50/5 = 10; N has no budget: left out.
    assert f["project_id"].tolist() == ["C", "A", "B"]
    assert f["score_per_million"].tolist() == pytest.approx([20, 11, 10])
    assert f["cum_budget"].tolist() == [2e6, 8e6, 13e6]
    assert f["cum_score"].tolist() == [40, 106, 156]
    assert f["in_today"].tolist() == [True, True, False]
    assert f["in_optimal"].tolist() == [True, True, False]  # cap 8M: C + A = 106


def test_ranked_marks_both_sets():
    frame = candidates([("A", 6, 66, True), ("B", 5, 50, False), ("C", 5, 50, False)])
    for col in (
        "risk_score",
        "alignment_score",
        "contrib_alignment",
        "contrib_value",
        "contrib_risk",
    ):
        frame[col] = 1.0
    table = prioritise.ranked(frame, prioritise.today(frame), prioritise.optimal(frame, 10))
    assert table["project_id"].tolist() == ["A", "B", "C"]
    assert table["in_today"].tolist() == [True, False, False]
    assert table["in_optimal"].tolist() == [False, True, True]


def test_compare_puts_scenarios_side_by_side():
    frame = candidates([("A", 6e6, 66, True), ("B", 5e6, 50, False), ("C", 5e6, 50, True)])
    saved = [
        {
            "name": "Today",
            "weights": {"alignment": 0.5, "value": 0.3, "risk": 0.2},
            "budget_cap": 11e6,
            "selection": ["A", "C"],
            "saved_by": "ann",
            "saved_at": None,
        },
        {
            "name": "Lean",
            "weights": {"alignment": 1.0, "value": 0.0, "risk": 0.0},
            "budget_cap": 10e6,
            "selection": ["B", "C"],
            "saved_by": "bob",
            "saved_at": None,
        },
    ]
    saved[0]["view"] = "Portfolio: Digital Growth · As of 31 Oct 2026"  # B: saved before views
    summary, membership = prioritise.compare(saved, frame)
    differs = summary.set_index("measure")["differs"]
    by = summary.set_index("measure")[["Today", "Lean"]]
    assert by.loc["Made under"].tolist() == ["Portfolio: Digital Growth · As of 31 Oct 2026", "—"]
    # Saved before constraints were kept (issue 15): the cap was a budget cap, no constraints.
    assert by.loc["Cap"].tolist() == ["$11.0M (budget)", "$10.0M (budget)"]
    assert by.loc["Pinned in"].tolist() == ["—", "—"]
    assert differs["Cap"] == "≠" and differs["Pinned in"] == "" and differs["Saved by"] == ""
    assert by.loc["Budget used"].tolist() == ["$11.0M", "$10.0M"]
    assert by.loc["Total priority score"].tolist() == ["116.0", "100.0"]  # 66+50, 50+50
    assert by.loc["Weight: alignment"].tolist() == ["0.50", "1.00"]
    assert by.loc["Expected benefit"].tolist() == ["$22.0M", "$20.0M"]  # 2 x budget
    # A and B differ between the scenarios and come first; C is in both.
    assert membership["project_id"].tolist() == ["A", "B", "C"]
    assert membership[["Today", "Lean"]].values.tolist() == [
        [True, False],
        [False, True],
        [True, True],
    ]


def test_compare_shows_each_scenarios_constraints_and_marks_the_differences():
    frame = candidates([("A", 6e6, 66, True), ("B", 5e6, 50, False), ("C", 5e6, 50, True)])
    base = {
        "cap": 11e6,
        "fy_caps": {},
        "mandatory": True,
        "dependencies": True,
        "capacity": 1.0,
        "pin_in": [],
        "pin_out": [],
    }
    saved = [
        {
            "name": "Today",
            "weights": {"alignment": 0.5, "value": 0.3, "risk": 0.2},
            "budget_cap": 11e6,
            "selection": ["A", "C"],
            "constraints": base,
        },
        {
            "name": "Board B",
            "weights": {"alignment": 0.5, "value": 0.3, "risk": 0.2},
            "budget_cap": None,
            "selection": ["B", "C"],
            "constraints": {
                **base,
                "cap": None,
                "capacity": 0.9,
                "mandatory": False,
                "fy_caps": {"2027": 4e6},
                "pin_in": ["B"],
                "pin_out": ["A"],
            },
        },
    ]
    summary, _ = prioritise.compare(saved, frame, cost_to_continue={"A": 1e6, "B": 5e6, "C": 2e6})
    by = summary.set_index("measure")
    assert by.loc["Cap"].tolist() == ["$11.0M (cost to continue)", "Off", "≠"]
    assert by.loc["Fiscal-year caps"].tolist() == ["Off", "FY2027 $4.0M", "≠"]
    assert by.loc["Mandatory projects in"].tolist() == ["On", "Off", "≠"]
    assert by.loc["Dependencies respected"].tolist() == ["On", "On", ""]
    assert by.loc["Capacity by role and month"].tolist() == [
        "On, 100% of capacity",
        "On, 90% of capacity",
        "≠",
    ]
    assert by.loc["Pinned in"].tolist() == ["None", "Project B", "≠"]
    assert by.loc["Pinned out"].tolist() == ["None", "Project A", "≠"]
    # Cost to continue of each set: A 1M + C 2M = 3M; B 5M + C 2M = 7M.
    assert by.loc["Cost to continue"].tolist() == ["$3.0M", "$7.0M", "≠"]
    assert by.loc["Weight: alignment"].tolist() == ["0.50", "0.50", ""]


def test_scenarios_are_saved_replaced_and_deleted(db):
    from pmo import queries, store

    scenarios.save(
        db,
        "  Board   option A ",
        {"alignment": 0.6, "value": 0.2, "risk": 0.2},
        5e6,
        ["P1", "P2"],
        saved_by="ann",
    )
    scenarios.save(
        db,
        "Board option A",
        {"alignment": 0.5, "value": 0.3, "risk": 0.2},
        6e6,
        ["P3"],
        saved_by="bob",
    )
    scenarios.save(
        db,
        "Lean",
        {"alignment": 1, "value": 0, "risk": 0},
        1e6,
        [],
        saved_by="ann",
        view="Business unit: Retail · As of 30 Jun 2026",
    )
    with store.connect(db) as con:
        rows = scenarios.parse(queries.run(con, "scenarios").to_dict("records"))
    by_name = {r["name"]: r for r in rows}
    assert by_name["Lean"]["view"] == "Business unit: Retail · As of 30 Jun 2026"
    assert by_name["Board option A"]["view"] is None
    assert set(by_name) == {"Board option A", "Lean"}
    assert by_name["Board option A"]["weights"] == {"alignment": 0.5, "risk": 0.2, "value": 0.3}
    assert by_name["Board option A"]["selection"] == ["P3"]
    assert by_name["Board option A"]["budget_cap"] == 6e6
    assert by_name["Board option A"]["saved_by"] == "bob"
    scenarios.delete(db, "Lean")
    with store.connect(db) as con:
        assert queries.run(con, "scenarios")["name"].tolist() == ["Board option A"]


def test_scenario_names_must_be_given():
    with pytest.raises(ValueError, match="name"):
        scenarios.clean_name("   ")


def test_a_database_from_before_scenario_views_gains_the_column_and_keeps_its_scenarios(tmp_path):
    # pmo_scenarios as earlier versions made it (no view): the next write connection adds the
    # column; the old scenario is still there, made under an unknown view (null).
    import duckdb

    from pmo import queries, store

    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "create table pmo_scenarios (name varchar, weights varchar, budget_cap double, "
            "selection varchar, saved_at timestamp, saved_by varchar)"
        )
        con.execute(
            "insert into pmo_scenarios values ('Old', '{}', 1e6, '[]', now()::timestamp, 'ann')"
        )
    with store.connect(db, write=True):
        pass
    with store.connect(db) as con:
        rows = scenarios.parse(queries.run(con, "scenarios").to_dict("records"))
    assert [(r["name"], r["view"]) for r in rows] == [("Old", None)]
