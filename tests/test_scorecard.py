"""The strategy scorecard's wording and tables (pmo/scorecard.py) on the demo and by hand.

Demo at its as-of date 2026-10-31 (data/make_demo.py, KEY_RESULTS). Annual key results run
2026-01-01 … 2026-12-31: expected = 303 / 364 = 0.8324. Grow digital revenue (weight 3):
  KR-1.1 (46 − 40) / (60 − 40) = 0.30, weight 3; KR-1.2 (23.9 − 18) / (35 − 18) = 0.3471,
  weight 2; KR-1.3 (465 − 420) / (600 − 420) = 0.25, weight 1;
  progress = (0.9 + 0.6941 + 0.25) / 6 = 0.3074 → 31 %, below 0.8324 − 0.15 → Off track.
Reduce cost to serve is Off track too (0.49); Modernise core platforms At risk (0.57 against
487 / 730 = 0.67); the other three On track. Investment: Grow digital revenue gets 5.2% of the
in-portfolio budget against a 25% target.
"""

import pandas as pd
import pytest

from pmo import filters, queries, scorecard, store


def run(db, name, **params):
    with store.connect(db) as con:
        return queries.run(con, name, **filters.query_params(name, **params))


def card_frame(*rows):
    return pd.DataFrame(
        rows,
        columns=[
            "objective_id",
            "name",
            "weight",
            "investment_share",
            "target_share",
            "progress",
            "expected_progress",
            "status",
            "key_results",
            "on_track",
        ],
    )


def test_demo_takeaway_names_the_objective_that_matters_most(demo_db):
    card = run(demo_db, "strategy_scorecard")
    assert card.status.tolist() == [
        "Off track",
        "On track",
        "Off track",
        "On track",
        "At risk",
        "On track",
    ]
    assert scorecard.takeaway(card) == (
        "2 of 6 objectives are off track: Grow digital revenue gets 5% of the budget against "
        "25% and its key results are at 31% of target (83% expected by now)."
    )


def test_the_worst_off_track_objective_is_by_weighted_shortfall_not_by_order():
    card = card_frame(
        # weight × (expected − progress): A 1 × 0.6 = 0.6; B 3 × 0.3 = 0.9 → B.
        ("A", "Alpha", 1.0, 0.1, 0.2, 0.2, 0.8, "Off track", 2, 0),
        ("B", "Beta", 3.0, None, None, 0.5, 0.8, "Off track", 1, 0),
        ("C", "Gamma", 1.0, 0.3, 0.3, 0.9, 0.8, "On track", 1, 1),
    )
    # Beta has no investment figures: the sentence leaves the budget out rather than saying "—".
    assert scorecard.takeaway(card) == (
        "2 of 3 objectives are off track: Beta: its key results are at 50% of target "
        "(80% expected by now)."
    )


def test_takeaways_without_off_track_objectives():
    risky = card_frame(
        ("A", "Alpha", 1.0, 0.1, 0.2, 0.7, 0.8, "At risk", 2, 1),
        ("B", "Beta", 1.0, 0.1, 0.2, 0.9, 0.8, "On track", 1, 1),
    )
    assert scorecard.takeaway(risky) == (
        "No objective is off track; 1 of 2 is at risk: Alpha is at 70% of target against "
        "80% expected."
    )
    fine = card_frame(
        ("A", "Alpha", 1.0, 0.1, 0.2, 0.9, 0.8, "On track", 2, 2),
        ("B", "Beta", 1.0, 0.1, 0.2, None, None, None, 0, 0),
    )
    assert (
        scorecard.takeaway(fine) == "All 1 measured objectives are on track (1 not measured yet)."
    )
    unmeasured = card_frame(("A", "Alpha", 1.0, 0.1, 0.2, None, None, None, 0, 0))
    assert "upload the Key Results and KR Measurements sheets" in scorecard.takeaway(unmeasured)


def test_board_table_joins_the_investment_gap_projects_and_benefits(demo_db):
    card = run(demo_db, "strategy_scorecard")
    inv = run(demo_db, "investment_by_objective")
    ben = run(demo_db, "benefits_by_objective")
    table = scorecard.board_table(card, inv, ben)
    assert table.columns.tolist() == scorecard.COLUMNS
    # The scorecard's own columns pass through row for row; shares rounded to whole percents.
    exact = [c for c in card.columns if c not in scorecard.WHOLE_PERCENT]
    pd.testing.assert_frame_equal(table[exact], card[exact])
    assert table.progress.tolist() == card.progress.round(2).tolist()
    grow = table.set_index("objective_id").loc["OBJ-1"]
    g = inv.set_index("objective_id").loc["OBJ-1"]
    # 0.0523 − 0.25 = −0.1977: 19.8 points under target, 3 projects, their budget.
    assert (grow.projects, grow.invested_budget) == (3, g.invested_budget)
    assert grow.gap_pts == pytest.approx(g.gap * 100) == pytest.approx(-19.7742, abs=1e-4)
    b = ben.set_index("objective_id").loc["OBJ-2"]
    row = table.set_index("objective_id").loc["OBJ-2"]
    # 9.595M realised of 16.933M planned = 0.5667 → shown as 57 %.
    assert (row.benefits_planned, row.benefits_realised, row.realisation_rate) == (
        b.planned,
        b.realized,
        0.57,
    )
    assert b.realisation_rate == pytest.approx(0.566652, abs=1e-6)


def test_on_track_tile_value_and_change(demo_db):
    trend = run(demo_db, "objectives_on_track")
    tile = scorecard.on_track_tile(trend)
    # 3 of 6 On track at 2026-10-31; at 2026-09-30 also 3 (the same three): change 0.
    assert (tile.label, tile.value, tile.delta, tile.delta_description) == (
        "Objectives on track",
        "3 of 6",
        0,
        "since 30 Sep 2026",
    )
    assert "1 at risk, 2 off track" in tile.help
    # The sparkline: on-track counts at the 13 month-ends, Oct 2025 … Oct 2026.
    assert tile.trend == [float(v) for v in trend.on_track] and tile.trend[-1] == 3.0
    nothing = pd.DataFrame([{"month": 1, "as_of": None, "objectives": 6, "measured": 0}])
    assert scorecard.on_track_tile(nothing) is None


def test_the_drill_down_opens_on_the_objective_that_matters_most(demo_db):
    card = run(demo_db, "strategy_scorecard")
    # Off track: Grow digital revenue 3 × (0.8324 − 0.3074) = 1.575 > Reduce cost to serve
    # 2 × (0.8324 − 0.4914) = 0.682.
    assert scorecard.default_objective(card) == "OBJ-1"


# --- the pages (AppTest) ----------------------------------------------------------------------


def page(monkeypatch, db, name):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("PMO_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def test_the_scorecard_query_equals_the_page_table_on_the_demo(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, "alignment")
    shown = next(d.value for d in at.dataframe if "gap_pts" in d.value.columns)
    card = run(demo_db, "strategy_scorecard")
    # Row for row the query's figures; shares shown as whole percents (0.0523 → 0.05).
    expected = card.copy()
    expected[scorecard.WHOLE_PERCENT[:4]] = expected[scorecard.WHOLE_PERCENT[:4]].round(2)
    pd.testing.assert_frame_equal(
        shown[card.columns.tolist()].reset_index(drop=True), expected, check_dtype=False
    )
    assert shown.set_index("objective_id").loc[
        "OBJ-1", ["investment_share", "progress", "krs_on_track"]
    ].tolist() == [0.05, 0.31, "0 of 3"]
    # The takeaway above it, and the drill-down opened on Grow digital revenue's 3 key results.
    assert any(m.value.startswith("**2 of 6 objectives are off track") for m in at.markdown)
    assert at.selectbox(key="scorecard_objective").value == "OBJ-1"
    krs = next(d.value for d in at.dataframe if "latest_value" in d.value.columns)
    assert krs.kr_id.tolist() == ["KR-1.1", "KR-1.2", "KR-1.3"]
    titles = [
        c
        for c in at.get("vega_lite_chart")
        if "Key results of Grow digital revenue" in c.proto.spec
    ]
    assert len(titles) == 1


def test_picking_another_objective_drills_into_its_key_results(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, "alignment")
    at.selectbox(key="scorecard_objective").set_value("OBJ-3").run()
    krs = next(d.value for d in at.dataframe if "latest_value" in d.value.columns)
    # Reduce cost to serve: two falling targets (cost-to-income, handling time) and one rising.
    assert krs[["kr_id", "direction"]].values.tolist() == [
        ["KR-3.1", "down"],
        ["KR-3.2", "down"],
        ["KR-3.3", "up"],
    ]


def test_the_scorecard_empty_state_names_the_sheets(monkeypatch, db):
    from tests.conftest import load

    load(
        db,
        objectives=pd.DataFrame({"objective_id": ["O1"], "name": ["Grow"], "weight": [1]}),
        projects=pd.DataFrame(
            {"project_id": ["P1"], "name": ["Alpha"], "status": ["Active"], "budget": [1e6]}
        ),
        alignment=pd.DataFrame({"project_id": ["P1"], "objective_id": ["O1"], "score": [3]}),
    )
    at = page(monkeypatch, db, "alignment")
    assert any("**Key Results**, **KR Measurements**" in i.value for i in at.info)
    assert not any("gap_pts" in d.value.columns for d in at.dataframe)


def test_overview_has_the_objectives_on_track_tile(monkeypatch, demo_db):
    at = page(monkeypatch, demo_db, "overview")
    tile = next(m for m in at.metric if m.label == "Objectives on track")
    assert tile.value == "3 of 6"


def test_the_pack_has_a_scorecard_slide_with_the_computed_takeaway(demo_db):
    import io

    from pptx import Presentation

    from pmo import pack

    with store.connect(demo_db) as con:
        deck = Presentation(io.BytesIO(pack.build(con)))
    slides = [
        " ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in deck.slides
    ]
    scorecard_slides = [t for t in slides if t.startswith("Strategy scorecard")]
    assert len(scorecard_slides) == 1
    assert (
        "2 of 6 objectives are off track: Grow digital revenue gets 5% of the budget against "
        "25% and its key results are at 31% of target"
    ) in scorecard_slides[0]


def test_an_objective_name_with_markup_shows_as_typed_in_the_takeaway(monkeypatch, db):
    from tests.conftest import load

    name = "**Grow** [now](http://x.test) <b>"
    load(
        db,
        objectives=pd.DataFrame(
            {"objective_id": ["O1"], "name": [name], "weight": [1], "target_share": [0.5]}
        ),
        projects=pd.DataFrame(
            {"project_id": ["P1"], "name": ["Alpha"], "status": ["Active"], "budget": [100.0]}
        ),
        alignment=pd.DataFrame({"project_id": ["P1"], "objective_id": ["O1"], "score": [3]}),
        key_results=pd.DataFrame(
            {
                "kr_id": ["K1"],
                "objective_id": ["O1"],
                "name": ["Revenue"],
                "baseline": [0],
                "target": [100],
                "baseline_date": ["2026-01-01"],
                "target_date": ["2026-01-21"],
            }
        ),
        kr_measurements=pd.DataFrame({"kr_id": ["K1"], "date": ["2026-01-11"], "value": [10]}),
        status_reports=pd.DataFrame(
            {"project_id": ["P1"], "report_date": ["2026-01-11"], "actual_cost": [1.0]}
        ),
    )
    at = page(monkeypatch, db, "alignment")
    takeaway = next(m.value for m in at.markdown if "off track" in m.value)
    # 10% of target against 50% expected: off track. Every Markdown character is escaped.
    assert takeaway.startswith(r"**1 of 1 objectives is off track\: \*\*Grow\*\* \[now\]\(http\://")
    assert r"\<b\> gets 100% of the budget" in takeaway
