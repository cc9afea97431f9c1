"""Browser tests: the served app in headless Chromium. Screenshots land in screenshots/."""

import pytest

from tests.e2e_server import (
    ROOT,
    app_pages,
    streamlit_server,
    wait_for_app,
)

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots"
PAGES = dict(app_pages())  # file stem -> URL path


def visit_every_page(browser, url: str, tag: str) -> dict[str, str]:
    SHOTS.mkdir(exist_ok=True)
    texts = {}
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for name, path in PAGES.items():
        page.goto(f"{url}/{path}")
        wait_for_app(page)
        page.screenshot(path=str(SHOTS / f"{tag}-{name}.png"), full_page=True)
        texts[name] = page.inner_text("[data-testid='stApp']")
        assert page.locator("[data-testid='stException']").count() == 0, name
    assert not dialogs
    page.close()
    return texts


def test_every_page_renders_in_chromium_on_demo_data(browser, demo_db):
    with streamlit_server(demo_db) as url:
        texts = visit_every_page(browser, url, "demo")
    assert "In-flight projects" in texts["overview"]
    assert "Traceback" not in "".join(texts.values())


def test_every_page_renders_in_chromium_on_an_empty_database(browser, db):
    with streamlit_server(db) as url:
        texts = visit_every_page(browser, url, "empty")
    assert "No data for the overview yet" in texts["overview"]


def test_links_keep_filters_across_pages_and_presentation_mode_is_clean(browser, demo_db):
    SHOTS.mkdir(exist_ok=True)
    with streamlit_server(demo_db) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        page.goto(f"{url}/?portfolio=Digital+Growth")
        wait_for_app(page)
        page.get_by_role("link", name="Data").click()
        wait_for_app(page)
        assert "portfolio=Digital+Growth" in page.url
        # A link straight to another page keeps the frame and the filters.
        page.goto(f"{url}/{PAGES['data']}?portfolio=Digital+Growth")
        wait_for_app(page)
        assert page.locator("[data-testid='stSidebar']").is_visible()
        assert page.get_by_text("Portfolio: Digital Growth").first.is_visible()
        page.get_by_role("link", name="Overview").click()
        wait_for_app(page)
        page.get_by_text("Presentation mode").click()
        wait_for_app(page)
        assert "present=1" in page.url and "portfolio=Digital+Growth" in page.url
        assert not page.locator("[data-testid='stSidebar']").is_visible()
        assert not page.locator("[data-testid='stHeader']").is_visible()
        assert not page.locator("[data-testid='stToolbar']").is_visible()
        assert page.get_by_text("Portfolio: Digital Growth · As of 31 Oct 2026").is_visible()
        page.screenshot(path=str(SHOTS / "presentation-overview.png"))
        page.get_by_text("Exit presentation mode").click()
        wait_for_app(page)
        assert page.locator("[data-testid='stSidebar']").is_visible()
        assert "present=1" not in page.url
        page.close()


def test_a_shared_link_opened_first_after_a_restart_shows_its_page_without_a_dialog(
    browser, demo_db
):
    # The first request a fresh server gets is a link to Performance & trends with a filter:
    # Streamlit is still in its pages-folder mode then. The page must come up inside the
    # frame (sidebar, filters in force), with no "Page not found" dialog over it.
    with streamlit_server(demo_db) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        page.goto(f"{url}/{PAGES['performance']}?portfolio=Digital+Growth")
        wait_for_app(page)
        page.get_by_text("Portfolio: Digital Growth").first.wait_for(timeout=30000)
        page.wait_for_timeout(1000)  # a dialog would arrive with the first run's messages
        assert page.locator("[data-testid='stDialog']").count() == 0
        assert "Page not found" not in page.inner_text("body")
        assert page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").count() == 4
        assert page.get_by_role("heading", name="Performance & trends").is_visible()
        page.close()


def test_the_overview_prints_landscape_without_the_app_chrome(browser, demo_db):
    # Printed (Chromium's print to PDF, the browser's default of no background graphics):
    # landscape pages; the sidebar, the download buttons and the navigation are not printed;
    # the eight tiles are on the first page; a label stays on the page of the table it
    # introduces (tables print as pictures: the link under the table stands in for it).
    from pypdf import PdfReader

    with streamlit_server(demo_db) as url:
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.goto(url)
        wait_for_app(page)
        page.get_by_text("In-flight projects").first.wait_for(timeout=30000)
        page.wait_for_timeout(1500)  # charts drawn
        page.emulate_media(media="print")
        pdf = SHOTS / "print-overview.pdf"
        SHOTS.mkdir(exist_ok=True)
        page.pdf(path=str(pdf), prefer_css_page_size=True)
        page.close()
    pages = PdfReader(str(pdf)).pages
    texts = [p.extract_text() for p in pages]
    assert all(p.mediabox.width > p.mediabox.height for p in pages)  # landscape
    assert texts[0].startswith("Portfolio overview")
    # Eleven tiles are three rows (4 · 4 · 3): the first two rows fit the first page; the third
    # (utilisation, benefits, forecast) is kept whole, on the first or the second page.
    for tile in (
        "In-flight projects",
        "Portfolio budget",
        "Cost performance (CPI)",
        "Schedule performance (SPI)",
        "Strategic alignment",
        "Objectives on track",
    ):
        assert tile in texts[0], tile
    third = [
        i
        for i, t in enumerate(texts)
        if any(x in t for x in ("Resource utilisation", "Benefits realised", "Forecast cost"))
    ]
    assert len(third) == 1 and third[0] <= 1, third
    everything = "\n".join(texts)
    for chrome in ("Filters", "Review pack", "Presentation mode", "CSV", "PNG", "Prioritisation"):
        assert chrome not in everything, chrome
    label = next(i for i, t in enumerate(texts) if "Slipped or overdue milestones" in t)
    assert "Open Performance & trends" in texts[label]  # the link under its table
