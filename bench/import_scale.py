"""A decade of timesheets in one go (issue 20): the timesheet import at 1M, 5M and 10M lines.

    python bench/generate.py --scale 5 --timesheet-days 20 --out bench/out/scale5   # once
    python bench/import_scale.py [--files bench/out/scale5] [--lines 1000000 5000000 10000000]

The portfolio workbook of the 5x scale (25,000 projects) is imported once; then the first N
lines of its timesheets.csv (10,000,000 lines, 0.1 % of bookings split in two lines with the
same key) are imported into a copy of that database, as `python -m pmo import` (a fresh
process), beside the parse-only floor: DuckDB's read_csv of the same file into a table, no
checks. Wall time, CPU and peak memory (GNU time) for each; the section "Timesheets at scale"
of bench/BENCHMARKS.md. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REPORT = HERE / "BENCHMARKS.md"
MARK_BEGIN = "<!-- import_scale:begin (bench/import_scale.py writes this section) -->"
MARK_END = "<!-- import_scale:end -->"
TARGETS = {1_000_000: 1.0, 10_000_000: 1.2}  # import / parse-only floor (issue 20)
PEAK_TARGET = 2 * 1024**3

# The parse-only floor: DuckDB parses the file as the import must, every cell of the template's
# four columns typed (text ids, a date, a number), header skipped, strict CSV, no sniffing,
# into a table in memory; no checks, no write. (Until issue 20's second round it was
# read_csv with sniffing and auto-detected types: about the same work, sampled.)
FLOOR = """
import sys, duckdb
con = duckdb.connect()
con.execute("set enable_progress_bar = false")
con.execute(
    "create table t as select * from read_csv($p, header = true, delim = ',', quote = '\\"', "
    "escape = '\\"', auto_detect = false, strict_mode = true, columns = {'resource_id': "
    "'VARCHAR', 'project_id': 'VARCHAR', 'date': 'DATE', 'hours': 'DOUBLE'})",
    {"p": sys.argv[1]},
)
print(con.execute("select count(*) from t").fetchall()[0][0])
"""
# The same, stored: the floor written into a new database file (with its checkpoint), what
# any import also pays to keep the rows; for context, not a target.
STORED = FLOOR.replace("duckdb.connect()", "duckdb.connect(sys.argv[2])")


def timed(cmd: list[str], env: dict | None = None) -> dict:
    """Run under GNU time: wall, user + system CPU, peak resident memory."""
    with tempfile.NamedTemporaryFile(suffix=".time", delete=False) as out:
        pass  # GNU time writes it
    done = subprocess.run(
        ["/usr/bin/time", "-o", out.name, "-f", "%e %U %S %M", *cmd],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    wall, user, system, peak_kb = Path(out.name).read_text().split()[-4:]
    os.unlink(out.name)
    return {
        "wall_s": float(wall),
        "cpu_s": float(user) + float(system),
        "peak_bytes": int(peak_kb) * 1024,
        "status": done.returncode,
        "stderr": done.stderr[-2000:],
    }


def head(src: Path, lines: int, dest: Path) -> Path:
    """The header and the first ``lines`` data lines of a CSV."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with src.open("rb") as fin, dest.open("wb") as fout:
        for i, line in enumerate(fin):
            if i > lines:
                break
            fout.write(line)
    return dest


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=Path, default=HERE / "out" / "scale5")
    parser.add_argument("--lines", type=int, nargs="+", default=[1_000_000, 5_000_000, 10_010_000])
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="pmo-import-scale-"))
    py = sys.executable
    base = work / "base.duckdb"
    load = os.getloadavg()
    if not base.exists():
        r = timed(
            [py, "-m", "pmo", "import", str(args.files / "portfolio.xlsx"), "--db", str(base)]
        )
        assert r["status"] == 0, r["stderr"]
        print("workbook", json.dumps({k: v for k, v in r.items() if k != "stderr"}), flush=True)
    rows = []
    for n in args.lines:
        csv = head(args.files / "timesheets.csv", n, work / f"{n}" / "timesheets.csv")
        db = work / f"{n}.duckdb"
        shutil.copy(base, db)
        before = os.getloadavg()[0]
        floor = timed([py, "-c", FLOOR, str(csv)])
        stored_db = work / f"{n}-stored.duckdb"
        stored = timed([py, "-c", STORED, str(csv), str(stored_db)])
        stored_db.unlink(missing_ok=True)
        imp = timed([py, "-m", "pmo", "import", str(csv), "--db", str(db)])
        assert imp["status"] == 0, imp["stderr"]
        summed = re.search(r"(\d+) lines share a key; summed into (\d+) fewer", imp["stderr"])
        row = {
            "lines": n,
            "bytes": csv.stat().st_size,
            "floor": floor,
            "stored": stored,
            "import": imp,
            "repeated_lines": int(summed.group(1)) if summed else 0,
            "load": (before + os.getloadavg()[0]) / 2,
        }
        rows.append(row)
        print(
            json.dumps(
                {
                    k: (
                        v
                        if not isinstance(v, dict)
                        else {a: b for a, b in v.items() if a != "stderr"}
                    )
                    for k, v in row.items()
                }
            ),
            flush=True,
        )
        db.unlink()
        shutil.rmtree(csv.parent)
    section = report(rows, load)
    print(section)
    if not args.no_write:
        text = REPORT.read_text()
        pattern = re.compile(re.escape(MARK_BEGIN) + ".*?" + re.escape(MARK_END), re.S)
        text = (
            pattern.sub(lambda _m: section, text)
            if pattern.search(text)
            else (text.rstrip("\n") + "\n\n" + section + "\n")
        )
        REPORT.write_text(text)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def report(rows: list[dict], load: tuple) -> str:
    """The Markdown section."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        MARK_BEGIN,
        "## Timesheets at scale (`python bench/import_scale.py`)",
        "",
        f"Measured {when} at commit {commit}; the load average was "
        f"{' '.join(f'{x:.1f}' for x in load)} at the start on this shared 2-core machine (the "
        "load column: around each run), so wall times are noisy; CPU time is the steadier "
        "figure. The first N lines of the 5x scale's timesheets.csv (`bench/generate.py --scale 5 "
        "--timesheet-days 20`; 0.1 % of bookings split in two lines with one key) imported with "
        "`python -m pmo import` into a database holding the 5x portfolio (25,000 projects), "
        "against the parse-only floor (a fresh process: DuckDB read_csv of the same file with the "
        "template's types, no sniffing, into a table in memory; no checks, no write) and, for "
        "context, the same floor stored into a new database file. One run each; CPU is user + "
        "system time of the process and its threads (GNU time).",
        "",
        "| lines | file | import wall | import CPU | floor wall | floor CPU | stored floor wall "
        "| stored floor CPU | import / floor wall | import / floor CPU | peak memory | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        imp, floor, stored = r["import"], r["floor"], r["stored"]
        lines.append(
            f"| {r['lines']:,} | {r['bytes'] / 1e6:.0f} MB | {imp['wall_s']:.1f} s | "
            f"{imp['cpu_s']:.1f} s | {floor['wall_s']:.1f} s | {floor['cpu_s']:.1f} s | "
            f"{stored['wall_s']:.1f} s | {stored['cpu_s']:.1f} s | "
            f"{imp['wall_s'] / floor['wall_s']:.2f}× | {imp['cpu_s'] / floor['cpu_s']:.2f}× | "
            f"{imp['peak_bytes'] / 2**30:.2f} GiB | {r['load']:.1f} |"
        )
    lines += ["", "| target (issue 20) | measured | goal | result |", "|---|---:|---:|---|"]
    # The whole file is 10,010,000 lines (10,000,000 keys): it stands for "10M".
    by = {t: r for r in rows for t in TARGETS if abs(t - r["lines"]) <= t // 100}
    for n, goal in TARGETS.items():
        if n in by:
            r = by[n]
            ratio = r["import"]["wall_s"] / r["floor"]["wall_s"]
            cpu = r["import"]["cpu_s"] / r["floor"]["cpu_s"]
            lines.append(
                f"| import / floor at {r['lines']:,} lines | {ratio:.2f}× wall "
                f"({cpu:.2f}× CPU) | ≤ {goal}× | {'pass' if ratio <= goal else 'FAIL'} |"
            )
    top = by.get(10_000_000)
    if top:
        peak = top["import"]["peak_bytes"]
        lines.append(
            f"| peak memory at 10,000,000 lines | {peak / 2**30:.2f} GiB | ≤ 2 GiB | "
            f"{'pass' if peak <= PEAK_TARGET else 'FAIL'} |"
        )
    if len(rows) >= 2:
        a, b = rows[0], rows[-1]
        per_a = a["import"]["cpu_s"] / a["lines"] * 1e6
        per_b = b["import"]["cpu_s"] / b["lines"] * 1e6
        lines.append(
            f"| CPU per million lines, {a['lines']:,} → {b['lines']:,} | "
            f"{per_a:.1f} s → {per_b:.1f} s | linear | "
            f"{'pass' if per_b <= per_a * 1.25 else 'FAIL'} |"
        )
    lines += ["", MARK_END]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
