"""Key results and the strategy scorecard (docs/kpis.md, issue 18) against hand-worked figures.

Every key result below runs from baseline_date 2026-01-01 to target_date 2026-01-21 (20 days)
and the scorecard is read at 2026-01-11, 10 days in: expected progress = 10 / 20 = 0.5, and
the At-risk edge is 0.5 − 0.15 = 0.35.

objective (weight, target) kr  dir   baseline target weight latest (on or before 01-11)  progress
O1 Grow   (3, 60 %)        K1  up    10       20     1      20 (the 01-20 value 5 ignored) 10/10 = 1.0
                           K2  up    10       20     1      25                            15/10 → 1.0 (clamped)
O2 Save   (1, 40 %)        K3  down  100      60     3      92                            −8/−40 = 0.2
                           K4  down  100      60     1      50                            −50/−40 → 1.0 (clamped)
O3 Learn  (1, no target)   K5  up    0        100    1      50                            0.5   = expected → On track
                           K6  up    0        100    1      35                            0.35  = expected − 0.15 → At risk
                           K7  up    0        100    1      34.9                          0.349 < 0.35 → Off track

Objective progress = Σ weight × progress / Σ weight:
  O1 = (1 × 1.0 + 1 × 1.0) / 2 = 1.0 ≥ 0.5                          → On track
  O2 = (3 × 0.2 + 1 × 1.0) / (3 + 1) = 1.6 / 4 = 0.4 (a plain mean would say 0.6)
       0.4 < 0.5 but ≥ 0.35                                         → At risk
  O3 = (0.5 + 0.35 + 0.349) / 3 = 1.199 / 3 = 0.399667 ≥ 0.35       → At risk

Investment: P1 (Active, 300) scores O1 = 5, P2 (Active, 100) scores O2 = 5; total 400:
  O1 300 / 400 = 0.75, O2 100 / 400 = 0.25, O3 0 / 400 = 0.
"""

import datetime as dt
import json
import subprocess
import sys

import pandas as pd
import pytest

from pmo import filters, ingest, queries, store
from tests.conftest import ROOT, load

D = dt.date
AS_OF = D(2026, 1, 11)
START, TARGET = D(2026, 1, 1), D(2026, 1, 21)

KR_COLUMNS = [
    "kr_id",
    "objective_id",
    "name",
    "unit",
    "baseline",
    "target",
    "baseline_date",
    "target_date",
    "weight",
]


def run(db, name, **params):
    with store.connect(db) as con:
        return queries.run(con, name, **filters.query_params(name, **params))


def key_results(*rows):
    return pd.DataFrame([(*r[:6], START, TARGET, r[6]) for r in rows], columns=KR_COLUMNS)


def measurements(*rows):
    return pd.DataFrame(rows, columns=["kr_id", "date", "value"])


@pytest.fixture
def strategy(db):
    load(
        db,
        objectives=pd.DataFrame(
            [("O1", "Grow", 3, 0.6), ("O2", "Save", 1, 0.4), ("O3", "Learn", 1, None)],
            columns=["objective_id", "name", "weight", "target_share"],
        ),
        projects=pd.DataFrame(
            [("P1", "Alpha", "Active", 300), ("P2", "Beta", "Active", 100)],
            columns=["project_id", "name", "status", "budget"],
        ),
        alignment=pd.DataFrame(
            [("P1", "O1", 5), ("P2", "O2", 5)], columns=["project_id", "objective_id", "score"]
        ),
        key_results=key_results(
            ("K1", "O1", "Digital revenue", "$m", 10, 20, 1),
            ("K2", "O1", "Active users", "k", 10, 20, 1),
            ("K3", "O2", "Cost to serve", "$", 100, 60, 3),
            ("K4", "O2", "Cycle time", "days", 100, 60, 1),
            ("K5", "O3", "Exactly expected", "%", 0, 100, 1),
            ("K6", "O3", "At the edge", "%", 0, 100, 1),
            ("K7", "O3", "Just below", "%", 0, 100, 1),
        ),
        kr_measurements=measurements(
            ("K1", D(2026, 1, 1), 10),
            ("K1", D(2026, 1, 11), 20),
            ("K1", D(2026, 1, 20), 5),  # after the as-of date: ignored
            ("K2", D(2026, 1, 11), 25),
            ("K3", D(2026, 1, 11), 92),
            ("K4", D(2026, 1, 11), 50),
            ("K5", D(2026, 1, 11), 50),
            ("K6", D(2026, 1, 11), 35),
            ("K7", D(2026, 1, 11), 34.9),
        ),
    )
    return db


def by_kr(db, as_of=AS_OF):
    return run(db, "key_results", as_of=as_of).set_index("kr_id")


def test_progress_of_up_and_down_key_results_at_and_beyond_target_is_clamped(strategy):
    df = by_kr(strategy)
    assert df.direction.to_dict() == {
        "K1": "up",
        "K2": "up",
        "K3": "down",
        "K4": "down",
        "K5": "up",
        "K6": "up",
        "K7": "up",
    }
    # K1 at target 1.0; K2 beyond 1.5 → 1.0; K3 down 0.2; K4 down beyond 1.25 → 1.0.
    assert df.progress.to_dict() == pytest.approx(
        {"K1": 1.0, "K2": 1.0, "K3": 0.2, "K4": 1.0, "K5": 0.5, "K6": 0.35, "K7": 0.349}
    )


def test_progress_below_the_baseline_is_zero_not_negative_in_either_direction(db):
    load(
        db,
        objectives=pd.DataFrame({"objective_id": ["O1"], "name": ["Grow"], "weight": [1]}),
        key_results=key_results(
            ("UP", "O1", "Revenue", "$m", 10, 20, 1), ("DOWN", "O1", "Cost", "$", 100, 60, 1)
        ),
        # UP: (5 − 10) / (20 − 10) = −0.5 → 0; DOWN: (110 − 100) / (60 − 100) = −0.25 → 0.
        kr_measurements=measurements(("UP", AS_OF, 5), ("DOWN", AS_OF, 110)),
    )
    df = by_kr(db)
    assert df.progress.to_dict() == {"UP": 0.0, "DOWN": 0.0}
    assert df.status.to_dict() == {"UP": "Off track", "DOWN": "Off track"}


def test_expected_progress_is_the_elapsed_share_at_the_as_of_date(db):
    load(
        db,
        objectives=pd.DataFrame({"objective_id": ["O1"], "name": ["Grow"], "weight": [1]}),
        key_results=pd.DataFrame(
            [
                ("E1", "O1", "Dated", 0, 100, START, TARGET),
                # No baseline_date: the line starts at the first measurement, 2026-01-01.
                ("E2", "O1", "Undated", 0, 100, None, D(2026, 1, 31)),
            ],
            columns=[
                "kr_id",
                "objective_id",
                "name",
                "baseline",
                "target",
                "baseline_date",
                "target_date",
            ],
        ),
        kr_measurements=measurements(
            ("E1", D(2025, 12, 20), 0), ("E2", D(2026, 1, 1), 0), ("E2", D(2026, 1, 6), 10)
        ),
    )
    expected = {
        D(2025, 12, 25): 0.0,  # E1 before its baseline date: clamped to 0
        D(2026, 1, 11): 0.5,  # E1: 10 / 20 days
        D(2026, 1, 16): 0.75,  # E1: 15 / 20
        D(2026, 2, 1): 1.0,  # E1: 31 / 20 → clamped to 1
    }
    for as_of, share in expected.items():
        assert by_kr(db, as_of).expected_progress["E1"] == pytest.approx(share), as_of
    # E2 at 2026-01-11: 10 days of 2026-01-01 … 2026-01-31 (30 days) = 1 / 3.
    undated = by_kr(db).loc["E2"]
    assert undated.start_date.date() == D(2026, 1, 1)
    assert undated.expected_progress == pytest.approx(10 / 30)
    assert undated.weight == 1.0  # blank weight defaults to 1


def test_status_edges_exactly_expected_and_expected_minus_0_15(strategy):
    df = by_kr(strategy)
    assert df.expected_progress.to_dict() == pytest.approx({k: 0.5 for k in df.index})
    assert df.status.to_dict() == {
        "K1": "On track",  # 1.0 ≥ 0.5
        "K2": "On track",
        "K3": "Off track",  # 0.2 < 0.35
        "K4": "On track",
        "K5": "On track",  # 0.5 = 0.5 exactly
        "K6": "At risk",  # 0.35 = 0.5 − 0.15 exactly
        "K7": "Off track",  # 0.349 < 0.35
    }


def test_a_measurement_after_the_as_of_date_is_ignored(strategy):
    k1 = by_kr(strategy).loc["K1"]
    # Latest on or before 2026-01-11 is 20 (the 5 of 2026-01-20 comes later): progress 1.0.
    assert (k1.latest_date.date(), k1.latest_value, k1.measurements, k1.progress) == (
        D(2026, 1, 11),
        20.0,
        2,
        1.0,
    )
    # At 2026-01-20 it counts: (5 − 10) / 10 < 0 → 0, against expected 19 / 20 = 0.95.
    later = by_kr(strategy, D(2026, 1, 20)).loc["K1"]
    assert (later.latest_value, later.progress, later.status) == (5.0, 0.0, "Off track")
    assert later.expected_progress == pytest.approx(0.95)
    # The drill-down series stops at the as-of date too.
    series = run(strategy, "kr_measurements", as_of=AS_OF)
    assert series[series.kr_id == "K1"].value.tolist() == [10.0, 20.0]


def test_the_plan_line_runs_straight_from_baseline_to_target(strategy):
    series = run(strategy, "kr_measurements", as_of=AS_OF)
    k1 = series[series.kr_id == "K1"]
    # 2026-01-01: 10 + 10 × 0/20 = 10; 2026-01-11: 10 + 10 × 10/20 = 15.
    assert k1.planned_value.tolist() == pytest.approx([10.0, 15.0])
    k3 = series[series.kr_id == "K3"]
    # Down: 100 + (60 − 100) × 0.5 = 80.
    assert k3.planned_value.tolist() == pytest.approx([80.0])


def test_objective_progress_is_the_weighted_mean_never_a_plain_average(strategy):
    df = run(strategy, "strategy_scorecard", as_of=AS_OF)
    assert df.columns.tolist() == [
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
    ]
    o2 = df.set_index("objective_id").loc["O2"]
    # (3 × 0.2 + 1 × 1.0) / (3 + 1) = 0.4; the plain mean (0.2 + 1.0) / 2 = 0.6 would be wrong.
    assert o2.progress == pytest.approx(0.4)
    assert o2.progress != pytest.approx(0.6)


def test_strategy_scorecard_rows(strategy):
    df = run(strategy, "strategy_scorecard", as_of=AS_OF)
    rows = [
        tuple(round(v, 6) if isinstance(v, float) and not pd.isna(v) else v for v in r)
        for r in df.astype(object).where(df.notna(), None).itertuples(index=False)
    ]
    assert rows == [
        # id   name     weight share target progress  expected status      krs on track
        ("O1", "Grow", 3.0, 0.75, 0.6, 1.0, 0.5, "On track", 2, 2),
        ("O2", "Save", 1.0, 0.25, 0.4, 0.4, 0.5, "At risk", 2, 1),
        ("O3", "Learn", 1.0, 0.0, None, 0.399667, 0.5, "At risk", 3, 1),
    ]


def test_scorecard_investment_share_is_investment_by_objective_s(strategy):
    card = run(strategy, "strategy_scorecard", as_of=AS_OF).set_index("objective_id")
    inv = run(strategy, "investment_by_objective").set_index("objective_id")
    assert card.investment_share.to_dict() == inv.actual_share.drop("UNALIGNED").to_dict()
    # The filters narrow the investment only: no Approved project, so no budget and no share,
    # while progress (key results measure the whole organisation) is unchanged.
    filtered = run(strategy, "strategy_scorecard", as_of=AS_OF, status=["Approved"])
    assert filtered.investment_share.isna().all()
    assert filtered.progress.tolist() == pytest.approx(card.progress.tolist())


def test_unmeasured_key_results_have_no_status_and_leave_the_roll_up(strategy):
    load(
        strategy,
        key_results=pd.DataFrame(
            [("K8", "O2", "Not measured yet", 0, 10, START, TARGET, 5)],
            columns=KR_COLUMNS[:3] + KR_COLUMNS[4:],
        ),
    )
    k8 = by_kr(strategy).loc["K8"]
    assert k8.measurements == 0
    assert pd.isna(k8.progress) and pd.isna(k8.status)
    assert k8.expected_progress == pytest.approx(0.5)  # the plan still runs
    o2 = run(strategy, "strategy_scorecard", as_of=AS_OF).set_index("objective_id").loc["O2"]
    # Still (3 × 0.2 + 1 × 1.0) / 4 = 0.4: K8's weight 5 does not count unmeasured.
    assert (o2.progress, o2.key_results, o2.on_track) == (pytest.approx(0.4), 3, 1)


def test_an_objective_without_key_results_is_listed_without_progress(db):
    load(db, objectives=pd.DataFrame({"objective_id": ["O1"], "name": ["Grow"], "weight": [1]}))
    df = run(db, "strategy_scorecard", as_of=AS_OF)
    row = df.iloc[0]
    assert (row.objective_id, row.key_results, row.on_track, row.status) == ("O1", 0, 0, None)
    assert pd.isna(row.progress) and pd.isna(row.expected_progress)


# ---------------------------------------------------------------------------------- import


def rejected(db, **sheets):
    with pytest.raises(ingest.ImportRejected) as exc:
        load(db, **sheets)
    return exc.value.errors


def test_a_key_result_of_an_unknown_objective_is_refused_naming_the_row(db):
    load(db, objectives=pd.DataFrame({"objective_id": ["O1"], "name": ["Grow"], "weight": [1]}))
    errors = rejected(
        db,
        key_results=key_results(
            ("K1", "O1", "Revenue", "$m", 10, 20, 1), ("K2", "O9", "Users", "k", 10, 20, 1)
        ),
    )
    # Row 3 in Excel: the header is row 1, K1 row 2, K2 row 3.
    assert [(e.sheet, e.row, e.column, e.value) for e in errors] == [
        ("key_results", 3, "objective_id", "O9")
    ]
    assert "objective" in errors[0].message
    with store.connect(db) as con:
        assert con.execute("select count(*) from key_results").fetchall() == [(0,)]


def test_a_measurement_of_an_unknown_key_result_is_refused_naming_the_row(db):
    load(
        db,
        objectives=pd.DataFrame({"objective_id": ["O1"], "name": ["Grow"], "weight": [1]}),
        key_results=key_results(("K1", "O1", "Revenue", "$m", 10, 20, 1)),
    )
    errors = rejected(
        db, kr_measurements=measurements(("K1", AS_OF, 12), ("K1", TARGET, 14), ("KX", AS_OF, 3))
    )
    assert [(e.sheet, e.row, e.column, e.value) for e in errors] == [
        ("kr_measurements", 4, "kr_id", "KX")
    ]
    assert errors[0].message == "unknown key result: not in key_results (upload or stored)"
    with store.connect(db) as con:
        assert con.execute("select count(*) from kr_measurements").fetchall() == [(0,)]


def test_the_query_command_prints_the_scorecard(strategy):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pmo",
            "query",
            "strategy_scorecard",
            "--db",
            str(strategy),
            "--param",
            "as_of=2026-01-11",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    rows = json.loads(proc.stdout)
    assert [(r["objective_id"], r["status"], r["key_results"], r["on_track"]) for r in rows] == [
        ("O1", "On track", 2, 2),
        ("O2", "At risk", 2, 1),
        ("O3", "At risk", 3, 1),
    ]
    assert rows[1]["progress"] == pytest.approx(0.4)


def test_a_database_from_before_key_results_opened_read_only_still_answers(strategy):
    # A file made by an earlier version has no key_results / kr_measurements; a read-only open
    # cannot add them, so the connection gets empty temp tables and the macros still bind.
    with store.connect(strategy, write=True) as con:
        con.execute("drop table kr_measurements")
        con.execute("drop table key_results")
    df = run(strategy, "strategy_scorecard", as_of=AS_OF)
    assert df.objective_id.tolist() == ["O1", "O2", "O3"]
    assert df.key_results.tolist() == [0, 0, 0]
    assert run(strategy, "project_alignment").project_id.tolist() == ["P1", "P2"]


def test_objectives_on_track_now_and_at_the_previous_month_end(strategy):
    df = run(strategy, "objectives_on_track", as_of=AS_OF)
    # 13 month-ends, Jan 2025 … Jan 2026, the last measured at the as-of date 2026-01-11.
    assert len(df) == 13
    assert (df.month.iloc[0].date(), df.month.iloc[-1].date(), df.as_of.iloc[-1].date()) == (
        D(2025, 1, 31),
        D(2026, 1, 31),
        AS_OF,
    )
    row = df.iloc[-1]
    # At 2026-01-11: O1 On track, O2 and O3 At risk (see the module docstring). At 2025-12-31
    # nothing was measured yet: no objective on track, so the change is +1.
    assert (row.objectives, row.measured, row.on_track, row.at_risk, row.off_track) == (
        3,
        3,
        1,
        2,
        0,
    )
    before = df.iloc[-2]
    assert (before.as_of.date(), before.measured, before.on_track, row.change) == (
        D(2025, 12, 31),
        0,
        0,
        1,
    )
    assert df.on_track.tolist() == [0] * 12 + [1]


def test_a_key_result_needs_a_positive_weight_a_target_off_its_baseline_and_a_later_due_date(db):
    load(db, objectives=pd.DataFrame({"objective_id": ["O1"], "name": ["Grow"], "weight": [1]}))
    bad = pd.DataFrame(
        [
            ("K1", "O1", "Fine, falling", 100, 60, START, TARGET, 1),
            ("K2", "O1", "No weight", 10, 20, START, TARGET, 0),
            ("K3", "O1", "Flat", 10, 10, START, TARGET, 1),
            ("K4", "O1", "Due before it starts", 10, 20, TARGET, START, 1),
        ],
        columns=[
            "kr_id",
            "objective_id",
            "name",
            "baseline",
            "target",
            "baseline_date",
            "target_date",
            "weight",
        ],
    )
    errors = rejected(db, key_results=bad)
    assert sorted((e.row, e.column) for e in errors) == [
        (3, "weight"),
        (4, "target"),
        (5, "target_date"),
    ]


def test_an_okr_export_with_its_own_headers_maps_by_synonym(db):
    load(db, objectives=pd.DataFrame({"objective_id": ["O1"], "name": ["Grow"], "weight": [1]}))
    okrs = (
        "Key Result ID,Objective ID,Key Result,Units,Start value,Goal,Start date,Deadline\n"
        "K1,O1,Revenue,$m,10,20,2026-01-01,2026-01-21\n"
    )
    points = "KR ID,Measurement date,Actual\nK1,2026-01-11,15\n"
    ingest.import_uploads(
        [
            ingest.Upload("okrs.csv", okrs.encode()),
            ingest.Upload("kr_measurements.csv", points.encode()),
        ],
        db,
    )
    k1 = by_kr(db).loc["K1"]
    # (15 − 10) / (20 − 10) = 0.5 at 10 of 20 days: On track, exactly.
    assert (k1["name"], k1.unit, k1.progress, k1.expected_progress, k1.status) == (
        "Revenue",
        "$m",
        0.5,
        0.5,
        "On track",
    )
