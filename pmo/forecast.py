"""Earned schedule, the EAC methods and the probabilistic forecast (issue 16, docs/kpis.md).

The deterministic figures (ES, SV(t), SPI(t), IEAC(t), the three EACs, TCPI and the "not
credible" flag, the portfolio EAC) live in SQL: queries/earned_schedule.sql and
portfolio_eac.sql. This module adds the seeded Monte Carlo on top of them, in numpy, without
pandas (so `pmo kpis` stays fast).

The model, per in-flight project, for each of ``draws`` draws:

    cost at completion = AC + (BAC − EV) × k        k: cost per unit of earned value
    finish             = now + (planned days − ES) × m   m: days taken per day of schedule earned

``now`` is the project's latest report with cost figures (its start when it has none); a
project with schedule left to earn cannot finish before the as-of date, so no finish draw is
earlier (one that has earned all of it finished, by value, at its report). k and m
are drawn, each draw independently, from the first of these that exists (docs/kpis.md's order):

- ``own``: the project's own period history when it has ≥ 3 status reports with cost figures.
  A period runs from one such report to the next (the first from the start, where EV, AC, ES
  and AT are 0): k = ΔAC / ΔEV (1 / period CPI), drawn in proportion to ΔEV; m = ΔAT / ΔES
  (1 / period SPI(t)), drawn in proportion to ΔES. Periods that earned nothing are left out.
  Weighted so, the mean draw is the project's own cumulative performance: the mean cost is
  AC + (BAC − EV) / CPI (= BAC / CPI) and the mean finish IEAC(t); with every period alike the
  percentiles collapse onto those deterministic figures exactly.
- ``reference``: the reference class, completed projects in the data (≥ 3) with a final cost
  and dates: k = final cost / BAC and m = actual / planned duration of one completed project.
- ``portfolio``: the periods of every in-flight project pooled, each weighted by its share of
  its own project (ΔEV / BAC, ΔES / planned days) so large projects do not drown the rest.

One draw applies one period's (or one completed project's) performance to all the remaining
work: periods are not averaged, because a project's performance persists from month to month;
averaging them would understate the range.

Every project draws from its own random stream, seeded by (seed, its id): a project's forecast
is the same in every view that contains it, and the same seed gives the same figures to the
cent on the page, in `python -m pmo forecast`, in `kpis --json` and in the pack.

Portfolio: the total cost at completion per draw (Σ over projects with a budget), its
percentiles, the probability it stays within the total BAC, the expected overspend
E[max(total − BAC, 0)], the latest finish per draw, and how many projects are forecast late with
80 % confidence (at least 80 % of their draws finish after the planned end).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from pmo import queries
from pmo.filters import query_params

DRAWS = 10_000
SEED = 2026
PERCENTILES = (10, 50, 80, 90)
MIN_OWN_REPORTS = 3
MIN_REFERENCE = 3
LATE_CONFIDENCE = 0.8
CHUNK = 16  # projects simulated at once: 16 x 10,000 draws = 1.3 MB a matrix, kept in cache
# Threads simulating chunks side by side (the figures do not depend on it).
THREADS = min(2, os.cpu_count() or 1)

SOURCE_ORDER = ("own", "reference", "portfolio")

# `python -m pmo forecast` columns: the README's command line first, then what the page shows
# beside them.
CLI_COLUMNS = (
    "project_id",
    "es_date",
    "sv_t_days",
    "spi_t",
    "forecast_finish",
    "eac_cpi",
    "eac_remaining_at_plan",
    "eac_composite",
    "tcpi",
    "p10_cost",
    "p50_cost",
    "p80_cost",
    "p90_cost",
    "p10_finish",
    "p50_finish",
    "p80_finish",
    "p90_finish",
    "source",
    "name",
    "budget",
    "actual_cost",
    "earned_value",
    "cpi",
    "spi",
    "end_date",
    "vac_cpi",
    "vac_remaining_at_plan",
    "vac_composite",
    "tcpi_minus_cpi",
    "not_credible",
    "probability_late",
    "source_detail",
    "note",
)

# Portfolio keys, in the order the command line and the page list them.
PORTFOLIO_KEYS = (
    "projects",
    "forecast_projects",
    "total_bac",
    "mean_cost",
    "p10_cost",
    "p50_cost",
    "p80_cost",
    "p90_cost",
    "p10_finish",
    "p50_finish",
    "p80_finish",
    "p90_finish",
    "probability_within_budget",
    "expected_overspend",
    "late_at_p80",
    "seed",
    "draws",
)


@dataclass
class Result:
    """One forecast: per project rows, portfolio figures, and the portfolio's cost draws."""

    as_of: dt.date | None
    seed: int
    draws: int
    projects: list[dict] = field(default_factory=list)
    portfolio: dict = field(default_factory=dict)
    total_draws: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # project_id -> (cost at completion, finish as a day ordinal) per draw, when kept.
    project_draws: dict = field(default_factory=dict)
    # The view's portfolio_eac row (projects, portfolio_bac, portfolio_eac, portfolio_vac).
    eac: dict = field(default_factory=dict)

    def frame(self):
        """The per-project rows as a DataFrame (for pages and the pack)."""
        import pandas as pd

        return pd.DataFrame(
            self.projects, columns=list(self.projects[0]) if self.projects else list(CLI_COLUMNS)
        )

    def of(self, project_id: str) -> dict | None:
        """The row of one project, or None."""
        return next((r for r in self.projects if r["project_id"] == project_id), None)


# ------------------------------------------------------------------------------ inputs


def _params(name: str, as_of: dt.date | None, filters: dict | None) -> dict:
    """queries/<name>.sql's parameters for the view (filters.query_params)."""
    return query_params(name, {**(filters or {}), "as_of": as_of})


MEMO_TABLE = "forecast_es_memo"
# The es_series macro while a forecast reads its inputs: the rows of the memo table for the
# projects passing the filters (the as-of date is the memo's).
_MEMO_MACRO = """
create or replace temp macro es_series(f_as_of, f_portfolio, f_business_unit, f_status, f_sponsor)
as table
select m.*
from forecast_es_memo as m
where m.project_id in (
    select project_id from scoped_projects(f_portfolio, f_business_unit, f_status, f_sponsor)
)
"""


@contextlib.contextmanager
def series_once(con, as_of: dt.date):
    """Earned schedule computed once for every query run inside the block (issue 16).

    es_series (queries/macros/forecast.sql) at ``as_of`` for every project goes into a temp
    table, and the es_series macro reads that table (narrowed by the filters it is given)
    until the block ends, when queries/macros/forecast.sql is installed again. So
    earned_schedule, forecast_periods and portfolio_eac share one computation instead of
    three. Inside, every query must be asked at ``as_of``. Nested blocks use the outer one.
    """
    from pmo import store

    exists = con.execute(
        "select count(*) from duckdb_tables() where temporary and table_name = $t",
        {"t": MEMO_TABLE},
    ).fetchone()[0]
    if exists:
        yield
        return
    con.execute(
        "create temp table forecast_es_memo as select * from es_series($d, [], [], [], [])",
        {"d": as_of},
    )
    try:
        con.execute(_MEMO_MACRO)
        yield
    finally:
        con.execute((store.MACROS_DIR / "forecast.sql").read_text(encoding="utf-8"))
        con.execute("drop table if exists forecast_es_memo")


def load_inputs(con, as_of: dt.date | None, filters: dict | None = None) -> dict:
    """The queries the forecast reads, as plain rows, and the as-of date they used:
    earned_schedule (the view's in-flight projects), forecast_periods (every in-flight
    project's period history), reference_class, and the view's portfolio_eac row; the
    earned schedule computed once for all of them (series_once)."""
    if as_of is None:
        from pmo import store

        as_of = store.scalar(con, "select resolve_as_of($d)", {"d": None})
    with series_once(con, as_of):
        return {
            "projects": queries.records(
                con, "earned_schedule", **_params("earned_schedule", as_of, filters)
            ),
            "periods": queries.arrays(
                con, "forecast_periods", **_params("forecast_periods", as_of, None)
            ),
            "reference": queries.records(
                con, "reference_class", **_params("reference_class", as_of, None)
            ),
            "eac": queries.records(
                con, "portfolio_eac", **_params("portfolio_eac", as_of, filters)
            )[0],
            "as_of": as_of,
        }


def from_inputs(
    data: dict,
    *,
    seed: int = SEED,
    draws: int = DRAWS,
    per_project: bool = True,
    only: list[str] | None = None,
) -> Result:
    """Simulate from load_inputs' rows. ``only``: just these projects, with their draws kept
    (Result.project_draws) for a fan chart; each project's figures are the same as in the
    whole view, since each draws from its own stream."""
    projects = data["projects"]
    if only is not None:
        wanted = set(only)
        projects = [p for p in projects if p["project_id"] in wanted]
    result = simulate(
        projects,
        data["periods"],
        data["reference"],
        seed=seed,
        draws=draws,
        as_of=data["as_of"],
        per_project=per_project,
        keep_draws=only is not None,
    )
    result.eac = dict(data.get("eac") or {})
    return result


def run(
    con,
    as_of: dt.date | None = None,
    filters: dict | None = None,
    *,
    seed: int = SEED,
    draws: int = DRAWS,
    per_project: bool = True,
    only: list[str] | None = None,
) -> Result:
    """Read the data and simulate: the single entry point of page, command line and pack."""
    return from_inputs(
        load_inputs(con, as_of, filters), seed=seed, draws=draws, per_project=per_project, only=only
    )


def kpis(con, as_of: dt.date | None = None, filters: dict | None = None) -> dict:
    """The `kpis --json` keys of issue 16 (null when not computable)."""
    result = run(con, as_of, filters, per_project=False)
    return {
        "portfolio_eac": _money(result.eac.get("portfolio_eac")),
        "portfolio_vac": _money(result.eac.get("portfolio_vac")),
        "p80_cost_at_completion": result.portfolio.get("p80_cost"),
        "probability_within_budget": result.portfolio.get("probability_within_budget"),
    }


# ------------------------------------------------------------------------------ tables to draw from


class _Tables:
    """Discrete distributions (values drawn in proportion to weights), many at once.

    Built from flat arrays: entry i belongs to table ``table_of[i]`` (non-decreasing, each
    table contiguous); entries with a value or weight that is not finite, or a weight ≤ 0, are
    dropped, and each table's entries are put in order of value, so the percentiles of an
    outcome that grows with the value are read from how often each entry was drawn.

    A draw is an inverse-CDF look-up of a 32-bit uniform u (0 ≤ u < 2³²): the first entry
    whose threshold ⌈cum × 2³²⌉ (its cumulative share of the table, in 2³² units) is above u,
    so each entry is drawn with probability weight / Σ weights of its table up to the
    uniform's 32-bit resolution. A guide of 2^b slots per table (2^b ≥ 8 × its entries; the
    top b bits of u name the slot) points each slot at the entry holding the slot's first
    value. That entry holds the whole slot in most slots: the draw is then one look-up; in the
    few slots an entry boundary crosses, the draw steps forward past the thresholds ≤ u.
    Integer arithmetic throughout, vectorised whatever the number of tables.
    """

    def __init__(self, values, weights, table_of, tables: int) -> None:
        values = np.asarray(values, dtype=float)
        weights = np.asarray(weights, dtype=float)
        table_of = np.asarray(table_of, dtype=np.int64)
        with np.errstate(invalid="ignore"):
            keep = np.isfinite(values) & np.isfinite(weights) & (weights > 0)
        values, weights, table_of = values[keep], weights[keep], table_of[keep]
        order = np.lexsort((values, table_of))  # by table, then by value
        values, weights, table_of = values[order], weights[order], table_of[order]
        self.n = np.bincount(table_of, minlength=tables).astype(np.int64)
        self.start = np.concatenate([[0], np.cumsum(self.n)[:-1]]).astype(np.int64)
        self.flat_values = values
        # Cumulative share within each table, the last entry of a table exactly 1.
        running = np.cumsum(weights)
        before = np.concatenate([[0.0], running])[self.start]
        totals = np.bincount(table_of, weights=weights, minlength=tables)
        with np.errstate(invalid="ignore", divide="ignore"):
            cum = np.minimum((running - before[table_of]) / totals[table_of], 1.0)
        last = (self.start + self.n - 1)[self.n > 0]
        cum[last] = 1.0
        # u passes entry e (draws a later one) when threshold_e ≤ u; the last never passes.
        self.threshold = np.ceil(np.nan_to_num(cum) * 2.0**32).astype(np.int64)
        self.threshold[last] = 2**32
        # The guide: slot s of table t covers u in [s << shift_t, (s + 1) << shift_t), and
        # points at the first entry whose threshold is above the slot's lowest u. Entry e
        # (threshold h) is that entry for the slots from ⌈h_{e−1} / 2^shift⌉ to ⌈h_e / 2^shift⌉.
        bits = np.maximum(np.ceil(np.log2(np.maximum(self.n, 1) * 8.0)), 3).astype(np.int64)
        slots = np.where(self.n > 0, np.left_shift(1, bits), 0)
        self.shift = (32 - bits).astype(np.uint32)
        self.slot_start = np.concatenate([[0], np.cumsum(slots)[:-1]]).astype(np.int64)
        shift = (32 - bits)[table_of]
        first_after = (self.threshold + (np.int64(1) << shift) - 1) >> shift
        first = np.concatenate([[0], first_after[:-1]])
        first[self.start[self.n > 0]] = 0
        self.guide = np.repeat(np.arange(len(values), dtype=np.intp), first_after - first)
        # A slot an entry boundary crosses (not at the slot's start) needs the step forward.
        self.crossed = np.zeros(len(self.guide), dtype=bool)
        inside = (self.threshold < 2**32) & (self.threshold & ((np.int64(1) << shift) - 1) > 0)
        self.crossed[
            self.slot_start[table_of[inside]] + (self.threshold[inside] >> shift[inside])
        ] = True

    def id(self, table: int) -> int:
        """The table's id, or -1 when it has no entry left."""
        return table if table >= 0 and self.n[table] > 0 else -1

    def pick(self, table: np.ndarray, bits: np.ndarray) -> np.ndarray:
        """Entries (global positions) for 32-bit uniforms ``bits`` (uint32, rows = projects)
        from the tables ``table`` (one per row)."""
        slot = (bits >> self.shift[table][:, None]).astype(np.intp)
        slot += self.slot_start[table][:, None]
        idx = self.guide[slot]
        flat_idx = idx.reshape(-1)
        ahead = np.flatnonzero(self.crossed[slot.reshape(-1)])
        if ahead.size:
            flat_bits = bits.reshape(-1)
            ahead = ahead[self.threshold[flat_idx[ahead]] <= flat_bits[ahead]]
            while ahead.size:
                flat_idx[ahead] += 1
                ahead = ahead[self.threshold[flat_idx[ahead]] <= flat_bits[ahead]]
        return idx

    def counts(self, table: np.ndarray, picked: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How often each row drew each entry of its table, and the entries' values: two
        rows × W matrices (W = the largest table of the rows; a shorter table's row is padded
        with its last value, drawn 0 times)."""
        rows = len(table)
        n, start = self.n[table], self.start[table]
        width = int(n.max())
        local = picked - (start - np.arange(rows) * width)[:, None]
        counts = np.bincount(local.ravel(), minlength=rows * width).reshape(rows, width)
        col = np.minimum(np.arange(width)[None, :], (n - 1)[:, None])
        return counts, self.flat_values[start[:, None] + col]


SMALL_TABLE = 1024  # tables up to this size: percentiles from counts; larger: from the draws


def _from_counts(
    counts: np.ndarray,
    values: np.ndarray,
    pct: np.ndarray,
    offset: np.ndarray,
    scale: np.ndarray,
    floor: np.ndarray | None = None,
    end: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """P-values (numpy's linear percentile) of offset + scale × value (≥ floor) over each
    row's draws, from how often each value was drawn (``counts``, values in ascending order,
    scale ≥ 0: the order of the values is the order of the outcomes), and with ``end`` the
    share of draws whose outcome, rounded to a day, is after it."""
    rows = len(counts)
    draws = int(counts[0].sum()) if rows else 0
    outcome = offset[:, None] + scale[:, None] * values
    if floor is not None:
        np.maximum(outcome, floor[:, None], out=outcome)
    cum = np.cumsum(counts, axis=1)
    every = np.arange(rows)
    out = np.empty((rows, len(pct)))
    for i, q in enumerate(pct):
        pos = (draws - 1) * q / 100.0
        lo, hi = math.floor(pos), math.ceil(pos)
        below = outcome[every, (cum <= lo).sum(axis=1)]
        above = outcome[every, (cum <= hi).sum(axis=1)]
        out[:, i] = below + (above - below) * (pos - lo)
    late = None
    if end is not None:
        late = (counts * (np.floor(outcome + 0.5) > end[:, None])).sum(axis=1) / draws
    return out, late


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if np.isnan(value) else value


def _money(value) -> float | None:
    value = _num(value)
    return None if value is None else round(value, 2)


def _day(ordinal: float) -> dt.date:
    return dt.date.fromordinal(int(np.floor(ordinal + 0.5)))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _period_arrays(periods) -> dict:
    """forecast_periods as arrays (queries.arrays), also from plain rows (tests)."""
    if isinstance(periods, dict):
        return periods
    keys = ("project_id", "budget", "planned_days", "d_ev", "d_ac", "d_es", "d_at")
    out = {k: np.array([p[k] for p in periods], dtype=object) for k in keys}
    for k in keys[1:]:
        out[k] = np.array([np.nan if v is None else float(v) for v in out[k]], dtype=float)
    return out


def _sources(projects, periods, reference):
    """Choose each project's source and build the tables it draws from (all at once)."""
    periods = _period_arrays(periods)
    ids = periods["project_id"]
    d_ev, d_ac, d_es, d_at = (periods[k] for k in ("d_ev", "d_ac", "d_es", "d_at"))
    # Period ratios: k = ΔAC / ΔEV (spend never negative), m = ΔAT / ΔES.
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.maximum(d_ac, 0) / d_ev
        m = np.where(d_at >= 0, d_at / d_es, np.nan)
        usable = (d_ev > 0) & np.isfinite(k)
        pool_cost_w = d_ev / periods["budget"]
        pool_time_w = d_es / periods["planned_days"]
    # The rows come ordered by project: each project's periods are one slice.
    slices: dict[str, tuple[int, int]] = {}
    if len(ids):
        change = np.flatnonzero(ids[1:] != ids[:-1]) + 1
        bounds = np.concatenate([[0], change, [len(ids)]])
        slices = {
            ids[a]: (a, b) for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
        }
    usable_before = np.concatenate([[0], np.cumsum(usable)]).tolist()

    ref = [r for r in reference if _num(r["cost_ratio"]) is not None]
    ref_ok = len(ref) >= MIN_REFERENCE
    pool_periods = int(usable.sum())
    pool_projects = len(set(ids[usable].tolist()))

    choices, own = [], []  # own: (a, b) period slices, in table order
    for p in projects:
        n = int(p["cost_reports"] or 0)
        why = []
        if not (_num(p["budget"]) or 0) > 0:
            choices.append(("none", -1, "no budget: no forecast"))
            continue
        if n >= MIN_OWN_REPORTS:
            a, b = slices.get(p["project_id"], (0, 0))
            if usable_before[b] > usable_before[a]:
                choices.append(("own", len(own), f"own history, {_plural(n, 'report')}"))
                own.append((a, b))
                continue
            why.append(f"own history of {_plural(n, 'report')} shows no earned value")
        else:
            why.append(f"own history: {_plural(n, 'report')}, {MIN_OWN_REPORTS} needed")
        if ref_ok:
            choices.append(
                (
                    "reference",
                    "reference",
                    f"reference class: {len(ref)} completed projects ({why[0]})",
                )
            )
            continue
        why.append(
            f"reference class: {_plural(len(ref), 'completed project')}, {MIN_REFERENCE} needed"
        )
        if pool_periods:
            choices.append(
                (
                    "portfolio",
                    "pool",
                    f"portfolio history: {pool_periods} periods of "
                    f"{pool_projects} projects ({'; '.join(why)})",
                )
            )
            continue
        choices.append(("none", -1, "no history to draw from (" + "; ".join(why) + ")"))

    # Tables: one per own history, then the reference class, then the pooled periods (each
    # built only when some project draws from it).
    bounds = np.array(own, dtype=np.int64).reshape(-1, 2)
    starts, sizes = bounds[:, 0], bounds[:, 1] - bounds[:, 0]
    table_of = np.repeat(np.arange(len(own)), sizes).astype(np.int64)
    # The periods of each own table: its slice of the rows, one table after the other.
    rows = np.arange(int(sizes.sum()), dtype=np.int64) + np.repeat(
        starts - (np.cumsum(sizes) - sizes), sizes
    )
    n_tables = len(own)
    shared = {}
    cost_parts = [(k[rows], d_ev[rows], table_of)]
    time_parts = [(m[rows], d_es[rows], table_of)]
    used = {c[1] for c in choices}
    if "reference" in used:
        shared["reference"] = n_tables
        ones, at = np.ones(len(ref)), np.full(len(ref), n_tables)
        cost_parts.append((np.array([_num(r["cost_ratio"]) for r in ref]), ones, at))
        time_parts.append((np.array([_num(r["duration_ratio"]) or np.nan for r in ref]), ones, at))
        n_tables += 1
    if "pool" in used:
        shared["pool"] = n_tables
        at = np.full(len(ids), n_tables)
        cost_parts.append((k, pool_cost_w, at))
        time_parts.append((m, pool_time_w, at))
        n_tables += 1

    def build(parts):
        return _Tables(
            np.concatenate([x[0] for x in parts]),
            np.concatenate([x[1] for x in parts]),
            np.concatenate([x[2] for x in parts]),
            n_tables,
        )

    cost, time = build(cost_parts), build(time_parts)
    out = []
    for kind, table, detail in choices:
        t = shared.get(table, table) if isinstance(table, str) else table
        out.append((kind, cost.id(t), time.id(t), detail))
    return out, cost, time


# ------------------------------------------------------------------------------ simulation


def _raw(seed: int, project_id: str, words: int) -> np.ndarray:
    """``words`` 64-bit words from the project's own seeded stream (PCG64, seeded by the seed
    and a CRC-32 of the project id), read as twice as many 32-bit uniforms: the first
    ``draws`` for the cost draws, the next ``draws`` for the finish draws."""
    bits = np.random.PCG64(
        np.random.SeedSequence([int(seed), zlib.crc32(str(project_id).encode("utf-8"))])
    )
    return bits.random_raw(words)


def _column(projects: list[dict], key: str) -> np.ndarray:
    """One numeric column of the rows, NaN where null."""
    return np.array([p[key] for p in projects], dtype=float).reshape(len(projects))


def _percentiles(
    tables: _Tables,
    table: np.ndarray,
    picked: np.ndarray,
    values: np.ndarray,
    pct: np.ndarray,
    offset: np.ndarray,
    scale: np.ndarray,
    floor: np.ndarray | None = None,
    end: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Per row: P-values of offset + scale × value (≥ floor) and, with ``end``, the share of
    draws after it: from the counts of each entry for small tables (_from_counts), from the
    draws themselves for large ones."""
    if int(tables.n[table].max()) <= SMALL_TABLE:
        counts, sorted_values = tables.counts(table, picked)
        return _from_counts(counts, sorted_values, pct, offset, scale, floor, end)
    outcome = offset[:, None] + scale[:, None] * values
    if floor is not None:
        np.maximum(outcome, floor[:, None], out=outcome)
    late = None if end is None else (np.floor(outcome + 0.5) > end[:, None]).mean(axis=1)
    return np.percentile(outcome, pct, axis=1).T, late


def simulate(
    projects: list[dict],
    periods,
    reference: list[dict],
    *,
    seed: int = SEED,
    draws: int = DRAWS,
    as_of: dt.date | None = None,
    per_project: bool = True,
    keep_draws: bool = False,
) -> Result:
    """The Monte Carlo over the rows of earned_schedule, forecast_periods and reference_class.

    With ``per_project`` False only the portfolio's cost figures are computed (the same cost
    draws and totals, without the finish draws and the per-project percentiles): what
    `kpis --json` needs.
    """
    draws = int(draws)
    choices, cost_tables, time_tables = _sources(projects, periods, reference)
    n = len(projects)
    source = [c[0] for c in choices]
    cost_tid = np.array([c[1] for c in choices], dtype=np.int64)
    time_tid = np.array([c[2] for c in choices], dtype=np.int64)

    bac = np.nan_to_num(_column(projects, "budget"))
    ev = np.nan_to_num(_column(projects, "earned_value"))
    ac = np.nan_to_num(_column(projects, "actual_cost"))
    remaining_work = bac - np.clip(ev, 0, np.maximum(bac, 0))

    finish_note = [None] * n
    now = np.full(n, np.nan)
    remaining_days = np.full(n, np.nan)
    end = np.full(n, np.nan)
    for i, p in enumerate(projects):
        start, days = p["start_date"], _num(p["planned_days"])
        if start is None or p["end_date"] is None or not days or days <= 0:
            finish_note[i] = (
                "no start date"
                if start is None
                else "no planned end date"
                if p["end_date"] is None
                else "planned end not after the start"
            )
            continue
        es = _num(p["es_days"])
        reported = p["report_date"]
        now[i] = max(reported, start).toordinal() if reported else start.toordinal()
        remaining_days[i] = max(days - (es or 0.0), 0.0)
        end[i] = p["end_date"].toordinal()
    has_cost = (cost_tid >= 0) & (bac > 0)
    has_time = has_cost & (time_tid >= 0) & np.isfinite(now)

    pct = np.array(PERCENTILES, dtype=float)
    cost_q = np.full((n, len(pct)), np.nan)
    finish_q = np.full((n, len(pct)), np.nan)
    p_late = np.full(n, np.nan)
    total = np.zeros(draws)
    latest = np.full(draws, -np.inf)
    kept: dict = {}
    # Projects with schedule left to earn finish no earlier than the as-of date; one whose
    # earned schedule has reached its planned duration finished (by value) at its report.
    not_before = np.where(
        remaining_days > 0, float(as_of.toordinal()) if as_of is not None else -np.inf, -np.inf
    )
    # Each 64-bit word gives two 32-bit uniforms: the cost draws need the first half only.
    words = draws if per_project else (draws + 1) // 2
    forecast_rows = np.flatnonzero(has_cost)

    def chunk(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Draw for these projects: their per-project figures into the arrays above, and the
        chunk's Σ cost per draw and latest finish per draw (None without finish draws)."""
        raw = np.empty((rows.size, words), dtype=np.uint64)
        for j, i in enumerate(rows.tolist()):
            raw[j] = _raw(seed, projects[i]["project_id"], words)
        bits = raw.view(np.uint32)
        picked = cost_tables.pick(cost_tid[rows], bits[:, :draws])
        k = cost_tables.flat_values[picked]
        # Σ over the chunk's projects of AC + (BAC − EV) × k, per draw.
        part = remaining_work[rows] @ k
        part += ac[rows].sum()
        if keep_draws:
            for j, i in enumerate(rows.tolist()):
                kept[projects[i]["project_id"]] = (ac[i] + remaining_work[i] * k[j], None)
        if not per_project:
            return part, None
        cost_q[rows] = _percentiles(
            cost_tables, cost_tid[rows], picked, k, pct, ac[rows], remaining_work[rows]
        )[0]
        tsel = has_time[rows]
        timed = rows[tsel]
        if not timed.size:
            return part, None
        picked = time_tables.pick(time_tid[timed], bits[tsel, draws : 2 * draws])
        m = time_tables.flat_values[picked]
        floor = not_before[timed]
        # The latest finish per draw: max over projects of max(now + days left × m, floor).
        finish = now[timed, None] + remaining_days[timed, None] * m
        last = np.maximum(finish.max(axis=0), floor.max())
        if keep_draws:
            np.maximum(finish, floor[:, None], out=finish)
            for j, i in enumerate(timed.tolist()):
                pid = projects[i]["project_id"]
                kept[pid] = (kept[pid][0], finish[j])
        finish_q[timed], p_late[timed] = _percentiles(
            time_tables,
            time_tid[timed],
            picked,
            m,
            pct,
            now[timed],
            remaining_days[timed],
            floor,
            end[timed],
        )
        return part, last

    # Chunks write disjoint rows; numpy works outside the GIL, so a second core helps. The
    # totals are added in chunk order whatever the threads: the same figures every time.
    chunks = [forecast_rows[lo : lo + CHUNK] for lo in range(0, forecast_rows.size, CHUNK)]
    workers = min(THREADS, len(chunks))
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(chunk, chunks))
    else:
        parts = [chunk(rows) for rows in chunks]
    any_finish = False
    for part, last in parts:
        total += part
        if last is not None:
            np.maximum(latest, last, out=latest)
            any_finish = True

    result = Result(as_of=as_of, seed=int(seed), draws=draws, project_draws=kept)
    if per_project:
        for i, p in enumerate(projects):
            row = dict(p)
            for j, q in enumerate(PERCENTILES):
                row[f"p{q}_cost"] = _money(cost_q[i, j]) if has_cost[i] else None
                row[f"p{q}_finish"] = _day(finish_q[i, j]) if np.isfinite(finish_q[i, j]) else None
            row["probability_late"] = round(float(p_late[i]), 4) if np.isfinite(p_late[i]) else None
            row["source"] = source[i]
            detail = choices[i][3]
            if has_cost[i] and not has_time[i]:
                detail += f"; no finish forecast: {finish_note[i] or 'no schedule history'}"
            row["source_detail"] = detail
            result.projects.append(row)

    forecast = int(has_cost.sum())
    total_bac = float(bac[has_cost].sum())
    port: dict = {k: None for k in PORTFOLIO_KEYS}
    port.update(projects=n, forecast_projects=forecast, seed=int(seed), draws=draws)
    if forecast:
        qs = np.percentile(total, pct)
        port.update({f"p{q}_cost": _money(v) for q, v in zip(PERCENTILES, qs, strict=True)})
        port["total_bac"] = _money(total_bac)
        port["mean_cost"] = _money(float(total.mean()))
        port["probability_within_budget"] = round(float((total <= total_bac + 1e-6).mean()), 4)
        port["expected_overspend"] = _money(float(np.maximum(total - total_bac, 0).mean()))
        result.total_draws = total
    if any_finish:
        port.update(
            {
                f"p{q}_finish": _day(v)
                for q, v in zip(PERCENTILES, np.percentile(latest, pct), strict=True)
            }
        )
    if per_project:
        port["late_at_p80"] = int(np.sum(np.nan_to_num(p_late, nan=0.0) >= LATE_CONFIDENCE))
    result.portfolio = port
    return result


# ------------------------------------------------------------------------------ words


def chance(p) -> str:
    """A probability in words for a label: '37%', 'under 1%', 'over 99%'."""
    if p is None or np.isnan(p):
        return "—"
    if 0 < p < 0.01:
        return "under 1%"
    if 0.99 < p < 1:
        return "over 99%"
    return f"{p:.0%}"


def takeaway(portfolio: dict, money) -> str:
    """The pack's and the page's sentence: '80% likely to finish within $104M; 9 projects
    likely to finish late'. ``money`` formats an amount in the database's currency."""
    if portfolio.get("p80_cost") is None:
        return "No forecast: no in-flight project with a budget and a history to draw from."
    late = portfolio.get("late_at_p80")
    text = f"80% likely to finish within {money(portfolio['p80_cost'])}"
    if late is not None:
        text += (
            f"; {_plural(late, 'project')} likely to finish late"
            if late
            else "; no project is 80% likely to finish late"
        )
    prob = portfolio.get("probability_within_budget")
    if prob is not None:
        budget = money(portfolio["total_bac"])
        text += f" ({chance(prob)} chance of staying within the {budget} budget)"
    return text


# ------------------------------------------------------------------------------ what pages show


# The page's table (and its downloads): what a reader checks, without the raw report columns.
TABLE_COLUMNS = (
    "project_id",
    "name",
    "spi",
    "spi_t",
    "sv_t_days",
    "es_date",
    "end_date",
    "forecast_finish",
    "p10_finish",
    "p50_finish",
    "p80_finish",
    "p90_finish",
    "probability_late",
    "budget",
    "actual_cost",
    "eac_cpi",
    "eac_remaining_at_plan",
    "eac_composite",
    "vac_cpi",
    "p10_cost",
    "p50_cost",
    "p80_cost",
    "p90_cost",
    "tcpi",
    "cpi",
    "not_credible",
    "source",
    "source_detail",
    "note",
)


def ranked(result: Result):
    """The per-project rows for the page's table: the likeliest to finish late first, then the
    largest overrun (VAC, BAC / CPI)."""
    frame = result.frame()
    if frame.empty:
        return frame
    return (
        frame[list(TABLE_COLUMNS)]
        .sort_values(
            ["probability_late", "vac_cpi", "project_id"],
            ascending=[False, True, True],
            na_position="last",
            kind="stable",
        )
        .reset_index(drop=True)
    )


def methods(row: dict):
    """One project's EAC methods side by side: method, formula, eac, vac."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "method": "Cost performance continues",
                "formula": "BAC / CPI",
                "eac": row.get("eac_cpi"),
                "vac": row.get("vac_cpi"),
            },
            {
                "method": "Remaining work at plan",
                "formula": "AC + (BAC − EV)",
                "eac": row.get("eac_remaining_at_plan"),
                "vac": row.get("vac_remaining_at_plan"),
            },
            {
                "method": "Cost and schedule both weigh",
                "formula": "AC + (BAC − EV) / (CPI × SPI(t))",
                "eac": row.get("eac_composite"),
                "vac": row.get("vac_composite"),
            },
        ]
    )


def credibility(row: dict) -> str:
    """TCPI against CPI in words: what finishing on budget would demand."""
    tcpi, cpi = _num(row.get("tcpi")), _num(row.get("cpi"))
    if row.get("not_credible") and (tcpi is None or tcpi < 0):
        return "Not credible: the budget is already spent with work left to do."
    if tcpi is None or cpi is None:
        return "TCPI cannot be computed (no cost figures, or the budget is fully spent)."
    verdict = "Not credible" if row.get("not_credible") else "Credible"
    return (
        f"{verdict}: finishing on budget needs a CPI of {tcpi:.2f} on the remaining work "
        f"against {cpi:.2f} so far (TCPI − CPI = {tcpi - cpi:+.2f}; above +0.10 the plan is "
        "not credible)."
    )
