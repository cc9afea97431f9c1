"""The monthly cycle's import rules (issue 14): findings in one pass, ratings and their scale,
value maps, money units and currency, flat exports, snapshots, the import summary."""

import datetime as dt

import pytest

from pmo import cli, ingest, settings, store

D = dt.date


def up(name, text):
    return ingest.Upload(name, text.encode("utf-8"))


def rows(db, sql, params=None):
    with store.connect(db) as con:
        return con.execute(sql, params or {}).fetchall()


def refused(db, uploads, **kw):
    with pytest.raises(ingest.ImportRejected) as exc:
        ingest.import_uploads(uploads, db, **kw)
    assert rows(db, "select count(*) from pmo_imports") == [(0,)]
    return exc.value.errors


PROJECTS = "project_id,name,status,budget\nP1,Alpha,Active,100\nP2,Beta,Active,200\n"


# ------------------------------------------------------------------------------- findings


def test_every_check_runs_before_the_report_and_a_rule_on_many_rows_is_one_finding(db):
    # Rows 2-4: blank ids; rows 5-11: P1 seven more times (row 5 is its first); row 12 a bad
    # status. Blank ids no longer hide the duplicates: one pass reports all three rules.
    lines = [",Blank,Active,1"] * 3 + ["P1,A,Active,1"] * 8 + ["P9,Z,Live,1"]
    errors = refused(
        db, [up("projects.csv", "project_id,name,status,budget\n" + "\n".join(lines) + "\n")]
    )
    by_rule = {e.message.split(":")[0].split(" (")[0]: e for e in errors}
    blank = by_rule["a value is required for project_id"]
    assert (blank.count, blank.rows, blank.row) == (3, (2, 3, 4), 2)
    dup = by_rule["duplicate key"]
    # 7 repeats of P1 after its first row 5: rows 6-12 ... the first five shown, "2 more".
    assert dup.count == 7 and dup.rows == (6, 7, 8, 9, 10, 11, 12)
    assert "7 rows repeat a key" in dup.message and "and 2 more" in dup.message
    status = by_rule["cannot read as status"]
    assert (status.row, status.value, status.count) == (13, "Live", 1)
    assert "--value status:WORD=Active" in status.message
    assert len(errors) == 3


def test_negative_money_names_the_source_column_and_quotes_the_cell(db):
    text = "project_id,name,status,Cost (k)\nP1,A,Active,(1.5)\nP2,B,Active,-3\nP3,C,Active,4\n"
    errors = refused(db, [up("projects.csv", text)])
    (neg,) = errors
    assert (neg.column, neg.row, neg.value, neg.count) == ("Cost (k)", 2, "(1.5)", 2)
    assert "budget must not be negative" in neg.message and "--lenient" in neg.message
    result = ingest.import_uploads([up("projects.csv", text)], db, lenient=True)
    # Lenient: the two negative cells load blank (warned); 4 thousand (the header's unit) stays.
    assert rows(db, "select project_id, budget from projects order by 1") == [
        ("P1", None),
        ("P2", None),
        ("P3", 4000.0),
    ]
    assert any(
        w.column == "Cost (k)" and w.count == 2 and "loaded as blank" in w.message
        for w in result.warnings
    )


# -------------------------------------------------------------------------- ratings, values


def test_ratings_are_kept_as_reported_and_rag_comes_from_the_scale(db):
    ingest.import_uploads(
        [
            up(
                "projects.csv",
                PROJECTS.replace(
                    "P2,Beta,Active,200",
                    "P2,Beta,Active,200\nP3,Gamma,Active,300\nP4,Delta,Active,1",
                ),
            )
        ],
        db,
    )
    # No cost at all: a rating is enough for a status report.
    reports = (
        "project_id,report_date,Delivery Confidence\nP1,2025-03-31,Amber-Red\nP2,2025-03-31,A/G\n"
        "P3,2025-03-31,AG\nP4,2025-03-31,Green\n"
    )
    ingest.import_uploads([up("status_reports.csv", reports)], db)
    # Default scale: Amber/Red -> Red, Amber/Green -> Amber.
    assert rows(db, "select project_id, rating, rag_overall from status_reports order by 1") == [
        ("P1", "Amber-Red", "Red"),
        ("P2", "A/G", "Amber"),
        ("P3", "AG", "Amber"),
        ("P4", "Green", "Green"),
    ]
    settings.save(db, rating_scale={"Amber/Green": "Green"})
    ingest.import_uploads(
        [up("status_reports.csv", reports.replace("2025-03-31", "2025-04-30"))], db
    )
    assert rows(
        db,
        "select project_id, rag_overall from status_reports where report_date = '2025-04-30' "
        "order by 1",
    ) == [("P1", "Red"), ("P2", "Green"), ("P3", "Green"), ("P4", "Green")]


def test_value_maps_first_non_blank_ignore_and_empty_defaults(db):
    # "Owner" would match manager by its header: --ignore leaves it out.
    text = "Ref,Title,State,Budget,Owner\nX1,A,Live,5,Ann\nX2,B,Closed,6,Bo\n"
    # An empty --default does not stand for the status that the file does not have.
    errors = refused(
        db,
        [up("export.csv", text)],
        table="projects",
        mapping={"project_id": "Ref", "name": "Title"},
        defaults={"status": " "},
    )
    assert [e.column for e in errors] == ["status"] and "--default status=VALUE" in errors[
        0
    ].message
    ingest.import_uploads(
        [up("export.csv", text)],
        db,
        table="projects",
        mapping={"project_id": "Ref", "name": "Title", "status": "State"},
        values={"status": {"live": "Active"}},
        ignore=["Owner"],
        as_of=D(2025, 5, 31),
    )
    assert rows(db, "select project_id, status, manager from projects order by 1") == [
        ("X1", "Active", None),
        ("X2", "Completed", None),
    ]


def test_a_rating_split_over_two_columns_takes_the_first_non_blank(db, tmp_path, capsys):
    f = tmp_path / "export.csv"
    f.write_text(
        "id,name,status,budget,colour,colour\nP1,A,Active,1,,Amber\nP2,B,Active,2,Red,Green\n"
        "P3,C,Active,3,,\n"
    )
    code = cli.main(
        [
            "import",
            f"{f}:projects",
            "--db",
            str(db),
            "--as-of",
            "2025-06-30",
            "--map",
            "colour|colour (2)=rating",
        ]
    )
    assert code == 0, capsys.readouterr().err
    # A flat export: one report per project dated the as-of, P3's written blank.
    assert rows(
        db, "select project_id, report_date, rating, rag_overall from status_reports order by 1"
    ) == [
        ("P1", D(2025, 6, 30), "Amber", "Amber"),
        ("P2", D(2025, 6, 30), "Red", "Red"),
        ("P3", D(2025, 6, 30), None, None),
    ]


# ------------------------------------------------------------------------ money, currency


def test_money_units_from_the_option_and_the_header_and_the_currency(db, capsys, tmp_path):
    f = tmp_path / "projects.csv"
    f.write_text("project_id,name,status,budget,expected_benefit (£m)\nP1,A,Active,£1.5,£2\n")
    assert (
        cli.main(["import", str(f), "--db", str(db), "--money-unit", "k", "--currency", "GBP"]) == 0
    )
    err = capsys.readouterr().err
    # 1.5 thousand (--money-unit k) and 2 million (the header says (£m)).
    assert rows(db, "select budget, expected_benefit from projects") == [(1500.0, 2_000_000.0)]
    assert "budget in thousands (--money-unit)" in err and "the header says (£m)" in err
    assert settings.load(db).currency == "GBP" and settings.load(db).symbol == "£"
    g = tmp_path / "more.csv"
    g.write_text("project_id,name,status,budget\nP2,B,Active,€7\n")
    assert cli.main(["import", f"{g}:projects", "--db", str(db)]) == 1
    assert "money in another currency than the database's (GBP)" in capsys.readouterr().err
    # The database holds pounds: another currency for it is refused before reading.
    with pytest.raises(SystemExit):
        cli.main(["import", f"{g}:projects", "--db", str(db), "--currency", "EUR"])
    assert "this database's money is in GBP" in capsys.readouterr().err


def test_settings_command_shows_and_changes_the_settings(db, capsys):
    assert (
        cli.main(
            [
                "settings",
                "--db",
                str(db),
                "--currency",
                "eur",
                "--fiscal-year-start",
                "4",
                "--rating",
                "Amber/Red=Amber",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "currency: EUR (€)" in out and "fiscal year starts: April" in out
    assert "Amber/Red → Amber" in out
    assert settings.load(db).as_dict()["rating_scale"]["Amber/Red"] == "Amber"
    with pytest.raises(SystemExit):
        cli.main(["settings", "--db", str(db), "--currency", "XYZ"])


# ---------------------------------------------------------------- snapshots and the summary


def test_the_summary_counts_added_changed_unchanged_and_lists_replaced_reports(db):
    ingest.import_uploads([up("projects.csv", PROJECTS)], db)
    ingest.import_uploads(
        [up("status_reports.csv", "project_id,report_date,actual_cost\nP1,2025-03-31,5\n")], db
    )
    result = ingest.import_uploads(
        [
            up(
                "projects.csv",
                "project_id,name,status,budget\nP1,Alpha,Active,150\nP2,Beta,Active,200\n"
                "P3,Gamma,Active,1\n",
            ),
            up("status_reports.csv", "project_id,report_date,actual_cost\nP1,2025-03-31,6\n"),
        ],
        db,
    )
    infos = [f.message for f in result.findings if f.file == "import" and f.level == "info"]
    # P3 new, P1's budget 100 -> 150, P2 as it was; P1's March report replaced (5 -> 6).
    assert infos == [
        "projects: 1 added, 1 changed (budget 1), 1 unchanged",
        "status_reports: 0 added, 1 changed (actual_cost 1), 0 unchanged",
    ]
    (replaced,) = [f for f in result.warnings if "replaced" in f.message]
    assert (
        "1 stored status report(s) replaced with different values: P1 2025-03-31"
        in replaced.message
    )


def test_history_tables_are_not_stored_rows_missing_from_the_upload(db):
    ingest.import_uploads([up("projects.csv", PROJECTS)], db)
    ingest.import_uploads(
        [up("status_reports.csv", "project_id,report_date,actual_cost\nP1,2025-03-31,5\n")], db
    )
    result = ingest.import_uploads(
        [up("status_reports.csv", "project_id,report_date,actual_cost\nP1,2025-04-30,6\n")], db
    )
    assert result.not_in_upload == {}
    assert not any("not in the upload" in f.message for f in result.findings)


def test_a_saved_mapping_constant_that_disagrees_with_the_as_of_is_a_warning(db):
    ingest.import_uploads([up("projects.csv", PROJECTS)], db)
    text = "Project,Spent\nP1,5\n"
    ingest.import_uploads(
        [up("export.csv", text)],
        db,
        table="status_reports",
        mapping={"project_id": "Project", "actual_cost": "Spent"},
        defaults={"report_date": "2025-03-31"},
        save_mapping="monthly",
    )
    result = ingest.import_uploads(
        [up("export.csv", text)],
        db,
        mapping_name="monthly",
        table="status_reports",
        as_of=D(2025, 4, 30),
    )
    (w,) = [f for f in result.warnings if f.column == "report_date"]
    assert "dates every report 2025-03-31, but this import is as of 2025-04-30" in w.message


def test_the_import_as_of_is_the_kpis_as_of_when_no_report_is_later(db):
    ingest.import_uploads([up("projects.csv", PROJECTS)], db, as_of=D(2025, 6, 30))
    with store.connect(db) as con:
        assert con.execute("select resolve_as_of(null)").fetchall() == [(D(2025, 6, 30),)]


def test_resources_absent_from_a_complete_list_have_no_capacity_from_that_month(db):
    resources = "resource_id,name,capacity_hours\nR1,Ann,40\nR2,Bo,40\n"
    ingest.import_uploads([up("resources.csv", resources)], db, as_of=D(2025, 5, 31))
    result = ingest.import_uploads(
        [up("resources.csv", "resource_id,name,capacity_hours\nR1,Ann,40\n")],
        db,
        complete=["resources"],
        as_of=D(2025, 6, 15),
    )
    assert result.left == {"resources": 1}
    with store.connect(db) as con:
        months = con.execute(
            "select resource_id, month, capacity_hours > 0 from resource_months("
            "'2025-05-01'::date, '2025-06-01'::date, [], [], [], []) order by 1, 2"
        ).fetchall()
        left = con.execute("select resource_id, left_on from resources order by 1").fetchall()
    assert left == [("R1", None), ("R2", D(2025, 6, 15))]
    # R2 left in June: capacity in May only.
    assert months == [
        ("R1", D(2025, 5, 1), True),
        ("R1", D(2025, 6, 1), True),
        ("R2", D(2025, 5, 1), True),
    ]


def test_a_flat_export_with_a_report_date_column_dates_each_report_by_it(db):
    text = (
        "project_id,name,status,budget,RAG,% complete,as of\nP1,A,Active,1,G,40%,2025-03-31\n"
        "P2,B,Active,2,Amber/Red,,2025-02-28\n"
    )
    result = ingest.import_uploads([up("projects.csv", text)], db)
    assert result.row_counts == {"projects": 2, "status_reports": 2}
    assert rows(
        db,
        "select project_id, report_date, rating, rag_overall, percent_complete "
        "from status_reports order by 1",
    ) == [
        ("P1", D(2025, 3, 31), "G", "Green", 40.0),
        ("P2", D(2025, 2, 28), "Amber/Red", "Red", None),
    ]
    assert result.import_id == 1


def test_value_maps_from_the_command_line_are_saved_with_the_mapping(db, tmp_path, capsys):
    f = tmp_path / "export.csv"
    f.write_text("Ref,Title,State,Budget\nX1,A,Live,5\nX2,B,Paused,6\n")
    code = cli.main(
        [
            "import",
            f"{f}:projects",
            "--db",
            str(db),
            "--map",
            "Ref=project_id",
            "--map",
            "Title=name",
            "--map",
            "State=status",
            "--value",
            "status:Live=Active",
            "--save-mapping",
            "fin",
        ]
    )
    assert code == 0, capsys.readouterr().err
    g = tmp_path / "export-may.csv"
    g.write_text("Ref,Title,State,Budget\nX3,C,Live,7\n")
    # Next month: the saved mapping (found by the headers) brings the value map along.
    assert cli.main(["import", f"{g}:projects", "--db", str(db)]) == 0, capsys.readouterr().err
    assert rows(db, "select project_id, status from projects order by 1") == [
        ("X1", "Active"),
        ("X2", "On Hold"),
        ("X3", "Active"),
    ]
    with pytest.raises(SystemExit):  # COLUMN:SOURCE=TARGET, or a usage error
        cli.main(["import", str(g), "--db", str(db), "--value", "status=Active"])
    assert "--value expects COLUMN:SOURCE=TARGET" in capsys.readouterr().err


def test_ignore_naming_no_column_is_an_error(db):
    errors = refused(db, [up("projects.csv", PROJECTS)], ignore=["Owner"])
    assert [e.message for e in errors] == ["--ignore Owner: no uploaded sheet has a column 'Owner'"]
