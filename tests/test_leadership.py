"""Leadership reviews: filters in the URL, presentation mode, the review pack."""

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from pmo import filters, kpi, pack, queries, store

ROOT = Path(__file__).resolve().parents[1]


def app(monkeypatch, db, **params) -> AppTest:
    monkeypatch.setenv("PMO_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def presentation_css_on(at) -> bool:
    return any(
        "stSidebar" in h.proto.body and "@media print" not in h.proto.body for h in at.get("html")
    )


def test_a_link_reproduces_the_filtered_view_across_pages(monkeypatch, demo_db):
    with store.connect(demo_db) as con:
        expected = kpi.headline(con, dt.date(2026, 6, 30), portfolio=["Digital Growth"])
        everything = kpi.headline(con, None)
    at = app(monkeypatch, demo_db, portfolio=["Digital Growth"], as_of="2026-06-30")
    assert tiles(at)["In-flight projects"] == str(expected["in_flight_projects"])
    assert expected["in_flight_projects"] < everything["in_flight_projects"]
    assert at.multiselect(key="portfolio").value == ["Digital Growth"]
    assert at.date_input(key="as_of").value == dt.date(2026, 6, 30)
    at.switch_page("pages/data.py").run()
    at.switch_page("pages/overview.py").run()
    # Kept when moving between pages (the URL side is checked in Chromium, test_e2e.py).
    assert tiles(at)["In-flight projects"] == str(expected["in_flight_projects"])
    # The subtitle says what the view shows.
    assert "Portfolio: Digital Growth · As of 30 Jun 2026" in at.caption[0].value.replace("\\", "")


def test_changing_a_filter_narrows_every_tile(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db)
    at.multiselect(key="business_unit").select("Operations").run()
    with store.connect(demo_db) as con:
        expected = kpi.headline(con, None, business_unit=["Operations"])
    assert tiles(at)["In-flight projects"] == str(expected["in_flight_projects"])
    assert tiles(at)["Cost performance (CPI)"] == f"{expected['portfolio_cpi']:.2f}"


def test_a_hostile_link_shows_an_empty_view_with_a_notice(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, portfolio=["x' OR '1'='1"], as_of="soon")
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "matches no project" in notices
    assert "is not a date" in notices
    assert not at.metric  # nothing shown: the filter matched nothing
    assert any("matches the filters in force" in i.value for i in at.info)


def test_presentation_mode_from_the_link(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, present="1")
    assert not at.exception
    assert presentation_css_on(at)
    assert tiles(at)["In-flight projects"] == "26"
    assert "All projects · As of 31 Oct 2026" in at.caption[0].value.replace("\\", "")
    at.button(key="present_exit").click().run()
    assert not at.exception
    assert tiles(at)["In-flight projects"] == "26"


def slides_text(deck) -> list[str]:
    return [
        "\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in deck.slides
    ]


def test_review_pack_from_the_demo(demo_db):
    with store.connect(demo_db) as con:
        data = pack.build(con)
        mix = queries.run(con, "rag_mix", **filters.query_params("rag_mix"))
        inv = queries.run(
            con, "investment_by_objective", **filters.query_params("investment_by_objective")
        )
    deck = Presentation(io.BytesIO(data))
    texts = slides_text(deck)
    pictures = [sh for s in deck.slides for sh in s.shapes if sh.shape_type == 13]
    # summary, KPI tiles, one slide per chart (each with its picture), two exceptions slides,
    # decisions (issue 21)
    assert len(deck.slides) == 5 + len(pictures)
    assert len(pictures) >= 6  # map, RAG, investment, utilisation, CPI/SPI, frontier at least
    assert "As of 31 Oct 2026" in texts[0]
    red = int(mix.loc[mix.rag == "Red", "projects"].iloc[0])
    total = int(mix.projects.sum())
    assert any(f"{red} of {total} in-flight projects are Red" in t for t in texts)
    # The investment takeaway names the objective furthest under its target share.
    worst = inv[inv.objective_id != "UNALIGNED"].sort_values("gap").iloc[0]
    assert any(f"{worst.objective_name} gets" in t for t in texts)
    # The KPI slide carries the headline figures.
    table = next(sh.table for sh in deck.slides[1].shapes if sh.has_table)
    cells = {table.cell(i, 0).text: table.cell(i, 1).text for i in range(1, len(table.rows))}
    assert cells["In-flight projects"] == "26"
    assert texts[-3].startswith("Exceptions: Red projects")
    assert texts[-2].startswith("Exceptions: capacity and milestones")
    assert texts[-1].startswith("Decisions and actions")


def test_review_pack_on_an_empty_database_is_short_and_says_so(db):
    with store.connect(db) as con:
        deck = Presentation(io.BytesIO(pack.build(con)))
    assert len(deck.slides) == 5  # summary, tiles, exceptions, decisions: no chart without data
    texts = slides_text(deck)
    assert "No in-flight project is at Red." in texts[-3]
    assert "Not enough data yet for a summary" in texts[0]
    assert "No decision recorded since the last review." in texts[-1]


def test_pack_command_follows_the_filters(demo_db, tmp_path):
    out = tmp_path / "pack.pptx"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pmo",
            "pack",
            "--out",
            str(out),
            "--db",
            str(demo_db),
            "--portfolio",
            "Digital Growth",
            "--as-of",
            "2026-06-30",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    texts = slides_text(Presentation(str(out)))
    assert "Portfolio: Digital Growth · As of 30 Jun 2026" in texts[0]


def test_hostile_names_stay_plain_text_in_the_pack(db):
    import pandas as pd

    from tests.conftest import load

    name = '<script>alert(1)</script> =HYPERLINK("x")'
    load(
        db,
        projects=pd.DataFrame(
            [
                {
                    "project_id": "P1",
                    "name": name,
                    "status": "Active",
                    "budget": 100,
                    "start_date": "2025-01-01",
                    "end_date": "2025-12-31",
                }
            ]
        ),
        status_reports=pd.DataFrame(
            [
                {
                    "project_id": "P1",
                    "report_date": "2025-06-30",
                    "earned_value": 10,
                    "planned_value": 50,
                    "actual_cost": 60,
                    "rag_overall": "Red",
                    "comment": "<img src=x onerror=alert(1)>",
                }
            ]
        ),
    )
    with store.connect(db) as con:
        deck = Presentation(io.BytesIO(pack.build(con)))
    cells = [
        sh.table.cell(i, j).text
        for slide in deck.slides
        for sh in slide.shapes
        if sh.has_table
        for i in range(len(sh.table.rows))
        for j in range(len(sh.table.columns))
    ]
    # The name and the comment are written as they are: plain text, no markup, no formula.
    assert name in cells
    assert "<img src=x onerror=alert(1)>" in cells


@pytest.mark.parametrize(
    ("view", "as_of", "expected"),
    [
        ({}, None, "All projects"),
        ({"portfolio": ["A", "B"]}, dt.date(2026, 10, 31), "Portfolio: A, B · As of 31 Oct 2026"),
        ({"sponsor": list("abcdef")}, None, "Sponsor: a, b, c, d +2"),
    ],
)
def test_describe_says_the_view_in_words(view, as_of, expected):
    assert filters.describe(view, as_of) == expected


def test_url_params_round_trip():
    params = filters.url_params(
        {"portfolio": ["A"], "status": [], "as_of": dt.date(2026, 1, 31)}, True
    )
    assert params == {"portfolio": ["A"], "as_of": "2026-01-31", "present": "1"}
    assert filters.split_known(["A", "Z"], ["A", "B"]) == (["A"], ["Z"])
    assert filters.parse_as_of("2026-13-01") == (None, "2026-13-01")
