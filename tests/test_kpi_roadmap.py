"""Issue 17: dependencies at risk, risk exposure and the roadmap rows, against hand-computed
figures (docs/kpis.md "Dependency at risk" and "Risk exposure", §5 page 9).

One small portfolio, imported through the real importer, as-of 31 Mar 2026 (the latest report).
"""

import datetime as dt

import pandas as pd
import pytest

from pmo import kpi, queries, store
from tests.conftest import load

D = dt.date
AS_OF = D(2026, 3, 31)

PROJECTS = pd.DataFrame(
    [
        # project_id, name, portfolio, business_unit, status, start, end, actual end, budget
        (
            "A",
            "Data Centre Exit",
            "Tech",
            "IT",
            "Active",
            D(2026, 1, 1),
            D(2026, 6, 30),
            None,
            900_000,
        ),
        (
            "B",
            "Core Banking Upgrade",
            "Core",
            "Retail",
            "Approved",
            D(2026, 7, 1),
            D(2027, 6, 30),
            None,
            5_000_000,
        ),
        (
            "C",
            "Network Refresh",
            "Tech",
            "IT",
            "Active",
            D(2026, 2, 1),
            D(2026, 9, 30),
            None,
            400_000,
        ),
        (
            "D",
            "Observability Platform",
            "Tech",
            "IT",
            "Approved",
            D(2026, 10, 15),
            D(2027, 3, 31),
            None,
            300_000,
        ),
        (
            "E",
            "API Gateway",
            "Core",
            "IT",
            "Approved",
            D(2026, 4, 1),
            D(2026, 12, 31),
            None,
            700_000,
        ),
        (
            "F",
            "Cloud Landing Zone",
            "Tech",
            "IT",
            "Approved",
            D(2026, 4, 20),
            D(2026, 11, 30),
            None,
            600_000,
        ),
        (
            "G",
            "Developer Platform",
            "Tech",
            "IT",
            "Approved",
            D(2026, 5, 1),
            D(2026, 12, 31),
            None,
            200_000,
        ),
        (
            "H",
            "Mainframe Cost Reduction",
            "Core",
            "Ops",
            "Approved",
            D(2026, 6, 1),
            D(2026, 12, 31),
            None,
            250_000,
        ),
        (
            "I",
            "ERP Finance Upgrade",
            "Core",
            "Finance",
            "Active",
            D(2026, 3, 1),
            D(2026, 12, 31),
            None,
            800_000,
        ),
        (
            "J",
            "Identity Modernisation",
            "Tech",
            "IT",
            "Completed",
            D(2025, 6, 1),
            D(2026, 2, 28),
            D(2026, 3, 10),
            350_000,
        ),
        (
            "K",
            "Legacy CRM Decommission",
            "Core",
            "Retail",
            "Completed",
            D(2025, 9, 1),
            D(2026, 2, 28),
            D(2026, 2, 20),
            150_000,
        ),
        (
            "X",
            "Branch Kiosks",
            "Core",
            "Retail",
            "Cancelled",
            D(2025, 9, 1),
            D(2026, 8, 31),
            None,
            100_000,
        ),
        ("U", "Undated Idea", "Core", "Retail", "Proposed", None, None, None, 50_000),
    ],
    columns=[
        "project_id",
        "name",
        "portfolio",
        "business_unit",
        "status",
        "start_date",
        "end_date",
        "actual_end_date",
        "budget",
    ],
)

REPORTS = pd.DataFrame(
    [
        # A slipped: forecast moved from 10 Jul to 15 Aug; the latest report (31 Mar) counts.
        ("A", D(2026, 2, 28), 40, 100_000, "Amber", D(2026, 7, 10)),
        ("A", D(2026, 3, 31), 50, 200_000, "Red", D(2026, 8, 15)),
        ("C", D(2026, 3, 31), 30, 100_000, "Green", None),
        ("I", D(2026, 3, 31), 5, 40_000, "Green", D(2026, 12, 31)),
        ("J", D(2026, 2, 28), 95, 300_000, "Amber", D(2026, 3, 10)),
    ],
    columns=[
        "project_id",
        "report_date",
        "percent_complete",
        "actual_cost",
        "rag_overall",
        "forecast_end_date",
    ],
)

MILESTONES = pd.DataFrame(
    [
        ("A", "Design complete", D(2026, 3, 15), D(2026, 5, 11), None),
        ("A", "Build complete", D(2026, 5, 20), None, None),
    ],
    columns=["project_id", "milestone", "baseline_date", "forecast_date", "actual_date"],
)

DEPENDENCIES = pd.DataFrame(
    [
        ("B", "A", None, None),  # finish-to-start by default
        ("D", "C", None, "finish-to-start"),
        ("E", "F", None, "start-to-start"),
        ("G", "A", "Design complete", None),
        ("H", "A", "Build complete", "finish-to-start"),
        ("I", "J", None, None),
        ("K", "A", None, None),
    ],
    columns=["project_id", "depends_on", "milestone", "type"],
)

HOSTILE = "<script>alert(1)</script> **bold** [click](javascript:alert(1)) =1+1"

RISKS = pd.DataFrame(
    [
        # risk_id, title, project, P, I, status, raised, due, closed
        ("R1", "Vendor exit slips", "A", 3, 5, "Open", D(2025, 12, 1), D(2026, 3, 1), None),
        (
            "R2",
            "Key engineer leaves",
            "C",
            4,
            2,
            "Mitigating",
            D(2026, 1, 15),
            D(2026, 4, 30),
            None,
        ),
        ("R3", "Licence cost rise", "C", 2, 3, "Closed", D(2026, 1, 20), None, D(2026, 2, 10)),
        ("R4", "Regulator changes reporting rules", None, 3, 4, "Open", D(2026, 1, 5), None, None),
        ("R5", "Old closed risk", "A", 5, 5, "Closed", D(2026, 2, 1), None, None),
        ("R6", "Raised after the as-of date", "A", 4, 4, "Open", D(2026, 5, 1), None, None),
        ("R7", "Test data unavailable", "I", 1, 5, "Open", D(2026, 3, 2), None, None),
        ("R8", HOSTILE, "E", 2, 4, "Open", D(2026, 3, 10), D(2026, 3, 30), None),
        ("R9", "Core vendor insolvency", "B", 4, 4, "Open", D(2026, 2, 15), None, None),
    ],
    columns=[
        "risk_id",
        "title",
        "project_id",
        "probability",
        "impact",
        "status",
        "raised_date",
        "due_date",
        "closed_date",
    ],
)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("roadmap") / "roadmap.duckdb"
    with store.connect(path, write=True):
        pass
    load(
        path,
        projects=PROJECTS,
        status_reports=REPORTS,
        milestones=MILESTONES,
        dependencies=DEPENDENCIES,
        risks=RISKS,
    )
    with store.connect(path) as c:
        yield c


def run(con, name, **params):
    return queries.run(con, name, **{**queries.defaults(name), **params})


def rows(frame, columns):
    return [tuple(r) for r in frame[columns].itertuples(index=False)]


# ------------------------------------------------------------------------------ dependencies


def test_dependency_links_slack_in_days_for_each_kind_of_link(con):
    links = run(con, "dependency_links").set_index("project_id")
    # B waits on A, finish-to-start (the default type): A's finish is the forecast of its
    # latest report (31 Mar: 15 Aug 2026, not the 10 Jul of February nor the planned 30 Jun).
    # slack = B's start 1 Jul − 15 Aug = −(30 days of July after the 1st + 1 + 14) = −45.
    b = links.loc["B"]
    assert (b.link, b.predecessor_date.date(), b.predecessor_date_source) == (
        "finish-to-start",
        D(2026, 8, 15),
        "forecast",
    )
    assert (b.slack_days, b.state, bool(b.at_risk)) == (-45, "At risk", True)
    # D waits on C, finish-to-start: C reports no forecast, so its planned end 30 Sep counts.
    # slack = 15 Oct − 30 Sep = 15 days.
    d = links.loc["D"]
    assert (d.predecessor_date.date(), d.predecessor_date_source) == (D(2026, 9, 30), "plan")
    assert (d.slack_days, d.state, bool(d.at_risk)) == (15, "On track", False)
    # E starts with F, start-to-start: F starts 20 Apr, E on 1 Apr: slack = 1 Apr − 20 Apr = −19.
    e = links.loc["E"]
    assert (e.link, e.predecessor_date.date(), e.slack_days, e.state) == (
        "start-to-start",
        D(2026, 4, 20),
        -19,
        "At risk",
    )
    # G needs A's "Design complete": forecast 11 May (baseline 15 Mar is not what counts);
    # slack = 1 May − 11 May = −10.
    g = links.loc["G"]
    assert (
        g.link,
        g.predecessor_date.date(),
        g.predecessor_date_source,
        g.slack_days,
        g.state,
    ) == ("milestone", D(2026, 5, 11), "milestone forecast", -10, "At risk")
    # H needs A's "Build complete", which has no forecast: its baseline 20 May counts;
    # slack = 1 Jun − 20 May = 12 (the type column says finish-to-start; the milestone decides).
    h = links.loc["H"]
    assert (h.link, h.predecessor_date.date(), h.slack_days, h.state) == (
        "milestone",
        D(2026, 5, 20),
        12,
        "On track",
    )
    # I needed J (Completed 10 Mar) by 1 Mar: slack −9, but J is done by the as-of date, so the
    # link is met, not at risk. K is Completed itself: its link is closed.
    assert (links.loc["I"].slack_days, links.loc["I"].state) == (-9, "Met")
    assert links.loc["K"].state == "Closed"
    assert int(links.at_risk.sum()) == 3


def test_dependencies_at_risk_lists_who_waits_for_whom_longest_wait_first(con):
    table = run(con, "dependencies_at_risk")
    assert rows(table, ["project_name", "predecessor_name", "link", "days_waiting"]) == [
        ("Core Banking Upgrade", "Data Centre Exit", "finish-to-start", 45),
        ("API Gateway", "Cloud Landing Zone", "start-to-start", 19),
        ("Developer Platform", "Data Centre Exit", "milestone", 10),
    ]
    assert kpi.headline(con)["dependencies_at_risk"] == 3


def test_dependencies_follow_the_dependent_through_the_filters(con):
    core = run(con, "dependency_links", portfolio=["Core"])
    # Dependents in Core: B, E, H, I, K; their predecessors A, F, J are in Tech (outside the view).
    assert sorted(core.project_id) == ["B", "E", "H", "I", "K"]
    assert not core.predecessor_in_view.any()
    assert sorted(run(con, "dependencies_at_risk", portfolio=["Core"]).project_id) == ["B", "E"]
    assert kpi.headline(con, portfolio=["Core"])["dependencies_at_risk"] == 2
    assert kpi.headline(con, portfolio=["Tech"])["dependencies_at_risk"] == 1  # G


def test_an_earlier_as_of_date_uses_the_forecast_known_then(con):
    # At 28 Feb, A's forecast was 10 Jul: B's slack = 1 Jul − 10 Jul = −9.
    links = run(con, "dependency_links", as_of=D(2026, 2, 28)).set_index("project_id")
    assert links.loc["B"].slack_days == -9
    # J was not finished by 28 Feb: I's link (slack 1 Mar − 10 Mar = −9) is then at risk.
    assert links.loc["I"].state == "At risk"


# ------------------------------------------------------------------------------------ risks


def test_exposure_bands_at_the_8_and_15_edges(con):
    reg = run(con, "risk_register").set_index("risk_id")
    # exposure = probability × impact: 3×5 = 15 is High (the lowest High); 3×4 = 12 is Medium
    # (the highest product below 15); 4×2 = 8 and 2×4 = 8 are Medium (the lowest); 2×3 = 6
    # is Low (the highest below 8); 1×5 = 5 Low; 4×4 = 16 High.
    assert rows(reg.reset_index(), ["risk_id", "exposure", "band"]) == [
        ("R9", 16, "High"),
        ("R1", 15, "High"),
        ("R4", 12, "Medium"),
        ("R8", 8, "Medium"),
        ("R2", 8, "Medium"),
        ("R7", 5, "Low"),
        ("R5", 25, "High"),  # closed (status Closed, no date): listed after the open ones
        ("R3", 6, "Low"),  # closed on 10 Feb
    ]  # R6 was raised on 1 May, after the as-of date: not in the register yet
    cells = run(con, "risk_heatmap").set_index(["probability", "impact"])
    # Every cell of the matrix by the same rule: 25 cells; High = products ≥ 15: 3×5, 5×3,
    # 4×4, 4×5, 5×4, 5×5 (6 cells); Medium = 8–14: 2×4, 4×2, 3×3, 2×5, 5×2, 3×4, 4×3 (7);
    # the other 25 − 13 = 12 are Low.
    assert len(cells) == 25
    assert cells.band.value_counts().to_dict() == {"Low": 12, "Medium": 7, "High": 6}
    assert cells.loc[(3, 5), "band"] == "High" and cells.loc[(3, 4), "band"] == "Medium"
    assert cells.loc[(2, 4), "band"] == "Medium" and cells.loc[(2, 3), "band"] == "Low"


def test_open_and_overdue_risks_at_the_as_of_date(con):
    reg = run(con, "risk_register").set_index("risk_id")
    assert sorted(reg.index[reg.is_open]) == ["R1", "R2", "R4", "R7", "R8", "R9"]
    # Overdue = open and due before 31 Mar: R1 (due 1 Mar: 30 days) and R8 (due 30 Mar: 1 day);
    # R2 is due 30 Apr; R3 was due never and is closed anyway.
    overdue = reg[reg.overdue]
    assert overdue.days_overdue.to_dict() == {"R1": 30, "R8": 1}
    assert reg.loc["R4", "scope"] == "Portfolio" and pd.isna(reg.loc["R4", "project_name"])
    out = kpi.headline(con)
    assert out["open_high_risks"] == 2  # R9 (16) and R1 (15); R5 (25) is closed


def test_heat_map_counts_equal_the_risks_table(con):
    for params in ({}, {"portfolio": ["Tech"]}, {"as_of": D(2026, 1, 31)}):
        cells = run(con, "risk_heatmap", **params)
        reg = run(con, "risk_register", **params)
        open_ = reg[reg.is_open]
        expected = open_.groupby(["probability", "impact"]).size().to_dict()
        got = {
            (p, i): n
            for p, i, n in rows(cells[cells.risks > 0], ["probability", "impact", "risks"])
        }
        assert got == expected, params
        assert cells.risks.sum() == len(open_)
    cells = run(con, "risk_heatmap").set_index(["probability", "impact"])
    # Open at 31 Mar: R1 (3,5), R2 (4,2), R4 (3,4, portfolio), R7 (1,5), R8 (2,4), R9 (4,4).
    assert cells.risks[cells.risks > 0].to_dict() == {
        (4, 2): 1,
        (4, 4): 1,
        (3, 4): 1,
        (3, 5): 1,
        (2, 4): 1,
        (1, 5): 1,
    }
    assert cells.loc[(3, 4), "portfolio_risks"] == 1 and cells.loc[(3, 4), "project_risks"] == 0


def test_portfolio_risks_only_without_filters(con):
    tech = run(con, "risk_register", portfolio=["Tech"])
    # Tech projects: A (R1, R5; R6 not raised yet), C (R2, R3), D, F, G, J. No portfolio risk.
    assert sorted(tech.risk_id) == ["R1", "R2", "R3", "R5"]
    assert set(tech.scope) == {"Project"}
    assert kpi.headline(con, portfolio=["Tech"])["open_high_risks"] == 1  # R1


def test_open_exposure_by_month_from_raised_and_closed_dates(con):
    trend = run(con, "risk_exposure_trend")
    # Months from the first risk raised (R1, Dec 2025) to the as-of month.
    # Dec: R1 (15) open.                                   raised R1
    # Jan: R1, R2 (8), R3 (6), R4 (12) = 41.               raised R2, R3, R4
    # Feb: R3 closed 10 Feb; R9 (16) raised; R5 is Closed without a date, never open:
    #      R1, R2, R4, R9 = 15 + 8 + 12 + 16 = 51.         raised R5, R9; closed R3
    # Mar (to 31 Mar): + R7 (5), R8 (8) = 64; High R1 + R9 = 31, Medium R2 + R4 + R8 = 28, Low 5.
    assert rows(
        trend, ["month", "open_risks", "open_exposure", "raised", "closed", "open_high"]
    ) == [
        (pd.Timestamp(2025, 12, 31), 1, 15, 1, 0, 1),
        (pd.Timestamp(2026, 1, 31), 4, 41, 3, 0, 1),
        (pd.Timestamp(2026, 2, 28), 4, 51, 2, 1, 2),
        (pd.Timestamp(2026, 3, 31), 6, 64, 2, 0, 2),
    ]
    last = trend.iloc[-1]
    assert (last.high_exposure, last.medium_exposure, last.low_exposure) == (31, 28, 5)


def test_without_risks_or_dependencies_the_kpis_are_null(db):
    with store.connect(db) as c:
        out = kpi.headline(c)
        assert (out["open_high_risks"], out["dependencies_at_risk"]) == (None, None)
        assert run(c, "risk_heatmap").risks.sum() == 0


# ---------------------------------------------------------------------------------- roadmap


def test_roadmap_rows_are_the_projects_in_view(con):
    road = run(con, "roadmap")
    # Every project but the Cancelled one (X), earliest start first, undated last.
    assert list(road.project_id) == ["J", "K", "A", "C", "I", "E", "F", "G", "H", "B", "D", "U"]
    a = road.set_index("project_id").loc["A"]
    # A: planned end 30 Jun, forecast 15 Aug: slip = 46 days (30 Jun → 15 Aug); Red reported.
    assert (a.finish_date.date(), a.finish_source, a.slip_days, a.rag) == (
        D(2026, 8, 15),
        "forecast",
        46,
        "Red",
    )
    j = road.set_index("project_id").loc["J"]
    assert (j.finish_date.date(), j.finish_source, j.slip_days) == (D(2026, 3, 10), "actual", 10)
    assert road.set_index("project_id").loc["B", "rag"] == "No report"
    assert road.set_index("project_id").loc["B", "budget_rank"] == 1  # 5.0M, the largest
    tech = run(con, "roadmap", portfolio=["Tech"])
    assert sorted(tech.project_id) == ["A", "C", "D", "F", "G", "J"]
    assert sorted(run(con, "roadmap", status=["Cancelled"]).project_id) == ["X"]
