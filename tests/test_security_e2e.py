"""Browser and HTTP checks of the served app (issue 10): injection, files, errors, load.

Each test starts its own `streamlit run` (tests/e2e_server.py) and bounds every wait.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from pmo import store
from tests.conftest import load
from tests.e2e_server import (
    ROOT,
    app_pages,
    streamlit_server,
    wait_for_app,
)

pytestmark = pytest.mark.e2e
URLS = dict(app_pages())  # file stem -> the page's URL path
PAGES = list(URLS)

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
PORTFOLIO = "<b>Pwn</b> <img src=x onerror=alert('p')>"


def path_of(name: str) -> str:
    return URLS[name]


@pytest.fixture
def hostile_db(demo_db) -> Path:
    """The demo with four projects renamed to markup, in a portfolio named with markup, and
    status comments and sponsors that are markup too; every other value as in the demo."""
    with store.connect(demo_db) as con:
        projects = con.execute("select * from projects order by project_id").df()
        reports = con.execute(
            "select * from status_reports qualify row_number() over "
            "(partition by project_id order by report_date desc) = 1 order by project_id"
        ).df()
    chosen = projects[projects["status"].isin(["Active", "On Hold"])].head(4).index
    projects.loc[chosen, "name"] = [IMG, SCRIPT, f"{IMG} & {SCRIPT}", '=HYPERLINK("http://x")']
    projects.loc[chosen, "portfolio"] = PORTFOLIO
    projects.loc[chosen, "sponsor"] = "javascript:alert('s')"
    ids = projects.loc[chosen, "project_id"]
    reports = reports[reports["project_id"].isin(ids)].copy()
    reports["comment"] = SCRIPT
    reports["rag_overall"] = "Red"
    load(demo_db, projects=projects, status_reports=reports)
    return demo_db


def test_hostile_names_render_as_text_and_run_no_script(browser, hostile_db):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    texts = {}
    with streamlit_server(hostile_db) as url:
        for name in PAGES:
            # The view narrowed to the hostile portfolio, through the link as a user shares it.
            query = urllib.parse.urlencode({"portfolio": PORTFOLIO})
            page.goto(f"{url}/{path_of(name)}?{query}")
            wait_for_app(page)
            assert page.locator("[data-testid='stException']").count() == 0, name
            # No element made from the data: no <img src=x>, no <b> from the portfolio name,
            # no script whose text came from a project.
            assert page.locator("img[src='x']").count() == 0, name
            assert page.locator("[data-testid='stApp'] b:text('Pwn')").count() == 0, name
            scripts = page.evaluate("[...document.scripts].map(s => s.textContent).join(' ')")
            assert "alert(1)" not in scripts and "alert('p')" not in scripts, name
            texts[name] = page.inner_text("[data-testid='stApp']")
    page.close()
    assert dialogs == []
    # The hostile portfolio name shows literally, as typed, on every page (the filters in
    # force under the title and the sidebar's portfolio filter).
    for name, text in texts.items():
        assert PORTFOLIO in text, name


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_the_database_secrets_and_server_files_are_never_served(demo_db, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[pmo]\neditors = ["SECRET-MARKER@example.com"]\n')
    db = tmp_path / "pmo.duckdb"
    shutil.copy(demo_db, db)
    probes = [
        "/data/pmo.duckdb",
        "/pmo.duckdb",
        "/data/demo_portfolio.xlsx",
        "/.streamlit/secrets.toml",
        "/.streamlit/config.toml",
        "/secrets.toml",
        "/app/static/pmo.duckdb",
        "/app/static/../../data/pmo.duckdb",
        "/app/static/%2e%2e/%2e%2e/data/pmo.duckdb",
        "/app/static/..%2f..%2fapp.py",
        "/static/../app.py",
        "/app.py",
        "/pmo/store.py",
        "/media/../../app.py",
        "/_stcore/../app.py",
        "/component/../../app.py",
        "/%2e%2e/%2e%2e/etc/passwd",
        f"/{db}",
        f"/app/static/{db}",
    ]
    db_head = db.read_bytes()[:4096]
    app_source = (ROOT / "app.py").read_bytes()
    with streamlit_server(db, args=["--secrets.files", str(secrets)]) as url:
        index_status, index = get(url + "/")
        for probe in probes:
            status, body = get(url + probe)
            # At most the app's own page (its HTML shell) comes back; never a file's content.
            assert b"DUCK" not in body, probe
            assert db_head[8:64] not in body, probe
            assert b"SECRET-MARKER" not in body, probe
            assert b"import streamlit" not in body and app_source[:200] not in body, probe
            assert b"root:x:0:0" not in body, probe
            assert status in (200, 301, 302, 400, 403, 404, 405), (probe, status)
            if status == 200:
                assert body == index, probe


def test_an_error_shows_no_stack_trace_and_is_logged(browser, tmp_path):
    # A database file that is not one: every page fails to read it.
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a database " * 200)
    log = tmp_path / "server.log"
    page = browser.new_page()
    with streamlit_server(broken, log=log) as url:
        page.goto(url)
        page.wait_for_selector("[data-testid='stException']", timeout=60000)
        text = page.inner_text("[data-testid='stApp']")
    page.close()
    assert "Traceback" not in text
    assert 'File "' not in text and ".py" not in text
    assert str(ROOT) not in text and str(broken) not in text
    # The server log has the whole story for whoever runs the app.
    logged = log.read_text(errors="replace")
    assert "Traceback" in logged or "Uncaught app execution" in logged


def test_twelve_sessions_render_while_an_import_runs(browser, demo_db, tmp_path):
    # A timesheets file big enough to keep the import writing while the pages load.
    with store.connect(demo_db) as con:
        res = [r[0] for r in con.execute("select resource_id from resources order by 1").fetchall()]
        prj = [r[0] for r in con.execute("select project_id from projects order by 1").fetchall()]
    rows = 40_000
    days = pd.date_range("1990-01-01", periods=rows // len(res) + 1, freq="D")
    pd.DataFrame(
        {
            "resource_id": [res[i % len(res)] for i in range(rows)],
            "project_id": [prj[(i // 7) % len(prj)] for i in range(rows)],
            "date": [days[i // len(res)].strftime("%Y-%m-%d") for i in range(rows)],
            "hours": 2.0,
        }
    ).to_csv(tmp_path / "timesheets.csv", index=False)

    with streamlit_server(demo_db) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tabs = [context.new_page() for _ in range(12)]
        importer = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pmo",
                "import",
                str(tmp_path / "timesheets.csv"),
                "--db",
                str(demo_db),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, tab in enumerate(tabs):
            tab.goto(f"{url}/{path_of(PAGES[i % len(PAGES)])}", wait_until="commit")
        failures = []
        for i, tab in enumerate(tabs):
            wait_for_app(tab, timeout_ms=180000)
            if tab.locator("[data-testid='stException']").count():
                failures.append(
                    (PAGES[i % len(PAGES)], tab.inner_text("[data-testid='stException']"))
                )
        out, err = importer.communicate(timeout=300)
        context.close()
    assert importer.returncode == 0, err
    assert failures == []
