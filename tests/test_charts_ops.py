"""Chart builders of the operational pages: the properties a reader relies on, from literal frames."""

import pandas as pd
import pytest

from pmo import charts, export

M1, M2 = pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def encoding(spec: dict, mark: str) -> dict:
    layer = next(
        x
        for x in layers(spec)
        if (x["mark"] if isinstance(x["mark"], str) else x["mark"]["type"]) == mark
    )
    return layer["encoding"]


UTIL = pd.DataFrame(
    {
        "group_label": ["Ann", "Ann", "Bob", "Bob"],
        "month": [M1, M2, M1, M2],
        "capacity_hours": [160.0, 160.0, 160.0, 160.0],
        "allocated_hours": [80.0, 200.0, 160.0, None],
        "actual_hours": [70.0, 150.0, 150.0, 0.0],
        # 80/160 = 50%, 200/160 = 125%, 160/160 = 100% (not over), no allocation
        "utilisation": [0.5, 1.25, 1.0, None],
        "over_allocated": [False, True, False, False],
    }
)


def test_heatmap_diverges_at_exactly_100_percent_and_prints_the_percent():
    spec = charts.utilisation_heatmap(UTIL, "resource").to_dict()
    color = encoding(spec, "rect")["color"]
    assert color["scale"]["domain"] == [0.0, 1.0, 1.5]
    assert color["scale"]["range"][1] == "#f4f4f4"  # the neutral middle is at 100%
    text = encoding(spec, "text")["text"]
    assert text == {"field": "cell_label", "type": "nominal"}
    cells = spec["datasets"][spec["data"]["name"]]
    assert [c["cell_label"] for c in cells] == ["50%", "125%", "100%"]
    assert "by person" in spec["title"]["text"]


def test_heatmap_draws_hours_on_a_zero_capacity_as_over_allocated():
    # A role still to hire: 0 capacity, 103 h allocated -> no utilisation (103 / 0), but
    # over-allocated (103 > 0), as the over-allocations table lists it.
    hire = pd.DataFrame(
        {
            "group_label": ["Architect (TBD)"],
            "month": [M1],
            "capacity_hours": [0.0],
            "allocated_hours": [103.0],
            "actual_hours": [0.0],
            "utilisation": [None],
            "over_allocated": [True],
        }
    )
    spec = charts.utilisation_heatmap(pd.concat([UTIL, hire]), "resource").to_dict()
    cells = spec["datasets"][spec["data"]["name"]]
    tbd = [c for c in cells if c["group_label"] == "Architect (TBD)"]
    # Drawn at the top of the scale (150%), outlined, labelled in words.
    assert [(c["shade"], c["over_allocated"], c["cell_label"]) for c in tbd] == [
        (1.5, True, "no capacity")
    ]


def test_heatmap_outlines_only_the_over_allocated_cells():
    spec = charts.utilisation_heatmap(UTIL, "team").to_dict()
    outline = [x for x in spec["layer"] if x.get("transform")]
    assert outline[0]["transform"] == [{"filter": "datum.over_allocated"}]
    assert outline[0]["mark"]["stroke"] == charts.INK
    # Bob's empty month (no utilisation) is not drawn.
    assert len(spec["datasets"][spec["data"]["name"]]) == 3


def test_capacity_demand_stacks_demand_by_role_under_a_capacity_line():
    frame = pd.DataFrame(
        {
            "role": ["Dev", "PM", "Dev", "PM"],
            "month": [M1, M1, M2, M2],
            "capacity_hours": [320.0, 160.0, 320.0, 160.0],
            "demand_hours": [300.0, 100.0, 350.0, 90.0],
            "actual_hours": [280.0, 90.0, 0.0, 0.0],
        }
    )
    spec = charts.capacity_demand(frame).to_dict()
    bar = encoding(spec, "bar")
    assert bar["y"]["aggregate"] == "sum" and bar["y"]["field"] == "demand_hours"
    assert bar["color"]["field"] == "role"
    line = next(x for x in spec["layer"] if x["mark"]["type"] == "line")
    assert {
        "aggregate": [{"op": "sum", "field": "capacity_hours", "as": "capacity"}],
        "groupby": ["month"],
    } in line["transform"]
    one = charts.capacity_demand(frame, role="PM").to_dict()
    assert "PM" in one["title"]["text"]
    assert len(one["datasets"][one["data"]["name"]]) == 2  # PM's two months only


def test_cpi_spi_trend_draws_the_one_line_and_both_indices():
    trend = pd.DataFrame({"month": [M1, M2], "cpi": [0.9, 1.05], "spi": [1.1, 0.8]})
    spec = charts.cpi_spi_trend(trend).to_dict()
    rule = next(x for x in spec["layer"] if x["mark"]["type"] == "rule")
    assert rule["encoding"]["y"]["field"] == "v"
    assert [{"v": 1.0, "label": "1.0 = on plan"}] in spec["datasets"].values()
    line = next(x for x in spec["layer"] if x["mark"]["type"] == "line")
    assert line["encoding"]["color"]["scale"]["domain"] == ["CPI (cost)", "SPI (schedule)"]
    assert line["encoding"]["y"]["axis"]["format"] == ".2f"


def test_cumulative_evm_uses_a_money_axis_and_names_each_measure():
    trend = pd.DataFrame(
        {
            "month": [M1, M2],
            "planned_value": [1e6, 2e6],
            "earned_value": [0.9e6, 1.7e6],
            "actual_cost": [1e6, 2.1e6],
        }
    )
    spec = charts.cumulative_evm(trend).to_dict()
    y = spec["encoding"]["y"]
    assert y["axis"]["labelExpr"] == charts.money_expr()
    assert spec["encoding"]["color"]["scale"]["domain"] == [
        "Planned value (PV)",
        "Earned value (EV)",
        "Actual cost (AC)",
    ]


def test_rag_trend_colours_each_rag_word_with_its_house_colour():
    trend = pd.DataFrame(
        {"month": [M1, M2], "rag_green": [5, 4], "rag_amber": [3, 3], "rag_red": [1, 2]}
    )
    spec = charts.rag_trend(trend).to_dict()
    color = encoding(spec, "bar")["color"]
    assert color["scale"] == {
        "domain": ["Green", "Amber", "Red"],
        "range": ["#009E73", "#E69F00", "#D55E00"],
    }
    assert color["title"] == "RAG"


def test_milestone_slip_shows_the_worst_slips_first():
    ms = pd.DataFrame(
        {
            "project_name": ["A", "A", "B"],
            "milestone": ["Design", "Build", "Go-live"],
            "baseline_date": pd.to_datetime(["2026-01-01", "2026-03-01", "2026-06-01"]),
            "forecast_date": pd.to_datetime(["2026-01-11", "2026-04-30", "2026-05-25"]),
            "actual_date": pd.to_datetime(["2026-01-11", None, None]),
            "slip_days": [10, 60, -7],
        }
    )
    spec = charts.milestone_slip(ms, top=2).to_dict()
    y = spec["layer"][0]["encoding"]["y"]
    assert y["sort"] == ["A · Build", "A · Design"]  # 60 days, then 10; B (early) is cut
    assert "2 largest slips" in spec["title"]["text"]


def test_benefits_bars_put_the_largest_planned_benefit_first():
    frame = pd.DataFrame(
        {
            "name": ["Small", "Big"],
            "planned": [1e5, 5e6],
            "realized": [1e5, 1e6],
            "realisation_rate": [1.0, 0.2],
        }
    )
    spec = charts.benefits_bars(frame, "name", "Benefits by project").to_dict()
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Big", "Small"]
    calcs = " ".join(t.get("calculate", "") for t in spec["layer"][1]["transform"])
    assert "format(datum.realisation_rate, '.0%')" in calcs
    assert "not yet due" not in calcs  # no due_planned column: every label is a rate


def test_rag_movement_counts_projects_per_move_worst_first():
    changes = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3", "P4"],
            "change_kind": ["rag_worse", "rag_worse", "rag_better", "budget"],
            "before": ["Green", "Green", "Red", "100"],
            "after": ["Red", "Red", "Amber", "200"],
        }
    )
    spec = charts.rag_movement(changes).to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert sorted((r["move"], r["direction"], r["projects"]) for r in rows) == [
        ("Green → Red", "Worse", 2),  # P1, P2
        ("Red → Amber", "Better", 1),  # P3; P4's budget change is not a RAG move
    ]
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Green → Red", "Red → Amber"]


EMPTY = {
    "utilisation_heatmap": (UTIL.iloc[0:0],),
    "capacity_demand": (pd.DataFrame(columns=["role", "month", "capacity_hours", "demand_hours"]),),
    "planned_vs_actual": (
        pd.DataFrame(columns=["group_label", "month", "allocated_hours", "actual_hours"]),
    ),
    "cpi_spi_trend": (pd.DataFrame(columns=["month", "cpi", "spi"]),),
    "cumulative_evm": (
        pd.DataFrame(columns=["month", "planned_value", "earned_value", "actual_cost"]),
    ),
    "rag_trend": (pd.DataFrame(columns=["month", "rag_green", "rag_amber", "rag_red"]),),
    "milestone_slip": (
        pd.DataFrame(
            columns=[
                "project_name",
                "milestone",
                "baseline_date",
                "forecast_date",
                "actual_date",
                "slip_days",
            ]
        ),
    ),
    "benefits_bars": (
        pd.DataFrame(columns=["name", "planned", "realized", "realisation_rate"]),
        "name",
        "B",
    ),
    "rag_movement": (pd.DataFrame(columns=["change_kind", "before", "after"]),),
}


@pytest.mark.parametrize("builder", sorted(EMPTY))
def test_every_builder_says_so_on_empty_data_and_exports(builder):
    chart = getattr(charts, builder)(*EMPTY[builder])
    spec = chart.to_dict()
    assert spec["mark"]["type"] == "text"
    assert export.chart_svg(chart).startswith(b"<svg")


def test_a_full_heatmap_exports_to_png():
    assert export.chart_png(charts.utilisation_heatmap(UTIL)).startswith(b"\x89PNG")
