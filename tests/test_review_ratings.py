"""RAG better / worse on the Review compares the reported five-point rating where both reports
carry one, and the derived RAG otherwise (issue 14; queries/macros/ratings.sql, rag_move)."""

import datetime as dt

import pandas as pd
import pytest

from pmo import charts, filters, pack, queries, review, store
from tests.conftest import load

D = dt.date

PROJECTS = pd.DataFrame(
    {
        "project_id": ["P1", "P2", "P3", "P4", "P5", "P6", "P7"],
        "name": ["One", "Two", "Three", "Four", "Five", "Six", "Seven"],
        "status": "Active",
        "budget": 100_000,
    }
)


def reports(day, rows):
    """Status reports of one date: (project_id, rating as reported, rag_schedule)."""
    frame = pd.DataFrame(rows, columns=["project_id", "rating", "rag_schedule"])
    return frame.assign(report_date=day, percent_complete=50)


# January's and February's reports. The default scale derives the RAG: Amber/Green -> Amber,
# Amber/Red -> Red. With the derived RAG alone only P5 and P7 would move (Amber -> Green,
# Amber -> Red); comparing the ratings where both are on the five-point scale:
#   P1 Amber/Green -> Amber        level 4 -> 3: worse (both count as Amber)
#   P2 Amber/Red   -> Amber/Green  level 2 -> 4: better (Red -> Amber)
#   P3 Green       -> Green        same
#   P4 Amber/Green -> AG           the same point written another way: same
#   P5 Amber/Green -> no rating, rag_schedule Green: one side has no rating, so the RAG
#                                  decides: Amber -> Green, better
#   P6 Amber/Red   -> Red          level 2 -> 1: worse (both count as Red)
#   P7 Amber       -> A/R          level 3 -> 2: worse (Amber -> Red as RAG too)
# Better: P2, P5 = 2; worse: P1, P6, P7 = 3.
JANUARY = reports(
    D(2026, 1, 31),
    [
        ("P1", "Amber/Green", None),
        ("P2", "Amber/Red", None),
        ("P3", "Green", None),
        ("P4", "Amber/Green", None),
        ("P5", "Amber/Green", None),
        ("P6", "Amber/Red", None),
        ("P7", "Amber", None),
    ],
)
FEBRUARY = reports(
    D(2026, 2, 28),
    [
        ("P1", "Amber", None),
        ("P2", "Amber/Green", None),
        ("P3", "Green", None),
        ("P4", "AG", None),
        ("P5", None, "Green"),
        ("P6", "Red", None),
        ("P7", "A/R", None),
    ],
)
EXPECTED = [
    # (change_kind, project_id, before, after): the ratings' points where both are compared
    # ("A/R" is shown as Amber/Red), else the RAG.
    ("rag_better", "P2", "Amber/Red", "Amber/Green"),
    ("rag_better", "P5", "Amber", "Green"),
    ("rag_worse", "P1", "Amber/Green", "Amber"),
    ("rag_worse", "P6", "Amber/Red", "Red"),
    ("rag_worse", "P7", "Amber", "Amber/Red"),
]


@pytest.fixture
def two_months(db):
    assert load(db, projects=PROJECTS, status_reports=JANUARY).import_id == 1
    assert load(db, projects=PROJECTS, status_reports=FEBRUARY).import_id == 2
    return db


def rag_rows(changes):
    rows = changes[changes["change_kind"].isin(["rag_better", "rag_worse"])]
    return sorted(
        rows[["change_kind", "project_id", "before", "after"]].itertuples(index=False, name=None)
    )


def test_the_snapshot_keeps_the_rating_as_reported(two_months):
    with store.connect(two_months) as con:
        rows = con.execute(
            "select import_id, project_id, rating, rag from pmo_snapshots_projects "
            "where project_id in ('P1', 'P5') order by all"
        ).fetchall()
    assert rows == [
        (1, "P1", "Amber/Green", "Amber"),
        (1, "P5", "Amber/Green", "Amber"),
        (2, "P1", "Amber", "Amber"),
        (2, "P5", None, "Green"),  # RAG from its schedule dimension, no rating
    ]


def test_review_between_imports_compares_the_five_point_ratings(two_months):
    params = filters.query_params("review_imports", from_import=1, to_import=2)
    with store.connect(two_months) as con:
        changes = queries.run(con, "review_imports", **params)
    assert rag_rows(changes) == EXPECTED
    counts = review.counts(changes)
    assert (counts["rag_better"], counts["rag_worse"]) == (2, 3)


def test_review_between_dates_applies_the_same_rule(two_months):
    params = filters.query_params(
        "review_changes", from_date=D(2026, 1, 31), to_date=D(2026, 2, 28)
    )
    with store.connect(two_months) as con:
        changes = queries.run(con, "review_changes", **params)
    assert rag_rows(changes) == EXPECTED


def test_rag_move_on_its_own(db):
    with store.connect(db) as con:
        got = con.execute(
            "select rag_move('Amber/Green', 'Amber', 'Amber', 'Amber'), "
            "rag_move('amber-red', 'Red', 'Amber Green', 'Amber'), "
            "rag_move('Green', 'Green', 'G', 'Green'), "
            "rag_move(null, 'Red', 'Amber/Red', 'Red'), "  # one side unrated: Red = Red
            "rag_move('Amber', 'Amber', null, null), "  # nothing known after: no move
            "rag_move('Not given (FOI)', 'Green', null, 'Amber')"  # off the scale: RAG worse
        ).fetchall()
    assert got == [("worse", "better", None, None, None, "worse")]


def test_the_pack_says_turned_red_by_the_rag_a_rating_counts_as(db):
    # January's reports, then the same February words dated 30 April, so that the pack's
    # "since three month-ends ago" window (30 Apr 2026 back to 31 Jan 2026) holds both.
    assert load(db, projects=PROJECTS, status_reports=JANUARY).import_id == 1
    april = FEBRUARY.assign(report_date=D(2026, 4, 30))
    assert load(db, projects=PROJECTS, status_reports=april).import_id == 2
    with store.connect(db) as con:
        slide = pack.rag_movement_slide(pack.Context(con, None, {}))
    # Worse: P1 Amber/Green -> Amber (still Amber), P6 Amber/Red -> Red (was Red already),
    # P7 Amber -> Amber/Red (counts as Red by the default scale): 1 turned Red.
    # Better: P2, P5 = 2.
    assert slide.takeaway == "1 project turned Red since 31 Jan 2026; 2 improved."


def test_the_movement_chart_ranks_five_point_moves_worst_first():
    changes = pd.DataFrame(
        {
            "change_kind": ["rag_worse", "rag_worse", "rag_better", "rag_worse"],
            "before": ["Amber/Green", "Green", "Amber/Red", "Amber/Green"],
            "after": ["Amber", "Red", "Amber/Green", "Amber"],
        }
    )
    spec = charts.rag_movement(changes).to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert sorted((r["move"], r["direction"], r["projects"]) for r in rows) == [
        ("Amber/Green → Amber", "Worse", 2),
        ("Amber/Red → Amber/Green", "Better", 1),
        ("Green → Red", "Worse", 1),
    ]
    # Red 0, Amber/Red 1, Amber 2, Amber/Green 3, Green 4: Green -> Red moves -4, Amber/Green
    # -> Amber -1, Amber/Red -> Amber/Green +2.
    assert spec["layer"][0]["encoding"]["y"]["sort"] == [
        "Green → Red",
        "Amber/Green → Amber",
        "Amber/Red → Amber/Green",
    ]


def test_a_database_made_before_gets_the_snapshot_rating_column(two_months):
    with store.connect(two_months, write=True) as con:
        con.execute("alter table pmo_snapshots_projects drop column rating")
    with store.connect(two_months, write=True) as con:
        cols = [r[0] for r in con.execute("describe pmo_snapshots_projects").fetchall()]
        changes = queries.run(
            con,
            "review_imports",
            **filters.query_params("review_imports", from_import=1, to_import=2),
        )
    assert cols[-1] == "rating"
    # Snapshots taken without the rating compare on the RAG alone: P5 Amber -> Green better,
    # P7 Amber -> Red worse (P2's Red -> Amber better too); P1 and P6 stay within a colour.
    assert rag_rows(changes) == [
        ("rag_better", "P2", "Red", "Amber"),
        ("rag_better", "P5", "Amber", "Green"),
        ("rag_worse", "P7", "Amber", "Red"),
    ]
