"""Shared page furniture: sidebar, headers, charts and tables with their downloads, empty states.

Pages import this and pmo.app_data; nothing here computes a KPI.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import streamlit as st

from pmo import app_data, export, format


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "chart"


def header(title: str, caption: str | None = None) -> None:
    """Page title and a one-line explanation."""
    st.title(title)
    if caption:
        st.caption(caption)


def empty_state(sheets: list[str], what: str = "this page") -> None:
    """Say which sheets to upload for a page that has no data."""
    names = ", ".join(f"**{s}**" for s in sheets)
    st.info(
        f"No data for {what} yet. Upload a workbook with the {names} sheet(s) on the Data page, "
        "or load the demo portfolio there.",
        icon=":material/upload_file:",
    )


def chart(chart: alt.TopLevelMixin, name: str, *, key: str) -> None:
    """Draw an Altair chart with PNG (2x) and SVG downloads made on click."""
    st.altair_chart(chart, width="stretch", theme=None, key=f"{key}_chart")
    slug = _slug(name)
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        "PNG",
        data=lambda: export.chart_png(chart),
        file_name=f"{slug}.png",
        mime="image/png",
        key=f"{key}_png",
        icon=":material/image:",
        on_click="ignore",
    )
    row.download_button(
        "SVG",
        data=lambda: export.chart_svg(chart),
        file_name=f"{slug}.svg",
        mime="image/svg+xml",
        key=f"{key}_svg",
        icon=":material/draw:",
        on_click="ignore",
    )


def table(frame: pd.DataFrame, name: str, *, key: str, **dataframe_kwargs) -> None:
    """Draw a table with CSV and XLSX downloads (spreadsheet formulas neutralised)."""
    st.dataframe(frame, hide_index=True, key=f"{key}_table", **dataframe_kwargs)
    slug = _slug(name)
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        "CSV",
        data=lambda: export.table_csv(frame),
        file_name=f"{slug}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    row.download_button(
        "XLSX",
        data=lambda: export.table_xlsx(frame, sheet=name),
        file_name=f"{slug}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/table:",
        on_click="ignore",
    )


def sidebar() -> None:
    """The shared sidebar: filters kept across pages, and what data is loaded."""
    options = app_data.filter_options()
    with st.sidebar:
        st.subheader("Filters")
        for field, label in (
            ("portfolio", "Portfolio"),
            ("business_unit", "Business unit"),
            ("status", "Status"),
            ("sponsor", "Sponsor"),
        ):
            values = options.loc[options["field"] == field, "value"].tolist()
            st.multiselect(label, values, key=app_data.FILTER_KEYS[field], placeholder="All")
        st.date_input("As of", value=None, key=app_data.AS_OF_KEY, format="YYYY-MM-DD",
                      help="Blank: the latest status report date")
        status = app_data.import_status()
        st.divider()
        latest = status.get("latest_report_date")
        st.caption(
            f"Data as of **{_date(latest)}** · {format.count(status.get('projects'))} projects"
        )
        if status.get("last_import_id") is not None and not pd.isna(status.get("last_import_id")):
            st.caption(
                f"Last import #{int(status['last_import_id'])} on {_date(status.get('last_import_at'))}"
                f" by {status.get('last_import_by') or 'unknown'}"
            )
        else:
            st.caption("No imports yet")


def _date(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return format.DASH
    return pd.Timestamp(value).strftime("%d %b %Y")
