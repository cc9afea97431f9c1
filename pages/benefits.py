import streamlit as st

import ui
from pmo import app_data, format, views
from ui import charts  # pmo.charts, each spec kept per query, params and data version

ui.header(
    "Benefits",
    "Benefits planned and realised, by project and by strategic objective. Realisation = "
    "realised ÷ planned; behind plan = due by the as-of date and realised below plan.",
)

loaded = app_data.query("loaded_tables").iloc[0]
by_project = app_data.filtered("benefits_by_project")
if by_project.empty:
    ui.empty_state(["Projects", "Benefits"], "benefits", missing=not loaded["benefits"])
    st.stop()

kpis = app_data.filtered("headline_kpis").iloc[0]
behind = app_data.filtered("benefits_behind")
with st.container(horizontal=True):
    st.metric(
        "Planned benefit",
        format.money(by_project["planned"].sum()),
        border=True,
        help="Every benefit of the projects shown, whenever due",
    )
    st.metric("Realised so far", format.money(by_project["realized"].sum()), border=True)
    st.metric(
        "Benefits realisation",
        format.percent(kpis["benefits_realization"]),
        border=True,
        help="Σ realised ÷ Σ planned (the headline KPI)",
    )
    st.metric(
        "Benefits behind plan",
        format.count(len(behind)),
        border=True,
        help="Due by the as-of date and realised below plan",
    )
    st.metric(
        "Shortfall",
        format.money(behind["shortfall"].sum()),
        border=True,
        help="Σ (planned − realised) over the benefits behind plan",
    )

TOP = 25
shown = views.largest(by_project, "planned", TOP)
ui.chart(
    charts.benefits_bars(
        shown,
        "project_name",
        "Benefits by project"
        + (f": the {TOP} largest of {len(by_project)}" if len(by_project) > TOP else ""),
    ),
    "Benefits by project",
    key="benefits_projects",
)

by_objective = app_data.filtered("benefits_by_objective")
if by_objective.empty:
    ui.empty_state(
        ["Objectives", "Alignment"], "benefits by objective", missing=not loaded["objectives"]
    )
else:
    ui.chart(
        charts.benefits_bars(by_objective, "objective_name", "Benefits by strategic objective"),
        "Benefits by objective",
        key="benefits_objectives",
    )
    st.caption(
        "A project's benefits are shared among the objectives it serves in proportion to "
        "its alignment scores; projects with no alignment count as Unaligned."
    )

st.subheader("Behind plan")
if behind.empty:
    st.caption("Every benefit due by the as-of date is realised as planned.")
else:
    ui.table(
        views.as_percent(behind, ["realisation_rate"]),
        "Benefits behind plan",
        key="benefits_behind",
        column_order=[
            "project_name",
            "benefit",
            "date",
            "planned_value",
            "realized_value",
            "shortfall",
            "realisation_rate",
            "status",
            "sponsor",
        ],
        column_config={
            "project_name": "Project",
            "benefit": "Benefit",
            "date": ui.date_column("Due"),
            "planned_value": ui.money_column("Planned"),
            "realized_value": ui.money_column("Realised"),
            "shortfall": ui.money_column("Shortfall"),
            "realisation_rate": ui.percent_column("Realised share"),
            "status": "Project status",
            "sponsor": "Sponsor",
        },
    )

with st.expander("Every project's benefits"):
    ui.table(
        views.as_percent(by_project, ["realisation_rate", "due_rate"]),
        "Benefits by project",
        key="benefits_project_table",
        column_order=[
            "project_name",
            "status",
            "portfolio",
            "sponsor",
            "benefits",
            "planned",
            "realized",
            "realisation_rate",
            "due_planned",
            "due_realized",
            "due_rate",
            "due_shortfall",
        ],
        column_config={
            "project_name": "Project",
            "status": "Status",
            "portfolio": "Portfolio",
            "sponsor": "Sponsor",
            "benefits": st.column_config.NumberColumn("Benefits", format="%d"),
            "planned": ui.money_column("Planned"),
            "realized": ui.money_column("Realised"),
            "due_planned": ui.money_column("Due: planned"),
            "due_realized": ui.money_column("Due: realised"),
            "realisation_rate": ui.percent_column("Realised share"),
            "due_rate": ui.percent_column("Due: realised share"),
            "due_shortfall": ui.money_column("Due: shortfall"),
        },
    )
