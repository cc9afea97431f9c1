"""Browser: with [auth] configured, a signed-out visitor sees only the sign-in screen.

Asked first thing after a server start, for a page's own URL: Streamlit runs files of pages/
directly until the first st.navigation call of the process, so this is where a gate in
app.py alone would leak (app_data.guard_page closes it).
"""

import pytest

from tests.e2e_server import (
    ROOT,
    app_pages,
    streamlit_server,
    wait_for_app,
)

pytestmark = pytest.mark.e2e
# The file names first (Streamlit answers them itself until app.py has run once), then the
# pages' own URLs.
PAGES = [p.stem for p in sorted((ROOT / "pages").glob("*.py"))] + [u for _, u in app_pages() if u]

SECRETS_TOML = """
[auth]
redirect_uri = "http://127.0.0.1:9/oauth2callback"
cookie_secret = "a-long-random-string-for-tests-only-0123456789"
client_id = "pmo-lens"
client_secret = "not-a-real-secret"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"

[pmo]
editors = ["editor@example.com"]
"""


def test_signed_out_visitor_gets_only_the_sign_in_screen_on_every_url(browser, demo_db, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(SECRETS_TOML)
    seen = {}
    with streamlit_server(demo_db, args=["--secrets.files", str(secrets)]) as url:
        # Page URLs first (before any request for the root), then the root.
        for name in [*PAGES, ""]:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{url}/{name}")
            wait_for_app(page)
            page.get_by_role("button", name="Sign in").wait_for(timeout=30000)
            seen[name or "/"] = page.inner_text("[data-testid='stApp']")
            assert (
                page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").count() == 0
            )
            assert page.locator("[data-testid='stMetric']").count() == 0
            assert page.locator("[data-testid='stDataFrame']").count() == 0
            page.close()
    for name, text in seen.items():
        assert "Sign in to continue" in text, name
        # Nothing of the demo portfolio: no KPI label, no import history, no data date.
        for leak in ("In-flight", "Import history", "Data as of", "projects"):
            assert leak not in text, (name, leak)
