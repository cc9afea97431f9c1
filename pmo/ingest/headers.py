"""Header normalisation: which template table a sheet is named after, which column a header is.

Headers match the template case-, space- and punctuation-insensitively and by the synonyms of
pmo.schema ('Budget ($)' is budget, 'Project_ID' is project_id). A file's headers also give its
signature, under which a mapping is saved and found again next month.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from pmo import schema

# A unit of money stated in a header: "Cost (£m)", "Budget $000", "WLC (in millions)",
# "Budget (£)". Group sym: a currency symbol or ISO code; unit: k, m, bn, 000 and the words.
_SYM = r"(?P<sym>[^\w\s()]{1,3}|[A-Za-z]{1,2}\$|(?-i:[A-Z]{3})(?=\s|\)|\d|$))"
_UNIT_WORD = r"(?P<unit>k|m|mn|bn|b|000s?|000's|thousands?|millions?|billions?)"
_MONEY_UNIT = re.compile(
    rf"(?i)\(\s*(?:{_SYM}\s*)?(?:in\s+)?{_UNIT_WORD}?\s*\)"
    rf"|\bin\s+(?P<unit2>thousands|millions|billions)\b"
    rf"|(?P<sym2>[$€£¥₹])\s*(?P<unit3>000s?|k|m|bn)\b"
)
_FACTORS = {
    "k": 1e3,
    "000": 1e3,
    "000s": 1e3,
    "000's": 1e3,
    "thousand": 1e3,
    "thousands": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
}


def money_unit(header: object) -> tuple[float, str | None, str] | None:
    """The unit of money a header states: (factor, currency symbol or code, the text), or None.

    'Cost (£m)' -> (1e6, '£', '(£m)'); 'Budget $000' -> (1e3, '$', '$000');
    'WLC in millions' -> (1e6, None, 'in millions'); 'Budget (€)' -> (1.0, '€', '(€)').
    """
    text = str(header)
    for m in _MONEY_UNIT.finditer(text):
        groups = m.groupdict()
        unit = (groups["unit"] or groups["unit2"] or groups["unit3"] or "").lower()
        sym = groups["sym"] or groups["sym2"]
        if not unit and not sym:
            continue  # "( )" or a parenthesis that says neither
        return _FACTORS.get(unit, 1.0), sym, m.group(0).strip()
    return None


def header_key(text: object) -> str:
    """Header text reduced for matching: 'Budget ($)' -> 'budget', 'Project_ID' -> 'projectid',
    'Cost (£m)' -> 'cost' (a stated unit of money is not part of the name)."""
    s = str(text).strip()
    if "(" in s or " in " in s or "000" in s:
        s = _MONEY_UNIT.sub("", s)
    s = s.lower()
    s = re.sub(r"\((\$|€|£|eur|usd|gbp|cad|aud)\)", "", s)
    return re.sub(r"[^\w%]|_", "", s)


def header_lookup(table: schema.Table) -> dict[str, str]:
    """Header key (of the canonical name or a synonym) -> canonical column, for one table."""
    out: dict[str, str] = {}
    for col in table.importable:
        for name in (col.name, *col.synonyms):
            out.setdefault(header_key(name), col.name)
    return out


def known_keys(table: str | None = None) -> set[str]:
    """Header keys recognised for one table, or for every table when ``table`` is None."""
    tables = [schema.TABLES[table]] if table else list(schema.TABLES.values())
    return {k for t in tables for k in header_lookup(t)}


def table_for_name(name: str) -> str | None:
    """The template table a sheet or file is named after ('Status Reports' -> status_reports)."""
    k = header_key(name)
    for table in schema.TABLES.values():
        if k in {header_key(table.name), *(header_key(s) for s in table.synonyms)}:
            return table.name
    return None


def match_headers(table: schema.Table, headers: Iterable[str]) -> dict[str, str]:
    """Canonical column -> source header, for the headers that match by name or synonym."""
    lookup = header_lookup(table)
    mapping: dict[str, str] = {}
    exact = {header_key(c.name): c.name for c in table.importable}
    headers = list(headers)
    # Canonical names first, so 'name' is not taken by a 'project' synonym when 'name' exists.
    for h in headers:
        target = exact.get(header_key(h))
        if target and target not in mapping:
            mapping[target] = h
    taken = set(mapping.values())
    for h in headers:
        target = lookup.get(header_key(h))
        if target and target not in mapping and h not in taken:
            mapping[target] = h
            taken.add(h)
    return mapping


def signature(headers: Iterable[str]) -> str:
    """A short fingerprint of a file's headers (order, case and punctuation ignored)."""
    keys = sorted({header_key(h) for h in headers if str(h).strip()})
    return hashlib.sha256("\x1f".join(keys).encode("utf-8")).hexdigest()[:16]
