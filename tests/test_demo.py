"""The demo apart from real data: its own database, three monthly imports, the banner."""

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pmo import demo, queries, review, store

ROOT = Path(__file__).resolve().parents[1]
NO_FILTERS = {"portfolio": [], "business_unit": [], "status": [], "sponsor": []}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return demo.build(tmp_path_factory.mktemp("demo_cycle") / "demo.duckdb")


def changes(db, a, b):
    with store.connect(db) as con:
        return queries.run(con, "review_imports", from_import=a, to_import=b, **NO_FILTERS)


def test_the_demo_is_three_monthly_imports_each_the_complete_list(built):
    with store.connect(built) as con:
        imports = con.execute(
            "select import_id, as_of, files from pmo_imports order by 1"
        ).fetchall()
        projects = con.execute("select count(*) from projects where left_on is null").fetchone()[0]
        left = con.execute("select count(*) from projects where left_on is not null").fetchone()[0]
    assert [(i, str(a)) for i, a, _ in imports] == [
        (1, "2026-08-31"),
        (2, "2026-09-30"),
        (3, "2026-10-31"),
    ]
    assert "northwind-2026-08.xlsx" in imports[0][2]
    assert "demo_portfolio.xlsx" in imports[2][2]
    # October's list: the 55 projects of the workbook, 46 + the 9 completed ones of issue 16's
    # reference class; the two listed only earlier are kept, marked as left (issue 14).
    assert projects == 55 and left == 2


def test_the_review_shows_movement_between_the_demo_months(built):
    # August -> September: Wealth Portal Launch and Small Business Digital Lending added to the
    # list, Branch Kiosk Refresh dropped from it, two projects put on hold, three ratings
    # better (Amber in August, Green since).
    aug_sep = review.counts(changes(built, 1, 2))
    sep_oct = review.counts(changes(built, 2, 3))
    kinds = changes(built, 1, 2).groupby("change_kind").project_id.apply(sorted).to_dict()
    assert kinds["new"] == ["PRJ-106", "PRJ-108"]
    assert kinds["closed"] == ["PRJ-090"]
    assert kinds["status"] == ["PRJ-107", "PRJ-109"]
    assert kinds["rag_better"] == ["PRJ-104", "PRJ-111", "PRJ-112"]
    # September -> October: one added, one dropped, one approved, four ratings worse.
    kinds = changes(built, 2, 3).groupby("change_kind").project_id.apply(sorted).to_dict()
    assert kinds["new"] == ["PRJ-114"]
    assert kinds["closed"] == ["PRJ-091"]
    assert kinds["status"] == ["PRJ-136"]
    assert kinds["rag_worse"] == ["PRJ-101", "PRJ-102", "PRJ-110", "PRJ-115"]
    assert aug_sep != sep_oct


def test_the_app_serves_the_demo_only_when_the_pmo_has_no_data(tmp_path, monkeypatch):
    monkeypatch.delenv("PMO_DB", raising=False)
    monkeypatch.setattr(store, "DEFAULT_DB", tmp_path / "pmo.duckdb")
    assert demo.serving_db() == demo.DEMO_DB
    assert demo.serving_db(demo_chosen=True) == demo.DEMO_DB
    (tmp_path / "pmo.duckdb").touch()
    assert demo.serving_db() == tmp_path / "pmo.duckdb"
    assert demo.serving_db(demo_chosen=True) == demo.DEMO_DB
    # $PMO_DB names the PMO's own database, even before it exists.
    monkeypatch.setenv("PMO_DB", str(tmp_path / "ours.duckdb"))
    assert demo.serving_db() == tmp_path / "ours.duckdb"


def overview(monkeypatch, tmp_path, built) -> AppTest:
    monkeypatch.delenv("PMO_DB", raising=False)
    monkeypatch.setattr(store, "DEFAULT_DB", tmp_path / "pmo.duckdb")
    monkeypatch.setattr(demo, "DEMO_DB", tmp_path / "demo.duckdb")
    shutil.copy(built, tmp_path / "demo.duckdb")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception, at.exception
    return at


def test_first_run_shows_the_demo_with_a_banner_and_the_way_to_your_own_data(
    tmp_path, monkeypatch, built
):
    at = overview(monkeypatch, tmp_path, built)
    assert any("You are looking at the demo portfolio" in m.value for m in at.markdown)
    assert at.metric[0].value == "26"  # the demo's in-flight projects
    at.button(key="demo_start_own").click().run()
    assert not at.exception, at.exception
    # Your own database now exists, empty: no Northwind project in it.
    own = tmp_path / "pmo.duckdb"
    with store.connect(own) as con:
        assert con.execute("select count(*) from projects").fetchone()[0] == 0
    at.switch_page("pages/overview.py").run()
    assert not any("You are looking at the demo portfolio" in m.value for m in at.markdown)
    assert not at.metric  # the empty state, not the demo's tiles


def test_a_database_path_that_does_not_exist_is_created_empty(tmp_path, monkeypatch):
    path = tmp_path / "new" / "ours.duckdb"
    path.parent.mkdir()
    monkeypatch.setenv("PMO_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception, at.exception
    with store.connect(path) as con:
        assert con.execute("select count(*) from projects").fetchone()[0] == 0
    assert not any("demo portfolio" in m.value for m in at.markdown)


def test_demo_command_rebuilds_the_demo_database_not_yours(tmp_path, monkeypatch):
    from pmo import cli

    ours = tmp_path / "ours.duckdb"
    with store.connect(ours, write=True):
        pass
    monkeypatch.setenv("PMO_DB", str(ours))
    monkeypatch.setattr(demo, "DEMO_DB", tmp_path / "demo.duckdb")
    assert cli.main(["demo"]) == 0
    with store.connect(ours) as con:
        assert con.execute("select count(*) from projects").fetchone()[0] == 0
    with store.connect(tmp_path / "demo.duckdb") as con:
        assert con.execute("select count(*) from pmo_imports").fetchone()[0] == 3
