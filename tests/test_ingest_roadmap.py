"""Issue 17's import rules: dependencies on unknown projects, self-dependencies and cycles are
named errors and nothing is written; risk probability/impact outside 1–5 and unknown status or
link-type words are errors; the usual words are read as the canonical ones."""

import subprocess
import sys

import pandas as pd
import pytest

from pmo import ingest, store
from tests.conftest import ROOT, load, table_rows, workbook

PROJECTS = pd.DataFrame(
    {
        "project_id": ["A", "B", "C"],
        "name": ["Alpha", "Beta", "Gamma"],
        "status": ["Active", "Approved", "Proposed"],
        "budget": [1.0, 2.0, 3.0],
    }
)
TRACKED = ["projects", "dependencies", "risks", "pmo_imports"]


def snapshot(db):
    return {t: table_rows(db, t) for t in TRACKED}


def rejected(db, **sheets) -> list:
    before = snapshot(db)
    with pytest.raises(ingest.ImportRejected) as exc:
        load(db, **sheets)
    assert snapshot(db) == before  # nothing written
    return [f for f in exc.value.findings if f.level == "error"]


def where(f) -> tuple:
    return (f.file, f.sheet, f.row, f.column, f.value)


def test_a_dependency_on_an_unknown_project_is_named(db):
    deps = pd.DataFrame({"project_id": ["B", "C"], "depends_on": ["A", "Z9"]})
    [err] = rejected(db, projects=PROJECTS, dependencies=deps)
    # The sheet's header is Excel row 1: the second link is on row 3.
    assert where(err) == ("fixture.xlsx", "dependencies", 3, "depends_on", "Z9")
    assert err.message == "unknown project: not in projects (upload or stored)"


def test_a_self_dependency_is_named(db):
    deps = pd.DataFrame({"project_id": ["B", "C"], "depends_on": ["A", "C"]})
    [err] = rejected(db, projects=PROJECTS, dependencies=deps)
    assert where(err) == ("fixture.xlsx", "dependencies", 3, "depends_on", "C")
    assert err.message.startswith("a project cannot depend on itself")


def test_a_cycle_in_the_upload_is_named_with_its_chain(db):
    deps = pd.DataFrame({"project_id": ["A", "B", "C"], "depends_on": ["B", "C", "A"]})
    errors = rejected(db, projects=PROJECTS, dependencies=deps)
    assert [e.row for e in errors] == [2, 3, 4]  # every link of the cycle
    assert errors[0].message == (
        "dependency cycle: A waits on B waits on C waits on A: a project would wait on itself; "
        "remove one of these links"
    )


def test_a_cycle_closed_by_a_stored_link_is_refused(db):
    load(
        db, projects=PROJECTS, dependencies=pd.DataFrame({"project_id": ["B"], "depends_on": ["A"]})
    )
    errors = rejected(db, dependencies=pd.DataFrame({"project_id": ["A"], "depends_on": ["B"]}))
    assert [(e.row, e.column, e.value) for e in errors] == [(2, "depends_on", "B")]
    assert "A waits on B waits on A" in errors[0].message
    # Marked as the complete list, the stored B → A goes: A → B alone is no cycle.
    ingest.import_uploads(
        [
            ingest.Upload(
                "fixture.xlsx",
                workbook(dependencies=pd.DataFrame({"project_id": ["A"], "depends_on": ["B"]})),
            )
        ],
        db,
        complete={"dependencies"},
    )
    assert table_rows(db, "dependencies") == [("A", "B", None, "finish-to-start")]


def test_link_type_words_and_a_missing_milestone(db):
    deps = pd.DataFrame(
        {
            "project_id": ["B", "C", "C"],
            "depends_on": ["A", "A", "B"],
            "milestone": [None, "Design done", None],
            "type": ["SS", "fs", None],
        }
    )
    result = load(db, projects=PROJECTS, dependencies=deps)
    assert table_rows(db, "dependencies") == [
        ("B", "A", None, "start-to-start"),
        ("C", "A", "Design done", "finish-to-start"),
        ("C", "B", None, "finish-to-start"),
    ]
    [warn] = [f for f in result.findings if f.level == "warning" and "no milestone" in f.message]
    assert (warn.row, warn.value) == (3, "Design done")
    assert "A has no milestone of that name" in warn.message
    [err] = rejected(
        db,
        dependencies=pd.DataFrame(
            {"project_id": ["C"], "depends_on": ["A"], "type": ["finish-to-finish"]}
        ),
    )
    assert (err.row, err.column, err.value) == (2, "type", "finish-to-finish")
    assert "not supported" in err.message


def test_risk_rules(db):
    risks = pd.DataFrame(
        {
            "risk_id": ["R1", "R2", "R3", "R4", "R5"],
            "title": ["a", "b", "c", "d", "e"],
            "project_id": ["A", None, "Z9", "B", "C"],
            "probability": [6, 3, 3, 2, 0],
            "impact": [3, 0, 3, 2, 5],
            "status": ["Open", "Resolved", "in progress", "Pending", None],
        }
    )
    errors = rejected(db, projects=PROJECTS, risks=risks)
    # Every check runs before the report (issue 14): R3's unknown project is said at once too.
    # A rule broken on two rows is one finding with both rows (issue 14).
    assert sorted((e.row, e.column, e.value) for e in errors) == [
        (2, "probability", "6.0"),
        (3, "impact", "0.0"),
        (4, "project_id", "Z9"),
        (5, "status", "Pending"),
    ]
    (probability,) = [e for e in errors if e.column == "probability"]
    assert probability.count == 2 and probability.rows == (2, 6)
    assert {
        e.message.split(":")[0] for e in errors if e.column not in ("status", "project_id")
    } == {
        "probability must be a whole number from 1 to 5",
        "impact must be a whole number from 1 to 5",
    }
    fixed = risks.assign(
        probability=[5, 3, 3, 2, 1],
        impact=[3, 1, 3, 2, 5],
        status=["Open", "Resolved", "in progress", "Open", None],
    )
    [err] = rejected(db, projects=PROJECTS, risks=fixed)  # R3's project does not exist
    assert (err.row, err.column, err.value) == (4, "project_id", "Z9")
    load(db, projects=PROJECTS, risks=fixed.assign(project_id=["A", None, "C", "B", "C"]))
    stored = {r[0]: (r[2], r[7]) for r in table_rows(db, "risks")}
    assert stored == {
        "R1": ("A", "Open"),
        "R2": (None, "Closed"),
        "R3": ("C", "Mitigating"),
        "R4": ("B", "Open"),
        "R5": ("C", "Open"),
    }  # blank status = Open


def test_the_cli_rejects_a_cycle_with_exit_1_and_names_the_row(db, tmp_path):
    path = tmp_path / "links.xlsx"
    path.write_bytes(
        workbook(
            projects=PROJECTS,
            dependencies=pd.DataFrame({"project_id": ["A", "B"], "depends_on": ["B", "A"]}),
        )
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pmo", "import", str(path), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "sheet dependencies, row 2, column depends_on" in proc.stderr
    assert "dependency cycle: A waits on B waits on A" in proc.stderr
    with store.connect(db) as con:
        assert con.execute("select count(*) from projects").fetchall() == [(0,)]
