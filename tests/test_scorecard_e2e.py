"""Browser test of the strategy scorecard (issue 18): one click on an objective's row in the
scorecard table drills into its key results."""

import pytest

from tests.e2e_server import ROOT, streamlit_server, wait_for_app

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots"


def test_clicking_an_objective_row_drills_into_its_key_results(browser, demo_db):
    SHOTS.mkdir(exist_ok=True)
    with streamlit_server(demo_db) as url:
        page = browser.new_page(viewport={"width": 1500, "height": 2600})
        page.goto(f"{url}/alignment")
        wait_for_app(page)
        picker = page.locator("[data-testid='stSelectbox']").filter(has_text="Key results of")
        chosen = picker.locator("input")
        # Opens on the objective that matters most: Grow digital revenue (off track, weight 3).
        assert chosen.input_value() == "Grow digital revenue · Off track"
        grid = page.locator("[data-testid='stDataFrame']").first
        page.wait_for_timeout(1500)  # the grid draws its canvas after the page is idle
        box = grid.bounding_box()
        # Row 3 (Reduce cost to serve): header and rows are 35 px; the selection column is first.
        page.mouse.click(box["x"] + 16, box["y"] + 35 + 2 * 35 + 17)
        wait_for_app(page)
        assert chosen.input_value() == "Reduce cost to serve · Off track"
        text = page.inner_text("[data-testid='stApp']")
        assert "Cost-to-income ratio" in text and "Average handling time" in text
        page.screenshot(path=str(SHOTS / "scorecard-drilldown.png"), full_page=True)
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()
