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
    load(
        db,
        projects=pd.DataFrame(
            {
                "project_id": ["P1", "P2"],
                "name": ["HS2", "Sizewell C"],
                "status": ["Active", "Active"],
                "budget": [400_000_000_000.0, 71_818_000_000.0],
            }
        ),
    )
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
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    cells = " ".join(
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    )
    assert "£471.8bn" in text + cells
    assert "$" not in text + cells


def test_the_data_page_imports_gmpp_money_in_pound_millions_as_of_the_export(monkeypatch, db):
    from tests.test_data_page import data_page, upload

    at = data_page(monkeypatch, db)
    # One project worth £32,614m in the GMPP style: millions, a pound sign, a date of its own.
    upload(at, ("projects.csv", b'project_id,name,status,budget\nP1,HS2,Active,"\xc2\xa332,614"\n'))
    at.selectbox(key="data_money_unit").set_value("millions (m)")
    at.selectbox(key="data_currency").set_value("GBP")
    at.date_input(key="data_as_of").set_value(pd.Timestamp("2023-03-31").date())
    at.button(key="data_import").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    with store.connect(db) as con:
        assert con.execute("select budget from projects").fetchone()[0] == 32_614_000_000
        assert (
            con.execute("select max(as_of) from pmo_imports").fetchone()[0].isoformat()
            == "2023-03-31"
        )
    assert settings.load(db).currency == "GBP"
    assert any(c.value.startswith("Money in GBP (£);") for c in at.caption)  # the settings line
    format.use_currency("USD")
