"""Monthly trends, headline trend/change and the project drill-down, computed by hand.

project status    portfolio budget start..end (364 days)   reports (PV / EV / AC, RAG)
A       Active    Ops       100    2025-01-01..2025-12-31  31 Jan: 10 / 8 / 10 -> CPI 0.8 -> Red
                                                           28 Feb: PV, EV blank, 20 % done, AC 20
                                                                   EV = 100 x 20 % = 20 ;
                                                                   PV = 100 x 58 / 364 = 15.934
                                                                   CPI 1.0, SPI 1.255 -> Green
                                                           15 Apr: 40 / 30 / 50, none -> Red
B       On Hold   IT        50     2025-01-01..2025-12-31  10 Feb: 20 / 20 / 25, Amber reported
C       Completed Ops       70                             31 Dec 2024: 70 / 70 / 70 (not in flight)
D       Active    Ops       200                            no reports
"""

import datetime as dt

import pandas as pd
import pytest

from pmo import filters, kpi, queries, store
from tests.conftest import load

PV_FEB = 100 * 58 / 364


def run(db, name, **params):
    with store.connect(db) as con:
        return queries.run(con, name, **filters.query_params(name, **params))


@pytest.fixture
def history(db):
    load(
        db,
        projects=pd.DataFrame(
            [
                ("A", "Alpha", "Active", "Ops", "2025-01-01", "2025-12-31", 100),
                ("B", "Beta", "On Hold", "IT", "2025-01-01", "2025-12-31", 50),
                ("C", "Gamma", "Completed", "Ops", "2024-01-01", "2024-12-31", 70),
                ("D", "Delta", "Active", "Ops", "2025-01-01", "2025-12-31", 200),
            ],
            columns=[
                "project_id",
                "name",
                "status",
                "portfolio",
                "start_date",
                "end_date",
                "budget",
            ],
        ),
        status_reports=pd.DataFrame(
            [
                ("A", "2025-01-31", None, 10, 8, 10, None, "ok"),
                ("A", "2025-02-28", 20, None, None, 20, None, "derived"),
                ("A", "2025-04-15", None, 40, 30, 50, None, "late"),
                ("B", "2025-02-10", None, 20, 20, 25, "Amber", None),
                ("C", "2024-12-31", 100, 70, 70, 70, "Green", None),
            ],
            columns=[
                "project_id",
                "report_date",
                "percent_complete",
                "planned_value",
                "earned_value",
                "actual_cost",
                "rag_overall",
                "comment",
            ],
        ),
    )
    return db


def test_portfolio_trend_by_month_end(history):
    df = run(history, "portfolio_trend", as_of=dt.date(2025, 3, 31))
    # From the first in-flight report (A, 31 Jan) to the as-of month; the 15 Apr report is ignored.
    assert [d.date() for d in df.month] == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
    ]
    jan, feb, mar = (df.iloc[i] for i in range(3))
    # January: A only: CPI 8 / 10 = 0.8, SPI 8 / 10 = 0.8, Red
    assert (jan.planned_value, jan.earned_value, jan.actual_cost) == (10, 8, 10)
    assert jan.cpi == pytest.approx(0.8) and jan.spi == pytest.approx(0.8)
    assert (jan.rag_green, jan.rag_amber, jan.rag_red, jan.projects) == (0, 0, 1, 1)
    assert jan.in_flight_projects == 3  # A, B, D (C is Completed)
    # February: A (derived) + B: PV 15.934 + 20, EV 20 + 20 = 40, AC 20 + 25 = 45
    assert feb.planned_value == pytest.approx(PV_FEB + 20)
    assert feb.cpi == pytest.approx(40 / 45)  # 0.8889, a ratio of sums
    assert feb.spi == pytest.approx(40 / (PV_FEB + 20))
    assert (feb.rag_green, feb.rag_amber, feb.rag_red, feb.projects) == (1, 1, 0, 2)
    # March: no new reports -> same as February.
    assert mar.cpi == pytest.approx(40 / 45)


def test_portfolio_trend_last_point_is_the_as_of_date(history):
    df = run(history, "portfolio_trend")  # as-of = latest report, 15 Apr 2025
    last = df.iloc[-1]
    assert last.month.date() == dt.date(2025, 4, 30)
    assert last.measured_at.date() == dt.date(2025, 4, 15)
    # A 40 / 30 / 50 + B 20 / 20 / 25 -> CPI 50 / 75, SPI 50 / 60
    assert last.cpi == pytest.approx(50 / 75)
    assert last.spi == pytest.approx(50 / 60)
    with store.connect(history) as con:
        out = kpi.headline(con)
    assert out["portfolio_cpi"] == pytest.approx(last.cpi)
    assert out["rag_red"] == last.rag_red == 1


def test_portfolio_trend_filter(history):
    df = run(history, "portfolio_trend", portfolio=["IT"], as_of=dt.date(2025, 3, 31))
    # B only, first reported 10 Feb: February and March, CPI 20 / 25.
    assert [d.date() for d in df.month] == [dt.date(2025, 2, 28), dt.date(2025, 3, 31)]
    assert df.cpi.tolist() == pytest.approx([0.8, 0.8])
    assert (df.in_flight_projects == 1).all()


def test_headline_trend_has_thirteen_month_ends(history):
    df = run(history, "headline_trend", as_of=dt.date(2025, 3, 31))
    assert len(df) == 13
    assert df.month.iloc[0].date() == dt.date(2024, 3, 31)
    assert df.month.iloc[-1].date() == dt.date(2025, 3, 31)
    feb = df[df.month.dt.date == dt.date(2025, 2, 28)].iloc[0]
    assert feb.portfolio_cpi == pytest.approx(40 / 45)
    # Before the first report there is nothing to divide: null, never 0.
    assert pd.isna(df.portfolio_cpi.iloc[0])
    assert list(df.columns) == ["month", *kpi.SERIES_KEYS]
    with store.connect(history) as con:
        out = kpi.headline(con, dt.date(2025, 3, 31))
    last = df.iloc[-1]
    for key in (
        "portfolio_cpi",
        "portfolio_spi",
        "earned_value",
        "rag_green",
        "in_flight_projects",
    ):
        assert last[key] == pytest.approx(out[key]), key


def test_headline_change_is_against_the_previous_month_end(history):
    df = run(history, "headline_change").set_index("kpi")  # as-of 15 Apr, previous 31 Mar
    assert df.index.tolist() == list(kpi.SERIES_KEYS[1:])
    assert df.previous_as_of.iloc[0].date() == dt.date(2025, 3, 31)
    # CPI 50 / 75 now, 40 / 45 at 31 Mar: change = 0.6667 - 0.8889 = -0.2222
    assert df.value["portfolio_cpi"] == pytest.approx(50 / 75)
    assert df.previous_value["portfolio_cpi"] == pytest.approx(40 / 45)
    assert df.change["portfolio_cpi"] == pytest.approx(50 / 75 - 40 / 45)
    # A was Green at 31 Mar (its 28 Feb report) and is Red now: red 0 -> 1, change +1
    assert (df.value["rag_red"], df.previous_value["rag_red"], df.change["rag_red"]) == (1, 0, 1)
    # No resources, no benefits: null value and null change, never 0.
    assert pd.isna(df.value["utilization"]) and pd.isna(df.change["utilization"])


def test_project_history_derives_missing_values(history):
    df = run(history, "project_history", project_id="A", as_of=dt.date(2025, 3, 31))
    assert [d.date() for d in df.report_date] == [dt.date(2025, 1, 31), dt.date(2025, 2, 28)]
    feb = df.iloc[1]
    assert feb.earned_value == pytest.approx(20)  # 100 x 20 %
    assert feb.planned_value == pytest.approx(PV_FEB)
    assert feb.cpi == pytest.approx(1.0)
    assert (feb.rag, feb.comment) == ("Green", "derived")
    assert len(run(history, "project_history", project_id="A")) == 3  # as-of 15 Apr
    assert run(history, "project_history", project_id="A", portfolio=["IT"]).empty
    assert run(history, "project_history").empty  # no project chosen
