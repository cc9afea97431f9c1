import datetime as dt

import pandas as pd
import pytest

from pmo import filters, kpi, queries, store
from tests.conftest import load


def projects(*rows):
    cols = ["project_id", "name", "status", "start_date", "end_date", "budget", "portfolio"]
    return pd.DataFrame(list(rows), columns=cols)


def reports(*rows):
    cols = [
        "project_id",
        "report_date",
        "percent_complete",
        "planned_value",
        "earned_value",
        "actual_cost",
        "rag_overall",
        "rag_schedule",
        "rag_budget",
    ]
    return pd.DataFrame(list(rows), columns=cols)


@pytest.fixture
def two_projects(db):
    load(
        db,
        projects=projects(
            ("A", "Alpha", "Active", "2025-01-01", "2025-12-31", 100, "Ops"),
            ("B", "Beta", "Active", "2025-01-01", "2025-12-31", 50, "IT"),
            ("C", "Gamma", "Completed", "2024-01-01", "2024-12-31", 70, "Ops"),
        ),
        status_reports=reports(
            ("A", "2025-06-30", None, 100, 90, 100, None, None, None),
            # After the as-of date below: must be ignored.
            ("A", "2025-08-31", None, 100, 10, 1000, "Red", None, None),
            ("B", "2025-06-30", None, 40, 40, 50, None, "Amber", "Green"),
            ("C", "2024-12-31", 100, 70, 70, 70, "Green", None, None),
        ),
    )
    return db


def test_portfolio_cpi_is_a_ratio_of_sums_not_a_mean(two_projects):
    with store.connect(two_projects) as con:
        out = kpi.headline(con, dt.date(2025, 7, 31))
    # In flight: A and B. CPI = (90 + 40) / (100 + 50) = 0.8667, not mean(0.9, 0.8) = 0.85.
    assert out["portfolio_cpi"] == pytest.approx(130 / 150)
    # SPI = (90 + 40) / (100 + 40) = 0.9286
    assert out["portfolio_spi"] == pytest.approx(130 / 140)
    assert out["in_flight_projects"] == 2
    # total budget of in-portfolio projects (A, B; C is Completed) = 150
    assert out["total_budget"] == 150
    assert out["as_of"] == "2025-07-31"


def test_rag_from_report_else_worst_dimension_else_indices(two_projects):
    with store.connect(two_projects) as con:
        evm = queries.run(
            con, "project_evm", **filters.query_params("project_evm", as_of=dt.date(2025, 7, 31))
        )
    rag = dict(zip(evm.project_id, zip(evm.rag, evm.rag_source, strict=True), strict=True))
    # A: no RAG reported; CPI 0.9, SPI 0.9 -> min 0.9 in [0.85, 0.95) -> Amber
    assert rag["A"] == ("Amber", "cpi/spi")
    # B: worst of schedule Amber and budget Green -> Amber
    assert rag["B"] == ("Amber", "dimensions")
    assert rag["C"] == ("Green", "reported")


def test_latest_report_wins_when_as_of_moves_on(two_projects):
    with store.connect(two_projects) as con:
        out = kpi.headline(con, None)  # as-of defaults to the latest report, 2025-08-31
    # A now: EV 10, AC 1000 ; B: EV 40, AC 50 -> CPI = 50 / 1050
    assert out["as_of"] == "2025-08-31"
    assert out["portfolio_cpi"] == pytest.approx(50 / 1050)
    assert out["rag_red"] == 1


def test_missing_ev_and_pv_are_derived(db):
    load(
        db,
        projects=projects(("D", "Delta", "Active", "2025-01-01", "2025-12-31", 200, "Ops")),
        status_reports=reports(("D", "2025-07-02", 25, None, None, 60, None, None, None)),
    )
    with store.connect(db) as con:
        row = queries.run(con, "project_evm", **filters.query_params("project_evm")).iloc[0]
    # EV = 200 x 25 / 100 = 50 ; PV = 200 x 182 / 364 days elapsed = 100
    assert row.earned_value == pytest.approx(50)
    assert row.planned_value == pytest.approx(100)
    # CPI = 50 / 60 = 0.833, SPI = 0.5, CV = -10, SV = -50, EAC = 200 / 0.8333 = 240, VAC = -40
    assert row.cpi == pytest.approx(50 / 60)
    assert row.spi == pytest.approx(0.5)
    assert (row.cv, row.sv) == (pytest.approx(-10), pytest.approx(-50))
    assert row.eac == pytest.approx(240)
    assert row.vac == pytest.approx(-40)
    # TCPI = (200 - 50) / (200 - 60) = 1.0714
    assert row.tcpi == pytest.approx(150 / 140)
    assert row.rag == "Red"


def test_zero_divisors_give_null_not_an_error(db):
    load(
        db,
        projects=projects(("Z", "Zero", "Active", "2025-01-01", "2025-12-31", 100, "Ops")),
        status_reports=reports(("Z", "2025-01-01", 0, 0, 0, 0, None, None, None)),
    )
    with store.connect(db) as con:
        row = queries.run(con, "project_evm", **filters.query_params("project_evm")).iloc[0]
        out = kpi.headline(con)
    assert pd.isna(row.cpi) and pd.isna(row.spi) and pd.isna(row.eac)
    assert pd.isna(row.rag)
    assert out["portfolio_cpi"] is None


def test_filters_narrow_the_headline(two_projects):
    with store.connect(two_projects) as con:
        out = kpi.headline(con, dt.date(2025, 7, 31), portfolio=["IT"])
    # Only B: CPI = 40 / 50
    assert out["in_flight_projects"] == 1
    assert out["portfolio_cpi"] == pytest.approx(0.8)
