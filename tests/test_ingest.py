"""The importer: reading quirks, mapping, validation, writing, undo (docs/data-model.md)."""

import datetime as dt
import json

import pandas as pd
import pytest

from pmo import ingest, schema, store
from tests.conftest import load, table_rows, workbook

D = dt.date
TRACKED = [*schema.TABLES, "pmo_imports", "pmo_mappings"]


def snapshot(db):
    return {t: table_rows(db, t) for t in TRACKED}


def rows(db, sql):
    with store.connect(db) as con:
        return con.execute(sql).fetchall()


def csv_upload(name, text, encoding="utf-8"):
    return ingest.Upload(name, text.encode(encoding))


def projects_csv(*lines, header="project_id,name,status,budget"):
    return "\n".join([header, *lines]) + "\n"


def rejected(db, uploads, **kw):
    """Import that must be refused: returns the errors; asserts the database is unchanged."""
    before = snapshot(db)
    with pytest.raises(ingest.ImportRejected) as exc:
        ingest.import_uploads(uploads, db, **kw)
    assert snapshot(db) == before
    return exc.value.errors


P = pd.DataFrame(
    {
        "project_id": ["P1", "P2"],
        "name": ["Alpha", "Beta"],
        "status": ["Active", "Active"],
        "budget": [100.0, 200.0],
    }
)


# ---------------------------------------------------------------------------------- reading


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("sep", [",", ";"])
def test_csv_encodings_and_separators(db, encoding, sep):
    text = projects_csv(
        f"P1{sep}Café Déjà{sep}Active{sep}1200",
        header=sep.join(["project_id", "name", "status", "budget"]),
    )
    ingest.import_uploads([csv_upload("projects.csv", text, encoding)], db)
    assert rows(db, "select project_id, name, budget from projects") == [
        ("P1", "Café Déjà", 1200.0)
    ]


def test_title_rows_blank_rows_and_totals_row_are_skipped_and_rows_numbered_as_in_excel(db):
    text = (
        "Portfolio export,,,\r\n"
        "Generated 2025-03-31,,,\r\n"
        "\r\n"
        "Project ID,Project Name,Status,Budget\r\n"  # Excel row 4
        "P1,Alpha,Active,100\r\n"  # row 5
        ",,,\r\n"  # row 6: blank
        "P2,Beta,Active,200\r\n"  # row 7
        "Grand Total,,,300\r\n"  # row 8: dropped
    )
    ingest.import_uploads([csv_upload("projects.csv", text)], db)
    assert rows(db, "select project_id, budget from projects order by 1") == [
        ("P1", 100.0),
        ("P2", 200.0),
    ]
    bad = text.replace("P2,Beta,Active,200", "P2,Beta,Active,lots")
    errors = rejected(db, [csv_upload("projects.csv", bad)])
    assert [(e.row, e.column, e.value) for e in errors] == [(7, "Budget", "lots")]


def test_quoted_newlines_and_mixed_line_endings(db):
    text = 'project_id,name,status,budget\r\nP1,"Alpha\nphase 2",Active,1\nP2,Beta,Active,2\rP3,"Gam;ma",Done,3\r\n'
    ingest.import_uploads([csv_upload("projects.csv", text)], db)
    assert rows(db, "select project_id, name, status from projects order by 1") == [
        ("P1", "Alpha\nphase 2", "Active"),
        ("P2", "Beta", "Active"),
        ("P3", "Gam;ma", "Completed"),
    ]


def test_headers_match_case_space_punctuation_and_synonyms(db):
    text = (
        "PROJECT CODE;Project_Name;status;Budget ($);PM;Due Date;% complete\n"
        "P1;Alpha;In Progress;$1,200,000;Ann;July 25, 2022;x\n"
    )
    result = ingest.import_uploads([csv_upload("projects.csv", text)], db)
    assert rows(db, "select project_id, name, status, budget, manager, end_date from projects") == [
        ("P1", "Alpha", "Active", 1_200_000.0, "Ann", D(2022, 7, 25))
    ]
    extra = [f for f in result.warnings if "unknown column" in f.message]
    assert [f.column for f in extra] == ["% complete"]


def test_workbook_sheets_map_by_name_and_unknown_sheets_are_reported(db):
    reports = pd.DataFrame(
        {
            "Project": ["P1"],
            "Status Date": ["31.03.2025"],
            "AC": ["1.200,50 €"],
            "RAG": ["G"],
            "% Complete": ["45%"],
        }
    )
    data = workbook(
        **{" PROJECTS ": P, "Status Report": reports, "Notes": pd.DataFrame({"x": [1]})}
    )
    result = ingest.import_uploads([ingest.Upload("book.xlsx", data)], db)
    assert result.row_counts == {"projects": 2, "status_reports": 1}
    assert rows(
        db,
        "select project_id, report_date, actual_cost, rag_overall, percent_complete from status_reports",
    ) == [("P1", D(2025, 3, 31), 1200.5, "Green", 45.0)]
    skipped = [f for f in result.findings if f.sheet == "Notes"]
    assert (
        skipped and skipped[0].level == "warning" and "not a template table" in skipped[0].message
    )


def test_several_files_at_once(db):
    reports = "project_id,report_date,actual_cost\nP1,2025-03-31,10\nP2,2025-03-31,20\n"
    ingest.import_uploads(
        [
            csv_upload("status_reports.csv", reports),
            csv_upload("projects.csv", projects_csv("P1,A,Active,1", "P2,B,Active,2")),
        ],
        db,
    )
    assert rows(db, "select count(*) from status_reports") == [(2,)]


def test_wide_allocations_are_unpivoted(db):
    load(
        db, projects=P, resources=pd.DataFrame({"resource_id": ["R1", "R2"], "name": ["Ann", "Bo"]})
    )
    wide = pd.DataFrame(
        {
            "Resource": ["R1", "R2", "R1"],
            "Project": ["P1", "P1", "P1"],
            "Jan 2025": [10, None, 5],
            "2025-02": [20, 8, None],
            dt.datetime(2025, 3, 1): [None, 4, None],
        }
    )
    ingest.import_uploads([ingest.Upload("plan.xlsx", workbook(allocations=wide))], db)
    # R1/P1 January: 10 + 5 from two lines, summed.
    assert rows(db, "select resource_id, month, hours from allocations order by 1, 2") == [
        ("R1", D(2025, 1, 1), 15.0),
        ("R1", D(2025, 2, 1), 20.0),
        ("R2", D(2025, 2, 1), 8.0),
        ("R2", D(2025, 3, 1), 4.0),
    ]


def test_wide_allocation_errors_name_the_month_column(db):
    load(db, projects=P, resources=pd.DataFrame({"resource_id": ["R1"], "name": ["Ann"]}))
    wide = pd.DataFrame({"resource_id": ["R1"], "project_id": ["P1"], "Jan 2025": ["ten"]})
    errors = rejected(db, [ingest.Upload("plan.xlsx", workbook(allocations=wide))])
    assert [(e.row, e.column, e.value) for e in errors] == [(2, "Jan 2025", "ten")]


# ---------------------------------------------------------------------------------- errors


def test_missing_required_column(db):
    errors = rejected(db, [csv_upload("projects.csv", "project_id,name,budget\nP1,A,1\n")])
    assert [(e.file, e.column) for e in errors] == [("projects.csv", "status")]
    assert "required column status is missing" in errors[0].message


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        ("P1,A,Active,-5", "budget", "must not be negative"),
        ("P1,A,Active,12abc", "budget", "cannot read as number"),
        ("P1,A,Sleeping,5", "status", "one of Proposed, Approved, Active"),
        (",A,Active,5", "project_id", "a value is required"),
    ],
)
def test_bad_project_values_name_row_and_column(db, line, column, expected):
    errors = rejected(db, [csv_upload("projects.csv", projects_csv("P0,Z,Active,1", line))])
    assert [(e.row, e.column) for e in errors] == [(3, column)]
    assert expected in errors[0].message


def test_duplicate_key(db):
    errors = rejected(
        db,
        [
            csv_upload(
                "projects.csv", projects_csv("P1,A,Active,1", "P2,B,Active,2", "P1,C,Active,3")
            )
        ],
    )
    assert [(e.row, e.value) for e in errors] == [(4, "P1")]
    assert "already on row 2" in errors[0].message


def test_unknown_references_checked_against_upload_and_stored(db):
    load(db, projects=P)
    reports = "project_id,report_date,actual_cost,rag\nP1,2025-03-31,1,G\nP9,2025-03-31,1,G\n"
    errors = rejected(db, [csv_upload("status_reports.csv", reports)])
    assert [(e.row, e.column, e.value) for e in errors] == [(3, "project_id", "P9")]
    # P9 in the same upload is fine.
    ingest.import_uploads(
        [
            csv_upload("status_reports.csv", reports),
            csv_upload("projects.csv", projects_csv("P9,New,Active,5")),
        ],
        db,
    )
    assert rows(db, "select count(*) from status_reports") == [(2,)]


def test_score_outside_0_to_5_and_unknown_rag(db):
    load(
        db,
        projects=P,
        objectives=pd.DataFrame({"objective_id": ["O1"], "name": ["Grow"], "weight": [1]}),
    )
    errors = rejected(
        db, [csv_upload("alignment.csv", "project_id,objective_id,score\nP1,O1,6\nP2,O1,2.5\n")]
    )
    assert sorted((e.row, e.column) for e in errors) == [(2, "score"), (3, "score")]
    errors = rejected(
        db,
        [
            csv_upload(
                "status_reports.csv",
                "project_id,report_date,actual_cost,rag\nP1,2025-03-31,1,Purple\n",
            )
        ],
    )
    assert [(e.row, e.column, e.value) for e in errors] == [(2, "rag", "Purple")]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("projects.xlsx", b"project_id,name\nP1,A\n", "holds text"),
        ("projects.csv", workbook(projects=P), "is an Excel workbook"),
        ("projects.csv", b"", "empty"),
        ("projects.csv", b"  \n\n", "empty"),
        ("projects.csv", b"project_id,name,status,budget\n", "no data rows"),
        ("projects.pdf", b"%PDF-1.4", "unsupported file type"),
        ("projects.xlsx", b"PK\x03\x04garbage", "cannot be opened"),
        ("notes.csv", b"a,b\n1,2\n", "does not say which table"),
    ],
)
def test_wrong_or_empty_files_are_refused(db, name, data, expected):
    errors = rejected(db, [ingest.Upload(name, data)])
    assert len(errors) == 1 and errors[0].file == name
    assert expected in errors[0].message


def test_files_over_the_size_limit_are_refused_before_reading(db, tmp_path, monkeypatch):
    big = tmp_path / "projects.csv"
    big.write_text(projects_csv(*[f"P{i},N,Active,1" for i in range(100)]))
    monkeypatch.setattr(ingest.model, "MAX_FILE_BYTES", 1000)

    def no_read(*a, **k):
        raise AssertionError("the file was read")

    monkeypatch.setattr(type(big), "read_bytes", no_read)
    before = snapshot(db)
    with pytest.raises(ingest.ImportRejected) as exc:
        ingest.import_paths([big], db)
    assert "limit" in exc.value.errors[0].message and exc.value.errors[0].file == "projects.csv"
    assert snapshot(db) == before


# ---------------------------------------------------------------------------------- lenient and warnings


def test_lenient_loads_unreadable_optional_values_as_blank_with_a_warning(db):
    text = projects_csv(
        "P1,A,Active,Exempt under Section 43,2025-13-45",
        "P2,B,Active,5,2025-01-31",
        header="project_id,name,status,budget,end_date",
    )
    errors = rejected(db, [csv_upload("projects.csv", text)])
    assert {(e.row, e.column) for e in errors} == {(2, "budget"), (2, "end_date")}
    result = ingest.import_uploads([csv_upload("projects.csv", text)], db, lenient=True)
    assert rows(db, "select project_id, budget, end_date from projects order by 1") == [
        ("P1", None, None),
        ("P2", 5.0, D(2025, 1, 31)),
    ]
    unreadable = [(w.row, w.column, w.value) for w in result.warnings if "cannot read" in w.message]
    assert sorted(unreadable) == [
        (2, "budget", "Exempt under Section 43"),
        (2, "end_date", "2025-13-45"),
    ]


def test_lenient_still_refuses_unreadable_required_values(db):
    errors = rejected(
        db, [csv_upload("projects.csv", projects_csv("P1,A,Sleeping,1"))], lenient=True
    )
    assert [(e.row, e.column) for e in errors] == [(2, "status")]


def test_blank_budget_and_blank_optional_values_are_warnings(db):
    result = ingest.import_uploads(
        [
            csv_upload(
                "projects.csv",
                projects_csv(
                    "P1,A,Active,", "P2,B,Active,5", header="project_id,name,status,budget,manager"
                ),
            )
        ],
        db,
    )
    messages = [(w.row, w.column, w.message) for w in result.warnings]
    assert (2, "budget", "blank budget loaded as null") in messages
    assert any(c == "manager" and "2 blank manager" in m for _, c, m in messages)
    assert rows(db, "select project_id, budget from projects order by 1") == [
        ("P1", None),
        ("P2", 5.0),
    ]


# ---------------------------------------------------------------------------------- writing


def test_import_record_has_files_sha256_as_of_and_counts(db):
    up = csv_upload("projects.csv", projects_csv("P1,A,Active,1"))
    rep = csv_upload("status_reports.csv", "project_id,report_date,actual_cost\nP1,2025-03-31,1\n")
    result = ingest.import_uploads([up, rep], db, user="pat")
    (record,) = rows(db, "select import_id, imported_by, files, as_of, row_counts from pmo_imports")
    assert record[0] == result.import_id == 1
    assert record[1] == "pat"
    assert [f["sha256"] for f in json.loads(record[2])] == [up.sha256, rep.sha256]
    assert record[3] == D(2025, 3, 31)  # the latest report date of the upload
    assert json.loads(record[4]) == {"projects": 1, "status_reports": 1}


def test_upsert_keeps_stored_rows_and_lists_those_the_upload_lacks(db):
    load(db, projects=P)
    result = ingest.import_uploads(
        [csv_upload("projects.csv", projects_csv("P1,Alpha 2,Active,150", "P3,C,Active,3"))], db
    )
    assert rows(db, "select project_id, name, budget from projects order by 1") == [
        ("P1", "Alpha 2", 150.0),
        ("P2", "Beta", 200.0),
        ("P3", "C", 3.0),
    ]
    assert result.not_in_upload == {"projects": 1}
    assert result.not_in_upload_examples == {"projects": ["P2"]}


def test_alignment_is_replaced_per_project(db):
    objectives = pd.DataFrame({"objective_id": ["O1", "O2"], "name": ["a", "b"], "weight": [1, 1]})
    align = pd.DataFrame(
        {"project_id": ["P1", "P1", "P2"], "objective_id": ["O1", "O2", "O1"], "score": [3, 4, 5]}
    )
    load(db, projects=P, objectives=objectives, alignment=align)
    ingest.import_uploads(
        [csv_upload("alignment.csv", "project_id,objective_id,score\nP1,O2,1\n")], db
    )
    # P1's two rows replaced by one; P2 untouched.
    assert rows(db, "select project_id, objective_id, score from alignment order by 1, 2") == [
        ("P1", "O2", 1),
        ("P2", "O1", 5),
    ]


def test_timesheet_lines_with_the_same_key_are_summed(db):
    load(db, projects=P, resources=pd.DataFrame({"resource_id": ["R1"], "name": ["Ann"]}))
    text = "resource_id,project_id,date,hours\nR1,P1,2025-03-03,2\nR1,P1,2025-03-03,3.5\nR1,P2,2025-03-03,1\n"
    result = ingest.import_uploads([csv_upload("timesheets.csv", text)], db)
    assert result.row_counts == {"timesheets": 2}
    assert rows(db, "select project_id, hours from timesheets order by 1") == [
        ("P1", 5.5),
        ("P2", 1.0),
    ]


def test_a_complete_list_of_projects_marks_the_missing_ones_left_and_undo_restores_them(db):
    # P1 and P2 stored, P2 has a report; the list of 30 June has only P1: P2 is marked left on
    # 30 June (kept, with its report), not removed, and no longer counts.
    reports = pd.DataFrame(
        {"project_id": ["P2"], "report_date": ["2025-03-31"], "actual_cost": [1]}
    )
    load(db, projects=P, status_reports=reports)
    before = snapshot(db)
    result = ingest.import_uploads(
        [csv_upload("projects.csv", projects_csv("P1,Alpha,Active,100"))],
        db,
        complete=["projects"],
        as_of=D(2025, 6, 30),
    )
    assert result.left == {"projects": 1} and result.removed == {}
    assert rows(db, "select project_id, left_on from projects order by 1") == [
        ("P1", None),
        ("P2", D(2025, 6, 30)),
    ]
    assert rows(db, "select project_id from status_reports") == [("P2",)]
    with store.connect(db) as con:
        assert con.execute("select count(*) from scoped_projects([], [], [], [])").fetchall() == [
            (1,)
        ]
    ingest.undo_last(db)
    after = snapshot(db)
    assert {t: after[t] for t in schema.TABLES} == {t: before[t] for t in schema.TABLES}


def test_a_project_listed_again_has_its_left_mark_cleared(db):
    load(db, projects=P)
    ingest.import_uploads(
        [csv_upload("projects.csv", projects_csv("P1,Alpha,Active,100"))],
        db,
        complete=["projects"],
        as_of=D(2025, 6, 30),
    )
    ingest.import_uploads(
        [csv_upload("projects.csv", projects_csv("P1,Alpha,Active,100", "P2,Beta,Active,200"))],
        db,
        complete=["projects"],
        as_of=D(2025, 7, 31),
    )
    assert rows(db, "select project_id, left_on from projects order by 1") == [
        ("P1", None),
        ("P2", None),
    ]


def test_complete_list_refused_while_other_rows_point_at_the_missing_ids(db):
    # Objectives are not a snapshot table: a complete list removes the missing ones, refused
    # while the alignment of a stored project points at one.
    objectives = pd.DataFrame({"objective_id": ["O1", "O2"], "name": ["a", "b"], "weight": [1, 1]})
    alignment = pd.DataFrame({"project_id": ["P1"], "objective_id": ["O2"], "score": [3]})
    load(db, projects=P, objectives=objectives, alignment=alignment)
    errors = rejected(
        db,
        [csv_upload("objectives.csv", "objective_id,name,weight\nO1,a,1\n")],
        complete=["objectives"],
    )
    assert [(e.column, e.value) for e in errors] == [("objective_id", "O2")]
    assert "1 stored alignment row(s) still point at it" in errors[0].message


def test_undo_restores_the_state_before_the_last_import_exactly(db):
    objectives = pd.DataFrame({"objective_id": ["O1"], "name": ["a"], "weight": [1]})
    load(
        db,
        projects=P,
        objectives=objectives,
        alignment=pd.DataFrame({"project_id": ["P1"], "objective_id": ["O1"], "score": [2]}),
    )
    before = snapshot(db)
    ingest.import_uploads(
        [
            csv_upload("projects.csv", projects_csv("P1,Changed,On Hold,5", "P7,New,Active,7")),
            csv_upload("alignment.csv", "project_id,objective_id,score\nP1,O1,5\nP7,O1,1\n"),
        ],
        db,
    )
    assert snapshot(db) != before
    assert ingest.undo_last(db) == 2
    after = snapshot(db)
    assert {t: after[t] for t in schema.TABLES} == {t: before[t] for t in schema.TABLES}
    assert ingest.history(db)["undone"].tolist() == [True, False]


def test_a_first_import_into_empty_tables_undoes_as_exactly_as_a_later_one(db):
    # The first import writes straight into empty tables, a later one replaces rows: undoing
    # the later one restores the first's rows, undoing the first leaves every table empty.
    objectives = pd.DataFrame({"objective_id": ["O1", "O2"], "name": ["a", "b"], "weight": [1, 1]})
    alignment = pd.DataFrame(
        {"project_id": ["P1", "P1"], "objective_id": ["O1", "O2"], "score": [2, 3]}
    )
    load(db, projects=P, objectives=objectives, alignment=alignment)
    # The first import found alignment empty: one row of null keys says so, not its keys.
    assert rows(db, "select import_id, project_id from pmo_touched_alignment") == [(1, None)]
    first = snapshot(db)
    ingest.import_uploads(
        [csv_upload("alignment.csv", "project_id,objective_id,score\nP1,O1,5\n")], db
    )
    assert rows(db, "select objective_id, score from alignment") == [("O1", 5)]
    assert ingest.undo_last(db) == 2
    assert {t: snapshot(db)[t] for t in schema.TABLES} == {t: first[t] for t in schema.TABLES}
    assert ingest.undo_last(db) == 1
    assert all(rows(db, f"select count(*) from {t}") == [(0,)] for t in schema.TABLES)


def test_a_benefit_without_a_date_is_replaced_on_reimport_not_doubled(db):
    # A benefit's date is optional and part of its key. Re-importing "Cost saving" (no date)
    # with 450 realised replaces the stored row (200), instead of adding a second one that
    # would count the benefit twice; undo brings back 200. A stored undated benefit missing
    # from an upload is named with its blank date.
    benefits = "project_id,benefit,planned_value,realized_value\n"
    ingest.import_uploads(
        [
            csv_upload("projects.csv", projects_csv("P1,Alpha,Active,100")),
            csv_upload("benefits.csv", benefits + "P1,Cost saving,1000,200\n"),
        ],
        db,
    )
    ingest.import_uploads([csv_upload("benefits.csv", benefits + "P1,Cost saving,1000,450\n")], db)
    assert rows(db, "select benefit, realized_value, date from benefits") == [
        ("Cost saving", 450.0, None)
    ]
    ingest.undo_last(db)
    assert rows(db, "select benefit, realized_value from benefits") == [("Cost saving", 200.0)]
    result = ingest.import_uploads([csv_upload("benefits.csv", benefits + "P1,Speed,10,1\n")], db)
    assert result.not_in_upload == {"benefits": 1}
    assert result.not_in_upload_examples["benefits"] == ["P1 / Cost saving / (blank)"]


def test_dry_run_writes_nothing_and_previews(db):
    load(db, projects=P)
    before = snapshot(db)
    result = ingest.import_uploads(
        [csv_upload("projects.csv", projects_csv("P5,E,Active,5"))], db, dry_run=True
    )
    assert result.dry_run and result.import_id is None
    assert result.row_counts == {"projects": 1}
    assert result.preview["projects"][["row", "project_id", "budget"]].values.tolist() == [
        [2, "P5", 5.0]
    ]
    assert snapshot(db) == before


def test_an_import_interrupted_by_an_exception_leaves_nothing_behind(db, monkeypatch):
    load(db, projects=P)
    before = snapshot(db)
    real = ingest.write.write_table
    calls = []

    def flaky(con, import_id, p, complete):
        calls.append(p.table)
        if p.table == "status_reports":
            raise RuntimeError("disk full")
        return real(con, import_id, p, complete)

    monkeypatch.setattr(ingest.write, "write_table", flaky)
    with pytest.raises(RuntimeError):
        ingest.import_uploads(
            [
                csv_upload("projects.csv", projects_csv("P1,Changed,Active,1", "P8,New,Active,8")),
                csv_upload(
                    "status_reports.csv", "project_id,report_date,actual_cost\nP8,2025-03-31,1\n"
                ),
            ],
            db,
        )
    assert calls == ["projects", "status_reports"]  # projects was written before the failure
    assert snapshot(db) == before


def test_progress_is_reported_up_to_done(db):
    seen = []
    ingest.import_uploads(
        [csv_upload("projects.csv", projects_csv("P1,A,Active,1"))],
        db,
        progress=lambda f, m: seen.append((f, m)),
    )
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert any("writing" in m for _, m in seen)


# ---------------------------------------------------------------------------------- mapping


EXPORT = "Ref;Title;Cost;Owner\nX1;Alpha;$1,000;Ann\nX2;Beta;$2,500;Bo\n"


def test_mapping_and_constants_fill_columns_the_headers_do_not_match(db):
    errors = rejected(db, [csv_upload("export.csv", EXPORT)], table="projects")
    # "Cost" is a synonym of budget (issue 14); the id and the status are not in the file.
    assert {e.column for e in errors} == {"project_id", "status"}
    ingest.import_uploads(
        [csv_upload("export.csv", EXPORT)],
        db,
        table="projects",
        mapping={"project_id": "Ref", "budget": "Cost"},
        defaults={"status": "Active"},
        save_mapping="finance export",
    )
    assert rows(
        db, "select project_id, name, status, budget, manager from projects order by 1"
    ) == [
        ("X1", "Alpha", "Active", 1000.0, "Ann"),
        ("X2", "Beta", "Active", 2500.0, "Bo"),
    ]
    (saved,) = rows(db, "select name, table_name, mapping, defaults from pmo_mappings")
    assert saved[:2] == ("finance export", "projects")
    assert json.loads(saved[3]) == {"status": "Active"}


def test_a_saved_mapping_is_applied_again_to_a_file_with_the_same_headers(db):
    ingest.import_uploads(
        [csv_upload("export.csv", EXPORT)],
        db,
        table="projects",
        mapping={"project_id": "Ref", "budget": "Cost"},
        defaults={"status": "Active"},
        save_mapping="fin",
    )
    next_month = "Ref;Title;Cost;Owner\nX1;Alpha;$1,100;Ann\nX3;Gamma;$300;Cy\n"
    # Neither the table nor the mapping is given: the headers' signature finds both.
    result = ingest.import_uploads([csv_upload("export-april.csv", next_month)], db)
    assert any("applied the saved mapping 'fin'" in f.message for f in result.findings)
    assert rows(db, "select project_id, budget from projects order by 1") == [
        ("X1", 1100.0),
        ("X2", 2500.0),
        ("X3", 300.0),
    ]


def test_a_mapping_can_be_named(db):
    ingest.import_uploads(
        [csv_upload("export.csv", EXPORT)],
        db,
        table="projects",
        mapping={"project_id": "Ref", "budget": "Cost"},
        defaults={"status": "Active"},
        save_mapping="fin",
    )
    other = "Ref;Title;Cost\nX9;Nine;9\n"  # different headers: no automatic match
    ingest.import_uploads(
        [csv_upload("other.csv", other)], db, table="projects", mapping_name="fin"
    )
    assert rows(db, "select status, budget from projects where project_id = 'X9'") == [
        ("Active", 9.0)
    ]
    with pytest.raises(ingest.MappingError, match="no saved mapping named 'nope'"):
        ingest.import_uploads(
            [csv_upload("other.csv", other)], db, table="projects", mapping_name="nope"
        )


def test_a_default_fills_only_blanks_of_a_mapped_column(db):
    text = projects_csv("P1,A,,1", "P2,B,Done,2")
    ingest.import_uploads([csv_upload("projects.csv", text)], db, defaults={"status": "Proposed"})
    assert rows(db, "select project_id, status from projects order by 1") == [
        ("P1", "Proposed"),
        ("P2", "Completed"),
    ]


def test_mapping_to_a_missing_source_or_unknown_column(db):
    errors = rejected(
        db,
        [csv_upload("export.csv", EXPORT)],
        table="projects",
        mapping={"project_id": "Nope"},
        defaults={"status": "Active"},
    )
    assert any("no uploaded sheet has a column 'Nope'" in e.message for e in errors)
    with pytest.raises(ingest.MappingError, match="no template column 'colour'"):
        ingest.import_uploads([csv_upload("export.csv", EXPORT)], db, mapping={"colour": "Ref"})
