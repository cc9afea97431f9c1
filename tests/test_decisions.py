"""Decisions and actions (issue 21): recording, status edits, the log's SQL, import and undo."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from pmo import decisions, export, ingest, queries, schema, store
from tests.conftest import load, table_rows

PROJECTS = pd.DataFrame(
    {
        "project_id": ["P1", "P2", "P3"],
        "name": ["Alpha", "Beta", "Gamma"],
        "portfolio": ["Digital", "Digital", "Operations"],
        "status": ["Active", "Active", "Active"],
        "budget": [100, 200, 300],
    }
)


def rows(db, sql, params=None):
    with store.connect(db) as con:
        return con.execute(sql, params or {}).fetchall()


def log(db, as_of=None, **filters):
    params = {**queries.defaults("decisions"), "as_of": as_of, **filters}
    with store.connect(db) as con:
        return queries.run(con, "decisions", **params)


@pytest.fixture
def portfolio(db):
    load(db, projects=PROJECTS)
    return db


def test_recording_generates_ids_and_keeps_who_and_when(portfolio):
    first = decisions.record(
        portfolio,
        title="  Stop Gamma  ",
        date="2026-10-27",
        detail="Sunk cost is sunk.",
        project_ids=["P3"],
        owner="CFO",
        due_date="2026-11-15",
        comparison="import #1 → import #2 · All projects",
        recorded_by="ed@example.com",
    )
    second = decisions.record(
        portfolio,
        title="Hire two data engineers",
        date=dt.date(2026, 10, 27),
        project_ids="P2, P1, P2",
        recorded_by="ed@example.com",
    )
    assert (first, second) == ("D-0001", "D-0002")
    stored = rows(
        portfolio,
        "select decision_id, date, title, detail, project_ids, owner, due_date, "
        "status, recorded_by, comparison from decisions order by decision_id",
    )
    assert stored == [
        (
            "D-0001",
            dt.date(2026, 10, 27),
            "Stop Gamma",
            "Sunk cost is sunk.",
            "P3",
            "CFO",
            dt.date(2026, 11, 15),
            "Open",
            "ed@example.com",
            "import #1 → import #2 · All projects",
        ),
        # Repeats dropped, the order chosen kept; status defaults to Open.
        (
            "D-0002",
            dt.date(2026, 10, 27),
            "Hire two data engineers",
            None,
            "P2, P1",
            None,
            None,
            "Open",
            "ed@example.com",
            None,
        ),
    ]
    (recorded_at,) = rows(
        portfolio, "select recorded_at from decisions where decision_id = 'D-0001'"
    )[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", recorded_at)


def test_ids_continue_after_imported_ones(portfolio):
    load(
        portfolio,
        decisions=pd.DataFrame(
            {
                "decision_id": ["D-0007", "BOARD-12"],
                "date": ["2026-09-29", "2026-09-29"],
                "title": ["Pause Beta", "Fund Alpha"],
            }
        ),
    )
    assert decisions.record(portfolio, title="Next", date="2026-10-01") == "D-0008"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "   "}, "Give the title."),
        ({"title": "x" * 201}, "The title is at most 200 characters (it has 201)."),
        (
            {"title": "T", "project_ids": ["P1", "P9"]},
            "No project with id P9; choose projects from the list.",
        ),
        (
            {"title": "T", "date": "2026-10-27", "due_date": "2026-10-01"},
            "The due date (1 Oct 2026) is before the decision date (27 Oct 2026).",
        ),
        (
            {"title": "T", "status": "Finished"},
            "Status must be one of Open, Done, Dropped, not 'Finished'.",
        ),
        (
            {"title": "T", "due_date": "next week"},
            "The due date must be a date (YYYY-MM-DD), not 'next week'.",
        ),
        ({"title": "T", "date": dt.date.today() + dt.timedelta(days=1)}, "is in the future"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(portfolio, fields, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        decisions.record(portfolio, **fields)
    assert rows(portfolio, "select count(*) from decisions") == [(0,)]


def test_status_is_edited_later(portfolio):
    did = decisions.record(portfolio, title="Re-plan Beta", date="2026-10-01", project_ids=["P2"])
    assert decisions.update_status(portfolio, did, "done") is True
    assert rows(portfolio, "select status from decisions") == [("Done",)]
    assert decisions.update_status(portfolio, "D-9999", "Done") is False
    with pytest.raises(ValueError, match="Status must be one of"):
        decisions.update_status(portfolio, did, "Closed")
    assert rows(portfolio, "select status from decisions") == [("Done",)]


def test_the_log_follows_the_view_and_marks_overdue_actions(portfolio):
    decisions.record(
        portfolio,
        title="Recover Alpha",
        date="2026-09-29",
        project_ids=["P1"],
        owner="PM",
        due_date="2026-10-20",
    )
    decisions.record(
        portfolio,
        title="Stop Gamma",
        date="2026-10-27",
        project_ids=["P3", "P1"],
        due_date="2026-10-30",
    )
    decisions.record(
        portfolio, title="Hire data engineers", date="2026-10-27", due_date="2026-12-15"
    )
    done = decisions.record(
        portfolio,
        title="Close Beta's vendor review",
        date="2026-09-29",
        project_ids=["P2"],
        due_date="2026-10-01",
    )
    decisions.update_status(portfolio, done, "Done")
    decisions.record(portfolio, title="Too early for 31 Oct", date="2026-11-05")

    frame = log(portfolio, as_of=dt.date(2026, 10, 31))
    # At 31 Oct 2026: D-0001 due 20 Oct is 11 days overdue, D-0002 due 30 Oct 1 day; D-0003 is
    # due later; D-0004 is Done (never overdue); D-0005 is dated after the as-of: not shown.
    # Open first, most overdue first; then the rest newest first.
    got = frame[["decision_id", "status", "overdue", "days_overdue", "since_last_review"]]
    assert got.astype(object).where(got.notna(), None).values.tolist() == [
        ["D-0001", "Open", True, 11, False],  # decided 29 Sep: before the 30 Sep review
        ["D-0002", "Open", True, 1, True],
        ["D-0003", "Open", False, None, True],
        ["D-0004", "Done", False, None, False],
    ]
    assert frame["project_names"].tolist()[:2] == ["Alpha", "Gamma, Alpha"]
    assert pd.isna(frame["project_names"].iloc[2])  # names no project: the whole portfolio
    assert {str(d)[:10] for d in frame["last_review"]} == {"2026-09-30"}

    # Portfolio Operations: Gamma's decision and the portfolio-wide one only.
    ops = log(portfolio, as_of=dt.date(2026, 10, 31), portfolio=["Operations"])
    assert ops["decision_id"].tolist() == ["D-0002", "D-0003"]


def test_a_projects_decisions_for_its_drill_down(portfolio):
    decisions.record(
        portfolio,
        title="Recover Alpha",
        date="2026-09-29",
        project_ids=["P1"],
        due_date="2026-10-20",
    )
    decisions.record(portfolio, title="Stop Gamma", date="2026-10-27", project_ids=["P3", "P1"])
    decisions.record(portfolio, title="Beta only", date="2026-10-27", project_ids=["P2"])
    with store.connect(portfolio) as con:
        alpha = queries.run(con, "project_decisions", project_id="P1", as_of=dt.date(2026, 10, 31))
        # "P1" must match a whole id, not the start of another.
        none = queries.run(con, "project_decisions", project_id="P", as_of=None)
    assert alpha["title"].tolist() == ["Recover Alpha", "Stop Gamma"]
    assert alpha["days_overdue"].tolist()[0] == 11  # 20 Oct → 31 Oct
    assert none.empty


def test_decisions_import_and_export_like_every_table(portfolio):
    decisions.record(
        portfolio,
        title="Stop Gamma",
        date="2026-10-27",
        project_ids=["P3"],
        owner="CFO",
        due_date="2026-11-15",
        recorded_by="ed@example.com",
    )
    # Exported as the log's table (its template columns) and imported into another database.
    frame = log(portfolio)
    columns = [c for c in frame.columns if c in schema.TABLES["decisions"].column_names]
    assert columns == schema.TABLES["decisions"].column_names
    xlsx = export.table_xlsx(frame[columns], "decisions")
    other = portfolio.parent / "other.duckdb"
    with store.connect(other, write=True):
        pass
    load(other, projects=PROJECTS)
    result = ingest.import_uploads([ingest.Upload("decisions.xlsx", xlsx)], other)
    assert result.row_counts == {"decisions": 1}
    assert table_rows(other, "decisions") == table_rows(portfolio, "decisions")


def test_undo_reverts_imported_decisions_and_keeps_the_recorded_ones(portfolio):
    load(
        portfolio,
        decisions=pd.DataFrame(
            {"decision_id": ["D-0001"], "date": ["2026-09-29"], "title": ["Imported"]}
        ),
    )
    recorded = decisions.record(portfolio, title="Recorded in the app", date="2026-10-27")
    assert recorded == "D-0002"
    # The import found the decisions table empty; undoing it must not empty it now.
    ingest.undo_last(portfolio)
    assert rows(portfolio, "select decision_id, title from decisions") == [
        ("D-0002", "Recorded in the app")
    ]


def test_undo_of_an_import_without_decisions_leaves_them_alone(portfolio):
    decisions.record(portfolio, title="Recorded", date="2026-10-27", project_ids=["P1"])
    load(portfolio, projects=PROJECTS.assign(budget=[1, 2, 3]))
    ingest.undo_last(portfolio)
    assert rows(portfolio, "select decision_id, title, project_ids from decisions") == [
        ("D-0001", "Recorded", "P1")
    ]
    assert rows(portfolio, "select budget from projects order by project_id") == [
        (100,),
        (200,),
        (300,),
    ]


def test_the_last_review_is_the_end_of_the_previous_month():
    assert decisions.last_review_date(dt.date(2026, 10, 31)) == dt.date(2026, 9, 30)
    assert decisions.last_review_date(dt.date(2026, 3, 1)) == dt.date(2026, 2, 28)
    assert decisions.last_review_date(None) is None


def test_imported_status_words_are_read_and_unknown_ones_refused(portfolio):
    from pmo.ingest import ImportRejected

    frame = pd.DataFrame(
        {
            "decision_id": ["D-1", "D-2", "D-3"],
            "date": ["2026-09-29"] * 3,
            "title": ["a", "b", "c"],
            "status": ["closed", " OPEN ", None],
        }
    )
    load(portfolio, decisions=frame)
    # closed -> Done, OPEN -> Open, blank -> the default Open.
    assert rows(portfolio, "select decision_id, status from decisions order by 1") == [
        ("D-1", "Done"),
        ("D-2", "Open"),
        ("D-3", "Open"),
    ]
    with pytest.raises(ImportRejected) as caught:
        load(portfolio, decisions=frame.assign(status=["Done", "Parked", "Open"]))
    (finding,) = [f for f in caught.value.findings if f.level == "error"]
    # Row 3 in Excel: the header is row 1, D-2 is the second data row.
    assert (finding.row, finding.column, finding.value) == (3, "status", "Parked")
    assert "status must be one of Open, Done, Dropped" in finding.message


def test_imported_project_ids_must_name_projects(portfolio):
    from pmo.ingest import ImportRejected

    frame = pd.DataFrame(
        {
            "decision_id": ["D-1", "D-2"],
            "date": ["2026-09-29"] * 2,
            "title": ["a", "b"],
            "project_ids": ["P1, P3", "P2, P9, P8"],
        }
    )
    with pytest.raises(ImportRejected) as caught:
        load(portfolio, decisions=frame)
    (finding,) = [f for f in caught.value.findings if f.level == "error"]
    assert (finding.row, finding.column, finding.value) == (3, "project_ids", "P2, P9, P8")
    assert finding.message == "unknown project P9, P8: not in projects (upload or stored)"
    assert rows(portfolio, "select count(*) from decisions") == [(0,)]


def test_the_packs_decisions_slide(demo_db):
    import io
    import zipfile

    from pptx import Presentation

    from pmo import pack

    with store.connect(demo_db) as con:
        data = pack.build(con, dt.date(2026, 10, 31), {})
    slide = Presentation(io.BytesIO(data)).slides[-1]
    texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
    tables = [
        [[c.text for c in row.cells] for row in sh.table.rows]
        for sh in slide.shapes
        if sh.has_table
    ]
    # As of 31 Oct 2026 (last review 30 Sep): D-0006 and D-0007 were decided on 27 Oct; the
    # open actions are D-0003 (due 20 Oct: 11 days late), D-0007 (30 Oct: 1 day), D-0004.
    assert texts[0] == "Decisions and actions"
    assert texts[1].startswith("2 decided since 30 Sep 2026 · 3 open actions, 2 overdue")
    decided, actions = tables
    assert [r[0] for r in decided] == ["Date", "27 Oct 2026", "27 Oct 2026"]
    assert [r[1:] for r in actions] == [
        ["Owner", "Due", "State"],
        ["Portfolio Office", "20 Oct 2026", "Overdue 11 days"],
        ["Portfolio Office", "30 Oct 2026", "Overdue 1 day"],
        ["Head of Data", "15 Dec 2026", "Open"],
    ]
    # Shape positions are whole EMUs (PowerPoint asks to repair a deck with "6233007.5").
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("ppt/slides/slide"))
    assert not re.search(rb'\b(?:x|y|cx|cy)="\d+\.\d+"', xml)


def test_the_log_reads_its_recording_time_as_a_person_would():
    # Stored '2026-11-29 16:41:05 UTC' -> '29 Nov 2026, 16:41 UTC'; a time an import wrote in
    # another form it cannot read stays as written; 11 days overdue reads "Overdue (11 days)".

    log = pd.DataFrame(
        {
            "status": ["Open", "Done"],
            "overdue": [True, False],
            "days_overdue": [11, None],
            "recorded_at": ["2026-11-29 16:41:05 UTC", "last Tuesday"],
        }
    )
    shown = decisions.display(log)
    assert shown["state"].tolist() == ["Overdue (11 days)", "Done"]
    assert shown["recorded_at"].tolist() == ["29 Nov 2026, 16:41 UTC", "last Tuesday"]
