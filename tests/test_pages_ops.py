"""AppTest of the operational pages: what they show equals what the queries say."""

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from pmo import format, queries, store, views

ROOT = Path(__file__).resolve().parents[1]


def app(monkeypatch, db, page: str) -> AppTest:
    monkeypatch.setenv("PMO_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def run(db, name, **params):
    with store.connect(db) as con:
        return queries.run(con, name, **{**queries.defaults(name), **params})


def charts_on(at) -> list[dict]:
    """Each vega-lite chart on the page: its title and its (first) dataset as a DataFrame."""
    out = []
    for el in at.get("vega_lite_chart"):
        import json

        spec = json.loads(el.proto.spec)
        title = spec.get("title", {})
        frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in el.proto.datasets]
        out.append({"title": title.get("text") if isinstance(title, dict) else title,
                    "data": frames[0] if frames else pd.DataFrame()})
    return out


def chart(at, starts: str) -> pd.DataFrame:
    found = [c for c in charts_on(at) if str(c["title"]).startswith(starts)]
    assert found, [c["title"] for c in charts_on(at)]
    return found[0]["data"]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def resource_window(db):
    cover = run(db, "resource_coverage").iloc[0]
    months = views.month_options(cover["first_month"], cover["last_month"])
    return views.default_window(months, cover["as_of_month"])


# ------------------------------------------------------------------------------- Resources


def test_resources_heatmap_marks_exactly_the_over_allocations_listed(monkeypatch, demo_db):
    start, end = resource_window(demo_db)
    over = run(demo_db, "overallocations", from_month=start, to_month=end)
    at = app(monkeypatch, demo_db, "pages/resources.py")
    at.segmented_control(key="resources_group").set_value("Person").run()
    cells = chart(at, "Planned utilisation by person")
    marked = cells[cells["over_allocated"]]
    # Every over-allocated person-month of the table is an outlined cell, and no other is.
    assert len(marked) == len(over) > 0
    assert set(zip(marked["group_key"], pd.to_datetime(marked["month"]))) == set(
        zip(over["resource_id"], pd.to_datetime(over["month"]))
    )
    assert metrics(at)["Over-allocated person-months"] == format.count(len(over))
    assert metrics(at)["People over-allocated"] == format.count(over["resource_id"].nunique())
    table = at.dataframe[0].value
    assert len(table) == len(over)
    # The table shows utilisation in percent points: 1.81 -> 181.
    assert table["utilisation"].round(6).tolist() == (over["utilisation"] * 100).round(6).tolist()


def test_resources_team_heatmap_has_a_row_per_team_and_month(monkeypatch, demo_db):
    start, end = resource_window(demo_db)
    teams = run(demo_db, "utilisation", group="team", from_month=start, to_month=end)
    at = app(monkeypatch, demo_db, "pages/resources.py")
    cells = chart(at, "Planned utilisation by team")
    assert len(cells) == len(teams.dropna(subset=["utilisation"]))
    assert cells["over_allocated"].sum() == teams["over_allocated"].sum()


def test_resources_capacity_chart_follows_the_role_picked(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, "pages/resources.py")
    at.selectbox(key="resources_role").select("Developer").run()
    data = chart(at, "Capacity vs demand, Developer")
    assert set(data["role"]) == {"Developer"}


def test_resources_on_an_empty_database_names_the_sheets(monkeypatch, db):
    at = app(monkeypatch, db, "pages/resources.py")
    assert any("**Resources**" in i.value and "**Allocations**" in i.value for i in at.info)
    assert not at.get("vega_lite_chart")
