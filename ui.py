"""Shared page furniture: sidebar, headers, charts and tables with their downloads, empty states.

Pages import this and pmo.app_data; nothing here computes a KPI.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from pmo import app_data, export, format, ingest, schema
from pmo import charts as _charts

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

    slug = _slug(name)
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        "PNG",
        data=lambda: export.chart_png(built()),
        file_name=f"{slug}.png",
        mime="image/png",
        key=f"{key}_png",
        icon=":material/image:",
        on_click="ignore",
    )
    row.download_button(
        "SVG",
        data=lambda: export.chart_svg(built()),
        file_name=f"{slug}.svg",
        mime="image/svg+xml",
        key=f"{key}_svg",
        icon=":material/draw:",
        on_click="ignore",
    )


MISSING = "—"  # what a table shows for a missing value (a blank date, no report yet)

# Column formats, named once: every table shows money with the currency and no cents, one
# date style (31 Oct 2026), months as Oct 2026, and percentages without decimals.
DATE_FORMAT = "D MMM YYYY"  # 31 Oct 2026, 1 Nov 2026, as pmo.format and the charts write dates
MONTH_FORMAT = "MMM YYYY"  # Oct 2026
PERCENT_FORMAT = "%.0f%%"  # a value in points (93.4 -> 93%): views.as_percent gives them
SHARE_FORMAT = "percent"  # a fraction (0.934), Streamlit's percent preset


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


def share_column(label: str, **kwargs) -> st.column_config.NumberColumn:
    """A percentage held as a fraction (0.934)."""
    return st.column_config.NumberColumn(label, format=SHARE_FORMAT, **kwargs)


def table(frame: pd.DataFrame, name: str, *, key: str, **dataframe_kwargs) -> None:
    """Draw a table with CSV and XLSX downloads (spreadsheet formulas neutralised).

    A missing value shows as a dash, not as "None".
    """
    dataframe_kwargs.setdefault("placeholder", MISSING)
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
            f"Data as of **{_date(latest)}** · {format.count(status.get('projects'))} projects"
            + (
                f" ({format.count(left)} have left the portfolio)"
                if left and not pd.isna(left)
                else ""
            )
        )
        if status.get("last_import_id") is not None and not pd.isna(status.get("last_import_id")):
            st.caption(
                f"Last import #{int(status['last_import_id'])} on {_date(status.get('last_import_at'))}"
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


def _date(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return format.DASH
    return pd.Timestamp(value).strftime("%d %b %Y")


# ------------------------------------------------------------------ the Data page's import steps

NOT_MAPPED = "(not mapped)"
CONSTANT = "(constant value)"


def progress_bar(text: str):
    """A progress bar and the callback the importer reports to: (bar, report(fraction, message))."""
    bar = st.progress(0.0, text=text)
    return bar, lambda fraction, message: bar.progress(min(1.0, fraction), text=message)


def sheet_label(sheet: ingest.Sheet) -> str:
    """Where a sheet came from: 'export.xlsx · sheet Projects', or the CSV's file name."""
    return sheet.file if sheet.sheet is None else f"{sheet.file} · sheet {sheet.sheet}"


def sheet_step(
    sheet: ingest.Sheet, index: int, db: str
) -> tuple[str | None, ingest.ColumnMapping | None]:
    """One uploaded sheet on the Data page: the table it holds (offered from its name) and its
    column mapping (offered from a saved mapping with the same headers, else by synonyms).

    Returns (table, the user's whole mapping); (None, None) while no table is chosen.
    """
    with st.container(border=True):
        rows, columns = len(sheet.raw.frame), len(sheet.raw.headers)
        st.text(f"{sheet_label(sheet)}: {rows} rows, {columns} columns")
        names = list(schema.TABLES)
        table = st.selectbox(
            "Table this holds",
            names,
            index=names.index(sheet.table) if sheet.table else None,
            placeholder="Choose the table (the file name does not say)",
            key=f"data_table_{index}",
        )
        if table is None:
            return None, None
        sheet_for_table = ingest.Sheet(sheet.raw, table)
        proposed, saved_name = ingest.proposed_mapping(sheet_for_table, db)
        if saved_name:
            st.caption(
                f"Mapping offered from the saved mapping {plain(str(saved_name))} (same headers)."
            )
        missing = ingest.missing_required(table, proposed)
        with st.expander("Column mapping", expanded=bool(missing), icon=":material/swap_horiz:"):
            chosen = mapping_grid(sheet_for_table, proposed, key=f"{index}_{table}")
            mapping_preview(sheet_for_table, chosen, key=f"data_preview_{index}")
    return table, chosen


def mapping_grid(
    sheet: ingest.Sheet, proposed: ingest.ColumnMapping, *, key: str
) -> ingest.ColumnMapping:
    """A picker per template column of the sheet's table, three to a row: a source header,
    a constant (typed beside it) or not mapped, starting from ``proposed``."""
    options = [NOT_MAPPED, *sheet.raw.headers, CONSTANT]
    chosen = ingest.ColumnMapping(sheet.table)
    grid = st.columns(3)
    for k, col in enumerate(schema.TABLES[sheet.table].importable):
        cell = grid[k % 3]
        if col.name in proposed.columns:
            default = options.index(proposed.columns[col.name])
        elif col.name in proposed.constants:
            default = options.index(CONSTANT)
        else:
            default = 0
        label = f"{col.name} (required)" if col.required else col.name
        pick = cell.selectbox(
            label, options, index=default, key=f"data_map_{key}_{col.name}", format_func=str
        )
        if pick == CONSTANT:
            chosen.constants[col.name] = cell.text_input(
                f"{col.name}: constant",
                value=str(proposed.constants.get(col.name, "")),
                key=f"data_const_{key}_{col.name}",
            )
        elif pick != NOT_MAPPED:
            chosen.columns[col.name] = pick
    return chosen


def mapping_preview(sheet: ingest.Sheet, chosen: ingest.ColumnMapping, *, key: str) -> None:
    """What the mapping still lacks, and the first rows as they would be imported."""
    preview, findings = ingest.preview_mapping(sheet, chosen)
    still_missing = ingest.missing_required(sheet.table, chosen)
    if still_missing:
        st.warning(
            "Map a column or give a constant for: " + ", ".join(still_missing),
            icon=":material/warning:",
        )
    st.caption("Preview of the first rows as they would be imported")
    st.dataframe(preview, hide_index=True, key=key, placeholder=MISSING)
    problems = [f for f in findings if f.level != "info" and f.row is not None]
    if problems:
        st.caption(f"{len(problems)} cell(s) in these rows cannot be read as mapped")


MONEY_UNITS = {
    "as written": None,
    "thousands (k, 000)": "k",
    "millions (m)": "m",
    "billions (bn)": "bn",
}


def import_options(current) -> tuple:
    """The export's as-of date, the unit and the currency its money is written in (the
    command line's --as-of, --money-unit, --currency); ``current`` is pmo.settings.Settings.
    Returns (as_of or None, unit or None, currency ISO code)."""
    when, unit, money = st.columns(3)
    as_of = when.date_input(
        "As of (the export's date)",
        value=None,
        key="data_as_of",
        format="YYYY-MM-DD",
        help="The date of the export: a complete list marks what it lacks as left on this "
        "date, and flat exports date their status reports by it. Blank: the report dates.",
    )
    unit_word = unit.selectbox(
        "Money in the files is in",
        list(MONEY_UNITS),
        key="data_money_unit",
        help="GMPP-style exports give money in millions: choose millions, or name the unit in "
        "the header, e.g. 'Whole life cost (£m)'.",
    )
    codes = sorted({current.currency, "USD", "GBP", "EUR", "CAD", "AUD", "NZD", "CHF", "JPY"})
    code = money.selectbox(
        "Currency of the files",
        codes,
        index=codes.index(current.currency),
        key="data_currency",
        format_func=lambda c: f"{c} ({settings_symbol(c)})",
        help="The database holds one currency, set by its first import with money; later "
        "files must be in it. Every page shows money in it.",
    )
    return as_of, MONEY_UNITS[unit_word], code


def settings_symbol(code: str) -> str:
    """The symbol of an ISO currency code (CLDR)."""
    from pmo import settings

    return settings.symbol(code)


def settings_note(current) -> None:
    """The database's settings in one line, and how to change them."""
    scale = ", ".join(f"{k} → {v}" for k, v in current.rating_scale.items() if "/" in k)
    month = (
        "January February March April May June July August September October November December"
    ).split()[current.fiscal_year_start - 1]
    st.caption(
        f"Settings of this database: money in {current.currency} ({current.symbol}); the "
        f"fiscal year starts in {month}; five-point ratings count as {scale}. Change them with "
        "`python -m pmo settings`."
    )


def import_outcome(result: ingest.ImportResult, complete: list[str]) -> None:
    """What an import (or a dry run) did: rows per table, rows removed or kept, the findings
    and a preview of each table imported."""
    counts = ", ".join(f"{k} {v}" for k, v in result.row_counts.items())
    if result.dry_run:
        st.success(f"Dry run passed: would import {counts}. Nothing was written.")
    else:
        st.success(f"Import #{result.import_id} done: {counts}.")
    # Nothing overwritten unseen: added / changed (which columns) / unchanged per table, rows
    # marked as left, status reports replaced (the importer's summary lines).
    summary = [f.message for f in result.findings if f.file == "import" and f.level == "info"]
    if summary:
        st.info("\n".join(f"- {plain(line)}" for line in summary), icon=":material/summarize:")
    if result.left:
        st.info(
            "Not in this complete list, marked as left: "
            + ", ".join(f"{k} {v}" for k, v in result.left.items())
        )
    removed = {k: v for k, v in result.removed.items() if v}
    if removed:
        verb = "would be removed" if result.dry_run else "removed"
        st.info(
            f"Stored rows not in the upload {verb} (complete list): "
            + ", ".join(f"{k} {v}" for k, v in removed.items())
        )
    kept = {k: v for k, v in result.not_in_upload.items() if v and k not in complete}
    if kept:
        st.info(
            "Stored rows not in the upload, kept: " + ", ".join(f"{k} {v}" for k, v in kept.items())
        )
    if result.findings:
        table(ingest.report(result.findings), "validation report", key="data_report")
    for name, frame_ in result.preview.items():
        with st.expander(f"Preview: {name} ({result.row_counts[name]} rows)"):
            st.dataframe(frame_, hide_index=True, placeholder=MISSING)


# ------------------------------------------------------------------ Prioritisation: scenarios

APPLY_KEY = "prioritisation_apply"  # the saved scenario picked
COMPARE_KEY = "prioritisation_compare"  # the scenarios compared


def scenario_save_form(on_save: Callable[[str], str]) -> None:
    """An editor's form saving the settings in force under a name: ``on_save(name)`` (the
    page's, which calls app_data.require_editor first) stores them and returns the name saved
    (ValueError: a message for the user). The new scenario joins the comparison."""
    with st.form("prioritisation_save_form", clear_on_submit=True, border=False):
        name_col, save_col = st.columns([3, 1], vertical_alignment="bottom")
        name = name_col.text_input(
            "Scenario name",
            key="prioritisation_scenario_name",
            placeholder="e.g. Board option A: value first",
        )
        if save_col.form_submit_button("Save scenario", icon=":material/save:"):
            try:
                saved = on_save(name)
            except ValueError as exc:
                st.error(str(exc))
                return
            st.success("Scenario saved: it is listed below.")
            compared = list(st.session_state.get(COMPARE_KEY) or [])
            st.session_state[COMPARE_KEY] = [*(n for n in compared if n != saved), saved]


def scenario_picker(
    saved: list[dict], on_apply: Callable[[dict], None], on_delete: Callable[[str], None] | None
) -> list[dict]:
    """Pick a saved scenario; Apply hands it to ``on_apply`` (which sets the page's widgets),
    Delete (``on_delete`` given: editors only; the page's callback calls
    app_data.require_editor first) removes it. Returns the scenarios chosen for the comparison
    (the last ones compared, else the first three)."""
    names = [s["name"] for s in saved]
    by_name = {s["name"]: s for s in saved}
    if st.session_state.get(APPLY_KEY) not in names:
        st.session_state.pop(APPLY_KEY, None)

    def apply_picked() -> None:
        chosen = by_name.get(st.session_state.get(APPLY_KEY))
        if chosen:
            on_apply(chosen)

    pick_col, apply_col, delete_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    pick_col.selectbox("Saved scenario", names, key=APPLY_KEY)
    apply_col.button(
        "Apply",
        on_click=apply_picked,
        key="prioritisation_apply_btn",
        icon=":material/restore:",
        help="Set the weights, constraints and pins to this scenario's (the filters "
        "stay as they are: see Made under)",
    )
    if on_delete is not None:
        delete_col.button(
            "Delete",
            on_click=lambda: on_delete(st.session_state.get(APPLY_KEY)),
            key="prioritisation_delete_btn",
            icon=":material/delete:",
        )
    kept = [n for n in st.session_state.get(COMPARE_KEY) or [] if n in names]
    st.session_state[COMPARE_KEY] = kept or names[:3]
    compare = st.multiselect("Compare", names, key=COMPARE_KEY)
    return [by_name[n] for n in compare]


def scenario_comparison(
    chosen: list[dict], summary: pd.DataFrame, membership: pd.DataFrame, view_in_words: str
) -> None:
    """The scenarios side by side (prioritise.compare's summary and membership), with a note
    naming those made under other filters than the view in force."""
    elsewhere = [s["name"] for s in chosen if s.get("view") and s["view"] != view_in_words]
    if elsewhere:
        st.caption(
            "Made under other filters than these: "
            + ", ".join(plain(n) for n in elsewhere)
            + ". A scenario's set was optimal for the projects of its own view (see Made under)."
        )
    table(
        summary,
        "Scenario comparison",
        key="prioritisation_compare_summary",
        column_config={
            "measure": "",
            "differs": st.column_config.TextColumn(
                "Differs", help="≠ where the scenarios' values differ"
            ),
        },
        height="content",
    )  # every measure, no scrolling
    st.markdown("**Projects in each scenario** (those that differ first)")
    table(
        membership,
        "Scenario membership",
        key="prioritisation_compare_members",
        column_config={
            "project_id": "ID",
            "name": "Project",
            "status": "Status",
            "budget": money_column("Budget", compact=True),
            **{s["name"]: st.column_config.CheckboxColumn(s["name"]) for s in chosen},
        },
    )
