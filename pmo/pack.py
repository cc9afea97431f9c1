"""The leadership review pack: a PowerPoint deck of the current view's tiles, charts and exceptions.

Charts are rendered from the same Altair specs the pages draw (vl-convert, no browser); each
chart slide carries a one-line takeaway computed from the query results it shows.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import duckdb
import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from pmo import charts, export, filters, format, kpi, queries, settings

INK = RGBColor(0x1F, 0x2A, 0x37)
MUTED = RGBColor(0x5B, 0x67, 0x75)
ACCENT = RGBColor(0x1F, 0x4E, 0x79)
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9


@dataclass
class Slide:
    """One chart slide: title, the chart, and its takeaway sentence."""

    title: str
    chart: object
    takeaway: str
    notes: str = ""  # speaker notes: exact figures behind the takeaway


class Context:
    """Runs queries for one view (the connection, the as-of date and the filters), each query
    with the same parameters once per deck: slides that show the same figures share them."""

    def __init__(self, con: duckdb.DuckDBPyConnection, as_of: dt.date | None, view: dict):
        self.con = con
        self.as_of = as_of
        self.view = {f: list(view.get(f) or []) for f in queries.FILTER_PARAMS}
        self._results: dict[tuple, pd.DataFrame] = {}
        self._headline: dict | None = None

    def run(self, name: str, **extra) -> pd.DataFrame:
        """Run a query with the view's filters (filters.query_params) and ``extra``; a copy of
        the result, so that a slide may change it without touching another's."""
        params = filters.query_params(name, {"as_of": self.as_of, **self.view}, **extra)
        key = (name, tuple(sorted((k, _frozen(v)) for k, v in params.items())))
        if key not in self._results:
            self._results[key] = queries.run(self.con, name, **params)
        return self._results[key].copy()

    def headline(self) -> dict:
        """The headline KPIs of the view (kpi.headline), computed once per deck."""
        if self._headline is None:
            self._headline = kpi.headline(self.con, self.as_of, **self.view)
        return dict(self._headline)


def _frozen(value: object) -> object:
    """A parameter value as a dictionary key (lists become tuples)."""
    return tuple(value) if isinstance(value, list | tuple) else value


# ------------------------------------------------------------------ chart slides and takeaways


def rag_slide(ctx: Context) -> Slide | None:
    """RAG mix of in-flight projects; takeaway: how many are red or amber."""
    mix = ctx.run("rag_mix")
    total = int(mix["projects"].sum())
    if total == 0:
        return None
    counts = dict(zip(mix["rag"], mix["projects"], strict=True))
    red, amber = int(counts.get("Red", 0)), int(counts.get("Amber", 0))
    takeaway = (
        f"{red} of {total} in-flight projects are Red and {amber} Amber "
        f"({format.money(mix.loc[mix.rag == 'Red', 'budget'].sum())} of budget at Red)."
    )
    return Slide("RAG status of in-flight projects", charts.rag_mix(mix), takeaway)


def evm_slide(ctx: Context) -> Slide | None:
    """CPI × SPI scatter; takeaway: projects below 0.9 on either index."""
    evm = ctx.run("in_flight_evm")
    measured = evm.dropna(subset=["cpi", "spi"])
    if measured.empty:
        return None
    head = ctx.headline()
    behind = measured[(measured.cpi < 0.9) | (measured.spi < 0.9)]
    takeaway = (
        f"Portfolio CPI {format.ratio(head['portfolio_cpi'])} and SPI "
        f"{format.ratio(head['portfolio_spi'])}; {len(behind)} of {len(measured)} projects "
        "are below 0.90 on cost or schedule."
    )
    return Slide("Cost and schedule performance by project", charts.evm_scatter(measured), takeaway)


def bubble_slide(ctx: Context) -> Slide | None:
    """Portfolio map; takeaway: in-portfolio budget sitting low on both alignment and priority."""
    from pmo import prioritise

    scores = ctx.run("priority_scores", **_weights(prioritise.DEFAULT_WEIGHTS))
    in_portfolio = scores[scores["in_portfolio"].fillna(False).astype(bool)]
    if in_portfolio.empty:
        return None
    evm = ctx.run("project_evm")
    weak = in_portfolio[(in_portfolio.alignment_score < 50) & (in_portfolio.priority_score < 50)]
    takeaway = (
        f"{len(weak)} of {len(in_portfolio)} in-portfolio projects "
        f"({format.money(weak.budget.sum())}) score below 50 on both alignment and priority."
    )
    return Slide(
        "Portfolio map: alignment against priority", charts.portfolio_bubble(scores, evm), takeaway
    )


def investment_slide(ctx: Context) -> Slide | None:
    """Investment against target share; takeaway: the largest shortfall and the unaligned share."""
    inv = ctx.run("investment_by_objective")
    objectives = inv[inv.objective_id != "UNALIGNED"].dropna(subset=["gap"])
    if objectives.empty:
        return None
    worst = objectives.sort_values("gap").iloc[0]
    unaligned = inv.loc[inv.objective_id == "UNALIGNED", "actual_share"]
    unaligned_share = unaligned.iloc[0] if len(unaligned) else None
    takeaway = (
        f"{worst.objective_name} gets {format.percent(worst.actual_share)} of the budget against a "
        f"{format.percent(worst.target_share)} target ({worst.gap * 100:+.0f} pts); "
        f"{format.percent(unaligned_share)} serves no objective."
    )
    return Slide(
        "Investment by objective against target share", charts.investment_vs_target(inv), takeaway
    )


def scorecard_slide(ctx: Context) -> Slide | None:
    """Issue 18: objective progress against expected; takeaway: how many are off track, and
    the one that matters most with its funding against target."""
    from pmo import scorecard

    card = ctx.run("strategy_scorecard")
    if card.empty or int(card["key_results"].sum()) == 0:
        return None
    return Slide(
        "Strategy scorecard: are the objectives on track?",
        charts.scorecard_progress(card),
        scorecard.takeaway(card),
    )


def utilisation_slide(ctx: Context) -> Slide | None:
    """Team utilisation heatmap; takeaway: teams over capacity in the as-of month."""
    util = ctx.run("utilisation", group="team")
    data = util.dropna(subset=["utilisation"])
    if data.empty:
        return None
    last = data[data.month == data.month.max()]
    over = last[last.utilisation > 1].sort_values("utilisation", ascending=False)
    month = pd.Timestamp(last.month.iloc[0]).strftime("%B %Y")
    people = ctx.headline()["overallocated_resources"] or 0
    if over.empty:
        takeaway = (
            f"No team as a whole is planned above capacity in {month}, "
            f"but {people} {'person is' if people == 1 else 'people are'} over-allocated."
        )
    else:
        top = over.iloc[0]
        takeaway = (
            f"{len(over)} of {len(last)} teams are planned above capacity in {month}; "
            f"{top.group_label} at {format.percent(top.utilisation)}; "
            f"{people} people over-allocated."
        )
    return Slide(
        "Planned utilisation by team and month",
        charts.utilisation_heatmap(util, by="team"),
        takeaway,
    )


def trend_slide(ctx: Context) -> Slide | None:
    """Portfolio CPI/SPI by month; takeaway: how CPI and SPI moved over the period shown."""
    if "portfolio_trend" not in queries.names():
        return None
    trend = ctx.run("portfolio_trend").dropna(subset=["cpi", "spi"])
    if len(trend) < 2:
        return None
    trend = trend.tail(13)
    first, last = trend.iloc[0], trend.iloc[-1]
    takeaway = (
        f"Since {pd.Timestamp(first.month):%b %Y}, portfolio CPI went from "
        f"{format.ratio(first.cpi)} to {format.ratio(last.cpi)} "
        f"and SPI from {format.ratio(first.spi)} to {format.ratio(last.spi)}."
    )
    return Slide(
        "Portfolio cost and schedule performance by month", charts.cpi_spi_trend(trend), takeaway
    )


def rag_movement_slide(ctx: Context) -> Slide | None:
    """RAG moves over the last three month-ends; takeaway: how many turned Red."""
    if "review_changes" not in queries.names():
        return None
    head_as_of = ctx.headline()["as_of"]
    if not head_as_of:
        return None
    to_date = dt.date.fromisoformat(head_as_of)
    from_date = (pd.Timestamp(to_date) - pd.offsets.MonthEnd(3)).date()
    changes = ctx.run("review_changes", from_date=from_date, to_date=to_date)
    moves = changes[changes.change_kind.isin(["rag_better", "rag_worse"])]
    if moves.empty:
        return None
    # before/after are RAG words or, where both reports had one, five-point ratings: "turned
    # Red" is by the RAG they count as (the database's scale), so Amber -> Amber/Red turned Red
    # and Amber/Red -> Red did not.
    scale = settings.read(ctx.con).rating_scale
    rag_before = moves["before"].map(lambda w: scale.get(w, w))
    rag_after = moves["after"].map(lambda w: scale.get(w, w))
    to_red = int(
        ((moves.change_kind == "rag_worse") & (rag_after == "Red") & (rag_before != "Red")).sum()
    )
    better = int((moves.change_kind == "rag_better").sum())
    takeaway = (
        f"{to_red} project{'s' if to_red != 1 else ''} turned Red since {from_date:%-d %b %Y}; "
        f"{better} improved."
    )
    return Slide(
        f"RAG movement since {from_date:%-d %b %Y}", charts.rag_movement(changes), takeaway
    )


def frontier_slide(ctx: Context) -> Slide | None:
    """The exact efficient frontier (issue 15) under the default constraints: the cap at
    today's cost to continue, mandatory projects, dependencies, and capacity by role and month
    when allocations exist; takeaway: what the best set gains, what it stops and starts, and
    what binds."""
    from pmo import prioritise, selection

    data = selection.inputs(ctx.con, ctx.as_of, ctx.view, prioritise.DEFAULT_WEIGHTS, scores=False)
    # The scores the ranking slide ran already: each query once per deck.
    data["scores"] = ctx.run("priority_scores", **_weights(prioritise.DEFAULT_WEIGHTS))
    p = selection.problem(data)
    if p.n == 0:
        return None
    c = selection.Constraints(cap=selection.default_cap(p), capacity=1.0 if p.rows else None)
    best = selection.solve(p, c)
    now = selection.today(p, c)
    if not best.feasible:
        return Slide(
            "The best portfolio at each cost",
            charts.empty_note(best.infeasible[0]),
            "No set meets the constraints: " + best.infeasible[0],
        )
    front = selection.frontier(p, c)
    takes = selection.what_it_would_take(p, c, best)
    stops = int(((best.x < 0.5) & p.in_today).sum())
    starts = int(((best.x > 0.5) & ~p.in_today).sum())
    gain = (best.score - now.score) / now.score if now.score else None
    binds = "; ".join(f"{b.label} (+{b.gain:,.0f} if lifted)" for b in best.binding[:3])
    takeaway = (
        f"Within today's cost to continue ({format.money(now.cost)}), the best set scores "
        f"{best.score:,.0f} against today's {now.score:,.0f}"
        + (f" ({gain:+.1%})" if gain is not None else "")
        + f", stopping {stops} and starting {starts}."
        + (f" What binds: {binds}." if binds else " No constraint binds.")
        + (f" What it would take: {takes[0].sentence}." if takes else "")
    )
    marks = pd.DataFrame(
        [
            {
                "label": "Today's portfolio",
                "cost": now.cost,
                "score": now.score,
                "projects": int(now.x.sum()),
                "text": f"Today: {format.money(now.cost)}, score {now.score:,.0f}",
            },
            {
                "label": "Best set under the cap",
                "cost": best.cost,
                "score": best.score,
                "projects": int(best.x.sum()),
                "text": f"Best: {format.money(best.cost)}, score {best.score:,.0f}",
            },
        ]
    )
    chart = charts.exact_frontier(front.points, marks, c.cap, symbol=format.currency_symbol())
    return Slide("The best portfolio at each cost to continue", chart, takeaway)


def roadmap_slide(ctx: Context) -> Slide | None:
    """Issue 17: the roadmap (the largest projects by budget, by portfolio, links and the as-of
    line); takeaway: what lands in the next two quarters, what slipped, the longest wait."""
    from pmo import roadmap

    road = ctx.run("roadmap")
    if road.dropna(subset=["start_date", "end_date"]).empty:
        return None
    waiting = ctx.run("dependencies_at_risk")
    data = roadmap.gantt_data(
        road,
        ctx.run("milestone_slip"),
        ctx.run("dependency_links"),
        "portfolio",
        roadmap.PACK_LIMIT,
    )
    as_of = ctx.headline()["as_of"]
    chart = charts.gantt(data, as_of, "Roadmap by portfolio", "Portfolio", format.currency_symbol())
    takeaway = roadmap.roadmap_takeaway(road, waiting, as_of) + (
        f" Shown: {data.note}" if data.note else ""
    )
    return Slide("Roadmap: what lands when, and what waits on what", chart, takeaway)


def risk_slide(ctx: Context) -> Slide | None:
    """Issue 17: the 5×5 risk matrix of open risks; takeaway: open high and overdue risks and
    the largest one with its owner."""
    from pmo import roadmap

    register = ctx.run("risk_register")
    if roadmap.open_risks(register).empty:
        return None
    chart = charts.risk_heatmap(ctx.run("risk_heatmap")) | charts.risk_exposure_trend(
        ctx.run("risk_exposure_trend")
    ).properties(width=520)
    return Slide(
        "Risks: probability × impact and exposure by month", chart, roadmap.risks_takeaway(register)
    )


def forecast_slide(ctx: Context) -> Slide | None:
    """Issue 16: the portfolio's cost at completion by seeded Monte Carlo; takeaway: the P80
    total and the projects likely to finish late. The notes give the figures to the cent."""
    from pmo import forecast

    result = forecast.run(ctx.con, ctx.as_of, ctx.view)
    port = result.portfolio
    if port.get("p80_cost") is None:
        return None
    notes = "; ".join(f"{key}: {value}" for key, value in port.items() if value is not None)
    return Slide(
        "Forecast: cost at completion and finish",
        charts.cost_histogram(result.total_draws, port),
        forecast.takeaway(port, format.money) + ".",
        notes,
    )


def _weights(weights: dict[str, float]) -> dict[str, float]:
    return {f"w_{k}": float(v) for k, v in weights.items()}


# Builders in deck order; each returns None when its data is missing (the slide is skipped).
SLIDES: list[Callable[[Context], Slide | None]] = [
    bubble_slide,
    rag_slide,
    investment_slide,
    scorecard_slide,
    utilisation_slide,
    trend_slide,
    rag_movement_slide,
    evm_slide,
    forecast_slide,  # issue 16
    frontier_slide,
    roadmap_slide,  # issue 17
    risk_slide,  # issue 17
]


# ------------------------------------------------------------------------------ the deck


def _text(frame, text: str, size: int, *, bold: bool = False, colour: RGBColor = INK) -> None:
    tf = frame.text_frame
    tf.word_wrap = True
    p = tf.paragraphs[0]
    p.text = text  # plain text: nothing imported is interpreted
    p.font.size = Pt(size)
    p.font.bold = bold
    p.font.color.rgb = colour


def _title(slide, title: str, subtitle: str | None = None) -> None:
    box = slide.shapes.add_textbox(Inches(0.6), Inches(0.35), WIDTH - Inches(1.2), Inches(0.8))
    _text(box, title, 28, bold=True)
    if subtitle:
        sub = slide.shapes.add_textbox(Inches(0.6), Inches(1.05), WIDTH - Inches(1.2), Inches(0.5))
        # The box holds two lines of 14 pt (about 220 characters); a longer takeaway (the
        # frontier's, with what binds) gets a smaller size rather than run into the chart.
        size = 14 if len(subtitle) <= 220 else 12 if len(subtitle) <= 280 else 11
        _text(sub, subtitle, size, colour=MUTED)


def _table(
    slide,
    frame: pd.DataFrame,
    top: Emu,
    col_widths: list[float] | None = None,
    *,
    left: Emu | None = None,
    width: Emu | None = None,
) -> None:
    rows, cols = len(frame) + 1, len(frame.columns)
    height = Inches(0.4) * rows
    left = Inches(0.6) if left is None else left
    width = WIDTH - Inches(1.2) if width is None else width
    shape = slide.shapes.add_table(rows, cols, left, top, width, height)
    table = shape.table
    for j, name in enumerate(frame.columns):
        cell = table.cell(0, j)
        cell.text = str(name)
        cell.text_frame.paragraphs[0].font.size = Pt(14)
        cell.text_frame.paragraphs[0].font.bold = True
        if col_widths:
            table.columns[j].width = Inches(col_widths[j])
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text = (
                "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
            )
            cell.text_frame.paragraphs[0].font.size = Pt(13)


def kpi_rows(head: dict) -> pd.DataFrame:
    """The headline tiles as rows of (KPI, value) for the tiles slide."""
    rows = [
        ("In-flight projects", format.count(head["in_flight_projects"])),
        ("Portfolio budget (in portfolio)", format.money(head["total_budget"])),
        (
            "Earned value / actual cost",
            f"{format.money(head['earned_value'])} / {format.money(head['actual_cost'])}",
        ),
        ("Cost performance (CPI)", format.ratio(head["portfolio_cpi"])),
        ("Schedule performance (SPI)", format.ratio(head["portfolio_spi"])),
        (
            "RAG: Green / Amber / Red",
            f"{head['rag_green']} / {head['rag_amber']} / {head['rag_red']}",
        ),
        ("Strategic alignment (0–100)", format.score(head["portfolio_alignment"])),
        ("Unaligned share of budget", format.percent(head["unaligned_share"])),
        ("Resource utilisation (as-of month)", format.percent(head["utilization"])),
        ("Over-allocated people", format.count(head["overallocated_resources"])),
        ("On-time delivery", format.percent(head["on_time_delivery"])),
        ("Benefits realisation", format.percent(head["benefits_realization"])),
    ]
    return pd.DataFrame(rows, columns=["KPI", "Value"])


def exception_tables(ctx: Context, as_of: dt.date | None) -> dict[str, pd.DataFrame]:
    """The Overview's exceptions as slide tables: red projects, over-allocated teams, slips."""
    from pmo import overview

    red = overview.red_projects(ctx.run("in_flight_evm"))
    teams = overview.overallocated_teams(
        ctx.run("overallocations", from_month=None, to_month=None), as_of
    )
    slips = overview.slipped_milestones(ctx.run("milestone_slip"))
    return {
        "red": pd.DataFrame(
            {
                "Project": red["name"],
                "Sponsor": red["sponsor"],
                "Budget": red["budget"].map(format.money),
                "CPI": red["cpi"].map(format.ratio),
                "SPI": red["spi"].map(format.ratio),
                "Latest comment": red["comment"].fillna(""),
            }
        ),
        "teams": pd.DataFrame(
            {
                "Team": teams["team"],
                "People over": teams["people"].map(format.count),
                "Hours over capacity": teams["excess_hours"].map(lambda v: f"{v:,.0f}"),
                "Worst": teams["worst_utilisation"].map(format.percent),
            }
        ),
        "slips": pd.DataFrame(
            {
                "Project": slips["project_name"],
                "Milestone": slips["milestone"],
                "Slip (days)": slips["slip_days"].map(format.count),
            }
        ),
    }


def _note(slide, text: str, left: Emu, top: Emu, width: Emu) -> None:
    box = slide.shapes.add_textbox(left, top, width, Inches(0.5))
    _text(box, text, 16)


# ------------------------------------------------------- issue 21: summary and decisions slides


def summary_slide(deck, blank, ctx: Context, described: str) -> None:
    """The first slide: the view, and the executive summary's computed sentences
    (pmo/summary.py)."""
    from pmo import summary

    slide = deck.slides.add_slide(blank)
    box = slide.shapes.add_textbox(Inches(0.6), Inches(0.35), WIDTH - Inches(1.2), Inches(0.8))
    _text(box, "Portfolio review: executive summary", 30, bold=True, colour=ACCENT)
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.1), WIDTH - Inches(1.2), Inches(0.5))
    _text(box, f"{described} · PMO Lens, prepared {dt.date.today():%-d %b %Y}", 14, colour=MUTED)
    said = summary.sentences(ctx.con, ctx.as_of, ctx.view, run=ctx.run)
    box = slide.shapes.add_textbox(
        Inches(0.8), Inches(1.9), WIDTH - Inches(1.6), HEIGHT - Inches(2.4)
    )
    tf = box.text_frame
    tf.word_wrap = True
    lines = [s.text for s in said] or ["Not enough data yet for a summary: import status reports."]
    for i, text in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.text = f"•  {text}"  # plain text: nothing imported is interpreted
        p.font.size = Pt(20)
        p.font.color.rgb = INK
        p.space_after = Pt(14)


def decision_tables(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """(decided since the last review, open actions, facts) from queries/decisions.sql.

    Open actions carry their owner and due date; an overdue one is marked "Overdue (n days)".
    Facts: last_review and ref_date (dates), overdue (count).
    """
    from pmo import summary

    if summary.missing_tables(ctx.con, "decisions"):  # a database from before issue 21
        rows = pd.DataFrame(
            columns=[
                "date",
                "title",
                "project_names",
                "status",
                "owner",
                "due_date",
                "overdue",
                "days_overdue",
                "since_last_review",
            ]
        )
    else:
        rows = ctx.run("decisions")
    facts = {"last_review": None, "ref_date": None, "overdue": 0}
    if len(rows):
        facts = {
            "last_review": pd.Timestamp(rows["last_review"].iloc[0]).date(),
            "ref_date": pd.Timestamp(rows["ref_date"].iloc[0]).date(),
            "overdue": int(rows["overdue"].sum()),
        }

    def day(value) -> str:
        return "" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%-d %b %Y}"

    decided = rows[rows["since_last_review"].fillna(False).astype(bool)]
    decided = pd.DataFrame(
        {
            "Date": decided["date"].map(day),
            "Decision": decided["title"],
            "Projects": decided["project_names"].fillna("All projects"),
            "Status": decided["status"],
        }
    )
    open_ = rows[rows["status"] == "Open"]
    actions = pd.DataFrame(
        {
            "Action": open_["title"],
            "Owner": open_["owner"].fillna("—"),
            "Due": [day(d) or "—" for d in open_["due_date"]],
            "State": [
                f"Overdue {int(n)} day{'s' if int(n) != 1 else ''}" if late else "Open"
                for late, n in zip(
                    open_["overdue"].fillna(False), open_["days_overdue"].fillna(0), strict=True
                )
            ],
        }
    )
    return decided.reset_index(drop=True), actions.reset_index(drop=True), facts


def decisions_slide(deck, blank, ctx: Context, described: str) -> None:
    """Decided since the last review; open actions with owners and due dates, overdue marked."""
    decided, actions, facts = decision_tables(ctx)
    slide = deck.slides.add_slide(blank)
    since = f" since {facts['last_review']:%-d %b %Y}" if facts["last_review"] else ""
    _title(
        slide,
        "Decisions and actions",
        f"{len(decided)} decided{since} · {len(actions)} open actions, {facts['overdue']} overdue"
        f" · {described}",
    )
    half = Emu(int((WIDTH - Inches(1.5)) / 2))  # whole EMUs: PowerPoint rejects "6233007.5"
    right = Inches(0.9) + half
    _note(slide, f"Decided{since}", Inches(0.6), Inches(1.6), half)
    if decided.empty:
        _note(slide, "No decision recorded since the last review.", Inches(0.6), Inches(2.1), half)
    else:
        _table(
            slide,
            decided.head(DECISION_ROWS),
            Inches(2.1),
            [1.1, 2.8, 1.2, 0.8],
            left=Inches(0.6),
            width=half,
        )
        _more(slide, len(decided), Inches(0.6), half)
    _note(slide, "Open actions (most overdue first)", right, Inches(1.6), half)
    if actions.empty:
        _note(slide, "No open action.", right, Inches(2.1), half)
    else:
        _table(
            slide,
            actions.head(DECISION_ROWS),
            Inches(2.1),
            [2.6, 1.3, 1.1, 0.9],
            left=right,
            width=half,
        )
        _more(slide, len(actions), right, half)


# Rows per table on the decisions slide: titles wrap, and six rows of three lines still fit.
DECISION_ROWS = 6


def _more(slide, total: int, left: Emu, width: Emu) -> None:
    if total > DECISION_ROWS:
        box = slide.shapes.add_textbox(left, HEIGHT - Inches(0.7), width, Inches(0.4))
        _text(
            box,
            f"and {total - DECISION_ROWS} more in the Review page's decisions log",
            12,
            colour=MUTED,
        )


def build(
    con: duckdb.DuckDBPyConnection, as_of: dt.date | None = None, view: dict | None = None
) -> bytes:
    """The review pack for a view (as-of date + filters) as .pptx bytes, money in the
    database's currency."""
    with format.in_currency(settings.read(con).currency):
        return _build(con, as_of, view)


def _build(con: duckdb.DuckDBPyConnection, as_of: dt.date | None, view: dict | None) -> bytes:
    ctx = Context(con, as_of, view or {})
    head = ctx.headline()
    as_of_date = dt.date.fromisoformat(head["as_of"]) if head["as_of"] else None
    described = filters.describe(ctx.view, as_of_date)

    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    blank = deck.slide_layouts[6]

    summary_slide(deck, blank, ctx, described)

    slide = deck.slides.add_slide(blank)
    _title(slide, "Headline KPIs", described)
    _table(slide, kpi_rows(head), Inches(1.6), [7.0, 5.1])

    for make in SLIDES:
        made = make(ctx)
        if made is None:
            continue
        slide = deck.slides.add_slide(blank)
        _title(slide, made.title, made.takeaway)
        # The slide title says what the chart shows; the chart's own title would repeat it.
        chart = made.chart.copy()
        chart.title = alt.Undefined
        png = export.chart_png(chart, scale=2)
        pic = slide.shapes.add_picture(io.BytesIO(png), Inches(0.6), Inches(1.7))
        # Fit inside the area below the title, keeping the aspect ratio.
        max_w, max_h = WIDTH - Inches(1.2), HEIGHT - Inches(2.0)
        ratio = min(max_w / pic.width, max_h / pic.height)
        pic.width, pic.height = int(pic.width * ratio), int(pic.height * ratio)
        pic.left = int((WIDTH - pic.width) / 2)
        if made.notes:
            slide.notes_slide.notes_text_frame.text = made.notes

    tables = exception_tables(ctx, as_of_date)
    slide = deck.slides.add_slide(blank)
    red = tables["red"]
    _title(slide, "Exceptions: Red projects", f"{len(red)} in-flight projects at Red · {described}")
    if red.empty:
        _note(slide, "No in-flight project is at Red.", Inches(0.6), Inches(1.8), Inches(8))
    else:
        _table(slide, red.head(12), Inches(1.6), [3.0, 1.9, 1.1, 0.8, 0.8, 4.5])

    slide = deck.slides.add_slide(blank)
    teams, slips = tables["teams"], tables["slips"]
    month = f"{as_of_date:%B %Y}" if as_of_date else "the as-of month"
    _title(
        slide,
        "Exceptions: capacity and milestones",
        f"{len(teams)} teams over capacity in {month} · {len(slips)} milestones slipped",
    )
    half = Emu(int((WIDTH - Inches(1.5)) / 2))  # whole EMUs: PowerPoint rejects "6233007.5"
    _note(slide, "Teams with people over capacity", Inches(0.6), Inches(1.6), half)
    if teams.empty:
        _note(slide, "None.", Inches(0.6), Inches(2.1), half)
    else:
        _table(
            slide, teams.head(10), Inches(2.1), [2.4, 1.1, 1.4, 1.0], left=Inches(0.6), width=half
        )
    _note(slide, "Slipped milestones (largest slip first)", Inches(0.9) + half, Inches(1.6), half)
    if slips.empty:
        _note(slide, "None.", Inches(0.9) + half, Inches(2.1), half)
    else:
        _table(
            slide, slips.head(10), Inches(2.1), [2.6, 2.0, 1.3], left=Inches(0.9) + half, width=half
        )

    decisions_slide(deck, blank, ctx, described)

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
