"""The headline KPIs on the demo database equal what the per-project/per-resource queries sum to."""

import datetime as dt

import pytest

from pmo import kpi, queries, store

AS_OF = dt.date(2026, 10, 31)


def run(con, name, **params):
    return queries.run(con, name, **{**queries.defaults(name), **params})


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
    assert out["unaligned_share"] == pytest.approx(held.budget[~held.aligned].sum() / held.budget.sum())
    inv = run(demo, "investment_by_objective").set_index("objective_id")
    assert inv.actual_share["UNALIGNED"] == pytest.approx(out["unaligned_share"])
    assert inv.actual_share.sum() == pytest.approx(1)


def test_utilisation_headline_equals_resource_rows_of_the_as_of_month(demo):
    out = kpi.headline(demo)
    month = dt.date(2026, 10, 1)
    rows = run(demo, "utilisation", from_month=month, to_month=month)
    assert len(rows) == 60  # every resource
    assert out["utilization"] == pytest.approx(rows.allocated_hours.sum() / rows.capacity_hours.sum())
    assert out["overallocated_resources"] == int(rows.over_allocated.sum())
    over = run(demo, "overallocations")
    assert out["overallocated_resources"] == int((over.month.dt.date == month).sum())
