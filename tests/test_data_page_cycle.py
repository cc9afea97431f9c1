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
