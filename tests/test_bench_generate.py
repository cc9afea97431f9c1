"""The benchmark's portfolio generator, at a smoke size (scale 0.01 = 50 projects)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from pmo import ingest, schema, store
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402  (bench/ is scripts, not a package)

SCALE = 0.01


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return generate.generate(tmp_path_factory.mktemp("bench"), SCALE)


@pytest.fixture(scope="module")
def imported(files, tmp_path_factory):
    db = tmp_path_factory.mktemp("benchdb") / "bench.duckdb"
    result = ingest.import_paths([files["workbook"], files["timesheets"]], db)
    return db, result


def test_smoke_sizes_are_the_full_sizes_scaled_down(files):
    counts = files["counts"]
    # 5,000 projects, 2,000 people, 100,000 allocation rows x 0.01; objectives stay 12.
    assert counts["projects"] == 50
    assert counts["resources"] == 20
    assert counts["objectives"] == 12
    assert counts["allocations"] == 1_000
    # Ten booked days per allocation row: 1,000 x 10 = 10,000 bookings, of which 0.1 % (10)
    # are split in two rows with the same key: 10,010 rows written, 10,000 keys stored.
    assert counts["timesheets"] == 10_010
    assert files["stored"]["timesheets"] == 10_000
    assert {t: n for t, n in files["stored"].items() if t != "timesheets"} == {
        t: n for t, n in counts.items() if t != "timesheets"
    }
    # ~3 objectives per project (0-6, mean 3) and ~16 reports per reporting project (80 %).
    assert 100 <= counts["alignment"] <= 200
    assert 400 <= counts["status_reports"] <= 800


def test_the_same_seed_gives_the_same_portfolio():
    a, b = generate.build(SCALE), generate.build(SCALE)
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table])
    c = generate.build(SCALE, seed=1)
    assert not c["projects"]["budget"].equals(a["projects"]["budget"])


def test_the_importer_accepts_every_row(files, imported):
    db, result = imported
    assert result.import_id == 1
    assert result.row_counts == files["stored"]
    # The only findings are warnings about blanks the generator leaves on purpose (1 % of
    # budgets; optional columns such as actual finish, PV, EV): no errors, no unknown columns.
    # And one note that the split bookings were summed, beside the import's summary notes
    # ("TABLE: N added, …", issue 14).
    notes = [f for f in result.findings if f.level == "info"]
    summed = [f for f in notes if "share a key" in f.message]
    assert [f.message for f in summed] == [
        "20 lines share a key; summed into 10 fewer timesheets rows"
    ]
    assert all(" added, " in f.message for f in notes if f not in summed)
    assert all(
        f.level == "warning" and "blank" in f.message for f in result.findings if f not in notes
    )
    assert any(f.message == "blank budget loaded as null" for f in result.findings)
    with store.connect(db) as con:
        for table, n in files["stored"].items():
            assert store.scalar(con, f"select count(*) from {table}") == n  # noqa: S608
        # Every hour written is stored: the split bookings are summed, not dropped.
        written = pd.read_csv(files["timesheets"])["Hours"].sum()
        assert store.scalar(con, "select sum(hours) from timesheets") == pytest.approx(written)


def test_every_reference_points_at_a_stored_row(imported):
    db, _ = imported
    with store.connect(db) as con:
        for table in schema.TABLES.values():
            for column, parent, parent_col in table.references:
                orphans = store.scalar(
                    con,
                    f"select count(*) from {table.name} as c anti join {parent} as p "  # noqa: S608
                    f"on c.{column} = p.{parent_col}",
                )
                assert orphans == 0, (table.name, column)
        # Milestones and benefits name projects too.
        for child in ("milestones", "benefits"):
            assert (
                store.scalar(
                    con,
                    f"select count(*) from {child} as c anti join projects as p using (project_id)",  # noqa: S608
                )
                == 0
            )


def test_keys_are_unique_except_the_split_timesheet_bookings():
    frames = generate.build(SCALE)
    for name, frame in frames.items():
        key = list(schema.TABLES[name].key)
        if name == "timesheets":
            # 10 bookings split in two: 10 repeated keys, each exactly twice, the second
            # line right after the first.
            repeated = frame.duplicated(subset=key)
            assert repeated.sum() == 10
            at = np.flatnonzero(repeated.to_numpy())
            assert (frame.iloc[at - 1][key].to_numpy() == frame.iloc[at][key].to_numpy()).all()
            assert frame[frame.duplicated(subset=key, keep=False)].groupby(key).size().eq(2).all()
        else:
            assert not frame.duplicated(subset=key).any(), name
    # Timesheets stay within their allocation's month.
    ts = frames["timesheets"]
    assert (ts["hours"] > 0).all()
    month = pd.to_datetime(ts["date"]).dt.to_period("M").dt.start_time
    alloc = frames["allocations"].set_index(["resource_id", "project_id", "month"]).index
    assert pd.MultiIndex.from_arrays([ts.resource_id, ts.project_id, month]).isin(alloc).all()


def test_status_reports_tell_a_plausible_story(imported):
    db, _ = imported
    with store.connect(db) as con:
        # Every in-flight project reports up to the as-of month, except stale On Hold ones.
        latest = store.scalar(con, "select max(report_date) from status_reports")
        assert str(latest) == "2026-10-31"
        # Proposed and Approved projects have no reports (they have not started).
        assert (
            store.scalar(
                con,
                "select count(*) from status_reports join projects using (project_id) "
                "where status in ('Proposed', 'Approved')",
            )
            == 0
        )
        # Percent complete is a percentage.
        assert (
            store.scalar(
                con,
                "select count(*) from status_reports where percent_complete not between 0 and 100",
            )
            == 0
        )
