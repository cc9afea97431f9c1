"""AppTest of the operational pages: what they show equals what the queries say."""

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from pmo import filters, format, queries, store, views

ROOT = Path(__file__).resolve().parents[1]


def app(monkeypatch, db, page: str) -> AppTest:
    monkeypatch.setenv("PMO_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def run(db, name, **params):
    with store.connect(db) as con:
        return queries.run(con, name, **filters.query_params(name, **params))


def charts_on(at) -> list[dict]:
    """Each vega-lite chart on the page: its title and its data rows as a DataFrame."""
    out = []
    for el in at.get("vega_lite_chart"):
        spec = json.loads(el.proto.spec)
        title = spec.get("title", {})
        frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in el.proto.datasets]
        # The chart's own rows: its largest dataset (a reference line brings a one-row one).
        main = max(frames, key=len) if frames else pd.DataFrame()
        out.append({"title": title.get("text") if isinstance(title, dict) else title, "data": main})
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
    assert set(zip(marked["group_key"], pd.to_datetime(marked["month"]), strict=True)) == set(
        zip(over["resource_id"], pd.to_datetime(over["month"]), strict=True)
    )
    assert metrics(at)["Over-allocated person-months"] == format.count(len(over))
    assert metrics(at)["People over-allocated"] == format.count(over["resource_id"].nunique())
    table = at.dataframe[0].value
    assert len(table) == len(over)
    # The table shows utilisation in percent points: 1.81 -> 181.
    # A role still to hire (0 capacity) has no utilisation: -1 stands for it on both sides.
    assert table["utilisation"].round(6).fillna(-1).tolist() == (
        (over["utilisation"] * 100).round(6).fillna(-1).tolist()
    )


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


# ---------------------------------------------------------------------- Performance & trends


def test_performance_trend_charts_and_tiles_follow_portfolio_trend(monkeypatch, demo_db):
    trend = run(demo_db, "portfolio_trend")
    at = app(monkeypatch, demo_db, "pages/performance.py")
    last = trend.iloc[-1]
    tiles = metrics(at)
    assert tiles["Cost performance (CPI)"] == format.ratio(last["cpi"])
    assert tiles["Schedule performance (SPI)"] == format.ratio(last["spi"])
    assert tiles["Red projects"] == format.count(last["rag_red"])
    indices = chart(at, "Cost and schedule performance by month")
    assert indices["cpi"].round(9).tolist() == trend["cpi"].round(9).tolist()
    rag = chart(at, "RAG status of in-flight projects by month")
    assert rag["rag_red"].tolist() == trend["rag_red"].tolist()


def test_performance_milestone_chart_shows_the_twenty_largest_slips(monkeypatch, demo_db):
    slips = run(demo_db, "milestone_slip")
    at = app(monkeypatch, demo_db, "pages/performance.py")
    drawn = chart(at, "Milestone slip")
    worst = slips.dropna(subset=["slip_days"]).sort_values("slip_days", ascending=False).head(20)
    assert len(drawn) == 20
    assert sorted(drawn["slip_days"]) == sorted(worst["slip_days"])


def test_performance_drill_down_shows_the_projects_reports_and_latest_comment(monkeypatch, demo_db):
    history = run(demo_db, "project_history", project_id="PRJ-101")
    at = app(monkeypatch, demo_db, "pages/performance.py")
    at.selectbox(key="performance_project").select("PRJ-101").run()
    assert not at.exception
    table = next(df.value for df in at.dataframe if "report_date" in df.value.columns)
    assert table["earned_value"].round(2).tolist() == history["earned_value"].round(2).tolist()
    said = history.dropna(subset=["comment"]).iloc[-1]["comment"]
    assert [t.value for t in at.text] == [said]
    assert len(chart(at, "Mobile App Redesign: CPI and SPI")) == len(history)


def test_a_project_comment_is_shown_as_typed_never_as_markup(monkeypatch, db):
    from tests.conftest import load

    comment = "**Urgent** <img src=x onerror=alert(1)> [call](http://example.com) _now_"
    load(
        db,
        projects=pd.DataFrame(
            {"project_id": ["P1"], "name": ["Billing"], "status": ["Active"], "budget": [100_000]}
        ),
        status_reports=pd.DataFrame(
            {
                "project_id": ["P1"],
                "report_date": [pd.Timestamp("2026-01-31")],
                "actual_cost": [10_000],
                "earned_value": [9_000],
                "planned_value": [10_000],
                "comment": [comment],
            }
        ),
    )
    at = app(monkeypatch, db, "pages/performance.py")
    assert [t.value for t in at.text] == [comment]
    assert not any("Urgent" in m.value for m in at.markdown)


def test_performance_on_an_empty_database_names_the_sheets(monkeypatch, db):
    at = app(monkeypatch, db, "pages/performance.py")
    assert any("**Status Reports**" in i.value for i in at.info)


# ------------------------------------------------------------------------------------ Review


def two_imports(db):
    from tests.conftest import load
    from tests.test_review import FIRST, SECOND

    load(db, **FIRST)
    load(db, **SECOND)


def test_review_strip_counts_the_changes_between_the_last_two_imports(monkeypatch, db):
    two_imports(db)
    at = app(monkeypatch, db, "pages/review.py")
    # The hand-made pair of tests/test_review.py: P7 new; P5 closed; P2, P4 status;
    # P3 RAG better; P1, P2 RAG worse; P1 (forecast) and P3 (planned end) slipped; P2, P4 budget.
    # (The decisions log's tiles follow: tests/test_decisions_page.py.)
    assert dict(list(metrics(at).items())[:7]) == {
        "New projects": "1",
        "Closed": "1",
        "Status changes": "2",
        "RAG better": "1",
        "RAG worse": "2",
        "Slipped": "2",
        "Budget changes": "2",
    }
    moves = chart(at, "RAG movement")
    assert sorted(zip(moves["move"], moves["projects"], strict=True)) == [
        ("Amber → Red", 1),
        ("Green → Amber", 1),
        ("Red → Amber", 1),
    ]
    budget = next(df.value for df in at.dataframe if "delta_amount" in df.value.columns)
    assert sorted(budget["delta_amount"]) == [-10_000, 50_000]  # P4 -10,000; P2 +50,000
    assert [t.label for t in at.tabs][0] == "New projects (1)"


def test_review_by_dates_counts_what_review_changes_returns(monkeypatch, demo_db):
    from pmo import review

    changes = run(
        demo_db,
        "review_changes",
        from_date=pd.Timestamp("2026-06-30").date(),
        to_date=pd.Timestamp("2026-10-31").date(),
    )
    expected = review.counts(changes)
    at = app(monkeypatch, demo_db, "pages/review.py")
    assert at.segmented_control(key="review_mode").value == "Two as-of dates"  # one import only
    at.date_input(key="review_from_date").set_value(pd.Timestamp("2026-06-30").date()).run()
    tiles = metrics(at)
    assert tiles["RAG worse"] == format.count(expected["rag_worse"])
    assert tiles["RAG better"] == format.count(expected["rag_better"])
    assert tiles["Slipped"] == format.count(expected["slipped_projects"])
    assert tiles["Status changes"] == format.DASH  # needs two imports


def test_review_with_one_import_says_what_to_do(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, "pages/review.py")
    at.segmented_control(key="review_mode").set_value("Two imports").run()
    assert any("only one import" in i.value for i in at.info)


def test_review_on_an_empty_database_names_the_sheets(monkeypatch, db):
    at = app(monkeypatch, db, "pages/review.py")
    assert any("**Projects**" in i.value for i in at.info)


# ---------------------------------------------------------------------------------- Benefits


def test_benefits_page_shows_the_benefit_queries(monkeypatch, demo_db):
    by_project = run(demo_db, "benefits_by_project")
    behind = run(demo_db, "benefits_behind")
    with store.connect(demo_db) as con:
        from pmo import kpi

        headline = kpi.headline(con)
    at = app(monkeypatch, demo_db, "pages/benefits.py")
    tiles = metrics(at)
    assert tiles["Planned benefit"] == format.money(by_project["planned"].sum())
    assert tiles["Benefits realisation"] == format.percent(headline["benefits_realization"])
    assert tiles["Benefits behind plan"] == format.count(len(behind))
    bars = chart(at, "Benefits by project")
    top = by_project.sort_values("planned", ascending=False).head(25)
    assert sorted(bars["project_name"]) == sorted(top["project_name"])
    objectives = chart(at, "Benefits by strategic objective")
    # Benefits are shared among objectives, so the objective bars add up to the same total.
    assert objectives["planned"].sum() == pytest.approx(by_project["planned"].sum())


def test_benefits_on_an_empty_database_names_the_sheet(monkeypatch, db):
    at = app(monkeypatch, db, "pages/benefits.py")
    assert any("**Benefits**" in i.value for i in at.info)


def test_benefits_missing_while_projects_are_loaded_still_names_the_sheet(monkeypatch, db):
    from tests.conftest import load

    load(
        db,
        projects=pd.DataFrame(
            {"project_id": ["P1"], "name": ["Billing"], "status": ["Active"], "budget": [1.0]}
        ),
    )
    at = app(monkeypatch, db, "pages/benefits.py")
    assert any("**Benefits**" in i.value and "Upload" in i.value for i in at.info)


def test_a_database_from_before_snapshots_gets_the_table_and_the_review_page_works(
    monkeypatch, demo_db
):
    with store.connect(demo_db, write=True) as con:
        con.execute("drop table pmo_snapshots_projects")
    at = app(monkeypatch, demo_db, "pages/review.py")
    assert not at.exception
    assert at.segmented_control(key="review_mode").value == "Two as-of dates"  # nothing to compare
