"""Reliability (issue 10): imports killed mid-way lose nothing; imports and readers share the file.

Real processes: `python -m pmo import` in a subprocess, killed with SIGKILL at several points,
then the database must open and hold exactly what it held before (or, if the kill came after
the commit, exactly what a finished import leaves: never anything in between).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from pmo import ingest, store
from tests.conftest import ROOT

PMO = [sys.executable, "-m", "pmo"]


def fingerprint(db: Path) -> dict[str, tuple]:
    """Every table's row count and an order-free checksum of its rows."""
    with store.connect(db) as con:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main' "
                "order by table_name"
            ).fetchall()
        ]
        out = {}
        for t in tables:
            # The import log's time stamp differs from run to run: everything else must not.
            cols = "* exclude (imported_at)" if t == "pmo_imports" else "*"
            out[t] = tuple(
                con.execute(
                    f'select count(*), sum(hash(s)::hugeint) from (select {cols} from "{t}") as s'  # noqa: S608
                ).fetchall()[0]
            )
        return out


def big_timesheets(db: Path, path: Path, rows: int) -> Path:
    """A timesheets CSV of ``rows`` distinct lines over the database's resources and projects."""
    with store.connect(db) as con:
        res = np.array(
            [r[0] for r in con.execute("select resource_id from resources order by 1").fetchall()]
        )
        prj = np.array(
            [r[0] for r in con.execute("select project_id from projects order by 1").fetchall()]
        )
    i = np.arange(rows)
    # One line per resource per day, from 1990 so no demo timesheet (2025-2026) is touched.
    days = pd.date_range("1990-01-01", periods=rows // len(res) + 1, freq="D")
    pd.DataFrame(
        {
            "resource_id": res[i % len(res)],
            "project_id": prj[(i // 7) % len(prj)],
            "date": days[i // len(res)].strftime("%Y-%m-%d"),
            "hours": (i % 8) + 0.5,
        }
    ).to_csv(path, index=False)
    return path


def start_import(db: Path, *files: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*PMO, "import", *map(str, files), "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# ------------------------------------------------------------------------------ crash safety


@pytest.mark.slow
def test_an_import_killed_at_any_point_leaves_the_database_as_it_was(demo_db, tmp_path):
    csv = big_timesheets(demo_db, tmp_path / "timesheets.csv", 120_000)
    before = fingerprint(demo_db)

    # The reference: the same import run to the end.
    done = tmp_path / "done.duckdb"
    shutil.copy(demo_db, done)
    finished = start_import(done, csv)
    out, err = finished.communicate(timeout=600)
    assert finished.returncode == 0, err
    after = fingerprint(done)
    # 7,050 demo timesheet rows + 120,000 new ones.
    assert after["timesheets"][0] == 7_050 + 120_000
    assert before["timesheets"][0] == 7_050

    # Kill points: while Python starts, while the file is read and parsed, as soon as the
    # database file starts to change (the write transaction), and shortly after that.
    kills = [
        ("starting", 0.3, None),
        ("parsing", 1.5, None),
        ("first write", None, 0.0),
        ("writing", None, 0.15),
        ("writing later", None, 0.6),
    ]
    outcomes = {}
    for label, after_start, after_write in kills:
        db = tmp_path / f"kill-{len(outcomes)}.duckdb"
        shutil.copy(demo_db, db)
        version = store.data_version(db)
        proc = start_import(db, csv)
        t0 = time.monotonic()
        killed = False
        while proc.poll() is None:
            if after_start is not None and time.monotonic() - t0 >= after_start:
                break
            if after_write is not None and store.data_version(db) != version:
                time.sleep(after_write)
                break
            time.sleep(0.005)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed = True
        proc.communicate(timeout=60)
        state = fingerprint(db)  # the database opens
        differ = {t for t in state if state[t] != before.get(t) and state[t] != after.get(t)}
        assert state in (before, after), f"{label}: neither before nor after the import: {differ}"
        outcomes[label] = (killed, "before" if state == before else "after")

    # Kills that landed mid-import left the database exactly as before. Time-based kill
    # points may come after a fast import has finished (then "after" is right too); the
    # start and the first write of the transaction are always mid-import.
    mid_way = [k for k, (killed, state) in outcomes.items() if killed and state == "before"]
    assert len(mid_way) >= 2, outcomes
    assert outcomes["starting"] == (True, "before"), outcomes
    assert outcomes["first write"] == (True, "before"), outcomes


def test_a_failing_write_rolls_back_everything(demo_db, monkeypatch):
    # The write fails on the last table of the upload: the earlier tables are rolled back too.
    before = fingerprint(demo_db)
    real = ingest.write.write_table

    def fail_on_status_reports(con, import_id, p, complete):
        if p.table == "status_reports":
            raise duckdb.IOException("disk full (simulated)")
        return real(con, import_id, p, complete)

    monkeypatch.setattr(ingest.write, "write_table", fail_on_status_reports)
    projects = pd.DataFrame(
        {"project_id": ["NEW-1"], "name": ["New"], "status": ["Active"], "budget": [1]}
    )
    reports = pd.DataFrame(
        {"project_id": ["NEW-1"], "report_date": ["2026-10-31"], "actual_cost": [1]}
    )
    from tests.conftest import load

    with pytest.raises(duckdb.IOException):
        load(demo_db, projects=projects, status_reports=reports)
    assert fingerprint(demo_db) == before


# ------------------------------------------------------------------------------ concurrency


def test_a_reader_waits_for_a_writer_in_another_process(db, tmp_path):
    # Another process holds the file open for writing for a moment; store.connect retries
    # on the lock error instead of failing, and succeeds once the file is released.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
            "time.sleep(1.5); c.close()",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(duckdb.IOException, match="lock"), store.connect(db, wait=0):
        pass
    with store.connect(db, wait=30) as con:
        assert store.scalar(con, "select count(*) from projects") == 0
    holder.wait(30)


def small_projects_csv(path: Path, prefix: str, n: int) -> Path:
    pd.DataFrame(
        {
            "project_id": [f"{prefix}-{i}" for i in range(n)],
            "name": [f"{prefix} project {i}" for i in range(n)],
            "status": "Active",
            "budget": 1000.0,
        }
    ).to_csv(path, index=False)
    return path


def test_a_cli_import_succeeds_while_the_app_reads(demo_db, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    csv = small_projects_csv(tmp_path / "projects.csv", "LOCKTEST", 5)
    monkeypatch.setenv("PMO_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert any("55 projects" in c.value for c in at.sidebar.caption)

    # Readers hammer the file the way the app does (open, query, close) while the CLI imports.
    stop = threading.Event()
    errors: list[BaseException] = []
    reads = [0]

    def reader():
        while not stop.is_set():
            try:
                with store.connect(demo_db) as con:
                    store.scalar(con, "select count(*) from projects")
                reads[0] += 1
            except BaseException as exc:  # noqa: BLE001 - any failure fails the test
                errors.append(exc)
                return

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    proc = start_import(demo_db, csv)
    runs = 0
    while proc.poll() is None:
        at.run()
        runs += 1
        assert not at.exception, at.exception
    stop.set()
    for t in threads:
        t.join(60)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert not errors, errors
    assert reads[0] > 0
    # The next rerun shows the new data: 55 demo projects + 5.
    at.run()
    assert any("60 projects" in c.value for c in at.sidebar.caption)


def test_two_imports_at_once_are_serialised(demo_db, tmp_path):
    before = fingerprint(demo_db)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = small_projects_csv(tmp_path / "a" / "projects.csv", "A", 300)
    b = small_projects_csv(tmp_path / "b" / "projects.csv", "B", 300)
    procs = [start_import(demo_db, a), start_import(demo_db, b)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    history = ingest.history(demo_db)
    # Import 1 is the demo; the two imports got 2 and 3, one after the other.
    assert sorted(history["import_id"]) == [1, 2, 3]
    with store.connect(demo_db) as con:
        assert store.scalar(con, "select count(*) from projects") == 55 + 300 + 300
        per_import = dict(
            con.execute(
                "select import_id, count(*) from pmo_touched_projects where import_id > 1 group by 1"
            ).fetchall()
        )
    # Each import recorded exactly its own 300 rows: nothing of one landed in the other.
    assert per_import == {2: 300, 3: 300}
    # Undo both: back exactly to the demo.
    assert ingest.undo_last(demo_db) == 3
    assert ingest.undo_last(demo_db) == 2
    after_undo = fingerprint(demo_db)
    for table in ("projects", "timesheets", "status_reports"):
        assert after_undo[table] == before[table]
