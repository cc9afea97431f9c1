"""The import-related commands: import, history, undo, template (the README's command line)."""

import datetime as dt
import subprocess
import sys

from pmo import schema
from tests.conftest import ROOT, table_rows

TRACKED = [*schema.TABLES, "pmo_imports", "pmo_mappings"]


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "pmo", *map(str, args)], cwd=ROOT, capture_output=True, text=True
    )


def snapshot(db):
    return {t: table_rows(db, t) for t in TRACKED}


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_import_prints_counts_and_history_lists_it(db, tmp_path):
    f = write(
        tmp_path / "projects.csv", "project_id,name,status,budget\nP1,A,Active,1\nP2,B,Done,2\n"
    )
    proc = cli("import", f, "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "import 1: projects 2" in proc.stdout
    proc = cli("history", "--db", db)
    assert proc.returncode == 0
    assert proc.stdout.startswith("#1 ")
    assert "projects 2 from projects.csv (sha256 " in proc.stdout


def test_rejected_import_exits_1_with_the_report_on_stderr_and_writes_nothing(db, tmp_path):
    f = write(
        tmp_path / "projects.csv", "project_id,name,status,budget\nP1,A,Active,1\nP2,B,Active,-3\n"
    )
    before = snapshot(db)
    proc = cli("import", f, "--db", db)
    assert proc.returncode == 1
    assert "error: projects.csv, row 3, column budget: budget must not be negative" in proc.stderr
    assert "nothing was written" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(db) == before


def test_map_default_save_and_reuse_a_mapping(db, tmp_path):
    f = write(tmp_path / "export.csv", 'Ref,Title,Cost\nX1,Alpha,"$1,000"\n')
    proc = cli(
        "import",
        f,
        "--db",
        db,
        "--table",
        "projects",
        "--map",
        "Ref=project_id",
        "--map",
        "Cost=budget",
        "--default",
        "status=Active",
        "--save-mapping",
        "fin",
    )
    assert proc.returncode == 0, proc.stderr
    g = write(tmp_path / "export2.csv", 'Ref,Title,Cost\nX2,Beta,"$2,000"\n')
    proc = cli("import", g, "--db", db, "--table", "projects", "--mapping", "fin")
    assert proc.returncode == 0, proc.stderr
    assert [(r[0], r[6], r[10]) for r in table_rows(db, "projects")] == [
        ("X1", "Active", 1000.0),
        ("X2", "Active", 2000.0),
    ]


def test_complete_and_undo(db, tmp_path):
    f = write(
        tmp_path / "projects.csv", "project_id,name,status,budget\nP1,A,Active,1\nP2,B,Active,2\n"
    )
    assert cli("import", f, "--db", db).returncode == 0
    before = snapshot(db)
    g = write(tmp_path / "p.csv", "project_id,name,status,budget\nP1,A,Active,1\n")
    proc = cli("import", g, "--db", db, "--table", "projects", "--complete", "projects")
    assert proc.returncode == 0, proc.stderr
    # A complete list of projects marks the missing ones as left (kept, no longer counted).
    assert "projects: 0 added, 0 changed, 1 unchanged, 1 marked as left on" in proc.stdout
    assert [(r[0], r[-1] is not None) for r in table_rows(db, "projects")] == [
        ("P1", False),
        ("P2", True),
    ]
    proc = cli("undo", "--db", db)
    assert proc.returncode == 0 and "import 2 undone" in proc.stdout
    after = snapshot(db)
    assert {t: after[t] for t in schema.TABLES} == {t: before[t] for t in schema.TABLES}


def test_dry_run_writes_nothing(db, tmp_path):
    f = write(tmp_path / "projects.csv", "project_id,name,status,budget\nP1,A,Active,1\n")
    before = snapshot(db)
    proc = cli("import", f, "--db", db, "--dry-run")
    assert (
        proc.returncode == 0 and "dry run: would import projects 1; nothing written" in proc.stdout
    )
    assert snapshot(db) == before


def test_dry_run_counts_what_the_import_would_change_and_writes_nothing(db, tmp_path):
    first = "project_id,name,status,budget\nP1,A,Active,100\nP2,B,Active,200\n"
    assert cli("import", write(tmp_path / "projects.csv", first), "--db", db).returncode == 0
    # The second month: P1's budget 100 -> 150, P2 as it was, P3 new.
    second = write(
        tmp_path / "projects.csv",
        "project_id,name,status,budget\nP1,A,Active,150\nP2,B,Active,200\nP3,C,Active,5\n",
    )
    before = snapshot(db)
    proc = cli("import", second, "--db", db, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    # The same line a real import prints: 1 added (P3), 1 changed (P1, its budget), 1 unchanged.
    assert proc.stdout.splitlines() == [
        "dry run: would import projects 3; nothing written",
        "  projects: 1 added, 1 changed (budget 1), 1 unchanged",
    ]
    after = snapshot(db)
    assert after == before  # 2 projects, P1 still 100, one import in the history
    budget = schema.TABLES["projects"].column_names.index("budget")
    assert [(r[0], r[budget]) for r in after["projects"]] == [("P1", 100.0), ("P2", 200.0)]
    proc = cli("import", second, "--db", db)
    assert "  projects: 1 added, 1 changed (budget 1), 1 unchanged" in proc.stdout.splitlines()


def test_bad_mapping_target_is_a_usage_error(db, tmp_path):
    f = write(tmp_path / "projects.csv", "project_id,name,status,budget\nP1,A,Active,1\n")
    proc = cli("import", f, "--db", db, "--map", "name=colour")
    assert proc.returncode == 2
    assert "no template column 'colour'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_file_exits_1_without_traceback(db, tmp_path):
    proc = cli("import", tmp_path / "nope.csv", "--db", db)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr


def test_large_files_get_a_progress_line(db, tmp_path, monkeypatch):
    lines = ["project_id,name,status,budget"] + [
        f"P{i},Project {i} {'x' * 40},Active,{i}" for i in range(120_000)
    ]
    f = write(tmp_path / "projects.csv", "\n".join(lines) + "\n")
    assert f.stat().st_size > 5 * 1024 * 1024
    proc = cli("import", f, "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "[100%] done" in proc.stderr
    assert "import 1: projects 120000" in proc.stdout


def test_template_has_headers_an_example_row_and_a_readme(tmp_path):
    out = tmp_path / "t.xlsx"
    assert cli("template", "--out", out).returncode == 0
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(out))
    rows = wb.get_sheet_by_name("projects").to_python()
    assert rows[0] == [c.name for c in schema.TABLES["projects"].importable]  # not left_on
    assert len(rows) == 3  # the header and two example rows (P002 depends on P001)
    readme = wb.get_sheet_by_name("README").to_python()
    assert any("Active" in str(c) for r in readme for c in r)


def test_the_template_example_rows_import_cleanly(db):
    from pmo import export, ingest

    result = ingest.import_uploads([ingest.Upload("template.xlsx", export.template_workbook())], db)
    assert result.row_counts == {t: len(export.example_rows(t)) for t in schema.TABLES}
    assert result.row_counts["dependencies"] == 1 and result.row_counts["projects"] == 2


def test_table_for_a_file_whose_name_says_another_table_is_said_not_silently_ignored(db, tmp_path):
    # export.csv says no table: --table projects applies. objectives.csv says objectives: the
    # note names the file and the FILE:TABLE way, and the file imports as objectives.
    export = write(tmp_path / "export.csv", "project_id,name,status,budget\nP1,A,Active,1\n")
    objectives = write(tmp_path / "objectives.csv", "objective_id,name,weight\nO1,Grow,1\n")
    proc = cli("import", export, objectives, "--table", "projects", "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert (
        "note: --table projects does not apply to objectives.csv, whose name says objectives; "
        "to import it as projects, give objectives.csv:projects" in proc.stderr
    )
    assert "export.csv" not in proc.stderr.split("note:")[1]
    assert [r[0] for r in table_rows(db, "projects")] == ["P1"]
    assert [r[0] for r in table_rows(db, "objectives")] == ["O1"]


def test_dry_run_of_a_complete_history_table_counts_the_rows_it_would_remove(db, tmp_path):
    # Timesheets hold 3 bookings; a complete list of 2 of them (one hours changed) removes the
    # third: the dry run says "1 would be removed" as the real import then says "1 removed".
    setup = [
        write(tmp_path / "projects.csv", "project_id,name,status,budget\nP1,A,Active,100\n"),
        write(tmp_path / "resources.csv", "resource_id,name\nR1,Ann\n"),
        write(
            tmp_path / "timesheets.csv",
            "resource_id,project_id,date,hours\n"
            "R1,P1,2026-10-01,8\nR1,P1,2026-10-02,8\nR1,P1,2026-10-03,8\n",
        ),
    ]
    assert cli("import", *setup, "--db", db).returncode == 0
    month = write(
        tmp_path / "timesheets.csv",
        "resource_id,project_id,date,hours\nR1,P1,2026-10-01,8\nR1,P1,2026-10-02,6\n",
    )
    before = snapshot(db)
    dry = cli("import", month, "--db", db, "--complete", "timesheets", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "  timesheets: 0 added, 1 changed (hours 1), 1 unchanged, 1 would be removed" in (
        dry.stdout.splitlines()
    )
    assert "1 stored timesheets row(s) are not in the upload and will be removed" in dry.stderr
    assert snapshot(db) == before
    real = cli("import", month, "--db", db, "--complete", "timesheets")
    assert "  timesheets: 0 added, 1 changed (hours 1), 1 unchanged, 1 removed" in (
        real.stdout.splitlines()
    )
    assert [r[2:] for r in table_rows(db, "timesheets")] == [
        (dt.date(2026, 10, 1), 8.0),
        (dt.date(2026, 10, 2), 6.0),
    ]
