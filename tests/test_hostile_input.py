"""Hostile input (issue 10): mangled files are accepted or cleanly rejected, never a crash.

The importer's only way to say no is ImportRejected (the CLI: exit 1 and a message); any
other exception escaping it is a bug this fuzz test looks for. Files over the size limit are
refused from their size alone, before being read.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pmo import ingest, store
from tests.conftest import ROOT, workbook

PROJECTS_CSV = (
    b"Project ID,Project Name,Portfolio,Status,Start,Finish,Budget ($),Risk\n"
    b'P1,Alpha,Digital,Active,2025-01-15,03/31/2026,"$1,200,000",3\n'
    b"P2,Beta;Gamma,Ops,In Progress,15.02.2025,2026-06-30,450000,2\n"
    b'P3,"Delta, ""quoted""",Ops,Done,2024-01-01,2024-12-31,950000,5\n'
)
REPORTS_CSV = (
    "project_id;report_date;% complete;actual_cost;rag\n"
    "P1;2026-09-30;45%;500000;G\n"
    "P2;2026-09-30;10;50000,50;Amber\n"
).encode("utf-8-sig")
WORKBOOK = workbook(
    projects=pd.DataFrame(
        {
            "project_id": ["P1", "P2"],
            "name": ["Alpha", "Beta"],
            "status": ["Active", "Proposed"],
            "budget": [1000.0, 2000.0],
            "start_date": pd.to_datetime(["2025-01-01", "2025-02-01"]),
        }
    ),
    status_reports=pd.DataFrame(
        {
            "project_id": ["P1"],
            "report_date": pd.to_datetime(["2026-09-30"]),
            "actual_cost": [10.0],
        }
    ),
)
FIXTURES = [
    ("projects.csv", PROJECTS_CSV),
    ("status_reports.csv", REPORTS_CSV),
    ("upload.xlsx", WORKBOOK),
]


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb"
    with store.connect(path, write=True):
        pass
    return path


def import_or_reject(db: Path, name: str, data: bytes) -> str:
    """'accepted' or 'rejected'; any other exception propagates and fails the test."""
    try:
        ingest.import_uploads([ingest.Upload(name, data)], db)
    except ingest.ImportRejected as rejected:
        errors = [f for f in rejected.findings if f.level == "error"]
        assert errors, "a rejection names at least one error"
        assert all(f.file == name or name in f.file for f in errors), errors
        assert all(f.message for f in errors)
        return "rejected"
    return "accepted"


@st.composite
def mangled(draw):
    """A fixture file damaged the way files get damaged: cut, bit-flipped, spliced, re-encoded."""
    name, data = draw(st.sampled_from(FIXTURES))
    how = draw(
        st.sampled_from(["truncate", "flip", "splice", "binary", "quote", "encoding", "rename"])
    )
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "flip":
        buf = bytearray(data)
        for _ in range(draw(st.integers(1, 12))):
            i = draw(st.integers(0, len(buf) - 1))
            buf[i] ^= 1 << draw(st.integers(0, 7))
        data = bytes(buf)
    elif how == "splice":
        i = draw(st.integers(0, len(data)))
        data = data[:i] + draw(st.binary(min_size=1, max_size=64)) + data[i:]
    elif how == "binary":
        data = draw(st.binary(min_size=0, max_size=2048))
    elif how == "quote":
        # An unclosed quote somewhere, or a stray one in a header.
        i = draw(st.integers(0, len(data)))
        data = data[:i] + b'"' + data[i:]
    elif how == "encoding":
        text = data.decode("utf-8", errors="replace")
        codec = draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "latin-1", "utf-32"]))
        data = text.encode(codec, errors="replace")
    elif how == "rename":
        # A file that is not what its name says.
        name = {
            "projects.csv": "projects.xlsx",
            "status_reports.csv": "status_reports.xlsx",
            "upload.xlsx": "projects.csv",
        }[name]
    return name, data


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mangled())
def test_a_mangled_file_is_accepted_or_cleanly_rejected(fuzz_db, case):
    name, data = case
    assert import_or_reject(fuzz_db, name, data) in ("accepted", "rejected")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.text(max_size=12), min_size=1, max_size=5),
    st.lists(st.lists(st.text(max_size=20), min_size=0, max_size=6), max_size=8),
)
def test_any_grid_of_text_in_a_projects_csv(fuzz_db, headers, rows):
    lines = [",".join(headers)] + [",".join(r) for r in rows]
    data = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    assert import_or_reject(fuzz_db, "projects.csv", data) in ("accepted", "rejected")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.sampled_from(["budget", "start_date", "status", "risk_score", "name"]),
    st.one_of(
        st.text(max_size=30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(-(10**20), 10**20),
        st.datetimes(),
        st.booleans(),
        st.none(),
    ),
)
def test_any_cell_value_in_a_workbook(fuzz_db, column, value):
    frame = pd.DataFrame(
        {"project_id": ["Z1"], "name": ["Zed"], "status": ["Active"], "budget": [1.0]}
    )
    frame[column] = pd.Series([value], dtype=object)
    assert import_or_reject(fuzz_db, "cells.xlsx", workbook(projects=frame)) in (
        "accepted",
        "rejected",
    )


def test_the_fixtures_themselves_import(tmp_path):
    db = tmp_path / "ok.duckdb"
    for name, data in FIXTURES:
        assert import_or_reject(db, name, data) == "accepted", name


def cli_import(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pmo", "import", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("projects.csv", PROJECTS_CSV[:57]),  # cut inside a quoted value
        (
            "projects.csv",
            b'Project ID,Name,Status,Budget\n"P1,Alpha,Active,100\n',
        ),  # unclosed quote
        ("projects.xlsx", PROJECTS_CSV),  # not what its name says
        ("projects.csv", bytes(range(256)) * 8),  # binary
        ("upload.xlsx", WORKBOOK[: len(WORKBOOK) // 2]),  # truncated zip
        ("projects.csv", b""),  # empty
    ],
    ids=["cut", "unclosed-quote", "wrong-type", "binary", "truncated-xlsx", "empty"],
)
def test_the_cli_rejects_bad_files_with_a_message_and_exit_1(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    proc = cli_import(str(path), "--db", str(tmp_path / "cli.duckdb"))
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    if proc.returncode == 1:
        assert name in proc.stderr and "nothing was written" in proc.stderr


def test_an_oversize_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest.model, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "projects.csv"
    big.write_bytes(PROJECTS_CSV * 10)  # 2,000+ bytes > the 1,000 limit

    def no_reading(*_a, **_k):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(ingest.ImportRejected) as rejected:
        ingest.import_paths([big], tmp_path / "x.duckdb")
    assert "limit" in str(rejected.value) and "projects.csv" in str(rejected.value)


def test_the_cli_refuses_a_file_over_200_mb_from_its_size(tmp_path):
    # A sparse file: 200 MB + 1 byte long, no disk used; reading it would take the test's time.
    huge = tmp_path / "projects.csv"
    with huge.open("wb") as f:
        f.truncate(ingest.model.MAX_FILE_BYTES + 1)
    proc = cli_import(str(huge), "--db", str(tmp_path / "x.duckdb"))
    assert proc.returncode == 1
    assert "limit" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.duckdb").exists() or ingest.history(tmp_path / "x.duckdb").empty


def test_an_oversize_upload_is_refused_without_parsing(monkeypatch, tmp_path):
    monkeypatch.setattr(ingest.model, "MAX_FILE_BYTES", 100)
    with pytest.raises(ingest.ImportRejected, match="limit"):
        ingest.import_uploads([ingest.Upload("projects.csv", PROJECTS_CSV)], tmp_path / "x.duckdb")


def test_a_cell_with_line_breaks_is_quoted_on_one_line():
    # GMPP 2023's "Early planning GMPP project\n\n(The project has not yet passed SOC ...)"
    # in a budget column: the warning quotes it as one line (39 characters and …), no "\n\n".
    from pmo.ingest.model import Finding, rows_text

    cell = "Early planning GMPP project \n\n(The project has not yet passed SOC)"
    assert rows_text([21, 27], 2, [cell, "n/a"]) == (
        "rows 21 ('Early planning GMPP project (The projec…') and 27 ('n/a')"
    )
    f = Finding("warning", "uk_2023.csv", None, 21, "budget", cell, "cannot read as number")
    assert "(found 'Early planning GMPP project (The project has not yet passed SOC)')" in str(f)
    assert "\\n" not in str(f)
