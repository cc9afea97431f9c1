import streamlit as st

import ui
from pmo import alignment, app_data, format
from ui import charts  # pmo.charts, each spec kept per query, params and data version

ui.header(
    "Strategic alignment",
    "How the portfolio serves the strategy: each project's contribution to each objective, "
    "where the money goes against the target shares, and what serves no objective.",
)

ranking = app_data.filtered("project_alignment")
if ranking.empty:  # nothing loaded, or the filters match nothing: the empty state says which
    ui.empty_state(["Projects", "Objectives", "Alignment"], "strategic alignment")
    st.stop()
investment = app_data.filtered("investment_by_objective")
if investment.empty:
    st.info("No strategic objectives loaded yet. Upload a workbook with the **Objectives** and "
            "**Alignment** sheets on the Data page, or load the demo portfolio there.",
            icon=":material/upload_file:")
    st.stop()

headline = app_data.filtered("headline_kpis").iloc[0].to_dict()
unaligned = alignment.unaligned_projects(ranking)
with st.container(horizontal=True):
    st.metric("Portfolio alignment", format.score_of_100(headline["portfolio_alignment"]), border=True,
              help="Budget-weighted alignment score of in-portfolio projects (0–100)")
    st.metric("Unaligned budget", format.money(alignment.unaligned_budget(investment)), border=True,
              help="Budget of in-portfolio projects that score 0 on every objective")
    st.metric("Unaligned share of budget", format.percent(headline["unaligned_share"]), border=True,
              help="Unaligned budget / budget of Approved, Active and On Hold projects")
    st.metric("Unaligned in-portfolio projects", format.count(len(unaligned)), border=True)

ui.chart(charts.investment_vs_target(investment), "Investment by objective vs target",
         key="alignment_investment")

matrix = app_data.filtered("alignment_matrix")
ui.chart(charts.alignment_heatmap(matrix, ranking), "Alignment heatmap", key="alignment_heatmap")

left, right = st.columns([3, 2])
with left:
    ui.chart(charts.alignment_ranking(ranking), "Alignment ranking", key="alignment_ranking")
with right:
    st.subheader("Unaligned in-portfolio projects")
    st.caption("Approved, Active and On Hold projects that contribute to no objective.")
    if unaligned.empty:
        st.caption("Every in-portfolio project serves at least one objective.")
    else:
        ui.table(
            unaligned,
            "Unaligned projects",
            key="alignment_unaligned",
            column_config={
                "project_id": None,
                "name": "Project",
                "status": "Status",
                "portfolio": "Portfolio",
                "sponsor": "Sponsor",
                "budget": st.column_config.NumberColumn("Budget", format="compact"),
            },
        )

st.subheader("All projects by alignment score")
ui.table(
    ranking,
    "Alignment ranking",
    key="alignment_table",
    column_config={
        "project_id": "ID",
        "name": "Project",
        "status": "Status",
        "portfolio": "Portfolio",
        "business_unit": "Business unit",
        "sponsor": "Sponsor",
        "budget": st.column_config.NumberColumn("Budget", format="compact"),
        "alignment_score": st.column_config.ProgressColumn("Alignment (0–100)", format="%.0f",
                                                           min_value=0, max_value=100),
        "aligned": st.column_config.CheckboxColumn("Serves an objective"),
        "in_portfolio": st.column_config.CheckboxColumn("In portfolio"),
    },
)
