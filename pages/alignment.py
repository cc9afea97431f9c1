import streamlit as st

import ui
from pmo import alignment, app_data, format, scorecard
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
with st.container(horizontal=True):
    st.metric(
        "Portfolio alignment",
        format.score_of_100(headline["portfolio_alignment"]),
        border=True,
        help="Budget-weighted alignment score of in-portfolio projects (0–100)",
    )
    st.metric(
        "Unaligned budget",
        format.money(alignment.unaligned_budget(investment)),
        border=True,
        help="Budget of in-portfolio projects that score 0 on every objective",
    )
    st.metric(
        "Unaligned share of budget",
        format.percent(headline["unaligned_share"]),
        border=True,
        help="Unaligned budget / budget of Approved, Active and On Hold projects",
    )
    st.metric("Unaligned in-portfolio projects", format.count(len(unaligned)), border=True)


def strategy_scorecard() -> None:
    """Issue 18: per objective, where the money goes and whether its key results are on track,
    then the drill-down into one objective's key results over time."""
    st.subheader("Strategy scorecard")
    card = app_data.filtered("strategy_scorecard")
    if int(card["key_results"].sum()) == 0:
        ui.empty_state(["Key Results", "KR Measurements"], "the strategy scorecard", missing=True)
        return
    st.markdown(f"**{ui.plain(scorecard.takeaway(card))}**")
    ui.chart(
        charts.scorecard_progress(card), "Strategy scorecard progress", key="scorecard_progress"
    )
    table = scorecard.board_table(card, investment, app_data.filtered("benefits_by_objective"))
    ui.table(
        table,
        "Strategy scorecard",
        key="scorecard",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "objective_id": None,
            "name": st.column_config.TextColumn("Objective", width=205),
            "weight": st.column_config.NumberColumn("Weight", width=55),
            "investment_share": ui.share_column(
                "Invested",
                width=70,
                help="Share of the in-portfolio budget serving it, split by alignment scores",
            ),
            "target_share": ui.share_column("Target", width=60, help="Target share of investment"),
            "gap_pts": st.column_config.NumberColumn(
                "Gap", format="%+.0f pts", width=65, help="Invested minus target share"
            ),
            "projects": st.column_config.NumberColumn(
                "Projects", format="%d", width=65, help="In-portfolio projects serving it"
            ),
            "invested_budget": ui.money_column(
                "Budget",
                compact=True,
                width=80,
                help="In-portfolio budget serving it, split by alignment scores",
            ),
            "progress": ui.share_column(
                "KR progress",
                width=75,
                help="Weighted mean of its key results' progress from baseline to target",
            ),
            "expected_progress": ui.share_column(
                "Expected",
                width=70,
                help="Where the straight line from baseline to target stands at the as-of date",
            ),
            "status": st.column_config.MultiselectColumn(
                "Status",
                options=list(scorecard.STATUS_COLOURS),
                color=list(scorecard.STATUS_COLOURS.values()),
                width=95,
            ),
            "krs_on_track": st.column_config.TextColumn("KRs on track", width=85),
            "benefits_realised": ui.money_column(
                "Realised",
                compact=True,
                width=85,
                help="Benefits realised by the projects serving it, split by alignment scores; "
                "the download also has the planned benefits and the rate",
            ),
        },
        column_order=[
            "name",
            "weight",
            "investment_share",
            "target_share",
            "gap_pts",
            "projects",
            "invested_budget",
            "progress",
            "expected_progress",
            "status",
            "krs_on_track",
            "benefits_realised",
        ],
    )
    st.caption(
        "Progress of an objective is the weighted mean of its key results (weights from "
        "the Key Results sheet); expected = where the straight line from baseline to "
        "target stands at the as-of date. On track: progress ≥ expected; At risk: within "
        "15 points below; Off track: further behind. Click a row to drill into it."
    )

    # The drill-down: a row clicked in the table, else the picker (opening on the objective
    # that matters most).
    ids = table["objective_id"].tolist()
    names = dict(zip(table["objective_id"], table["name"], strict=True))
    selection = (st.session_state.get("scorecard_table") or {}).get("selection") or {}
    rows = list(selection.get("rows") or [])
    clicked = ids[rows[0]] if rows else None
    if clicked is not None and st.session_state.get("scorecard_clicked") != clicked:
        st.session_state["scorecard_objective"] = clicked
    st.session_state["scorecard_clicked"] = clicked
    if st.session_state.get("scorecard_objective") not in ids:
        st.session_state["scorecard_objective"] = scorecard.default_objective(card)
    chosen = st.selectbox(
        "Key results of",
        ids,
        key="scorecard_objective",
        format_func=lambda o: (
            f"{names[o]} · {scorecard.status_word(card.set_index('objective_id').status.get(o))}"
        ),
    )
    krs = app_data.filtered("key_results")
    krs = krs[krs["objective_id"] == chosen]
    measured = app_data.filtered("kr_measurements")
    ui.chart(
        charts.kr_trajectories(
            krs,
            measured,
            scorecard.plan_line(krs),
            as_of=app_data.as_of_in_force(),
            title=f"Key results of {names[chosen]} against plan",
        ),
        "Key results against plan",
        key="scorecard_krs",
    )
    ui.table(
        scorecard.kr_table(krs),
        "Key results",
        key="scorecard_kr_table",
        column_order=[
            "name",
            "unit",
            "baseline",
            "target",
            "target_date",
            "weight",
            "latest_value",
            "latest_date",
            "progress",
            "expected_progress",
            "status",
        ],
        column_config={
            "name": st.column_config.TextColumn("Key result", width="medium"),
            "unit": "Unit",
            "baseline": st.column_config.NumberColumn("Baseline"),
            "target": st.column_config.NumberColumn("Target"),
            "target_date": ui.date_column("Target date"),
            "weight": st.column_config.NumberColumn("Weight"),
            "latest_value": st.column_config.NumberColumn("Latest"),
            "latest_date": ui.date_column("Measured"),
            "progress": st.column_config.ProgressColumn(
                "Progress", format=ui.SHARE_FORMAT, min_value=0, max_value=1
            ),
            "expected_progress": ui.share_column("Expected by now"),
            "status": st.column_config.MultiselectColumn(
                "Status",
                options=list(scorecard.STATUS_COLOURS),
                color=list(scorecard.STATUS_COLOURS.values()),
            ),
        },
    )


strategy_scorecard()

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
                "budget": ui.money_column("Budget"),
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
        "budget": ui.money_column("Budget"),
        "alignment_score": st.column_config.ProgressColumn(
            "Alignment (0–100)", format="%.0f", min_value=0, max_value=100
        ),
        "aligned": st.column_config.CheckboxColumn("Serves an objective"),
        "in_portfolio": st.column_config.CheckboxColumn("In portfolio"),
    },
)
