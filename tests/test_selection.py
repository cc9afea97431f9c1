"""Portfolio selection under constraints (issue 15): the MILP against brute force, one
hand-made case per constraint where it binds, the exact frontier, `select --format json`."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from pmo import cli, prioritise, queries, selection, store
from tests.conftest import ROOT, load

S = selection

# ------------------------------------------------------------------ brute force agreement


def random_problem(n: int, seed: int) -> S.Problem:
    """A random portfolio: n candidates, 2 fiscal years, 2 roles × 3 months, a few deps."""
    rng = np.random.default_rng(seed)
    cost = np.round(rng.uniform(0.5, 6.0, n), 2)
    rows = [(r, dt.date(2027, m, 1)) for r in ("Data Engineer", "Architect") for m in (1, 2, 3)]
    demand = np.where(
        rng.random((len(rows), n)) < 0.4, np.round(rng.uniform(10, 120, (len(rows), n))), 0.0
    )
    available = np.round(demand.sum(axis=1) * rng.uniform(0.3, 0.7, len(rows)))
    deps = []
    for _ in range(3):
        i, j = rng.choice(n, 2, replace=False)
        if (int(j), int(i)) not in deps:
            deps.append((int(i), int(j)))
    mandatory = np.zeros(n, dtype=bool)
    mandatory[rng.choice(n, 2, replace=False)] = True
    return S.Problem(
        ids=[f"P{i:02d}" for i in range(n)],
        names=[f"Project {i}" for i in range(n)],
        status=["Active" if i % 2 else "Proposed" for i in range(n)],
        score=np.round(rng.uniform(0, 100, n), 2),
        cost=cost,
        budget=cost * 1.5,
        spent=cost * 0.5,
        in_today=rng.random(n) < 0.5,
        mandatory=mandatory,
        years=[2027, 2028],
        fy_cost=np.round(rng.uniform(0, 3, (2, n)) * (rng.random((2, n)) < 0.7), 2),
        rows=rows,
        demand=demand,
        available=available,
        deps=deps,
        blocked={n - 1: "depends on a cancelled project"} if seed % 2 else {},
    )


def brute_force(p: S.Problem, c: S.Constraints) -> float | None:
    """The best score over all 2^n subsets meeting ``c``; None when none does."""
    n = p.n
    x = ((np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)
    ok = ~(x[:, np.isnan(p.cost)]).any(axis=1)
    cost = np.nan_to_num(p.cost)
    if c.cap is not None:
        ok &= x @ cost <= c.cap + 1e-9
    for year, limit in c.fy_caps:
        ok &= x @ p.fy_cost[p.years.index(year)] <= limit + 1e-9
    if c.mandatory:
        ok &= x[:, p.mandatory].all(axis=1)
    for pid in c.pin_in:
        ok &= x[:, p.index[pid]]
    for pid in c.pin_out:
        ok &= ~x[:, p.index[pid]]
    if c.dependencies:
        for i, j in p.deps:
            ok &= ~x[:, i] | x[:, j]
        for i in p.blocked:
            ok &= ~x[:, i]
    if c.capacity is not None:
        ok &= (x @ p.demand.T <= np.maximum(p.available, 0) * c.capacity + 1e-9).all(axis=1)
    if not ok.any():
        return None
    return float((x[ok] @ p.score).max())


FLAGS = ("cap", "fy", "mandatory", "pins", "dependencies", "capacity")


@pytest.mark.parametrize("seed", range(6))
def test_the_milp_agrees_with_brute_force_under_every_constraint_combination(seed):
    n = 10 + seed % 5  # 10..14 projects: 2^14 = 16,384 subsets at most
    p = random_problem(n, seed)
    total = float(np.nansum(p.cost))
    checked = 0
    for on in itertools.product((False, True), repeat=len(FLAGS)):
        flags = dict(zip(FLAGS, on, strict=True))
        c = S.Constraints(
            cap=0.45 * total if flags["cap"] else None,
            fy_caps=((2027, 6.0), (2028, 5.0)) if flags["fy"] else (),
            mandatory=flags["mandatory"],
            dependencies=flags["dependencies"],
            capacity=1.0 if flags["capacity"] else None,
            pin_in=(p.ids[3],) if flags["pins"] else (),
            pin_out=(p.ids[4],) if flags["pins"] else (),
        )
        expected = brute_force(p, c)
        got = S.solve(p, c, explain=False)
        if expected is None:
            assert got.status == "infeasible", (flags, got.score)
            assert got.infeasible  # named, with numbers
        else:
            assert got.proven_optimal, flags
            assert got.score == pytest.approx(expected, abs=1e-6), flags
            # and the set it returns really meets every constraint
            assert brute_force_set_ok(p, c, got.x), flags
        checked += 1
    assert checked == 64


def brute_force_set_ok(p: S.Problem, c: S.Constraints, x: np.ndarray) -> bool:
    """The same checks as brute_force, on one set."""
    xb = x > 0.5
    cost = np.nan_to_num(p.cost)
    ok = c.cap is None or xb @ cost <= c.cap + 1e-9
    for year, limit in c.fy_caps:
        ok &= xb @ p.fy_cost[p.years.index(year)] <= limit + 1e-9
    if c.mandatory:
        ok &= bool(xb[p.mandatory].all())
    if c.dependencies:
        ok &= all(not xb[i] or xb[j] for i, j in p.deps)
        ok &= not any(xb[i] for i in p.blocked)
    if c.capacity is not None:
        ok &= bool((p.demand @ xb <= np.maximum(p.available, 0) * c.capacity + 1e-9).all())
    ok &= all(xb[p.index[i]] for i in c.pin_in) and not any(xb[p.index[i]] for i in c.pin_out)
    return bool(ok)


@pytest.mark.parametrize("seed", range(4))
def test_the_frontier_is_exact_monotone_and_today_never_lies_above_it(seed):
    p = random_problem(11, seed)
    c = S.Constraints(mandatory=True, dependencies=True, capacity=1.0)
    f = S.frontier(p, c, points=21)
    feasible = f.points.dropna(subset=["score"])
    assert len(f.points) >= 21
    scores = feasible["score"].to_numpy(float)
    assert (np.diff(scores) >= -1e-9).all()  # monotone
    for row in feasible.itertuples(index=False):  # every point is the exact optimum
        assert row.score == pytest.approx(
            brute_force(
                p, S.Constraints(cap=row.cap, mandatory=True, dependencies=True, capacity=1.0)
            ),
            abs=1e-6,
        )
    now = S.today(p, c)
    if now.feasible:
        assert f.best_at_today >= now.score - 1e-9
        assert f.score_gap >= -1e-9


def test_today_never_lies_above_the_frontier_on_the_demo(demo_db):
    with store.connect(demo_db) as con:
        p = S.problem(S.inputs(con))
    c = S.Constraints(mandatory=False)  # today's set leaves no mandatory project out
    f = S.frontier(p, c)
    now = S.today(p, c)
    assert now.feasible
    assert f.best_at_today >= now.score
    assert (np.diff(f.points["score"].to_numpy(float)) >= 0).all()
    assert len(f.points) >= 21


# --------------------------------------------------------------- hand-made cases (database)

AS_OF = dt.date(2026, 10, 31)


def projects(*rows) -> pd.DataFrame:
    """(id, status, budget, alignment 0–5, extra columns...) rows."""
    out = []
    for r in rows:
        pid, status, budget, _score, *rest = r
        out.append(
            {
                "project_id": pid,
                "name": f"Project {pid}",
                "status": status,
                "budget": budget,
                "mandatory": rest[0] if rest else None,
            }
        )
    return pd.DataFrame(out)


def scored(db, rows, **sheets):
    """Projects with alignment scores to one objective (weight 1): with the alignment weight
    only, priority = alignment score normalised over the candidates (0 .. 5 -> 0 .. 100 when a
    candidate scores 0 and another 5)."""
    load(
        db,
        objectives=pd.DataFrame({"objective_id": ["O1"], "name": ["Grow"], "weight": [1]}),
        projects=projects(*rows),
        alignment=pd.DataFrame(
            {
                "project_id": [r[0] for r in rows],
                "objective_id": "O1",
                "score": [r[3] for r in rows],
            }
        ),
        **sheets,
    )


def pmo(db, *args) -> subprocess.CompletedProcess:
    """`python -m pmo ARGS --db DB --weights 1,0,0` run in-process (the same main())."""
    argv = [*args, "--db", str(db), "--weights", "1,0,0"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def test_select_runs_as_a_command(db):
    scored(db, SUNK, status_reports=SUNK_REPORTS)
    run = subprocess.run(
        [sys.executable, "-m", "pmo", "select", "--db", str(db), "--format", "text"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Stop: Project B (B)" in run.stdout and "Start: Project C (C)" in run.stdout


def select(db, *args) -> dict:
    run = pmo(db, "select", *args, "--format", "json")
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


SUNK = [
    # A: 8.5M budget, 7.5M spent and earned (CPI 1): EAC 8.5M, cost to continue 1.0M.
    ("A", "Active", 8_500_000, 2),
    # B: 3M, no report yet: cost to continue = budget 3M.
    ("B", "Active", 3_000_000, 3),
    ("C", "Proposed", 3_000_000, 5),
    # D scores 0 (the minimum of the scale) and costs more than any cap here.
    ("D", "Proposed", 100_000_000, 0),
]
SUNK_REPORTS = pd.DataFrame(
    {
        "project_id": ["A"],
        "report_date": [AS_OF],
        "earned_value": [7_500_000.0],
        "actual_cost": [7_500_000.0],
    }
)


def test_cost_to_continue_is_eac_minus_spent_and_budget_without_a_report(db):
    load(
        db,
        projects=projects(
            ("A", "Active", 8_500_000, 0),
            ("B", "Active", 3_000_000, 0),
            ("E", "Active", 1_000_000, 0),
            ("F", "Active", 2_000_000, 0),
            ("G", "Active", 1_000_000, 0),
            ("X", "Completed", 5_000_000, 0),
        ),
        status_reports=pd.DataFrame(
            {
                "project_id": ["A", "E", "F", "G"],
                "report_date": [AS_OF] * 4,
                "earned_value": [7_500_000.0, 400_000.0, None, 1_100_000.0],
                "actual_cost": [7_500_000.0, 500_000.0, 600_000.0, 1_000_000.0],
            }
        ),
    )
    with store.connect(db) as con:
        rows = queries.run(con, "cost_to_continue", **queries.defaults("cost_to_continue"))
    got = {r.project_id: (r.spent, r.cost_to_continue) for r in rows.itertuples()}
    assert got == pytest.approx(
        {
            "A": (7_500_000, 1_000_000),  # CPI 1: EAC 8.5M − 7.5M spent
            "B": (0, 3_000_000),  # no report: the budget
            # E: CPI = 0.4M / 0.5M = 0.8, EAC = 1M / 0.8 = 1.25M, − 0.5M spent = 0.75M
            "E": (500_000, 750_000),
            "F": (600_000, 1_400_000),  # no EV: CPI undefined, EAC = BAC: 2M − 0.6M
            # G: EV 1.1M above BAC: CPI 1.1, EAC 0.909M < 1.0M spent: clamped to 0
            "G": (1_000_000, 0),
        }
    )
    assert "X" not in got  # Completed: not a candidate


def test_sunk_cost_changes_which_project_stops(db):
    scored(db, SUNK, status_reports=SUNK_REPORTS)
    # Scores (alignment only, normalised 0..5): A 40, B 60, C 100, D 0.
    # By budget (the first release), cap = today's budget 8.5M + 3M = 11.5M:
    #   {B, C} 6M -> 160; {A, C} 11.5M -> 140; {A, B, C} 14.5M too much: A (90 % done) stops.
    with store.connect(db) as con:
        scores = queries.run(
            con,
            "priority_scores",
            **{**queries.defaults("priority_scores"), "w_alignment": 1, "w_value": 0, "w_risk": 0},
        )
    old = prioritise.optimal(scores, 11_500_000)
    assert set(old.ids) == {"B", "C"}
    # By cost to continue, cap = today's 1M + 3M = 4M: {A, C} 4M -> 140; {A, B} 4M -> 100;
    # {B, C} 6M too much: B stops, A finishes.
    out = select(db)
    assert out["selected"]["ids"] == ["C", "A"]
    assert out["stop"] == ["B"] and out["start"] == ["C"]


def test_select_json_field_by_field(db):
    scored(db, SUNK, status_reports=SUNK_REPORTS)
    out = select(db)
    assert out["as_of"] == "2026-10-31"
    assert out["weights"] == {"alignment": 1.0, "value": 0.0, "risk": 0.0}
    assert out["status"] == "optimal"
    assert out["proven_optimal"] is True
    assert out["gap"] == 0.0
    assert out["constraints"] == {
        "cap": 4_000_000.0,  # default: today's cost to continue, A 1M + B 3M
        "fy_caps": {},
        "mandatory": True,
        "dependencies": True,
        "capacity": None,
        "pin_in": [],
        "pin_out": [],
    }
    assert out["candidates"] == 4
    assert out["infeasible"] == []
    assert out["selected"] == {
        "ids": ["C", "A"],
        "count": 2,
        "cost_to_continue": 4_000_000.0,  # C 3M + A 1M
        "score": 140.0,  # C 100 + A 40
        "budget": 11_500_000.0,  # C 3M + A 8.5M
        "spent": 7_500_000.0,  # A's
    }
    assert out["today"] == {
        "ids": ["B", "A"],
        "count": 2,
        "cost_to_continue": 4_000_000.0,
        "score": 100.0,
        "feasible": True,
        "breaks": [],
    }
    assert out["stop"] == ["B"]
    assert out["start"] == ["C"]
    # Without the cap every project but D (score 0) goes in: A + B + C = 200, 60 more.
    assert out["binding"] == [
        {
            "constraint": "cap",
            "label": "Cost-to-continue cap",
            "score_if_lifted": 200.0,
            "score_gain": 60.0,
            "detail": "Cost-to-continue cap: $4.0M of $4.0M",
        }
    ]
    assert out["rows"] == [
        {
            "constraint": "cap",
            "label": "Cost-to-continue cap",
            "used": 4_000_000.0,
            "limit": 4_000_000.0,
        }
    ]
    assert out["what_it_would_take"] == []


def test_a_mandatory_project_over_the_cap_is_reported_infeasible_with_the_numbers(db):
    scored(db, [("M", "Proposed", 5_000_000, 1, "Yes"), ("B", "Active", 3_000_000, 5, "no")])
    run = pmo(db, "select", "--cap", "3M", "--format", "json")
    assert run.returncode == 1
    out = json.loads(run.stdout)
    assert out["status"] == "infeasible"
    assert out["infeasible"] == [
        "Mandatory and pinned-in projects (with what they depend on) alone need $5.0M against "
        "the cost-to-continue cap of $3.0M"
    ]
    assert "infeasible: Mandatory and pinned-in projects" in run.stderr
    # Lifting the must-do rule makes it feasible: B alone (3M) fits.
    out = select(db, "--cap", "3M", "--no-mandatory")
    assert out["selected"]["ids"] == ["B"]


def test_a_mandatory_project_goes_in_and_the_binding_list_says_what_it_costs(db):
    # M (must do) scores 0, B 100 (normalised); cap 5M: M 4M forces B (3M) out.
    scored(db, [("M", "Proposed", 4_000_000, 0, "Yes"), ("B", "Active", 3_000_000, 5, None)])
    out = select(db, "--cap", "5M")
    assert out["selected"]["ids"] == ["M"]
    assert out["stop"] == ["B"]
    # Both bind: without the must-do rule B alone (100); without the cap M + B (0 + 100).
    assert {b["constraint"]: b["score_gain"] for b in out["binding"]} == {
        "mandatory": 100.0,
        "cap": 100.0,
    }


DE_MONTH = dt.date(2027, 3, 1)  # 23 weekdays: one 40 h/week person = 40 × 23 / 5 = 184 hours


def capacity_sheets(t_hours_tbd=150, t_hours_named=50, p_hours=100):
    return {
        "resources": pd.DataFrame(
            {
                "resource_id": ["R1", "TBD1"],
                "name": ["Dana", "Data Engineer (TBD)"],
                "role": ["Data Engineer", "Data Engineer"],
                "capacity_hours": [40, 0],
            }
        ),
        "allocations": pd.DataFrame(
            {
                "resource_id": ["TBD1", "R1", "R1"],
                "project_id": ["T", "T", "P"],
                "month": [DE_MONTH] * 3,
                "hours": [t_hours_tbd, t_hours_named, p_hours],
            }
        ),
        "status_reports": pd.DataFrame(
            {"project_id": ["P"], "report_date": [AS_OF], "actual_cost": [0.0]}
        ),
    }


def test_capacity_excludes_the_top_scorer_and_says_what_it_would_take(db):
    # T (top, 100) asks 150 h of a placeholder (capacity 0: demand, no supply) + 50 h of Dana:
    # 200 Data Engineer hours in Mar 2027 > 184. P (60) asks 100 h; Q (0) asks none.
    scored(
        db,
        [
            ("T", "Proposed", 1_000_000, 5),
            ("P", "Active", 1_000_000, 3),
            ("Q", "Proposed", 1_000_000, 0),
        ],
        **capacity_sheets(),
    )
    off = select(db, "--no-cap")
    assert set(off["selected"]["ids"]) == {"T", "P"}
    on = select(db, "--no-cap", "--capacity")
    assert on["selected"]["ids"] == ["P"]
    assert on["binding"][0]["constraint"] == "capacity:Data Engineer"
    assert on["binding"][0]["score_gain"] == 100.0
    # T and P need 300 h; capacity 184: 116 more hours = one more full-time person (184 h).
    assert on["what_it_would_take"] == [
        {
            "role": "Data Engineer",
            "project_id": "T",
            "project": "Project T",
            "score_added": 100.0,
            "people": 1,
            "months": "Mar 2027",
            "extra_hours": {"2027-03-01": 116.0},
            "admits": ["T"],
            "drops": [],
            "text": "+1 Data Engineer, Mar 2027, admits Project T, +100.0",
        }
    ]
    # At 170 % tolerance, 184 × 1.7 = 312.8 h >= 300: both fit again.
    assert set(select(db, "--no-cap", "--capacity", "170")["selected"]["ids"]) == {"T", "P"}
    # Today's set (P) needs 100 h: within capacity, no breaks.
    assert on["today"]["breaks"] == []


def test_mandatory_demand_over_capacity_names_the_role_month_and_hours(db):
    scored(
        db,
        [("T", "Proposed", 1_000_000, 5, "yes"), ("P", "Active", 1_000_000, 3)],
        **capacity_sheets(),
    )
    out = select(db, "--no-cap", "--capacity")
    assert out["status"] == "infeasible"
    assert out["infeasible"] == [
        "Mandatory and pinned-in projects (with what they depend on) alone need 200 Data "
        "Engineer hours in Mar 2027; capacity 184"
    ]


def test_a_dependency_pulls_a_low_scorer_in(db):
    # T 3M scores 100, M 2M 60, L 2M 20 (alignment 5, 3, 1; Z scores 0 and is too dear).
    rows = [
        ("T", "Proposed", 3_000_000, 5),
        ("M", "Proposed", 2_000_000, 3),
        ("L", "Proposed", 2_000_000, 1),
        ("Z", "Proposed", 50_000_000, 0),
    ]
    scored(db, rows, dependencies=pd.DataFrame({"project_id": ["T"], "depends_on": ["L"]}))
    # Cap 5M. Without the dependency: {T, M} 160. With T needing L: {T, L} 120 > {M, L} 80.
    assert select(db, "--cap", "5M", "--no-dependencies")["selected"]["ids"] == ["T", "M"]
    out = select(db, "--cap", "5M")
    assert out["selected"]["ids"] == ["T", "L"]
    assert {b["constraint"]: b["score_gain"] for b in out["binding"]} == {
        "dependencies": 40.0,
        "cap": 60.0,
    }  # lifting the cap: T + M + L = 180


def test_pins_in_and_out_change_the_answer(db):
    rows = [
        ("T", "Proposed", 3_000_000, 5),
        ("M", "Proposed", 2_000_000, 3),
        ("L", "Proposed", 2_000_000, 1),
        ("Z", "Proposed", 50_000_000, 0),
    ]
    scored(db, rows)
    assert select(db, "--cap", "5M", "--pin-out", "T")["selected"]["ids"] == ["M", "L"]
    assert select(db, "--cap", "5M", "--pin-in", "L")["selected"]["ids"] == ["T", "L"]
    run = pmo(db, "select", "--pin-in", "NOPE")
    assert run.returncode == 2 and "not a candidate project in this view: NOPE" in run.stderr


def test_a_fiscal_year_cap_binds_on_the_remaining_months_only(db):
    rows = [
        ("T", "Proposed", 3_000_000, 5),
        ("M", "Proposed", 2_000_000, 3),
        ("Z", "Proposed", 50_000_000, 0),
    ]
    # Plans: T spends 2M in FY2027, M 1.5M; T also 0.9M in Sep 2026 (before the as-of month:
    # spent, not counted) and M 1M in FY2028.
    plan = pd.DataFrame(
        {
            "project_id": ["T", "T", "M", "M"],
            "month": [
                dt.date(2026, 9, 1),
                dt.date(2027, 2, 1),
                dt.date(2027, 6, 1),
                dt.date(2028, 1, 1),
            ],
            "planned_cost": [900_000, 2_000_000, 1_500_000, 1_000_000],
        }
    )
    scored(
        db,
        rows,
        status_reports=pd.DataFrame(
            {"project_id": ["T"], "report_date": [AS_OF], "actual_cost": [0.0]}
        ),
        cost_plan=plan,
    )
    assert select(db, "--no-cap")["selected"]["ids"] == ["T", "M"]
    # FY2027 cap 3M: T 2M + M 1.5M = 3.5M too much: T (100) stays, M (60) goes.
    out = select(db, "--no-cap", "--fy-cap", "FY2027=3M")
    assert out["selected"]["ids"] == ["T"]
    assert out["binding"][0]["constraint"] == "fy:2027"
    # FY2026 holds T's September 0.9M only, before the as-of month: a 0 cap still admits T.
    assert select(db, "--no-cap", "--fy-cap", "2026=0")["selected"]["ids"] == ["T", "M"]


def test_fiscal_years_follow_the_start_month(db):
    load(
        db,
        projects=projects(("T", "Proposed", 1, 0)),
        cost_plan=pd.DataFrame(
            {"project_id": ["T", "T"], "month": ["2027-03", "2027-04"], "planned_cost": [10, 20]}
        ),
    )
    with store.connect(db) as con:

        def years(start):
            rows = queries.run(
                con,
                "cost_plan_by_year",
                **{**queries.defaults("cost_plan_by_year"), "fy_start_month": start},
            )
            return dict(zip(rows.fiscal_year, rows.planned_cost, strict=True))

        assert years(None) == {2027: 30}  # January start: the calendar year
        assert years(4) == {2027: 10, 2028: 20}  # April start: Apr 2027 opens FY2028
    assert S.parse_month("April") == 4 and S.parse_month("10") == 10 and S.parse_month("x") is None


def test_frontier_command_prints_at_least_20_exact_points(db):
    scored(db, SUNK, status_reports=SUNK_REPORTS)
    run = pmo(db, "frontier")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    caps = [pt["cap"] for pt in out["points"]]
    assert len(caps) >= 21 and caps[0] == 0.0
    assert caps[-1] == 107_000_000.0  # every candidate: A 1M + B 3M + C 3M + D 100M
    scores = [pt["score"] for pt in out["points"]]
    assert scores == sorted(scores)
    # Today (A + B): cost 4M, score 100; the best at 4M is A + C, 140: a gap of 40.
    assert out["today"] == {
        "cost_to_continue": 4_000_000.0,
        "score": 100.0,
        "feasible": True,
        "best_score_at_today_cost": 140.0,
        "score_gap": 40.0,
    }


def test_usage_errors_exit_2(db):
    scored(db, SUNK)
    assert pmo(db, "select", "--cap", "lots").returncode == 2
    assert pmo(db, "select", "--fy-cap", "27=1M").returncode == 2
    assert pmo(db, "frontier", "--points", "5").returncode == 2


@pytest.mark.parametrize("seed", range(3))
def test_the_lp_guided_path_for_large_portfolios_agrees_with_brute_force(seed, monkeypatch):
    # Above selection.LARGE free projects the LP relaxation guides the search (a first set
    # around its fractional projects, then reduced-cost fixing, then HiGHS on the rest).
    # Forced on here for 12 projects, so brute force can check it.
    monkeypatch.setattr(S, "LARGE", 0)
    monkeypatch.setattr(S, "NEIGHBOURHOOD", 4)
    p = random_problem(12, 100 + seed)
    total = float(np.nansum(p.cost))
    for flags in itertools.product((False, True), repeat=3):
        c = S.Constraints(
            cap=0.45 * total,
            fy_caps=((2027, 6.0),) if flags[0] else (),
            mandatory=flags[1],
            capacity=1.0 if flags[2] else None,
        )
        expected = brute_force(p, c)
        got = S.solve(p, c, explain=False)
        if expected is None:
            assert got.status == "infeasible"
        else:
            assert got.proven_optimal
            assert got.score == pytest.approx(expected, abs=1e-6)


def test_the_frontier_chart_draws_exact_points_and_labels_the_greedy_curve_as_an_illustration():
    from pmo import charts

    points = pd.DataFrame(
        {
            "cap": [0.0, 5e6, 10e6],
            "score": [0.0, 100.0, 140.0],
            "projects": [0, 1, 2],
            "proven_optimal": [True, True, True],
        }
    )
    marks = pd.DataFrame(
        [
            {
                "label": "Today's portfolio",
                "cost": 4e6,
                "score": 60.0,
                "projects": 2,
                "text": "Today: $4.0M, score 60",
            },
            {
                "label": "Best set under the cap",
                "cost": 4e6,
                "score": 100.0,
                "projects": 1,
                "text": "Best: $4.0M, score 100",
            },
        ]
    )
    plain = charts.exact_frontier(points, marks, 4e6).to_dict()
    layers = plain["layer"]
    assert plain["title"]["text"] == "The best portfolio at each cost: the exact efficient frontier"
    assert not any("Greedy" in str(layer) for layer in layers)  # only when asked for
    assert any("step-after" in str(layer) for layer in layers)
    assert "Cap $4.0M" in str(plain)
    greedy = pd.DataFrame({"cum_cost": [1e6, 4e6], "cum_score": [40.0, 100.0]})
    shown = str(charts.exact_frontier(points, marks, 4e6, greedy).to_dict())
    assert "Greedy by score per cost (illustration, not optimal)" in shown
    # Above 5,000 candidates a cap may be solved within a gap: the chart no longer says exact.
    gapped = points.assign(proven_optimal=[True, False, True])
    within = charts.exact_frontier(gapped, marks, 4e6).to_dict()
    assert within["title"]["text"] == (
        "The best portfolio at each cost: the efficient frontier (within the gap stated)"
    )
    assert "Best set at each cap (within the gap stated)" in str(within)
    assert "each solved exactly" not in str(within)
    hours = pd.DataFrame(
        {
            "month": pd.to_datetime(["2027-03-01"] * 2),
            "series": ["Best set", "Admitting T"],
            "order": [0, 1],
            "hours": [100.0, 200.0],
            "available": [184.0] * 2,
        }
    )
    spec = charts.role_hours(hours, "Data Engineer").to_dict()
    assert spec["title"]["text"] == "Data Engineer: hours asked against hours available"
    assert '"Mar 2027"' in json.dumps(spec)


def test_a_wide_cost_plan_is_unpivoted_like_allocations(db):
    # As finance keeps it: one row per project, one column per month, money in the cells.
    wide = pd.DataFrame(
        {
            "Project ID": ["T", "M"],
            "Jan 2027": ["$1,000", None],
            "2027-02": [2500, 400],
            "Mar 2027": [None, "1,250.50"],
        }
    )
    result = load(
        db, projects=projects(("T", "Proposed", 1, 0), ("M", "Proposed", 1, 0)), cost_plan=wide
    )
    assert result.row_counts["cost_plan"] == 4  # blank cells are no rows
    assert any(
        "month columns unpivoted: 4 cost plan rows from 2 rows" in str(f) for f in result.findings
    )
    with store.connect(db) as con:
        rows = con.execute(
            "select project_id, month, planned_cost from cost_plan order by project_id, month"
        ).fetchall()
    assert rows == [
        ("M", dt.date(2027, 2, 1), 400.0),
        ("M", dt.date(2027, 3, 1), 1250.5),
        ("T", dt.date(2027, 1, 1), 1000.0),
        ("T", dt.date(2027, 2, 1), 2500.0),
    ]


def test_the_fiscal_year_start_is_read_from_the_databases_settings(db):
    from pmo import settings

    with store.connect(db) as con:
        assert S.fiscal_year_start(con) == 1  # nothing set: January
    settings.save(db, fiscal_year_start=4)
    with store.connect(db) as con:
        assert S.fiscal_year_start(con) == 4


def test_a_must_do_needing_a_pinned_out_project_is_infeasible_and_says_why():
    p = S.Problem(
        ids=["M", "Q", "R"],
        names=["Must", "Prereq", "Other"],
        status=["Proposed"] * 3,
        score=np.array([10.0, 5.0, 50.0]),
        cost=np.array([1.0, 1.0, 1.0]),
        budget=np.array([1.0, 1.0, 1.0]),
        spent=np.zeros(3),
        in_today=np.zeros(3, bool),
        mandatory=np.array([True, False, False]),
        deps=[(0, 1)],
    )
    out = S.solve(p, S.Constraints(pin_out=("Q",)))
    assert out.status == "infeasible"
    assert out.infeasible == ["Prereq (Q) is needed by Must (mandatory) but is pinned out"]
    # Dependencies off: M alone is fine, and R (50) comes with it (no cap).
    ok = S.solve(p, S.Constraints(pin_out=("Q",), dependencies=False))
    assert ok.status == "optimal" and ok.score == 60.0
