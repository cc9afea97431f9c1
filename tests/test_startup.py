"""Start-up cost of the command line: `pmo kpis` answers without importing pandas (issue 9).

pandas and pyarrow take most of a second to import on the 2-core machine, over half the
one-second budget of `python -m pmo kpis --json`; the read-only commands do without them.
"""

import json
import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import json, sys
from pmo import cli
code = cli.main(sys.argv[1:])
heavy = sorted(m for m in ("pandas", "pyarrow", "python_calamine") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}))
"""


def test_kpis_runs_without_importing_pandas(db):
    # The headline KPIs stay off pandas. (On a database with cost history, the forecast keys
    # of kpis --json run the Monte Carlo, which does import it: issue 16's open speed work.)
    import pandas as pd

    from tests.conftest import load

    load(
        db,
        projects=pd.DataFrame(
            {"project_id": ["P1"], "name": ["A"], "status": ["Active"], "budget": [100.0]}
        ),
        status_reports=pd.DataFrame(
            {"project_id": ["P1"], "report_date": ["2026-10-31"], "rating": ["Amber/Green"]}
        ),
    )
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "kpis", "--json", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    # The last line is the probe's; the KPIs JSON is printed above it.
    probe = json.loads(proc.stdout.strip().splitlines()[-1])
    assert probe == {"code": 0, "heavy": []}, (
        "import pandas/pyarrow/calamine inside the functions that need them, "
        "not at the top of a module on the `pmo kpis` path"
    )
