"""Issue 17: the Roadmap page in headless Chromium, on the demo and on an empty database.
Screenshots land in screenshots/ (git-ignored)."""

import pytest

from pmo import queries, store
from tests.e2e_server import ROOT, streamlit_server, wait_for_app

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots"


def visit(browser, url: str, shot: str) -> tuple[str, int]:
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1600, "height": 3200})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{url}/roadmap")
    wait_for_app(page)
    page.screenshot(path=str(SHOTS / shot), full_page=True)
    text = page.inner_text("[data-testid='stApp']")
    charts = page.locator("[data-testid='stVegaLiteChart']").count()
    assert page.locator("[data-testid='stException']").count() == 0
    assert not dialogs
    page.close()
    return text, charts


def test_the_roadmap_renders_in_chromium_on_the_demo(browser, demo_db):
    with store.connect(demo_db) as con:
        road = queries.run(con, "roadmap", **queries.defaults("roadmap"))
        waiting = queries.run(
            con, "dependencies_at_risk", **queries.defaults("dependencies_at_risk")
        )
    ops = int((road.portfolio == "Customer Operations").sum())
    with streamlit_server(demo_db) as url:
        text, charts = visit(browser, url, "roadmap-demo.png")
    assert charts == 3  # the Gantt, the heat map, the exposure by month
    for words in (
        "Roadmap by portfolio",
        f"Dependencies at risk: {len(waiting)}",
        f"Customer Operations · {ops} projects",
        "Open risks: probability × impact",
        "Overdue risks",
    ):
        assert words in text, words


def test_the_roadmap_on_an_empty_database_names_the_sheets(browser, db):
    with streamlit_server(db) as url:
        text, charts = visit(browser, url, "roadmap-empty.png")
    assert charts == 0
    assert "Upload a workbook with the Projects, Milestones, Dependencies, Risks sheet(s)" in text
