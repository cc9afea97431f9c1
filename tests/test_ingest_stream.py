"""Timesheet CSVs staged in DuckDB (issue 20, pmo.ingest.stream) give what the pandas path
gives: the same findings (rows as the user sees them in the file) and the same stored rows.

Each case imports the same file twice from disk, into two copies of one database: once as
``python -m pmo import`` does now (staged), once with staging switched off (the pandas path,
the oracle), and checks that the staged path really ran, or really fell back.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pmo import ingest, store
from pmo.ingest import stream
from tests.conftest import load, table_rows

HEADER = "Resource ID,Project ID,Work Date,Hours\n"


@pytest.fixture
def people(db) -> Path:
    """R1, R2 and P1, P2 stored: the ids a timesheet may name."""
    load(
        db,
        projects=pd.DataFrame(
            {
                "project_id": ["P1", "P2"],
                "name": ["Alpha", "Beta"],
                "status": ["Active", "Active"],
                "budget": [100.0, 200.0],
            }
        ),
        resources=pd.DataFrame({"resource_id": ["R1", "R2"], "name": ["Ann", "Bo"]}),
    )
    return db


class Staging:
    """Records whether the staged path ran for each import, or fell back."""

    def __init__(self, monkeypatch):
        self.ran: list[str] = []
        real = stream.stage

        def stage(*args, **kwargs):
            try:
                out = real(*args, **kwargs)
            except stream.Fallback:
                self.ran.append("fallback")
                raise
            self.ran.append("staged")
            return out

        monkeypatch.setattr(stream, "stage", stage)


def both(tmp_path, people, monkeypatch, text: str, **options):
    """Import ``text`` as timesheets.csv staged and the pandas way: (staged, pandas, how the
    staged import ran), each ('ok' or 'rejected', findings as text, stored timesheets)."""
    folder = tmp_path / "files"
    folder.mkdir(exist_ok=True)
    path = folder / "timesheets.csv"
    path.write_bytes(text.encode())
    staging = Staging(monkeypatch)
    out = []
    for staged in (True, False):
        db = tmp_path / f"{staged}.duckdb"
        shutil.copy(people, db)
        with monkeypatch.context() as m:
            if not staged:
                m.setattr(stream, "deferred_upload", lambda *a, **k: None)
            try:
                result = ingest.import_paths([path], db, **options)
                got = ("ok", [str(f) for f in result.findings])
            except ingest.ImportRejected as exc:
                got = ("rejected", [str(f) for f in exc.findings])
        out.append((*got, table_rows(db, "timesheets")))
    return out[0], out[1], staging.ran


def test_a_clean_file_stores_the_same_rows_with_repeated_keys_summed(tmp_path, people, monkeypatch):
    text = HEADER + (
        "R1,P1,2026-01-05,2.5\n"
        "R1,P1,2026-01-05,1.5\n"  # the same key as row 2: summed into it
        "R2,P2,2026-01-06,7\n"
        "R1,P2,2026-01-05,0.5\n"
    )
    staged, pandas_, ran = both(tmp_path, people, monkeypatch, text)
    assert ran == ["staged"]
    assert staged == pandas_
    assert staged[0] == "ok"
    assert staged[1] == [
        "info: timesheets.csv, column resource_id/project_id/date: 2 lines share a key; "
        "summed into 1 fewer timesheets rows",
        "info: import: timesheets: 3 added, 0 changed, 0 unchanged",
    ]
    # 2.5 + 1.5 = 4.0 on R1/P1/5 Jan; the other two lines as they are.
    assert [(r[0], r[1], str(r[2])[:10], r[3]) for r in staged[2]] == [
        ("R1", "P1", "2026-01-05", 4.0),
        ("R1", "P2", "2026-01-05", 0.5),
        ("R2", "P2", "2026-01-06", 7.0),
    ]


def test_keys_written_differently_are_one_key(tmp_path, people, monkeypatch):
    # " R1 " is R1 once stripped; 2026-1-5 is 2026-01-05: rows 2, 3 and 4 are one booking,
    # 1 + 2 + 3 = 6 hours.
    text = (
        HEADER + "R1,P1,2026-01-05,1\n R1 ,P1,2026-01-05,2\nR1,P1,2026-1-5,3\nR2,P1,2026-01-05,4\n"
    )
    staged, pandas_, ran = both(tmp_path, people, monkeypatch, text)
    assert ran == ["staged"]
    assert staged == pandas_
    assert staged[1][0] == (
        "info: timesheets.csv, column resource_id/project_id/date: 3 lines share a key; "
        "summed into 2 fewer timesheets rows"
    )
    assert [(r[0], r[3]) for r in staged[2]] == [("R1", 6.0), ("R2", 4.0)]


def test_blank_keys_bad_cells_and_unknown_ids_are_the_same_findings(tmp_path, people, monkeypatch):
    text = HEADER + (
        "R1,P1,2026-01-05,2\n"  # row 2
        ",P1,2026-01-06,3\n"  # row 3: blank resource
        "  ,P1,2026-01-06,1\n"  # row 4: blank resource (spaces), the same key as row 3
        "R1,P1,2026-13-05,abc\n"  # row 5: no such month, not a number
        "R1,P1,n/a,4\n"  # row 6: not a date
        "R9,P1,2026-01-07,1\n"  # row 7: unknown resource
        "R1,P7,2026-01-07,\n"  # row 8: unknown project, blank hours
        ",,,\n"  # row 9: blank, dropped
        "Total,,,13\n"  # row 10: a totals row, dropped
    )
    staged, pandas_, ran = both(tmp_path, people, monkeypatch, text)
    assert ran == ["staged"]
    assert staged == pandas_
    assert staged[0] == "rejected" and staged[2] == []  # nothing written
    assert staged[1] == [
        "error: timesheets.csv, row 3, column Resource ID: a value is required for resource_id "
        "(fill the cells, or give one for every blank with --default resource_id=VALUE): "
        "2 rows (rows 3 and 4)",
        "error: timesheets.csv, row 5, column Work Date: cannot read as date: expected a date "
        "such as 2025-03-15, 03/15/2025, 15.03.2025 or July 25, 2022; correct the cell: 2 rows "
        "(rows 5 ('2026-13-05') and 6 ('n/a')) (found '2026-13-05')",
        "error: timesheets.csv, row 5, column Hours: cannot read as number: expected a number "
        "such as 1200000, $1,200,000 or 1.200.000,50 €; correct the cell (found 'abc')",
        "error: timesheets.csv, row 8, column Hours: a value is required for hours (fill the "
        "cells, or give one for every blank with --default hours=VALUE)",
        # rows 3 and 4 share a key (blank, P1, 6 Jan); rows 5 and 6 too (R1, P1, no date).
        "info: timesheets.csv, column resource_id/project_id/date: 4 lines share a key; "
        "summed into 2 fewer timesheets rows",
        "error: timesheets.csv, row 7, column resource_id: unknown resource: not in resources "
        "(upload or stored) (found 'R9')",
        "error: timesheets.csv, row 8, column project_id: unknown project: not in projects "
        "(upload or stored) (found 'P7')",
    ]


def test_rows_below_a_title_are_numbered_as_in_the_file(tmp_path, people, monkeypatch):
    text = "Timesheet export,,,\n" + HEADER + "R1,P1,2026-01-05,2\nR1,P1,2026-01-05,x\n"
    staged, pandas_, ran = both(tmp_path, people, monkeypatch, text)
    assert ran == ["staged"]
    assert staged == pandas_
    # The header is line 2, so the data lines are rows 3 and 4.
    assert staged[1][0].startswith("error: timesheets.csv, row 4, column Hours: cannot read")


@pytest.mark.parametrize(
    "text",
    [
        # A blank line: DuckDB would skip it and shift the rows after it.
        HEADER + "R1,P1,2026-01-05,2\n\nR1,P1,2026-01-06,x\n",
        # A decimal comma: the column's decimal mark is decided by counting rows.
        HEADER + 'R1,P1,2026-01-05,"2,5"\nR2,P1,2026-01-05,3\n',
        # A ragged row.
        HEADER + "R1,P1,2026-01-05,2,extra\nR2,P1,2026-01-05,3\n",
    ],
    ids=["blank line", "decimal comma", "ragged row"],
)
def test_what_staging_would_read_differently_goes_the_pandas_way(
    tmp_path, people, monkeypatch, text
):
    staged, pandas_, ran = both(tmp_path, people, monkeypatch, text)
    assert ran in (["fallback"], [])  # fell back at staging, or was never deferred
    assert staged == pandas_


def test_staged_import_records_the_file_and_undoes(tmp_path, people, monkeypatch):
    text = HEADER + "R1,P1,2026-01-05,2\nR2,P2,2026-01-05,3\n"
    path = tmp_path / "timesheets.csv"
    path.write_text(text)
    staging = Staging(monkeypatch)
    dry = ingest.import_paths([path], people, dry_run=True)
    assert dry.row_counts == {"timesheets": 2} and table_rows(people, "timesheets") == []
    result = ingest.import_paths([path], people)
    assert staging.ran == ["staged", "staged"]
    assert result.row_counts == {"timesheets": 2}
    assert list(result.preview["timesheets"]["row"]) == [2, 3]
    with store.connect(people) as con:
        files = con.execute(
            "select files from pmo_imports where import_id = $id", {"id": result.import_id}
        ).fetchall()[0][0]
    assert hashlib.sha256(text.encode()).hexdigest() in files
    assert len(table_rows(people, "timesheets")) == 2
    assert ingest.undo_last(people) == result.import_id
    assert table_rows(people, "timesheets") == []


def test_a_second_staged_import_replaces_and_undoes_as_the_pandas_path(
    tmp_path, people, monkeypatch
):
    first = tmp_path / "one" / "timesheets.csv"
    second = tmp_path / "two" / "timesheets.csv"
    for path, text in (
        (first, HEADER + "R1,P1,2026-01-05,2\nR1,P1,2026-01-06,1\n"),
        (second, HEADER + "R1,P1,2026-01-05,3\nR1,P1,2026-01-07,1\nR1,P1,2026-01-07,2\n"),
    ):
        path.parent.mkdir()
        path.write_text(text)
    staging = Staging(monkeypatch)
    got = []
    for staged in (True, False):
        db = tmp_path / f"{staged}.duckdb"
        shutil.copy(people, db)
        with monkeypatch.context() as m:
            if not staged:
                m.setattr(stream, "deferred_upload", lambda *a, **k: None)
            ingest.import_paths([first], db)
            result = ingest.import_paths([second], db)
            after = table_rows(db, "timesheets")
            ingest.undo_last(db)
        got.append(([str(f) for f in result.findings], after, table_rows(db, "timesheets")))
    assert staging.ran == ["staged", "staged"]
    assert got[0] == got[1]
    # 5 Jan 2 -> 3 hours (changed); 7 Jan 1 + 2 = 3 hours (added); 6 Jan kept (history).
    assert got[0][0][-1] == "info: import: timesheets: 1 added, 1 changed (hours 1), 0 unchanged"
    assert [(str(r[2])[:10], r[3]) for r in got[0][1]] == [
        ("2026-01-05", 3.0),
        ("2026-01-06", 1.0),
        ("2026-01-07", 3.0),
    ]
    # Undone: the first import's rows again.
    assert [(str(r[2])[:10], r[3]) for r in got[0][2]] == [("2026-01-05", 2.0), ("2026-01-06", 1.0)]
