"""The executive summary (issue 21): at most five sentences, each computed from one query.

In order: what changed since the last review (queries/review_changes.sql), the worst RAG moves
(the same query's rag_worse rows), the largest risk to budget (summary_budget_risk.sql, needs
the risks table), the objective furthest off track (summary_objective.sql, needs key_results
and kr_measurements), and open and overdue actions (summary_overdue_actions.sql, needs
decisions). A sentence whose tables are missing or whose query finds nothing is left out, so
the summary never states what the data cannot support. Sentences are plain text: the pack
writes them as text, the email escapes them, the page shows them as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from pmo import filters, format, queries, review

MAX_SENTENCES = 5
RAG_ORDER = {"Green": 0, "Amber": 1, "Red": 2}
NAMED = 3  # projects named in the RAG-moves sentence before "and N more"


# Queries that read tables other engineers add to the schema (docs/data-model.md, second release):
# until a database has them, the sentence is skipped (and the query cannot bind).
REQUIRES = {
    "summary_budget_risk": ("risks", "projects"),
    "summary_objective": ("key_results", "kr_measurements", "objectives"),
    # A database made before issue 21, opened read-only (the command line), lacks decisions.
    "summary_overdue_actions": ("decisions",),
    "decisions": ("decisions",),
    "project_decisions": ("decisions",),
}


def missing_tables(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    """The tables queries/<name>.sql needs that this database lacks (REQUIRES), if any."""
    needed = REQUIRES.get(name, ())
    if not needed:
        return []
    present = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    return [t for t in needed if t not in present]


@dataclass(frozen=True)
class Sentence:
    """One sentence of the summary: which builder made it, and the text."""

    key: str
    text: str


class Runner:
    """Runs queries for one view: the sidebar filters a query takes, plus its own params.

    ``run`` may be another runner's (the pack's, which runs each query once per deck).
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        as_of: dt.date | None,
        view: dict | None,
        run: Callable[..., pd.DataFrame] | None = None,
    ):
        self.con = con
        self.as_of = as_of
        self.view = {f: list((view or {}).get(f) or []) for f in queries.FILTER_PARAMS}
        self._tables: set[str] | None = None
        self._run = run

    def run(self, name: str, **extra: object) -> pd.DataFrame:
        """queries/<name>.sql with the view's filters and as-of (those it takes) and ``extra``."""
        if self._run is not None:
            return self._run(name, **extra)
        params = filters.query_params(name, {"as_of": self.as_of, **self.view}, **extra)
        return queries.run(self.con, name, **params)

    def has_tables(self, *names: str) -> bool:
        """True when every table exists in the database (older databases lack newer tables)."""
        if self._tables is None:
            rows = self.con.execute("select table_name from duckdb_tables()").fetchall()
            self._tables = {r[0] for r in rows}
        return all(n in self._tables for n in names)


def _day(value: object) -> str:
    return f"{pd.Timestamp(value):%-d %b %Y}"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _quoted(text: object) -> str:
    return f"“{' '.join(str(text).split())}”"


# --------------------------------------------------------------------------- the builders


def _review_changes(r: Runner) -> pd.DataFrame:
    """review_changes since the last review, run once for the two sentences that read it."""
    if not hasattr(r, "_changes"):
        r._changes = r.run("review_changes", from_date=None, to_date=None)
    return r._changes


def changes_sentence(r: Runner) -> str | None:
    """What changed since the last review: new, closed, RAG worse/better, slipped projects."""
    if not r.has_tables("projects", "status_reports"):
        return None
    changes = _review_changes(r)
    bounds = r.run("data_status")
    latest = bounds["latest_report_date"].iloc[0] if len(bounds) else None
    if changes.empty and (latest is None or pd.isna(latest)):
        return None  # no status report at all: nothing to compare
    if changes.empty:
        as_of = r.as_of or pd.Timestamp(latest).date()
        since = review.previous_month_end(as_of)
        return (
            f"Since the last review ({_day(since)}) no project started, closed, changed RAG "
            "or slipped."
        )
    counts = review.counts(changes)
    since = changes["from_date"].iloc[0]
    parts = []
    if counts["new"]:
        parts.append(_plural(counts["new"], "new project"))
    if counts["closed"]:
        parts.append(f"{counts['closed']:,} closed")
    if counts["rag_worse"]:
        parts.append(f"{counts['rag_worse']:,} with a worse RAG")
    if counts["rag_better"]:
        parts.append(f"{counts['rag_better']:,} with a better RAG")
    if counts["slipped_projects"]:
        parts.append(f"{counts['slipped_projects']:,} slipped")
    if not parts:  # only pulled-in forecasts
        return f"Since the last review ({_day(since)}) no project started, closed, changed RAG or slipped."
    return f"Since the last review ({_day(since)}): {_join(parts)}."


def rag_moves_sentence(r: Runner) -> str | None:
    """The worst RAG moves since the last review: the largest drops first, into Red first."""
    if not r.has_tables("projects", "status_reports"):
        return None
    worse = review.of_kind(_review_changes(r), "rag_worse")
    if worse.empty:
        return None
    worse = worse.assign(
        drop=worse["after"].map(RAG_ORDER) - worse["before"].map(RAG_ORDER),
        to_red=worse["after"] == "Red",
    ).sort_values(["drop", "to_red", "name", "project_id"], ascending=[False, False, True, True])
    named = [
        f"{' '.join(str(row.name).split())} ({row.before} → {row.after})"
        for row in worse.head(NAMED).itertuples(index=False)
    ]
    if len(worse) > NAMED:
        named.append(f"{len(worse) - NAMED:,} more")
    return (
        f"Worst RAG moves: {_plural(len(worse), 'project')} moved to a worse RAG — {_join(named)}."
    )


def budget_risk_sentence(r: Runner) -> str | None:
    """The open risk with the largest cost impact, and the open cost impact in all."""
    if not r.has_tables(*REQUIRES["summary_budget_risk"]):
        return None
    top = r.run("summary_budget_risk")
    if top.empty:
        return None
    row = top.iloc[0]
    where = (
        "portfolio-wide"
        if pd.isna(row["project_name"])
        else " ".join(str(row["project_name"]).split())
    )
    odds = "" if pd.isna(row["probability"]) else f", probability {row['probability']:.0f} of 5"
    total = int(row["open_risks_with_cost"])
    rest = (
        f"; {total:,} open risks carry {format.money(row['total_cost_impact'])} in all"
        if total > 1
        else ""
    )
    return (
        f"Largest risk to budget: {_quoted(row['title'])} ({where}), "
        f"{format.money(row['cost_impact'])} if it happens{odds}{rest}."
    )


def objective_sentence(r: Runner) -> str | None:
    """The objective whose key results are furthest behind the progress expected by now."""
    if not r.has_tables(*REQUIRES["summary_objective"]):
        return None
    rows = r.run("summary_objective")
    if rows.empty:
        return None
    top = rows.iloc[0]
    n = int(top["objectives"])
    if top["rating"] == "On track":
        return f"All {_plural(n, 'objective')} with measured key results are on track."
    off = int(top["off_track"])
    krs = int(top["key_results"])
    return (
        f"Furthest behind: {_quoted(top['objective_name'])} ({top['rating']}), "
        f"{format.percent(top['progress'])} of the way to its key-result targets against "
        f"{format.percent(top['expected'])} expected by now "
        f"({off:,} of {_plural(krs, 'key result')} Off track)."
    )


def actions_sentence(r: Runner) -> str | None:
    """Open and overdue actions, and the one overdue longest."""
    if not r.has_tables(*REQUIRES["summary_overdue_actions"]):
        return None
    row = r.run("summary_overdue_actions").iloc[0]
    if int(row["decisions"]) == 0:
        return None
    open_, overdue = int(row["open_actions"]), int(row["overdue_actions"])
    at = _day(row["ref_date"])
    if open_ == 0:
        return f"No action is open at {at}."
    if overdue == 0:
        return f"{_plural(open_, 'action')} open, none overdue at {at}."
    owner = (
        "" if pd.isna(row["top_owner"]) else f" (owner {' '.join(str(row['top_owner']).split())})"
    )
    return (
        f"{_plural(open_, 'action')} open, {overdue:,} overdue at {at}; the longest overdue is "
        f"{_quoted(row['top_title'])}{owner}, due {_day(row['top_due_date'])} "
        f"({_plural(int(row['top_days_overdue']), 'day')} late)."
    )


BUILDERS: list[tuple[str, Callable[[Runner], str | None]]] = [
    ("changes", changes_sentence),
    ("rag_moves", rag_moves_sentence),
    ("budget_risk", budget_risk_sentence),
    ("objective", objective_sentence),
    ("actions", actions_sentence),
]


def sentences(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date | None = None,
    view: dict | None = None,
    run: Callable[..., pd.DataFrame] | None = None,
) -> list[Sentence]:
    """The executive summary for a view: at most five sentences, those whose data exists.

    ``run``: a query runner for the same view to share results with (pack.Context.run).
    """
    r = Runner(con, as_of, view, run)
    out = []
    for key, build in BUILDERS:
        text = build(r)
        if text:
            out.append(Sentence(key, text))
    return out[:MAX_SENTENCES]
