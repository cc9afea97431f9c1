"""Benefits realisation and on-time delivery, computed by hand.

Objectives O1 (weight 2), O2 (weight 1). Alignment: A scores O1 = 3, O2 = 1 (shares 3/4, 1/4);
B has no scores (unaligned).

Benefits (as-of 2025-12-31; due = dated on or before it, or undated):
project benefit  planned realized date        due?
A       Savings  100     60       2025-06-30  yes
A       Revenue  200     -        2026-06-30  no
A       Early    50      50       2026-03-31  no (realised early, not yet due)
B       Cost     80      80       -           yes (undated)
B       Fees     40      10       2025-12-31  yes (on the as-of date)
A: planned 350, realized 110 -> rate 110 / 350 = 0.3143 ; due 100 / 60 -> 0.6, shortfall 40
B: planned 120, realized 90 -> rate 0.75 ; due 120 / 90 -> 0.75, shortfall 30
Headline (docs/kpis.md, every benefit): (110 + 90) / (350 + 120) = 200 / 470 = 0.4255

Delivery (Completed, both dates, finished by the as-of date):
B end 2025-06-30, actual 2025-07-10 -> 10 days late
E end 2025-09-30, actual 2025-09-15 -> on time (15 days early)
F end 2025-10-31, no actual       -> not counted
G no end, actual 2025-05-01       -> not counted
H end 2025-11-30, actual 2026-01-15 -> after 2025-12-31: counted only from then, 46 days late
"""

import datetime as dt

import pandas as pd
import pytest

from pmo import filters, kpi, queries, store
from tests.conftest import load

AS_OF = dt.date(2025, 12, 31)


def run(db, name, **params):
    with store.connect(db) as con:
        return queries.run(con, name, **filters.query_params(name, **params))


def headline(db, as_of=AS_OF, **filters):
    with store.connect(db) as con:
        return kpi.headline(con, as_of, **filters)


@pytest.fixture
def delivered(db):
    load(
        db,
        objectives=pd.DataFrame(
            [("O1", "Grow", 2), ("O2", "Serve", 1)], columns=["objective_id", "name", "weight"]
        ),
        projects=pd.DataFrame(
            [
                ("A", "Alpha", "Active", "Ops", None, None, 100),
                ("B", "Beta", "Completed", "IT", "2025-06-30", "2025-07-10", 100),
                ("E", "Epsilon", "Completed", "Ops", "2025-09-30", "2025-09-15", 100),
                ("F", "Phi", "Completed", "Ops", "2025-10-31", None, 100),
                ("G", "Gamma", "Completed", "Ops", None, "2025-05-01", 100),
                ("H", "Eta", "Completed", "Ops", "2025-11-30", "2026-01-15", 100),
            ],
            columns=[
                "project_id",
                "name",
                "status",
                "portfolio",
                "end_date",
                "actual_end_date",
                "budget",
            ],
        ),
        alignment=pd.DataFrame(
            [("A", "O1", 3), ("A", "O2", 1)], columns=["project_id", "objective_id", "score"]
        ),
        benefits=pd.DataFrame(
            [
                ("A", "Savings", 100, 60, "2025-06-30"),
                ("A", "Revenue", 200, None, "2026-06-30"),
                ("A", "Early", 50, 50, "2026-03-31"),
                ("B", "Cost", 80, 80, None),
                ("B", "Fees", 40, 10, "2025-12-31"),
            ],
            columns=["project_id", "benefit", "planned_value", "realized_value", "date"],
        ),
    )
    return db


def test_benefits_by_project(delivered):
    df = run(delivered, "benefits_by_project", as_of=AS_OF).set_index("project_id")
    assert df.planned.to_dict() == {"A": 350, "B": 120}
    assert df.realized.to_dict() == {"A": 110, "B": 90}
    assert df.realisation_rate.to_dict() == pytest.approx({"A": 110 / 350, "B": 0.75})
    assert df.due_planned.to_dict() == {"A": 100, "B": 120}
    assert df.due_realized.to_dict() == {"A": 60, "B": 90}
    assert df.due_rate.to_dict() == pytest.approx({"A": 0.6, "B": 0.75})
    assert df.due_shortfall.to_dict() == {"A": 40, "B": 30}
    # A day earlier "Fees" is not due yet: B due 80 / 80.
    early = run(delivered, "benefits_by_project", as_of=dt.date(2025, 12, 30)).set_index(
        "project_id"
    )
    assert early.due_rate["B"] == 1


def test_headline_benefits_realisation_is_over_every_benefit(delivered):
    assert headline(delivered)["benefits_realization"] == pytest.approx(200 / 470)
    # IT: B only -> 90 / 120
    assert headline(delivered, portfolio=["IT"])["benefits_realization"] == pytest.approx(0.75)
    # No benefits in scope (no Approved project): null, not 0.
    assert headline(delivered, status=["Approved"])["benefits_realization"] is None
    rows = run(delivered, "benefits_by_project", as_of=AS_OF)
    assert headline(delivered)["benefits_realization"] == pytest.approx(
        rows.realized.sum() / rows.planned.sum()
    )


def test_benefits_by_objective_splits_by_score_share(delivered):
    df = run(delivered, "benefits_by_objective", as_of=AS_OF).set_index("objective_id")
    assert df.index.tolist() == ["O1", "O2", "UNALIGNED"]
    # O1 gets 3/4 of A: planned 262.5, due 75 / 45 ; O2 1/4: 87.5, due 25 / 15 ; B unaligned.
    assert df.planned.to_dict() == pytest.approx({"O1": 262.5, "O2": 87.5, "UNALIGNED": 120})
    assert df.due_realized.to_dict() == pytest.approx({"O1": 45, "O2": 15, "UNALIGNED": 90})
    # O1 and O2 share A's rates: 82.5 / 262.5 = 110 / 350 ; due 45 / 75 = 0.6
    assert df.realisation_rate.to_dict() == pytest.approx(
        {"O1": 110 / 350, "O2": 110 / 350, "UNALIGNED": 0.75}
    )
    assert df.due_rate.to_dict() == pytest.approx({"O1": 0.6, "O2": 0.6, "UNALIGNED": 0.75})
    # The rows add up to the portfolio: realised 200 of planned 470.
    assert df.realized.sum() / df.planned.sum() == pytest.approx(
        headline(delivered)["benefits_realization"]
    )


def test_benefits_behind_lists_due_shortfalls(delivered):
    df = run(delivered, "benefits_behind", as_of=AS_OF)
    # Savings 100 - 60 = 40, Fees 40 - 10 = 30 ; Revenue is not due, Cost is fully realised.
    assert list(zip(df.benefit, df.shortfall, strict=True)) == [("Savings", 40), ("Fees", 30)]
    assert run(delivered, "benefits_behind", as_of=AS_OF, portfolio=["IT"]).benefit.tolist() == [
        "Fees"
    ]


def test_on_time_delivery_rows_and_ratio(delivered):
    df = run(delivered, "on_time_delivery", as_of=AS_OF).set_index("project_id")
    assert sorted(df.index) == ["B", "E"]
    assert df.on_time.to_dict() == {"B": False, "E": True}
    assert df.days_late.to_dict() == {"B": 10, "E": 0}
    assert df.days_variance.to_dict() == {"B": 10, "E": -15}
    assert headline(delivered)["on_time_delivery"] == pytest.approx(0.5)  # 1 of 2
    # From 15 Jan 2026 H has finished too, 46 days late: 1 of 3.
    assert headline(delivered, dt.date(2026, 1, 31))["on_time_delivery"] == pytest.approx(1 / 3)
    assert headline(delivered, portfolio=["IT"])["on_time_delivery"] == 0  # B only, late
    # Nothing delivered yet: null.
    assert headline(delivered, dt.date(2025, 1, 31))["on_time_delivery"] is None
