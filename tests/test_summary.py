"""The executive summary (issue 21): each sentence equals its query; missing data, no sentence."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pmo import filters, format, queries, review, store, summary
from tests.conftest import load

OCT = dt.date(2026, 10, 31)
APR = dt.date(2026, 4, 30)


def said(db, as_of, view=None) -> dict[str, str]:
    with store.connect(db) as con:
        return {s.key: s.text for s in summary.sentences(con, as_of, view or {})}


def run(db, name, **params):
    with store.connect(db) as con:
        return queries.run(con, name, **filters.query_params(name, **params))


def test_demo_summary_at_31_october(demo_db):
    out = said(demo_db, OCT)
    assert list(out) == ["changes", "rag_moves", "budget_risk", "objective", "actions"]

    # Changes since the last review (30 Sep 2026) from review_changes: October moved four
    # projects Green → Amber and four forecasts later; nothing new or closed.
    changes = run(demo_db, "review_changes", as_of=OCT)
    counts = review.counts(changes)
    assert (
        counts["new"],
        counts["closed"],
        counts["rag_worse"],
        counts["rag_better"],
        counts["slipped_projects"],
    ) == (0, 0, 4, 0, 4)
    assert (
        out["changes"] == "Since the last review (30 Sep 2026): 4 with a worse RAG and 4 slipped."
    )
    worse = review.of_kind(changes, "rag_worse")
    assert sorted(worse["name"]) == [
        "Branch Appointment Booking",
        "Marketing Analytics Hub",
        "Mobile App Redesign",
        "Online Mortgage Journey",
    ]
    # All four drop one step to Amber: three named by name, then "1 more".
    assert out["rag_moves"] == (
        "Worst RAG moves: 4 projects moved to a worse RAG — Branch Appointment Booking (Green → "
        "Amber), Marketing Analytics Hub (Green → Amber), Mobile App Redesign (Green → Amber) "
        "and 1 more."
    )

    # The largest risk to budget, from summary_budget_risk: the open risk with the largest
    # cost impact among the projects in view and the portfolio-wide ones.
    risk = run(demo_db, "summary_budget_risk").iloc[0]
    assert out["budget_risk"] == (
        f"Largest risk to budget: “{risk.title}” ({risk.project_name}), "
        f"{format.money(risk.cost_impact)} if it happens, probability {risk.probability} of 5; "
        f"{risk.open_risks_with_cost} open risks carry {format.money(risk.total_cost_impact)} in all."
    )
    with store.connect(demo_db) as con:
        open_costs = con.execute(
            "select max(cost_impact), count(*), sum(cost_impact) from risks "
            "where coalesce(status, 'Open') <> 'Closed' and cost_impact > 0"
        ).fetchall()[0]
    assert (risk.cost_impact, risk.open_risks_with_cost, risk.total_cost_impact) == open_costs

    # The objective furthest behind, from summary_objective (the scorecard's roll-up):
    # Grow digital revenue, 0.307 against 0.832 expected (303 of 364 days), 3 of 3 KRs off.
    top = run(demo_db, "summary_objective", as_of=OCT).iloc[0]
    assert (top.objective_id, top.rating, top.key_results, top.off_track) == (
        "OBJ-1",
        "Off track",
        3,
        3,
    )
    assert round(top.expected, 4) == round(303 / 364, 4)
    assert out["objective"] == (
        f"Furthest behind: “Grow digital revenue” (Off track), {top.progress * 100:.0f}% of the way "
        "to its key-result targets against 83% expected by now (3 of 3 key results Off track)."
    )

    # Actions from summary_overdue_actions: the demo's seven decisions, as of 31 Oct 2026:
    # open D-0003 (due 20 Oct: 11 days late), D-0004 (due 15 Dec), D-0007 (due 30 Oct: 1 day
    # late) -> 3 open, 2 overdue; D-0001/2/6 Done, D-0005 Dropped.
    row = run(demo_db, "summary_overdue_actions", as_of=OCT).iloc[0]
    assert (
        row.decisions,
        row.open_actions,
        row.overdue_actions,
        row.top_decision_id,
        row.top_days_overdue,
    ) == (7, 3, 2, "D-0003", 11)
    assert out["actions"] == (
        "3 actions open, 2 overdue at 31 Oct 2026; the longest overdue is "
        f"“{row.top_title}” (owner Portfolio Office), due 20 Oct 2026 (11 days late)."
    )


def test_demo_summary_at_30_april_names_the_worst_rag_moves(demo_db):
    out = said(demo_db, APR)
    changes = run(demo_db, "review_changes", as_of=APR)
    worse = review.of_kind(changes, "rag_worse").sort_values("name")
    # April 2026 against 31 Mar: 2 new, 1 closed, 2 RAG worse, 5 slipped.
    assert out["changes"] == (
        "Since the last review (31 Mar 2026): 2 new projects, 1 closed, 2 with a worse RAG and "
        "5 slipped."
    )
    assert worse[["name", "before", "after"]].values.tolist() == [
        ["Chatbot Assistant", "Green", "Amber"],
        ["Regulatory Reporting Automation", "Amber", "Red"],
    ]
    # Both dropped one step; the move into Red comes first.
    assert out["rag_moves"] == (
        "Worst RAG moves: 2 projects moved to a worse RAG — Regulatory Reporting Automation "
        "(Amber → Red) and Chatbot Assistant (Green → Amber)."
    )
    # No decision dated on or before 30 Apr 2026: no actions sentence.
    assert list(out) == ["changes", "rag_moves", "budget_risk", "objective"]


def test_an_empty_database_has_no_summary(db):
    assert said(db, None) == {}


PROJECTS = pd.DataFrame(
    {
        "project_id": ["P1", "P2"],
        "name": ["Alpha", "Beta"],
        "portfolio": ["Digital", "Operations"],
        "status": ["Active", "Active"],
        "budget": [1_000_000, 2_000_000],
    }
)


def test_the_largest_risk_to_budget(db):
    load(db, projects=PROJECTS)
    with store.connect(db, write=True) as con:
        con.execute(
            "insert into risks (risk_id, title, project_id, probability, impact, status, cost_impact) "
            "values ('R1', 'Vendor insolvency', 'P2', 2, 5, 'Open', 900000), "
            "('R2', 'FX exposure', null, 4, 3, 'Mitigating', 400000), "
            "('R3', 'Closed already', 'P1', 5, 5, 'Closed', 5000000), "
            "('R4', 'Alpha scope creep', 'P1', 3, 3, 'Open', 250000)"
        )
    # Open (not Closed) risks with a cost: R1 $900K, R2 $400K (portfolio-wide), R4 $250K;
    # the largest is R1, and together they carry 900 + 400 + 250 = $1.55M ("$1.6M").
    assert said(db, None)["budget_risk"] == (
        "Largest risk to budget: “Vendor insolvency” (Beta), $900K if it happens, probability 2 "
        "of 5; 3 open risks carry $1.6M in all."
    )
    # Portfolio Digital: Beta's risk is out of view; FX (portfolio-wide) $400K leads, + R4.
    top = run(db, "summary_budget_risk", portfolio=["Digital"]).iloc[0]
    assert (top.risk_id, top.open_risks_with_cost, top.total_cost_impact) == ("R2", 2, 650000)
    assert said(db, None, {"portfolio": ["Digital"]})["budget_risk"] == (
        "Largest risk to budget: “FX exposure” (portfolio-wide), $400K if it happens, "
        "probability 4 of 5; 2 open risks carry $650K in all."
    )


def test_the_objective_furthest_off_track(db):
    objectives = pd.DataFrame(
        {"objective_id": ["O1", "O2"], "name": ["Grow revenue", "Cut cost"], "weight": [1, 1]}
    )
    load(db, objectives=objectives, projects=PROJECTS)
    with store.connect(db, write=True) as con:
        con.execute(
            "insert into key_results (kr_id, objective_id, name, baseline, target, baseline_date, "
            "target_date, weight) values "
            "('K1', 'O1', 'Digital sales', 0, 100, '2026-01-01', '2026-12-31', 3), "
            "('K2', 'O1', 'New customers', 0, 10, '2026-01-01', '2026-12-31', 1), "
            "('K3', 'O2', 'Cost to serve', 50, 40, '2026-01-01', '2026-12-31', 1)"
        )
        con.execute(
            "insert into kr_measurements values ('K1', '2026-06-30', 20), ('K2', '2026-06-30', 5), "
            "('K3', '2026-06-30', 45), ('K1', '2026-08-01', 99)"
        )
    # At 30 Jun 2026 (day 180 of 364 from 1 Jan to 31 Dec: expected 180/364 = 0.4945):
    # K1 20/100 = 0.20, K2 5/10 = 0.50, so O1 = (3×0.20 + 1×0.50)/4 = 0.275 against 0.4945
    # (shortfall 0.2195 > 0.15: Off track; K1 Off track, K2 on track). K3: (45−50)/(40−50) =
    # 0.50 ≥ 0.4945: on track. The K1 value of 1 Aug is after the as-of date: not used.
    rows = run(db, "summary_objective", as_of=dt.date(2026, 6, 30))
    assert rows["objective_id"].tolist() == ["O1", "O2"]
    assert round(rows["progress"].iloc[0], 4) == 0.275
    assert round(rows["expected"].iloc[0], 4) == round(180 / 364, 4)
    assert rows["rating"].tolist() == ["Off track", "On track"]
    assert said(db, dt.date(2026, 6, 30))["objective"] == (
        "Furthest behind: “Grow revenue” (Off track), 28% of the way to its key-result targets "
        "against 49% expected by now (1 of 2 key results Off track)."
    )
    # By 1 Aug K1 reads 99: O1 = (3×0.99 + 0.5)/4 = 0.8675, ahead of 212/364; O2 0.50 vs 0.58
    # is At risk (within 0.15).
    assert said(db, dt.date(2026, 8, 1))["objective"].startswith(
        "Furthest behind: “Cut cost” (At risk)"
    )


def test_at_most_five_sentences():
    assert len(summary.BUILDERS) == summary.MAX_SENTENCES == 5


def test_a_database_from_before_decisions_still_gets_a_pack_and_summary(demo_db):
    # Opened read-only, as the command line does, a database made before issue 21 has no
    # decisions table: no actions sentence, and the decisions slide says there is nothing.
    import io

    from pptx import Presentation

    from pmo import pack

    with store.connect(demo_db, write=True) as con:
        con.execute("drop table decisions")
    with store.connect(demo_db) as con:
        keys = [s.key for s in summary.sentences(con, OCT, {})]
        deck = Presentation(io.BytesIO(pack.build(con, OCT, {})))
    assert keys == ["changes", "rag_moves", "budget_risk", "objective"]
    last = "\n".join(sh.text_frame.text for sh in deck.slides[-1].shapes if sh.has_text_frame)
    assert last.startswith("Decisions and actions") and "No decision recorded" in last
