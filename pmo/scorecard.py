"""The strategy scorecard (issue 18): what the Alignment page, the Overview and the pack show
about key results, decided here from the queries (strategy_scorecard, investment_by_objective,
benefits_by_objective, key_results, objectives_on_track). Nothing here computes a KPI: it
joins query results on objective_id and words them.
"""

from __future__ import annotations

import math

import pandas as pd

from pmo import format
from pmo.charts.strategy import STATUS_COLOURS  # noqa: F401 (the page's table uses the charts' colours)

STATUSES = ("On track", "At risk", "Off track")
NOT_MEASURED = "Not measured"

# The scorecard's columns, in the order the page's table shows them.
COLUMNS = [
    "objective_id",
    "name",
    "weight",
    "investment_share",
    "target_share",
    "gap_pts",
    "projects",
    "invested_budget",
    "progress",
    "expected_progress",
    "status",
    "key_results",
    "on_track",
    "krs_on_track",
    "benefits_planned",
    "benefits_realised",
    "realisation_rate",
]
# Shares shown as whole percents (0.0523 → 0.05 → "5%"), as the Resources page does: the
# table's percent format would otherwise print "5.23%". The query keeps every decimal.
WHOLE_PERCENT = [
    "investment_share",
    "target_share",
    "progress",
    "expected_progress",
    "realisation_rate",
]


def board_table(
    card: pd.DataFrame, investment: pd.DataFrame | None, benefits: pd.DataFrame | None
) -> pd.DataFrame:
    """One row per objective: the strategy_scorecard row, with investment_by_objective's gap
    in percentage points (gap_pts = its gap, actual − target share, × 100), projects and
    invested budget, benefits_by_objective's planned and realised benefits and realisation
    rate of its projects, and krs_on_track ('1 of 3'). WHOLE_PERCENT columns are rounded to
    whole percents for display. Columns: COLUMNS, scorecard order kept.
    """
    out = card.copy()
    inv = (
        investment
        if investment is not None and not investment.empty
        else pd.DataFrame(columns=["objective_id", "gap", "projects", "invested_budget"])
    )
    out = out.merge(
        inv[["objective_id", "gap", "projects", "invested_budget"]], on="objective_id", how="left"
    )
    ben = (
        benefits
        if benefits is not None and not benefits.empty
        else pd.DataFrame(columns=["objective_id", "planned", "realized", "realisation_rate"])
    )
    ben = ben[["objective_id", "planned", "realized", "realisation_rate"]].rename(
        columns={"planned": "benefits_planned", "realized": "benefits_realised"}
    )
    out = out.merge(ben, on="objective_id", how="left")
    out["projects"] = pd.to_numeric(out["projects"], errors="coerce").fillna(0).astype(int)
    out["gap_pts"] = pd.to_numeric(out["gap"], errors="coerce") * 100
    out["krs_on_track"] = [
        f"{int(k_on)} of {int(k)}"
        for k_on, k in zip(out["on_track"], out["key_results"], strict=True)
    ]
    for col in WHOLE_PERCENT:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64").round(2)
    return out[COLUMNS].reset_index(drop=True)


def default_objective(card: pd.DataFrame) -> str | None:
    """The objective the drill-down opens on: the worst off-track one, else the first at risk,
    else the first listed."""
    if card.empty:
        return None
    worst = worst_off_track(card)
    if worst is not None:
        return str(worst["objective_id"])
    risky = card[card["status"] == "At risk"]
    return str((risky if not risky.empty else card).iloc[0]["objective_id"])


def status_word(status: object) -> str:
    """'On track' / 'At risk' / 'Off track', or 'Not measured' when there is no status."""
    return status if isinstance(status, str) and status in STATUSES else NOT_MEASURED


def _num(value: object) -> float | None:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _pct(value: object) -> str:
    """A share as whole percent, as the rest of the app writes it: '5%'."""
    v = _num(value)
    return format.DASH if v is None else f"{v * 100:.0f}%"


def worst_off_track(card: pd.DataFrame) -> pd.Series | None:
    """The off-track objective that matters most: largest weight × (expected − progress)."""
    off = card[card["status"] == "Off track"]
    if off.empty:
        return None
    shortfall = off["weight"].astype(float) * (
        off["expected_progress"].astype(float) - off["progress"].astype(float)
    )
    return off.loc[shortfall.sort_values(ascending=False, kind="stable").index[0]]


def takeaway(card: pd.DataFrame) -> str:
    """One sentence a board reads first, from the strategy_scorecard rows.

    "2 of 6 objectives are off track: Grow digital revenue gets 5% of the budget against 25%
    and its key results are at 31% of target" (the off-track objective with the largest
    weighted shortfall); else the at-risk count, else "All N objectives are on track".
    """
    total = len(card)
    if total == 0:
        return "No strategic objectives loaded yet."
    measured = card[card["status"].isin(STATUSES)]
    if measured.empty:
        return (
            f"None of the {total} objectives has a measured key result yet: upload the "
            "Key Results and KR Measurements sheets."
        )
    off = int((card["status"] == "Off track").sum())
    risk = int((card["status"] == "At risk").sum())
    if off:
        worst = worst_off_track(card)
        verb = "is" if off == 1 else "are"
        money = ":"
        if _num(worst["investment_share"]) is not None and _num(worst["target_share"]) is not None:
            money = (
                f" gets {_pct(worst['investment_share'])} of the budget against "
                f"{_pct(worst['target_share'])} and"
            )
        return (
            f"{off} of {total} objectives {verb} off track: {worst['name']}{money} its key "
            f"results are at {_pct(worst['progress'])} of target "
            f"({_pct(worst['expected_progress'])} expected by now)."
        )
    if risk:
        verb = "is" if risk == 1 else "are"
        at_risk = card[card["status"] == "At risk"].iloc[0]
        return (
            f"No objective is off track; {risk} of {total} {verb} at risk: {at_risk['name']} "
            f"is at {_pct(at_risk['progress'])} of target against "
            f"{_pct(at_risk['expected_progress'])} expected."
        )
    unmeasured = total - len(measured)
    tail = f" ({unmeasured} not measured yet)" if unmeasured else ""
    return f"All {len(measured)} measured objectives are on track{tail}."


def on_track_value(row: dict) -> str:
    """The Overview tile's value: '3 of 6'; — without objectives."""
    objectives = _num(row.get("objectives"))
    if not objectives:
        return format.DASH
    return f"{int(_num(row.get('on_track')) or 0)} of {int(objectives)}"


def on_track_delta(row: dict) -> int | str | None:
    """The tile's change since the previous month-end ('+1', '−1'), 0 unchanged."""
    change = _num(row.get("change"))
    if change is None:
        return None
    return 0 if change == 0 else f"{change:+.0f}"


def plan_line(krs: pd.DataFrame) -> pd.DataFrame:
    """The straight line of each key result: two points, (start_date, baseline) and
    (target_date, target), from key_results rows. Columns: kr_id, date, value."""
    rows = []
    for kr in krs.itertuples(index=False):
        if pd.isna(kr.start_date) or pd.isna(kr.target_date):
            continue
        rows.append({"kr_id": kr.kr_id, "date": pd.Timestamp(kr.start_date), "value": kr.baseline})
        rows.append({"kr_id": kr.kr_id, "date": pd.Timestamp(kr.target_date), "value": kr.target})
    return pd.DataFrame(rows, columns=["kr_id", "date", "value"])


def on_track_tile(on_track: pd.DataFrame | None):
    """The Overview's "Objectives on track" tile from the objectives_on_track rows (13
    month-ends, the last at the as-of date): value and change from the last row, the sparkline
    from all. None when no objective has a measured key result (nothing to say yet)."""
    from pmo.overview import Tile

    if on_track is None or on_track.empty:
        return None
    rows = on_track.sort_values("month")
    row = rows.iloc[-1].to_dict()
    if not _num(row.get("measured")):
        return None
    delta = on_track_delta(row)
    previous = rows.iloc[-2]["as_of"] if len(rows) > 1 else None
    since = (
        None
        if previous is None or pd.isna(previous)
        else f"since {pd.Timestamp(previous):%-d %b %Y}"
    )
    return Tile(
        key="objectives_on_track",
        label="Objectives on track",
        value=on_track_value(row),
        delta=delta,
        delta_color="normal",
        delta_description=since if delta is not None else None,
        help=(
            f"Objectives whose key results have progressed at least as far as the straight "
            f"line from baseline to target expects by now; {int(row['at_risk'])} at risk, "
            f"{int(row['off_track'])} off track (Alignment page: strategy scorecard)"
        ),
        trend=[float(v) for v in rows["on_track"]],
    )


KR_COLUMNS = [
    "kr_id",
    "objective_id",
    "name",
    "unit",
    "direction",
    "baseline",
    "target",
    "start_date",
    "target_date",
    "weight",
    "latest_date",
    "latest_value",
    "measurements",
    "progress",
    "expected_progress",
    "status",
]


def kr_table(krs: pd.DataFrame) -> pd.DataFrame:
    """key_results rows for the drill-down table, progress and expected as whole percents."""
    out = krs[KR_COLUMNS].copy()
    for col in ("progress", "expected_progress"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64").round(2)
    return out.reset_index(drop=True)
