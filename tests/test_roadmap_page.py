"""AppTest of the Roadmap page (issue 17) and of what it adds to the Overview and Performance:
what the page shows equals what the queries say; imported text stays text; empty states name
the sheets to upload."""

import json

import pandas as pd
import pyarrow as pa
import pytest

from pmo import queries, store
from tests.conftest import load
from tests.test_pages_ops import app, chart, charts_on, metrics

HOSTILE = "<script>alert(1)</script> **bold** [click](javascript:alert(1)) _x_ =1+1"


def run(db, name, **params):
    with store.connect(db) as con:
        return queries.run(con, name, **{**queries.defaults(name), **params})


def gantt_rows(at) -> pd.DataFrame:
    """The Gantt's project bars (one row per project drawn): its dataset with a rag_label."""
    for el in at.get("vega_lite_chart"):
        title = json.loads(el.proto.spec).get("title", {})
        if str(title.get("text", "")).startswith("Roadmap by"):
            frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in el.proto.datasets]
            return next(f for f in frames if "rag_label" in f.columns)
    raise AssertionError("no Gantt on the page")


def test_roadmap_on_the_demo_shows_what_the_queries_say(monkeypatch, demo_db):
    figures = run(demo_db, "roadmap_kpis").iloc[0]
    at = app(monkeypatch, demo_db, "pages/roadmap.py")
    shown = metrics(at)
    assert shown["Dependencies at risk"] == str(figures["dependencies_at_risk"]) == "4"
    assert shown["Open high risks"] == str(figures["open_high_risks"])
    assert shown["Overdue risks"] == str(figures["overdue_risks"])
    road = run(demo_db, "roadmap")
    assert shown["Projects in view"] == str(len(road))
    # Every project in view with dates is drawn (44 ≤ the 60 drawn by default).
    drawn = gantt_rows(at)
    assert sorted(drawn.project_id) == sorted(
        road.dropna(subset=["start_date", "end_date"]).project_id
    )
    waiting = run(demo_db, "dependencies_at_risk")
    table = next(df.value for df in at.dataframe if "days_waiting" in df.value.columns)
    assert table["days_waiting"].tolist() == waiting["days_waiting"].tolist()
    assert table["days_waiting"].tolist() == sorted(table["days_waiting"], reverse=True)
    # The heat map's cells hold the open risks of the register, 25 cells.
    register = run(demo_db, "risk_register")
    cells = chart(at, "Open risks: probability")
    assert len(cells) == 25 and cells["risks"].sum() == int(register["is_open"].sum())


def test_filters_narrow_the_roadmap_and_the_limit_keeps_the_largest(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, "pages/roadmap.py")
    at.multiselect(key="portfolio").select("Digital Growth").run()
    assert not at.exception
    digital = run(demo_db, "roadmap", portfolio=["Digital Growth"])
    assert sorted(gantt_rows(at).project_id) == sorted(digital.project_id)
    assert metrics(at)["Projects in view"] == str(len(digital))
    # A filter leaves portfolio-wide risks out, and the page says so.
    assert any("clear the filters" in c.value for c in at.caption)
    at.number_input(key="roadmap_limit").set_value(5).run()
    largest = digital.nsmallest(5, "budget_rank")
    assert sorted(gantt_rows(at).project_id) == sorted(largest.project_id)
    assert any(
        c.value.startswith(f"The largest 5 of {len(digital)} projects by budget")
        for c in at.caption
    )
    at.segmented_control(key="roadmap_group").set_value("objective").run()
    assert not at.exception
    assert len(gantt_rows(at)) == 5


def test_hostile_risk_titles_and_project_names_render_as_text(monkeypatch, db):
    load(
        db,
        projects=pd.DataFrame(
            {
                "project_id": ["P1", "P2"],
                "name": [HOSTILE, "Billing"],
                "status": ["Active", "Approved"],
                "budget": [100_000, 50_000],
                "start_date": [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-03-01")],
                "end_date": [pd.Timestamp("2026-06-30"), pd.Timestamp("2026-12-31")],
            }
        ),
        status_reports=pd.DataFrame(
            {
                "project_id": ["P1"],
                "report_date": [pd.Timestamp("2026-03-31")],
                "actual_cost": [10_000],
                "rag_overall": ["Red"],
                "forecast_end_date": [pd.Timestamp("2026-07-31")],
            }
        ),
        dependencies=pd.DataFrame({"project_id": ["P2"], "depends_on": ["P1"]}),
        risks=pd.DataFrame(
            {
                "risk_id": ["R1"],
                "title": [HOSTILE],
                "project_id": ["P1"],
                "probability": [5],
                "impact": [5],
                "owner": [HOSTILE],
            }
        ),
    )
    at = app(monkeypatch, db, "pages/roadmap.py")
    tables = [df.value for df in at.dataframe]
    assert any((t.get("title") == HOSTILE).any() for t in tables if "title" in t.columns)
    assert any((t.get("project_name") == HOSTILE).any() for t in tables if "project_name" in t)
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    # The takeaways carry the title escaped: no raw tag, no live emphasis or link.
    # Billing starts 1 Mar and needs P1, forecast 31 Jul: 31 + 30 + 31 + 30 + 30 = 152 days.
    assert any(t.startswith("1 dependency at risk\\: Billing waits 152 days on") for t in texts)
    for t in texts:
        assert "<script>" not in t and "**bold**" not in t and "](javascript" not in t, t
    assert gantt_rows(at)["name"].tolist().count(HOSTILE) == 1


def test_roadmap_on_an_empty_database_names_the_sheets(monkeypatch, db):
    at = app(monkeypatch, db, "pages/roadmap.py")
    info = " ".join(i.value for i in at.info)
    for sheet in ("**Projects**", "**Milestones**", "**Dependencies**", "**Risks**"):
        assert sheet in info
    assert not charts_on(at)


def test_projects_without_risks_or_dependencies_name_those_sheets(monkeypatch, db):
    load(
        db,
        projects=pd.DataFrame(
            {
                "project_id": ["P1"],
                "name": ["Billing"],
                "status": ["Active"],
                "budget": [1.0],
                "start_date": [pd.Timestamp("2026-01-01")],
                "end_date": [pd.Timestamp("2026-06-30")],
            }
        ),
    )
    at = app(monkeypatch, db, "pages/roadmap.py")
    info = " ".join(i.value for i in at.info)
    assert "**Dependencies**" in info and "**Risks**" in info
    assert len(gantt_rows(at)) == 1


def test_overview_exceptions_list_high_risks_and_dependencies_at_risk(monkeypatch, demo_db):
    high = run(demo_db, "risk_register").query("is_open and band == 'High'")
    waiting = run(demo_db, "dependencies_at_risk")
    at = app(monkeypatch, demo_db, "pages/overview.py")
    labels = [m.value for m in at.markdown]
    assert f"**High risks: {len(high)}** (open, exposure 15 or more)" in labels
    assert f"**Dependencies at risk: {len(waiting)}**" in labels
    table = next(df.value for df in at.dataframe if "exposure" in df.value.columns)
    assert table["title"].tolist() == high["title"].tolist()
    links = [el.proto.page for el in at.get("page_link")]
    assert sum("roadmap" in link for link in links) == 2


@pytest.mark.parametrize("project_id", ["PRJ-145"])
def test_performance_drill_down_lists_the_projects_risks(monkeypatch, demo_db, project_id):
    mine = run(demo_db, "risk_register").query("project_id == @project_id")
    assert len(mine) >= 1
    at = app(monkeypatch, demo_db, "pages/performance.py")
    at.selectbox(key="performance_project").select(project_id).run()
    assert not at.exception
    table = next(df.value for df in at.dataframe if "mitigation" in df.value.columns)
    assert table["risk_id"].tolist() == mine["risk_id"].tolist()
    assert f"**Risks of this project: {len(mine)}**" in " ".join(m.value for m in at.markdown)
