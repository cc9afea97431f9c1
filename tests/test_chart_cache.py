"""Chart specs kept per query, parameters and data version (issue 20): a warm rerun, in any
session, draws the kept spec without building or validating the Altair chart again."""

from __future__ import annotations

import io
import json

import altair as alt
import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pmo import app_data, charts as real_charts
from tests.conftest import load

BUILDS: list[int] = []


def counted_rag_mix(mix: pd.DataFrame) -> alt.Chart:
    """pmo.charts.rag_mix, counting its builds (the number of RAG rows it was given)."""
    BUILDS.append(len(mix))
    return real_charts.rag_mix(mix)


class CountingCharts:
    """Stands in for the pmo.charts module: one builder that counts its calls."""

    rag_mix = staticmethod(counted_rag_mix)


SCRIPT = """
import ui
from pmo import app_data
from tests.test_chart_cache import CountingCharts
charts = app_data.DeferredCharts(CountingCharts)
ui.chart(charts.rag_mix(app_data.filtered("rag_mix")), "RAG status", key="rag")
"""

BOTH_WAYS = """
import streamlit as st
from pmo import app_data
from pmo import charts as real_charts
call = app_data.DeferredCharts(real_charts).rag_mix(app_data.filtered("rag_mix"))
st.vega_lite_chart(app_data.chart_spec(call), width="stretch", theme=None, key="kept")
st.altair_chart(call.build(), width="stretch", theme=None, key="direct")
"""


@pytest.fixture
def served(demo_db, monkeypatch):
    monkeypatch.setenv("PMO_DB", str(demo_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    BUILDS.clear()
    return demo_db


def drawn_rows(at: AppTest) -> list[tuple]:
    """The (rag, projects) rows of the one chart's dataset, as the browser receives them."""
    (chart,) = at.get("vega_lite_chart")
    (dataset,) = chart.proto.datasets
    table = pa.ipc.open_stream(io.BytesIO(dataset.data.data)).read_all().to_pandas()
    return list(table[["rag", "projects"]].itertuples(index=False, name=None))


def test_a_warm_rerun_and_a_second_session_reuse_the_spec_built_once(served):
    first = AppTest.from_string(SCRIPT, default_timeout=60)
    first.run()
    assert not first.exception
    first.run()
    second = AppTest.from_string(SCRIPT, default_timeout=60)
    second.run()
    # Three runs in two sessions, one build: the demo's in-flight projects are 11 Green,
    # 10 Amber, 5 Red (26 of them), three RAG rows.
    assert BUILDS == [3]
    assert drawn_rows(second) == [("Green", 11), ("Amber", 10), ("Red", 5)]


def test_an_import_changes_the_data_version_and_the_chart_is_rebuilt(served):
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.run()
    # PRJ-101 reported Amber on 31 Oct 2026; a Red report on the same date replaces it.
    load(
        served,
        status_reports=pd.DataFrame(
            {
                "project_id": ["PRJ-101"],
                "report_date": ["2026-10-31"],
                "actual_cost": [2752622.45],
                "planned_value": [2583335.83],
                "earned_value": [2564340.0],
                "percent_complete": [94.8],
                "rag_overall": ["Red"],
            }
        ),
    )
    at.run()
    assert not at.exception
    assert BUILDS == [3, 3]
    # 11 Green; Amber 10 - 1 = 9; Red 5 + 1 = 6.
    assert drawn_rows(at) == [("Green", 11), ("Amber", 9), ("Red", 6)]


def test_the_kept_spec_is_exactly_what_st_altair_chart_sends(served):
    at = AppTest.from_string(BOTH_WAYS, default_timeout=60)
    at.run()
    assert not at.exception
    kept, direct = at.get("vega_lite_chart")
    assert json.loads(kept.proto.spec) == json.loads(direct.proto.spec)
    assert [(d.name, d.data.data) for d in kept.proto.datasets] == [
        (d.name, d.data.data) for d in direct.proto.datasets
    ]
    assert kept.proto.theme == direct.proto.theme == ""


def test_keys_follow_the_inputs(served):
    charts = app_data.DeferredCharts(real_charts)
    frame = pd.DataFrame({"rag": ["Green", "Red"], "projects": [2, 1], "budget": [5.0, 1.0]})
    same = frame.copy()
    other = frame.assign(projects=[2, 2])
    assert charts.rag_mix(frame).key() == charts.rag_mix(same).key()
    assert charts.rag_mix(frame).key() != charts.rag_mix(other).key()
    assert charts.rag_mix(frame).key() != charts.rag_mix(frame, title="Other title").key()
    # An argument that cannot be fingerprinted: no key, the chart is built every time.
    assert charts.rag_mix(frame, title=object()).key() is None
    # Helpers that return no chart pass through undeferred.
    assert isinstance(charts.rag_scale(), alt.Scale)


def test_who_the_user_is_is_worked_out_once_per_run_and_anew_on_the_next(served, monkeypatch):
    reads = []
    real = app_data._secrets
    monkeypatch.setattr(app_data, "_secrets", lambda: reads.append(1) or real())
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.run()
    # The script asks twice (query() -> db_path() -> guard_page() -> identity(), once for the
    # path and once for the data version) but the secrets are read once in the run...
    assert not at.exception and len(reads) == 1
    # ...and again in the next run (a changed editors list counts from the next click on).
    at.run()
    assert len(reads) == 2


def test_the_data_page_lists_the_imports_from_the_cache(served):
    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    # The demo database holds one import, #1, made by "demo".
    (history,) = [d for d in at.dataframe if "import_id" in d.value.columns]
    assert history.value["import_id"].tolist() == [1]
    assert history.value["imported_by"].tolist() == ["demo"]


def test_a_dataclass_of_frames_is_keyed_by_its_fields():
    # The roadmap's Gantt takes a GanttData (frames and counts): it gets a key, the same for
    # the same contents and another when one field differs, so a warm rerun draws it kept.
    from pmo.roadmap import GanttData

    def gantt(shown: int) -> GanttData:
        frame = pd.DataFrame({"row": ["a", "b"], "start": [1, 2]})
        return GanttData(frame, frame.head(1), frame.head(0), frame.head(0), shown, 2, 0, None)

    def key(data: GanttData):
        return app_data.DeferredCharts(real_charts).gantt(data, None, "Roadmap").key()

    assert key(gantt(2)) is not None
    assert key(gantt(2)) == key(gantt(2))
    assert key(gantt(2)) != key(gantt(1))


def test_arrays_and_frames_of_lists_are_keyed_by_their_contents():
    # The forecast's draws (numpy arrays) and the frontier's points (a column of id lists)
    # get keys: equal for equal contents, different when one value differs.
    import numpy as np

    def key(*args):
        return app_data.ChartCall(real_charts.rag_mix, args, {}).key()

    draws = np.array([1.0, 2.5, 4.0])
    assert key(draws) is not None
    assert key(draws) == key(draws.copy())
    assert key(draws) != key(np.array([1.0, 2.5, 4.5]))
    points = pd.DataFrame({"cap": [1.0, 2.0], "ids": [["P1"], ["P1", "P2"]]})
    assert key(points) is not None
    assert key(points) == key(points.copy())
    assert key(points) != key(points.assign(ids=[["P1"], ["P1", "P3"]]))
    assert key(np.float64(0.5)) == key(np.float64(0.5)) != key(np.float64(0.25))
