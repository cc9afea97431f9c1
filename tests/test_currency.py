"""Money in the database's currency on pages, in the pack and on the command line (issue 14)."""

import io
from pathlib import Path

import pandas as pd
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from pmo import format, pack, settings, store
from tests.conftest import load

ROOT = Path(__file__).resolve().parents[1]


def pounds_db(db):
    # Two Active projects whose whole-life costs add up to £471,818m (the 2023 GMPP total).
    load(db, projects=pd.DataFrame({
        "project_id": ["P1", "P2"], "name": ["HS2", "Sizewell C"], "status": ["Active", "Active"],
        "budget": [400_000_000_000.0, 71_818_000_000.0],
    }))
    settings.save(db, currency="GBP")
    return db


def test_the_overview_writes_money_in_pounds(monkeypatch, db):
    monkeypatch.setenv("PMO_DB", str(pounds_db(db)))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception, at.exception
    tiles = {m.label: m.value for m in at.metric}
    # £400,000m + £71,818m = £471,818m = £471.8bn, as the UK writes it.
    assert tiles["Portfolio budget"] == "£471.8bn"
    assert not any("$" in str(v) for v in tiles.values())
    format.use_currency("USD")


def test_the_pack_writes_money_in_pounds(db):
    pounds_db(db)
    with store.connect(db) as con:
        deck = Presentation(io.BytesIO(pack.build(con)))
    format.use_currency("USD")
    text = " ".join(
        shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
    )
    cells = " ".join(
        cell.text for slide in deck.slides for shape in slide.shapes if shape.has_table
        for row in shape.table.rows for cell in row.cells
    )
    assert "£471.8bn" in text + cells
    assert "$" not in text + cells
