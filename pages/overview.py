import math
from pathlib import Path

import streamlit as st

import ui
from pmo import app_data, decisions, overview, prioritise, roadmap, scorecard
from ui import charts  # pmo.charts, each spec kept per query, params and data version

PAGES = Path(__file__).resolve().parent

ui.header(
    "Portfolio overview",
    "Where the portfolio stands at the as-of date, and what changed since last month.",
)

if app_data.presenting():  # issue 21: the executive summary opens the presented Overview
    said = app_data.executive_summary()
    if said:
        with st.container(border=True):
            st.markdown("**Executive summary**")
            st.markdown("\n".join(f"- {ui.plain(text)}" for text in said))

evm = app_data.filtered("project_evm")
if evm.empty:  # nothing loaded, or the filters match nothing: the empty state says which
    ui.empty_state(["Projects", "Status Reports"], "the overview")
    st.stop()
headline = app_data.filtered("headline_kpis").iloc[0].to_dict()

tiles = overview.tiles(
    headline, app_data.filtered("headline_change"), app_data.filtered("headline_trend")
)
strategy_tile = scorecard.on_track_tile(app_data.filtered("objectives_on_track"))  # issue 18
if strategy_tile is not None:  # beside the alignment tile: the strategy, funded and working
    at = next(i for i, t in enumerate(tiles) if t.key == "portfolio_alignment") + 1
    tiles.insert(at, strategy_tile)
tiles.append(overview.forecast_tile(app_data.forecast().portfolio))  # issue 16
# At most four tiles a row (a fifth wraps at 1500 px), the rows as even as they can be: 10 → 4·3·3.
n_rows = math.ceil(len(tiles) / 4)
sizes = [len(tiles) // n_rows + (r < len(tiles) % n_rows) for r in range(n_rows)]
starts = [sum(sizes[:r]) for r in range(n_rows)]
for row in (tiles[a : a + n] for a, n in zip(starts, sizes, strict=True)):
    # Columns, not a wrapping flex row: on a laptop screen beside the sidebar a flex row of
    # four wrapped its last tile onto a row of its own. A wide tile gets a wider column.
    cols = st.columns([t.width / 260 if isinstance(t.width, int) else 1 for t in row])
    for col, tile in zip(cols, row, strict=True):
        with col:
            st.metric(
                tile.label,
                tile.value,
                delta=tile.delta,
                delta_color=tile.delta_color,
                delta_description=tile.delta_description,
                delta_arrow=tile.delta_arrow,
                help=tile.help,
                border=True,
                chart_data=tile.trend or None,
                chart_type="line",
            )
st.caption(
    f"Figures at {overview.date_label(headline['as_of'])}; the small charts show the "
    "last 13 month-ends."
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


def detail_link(page: str, label: str) -> None:
    if (PAGES / page).exists():
        st.page_link(f"pages/{page}", label=label, icon=":material/arrow_forward:")
    else:
        st.caption(f"Details: {label.removeprefix('Open ')} page.")


red = overview.red_projects(app_data.filtered("in_flight_evm"))
as_of_month = overview.month_param(headline["as_of"])  # the as-of month only (issue 20)
teams = overview.overallocated_teams(
    app_data.filtered("overallocations", from_month=as_of_month, to_month=as_of_month),
    headline["as_of"],
)
slips = overview.slipped_milestones(app_data.filtered("milestone_slip"))

st.markdown(f"**Red projects: {len(red)}**")
if red.empty:
    st.caption("No in-flight project is Red.")
else:
    ui.table(
        red,
        "Red projects",
        key="overview_red",
        column_config={
            "project_id": None,
            "name": "Project",
            "sponsor": "Sponsor",
            "manager": "Manager",
            "budget": ui.money_column("Budget"),
            "cpi": st.column_config.NumberColumn("CPI", format="%.2f"),
            "spi": st.column_config.NumberColumn("SPI", format="%.2f"),
            "report_date": ui.date_column("Reported"),
            "comment": st.column_config.TextColumn("Latest comment", width="large"),
        },
    )
detail_link("performance.py", "Open Performance & trends")

c2, c3 = st.columns([2, 3])
with c2:
    st.markdown(
        f"**Over-allocated teams in {overview.month_label(headline['as_of'])}: {len(teams)}**"
    )
    if teams.empty:
        st.caption("No team has anyone allocated above capacity this month.")
    else:
        ui.table(
            teams,
            "Over-allocated teams",
            key="overview_teams",
            column_config={
                "team": "Team",
                "people": st.column_config.NumberColumn("People over 100%", format="%d"),
                "excess_hours": st.column_config.NumberColumn("Hours over", format="%.0f h"),
                "worst_utilisation": ui.share_column("Worst"),
                "month": None,
            },
        )
    detail_link("resources.py", "Open Resources")
with c3:
    st.markdown(f"**Slipped or overdue milestones: {len(slips)}**")
    if slips.empty:
        st.caption("No open milestone is late against its baseline.")
    else:
        ui.table(
            slips,
            "Slipped milestones",
            key="overview_slips",
            column_config={
                "project_id": None,
                "project_name": "Project",
                "milestone": "Milestone",
                "baseline_date": ui.date_column("Baseline"),
                "forecast_date": ui.date_column("Forecast"),
                "slip_days": st.column_config.NumberColumn("Slip", format="%d days"),
            },
        )
    detail_link("performance.py", "Open Performance & trends")

# Issue 17: what threatens the plan; the Roadmap page has the timeline and the full register.
high = roadmap.high_risks(app_data.filtered("risk_register"))
waiting = app_data.filtered("dependencies_at_risk")
st.markdown(f"**High risks: {len(high)}** (open, exposure 15 or more)")
if high.empty:
    st.caption("No open risk has an exposure (probability × impact) of 15 or more.")
else:
    ui.table(
        high,
        "High risks",
        key="overview_high_risks",
        column_order=["title", "project_name", "exposure", "owner", "due_date"],
        column_config={
            "title": st.column_config.TextColumn("Risk", width="large"),
            "project_name": "Project",
            "exposure": st.column_config.NumberColumn("Exposure", format="%d"),
            "owner": "Owner",
            "due_date": ui.date_column("Due"),
        },
    )
detail_link("roadmap.py", "Open Roadmap")
st.markdown(f"**Dependencies at risk: {len(waiting)}**")
if waiting.empty:
    st.caption("No project waits on a predecessor forecast to be late.")
else:
    ui.table(
        waiting,
        "Dependencies at risk",
        key="overview_dependencies",
        column_order=[
            "project_name",
            "predecessor_name",
            "link",
            "needed_by",
            "predecessor_date",
            "days_waiting",
        ],
        column_config={
            "project_name": "Waits",
            "predecessor_name": "On",
            "link": "Link",
            "needed_by": ui.date_column("Needed by"),
            "predecessor_date": ui.date_column("Ready"),
            "days_waiting": st.column_config.NumberColumn("Days waiting", format="%d days"),
        },
    )
detail_link("roadmap.py", "Open Roadmap")
# Issue 21: open and overdue actions from the reviews' decisions log.
actions = app_data.filtered("summary_overdue_actions").iloc[0]
open_actions = decisions.open_actions(app_data.filtered("decisions"))
st.markdown(
    f"**Open actions: {int(actions['open_actions'])}, overdue: {int(actions['overdue_actions'])}**"
)
if open_actions.empty:
    st.caption("No open action from the reviews.")
else:
    ui.table(
        open_actions,
        "Open actions",
        key="overview_actions",
        column_order=["title", "project_names", "owner", "due_date", "state"],
        column_config={
            "title": st.column_config.TextColumn("Action", width="large"),
            "project_names": "Projects",
            "owner": "Owner",
            "due_date": ui.date_column("Due"),
            "state": "Status",
        },
    )
detail_link("review.py", "Open Review")
