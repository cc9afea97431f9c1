"""`python -m pmo select` and `python -m pmo frontier` (the README's command line, issue 15).

select: the optimal set under the constraints given (ids, total cost to continue, total score,
proven optimal or the gap, binding constraints) and today's set scored the same way.
frontier: the same options; the exact frontier's points and today's place against it.
Constraints on by default: the cap (today's cost to continue unless --cap), mandatory
projects, dependencies; off unless asked: fiscal-year caps (--fy-cap), capacity (--capacity).
Exit 0 done, 1 infeasible constraints (the JSON still printed, the reasons on stderr), 2 usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys

from pmo import format, queries, store

_UNITS = {"": 1.0, "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9}


def money(text: str) -> float:
    """'45000000', '45,000,000', '$45M', '45.5m', '800k' -> a number; argparse error otherwise."""
    t = str(text).strip().lower().replace(",", "").replace("_", "")
    t = re.sub(r"^[^\d.\-]+", "", t)  # a currency symbol or code in front
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*([a-z]*)", t)
    if not m or m.group(2) not in _UNITS:
        raise argparse.ArgumentTypeError(
            f"not an amount of money: {text!r} (e.g. 45000000, 45M, 800k)"
        )
    value = float(m.group(1)) * _UNITS[m.group(2)]
    if value < 0:
        raise argparse.ArgumentTypeError(f"a cap cannot be negative: {text!r}")
    return value


def fy_cap(text: str) -> tuple[int, float]:
    """'2027=12M' or 'FY2027=12000000' -> (2027, 12e6)."""
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"--fy-cap expects YEAR=MONEY, got {text!r}")
    year, amount = text.split("=", 1)
    y = year.strip().upper().removeprefix("FY")
    if not y.isdigit() or len(y) != 4:
        raise argparse.ArgumentTypeError(
            f"--fy-cap: not a fiscal year: {year!r} (e.g. 2027 or FY2027)"
        )
    return int(y), money(amount)


def weights(text: str) -> dict[str, float]:
    """'0.5,0.3,0.2' -> {'alignment': .5, 'value': .3, 'risk': .2}."""
    parts = [s.strip() for s in text.split(",")]
    try:
        vals = [float(s) for s in parts]
    except ValueError:
        vals = []
    if len(vals) != 3 or any(v < 0 for v in vals) or not any(vals):
        raise argparse.ArgumentTypeError(
            f"--weights expects ALIGNMENT,VALUE,RISK (three numbers ≥ 0, not all 0), got {text!r}"
        )
    return dict(zip(("alignment", "value", "risk"), vals, strict=True))


def percent(text: str) -> float:
    """'100', '90%', '110' -> 1.0, 0.9, 1.1."""
    try:
        v = float(str(text).strip().rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--capacity expects a percent, got {text!r}") from None
    if v <= 0:
        raise argparse.ArgumentTypeError(f"--capacity must be above 0 %, got {text!r}")
    return v / 100


def add_parsers(sub, add_db, add_filters) -> None:
    """The select and frontier subcommands."""
    for name, help_text in (
        ("select", "the best set of projects under the constraints (JSON)"),
        ("frontier", "the exact efficient frontier: the best score at each cap (JSON)"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.description = __doc__.split("\n\n")[1]
        add_db(p)
        add_filters(p)
        p.add_argument(
            "--cap",
            type=money,
            metavar="MONEY",
            help="most the set may cost to continue (default: today's portfolio's)",
        )
        p.add_argument("--no-cap", action="store_true", help="no overall cap")
        p.add_argument(
            "--fy-cap",
            type=fy_cap,
            action="append",
            default=[],
            metavar="YEAR=MONEY",
            help="cap a fiscal year's planned spend (repeatable)",
        )
        p.add_argument(
            "--capacity",
            type=percent,
            nargs="?",
            const=1.0,
            metavar="PERCENT",
            help="capacity by role and month on, at PERCENT of capacity (default 100)",
        )
        p.add_argument(
            "--pin-in",
            nargs="+",
            action="extend",
            default=[],
            metavar="ID",
            help="projects that must be in",
        )
        p.add_argument(
            "--pin-out",
            nargs="+",
            action="extend",
            default=[],
            metavar="ID",
            help="projects that must be out",
        )
        p.add_argument(
            "--no-mandatory", action="store_true", help="do not force mandatory projects in"
        )
        p.add_argument(
            "--no-dependencies", action="store_true", help="ignore dependencies between projects"
        )
        p.add_argument(
            "--weights",
            type=weights,
            metavar="ALIGNMENT,VALUE,RISK",
            help="criteria weights (default 0.5,0.3,0.2)",
        )
        p.add_argument(
            "--time-limit",
            type=float,
            default=None,
            metavar="SECONDS",
            help="stop each solve after this long and report the gap proved",
        )
        p.add_argument(
            "--gap",
            type=float,
            default=0.0,
            metavar="FRACTION",
            help="stop at this relative gap (default 0: proven optimal)",
        )
        if name == "frontier":
            p.add_argument(
                "--points",
                type=int,
                default=21,
                metavar="N",
                help="caps on the frontier (at least 20; default 21)",
            )
        p.add_argument("--format", choices=["json", "text"], default="json", help="output format")


def _constraints(args, p):
    from pmo import selection

    known = set(p.ids)
    for flag, ids in (("--pin-in", args.pin_in), ("--pin-out", args.pin_out)):
        unknown = [i for i in ids if i not in known]
        if unknown:
            from pmo.cli import UsageError

            raise UsageError(f"{flag}: not a candidate project in this view: {', '.join(unknown)}")
    both = set(args.pin_in) & set(args.pin_out)
    if both:
        from pmo.cli import UsageError

        raise UsageError(f"pinned both in and out: {', '.join(sorted(both))}")
    cap = None if args.no_cap else (args.cap if args.cap is not None else selection.default_cap(p))
    return selection.Constraints(
        cap=cap,
        fy_caps=tuple(sorted(dict(args.fy_cap).items())),
        mandatory=not args.no_mandatory,
        dependencies=not args.no_dependencies,
        capacity=args.capacity,
        pin_in=tuple(args.pin_in),
        pin_out=tuple(args.pin_out),
    )


def _load(args):
    from pmo import selection

    filters = {f: getattr(args, f) for f in queries.FILTER_PARAMS}
    with store.connect(args.db) as con:
        data = selection.inputs(con, args.as_of, filters, args.weights)
        as_of = store.scalar(con, "select resolve_as_of($d)", {"d": args.as_of})
    return selection.problem(data), as_of


def _solver_opts(args) -> dict:
    from pmo import selection

    return {"time_limit": args.time_limit or selection.TIME_LIMIT_SECONDS, "gap": args.gap}


def _as_of_text(as_of) -> str | None:
    return as_of.isoformat() if isinstance(as_of, dt.date) else None


def cmd_select(args) -> int:
    """The optimal set and today's set, as JSON (or a short text)."""
    from pmo import selection

    p, as_of = _load(args)
    c = _constraints(args, p)
    out = selection.solve(p, c, **_solver_opts(args))
    now = selection.today(p, c)
    takes = selection.what_it_would_take(p, c, out, **_solver_opts(args))
    rep = {
        "as_of": _as_of_text(as_of),
        "weights": args.weights or {"alignment": 0.5, "value": 0.3, "risk": 0.2},
        **selection.report(p, c, out, now, takes),
    }
    if args.format == "json":
        print(json.dumps(rep, indent=2))
    else:
        _print_text(p, rep)
    for reason in out.infeasible:
        print(f"infeasible: {reason}", file=sys.stderr)
    return 0 if out.feasible else 1


def _print_text(p, rep: dict) -> None:
    sel, now = rep["selected"], rep["today"]
    if rep["status"] == "infeasible":
        print("No set meets these constraints:")
        for r in rep["infeasible"]:
            print(f"  - {r}")
        return
    proof = (
        "proven optimal"
        if rep["proven_optimal"]
        else f"gap {rep['gap']:.4%}"
        if rep["gap"] is not None
        else "not proven"
    )
    print(
        f"Optimal set ({proof}): {sel['count']} projects, cost to continue "
        f"{format.money(sel['cost_to_continue'])}, score {sel['score']:,.1f}"
    )
    print(
        f"Today's portfolio: {now['count']} projects, cost to continue "
        f"{format.money(now['cost_to_continue'])}, score {now['score']:,.1f}"
    )
    for b in now["breaks"]:
        print(f"  today breaks: {b}")
    names = dict(zip(p.ids, p.names, strict=True))
    print("Stop: " + (", ".join(f"{names[i]} ({i})" for i in rep["stop"]) or "none"))
    print("Start: " + (", ".join(f"{names[i]} ({i})" for i in rep["start"]) or "none"))
    for b in rep["binding"]:
        print(f"Binds: {b['label']} (+{b['score_gain']:,.1f} if lifted) {b['detail']}")
    for t in rep["what_it_would_take"]:
        print(f"What it would take: {t['text']}")


def cmd_frontier(args) -> int:
    """The frontier's points as JSON (or text)."""
    from pmo import selection

    if args.points < 20:
        from pmo.cli import UsageError

        raise UsageError("--points must be at least 20")
    p, as_of = _load(args)
    c = _constraints(args, p)
    f = selection.frontier(p, c, points=args.points, **_solver_opts(args))
    # The constraints other than the cap: when they cannot hold, no point exists.
    check = selection.solve(
        p,
        selection.Constraints.from_dict({**c.to_dict(), "cap": None}),
        explain=False,
        **_solver_opts(args),
    )
    rep = {
        "as_of": _as_of_text(as_of),
        "constraints": {**c.to_dict(), "cap": None},
        "points": [
            {
                "cap": round(r.cap, 2),
                "score": None if r.score is None or r.score != r.score else round(r.score, 4),
                "cost_to_continue": None
                if r.cost is None or r.cost != r.cost
                else round(r.cost, 2),
                "projects": None
                if r.projects is None or r.projects != r.projects
                else int(r.projects),
                "proven_optimal": bool(r.proven_optimal),
                "gap": None if r.gap is None or r.gap != r.gap else round(float(r.gap), 6),
                "ids": list(r.ids),
            }
            for r in f.points.itertuples(index=False)
        ],
        "today": {
            "cost_to_continue": round(f.today_cost, 2),
            "score": round(f.today_score, 4),
            "feasible": f.today_feasible,
            "best_score_at_today_cost": None
            if f.best_at_today is None
            else round(f.best_at_today, 4),
            "score_gap": None if f.score_gap is None else round(f.score_gap, 4),
        },
        "infeasible": check.infeasible,
    }
    if args.format == "json":
        print(json.dumps(rep, indent=2))
    else:
        for r in rep["points"]:
            s = (
                "infeasible"
                if r["score"] is None
                else f"{r['score']:,.1f} ({r['projects']} projects)"
            )
            print(f"cap {format.money(r['cap'])}: {s}")
        t = rep["today"]
        print(
            f"Today: {format.money(t['cost_to_continue'])}, score {t['score']:,.1f}; best at that "
            f"cost {t['best_score_at_today_cost']}, gap {t['score_gap']}"
        )
    for reason in check.infeasible:
        print(f"infeasible: {reason}", file=sys.stderr)
    return 0 if check.feasible else 1
