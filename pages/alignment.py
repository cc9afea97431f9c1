import streamlit as st

import ui
from pmo import alignment, app_data, scorecard
from ui import charts  # pmo.charts, each spec kept per query, params and data version

ui.header(
    "Strategic alignment",
    "How the portfolio serves the strategy: whether each objective is funded as intended and "
    "whether its key results are on track, each project's contribution to each objective, and "
    "what serves no objective.",
)

ranking = app_data.filtered("project_alignment")
if ranking.empty:  # nothing loaded, or the filters match nothing: the empty state says which
    ui.empty_state(["Projects", "Objectives", "Alignment"], "strategic alignment")
    st.stop()
investment = app_data.filtered("investment_by_objective")
if investment.empty:
    st.info(
        "No strategic objectives loaded yet. Upload a workbook with the **Objectives** and "
        "**Alignment** sheets on the Data page, or load the demo portfolio there.",
        icon=":material/upload_file:",
    )
    st.stop()

headline = app_data.filtered("headline_kpis").iloc[0].to_dict()
unaligned = alignment.unaligned_projects(ranking)
ui.alignment.alignment_tiles(headline, alignment.unaligned_budget(investment), len(unaligned))

# Issue 18: per objective, where the money goes and whether its key results are on track,
# then the drill-down into one objective's key results over time.
st.subheader("Strategy scorecard")
card = app_data.filtered("strategy_scorecard")
if int(card["key_results"].sum()) == 0:
    ui.empty_state(["Key Results", "KR Measurements"], "the strategy scorecard", missing=True)
else:
    st.markdown(f"**{ui.plain(scorecard.takeaway(card))}**")
    ui.chart(
        charts.scorecard_progress(card), "Strategy scorecard progress", key="scorecard_progress"
    )
    board = scorecard.board_table(card, investment, app_data.filtered("benefits_by_objective"))
    ui.alignment.scorecard_table(board)
    chosen, name = ui.alignment.objective_picker(card, board)
    krs = app_data.filtered("key_results")
    krs = krs[krs["objective_id"] == chosen]
    ui.alignment.key_results(krs, app_data.filtered("kr_measurements"), name)

ui.chart(
    charts.investment_vs_target(investment),
    "Investment by objective vs target",
    key="alignment_investment",
)

matrix = app_data.filtered("alignment_matrix")
ui.chart(charts.alignment_heatmap(matrix, ranking), "Alignment heatmap", key="alignment_heatmap")

left, right = st.columns([3, 2])
with left:
    ui.chart(charts.alignment_ranking(ranking), "Alignment ranking", key="alignment_ranking")
with right:
    ui.alignment.unaligned_projects(unaligned)

st.subheader("All projects by alignment score")
ui.alignment.ranking_table(ranking)
