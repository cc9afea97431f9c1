import streamlit as st

import ui
from pmo import app_data, decisions, overview, prioritise, roadmap, scorecard, views
from ui import charts  # pmo.charts, each spec kept per query, params and data version

ui.header(
    "Portfolio overview",
    "Where the portfolio stands at the as-of date, and what changed since last month.",
)

if app_data.presenting():  # issue 21: the executive summary opens the presented Overview
    ui.overview.executive_summary(app_data.executive_summary())

evm = app_data.filtered("project_evm")
if evm.empty:  # nothing loaded, or the filters match nothing: the empty state says which
    ui.empty_state(["Projects", "Status Reports"], "the overview")
    st.stop()
headline = app_data.filtered("headline_kpis").iloc[0].to_dict()

tiles = overview.tiles(
    headline, app_data.filtered("headline_change"), app_data.filtered("headline_trend")
)
# Issue 18: beside the alignment tile, the strategy, funded and working.
strategy_tile = scorecard.on_track_tile(app_data.filtered("objectives_on_track"))
tiles = overview.insert_after(tiles, "portfolio_alignment", strategy_tile)
tiles.append(overview.forecast_tile(app_data.forecast().portfolio))  # issue 16
ui.overview.tiles(tiles)
st.caption(
    f"Figures at {views.day(headline['as_of'])}; the small charts show the last 13 month-ends."
)

scores = app_data.filtered(
    "priority_scores", **app_data.priority_params(prioritise.DEFAULT_WEIGHTS)
)
left, right = st.columns([3, 2])
with left:
    if scores.empty:
        ui.empty_state(["Projects", "Alignment", "Objectives"], "the portfolio map")
    else:
        ui.chart(charts.portfolio_bubble(scores, evm), "Portfolio map", key="overview_bubble")
with right:
    ui.chart(charts.rag_mix(app_data.filtered("rag_mix")), "RAG status", key="overview_rag")

st.subheader("Exceptions")
st.caption("What needs a leader's attention at the as-of date.")

ui.overview.red_projects(overview.red_projects(app_data.filtered("in_flight_evm")))
ui.overview.detail_link("performance.py", "Open Performance & trends")

c2, c3 = st.columns([2, 3])
with c2:
    as_of_month = overview.month_param(headline["as_of"])  # the as-of month only (issue 20)
    over = app_data.filtered("overallocations", from_month=as_of_month, to_month=as_of_month)
    teams = overview.overallocated_teams(over, headline["as_of"])
    ui.overview.overallocated_teams(teams, headline["as_of"])
    ui.overview.detail_link("resources.py", "Open Resources")
with c3:
    slips = overview.slipped_milestones(app_data.filtered("milestone_slip"))
    ui.overview.slipped_milestones(slips)
    ui.overview.detail_link("performance.py", "Open Performance & trends")

# Issue 17: what threatens the plan; the Roadmap page has the timeline and the full register.
ui.overview.high_risks(roadmap.high_risks(app_data.filtered("risk_register")))
ui.overview.detail_link("roadmap.py", "Open Roadmap")
ui.overview.dependencies_at_risk(app_data.filtered("dependencies_at_risk"))
ui.overview.detail_link("roadmap.py", "Open Roadmap")

# Issue 21: open and overdue actions from the reviews' decisions log.
ui.overview.open_actions(
    app_data.filtered("summary_overdue_actions").iloc[0],
    decisions.open_actions(app_data.filtered("decisions")),
)
ui.overview.detail_link("review.py", "Open Review")
