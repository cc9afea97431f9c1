"""Streamlit-facing data access: the only pmo module that imports streamlit.

The database is opened only for the moment a query runs (pmo.store), so a command-line import
can write while the app serves. Results are cached per (database, data version, query,
parameters): an import or undo changes the data version, and the next rerun shows new data.
"""

from __future__ import annotations

import datetime as dt
import os
import runpy

import duckdb
import pandas as pd
import streamlit as st

from pmo import auth, demo, filters, queries, store

APP_SCRIPT = store.ROOT / "app.py"

# The sidebar filter widgets are bound to the URL: their keys are the query parameter names.
FILTER_KEYS = {f: f for f in queries.FILTER_PARAMS}
AS_OF_KEY = "as_of"
# Session flag: this session chose to look at the demo although the PMO has its own data.
DEMO_KEY = "pmo_demo"


def db_path() -> str:
    """The database file this session is served from (pmo.demo.serving_db).

    Every read and write of the app goes through here, so it also refuses a session that
    may not see data (see guard_page).
    """
    guard_page()
    return str(demo.serving_db(demo_chosen=bool(st.session_state.get(DEMO_KEY))))


def is_demo() -> bool:
    """True when this session looks at the demo portfolio, not the PMO's own data."""
    return demo.is_demo(db_path())


@st.cache_resource(show_spinner="Building the demo portfolio (three monthly imports)…")
def _ensure(db: str) -> bool:
    path = store.db_path(db)
    if demo.is_demo(path) and not path.exists():
        demo.build(path)
        return True
    # A PMO's own database is created empty, never filled with demo rows. A database made
    # by an earlier version lacks the tables added since: a write connection creates them.
    try:
        with store.connect(db, write=True):
            pass
    except (duckdb.Error, OSError):
        pass  # a read-only file still serves every page that needs no new table
    return True


def ensure_database() -> None:
    """Build the demo database, or create the PMO's own empty one, if there is none yet."""
    _ensure(db_path())


def import_db() -> str:
    """Where the Data page imports, undoes and reads its history: the PMO's own database,
    also while the session looks at the demo (which is never imported into)."""
    served = db_path()
    return str(demo.own_db()) if demo.is_demo(served) else served


def show_demo(on: bool) -> None:
    """Switch this session to the demo portfolio (True) or back to the PMO's own data."""
    st.session_state[DEMO_KEY] = on


def start_own_data() -> str:
    """Leave the demo: create the PMO's own (empty) database, serve it from now on."""
    require_editor("start with your own data")
    path = demo.own_db()
    with store.connect(path, write=True):
        pass
    show_demo(False)
    clear_caches()
    return str(path)


def data_version() -> str:
    """Changes whenever the database file changes."""
    return store.data_version(db_path())


def _freeze(value: object) -> object:
    if isinstance(value, list | tuple | set):
        return tuple(str(v) for v in value)
    return value


@st.cache_data(show_spinner=False, max_entries=2000)
def _run(db: str, version: str, name: str, frozen: tuple) -> pd.DataFrame:
    params = {k: (list(v) if isinstance(v, tuple) else v) for k, v in frozen}
    with store.connect(db) as con:
        return queries.run(con, name, **params)


def query(name: str, **params: object) -> pd.DataFrame:
    """Run queries/<name>.sql with exactly these params, cached by data version."""
    frozen = tuple(sorted((k, _freeze(v)) for k, v in params.items()))
    return _run(db_path(), data_version(), name, frozen)


UNKNOWN_KEY = "filter_unknown"  # {filter: [values from a link that match nothing]}
BAD_AS_OF_KEY = "filter_bad_as_of"
URL_READ_KEY = "filter_url_read"
PRESENTING_KEY = "present_toggle"  # the sidebar toggle's key


def current_filters() -> dict[str, object]:
    """The filters in force: as_of (date or None) and one list per filter.

    Values from a link that match no project stay in force (the view is then empty, with a
    notice) until the user changes that filter: a link never silently shows more than it says.
    """
    out: dict[str, object] = {"as_of": st.session_state.get(AS_OF_KEY)}
    unknown = st.session_state.get(UNKNOWN_KEY) or {}
    for f, key in FILTER_KEYS.items():
        out[f] = list(st.session_state.get(key) or []) + list(unknown.get(f, []))
    return out


def read_url_once() -> None:
    """At a session's first run, note link values that match nothing, and presentation mode.

    The filter widgets themselves are bound to the URL (bind="query-params"), which keeps
    them across pages and in every copied link; Streamlit drops values that are not among a
    widget's options, so they are caught here first and kept in force (an empty view with a
    notice) rather than silently widening the view.
    """
    if st.session_state.get(URL_READ_KEY):
        return
    st.session_state[URL_READ_KEY] = True
    options = filter_options()
    unknown: dict[str, list[str]] = {}
    for f in FILTER_KEYS:
        requested = st.query_params.get_all(f)
        if requested:
            allowed = options.loc[options["field"] == f, "value"].tolist()
            _, bad = filters.split_known(requested, allowed)
            if bad:
                unknown[f] = bad
    st.session_state[UNKNOWN_KEY] = unknown
    _, bad_as_of = filters.parse_as_of(st.query_params.get("as_of"))
    st.session_state[BAD_AS_OF_KEY] = bad_as_of
    st.session_state[PRESENTING_KEY] = st.query_params.get("present", "") in ("1", "true", "yes")


def unknown_filters() -> dict[str, list[str]]:
    """Filter values from a link that match nothing: {filter: [values]}."""
    return dict(st.session_state.get(UNKNOWN_KEY) or {})


def bad_as_of() -> str | None:
    """An as-of value from a link that is not a date (ignored), for a notice."""
    return st.session_state.get(BAD_AS_OF_KEY)


def forget_unknown(field: str) -> None:
    """The user changed a filter: drop the link's unknown values for it."""
    unknown = dict(st.session_state.get(UNKNOWN_KEY) or {})
    unknown.pop(field, None)
    st.session_state[UNKNOWN_KEY] = unknown


def presenting() -> bool:
    """True in presentation mode (?present=1 or the sidebar toggle)."""
    return bool(st.session_state.get(PRESENTING_KEY))


def leave_presentation() -> None:
    """Leave presentation mode (a button callback)."""
    st.session_state[PRESENTING_KEY] = False


def write_url() -> None:
    """Mirror presentation mode in the URL (the filter widgets mirror themselves)."""
    if presenting():
        if st.query_params.get("present") != "1":
            st.query_params["present"] = "1"
    elif "present" in st.query_params:
        del st.query_params["present"]


def as_of_in_force() -> dt.date | None:
    """The as-of date the queries use: the chosen one, else the latest report date."""
    chosen = st.session_state.get(AS_OF_KEY)
    if chosen:
        return chosen
    latest = import_status().get("latest_report_date")
    return None if latest is None or pd.isna(latest) else pd.Timestamp(latest).date()


def view_in_words() -> str:
    """The filters in force in words ('Portfolio: A · As of 31 Oct 2026'), as pages show them."""
    return filters.describe(current_filters(), as_of_in_force())


def filtered(name: str, **extra: object) -> pd.DataFrame:
    """Run a query with the sidebar's view (filters.query_params) plus ``extra`` params."""
    return query(name, **filters.query_params(name, current_filters(), **extra))


def filter_options() -> pd.DataFrame:
    """Distinct values for each sidebar filter: columns field, value."""
    return query("filter_options")


def import_status() -> dict[str, object]:
    """The data's as-of date and the last import, for the sidebar."""
    frame = query("data_status")
    row = frame.iloc[0].to_dict() if len(frame) else {}
    return row


def review_pack() -> bytes:
    """The review pack (.pptx) for the view in force."""
    from pmo import pack

    view = current_filters()
    with store.connect(db_path()) as con:
        return pack.build(con, view.pop("as_of"), view)


@st.cache_data(show_spinner=False, max_entries=200)
def _summary(db: str, version: str, frozen: tuple, as_of: dt.date | None, day: dt.date) -> list[str]:
    from pmo import summary

    view = {k: list(v) for k, v in frozen}
    with store.connect(db) as con:
        return [s.text for s in summary.sentences(con, as_of, view)]


def executive_summary() -> list[str]:
    """The executive summary's sentences for the view in force (issue 21), cached per data
    version and day (open actions become overdue with the calendar)."""
    view = current_filters()
    as_of = view.pop("as_of")
    frozen = tuple(sorted((k, _freeze(v)) for k, v in view.items()))
    return _summary(db_path(), data_version(), frozen, as_of, today())


def clear_caches() -> None:
    """Forget cached results (after a write made by this process)."""
    _run.clear()


def today() -> dt.date:
    """Today's date (a seam for tests)."""
    return dt.date.today()


def priority_params(weights: dict[str, float]) -> dict[str, object]:
    """The $w_alignment, $w_value, $w_risk params of priority_scores for ``weights``."""
    return {f"w_{k}": float(weights.get(k, 0.0)) for k in ("alignment", "value", "risk")}


@st.cache_data(show_spinner="Finding the best set of projects under the cap…", max_entries=500)
def _optimal(db: str, version: str, frozen: tuple, cap: float):
    from pmo import prioritise  # scipy is imported only when a selection is needed

    return prioritise.optimal(_run(db, version, "priority_scores", frozen), cap)


def optimal_selection(weights: dict[str, float], cap: float):
    """prioritise.optimal over the filtered priority_scores for ``weights``, cached."""
    params = filters.query_params("priority_scores", current_filters(), **priority_params(weights))
    frozen = tuple(sorted((k, _freeze(v)) for k, v in params.items()))
    return _optimal(db_path(), data_version(), frozen, float(cap))


def filtered_if_present(name: str, **extra: object) -> pd.DataFrame | None:
    """``filtered(name)``, or None while queries/<name>.sql does not exist yet."""
    if name not in queries.names():
        return None
    return filtered(name, **extra)


# ------------------------------------------------------------------------------ access (§7)


def _secrets() -> dict:
    """The app's secrets as plain dicts; empty when there is no secrets.toml."""
    if not st.secrets.load_if_toml_exists():
        return {}

    def plain(value):
        if hasattr(value, "items"):
            return {k: plain(v) for k, v in value.items()}
        return value

    return plain(st.secrets)


def identity() -> auth.Identity:
    """Who is using this session and their role (everyone is an editor without [auth])."""
    secrets = _secrets()
    user = st.user.to_dict() if auth.auth_configured(secrets) else {}
    return auth.identify(secrets, user)


def can_edit() -> bool:
    """True when this session may write (upload, import, undo, mappings, scenarios, demo)."""
    return identity().can_edit


def current_user() -> str:
    """Who is using the app, recorded on imports and scenarios: the signed-in email, else
    (sign-in off) the OS user, else 'local'."""
    return identity().email or os.environ.get("USER") or "local"


def require_editor(action: str = "change the data") -> str | None:
    """Refuse a write on the server side unless this session is an editor.

    Call it right before every write. A viewer (or a signed-out visitor) gets an error and the
    script stops, whatever route reached the write. Returns the user's email (None when
    sign-in is off) for recording who made the change.
    """
    who = identity()
    if not who.can_edit:
        why = (
            "You are signed in as a viewer; ask the PMO to add your email to the editors list."
            if who.signed_in
            else "Sign in first."
        )
        st.error(f"Only editors may {action}. {why}", icon=":material/lock:")
        st.stop()
    return who.email


def guard_page() -> None:
    """Make sure app.py's frame (sign-in gate, navigation, sidebar) runs around every page.

    Streamlit runs a file of the pages/ folder directly, without app.py, until the first
    st.navigation call of the process ("pages directory" mode): right after a restart, a
    request for /overview would skip the sign-in gate and the sidebar. A page that finds
    that mode on switches it off for good, runs app.py in its place (which runs the page
    inside the frame, in this same run, so a click is not lost) and stops. And with sign-in
    on, a session that is not signed in gets no data, whatever path reached here.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(APP_SCRIPT), run_name="__main__")
        st.stop()
    if not identity().can_view:
        st.stop()


def sign_in() -> None:
    """Start the OIDC sign-in (st.login) with the [auth] settings."""
    st.login()


def sign_out() -> None:
    """End the session's sign-in (st.logout)."""
    st.logout()
