"""Generate data/demo_portfolio.xlsx: a deterministic, realistic demo portfolio.

Run `python data/make_demo.py` to rebuild it. The workbook uses the upload template's sheets
and headers, so it loads through the same import code users use.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import sys
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parent / "demo_portfolio.xlsx"
# The two monthly exports before OUT's (issue 14: the demo is a monthly cycle of snapshots).
MONTHLY_DIR = Path(__file__).resolve().parent / "demo"
AS_OF = dt.date(2026, 10, 31)
SEED = 20261031

OBJECTIVES = [
    ("OBJ-1", "Grow digital revenue", 3, 0.25, "Chief Digital Officer", "Financial"),
    ("OBJ-2", "Improve customer experience", 3, 0.20, "Chief Customer Officer", "Customer"),
    ("OBJ-3", "Reduce cost to serve", 2, 0.20, "Chief Operating Officer", "Financial"),
    ("OBJ-4", "Strengthen security and compliance", 2, 0.15, "Chief Risk Officer", "Internal"),
    ("OBJ-5", "Modernise core platforms", 2, 0.15, "Chief Technology Officer", "Internal"),
    ("OBJ-6", "Build data and AI capability", 1, 0.05, "Chief Data Officer", "Learning"),
]

PORTFOLIOS = {
    "Digital Growth": ["OBJ-1", "OBJ-2", "OBJ-6"],
    "Customer Operations": ["OBJ-2", "OBJ-3"],
    "Technology Foundations": ["OBJ-5", "OBJ-4", "OBJ-3"],
    "Risk & Compliance": ["OBJ-4", "OBJ-3"],
}
BUSINESS_UNITS = [
    "Retail Banking",
    "Commercial Banking",
    "Operations",
    "Technology",
    "Corporate Services",
]
SPONSORS = [
    "Amelia Hart",
    "Rajesh Menon",
    "Claire Dubois",
    "Tom Okafor",
    "Sofia Lindqvist",
    "Marcus Webb",
    "Hannah Cho",
    "Diego Alvarez",
]
MANAGERS = [
    "Priya Nair",
    "James O'Connor",
    "Lena Fischer",
    "Samuel Adeyemi",
    "Grace Kim",
    "Oliver Grant",
    "Isabel Moreno",
    "Ethan Brooks",
    "Aisha Rahman",
    "Noah Petersen",
    "Chloe Martin",
    "Daniel Wu",
    "Fatima Zahra",
    "Lucas Rossi",
    "Mia Jensen",
]

PROJECT_NAMES = {
    "Digital Growth": [
        "Mobile App Redesign",
        "Online Mortgage Journey",
        "Personalised Offers Engine",
        "Digital Onboarding 2.0",
        "Open Banking APIs",
        "Wealth Portal Launch",
        "Chatbot Assistant",
        "Small Business Digital Lending",
        "Customer Data Platform",
        "Marketing Analytics Hub",
        "Card Controls in App",
        "Savings Goals Feature",
    ],
    "Customer Operations": [
        "Contact Centre Cloud Migration",
        "Complaints Handling Workflow",
        "Branch Appointment Booking",
        "Document Digitisation",
        "Payments Exceptions Automation",
        "Customer Feedback Loop",
        "Collections Strategy Refresh",
        "Field Service Scheduling",
        "Process Mining Pilot",
        "Self-Service Address Change",
        "Back-Office Robotics Wave 2",
    ],
    "Technology Foundations": [
        "Core Banking Upgrade",
        "Data Centre Exit",
        "Identity and Access Modernisation",
        "Enterprise Data Warehouse Retirement",
        "Network Refresh",
        "Observability Platform",
        "API Gateway Consolidation",
        "Mainframe Cost Reduction",
        "Developer Platform",
        "ERP Finance Upgrade",
        "Disaster Recovery Uplift",
        "Cloud Landing Zone",
        "Legacy CRM Decommission",
    ],
    "Risk & Compliance": [
        "Anti-Money Laundering Monitoring",
        "Operational Resilience Programme",
        "GDPR Records Cleanup",
        "Regulatory Reporting Automation",
        "Third-Party Risk Register",
        "Fraud Detection Models",
        "Cyber Security Awareness",
        "Basel IV Capital Calculator",
        "Privileged Access Vault",
        "Model Risk Inventory",
    ],
}

TEAMS = {
    "Platform Engineering": ["Developer", "Architect"],
    "Data & Analytics": ["Data Engineer", "Business Analyst"],
    "Digital Channels": ["Developer", "Business Analyst"],
    "Infrastructure": ["Developer", "Architect"],
    "Security": ["Architect", "Developer"],
    "PMO": ["Project Manager"],
    "Business Analysis": ["Business Analyst"],
    "Change & Training": ["Change Lead"],
}
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
]

MONTHS = pd.date_range("2025-07-01", periods=18, freq="MS")


def month_end(d: dt.date) -> dt.date:
    """The last day of d's month."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: dt.date, n: int) -> dt.date:
    """d moved by n months, kept to the month's length."""
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def build(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """All sheets of the demo workbook as DataFrames (template columns)."""
    rng = random.Random(seed)
    objectives = pd.DataFrame(
        OBJECTIVES,
        columns=["objective_id", "name", "weight", "target_share", "owner", "perspective"],
    )

    # Status mix: every status present, most projects in flight.
    statuses = (
        ["Proposed"] * 6
        + ["Approved"] * 6
        + ["Active"] * 22
        + ["On Hold"] * 4
        + ["Completed"] * 6
        + ["Cancelled"] * 2
    )
    rng.shuffle(statuses)
    projects, alignment = [], []
    pid = 100
    all_names = [(pf, n) for pf, names in PORTFOLIOS.items() for n in PROJECT_NAMES[pf]][
        : len(statuses)
    ]
    for (portfolio, name), status in zip(all_names, statuses, strict=True):
        pid += 1
        project_id = f"PRJ-{pid}"
        budget = rng.choice([0.35, 0.6, 0.8, 1.2, 1.5, 2.4, 3.1, 4.5, 6.0, 8.5]) * 1e6
        budget = round(budget * rng.uniform(0.85, 1.15), -3)
        if status in ("Completed", "Cancelled"):
            start = dt.date(2024, rng.randint(1, 12), 1)
            end = add_months(start, rng.randint(9, 20))
        elif status in ("Active", "On Hold"):
            start = (
                dt.date(2025, rng.randint(1, 12), 1)
                if rng.random() < 0.8
                else dt.date(2026, rng.randint(1, 4), 1)
            )
            end = add_months(start, rng.randint(12, 26))
        else:
            start = dt.date(2026, 12, 1) + dt.timedelta(days=31 * rng.randint(0, 5))
            start = start.replace(day=1)
            end = add_months(start, rng.randint(9, 18))
        end = month_end(end)
        actual_end = None
        if status == "Completed":
            actual_end = end + dt.timedelta(days=rng.choice([-20, -5, 0, 10, 45, 75]))
        manager = rng.choice(MANAGERS) if rng.random() > 0.08 else None
        benefit = round(budget * rng.uniform(0.6, 3.2), -3)
        projects.append(
            {
                "project_id": project_id,
                "name": name,
                "portfolio": portfolio,
                "business_unit": rng.choice(BUSINESS_UNITS),
                "sponsor": rng.choice(SPONSORS),
                "manager": manager,
                "status": status,
                "start_date": start,
                "end_date": end,
                "actual_end_date": actual_end,
                "budget": budget,
                "expected_benefit": benefit,
                "risk_score": rng.randint(1, 5),
            }
        )
        # Alignment: most projects serve 1-3 objectives, mostly their portfolio's.
        if rng.random() < 0.1:
            continue  # unaligned
        objs = list(PORTFOLIOS[portfolio])
        rng.shuffle(objs)
        for k, obj in enumerate(objs[: rng.randint(1, 3)]):
            alignment.append(
                {
                    "project_id": project_id,
                    "objective_id": obj,
                    "score": max(1, 5 - k - rng.randint(0, 2)),
                }
            )
    projects_df = pd.DataFrame(projects)

    # Resources: 60 people in 8 teams, 6 roles.
    resources = []
    team_names = list(TEAMS)
    for i in range(60):
        team = team_names[i % len(team_names)]
        role = rng.choice(TEAMS[team])
        resources.append(
            {
                "resource_id": f"EMP-{1001 + i}",
                "name": f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}",
                "role": role,
                "team": team if i != 59 else None,
                "capacity_hours": rng.choice([40, 40, 40, 40, 37.5, 32, 24]),
                "cost_rate": rng.choice([65, 80, 95, 110, 125, 140]),
            }
        )
    resources_df = pd.DataFrame(resources)

    # Allocations: people on running projects; Data & Analytics and Security overcommitted.
    running = projects_df[projects_df.status.isin(["Active", "On Hold", "Approved", "Completed"])]
    alloc = {}
    for _, p in running.iterrows():
        team_pool = resources_df.sample(n=rng.randint(3, 6), random_state=rng.randint(0, 10**6))
        for _, r in team_pool.iterrows():
            base = rng.choice([20, 32, 40, 60, 80])
            if r.team in ("Data & Analytics", "Security"):
                base *= 2.2
            for m in MONTHS:
                md = m.date()
                if md < p.start_date.replace(day=1) or md > p.end_date:
                    continue
                if p.status == "On Hold" and md > dt.date(2026, 6, 1):
                    continue
                key = (r.resource_id, p.project_id, md)
                alloc[key] = alloc.get(key, 0) + round(base * rng.uniform(0.8, 1.2))
    allocations = pd.DataFrame(
        [
            {"resource_id": k[0], "project_id": k[1], "month": k[2], "hours": v}
            for k, v in alloc.items()
        ]
    )

    # Timesheets: weekly bookings (Fridays) up to the as-of date, near the plan.
    ts = []
    for (res, proj, month), hours in alloc.items():
        fridays = [
            d for d in pd.date_range(month, month_end(month), freq="W-FRI") if d.date() <= AS_OF
        ]
        for d in fridays:
            booked = round(hours / 4.33 * rng.uniform(0.7, 1.15), 1)
            if booked > 0:
                ts.append(
                    {"resource_id": res, "project_id": proj, "date": d.date(), "hours": booked}
                )
    timesheets = pd.DataFrame(ts)

    # Status reports: month-end, from start to the as-of date (or actual end).
    reports, milestones, benefits = [], [], []
    deteriorating = set(rng.sample(list(projects_df.project_id[projects_df.status == "Active"]), 5))
    for _, p in projects_df.iterrows():
        if p.status in ("Proposed", "Approved"):
            continue
        last = min(AS_OF, p.actual_end_date or p.end_date, month_end(p.end_date))
        if p.status == "Cancelled":
            last = add_months(p.start_date, 6)
        dates = []
        d = month_end(p.start_date)
        while d <= last:
            dates.append(d)
            d = month_end(add_months(d, 1))
        duration = (p.end_date - p.start_date).days
        cpi_base = rng.uniform(0.92, 1.08)
        spi_base = rng.uniform(0.9, 1.05)
        for k, d in enumerate(dates):
            elapsed = min(1.0, max(0.0, (d - p.start_date).days / duration))
            drift = 0.0
            if p.project_id in deteriorating:
                drift = 0.03 * k
            spi = max(0.5, spi_base - drift)
            cpi = max(0.55, cpi_base - drift * 0.8)
            pv = round(p.budget * elapsed, 2)
            pct = min(100.0, round(elapsed * spi * 100, 1))
            if p.status == "Completed" and d == dates[-1]:
                pct = 100.0
            ev = p.budget * pct / 100
            ac = round(ev / cpi, 2)
            worst = min(cpi, spi)
            rag = "Green" if worst >= 0.95 else "Amber" if worst >= 0.85 else "Red"
            row = {
                "project_id": p.project_id,
                "report_date": d,
                "percent_complete": pct,
                "planned_value": pv if k % 7 != 3 else None,  # some PVs left to derive
                "earned_value": round(ev, 2) if k % 5 != 2 else None,  # some EVs derived
                "actual_cost": ac,
                "rag_overall": rag,
                "rag_schedule": "Green" if spi >= 0.95 else "Amber" if spi >= 0.85 else "Red",
                "rag_budget": "Green" if cpi >= 0.95 else "Amber" if cpi >= 0.85 else "Red",
                "rag_scope": "Green" if rng.random() < 0.85 else "Amber",
                "forecast_end_date": p.end_date
                + dt.timedelta(days=int(max(0, (1 - spi) * duration))),
                "comment": _comment(rng, rag, p.name),
            }
            if p.project_id.endswith(("3", "7")) and k % 2:
                row["rag_overall"] = None  # overall left to the dimension RAGs
            reports.append(row)
        # Milestones: 4 per project, some slipped.
        for i, ms in enumerate(
            ["Business case approved", "Design complete", "Build complete", "Go-live"]
        ):
            base = p.start_date + dt.timedelta(days=int(duration * (i + 1) / 4))
            slip = (
                rng.choice([0, 0, 0, 7, 14, 30, 60])
                if p.project_id not in deteriorating
                else 30 * (i + 1)
            )
            forecast = base + dt.timedelta(days=slip)
            actual = forecast if forecast <= AS_OF and p.status != "On Hold" else None
            milestones.append(
                {
                    "project_id": p.project_id,
                    "milestone": ms,
                    "baseline_date": base,
                    "forecast_date": forecast,
                    "actual_date": actual,
                }
            )
        if rng.random() < 0.7:
            for b in rng.sample(
                ["Revenue uplift", "Cost savings", "Risk reduction", "Productivity"], 2
            ):
                planned = round(p.expected_benefit * rng.uniform(0.2, 0.5), -3)
                date = month_end(add_months(p.end_date, rng.randint(-6, 3)))
                realised = None
                if date <= AS_OF or p.status == "Completed":
                    realised = round(planned * rng.choice([0.45, 0.7, 0.9, 1.0, 1.1]), -3)
                benefits.append(
                    {
                        "project_id": p.project_id,
                        "benefit": b,
                        "planned_value": planned,
                        "realized_value": realised,
                        "date": date,
                    }
                )

    reports = _rag_moves(pd.DataFrame(reports))
    sheets = {
        "Objectives": objectives,
        "Projects": projects_df,
        "Alignment": pd.DataFrame(alignment),
        "Resources": resources_df,
        "Allocations": allocations,
        "Timesheets": timesheets,
        "Status Reports": reports,
        "Benefits": pd.DataFrame(benefits),
        "Milestones": pd.DataFrame(milestones),
        **roadmap_sheets(projects_df, seed),  # issue 17: dependencies and risks
        **strategy_sheets(seed),  # issue 18: key results and their measurements
        "Decisions": demo_decisions(projects_df, pd.DataFrame(reports)),  # issue 21
    }
    forecast_history(sheets, seed)  # issue 16: a reference class, noisy histories, a late project
    return sheets


# ------------------------------------------------------------------ forecast history (issue 16)
# The probabilistic forecast draws from history; the demo gets enough of it to mean something:
# - a reference class: nine more completed projects (PRJ-160 … PRJ-168, finished 2024–2026)
#   with final costs and actual finish dates, overrunning by REFERENCE's ratios;
# - period-to-period variation in the in-flight projects' reports (spend and progress month
#   by month, ±6–8 %), so their own histories give a range, not a point;
# - Model Risk Inventory (PRJ-146) began reporting only in September (two reports: the
#   reference class forecasts it);
# - Core Banking Upgrade (PRJ-124), planned to finish 30 Jun 2026, still Active in October and
#   reporting monthly: 76 % of planned pace throughout, so SPI climbs back to 0.93 once its
#   planned end has passed (PV = BAC) while SPI(t) stays near 0.74 — forecast finish Dec 2026.
# Ratings are left as reported (no change to the months' RAG movement), budgets and the
# in-flight set are unchanged (the scorecard's investment shares stay as designed).
REFERENCE = [
    # id, name, portfolio, start, planned months, budget, cost ratio, duration ratio
    (
        "PRJ-160",
        "Branch Network Consolidation",
        "Customer Operations",
        dt.date(2023, 2, 1),
        14,
        2.1e6,
        1.08,
        1.20,
    ),
    (
        "PRJ-161",
        "Card Platform Migration",
        "Technology Foundations",
        dt.date(2023, 4, 1),
        18,
        5.4e6,
        1.22,
        1.35,
    ),
    (
        "PRJ-162",
        "Treasury System Upgrade",
        "Risk & Compliance",
        dt.date(2023, 6, 1),
        12,
        1.3e6,
        1.02,
        1.05,
    ),
    (
        "PRJ-163",
        "HR Payroll Replacement",
        "Technology Foundations",
        dt.date(2023, 9, 1),
        15,
        2.8e6,
        1.15,
        1.25,
    ),
    (
        "PRJ-164",
        "Data Loss Prevention Rollout",
        "Risk & Compliance",
        dt.date(2024, 1, 1),
        10,
        0.9e6,
        0.97,
        1.00,
    ),
    (
        "PRJ-165",
        "Customer Portal Refresh",
        "Digital Growth",
        dt.date(2024, 2, 1),
        12,
        1.6e6,
        1.05,
        1.10,
    ),
    (
        "PRJ-166",
        "Credit Decision Engine",
        "Digital Growth",
        dt.date(2024, 4, 1),
        16,
        3.9e6,
        1.31,
        1.45,
    ),
    (
        "PRJ-167",
        "Email Platform Migration",
        "Technology Foundations",
        dt.date(2024, 6, 1),
        9,
        0.6e6,
        1.00,
        0.95,
    ),
    (
        "PRJ-168",
        "Loan Origination Revamp",
        "Customer Operations",
        dt.date(2024, 5, 1),
        14,
        2.4e6,
        1.12,
        1.15,
    ),
]
LATE_PROJECT, LATE_PACE = "PRJ-124", 0.76
# A project that began reporting only in September: two status reports, too few for its own
# history, so it draws from the reference class.
YOUNG_PROJECT, YOUNG_COSTED_FROM = "PRJ-146", dt.date(2026, 9, 30)


def forecast_history(sheets: dict[str, pd.DataFrame], seed: int = SEED) -> None:
    """Issue 16's additions to the demo, in place (see the notes above REFERENCE)."""
    rng = random.Random(seed + 16)
    projects, reports = sheets["Projects"], sheets["Status Reports"]

    # The reference class: completed projects reported monthly to their actual finish.
    new_projects, new_reports = [], []
    for pid, name, portfolio, start, months, budget, cost_ratio, time_ratio in REFERENCE:
        end = month_end(add_months(start, months - 1))
        planned = (end - start).days
        actual_end = start + dt.timedelta(days=round(planned * time_ratio))
        if actual_end > dt.date(2026, 7, 31):  # finished before the demo's snapshots
            raise ValueError(f"{pid} would finish after the demo's first snapshot")
        new_projects.append(
            {
                "project_id": pid,
                "name": name,
                "portfolio": portfolio,
                "business_unit": rng.choice(BUSINESS_UNITS),
                "sponsor": rng.choice(SPONSORS),
                "manager": rng.choice(MANAGERS),
                "status": "Completed",
                "start_date": start,
                "end_date": end,
                "actual_end_date": actual_end,
                "budget": budget,
                "expected_benefit": round(budget * rng.uniform(0.8, 2.5), -3),
                "risk_score": rng.randint(1, 5),
            }
        )
        rag = (
            "Green"
            if cost_ratio < 1.05 and time_ratio < 1.1
            else "Amber"
            if cost_ratio < 1.2
            else "Red"
        )
        d = month_end(start)
        dates = []
        while d < actual_end:
            dates.append(d)
            d = month_end(add_months(d, 1))
        dates.append(actual_end)
        for d in dates:
            done = min(1.0, (d - start).days / (actual_end - start).days)
            wobble = 1.0 if d == actual_end else rng.uniform(0.94, 1.06)
            new_reports.append(
                {
                    "project_id": pid,
                    "report_date": d,
                    "percent_complete": round(done * 100, 1),
                    "planned_value": round(budget * min(1.0, (d - start).days / planned), 2),
                    "earned_value": round(budget * done, 2),
                    "actual_cost": round(budget * done * cost_ratio * wobble, 2),
                    "rag_overall": rag,
                    "rag_schedule": "Green" if time_ratio < 1.1 else "Amber",
                    "rag_budget": "Green" if cost_ratio < 1.05 else "Amber",
                    "rag_scope": "Green",
                    "forecast_end_date": actual_end,
                    "comment": "Closed; lessons learned recorded."
                    if d == actual_end
                    else _comment(rng, rag, name),
                }
            )

    # Month-to-month variation in the in-flight projects' spend and progress.
    in_flight = set(projects.project_id[projects.status.isin(["Active", "On Hold"])]) - {
        LATE_PROJECT
    }
    reports = reports.sort_values(["project_id", "report_date"]).reset_index(drop=True)
    for pid in sorted(in_flight):
        rows = reports.index[reports.project_id == pid]
        ac = reports.loc[rows, "actual_cost"].astype(float).to_numpy()
        pct = reports.loc[rows, "percent_complete"].astype(float).to_numpy()
        if len(rows) < 2 or pct[-1] >= 100:
            continue
        d_ac = [ac[0]] + [b - a for a, b in zip(ac[:-1], ac[1:], strict=True)]
        d_pct = [pct[0]] + [b - a for a, b in zip(pct[:-1], pct[1:], strict=True)]
        ac_new, pct_new, a, c = [], [], 0.0, 0.0
        for x, y in zip(d_ac, d_pct, strict=True):
            a += max(x, 0) * rng.lognormvariate(0, 0.07)
            c += max(y, 0) * rng.lognormvariate(0, 0.08)
            ac_new.append(round(a, 2))
            pct_new.append(min(round(c, 1), 99.0))
        budget = float(projects.budget[projects.project_id == pid].iloc[0])
        reports.loc[rows, "actual_cost"] = ac_new
        reports.loc[rows, "percent_complete"] = pct_new
        reported_ev = reports.loc[rows, "earned_value"].notna()
        reports.loc[rows[reported_ev], "earned_value"] = [
            round(budget * p / 100, 2) for p in pd.Series(pct_new, index=rows)[reported_ev]
        ]

    # The late project: monthly to the as-of date at 76 % of planned pace (± a little).
    late = projects[projects.project_id == LATE_PROJECT].iloc[0]
    mine = reports[reports.project_id == LATE_PROJECT].sort_values("report_date")
    template = mine.iloc[-1].to_dict()
    planned = (late.end_date - late.start_date).days
    d, dates = month_end(late.start_date), []
    while d <= AS_OF:
        dates.append(d)
        d = month_end(add_months(d, 1))
    late_rows, earned, spent = [], 0.0, 0.0
    for d in dates:
        done = LATE_PACE * (d - late.start_date).days / planned * rng.uniform(0.97, 1.03)
        earned = max(earned, min(done, 0.95))
        spent = max(spent, late.budget * earned / (0.94 * rng.uniform(0.97, 1.03)))
        old = mine[mine.report_date == d]
        row = old.iloc[0].to_dict() if len(old) else dict(template)
        row.update(
            {
                "report_date": d,
                "percent_complete": round(earned * 100, 1),
                "planned_value": round(
                    late.budget * min(1.0, (d - late.start_date).days / planned), 2
                ),
                "earned_value": round(late.budget * earned, 2),
                "actual_cost": round(spent, 2),
            }
        )
        if not len(old):
            row["forecast_end_date"] = dt.date(2026, 11, 30)
            row["comment"] = "Cutover re-planned; final data migration under way."
        late_rows.append(row)
    reports = reports[reports.project_id != LATE_PROJECT]
    # Its milestones agree: go-live not reached, forecast mid-December.
    ms = sheets["Milestones"]
    go_live = (ms.project_id == LATE_PROJECT) & (ms.milestone == "Go-live")
    ms.loc[go_live, ["forecast_date", "actual_date"]] = [dt.date(2026, 12, 15), None]
    young = (reports.project_id == YOUNG_PROJECT) & (reports.report_date < YOUNG_COSTED_FROM)
    reports = reports[~young]
    sheets["Projects"] = pd.concat([projects, pd.DataFrame(new_projects)], ignore_index=True)
    sheets["Status Reports"] = (
        pd.concat([reports, pd.DataFrame(late_rows), pd.DataFrame(new_reports)], ignore_index=True)
        .sort_values(["project_id", "report_date"])
        .reset_index(drop=True)
    )


# ------------------------------------------------------------------------------------------------
# Issue 17: dependencies and the risk register (roadmap page). Its own random stream, so the
# sheets above stay exactly as they were.

# (dependent, predecessor, predecessor's milestone or None, type). Four end up at risk at the
# as-of date because the predecessor slipped or starts late: API Gateway Consolidation waits on
# Privileged Access Vault's go-live, Enterprise Data Warehouse Retirement on Regulatory
# Reporting Automation, Complaints Handling Workflow on Payments Exceptions Automation's build,
# Field Service Scheduling on Cloud Landing Zone's start.
DEMO_DEPENDENCIES = [
    ("API Gateway Consolidation", "Privileged Access Vault", "Go-live", None),
    (
        "Enterprise Data Warehouse Retirement",
        "Regulatory Reporting Automation",
        None,
        "finish-to-start",
    ),
    ("Enterprise Data Warehouse Retirement", "Mainframe Cost Reduction", "Build complete", None),
    ("Complaints Handling Workflow", "Payments Exceptions Automation", "Build complete", None),
    ("Field Service Scheduling", "Cloud Landing Zone", None, "start-to-start"),
    ("Back-Office Robotics Wave 2", "Process Mining Pilot", None, "finish-to-start"),
    ("Wealth Portal Launch", "Online Mortgage Journey", "Build complete", None),
    ("Small Business Digital Lending", "Mobile App Redesign", None, None),
    ("Third-Party Risk Register", "Operational Resilience Programme", None, "finish-to-start"),
    ("Cloud Landing Zone", "Data Centre Exit", None, "finish-to-start"),
    ("Data Centre Exit", "Core Banking Upgrade", None, "start-to-start"),
    ("Card Controls in App", "Mobile App Redesign", None, "start-to-start"),
    ("Collections Strategy Refresh", "Customer Feedback Loop", None, None),
    ("Legacy CRM Decommission", "Customer Data Platform", None, "finish-to-start"),
]

# (title, category, project name or None for a portfolio risk, probability, impact)
DEMO_RISKS = [
    (
        "PAM vendor misses the release with the connectors we need",
        "Supplier",
        "Privileged Access Vault",
        4,
        5,
    ),
    (
        "Regulator changes the reporting taxonomy mid-build",
        "Regulatory",
        "Regulatory Reporting Automation",
        4,
        4,
    ),
    (
        "Mainframe MIPS savings lower than the business case",
        "Financial",
        "Mainframe Cost Reduction",
        3,
        4,
    ),
    (
        "Payments scheme rule change forces rework",
        "Regulatory",
        "Payments Exceptions Automation",
        3,
        5,
    ),
    ("Basel IV final rules published late", "Regulatory", "Basel IV Capital Calculator", 4, 3),
    ("Core banking data migration defects", "Delivery", "Core Banking Upgrade", 3, 5),
    ("Data centre lease extension costs if exit slips", "Financial", "Data Centre Exit", 3, 4),
    ("App store review delays the release", "Delivery", "Mobile App Redesign", 2, 3),
    ("Mortgage credit rules not signed off by Risk", "Regulatory", "Online Mortgage Journey", 3, 3),
    ("Observability licence costs above budget", "Financial", "Observability Platform", 2, 2),
    ("Key architect leaves the programme", "People", "Developer Platform", 3, 4),
    (
        "AML model false positives overwhelm analysts",
        "Operational",
        "Anti-Money Laundering Monitoring",
        4,
        3,
    ),
    (
        "Contact centre telephony cut-over outage",
        "Operational",
        "Contact Centre Cloud Migration",
        2,
        5,
    ),
    ("Fraud model drift after launch", "Model", "Fraud Detection Models", 3, 3),
    (
        "Offers engine breaches marketing consent rules",
        "Compliance",
        "Personalised Offers Engine",
        2,
        5,
    ),
    ("Savings feature demand lower than forecast", "Benefits", "Savings Goals Feature", 2, 4),
    ("ERP upgrade clashes with the year-end close", "Delivery", "ERP Finance Upgrade", 4, 4),
    (
        "Resilience testing finds untested critical services",
        "Operational",
        "Operational Resilience Programme",
        3,
        4,
    ),
    ("Reg reporting data lineage incomplete", "Data", "Regulatory Reporting Automation", 3, 3),
    ("Model inventory owners not assigned", "Governance", "Model Risk Inventory", 2, 2),
    ("Branch staff resist the new booking process", "Change", "Branch Appointment Booking", 3, 2),
    (
        "Card controls depend on the processor's API upgrade",
        "Supplier",
        "Card Controls in App",
        3,
        4,
    ),
    ("Process mining pilot lacks clean event logs", "Data", "Process Mining Pilot", 2, 3),
    (
        "Onboarding identity checks fail accessibility audit",
        "Compliance",
        "Digital Onboarding 2.0",
        2,
        4,
    ),
    ("Chatbot restart needs a new vendor contract", "Supplier", "Chatbot Assistant", 3, 2),
    ("Marketing hub paused: analysts reassigned", "People", "Marketing Analytics Hub", 2, 2),
    ("Cloud landing zone security sign-off late", "Security", "Cloud Landing Zone", 4, 3),
    (
        "Data warehouse reports still used by Finance",
        "Delivery",
        "Enterprise Data Warehouse Retirement",
        3,
        3,
    ),
    ("Data engineers over-allocated across the portfolio", "People", None, 4, 4),
    ("Cyber attack during major cut-overs", "Security", None, 2, 5),
    ("Interest rate shock squeezes the change budget", "Financial", None, 3, 5),
    ("Too many concurrent go-lives in Q1 2027", "Delivery", None, 4, 3),
    ("Single cloud provider concentration", "Operational", None, 2, 4),
    ("Key suppliers' financial health", "Supplier", None, 2, 3),
    ("New operational resilience rules (impact tolerances)", "Regulatory", None, 3, 3),
    ("Benefits tracking not owned after go-live", "Benefits", None, 3, 2),
]


def roadmap_sheets(projects: pd.DataFrame, seed: int = SEED) -> dict[str, pd.DataFrame]:
    """The Dependencies and Risks sheets: links by project name, and a risk register of 36
    risks (8 portfolio-wide) raised over the last 15 months; some mitigating, some closed,
    some open past their due date."""
    rng = random.Random(seed + 17)
    ids = dict(zip(projects["name"], projects["project_id"], strict=True))
    managers = dict(zip(projects["name"], projects["manager"], strict=True))
    deps = pd.DataFrame(
        [
            {"project_id": ids[d], "depends_on": ids[p], "milestone": ms, "type": kind}
            for d, p, ms, kind in DEMO_DEPENDENCIES
        ]
    )
    risks = []
    for k, (title, category, project, prob, impact) in enumerate(DEMO_RISKS, start=1):
        raised = AS_OF - dt.timedelta(days=rng.randint(20, 460))
        due = raised + dt.timedelta(days=rng.choice([45, 60, 90, 120, 180]))
        roll = rng.random()
        status, closed = "Open", None
        if roll < 0.22 and raised < AS_OF - dt.timedelta(days=90):
            status = "Closed"
            closed = min(
                AS_OF - dt.timedelta(days=5), raised + dt.timedelta(days=rng.randint(30, 200))
            )
        elif roll < 0.5:
            status = "Mitigating"
        if status != "Closed" and rng.random() < 0.7:
            due = AS_OF + dt.timedelta(days=rng.randint(10, 150))  # reviewed: a new target date
        manager = managers.get(project) if project else None
        owner = manager if isinstance(manager, str) else rng.choice(SPONSORS)
        risks.append(
            {
                "risk_id": f"RSK-{k:03d}",
                "title": title,
                "project_id": ids[project] if project else None,
                "category": category,
                "probability": prob,
                "impact": impact,
                "owner": owner,
                "status": status,
                "raised_date": raised,
                "due_date": due,
                "closed_date": closed,
                "mitigation": rng.choice(
                    [
                        "Weekly checkpoint with the supplier; fallback plan drafted.",
                        "Escalated to the steering committee; contingency in the budget.",
                        "Extra testing cycle planned before go-live.",
                        "Second source being qualified.",
                        "Owner to propose a recovery plan at the next review.",
                    ]
                ),
                "cost_impact": round(
                    rng.choice([50, 120, 250, 400, 750, 1200]) * 1e3 * impact / 3, -3
                ),
            }
        )
    return {"Dependencies": deps, "Risks": pd.DataFrame(risks)}


# ------------------------------------------------------------------ strategic KPIs (issue 18)
# Key results per objective: (kr_id, objective, name, unit, baseline, target, baseline_date,
# target_date, weight, progress reached at AS_OF, decimals). Annual OKRs run through 2026,
# the platform programme over two years; expected progress at 2026-10-31 is 303 / 364 = 0.83
# for the annual ones and 487 / 730 = 0.67 for the two-year ones. Designed outcome:
#   OBJ-1 Off track (weighted (3×0.30 + 2×0.35 + 1×0.25) / 6 = 0.31, and 5 % of the budget
#   against 25 %), OBJ-3 Off track (0.50, with a falling cost-to-income target), OBJ-5 At risk
#   (0.57 against 0.67), OBJ-2, OBJ-4, OBJ-6 On track (some ahead of their line).
_Y1, _Y2 = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
_P1, _P2 = dt.date(2025, 7, 1), dt.date(2027, 6, 30)
KEY_RESULTS = [
    ("KR-1.1", "OBJ-1", "Digital sales revenue", "$m a year", 40, 60, _Y1, _Y2, 3, 0.30, 1),
    ("KR-1.2", "OBJ-1", "Products sold online", "%", 18, 35, _Y1, _Y2, 2, 0.35, 1),
    (
        "KR-1.3",
        "OBJ-1",
        "Mobile app monthly active users",
        "thousand",
        420,
        600,
        _Y1,
        _Y2,
        1,
        0.25,
        0,
    ),
    ("KR-2.1", "OBJ-2", "Net Promoter Score", "points", 12, 30, _Y1, _Y2, 2, 0.90, 0),
    (
        "KR-2.2",
        "OBJ-2",
        "Complaints per 1,000 customers",
        "per 1,000",
        8.5,
        5.0,
        _Y1,
        _Y2,
        1,
        0.86,
        2,
    ),
    ("KR-3.1", "OBJ-3", "Cost-to-income ratio", "%", 62, 55, _Y1, _Y2, 2, 0.45, 1),
    ("KR-3.2", "OBJ-3", "Average handling time", "minutes", 9.0, 6.5, _Y1, _Y2, 1, 0.50, 1),
    ("KR-3.3", "OBJ-3", "Straight-through processing", "%", 55, 75, _Y1, _Y2, 1, 0.60, 1),
    ("KR-4.1", "OBJ-4", "Open critical audit findings", "findings", 14, 2, _Y1, _Y2, 2, 0.92, 0),
    ("KR-4.2", "OBJ-4", "Phishing-test click rate", "%", 11, 4, _Y1, _Y2, 1, 0.86, 1),
    ("KR-5.1", "OBJ-5", "Applications on the cloud platform", "%", 20, 80, _P1, _P2, 2, 0.58, 0),
    ("KR-5.2", "OBJ-5", "Legacy systems decommissioned", "systems", 0, 24, _P1, _P2, 1, 0.55, 0),
    ("KR-6.1", "OBJ-6", "Decisions using certified data", "%", 10, 50, _Y1, _Y2, 1, 0.95, 0),
    ("KR-6.2", "OBJ-6", "Staff trained in data literacy", "people", 0, 800, _Y1, _Y2, 1, 0.90, 0),
]


def strategy_sheets(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """The Key Results and KR Measurements sheets: month-end measurements up to AS_OF that
    wander around a path reaching each key result's designed progress at AS_OF."""
    rng = random.Random(seed + 18)  # its own stream: the other sheets do not move
    krs, measured = [], []
    for kr_id, obj, name, unit, base, target, start, due, weight, reached, decimals in KEY_RESULTS:
        krs.append(
            {
                "kr_id": kr_id,
                "objective_id": obj,
                "name": name,
                "unit": unit,
                "baseline": base,
                "target": target,
                "baseline_date": start,
                "target_date": due,
                "weight": weight,
            }
        )
        ends = []
        d = month_end(start)
        while d <= AS_OF:
            ends.append(d)
            d = month_end(add_months(d.replace(day=1), 1))
        span = (AS_OF - start).days
        for i, d in enumerate(ends):
            share = (d - start).days / span
            # An S-ish path (slow start) with noise; the last point lands on the design.
            progress = reached * share ** rng.uniform(0.9, 1.3)
            if i < len(ends) - 1:
                progress += rng.uniform(-0.03, 0.03)
            value = round(base + (target - base) * max(progress, 0), decimals)
            measured.append(
                {"kr_id": kr_id, "date": d, "value": int(value) if decimals == 0 else value}
            )
    return {"Key Results": pd.DataFrame(krs), "KR Measurements": pd.DataFrame(measured)}


def _rag_moves(reports: pd.DataFrame) -> pd.DataFrame:
    """RAG that moves month to month (issue 14): a few projects reported a better colour in
    August and September than in October (they got worse in October), a few a worse one in
    August (they recovered in September). October's reports, and so today's RAG mix, stay as generated."""
    better = {"Red": "Amber", "Amber": "Green"}
    worse = {"Green": "Amber", "Amber": "Red"}
    last = reports[reports.report_date == AS_OF].dropna(subset=["rag_overall"])
    earlier = reports.report_date.isin([dt.date(2026, 8, 31), dt.date(2026, 9, 30)])
    reported = set(reports.project_id[earlier & reports.rag_overall.notna()])
    last = last[last.project_id.isin(reported)].sort_values("project_id")
    got_worse = list(last.project_id[last.rag_overall.isin(["Red", "Amber"])][:4])
    recovered = list(last.project_id[last.rag_overall == "Green"][:3])
    august = reports.report_date == dt.date(2026, 8, 31)
    for ids, shift, when in ((got_worse, better, earlier), (recovered, worse, august)):
        for pid in ids:
            now = last.rag_overall[last.project_id == pid].iloc[0]
            rows = when & (reports.project_id == pid) & reports.rag_overall.notna()
            reports.loc[rows, "rag_overall"] = shift[now]
    return reports


# ------------------------------------------------------------------ issue 21: decisions log


def demo_decisions(projects: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """The decisions and actions of the last three monthly reviews (Aug-Oct 2026).

    Fixed text naming projects picked by rule (the Red, On Hold and lowest-budget Proposed
    ones), so they read true against the generated portfolio; as of 31 Oct 2026 two open
    actions are overdue.
    """
    latest = reports.sort_values("report_date").groupby("project_id").tail(1)
    red = latest[latest["rag_overall"] == "Red"].merge(projects, on="project_id")
    red = red.sort_values(["budget", "project_id"], ascending=[False, True])
    held = projects[projects["status"] == "On Hold"].sort_values("project_id")
    proposed = projects[projects["status"] == "Proposed"].sort_values(["budget", "project_id"])
    active = projects[projects["status"] == "Active"].sort_values(
        ["budget", "project_id"], ascending=[False, True]
    )
    r1, r2 = red.iloc[0], red.iloc[min(1, len(red) - 1)]
    h1 = held.iloc[0]
    p1 = proposed.iloc[0]
    a1, a2 = active.iloc[0], active.iloc[1]
    rows = [
        (
            "D-0001",
            "2026-08-27",
            f"Keep {h1['name']} on hold until the vendor contract is renegotiated",
            "Restart needs a signed contract and a re-baselined plan.",
            h1.project_id,
            "Procurement Lead",
            "2026-09-30",
            "Done",
        ),
        (
            "D-0002",
            "2026-08-27",
            f"Move $400K contingency from {a2['name']} to {a1['name']}",
            "Approved by the portfolio board; finance to update the cost plans.",
            f"{a2.project_id}, {a1.project_id}",
            "Finance Business Partner",
            "2026-09-15",
            "Done",
        ),
        (
            "D-0003",
            "2026-09-29",
            f"Recovery plan for {r1['name']}",
            "Root causes, re-plan and the cost to complete, for the October review.",
            r1.project_id,
            r1["manager"] if isinstance(r1["manager"], str) else "Portfolio Office",
            "2026-10-20",
            "Open",
        ),
        (
            "D-0004",
            "2026-09-29",
            "Hire two data engineers for the data platform work",
            "Contractors until the roles are filled.",
            None,
            "Head of Data",
            "2026-12-15",
            "Open",
        ),
        (
            "D-0005",
            "2026-09-29",
            f"Independent assurance review of {r2['name']}",
            "Dropped: the recovery plan covers it.",
            r2.project_id,
            "Portfolio Office",
            "2026-10-31",
            "Dropped",
        ),
        (
            "D-0006",
            "2026-10-27",
            f"Do not start {p1['name']} this fiscal year",
            "Revisit in the Q1 planning round.",
            p1.project_id,
            "Portfolio Board",
            None,
            "Done",
        ),
        (
            "D-0007",
            "2026-10-27",
            "Confirm Q4 milestone dates with every project manager",
            "Re-baseline where the forecast is more than 30 days late.",
            None,
            "Portfolio Office",
            "2026-10-30",
            "Open",
        ),
    ]
    cols = ["decision_id", "date", "title", "detail", "project_ids", "owner", "due_date", "status"]
    frame = pd.DataFrame(rows, columns=cols)
    frame["recorded_by"] = "pmo@northwind.example"
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    frame["due_date"] = pd.to_datetime(frame["due_date"]).dt.date
    return frame


def _comment(rng: random.Random, rag: str, name: str) -> str:
    good = [
        "On track against plan.",
        "Delivered sprint goals; no blockers.",
        "Stakeholders engaged; scope stable.",
    ]
    amber = [
        "Vendor delivery slipped two weeks.",
        "Test environment contention.",
        "Key role vacant; recruiting.",
    ]
    red = [
        "Critical defects in integration testing.",
        "Budget pressure from change requests.",
        "Go-live at risk; recovery plan drafted.",
    ]
    return rng.choice({"Green": good, "Amber": amber, "Red": red}[rag])


# ------------------------------------------------------------------ issue 15: selection data
# Must-dos, dependencies, cost plans, placeholder demand and a role that binds, so that the
# Prioritisation page's constraints change its answer. Projects are found by name.
MANDATORY = ("Privileged Access Vault", "Basel IV Capital Calculator")
DEPENDENCIES = [  # (dependent, predecessor, predecessor milestone or None, type)
    ("Wealth Portal Launch", "Customer Data Platform", None, "finish-to-start"),
    ("Legacy CRM Decommission", "Customer Data Platform", None, "finish-to-start"),
    (
        "Third-Party Risk Register",
        "Operational Resilience Programme",
        "Design complete",
        "finish-to-start",
    ),
    ("Enterprise Data Warehouse Retirement", "Marketing Analytics Hub", None, "start-to-start"),
]
PLACEHOLDERS = [  # (resource_id, name, role, team): capacity 0, demand only
    ("TBD-DE", "Data Engineer (TBD)", "Data Engineer", "Data & Analytics"),
    ("TBD-DEV", "Developer (TBD)", "Developer", "Platform Engineering"),
    ("TBD-ARC", "Architect (TBD)", "Architect", "Platform Engineering"),
]
# Monthly placeholder hours asked by proposed projects (role -> hours); Wealth Portal Launch
# needs Data Engineers from March to August 2027, more than the team has left.
PROPOSED_DEMAND = {"Data Engineer": 150, "Developer": 240, "Architect": 60}
WEALTH_PORTAL_DE = 420
LAST_PLAN_MONTH = dt.date(2027, 12, 1)


def selection_additions(sheets: dict[str, pd.DataFrame], seed: int = SEED) -> None:
    """Add issue 15's data to the sheets of build(): the projects' mandatory column, a
    Dependencies sheet, a Cost Plan sheet (whole-life budgets phased evenly by month over two
    fiscal years and more), placeholder resources with capacity 0, and allocations for 2027:
    in-flight projects keep their December 2026 people to their end (at most Dec 2027),
    proposed projects ask placeholder roles from their start."""
    rng = random.Random(seed + 15)
    projects = sheets["Projects"]
    by_name = dict(zip(projects["name"], projects["project_id"], strict=True))
    projects["mandatory"] = np.where(projects["name"].isin(MANDATORY), "Yes", "No")
    # Added to the roadmap's links (issue 17), one row per (project, predecessor).
    links = pd.DataFrame(
        [
            {"project_id": by_name[a], "depends_on": by_name[b], "milestone": m, "type": t}
            for a, b, m, t in DEPENDENCIES
            if a in by_name and b in by_name
        ]
    )
    sheets["Dependencies"] = pd.concat(
        [sheets.get("Dependencies"), links], ignore_index=True
    ).drop_duplicates(subset=["project_id", "depends_on"], keep="first")
    plan = []
    for p in projects.itertuples(index=False):
        if p.status == "Cancelled" or not p.budget:
            continue
        months = pd.date_range(p.start_date.replace(day=1), p.end_date, freq="MS")
        for m in months:
            plan.append(
                {
                    "project_id": p.project_id,
                    "month": m.date(),
                    "planned_cost": round(p.budget / len(months), 2),
                }
            )
    sheets["Cost Plan"] = pd.DataFrame(plan)
    sheets["Resources"] = pd.concat(
        [
            sheets["Resources"],
            pd.DataFrame(
                [
                    {
                        "resource_id": r,
                        "name": n,
                        "role": role,
                        "team": team,
                        "capacity_hours": 0.0,
                        "cost_rate": None,
                    }
                    for r, n, role, team in PLACEHOLDERS
                ]
            ),
        ],
        ignore_index=True,
    )
    alloc = sheets["Allocations"]
    last = alloc["month"].max()
    ends = dict(zip(projects["project_id"], projects["end_date"], strict=True))
    status = dict(zip(projects["project_id"], projects["status"], strict=True))
    extra = []
    for row in alloc[alloc["month"] == last].itertuples(index=False):
        if status[row.project_id] not in ("Active", "Approved"):
            continue
        m = add_months(last, 1)
        while m <= min(ends[row.project_id], LAST_PLAN_MONTH):
            extra.append(
                {
                    "resource_id": row.resource_id,
                    "project_id": row.project_id,
                    "month": m,
                    "hours": round(row.hours * rng.uniform(0.85, 1.1)),
                }
            )
            m = add_months(m, 1)
    roles = {role: rid for rid, _n, role, _t in PLACEHOLDERS}
    for p in projects[projects["status"] == "Proposed"].itertuples(index=False):
        m = p.start_date.replace(day=1)
        while m <= min(p.end_date, LAST_PLAN_MONTH):
            for role, hours in PROPOSED_DEMAND.items():
                h = hours * rng.uniform(0.7, 1.2)
                if role == "Data Engineer" and p.name == "Wealth Portal Launch":
                    h = WEALTH_PORTAL_DE if dt.date(2027, 3, 1) <= m <= dt.date(2027, 8, 1) else 40
                extra.append(
                    {
                        "resource_id": roles[role],
                        "project_id": p.project_id,
                        "month": m,
                        "hours": round(h),
                    }
                )
            m = add_months(m, 1)
    sheets["Allocations"] = pd.concat([alloc, pd.DataFrame(extra)], ignore_index=True)


# Projects listed in the earlier monthly exports only: they leave the portfolio before October.
LEFT_EARLY = [
    {
        "project_id": "PRJ-090",
        "name": "Branch Kiosk Refresh",
        "portfolio": "Customer Operations",
        "business_unit": "Retail Banking",
        "sponsor": "Tom Okafor",
        "manager": "Grace Kim",
        "status": "Approved",
        "start_date": dt.date(2026, 11, 1),
        "end_date": dt.date(2027, 6, 30),
        "actual_end_date": None,
        "budget": 640000.0,
        "expected_benefit": 700000.0,
        "risk_score": 2,
        "until": dt.date(2026, 8, 31),
    },
    {
        "project_id": "PRJ-091",
        "name": "Fax Gateway Retirement",
        "portfolio": "Technology Foundations",
        "business_unit": "Technology",
        "sponsor": "Marcus Webb",
        "manager": "Daniel Wu",
        "status": "Proposed",
        "start_date": dt.date(2027, 1, 1),
        "end_date": dt.date(2027, 9, 30),
        "actual_end_date": None,
        "budget": 310000.0,
        "expected_benefit": 420000.0,
        "risk_score": 1,
        "until": dt.date(2026, 9, 30),
    },
]


def monthly_exports(
    sheets: dict[str, pd.DataFrame], seed: int = SEED
) -> dict[dt.date, dict[str, pd.DataFrame]]:
    """The projects list and status reports as the PMO exported them at the two month-ends
    before AS_OF: projects that start later are not listed yet, projects that have finished
    since were still Active, some budgets and end dates have moved since, and two projects
    listed then have left by October. Each is imported as the complete list of projects."""
    rng = random.Random(seed + 1)
    latest = sheets["Projects"]
    reports = sheets["Status Reports"]
    # Added to the list in September (two) and October (one); approved or put on hold since.
    pipeline = sorted(latest.project_id[latest.status.isin(["Proposed", "Approved"])])
    first_listed = {pipeline[0]: 1, pipeline[1]: 1, pipeline[2]: 0}  # months before October
    approved_since = sorted(latest.project_id[latest.status == "Approved"])[-1]
    on_hold_since = sorted(latest.project_id[latest.status == "On Hold"])[:2]
    moved_budget = set(
        rng.sample(sorted(latest.project_id[latest.status.isin(["Active", "Approved"])]), 6)
    )
    slipped = set(rng.sample(sorted(latest.project_id[latest.status == "Active"]), 7))
    out = {}
    for back in (2, 1):
        at = month_end(add_months(AS_OF, -back))
        rows = []
        for p in latest.to_dict("records"):
            if p["status"] in ("Active", "On Hold") and p["start_date"] > at:
                continue  # not started, not yet listed
            if back > first_listed.get(p["project_id"], back):
                continue  # not in the pipeline yet
            p = dict(p)
            if p["project_id"] == approved_since:
                p["status"] = "Proposed"
            if p["project_id"] in on_hold_since and back == 2:
                p["status"] = "Active"
            if p["status"] == "Completed" and p["actual_end_date"] and p["actual_end_date"] > at:
                p["status"], p["actual_end_date"] = "Active", None
            if p["project_id"] in moved_budget:
                p["budget"] = round(p["budget"] * (0.9 if back == 2 else 0.95), -3)
            if p["project_id"] in slipped:
                p["end_date"] = month_end(add_months(p["end_date"], -back))
            rows.append(p)
        rows += [
            {k: v for k, v in p.items() if k != "until"} for p in LEFT_EARLY if at <= p["until"]
        ]
        listed = {r["project_id"] for r in rows}
        out[at] = {
            "Projects": pd.DataFrame(rows, columns=latest.columns),
            "Status Reports": reports[
                (reports.report_date <= at) & reports.project_id.isin(listed)
            ],
        }
    return out


def _write_book(path: Path, sheets: dict[str, pd.DataFrame], created: dt.datetime) -> None:
    with pd.ExcelWriter(
        path, engine="xlsxwriter", datetime_format="yyyy-mm-dd", date_format="yyyy-mm-dd"
    ) as xw:
        xw.book.set_properties({"created": created})
        for name, frame in sheets.items():
            frame.to_excel(xw, sheet_name=name, index=False, startrow=2)
            xw.sheets[name].write(0, 0, f"Northwind Financial — {name} (PMO export)")


def write(path: Path = OUT, seed: int = SEED) -> Path:
    """Write the demo workbook with a title row above each table, as people do, and the two
    monthly exports before it (data/demo/northwind-YYYY-MM.xlsx)."""
    sheets = build(seed)
    selection_additions(sheets, seed)  # issue 15
    _write_book(path, sheets, dt.datetime(2026, 11, 1))
    if path == OUT:
        MONTHLY_DIR.mkdir(exist_ok=True)
        for at, monthly in monthly_exports(sheets, seed).items():
            created = dt.datetime.combine(at + dt.timedelta(days=1), dt.time())
            _write_book(MONTHLY_DIR / f"northwind-{at:%Y-%m}.xlsx", monthly, created)
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
