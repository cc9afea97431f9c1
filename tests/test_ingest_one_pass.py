"""Gaps found running the real exports as an analyst would (issue 14): a missing column is
said in the same pass as every cell's finding, every list of rows or ids ends with the exact
"and N more", and a file whose name says no table is told how to name it."""

import pytest

from pmo import cli, ingest

# Seven projects: no budget column; P2's start is text; P3..P7 have no end date.
PROJECTS = (
    "project_id,name,status,start_date,end_date\n"
    "P1,A,Active,2025-01-01,2026-01-01\n"
    "P2,B,Active,Exempt under FOI,2026-01-01\n"
    + "".join(f"P{i},N{i},Active,2025-01-01,\n" for i in range(3, 8))
)


def up(name, text):
    return ingest.Upload(name, text.encode("utf-8"))


def messages(findings):
    return [(f.level, f.column, f.message) for f in findings]


def test_a_missing_column_and_the_cells_are_found_in_one_pass(db):
    with pytest.raises(ingest.ImportRejected) as exc:
        ingest.import_uploads([up("projects.csv", PROJECTS)], db)
    found = messages(exc.value.findings)
    # Both errors at once: before, the missing budget hid the unreadable start date.
    assert [(lv, col) for lv, col, _ in found if lv == "error"] == [
        ("error", "budget"),
        ("error", "start_date"),
    ]
    # Five blank end dates (rows 4-8 as Excel numbers them: the header is row 1).
    assert (
        "warning",
        "end_date",
        "5 blank end_date value(s), loaded as null (rows 4, 5, 6, 7 and 8)",
    ) in found


def test_blank_values_beyond_the_first_five_are_counted(db):
    text = "project_id,name,status,budget,end_date\n" + "".join(
        f"P{i},N{i},Active,1,\n" for i in range(1, 9)
    )
    result = ingest.import_uploads([up("projects.csv", text)], db)
    # 8 blank end dates on rows 2-9: the first five shown, 8 - 5 = 3 more.
    assert "8 blank end_date value(s), loaded as null (rows 2, 3, 4, 5, 6 and 3 more)" in [
        f.message for f in result.warnings
    ]


def test_stored_rows_not_in_the_upload_end_with_how_many_more(db):
    text = "project_id,name,status,budget\n" + "".join(
        f"P{i:02},N{i},Active,1\n" for i in range(1, 16)
    )
    ingest.import_uploads([up("projects.csv", text)], db)
    result = ingest.import_uploads(
        [up("projects.csv", "project_id,name,status,budget\nP01,N1,Active,1\n")], db
    )
    (kept,) = [f.message for f in result.findings if "not in the upload" in f.message]
    # 15 stored, 1 in the upload: 14 kept, the first ten named, 14 - 10 = 4 more.
    assert kept == (
        "14 stored projects row(s) are not in the upload and are kept: "
        "P02, P03, P04, P05, P06, P07, P08, P09, P10, P11 and 4 more"
    )


def test_a_file_that_names_no_table_is_told_about_file_colon_table(db):
    with pytest.raises(ingest.ImportRejected) as exc:
        ingest.import_uploads([up("uk_2022.csv", PROJECTS)], db)
    (error,) = exc.value.errors
    assert "on the command line uk_2022.csv:projects, or --table for every file" in error.message


def test_file_colon_an_unknown_table_is_a_usage_error_naming_the_tables(db, tmp_path, capsys):
    f = tmp_path / "export.csv"
    f.write_text(PROJECTS)
    with pytest.raises(SystemExit) as exc:
        cli.main(["import", f"{f}:projetcs", "--db", str(db)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    # Before: "[Errno 2] No such file or directory: '...export.csv:projetcs'".
    assert f"{f}:projetcs: no table 'projetcs' (FILE:TABLE); tables: objectives, projects" in err
