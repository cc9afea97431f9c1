"""Cold and warm pages on a 5x portfolio (issue 20: cold pages <= 2 s at 5x scale).

    python bench/pages_scale.py --db PATH   # a database holding the 5x portfolio

Every page in AppTest, as bench/run.py measures them (cold: Streamlit's caches cleared first;
warm: the same page again), on the given database; the section "Pages at 5x scale" of
bench/BENCHMARKS.md. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import run  # noqa: E402  (bench/run.py)

MARK_BEGIN = "<!-- pages_scale:begin (bench/pages_scale.py writes this section) -->"
MARK_END = "<!-- pages_scale:end -->"
COLD_TARGET_S = 2.0


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    import duckdb

    with duckdb.connect(str(args.db), read_only=True) as con:
        projects = con.execute("select count(*) from projects").fetchall()[0][0]
        sheets = con.execute("select count(*) from timesheets").fetchall()[0][0]
    load = os.getloadavg()
    pages = run.measure_pages(args.db)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    slowest = max(pages.items(), key=lambda kv: kv[1]["cold"])
    lines = [
        MARK_BEGIN,
        "## Pages at 5x scale (`python bench/pages_scale.py`)",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC at commit {commit} on "
        f'{projects:,} projects and {sheets:,} timesheet rows, in AppTest as in "Pages" above; '
        f"load average {' '.join(f'{x:.1f}' for x in load)} at the start on this shared "
        "2-core machine (wall times are noisy; CPU is steadier).",
        "",
        "| page | cold | cold CPU | warm | warm CPU | errors |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for page, r in pages.items():
        lines.append(
            f"| {page} | {r['cold']:.2f} s | {r['cold_cpu']:.2f} s | {r['warm']:.2f} s | "
            f"{r['warm_cpu']:.2f} s | {'; '.join(r['errors']) or '—'} |"
        )
    ok = slowest[1]["cold"] <= COLD_TARGET_S
    lines += [
        "",
        "| target (issue 20) | measured | goal | result |",
        "|---|---:|---:|---|",
        f"| slowest cold page at 5x | {slowest[1]['cold']:.2f} s ({slowest[0]}; CPU "
        f"{slowest[1]['cold_cpu']:.2f} s) | ≤ {COLD_TARGET_S:.0f} s | "
        f"{'pass' if ok else 'FAIL'} |",
        "",
        MARK_END,
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        report = HERE / "BENCHMARKS.md"
        text = report.read_text()
        pattern = re.compile(re.escape(MARK_BEGIN) + ".*?" + re.escape(MARK_END), re.S)
        text = (
            pattern.sub(lambda _m: section, text)
            if pattern.search(text)
            else (text.rstrip("\n") + "\n\n" + section + "\n")
        )
        report.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
