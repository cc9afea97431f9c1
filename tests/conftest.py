"""Shared fixtures: databases built through the real import code."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pmo import ingest, store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo_portfolio.xlsx"
REALDATA = ROOT.parent / "shared" / "realdata"


def workbook(**sheets: pd.DataFrame) -> bytes:
    """An .xlsx file with one sheet per keyword (sheet name = keyword)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as xw:
        for name, frame in sheets.items():
            frame.to_excel(xw, sheet_name=name, index=False)
    return buf.getvalue()


def load(db: Path, **sheets: pd.DataFrame) -> ingest.ImportResult:
    """Import DataFrames (keyword = sheet name) into ``db`` through the real importer."""
    return ingest.import_uploads([ingest.Upload("fixture.xlsx", workbook(**sheets))], db)


@pytest.fixture
def db(tmp_path) -> Path:
    """A fresh, empty database file with the schema created."""
    path = tmp_path / "test.duckdb"
    with store.connect(path, write=True):
        pass
    return path


@pytest.fixture(scope="session")
def demo_db_master(tmp_path_factory) -> Path:
    """The demo workbook imported once per test session (read it, do not write it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    ingest.import_paths([DEMO], path, user="demo")
    return path


@pytest.fixture
def demo_db(demo_db_master, tmp_path) -> Path:
    """A private copy of the demo database that a test may change."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_master, path)
    return path


def table_rows(db: Path, table: str) -> list[tuple]:
    """Every row of a table, sorted, for before/after comparisons."""
    with store.connect(db) as con:
        return sorted(con.execute(f"select * from {table}").fetchall(), key=repr)  # noqa: S608


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium for the browser tests (marked e2e), one per test session."""
    from playwright.sync_api import sync_playwright

    from tests.e2e_server import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install chromium (see .ci/run)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _dollars_again():
    """Every test starts and ends with money in dollars: a test that serves or imports a
    database in pounds in this process must not change the next test's money."""
    from pmo import format

    format.use_currency("USD")
    yield
    format.use_currency("USD")
