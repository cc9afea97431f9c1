"""The headline KPIs on the demo database equal what the per-project/per-resource queries sum to."""

import datetime as dt

import pandas as pd
import pytest

from pmo import filters, kpi, queries, store

AS_OF = dt.date(2026, 10, 31)


def run(con, name, **params):
    return queries.run(con, name, **filters.query_params(name, **params))


@pytest.fixture(scope="module")
def demo(demo_db_master):
    with store.connect(demo_db_master) as con:
        yield con


def test_every_headline_key_is_computed_on_the_demo(demo):
    out = kpi.headline(demo)
    assert tuple(out) == kpi.HEADLINE_KEYS
    missing = [k for k, v in out.items() if v is None]
    assert missing == []


def test_alignment_headline_equals_project_rows(demo):
    out = kpi.headline(demo)
    rows = run(demo, "project_alignment")
    held = rows[rows.in_portfolio & rows.budget.notna()]
    assert out["total_budget"] == pytest.approx(held.budget.sum())
    assert out["portfolio_alignment"] == pytest.approx(
        (held.budget * held.alignment_score).sum() / held.budget.sum()
    )
    assert out["unaligned_share"] == pytest.approx(
        held.budget[~held.aligned].sum() / held.budget.sum()
    )
    inv = run(demo, "investment_by_objective").set_index("objective_id")
    assert inv.actual_share["UNALIGNED"] == pytest.approx(out["unaligned_share"])
    assert inv.actual_share.sum() == pytest.approx(1)


def test_utilisation_headline_equals_resource_rows_of_the_as_of_month(demo):
    out = kpi.headline(demo)
    month = dt.date(2026, 10, 1)
    rows = run(demo, "utilisation", from_month=month, to_month=month)
    assert len(rows) == 63  # every resource: 60 people and 3 placeholders (capacity 0)
    assert out["utilization"] == pytest.approx(
        rows.allocated_hours.sum() / rows.capacity_hours.sum()
    )
    assert out["overallocated_resources"] == int(rows.over_allocated.sum())
    over = run(demo, "overallocations")
    assert out["overallocated_resources"] == int((over.month.dt.date == month).sum())


def test_delivery_and_benefits_headline_equal_their_rows(demo):
    out = kpi.headline(demo)
    delivered = run(demo, "on_time_delivery")
    assert out["on_time_delivery"] == pytest.approx(delivered.on_time.mean())
    benefits = run(demo, "benefits_by_project")
    assert out["benefits_realization"] == pytest.approx(
        benefits.realized.sum() / benefits.planned.sum()
    )
    by_objective = run(demo, "benefits_by_objective")
    assert by_objective.planned.sum() == pytest.approx(benefits.planned.sum())
    assert by_objective.due_planned.sum() == pytest.approx(benefits.due_planned.sum())


def test_trends_end_at_the_headline(demo):
    out = kpi.headline(demo)
    trend = run(demo, "portfolio_trend").iloc[-1]
    assert trend.earned_value == pytest.approx(out["earned_value"])
    assert trend.cpi == pytest.approx(out["portfolio_cpi"])
    assert (trend.rag_green, trend.rag_amber, trend.rag_red) == (
        out["rag_green"],
        out["rag_amber"],
        out["rag_red"],
    )
    headline_trend = run(demo, "headline_trend")
    assert len(headline_trend) == 13
    last = headline_trend.iloc[-1]
    for key in kpi.SERIES_KEYS[1:]:
        assert last[key] == pytest.approx(out[key]), key
    change = run(demo, "headline_change").set_index("kpi")
    previous = headline_trend.iloc[-2]
    for key in kpi.SERIES_KEYS[1:]:
        assert change.value[key] == pytest.approx(out[key]), key
        assert change.previous_value[key] == pytest.approx(previous[key]), key


KPI_QUERIES = [
    "alignment_matrix",
    "benefits_behind",
    "benefits_by_objective",
    "benefits_by_project",
    "capacity_demand_by_role",
    "headline_change",
    "headline_kpis",
    "headline_trend",
    "in_flight_evm",
    "investment_by_objective",
    "milestone_slip",
    "on_time_delivery",
    "overallocations",
    "portfolio_trend",
    "priority_scores",
    "project_alignment",
    "project_evm",
    "rag_mix",
    "review_changes",
    "utilisation",
]


@pytest.mark.parametrize("name", KPI_QUERIES)
def test_every_query_returns_rows_on_the_demo(demo, name):
    assert len(run(demo, name)) > 0


def test_project_history_on_the_demo(demo):
    rows = run(demo, "project_history", project_id="PRJ-101")
    assert len(rows) > 10
    assert rows.report_date.is_monotonic_increasing


def test_query_command_takes_text_params(demo_db_master):
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pmo",
            "query",
            "priority_scores",
            "--db",
            str(demo_db_master),
            "--param",
            "w_alignment=1",
            "--param",
            "w_value=0",
            "--param",
            "w_risk=0",
            "--param",
            "portfolio=Digital Growth",
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert {r["portfolio"] for r in rows} == {"Digital Growth"}
    # Alignment alone decides: the best aligned candidate scores 100.
    assert rows[0]["priority_score"] == pytest.approx(100)
    assert rows[0]["alignment_score"] == max(r["alignment_score"] for r in rows)


PROJECT_ROW_QUERIES = [
    "alignment_matrix",
    "benefits_behind",
    "benefits_by_project",
    "in_flight_evm",
    "milestone_slip",
    "on_time_delivery",
    "priority_scores",
    "project_alignment",
    "project_evm",
    "review_changes",
]


@pytest.mark.parametrize("name", PROJECT_ROW_QUERIES)
def test_filters_narrow_every_project_row(demo, name):
    filters = {"portfolio": ["Digital Growth"], "sponsor": ["Amelia Hart", "Diego Alvarez"]}
    scoped = set(
        demo.execute(
            "select project_id from projects where portfolio = 'Digital Growth'"
            " and sponsor in ('Amelia Hart', 'Diego Alvarez')"
        )
        .df()
        .project_id
    )
    rows = run(demo, name, **filters)
    assert set(rows.project_id) <= scoped
    assert set(run(demo, name).project_id) - scoped  # unfiltered, others show up


def test_filtered_aggregates_add_up_to_the_filtered_headline(demo):
    filters = {"portfolio": ["Technology Foundations"]}
    out = kpi.headline(demo, **filters)
    assert out["in_flight_projects"] == len(run(demo, "in_flight_evm", **filters))
    last = run(demo, "headline_trend", **filters).iloc[-1]
    for key in kpi.SERIES_KEYS[1:]:
        assert last[key] == pytest.approx(out[key]), key
    benefits = run(demo, "benefits_by_project", **filters)
    by_objective = run(demo, "benefits_by_objective", **filters)
    assert by_objective.due_realized.sum() == pytest.approx(benefits.due_realized.sum())
    assert out["benefits_realization"] == pytest.approx(
        benefits.realized.sum() / benefits.planned.sum()
    )
    month = dt.date(2026, 10, 1)
    team = run(demo, "utilisation", group="team", from_month=month, to_month=month, **filters)
    everyone = run(demo, "utilisation", from_month=month, to_month=month)
    # Filtered hours over every resource's capacity (a filter narrows hours, not people).
    assert out["utilization"] == pytest.approx(
        team.allocated_hours.sum() / everyone.capacity_hours.sum()
    )
    assert team.allocated_hours.sum() < everyone.allocated_hours.sum()


def test_series_macros_equal_their_one_date_views(demo):
    # evm_series / headline_series compute many dates in one pass; each date must give exactly
    # what evm_at / headline_at (project_evm, headline_kpis) give on their own.
    dates = [dt.date(2025, 6, 30), dt.date(2026, 1, 15), AS_OF]
    series = demo.execute(
        "select * from evm_series($d, [], [], [], []) order by measured_at, project_id",
        {"d": dates},
    ).df()
    for d in dates:
        one = run(demo, "project_evm", as_of=d)
        part = (
            series[series.measured_at.dt.date == d]
            .drop(columns="measured_at")
            .reset_index(drop=True)
        )
        pd.testing.assert_frame_equal(part, one)
    trend = run(demo, "headline_trend")
    for _, row in trend.iloc[[0, 6, 12]].iterrows():
        one = kpi.headline(demo, row.as_of.date())
        for key in kpi.SERIES_KEYS[1:]:
            assert row[key] == pytest.approx(one[key], nan_ok=True), key
