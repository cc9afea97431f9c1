"""The Prioritisation page of issue 15 in headless Chromium on the demo: the constraints, the
stop and start lists, what binds, and the exact frontier render; switching capacity off
changes the answer."""

import pytest

from tests.e2e_server import ROOT, app_pages, streamlit_server, wait_for_app

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots"


def test_prioritisation_shows_the_constrained_answer_in_chromium(browser, demo_db):
    SHOTS.mkdir(exist_ok=True)
    path = dict(app_pages())["prioritisation"]
    with streamlit_server(demo_db) as url:
        page = browser.new_page(viewport={"width": 1500, "height": 5200})
        page.goto(f"{url}/{path}")
        wait_for_app(page, timeout_ms=180000)
        page.wait_for_selector(".vega-embed", timeout=120000)
        text = page.inner_text("[data-testid='stApp']")
        page.screenshot(path=str(SHOTS / "selection-prioritisation.png"), full_page=True)
        assert page.locator("[data-testid='stException']").count() == 0
        for words in (
            "Cap on cost to continue",
            "Mandatory projects in",
            "Dependencies respected",
            "Capacity by role and month",
            "Fiscal-year caps",
            "Pin in",
            "Pin out",
            "Stop: 2 projects",
            "Start: 2 projects",
            "What binds, and what it would take",
            "+1 Data Engineer, Apr–Aug 2027, admits Wealth Portal Launch",
            "The frontier: the best set at each cap",
            "each solved exactly",
        ):
            assert words in text, words
        assert page.locator(".vega-embed").count() >= 3  # role hours, frontier, contributions
        # Capacity off: Wealth Portal Launch starts (the Data Engineers no longer bind).
        page.get_by_text("Capacity by role and month", exact=True).click()
        wait_for_app(page, timeout_ms=180000)
        text = page.inner_text("[data-testid='stApp']")
        assert "admits Wealth Portal Launch" not in text
        page.close()
