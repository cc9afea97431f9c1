"""Review between two imports: per-import snapshots and queries/review_imports.sql."""

import datetime as dt

import pandas as pd
import pytest

from pmo import filters, ingest, queries, review, store
from tests.conftest import load

D = dt.date


def projects(rows):
    cols = ["project_id", "name", "portfolio", "status", "budget", "start_date", "end_date"]
    return pd.DataFrame(rows, columns=cols)


def reports(rows):
    cols = ["project_id", "report_date", "actual_cost", "rag_overall", "forecast_end_date"]
    return pd.DataFrame(rows, columns=cols)


# The first import: six projects, five with a January status report.
FIRST = dict(
    projects=projects(
        [
            ("P1", "Billing", "Ops", "Active", 100_000, D(2025, 1, 1), D(2026, 6, 30)),
            ("P2", "CRM", "Ops", "Active", 200_000, D(2025, 1, 1), D(2026, 9, 30)),
            ("P3", "Data lake", "Tech", "Active", 300_000, D(2025, 1, 1), D(2026, 12, 31)),
            ("P4", "Payroll", "Ops", "Approved", 50_000, D(2026, 3, 1), D(2026, 12, 31)),
            ("P5", "Intranet", "Tech", "Active", 80_000, D(2025, 1, 1), D(2026, 2, 28)),
            ("P6", "Archive", "Tech", "Completed", 10_000, D(2024, 1, 1), D(2024, 12, 31)),
        ]
    ),
    status_reports=reports(
        [
            ("P1", D(2026, 1, 31), 40_000, "Green", D(2026, 6, 30)),
            ("P2", D(2026, 1, 31), 90_000, "Amber", D(2026, 9, 30)),
            ("P3", D(2026, 1, 31), 150_000, "Red", D(2027, 1, 31)),
            ("P5", D(2026, 1, 31), 70_000, "Green", D(2026, 2, 28)),
            ("P6", D(2024, 12, 31), 10_000, "Green", D(2024, 12, 31)),
        ]
    ),
)

# The second import: the whole project list again (with changes) and February's reports.
SECOND = dict(
    projects=projects(
        [
            ("P1", "Billing", "Ops", "Active", 100_000, D(2025, 1, 1), D(2026, 6, 30)),
            ("P2", "CRM", "Ops", "On Hold", 250_000, D(2025, 1, 1), D(2026, 9, 30)),
            ("P3", "Data lake", "Tech", "Active", 300_000, D(2025, 1, 1), D(2027, 1, 31)),
            ("P4", "Payroll", "Ops", "Active", 40_000, D(2026, 3, 1), D(2026, 12, 31)),
            ("P5", "Intranet", "Tech", "Completed", 80_000, D(2025, 1, 1), D(2026, 2, 28)),
            ("P6", "Archive", "Tech", "Completed", 10_000, D(2024, 1, 1), D(2024, 12, 31)),
            ("P7", "Chatbot", "Tech", "Proposed", 60_000, D(2026, 6, 1), D(2026, 12, 31)),
        ]
    ),
    status_reports=reports(
        [
            ("P1", D(2026, 2, 28), 55_000, "Amber", D(2026, 7, 30)),
            ("P2", D(2026, 2, 28), 120_000, "Red", D(2026, 9, 30)),
            ("P3", D(2026, 2, 28), 170_000, "Amber", D(2027, 1, 31)),
            ("P5", D(2026, 2, 28), 80_000, "Green", D(2026, 2, 28)),
        ]
    ),
)


def compare(db, first, second, **view):
    params = filters.query_params("review_imports", from_import=first, to_import=second, **view)
    with store.connect(db) as con:
        return queries.run(con, "review_imports", **params)


@pytest.fixture
def two_imports(db):
    assert load(db, **FIRST).import_id == 1
    assert load(db, **SECOND).import_id == 2
    return db


def test_an_import_snapshots_every_project_with_its_latest_rag_and_forecast(two_imports):
    with store.connect(two_imports) as con:
        rows = con.execute(
            "select import_id, project_id, status, budget, rag, forecast_end_date "
            "from pmo_snapshots_projects where project_id in ('P1', 'P4') order by all"
        ).fetchall()
    assert rows == [
        (1, "P1", "Active", 100_000.0, "Green", D(2026, 6, 30)),
        (1, "P4", "Approved", 50_000.0, None, None),  # no status report yet
        (2, "P1", "Active", 100_000.0, "Amber", D(2026, 7, 30)),  # February's report
        (2, "P4", "Active", 40_000.0, None, None),
    ]


def test_review_counts_every_kind_of_change_between_two_imports(two_imports):
    changes = compare(two_imports, 1, 2)
    assert review.counts(changes) == {
        "new": 1,  # P7
        "closed": 1,  # P5 Active -> Completed (P6 was already Completed)
        "status": 2,  # P2 Active -> On Hold, P4 Approved -> Active
        "rag_better": 1,  # P3 Red -> Amber
        "rag_worse": 2,  # P1 Green -> Amber, P2 Amber -> Red
        "end_date_slip": 1,  # P3 planned end 2026-12-31 -> 2027-01-31
        "forecast_slip": 1,  # P1 forecast 2026-06-30 -> 2026-07-30
        "budget": 2,  # P2 +50,000, P4 -10,000
        "slipped_projects": 2,  # P1, P3
    }


def test_review_rows_say_before_after_and_by_how_much(two_imports):
    changes = compare(two_imports, 1, 2).set_index(["change_kind", "project_id"])
    assert changes.loc[("new", "P7"), "after"] == "Proposed"
    assert changes.loc[("closed", "P5"), ["before", "after"]].tolist() == ["Active", "Completed"]
    assert changes.loc[("rag_worse", "P2"), ["before", "after"]].tolist() == ["Amber", "Red"]
    # 2026-12-31 -> 2027-01-31 is 31 days; 2026-06-30 -> 2026-07-30 is 30 days.
    assert changes.loc[("end_date_slip", "P3"), "delta_days"] == 31
    assert changes.loc[("end_date_slip", "P3"), "after"] == "2027-01-31"
    assert changes.loc[("forecast_slip", "P1"), "delta_days"] == 30
    # 250,000 - 200,000 = +50,000; 40,000 - 50,000 = -10,000
    assert changes.loc[("budget", "P2"), ["before", "after", "delta_amount"]].tolist() == [
        "200000",
        "250000",
        50_000.0,
    ]
    assert changes.loc[("budget", "P4"), "delta_amount"] == -10_000.0


def test_review_in_the_other_direction_mirrors_the_changes(two_imports):
    counts = review.counts(compare(two_imports, 2, 1))
    # Going back, P7 is no longer stored (closed), P5 is un-closed (a status change),
    # and the RAG moves swap.
    assert (counts["new"], counts["closed"], counts["rag_better"], counts["rag_worse"]) == (
        0,
        1,
        2,
        1,
    )
    assert counts["status"] == 3  # P2, P4 and P5 Completed -> Active
    # The dates move back: listed as changes with negative days, but nothing slipped.
    assert (counts["end_date_slip"], counts["forecast_slip"], counts["slipped_projects"]) == (
        1,
        1,
        0,
    )
    rows = compare(two_imports, 2, 1).set_index(["change_kind", "project_id"])
    assert rows.loc[("end_date_slip", "P3"), "delta_days"] == -31


def test_review_follows_the_sidebar_filters(two_imports):
    counts = review.counts(compare(two_imports, 1, 2, portfolio=["Tech"]))
    # Tech: P3 (RAG better, end-date slip), P5 (closed), P6 (no change), P7 (new).
    assert {k: v for k, v in counts.items() if v} == {
        "new": 1,
        "closed": 1,
        "rag_better": 1,
        "end_date_slip": 1,
        "slipped_projects": 1,
    }


def test_an_import_that_changes_no_project_shows_no_changes(two_imports):
    resources = pd.DataFrame({"resource_id": ["R1"], "name": ["Ann"]})
    assert load(two_imports, resources=resources).import_id == 3
    assert compare(two_imports, 2, 3).empty


def test_undo_drops_the_snapshot_and_the_import_is_no_longer_offered(two_imports):
    assert ingest.undo_last(two_imports) == 2
    with store.connect(two_imports) as con:
        kept = con.execute(
            "select distinct import_id from pmo_snapshots_projects order by 1"
        ).fetchall()
        options = queries.run(con, "review_import_options")
    assert kept == [(1,)]
    assert options["import_id"].tolist() == [1]
    assert options["projects"].tolist() == [6]
    assert options["file_names"].tolist() == ["fixture.xlsx"]


def test_a_rejected_import_leaves_no_snapshot(two_imports):
    bad = projects([("P8", "Broken", "Ops", "Active", -5, None, None)])  # negative budget
    with pytest.raises(ingest.ImportRejected):
        load(two_imports, projects=bad)
    with store.connect(two_imports) as con:
        assert store.scalar(con, "select max(import_id) from pmo_snapshots_projects") == 2


def test_counts_of_no_changes_are_all_zero():
    empty = pd.DataFrame(
        columns=[
            "project_id",
            "name",
            "change_kind",
            "before",
            "after",
            "delta_days",
            "delta_amount",
        ]
    )
    assert set(review.counts(empty).values()) == {0}
