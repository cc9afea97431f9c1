"""Per-import snapshots of the projects, so the Review page can compare any two imports.

Each import records, inside its own transaction, the state of every project after it: the
project columns plus the latest status report's RAG and forecast finish. queries/review_imports.sql
compares two snapshots; undoing an import drops its snapshot. The kinds of change a review
shows (from either two imports or two as-of dates) and their counts are defined here once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from pmo import schema

if TYPE_CHECKING:  # pmo.store imports this module: pandas stays off the `pmo kpis` path
    import pandas as pd

SNAPSHOT_TABLE = schema.SNAPSHOT_TABLE

# change_kind values of review_imports / review_changes, in the order the page shows them,
# with the words a reader sees.
KINDS = {
    "new": "New projects",
    "closed": "Closed projects",
    "status": "Status changes",
    "rag_better": "RAG better",
    "rag_worse": "RAG worse",
    "end_date_slip": "Planned end date moves",
    "forecast_slip": "Forecast finish moves",
    "budget": "Budget changes",
}
SLIP_KINDS = ("end_date_slip", "forecast_slip")


def snapshot(con: duckdb.DuckDBPyConnection, import_id: int) -> int:
    """Record every stored project's state as of the end of import ``import_id``; return rows.

    Call inside the import's transaction, after its tables are written. The RAG and forecast
    are those of each project's latest status report (the evm_at rule), as the data stood then.
    """
    con.execute(schema.snapshot_ddl())
    con.execute(
        schema.sql("delete from {t} where import_id = $id", t=SNAPSHOT_TABLE), {"id": import_id}
    )
    project_cols = [c.name for c in schema.TABLES["projects"].columns]
    report_cols = [name for name, _ in schema.SNAPSHOT_REPORT_COLUMNS]
    # Columns named: a database made before a column was added has it last (pmo.store).
    con.execute(
        schema.sql(
            "insert into {t} (import_id, {projects}, {reports}) "
            "select $id, {p_cols}, {e_cols} "
            "from projects as p "
            "left join evm_at(null, []::varchar[], []::varchar[], []::varchar[], []::varchar[])"
            " as e on p.project_id = e.project_id",
            t=SNAPSHOT_TABLE,
            projects=project_cols,
            reports=report_cols,
            p_cols=schema.Qualified("p", tuple(project_cols)),
            e_cols=schema.Qualified("e", tuple(report_cols)),
        ),
        {"id": import_id},
    )
    rows = con.execute(
        schema.sql("select count(*) from {t} where import_id = $id", t=SNAPSHOT_TABLE),
        {"id": import_id},
    ).fetchall()
    return int(rows[0][0])


def drop_snapshot(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Forget the snapshot of an import that is being undone."""
    con.execute(schema.snapshot_ddl())
    con.execute(
        schema.sql("delete from {t} where import_id = $id", t=SNAPSHOT_TABLE), {"id": import_id}
    )


def counts(changes: pd.DataFrame) -> dict[str, int]:
    """Rows per change_kind (every kind present, 0 when none) plus ``slipped_projects``.

    ``changes`` has the columns of review_imports / review_changes. ``slipped_projects``
    counts the projects whose planned end or forecast finish moved later (a pull-in is a
    date change, not a slip); a project with both counts once.
    """
    import pandas as pd

    if changes.empty:
        return {**dict.fromkeys(KINDS, 0), "slipped_projects": 0}
    kinds = changes["change_kind"]
    out = {kind: int((kinds == kind).sum()) for kind in KINDS}
    later = kinds.isin(SLIP_KINDS) & (pd.to_numeric(changes["delta_days"]) > 0)
    out["slipped_projects"] = int(changes.loc[later, "project_id"].nunique())
    return out


def of_kind(changes: pd.DataFrame, *kinds: str) -> pd.DataFrame:
    """The rows of ``changes`` of the given kinds, without the change_kind column."""
    rows = changes[changes["change_kind"].isin(kinds)]
    return rows.drop(columns=["change_kind"]).reset_index(drop=True)


# What a review by as-of dates can see: the projects table keeps no history, so status,
# planned end and budget changes need two imports (see queries/review_changes.sql).
DATE_KINDS = ("new", "closed", "rag_better", "rag_worse", "forecast_slip")


def display(changes: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The rows of one kind as a table: project_id, name, before, after and the delta that
    matters for the kind (delta_days for date moves; budgets as numbers with delta_amount)."""
    import pandas as pd

    rows = of_kind(changes, kind)
    cols = ["project_id", "name", "before", "after"]
    if kind in SLIP_KINDS:
        cols.append("delta_days")
    elif kind == "budget":
        rows = rows.assign(
            before=pd.to_numeric(rows["before"], errors="coerce"),
            after=pd.to_numeric(rows["after"], errors="coerce"),
        )
        cols.append("delta_amount")
    return rows[cols]


def previous_month_end(day: object) -> object:
    """The last day of the month before ``day`` (the default 'from' of a review by dates)."""
    import pandas as pd

    if day is None or (not isinstance(day, str) and pd.isna(day)):
        return None
    return (pd.Timestamp(day).replace(day=1) - pd.Timedelta(days=1)).date()
