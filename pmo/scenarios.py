"""Prioritisation scenarios (weights, budget cap, selected projects) saved by name.

Stored in the pmo_scenarios table (pmo/store.py): name, weights (JSON), budget_cap, selection
(JSON list of project ids), saved_at, saved_by, and view: the sidebar filters it was made
under, in words (pmo.filters.describe), since its selection is optimal for those projects only.
Saving a name again replaces that scenario.
"""

from __future__ import annotations

import json
import os

from pmo import prioritise, store

MAX_NAME = 80


def clean_name(name: str | None) -> str:
    """The name as stored: trimmed, inner whitespace collapsed; ValueError when empty/too long."""
    text = " ".join(str(name or "").split())
    if not text:
        raise ValueError("Give the scenario a name.")
    if len(text) > MAX_NAME:
        raise ValueError(f"Scenario names are at most {MAX_NAME} characters.")
    return text


def save(
    db: str | os.PathLike | None,
    name: str,
    weights: dict[str, float],
    budget_cap: float,
    selection: list[str] | tuple[str, ...],
    saved_by: str | None = None,
    view: str | None = None,
    constraints: dict | None = None,
    filters: dict | None = None,
) -> str:
    """Save (or replace) the scenario called ``name``; returns the stored name.

    ``constraints``: selection.Constraints.to_dict() (every constraint, on or off, and the
    pins); ``filters``: the sidebar filters and as-of date (issue 15)."""
    name = clean_name(name)
    with store.connect(db, write=True) as con:
        con.execute("begin transaction")
        try:
            con.execute("delete from pmo_scenarios where name = $name", {"name": name})
            con.execute(
                "insert into pmo_scenarios "
                "(name, weights, budget_cap, selection, saved_at, saved_by, view, constraints, "
                "filters) values ($name, $weights, $cap, $selection, now()::timestamp, $user, "
                "$view, $constraints, $filters)",
                {
                    "name": name,
                    "weights": prioritise.weights_json(weights),
                    "cap": None if budget_cap is None else float(budget_cap),
                    "selection": json.dumps([str(p) for p in selection]),
                    "user": saved_by or os.environ.get("USER") or "local",
                    "view": view,
                    "constraints": None if constraints is None else json.dumps(constraints),
                    "filters": None if filters is None else json.dumps(filters, default=str),
                },
            )
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    return name


def delete(db: str | os.PathLike | None, name: str) -> None:
    """Remove the scenario called ``name`` (nothing happens when there is none)."""
    with store.connect(db, write=True) as con:
        con.execute("delete from pmo_scenarios where name = $name", {"name": name})


def _json(text: object) -> dict | None:
    return json.loads(text) if isinstance(text, str) and text else None


def parse(rows: list[dict]) -> list[dict]:
    """Rows of queries/scenarios.sql as dicts with weights (dict) and selection (list) decoded.

    view is the text it was made under, or None (saved before views were kept).
    """
    out = []
    for row in rows:
        view = row.get("view")
        out.append(
            {
                **row,
                "weights": json.loads(row.get("weights") or "{}"),
                "selection": json.loads(row.get("selection") or "[]"),
                "view": view if isinstance(view, str) and view else None,
                "constraints": _json(row.get("constraints")),
                "filters": _json(row.get("filters")),
            }
        )
    return out
