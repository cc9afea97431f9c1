"""Imports at scale (issue 20): key checks on integer codes agree with the pandas groupby
they replaced; per-table size limits refuse a file before anything is parsed."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from pmo import schema
from pmo.ingest import model, parse, prefetch, validate
from pmo.ingest.model import MAX_LISTED, Finding, ImportRejected, Parsed, Upload

# ------------------------------------------------------------------ the old path, as the oracle


def old_check_keys(p: Parsed) -> tuple[Parsed, list[Finding]]:
    """check_keys as it was before issue 20 (pandas duplicated/groupby on the text keys)."""
    table = schema.TABLES[p.table]
    key = list(table.key)
    dup = p.frame.duplicated(subset=key, keep=False)
    if not dup.any():
        return p, []
    if table.sum_duplicates:
        agg = {c: "sum" for c in table.sum_duplicates}
        summed = p.frame.groupby(key, as_index=False, sort=False, dropna=False).agg(agg)
        firsts = (
            p.frame.reset_index().groupby(key, sort=False, dropna=False)["index"].first().to_numpy()
        )
        summed = summed[table.column_names]
        where = None if p.where is None else p.where.iloc[firsts].reset_index(drop=True)
        out = Parsed(
            p.table, summed, p.rows.iloc[firsts].reset_index(drop=True), p.file, p.sheet, where
        )
        return out, [
            Finding(
                "info",
                p.file,
                p.sheet,
                None,
                "/".join(key),
                None,
                f"{int(dup.sum())} lines share a key; summed into "
                f"{int(len(p.frame) - len(summed))} fewer {p.table} rows",
            )
        ]
    found = []
    groups = p.frame[dup].groupby(key, sort=False, dropna=False).groups
    for _, idx in list(groups.items())[:MAX_LISTED]:
        idx = list(idx)
        keyval = ", ".join(str(p.frame.at[idx[0], k]) for k in key)
        for i in idx[1:]:
            file, sheet = p.at(i)
            found.append(
                Finding(
                    "error",
                    file,
                    sheet,
                    int(p.rows[i]),
                    "/".join(key),
                    keyval,
                    f"duplicate key: already on row {int(p.rows[idx[0]])}",
                )
            )
    return p, found


def timesheets(rng, n: int, blanks: bool) -> pd.DataFrame:
    """Random timesheet lines over few people, projects and days, so keys repeat often."""
    frame = pd.DataFrame(
        {
            "resource_id": pd.array([f"R{x}" for x in rng.integers(0, 12, n)], dtype="string"),
            "project_id": pd.array([f"P{x}" for x in rng.integers(0, 8, n)], dtype="string"),
            "date": pd.to_datetime("2026-01-05")
            + pd.to_timedelta(rng.integers(0, 10, n), unit="D"),
            "hours": rng.choice([0.5, 1.0, 2.5, 7.25], n),
        }
    )
    if blanks:  # blank key values (a lenient import loads them as null)
        frame.loc[rng.random(n) < 0.06, "resource_id"] = pd.NA
        frame.loc[rng.random(n) < 0.04, "date"] = pd.NaT
    return frame


def stacked(frames: list[pd.DataFrame], table: str) -> Parsed:
    """Several files of one table stacked, as the importer combines them."""
    parsed = [
        Parsed(table, f, pd.Series(np.arange(len(f)) + 2), f"{table}-{i}.csv", None)
        for i, f in enumerate(frames)
    ]
    return parse.combine(parsed)[table]


def same(a: tuple[Parsed, list[Finding]], b: tuple[Parsed, list[Finding]]) -> None:
    (pa_, fa), (pb, fb) = a, b
    pd.testing.assert_frame_equal(
        pa_.frame.reset_index(drop=True),
        pb.frame.reset_index(drop=True),
        check_exact=False,
        rtol=1e-12,
    )
    assert pa_.rows.tolist() == pb.rows.tolist()
    assert (None if pa_.where is None else pa_.where.tolist()) == (
        None if pb.where is None else pb.where.tolist()
    )
    assert [str(f) for f in fa] == [str(f) for f in fb]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("blanks", [False, True], ids=["filled", "blank-keys"])
def test_repeated_timesheet_keys_are_summed_exactly_as_before(seed, blanks):
    rng = np.random.default_rng(seed)
    p = stacked([timesheets(rng, 700, blanks), timesheets(rng, 500, blanks)], "timesheets")
    same(old_check_keys(p), validate.check_keys(p))


def old_repeats(p: Parsed) -> list[tuple[int, str]]:
    """The rows that repeat an earlier row's key, by pandas on the text keys: (Excel row, the
    key as text), in file order. Rows with a blank key are not compared when the key is
    required (issue 14: their blank is an error of its own)."""
    key = list(schema.TABLES[p.table].key)
    frame = p.frame[key]
    considered = (
        ~frame.isna().any(axis=1)
        if schema.TABLES[p.table].key_required
        else (pd.Series(True, index=frame.index))
    )
    dup = frame[considered].duplicated(keep="first")
    return [
        (int(p.rows.iloc[i]), ", ".join(str(frame[k].iloc[i]) for k in key)) for i in dup[dup].index
    ]


@pytest.mark.parametrize("seed", range(4))
def test_conflicting_project_keys_are_the_same_rows_as_before(seed):
    rng = np.random.default_rng(seed)
    n = 400
    ids = pd.array([f"PRJ-{x}" for x in rng.integers(0, 300, n)], dtype="string")
    ids[rng.random(n) < 0.05] = pd.NA
    frame = pd.DataFrame(
        {c: pd.Series([None] * n, dtype=object) for c in schema.TABLES["projects"].column_names}
    )
    frame["project_id"] = ids
    frame["name"] = [f"Project {i}" for i in range(n)]
    p = stacked(
        [frame.iloc[:250].reset_index(drop=True), frame.iloc[250:].reset_index(drop=True)],
        "projects",
    )
    expected = old_repeats(p)
    _, (found,) = validate.check_keys(p)
    assert expected, "the random ids repeat"
    # One error for the table: the exact count, the first repeating row and its key, and the
    # first MAX_LISTED rows.
    assert (found.level, found.count, found.row) == ("error", len(expected), expected[0][0])
    assert found.rows == tuple(r for r, _ in expected[:MAX_LISTED])


def test_a_worked_example():
    # Rows 2-7 of timesheets.csv: R1/P1 on 5 Jan booked twice (2 + 1.5 = 3.5 h), R2/P1 on
    # 5 Jan once, R1/P1 on 6 Jan once, and two lines with a blank person on 7 Jan (1 + 4 = 5 h:
    # a blank equals a blank).
    frame = pd.DataFrame(
        {
            "resource_id": pd.array(["R1", "R2", "R1", "R1", None, None], dtype="string"),
            "project_id": pd.array(["P1", "P1", "P1", "P1", "P1", "P1"], dtype="string"),
            "date": pd.to_datetime(
                ["2026-01-05", "2026-01-05", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-07"]
            ),
            "hours": [2.0, 8.0, 1.5, 3.0, 1.0, 4.0],
        }
    )
    p = stacked([frame], "timesheets")
    out, found = validate.check_keys(p)
    assert list(out.frame.itertuples(index=False, name=None)) == [
        ("R1", "P1", pd.Timestamp("2026-01-05"), 3.5),
        ("R2", "P1", pd.Timestamp("2026-01-05"), 8.0),
        ("R1", "P1", pd.Timestamp("2026-01-06"), 3.0),
        (pd.NA, "P1", pd.Timestamp("2026-01-07"), 5.0),
    ]
    assert out.rows.tolist() == [2, 3, 5, 6]  # each key's first line
    # 4 lines share a key (rows 2, 4, 6, 7); 6 lines became 4.
    assert [f.message for f in found] == [
        "4 lines share a key; summed into 2 fewer timesheets rows"
    ]
    # The reference check reuses the distinct values the key check found.
    assert sorted(out.distinct["project_id"].tolist()) == ["P1"]


def test_references_use_the_distinct_values_of_the_key_check(db):
    from pmo import store

    frame = pd.DataFrame(
        {
            "resource_id": pd.array(["R1", "R9"], dtype="string"),
            "project_id": pd.array(["P1", "P1"], dtype="string"),
            "date": pd.to_datetime(["2026-01-05", "2026-01-05"]),
            "hours": [2.0, 1.0],
        }
    )
    p, _ = validate.check_keys(stacked([frame], "timesheets"))
    people = Parsed(
        "resources",
        pd.DataFrame({"resource_id": pd.array(["R1"], dtype="string")}),
        pd.Series([2]),
        "resources.csv",
        None,
    )
    projects = Parsed(
        "projects",
        pd.DataFrame({"project_id": pd.array(["P1"], dtype="string")}),
        pd.Series([2]),
        "projects.csv",
        None,
    )
    with store.connect(db) as con:
        found = validate.check_references(
            con, {"timesheets": p, "resources": people, "projects": projects}
        )
    # R9 is on row 3 of the timesheets and in no resources list.
    assert [(f.row, f.column, f.value) for f in found] == [(3, "resource_id", "R9")]


# ------------------------------------------------------------------ size limits per table

TEN_MILLION_ROWS = 10_000_000 * 56  # bytes: 56 a line is a long one (ids of 20 characters)


def sparse(path, size: int):
    """A file of ``size`` bytes that takes no disk (and must never be read)."""
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


def test_a_ten_million_row_timesheet_file_passes_the_size_check(tmp_path, monkeypatch):
    big = sparse(tmp_path / "timesheets.csv", TEN_MILLION_ROWS)
    assert os.stat(big).st_blocks == 0  # sparse: nothing written
    assert model.size_refusal(big) is None
    assert model.max_bytes("timesheets.csv") == prefetch.TABLE_MAX_BYTES["timesheets"]
    # A CSV whose name does not say the table, with --table timesheets, may be as large.
    other = sparse(tmp_path / "export.csv", TEN_MILLION_ROWS)
    assert model.size_refusal(other, table="timesheets") is None
    assert model.size_refusal(other) is not None


def test_files_over_their_limit_are_refused_before_anything_is_read(tmp_path, monkeypatch):
    from pmo.ingest import run

    workbook = sparse(tmp_path / "portfolio.xlsx", 1000)
    projects = sparse(tmp_path / "projects.csv", 300 * 1024 * 1024)
    sheets = sparse(tmp_path / "timesheets.csv", prefetch.TABLE_MAX_BYTES["timesheets"] + 1)
    monkeypatch.setattr(model.Path, "read_bytes", lambda self: pytest.fail(f"{self.name} was read"))
    with pytest.raises(ImportRejected) as rejected:
        run.import_paths([workbook, projects, sheets], tmp_path / "x.duckdb")
    assert [str(f) for f in rejected.value.findings] == [
        "error: projects.csv: the file is 314.6 MB; the limit for projects is 209.7 MB",
        "error: timesheets.csv: the file is 1073.7 MB; the limit for timesheets is 1073.7 MB",
    ]
    assert not (tmp_path / "x.duckdb").exists()


def test_the_command_line_starts_no_workbook_parse_when_a_file_is_too_big(tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(prefetch, "SheetsAhead", lambda data: started.append(data))
    workbook = tmp_path / "portfolio.xlsx"
    workbook.write_bytes(b"PK not really a workbook")
    too_big = sparse(tmp_path / "projects.csv", 300 * 1024 * 1024)
    prefetch.start([str(workbook), str(too_big)])
    assert started == []
    prefetch.start([str(workbook)])
    assert started == [b"PK not really a workbook"]
    prefetch._started.clear()


def test_upload_refuses_by_the_limit_of_the_table_its_name_says():
    upload = Upload("timesheets.csv", b"x")
    assert model.max_bytes(upload.name) > model.MAX_FILE_BYTES
    assert model.max_bytes("projects.csv") == model.MAX_FILE_BYTES
    # A workbook may hold any table: the general limit.
    assert model.max_bytes("timesheets.xlsx") == model.MAX_FILE_BYTES
