"""What the Roadmap page, the Overview's exceptions and the pack show of the roadmap and risk
queries (issue 17): the Gantt's rows (grouped, ordered, the largest N at scale), its milestones
and links, the risk lists and the sentences that sum them up. No KPI is computed here: slack,
exposure, bands and flags come from SQL (queries/roadmap.sql, dependency_links.sql,
risk_register.sql); this module only selects, orders and words them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pmo import format

# The Gantt stays readable (about 22 px a row) up to this many projects; beyond it the
# largest by budget are drawn, with a note.
DEFAULT_LIMIT = 60
PACK_LIMIT = 25  # a slide has room for fewer rows

GROUPS = {"portfolio": "Portfolio", "objective": "Objective", "business_unit": "Business unit"}
NO_GROUP = {
    "portfolio": "(no portfolio)",
    "objective": "(no objective)",
    "business_unit": "(no business unit)",
}


@dataclass(frozen=True)
class GanttData:
    """The frames the Gantt is drawn from, and the note on what was left out."""

    bars: pd.DataFrame  # one row per project drawn: row, group, dates, rag, label
    headers: pd.DataFrame  # one row per group: row, group, label
    milestones: pd.DataFrame  # row, milestone, baseline_date, forecast_date
    links: pd.DataFrame  # from_row, to_row, from_date, to_date, at_risk, tooltip text
    shown: int
    in_view: int
    undated: int
    note: str | None

    @property
    def rows(self) -> list[str]:
        """Every y-axis key, top to bottom."""
        return sorted([*self.bars["row"], *self.headers["row"]])


def _key(i: int, kind: str, label: str) -> str:
    # Zero-padded order, kind (G group, P project) and the label the axis shows; the axis
    # strips the first two parts (charts: split(datum.value, '|')[2]).
    return f"{i:05d}|{kind}|{label.replace('|', '/')}"


def _days(value: object) -> str:
    n = int(value)
    return f"{n:+d} day{'s' if abs(n) != 1 else ''}"


def gantt_data(
    road: pd.DataFrame,
    milestones: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
    group_by: str = "portfolio",
    limit: int = DEFAULT_LIMIT,
) -> GanttData:
    """The Gantt's rows from the roadmap query: projects with both dates, grouped by
    ``group_by`` (groups in name order, the blank group last), each group by start date then
    name; beyond ``limit`` projects the largest by budget (budget_rank) are kept.

    ``milestones``: milestone_slip rows; ``links``: dependency_links rows. Only those whose
    projects are drawn are kept (a link needs both ends).
    """
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPS)}")
    in_view = len(road)
    dated = road.dropna(subset=["start_date", "end_date"])
    undated = in_view - len(dated)
    if len(dated) > limit:
        dated = dated.nsmallest(limit, "budget_rank")
    data = dated.assign(group=dated[group_by].fillna(NO_GROUP[group_by]).astype(str))
    data = data.assign(_blank=data[group_by].isna())
    data = data.sort_values(["_blank", "group", "start_date", "name", "project_id"], kind="stable")
    keys, headers, i = [], [], 0
    for group, members in data.groupby(["_blank", "group"], sort=False):
        budget = members["budget"].sum(min_count=1)
        n = len(members)
        label = f"{group[1]} · {n} project{'s' if n != 1 else ''}, {format.money(budget)}"
        headers.append({"row": _key(i, "G", label), "group": group[1], "label": label})
        i += 1
        for name in members["name"].astype(str):
            keys.append(_key(i, "P", name))
            i += 1
    bars = data.drop(columns="_blank").assign(row=keys).reset_index(drop=True)
    bars["extends"] = bars["finish_date"].notna() & (bars["finish_date"] > bars["end_date"])
    bars["label_date"] = bars[["end_date", "finish_date"]].max(axis=1)
    bars["rag_label"] = [
        rag + (f" · {_days(s)}" if ext and pd.notna(s) else "")
        for rag, s, ext in zip(bars["rag"], bars["slip_days"], bars["extends"], strict=True)
    ]
    row_of = dict(zip(bars["project_id"], bars["row"], strict=True))

    ms = pd.DataFrame(
        columns=["row", "project_name", "milestone", "baseline_date", "forecast_date"]
    )
    if milestones is not None and not milestones.empty:
        mine = milestones[milestones["project_id"].isin(row_of)]
        ms = mine.assign(
            row=mine["project_id"].map(row_of),
            forecast_date=mine["actual_date"].fillna(mine["forecast_date"]),
        )[["row", "project_name", "milestone", "baseline_date", "forecast_date"]].reset_index(
            drop=True
        )

    ln = pd.DataFrame(columns=["from_row", "to_row", "from_date", "to_date", "at_risk", "what"])
    if links is not None and not links.empty:
        both = links[links["project_id"].isin(row_of) & links["depends_on"].isin(row_of)]
        both = both.dropna(subset=["predecessor_date", "needed_by"])
        ln = pd.DataFrame(
            {
                "from_row": both["depends_on"].map(row_of),
                "to_row": both["project_id"].map(row_of),
                "from_date": both["predecessor_date"],
                "to_date": both["needed_by"],
                "at_risk": both["at_risk"].astype(bool).map({True: "At risk", False: "On track"}),
                "what": [link_sentence(r) for r in both.itertuples(index=False)],
                "slack_days": both["slack_days"],
            }
        ).reset_index(drop=True)

    shown = len(bars)
    parts = []
    if shown < in_view - undated:
        parts.append(f"The largest {shown:,} of {in_view - undated:,} projects by budget")
    if undated:
        parts.append(
            f"{undated:,} project{'s' if undated != 1 else ''} without a start or end "
            "date not drawn"
        )
    note = "; ".join(parts) + "." if parts else None
    return GanttData(
        bars,
        pd.DataFrame(headers, columns=["row", "group", "label"]),
        ms,
        ln,
        shown,
        in_view,
        undated,
        note,
    )


def link_sentence(link) -> str:
    """'Core Banking Upgrade waits 45 days on Data Centre Exit (finish-to-start)' or, with slack,
    '… needs Data Centre Exit (finish-to-start): 15 days of slack'. ``link``: a
    dependency_links row (attribute access)."""
    what = link.link if link.link != "milestone" else f"milestone “{link.milestone}”"
    slack = link.slack_days
    if pd.isna(slack):
        return f"{link.project_name} needs {link.predecessor_name} ({what}): a date is missing"
    slack = int(slack)
    if slack < 0:
        return (
            f"{link.project_name} waits {-slack} day{'s' if slack != -1 else ''} on "
            f"{link.predecessor_name} ({what})"
        )
    return (
        f"{link.project_name} needs {link.predecessor_name} ({what}): "
        f"{slack} day{'s' if slack != 1 else ''} of slack"
    )


def dependencies_takeaway(at_risk: pd.DataFrame) -> str:
    """'3 dependencies at risk: Core Banking Upgrade waits 45 days on Data Centre Exit.' from
    dependencies_at_risk rows (longest wait first)."""
    n = len(at_risk)
    if n == 0:
        return "No dependency is at risk: every predecessor is forecast to be ready in time."
    top = at_risk.iloc[0]
    days = int(top["days_waiting"])
    return (
        f"{n} dependenc{'ies' if n != 1 else 'y'} at risk: {top['project_name']} waits "
        f"{days} day{'s' if days != 1 else ''} on {top['predecessor_name']}."
    )


def roadmap_takeaway(road: pd.DataFrame, at_risk: pd.DataFrame, as_of: object) -> str:
    """The roadmap slide's sentence: what lands in the next two quarters, what slipped, and
    the worst wait."""
    if road.empty:
        return "No project in view."
    day = pd.Timestamp(as_of) if as_of is not None and not pd.isna(as_of) else pd.Timestamp.today()
    horizon = day + pd.DateOffset(months=6)
    finish = pd.to_datetime(road["finish_date"])
    landing = road[(finish > day) & (finish <= horizon) & (road["status"] != "Completed")]
    slipped = road[(road["slip_days"] > 0) & (road["status"] != "Completed")]
    return (
        f"{len(landing)} project{'s' if len(landing) != 1 else ''} finish by "
        f"{horizon:%b %Y}; {len(slipped)} forecast to finish late. "
        + dependencies_takeaway(at_risk)
    )


def open_risks(register: pd.DataFrame, scope: str | None = None) -> pd.DataFrame:
    """Open risks of risk_register (already highest exposure first), of one scope ('Project',
    'Portfolio') or both."""
    rows = register[register["is_open"].astype(bool)]
    if scope:
        rows = rows[rows["scope"] == scope]
    return rows.reset_index(drop=True)


def high_risks(register: pd.DataFrame) -> pd.DataFrame:
    """Open risks in the High band (exposure ≥ 15), highest exposure first: the Overview's
    exception list."""
    rows = open_risks(register)
    return rows[rows["band"] == "High"].reset_index(drop=True)


def overdue_risks(register: pd.DataFrame) -> pd.DataFrame:
    """Open risks past their due date, longest overdue first."""
    rows = register[register["overdue"].fillna(False).astype(bool)]
    return rows.sort_values(
        ["days_overdue", "exposure", "risk_id"], ascending=[False, False, True]
    ).reset_index(drop=True)


def risks_takeaway(register: pd.DataFrame) -> str:
    """The risk slide's sentence: open high risks, overdue, the top risk with its owner."""
    live = open_risks(register)
    if live.empty:
        return "No open risk in view."
    high = int((live["band"] == "High").sum())
    overdue = len(overdue_risks(register))
    top = live.iloc[0]
    owner = (
        f"owner {top['owner']}"
        if isinstance(top["owner"], str) and top["owner"].strip()
        else "no owner named"
    )
    where = top["project_name"] if isinstance(top["project_name"], str) else "portfolio-wide"
    return (
        f"{high} open high risk{'s' if high != 1 else ''} (exposure ≥ 15) and {overdue} "
        f"overdue of {len(live)} open; the largest: “{top['title']}” ({where}, "
        f"{int(top['probability'])} × {int(top['impact'])} = {int(top['exposure'])}, "
        f"{owner})."
    )
