"""Streamlit-facing data access: the only pmo module that imports streamlit.

The database is opened only for the moment a query runs (pmo.store), so a command-line import
can write while the app serves. Results are cached per (database, data version, query,
parameters): an import or undo changes the data version, and the next rerun shows new data.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import os
import runpy
import threading
import weakref

import duckdb
import numpy as np
import pandas as pd
import streamlit as st

from pmo import auth, demo, filters, format, ingest, queries, settings, store

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
    """Build the demo database, or create the PMO's own empty one, if there is none yet;
    money in this run is written in the database's currency."""
    db = db_path()
    _ensure(db)
    format.use_currency(_currency(db, data_version()))


@st.cache_data(show_spinner=False, max_entries=50)
def _settings(db: str, version: str):
    return settings.load(db)


def _currency(db: str, version: str) -> str:
    return _settings(db, version).currency


def database_settings():
    """The settings (pmo.settings.Settings) of the database the Data page imports into."""
    db = import_db()
    if not store.db_path(db).exists():
        return settings.Settings()
    return _settings(db, store.data_version(db))


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
    # One query per connection: only the macros it uses are installed.
    with store.connect(db, macros_for=queries.load(name).sql) as con:
        return queries.run(con, name, **params)


def query(name: str, **params: object) -> pd.DataFrame:
    """Run queries/<name>.sql with exactly these params, cached by data version."""
    frozen = tuple(sorted((k, _freeze(v)) for k, v in params.items()))
    db, version = db_path(), data_version()
    frame = _run(db, version, name, frozen)
    _remember(frame, ("query", db, version, name, frozen))
    return frame


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


@st.cache_data(show_spinner=False, max_entries=50)
def _history(db: str, version: str) -> pd.DataFrame:

    return ingest.history(db)


def import_history() -> pd.DataFrame:
    """ingest.history() (the imports, newest first), cached by data version."""
    return _history(db_path(), data_version())


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
def _summary(
    db: str, version: str, frozen: tuple, as_of: dt.date | None, day: dt.date, currency: str
) -> list[str]:
    from pmo import format, summary

    format.use_currency(currency)  # money in the sentences, as the page writes it

    view = {k: list(v) for k, v in frozen}
    with store.connect(db) as con:
        return [s.text for s in summary.sentences(con, as_of, view)]


def executive_summary() -> list[str]:
    """The executive summary's sentences for the view in force (issue 21), cached per data
    version and day (open actions become overdue with the calendar)."""
    view = current_filters()
    as_of = view.pop("as_of")
    frozen = tuple(sorted((k, _freeze(v)) for k, v in view.items()))
    from pmo import format

    return _summary(db_path(), data_version(), frozen, as_of, today(), format.currency())


def clear_caches() -> None:
    """Forget cached results (after a write made by this process)."""
    _run.clear()
    _history.clear()
    _settings.clear()  # the currency a settings change sets shows on every page at once


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


# ------------------------------------------------------------- selection (issue 15)


def _view_key(weights: dict[str, float]) -> tuple:
    view = current_filters()
    frozen = tuple(sorted((f, _freeze(view.get(f) or [])) for f in queries.FILTER_PARAMS))
    return frozen, view.get("as_of"), tuple(sorted((k, float(v)) for k, v in weights.items()))


@st.cache_data(show_spinner="Reading costs, capacity and dependencies…", max_entries=100)
def _selection_frames(db: str, version: str, frozen: tuple, as_of) -> dict:
    from pmo import selection

    with store.connect(db) as con:
        return selection.inputs(con, as_of, dict(frozen), scores=False)


@st.cache_data(show_spinner=False, max_entries=200)
def _selection_problem(db: str, version: str, frozen: tuple, as_of, weights: tuple):
    from pmo import selection  # scipy is imported only when a selection is needed

    # The weights change priority_scores only: the other frames stay cached per view.
    view = {**{f: list(v) for f, v in frozen}, "as_of": as_of}
    params = filters.query_params("priority_scores", view, **priority_params(dict(weights)))
    scores = _run(
        db, version, "priority_scores", tuple(sorted((k, _freeze(v)) for k, v in params.items()))
    )
    return selection.problem({**_selection_frames(db, version, frozen, as_of), "scores": scores})


def selection_problem(weights: dict[str, float]):
    """The selection's model (pmo.selection.Problem) for the view and ``weights``, cached."""
    return _selection_problem(db_path(), data_version(), *_view_key(weights))


@st.cache_data(show_spinner="Finding the best set under the constraints…", max_entries=300)
def _selection_answer(db: str, version: str, frozen: tuple, as_of, weights: tuple, spec: str):
    import json

    from pmo import selection

    p = _selection_problem(db, version, frozen, as_of, weights)
    c = selection.Constraints.from_dict(json.loads(spec))
    # Exact up to selection.EXACT_MAX candidates; above, within a proved gap (issue 20).
    limit, gap = selection.page_limits(p)
    out = selection.solve(p, c, time_limit=limit, gap=gap)
    takes = selection.what_it_would_take(p, c, out, time_limit=limit, gap=gap)
    return out, selection.today(p, c), takes


def selection_answer(weights: dict[str, float], constraints):
    """(Outcome, TodaySet, [Takes]) of pmo.selection for the view, cached."""
    import json

    spec = json.dumps(constraints.to_dict(), sort_keys=True)
    return _selection_answer(db_path(), data_version(), *_view_key(weights), spec)


@st.cache_data(show_spinner="Solving the frontier exactly, cap by cap…", max_entries=100)
def _selection_frontier(db: str, version: str, frozen: tuple, as_of, weights: tuple, spec: str):
    import json

    from pmo import selection

    p = _selection_problem(db, version, frozen, as_of, weights)
    limit, gap = selection.page_limits(p, frontier=True)
    c = selection.Constraints.from_dict(json.loads(spec))
    return selection.frontier(p, c, time_limit=limit, gap=gap)


def selection_frontier(weights: dict[str, float], constraints):
    """pmo.selection.frontier for the view (the cap itself plays no part), cached."""
    import json

    spec = json.dumps({**constraints.to_dict(), "cap": None}, sort_keys=True)
    return _selection_frontier(db_path(), data_version(), *_view_key(weights), spec)


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
    return _once_per_run("identity", _identity)


def _identity() -> auth.Identity:
    secrets = _secrets()
    user = st.user.to_dict() if auth.auth_configured(secrets) else {}
    return auth.identify(secrets, user)


def _once_per_run(name: str, compute):
    """compute(), remembered for the rest of this script run (issue 20).

    Every query asks who the user is (guard_page); reading the secrets each time was 11 % of a
    server's CPU under 16 sessions (Streamlit looks for the files again whenever none exists).
    A run starts with a fresh ``cursors`` dict on its context; the memo is tied to it.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    run = getattr(ctx, "cursors", None)
    if run is None:
        return compute()
    memo = getattr(ctx, "_pmo_run_memo", None)
    if memo is None or memo[0] is not run:
        memo = (run, {})
        try:
            ctx._pmo_run_memo = memo
        except AttributeError:  # a context that takes no attributes: no memo
            return compute()
    if name not in memo[1]:
        memo[1][name] = compute()
    return memo[1][name]


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


# ------------------------------------------------------------------- chart specs (issue 20)
# Building an Altair chart and converting it to a Vega-Lite spec (schema validation, the data
# turned into Arrow) costs 10-60 ms a chart, on every rerun of every session. A chart drawn
# from the same query results as before is the same chart: its converted spec is kept per
# (builder, the inputs' query + parameters + data version, the other arguments), so a warm
# rerun sends the kept spec without building or validating anything.

# Frames returned by query(), by id: the query that made them (db, data version, name,
# params). cache_data hands out a fresh copy on every call, so the id names one result; a
# frame a page derives (filtered, sorted, merged) is a new object and is keyed by content.
_PROVENANCE: dict[int, tuple[weakref.ref, tuple, tuple]] = {}
_PROVENANCE_LOCK = threading.Lock()


def _shape_of(frame: pd.DataFrame) -> tuple:
    return (frame.shape, tuple(map(str, frame.columns)))


def _remember(frame: pd.DataFrame, key: tuple) -> None:
    ident = id(frame)

    def forget(ref: weakref.ref, ident: int = ident) -> None:
        with _PROVENANCE_LOCK:
            if _PROVENANCE.get(ident, (None,))[0] is ref:
                del _PROVENANCE[ident]

    with _PROVENANCE_LOCK:
        _PROVENANCE[ident] = (weakref.ref(frame, forget), key, _shape_of(frame))


class _Uncacheable(Exception):
    """An argument that cannot be part of a cache key (the chart is then built every run)."""


def _fingerprint(value: object) -> object:
    """A hashable stand-in for a chart builder's argument: equal when the chart would be."""
    if isinstance(value, pd.DataFrame):
        entry = _PROVENANCE.get(id(value))
        if entry is not None and entry[0]() is value and entry[2] == _shape_of(value):
            return entry[1]
        try:
            digest = int(pd.util.hash_pandas_object(value, index=True).sum())
        except TypeError:
            # A column of lists or dicts (the frontier's ids): those columns by their text.
            try:
                listy = [c for c in value.columns if value[c].dtype == object]
                text = value.astype(dict.fromkeys(listy, str))
                digest = int(pd.util.hash_pandas_object(text, index=True).sum())
            except (TypeError, ValueError) as err:
                raise _Uncacheable(str(err)) from None
        return ("frame", *_shape_of(value), tuple(map(str, value.dtypes)), digest)
    if isinstance(value, np.ndarray):
        # The forecast's draws (issue 20: the Performance page's charts were rebuilt on every
        # rerun for want of a key).
        if value.dtype == object:
            return ("array", value.shape, tuple(_fingerprint(v) for v in value.tolist()))
        return ("array", value.shape, str(value.dtype), hashlib.blake2b(value.tobytes()).digest())
    if isinstance(value, np.generic):
        return (type(value).__name__, repr(value.item()))
    if isinstance(value, pd.Series):
        try:
            digest = int(pd.util.hash_pandas_object(value, index=True).sum())
        except TypeError as err:
            raise _Uncacheable(str(err)) from None
        return ("series", str(value.name), str(value.dtype), len(value), digest)
    if value is None or isinstance(value, str | bool | int | float | dt.date | pd.Timestamp):
        return (type(value).__name__, repr(value))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_fingerprint(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((repr(k), _fingerprint(v)) for k, v in value.items())))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # A bundle of frames and numbers (the roadmap's GanttData): its fields' fingerprints.
        # Without this the Gantt was rebuilt and validated on every rerun (issue 20).
        return (
            type(value).__qualname__,
            tuple(
                (f.name, _fingerprint(getattr(value, f.name))) for f in dataclasses.fields(value)
            ),
        )
    raise _Uncacheable(type(value).__name__)


class ChartCall:
    """A chart builder of pmo.charts and its arguments, built only when its spec is not kept."""

    def __init__(self, builder, args: tuple, kwargs: dict) -> None:
        self.builder, self.args, self.kwargs = builder, args, kwargs

    def build(self):
        """The Altair chart (for the PNG/SVG downloads, and when no spec is kept)."""
        return self.builder(*self.args, **self.kwargs)

    def key(self) -> tuple | None:
        """The cache key, or None when an argument cannot be fingerprinted."""
        try:
            return (
                f"{self.builder.__module__}.{self.builder.__qualname__}",
                _fingerprint(self.args),
                _fingerprint(self.kwargs),
                # What a builder reads besides its arguments: the currency and the theme.
                format.currency(),
                _altair_theme(),
            )
        except _Uncacheable:
            return None


def _altair_theme() -> str:
    import altair as alt

    return str(alt.theme.active)


class DeferredCharts:
    """pmo.charts with every chart builder deferred: ``charts.rag_mix(frame)`` returns a
    ChartCall that ui.chart draws from a kept spec when it has one. Everything else of the
    module (constants, helpers that return an axis or a scale) passes through unchanged."""

    def __init__(self, module) -> None:
        self._module = module

    def __getattr__(self, name: str):
        attr = getattr(self._module, name)
        # A builder says it returns a chart, or says nothing; helpers that return an axis, a
        # scale or the theme say so and pass through.
        returns = str(getattr(attr, "__annotations__", {}).get("return", "Chart"))
        if (
            callable(attr)
            and not isinstance(attr, type)
            and not name.startswith("_")
            and "Chart" in returns
        ):

            def deferred(*args, **kwargs):
                return ChartCall(attr, args, kwargs)

            deferred.__doc__ = attr.__doc__
            return deferred
        return attr


def _to_vega_lite(chart) -> dict:
    """The spec st.altair_chart would send: Streamlit's own conversion (data as Arrow)."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    return _convert_altair_to_vega_lite_spec(chart)


@st.cache_resource(show_spinner=False, max_entries=1000)
def _kept_spec(key: tuple, _call: ChartCall) -> dict:
    return _to_vega_lite(_call.build())


def chart_spec(call: ChartCall) -> dict:
    """The Vega-Lite spec of a chart call (datasets as Arrow bytes), a private copy of the
    one kept for its key; built, validated and converted only the first time."""
    key = call.key()
    spec = _kept_spec(key, call) if key is not None else _to_vega_lite(call.build())
    # Streamlit moves the datasets out of the spec it is given: hand it a copy (the Arrow
    # bytes themselves are immutable and shared).
    return copy.deepcopy(spec)


# ------------------------------------------------------------------------------ forecast (issue 16)


@st.cache_data(show_spinner="Reading the forecast's history…", max_entries=50)
def _forecast_inputs(db: str, version: str, frozen: tuple, as_of: dt.date | None) -> dict:
    from pmo import forecast as fc

    view = {k: list(v) if isinstance(v, tuple) else v for k, v in frozen}
    with store.connect(db) as con:
        return fc.load_inputs(con, as_of, view)


@st.cache_data(show_spinner="Simulating 10,000 outcomes per project…", max_entries=200)
def _forecast(
    db: str, version: str, frozen: tuple, as_of: dt.date | None, seed: int, project_id: str | None
):
    from pmo import forecast as fc

    inputs = _forecast_inputs(db, version, frozen, as_of)
    if project_id is None:
        return fc.from_inputs(inputs, seed=seed)
    return fc.from_inputs(inputs, seed=seed, only=[project_id]).project_draws.get(project_id)


def _forecast_key(seed: int | None) -> tuple:
    from pmo import forecast as fc

    view = current_filters()
    as_of = view.pop("as_of")
    frozen = tuple(sorted((k, _freeze(v)) for k, v in view.items()))
    return db_path(), data_version(), frozen, as_of, fc.SEED if seed is None else seed


def forecast(seed: int | None = None):
    """pmo.forecast for the view in force (its default seed), cached by data version."""
    return _forecast(*_forecast_key(seed), None)


def forecast_draws(project_id: str, seed: int | None = None):
    """One project's draws (cost at completion, finish day ordinal), for its fan chart."""
    return _forecast(*_forecast_key(seed), project_id)
