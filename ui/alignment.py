"""The Strategic alignment page's blocks: the alignment tiles, the strategy scorecard with
its drill-down into an objective's key results, and the alignment tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pmo import app_data, format, scorecard
from ui import SHARE_FORMAT, chart, charts, date_column, money_column, share_column, table


def alignment_tiles(headline: dict, unaligned_budget: float, unaligned_projects: int) -> None:
    """Portfolio alignment, unaligned budget and its share, unaligned projects."""
    with st.container(horizontal=True):
        st.metric(
            "Portfolio alignment",
            format.score_of_100(headline["portfolio_alignment"]),
            border=True,
            help="Budget-weighted alignment score of in-portfolio projects (0–100)",
        )
        st.metric(
            "Unaligned budget",
            format.money(unaligned_budget),
            border=True,
            help="Budget of in-portfolio projects that score 0 on every objective",
        )
        st.metric(
            "Unaligned share of budget",
            format.percent(headline["unaligned_share"]),
            border=True,
            help="Unaligned budget / budget of Approved, Active and On Hold projects",
        )
        st.metric("Unaligned in-portfolio projects", format.count(unaligned_projects), border=True)


def _status_column(label: str, **kwargs) -> st.column_config.MultiselectColumn:
    """An objective's or key result's status, in the charts' colours."""
    return st.column_config.MultiselectColumn(
        label,
        options=list(scorecard.STATUS_COLOURS),
        color=list(scorecard.STATUS_COLOURS.values()),
        **kwargs,
    )


def scorecard_table(board: pd.DataFrame) -> None:
    """Per objective, where the money goes and whether its key results are on track; a row
    clicked drills into that objective (key_results)."""
    columns = {  # in the order shown; the download also has the columns not named here
        "name": st.column_config.TextColumn("Objective", width=205),
        "weight": st.column_config.NumberColumn("Weight", width=55),
        "investment_share": share_column(
            "Invested",
            width=70,
            help="Share of the in-portfolio budget serving it, split by alignment scores",
        ),
        "target_share": share_column("Target", width=60, help="Target share of investment"),
        "gap_pts": st.column_config.NumberColumn(
            "Gap", format="%+.0f pts", width=65, help="Invested minus target share"
        ),
        "projects": st.column_config.NumberColumn(
            "Projects", format="%d", width=65, help="In-portfolio projects serving it"
        ),
        "invested_budget": money_column(
            "Budget",
            compact=True,
            width=80,
            help="In-portfolio budget serving it, split by alignment scores",
        ),
        "progress": share_column(
            "KR progress",
            width=75,
            help="Weighted mean of its key results' progress from baseline to target",
        ),
        "expected_progress": share_column(
            "Expected",
            width=70,
            help="Where the straight line from baseline to target stands at the as-of date",
        ),
        "status": _status_column("Status", width=95),
        "krs_on_track": st.column_config.TextColumn("KRs on track", width=85),
        "benefits_realised": money_column(
            "Realised",
            compact=True,
            width=85,
            help="Benefits realised by the projects serving it, split by alignment scores; "
            "the download also has the planned benefits and the rate",
        ),
    }
    table(
        board,
        "Strategy scorecard",
        key="scorecard",
        on_select="rerun",
        selection_mode="single-row",
        column_config={"objective_id": None, **columns},
        column_order=list(columns),
    )
    st.caption(
        "Progress of an objective is the weighted mean of its key results (weights from "
        "the Key Results sheet); expected = where the straight line from baseline to "
        "target stands at the as-of date. On track: progress ≥ expected; At risk: within "
        "15 points below; Off track: further behind. Click a row to drill into it."
    )


def objective_picker(card: pd.DataFrame, board: pd.DataFrame) -> tuple[object, str]:
    """The objective to drill into: a row clicked in the scorecard table, else the picker
    (opening on the objective that matters most). Returns its objective_id and name."""
    ids = board["objective_id"].tolist()
    names = dict(zip(board["objective_id"], board["name"], strict=True))
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
    return chosen, names[chosen]


def key_results(krs: pd.DataFrame, measured: pd.DataFrame, objective: str) -> None:
    """One objective's key results against plan: the trajectories, then the table."""
    chart(
        charts.kr_trajectories(
            krs,
            measured,
            scorecard.plan_line(krs),
            as_of=app_data.as_of_in_force(),
            title=f"Key results of {objective} against plan",
        ),
        "Key results against plan",
        key="scorecard_krs",
    )
    columns = {  # in the order shown
        "name": st.column_config.TextColumn("Key result", width="medium"),
        "unit": "Unit",
        "baseline": st.column_config.NumberColumn("Baseline"),
        "target": st.column_config.NumberColumn("Target"),
        "target_date": date_column("Target date"),
        "weight": st.column_config.NumberColumn("Weight"),
        "latest_value": st.column_config.NumberColumn("Latest"),
        "latest_date": date_column("Measured"),
        "progress": st.column_config.ProgressColumn(
            "Progress", format=SHARE_FORMAT, min_value=0, max_value=1
        ),
        "expected_progress": share_column("Expected by now"),
        "status": _status_column("Status"),
    }
    table(
        scorecard.kr_table(krs),
        "Key results",
        key="scorecard_kr_table",
        column_order=list(columns),
        column_config=columns,
    )


def unaligned_projects(unaligned: pd.DataFrame) -> None:
    """In-portfolio projects that serve no objective."""
    st.subheader("Unaligned in-portfolio projects")
    st.caption("Approved, Active and On Hold projects that contribute to no objective.")
    if unaligned.empty:
        st.caption("Every in-portfolio project serves at least one objective.")
        return
    table(
        unaligned,
        "Unaligned projects",
        key="alignment_unaligned",
        column_config={
            "project_id": None,
            "name": "Project",
            "status": "Status",
            "portfolio": "Portfolio",
            "sponsor": "Sponsor",
            "budget": money_column("Budget"),
        },
    )


def ranking_table(ranking: pd.DataFrame) -> None:
    """Every project by alignment score."""
    table(
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
            "budget": money_column("Budget"),
            "alignment_score": st.column_config.ProgressColumn(
                "Alignment (0–100)", format="%.0f", min_value=0, max_value=100
            ),
            "aligned": st.column_config.CheckboxColumn("Serves an objective"),
            "in_portfolio": st.column_config.CheckboxColumn("In portfolio"),
        },
    )
