"""Issue 17: the Gantt's rows, links and notes (pmo.roadmap), the chart built from them
(charts: gantt, risk_heatmap), the takeaway sentences and the pack's two slides, on the small
portfolio of test_kpi_roadmap (as-of 31 Mar 2026)."""

import io

import pandas as pd
import pytest
from pptx import Presentation

from pmo import charts, pack, queries, roadmap, store
from tests.conftest import load
from tests.test_kpi_roadmap import AS_OF, DEPENDENCIES, MILESTONES, PROJECTS, REPORTS, RISKS


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("roadmap_views") / "r.duckdb"
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


def gantt(con, group_by="portfolio", limit=roadmap.DEFAULT_LIMIT, **filters):
    return roadmap.gantt_data(
        run(con, "roadmap", **filters),
        run(con, "milestone_slip", **filters),
        run(con, "dependency_links", **filters),
        group_by,
        limit,
    )


def labels(data):
    return [key.split("|")[2] for key in data.rows]


def test_gantt_rows_are_grouped_and_read_top_to_bottom_by_start(con):
    data = gantt(con)
    # Core: K (Sep 2025), I (1 Mar), E (1 Apr), H (1 Jun), B (1 Jul); budgets 0.15 + 0.8 + 0.7
    # + 0.25 + 5.0 = $6.9M. Tech: J (Jun 2025), A (1 Jan), C (1 Feb), F (20 Apr), G (1 May),
    # D (15 Oct); 0.35 + 0.9 + 0.4 + 0.6 + 0.2 + 0.3 = $2.75M, shown $2.8M. X is Cancelled;
    # U has no dates (the note says so).
    assert labels(data) == [
        "Core · 5 projects, $6.9M",
        "Legacy CRM Decommission",
        "ERP Finance Upgrade",
        "API Gateway",
        "Mainframe Cost Reduction",
        "Core Banking Upgrade",
        "Tech · 6 projects, $2.8M",
        "Identity Modernisation",
        "Data Centre Exit",
        "Network Refresh",
        "Cloud Landing Zone",
        "Developer Platform",
        "Observability Platform",
    ]
    assert (data.shown, data.in_view, data.undated) == (11, 12, 1)
    assert data.note == "1 project without a start or end date not drawn."
    a = data.bars.set_index("project_id").loc["A"]
    # Planned end 30 Jun, forecast 15 Aug: the extension is drawn, the word says Red and +46.
    assert (bool(a.extends), a.rag_label) == (True, "Red · +46 days")
    assert data.bars.set_index("project_id").loc["C", "rag_label"] == "Green"


def test_gantt_groups_by_business_unit(con):
    groups = [h.split(" · ")[0] for h in gantt(con, "business_unit").headers["label"]]
    assert groups == ["Finance", "IT", "Ops", "Retail"]


def test_largest_n_by_budget_with_a_note_and_links_between_drawn_projects(con):
    data = gantt(con, limit=3)
    # Budgets: B 5.0M, A 0.9M, I 0.8M are the three largest.
    assert sorted(data.bars.project_id) == ["A", "B", "I"]
    assert data.note == (
        "The largest 3 of 11 projects by budget; 1 project without a start or end date not drawn."
    )
    # Of the 7 links only B ← A has both ends drawn (I's predecessor J is not).
    assert data.links[["at_risk", "what", "slack_days"]].values.tolist() == [
        ["At risk", "Core Banking Upgrade waits 45 days on Data Centre Exit (finish-to-start)", -45]
    ]
    assert len(gantt(con).links) == 7


def chart_rows(chart) -> pd.DataFrame:
    spec = chart.to_dict()
    frames = [pd.DataFrame(v) for v in spec["datasets"].values()]
    return next(f for f in frames if "rag_label" in f.columns)


def test_the_chart_draws_exactly_the_projects_in_view_and_filters_narrow_it(con):
    everything = run(con, "roadmap")
    drawn = chart_rows(charts.gantt(gantt(con), AS_OF))
    assert sorted(drawn.project_id) == sorted(everything.dropna(subset=["start_date"]).project_id)
    tech = chart_rows(charts.gantt(gantt(con, portfolio=["Tech"]), AS_OF))
    assert sorted(tech.project_id) == ["A", "C", "D", "F", "G", "J"]
    assert set(drawn.rag) <= {"Green", "Amber", "Red", "No report"}


def test_the_heat_map_chart_holds_the_25_cells_of_the_query(con):
    cells = run(con, "risk_heatmap")
    spec = charts.risk_heatmap(cells).to_dict()
    data = pd.DataFrame(next(iter(spec["datasets"].values())))
    assert len(data) == 25 and data.risks.sum() == 6
    assert data.set_index(["probability", "impact"]).loc[(3, 5), "count_text"] == "1"


def test_takeaways_name_the_numbers(con):
    waiting = run(con, "dependencies_at_risk")
    assert roadmap.dependencies_takeaway(waiting) == (
        "3 dependencies at risk: Core Banking Upgrade waits 45 days on Data Centre Exit."
    )
    assert roadmap.dependencies_takeaway(waiting.head(0)).startswith("No dependency is at risk")
    # Finishing in the six months after 31 Mar (to 30 Sep), not completed: A (15 Aug) and C
    # (30 Sep); forecast late: A only (+46 days; I's forecast equals its plan).
    assert roadmap.roadmap_takeaway(run(con, "roadmap"), waiting, AS_OF) == (
        "2 projects finish by Sep 2026; 1 forecast to finish late. 3 dependencies at risk: Core "
        "Banking Upgrade waits 45 days on Data Centre Exit."
    )
    # Open: R9 16, R1 15, R4 12, R8 8, R2 8, R7 5: two High; overdue R1 and R8.
    assert roadmap.risks_takeaway(run(con, "risk_register")) == (
        "2 open high risks (exposure ≥ 15) and 2 overdue of 6 open; the largest: “Core vendor "
        "insolvency” (Core Banking Upgrade, 4 × 4 = 16, no owner named)."
    )
    assert list(roadmap.high_risks(run(con, "risk_register")).risk_id) == ["R9", "R1"]


def test_the_pack_gains_a_roadmap_and_a_risk_slide_with_their_takeaways(con):
    deck = Presentation(io.BytesIO(pack.build(con)))
    texts = [
        " ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in deck.slides
    ]
    road = next(t for t in texts if t.startswith("Roadmap: what lands when"))
    assert "3 dependencies at risk: Core Banking Upgrade waits 45 days on Data Centre Exit." in road
    risk = next(t for t in texts if t.startswith("Risks: probability × impact"))
    assert "2 open high risks (exposure ≥ 15) and 2 overdue of 6 open" in risk
    # The risk's title goes in as plain text, whatever it holds.
    ctx = pack.Context(con, None, {"portfolio": ["Core"]})
    assert "“Core vendor insolvency”" in pack.risk_slide(ctx).takeaway
