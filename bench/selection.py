"""Benchmark of the constrained selection (issue 15): 5,000 candidates × 24 months × 8 roles.

    python bench/selection.py [--seed N] [--time-limit 4] [--no-write]

Builds a database in bench/out/selection.duckdb straight through DuckDB (the importer is
measured by bench/run.py): 5,000 candidate projects (3,000 in the portfolio, 2,000 proposed),
one status report each for the in-flight ones, a cost plan over two fiscal years, 8 roles
(with a named placeholder resource of capacity 0 each) and allocations over the 24 months
after the as-of date, ~2 % mandatory projects, 300 dependencies. Then measures, in process:

- loading the selection's inputs (the six queries) and building the model;
- one solve with every constraint on (cost-to-continue cap at 90 % of today's, both
  fiscal-year caps at 90 % of today's plan, mandatory, 5 pins in and 5 out, dependencies,
  capacity by role and month at 100 %), for two capacity profiles: "realistic" (three of the
  eight roles scarce, the others with room) and "stress" (every role at 55 % of the demand);
- the exact frontier (21 caps) with every other constraint on;
- the binding constraints (one extra solve per constraint family).

Results replace the section of bench/BENCHMARKS.md between BEGIN and END (bench/run.py keeps
such sections when it rewrites the file). Nothing here is a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from pmo import schema, selection, store  # noqa: E402

REPORT = HERE / "BENCHMARKS.md"
BEGIN, END = "<!-- selection:begin (bench/selection.py) -->", "<!-- selection:end -->"
AS_OF = dt.date(2026, 10, 31)
N, MONTHS, ROLES = 5_000, 24, 8
TARGETS = {"solve_s": 5.0, "gap": 0.001, "frontier_s": 15.0}
# Each frontier point is solved to a proven gap of at most 0.1 % (the single solve's target);
# the app's frontier on a portfolio of the demo's size is solved to 0 (proven optimal).
FRONTIER_GAP = 0.001


def build(db: Path, seed: int, profile: str) -> dict:
    """Write the synthetic portfolio; returns row counts."""
    rng = np.random.default_rng(seed)
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    months = pd.date_range("2026-11-01", periods=MONTHS, freq="MS")
    ids = np.array([f"P{i:05d}" for i in range(N)])
    status = np.where(
        np.arange(N) < 3_000,
        rng.choice(["Active", "Approved", "On Hold"], N, p=[0.8, 0.15, 0.05]),
        "Proposed",
    )
    budget = np.round(rng.lognormal(14.0, 0.8, N), -3)
    mandatory = np.where(rng.random(N) < 0.02, "Yes", "No")
    projects = pd.DataFrame(
        {
            "project_id": ids,
            "name": [f"Project {i}" for i in range(N)],
            "portfolio": rng.choice(["Digital", "Operations", "Risk", "Data"], N),
            "status": status,
            "budget": budget,
            "expected_benefit": np.round(budget * rng.uniform(0.5, 3.0, N), -3),
            "risk_score": rng.integers(1, 6, N).astype(float),
            "mandatory": mandatory,
        }
    )
    objectives = pd.DataFrame(
        {
            "objective_id": [f"O{k}" for k in range(6)],
            "name": [f"Objective {k}" for k in range(6)],
            "weight": rng.uniform(1, 3, 6),
        }
    )
    alignment = pd.DataFrame(
        {
            "project_id": np.repeat(ids, 2),
            "objective_id": [f"O{k}" for k in rng.integers(0, 6, 2 * N)],
            "score": rng.integers(0, 6, 2 * N),
        }
    ).drop_duplicates(["project_id", "objective_id"])
    flying = status != "Proposed"
    done = rng.uniform(0.1, 0.9, N)
    reports = pd.DataFrame(
        {
            "project_id": ids[flying],
            "report_date": AS_OF,
            "earned_value": (budget * done)[flying],
            "actual_cost": (budget * done / rng.uniform(0.85, 1.1, N))[flying],
        }
    )
    # Each project works 6–18 months from some month of the window, on 2–4 roles.
    first = rng.integers(0, MONTHS - 6, N)
    length = rng.integers(6, 19, N)
    k = rng.integers(2, 5, N)
    pair_project = np.repeat(np.arange(N), k)
    pair_role = np.concatenate([rng.choice(ROLES, kk, replace=False) for kk in k])
    base = rng.uniform(20, 120, len(pair_project))
    span = np.minimum(MONTHS, first + length)[pair_project] - first[pair_project]
    cell_pair = np.repeat(np.arange(len(pair_project)), span)
    offset = np.arange(len(cell_pair)) - np.repeat(np.cumsum(span) - span, span)
    demand = pd.DataFrame(
        {
            "project_id": ids[pair_project][cell_pair],
            "role": pair_role[cell_pair],
            "month": months[first[pair_project][cell_pair] + offset],
            "hours": np.round(base[cell_pair] * rng.uniform(0.8, 1.2, len(cell_pair))),
        }
    )
    # People: each role's capacity set against today's portfolio's peak demand for it.
    today_peak = (
        demand[demand.project_id.isin(ids[flying])]
        .groupby(["role", "month"])
        .hours.sum()
        .groupby("role")
        .max()
    )
    factor = (
        {r: (0.8 if r < 3 else 1.6) for r in range(ROLES)}
        if profile == "realistic"
        else {r: 0.55 * 5 / 3 for r in range(ROLES)}
    )  # 55 % of all candidates' demand
    people, alloc = [], []
    for r in range(ROLES):
        n_people = max(1, int(today_peak[r] * factor[r] / 160))
        names = [f"R{r}-{k:03d}" for k in range(n_people)]
        people += [
            {"resource_id": x, "name": x, "role": f"Role {r}", "capacity_hours": 40.0}
            for x in names
        ]
        people.append(
            {
                "resource_id": f"R{r}-TBD",
                "name": f"Role {r} (TBD)",
                "role": f"Role {r}",
                "capacity_hours": 0.0,
            }
        )
        part = demand[demand.role == r].copy()
        # A quarter of the demand sits on the placeholder (not hired yet), the rest on people.
        tbd = rng.random(len(part)) < 0.25
        part["resource_id"] = np.where(tbd, f"R{r}-TBD", rng.choice(names, len(part)))
        alloc.append(part)
    allocations = (
        pd.concat(alloc).groupby(["resource_id", "project_id", "month"], as_index=False).hours.sum()
    )
    plan = demand.groupby(["project_id", "month"], as_index=False).size()
    per_month = pd.Series(budget / np.maximum(length, 1), index=ids)
    plan["planned_cost"] = per_month.loc[plan.project_id].to_numpy()
    deps = pd.DataFrame(
        {"project_id": ids[rng.integers(0, N, 300)], "depends_on": ids[rng.integers(0, N, 300)]}
    )
    deps = deps[deps.project_id != deps.depends_on].drop_duplicates()
    tables = {
        "objectives": objectives,
        "projects": projects,
        "alignment": alignment,
        "status_reports": reports,
        "resources": pd.DataFrame(people),
        "allocations": allocations[["resource_id", "project_id", "month", "hours"]],
        "cost_plan": plan[["project_id", "month", "planned_cost"]],
        "dependencies": deps,
    }
    with store.connect(db, write=True) as con:
        for name, frame in tables.items():
            con.register("frame", frame)
            con.execute(
                schema.sql(
                    "insert into {t} ({cols}) select {cols} from frame",
                    t=name,
                    cols=list(frame.columns),
                )
            )
            con.unregister("frame")
    return {k: len(v) for k, v in tables.items()}


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def measure(db: Path, time_limit: float) -> dict:
    with store.connect(db) as con:
        data, t_inputs = timed(lambda: selection.inputs(con, None, {}, None))
    p, t_model = timed(lambda: selection.problem(data))
    today_fy = selection.default_fy_caps(p)
    pins = [p.ids[i] for i in np.flatnonzero(~p.mandatory)[:10]]
    c = selection.Constraints(
        cap=0.9 * selection.default_cap(p),
        fy_caps=tuple((y, 0.9 * v) for y, v in today_fy.items()),
        mandatory=True,
        dependencies=True,
        capacity=1.0,
        pin_in=tuple(pins[:5]),
        pin_out=tuple(pins[5:]),
    )
    out, t_solve = timed(lambda: selection.solve(p, c, explain=False, time_limit=time_limit))
    binding, t_explain = timed(lambda: selection._binding(p, c, out, time_limit, 0.0, p.score))
    f, t_frontier = timed(
        lambda: selection.frontier(p, c, points=21, time_limit=time_limit / 8, gap=FRONTIER_GAP)
    )
    pts = f.points.dropna(subset=["score"])
    return {
        "candidates": p.n,
        "rows": len(p.rows),
        "roles": len(p.roles()),
        "years": p.years,
        "deps": len(p.deps),
        "mandatory": int(p.mandatory.sum()),
        "t_inputs": t_inputs,
        "t_model": t_model,
        "t_solve": t_solve,
        "status": out.status,
        "gap": out.gap,
        "selected": int(out.x.sum()),
        "score": out.score,
        "binding": [b.label for b in binding],
        "t_explain": t_explain,
        "t_frontier": t_frontier,
        "frontier_points": len(f.points),
        "frontier_proven": int(pts["proven_optimal"].sum()),
        "frontier_max_gap": float(pts["gap"].fillna(0).max()) if len(pts) else None,
        "monotone": bool((np.diff(pts["score"].to_numpy(float)) >= -1e-9).all()),
        "today_gap": f.score_gap,
    }


def measure_demo() -> dict:
    """The demo portfolio: the Prioritisation page's rerun after a weight change (AppTest,
    warm caches: the inputs of the view stay cached, priority scores, the solve, binding
    constraints, what it would take and the frontier are redone), best of 3."""
    from streamlit.testing.v1 import AppTest

    db = HERE / "out" / "selection-demo.duckdb"
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pmo", "demo", "--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    os.environ["PMO_DB"] = str(db)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/prioritisation.py")
    _, first = timed(at.run)
    runs = []
    for w in (0.25, 0.35, 0.45):
        at.slider(key="prioritisation_w_risk").set_value(w)
        _, t = timed(at.run)
        runs.append(t)
    assert not at.exception, at.exception
    return {"first": first, "rerun": min(runs), "reruns": runs}


def section(results: dict, seed: int, time_limit: float) -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    except OSError:
        commit = "?"
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    lines = [
        BEGIN,
        "## Portfolio selection (issue 15)",
        "",
        f"`python bench/selection.py --seed {seed} --time-limit {time_limit:g}` on commit {commit}, "
        f"{dt.datetime.now():%Y-%m-%d %H:%M}, load average at start {load} "
        f"({platform.machine()}, {os.cpu_count()} cores, shared). One run per figure (the solver's "
        "time limit bounds each solve; a heavier load costs gap, not time).",
        "",
        f"Synthetic database (built through DuckDB, not the importer): {N:,} candidates "
        f"(3,000 in the portfolio), {MONTHS} months × {ROLES} roles of allocations after the "
        "as-of date with a capacity-0 placeholder per role, a cost plan over two fiscal years, "
        "~2 % mandatory projects, 300 dependencies. Every constraint on: cost-to-continue cap "
        "90 % of today's, both fiscal-year caps 90 % of today's plan, mandatory, 5 pins in and "
        "5 out, dependencies, capacity by role and month at 100 %.",
        "",
        "| measure | realistic (3 of 8 roles scarce) | stress (every role at 55 % of demand) | goal |",
        "|---|---:|---:|---|",
    ]
    r, s = results["realistic"], results["stress"]

    def both(key, fmt):
        return f"{fmt(r[key])} | {fmt(s[key])}"

    sec = lambda v: f"{v:.2f} s"  # noqa: E731
    gap = lambda v: "0 (proven optimal)" if v == 0 else ("—" if v is None else f"{v:.3%}")  # noqa: E731
    lines += [
        f"| capacity rows (role × month with demand) | {r['rows']} | {s['rows']} | |",
        f"| load the inputs (6 queries) | {both('t_inputs', sec)} | |",
        f"| build the model | {both('t_model', sec)} | |",
        f"| **solve, every constraint on** | {both('t_solve', sec)} | ≤ 5 s |",
        f"| status | {r['status']} | {s['status']} | |",
        f"| gap proved (vs the LP bound) | {both('gap', gap)} | ≤ 0.1 % |",
        f"| projects selected | {r['selected']:,} | {s['selected']:,} | |",
        f"| **frontier, {r['frontier_points']} caps** | {both('t_frontier', sec)} | ≤ 15 s |",
        f"| frontier points proven optimal (the others within the gap below) | "
        f"{r['frontier_proven']} / {r['frontier_points']} | "
        f"{s['frontier_proven']} / {s['frontier_points']} | |",
        f"| frontier: largest gap of a point (each asked ≤ 0.1 %) | {both('frontier_max_gap', gap)} | ≤ 0.1 % |",
        f"| frontier monotone | {r['monotone']} | {s['monotone']} | |",
        f"| binding constraints (one re-solve per family) | {both('t_explain', sec)} | |",
        "",
        "Realistic binding: "
        + ", ".join(r["binding"])
        + ". Stress binding: "
        + ", ".join(s["binding"])
        + ".",
        "",
        "Demo portfolio (`python -m pmo demo`), Prioritisation page in AppTest: first run "
        f"{results['demo']['first']:.2f} s; **rerun after a weight change "
        f"{results['demo']['rerun']:.2f} s** (best of 3: "
        + ", ".join(f"{t:.2f}" for t in results["demo"]["reruns"])
        + " s; goal ≤ 1 s).",
        END,
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    import re

    old = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    pattern = re.compile(re.escape(BEGIN.split(" (")[0]) + r".*?" + re.escape(END), re.S)
    if pattern.search(old):
        new = pattern.sub(lambda _m: text.strip("\n"), old)
    else:
        new = old.rstrip("\n") + "\n\n" + text.strip("\n") + "\n"
    REPORT.write_text(new, encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=20261031)
    ap.add_argument(
        "--time-limit",
        type=float,
        default=3.0,
        help="seconds per solve (each frontier point gets an eighth)",
    )
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    (HERE / "out").mkdir(exist_ok=True)
    results = {}
    for profile in ("realistic", "stress"):
        db = HERE / "out" / f"selection-{profile}.duckdb"
        counts, t_build = timed(lambda: build(db, args.seed, profile))  # noqa: B023
        print(f"{profile}: built {counts} in {t_build:.1f} s", flush=True)
        results[profile] = measure(db, args.time_limit)
        print(profile, {k: v for k, v in results[profile].items()}, flush=True)
    results["demo"] = measure_demo()
    print("demo", results["demo"], flush=True)
    text = section(results, args.seed, args.time_limit)
    print(text)
    if not args.no_write:
        write_section(text)
        print(f"wrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
