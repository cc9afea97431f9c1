"""What the Strategic alignment page lists, decided here from the alignment queries."""

from __future__ import annotations

import pandas as pd

UNALIGNED_ID = "UNALIGNED"


def unaligned_projects(ranking: pd.DataFrame) -> pd.DataFrame:
    """In-portfolio projects that serve no objective (every score 0 or absent), largest first.

    ``ranking``: project_alignment rows. Columns: project_id, name, budget, status, portfolio,
    sponsor (budget early: the table is shown in a narrow column).
    """
    cols = ["project_id", "name", "budget", "status", "portfolio", "sponsor"]
    rows = ranking[
        ranking["in_portfolio"].fillna(False).astype(bool)
        & ~ranking["aligned"].fillna(False).astype(bool)
    ]
    return rows.sort_values(["budget", "project_id"], ascending=[False, True])[cols].reset_index(
        drop=True
    )


def unaligned_budget(investment: pd.DataFrame) -> float | None:
    """The budget of unaligned in-portfolio projects: investment_by_objective's UNALIGNED row."""
    row = investment[investment["objective_id"] == UNALIGNED_ID]
    return None if row.empty else float(row["invested_budget"].iloc[0])
