"""Forecast charts (issue 16): a project's fan chart, the portfolio's cost-at-completion
distribution, SPI against SPI(t). Pure Altair builders: DataFrame/dict in, chart out."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from pmo.charts.theme import DATE_AXIS, MUTED, empty_note, fmt_money, money_axis
from pmo.forecast import chance

BAND_OUTER = "#9ecae1"
BAND_INNER = "#4a90c2"
ACTUAL = "#D55E00"
PLAN = "#1f2a37"


def _ts(value) -> pd.Timestamp | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value):
        return None
    return pd.Timestamp(value)


def fan_frame(row: dict, draws, points: int = 60) -> pd.DataFrame:
    """The fan: quantiles over the draws of the cost spent by each date.

    A draw with cost at completion c and finish f spends linearly from today's actual cost to
    c at f: cost(t) = AC + (c − AC) × min(1, (t − now) / (f − now)). At each date the bands
    are that cost's P10–P90 and P50–P80 over the draws; they settle on the P-values of the cost
    at completion once (nearly) every draw has finished. ``draws``: (costs, finish ordinals).
    """
    if draws is None or draws[1] is None or row.get("actual_cost") is None:
        return pd.DataFrame()
    cost, finish = (np.asarray(d, dtype=float) for d in draws)
    start = _ts(row.get("report_date")) or _ts(row.get("start_date"))
    if start is None or cost.size == 0:
        return pd.DataFrame()
    now = float(start.toordinal())
    ac = float(row["actual_cost"])
    last = max(float(np.percentile(finish, 95)), now + 1.0)
    grid = np.linspace(now, last, points)
    span = np.maximum(finish - now, 1e-9)[:, None]
    share = np.clip((grid[None, :] - now) / span, 0.0, 1.0)
    spent = ac + (cost[:, None] - ac) * share
    q = np.percentile(spent, [10, 50, 80, 90], axis=0)
    dates = [pd.Timestamp.fromordinal(int(round(g))) for g in grid]
    return pd.DataFrame({"date": dates, "p10": q[0], "p50": q[1], "p80": q[2], "p90": q[3]})


def fan_chart(history: pd.DataFrame, row: dict, draws=None, title: str | None = None) -> alt.Chart:
    """One project's actual cost to date, then its forecast fan to completion.

    ``history``: report_date, actual_cost (the project's reports); ``row``: the project's
    forecast row (report_date, actual_cost, budget, end_date, p10…p90_cost, p10…p90_finish);
    ``draws``: its (costs, finish ordinals) from pmo.forecast (Result.project_draws).
    """
    name = row.get("name") or row.get("project_id")
    title = title or f"{name}: cost to date and forecast at completion"
    fan = fan_frame(row, draws)
    if fan.empty:
        return empty_note("No forecast for this project (see where its forecast is drawn from)")
    actual = history[["report_date", "actual_cost"]].dropna()
    now = fan["date"].iloc[0]
    # The last year of actuals (longer when the forecast reaches further): the fan stays
    # readable for a project near its end, and the y axis fits what is shown.
    ahead = fan["date"].iloc[-1] - now
    x_min = max(
        min([_ts(v) for v in actual["report_date"]] or [now]),
        now - max(pd.Timedelta(days=365), 2 * ahead),
    )
    actual = actual[[_ts(v) >= x_min for v in actual["report_date"]]]
    x_max = max(fan["date"].iloc[-1], _ts(row.get("end_date")) or now)
    x_max = x_max + (x_max - x_min) * 0.12  # room for the labels on the right
    x = alt.X(
        "date:T", axis=DATE_AXIS, scale=alt.Scale(domain=[x_min.isoformat(), x_max.isoformat()])
    )
    money_tip = [
        alt.Tooltip("date:T", title="Date", format="%-d %b %Y"),
        alt.Tooltip("p10:Q", title="P10", format="$,.0f"),
        alt.Tooltip("p50:Q", title="P50", format="$,.0f"),
        alt.Tooltip("p80:Q", title="P80", format="$,.0f"),
        alt.Tooltip("p90:Q", title="P90", format="$,.0f"),
    ]
    outer = (
        alt.Chart(fan)
        .mark_area(color=BAND_OUTER, opacity=0.6)
        .encode(
            x=x,
            y=alt.Y("p10:Q", axis=money_axis("Cumulative cost"), scale=alt.Scale(zero=False)),
            y2="p90:Q",
            tooltip=money_tip,
        )
    )
    inner = (
        alt.Chart(fan)
        .mark_area(color=BAND_INNER, opacity=0.65)
        .encode(x=x, y="p50:Q", y2="p80:Q", tooltip=money_tip)
    )
    median = (
        alt.Chart(fan)
        .mark_line(color=PLAN, strokeDash=[5, 3], strokeWidth=1.5)
        .encode(x=x, y="p50:Q")
    )
    spent = (
        alt.Chart(actual.rename(columns={"report_date": "date"}))
        .mark_line(
            color=ACTUAL,
            strokeWidth=2.5,
            point=alt.OverlayMarkDef(size=30, filled=True, color=ACTUAL),
        )
        .encode(
            x=x,
            y="actual_cost:Q",
            tooltip=[
                alt.Tooltip("date:T", title="Report", format="%-d %b %Y"),
                alt.Tooltip("actual_cost:Q", title="Actual cost", format="$,.0f"),
            ],
        )
    )
    # The cost at completion's P50 and P90 at the right edge (one label when they are close).
    last = fan["date"].iloc[-1]
    ends = pd.DataFrame(
        [
            {
                "date": last,
                "cost": float(row[f"p{q}_cost"]),
                "label": f"P{q} {fmt_money(row[f'p{q}_cost'])}",
            }
            for q in (50, 90)
        ]
    )
    lowest = min([float(fan.p10.min())] + [float(v) for v in actual["actual_cost"]])
    if ends.cost.iloc[1] - ends.cost.iloc[0] < 0.08 * max(float(fan.p90.max()) - lowest, 1.0):
        ends = ends.iloc[[0]]
    end_labels = (
        alt.Chart(ends)
        .mark_text(align="left", dx=6, fontSize=11, fontWeight=600, color=PLAN)
        .encode(x=x, y="cost:Q", text="label:N")
    )
    layers = [outer, inner, median, spent, end_labels]
    rules = []
    if row.get("budget") is not None:
        rules.append(("y", float(row["budget"]), f"Budget (BAC) {fmt_money(row['budget'])}"))
    for _axis, value, label in rules:
        frame = pd.DataFrame({"v": [value], "label": [label]})
        layers += [
            alt.Chart(frame).mark_rule(color=MUTED, strokeDash=[4, 4]).encode(y="v:Q"),
            alt.Chart(frame)
            .mark_text(align="left", baseline="bottom", dx=4, dy=-2, fontSize=11, color=MUTED)
            .encode(y="v:Q", x=alt.value(0), text="label:N"),
        ]
    marks = [("Planned finish", _ts(row.get("end_date")), MUTED, 2)]
    marks += [
        (f"P{q} finish", _ts(row.get(f"p{q}_finish")), PLAN, 16 + 14 * i)
        for i, q in enumerate((50, 80))
    ]
    for label, when, colour, dy in marks:
        if when is None:
            continue
        frame = pd.DataFrame({"date": [when], "label": [f"{label} {when:%-d %b %Y}"]})
        layers += [
            alt.Chart(frame).mark_rule(color=colour, strokeDash=[2, 3]).encode(x=x),
            alt.Chart(frame)
            .mark_text(align="right", baseline="top", dx=-4, fontSize=11, color=colour)
            .encode(x=x, y=alt.value(dy), text="label:N"),
        ]
    subtitle = [
        f"P10–P90: cost {fmt_money(row['p10_cost'])} – {fmt_money(row['p90_cost'])}, finish "
        f"{_ts(row['p10_finish']):%-d %b %Y} – {_ts(row['p90_finish']):%-d %b %Y} "
        f"(P50 {fmt_money(row['p50_cost'])}, {_ts(row['p50_finish']):%-d %b %Y})",
        "Actual cost (orange), then the cost spent by each date over the draws: light band "
        f"P10–P90, dark band P50–P80, dashed P50 · drawn from "
        f"{row.get('source_detail') or '—'}",
    ]
    return alt.layer(*layers).properties(
        title=alt.Title(title, subtitle=subtitle), width="container", height=380
    )


def cost_histogram(
    total_draws: np.ndarray, portfolio: dict, title: str = "Portfolio cost at completion"
) -> alt.Chart:
    """Share of draws by total cost at completion, with the total budget and P50/P80 marked."""
    draws = np.asarray(total_draws, dtype=float)
    if draws.size == 0 or portfolio.get("total_bac") is None:
        return empty_note("No forecast: no in-flight project with a budget and a history")
    lo, hi = float(draws.min()), float(draws.max())
    if hi - lo < 1e-6 * max(abs(hi), 1):
        lo, hi = lo - 0.005 * abs(lo) - 1, hi + 0.005 * abs(hi) + 1
    counts, edges = np.histogram(draws, bins=40, range=(lo, hi))
    bars = pd.DataFrame({"lo": edges[:-1], "hi": edges[1:], "share": counts / draws.size})
    bars["label"] = [
        f"{fmt_money(a)} – {fmt_money(b)}" for a, b in zip(bars.lo, bars.hi, strict=True)
    ]
    chart = (
        alt.Chart(bars)
        .mark_bar(color="#0072B2", cornerRadiusEnd=0)
        .encode(
            x=alt.X(
                "lo:Q",
                axis=money_axis("Total cost at completion (in-flight projects)"),
                scale=alt.Scale(zero=False),
            ),
            x2="hi:Q",
            y=alt.Y(
                "share:Q",
                axis=alt.Axis(title="Share of draws", format=".0%"),
                scale=alt.Scale(domain=[0, float(bars.share.max()) * 1.2]),
            ),
            y2=alt.datum(0),
            tooltip=[
                alt.Tooltip("label:N", title="Cost at completion"),
                alt.Tooltip("share:Q", title="Share of draws", format=".1%"),
            ],
        )
    )
    marks = pd.DataFrame(
        [
            {
                "v": float(portfolio["total_bac"]),
                "label": f"Budget (BAC) {fmt_money(portfolio['total_bac'])}",
                "colour": "#D55E00",
            },
            {
                "v": float(portfolio["p80_cost"]),
                "label": f"P80 {fmt_money(portfolio['p80_cost'])}",
                "colour": "#1f2a37",
            },
        ]
    )
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeWidth=2, strokeDash=[5, 3])
        .encode(x="v:Q", color=alt.Color("colour:N", scale=None))
    )
    labels = (
        alt.Chart(marks)
        .mark_text(align="left", dx=4, baseline="top", fontSize=12, fontWeight=600)
        .encode(x="v:Q", y=alt.value(4), text="label:N", color=alt.Color("colour:N", scale=None))
    )
    prob = portfolio.get("probability_within_budget")
    subtitle = (
        [
            f"{portfolio['draws']:,} seeded draws (seed {portfolio['seed']}): "
            f"{chance(prob)} within the budget",
            f"expected overspend {fmt_money(portfolio.get('expected_overspend'))}",
        ]
        if prob is not None
        else ""
    )
    return alt.layer(chart, rules, labels).properties(
        title=alt.Title(title, subtitle=subtitle), width="container", height=300
    )


def spi_vs_spi_t(history: pd.DataFrame, title: str | None = None, planned_finish=None) -> alt.Chart:
    """SPI and SPI(t) at each report with the 1.0 line and the planned finish; columns
    report_date, spi, spi_t."""
    title = title or "SPI against SPI(t)"
    if history.empty or history[["spi", "spi_t"]].isna().all().all():
        return empty_note("No status reports with cost figures to measure the schedule")
    names = {"spi_t": "SPI(t) (earned schedule)", "spi": "SPI (earned value)"}
    domain, colours, dashes = list(names.values()), ["#0072B2", "#7f7f7f"], [[1, 0], [6, 3]]
    x = alt.X("report_date:T", axis=DATE_AXIS)
    layers = []
    # SPI(t) first, SPI on top: on a straight plan line they coincide until the planned end.
    for key, label in names.items():
        data = history[["report_date", key]].rename(columns={key: "value"}).assign(series=label)
        layers.append(
            alt.Chart(data)
            .mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=36, filled=True))
            .encode(
                x=x,
                y=alt.Y(
                    "value:Q",
                    title="Index (1.0 = on schedule)",
                    scale=alt.Scale(zero=False, nice=True),
                    axis=alt.Axis(format=".2f"),
                ),
                color=alt.Color(
                    "series:N", title=None, scale=alt.Scale(domain=domain, range=colours)
                ),
                strokeDash=alt.StrokeDash(
                    "series:N", title=None, scale=alt.Scale(domain=domain, range=dashes)
                ),
                tooltip=[
                    alt.Tooltip("report_date:T", title="Report", format="%-d %b %Y"),
                    alt.Tooltip("series:N", title="Index"),
                    alt.Tooltip("value:Q", title="Value", format=".2f"),
                ],
            )
        )
    one = alt.Chart(pd.DataFrame({"v": [1.0], "label": ["1.0 = on schedule"]}))
    rule = one.mark_rule(color=MUTED, strokeDash=[4, 4]).encode(y="v:Q")
    rule_label = one.mark_text(
        align="right", baseline="bottom", dy=-2, color=MUTED, fontSize=11
    ).encode(y="v:Q", x=alt.value({"expr": "width"}), text="label:N")
    extra = []
    end = _ts(planned_finish)
    if end is not None and end <= _ts(history["report_date"].max()):
        plan = alt.Chart(
            pd.DataFrame({"report_date": [end], "label": [f"Planned finish {end:%-d %b %Y}"]})
        )
        extra = [
            plan.mark_rule(color=MUTED, strokeDash=[2, 3]).encode(x="report_date:T"),
            plan.mark_text(align="right", baseline="top", dx=-4, fontSize=11, color=MUTED).encode(
                x="report_date:T", y=alt.value(2), text="label:N"
            ),
        ]
    return alt.layer(rule, rule_label, *extra, *layers).properties(
        title=alt.Title(
            title,
            subtitle="SPI drifts back to 1.0 once a late project passes its "
            "planned finish (PV = BAC); SPI(t) keeps measuring the "
            "lateness in time",
        ),
        width="container",
        height=320,
    )


SPI_T_BANDS = [
    ("Behind (< 0.85)", "#D55E00"),
    ("Slipping (0.85–0.95)", "#E69F00"),
    ("On schedule (≥ 0.95)", "#009E73"),
]


def spi_t_distribution(
    projects: pd.DataFrame, title: str = "SPI(t) of in-flight projects"
) -> alt.Chart:
    """How many projects fall in each 0.05-wide band of SPI(t), coloured and named by how far
    behind they are (the portfolio's SPI(t) is shown as a distribution, never averaged).
    Columns: spi_t (null for projects without an earned schedule: counted in the subtitle)."""
    values = pd.to_numeric(projects.get("spi_t", pd.Series(dtype=float)), errors="coerce")
    measured = values.dropna()
    if measured.empty:
        return empty_note("No project has an earned schedule yet")
    lo = np.floor(measured.clip(upper=1.5) / 0.05) * 0.05
    frame = pd.DataFrame({"lo": lo.round(2)})
    frame["band"] = [
        SPI_T_BANDS[0][0]
        if v < 0.85 - 1e-9
        else SPI_T_BANDS[1][0]
        if v < 0.95 - 1e-9
        else SPI_T_BANDS[2][0]
        for v in frame["lo"]
    ]
    bars = frame.groupby(["lo", "band"], as_index=False).size().rename(columns={"size": "projects"})
    bars["hi"] = bars["lo"] + 0.05
    bars["label"] = [f"{a:.2f}–{b:.2f}" for a, b in zip(bars.lo, bars.hi, strict=True)]
    chart = (
        alt.Chart(bars)
        .mark_bar()
        .encode(
            x=alt.X(
                "lo:Q",
                title="SPI(t): 1.0 = on schedule, 0.75 = a quarter slower",
                scale=alt.Scale(
                    zero=False,
                    nice=False,
                    domain=[float(min(bars.lo.min(), 0.5)), float(max(bars.hi.max(), 1.1))],
                ),
                axis=alt.Axis(format=".1f", tickMinStep=0.1, labelOverlap=True),
            ),
            x2="hi:Q",
            y=alt.Y("projects:Q", title="Projects", axis=alt.Axis(tickMinStep=1, format="d")),
            y2=alt.datum(0),
            color=alt.Color(
                "band:N",
                title=None,
                scale=alt.Scale(
                    domain=[b for b, _ in SPI_T_BANDS], range=[c for _, c in SPI_T_BANDS]
                ),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="SPI(t)"),
                alt.Tooltip("band:N", title="Band"),
                alt.Tooltip("projects:Q", title="Projects"),
            ],
        )
    )
    one = (
        alt.Chart(pd.DataFrame({"v": [1.0]}))
        .mark_rule(color=MUTED, strokeDash=[4, 4])
        .encode(x="v:Q")
    )
    missing = int(values.isna().sum())
    behind = int((measured < 0.85).sum())
    subtitle = [f"{len(measured)} projects measured; {behind} more than 15% behind plan"]
    if missing:
        subtitle.append(f"{missing} without an earned schedule")
    return alt.layer(chart, one).properties(
        title=alt.Title(title, subtitle=subtitle), width="container", height=300
    )
