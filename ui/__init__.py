"""Shared page furniture: sidebar, headers, charts and tables with their downloads, empty states.

Pages import this and pmo.app_data; nothing here computes a KPI.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import streamlit as st

from pmo import app_data, charts as _charts, export, format, views

# pmo.charts' builders, deferred: `charts.rag_mix(frame)` here returns a call that ui.chart
# draws from the spec kept for the same query results (app_data.chart_spec), building and
# validating the Altair chart only the first time. Pages draw charts through this.
charts = app_data.DeferredCharts(_charts)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "chart"


def header(title: str, caption: str | None = None) -> None:
    """Page title, the filters in force (so a screenshot says what it shows), an explanation.

    Also the guard every page passes first (app_data.guard_page).
    """
    app_data.guard_page()
    st.title(title)
    view = app_data.view_in_words()
    st.caption(plain(view) + (f"  \n{caption}" if caption and not app_data.presenting() else ""))


def empty_state(sheets: list[str], what: str = "this page", *, missing: bool = False) -> None:
    """Say which sheets to upload for a page that has no data, or that the filters match nothing.

    ``missing=True``: the page's sheets are not loaded at all (say so even when projects are).
    """
    if app_data.import_status().get("projects") and not missing:
        st.info(
            f"No data for {what} matches the filters in force. Clear or change the filters in "
            "the sidebar.",
            icon=":material/filter_alt_off:",
        )
        return
    names = ", ".join(f"**{s}**" for s in sheets)
    st.info(
        f"No data for {what} yet. Upload a workbook with the {names} sheet(s) on the Data page, "
        "or load the demo portfolio there.",
        icon=":material/upload_file:",
    )


def chart(chart: alt.TopLevelMixin | app_data.ChartCall, name: str, *, key: str) -> None:
    """Draw a chart with PNG (2x) and SVG downloads made on click.

    ``chart`` is a call of ui.charts (its spec kept across reruns and sessions) or an Altair
    chart (converted on every run).
    """
    if isinstance(chart, app_data.ChartCall):
        call = chart
        st.vega_lite_chart(
            app_data.chart_spec(call), width="stretch", theme=None, key=f"{key}_chart"
        )

        def built() -> alt.TopLevelMixin:
            return call.build()
    else:
        st.altair_chart(chart, width="stretch", theme=None, key=f"{key}_chart")

        def built() -> alt.TopLevelMixin:
            return chart

    _downloads(
        name,
        key,
        ("PNG", lambda: export.chart_png(built()), "png", "image/png", ":material/image:"),
        ("SVG", lambda: export.chart_svg(built()), "svg", "image/svg+xml", ":material/draw:"),
    )


def _downloads(name: str, key: str, *buttons: tuple) -> None:
    """A row of download buttons, each (label, data, file ending, mime, icon), made on click;
    the file is named after ``name``, the button's key is ``key`` and the ending."""
    slug = _slug(name)
    row = st.container(horizontal=True, gap="small")
    for label, data, ending, mime, icon in buttons:
        row.download_button(
            label,
            data=data,
            file_name=f"{slug}.{ending}",
            mime=mime,
            key=f"{key}_{ending}",
            icon=icon,
            on_click="ignore",
        )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MISSING = "—"  # what a table shows for a missing value (a blank date, no report yet)

# Column formats, named once: every table shows money with the currency and no cents, one
# date style (31 Oct 2026), months as Oct 2026, and percentages without decimals.
DATE_FORMAT = "D MMM YYYY"  # 31 Oct 2026, 1 Nov 2026, as pmo.format and the charts write dates
MONTH_FORMAT = "MMM YYYY"  # Oct 2026
PERCENT_FORMAT = "%.0f%%"  # a value in points (93.4 -> 93%): views.as_percent gives them
SHARE_FORMAT = "percent"  # a fraction (0.934), Streamlit's percent preset
HOURS_FORMAT = "%,.0f"  # hours, whole, with thousands separators (1,234)


def money_format() -> str:
    """The printf format of money in tables: the currency, thousands separators ($1,234,567)."""
    return format.currency_symbol().replace("%", "%%") + "%,.0f"


def money_column(
    label: str, *, compact: bool = False, signed: bool = False, **kwargs
) -> st.column_config.NumberColumn:
    """A money column: $1,234,567 with the app's currency; ``compact`` for a narrow column,
    1.2M under a label that names the currency ("Budget ($)"); ``signed`` for a change or a
    variance, -467,655 under "VAC ($)" (never "$-467,655")."""
    if signed:
        return st.column_config.NumberColumn(
            f"{label} ({format.currency_symbol()})", format="%+,.0f", **kwargs
        )
    if compact:
        return st.column_config.NumberColumn(
            f"{label} ({format.currency_symbol()})", format="compact", **kwargs
        )
    return st.column_config.NumberColumn(label, format=money_format(), **kwargs)


def date_column(label: str, **kwargs) -> st.column_config.DateColumn:
    """A date column: 31 Oct 2026."""
    return st.column_config.DateColumn(label, format=DATE_FORMAT, **kwargs)


def month_column(label: str, **kwargs) -> st.column_config.DateColumn:
    """A month column: Oct 2026."""
    return st.column_config.DateColumn(label, format=MONTH_FORMAT, **kwargs)


def percent_column(label: str, **kwargs) -> st.column_config.NumberColumn:
    """A percentage held in points (93.4 shows as 93%)."""
    return st.column_config.NumberColumn(label, format=PERCENT_FORMAT, **kwargs)


def hours_column(label: str, **kwargs) -> st.column_config.NumberColumn:
    """A number of hours: 1,234 (the label says they are hours: "Allocated h")."""
    return st.column_config.NumberColumn(label, format=HOURS_FORMAT, **kwargs)


def share_column(label: str, **kwargs) -> st.column_config.NumberColumn:
    """A percentage held as a fraction (0.934)."""
    return st.column_config.NumberColumn(label, format=SHARE_FORMAT, **kwargs)


def table(frame: pd.DataFrame, name: str, *, key: str, **dataframe_kwargs) -> None:
    """Draw a table with CSV and XLSX downloads (spreadsheet formulas neutralised).

    A missing value shows as a dash, not as "None".
    """
    dataframe_kwargs.setdefault("placeholder", MISSING)
    st.dataframe(frame, hide_index=True, key=f"{key}_table", **dataframe_kwargs)
    _downloads(
        name,
        key,
        ("CSV", lambda: export.table_csv(frame), "csv", "text/csv", ":material/download:"),
        ("XLSX", lambda: export.table_xlsx(frame, sheet=name), "xlsx", XLSX, ":material/table:"),
    )


def metrics(*tiles: tuple[str, str] | tuple[str, str, str]) -> None:
    """A row of bordered figures, each (label, value) or (label, value, help)."""
    with st.container(horizontal=True):
        for label, value, *help_text in tiles:
            st.metric(label, value, border=True, help=help_text[0] if help_text else None)


FILTER_LABELS = (
    ("portfolio", "Portfolio"),
    ("business_unit", "Business unit"),
    ("status", "Status"),
    ("sponsor", "Sponsor"),
)

# Constant CSS only: no user value is ever placed in it.
PRINT_CSS = """
<style>
@media print {
  @page { size: landscape; margin: 10mm; }
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stDownloadButton"], [data-testid="stBaseButton-secondary"] {
    display: none !important;
  }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0 !important; }
  [data-testid="stVegaLiteChart"], [data-testid="stMetric"], [data-testid="stDataFrame"],
  [data-testid="stHorizontalBlock"] { break-inside: avoid; page-break-inside: avoid; }
  /* A heading or a bold label line stays with the table or chart it introduces (a caption,
     which closes what is above it, does not). */
  [data-testid="stElementContainer"]:has([data-testid="stHeading"]),
  [data-testid="stElementContainer"]:has([data-testid="stMarkdown"]):not(:has([data-testid="stCaptionContainer"])) {
    break-after: avoid; page-break-after: avoid;
  }
}
</style>
"""

PRESENTATION_CSS = """
<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stStatusWidget"], [data-testid="stDownloadButton"], footer { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 1600px; padding: 2rem 3rem 1rem 3rem; }
[data-testid="stAppViewContainer"] { background: #ffffff; }
html, body, [data-testid="stMarkdownContainer"] p { font-size: 19px; }
h1 { font-size: 2.6rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.6rem !important; line-height: 1.2; }
[data-testid="stElementToolbar"] { display: none !important; }
[data-testid="stMetricLabel"] p { font-size: 1.1rem !important; }
</style>
"""


def frame() -> None:
    """Page-wide styles: print layout always; presentation mode when it is on."""
    st.html(PRINT_CSS)
    if app_data.presenting():
        st.html(PRESENTATION_CSS)


def notices() -> None:
    """The demo banner; say when a link asked for filter values that match nothing."""
    if app_data.is_demo() and not app_data.presenting():
        demo_banner()
    for field, values in app_data.unknown_filters().items():
        label = dict(FILTER_LABELS)[field].lower()
        shown = ", ".join(repr(v) for v in values)
        st.warning(
            f"The link asks for {label} {plain(shown)}, which matches no project, so nothing "
            f"is shown. Change the {label} filter in the sidebar to see data.",
            icon=":material/filter_alt_off:",
        )
    if app_data.bad_as_of():
        st.warning(
            f"The link's as-of date {plain(repr(app_data.bad_as_of()))} is not a date "
            "(YYYY-MM-DD); the latest report date is used.",
            icon=":material/event_busy:",
        )


def demo_banner() -> None:
    """Say that this is the demo portfolio, and offer the way to the PMO's own data."""
    with st.container(border=True):
        st.markdown(
            ":material/science: **You are looking at the demo portfolio** — Northwind "
            "Financial, a made-up bank, over three monthly imports (Aug–Oct 2026). "
            "Nothing you import goes into it."
        )
        if app_data.can_edit() and st.button(
            "Start with your own data",
            key="demo_start_own",
            type="primary",
            icon=":material/upload_file:",
        ):
            app_data.start_own_data()
            st.switch_page("pages/data.py")


def sidebar() -> None:
    """The shared sidebar: filters kept across pages and mirrored in the URL, data status.

    Drawn in presentation mode too (then hidden by CSS), so the filters stay bound to the URL.
    """
    options = app_data.filter_options()
    with st.sidebar:
        st.subheader("Filters")
        for field, label in FILTER_LABELS:
            values = options.loc[options["field"] == field, "value"].tolist()
            key = app_data.FILTER_KEYS[field]
            st.multiselect(
                label,
                values,
                key=key,
                placeholder="All",
                on_change=app_data.forget_unknown,
                args=(field,),
                bind="query-params",
            )
        st.date_input(
            "As of",
            value=None,
            key=app_data.AS_OF_KEY,
            format="YYYY-MM-DD",
            help="Blank: the latest status report date",
            bind="query-params",
        )
        st.toggle(
            "Presentation mode",
            key=app_data.PRESENTING_KEY,
            help="Hide the sidebar and toolbar for clean screenshots (or add ?present=1 to the link)",
        )
        st.download_button(
            "Review pack (PowerPoint)",
            data=app_data.review_pack,
            file_name="portfolio-review.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key="review_pack",
            icon=":material/slideshow:",
            on_click="ignore",
            help="KPI tiles, key charts with takeaways and exceptions for the current filters",
        )
        status = app_data.import_status()
        st.divider()
        latest = status.get("latest_report_date")
        left = status.get("left_projects") or 0
        st.caption(
            f"Data as of **{views.day(latest)}** · {format.count(status.get('projects'))} projects"
            + (
                f" ({format.count(left)} have left the portfolio)"
                if left and not pd.isna(left)
                else ""
            )
        )
        if status.get("last_import_id") is not None and not pd.isna(status.get("last_import_id")):
            st.caption(
                f"Last import #{int(status['last_import_id'])} on {views.day(status.get('last_import_at'))}"
                f" by {plain(str(status.get('last_import_by') or 'unknown'))}"
            )
        else:
            st.caption("No imports yet")


def presentation_footer() -> None:
    """In presentation mode, a quiet way back to the full app."""
    st.button(
        "Exit presentation mode",
        key="present_exit",
        type="tertiary",
        icon=":material/close_fullscreen:",
        on_click=app_data.leave_presentation,
    )


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """Escape Markdown so a value from a link or a file shows as typed, never as markup."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def sign_in_screen() -> None:
    """The only thing a signed-out visitor sees when sign-in is on: no data, no sidebar."""
    st.title("PMO Lens")
    st.write("Portfolio dashboards for the PMO and its executives. Sign in to continue.")
    if st.button("Sign in", type="primary", icon=":material/login:", key="auth_sign_in"):
        app_data.sign_in()
    st.caption("Sign-in uses your organisation's account. Ask the PMO for access.")


def account(who) -> None:
    """The sidebar's account block: who is signed in, their role, and a sign-out button."""
    with st.sidebar:
        st.divider()
        if not who.auth_enabled:
            st.caption("Open access: sign-in is not configured, everyone may edit.")
            return
        st.caption("Signed in as")
        st.text(who.label)
        if who.email and who.email != who.label:
            st.text(who.email)
        st.caption(f"Role: **{who.role}**" + ("" if who.can_edit else " (read only)"))
        if st.button("Sign out", icon=":material/logout:", key="auth_sign_out"):
            app_data.sign_out()


# The Data page's import steps and Prioritisation's scenarios live in their own modules; pages
# reach them as ui.NAME like the rest of the furniture. Other pages' blocks live in a module
# per page, functions named for what they draw: ui.review.comparison(), ui.overview.tiles().
from ui import (  # noqa: E402
    alignment as alignment,
    overview as overview,
    resources as resources,
    review as review,
)
from ui.imports import (  # noqa: E402
    CONSTANT as CONSTANT,
    MONEY_UNITS as MONEY_UNITS,
    NOT_MAPPED as NOT_MAPPED,
    complete_lists as complete_lists,
    import_history as import_history,
    import_options as import_options,
    import_outcome as import_outcome,
    import_step as import_step,
    mapping_grid as mapping_grid,
    mapping_preview as mapping_preview,
    mapping_step as mapping_step,
    progress_bar as progress_bar,
    read_step as read_step,
    settings_note as settings_note,
    settings_step as settings_step,
    settings_symbol as settings_symbol,
    sheet_label as sheet_label,
    sheet_step as sheet_step,
    upload_step as upload_step,
    value_maps as value_maps,
)
from ui.scenarios import (  # noqa: E402
    APPLY_KEY as APPLY_KEY,
    COMPARE_KEY as COMPARE_KEY,
    scenario_comparison as scenario_comparison,
    scenario_picker as scenario_picker,
    scenario_save_form as scenario_save_form,
)
