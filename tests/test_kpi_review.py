"""Milestone slip and the as-of-date review comparison, computed by hand."""

import datetime as dt

import pandas as pd
import pytest

from pmo import filters, queries, store
from tests.conftest import load


def run(db, name, **params):
    with store.connect(db) as con:
        return queries.run(con, name, **filters.query_params(name, **params))


PROJECTS = pd.DataFrame(
    [
        ("A", "Alpha", "Active", "Ops", "2024-06-01", "2025-12-31", None),
        ("B", "Beta", "Active", "IT", "2024-06-01", "2025-12-31", None),
        ("C", "Gamma", "Approved", "Ops", "2025-02-10", "2025-12-31", None),
        ("D", "Delta", "Completed", "Ops", "2024-06-01", "2025-02-10", "2025-02-20"),
        ("E", "Epsilon", "Active", "Ops", "2024-06-01", "2025-12-31", None),
        ("F", "Phi", "Active", "IT", None, None, None),
    ],
    columns=[
        "project_id",
        "name",
        "status",
        "portfolio",
        "start_date",
        "end_date",
        "actual_end_date",
    ],
).assign(budget=100)


@pytest.fixture
def milestones(db):
    load(
        db,
        projects=PROJECTS,
        milestones=pd.DataFrame(
            [
                ("A", "M1", "2025-03-31", None, "2025-04-10"),
                ("A", "M2", "2025-09-30", "2025-10-15", None),
                ("A", "M3", "2025-08-31", "2025-08-31", None),
                ("A", "M4", "2025-05-31", None, None),
                ("A", "M5", "2025-12-31", "2025-12-01", None),
                ("B", "M1", "2025-06-01", None, "2025-07-15"),
            ],
            columns=["project_id", "milestone", "baseline_date", "forecast_date", "actual_date"],
        ),
    )
    return db


def test_milestone_slip_and_status_at_the_as_of_date(milestones):
    df = run(milestones, "milestone_slip", as_of=dt.date(2025, 6, 30))
    got = {(r.project_id, r.milestone): (r.slip_days, r.status) for r in df.itertuples()}
    # slip = coalesce(actual, forecast) - baseline
    assert got[("A", "M1")] == (10, "Done")  # 10 Apr - 31 Mar, done before 30 Jun
    assert got[("A", "M2")] == (15, "Slipped")  # forecast 15 Oct vs 30 Sep
    assert got[("A", "M3")] == (0, "On track")
    assert got[("A", "M4")][1] == "Slipped"  # no forecast, baseline 31 May has passed
    assert pd.isna(got[("A", "M4")][0])  # slip unknown: null, not 0
    assert got[("A", "M5")] == (-30, "On track")  # pulled in
    assert got[("B", "M1")] == (44, "Slipped")  # done 15 Jul: after the as-of date
    # Worst slip first.
    assert df.iloc[0].slip_days == 44
    assert set(run(milestones, "milestone_slip", portfolio=["IT"]).project_id) == {"B"}


@pytest.fixture
def reviewed(db):
    reports = pd.DataFrame(
        [
            ("A", "2025-01-31", 10, 10, 10, "Green", "2025-12-31"),
            ("A", "2025-02-28", 20, 20, 20, "Red", "2026-01-20"),
            ("B", "2025-01-31", 10, 10, 10, "Red", "2025-12-31"),
            ("B", "2025-02-15", 20, 20, 20, "Amber", "2025-12-31"),
            ("E", "2025-02-20", 10, 10, 10, "Green", "2025-12-31"),
            ("F", "2025-02-05", 10, 10, 10, "Green", None),
        ],
        columns=[
            "project_id",
            "report_date",
            "planned_value",
            "earned_value",
            "actual_cost",
            "rag_overall",
            "forecast_end_date",
        ],
    )
    load(db, projects=PROJECTS, status_reports=reports)
    return db


def test_review_changes_between_two_as_of_dates(reviewed):
    df = run(
        reviewed, "review_changes", from_date=dt.date(2025, 1, 31), to_date=dt.date(2025, 2, 28)
    )

    def plain(v):
        return None if pd.isna(v) else v

    got = {
        (r.project_id, r.change_kind): (plain(r.before), plain(r.after), plain(r.delta_days))
        for r in df.itertuples()
    }
    assert got == {
        ("A", "rag_worse"): ("Green", "Red", None),
        ("A", "forecast_slip"): ("2025-12-31", "2026-01-20", 20),
        ("B", "rag_better"): ("Red", "Amber", None),
        ("C", "new"): (None, "2025-02-10", None),  # started 10 Feb
        ("F", "new"): (None, "2025-02-05", None),  # no start date: its first report
        ("D", "closed"): ("2025-02-10", "2025-02-20", 10),  # 10 days late
        # E: first report inside the window -> no RAG "before" to compare; started in 2024.
    }
    assert df.change_kind.iloc[0] == "rag_worse"  # worst news first


def test_review_changes_defaults_and_filters(reviewed):
    # to = as-of (latest report 28 Feb), from = the previous month-end (31 Jan): same changes.
    df = run(reviewed, "review_changes")
    assert (df.from_date.iloc[0].date(), df.to_date.iloc[0].date()) == (
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
    )
    assert len(df) == 6
    it = run(
        reviewed, "review_changes", portfolio=["IT"], from_date="2025-01-31", to_date="2025-02-28"
    )
    assert sorted(zip(it.project_id, it.change_kind, strict=True)) == [
        ("B", "rag_better"),
        ("F", "new"),
    ]
    # The same date twice: nothing changed.
    assert run(reviewed, "review_changes", from_date="2025-02-28", to_date="2025-02-28").empty
