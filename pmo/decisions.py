"""The review's decisions and actions (issue 21): recorded in the app, edited, listed.

A decision (stop X, move budget to Y) or an action (hire for Z, owner and due date) is one
row of the ``decisions`` table (pmo/schema.py), the same table an import fills. Rows recorded
here get a generated decision_id (D-0001, D-0002, ...), who recorded them and when (UTC), and
the comparison that was in view on the Review page. Undo reverts imports only: a row recorded
here is never removed by undoing an import (see _keep_out_of_undo).

Pages call these through app_data.require_editor() first; the functions themselves check
values, never roles.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import duckdb

from pmo import schema, store

if TYPE_CHECKING:
    import pandas as pd

STATUSES = schema.DECISION_STATUSES
OPEN = "Open"
MAX_TITLE = 200
MAX_DETAIL = 2000
MAX_SHORT = 200  # owner, comparison
ID_PREFIX = "D-"
_ID_NUMBER = re.compile(r"^D-(\d+)$")


def _text(value: object, what: str, limit: int, *, required: bool = False) -> str | None:
    """Trimmed text (inner runs of spaces kept, ends stripped); ValueError when too long/empty."""
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise ValueError(f"Give the {what}.")
        return None
    if len(text) > limit:
        raise ValueError(f"The {what} is at most {limit} characters (it has {len(text)}).")
    return text


def _date(value: object, what: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"The {what} must be a date (YYYY-MM-DD), not {value!r}.") from None


def project_list(value: object) -> list[str]:
    """A project_ids cell as a list: 'P1, P2' -> ['P1', 'P2'] (blanks and repeats dropped)."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    out: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in out:
            out.append(text)
    return out


def check_status(status: object) -> str:
    """The status as stored (Open, Done, Dropped; case-insensitive); ValueError otherwise."""
    text = str(status or "").strip().lower()
    for s in STATUSES:
        if s.lower() == text:
            return s
    raise ValueError(f"Status must be one of {', '.join(STATUSES)}, not {status!r}.")


def last_review_date(as_of: dt.date | None) -> dt.date | None:
    """The date of the last monthly review before ``as_of``: the end of the previous month.

    The same 'from' the Review page and queries/review_changes.sql default to, so "since the
    last review" means the same everywhere.
    """
    if as_of is None:
        return None
    return as_of.replace(day=1) - dt.timedelta(days=1)


def _now() -> str:
    """The recording time as stored: UTC, to the second ('2026-11-29 13:45:02 UTC')."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def next_id(con: duckdb.DuckDBPyConnection) -> str:
    """The next generated id: D- and one more than the highest D-number stored (D-0001 first)."""
    rows = con.execute(
        "select max(try_cast(regexp_extract(decision_id, '^D-(\\d+)$', 1) as bigint)) from decisions"
    ).fetchall()
    highest = rows[0][0] or 0
    return f"{ID_PREFIX}{highest + 1:04d}"


def _check_projects(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    if not ids:
        return
    known = {
        r[0]
        for r in con.execute(
            "select project_id from projects where list_contains($ids, project_id)", {"ids": ids}
        ).fetchall()
    }
    unknown = [p for p in ids if p not in known]
    if unknown:
        raise ValueError(f"No project with id {', '.join(unknown)}; choose projects from the list.")


def _keep_out_of_undo(con: duckdb.DuckDBPyConnection) -> None:
    """Make sure undoing an import never removes a row recorded in the app.

    An import that finds a table empty marks that with a row of null keys in its touched log,
    and undo then empties the table. Once the app records a decision, that marker would also
    delete the recorded one: replace it with the keys the import actually wrote (every row
    stored now, since nothing was recorded between that import and this first recording).
    """
    marked = con.execute(
        "select distinct import_id from pmo_touched_decisions where decision_id is null"
    ).fetchall()
    for (import_id,) in marked:
        con.execute(
            "delete from pmo_touched_decisions where import_id = $id and decision_id is null",
            {"id": import_id},
        )
        con.execute(
            "insert into pmo_touched_decisions select $id, decision_id from decisions",
            {"id": import_id},
        )


def record(
    db: str | os.PathLike | None,
    *,
    title: str,
    date: dt.date | str | None = None,
    detail: str | None = None,
    project_ids: Iterable[str] | str | None = None,
    owner: str | None = None,
    due_date: dt.date | str | None = None,
    status: str = OPEN,
    comparison: str | None = None,
    recorded_by: str | None = None,
) -> str:
    """Record a decision or action; returns its generated decision_id.

    ``date`` defaults to today; ``project_ids`` must be stored projects; ``comparison`` is the
    review in view ('import #3 → import #4 · All projects'). ValueError (nothing written)
    names the field to fix.
    """
    row = {
        "date": _date(date, "decision date") or dt.date.today(),
        "title": _text(title, "title", MAX_TITLE, required=True),
        "detail": _text(detail, "detail", MAX_DETAIL),
        "owner": _text(owner, "owner", MAX_SHORT),
        "due_date": _date(due_date, "due date"),
        "status": check_status(status),
        "comparison": _text(comparison, "comparison", MAX_SHORT * 2),
        "recorded_by": recorded_by or os.environ.get("USER") or "local",
        "recorded_at": _now(),
    }
    ids = project_list(project_ids)
    row["project_ids"] = ", ".join(ids) or None
    if row["date"] > dt.date.today():
        raise ValueError(f"The decision date ({row['date']:%-d %b %Y}) is in the future.")
    if row["due_date"] and row["due_date"] < row["date"]:
        raise ValueError(
            f"The due date ({row['due_date']:%-d %b %Y}) is before the decision date "
            f"({row['date']:%-d %b %Y})."
        )
    with store.connect(db, write=True) as con:
        con.execute("begin transaction")
        try:
            _check_projects(con, ids)
            _keep_out_of_undo(con)
            row["decision_id"] = next_id(con)
            cols = schema.TABLES["decisions"].column_names
            con.execute(
                schema.sql("insert into decisions ({cols}) ", cols=cols)
                + f"values ({', '.join('$' + c for c in cols)})",  # $parameters, one per column
                {c: row[c] for c in cols},
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return row["decision_id"]


def update_status(db: str | os.PathLike | None, decision_id: str, status: str) -> bool:
    """Set a decision's status (Open, Done, Dropped); False when there is no such decision."""
    status = check_status(status)
    with store.connect(db, write=True) as con:
        found = con.execute(
            "select count(*) from decisions where decision_id = $id", {"id": decision_id}
        ).fetchall()[0][0]
        if not found:
            return False
        con.execute(
            "update decisions set status = $status where decision_id = $id",
            {"status": status, "id": decision_id},
        )
    return True


def display(log: pd.DataFrame) -> pd.DataFrame:
    """The log (queries/decisions.sql rows) with a ``state`` column for reading:
    "Overdue (11 days)" for an overdue action, else the status."""
    import pandas as pd

    days = pd.to_numeric(log["days_overdue"], errors="coerce")
    state = [
        f"Overdue ({int(n)} day{'s' if int(n) != 1 else ''})" if bool(late) and n == n else str(st)
        for st, late, n in zip(log["status"], log["overdue"].fillna(False), days, strict=True)
    ]
    # Stored as '2026-11-29 16:41:00 UTC' (or as an import wrote it): read as '29 Nov 2026, 16:41 UTC'.
    stamp = pd.to_datetime(
        log["recorded_at"].astype("string").str.removesuffix(" UTC"), errors="coerce"
    )
    recorded = [
        f"{t.day} {t:%b %Y, %H:%M} UTC" if not pd.isna(t) else raw
        for t, raw in zip(stamp, log["recorded_at"], strict=True)
    ]
    return log.assign(state=state, recorded_at=recorded)


def labels(log: pd.DataFrame) -> dict[str, str]:
    """{decision_id: "D-0003 · title (Open)"} for a picker, in the log's order."""
    out = {}
    for row in log.itertuples(index=False):
        title = " ".join(str(row.title).split())
        short = title if len(title) <= 70 else title[:69] + "…"
        out[str(row.decision_id)] = f"{row.decision_id} · {short} ({row.status})"
    return out


def open_actions(log: pd.DataFrame) -> pd.DataFrame:
    """The open rows of the log (display() columns), most overdue first as the query orders."""
    return display(log[log["status"] == OPEN]).reset_index(drop=True)
