"""What the Overview page shows, decided here: the KPI tiles with their change since the
previous month, and the exceptions list (red projects, over-allocated teams, slipped
milestones). Inputs are query results; outputs are display-ready values and frames.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from pmo import format


@dataclass(frozen=True)
class Tile:
    """One KPI tile: st.metric's label, value, delta, colours, help and sparkline."""

    key: str
    label: str
    value: str
    delta: str | int | None = None
    delta_color: str = "normal"
    delta_description: str | None = None
    help: str | None = None
    trend: list[float] = field(default_factory=list)


def _num(value: object) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def previous_month(trend: pd.DataFrame, as_of: object) -> dict | None:
    """The trend row of the last month-end before the as-of date's month, or None."""
    if trend is None or trend.empty or as_of is None or pd.isna(as_of):
        return None
    start = pd.Timestamp(as_of).to_period("M").start_time
    months = pd.to_datetime(trend["month"])
    earlier = trend[months < start]
    if earlier.empty:
        return None
    return earlier.loc[pd.to_datetime(earlier["month"]).idxmax()].to_dict()


def _delta(now: object, before: object, kind: str) -> str | int | None:
    a, b = _num(now), _num(before)
    if a is None or b is None:
        return None
    change = a - b
    if abs(change) < 1e-12:
        return 0  # st.metric shows a grey zero with no arrow
    if kind == "score":
        return f"{change:+.1f} pts"
    if kind == "ratio" and abs(change) < 0.005:
        return f"{change:+.3f}"  # "+0.00" would hide a real change
    return format.signed(change, kind)


# (key, label, value format, delta kind, delta colour, help)
_TILES = (
    ("in_flight_projects", "In-flight projects", format.count, "count", "off",
     "Projects with status Active or On Hold"),
    ("total_budget", "Portfolio budget", format.money, "money", "off",
     "Budget of Approved, Active and On Hold projects"),
    ("portfolio_cpi", "Cost performance (CPI)", format.ratio, "ratio", "normal",
     "Σ earned value / Σ actual cost over in-flight projects; below 1.00 = over budget"),
    ("portfolio_spi", "Schedule performance (SPI)", format.ratio, "ratio", "normal",
     "Σ earned value / Σ planned value over in-flight projects; below 1.00 = behind schedule"),
    ("rag", "RAG mix: green · amber · red", None, "count", "inverse",
     "In-flight projects by RAG at their latest status report; the change is in red projects"),
    ("portfolio_alignment", "Strategic alignment", format.score_of_100, "score", "normal",
     "Budget-weighted alignment score of in-portfolio projects (0–100)"),
    ("utilization", "Resource utilisation", format.percent, "percent", "off",
     "Allocated hours / capacity in the as-of month, all resources; above 100% = over-allocated"),
    ("benefits_realization", "Benefits realised", format.percent, "percent", "normal",
     "Σ realised value / Σ planned value of benefits"),
)


def _series(trend: pd.DataFrame | None, key: str) -> list[float]:
    if trend is None or trend.empty or key not in trend:
        return []
    ordered = trend.sort_values("month")
    return [float(v) for v in pd.to_numeric(ordered[key], errors="coerce").dropna()]


def tiles(headline: dict, trend: pd.DataFrame | None) -> list[Tile]:
    """The Overview tiles: headline values (as `kpis --json`) and change since last month.

    ``headline``: one row of headline_kpis as a dict. ``trend``: headline_trend rows (month
    plus the same columns), or None when there is no history.
    """
    before = previous_month(trend, headline.get("as_of")) if trend is not None else None
    since = (
        f"since {pd.Timestamp(before['month']):%d %b %Y}" if before is not None else None
    )
    out = []
    for key, label, fmt, kind, colour, help_text in _TILES:
        if key == "rag":
            counts = [headline.get(f"rag_{c}") for c in ("green", "amber", "red")]
            value = " · ".join(format.count(c) for c in counts)
            delta = _delta(headline.get("rag_red"), (before or {}).get("rag_red"), "count")
            if isinstance(delta, str):
                delta = f"{delta} red"
            series = _series(trend, "rag_red")
        else:
            value = fmt(headline.get(key))
            delta = _delta(headline.get(key), (before or {}).get(key), kind)
            series = _series(trend, key)
        out.append(
            Tile(
                key=key,
                label=label,
                value=value,
                delta=delta,
                delta_color=colour,
                delta_description=since if delta is not None else None,
                help=help_text,
                trend=series,
            )
        )
    return out


def red_projects(evm: pd.DataFrame) -> pd.DataFrame:
    """In-flight projects whose RAG is Red, largest budget first.

    ``evm``: in_flight_evm rows. Columns: project_id, name, sponsor, manager, budget, cpi,
    spi, report_date, comment.
    """
    cols = ["project_id", "name", "sponsor", "manager", "budget", "cpi", "spi", "report_date",
            "comment"]
    red = evm[evm["rag"] == "Red"]
    return red.sort_values(["budget", "project_id"], ascending=[False, True])[cols].reset_index(drop=True)


def overallocated_teams(overallocations: pd.DataFrame, as_of: object) -> pd.DataFrame:
    """Teams with people over-allocated in the as-of month, most excess hours first.

    ``overallocations``: overallocations rows (resource_id, name, team, month, utilisation,
    excess_hours). Columns: team, people, excess_hours, worst_utilisation, month.
    """
    cols = ["team", "people", "excess_hours", "worst_utilisation", "month"]
    if overallocations is None or overallocations.empty or as_of is None or pd.isna(as_of):
        return pd.DataFrame(columns=cols)
    month = pd.Timestamp(as_of).to_period("M").start_time
    rows = overallocations[pd.to_datetime(overallocations["month"]).dt.to_period("M").dt.start_time == month]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    grouped = (
        rows.assign(team=rows["team"].fillna("(no team)"))
        .groupby("team", as_index=False)
        .agg(people=("resource_id", "nunique"), excess_hours=("excess_hours", "sum"),
             worst_utilisation=("utilisation", "max"))
        .assign(month=month.date())
    )
    # Whole percents for display (161.8% -> 1.62); the Resources page has the exact figures.
    grouped["worst_utilisation"] = grouped["worst_utilisation"].round(2)
    return grouped.sort_values(["excess_hours", "team"], ascending=[False, True])[cols].reset_index(drop=True)


def slipped_milestones(slips: pd.DataFrame) -> pd.DataFrame:
    """Milestones slipped or overdue at the as-of date (not yet done), most slip first.

    ``slips``: milestone_slip rows. Columns: project_id, project_name, milestone,
    baseline_date, forecast_date, slip_days.
    """
    cols = ["project_id", "project_name", "milestone", "baseline_date", "forecast_date", "slip_days"]
    if slips is None or slips.empty:
        return pd.DataFrame(columns=cols)
    late = slips[slips["status"] == "Slipped"]
    return (
        late.sort_values(["slip_days", "project_id"], ascending=[False, True], na_position="last")[cols]
        .reset_index(drop=True)
    )


def month_label(value: object) -> str:
    """'Oct 2026' for a date; — when missing."""
    if value is None or (not isinstance(value, str | dt.date) and pd.isna(value)):
        return format.DASH
    return pd.Timestamp(value).strftime("%b %Y")


def date_label(value: object) -> str:
    """'31 Oct 2026' for a date; — when missing."""
    if value is None or (not isinstance(value, str | dt.date) and pd.isna(value)):
        return format.DASH
    return pd.Timestamp(value).strftime("%d %b %Y")
