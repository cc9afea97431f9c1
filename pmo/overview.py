"""What the Overview page shows, decided here: the KPI tiles with their change since the
previous month, and the exceptions list (red projects, over-allocated teams, slipped
milestones). Inputs are query results; outputs are display-ready values and frames.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from pmo import forecast, format


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
    width: int | str = "stretch"  # st.metric width: a long value gets a wider tile
    delta_arrow: str = "auto"  # "off" where the delta is not a change (the forecast tile)


def _num(value: object) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _delta(change: object, kind: str) -> str | int | None:
    """st.metric's delta for a change computed by headline_change.sql."""
    c = _num(change)
    if c is None:
        return None
    if abs(c) < 1e-12:
        return 0  # st.metric shows a grey zero with no arrow
    if kind == "score":
        return f"{c:+.1f} pts"
    if kind == "ratio" and abs(c) < 0.005:
        return f"{c:+.3f}"  # "+0.00" would hide a real change
    return format.signed(c, kind)


# (key, label, value format, delta kind, delta colour, help)
_TILES = (
    (
        "in_flight_projects",
        "In-flight projects",
        format.count,
        "count",
        "off",
        "Projects with status Active or On Hold",
    ),
    (
        "total_budget",
        "Portfolio budget",
        format.money,
        "money",
        "off",
        "Budget of Approved, Active and On Hold projects",
    ),
    (
        "portfolio_cpi",
        "Cost performance (CPI)",
        format.ratio,
        "ratio",
        "normal",
        "Σ earned value / Σ actual cost over in-flight projects; below 1.00 = over budget",
    ),
    (
        "portfolio_spi",
        "Schedule performance (SPI)",
        format.ratio,
        "ratio",
        "normal",
        "Σ earned value / Σ planned value over in-flight projects; below 1.00 = behind schedule",
    ),
    (
        "rag",
        "RAG mix: green · amber · red",
        None,
        "count",
        "inverse",
        "In-flight projects by RAG at their latest status report; the change is in red projects",
    ),
    (
        "portfolio_alignment",
        "Strategic alignment",
        format.score_of_100,
        "score",
        "normal",
        "Budget-weighted alignment score of in-portfolio projects (0–100)",
    ),
    (
        "utilization",
        "Resource utilisation",
        format.percent,
        "percent",
        "off",
        "Allocated hours / capacity in the as-of month, all resources; above 100% = over-allocated",
    ),
    (
        "benefits_realization",
        "Benefits realised",
        format.percent,
        "percent",
        "normal",
        "Σ realised value / Σ planned value of benefits",
    ),
)


def _series(trend: pd.DataFrame | None, key: str) -> list[float]:
    if trend is None or trend.empty or key not in trend:
        return []
    ordered = trend.sort_values("month")
    return [float(v) for v in pd.to_numeric(ordered[key], errors="coerce").dropna()]


def tiles(headline: dict, changes: pd.DataFrame | None, trend: pd.DataFrame | None) -> list[Tile]:
    """The Overview tiles: headline values (as `kpis --json`) and change since last month.

    ``headline``: one row of headline_kpis as a dict. ``changes``: headline_change rows (kpi,
    change, previous_as_of); ``trend``: headline_trend rows (month plus the headline columns)
    for the sparklines. Either may be None when there is no history.
    """
    by_kpi = {} if changes is None or changes.empty else changes.set_index("kpi").to_dict("index")
    previous = next((r.get("previous_as_of") for r in by_kpi.values()), None)
    since = (
        None
        if previous is None or pd.isna(previous)
        else f"since {pd.Timestamp(previous):%-d %b %Y}"
    )
    out = []
    for key, label, fmt, kind, colour, help_text in _TILES:
        if key == "rag":
            counts = [headline.get(f"rag_{c}") for c in ("green", "amber", "red")]
            value = " · ".join(format.count(c) for c in counts)
            delta = _delta(by_kpi.get("rag_red", {}).get("change"), "count")
            if isinstance(delta, str):
                delta = f"{delta} red"
            series = _series(trend, "rag_red")
        else:
            value = fmt(headline.get(key))
            delta = _delta(by_kpi.get(key, {}).get("change"), kind)
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
                # The tile's big number is ~20 px a character: "1,222 · 1,173 · 511" needs room.
                width=max(300, 20 * len(value) + 40) if len(value) > 12 else "stretch",
            )
        )
    return out


def red_projects(evm: pd.DataFrame) -> pd.DataFrame:
    """In-flight projects whose RAG is Red, largest budget first.

    ``evm``: in_flight_evm rows. Columns: project_id, name, sponsor, manager, budget, cpi,
    spi, report_date, comment.
    """
    cols = [
        "project_id",
        "name",
        "sponsor",
        "manager",
        "budget",
        "cpi",
        "spi",
        "report_date",
        "comment",
    ]
    red = evm[evm["rag"] == "Red"]
    return red.sort_values(["budget", "project_id"], ascending=[False, True])[cols].reset_index(
        drop=True
    )


def month_param(as_of: object) -> str | None:
    """The as-of date's month as the resource queries' month parameter ('2026-10'), or None
    (no date: the queries then take the latest report date's month themselves)."""
    if as_of is None or pd.isna(as_of):
        return None
    return pd.Timestamp(as_of).strftime("%Y-%m")


def overallocated_teams(overallocations: pd.DataFrame, as_of: object) -> pd.DataFrame:
    """Teams with people over-allocated in the as-of month, most excess hours first.

    ``overallocations``: overallocations rows (resource_id, name, team, month, utilisation,
    excess_hours). Columns: team, people, excess_hours, worst_utilisation, month.
    """
    cols = ["team", "people", "excess_hours", "worst_utilisation", "month"]
    if overallocations is None or overallocations.empty or as_of is None or pd.isna(as_of):
        return pd.DataFrame(columns=cols)
    month = pd.Timestamp(as_of).to_period("M").start_time
    rows = overallocations[
        pd.to_datetime(overallocations["month"]).dt.to_period("M").dt.start_time == month
    ]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    grouped = (
        rows.assign(team=rows["team"].fillna("(no team)"))
        .groupby("team", as_index=False)
        .agg(
            people=("resource_id", "nunique"),
            excess_hours=("excess_hours", "sum"),
            worst_utilisation=("utilisation", "max"),
        )
        .assign(month=month.date())
    )
    # Whole percents for display (161.8% -> 1.62); the Resources page has the exact figures.
    grouped["worst_utilisation"] = grouped["worst_utilisation"].round(2)
    return grouped.sort_values(["excess_hours", "team"], ascending=[False, True])[cols].reset_index(
        drop=True
    )


def slipped_milestones(slips: pd.DataFrame) -> pd.DataFrame:
    """Milestones slipped or overdue at the as-of date (not yet done), most slip first.

    ``slips``: milestone_slip rows. Columns: project_id, project_name, milestone,
    baseline_date, forecast_date, slip_days.
    """
    cols = [
        "project_id",
        "project_name",
        "milestone",
        "baseline_date",
        "forecast_date",
        "slip_days",
    ]
    if slips is None or slips.empty:
        return pd.DataFrame(columns=cols)
    late = slips[slips["status"] == "Slipped"]
    return late.sort_values(
        ["slip_days", "project_id"], ascending=[False, True], na_position="last"
    )[cols].reset_index(drop=True)


def forecast_tile(portfolio: dict) -> Tile:
    """Issue 16: the forecast tile, P80 cost at completion of the in-flight projects; the
    delta says the chance of staying within their budget (not a change since last month)."""
    prob = portfolio.get("probability_within_budget")
    late = portfolio.get("late_at_p80")
    return Tile(
        key="p80_cost_at_completion",
        label="Forecast cost at completion (P80)",
        value=format.money(portfolio.get("p80_cost")),
        delta=None
        if prob is None
        else f"{forecast.chance(prob)} chance within {format.money(portfolio.get('total_bac'))}",
        delta_color="off",
        delta_arrow="off",
        help=(
            f"80% of {portfolio.get('draws') or 0:,} seeded draws end at or below this total "
            f"for the in-flight projects; {late if late is not None else '—'} projects are at "
            "least 80% likely to finish after their planned end. Details: Performance page."
        ),
    )


def insert_after(tiles: list[Tile], key: str, tile: Tile | None) -> list[Tile]:
    """``tiles`` with ``tile`` placed right after the tile ``key`` (unchanged when None)."""
    if tile is None:
        return list(tiles)
    at = next(i for i, t in enumerate(tiles) if t.key == key) + 1
    return [*tiles[:at], tile, *tiles[at:]]


def tile_rows(tiles: list[Tile], per_row: int = 4) -> list[list[Tile]]:
    """The tiles in rows of at most ``per_row`` (a fifth wraps at 1500 px), the rows as even
    as they can be: 10 tiles → 4·3·3, 9 → 3·3·3, 8 → 4·4."""
    n_rows = math.ceil(len(tiles) / per_row)
    sizes = [len(tiles) // n_rows + (r < len(tiles) % n_rows) for r in range(n_rows)]
    starts = [sum(sizes[:r]) for r in range(n_rows)]
    return [tiles[a : a + n] for a, n in zip(starts, sizes, strict=True)]
