"""One rule from a view (as-of date and filters) to a query's parameters: filters.query_params."""

import collections
import datetime as dt

import pytest

from pmo import filters, pack, queries, store

VIEW = {
    "as_of": dt.date(2026, 10, 31),
    "portfolio": ["Digital Growth"],
    "business_unit": ["Operations"],
    "status": [],
    "sponsor": None,
}


def test_a_query_gets_the_view_it_takes_and_defaults_for_the_rest():
    # rag_mix takes as_of and the four filters: all five come from the view.
    assert filters.query_params("rag_mix", VIEW) == {
        "as_of": dt.date(2026, 10, 31),
        "portfolio": ["Digital Growth"],
        "business_unit": ["Operations"],
        "status": [],
        "sponsor": None,
    }
    # priority_scores takes no as_of: the view's is left out; the weights not given are null.
    assert filters.query_params("priority_scores", VIEW, w_alignment=0.5) == {
        "portfolio": ["Digital Growth"],
        "business_unit": ["Operations"],
        "status": [],
        "sponsor": None,
        "w_alignment": 0.5,
        "w_value": None,
        "w_risk": None,
    }
    # No view: every filter is all projects ([]), as-of null (the latest report date).
    assert filters.query_params("rag_mix") == {
        "as_of": None,
        "portfolio": [],
        "business_unit": [],
        "status": [],
        "sponsor": [],
    }
    assert filters.query_params("filter_options", VIEW) == {}


def test_extra_parameters_win_over_the_view():
    params = filters.query_params("review_changes", VIEW, portfolio=["Other"], from_date=None)
    assert params["portfolio"] == ["Other"]
    assert params["to_date"] is None and params["as_of"] == dt.date(2026, 10, 31)


def test_an_extra_parameter_the_query_does_not_take_is_refused_by_name(db):
    params = filters.query_params("rag_mix", VIEW, weight=1)
    with store.connect(db) as con, pytest.raises(ValueError, match=r"unexpected \['weight'\]"):
        queries.run(con, "rag_mix", **params)


def test_the_pack_runs_each_query_once_per_deck(demo_db, monkeypatch):
    # Several slides show the same figures (the headline KPIs feed the tiles, the EVM, the
    # utilisation and the RAG movement slides; in_flight_evm the scatter and the exceptions):
    # each (query, parameters) is executed once.
    executed = collections.Counter()
    execute = queries._execute

    def counting(con, name, params):
        executed[(name, repr(sorted(params.items())))] += 1
        return execute(con, name, params)

    monkeypatch.setattr(queries, "_execute", counting)
    with store.connect(demo_db) as con:
        pack.build(con)
    names = collections.Counter()
    for (name, _), n in executed.items():
        names[name] += n
    assert names["headline_kpis"] == 1
    assert names["in_flight_evm"] == 1
    assert max(executed.values()) == 1
