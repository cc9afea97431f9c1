"""The data model of docs/data-model.md: the upload template, one table per sheet."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Column kinds: how a cell is read and what the database stores.
#   text     -> VARCHAR          number  -> DOUBLE ("$1,200,000", "1.200.000,50 €")
#   integer  -> INTEGER          date    -> DATE (serials, ISO, US/European, "July 25, 2022")
#   month    -> DATE (1st of the month; "2025-03", "Mar 2025", any date in the month)
#   share    -> DOUBLE 0–1 ("25%" or 0.25)     percent -> DOUBLE 0–100 ("45%" or 45)
#   status   -> VARCHAR, one of STATUSES        rag     -> VARCHAR, one of RAGS
SQL_TYPES = {
    "text": "VARCHAR",
    "number": "DOUBLE",
    "integer": "INTEGER",
    "date": "DATE",
    "month": "DATE",
    "share": "DOUBLE",
    "percent": "DOUBLE",
    "status": "VARCHAR",
    "rag": "VARCHAR",
    "rating": "VARCHAR",
}

STATUSES = ("Proposed", "Approved", "Active", "On Hold", "Completed", "Cancelled")
STATUS_SYNONYMS = {
    "proposed": "Proposed",
    "idea": "Proposed",
    "pipeline": "Proposed",
    "submitted": "Proposed",
    "approved": "Approved",
    "active": "Active",
    "in progress": "Active",
    "ongoing": "Active",
    "open": "Active",
    "executing": "Active",
    "on hold": "On Hold",
    "onhold": "On Hold",
    "paused": "On Hold",
    "suspended": "On Hold",
    "completed": "Completed",
    "complete": "Completed",
    "done": "Completed",
    "closed": "Completed",
    "cancelled": "Cancelled",
    "canceled": "Cancelled",
}
RAGS = ("Green", "Amber", "Red")
RAG_SYNONYMS = {
    "green": "Green",
    "g": "Green",
    "amber": "Amber",
    "a": "Amber",
    "yellow": "Amber",
    "y": "Amber",
    "red": "Red",
    "r": "Red",
}
# Ratings as reported (docs/data-model.md, second release): words beyond Green/Amber/Red, such
# as the UK government's five-point Delivery Confidence Assessment, are kept in
# status_reports.rating as written; RATING_SYNONYMS says which of the five points a word is
# (words normalised as values.rating_word does), and the database's rating scale
# (pmo.settings) which RAG it counts as.
RATING_POINTS = ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")
RATING_SYNONYMS = {
    **{w: "Green" for w in ("green", "g")},
    **{w: "Amber/Green" for w in ("amber green", "green amber", "ag", "ga", "a g", "g a")},
    **{w: "Amber" for w in ("amber", "a", "yellow", "y")},
    **{w: "Amber/Red" for w in ("amber red", "red amber", "ar", "ra", "a r", "r a")},
    **{w: "Red" for w in ("red", "r")},
}
# Conservative: a split rating counts as its worse colour.
DEFAULT_RATING_SCALE = {
    "Green": "Green",
    "Amber/Green": "Amber",
    "Amber": "Amber",
    "Amber/Red": "Red",
    "Red": "Red",
}
# The status lists the KPIs use, named here only: SQL reaches them through the macros
# is_in_flight / is_in_portfolio (queries/macros/statuses.sql, filled in by pmo.store).
IN_FLIGHT = ("Active", "On Hold")  # being delivered: CPI, SPI, RAG counts
IN_PORTFOLIO = ("Approved", "Active", "On Hold")  # holding budget: alignment, investment
# Issue 21: a decision or action is Open until Done or Dropped.
DECISION_STATUSES = ("Open", "Done", "Dropped")


@dataclass(frozen=True)
class Column:
    """One column of the template: its canonical name, kind and accepted header synonyms."""

    name: str
    kind: str = "text"
    required: bool = False  # the column must be present in the upload
    value_required: bool = False  # every row must have a value
    synonyms: tuple[str, ...] = ()
    default: object = None  # value used when the column is absent or blank
    money: bool = False  # an amount in the database's currency (units and symbols checked)
    managed: bool = False  # kept by the importer (left_on), never read from a file

    @property
    def sql_type(self) -> SQL:
        """The DuckDB type this column is stored as."""
        return SQL(SQL_TYPES[self.kind])


@dataclass(frozen=True)
class Table:
    """One sheet of the template: columns, natural key and how repeated keys behave."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # The columns whose rows an upload replaces: the key, except alignment (per project).
    replace_key: tuple[str, ...] = ()
    # Allocations and timesheets: repeated keys in one upload are summed, not an error.
    sum_duplicates: tuple[str, ...] = ()
    # (column, referenced table, referenced column)
    references: tuple[tuple[str, str, str], ...] = ()
    description: str = ""
    synonyms: tuple[str, ...] = field(default=())
    # History tables accumulate (a report per period): stored rows an upload lacks are normal.
    history: bool = False

    @property
    def key_required(self) -> bool:
        """Whether every key column must hold a value (a benefit's date may be blank)."""
        return all(self.column(k).value_required for k in self.key)

    @property
    def snapshot(self) -> bool:
        """A complete list of this table marks absent rows as left (left_on), not removed."""
        return any(c.name == LEFT_ON for c in self.columns)

    @property
    def importable(self) -> tuple[Column, ...]:
        """The columns a file can fill (all but those the importer keeps itself)."""
        return tuple(c for c in self.columns if not c.managed)

    @property
    def column_names(self) -> list[str]:
        """Canonical column names in template order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)

    @property
    def upsert_key(self) -> tuple[str, ...]:
        """The key an upload's rows replace stored rows on."""
        return self.replace_key or self.key


def _c(
    name, kind="text", req=False, val=None, syn=(), default=None, money=False, managed=False
) -> Column:
    return Column(
        name=name,
        kind=kind,
        required=req,
        value_required=req if val is None else val,
        synonyms=tuple(syn),
        default=default,
        money=money,
        managed=managed,
    )


# A snapshot import (the complete list of projects or resources) marks a stored row that the
# list no longer has as left on the import's as-of date; listed again, the mark clears.
LEFT_ON = "left_on"


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "objectives",
            (
                _c("objective_id", req=True, syn=["id", "objective id", "code"]),
                _c("name", req=True, syn=["objective", "title"]),
                _c("weight", "number", req=True, syn=["importance"]),
                _c("target_share", "share", syn=["target", "target %", "target share"]),
                _c("owner"),
                _c("perspective"),
            ),
            key=("objective_id",),
            description="The organisation's strategic objectives",
            synonyms=("objective", "strategy", "strategic objectives"),
        ),
        Table(
            "projects",
            (
                _c(
                    "project_id",
                    req=True,
                    syn=[
                        "id",
                        "project id",
                        "project code",
                        "key",
                        "project key",
                        "project number",
                        "project no",
                        "project ref",
                        "project reference",
                        "reference",
                        "unique id",
                    ],
                ),
                _c("name", req=True, syn=["project", "project name", "title", "project title"]),
                _c("portfolio", syn=["program", "programme"]),
                _c("business_unit", syn=["bu", "department", "division"]),
                _c("sponsor"),
                _c("manager", syn=["pm", "project manager", "owner"]),
                _c("status", "status", req=True),
                _c("start_date", "date", syn=["start"]),
                _c("end_date", "date", syn=["finish", "due date", "planned end", "planned finish"]),
                _c("actual_end_date", "date", syn=["actual finish", "actual end"]),
                _c(
                    "budget",
                    "number",
                    req=True,
                    val=False,
                    money=True,
                    syn=[
                        "bac",
                        "approved budget",
                        "total budget",
                        "planned cost",
                        "whole life cost",
                        "whole life costs",
                        "wlc",
                        "wlc baseline",
                        "cost",
                        "total cost",
                        "baseline cost",
                        "budget at completion",
                    ],
                ),
                _c("expected_benefit", "number", money=True, syn=["benefit", "npv", "value"]),
                _c("risk_score", "number", syn=["risk"]),
                # Issue 15: a must-do (regulatory, contractual, already committed), yes/no.
                # Stored as the word given; queries read it through the is_yes() macro.
                _c("mandatory", syn=["must do", "must-do", "regulatory", "committed"]),
                _c(LEFT_ON, "date", managed=True),
            ),
            key=("project_id",),
            description="One row per project or initiative",
            synonyms=("project", "portfolio", "initiatives"),
        ),
        Table(
            "alignment",
            (
                _c("project_id", req=True, syn=["project id", "project"]),
                _c("objective_id", req=True, syn=["objective id", "objective"]),
                _c("score", "integer", req=True, syn=["contribution", "alignment"]),
            ),
            key=("project_id", "objective_id"),
            replace_key=("project_id",),
            references=(
                ("project_id", "projects", "project_id"),
                ("objective_id", "objectives", "objective_id"),
            ),
            description="How much each project contributes to each objective (0–5)",
            synonyms=("alignments", "strategic alignment"),
        ),
        Table(
            "resources",
            (
                _c("resource_id", req=True, syn=["id", "employee id", "resource id"]),
                _c("name", req=True, syn=["resource", "employee", "person"]),
                _c("role"),
                _c("team", syn=["department"]),
                _c(
                    "capacity_hours",
                    "number",
                    syn=["capacity", "hours per week", "weekly capacity"],
                    default=40.0,
                ),
                _c("cost_rate", "number", money=True, syn=["rate", "hourly rate"]),
                _c(LEFT_ON, "date", managed=True),
            ),
            key=("resource_id",),
            description="People (or named roles) and their weekly capacity",
            synonyms=("resource", "people", "staff"),
        ),
        Table(
            "allocations",
            (
                _c("resource_id", req=True, syn=["resource id", "resource", "employee id"]),
                _c("project_id", req=True, syn=["project id", "project"]),
                _c("month", "month", req=True, syn=["period", "date"]),
                _c("hours", "number", req=True, syn=["planned hours"]),
            ),
            key=("resource_id", "project_id", "month"),
            sum_duplicates=("hours",),
            references=(
                ("resource_id", "resources", "resource_id"),
                ("project_id", "projects", "project_id"),
            ),
            description="Planned demand: hours per resource, project and month",
            synonyms=("allocation", "capacity plan", "resource plan"),
        ),
        Table(
            "timesheets",
            (
                _c("resource_id", req=True, syn=["resource id", "resource", "employee id"]),
                _c("project_id", req=True, syn=["project id", "project"]),
                _c("date", "date", req=True, syn=["week", "work date"]),
                _c("hours", "number", req=True, syn=["actual hours"]),
            ),
            key=("resource_id", "project_id", "date"),
            sum_duplicates=("hours",),
            references=(
                ("resource_id", "resources", "resource_id"),
                ("project_id", "projects", "project_id"),
            ),
            description="Actual effort booked",
            synonyms=("timesheet", "actuals", "time"),
            history=True,
        ),
        Table(
            "status_reports",
            (
                _c("project_id", req=True, syn=["project id", "project"]),
                _c("report_date", "date", req=True, syn=["as of", "status date", "date"]),
                _c("percent_complete", "percent", syn=["% complete", "complete", "progress"]),
                _c("planned_value", "number", money=True, syn=["pv"]),
                _c("earned_value", "number", money=True, syn=["ev"]),
                _c("actual_cost", "number", money=True, syn=["ac", "actuals", "spent"]),
                _c("rag_overall", "rag", syn=["rag", "health", "status colour", "status color"]),
                _c("rag_schedule", "rag", syn=["schedule rag"]),
                _c("rag_budget", "rag", syn=["budget rag"]),
                _c("rag_scope", "rag", syn=["scope rag"]),
                _c("forecast_end_date", "date", syn=["forecast finish", "forecast end"]),
                _c("comment", syn=["comments", "notes"]),
                _c(
                    "rating",
                    "rating",
                    syn=[
                        "colour rating",
                        "color rating",
                        "delivery confidence",
                        "delivery confidence assessment",
                        "dca",
                        "confidence rating",
                    ],
                ),
            ),
            key=("project_id", "report_date"),
            references=(("project_id", "projects", "project_id"),),
            description="The periodic project status report: the source of every trend",
            synonyms=("status", "status report", "reports"),
            history=True,
        ),
        Table(
            "benefits",
            (
                _c("project_id", req=True, syn=["project id", "project"]),
                _c("benefit", req=True, syn=["benefit name", "name"]),
                _c("planned_value", "number", req=True, money=True, syn=["planned", "target"]),
                _c(
                    "realized_value",
                    "number",
                    money=True,
                    syn=["realised value", "realized", "realised"],
                ),
                _c("date", "date"),
            ),
            key=("project_id", "benefit", "date"),
            references=(("project_id", "projects", "project_id"),),
            description="Benefits planned and realised",
            synonyms=("benefit",),
        ),
        Table(
            "milestones",
            (
                _c("project_id", req=True, syn=["project id", "project"]),
                _c("milestone", req=True, syn=["name", "milestone name"]),
                _c("baseline_date", "date", req=True, syn=["baseline", "planned date"]),
                _c("forecast_date", "date", syn=["forecast"]),
                _c("actual_date", "date", syn=["actual"]),
            ),
            key=("project_id", "milestone"),
            references=(("project_id", "projects", "project_id"),),
            description="Milestones: baseline, forecast and actual dates",
            synonyms=("milestone",),
        ),
        # Issue 15 (also read by issue 17's roadmap): a project needs another one done first.
        Table(
            "dependencies",
            (
                _c("project_id", req=True, syn=["project id", "project", "dependent", "successor"]),
                _c("depends_on", req=True, syn=["predecessor", "depends on", "prerequisite"]),
                _c("milestone", syn=["predecessor milestone"]),
                _c("type", syn=["dependency type", "link type"], default="finish-to-start"),
            ),
            key=("project_id", "depends_on"),
            references=(
                ("project_id", "projects", "project_id"),
                ("depends_on", "projects", "project_id"),
            ),
            description="A project needs another one (or one of its milestones) done first",
            synonyms=("dependency", "predecessors", "prerequisites"),
        ),
        # Issue 17: the risk register. A risk without a project is a portfolio risk.
        # Exposure = probability × impact (1–25), docs/kpis.md; status Open, Mitigating or Closed.
        Table(
            "risks",
            (
                _c("risk_id", req=True, syn=["id", "risk id", "ref", "risk ref", "risk no"]),
                _c("title", req=True, syn=["risk", "risk title", "name"]),
                _c("project_id", syn=["project id", "project"]),
                _c("category", syn=["risk category", "type"]),
                _c("probability", "integer", req=True, syn=["likelihood", "prob"]),
                _c("impact", "integer", req=True, syn=["severity", "consequence"]),
                _c("owner", syn=["risk owner"]),
                _c("status", syn=["risk status", "state"], default="Open"),
                _c("raised_date", "date", syn=["raised", "date raised", "identified", "opened"]),
                _c("due_date", "date", syn=["target date", "due", "review date"]),
                _c("closed_date", "date", syn=["closed", "date closed"]),
                _c("mitigation", syn=["mitigation plan", "response", "action"]),
                _c("cost_impact", "number", syn=["cost if it happens", "financial impact"]),
            ),
            key=("risk_id",),
            references=(("project_id", "projects", "project_id"),),
            description=(
                "The risk register: probability and impact 1–5; blank project = portfolio risk"
            ),
            synonyms=("risk", "risk register", "raid", "raid log", "risk log"),
        ),
        # Issue 15: planned spend by project and month; the fiscal-year caps come from it.
        Table(
            "cost_plan",
            (
                _c("project_id", req=True, syn=["project id", "project"]),
                _c("month", "month", req=True, syn=["period", "date"]),
                _c("planned_cost", "number", req=True, syn=["planned spend", "cost", "plan"]),
            ),
            key=("project_id", "month"),
            sum_duplicates=("planned_cost",),
            references=(("project_id", "projects", "project_id"),),
            description="Planned spend by project and month",
            synonyms=("cost plan", "spend plan", "financial plan", "budget phasing"),
        ),
        # Issue 18 (strategic KPIs): key results measure each objective; their measurements
        # over time give progress against the straight line from baseline to target.
        Table(
            "key_results",
            (
                _c("kr_id", req=True, syn=["id", "kr id", "key result id", "kr code", "code"]),
                _c("objective_id", req=True, syn=["objective id", "objective"]),
                _c("name", req=True, syn=["key result", "kr", "kr name", "title", "measure"]),
                _c("unit", syn=["units", "unit of measure", "uom"]),
                _c(
                    "baseline",
                    "number",
                    req=True,
                    syn=["baseline value", "start value", "starting value"],
                ),
                _c("target", "number", req=True, syn=["target value", "goal"]),
                _c("baseline_date", "date", syn=["baseline as of", "start date", "start"]),
                _c(
                    "target_date",
                    "date",
                    req=True,
                    syn=["target by", "due date", "deadline", "target by date"],
                ),
                _c("weight", "number", syn=["importance", "kr weight"], default=1.0),
            ),
            key=("kr_id",),
            references=(("objective_id", "objectives", "objective_id"),),
            description="Key results: the measurable targets of each objective",
            synonyms=("key result", "krs", "okrs", "strategic kpis"),
        ),
        Table(
            "kr_measurements",
            (
                _c("kr_id", req=True, syn=["kr id", "key result id", "key result", "kr"]),
                _c(
                    "date",
                    "date",
                    req=True,
                    syn=["measured", "measurement date", "as of", "period"],
                ),
                _c(
                    "value",
                    "number",
                    req=True,
                    syn=["actual", "measurement", "result", "measured value"],
                ),
            ),
            key=("kr_id", "date"),
            references=(("kr_id", "key_results", "kr_id"),),
            description="Key-result measurements over time",
            synonyms=("kr measurement", "measurements", "key result measurements", "kr actuals"),
            history=True,
        ),
        # Issue 21: the review's decisions and actions. Recorded in the app by editors
        # (pmo/decisions.py generates decision_id, recorded_by, recorded_at) and importable
        # like any table; project_ids is a comma-separated list of project ids.
        Table(
            "decisions",
            (
                _c(
                    "decision_id",
                    req=True,
                    syn=["id", "decision id", "ref", "reference", "action id"],
                ),
                _c("date", "date", req=True, syn=["decision date", "decided on", "meeting date"]),
                _c("title", req=True, syn=["decision", "action", "summary"]),
                _c("detail", syn=["details", "description", "notes"]),
                _c("project_ids", syn=["projects", "project id", "project ids", "project"]),
                _c("owner", syn=["action owner", "responsible", "assignee"]),
                _c("due_date", "date", syn=["due", "due by", "deadline", "target date"]),
                _c("status", default="Open", syn=["state", "decision status"]),
                _c("recorded_by", syn=["recorded by", "author"]),
                _c("recorded_at", syn=["recorded at", "recorded on"]),
                _c("comparison", syn=["review", "review period"]),
            ),
            key=("decision_id",),
            description="Decisions and actions of the portfolio reviews (Open, Done, Dropped)",
            synonyms=("decision", "decision log", "actions", "action log"),
        ),
    ]
}

# Parents before children: the order tables are written and checked in.
TABLE_ORDER = tuple(TABLES)


def ddl(table: Table) -> str:
    """CREATE TABLE statement for a template table (identifiers from this module only)."""
    cols = ",\n    ".join(f"{c.name} {c.sql_type}" for c in table.columns)
    return f"create table if not exists {table.name} (\n    {cols}\n)"


# Per-import snapshots of the projects (pmo/review.py writes them, the Review page compares
# two): every project column plus these columns of its latest status report.
SNAPSHOT_TABLE = "pmo_snapshots_projects"
SNAPSHOT_REPORT_COLUMNS = (
    ("report_date", "DATE"),
    ("percent_complete", "DOUBLE"),
    ("cpi", "DOUBLE"),
    ("spi", "DOUBLE"),
    ("rag", "VARCHAR"),
    ("forecast_end_date", "DATE"),
    ("rating", "VARCHAR"),  # as reported (five-point words kept): the Review compares it
)


def snapshot_ddl() -> str:
    """CREATE TABLE for the snapshots: import_id, every project column, latest RAG/forecast."""
    cols = [f"{c.name} {c.sql_type}" for c in TABLES["projects"].columns]
    cols += [f"{name} {sql_type}" for name, sql_type in SNAPSHOT_REPORT_COLUMNS]
    return f"create table if not exists {SNAPSHOT_TABLE} (import_id integer, {', '.join(cols)})"


# Every name SQL text may be built with: the template tables, their columns, each table's undo
# log (pmo_undo_<table>, pmo_touched_<table>) and the keys of an upload (upload_keys_<table>),
# the snapshots, the importer's temporary tables and the streamed importer's (pmo.ingest.stream
# takes its names from here) with the columns it adds. Values never go into SQL text.
STAGING_TABLES = ("incoming", "staged", "touched", "leaving")
STREAM_TABLES = tuple(
    f"pmo_stream_{name}"
    for name in (
        *("raw", "rows", "dups", "keyed", "drop", "suspects", "gone", "hashes"),
        *("candidates", "totals", "unknown", "map"),
    )
)
STREAM_COLUMNS = ("__row", "__first", "__lines")
IDENTIFIERS = frozenset(
    {t.name for t in TABLES.values()}
    | {c.name for t in TABLES.values() for c in t.columns}
    | {f"{kind}_{t}" for t in TABLES for kind in ("pmo_undo", "pmo_touched", "upload_keys")}
    | {SNAPSHOT_TABLE, LEFT_ON, *STAGING_TABLES, *STREAM_TABLES, *STREAM_COLUMNS}
    | {name for name, _ in SNAPSHOT_REPORT_COLUMNS}
)
# The names the streamed importer generates, one per file column or template column: a raw
# text column (c0, c1 ...), a column's map of parsed cells (pmo_stream_m0 ...), and a template
# column's flags and cell (__bad_hours, __blank_hours, __cell_hours: the column in IDENTIFIERS).
GENERATED = re.compile(r"(?:c|pmo_stream_m)\d{1,4}|__(?:bad|blank|cell)_(?P<column>[a-z_]+)")


def known_name(name: object) -> bool:
    """Whether ``name`` may go into SQL text: one of IDENTIFIERS, or a GENERATED name (whose
    column part, if any, is one of IDENTIFIERS)."""
    if not isinstance(name, str):
        return False
    if name in IDENTIFIERS:
        return True
    generated = GENERATED.fullmatch(name)
    return bool(generated) and generated["column"] in (None, *IDENTIFIERS)


def status_literals(statuses: tuple[str, ...]) -> str:
    """``'Active', 'On Hold'``: statuses as SQL string literals, each one of STATUSES.

    Raises ValueError for any other value: like the names of ``sql``, only the schema's fixed
    statuses go into SQL text (for the status macros, which cannot take a bound parameter).
    """
    unknown = sorted(str(s) for s in statuses if s not in STATUSES)
    if unknown or not statuses:
        raise ValueError(f"not a PMO Lens status: {', '.join(unknown) or '(none given)'}")
    return ", ".join(f"'{s}'" for s in statuses)


def rating_point_list() -> str:
    """``['Red', 'Amber/Red', 'Amber', 'Amber/Green', 'Green']``: RATING_POINTS from level 1 up,
    as an SQL list for the rating_point macro (queries/macros/ratings.sql); fixed words only."""
    for point in RATING_POINTS:
        if not point.replace("/", "").isalpha():
            raise ValueError(f"not a plain rating point: {point!r}")
    return "[" + ", ".join(f"'{p}'" for p in reversed(RATING_POINTS)) + "]"


def rating_synonym_cases() -> str:
    """``when 'amber red' then 2 ...``: each word of RATING_SYNONYMS with the level of its point
    on the five-point scale (Red 1 ... Green 5), for the rating_level macro
    (queries/macros/ratings.sql). The words are the schema's own, checked to be plain lower-case
    letters and spaces, so the text holds no user value."""
    levels = {point: len(RATING_POINTS) - i for i, point in enumerate(RATING_POINTS)}
    cases = []
    for word, point in RATING_SYNONYMS.items():
        if not word.replace(" ", "").isalpha() or not word.islower():
            raise ValueError(f"not a plain rating word: {word!r}")
        cases.append(f"when '{word}' then {levels[point]}")
    return " ".join(cases)


class SQL(str):
    """SQL text made by ``sql`` (its names checked): it may fill a slot of another ``sql``."""


@dataclass(frozen=True)
class Qualified:
    """Column names under a one-letter table alias, for ``sql``: ``Qualified("p", cols)`` fills
    in as ``p.a, p.b``."""

    alias: str
    names: tuple[str, ...]


def sql(template: str, **names: str | Iterable[str] | Qualified | SQL | int) -> SQL:
    """SQL text with table and column names filled in (``{table}``); each must be a known name.

    A known name is one of IDENTIFIERS or matches GENERATED (``c0``, ``pmo_stream_m3``,
    ``__bad_hours``: the streamed importer's generated names; see ``known_name``), one rule.
    A list of names fills in as ``a, b, c``; ``Qualified("p", names)`` as ``p.a, p.b``; an SQL
    made by this function (or ``join``) as it is; an int (not a bool) as its digits, for the
    one place a bound parameter cannot go (a view's text). Raises ValueError for any other
    name: only the schema's fixed identifiers and types go into SQL text; every value is a
    bound $parameter.
    """
    filled = {}
    for slot, value in names.items():
        if isinstance(value, SQL):
            filled[slot] = value
            continue
        if type(value) is int:
            filled[slot] = str(value)
            continue
        alias = ""
        if isinstance(value, Qualified):
            if not (len(value.alias) == 1 and value.alias.isalpha()):
                raise ValueError(f"not a table alias: {value.alias!r}")
            alias, value = f"{value.alias}.", value.names
        parts = [value] if isinstance(value, str) else list(value)
        unknown = sorted(str(n) for n in parts if not known_name(n))
        if unknown or not parts:
            raise ValueError(f"not a PMO Lens table or column: {', '.join(unknown) or '(none)'}")
        filled[slot] = ", ".join(alias + n for n in parts)
    return SQL(template.format(**filled))


def join(parts: Iterable[SQL], sep: str = ", ") -> SQL:
    """Pieces made by ``sql`` joined by ``sep`` (", ", " and ", " or ", " || ' / ' || ", " ")."""
    parts = list(parts)
    if not all(isinstance(p, SQL) for p in parts):
        raise ValueError("only SQL made by schema.sql can be joined")
    if sep not in (", ", " and ", " or ", " || ' / ' || ", " || ' ' || ", " "):
        raise ValueError(f"not a separator: {sep!r}")
    return SQL(sep.join(parts))
