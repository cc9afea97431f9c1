import streamlit as st

import ui
from pmo import app_data, format, roadmap
from ui import charts  # pmo.charts through ui (specs kept where the arguments allow)

ui.header(
    "Roadmap",
    "The projects in view on one timeline, what waits on what, and the risks that threaten "
    "the plan, at the as-of date.",
)

loaded = app_data.query("loaded_tables").iloc[0]
road = app_data.filtered("roadmap")
if road.empty:
    ui.empty_state(["Projects", "Milestones", "Dependencies", "Risks"], "the roadmap")
    st.stop()

links = app_data.filtered("dependency_links")
waiting = app_data.filtered("dependencies_at_risk")
register = app_data.filtered("risk_register")
figures = app_data.filtered("roadmap_kpis").iloc[0]

with st.container(horizontal=True):
    st.metric(
        "Projects in view",
        format.count(len(road)),
        border=True,
        help="Projects passing the filters (Cancelled ones only when the status filter asks)",
    )
    st.metric(
        "Dependencies at risk",
        format.count(figures["dependencies_at_risk"]),
        border=True,
        help="The predecessor's forecast finish, start or milestone falls after the "
        "dependent's start",
    )
    st.metric(
        "Open high risks",
        format.count(figures["open_high_risks"]),
        border=True,
        help="Open risks with exposure (probability × impact) of 15 or more",
    )
    st.metric(
        "Overdue risks",
        format.count(figures["overdue_risks"]),
        border=True,
        help="Open risks past their due date",
    )

left, right = st.columns([1, 2], vertical_alignment="bottom")
group_by = (
    left.segmented_control(
        "Group by",
        list(roadmap.GROUPS),
        format_func=roadmap.GROUPS.get,
        default="portfolio",
        key="roadmap_group",
        help="Objective: the one each project serves most (highest score)",
    )
    or "portfolio"
)
limit = right.number_input(
    "Projects drawn (largest by budget)",
    min_value=5,
    max_value=400,
    value=roadmap.DEFAULT_LIMIT,
    step=5,
    key="roadmap_limit",
    width=260,
    help="Above this many, only the largest projects by budget are drawn, with a note",
)
data = roadmap.gantt_data(road, app_data.filtered("milestone_slip"), links, group_by, int(limit))
ui.chart(
    charts.gantt(
        data,
        app_data.as_of_in_force(),
        f"Roadmap by {roadmap.GROUPS[group_by].lower()}",
        roadmap.GROUPS[group_by],
        format.currency_symbol(),
    ),
    "Roadmap",
    key="roadmap_gantt",
)
if data.note:
    st.caption(data.note)

st.subheader(f"Dependencies at risk: {len(waiting)}")
if not loaded["dependencies"]:
    ui.empty_state(["Dependencies"], "dependencies between projects", missing=True)
elif waiting.empty:
    st.caption("No dependency is at risk: every predecessor is forecast to be ready in time.")
else:
    st.caption(ui.plain(roadmap.dependencies_takeaway(waiting)))
    ui.table(
        waiting,
        "Dependencies at risk",
        key="roadmap_dependencies",
        column_order=[
            "project_name",
            "predecessor_name",
            "link",
            "milestone",
            "needed_by",
            "predecessor_date",
            "predecessor_date_source",
            "days_waiting",
        ],
        column_config={
            "project_name": "Waits (dependent)",
            "predecessor_name": "On (predecessor)",
            "link": "Link",
            "milestone": "Milestone",
            "needed_by": ui.date_column("Needed by (start)"),
            "predecessor_date": ui.date_column("Ready"),
            "predecessor_date_source": "Ready date is",
            "days_waiting": st.column_config.NumberColumn("Days waiting", format="%d days"),
        },
    )

RISK_COLUMNS = {
    "risk_id": "Risk",
    "title": st.column_config.TextColumn("Title", width="large"),
    "project_name": "Project",
    "category": "Category",
    "exposure": st.column_config.NumberColumn(
        "Exposure", format="%d", help="Probability × impact, 1–25"
    ),
    "band": "Band",
    "owner": "Owner",
    "due_date": ui.date_column("Due"),
    "days_overdue": st.column_config.NumberColumn("Overdue", format="%d days"),
    "status": "Status",
}

st.subheader("Risks")
if not loaded["risks"]:
    ui.empty_state(["Risks"], "the risk view", missing=True)
    st.stop()
if register.empty:
    ui.empty_state(["Risks"], "the risk view")
    st.stop()
st.caption(ui.plain(roadmap.risks_takeaway(register)))
left, right = st.columns([2, 3])
with left:
    ui.chart(
        charts.risk_heatmap(app_data.filtered("risk_heatmap")),
        "Risk heat map",
        key="roadmap_heatmap",
    )
with right:
    ui.chart(
        charts.risk_exposure_trend(app_data.filtered("risk_exposure_trend")),
        "Open risk exposure",
        key="roadmap_exposure",
    )

top = roadmap.open_risks(register, "Project").head(10)
st.markdown(
    f"**Top project risks by exposure** ({len(roadmap.open_risks(register, 'Project'))} open)"
)
ui.table(
    top,
    "Top project risks",
    key="roadmap_top_risks",
    column_order=[c for c in RISK_COLUMNS if c != "days_overdue"],
    column_config=RISK_COLUMNS,
)

overdue = roadmap.overdue_risks(register)
st.markdown(f"**Overdue risks: {len(overdue)}** (open past their due date)")
if overdue.empty:
    st.caption("No open risk is past its due date.")
else:
    ui.table(
        overdue,
        "Overdue risks",
        key="roadmap_overdue",
        column_order=[
            "risk_id",
            "title",
            "project_name",
            "exposure",
            "owner",
            "due_date",
            "days_overdue",
            "status",
        ],
        column_config=RISK_COLUMNS,
    )

portfolio = roadmap.open_risks(register, "Portfolio")
st.markdown(f"**Portfolio risks** (no single project): {len(portfolio)} open")
if any(v for k, v in app_data.current_filters().items() if k != "as_of"):
    st.caption(
        "Portfolio-wide risks belong to no project, so a filter leaves them out; clear the "
        "filters to see them."
    )
elif portfolio.empty:
    st.caption("No open portfolio-wide risk.")
else:
    ui.table(
        portfolio,
        "Portfolio risks",
        key="roadmap_portfolio_risks",
        column_order=[
            "risk_id",
            "title",
            "category",
            "exposure",
            "band",
            "owner",
            "due_date",
            "status",
        ],
        column_config=RISK_COLUMNS,
    )
