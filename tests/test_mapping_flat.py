"""A flat export's status-report mapping is saved with --save-mapping and reused (issue 14).

A projects sheet whose status columns also write status_reports (rating, % complete, actual
cost, forecast finish, comment, report date) is mapped in two parts: the projects' columns and
the status reports'. Both are saved under the mapping's name, and next month's file, imported
with only --mapping NAME (or found by its headers), writes its status reports as before.
"""

import datetime as dt

from pmo import cli, ingest, store

D = dt.date

HEADERS = "Ref;Title;Dept;WLC (£m);DCA;DCA old;Done;Spent (£m);Finish fcst;Notes;Reported\n"
APRIL = HEADERS + (
    "X1;Bridge;Roads;120;Amber/Green;;40%;1.5;2027-03-31;On track;2026-04-30\n"
    "X2;Tunnel;Roads;310.5;;Red;25%;2.25;2028-06-30;Delayed;2026-04-30\n"
    "X3;Depot;Rail;40;Exempt under FOI;;;;;Not given;2026-04-30\n"
)
MAY = HEADERS + (
    "X1;Bridge;Roads;125;Amber;;45%;1.75;2027-04-30;Slipping;2026-05-31\n"
    "X2;Tunnel;Roads;310.5;Amber/Red;;30%;2.5;2028-06-30;Better;2026-05-31\n"
    "X3;Depot;Rail;40;;Green;5%;0.1;2029-01-31;Started;2026-05-31\n"
)
MAPPING = [
    *("--map", "Ref=project_id"),
    *("--map", "Title=name"),
    *("--map", "Dept=business_unit"),
    *("--map", "WLC (£m)=budget"),
    *("--map", "DCA|DCA old=rating"),
    *("--map", "Done=percent_complete"),
    *("--map", "Spent (£m)=actual_cost"),
    *("--map", "Finish fcst=forecast_end_date"),
    *("--map", "Notes=comment"),
    *("--map", "Reported=report_date"),
    *("--default", "status=Active"),
]
REPORTS = (
    "select project_id, report_date, rating, rag_overall, percent_complete, actual_cost, "
    "forecast_end_date, comment from status_reports order by report_date, project_id"
)
# April's reports: X1 Amber/Green (the default scale counts it Amber), X2 Red from the second
# rating column (the first is blank), X3's FOI text blank with --lenient; "(£m)" in the header
# scales the costs: 1.5 -> 1,500,000, 2.25 -> 2,250,000.
APRIL_ROWS = [
    ("X1", D(2026, 4, 30), "Amber/Green", "Amber", 40.0, 1_500_000.0, D(2027, 3, 31), "On track"),
    ("X2", D(2026, 4, 30), "Red", "Red", 25.0, 2_250_000.0, D(2028, 6, 30), "Delayed"),
    ("X3", D(2026, 4, 30), None, None, None, None, None, "Not given"),
]
# May's: Amber; Amber/Red (counts Red); Green from the second rating column (the saved
# "DCA|DCA old" still takes the first non-blank); costs 1.75, 2.5, 0.1 in £m.
MAY_ROWS = [
    ("X1", D(2026, 5, 31), "Amber", "Amber", 45.0, 1_750_000.0, D(2027, 4, 30), "Slipping"),
    ("X2", D(2026, 5, 31), "Amber/Red", "Red", 30.0, 2_500_000.0, D(2028, 6, 30), "Better"),
    ("X3", D(2026, 5, 31), "Green", "Green", 5.0, 100_000.0, D(2029, 1, 31), "Started"),
]


def rows(db, sql):
    with store.connect(db) as con:
        return con.execute(sql).fetchall()


def run(capsys, *args):
    code = cli.main(["import", *map(str, args)])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def april(db, tmp_path, capsys):
    f = tmp_path / "portfolio-april.csv"
    f.write_text(APRIL, encoding="utf-8")
    out = run(capsys, f"{f}:projects", "--db", db, "--lenient", *MAPPING, "--save-mapping", "gmpp")
    assert "projects 3, status_reports 3" in out
    assert rows(db, REPORTS) == APRIL_ROWS


def test_the_status_report_part_is_saved_with_the_mapping(db, tmp_path, capsys):
    april(db, tmp_path, capsys)
    with store.connect(db) as con:
        saved = ingest.mapping.by_name(con, "gmpp")
    assert sorted(saved) == ["projects", "status_reports"]
    # The project comes from the projects part: the report part maps the status columns only
    # (and no report_date constant: April's date came from the Reported column).
    assert saved["status_reports"].columns == {
        "rating": "DCA|DCA old",
        "percent_complete": "Done",
        "actual_cost": "Spent (£m)",
        "forecast_end_date": "Finish fcst",
        "comment": "Notes",
        "report_date": "Reported",
    }
    assert saved["status_reports"].constants == {}
    assert saved["projects"].constants == {"status": "Active"}


def test_next_month_with_only_the_saved_mapping_writes_the_reports(db, tmp_path, capsys):
    april(db, tmp_path, capsys)
    g = tmp_path / "portfolio-may.csv"
    g.write_text(MAY, encoding="utf-8")
    out = run(capsys, f"{g}:projects", "--db", db, "--mapping", "gmpp")
    assert "projects 3, status_reports 3" in out
    assert rows(db, REPORTS) == APRIL_ROWS + MAY_ROWS
    assert rows(db, "select project_id, name, business_unit, status from projects") == [
        ("X1", "Bridge", "Roads", "Active"),
        ("X2", "Tunnel", "Roads", "Active"),
        ("X3", "Depot", "Rail", "Active"),
    ]


def test_next_month_found_by_its_headers_writes_the_reports(db, tmp_path, capsys):
    april(db, tmp_path, capsys)
    g = tmp_path / "portfolio-may.csv"
    g.write_text(MAY, encoding="utf-8")
    # No --mapping: the saved mapping is the one for these headers.
    out = run(capsys, f"{g}:projects", "--db", db)
    assert "projects 3, status_reports 3" in out
    assert rows(db, REPORTS) == APRIL_ROWS + MAY_ROWS


def test_a_report_date_from_the_as_of_is_not_saved_as_a_constant(db, tmp_path, capsys):
    # Without a report date column, April's reports are dated by --as-of; that date must not
    # come back next month as a saved constant (it would date May's reports 30 April).
    args = []
    for flag, value in zip(MAPPING[::2], MAPPING[1::2], strict=True):
        if value != "Reported=report_date":
            args += [flag, value]
    f = tmp_path / "april.csv"
    f.write_text(APRIL, encoding="utf-8")
    run(
        capsys,
        f"{f}:projects",
        "--db",
        db,
        "--lenient",
        "--as-of",
        "2026-04-30",
        *args,
        "--save-mapping",
        "gmpp",
        "--ignore",
        "Reported",
    )
    with store.connect(db) as con:
        saved = ingest.mapping.by_name(con, "gmpp")
    assert "report_date" not in saved["status_reports"].columns
    assert saved["status_reports"].constants == {}
    g = tmp_path / "may.csv"
    g.write_text(MAY, encoding="utf-8")
    run(
        capsys,
        f"{g}:projects",
        "--db",
        db,
        "--as-of",
        "2026-05-31",
        "--mapping",
        "gmpp",
        "--ignore",
        "Reported",
    )
    # May's three reports dated by May's as-of: 3 in April + 3 in May.
    assert rows(db, "select report_date, count(*) from status_reports group by 1 order by 1") == [
        (D(2026, 4, 30), 3),
        (D(2026, 5, 31), 3),
    ]
