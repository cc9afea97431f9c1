"""The real exports of ../shared/realdata import through mappings with the README's figures."""

import subprocess
import sys

import pytest

from pmo import ingest, store
from tests.conftest import REALDATA, ROOT, table_rows

pytestmark = pytest.mark.skipif(
    not REALDATA.exists(), reason="../shared/realdata is not beside the repo"
)

GC = [
    "--table",
    "projects",
    "--map",
    "uniqueId=project_id",
    "--map",
    "projectName=name",
    "--map",
    "department=business_unit",
    "--map",
    "totalBudget=budget",
    "--map",
    "estimatedCompletionDate=end_date",
    "--default",
    "status=Active",
]
UK = [
    "--table",
    "projects",
    "--map",
    "project_number=project_id",
    "--map",
    "project_name=name",
    "--map",
    "department=business_unit",
    "--map",
    "start_date=start_date",
    "--map",
    "end_date=end_date",
    "--map",
    "wlc_baseline_incl_NCG=budget",
    "--default",
    "status=Active",
    "--currency",
    "GBP",
]
CAPITAL = [
    "--table",
    "projects",
    "--map",
    "ID=project_id",
    "--map",
    "ID=name",
    "--map",
    "FFC=budget",
    "--map",
    "Delivery Program=portfolio",
    "--map",
    "Owner Group=business_unit",
    "--default",
    "status=Active",
]


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "pmo", *map(str, args)], cwd=ROOT, capture_output=True, text=True
    )


def figures(db):
    with store.connect(db) as con:
        return con.execute("select count(*), count(budget), sum(budget) from projects").fetchall()[
            0
        ]


def test_gc_it_projects(db):
    proc = cli("import", REALDATA / "gc-it-projects-2022.csv", "--db", db, *GC)
    assert proc.returncode == 0, proc.stderr
    # 495 projects; 481 budgets summing to 7,023,336,948; 14 blank budgets warned.
    assert figures(db) == (495, 481, 7_023_336_948.0)
    # One finding for the rule, with its exact count and the first rows (issue 14).
    assert (
        "blank budget loaded as null: 14 rows (rows 85, 239, 240, 241, 259 and 9 more)"
        in proc.stderr
    )
    with store.connect(db) as con:
        ends = con.execute("select end_date from projects order by rowid").fetchall()
        blanks = con.execute("select count(*) from projects where budget is null").fetchall()[0][0]
    assert sum(1 for (e,) in ends if e is not None) == 481
    assert str(ends[0][0]) == "2022-07-25"
    assert blanks == 14


def test_uk_major_projects_refused_without_lenient_naming_the_foi_texts(db):
    proc = cli("import", REALDATA / "uk_2022.csv", "--db", db, *UK)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    foi = [
        ln
        for ln in proc.stderr.splitlines()
        if ln.startswith("error:") and "Freedom of Information" in ln
    ]
    assert foi and all("uk_2022.csv, row " in ln for ln in foi)
    assert any("column wlc_baseline_incl_NCG" in ln for ln in foi)
    assert table_rows(db, "projects") == []


def test_uk_major_projects_with_lenient(db):
    proc = cli("import", REALDATA / "uk_2022.csv", "--db", db, *UK, "--lenient")
    assert proc.returncode == 0, proc.stderr
    # 235 projects; 191 budgets (£ millions) summing to 494,181.
    assert figures(db) == (235, 191, 494_181.0)
    assert "loaded as blank" in proc.stderr


def test_capital_delivery(db):
    proc = cli(
        "import", REALDATA / "Capital_Delivery_Project_deidentified.csv", "--db", db, *CAPITAL
    )
    assert proc.returncode == 0, proc.stderr
    count, budgets, total = figures(db)
    # 445 projects, FFC summing to 5,113,659,152.5 (float noise rounded away).
    assert (count, budgets) == (445, 445)
    assert round(total, 1) == 5_113_659_152.5


def test_gc_through_the_python_api_lists_the_blank_budget_rows(db):
    result = ingest.import_paths(
        [REALDATA / "gc-it-projects-2022.csv"],
        db,
        table="projects",
        mapping={
            "project_id": "uniqueId",
            "budget": "totalBudget",
            "end_date": "estimatedCompletionDate",
        },
        defaults={"status": "Active"},
    )
    assert result.row_counts == {"projects": 495}
    (blank_budgets,) = [
        f for f in result.warnings if f.message.startswith("blank budget loaded as null")
    ]
    assert (
        blank_budgets.count == 14 and len(blank_budgets.rows) == 14 and blank_budgets.rows[0] == 85
    )
