import streamlit as st

import ui
from pmo import app_data, charts, format

ui.header("Portfolio overview", "Where the portfolio stands at the as-of date.")

kpis = app_data.filtered("headline_kpis").iloc[0]
if not kpis["in_flight_projects"]:
    ui.empty_state(["Projects", "Status Reports"], "the overview")
    st.stop()

with st.container(horizontal=True):
    st.metric("In-flight projects", format.count(kpis["in_flight_projects"]), border=True)
    st.metric("Portfolio budget", format.money(kpis["total_budget"]), border=True,
              help="Budget of Approved, Active and On Hold projects")
    st.metric("Cost performance (CPI)", format.ratio(kpis["portfolio_cpi"]), border=True,
              help="Σ earned value / Σ actual cost over in-flight projects")
    st.metric("Schedule performance (SPI)", format.ratio(kpis["portfolio_spi"]), border=True,
              help="Σ earned value / Σ planned value over in-flight projects")
    st.metric("Red projects", format.count(kpis["rag_red"]), border=True)

left, right = st.columns([3, 2])
with left:
    in_flight = app_data.filtered("in_flight_evm")
    ui.chart(charts.evm_scatter(in_flight), "Cost and schedule performance", key="overview_evm")
with right:
    ui.chart(charts.rag_mix(app_data.filtered("rag_mix")), "RAG status", key="overview_rag")
