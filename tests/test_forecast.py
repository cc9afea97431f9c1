"""Earned schedule, the EAC methods and the probabilistic forecast (issue 16, docs/kpis.md).

Every expected figure is worked out by hand in the comments. Dates are chosen so that a
"month" is exactly 30 days from 1 Jan 2025: day 60 = 2 Mar, day 120 = 1 May, day 180 = 30 Jun,
day 300 = 28 Oct 2025.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from pmo import cli, forecast, kpi, queries, store
from tests.conftest import load

D = dt.date
START = D(2025, 1, 1)


def day(n: int) -> str:
    return (START + dt.timedelta(days=n)).isoformat()


def projects(*rows):
    cols = [
        "project_id",
        "name",
        "status",
        "start_date",
        "end_date",
        "actual_end_date",
        "budget",
        "portfolio",
    ]
    return pd.DataFrame(list(rows), columns=cols)


def reports(*rows):
    cols = ["project_id", "report_date", "planned_value", "earned_value", "actual_cost"]
    return pd.DataFrame(list(rows), columns=cols)


def es_rows(db, as_of=None, **filters):
    with store.connect(db) as con:
        rows = queries.records(
            con,
            "earned_schedule",
            as_of=as_of,
            **{f: filters.get(f) for f in queries.FILTER_PARAMS},
        )
    return {r["project_id"]: r for r in rows}


@pytest.fixture
def late_project(db):
    """A: BAC 1,000, planned 1 Jan – 28 Oct 2025 (300 days = 10 months of 30 days).

    The PV curve: (day 0, 0), (60, 200), (120, 400), (180, 600), (300, 1,000).
    At month 6 (day 180): EV 400 (40 % complete by value), AC 500.
    """
    load(
        db,
        projects=projects(("A", "Alpha", "Active", day(0), day(300), None, 1000, "Ops")),
        status_reports=reports(
            ("A", day(60), 200, 150, 150),
            ("A", day(120), 400, 300, 350),
            ("A", day(180), 600, 400, 500),
        ),
    )
    return db


def test_earned_schedule_of_a_late_project_by_hand(late_project):
    a = es_rows(late_project)["A"]
    # EV 400 is where the PV curve stands at day 120 (month 4): ES = 120 days, on 1 May 2025.
    assert a["es_days"] == pytest.approx(120)
    assert a["es_date"] == D(2025, 5, 1)
    # AT = 30 Jun − 1 Jan = 180 days (month 6); SV(t) = ES − AT = 120 − 180 = −60 days.
    assert a["at_days"] == 180
    assert a["sv_t_days"] == pytest.approx(-60)
    # SPI(t) = ES / AT = 4 / 6 = 0.667.
    assert a["spi_t"] == pytest.approx(2 / 3)
    # IEAC(t) = start + planned duration / SPI(t) = 10 months / 0.667 = 15 months
    #   = 300 / (2/3) = 450 days after 1 Jan 2025 = 27 Mar 2026.
    assert a["forecast_finish"] == D(2026, 3, 27)


def test_the_three_eac_methods_and_tcpi_by_hand(late_project):
    a = es_rows(late_project)["A"]
    # CPI = EV / AC = 400 / 500 = 0.8; BAC − EV = 600.
    assert a["cpi"] == pytest.approx(0.8)
    # BAC / CPI = 1,000 / 0.8 = 1,250; VAC = 1,000 − 1,250 = −250.
    assert a["eac_cpi"] == pytest.approx(1250)
    assert a["vac_cpi"] == pytest.approx(-250)
    # AC + (BAC − EV) = 500 + 600 = 1,100; VAC −100.
    assert a["eac_remaining_at_plan"] == pytest.approx(1100)
    assert a["vac_remaining_at_plan"] == pytest.approx(-100)
    # AC + (BAC − EV) / (CPI × SPI(t)) = 500 + 600 / (0.8 × 2/3) = 500 + 1,125 = 1,625.
    assert a["eac_composite"] == pytest.approx(1625)
    assert a["vac_composite"] == pytest.approx(-625)
    # TCPI = (BAC − EV) / (BAC − AC) = 600 / 500 = 1.2; TCPI − CPI = 0.4 > 0.1: not credible.
    assert a["tcpi"] == pytest.approx(1.2)
    assert a["tcpi_minus_cpi"] == pytest.approx(0.4)
    assert a["not_credible"] is True
    assert a["cost_reports"] == 3


def test_earned_schedule_interpolates_between_report_dates(late_project):
    with store.connect(late_project) as con:
        hist = queries.records(
            con,
            "earned_schedule_history",
            **{**queries.defaults("earned_schedule_history"), "project_id": "A"},
        )
    got = [(r["report_date"], round(r["es_days"], 6), round(r["spi_t"], 6)) for r in hist]
    assert got == [
        # EV 150 on the segment (0, 0)–(60, 200): ES = 150 / 200 × 60 = 45 days; 45 / 60 = 0.75
        (D(2025, 3, 2), 45.0, 0.75),
        # EV 300 on (60, 200)–(120, 400): ES = 60 + (300 − 200) / 200 × 60 = 90; 90 / 120 = 0.75
        (D(2025, 5, 1), 90.0, 0.75),
        # EV 400 at the point (120, 400): ES = 120; 120 / 180 = 0.667
        (D(2025, 6, 30), 120.0, round(2 / 3, 6)),
    ]


def test_spi_returns_to_one_at_completion_while_spi_t_shows_the_lateness(db):
    load(
        db,
        projects=projects(("B", "Beta", "Active", day(0), day(300), None, 1000, "Ops")),
        status_reports=reports(
            ("B", day(150), 500, 400, 400),
            # Done 5 months late, at day 450: EV = BAC, and PV = BAC since day 300.
            ("B", day(450), 1000, 1000, 1000),
        ),
    )
    b = es_rows(db)["B"]
    # SPI = EV / PV = 1,000 / 1,000 = 1.0: the classic index says "on schedule".
    assert b["spi"] == pytest.approx(1.0)
    # The PV curve reaches 1,000 at its planned end, day 300: ES = 300, AT = 450,
    # SPI(t) = 300 / 450 = 0.667, SV(t) = −150 days: five months late.
    assert b["es_days"] == pytest.approx(300)
    assert b["spi_t"] == pytest.approx(2 / 3)
    assert b["sv_t_days"] == pytest.approx(-150)


def test_no_start_date_and_one_report_are_said_not_guessed(db):
    load(
        db,
        projects=projects(
            ("C", "Gamma", "Active", None, day(300), None, 1000, "Ops"),
            ("D", "Delta", "Active", day(0), day(300), None, 1000, "Ops"),
            ("E", "Epsilon", "Active", day(0), day(300), None, 1000, "Ops"),
        ),
        status_reports=reports(
            ("C", day(150), 500, 400, 400),
            ("D", day(150), 500, 400, 400),
        ),
    )
    rows = es_rows(db)
    c, d, e = rows["C"], rows["D"], rows["E"]
    # C: no start date, so no ES, SPI(t) or forecast finish; the note says why.
    assert (c["es_days"], c["spi_t"], c["forecast_finish"]) == (None, None, None)
    assert c["note"] == "no start date"
    # ...while its cost figures stand: CPI = 400 / 400 = 1.0, EAC = 1,000.
    assert c["eac_cpi"] == pytest.approx(1000)
    # E: no report with cost figures at all.
    assert e["note"] == "no status report with cost figures"
    assert e["spi_t"] is None
    # D: one report (EV 400 at day 150 on the straight PV line 1,000 × day / 300 → ES 120).
    assert d["es_days"] == pytest.approx(120)
    assert d["cost_reports"] == 1
    with store.connect(db) as con:
        result = forecast.run(con)
    by_id = {r["project_id"]: r for r in result.projects}
    # No history anywhere (no completed project, and the portfolio's periods are too few to
    # be none: C and D each have one period) — D draws from the pooled portfolio history and
    # says why its own history was not used.
    assert by_id["D"]["source"] == "portfolio"
    assert "own history: 1 report, 3 needed" in by_id["D"]["source_detail"]
    assert "reference class: 0 completed projects, 3 needed" in by_id["D"]["source_detail"]
    # C gets a cost range but no finish range, and says so.
    assert by_id["C"]["p50_cost"] is not None
    assert by_id["C"]["p50_finish"] is None
    assert by_id["C"]["source_detail"].endswith("no finish forecast: no start date")


@pytest.fixture
def steady(db):
    """Z: BAC 1,200, planned 360 days (1 Jan – 27 Dec 2025), PV 5 a day.

    Three monthly reports with the same period performance each month:
      day 30: PV 150, EV 100, AC 125;  day 60: PV 300, EV 200, AC 250;
      day 90: PV 450, EV 300, AC 375
    Every period: ΔEV 100, ΔAC 125 (period CPI 0.8); ΔES 20 (EV 100 is reached by PV at day
    20), ΔAT 30 (period SPI(t) 0.667). Zero variance in its history.
    """
    load(
        db,
        projects=projects(("Z", "Zeta", "Active", day(0), day(360), None, 1200, "Ops")),
        status_reports=reports(
            ("Z", day(30), 150, 100, 125),
            ("Z", day(60), 300, 200, 250),
            ("Z", day(90), 450, 300, 375),
        ),
    )
    return db


def test_zero_variance_collapses_onto_the_deterministic_forecast(steady):
    with store.connect(steady) as con:
        result = forecast.run(con, seed=7)
    z = result.of("Z")
    # EAC = BAC / CPI = 1,200 / 0.8 = 1,500 = AC + (BAC − EV) × 1.25 = 375 + 900 × 1.25.
    assert z["eac_cpi"] == pytest.approx(1500)
    assert [z[f"p{q}_cost"] for q in (10, 50, 80, 90)] == [1500.0, 1500.0, 1500.0, 1500.0]
    # IEAC(t) = start + 360 / (60 / 90) = start + 540 days = 25 Jun 2026
    #   = now (day 90) + (360 − 60) × 30 / 20 = day 90 + 450.
    assert z["forecast_finish"] == D(2026, 6, 25)
    assert [z[f"p{q}_finish"] for q in (10, 50, 80, 90)] == [D(2026, 6, 25)] * 4
    assert z["source"] == "own"
    assert z["source_detail"] == "own history, 3 reports"
    # Planned end 27 Dec 2025; every draw finishes 25 Jun 2026: late with certainty.
    assert z["probability_late"] == 1.0
    p = result.portfolio
    # One project: total 1,500 against a BAC of 1,200 in every draw.
    assert (p["p80_cost"], p["total_bac"]) == (1500.0, 1200.0)
    assert p["probability_within_budget"] == 0.0
    assert p["expected_overspend"] == 300.0
    assert p["late_at_p80"] == 1


def _varied_rows(n_projects=6):
    """Synthetic earned_schedule and forecast_periods rows with varied period performance."""
    rng = np.random.default_rng(1)
    rows, periods = [], []
    for i in range(n_projects):
        pid = f"P{i}"
        ks = rng.uniform(0.7, 1.4, size=5)
        rows.append(
            {
                "project_id": pid,
                "budget": 1000.0,
                "earned_value": 500.0,
                "actual_cost": 600.0,
                "start_date": START,
                "end_date": D(2025, 12, 27),
                "planned_days": 360,
                "report_date": D(2025, 6, 30),
                "es_days": 150.0,
                "cost_reports": 5,
            }
        )
        for k in ks:
            periods.append(
                {
                    "project_id": pid,
                    "budget": 1000.0,
                    "planned_days": 360,
                    "d_ev": 100.0,
                    "d_ac": 100.0 * k,
                    "d_es": 30.0,
                    "d_at": 30.0 * k,
                }
            )
    return rows, periods


def test_seeded_draws_repeat_exactly_and_percentiles_are_ordered():
    rows, periods = _varied_rows()
    one = forecast.simulate(rows, periods, [], seed=11)
    two = forecast.simulate(rows, periods, [], seed=11)
    other = forecast.simulate(rows, periods, [], seed=12)
    assert one.projects == two.projects and one.portfolio == two.portfolio
    assert np.array_equal(one.total_draws, two.total_draws)
    assert one.portfolio["p50_cost"] != other.portfolio["p50_cost"]
    for r in one.projects:
        costs = [r[f"p{q}_cost"] for q in forecast.PERCENTILES]
        finishes = [r[f"p{q}_finish"] for q in forecast.PERCENTILES]
        assert costs == sorted(costs) and costs[0] < costs[-1]
        assert finishes == sorted(finishes)
    p = one.portfolio
    assert p["p10_cost"] <= p["p50_cost"] <= p["p80_cost"] <= p["p90_cost"]
    assert p["p10_finish"] <= p["p50_finish"] <= p["p80_finish"] <= p["p90_finish"]
    # A project's figures come from its own stream: the same whatever else is in view.
    alone = forecast.simulate(rows[:1], periods, [], seed=11)
    assert alone.projects[0]["p80_cost"] == one.projects[0]["p80_cost"]


@pytest.fixture
def reference_db(db):
    """Three completed projects (the reference class) and two in flight.

    R1: BAC 100, final AC 110, planned 100 days, took 120: cost 1.10, duration 1.20
    R2: BAC 200, final AC 240, planned 100 days, took 150: cost 1.20, duration 1.50
    R3: BAC 100, final AC 130, planned 100 days, took 100: cost 1.30, duration 1.00
    N: 1 report (day 150 of 300; EV 400, AC 400, BAC 1,000): too little history of its own.
    Z's three steady reports (as in `steady`) give it its own history.
    """
    load(
        db,
        projects=projects(
            ("R1", "Ref one", "Completed", day(0), day(100), day(120), 100, "Ops"),
            ("R2", "Ref two", "Completed", day(0), day(100), day(150), 200, "Ops"),
            ("R3", "Ref three", "Completed", day(0), day(100), day(100), 100, "Ops"),
            ("N", "New", "Active", day(0), day(300), None, 1000, "Ops"),
            ("Z", "Zeta", "Active", day(0), day(360), None, 1200, "IT"),
        ),
        status_reports=reports(
            ("R1", day(120), 100, 100, 110),
            ("R2", day(150), 200, 200, 240),
            ("R3", day(100), 100, 100, 130),
            ("N", day(150), 500, 400, 400),
            ("Z", day(30), 150, 100, 125),
            ("Z", day(60), 300, 200, 250),
            ("Z", day(90), 450, 300, 375),
        ),
    )
    return db


def test_reference_class_rows_by_hand(reference_db):
    with store.connect(reference_db) as con:
        ref = queries.records(con, "reference_class", as_of=None)
    got = [(r["project_id"], round(r["cost_ratio"], 6), round(r["duration_ratio"], 6)) for r in ref]
    assert got == [("R1", 1.1, 1.2), ("R2", 1.2, 1.5), ("R3", 1.3, 1.0)]


def test_sources_follow_the_design_order(reference_db):
    with store.connect(reference_db) as con:
        result = forecast.run(con, seed=3)
    n, z = result.of("N"), result.of("Z")
    # Z has 3 reports: its own history comes first.
    assert (z["source"], z["source_detail"]) == ("own", "own history, 3 reports")
    # N has one report: the reference class of 3 completed projects.
    assert n["source"] == "reference"
    assert n["source_detail"] == (
        "reference class: 3 completed projects (own history: 1 report, 3 needed)"
    )
    # Each draw is one completed project's ratio: cost = AC + (BAC − EV) × ratio
    #   = 400 + 600 × {1.1, 1.2, 1.3} = {1,060, 1,120, 1,180}; a third of the draws each, so
    #   P10 = 1,060, P50 = 1,120, P90 = 1,180.
    assert (n["p10_cost"], n["p50_cost"], n["p90_cost"]) == (1060.0, 1120.0, 1180.0)
    # Finish = report day 150 + (300 − ES 120) × {1.2, 1.5, 1.0} = day 366, 420 or 330:
    #   P10 = day 330 (27 Nov 2025), P90 = day 420 (25 Feb 2026).
    assert (n["p10_finish"], n["p90_finish"]) == (D(2025, 11, 27), D(2026, 2, 25))


def test_without_a_reference_class_the_portfolio_history_is_used(db):
    load(
        db,
        projects=projects(
            ("R1", "Ref one", "Completed", day(0), day(100), day(120), 100, "Ops"),
            ("N", "New", "Active", day(0), day(300), None, 1000, "Ops"),
            ("Z", "Zeta", "Active", day(0), day(360), None, 1200, "IT"),
        ),
        status_reports=reports(
            ("R1", day(120), 100, 100, 110),
            ("N", day(150), 500, 400, 400),
            ("Z", day(30), 150, 100, 125),
            ("Z", day(60), 300, 200, 250),
            ("Z", day(90), 450, 300, 375),
        ),
    )
    with store.connect(db) as con:
        n = forecast.run(con).of("N")
    assert n["source"] == "portfolio"
    # Pooled periods: N's one (ΔEV 400, ΔAC 400: cost ratio 1.0) and Z's three (1.25 each):
    assert n["source_detail"].startswith("portfolio history: 4 periods of 2 projects")
    # Cost = 400 + 600 × {1.0, 1.25} = 1,000 or 1,150, the two ends of the range.
    assert (n["p10_cost"], n["p90_cost"]) == (1000.0, 1150.0)


def test_kpis_forecast_keys_and_cli_agree_to_the_cent(reference_db, capsys):
    with store.connect(reference_db) as con:
        head = kpi.for_json(con)
        result = forecast.run(con)
    # In flight: N (BAC 1,000, CPI 400 / 400 = 1 → EAC 1,000) and Z (BAC 1,200, EAC 1,500):
    # portfolio EAC = 2,500, VAC = 2,200 − 2,500 = −300.
    assert head["portfolio_eac"] == 2500.0
    assert head["portfolio_vac"] == -300.0
    assert head["p80_cost_at_completion"] == result.portfolio["p80_cost"]
    assert head["probability_within_budget"] == result.portfolio["probability_within_budget"]
    # Z costs 1,500 in every draw; N 1,060 / 1,120 / 1,180: totals 2,560 / 2,620 / 2,680, all
    # over the 2,200 budget.
    assert head["probability_within_budget"] == 0.0
    assert cli.main(["forecast", "--db", str(reference_db), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["portfolio"]["p80_cost"] == head["p80_cost_at_completion"]
    assert out["as_of"] == "2025-05-31"  # the latest report date: day 150 (R2 and N)
    rows = {r["project_id"]: r for r in out["projects"]}
    assert rows["N"]["p50_cost"] == result.of("N")["p50_cost"] == 1120.0
    assert list(rows["N"])[:18] == list(forecast.CLI_COLUMNS[:18])
    assert (
        cli.main(["forecast", "--db", str(reference_db), "--format", "csv", "--portfolio", "IT"])
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("project_id,es_date,sv_t_days,spi_t,forecast_finish,eac_cpi,")
    assert [ln.split(",")[0] for ln in lines[1:]] == ["Z"]


def test_page_cli_kpis_and_pack_agree_to_the_cent(reference_db, monkeypatch, capsys):
    import io
    from pathlib import Path

    from pptx import Presentation
    from streamlit.testing.v1 import AppTest

    from pmo import format, pack

    assert cli.main(["forecast", "--db", str(reference_db), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    cli_rows = {r["project_id"]: r for r in out["projects"]}
    with store.connect(reference_db) as con:
        head = kpi.for_json(con)
        deck = Presentation(io.BytesIO(pack.build(con)))

    monkeypatch.setenv("PMO_DB", str(reference_db))
    root = Path(__file__).resolve().parents[1]
    at = AppTest.from_file(str(root / "app.py"), default_timeout=120).run()
    at.switch_page("pages/performance.py").run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "source_detail" in d.value.columns)
    page_rows = table.set_index("project_id").to_dict("index")
    for pid in ("N", "Z"):
        for col in ("p10_cost", "p50_cost", "p80_cost", "p90_cost", "eac_cpi", "eac_composite"):
            assert page_rows[pid][col] == cli_rows[pid][col], (pid, col)
    # N: 1,060 / 1,120 / 1,180 by hand (see test_sources_follow_the_design_order).
    assert page_rows["N"]["p50_cost"] == 1120.0
    tiles = {m.label: m.value for m in at.metric}
    p80 = out["portfolio"]["p80_cost"]
    assert head["p80_cost_at_completion"] == p80
    assert tiles["Cost at completion (P80)"] == format.money(p80)
    assert head["probability_within_budget"] == out["portfolio"]["probability_within_budget"]
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    forecast_notes = next(n for n in notes if "p80_cost" in n)
    assert f"p80_cost: {p80}" in forecast_notes
    assert f"probability_within_budget: {head['probability_within_budget']}" in forecast_notes


def test_fan_chart_bands_are_quantiles_of_the_cost_spent_by_each_date():
    from pmo import charts

    now = D(2026, 10, 31)
    row = {"report_date": now, "actual_cost": 50.0}
    # Two draws: 150 at completion in 10 days, 250 in 20 days; both spend in a straight line
    # from today's 50. P95 of the finishes = 10 + 0.95 × 10 = 19.5 days: the fan's last date.
    draws = (np.array([150.0, 250.0]), np.array([now.toordinal() + 10.0, now.toordinal() + 20.0]))
    fan = charts.fan_frame(row, draws, points=3)
    # Day 9.75: 50 + 100 × 9.75 / 10 = 147.5 and 50 + 200 × 9.75 / 20 = 147.5, the same.
    assert fan.iloc[1][["p10", "p50", "p90"]].tolist() == pytest.approx([147.5] * 3)
    # Day 19.5: the first has finished at 150, the second has spent 50 + 200 × 19.5 / 20 = 245;
    # P10 = 150 + 0.1 × 95 = 159.5, P50 = 197.5, P90 = 150 + 0.9 × 95 = 235.5.
    assert fan.iloc[2][["p10", "p50", "p90"]].tolist() == pytest.approx([159.5, 197.5, 235.5])
    assert fan.iloc[0][["p10", "p90"]].tolist() == [50.0, 50.0]  # today: the actual cost


def test_spi_t_distribution_counts_projects_per_band():
    from pmo import charts

    frame = pd.DataFrame({"spi_t": [0.52, 0.74, 0.9, 0.97, 0.99, 1.02, None]})
    spec = charts.spi_t_distribution(frame).to_dict()
    rows = next(iter(spec["datasets"].values()))
    got = {(r["label"], r["band"]): r["projects"] for r in rows}
    assert got == {
        ("0.50–0.55", "Behind (< 0.85)"): 1,
        ("0.70–0.75", "Behind (< 0.85)"): 1,
        ("0.90–0.95", "Slipping (0.85–0.95)"): 1,
        ("0.95–1.00", "On schedule (≥ 0.95)"): 2,
        ("1.00–1.05", "On schedule (≥ 0.95)"): 1,
    }
    assert spec["title"]["subtitle"] == [
        "6 projects measured; 2 more than 15% behind plan",
        "1 without an earned schedule",
    ]


def test_a_stale_report_is_said_and_no_finish_falls_before_the_as_of_date(late_project):
    # A's latest report is of 30 Jun 2025 (day 180). Asked at 31 Mar 2027, it is still in
    # flight: its IEAC(t) of 27 Mar 2026 stands as computed then, the note says how old the
    # figures are, and no simulated finish is earlier than the as-of date.
    as_of = D(2027, 3, 31)
    a = es_rows(late_project, as_of=as_of)["A"]
    assert a["forecast_finish"] == D(2026, 3, 27)
    assert a["note"] == "latest report with cost figures is of 30 Jun 2025"
    with store.connect(late_project) as con:
        row = forecast.run(con, as_of).of("A")
    assert row["p10_finish"] >= as_of


def test_one_earned_schedule_serves_the_forecast_queries_and_the_macro_comes_back(reference_db):
    as_of = D(2025, 5, 31)  # day 150, the latest report (R2 and N)
    empty = {f: [] for f in queries.FILTER_PARAMS}
    with store.connect(reference_db) as con:
        alone = {
            "earned_schedule": queries.records(con, "earned_schedule", as_of=as_of, **empty),
            "portfolio_eac": queries.records(con, "portfolio_eac", as_of=as_of, **empty),
            "it_only": queries.records(
                con, "earned_schedule", as_of=as_of, **{**empty, "portfolio": ["IT"]}
            ),
        }
        periods = queries.arrays(con, "forecast_periods", as_of=as_of)
        with forecast.series_once(con, as_of):
            # Inside, es_series reads the one temp table: the same rows, filters still narrow.
            assert (
                queries.records(con, "earned_schedule", as_of=as_of, **empty)
                == alone["earned_schedule"]
            )
            assert (
                queries.records(con, "portfolio_eac", as_of=as_of, **empty)
                == alone["portfolio_eac"]
            )
            it_only = queries.records(
                con, "earned_schedule", as_of=as_of, **{**empty, "portfolio": ["IT"]}
            )
            assert (
                [r["project_id"] for r in it_only]
                == ["Z"]
                == [r["project_id"] for r in alone["it_only"]]
            )
            inner = queries.arrays(con, "forecast_periods", as_of=as_of)
            assert all(
                np.array_equal(inner[k], periods[k], equal_nan=k != "project_id") for k in periods
            )
        # After the block: es_series computes again, so an earlier date gives its own rows:
        # at day 60 Z has two reports (days 30 and 60, AC 250 at day 60; day 90 not yet in).
        earlier = queries.records(con, "earned_schedule", as_of=D(2025, 3, 2), **empty)
        z = next(r for r in earlier if r["project_id"] == "Z")
        assert (z["cost_reports"], z["actual_cost"]) == (2, 250.0)
        tables = con.execute(
            "select count(*) from duckdb_tables() where table_name = 'forecast_es_memo'"
        ).fetchone()[0]
        assert tables == 0
