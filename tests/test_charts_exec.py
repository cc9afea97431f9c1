"""The executive chart builders, as data: the properties a reader relies on."""

import pandas as pd

from pmo import charts, prioritise


def layers(chart) -> list[dict]:
    spec = chart.to_dict()
    return spec.get("layer", [spec])


def datasets(chart) -> list[list[dict]]:
    return list(chart.to_dict()["datasets"].values())


def titled(chart) -> tuple[str, str]:
    title = chart.to_dict()["title"]
    return title["text"], title.get("subtitle", "")


PRIORITY = pd.DataFrame(
    {
        "project_id": ["P1", "P2", "P3", "P4"],
        "name": ["Alpha", "Beta", "Gamma", "Alpha"],
        "sponsor": ["Ann", "Bob", "Cy", "Di"],
        "status": ["Active", "Approved", "Proposed", "On Hold"],
        "budget": [4e6, 2e6, 1e6, 0.5e6],
        "alignment_score": [80.0, 40.0, 20.0, 10.0],
        "priority_score": [90.0, 50.0, 70.0, 10.0],
        "in_portfolio": [True, True, False, True],
    }
)
EVM = pd.DataFrame(
    {"project_id": ["P1", "P4"], "rag": ["Red", "Green"], "cpi": [0.8, 1.0], "spi": [0.9, 1.1]}
)


def test_bubble_shows_in_portfolio_projects_with_rag_words_and_budget_size():
    chart = charts.portfolio_bubble(PRIORITY, EVM, label_top=2)
    points = layers(chart)[0]
    enc = points["encoding"]
    assert enc["x"]["field"] == "alignment_score" and "0–100" in enc["x"]["title"]
    assert enc["y"]["field"] == "priority_score"
    assert enc["size"]["field"] == "budget"
    # Colour and shape both carry RAG, with the words in the legend.
    assert enc["color"]["field"] == enc["shape"]["field"] == "rag"
    assert enc["color"]["scale"]["domain"] == ["Green", "Amber", "Red", "No report"]
    assert [t["title"] for t in enc["tooltip"]][:2] == ["Project", "Sponsor"]
    assert {"CPI", "SPI"} <= {t["title"] for t in enc["tooltip"]}
    rows = {r["project_id"]: r for r in datasets(chart)[0]}
    # P3 is Proposed (not in portfolio); P2 has no status report yet.
    assert set(rows) == {"P1", "P2", "P4"}
    assert rows["P2"]["rag"] == "No report" and rows["P1"]["rag"] == "Red"
    # Two projects named Alpha are told apart by id.
    assert {rows["P1"]["label"], rows["P4"]["label"]} == {"Alpha (P1)", "Alpha (P4)"}
    text, subtitle = titled(chart)
    assert subtitle.startswith("3 in-portfolio projects, $6.5M budget")  # 4 + 2 + 0.5
    # The two largest are named, each label beside its bubble.
    named = datasets(chart)[1:]
    assert sorted(r["project_id"] for d in named for r in d) == ["P1", "P2"]


def test_bubble_labels_never_overlap():
    crowd = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(8)],
            "name": [f"Project number {i}" for i in range(8)],
            "sponsor": "Ann",
            "status": "Active",
            "budget": [8e6 - i * 1e5 for i in range(8)],
            "alignment_score": [20.0 + i * 0.1 for i in range(8)],
            "priority_score": [50.0] * 8,
            "in_portfolio": True,
        }
    )
    chart = charts.portfolio_bubble(crowd, EVM, label_top=8)
    named = [r for d in datasets(chart)[1:] for r in d]
    # Eight bubbles on one spot: only the six spots around it (right/left × level/above/below).
    assert len(named) == 6
    assert len({(r["side"], round(r["label_y"], 3)) for r in named}) == 6


MATRIX = pd.DataFrame(
    {
        "project_id": ["P1", "P1", "P2", "P2"],
        "objective_id": ["O1", "O2", "O1", "O2"],
        "objective_name": ["Grow digital revenue", "Reduce cost to serve"] * 2,
        "weight": [3.0, 2.0, 3.0, 2.0],
        "score": [5, 0, 0, 2],
    }
)
RANKING = pd.DataFrame(
    {
        "project_id": ["P1", "P2", "P3"],
        "name": ["Alpha", "Beta", "Gamma"],
        "status": ["Active", "Proposed", "Active"],
        "portfolio": ["X", "Y", "X"],
        "sponsor": ["Ann", "Bob", "Cy"],
        "budget": [1e6, 2e6, 3e6],
        "alignment_score": [60.0, 16.0, 0.0],
        "aligned": [True, True, False],
        "in_portfolio": [True, False, True],
    }
)


def test_heatmap_has_every_cell_numbers_in_cells_and_ranked_rows():
    chart = charts.alignment_heatmap(MATRIX, RANKING)
    cells, numbers = layers(chart)
    grid = datasets(chart)[0]
    # 3 projects × 2 objectives, P3 has no alignment rows at all: its cells are 0.
    assert len(grid) == 6
    by = {(r["project_id"], r["objective_id"]): r for r in grid}
    assert by[("P1", "O1")]["score_label"] == "5"
    assert by[("P1", "O2")]["score_label"] == ""  # 0 = no contribution, left blank
    assert by[("P3", "O1")]["score"] == 0
    assert (
        numbers["mark"]["type"] == "text" and numbers["encoding"]["text"]["field"] == "score_label"
    )
    # Rows in ranking order, labelled with the score; columns by weight with it named.
    y_sort = chart.to_dict()["encoding"]["y"]["sort"] if "encoding" in chart.to_dict() else None
    y_sort = y_sort or cells["encoding"]["y"]["sort"]
    assert y_sort == ["Alpha  (60)", "Beta  (16)", "Gamma  (0)"]
    x_sort = (chart.to_dict().get("encoding") or cells["encoding"])["x"]["sort"]
    assert x_sort == ["Grow digital revenue|(weight 3)", "Reduce cost to serve|(weight 2)"]


def test_heatmap_says_when_it_shows_only_the_top_rows():
    chart = charts.alignment_heatmap(MATRIX, RANKING, limit=2)
    assert "top 2 of 3 shown" in titled(chart)[1]


INVESTMENT = pd.DataFrame(
    {
        "objective_id": ["O1", "O2", "UNALIGNED"],
        "objective_name": ["Grow digital revenue", "Reduce cost to serve", "Unaligned"],
        "weight": [3.0, 2.0, None],
        "target_share": [0.25, 0.20, None],
        "invested_budget": [5e6, 30e6, 15e6],
        "actual_share": [0.10, 0.60, 0.30],
        "gap": [-0.15, 0.40, None],
    }
)


def test_investment_chart_labels_the_gap_in_points_and_puts_unaligned_last():
    chart = charts.investment_vs_target(INVESTMENT)
    bars, gaps = layers(chart)
    assert bars["encoding"]["x"]["axis"]["format"] == ".0%"
    labels = {r["objective_id"]: r["gap_label"] for r in datasets(chart)[1]}
    # 0.10 − 0.25 = −15 pts; 0.60 − 0.20 = +40 pts; no target for the unaligned share.
    assert labels == {
        "O1": "−15 pts vs target",
        "O2": "+40 pts vs target",
        "UNALIGNED": "no target",
    }
    assert bars["encoding"]["y"]["sort"][-1] == "Unaligned (no objective)"
    long = datasets(chart)[0]
    assert {(r["objective_id"], r["measure"]) for r in long} == {
        ("O1", "Invested"),
        ("O1", "Target"),
        ("O2", "Invested"),
        ("O2", "Target"),
        ("UNALIGNED", "Invested"),
    }


def test_alignment_ranking_colours_in_portfolio_and_limits_rows():
    chart = charts.alignment_ranking(RANKING, limit=2)
    bars = layers(chart)[0]
    assert bars["encoding"]["color"]["scale"]["domain"] == ["In portfolio", "Not in portfolio"]
    assert [r["group"] for r in datasets(chart)[0]] == ["In portfolio", "Not in portfolio"]
    assert "top 2 of 3" in titled(chart)[1]


def scored() -> pd.DataFrame:
    frame = PRIORITY.assign(
        rank=[1, 3, 2, 4],
        expected_benefit=[8e6, 1e6, 3e6, 0.1e6],
        risk_score=[2, 3, 1, 5],
        contrib_alignment=[45.0, 20.0, 10.0, 5.0],
        contrib_value=[30.0, 20.0, 40.0, 5.0],
        contrib_risk=[15.0, 10.0, 20.0, 0.0],
        portfolio="X",
    )
    return frame


def test_contributions_stack_the_three_criteria_in_rank_order():
    frame = scored()
    ranked = prioritise.ranked(frame, prioritise.today(frame), prioritise.optimal(frame, 5e6))
    chart = charts.priority_contributions(ranked)
    bars, totals = layers(chart)
    assert bars["encoding"]["color"]["scale"]["domain"] == [
        "Alignment",
        "Value for money",
        "Low risk",
    ]
    order = bars["encoding"]["y"]["sort"]
    # Rank 1 Alpha (P1), 2 Gamma, 3 Beta, 4 the other Alpha; ✓ marks the optimal set under
    # $5M: P1 + P3 = $5M, score 160 (P1 + P2 + ... would exceed the cap).
    assert order == ["1. Alpha (P1)  ✓", "2. Gamma  ✓", "3. Beta", "4. Alpha (P4)"]
    assert len(datasets(chart)[0]) == 12  # 4 projects × 3 criteria


def test_frontier_marks_today_the_optimum_and_the_cap():
    frame = scored()
    today = prioritise.today(frame)
    best = prioritise.optimal(frame, 5e6)
    chart = charts.value_cost_frontier(
        prioritise.frontier(frame, today, best), prioritise.set_points(today, best), 5e6
    )
    spec = chart.to_dict()
    kinds = [
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        for layer in spec["layer"]
    ]
    assert kinds == ["line", "circle", "point", "text", "rule", "text"]
    assert spec["layer"][0]["encoding"]["x"]["axis"]["labelExpr"] == charts.money_expr()
    texts = [r.get("text") for d in datasets(chart) for r in d if "text" in r]
    # Today: P1 + P2 + P4 = $6.5M, score 150; optimal: P1 + P3 = $5.0M, score 160.
    assert "Today's portfolio: $6.5M, score 150" in texts
    assert "Optimal under the cap: $5.0M, score 160" in texts
    assert "Budget cap $5.0M" in texts


def test_a_crowded_bubble_chart_names_nobody_and_says_hover():
    many = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(200)],
            "name": [f"Project {i}" for i in range(200)],
            "sponsor": "Ann",
            "status": "Active",
            "budget": [1e6 + i for i in range(200)],
            "alignment_score": [i % 50 for i in range(200)],
            "priority_score": [i % 90 for i in range(200)],
            "in_portfolio": True,
        }
    )
    chart = charts.portfolio_bubble(many, EVM)
    assert len(layers(chart)) == 1  # the bubbles, no name layers
    assert (
        titled(chart)[1].startswith("200 in-portfolio projects")
        and "hover for names" in titled(chart)[1]
    )


def test_heatmap_wraps_objective_names_to_their_column_width():
    twelve = pd.DataFrame(
        {
            "project_id": "P1",
            "objective_id": [f"O{i:02d}" for i in range(12)],
            "objective_name": [f"Objective {i}: Analytics excellence" for i in range(12)],
            "weight": 1.0,
            "score": 3,
        }
    )
    chart = charts.alignment_heatmap(twelve, RANKING.head(1))
    labels = layers(chart)[0]["encoding"]["x"]["sort"]
    # 900 px / 12 columns / 7 px a character: lines of at most 10 characters (or one word).
    assert all(len(line) <= 12 for label in labels for line in label.split("|"))


def test_a_long_empty_note_wraps_instead_of_being_clipped():
    # The GMPP Performance page: "244 projects report status, none with cost figures: CPI
    # and SPI need actual cost or earned value" (96 characters) in a half-width column was
    # clipped at both ends; it wraps into lines of at most 48 characters, and the chart is
    # tall enough for them (3 lines: 24 x 3 + 32 = 104 px).
    from pmo.charts.theme import empty_note

    text = (
        "244 projects report status, none with cost figures: CPI and SPI need actual cost "
        "or earned value"
    )
    spec = empty_note(text).to_dict()
    lines = spec["datasets"][next(iter(spec["datasets"]))][0]["t"].split("\n")
    assert lines == [
        "244 projects report status, none with cost",
        "figures: CPI and SPI need actual cost or earned",
        "value",
    ]
    assert spec["mark"]["lineBreak"] == "\n"
    assert spec["height"] == 104
