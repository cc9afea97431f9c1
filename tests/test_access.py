"""Access (the README's sign-in and roles): open without [auth]; with it, signed-out, viewer
and editor on every page."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pmo import auth, ingest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))

EDITOR_EMAIL = "Editor@Example.com"
VIEWER_EMAIL = "viewer@example.com"
SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-long-random-string-for-tests-only-0123456789",
        "client_id": "pmo-lens",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://login.example.com/.well-known/openid-configuration",
    },
    # Listed in another case than the provider sends: matching is case-insensitive.
    "pmo": {"editors": ["editor@example.com", "second.editor@example.com"]},
}
SIGNED_OUT = {"is_logged_in": False}
VIEWER = {"is_logged_in": True, "email": VIEWER_EMAIL, "name": "Vera Viewer"}
EDITOR = {"is_logged_in": True, "email": EDITOR_EMAIL, "name": "Ed Editor"}

# Keys of the controls that change data (and labels of keyless ones); a viewer gets none.
WRITE_KEYS = {
    "data_import",
    "data_dry_run",
    "data_undo",
    "data_settings_save",
    "demo_start_own",
    "prioritisation_delete_btn",
    "review_record",
    "review_status_btn",
}
WRITE_LABELS = {"Save scenario"}
WRITE_CALLS = {
    "import_uploads",
    "import_paths",
    "undo_last",
    "save",
    "delete",
    "remove",
    "record",
    "update_status",
}


# ------------------------------------------------------------------------- pure role logic


def test_without_auth_section_everyone_is_an_editor():
    who = auth.identify({}, {"email": "anyone@example.com"})
    assert who.can_edit and who.can_view and not who.auth_enabled
    assert auth.role_for("anyone@example.com", {"pmo": {"editors": []}}) == auth.EDITOR


def test_an_empty_auth_section_does_not_switch_sign_in_on():
    assert not auth.auth_configured({"auth": {}})
    assert auth.auth_configured(SECRETS)


def test_editor_emails_match_case_insensitively():
    assert auth.role_for("EDITOR@example.COM", SECRETS) == auth.EDITOR
    assert auth.role_for(" second.editor@example.com ", SECRETS) == auth.EDITOR
    assert auth.role_for(VIEWER_EMAIL, SECRETS) == auth.VIEWER
    assert auth.role_for(None, SECRETS) == auth.VIEWER


def test_editors_may_be_one_comma_separated_string():
    secrets = {**SECRETS, "pmo": {"editors": "a@x.org, B@x.org;c@x.org"}}
    assert auth.editors(secrets) == {"a@x.org", "b@x.org", "c@x.org"}


def test_signed_out_and_unverified_users():
    assert auth.identify(SECRETS, SIGNED_OUT).role == auth.SIGNED_OUT
    assert not auth.identify(SECRETS, SIGNED_OUT).can_view
    # No is_logged_in claim at all (AppTest's default user) is signed out too.
    assert not auth.identify(SECRETS, {"email": EDITOR_EMAIL}).signed_in
    unverified = {**EDITOR, "email_verified": False}
    assert auth.identify(SECRETS, unverified).role == auth.VIEWER
    assert auth.identify(SECRETS, EDITOR).role == auth.EDITOR


# ------------------------------------------------------------------------------- AppTest


def app(monkeypatch, db, user=None, secrets=SECRETS) -> AppTest:
    monkeypatch.setenv("PMO_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if secrets:
        at.secrets = dict(secrets)
    if user is not None:
        at.user = dict(user)
    return at


def on_page(monkeypatch, db, user, page) -> AppTest:
    at = app(monkeypatch, db, user).run()
    if at.user.get("is_logged_in"):
        at.switch_page(page).run()
    return at


def history_table(at: AppTest):
    """The import history table on the Data page (the one with an imported_by column)."""
    return next(d.value for d in at.dataframe if "imported_by" in d.value.columns)


def ingest_rows(db, sql):
    from pmo import store

    with store.connect(db) as con:
        return con.execute(sql).fetchall()


def labels(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


def write_controls(at: AppTest) -> set[str]:
    """The write buttons drawn: their keys, or labels for keyless ones."""
    return {b.key for b in at.button if b.key in WRITE_KEYS} | (labels(at) & WRITE_LABELS)


def test_signed_out_visitor_sees_only_the_sign_in_screen(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, SIGNED_OUT).run()
    assert not at.exception
    assert labels(at) == {"Sign in"}
    assert not at.metric and not at.dataframe and not at.get("vega_lite_chart")
    assert not at.multiselect and not at.get("file_uploader")
    # Nothing in the sidebar: no filters, no data date, no project count.
    assert not at.sidebar.children
    assert "PMO Lens" in at.title[0].value


@pytest.mark.parametrize("page", PAGES)
def test_signed_out_visitor_asking_for_any_page_gets_the_sign_in_screen(monkeypatch, demo_db, page):
    # A session that was on the page (as an editor) and is now signed out: the page is not
    # in the signed-out navigation, so the request lands on the sign-in screen.
    at = app(monkeypatch, demo_db, EDITOR).run()
    at.switch_page(page).run()
    at.user = dict(SIGNED_OUT)
    at.run()
    assert not at.exception
    assert labels(at) == {"Sign in"}
    assert not at.metric and not at.dataframe and not at.get("vega_lite_chart")
    assert not at.get("download_button")


@pytest.mark.parametrize("page", PAGES)
def test_viewer_sees_every_page_without_write_controls(monkeypatch, demo_db, page):
    at = on_page(monkeypatch, demo_db, VIEWER, page)
    assert not at.exception, at.exception
    assert not at.error
    assert not write_controls(at)
    assert not at.get("file_uploader")


def test_viewer_sees_the_overview_and_their_role(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, VIEWER).run()
    # The demo portfolio: 26 in-flight projects (tests/test_app.py checks the same tile).
    assert {m.label: m.value for m in at.metric}["In-flight projects"] == "26"
    sidebar = [e.value for e in at.sidebar.text] + [e.value for e in at.sidebar.caption]
    assert "Vera Viewer" in sidebar and VIEWER_EMAIL in sidebar
    assert any("Role: **viewer**" in c for c in sidebar)
    assert "Sign out" in {b.label for b in at.sidebar.button}


def test_viewer_sees_the_import_history_read_only(monkeypatch, demo_db):
    at = on_page(monkeypatch, demo_db, VIEWER, "pages/data.py")
    assert any("read-only" in i.value for i in at.info)
    assert history_table(at)["imported_by"].tolist() == ["demo"]


@pytest.mark.parametrize("page", PAGES)
def test_editor_sees_every_page(monkeypatch, demo_db, page):
    at = on_page(monkeypatch, demo_db, EDITOR, page)
    assert not at.exception, at.exception
    assert not at.error


def test_editor_gets_the_write_controls_and_role(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, EDITOR).run()
    assert any("Role: **editor**" in c.value for c in at.sidebar.caption)
    at.switch_page("pages/data.py").run()
    assert "data_undo" in write_controls(at)
    assert at.get("file_uploader")


def test_an_import_made_by_an_editor_records_their_email(monkeypatch, db):
    at = app(monkeypatch, db, EDITOR).run()
    at.switch_page("pages/data.py").run()
    csv = b"project_id,name,status,budget\nP1,Alpha,Active,1000\nP2,Beta,Proposed,2000\n"
    at.get("file_uploader")[0].set_value(("projects.csv", csv, "text/csv"))
    at.run()
    at.button(key="data_import").click().run()
    assert not at.exception, at.exception
    assert any("Import #1 done" in s.value for s in at.success), [e.value for e in at.error]
    history = ingest.history(db)
    assert history["imported_by"].tolist() == [EDITOR_EMAIL]
    # The page's history table shows it too.
    assert history_table(at)["imported_by"].tolist() == [EDITOR_EMAIL]


def test_a_scenario_saved_by_an_editor_records_their_email(monkeypatch, demo_db):
    at = on_page(monkeypatch, demo_db, EDITOR, "pages/prioritisation.py")
    at.text_input(key="prioritisation_scenario_name").input("Board option A")
    next(b for b in at.button if b.label == "Save scenario").click().run()
    assert not at.exception, at.exception
    saved = ingest_rows(demo_db, "select name, saved_by from pmo_scenarios")
    assert saved == [("Board option A", EDITOR_EMAIL)]


def test_a_viewer_cannot_delete_a_scenario_even_through_the_callback(monkeypatch, demo_db):
    at = on_page(monkeypatch, demo_db, EDITOR, "pages/prioritisation.py")
    at.text_input(key="prioritisation_scenario_name").input("Keep me")
    next(b for b in at.button if b.label == "Save scenario").click().run()
    # The same session turns viewer while the Delete button is still on its screen (the
    # nearest a test gets to a forged click): the callback refuses.
    delete = at.button(key="prioritisation_delete_btn")
    at.user = dict(VIEWER)
    delete.click().run()
    assert not at.exception, at.exception
    assert any("Only editors may delete scenarios" in e.value for e in at.error)
    assert ingest_rows(demo_db, "select name from pmo_scenarios") == [("Keep me",)]


def test_without_auth_the_app_is_open_and_everyone_edits(monkeypatch, demo_db):
    at = app(monkeypatch, demo_db, secrets=None).run()
    assert not at.exception
    assert at.metric
    assert any("Open access" in c.value for c in at.sidebar.caption)
    assert "Sign in" not in labels(at) and "Sign out" not in labels(at)
    at.switch_page("pages/data.py").run()
    assert "data_undo" in write_controls(at)


GUARDED_WRITE = """
import streamlit as st
from pmo import app_data
who = app_data.require_editor("import data")
st.success(f"wrote as {who}")
"""


@pytest.mark.parametrize(
    ("user", "allowed"), [(VIEWER, False), (SIGNED_OUT, False), (EDITOR, True)]
)
def test_require_editor_refuses_writes_on_the_server_side(user, allowed):
    # Whatever route reaches a write (a forged widget event, a page added later), the guard
    # stops the script before it, with a message.
    at = AppTest.from_string(GUARDED_WRITE, default_timeout=30)
    at.secrets = dict(SECRETS)
    at.user = dict(user)
    at.run()
    assert not at.exception
    if allowed:
        assert at.success[0].value == f"wrote as {EDITOR_EMAIL}"
    else:
        assert not at.success
        assert "Only editors may import data" in at.error[0].value


def _write_calls_without_guard(path: Path) -> list[str]:
    """Calls that write (import, undo, save) not preceded by require_editor in their block."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def name(call: ast.Call) -> str:
        f = call.func
        return f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")

    def is_write(n: str) -> bool:
        return n in WRITE_CALLS or n.startswith(("save_", "delete_", "remove_"))

    bad = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and is_write(name(node))):
            continue
        # Climb to the enclosing blocks; a require_editor() call before the write in any of
        # them guards it.
        guarded = False
        cur = node
        while cur in parents and not guarded:
            cur = parents[cur]
            if isinstance(cur, ast.Module):
                break
            for stmt in getattr(cur, "body", []):
                if stmt.lineno >= node.lineno:
                    break
                guarded |= any(
                    isinstance(c, ast.Call) and name(c) == "require_editor" for c in ast.walk(stmt)
                )
        if not guarded:
            bad.append(f"{path.name}:{node.lineno} {name(node)}")
    return bad


@pytest.mark.parametrize(
    "path",
    [ROOT / p for p in PAGES] + sorted((ROOT / "ui").glob("*.py")),
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_every_write_in_the_pages_is_guarded(path):
    unguarded = _write_calls_without_guard(path)
    assert unguarded == [], (
        f"{unguarded}: call app_data.require_editor('...') before every write (the README's sign-in and roles), "
        "and draw write controls only when app_data.can_edit()"
    )
