"""AppTest: every page renders on the demo data and on an empty database."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


def app(monkeypatch, db) -> AppTest:
    monkeypatch.setenv("PMO_DB", str(db))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_demo_data(monkeypatch, demo_db, page):
    at = app(monkeypatch, demo_db).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not at.error
    # A missing value (a milestone not yet reached, a project without a report) reads "—",
    # not Streamlit's default "None", in every table.
    assert [t.proto.placeholder for t in at.dataframe] == ["—"] * len(at.dataframe)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_database(monkeypatch, db, page):
    at = app(monkeypatch, db).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception


def test_overview_tiles_match_kpis(monkeypatch, demo_db):
    from pmo import format, kpi, store

    with store.connect(demo_db) as con:
        k = kpi.headline(con)
    at = app(monkeypatch, demo_db).run()
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["In-flight projects"] == str(k["in_flight_projects"])
    assert tiles["Portfolio budget"] == format.money(k["total_budget"])
    assert tiles["Cost performance (CPI)"] == f"{k['portfolio_cpi']:.2f}"
    assert len(at.get("vega_lite_chart")) == 2


def test_overview_on_an_empty_database_says_what_to_upload(monkeypatch, db):
    at = app(monkeypatch, db).run()
    assert any("Projects" in i.value and "Data page" in i.value for i in at.info)
    assert not at.metric


def test_first_run_without_a_database_builds_the_demo_apart(monkeypatch, tmp_path):
    # No $PMO_DB and no data/pmo.duckdb: the demo database is built (three monthly imports),
    # and the PMO's own database is not created until they start with their own data.
    from pmo import demo, store

    monkeypatch.delenv("PMO_DB", raising=False)
    monkeypatch.setattr(store, "DEFAULT_DB", tmp_path / "pmo.duckdb")
    monkeypatch.setattr(demo, "DEMO_DB", tmp_path / "demo.duckdb")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception, at.exception
    assert (tmp_path / "demo.duckdb").exists() and not (tmp_path / "pmo.duckdb").exists()
    assert {m.label: m.value for m in at.metric}["In-flight projects"] == "26"
