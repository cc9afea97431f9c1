"""Utilisation, over-allocation and capacity-vs-demand queries against hand-computed hours.

October 2025 has 23 weekdays (1 Oct is a Wednesday), November 2025 has 20.
Capacity = weekly hours x weekdays / 5:
resource team role capacity/wk  Oct          Nov
R1       T1   Dev  40           40x23/5=184  160
R2       T1   BA   20           92           80
R3       -    Dev  (blank = 40) 184          160

Allocations: R1 Alpha (Ops) Oct 150 + Beta (IT) Oct 50 = 200 > 184 -> over-allocated;
R1 Alpha Nov 100; R2 Beta Oct 46. Timesheets: R1 Alpha 3 Oct 40 + 31 Oct 30 = 70, 3 Nov 10;
R2 Beta 15 Oct 23.
"""

import datetime as dt

import pandas as pd
import pytest

from pmo import filters, kpi, queries, store
from tests.conftest import load

OCT, NOV = dt.date(2025, 10, 1), dt.date(2025, 11, 1)


def run(db, name, **params):
    with store.connect(db) as con:
        return queries.run(con, name, **filters.query_params(name, **params))


@pytest.fixture
def people(db):
    load(
        db,
        projects=pd.DataFrame(
            [("A", "Alpha", "Active", "Ops", 100), ("B", "Beta", "Active", "IT", 100)],
            columns=["project_id", "name", "status", "portfolio", "budget"],
        ),
        resources=pd.DataFrame(
            [
                ("R1", "Ann", "Dev", "T1", 40),
                ("R2", "Bob", "BA", "T1", 20),
                ("R3", "Cy", "Dev", None, None),
            ],
            columns=["resource_id", "name", "role", "team", "capacity_hours"],
        ),
        allocations=pd.DataFrame(
            [
                ("R1", "A", "2025-10", 150),
                ("R1", "B", "2025-10", 50),
                ("R1", "A", "2025-11", 100),
                ("R2", "B", "2025-10", 46),
            ],
            columns=["resource_id", "project_id", "month", "hours"],
        ),
        timesheets=pd.DataFrame(
            [
                ("R1", "A", "2025-10-03", 40),
                ("R1", "A", "2025-10-31", 30),
                ("R1", "A", "2025-11-03", 10),
                ("R2", "B", "2025-10-15", 23),
            ],
            columns=["resource_id", "project_id", "date", "hours"],
        ),
    )
    return db


WINDOW = {"from_month": OCT, "to_month": NOV}


def test_resource_utilisation_uses_weekday_capacity(people):
    df = run(people, "utilisation", **WINDOW)
    rows = {(r.group_key, r.month.date()): r for r in df.itertuples()}
    assert len(rows) == 3 * 2  # every resource x month, with no filter
    r1_oct = rows[("R1", OCT)]
    assert r1_oct.weekdays == 23
    assert r1_oct.capacity_hours == pytest.approx(184)  # 40 x 23 / 5
    assert r1_oct.allocated_hours == 200
    assert r1_oct.utilisation == pytest.approx(200 / 184)  # 1.087
    assert r1_oct.actual_hours == 70
    assert r1_oct.actual_utilisation == pytest.approx(70 / 184)
    assert r1_oct.over_allocated
    assert (r1_oct.group_label, r1_oct.team, r1_oct.role) == ("Ann", "T1", "Dev")
    assert rows[("R1", NOV)].capacity_hours == pytest.approx(160)  # 40 x 20 / 5
    assert rows[("R1", NOV)].utilisation == pytest.approx(100 / 160)
    assert rows[("R2", OCT)].utilisation == pytest.approx(0.5)  # 46 / (20 x 23 / 5 = 92)
    # R3: blank capacity loads as 40 h/week; no hours -> 0, not null; no team -> 'No team'.
    r3 = rows[("R3", OCT)]
    assert (r3.capacity_hours, r3.allocated_hours, r3.utilisation, r3.team) == (
        184,
        0,
        0,
        "No team",
    )


def test_team_and_role_are_sums_of_hours_over_sums_of_capacity(people):
    team = {
        (r.group_key, r.month.date()): r
        for r in run(people, "utilisation", group="team", **WINDOW).itertuples()
    }
    # T1 Oct: (200 + 46) / (184 + 92) = 246 / 276 = 0.8913 -- not over-allocated although R1 is.
    assert team[("T1", OCT)].utilisation == pytest.approx(246 / 276)
    assert not team[("T1", OCT)].over_allocated
    assert pd.isna(team[("T1", OCT)].role)
    assert team[("No team", OCT)].capacity_hours == pytest.approx(184)
    role = {
        (r.group_key, r.month.date()): r
        for r in run(people, "utilisation", group="role", **WINDOW).itertuples()
    }
    # Dev Oct: R1 + R3: 200 / (184 + 184) = 0.5435
    assert role[("Dev", OCT)].utilisation == pytest.approx(200 / 368)
    assert role[("BA", NOV)].capacity_hours == pytest.approx(80)


def test_filter_narrows_hours_not_capacity(people):
    df = run(people, "utilisation", portfolio=["IT"], **WINDOW)
    rows = {(r.group_key, r.month.date()): r for r in df.itertuples()}
    # Only Beta's hours: R1 Oct 50 / 184 ; R2 Oct 46 / 92. R3 has no Beta hours: not listed.
    assert sorted({k for k, _ in rows}) == ["R1", "R2"]
    assert rows[("R1", OCT)].utilisation == pytest.approx(50 / 184)
    assert not rows[("R1", OCT)].over_allocated
    assert rows[("R1", OCT)].actual_hours == 0  # R1 booked only to Alpha
    assert rows[("R2", OCT)].actual_hours == 23


def test_default_window_is_twelve_months_to_the_as_of_month(people):
    df = run(people, "utilisation", as_of=dt.date(2025, 11, 15))
    months = sorted({m.date() for m in df.month})
    assert months[0] == dt.date(2024, 12, 1) and months[-1] == NOV and len(months) == 12
    # "YYYY-MM" text, as the command line passes it, selects the same window.
    text = run(people, "utilisation", from_month="2025-10", to_month="2025-11")
    assert len(text) == 6


def test_bad_group_is_an_error(people):
    with pytest.raises(Exception, match="resource, team or role"):
        run(people, "utilisation", group="planet")


def test_overallocations_list_the_load_largest_first(people):
    df = run(people, "overallocations", **WINDOW)
    assert len(df) == 1  # R1 in October only
    row = df.iloc[0]
    assert (row.resource_id, row.month.date()) == ("R1", OCT)
    assert row.excess_hours == pytest.approx(16)  # 200 - 184
    assert row.utilisation == pytest.approx(200 / 184)
    assert row.projects == "Alpha (150 h), Beta (50 h)"
    assert row.project_count == 2
    # Under the Ops filter Alpha alone (150 h) does not exceed 184 h.
    assert run(people, "overallocations", portfolio=["Ops"], **WINDOW).empty


def test_capacity_vs_demand_by_role(people):
    df = run(people, "capacity_demand_by_role", **WINDOW)
    rows = {(r.role, r.month.date()): r for r in df.itertuples()}
    dev = rows[("Dev", OCT)]
    # Dev Oct: capacity 184 + 184 = 368, demand 200, actual 70, gap 168
    assert (dev.capacity_hours, dev.demand_hours, dev.actual_hours, dev.gap_hours) == (
        368,
        200,
        70,
        168,
    )
    assert dev.resources == 2
    assert rows[("BA", OCT)].demand_hours == 46
    ba = run(people, "capacity_demand_by_role", portfolio=["Ops"], **WINDOW)
    assert set(ba.role) == {"Dev"}  # BA has no hours on Ops projects


def test_headline_utilisation_is_the_as_of_month_over_all_resources(people):
    with store.connect(people) as con:
        out = kpi.headline(con, dt.date(2025, 10, 31))
        it = kpi.headline(con, dt.date(2025, 10, 31), portfolio=["IT"])
        nov = kpi.headline(con, dt.date(2025, 11, 30))
    # October: (200 + 46 + 0) / (184 + 92 + 184) = 246 / 460 = 0.5348 ; R1 over-allocated.
    assert out["utilization"] == pytest.approx(246 / 460)
    assert out["overallocated_resources"] == 1
    # IT: (50 + 46) / 460 -- capacity stays every resource's; nobody over-allocated.
    assert it["utilization"] == pytest.approx(96 / 460)
    assert it["overallocated_resources"] == 0
    # November: 100 / (160 + 80 + 160) = 0.25
    assert nov["utilization"] == pytest.approx(0.25)
    assert nov["overallocated_resources"] == 0


def test_no_resources_gives_null_utilisation(db):
    load(
        db,
        projects=pd.DataFrame(
            [("A", "Alpha", "Active", 100)], columns=["project_id", "name", "status", "budget"]
        ),
    )
    with store.connect(db) as con:
        out = kpi.headline(con)
    assert out["utilization"] is None
    assert out["overallocated_resources"] is None
