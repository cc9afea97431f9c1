"""The Data page's part of the monthly cycle (issue 14): value maps in the mapping step, the
database's settings edited, the dry run's added / changed / unchanged counts, history dates."""

import json

from pmo import ingest, schema, store
from tests.conftest import table_rows
from tests.test_data_page import data_page, frame_with, upload

# Two projects "In delivery" (one written in lower case), one Active.
LIVE = (
    b"project_id,name,status,budget\n"
    b"P1,Alpha,In delivery,100\nP2,Beta,Active,200\nP3,Gamma,in delivery,300\n"
)
STATUS = schema.TABLES["projects"].column_names.index("status")
BUDGET = schema.TABLES["projects"].column_names.index("budget")


def saved_value_maps(db):
    with store.connect(db) as con:
        return con.execute(
            "select name, table_name, value_maps from pmo_mappings order by name"
        ).fetchall()


def test_an_unknown_status_word_imports_once_mapped_and_the_map_is_saved(monkeypatch, db):
    at = upload(data_page(monkeypatch, db), ("projects.csv", LIVE))
    # One word to map, "In delivery" (2 rows: case aside), offered with the six statuses.
    pick = at.selectbox(key="data_value_0_projects_status_In delivery")
    assert pick.label == "status “In delivery” (2 rows)"
    assert pick.options == ["(not mapped)", *schema.STATUSES]
    assert pick.value == "(not mapped)"
    # Left unmapped, the import is refused and nothing is written.
    at.button(key="data_import").click().run()
    assert any("Import refused" in e.value for e in at.error)
    # The fix named as this page's control, not as the command line's --value.
    (message,) = frame_with(at, "level", "message")["message"]
    assert message == (
        "cannot read as status: expected one of Proposed, Approved, Active, On Hold, Completed, "
        "Cancelled; map the word to one (a value map under Column mapping › Values to map): "
        "2 rows (rows 2 ('In delivery') and 4 ('in delivery'))"
    )
    assert table_rows(db, "projects") == []

    pick.select("Active").run()
    preview = frame_with(at, "row", "project_id", "status")
    assert preview["status"].tolist() == ["Active", "Active", "Active"]
    at.text_input(key="data_save_mapping").input("portfolio export").run()
    at.button(key="data_import").click().run()
    assert not at.exception, at.exception
    assert any(s.value.endswith("done: projects 3.") for s in at.success)
    assert [(r[0], r[STATUS]) for r in table_rows(db, "projects")] == [
        ("P1", "Active"),
        ("P2", "Active"),
        ("P3", "Active"),
    ]
    # The mapping is saved with its value map (what --save-mapping keeps with --value).
    assert [(n, t, json.loads(v)) for n, t, v in saved_value_maps(db)] == [
        ("portfolio export", "projects", {"status": {"In delivery": "Active"}})
    ]
    # Next month, the same headers: the saved value map is offered again, picked.
    at2 = upload(data_page(monkeypatch, db), ("projects.csv", LIVE.replace(b"Active", b"Paused")))
    assert at2.selectbox(key="data_value_0_projects_status_In delivery").value == "Active"
    # The saved map also works from the command line's side: --mapping by name.
    mapped = ingest.mapping.by_name
    with store.connect(db) as con:
        assert mapped(con, "portfolio export")["projects"].values == {
            "status": {"In delivery": "Active"}
        }


def settings_line(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Money in "))


def test_an_editor_changes_the_currency_and_every_page_shows_it(monkeypatch, demo_db):
    at = data_page(monkeypatch, demo_db)
    assert settings_line(at).startswith("Money in USD ($); the fiscal year starts in January")
    at.text_input(key="data_set_currency").input("eur")  # typed in lower case
    at.selectbox(key="data_set_fiscal_year").select("April")
    at.selectbox(key="data_set_scale_Amber/Green").select("Green")
    at.button(key="data_settings_save").click().run()
    assert not at.exception, at.exception
    assert settings_line(at) == (
        "Money in EUR (€); the fiscal year starts in April; five-point ratings count as "
        "Amber/Green → Green, Amber/Red → Red. The command line: `python -m pmo settings`."
    )
    from pmo import format, settings

    try:
        saved = settings.load(demo_db)
        assert (saved.currency, saved.fiscal_year_start, saved.rating_scale["Amber/Green"]) == (
            "EUR",
            4,
            "Green",
        )
        at.switch_page("pages/overview.py").run()
        tiles = {m.label: m.value for m in at.metric}
        # The demo's budget in euros now: the same figure, the symbol €, no $ left.
        assert tiles["Portfolio budget"].startswith("€")
        assert not any("$" in str(v) for v in tiles.values())
    finally:
        format.use_currency("USD")


def test_a_bad_currency_is_a_message_and_nothing_is_written(monkeypatch, demo_db):
    from pmo import settings

    at = data_page(monkeypatch, demo_db)
    at.text_input(key="data_set_currency").input("EURO")
    at.selectbox(key="data_set_fiscal_year").select("July")
    at.button(key="data_settings_save").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "Settings not saved: 'EURO' is not an ISO 4217 currency code (e.g. USD, GBP, EUR). "
        "Nothing was changed."
    ]
    saved = settings.load(demo_db)
    assert (saved.currency, saved.fiscal_year_start) == ("USD", 1)  # July not written either


def test_the_import_history_shows_dates_as_people_write_them(monkeypatch, demo_db):
    at = data_page(monkeypatch, demo_db)
    history = next(d for d in at.dataframe if "imported_by" in d.value.columns)
    config = history.proto.columns
    assert '"D MMM YYYY"' in config and '"D MMM YYYY, HH:mm"' in config


PROJECTS = b"project_id,name,status,budget\nP1,Alpha,Active,100\nP2,Beta,Active,200\n"


def test_the_dry_run_on_the_page_counts_what_would_change(monkeypatch, db):
    ingest.import_uploads([ingest.Upload("projects.csv", PROJECTS)], db)
    at = upload(data_page(monkeypatch, db), ("projects.csv", PROJECTS.replace(b",100", b",150")))
    at.button(key="data_dry_run").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        "Dry run passed: would import projects 2. Nothing was written."
    ]
    # P1's budget 100 -> 150: one changed (in budget), P2 as it was. (Markdown escaped.)
    said = [i.value.replace("\\", "") for i in at.info]
    assert "- projects: 0 added, 1 changed (budget 1), 1 unchanged" in said
    assert [(r[0], r[BUDGET]) for r in table_rows(db, "projects")] == [
        ("P1", 100.0),
        ("P2", 200.0),
    ]


FLAT = (
    b"project_id,name,status,budget,colour_rating\n"
    b"P1,Alpha,Active,100,Amber/Green\nP2,Beta,Active,200,Amber Green (improving)\n"
)


def test_a_flat_exports_rating_word_is_mapped_saved_and_reused(monkeypatch, db, tmp_path):
    import datetime as dt

    at = upload(data_page(monkeypatch, db), ("projects.csv", FLAT))
    at.date_input(key="data_as_of").set_value(dt.date(2026, 3, 31)).run()
    pick = at.selectbox(key="data_value_0_projects_status_reports.rating_Amber Green (improving)")
    assert pick.options == ["(not mapped)", *schema.RATING_POINTS]
    pick.select("Amber/Green").run()
    at.text_input(key="data_save_mapping").input("gmpp").run()
    at.button(key="data_import").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    with store.connect(db) as con:
        reports = con.execute(
            "select project_id, report_date, rating, rag_overall from status_reports order by 1"
        ).fetchall()
    # The word mapped to Amber/Green, which the default scale counts as Amber.
    assert reports == [
        ("P1", dt.date(2026, 3, 31), "Amber/Green", "Amber"),
        ("P2", dt.date(2026, 3, 31), "Amber/Green", "Amber"),
    ]
    assert [(n, t, json.loads(v)) for n, t, v in saved_value_maps(db)] == [
        ("gmpp", "projects", {}),
        # kept with the status reports' part of the mapping (its own row, with its columns)
        ("gmpp", "status_reports", {"rating": {"Amber Green (improving)": "Amber/Green"}}),
    ]
    # Next year from the command line's side: the saved mapping carries the word map.
    result = ingest.import_uploads(
        [ingest.Upload("projects.csv", FLAT.replace(b"100", b"110"))],
        db,
        mapping_name="gmpp",
        as_of=dt.date(2027, 3, 31),
    )
    assert result.row_counts == {"projects": 2, "status_reports": 2}


def test_a_flat_exports_word_map_from_the_command_line_is_saved_with_the_mapping(db):
    import datetime as dt

    ingest.import_uploads(
        [ingest.Upload("projects.csv", FLAT)],
        db,
        values={"status_reports.rating": {"Amber Green (improving)": "Amber/Green"}},
        as_of=dt.date(2026, 3, 31),
        save_mapping="gmpp",
    )
    assert [(n, t, json.loads(v)) for n, t, v in saved_value_maps(db)] == [
        ("gmpp", "projects", {}),
        # kept with the status reports' part of the mapping (its own row, with its columns)
        ("gmpp", "status_reports", {"rating": {"Amber Green (improving)": "Amber/Green"}}),
    ]
