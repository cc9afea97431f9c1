"""The Data page through AppTest: upload, mapping step, dry run, import, report, undo, quality."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pmo import queries, store
from tests.conftest import load, table_rows

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = b"project_id,name,status,budget\nP1,Alpha,Active,100\nP2,Beta,Active,200\n"
EXPORT = b"Ref;Title;Cost\nX1;Alpha;$1,000\nX2;Beta;$2,500\n"


def data_page(monkeypatch, db) -> AppTest:
    monkeypatch.setenv("PMO_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


def upload(at, *files):
    at.file_uploader(key="data_files").set_value([(n, b, "text/csv") for n, b in files]).run()
    assert not at.exception, at.exception
    return at


def frame_with(at, *columns):
    """The first table on the page that has these columns (AppTest keeps no dataframe keys)."""
    for df in at.dataframe:
        if set(columns) <= set(df.value.columns):
            return df.value
    raise AssertionError(f"no table with columns {columns}")


def projects(db):
    return table_rows(db, "projects")


def test_upload_and_import_a_template_csv(monkeypatch, db):
    at = upload(data_page(monkeypatch, db), ("projects.csv", PROJECTS))
    assert at.selectbox(key="data_table_0").value == "projects"
    at.button(key="data_import").click().run()
    assert not at.exception, at.exception
    assert any("Import #1 done: projects 2" in s.value for s in at.success)
    assert [r[0] for r in projects(db)] == ["P1", "P2"]


def test_dry_run_writes_nothing(monkeypatch, db):
    at = upload(data_page(monkeypatch, db), ("projects.csv", PROJECTS))
    at.button(key="data_dry_run").click().run()
    assert any("Dry run passed: would import projects 2" in s.value for s in at.success)
    assert projects(db) == []


def test_rejected_upload_shows_the_report_and_writes_nothing(monkeypatch, db):
    bad = b"project_id,name,status,budget\nP1,Alpha,Active,-5\n"
    at = upload(data_page(monkeypatch, db), ("projects.csv", bad))
    at.button(key="data_import").click().run()
    assert not at.exception
    assert any("Import refused: 1 error(s)" in e.value for e in at.error)
    report = frame_with(at, "level", "message")
    # The cell quoted as typed (issue 14).
    assert report[["level", "row", "column", "value"]].values.tolist() == [
        ["error", 2, "budget", "-5"]
    ]
    assert projects(db) == []


def test_mapping_step_with_constant_and_preview(monkeypatch, db):
    at = upload(data_page(monkeypatch, db), ("finance.csv", EXPORT))
    # The file name says nothing: the table is chosen, then the mapping step shows.
    at.selectbox(key="data_table_0").select("projects").run()
    # "Cost" matches budget by its name (a synonym since issue 14): id and status are asked.
    assert any("project_id, status" in w.value for w in at.warning)
    at.selectbox(key="data_map_0_projects_project_id").select("Ref").run()
    at.selectbox(key="data_map_0_projects_budget").select("Cost").run()
    at.selectbox(key="data_map_0_projects_status").select("(constant value)").run()
    at.text_input(key="data_const_0_projects_status").input("Active").run()
    assert not at.warning
    preview = frame_with(at, "row", "project_id", "budget")
    assert preview[["project_id", "name", "status", "budget"]].values.tolist() == [
        ["X1", "Alpha", "Active", 1000.0],
        ["X2", "Beta", "Active", 2500.0],
    ]
    at.text_input(key="data_save_mapping").input("finance").run()
    at.button(key="data_import").click().run()
    assert not at.exception, at.exception
    assert [(r[0], r[6], r[10]) for r in projects(db)] == [
        ("X1", "Active", 1000.0),
        ("X2", "Active", 2500.0),
    ]
    # Next month the same headers come again: the saved mapping is offered at once.
    at2 = upload(data_page(monkeypatch, db), ("finance-april.csv", EXPORT.replace(b"X2", b"X3")))
    assert at2.selectbox(key="data_table_0").value == "projects"
    assert any("saved mapping finance" in c.value for c in at2.caption)
    assert at2.selectbox(key="data_map_0_projects_project_id").value == "Ref"


def test_complete_list_checkbox_marks_missing_projects_left(monkeypatch, db):
    load(
        db,
        projects=pd.DataFrame(
            {
                "project_id": ["P1", "P9"],
                "name": ["a", "b"],
                "status": ["Active"] * 2,
                "budget": [1, 2],
            }
        ),
    )
    at = upload(data_page(monkeypatch, db), ("projects.csv", PROJECTS))
    at.checkbox(key="data_complete_projects").check().run()
    at.button(key="data_import").click().run()
    assert any("1 marked as left on" in i.value for i in at.info)
    # P9 is kept, marked as left (issue 14): P1, P2 current.
    assert [(r[0], r[-1] is None) for r in projects(db)] == [
        ("P1", True),
        ("P2", True),
        ("P9", False),
    ]


def test_history_and_undo(monkeypatch, db):
    load(
        db,
        projects=pd.DataFrame(
            {"project_id": ["P1"], "name": ["a"], "status": ["Active"], "budget": [1]}
        ),
    )
    before = projects(db)
    ingest_at = upload(data_page(monkeypatch, db), ("projects.csv", PROJECTS))
    ingest_at.button(key="data_import").click().run()
    at = data_page(monkeypatch, db)
    history = frame_with(at, "import_id", "files")
    assert history["import_id"].tolist() == [2, 1]
    assert history["files"].tolist() == ["projects.csv", "fixture.xlsx"]
    assert history["row_counts"].tolist() == ["projects 2", "projects 1"]
    at.button(key="data_undo").click().run()
    assert not at.exception, at.exception
    assert projects(db) == before


def test_data_quality_findings_are_listed(monkeypatch, db):
    frame = pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "name": ["a", "b"],
            "status": ["Active", "Completed"],
            "budget": [None, 5.0],
            "manager": ["Ann", None],
        }
    )
    load(db, projects=frame)
    at = data_page(monkeypatch, db)
    table = frame_with(at, "finding", "table_name")
    assert table[["finding", "id"]].values.tolist() == [
        ["Project has no manager", "P2"],
        ["Project has no budget", "P1"],
        ["No status report in the 60 days before the as-of date", "P1"],
        ["Project has no alignment to any objective", "P1"],
    ]


def test_data_quality_query_counts_stale_reports(db):
    frame = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "name": ["a", "b", "c"],
            "status": ["Active"] * 3,
            "budget": [1, 1, 1],
            "manager": ["m"] * 3,
        }
    )
    reports = pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "report_date": ["2025-03-31", "2025-01-15"],
            "actual_cost": [1, 1],
        }
    )
    load(db, projects=frame, status_reports=reports)
    with store.connect(db) as con:
        out = queries.run(con, "data_quality", as_of=None)
    stale = out[out.finding.str.startswith("No status report")]
    # As of 2025-03-31 (latest report): P2's last report is 75 days old, P3 has none; P1 is current.
    assert stale[["id", "detail"]].values.tolist() == [
        ["P2", "last report 2025-01-15"],
        ["P3", "no report"],
    ]


@pytest.mark.parametrize("name", ["projects.xlsx"])
def test_a_wrong_file_shows_an_error_not_a_traceback(monkeypatch, db, name):
    at = upload(data_page(monkeypatch, db), (name, b"not a workbook"))
    assert not at.exception
    assert any("cannot be read" in e.value for e in at.error)
