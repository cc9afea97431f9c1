"""What the importer's speed-ups (issue 9) must not change: every cell still judged the same."""

import datetime as dt

import pandas as pd
import pytest

from pmo import ingest, store
from pmo.ingest import prefetch, readers
from tests.conftest import load, workbook

D = dt.date


def errors_of(db, **sheets):
    with pytest.raises(ingest.ImportRejected) as exc:
        load(db, **sheets)
    return [(f.row, f.column, f.value) for f in exc.value.errors]


def test_workbook_columns_of_one_kind_of_cell_become_typed():
    frame = pd.DataFrame(
        {
            "amount": [1.5, "", 3.0],
            "label": ["a", "", " b "],
            "day": [D(2025, 1, 2), "", D(2025, 3, 4)],
            "mixed": [1.0, "two", ""],
        },
        dtype=object,
    )
    typed = frame.apply(readers._typed)
    assert str(typed["amount"].dtype) == "float64"
    assert typed["amount"].isna().tolist() == [False, True, False]
    assert str(typed["label"].dtype).startswith("str")
    assert str(typed["day"].dtype) == "datetime64[ns]"
    assert typed["mixed"].dtype == object  # numbers and text: judged cell by cell


def test_a_text_cell_in_a_number_column_is_still_reported(db):
    # Row 3 of the sheet: header on row 1, P1 on row 2, P2 on row 3.
    projects = pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "name": ["a", "b"],
            "status": ["Active"] * 2,
            "budget": [100.0, "lots"],
        },
    )
    assert (3, "budget", "lots") in errors_of(db, projects=projects)


def test_a_date_beyond_2262_is_unreadable_not_a_crash(db):
    # 9999-12-31 is how some tools write "no end date"; pandas cannot hold it in nanoseconds.
    projects = pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "name": ["a", "b"],
            "status": ["Active"] * 2,
            "budget": [1.0, 2.0],
            "end_date": [D(2025, 6, 30), D(9999, 12, 31)],
        },
    )
    errors = errors_of(db, projects=projects)
    assert [(row, col) for row, col, _ in errors] == [(3, "end_date")]


def test_every_sheet_of_a_workbook_is_read_in_order_with_two_files(db):
    data = workbook(
        projects=pd.DataFrame(
            {
                "project_id": ["P1", "P2"],
                "name": ["a", "b"],
                "status": ["Active"] * 2,
                "budget": [1.0, 2.0],
            }
        ),
        resources=pd.DataFrame({"resource_id": ["R1"], "name": ["Ann"]}),
    )
    csv = "resource_id,project_id,date,hours\nR1,P1,2025-01-06,7.5\nR1,P2,2025-01-07,4\n"
    result = ingest.import_uploads(
        [ingest.Upload("book.xlsx", data), ingest.Upload("timesheets.csv", csv.encode())], db
    )
    assert result.row_counts == {"projects": 2, "resources": 1, "timesheets": 2}
    with store.connect(db) as con:
        # 7.5 + 4 = 11.5 hours booked.
        assert store.scalar(con, "select sum(hours) from timesheets") == 11.5


@pytest.mark.parametrize("n", [3, 30_000])
def test_a_ragged_csv_line_is_named_by_its_line_in_a_small_and_a_large_file(db, n):
    # Header on line 1, P0 on line 2, so project P{k} is on line k + 2. A line with a cell too
    # many is a warning naming its line; a line short of the status is an error naming its
    # line (pyarrow numbers lines only on one thread: a large file is read again for it).
    lines = [f"P{k},Project {k},Active,{k}" for k in range(n)]
    lines[1] = "P1,Project 1,Active,1,surplus"  # line 3
    lines[-1] = f"P{n - 1},Project {n - 1}"  # line n + 1, no status
    data = ("project_id,name,status,budget\n" + "\n".join(lines) + "\n").encode()
    with pytest.raises(ingest.ImportRejected) as exc:
        ingest.import_uploads([ingest.Upload("projects.csv", data)], db)
    found = exc.value.findings
    surplus = [f for f in found if "cells beyond column 4" in f.message]
    assert [(f.level, f.row) for f in surplus] == [("warning", 3)]
    assert [(f.row, f.column) for f in exc.value.errors] == [(n + 1, "status")]


def test_a_workbook_parse_started_early_is_used_once(tmp_path):
    # The command line starts parsing a workbook before importing pandas; the importer
    # picks that parse up by the file's bytes, once, and reads the same cells from it.
    data = workbook(
        projects=pd.DataFrame(
            {"project_id": ["P1"], "name": ["a"], "status": ["Active"], "budget": [5.0]}
        )
    )
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    prefetch.start([str(path), str(damaged), str(tmp_path / "missing.xlsx")])
    started = prefetch._started.get(path.read_bytes())
    assert started is not None and len(prefetch._started) == 1  # the damaged one is left
    wb, names = readers.workbook_sheets("book.xlsx", path.read_bytes())
    assert wb is started and names == ["projects"]
    assert prefetch.take(data) is None  # used once
    raw = readers.read_sheet("book.xlsx", wb, "projects", {"projectid"})
    assert raw.frame["project_id"].tolist() == ["P1"]


def test_the_import_pauses_the_garbage_collector_only_while_it_runs(db):
    # Paused during the import (millions of cells, none to collect), restored after it,
    # also when the import is refused.
    import gc

    seen = []
    ingest.import_uploads(
        [ingest.Upload("projects.csv", b"project_id,name,status,budget\nP1,a,Active,1\n")],
        db,
        progress=lambda f, m: seen.append(gc.isenabled()),
    )
    assert seen and not any(seen)
    assert gc.isenabled()
    with pytest.raises(ingest.ImportRejected):
        ingest.import_uploads([ingest.Upload("projects.csv", b"project_id,name\nP1,a\n")], db)
    assert gc.isenabled()


def test_two_files_import_into_a_database_that_does_not_exist_yet(tmp_path):
    # No database file: nothing saved to look up while reading, so the file is made only
    # when the import writes. Two files are read side by side, neither with a connection.
    path = tmp_path / "new" / "pmo.duckdb"
    book = workbook(
        projects=pd.DataFrame(
            {
                "project_id": ["P1", "P2"],
                "name": ["a", "b"],
                "status": ["Active"] * 2,
                "budget": [1.0, 2.0],
            }
        ),
        resources=pd.DataFrame({"resource_id": ["R1"], "name": ["Ann"]}),
    )
    sheets = b"resource_id,project_id,date,hours\nR1,P1,2025-03-03,2\nR1,P2,2025-03-04,3\n"
    result = ingest.import_uploads(
        [ingest.Upload("book.xlsx", book), ingest.Upload("timesheets.csv", sheets)], path
    )
    assert result.row_counts == {"projects": 2, "resources": 1, "timesheets": 2}
    with store.connect(path) as con:
        assert store.scalar(con, "select sum(hours) from timesheets") == 5.0  # 2 + 3
    assert ingest.history(path)["import_id"].tolist() == [1]


def test_the_largest_sheet_is_parsed_first_and_findings_keep_the_workbook_order(db):
    # "Notes A" (1 row) comes before "Notes B" (3,000 rows) and "projects" in the workbook:
    # calamine parses Notes B first (largest XML), yet the two "sheet skipped" warnings are
    # reported in the workbook's order and the projects still import.
    data = workbook(
        **{
            "Notes A": pd.DataFrame({"x": [1]}),
            "Notes B": pd.DataFrame({"x": list(range(3000))}),
            "projects": pd.DataFrame(
                {"project_id": ["P1"], "name": ["a"], "status": ["Active"], "budget": [1.0]}
            ),
        }
    )
    sizes = prefetch.xml_sizes(data)
    assert set(sizes) == {"Notes A", "Notes B", "projects"}
    assert sizes["Notes B"] > sizes["projects"] > 0
    assert prefetch.SheetsAhead(data).order[0] == "Notes B"
    assert prefetch.xml_sizes(b"not a zip") == {}
    result = ingest.import_uploads([ingest.Upload("book.xlsx", data)], db)
    skipped = [f.sheet for f in result.findings if "sheet skipped" in f.message]
    assert skipped == ["Notes A", "Notes B"]
    assert result.row_counts == {"projects": 1}


@pytest.mark.parametrize("n", [2, 25_000])
def test_totals_rows_are_found_in_the_first_filled_of_the_first_three_cells(db, n):
    # Below n project lines: "Total:" in the first cell, "Grand Total" in the second cell
    # under a blank first one, and a blank line; all three dropped, so n projects stored with
    # budgets 0..n-1 (sum n(n-1)/2). A large file reads each distinct first cell once.
    lines = [f"P{k},Project {k},Active,{k}" for k in range(n)]
    lines += ["Total:,,,999", ",Grand Total,,999", ",,,"]
    data = ("project_id,name,status,budget\n" + "\n".join(lines) + "\n").encode()
    result = ingest.import_uploads([ingest.Upload("projects.csv", data)], db)
    assert result.row_counts == {"projects": n}
    with store.connect(db) as con:
        assert store.scalar(con, "select sum(budget) from projects") == n * (n - 1) / 2


def test_a_plain_ascii_csv_is_read_as_the_decoded_file_would_be():
    # An ASCII file is sniffed from its head without decoding it all; the same file with
    # one accented name (decoded whole) must give the same headers, cells and row numbers.
    lines = ["Portfolio export", "", "Project ID,Name,Status,Budget"]
    lines += [f"P{k},Project {k},Active,{k}" for k in range(5000)]  # well over 64 KB
    ascii_text = "\n".join(lines) + "\n"
    accented = ascii_text.replace("Project 4999,", "Projet \u00e9t\u00e9,")
    known = {"projectid", "name", "status", "budget"}
    fast = readers.read_csv("p.csv", ascii_text.encode(), known)
    slow = readers.read_csv("p.csv", accented.encode("utf-8"), known)
    assert fast.headers == slow.headers == ["Project ID", "Name", "Status", "Budget"]
    assert fast.rows[:2].tolist() == slow.rows[:2].tolist() == [4, 5]  # header on line 3
    assert fast.frame.iloc[:-1].equals(slow.frame.iloc[:-1])
    assert (fast.frame.iloc[-1, 1], slow.frame.iloc[-1, 1]) == (
        "Project 4999",
        "Projet \u00e9t\u00e9",
    )
