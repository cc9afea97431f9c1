"""Small selections of query results that the operational pages show (no KPI is computed here).

Pages draw; what they show of a query's rows (a window of months, one project's rows, the
people a heatmap has room for) is chosen here, where it is tested.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

# A heatmap row per person is readable (and quick to draw) up to about this many people.
HEATMAP_MAX_ROWS = 60
TEAM_MAX_ROWS = 200  # one team picked: room for a large team (still quick to draw)


def _month(value: object) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date().replace(day=1)


def month_options(first: object, last: object) -> list[dt.date]:
    """Every first-of-month from ``first`` to ``last`` inclusive ([] when either is missing)."""
    a, b = _month(first), _month(last)
    if a is None or b is None or a > b:
        return []
    return [d.date() for d in pd.date_range(a, b, freq="MS")]


def default_window(
    options: list[dt.date], as_of_month: object, before: int = 8, after: int = 3
) -> tuple[dt.date, dt.date] | None:
    """A 12-month window around the as-of month (8 before, 3 after), kept inside ``options``.

    Looking a quarter ahead shows the over-allocations still to come; where the data ends
    sooner the window slides back, so it keeps its length when the data allows.
    """
    if not options:
        return None
    anchor = _month(as_of_month) or options[-1]
    anchor = min(max(anchor, options[0]), options[-1])
    i = options.index(anchor)
    span = before + after + 1
    lo = max(0, min(i - before, len(options) - span))
    hi = min(len(options) - 1, lo + span - 1)
    return options[lo], options[hi]


def month_label(value: object) -> str:
    """'Oct 2026' for a month."""
    m = _month(value)
    return m.strftime("%b %Y") if m else "—"


def heatmap_rows(
    util: pd.DataFrame, team: str | None = None, limit: int | None = None
) -> tuple[pd.DataFrame, int, int]:
    """The utilisation rows a per-person heatmap shows: (rows, people shown, people in all).

    ``team`` keeps that team's people. Beyond ``limit`` people (HEATMAP_MAX_ROWS for all teams,
    TEAM_MAX_ROWS within one), those with the highest peak utilisation in the window are kept
    (the ones a resource manager must act on). People who share a name are told apart by their
    id in ``group_label``.
    """
    if limit is None:
        limit = HEATMAP_MAX_ROWS if team is None else TEAM_MAX_ROWS
    rows = util if team is None else util[util["team"] == team]
    names = rows.groupby("group_key")["group_label"].first()
    dup = names[names.duplicated(keep=False)]
    if len(dup):
        rows = rows.copy()
        clash = rows["group_key"].isin(dup.index)
        rows.loc[clash, "group_label"] = rows["group_label"] + " (" + rows["group_key"] + ")"
    total = rows["group_key"].nunique()
    if total > limit:
        # Hours on a zero capacity (a role still to hire) are over-allocated with no
        # utilisation: they rank first, as the worst over-allocation there can be.
        util_ = pd.to_numeric(rows["utilisation"], errors="coerce").astype(float)
        if "over_allocated" in rows:
            no_capacity = rows["over_allocated"].fillna(False).astype(bool) & util_.isna()
            util_ = util_.mask(no_capacity, float("inf"))
        peak = util_.groupby(rows["group_key"]).max().fillna(0)
        keep = peak.sort_values(ascending=False, kind="stable").index[:limit]
        rows = rows[rows["group_key"].isin(keep)]
    return rows.reset_index(drop=True), min(total, limit), total


def of_project(frame: pd.DataFrame, project_id: str) -> pd.DataFrame:
    """The rows of ``frame`` (with a project_id column) for one project."""
    return frame[frame["project_id"] == project_id].reset_index(drop=True)


def largest(frame: pd.DataFrame, column: str, n: int) -> pd.DataFrame:
    """The ``n`` rows with the largest ``column``, largest first."""
    return frame.sort_values(column, ascending=False, kind="stable").head(n).reset_index(drop=True)


def actuals_window(
    start: object, end: object, as_of_month: object
) -> tuple[dt.date, dt.date] | None:
    """The part of [start, end] up to the as-of month (timesheets exist only up to it)."""
    a, b, c = _month(start), _month(end), _month(as_of_month)
    if a is None or b is None:
        return None
    b = min(b, c) if c else b
    return (a, b) if a <= b else None


def distinct(frame: pd.DataFrame, column: str) -> list:
    """The distinct non-null values of a column, sorted (for a selectbox)."""
    return sorted(frame[column].dropna().unique().tolist())


def distinct_count(frame: pd.DataFrame, column: str) -> int:
    """How many distinct non-null values a column holds."""
    return int(frame[column].nunique())


def as_percent(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A copy with fraction columns in percent points (0.93 -> 93.0), for a table's "%" format."""
    out = frame.copy()
    for c in columns:
        out[c] = out[c] * 100
    return out


RAG_RANK = {"Red": 0, "Amber": 1, "Green": 2}
# Streamlit Markdown badges for the three RAG words only (never built from imported text).
RAG_BADGES = {
    "Red": ":red-badge[Red]",
    "Amber": ":orange-badge[Amber]",
    "Green": ":green-badge[Green]",
}


def project_choices(evm: pd.DataFrame) -> dict[str, str]:
    """{project_id: "Name · RAG"} for a project picker, red first, then amber, green, unreported.

    ``evm`` has project_id, name, rag (project_evm).
    """
    if evm.empty:
        return {}
    rank = evm["rag"].map(RAG_RANK).fillna(3)
    ordered = evm.assign(_rank=rank).sort_values(["_rank", "name", "project_id"], kind="stable")
    # Vectorised: a picker over 5,000 projects is built on every rerun.
    labels = ordered["name"].astype(str) + " · " + ordered["rag"].fillna("no report").astype(str)
    return dict(zip(ordered["project_id"].tolist(), labels.tolist(), strict=True))


def rag_badge(rag: object) -> str:
    """A coloured Markdown badge for a RAG word; a grey "No report" otherwise."""
    return (
        RAG_BADGES.get(rag, ":gray-badge[No report]")
        if isinstance(rag, str)
        else ":gray-badge[No report]"
    )


def latest_comment(history: pd.DataFrame) -> tuple[object, str] | None:
    """(report_date, comment) of the latest report with a non-blank comment, or None."""
    said = history[history["comment"].fillna("").astype(str).str.strip() != ""]
    if said.empty:
        return None
    row = said.sort_values("report_date").iloc[-1]
    return row["report_date"], str(row["comment"])


def points(value: object) -> str:
    """A 0–100 percentage as text: 45 -> "45%"; "—" when missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    return f"{float(value):.0f}%"


def day(value: object) -> str:
    """'31 Oct 2026' for a date; "—" when missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    return pd.Timestamp(value).strftime("%-d %b %Y")


def import_labels(imports: pd.DataFrame) -> dict[int, str]:
    """{import_id: "#3 · 25 Nov 2026 08:12 · files"} for an import picker, in the given order.

    ``imports`` has import_id, imported_at, file_names (review_import_options).
    """
    out = {}
    for row in imports.itertuples(index=False):
        when = (
            pd.Timestamp(row.imported_at).strftime("%-d %b %Y %H:%M")
            if pd.notna(row.imported_at)
            else "—"
        )
        files = row.file_names if isinstance(row.file_names, str) and row.file_names else "no files"
        out[int(row.import_id)] = f"#{int(row.import_id)} · {when} · {files}"
    return out
