"""The shared filters as plain data: a view's query parameters, reading them from a URL,
describing them in words.

A view is a mapping with an optional ``as_of`` date and one list per filter of
queries.FILTER_PARAMS (portfolio, business_unit, status, sponsor); an empty or missing list
means all projects. The app's sidebar, the review pack, the CLI and the tests all turn a view
into a query's parameters through query_params.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from pmo import queries

LABELS = {
    "portfolio": "Portfolio",
    "business_unit": "Business unit",
    "status": "Status",
    "sponsor": "Sponsor",
}


VIEW_KEYS = ("as_of", *queries.FILTER_PARAMS)


def query_params(
    name: str, view: Mapping[str, object] | None = None, **extra: object
) -> dict[str, object]:
    """The parameters of queries/<name>.sql for ``view``: the view's as-of date and filters
    that the query takes, then ``extra`` (which wins), then a default for every parameter
    still missing (filters: all projects; anything else: null, e.g. as-of = the latest report).

    A key of ``view`` the query does not take is left out (a view applies to every query);
    a key of ``extra`` it does not take is kept, so queries.run refuses it by name.
    """
    wanted = queries.load(name).params
    view = view or {}
    params = {k: view[k] for k in VIEW_KEYS if k in wanted and k in view}
    params.update(extra)
    for p, value in queries.defaults(name).items():
        params.setdefault(p, value)
    return params


def split_known(values: Iterable[str], options: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split requested filter values into those that exist and those that do not."""
    known_set = set(options)
    known, unknown = [], []
    for v in values:
        (known if v in known_set else unknown).append(v)
    return known, unknown


def parse_as_of(text: str | None) -> tuple[dt.date | None, str | None]:
    """An ISO date from a URL value; (None, the bad text) when it is not one."""
    if not text:
        return None, None
    try:
        return dt.date.fromisoformat(text.strip()), None
    except ValueError:
        return None, text


def url_params(filters: Mapping[str, object], present: bool = False) -> dict[str, list[str] | str]:
    """The query parameters that reproduce a view: one key per non-empty filter."""
    out: dict[str, list[str] | str] = {}
    for f in queries.FILTER_PARAMS:
        values = list(filters.get(f) or [])
        if values:
            out[f] = [str(v) for v in values]
    as_of = filters.get("as_of")
    if as_of:
        out["as_of"] = as_of.isoformat() if hasattr(as_of, "isoformat") else str(as_of)
    if present:
        out["present"] = "1"
    return out


def describe(filters: Mapping[str, object], as_of: dt.date | None) -> str:
    """The view in words, for a subtitle or a slide: 'Portfolio: A, B · As of 31 Oct 2026'."""
    parts = []
    for f in queries.FILTER_PARAMS:
        values = list(filters.get(f) or [])
        if values:
            shown = ", ".join(str(v) for v in values[:4])
            more = f" +{len(values) - 4}" if len(values) > 4 else ""
            parts.append(f"{LABELS[f]}: {shown}{more}")
    if not parts:
        parts.append("All projects")
    if as_of:
        parts.append(f"As of {as_of:%-d %b %Y}")
    return " · ".join(parts)
