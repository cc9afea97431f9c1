"""Generate a large, deterministic portfolio in the upload format, for the benchmark.

At scale 1: 5,000 projects, 12 objectives, ~15,000 alignment rows, 2,000 people, 24 months
of allocations (100,000 rows), ~60,000 monthly status reports, milestones and benefits in ONE
workbook (bench/out/portfolio.xlsx), and 1,000,000 timesheet rows (bench/out/timesheets.csv).

    python bench/generate.py [--scale 1.0] [--timesheet-days 10] [--seed N] [--out bench/out]

Scales of issue 20: `--scale 5` (25,000 projects, 5,000,000 timesheet rows) and
`--scale 5 --timesheet-days 20` (10,000,000 timesheet rows).

Everything is drawn from seeded numpy generators, so the same seed and scale give the same
files. Every row references ids that exist. No key repeats, except in the timesheets: as in
real time-tracking exports, 0.1 % of bookings are split in two rows for the same person,
project and day (the import sums them), so an import stores the distinct keys
(`stored_counts`) and every hour written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SEED = 20261031
AS_OF = dt.date(2026, 10, 31)
N_MONTHS = 24  # allocations, timesheets and status reports cover Nov 2024 – Oct 2026
FIRST_MONTH = np.datetime64("2024-11", "M")
MONTHS = FIRST_MONTH + np.arange(N_MONTHS)  # datetime64[M]

# Sizes at scale 1.
N_PROJECTS = 5_000
N_OBJECTIVES = 12
N_RESOURCES = 2_000
N_ALLOCATIONS = 100_000
TIMESHEET_DAYS_PER_ALLOCATION = 10  # 100,000 x 10 = 1,000,000 timesheet rows
REPEATED_BOOKINGS = 0.001  # share of timesheet bookings split in two rows with the same key
REPORTS_PER_PROJECT = (6, 27)  # uniform in [6, 27): ~16 reports x ~3,800 reporting projects

STATUSES = ["Proposed", "Approved", "Active", "On Hold", "Completed", "Cancelled"]
STATUS_SHARE = [0.10, 0.10, 0.50, 0.08, 0.17, 0.05]
PORTFOLIOS = [
    "Digital Growth",
    "Customer Operations",
    "Technology Foundations",
    "Risk & Compliance",
    "Data & AI",
    "Workplace",
    "Supply Chain",
    "Finance Transformation",
]
BUSINESS_UNITS = [
    "Retail",
    "Commercial",
    "Operations",
    "Technology",
    "Corporate Services",
    "Wealth",
    "Insurance",
    "Group Functions",
    "International",
    "Marketing",
]
TEAMS = [
    "Platform Engineering",
    "Data & Analytics",
    "Digital Channels",
    "Infrastructure",
    "Security",
    "PMO",
    "Business Analysis",
    "Change & Training",
    "Finance Systems",
    "Architecture",
    "Quality Engineering",
    "Service Management",
]
ROLES = [
    "Developer",
    "Architect",
    "Data Engineer",
    "Business Analyst",
    "Project Manager",
    "Change Lead",
    "Tester",
    "Designer",
]
PERSPECTIVES = ["Financial", "Customer", "Internal", "Learning"]
FIRST = [
    "Ava",
    "Ben",
    "Cara",
    "Dev",
    "Ella",
    "Finn",
    "Gia",
    "Hugo",
    "Ines",
    "Jack",
    "Kira",
    "Leo",
    "Maya",
    "Nils",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Uma",
    "Vik",
    "Wren",
    "Yusuf",
    "Zoe",
    "Aria",
    "Bruno",
    "Cleo",
    "Dara",
    "Eli",
    "Noor",
    "Ivan",
]
LAST = [
    "Shah",
    "Nguyen",
    "Walsh",
    "Kowalski",
    "Haddad",
    "Ito",
    "Mensah",
    "Silva",
    "Novak",
    "Reid",
    "Bauer",
    "Costa",
    "Dalton",
    "Evans",
    "Farah",
    "Gupta",
    "Hart",
    "Lind",
    "Moreno",
    "Okafor",
]
WORDS = [
    "Platform",
    "Customer",
    "Data",
    "Payments",
    "Cloud",
    "Onboarding",
    "Analytics",
    "Risk",
    "Billing",
    "Network",
    "Identity",
    "Mobile",
    "Portal",
    "Reporting",
    "Supplier",
    "Workflow",
]
KINDS = ["Upgrade", "Migration", "Redesign", "Automation", "Rollout", "Consolidation", "Pilot"]
COMMENTS = {
    "Green": ["On track against plan.", "Sprint goals met; no blockers.", "Scope stable."],
    "Amber": [
        "Vendor delivery slipped two weeks.",
        "Test environment contention.",
        "Key role vacant; recruiting.",
    ],
    "Red": [
        "Critical defects in integration testing.",
        "Budget pressure from change requests.",
        "Go-live at risk; recovery plan drafted.",
    ],
}
MILESTONES = ["Business case approved", "Design complete", "Build complete", "Go-live"]
BENEFITS = ["Revenue uplift", "Cost savings", "Risk reduction", "Productivity"]


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    return np.array([f"{prefix}-{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def _month_end(months: np.ndarray) -> np.ndarray:
    """datetime64[M] -> the last day of each month, as datetime64[D]."""
    return (months + 1).astype("datetime64[D]") - 1


def _dates(days: np.ndarray) -> pd.Series:
    return pd.Series(days.astype("datetime64[ns]"))


def build(
    scale: float = 1.0, seed: int = SEED, timesheet_days: int = TIMESHEET_DAYS_PER_ALLOCATION
) -> dict[str, pd.DataFrame]:
    """Every table of the portfolio as DataFrames with the template's columns."""
    if not 1 <= timesheet_days <= 20:
        raise ValueError("timesheet_days: 1 to 20 (the weekdays of a month's first four weeks)")
    rng = np.random.default_rng(seed)
    n_projects = max(20, round(N_PROJECTS * scale))
    n_resources = max(10, round(N_RESOURCES * scale))
    n_alloc = max(100, round(N_ALLOCATIONS * scale))

    # Objectives: 12, weights 1-3, target shares summing to 1.
    obj_ids = _ids("OBJ", N_OBJECTIVES, 2)
    target = rng.dirichlet(np.full(N_OBJECTIVES, 4.0)).round(3)
    objectives = pd.DataFrame(
        {
            "objective_id": obj_ids,
            "name": [f"Objective {i}: {WORDS[i % len(WORDS)]} excellence" for i in range(1, 13)],
            "weight": rng.integers(1, 4, N_OBJECTIVES).astype(float),
            "target_share": target,
            "owner": [f"{FIRST[i]} {LAST[i]}" for i in range(N_OBJECTIVES)],
            "perspective": [PERSPECTIVES[i % 4] for i in range(N_OBJECTIVES)],
        }
    )

    # Projects. Reporting projects (Active, On Hold, Completed, Cancelled) have a run of
    # monthly status reports inside the 24 months, ending at their last report month.
    p_ids = _ids("PRJ", n_projects, 5)
    status = rng.choice(len(STATUSES), n_projects, p=STATUS_SHARE)
    reporting = status >= 2
    last_idx = np.full(n_projects, N_MONTHS - 1)
    last_idx[status == 3] -= rng.integers(0, 4, n_projects)[status == 3]  # some stale On Hold
    done = (status == 4) | (status == 5)
    last_idx[done] = rng.integers(6, N_MONTHS, n_projects)[done]
    n_reports = np.minimum(rng.integers(*REPORTS_PER_PROJECT, n_projects), last_idx + 1)
    n_reports[~reporting] = 0
    first_idx = last_idx - n_reports + 1
    first_month = MONTHS[np.clip(first_idx, 0, N_MONTHS - 1)]
    start = first_month.astype("datetime64[D]") - rng.integers(0, 60, n_projects)
    duration = rng.integers(9, 36, n_projects)  # months
    end = _month_end(first_month + duration)
    # Most in-flight projects finish after the as-of date; a few run late.
    running = (status == 2) | (status == 3)
    late = rng.random(n_projects) < 0.1
    finish = _month_end(MONTHS[-1] + rng.integers(1, 19, n_projects))
    end[running & ~late] = np.maximum(end, finish)[running & ~late]
    # Completed/Cancelled: the plan ended around the last report.
    end[done] = _month_end(MONTHS[last_idx[done]] + rng.integers(-2, 3, done.sum()))
    # Proposed/Approved start after the as-of date.
    future = ~reporting
    start[future] = (MONTHS[-1] + rng.integers(1, 9, future.sum())).astype("datetime64[D]")
    end[future] = _month_end(start[future].astype("datetime64[M]") + duration[future])
    actual_end = np.full(n_projects, np.datetime64("NaT"), dtype="datetime64[D]")
    completed = status == 4
    actual_end[completed] = end[completed] + rng.choice(
        [-20, -5, 0, 10, 45, 75], completed.sum()
    ).astype("timedelta64[D]")
    budget = np.round(np.exp(rng.normal(np.log(1.5e6), 1.0, n_projects)), -3)
    no_budget = rng.random(n_projects) < 0.01
    words = rng.integers(0, len(WORDS), (n_projects, 2))
    kind = rng.integers(0, len(KINDS), n_projects)
    projects = pd.DataFrame(
        {
            "project_id": p_ids,
            "name": [
                f"{WORDS[a]} {WORDS[b]} {KINDS[k]} {i + 1}"
                for i, (a, b, k) in enumerate(zip(words[:, 0], words[:, 1], kind, strict=True))
            ],
            "portfolio": np.array(PORTFOLIOS, dtype=object)[
                rng.integers(0, len(PORTFOLIOS), n_projects)
            ],
            "business_unit": np.array(BUSINESS_UNITS, dtype=object)[
                rng.integers(0, len(BUSINESS_UNITS), n_projects)
            ],
            "sponsor": [f"{FIRST[i]} {LAST[-1 - i]}" for i in rng.integers(0, 16, n_projects)],
            "manager": [
                None if m < 0 else f"{FIRST[m % len(FIRST)]} {LAST[m % len(LAST)]}"
                for m in np.where(
                    rng.random(n_projects) < 0.03, -1, rng.integers(0, 400, n_projects)
                )
            ],
            "status": np.array(STATUSES, dtype=object)[status],
            "start_date": _dates(start),
            "end_date": _dates(end),
            "actual_end_date": _dates(actual_end),
            "budget": np.where(no_budget, np.nan, budget),
            "expected_benefit": np.round(budget * rng.uniform(0.5, 3.5, n_projects), -3),
            "risk_score": rng.integers(1, 6, n_projects).astype(float),
        }
    )

    # Alignment: 0-6 distinct objectives per project (mean 3), scores 0-5.
    k = rng.integers(0, 7, n_projects)
    order = np.argsort(rng.random((n_projects, N_OBJECTIVES)), axis=1)
    take = np.arange(N_OBJECTIVES)[None, :] < k[:, None]
    proj_i, slot = np.nonzero(take)
    alignment = pd.DataFrame(
        {
            "project_id": p_ids[proj_i],
            "objective_id": obj_ids[order[proj_i, slot]],
            "score": np.where(
                slot == 0, rng.integers(3, 6, len(proj_i)), rng.integers(0, 5, len(proj_i))
            ),
        }
    )

    # Resources.
    r_ids = _ids("EMP", n_resources, 5)
    resources = pd.DataFrame(
        {
            "resource_id": r_ids,
            "name": [
                f"{FIRST[i % len(FIRST)]} {LAST[(i * 7 + i // len(FIRST)) % len(LAST)]} {i + 1}"
                for i in range(n_resources)
            ],
            "role": np.array(ROLES, dtype=object)[rng.integers(0, len(ROLES), n_resources)],
            "team": [
                None if t < 0 else TEAMS[t]
                for t in np.where(
                    rng.random(n_resources) < 0.01, -1, rng.integers(0, len(TEAMS), n_resources)
                )
            ],
            "capacity_hours": rng.choice([40.0, 40.0, 40.0, 37.5, 32.0, 24.0], n_resources),
            "cost_rate": rng.choice([65.0, 80.0, 95.0, 110.0, 125.0, 140.0], n_resources),
        }
    )

    # Allocations: unique (resource, project) pairs, each a run of consecutive months inside
    # the project's reporting window; runs are added until exactly n_alloc rows.
    staffed = np.nonzero(reporting)[0]
    window = n_reports[staffed]
    cand = rng.choice(staffed, n_alloc, p=window / window.sum())
    cand_res = rng.integers(0, n_resources, n_alloc)
    _, first = np.unique(cand * n_resources + cand_res, return_index=True)
    keep = np.sort(first)
    pair_p, pair_r = cand[keep], cand_res[keep]
    w = n_reports[pair_p]
    length = np.minimum(w, rng.integers(3, 13, len(pair_p)))
    offset = (rng.random(len(pair_p)) * (w - length + 1)).astype(int)
    cum = np.cumsum(length)
    n_pairs = int(np.searchsorted(cum, n_alloc)) + 1
    if n_pairs > len(pair_p):  # not enough months at this tiny scale: take what there is
        n_pairs = len(pair_p)
    length = length[:n_pairs].copy()
    length[-1] -= max(0, int(cum[n_pairs - 1]) - n_alloc)
    pair_p, pair_r, offset = pair_p[:n_pairs], pair_r[:n_pairs], offset[:n_pairs]
    row_pair = np.repeat(np.arange(n_pairs), length)
    within = np.arange(len(row_pair)) - np.repeat(np.cumsum(length) - length, length)
    month_idx = first_idx[pair_p][row_pair] + offset[row_pair] + within
    heavy = np.isin(resources["team"].to_numpy()[pair_r], ["Data & Analytics", "Security"])
    base = rng.choice([16.0, 24.0, 40.0, 60.0, 80.0], n_pairs) * np.where(heavy, 2.0, 1.0)
    hours = np.round(base[row_pair] * rng.uniform(0.8, 1.2, len(row_pair)) * 2) / 2
    allocations = pd.DataFrame(
        {
            "resource_id": r_ids[pair_r[row_pair]],
            "project_id": p_ids[pair_p[row_pair]],
            "month": _dates(MONTHS[month_idx].astype("datetime64[D]")),
            "hours": hours,
        }
    )

    # Timesheets: per allocation row, 10 distinct weekdays among the month's first 20,
    # hours near a tenth of the month's plan.
    n_days = timesheet_days
    weekdays = np.busday_offset(
        MONTHS.astype("datetime64[D]")[:, None], np.arange(20)[None, :], roll="forward"
    )
    pick = np.argsort(rng.random((len(allocations), 20)), axis=1)[:, :n_days]
    ts_row = np.repeat(np.arange(len(allocations)), n_days)
    ts_day = weekdays[month_idx[ts_row], pick.ravel()]
    ts_hours = np.round(hours[ts_row] / n_days * rng.uniform(0.6, 1.3, len(ts_row)), 1)
    ts_hours = np.maximum(ts_hours, 0.5)
    timesheets = pd.DataFrame(
        {
            "resource_id": allocations["resource_id"].to_numpy()[ts_row],
            "project_id": allocations["project_id"].to_numpy()[ts_row],
            "date": np.datetime_as_string(ts_day, unit="D"),
            "hours": ts_hours,
        }
    )

    # Status reports: month-end reports with EVM drawn from each project's CPI and SPI.
    rp = np.nonzero(n_reports > 0)[0]
    rep_p = np.repeat(rp, n_reports[rp])
    k_in = np.arange(len(rep_p)) - np.repeat(
        np.cumsum(n_reports[rp]) - n_reports[rp], n_reports[rp]
    )
    rep_date = _month_end(MONTHS[first_idx[rep_p] + k_in])
    span = (end[rep_p] - start[rep_p]).astype(float)
    elapsed = np.clip((rep_date - start[rep_p]).astype(float) / span, 0, 1)
    cpi_base = rng.normal(1.0, 0.08, n_projects)
    spi_base = rng.normal(0.98, 0.08, n_projects)
    drift = np.where(rng.random(n_projects) < 0.1, 0.02, 0.0)[rep_p] * k_in
    spi = np.maximum(0.5, spi_base[rep_p] - drift)
    cpi = np.maximum(0.55, cpi_base[rep_p] - drift * 0.8)
    bac = budget[rep_p]
    pct = np.minimum(100.0, np.round(elapsed * spi * 100, 1))
    last_of_completed = completed[rep_p] & (k_in == n_reports[rep_p] - 1)
    pct[last_of_completed] = 100.0
    ev = np.round(bac * pct / 100, 2)
    pv = np.round(bac * elapsed, 2)
    ac = np.round(ev / cpi, 2)
    worst = np.minimum(cpi, spi)
    rag_names = np.array(["Green", "Amber", "Red"], dtype=object)
    rag_i = np.where(worst >= 0.95, 0, np.where(worst >= 0.85, 1, 2))
    n_rep = len(rep_p)
    comment_pick = rng.integers(0, 3, n_rep)
    status_reports = pd.DataFrame(
        {
            "project_id": p_ids[rep_p],
            "report_date": _dates(rep_date),
            "percent_complete": pct,
            "planned_value": np.where(k_in % 7 == 3, np.nan, pv),  # some PVs left to derive
            "earned_value": np.where(k_in % 5 == 2, np.nan, ev),  # some EVs left to derive
            "actual_cost": ac,
            "rag_overall": np.where(rng.random(n_rep) < 0.1, None, rag_names[rag_i]),
            "rag_schedule": rag_names[np.where(spi >= 0.95, 0, np.where(spi >= 0.85, 1, 2))],
            "rag_budget": rag_names[np.where(cpi >= 0.95, 0, np.where(cpi >= 0.85, 1, 2))],
            "rag_scope": rag_names[(rng.random(n_rep) > 0.85).astype(int)],
            "forecast_end_date": _dates(
                end[rep_p] + np.maximum(0, (1 - spi) * span).astype(int).astype("timedelta64[D]")
            ),
            "comment": [
                COMMENTS[rag_names[r]][c] for r, c in zip(rag_i, comment_pick, strict=True)
            ],
        }
    )

    # Milestones: four per reporting project, some slipped.
    ms_p = np.repeat(rp, len(MILESTONES))
    ms_k = np.tile(np.arange(len(MILESTONES)), len(rp))
    baseline = start[ms_p] + ((end[ms_p] - start[ms_p]).astype(int) * (ms_k + 1) // 4).astype(
        "timedelta64[D]"
    )
    slip = rng.choice([0, 0, 0, 7, 14, 30, 60], len(ms_p)).astype("timedelta64[D]")
    forecast = baseline + slip
    as_of = np.datetime64(AS_OF)
    actual = np.where(forecast <= as_of, forecast, np.datetime64("NaT"))
    milestones = pd.DataFrame(
        {
            "project_id": p_ids[ms_p],
            "milestone": np.array(MILESTONES, dtype=object)[ms_k],
            "baseline_date": _dates(baseline),
            "forecast_date": _dates(forecast),
            "actual_date": _dates(actual.astype("datetime64[D]")),
        }
    )

    # Benefits: two for about half the reporting projects.
    with_benefits = rp[rng.random(len(rp)) < 0.5]
    b_p = np.repeat(with_benefits, 2)
    b_k = np.tile([0, 1], len(with_benefits)) + 2 * rng.integers(0, 2, len(with_benefits)).repeat(2)
    b_date = _month_end(end[b_p].astype("datetime64[M]") + rng.integers(-6, 4, len(b_p)))
    planned = np.round(
        projects["expected_benefit"].to_numpy()[b_p] * rng.uniform(0.2, 0.5, len(b_p)), -3
    )
    realised = np.where(
        b_date <= as_of,
        np.round(planned * rng.choice([0.45, 0.7, 0.9, 1.0, 1.1], len(b_p)), -3),
        np.nan,
    )
    benefits = pd.DataFrame(
        {
            "project_id": p_ids[b_p],
            "benefit": np.array(BENEFITS, dtype=object)[b_k],
            "planned_value": planned,
            "realized_value": realised,
            "date": _dates(b_date),
        }
    )

    return {
        "objectives": objectives,
        "projects": projects,
        "alignment": alignment,
        "resources": resources,
        "allocations": allocations,
        "status_reports": status_reports,
        "milestones": milestones,
        "benefits": benefits,
        "timesheets": repeat_some_bookings(timesheets, seed),
    }


def repeat_some_bookings(
    timesheets: pd.DataFrame, seed: int = SEED, share: float = REPEATED_BOOKINGS
) -> pd.DataFrame:
    """Split ``share`` of the bookings in two rows with the same key (issue 20).

    A time-tracking export lists two bookings of one person on one project on one day as two
    rows; the importer sums them. Each second row follows its first (so any first N lines of
    the file have their share of repeats), its hours taken from the first: the summed hours
    equal the unsplit ones. A generator of its own, so the other tables stay as before.
    """
    rng = np.random.default_rng(seed + 20)
    n = len(timesheets)
    picked = np.sort(rng.choice(n, size=round(n * share), replace=False))
    hours = timesheets["hours"].to_numpy().copy()
    first = np.maximum(0.1, np.round(hours[picked] * rng.uniform(0.3, 0.7, len(picked)), 1))
    first = np.minimum(first, hours[picked])
    second = np.round(hours[picked] - first, 1)
    keep = second > 0  # a booking of 0.1 h stays whole
    hours[picked[keep]] = first[keep]
    extra = timesheets.iloc[picked[keep]].assign(hours=second[keep])
    order = np.argsort(np.concatenate([np.arange(n), picked[keep]]), kind="stable")
    out = pd.concat([timesheets.assign(hours=hours), extra], ignore_index=True)
    out = out.iloc[order].reset_index(drop=True)
    out.attrs["distinct_keys"] = n  # the generated keys are unique before the split
    return out


def stored_counts(frames: dict[str, pd.DataFrame]) -> dict[str, int]:
    """The rows an import stores per table: its distinct keys (repeated keys are summed)."""
    return {
        name: int(frame.attrs.get("distinct_keys", len(frame))) for name, frame in frames.items()
    }


# Sheet names and headers as people write them (matched by the importer's synonyms).
SHEETS = {
    "objectives": (
        "Objectives",
        ["Objective ID", "Objective", "Weight", "Target %", "Owner", "Perspective"],
    ),
    "projects": (
        "Projects",
        [
            "Project ID",
            "Project Name",
            "Portfolio",
            "Business Unit",
            "Sponsor",
            "Project Manager",
            "Status",
            "Start Date",
            "Planned Finish",
            "Actual Finish",
            "Budget",
            "Expected Benefit",
            "Risk Score",
        ],
    ),
    "alignment": ("Alignment", ["Project ID", "Objective ID", "Score"]),
    "resources": (
        "Resources",
        ["Resource ID", "Name", "Role", "Team", "Capacity Hours", "Cost Rate"],
    ),
    "allocations": ("Allocations", ["Resource ID", "Project ID", "Month", "Planned Hours"]),
    "status_reports": (
        "Status Reports",
        [
            "Project ID",
            "Report Date",
            "% Complete",
            "PV",
            "EV",
            "AC",
            "RAG",
            "Schedule RAG",
            "Budget RAG",
            "Scope RAG",
            "Forecast Finish",
            "Comment",
        ],
    ),
    "milestones": (
        "Milestones",
        ["Project ID", "Milestone", "Baseline Date", "Forecast Date", "Actual Date"],
    ),
    "benefits": ("Benefits", ["Project ID", "Benefit", "Planned Value", "Realized Value", "Date"]),
}
TIMESHEET_HEADERS = ["Employee ID", "Project ID", "Work Date", "Hours"]
EXCEL_EPOCH = np.datetime64("1899-12-30")


def _cells(series: pd.Series) -> tuple[list, bool]:
    """A column as Python cells (None for blank) and whether they are dates."""
    if pd.api.types.is_datetime64_any_dtype(series):
        days = series.to_numpy().astype("datetime64[D]")
        serial = (days - EXCEL_EPOCH).astype("int64").astype(float).tolist()
        blank = np.isnat(days).tolist()
        return [None if b else s for b, s in zip(blank, serial, strict=True)], True
    if pd.api.types.is_float_dtype(series) or pd.api.types.is_integer_dtype(series):
        return [None if v != v else v for v in series.astype(float).tolist()], False
    return [None if v is None or v != v else v for v in series.tolist()], False


def write_workbook(frames: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per table, a title row above the headers, dates as real date cells."""
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    wb.set_properties({"created": dt.datetime(2026, 11, 1)})  # fixed: same bytes every run
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    bold = wb.add_format({"bold": True})
    for table, (sheet, headers) in SHEETS.items():
        frame = frames[table]
        ws = wb.add_worksheet(sheet)
        ws.write_string(0, 0, f"Contoso Group — {sheet} (PMO export, as of {AS_OF:%d %b %Y})")
        ws.write_row(2, 0, headers, bold)
        columns = [_cells(frame[c]) for c in frame.columns]
        writers = []
        for c, (_, is_date) in enumerate(columns):
            if is_date:
                writers.append((c, lambda r, c, v, ws=ws: ws.write_number(r, c, v, date_fmt)))
            elif pd.api.types.is_numeric_dtype(frame.iloc[:, c]):
                writers.append((c, ws.write_number))
            else:
                writers.append((c, ws.write_string))
        for r, row in enumerate(zip(*(cells for cells, _ in columns), strict=True), start=3):
            for (c, write), v in zip(writers, row, strict=True):
                if v is not None:
                    write(r, c, v)
    wb.close()


def write_timesheets(frame: pd.DataFrame, path: Path) -> None:
    """The timesheets as one UTF-8 CSV with the headers a time-tracking export has."""
    frame.set_axis(TIMESHEET_HEADERS, axis=1).to_csv(path, index=False, float_format="%g")


def generate(
    out: Path = OUT,
    scale: float = 1.0,
    seed: int = SEED,
    timesheet_days: int = TIMESHEET_DAYS_PER_ALLOCATION,
) -> dict[str, object]:
    """Write portfolio.xlsx and timesheets.csv into ``out``; return their paths, the rows
    written per table (counts) and the rows an import stores (stored: distinct keys)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    frames = build(scale, seed, timesheet_days)
    workbook, csv = out / "portfolio.xlsx", out / "timesheets.csv"
    write_workbook(frames, workbook)
    write_timesheets(frames["timesheets"], csv)
    return {
        "workbook": workbook,
        "timesheets": csv,
        "counts": {t: len(f) for t, f in frames.items()},
        "stored": stored_counts(frames),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: python bench/generate.py [--scale S] [--seed N] [--out DIR]."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 5,000 projects (default)")
    parser.add_argument(
        "--timesheet-days",
        type=int,
        default=TIMESHEET_DAYS_PER_ALLOCATION,
        help="booked days per allocation row, 1-20 (default 10; 20 at scale 5 = "
        "10,000,000 timesheet rows)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default bench/out)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    result = generate(args.out, args.scale, args.seed, args.timesheet_days)
    for table, n in result["counts"].items():
        stored = result["stored"][table]
        print(f"{table:15} {n:>10,}" + (f"  ({stored:,} distinct keys)" if stored != n else ""))
    for key in ("workbook", "timesheets"):
        p = result[key]
        print(f"{p}  {p.stat().st_size / 1e6:.1f} MB")
    print(f"generated in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
