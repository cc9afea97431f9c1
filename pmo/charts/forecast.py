"""Forecast charts (issue 16): a project's fan chart, the portfolio's cost-at-completion
distribution, SPI against SPI(t). Pure Altair builders: DataFrame/dict in, chart out."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from pmo.charts.theme import DATE_AXIS, MUTED, empty_note, fmt_money, money_axis

BAND_OUTER = "#9ecae1"
BAND_INNER = "#4a90c2"
ACTUAL = "#D55E00"
PLAN = "#1f2a37"


def _ts(value) -> pd.Timestamp | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value):
        return None
    return pd.Timestamp(value)


def fan_frame(history: pd.DataFrame, row: dict, points: int = 48) -> pd.DataFrame:
    """The fan's paths: from the latest actual cost to each percentile's (finish, cost).

    Path q at date t = AC + (cost_q − AC) × min(1, (t − now) / (finish_q − now)); the bands are
    the envelope of the P10 and P90 paths (outer) and of P50 and P80 (inner).
    """
    now, ac = _ts(row.get("report_date")), row.get("actual_cost")
    if now is None or ac is None or row.get("p90_finish") is None or row.get("p90_cost") is None:
        return pd.DataFrame()
    ends = {q: (_ts(row[f"p{q}_finish"]), float(row[f"p{q}_cost"])) for q in (10, 50, 80, 90)}
    last = max(e[0] for e in ends.values())
    span = max((last - now).days, 1)
    grid = sorted({now + pd.Timedelta(days=round(span * i / points)) for i in range(points + 1)}
                  | {e[0] for e in ends.values()})
    out = []
    for t in grid:
        ys = {}
        for q, (fin, cost) in ends.items():
            length = max((fin - now).days, 1)
            share = min(1.0, max((t - now).days, 0) / length)
            ys[q] = float(ac) + (cost - float(ac)) * share
        out.append({"date": t, "lo90": min(ys[10], ys[90]), "hi90": max(ys[10], ys[90]),
                    "lo80": min(ys[50], ys[80]), "hi80": max(ys[50], ys[80]), "p50": ys[50]})
    return pd.DataFrame(out)


def fan_chart(history: pd.DataFrame, row: dict, title: str | None = None) -> alt.Chart:
    """One project's actual cost to date, then its forecast fan to completion.

    ``history``: report_date, actual_cost (the project's reports); ``row``: the project's
    forecast row (report_date, actual_cost, budget, end_date, p10…p90_cost, p10…p90_finish).
    """
    name = row.get("name") or row.get("project_id")
    title = title or f"{name}: cost to date and forecast at completion"
    fan = fan_frame(history, row)
    if fan.empty:
        return empty_note("No forecast for this project (see the source column)")
    actual = history[["report_date", "actual_cost"]].dropna()
    x_min = min([_ts(v) for v in actual["report_date"]] or [fan["date"].min()])
    x_max = max(fan["date"].max(), _ts(row.get("end_date")) or fan["date"].max())
    x_max = x_max + (x_max - x_min) * 0.22  # room for the percentile labels
    x = alt.X("date:T", axis=DATE_AXIS, scale=alt.Scale(domain=[x_min.isoformat(), x_max.isoformat()]))
    outer = alt.Chart(fan).mark_area(color=BAND_OUTER, opacity=0.55).encode(
        x=x, y=alt.Y("lo90:Q", axis=money_axis("Cumulative cost")), y2="hi90:Q",
        tooltip=[alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
                 alt.Tooltip("lo90:Q", title="P10–P90 from", format="$,.0f"),
                 alt.Tooltip("hi90:Q", title="to", format="$,.0f")],
    )
    inner = alt.Chart(fan).mark_area(color=BAND_INNER, opacity=0.6).encode(
        x=x, y="lo80:Q", y2="hi80:Q")
    median = alt.Chart(fan).mark_line(color=PLAN, strokeDash=[5, 3], strokeWidth=1.5).encode(
        x=x, y="p50:Q")
    spent = alt.Chart(actual.rename(columns={"report_date": "date"})).mark_line(
        color=ACTUAL, strokeWidth=2.5, point=alt.OverlayMarkDef(size=30, filled=True)
    ).encode(x=x, y="actual_cost:Q",
             tooltip=[alt.Tooltip("date:T", title="Report", format="%d %b %Y"),
                      alt.Tooltip("actual_cost:Q", title="Actual cost", format="$,.0f")])
    ends = pd.DataFrame([
        {"date": _ts(row[f"p{q}_finish"]), "cost": float(row[f"p{q}_cost"]),
         "label": f"P{q}: {fmt_money(row[f'p{q}_cost'])}, {_ts(row[f'p{q}_finish']):%b %Y}"}
        for q in (10, 50, 90)
    ])
    end_marks = alt.Chart(ends).mark_point(color=PLAN, filled=True, size=40).encode(
        x=x, y="cost:Q", tooltip=[alt.Tooltip("label:N", title="Forecast")])
    end_labels = alt.Chart(ends).mark_text(align="left", dx=7, dy=0, fontSize=11,
                                           color=PLAN).encode(x=x, y="cost:Q", text="label:N")
    layers = [outer, inner, median, spent, end_marks, end_labels]
    if row.get("budget") is not None:
        bac = pd.DataFrame({"v": [float(row["budget"])],
                            "label": [f"Budget (BAC) {fmt_money(row['budget'])}"]})
        layers += [
            alt.Chart(bac).mark_rule(color=MUTED, strokeDash=[4, 4]).encode(y="v:Q"),
            alt.Chart(bac).mark_text(align="left", baseline="bottom", dx=4, dy=-2, fontSize=11,
                                     color=MUTED).encode(y="v:Q", x=alt.value(0), text="label:N"),
        ]
    if _ts(row.get("end_date")) is not None:
        plan = pd.DataFrame({"date": [_ts(row["end_date"])],
                             "label": [f"Planned finish {_ts(row['end_date']):%d %b %Y}"]})
        layers += [
            alt.Chart(plan).mark_rule(color=MUTED, strokeDash=[2, 3]).encode(x=x),
            alt.Chart(plan).mark_text(align="left", baseline="top", dx=4, fontSize=11,
                                      color=MUTED).encode(x=x, y=alt.value(2), text="label:N"),
        ]
    subtitle = (f"Actual cost (orange), then the forecast: light band P10–P90, dark band "
                f"P50–P80, dashed line P50 · {row.get('source_detail') or ''}")
    return alt.layer(*layers).properties(
        title=alt.Title(title, subtitle=subtitle), width="container", height=380)


def cost_histogram(total_draws: np.ndarray, portfolio: dict,
                   title: str = "Portfolio cost at completion: the forecast's spread") -> alt.Chart:
    """Share of draws by total cost at completion, with the total budget and P50/P80 marked."""
    draws = np.asarray(total_draws, dtype=float)
    if draws.size == 0 or portfolio.get("total_bac") is None:
        return empty_note("No forecast: no in-flight project with a budget and a history")
    lo, hi = float(draws.min()), float(draws.max())
    if hi - lo < 1e-6 * max(abs(hi), 1):
        lo, hi = lo - 0.005 * abs(lo) - 1, hi + 0.005 * abs(hi) + 1
    counts, edges = np.histogram(draws, bins=40, range=(lo, hi))
    bars = pd.DataFrame({"lo": edges[:-1], "hi": edges[1:], "share": counts / draws.size})
    bars["label"] = [f"{fmt_money(a)} – {fmt_money(b)}" for a, b in zip(bars.lo, bars.hi, strict=True)]
    chart = alt.Chart(bars).mark_bar(color="#0072B2", cornerRadiusEnd=0).encode(
        x=alt.X("lo:Q", axis=money_axis("Total cost at completion (in-flight projects)"),
                scale=alt.Scale(zero=False)),
        x2="hi:Q",
        y=alt.Y("share:Q", axis=alt.Axis(title="Share of draws", format=".0%")),
        y2=alt.datum(0),
        tooltip=[alt.Tooltip("label:N", title="Cost at completion"),
                 alt.Tooltip("share:Q", title="Share of draws", format=".1%")],
    )
    marks = pd.DataFrame([
        {"v": float(portfolio["total_bac"]), "label": f"Budget (BAC) {fmt_money(portfolio['total_bac'])}",
         "colour": "#D55E00"},
        {"v": float(portfolio["p80_cost"]), "label": f"P80 {fmt_money(portfolio['p80_cost'])}",
         "colour": "#1f2a37"},
    ])
    rules = alt.Chart(marks).mark_rule(strokeWidth=2, strokeDash=[5, 3]).encode(
        x="v:Q", color=alt.Color("colour:N", scale=None))
    labels = alt.Chart(marks).mark_text(align="left", dx=4, baseline="top", fontSize=12,
                                        fontWeight=600).encode(
        x="v:Q", y=alt.value(4), text="label:N", color=alt.Color("colour:N", scale=None))
    prob = portfolio.get("probability_within_budget")
    subtitle = (f"{portfolio['draws']:,} seeded draws (seed {portfolio['seed']}) · "
                f"{prob:.0%} of them within the budget · expected overspend "
                f"{fmt_money(portfolio.get('expected_overspend'))}") if prob is not None else ""
    return alt.layer(chart, rules, labels).properties(
        title=alt.Title(title, subtitle=subtitle), width="container", height=300)


def spi_vs_spi_t(history: pd.DataFrame, title: str | None = None) -> alt.Chart:
    """SPI and SPI(t) at each report with the 1.0 line; columns report_date, spi, spi_t."""
    title = title or "SPI against SPI(t)"
    if history.empty or history[["spi", "spi_t"]].isna().all().all():
        return empty_note("No status reports with cost figures to measure the schedule")
    names = {"spi": "SPI (earned value)", "spi_t": "SPI(t) (earned schedule)"}
    lines = (
        alt.Chart(history)
        .transform_fold(["spi", "spi_t"], as_=["index", "value"])
        .transform_calculate(series=f"datum.index == 'spi' ? '{names['spi']}' : '{names['spi_t']}'")
        .mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=36, filled=True))
        .encode(
            x=alt.X("report_date:T", axis=DATE_AXIS),
            y=alt.Y("value:Q", title="Index (1.0 = on schedule)",
                    scale=alt.Scale(zero=False, nice=True), axis=alt.Axis(format=".2f")),
            color=alt.Color("series:N", title=None, scale=alt.Scale(
                domain=list(names.values()), range=["#999999", "#0072B2"])),
            strokeDash=alt.StrokeDash("series:N", title=None, scale=alt.Scale(
                domain=list(names.values()), range=[[6, 3], [1, 0]])),
            tooltip=[alt.Tooltip("report_date:T", title="Report", format="%d %b %Y"),
                     alt.Tooltip("series:N", title="Index"),
                     alt.Tooltip("value:Q", title="Value", format=".2f")],
        )
    )
    one = alt.Chart(pd.DataFrame({"v": [1.0], "label": ["1.0 = on schedule"]}))
    rule = one.mark_rule(color=MUTED, strokeDash=[4, 4]).encode(y="v:Q")
    rule_label = one.mark_text(align="right", baseline="bottom", dy=-2, color=MUTED,
                               fontSize=11).encode(y="v:Q", x=alt.value({"expr": "width"}),
                                                   text="label:N")
    return (rule + rule_label + lines).properties(
        title=alt.Title(title, subtitle="SPI drifts back to 1.0 as a late project nears its end; "
                                        "SPI(t) keeps measuring the lateness in time"),
        width="container", height=320)
