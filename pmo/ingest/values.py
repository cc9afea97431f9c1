"""Reading cell values as real tools export them: money, percents, dates, statuses, RAG.

Every parser takes a pandas Series of raw cells and returns the parsed Series and a mask of
the cells that could not be read. Cells come from CSV files as strings and from workbooks as
Python objects (str, float, int, datetime, bool). Blank cells parse to null and are never
counted as unreadable. Work is column-at-a-time (pandas string methods and vectorised
conversions), never a Python loop over rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import numpy as np
import pandas as pd

from pmo import schema

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Text holding a whole number in this range in a date column is an Excel serial
# (1954-10-03 .. 2119-01-09); outside it "2025" or "20" would be misread.
SERIAL_TEXT_RANGE = (20000, 80000)

# A text column this long whose values repeat (a million timesheet rows name a few thousand
# people, projects and dates) is parsed once per distinct value and spread back (issue 9).
DISTINCT_MIN_ROWS = 20_000
_MIX_NOTE = "slashed dates in this column mix"
_NUMBER_TYPES = (int, float, np.integer, np.floating)
_DATE_TYPES = (dt.datetime, dt.date, pd.Timestamp, np.datetime64)


def _is_text_dtype(raw: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(raw) and raw.dtype != object


def _cell_kinds(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Masks of numeric and of date/time cells (both False for text and blanks)."""
    none = pd.Series(False, index=raw.index)
    if _is_text_dtype(raw):
        return none, none
    if pd.api.types.is_bool_dtype(raw):
        return none, none
    if pd.api.types.is_numeric_dtype(raw):
        return raw.notna(), none
    if pd.api.types.is_datetime64_any_dtype(raw):
        return none, raw.notna()
    # Object column (workbook cells): one C-level pass over the cell types.
    types = raw.map(type)
    kinds = {
        t: (issubclass(t, _NUMBER_TYPES) and t is not bool, issubclass(t, _DATE_TYPES))
        for t in types.unique()
    }
    is_num = types.map({t: k[0] for t, k in kinds.items()})
    is_dt = types.map({t: k[1] for t, k in kinds.items()})
    return is_num.astype(bool), is_dt.astype(bool)


def blank_mask(raw: pd.Series) -> pd.Series:
    """True where a cell is empty: None, NaN, or only white space."""
    if pd.api.types.is_numeric_dtype(raw) or pd.api.types.is_datetime64_any_dtype(raw):
        return raw.isna()
    text = raw.astype("string")
    return (raw.isna() | text.str.strip().fillna("").eq("")).astype(bool)


def as_text(raw: pd.Series) -> pd.Series:
    """Cells as stripped strings; whole floats from Excel lose their '.0' (101.0 -> '101')."""
    if _is_text_dtype(raw):
        out = raw.astype("string").str.strip()
        return out.where(out.str.len() > 0)
    out = pd.Series(pd.NA, index=raw.index, dtype="string")
    is_num, is_dt = _cell_kinds(raw)
    if is_num.any():
        nums = pd.to_numeric(raw[is_num], errors="coerce").astype("float64")
        whole = nums.notna() & (nums == np.floor(nums.fillna(0))) & (nums.abs() < 1e15)
        text = nums.astype("string")
        text[whole] = nums[whole].astype("int64").astype("string")
        out[is_num] = text
    if is_dt.any():
        stamps = pd.to_datetime(raw[is_dt], errors="coerce")
        out[is_dt] = stamps.dt.strftime("%Y-%m-%d").where(
            stamps.dt.normalize() == stamps, stamps.dt.strftime("%Y-%m-%d %H:%M:%S")
        )
    rest = ~is_num & ~is_dt
    if rest.any():
        out[rest] = raw[rest].astype("string").str.strip()
    return out.where(~blank_mask(raw) & (out.str.len() > 0))


_SPACES = r"[\s\u00a0\u202f\u2009']"
# English-speaking locales whose currency symbols exports use ("$", "US$", "CA$", "A$", "£").
_SYMBOL_LOCALES = ("en", "en_GB", "en_CA", "en_AU")


@functools.cache
def currency_symbols() -> dict[str, frozenset[str]]:
    """ISO code -> the symbols CLDR (through Babel) gives it in English-speaking locales."""
    from babel.numbers import get_currency_symbol, list_currencies

    return {
        code: frozenset({code, *(get_currency_symbol(code, loc) for loc in _SYMBOL_LOCALES)})
        for code in list_currencies()
    }


@functools.cache
def _currency() -> str:
    """A regex alternation of every currency symbol and code that may lead or trail an amount."""
    tokens = {t for symbols in currency_symbols().values() for t in symbols if t.strip()}
    return "(?:" + "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)) + ")"


def symbol_fits(symbol: str, code: str) -> bool:
    """Whether money written with ``symbol`` can be in currency ``code``: its code or one of
    its symbols, or the short form of one ("$" for CA$, "¥" for JP¥)."""
    known = currency_symbols().get(code, frozenset({code}))
    return symbol.upper() == code or any(s == symbol or s.endswith(symbol) for s in known)


def money_marks(raw: pd.Series) -> pd.Series:
    """The currency symbol or code written with each amount ('£32,614' -> '£'); NA where none."""
    out = pd.Series(None, index=raw.index, dtype=object)
    if pd.api.types.is_numeric_dtype(raw) or pd.api.types.is_datetime64_any_dtype(raw):
        return out
    cur = _currency()

    def marks(u: pd.Series) -> pd.Series:
        t = as_text(u).str.replace(r"^[(\s+\-]+|[)\s+\-]+$", "", regex=True)
        lead = t.str.extract(rf"^({cur})\s*[\d.,]", expand=False)
        trail = t.str.extract(rf"[\d.,]\s*({cur})$", expand=False)
        return lead.fillna(trail).astype(object)

    text = as_text(raw)
    has = text.notna() & text.str.contains(r"[^\d\s.,+\-()%]", regex=True).fillna(False)
    if has.any():
        found = per_distinct(text[has], marks)
        out[has] = [None if pd.isna(m) else str(m) for m in found]
    return out


def _number_text(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Strip currency, spaces and signs from text amounts; return (digits text, negative)."""
    _CURRENCY = _currency()
    t = raw if _is_text_dtype(raw) else as_text(raw)
    t = t.str.replace(rf"^{_CURRENCY}\s*", "", regex=True).str.replace(
        rf"\s*{_CURRENCY}$", "", regex=True
    )
    paren = t.str.fullmatch(r"\(.*\)").fillna(False)
    t = t.str.replace(r"^\((.*)\)$", r"\1", regex=True)
    t = t.str.replace(rf"^{_CURRENCY}\s*", "", regex=True).str.replace(
        rf"\s*{_CURRENCY}$", "", regex=True
    )
    minus = (t.str.startswith("-") | t.str.endswith("-")).fillna(False)
    t = t.str.strip("+-").str.replace(rf"^{_CURRENCY}\s*", "", regex=True)
    t = t.str.replace(_SPACES, "", regex=True)
    return t, (paren | minus)


# A plain number as CSV exports write it ("12.5", "-3", "1e3"): read in C, no clean-up needed.
# ASCII classes only, so pandas runs it in pyarrow (RE2), not per cell in Python.
# The same shapes the general path below accepts as plain ("1e3" but not ".5e3").
_PLAIN_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+)"


def per_distinct(text: pd.Series, fn) -> pd.Series:
    """``fn`` applied to the distinct values of ``text`` only, spread back to every row.

    Exports repeat values (a million timesheet rows hold a few hundred dates): parsing the
    distinct ones is the same result for an element-wise ``fn``, at a fraction of the cost.
    """
    codes, uniques = pd.factorize(text)  # blanks get code -1
    done = fn(pd.Series(uniques, dtype=text.dtype))
    return pd.Series(done.array.take(codes, allow_fill=True), index=text.index)


def parse_number(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from '$1,200,000', '1.200.000,50 €', '£32,614', '(1,000)', '1 200,5', 1.5e3.

    A column is read with one decimal mark, the one more of its values show (a comma for
    "1.200,50" or "12,5"; a dot for "1,200.50" or "12.5"); a dot on a tie, so "1,200" is
    twelve hundred unless the column is European.
    """
    blank = blank_mask(raw)
    is_num, is_dt = _cell_kinds(raw)
    out = pd.Series(np.nan, index=raw.index, dtype="float64")
    if is_num.any():
        out[is_num] = pd.to_numeric(raw[is_num], errors="coerce").astype("float64")
    todo = ~is_num & ~is_dt & ~blank
    if todo.any():
        plain = as_text(raw[todo])
        if plain.str.fullmatch(_PLAIN_NUMBER).all():
            # Every text cell is a plain number: no currency, grouping or decimal comma to
            # decide, so the general path below would read each one as it is.
            out[todo] = per_distinct(plain, lambda u: pd.to_numeric(u).astype("float64"))
            todo = pd.Series(False, index=raw.index)
    if todo.any():
        text = as_text(raw[todo])
        plain = text.str.fullmatch(r"\d+(\.\d+)?([eE][+-]?\d+)?|\.\d+").fillna(False)
        t = text
        negative = pd.Series(False, index=text.index)
        if not plain.all():
            # Only cells that are not plain numbers pay for the cleaning regexes.
            rest = ~plain
            cleaned_rest, negative_rest = _number_text(text[rest])
            t = text.copy()
            t[rest] = cleaned_rest
            negative[rest] = negative_rest
            plain = t.str.fullmatch(r"\d+(\.\d+)?([eE][+-]?\d+)?|\.\d+").fillna(False)
        # The column's decimal mark: the one more of its values show ("1.200,50", "12,5",
        # "1.200.000" for a comma; "1,200.50", "1,200,000", "12.5" for a dot).
        eu = t.str.fullmatch(r"\d{1,3}(\.\d{3})+,\d+|\d{1,3}(\.\d{3}){2,}|\d+,(\d{1,2}|\d{4,})")
        us = t.str.fullmatch(r"\d{1,3}(,\d{3})+\.\d+|\d{1,3}(,\d{3}){2,}|\d+\.(\d{1,2}|\d{4,})")
        decimal_comma = int(eu.fillna(False).sum()) > int(us.fillna(False).sum())
        cleaned = t.where(plain)
        if decimal_comma:
            ok = t.str.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+,\d+").fillna(False)
            cleaned[ok] = t[ok].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        elif not plain.all():
            ok = t.str.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?").fillna(False)
            cleaned[ok] = t[ok].str.replace(",", "", regex=False)
        value = pd.to_numeric(
            cleaned.astype(object) if cleaned.isna().any() else cleaned, errors="coerce"
        ).astype("float64")
        if negative.any():
            value[negative] = -value[negative]
        out[todo] = value
    bad = out.isna() & ~blank
    return out, bad


def parse_integer(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole numbers; 3.0 is 3, 3.5 is unreadable."""
    value, bad = parse_number(raw)
    frac = value.notna() & (value != np.floor(value.fillna(0)))
    return value.where(~frac), bad | frac


def parse_percent(raw: pd.Series, *, scale: float) -> tuple[pd.Series, pd.Series]:
    """'45%' -> 45 (scale 100) or 0.45 (scale 1); plain numbers are read in the same scale.

    A percent column (scale 100) of plain numbers that all lie within 0–1, not all 0 or 1,
    is taken as fractions (Excel stores a cell shown as 45 % as 0.45). In a share column
    (scale 1) a plain number over 1 means percent ("25" -> 0.25).
    """
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        # Workbook numbers (typed by the reader): no cell can end in "%" (issue 9).
        has_pct = pd.Series(False, index=raw.index)
        value, bad = parse_number(raw)
    else:
        text = as_text(raw)
        has_pct = text.str.endswith("%").fillna(False)
        stripped = raw.astype(object).where(~has_pct, text.str.rstrip("%").str.strip())
        value, bad = parse_number(stripped)
    value = value.copy()
    value[has_pct] = value[has_pct] * scale / 100.0
    plain = ~has_pct & value.notna()
    if scale == 100 and plain.any():
        fractions = value[plain].between(0, 1).all() and not value[plain].isin([0.0, 1.0]).all()
        if fractions:
            value[plain] = value[plain] * 100
    if scale == 1 and plain.any():
        over = plain & (value > 1)
        value[over] = value[over] / 100.0
    return value, bad


_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_NAMED_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d-%B-%Y",
    "%d %b, %Y",
    "%A, %B %d, %Y",
    "%a, %b %d, %Y",
    "%d-%b-%y",
)


def _ns(values: pd.Series) -> pd.Series:
    """Datetimes in nanoseconds; a date outside 1677-2262 (a typo such as 3026) is unreadable."""
    values = pd.to_datetime(values, errors="coerce")
    inside = values.isna() | values.between(pd.Timestamp.min, pd.Timestamp.max)
    return values.where(inside).astype("datetime64[ns]")


def _to_dt(text: pd.Series, fmt: str) -> pd.Series:
    return _ns(pd.to_datetime(text, format=fmt, errors="coerce"))


def _serials(numbers: pd.Series) -> pd.Series:
    # Excel's serials run to 9999; pandas' day offsets end 106,751 days on (year 2192).
    ok = numbers.between(1, pd.Timedelta.max.days - 1)
    out = pd.Series(pd.NaT, index=numbers.index, dtype="datetime64[ns]")
    out[ok] = EXCEL_EPOCH + pd.to_timedelta(numbers[ok].round(6), unit="D")
    return out


def _plausible(dates: pd.Series) -> pd.Series:
    """Dates from 1900 to 2200 (the range parse_date keeps), as nanosecond datetimes."""
    return dates.where((dates.dt.year >= 1900) & (dates.dt.year <= 2200)).astype("datetime64[ns]")


def parse_date(raw: pd.Series, *, dayfirst: bool | None = None) -> tuple[pd.Series, pd.Series, str]:
    """Dates from Excel serials, datetimes, ISO, '03/15/2025', '15.03.2025', 'July 25, 2022'.

    Times are dropped ('2016-05-25 17:00:00', '5/02/2016 5:00:00 PM'). Slashed dates are
    read month-first or day-first for the whole column, decided from its values (a first part
    over 12 means day-first, a second part over 12 month-first; when both occur the order
    reading more values wins). The returned note says which order was taken when the column
    could be read either way, or when some values contradict the order taken.
    """
    blank = blank_mask(raw)
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    note = ""
    is_num, is_dt = _cell_kinds(raw)
    if is_dt.any():
        out[is_dt] = _plausible(_ns(pd.to_datetime(raw[is_dt], errors="coerce", utc=False)))
    if is_num.any():
        out[is_num] = _serials(pd.to_numeric(raw[is_num], errors="coerce").astype("float64"))
    todo = ~blank & ~is_dt & ~is_num
    if todo.any():
        iso = as_text(raw[todo])
        if iso.str.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}").all():
            # Every text cell is an ISO date (CSV exports): nothing to strip or decide.
            out[todo] = per_distinct(iso, lambda u: _plausible(_to_dt(u, "%Y-%m-%d")))
            todo = pd.Series(False, index=raw.index)
    if todo.any():
        out[todo], note = _text_dates(_without_time(as_text(raw[todo])), dayfirst)
    out = out.where((out.dt.year >= 1900) & (out.dt.year <= 2200))
    bad = out.isna() & ~blank
    return out.dt.normalize(), bad, note


def _without_time(t: pd.Series) -> pd.Series:
    """Date texts with runs of white space made one and a time part dropped."""
    spaced = (t.str.contains("  ", regex=False) | t.str.contains("\t", regex=False)).fillna(False)
    if spaced.any():
        t[spaced] = t[spaced].str.replace(r"\s+", " ", regex=True)
    timed = t.str.contains(":", regex=False).fillna(False)
    if timed.any():
        # Drop a time part ("2016-05-25 17:00:00", "5/02/2016 5:00:00 PM", "...T08:00Z").
        t[timed] = (
            t[timed]
            .str.replace(
                r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp]\.?[Mm]\.?)?"
                r"( ?(Z|[+-]\d{2}:?\d{2}|UTC|GMT))?$",
                "",
                regex=True,
            )
            .str.strip()
        )
    return t


def _fill(parsed: pd.Series, mask: pd.Series, values: pd.Series) -> None:
    idx = mask[mask.fillna(False)].index
    if len(idx):
        parsed[idx] = values.reindex(idx)


def _text_dates(t: pd.Series, dayfirst: bool | None) -> tuple[pd.Series, str]:
    """Date texts in every accepted shape; the note about slashed dates' order."""
    parsed = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    note = ""
    iso = t.str.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}").fillna(False)
    _fill(parsed, iso, _to_dt(t[iso], "%Y-%m-%d"))
    iso_slash = t.str.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}").fillna(False)
    _fill(parsed, iso_slash, _to_dt(t[iso_slash], "%Y/%m/%d"))
    compact = t.str.fullmatch(r"(19|20)\d{6}").fillna(False)
    _fill(parsed, compact, _to_dt(t[compact], "%Y%m%d"))
    dotted = t.str.fullmatch(r"\d{1,2}\.\d{1,2}\.(\d{4}|\d{2})").fillna(False)
    if dotted.any():
        d = t[dotted]
        _fill(parsed, dotted, _to_dt(d, "%d.%m.%Y").fillna(_to_dt(d, "%d.%m.%y")))
    serial_text = t.str.fullmatch(r"\d{5}(\.\d+)?").fillna(False)
    if serial_text.any():
        n = pd.to_numeric(t[serial_text], errors="coerce")
        in_range = n.between(*SERIAL_TEXT_RANGE)
        _fill(parsed, serial_text & in_range.reindex(t.index, fill_value=False), _serials(n))
    slashed = t.str.fullmatch(r"\d{1,2}[/-]\d{1,2}[/-](\d{4}|\d{2})").fillna(False)
    if slashed.any():
        values, note = _slashed(t[slashed], dayfirst)
        _fill(parsed, slashed, values)
    _named_months(t, parsed)
    return parsed, note


def _slashed(t: pd.Series, dayfirst: bool | None) -> tuple[pd.Series, str]:
    """Slashed dates read in one order for the column, decided from its values."""
    s = t.str.replace("-", "/", regex=False)
    parts = s.str.split("/", expand=True).astype(int)
    four = s.str.fullmatch(r".*/\d{4}").fillna(False)
    note = ""
    if dayfirst is None:
        first_big = parts[0] > 12
        second_big = parts[1] > 12
        if first_big.any() and not second_big.any():
            dayfirst = True
        elif second_big.any() and not first_big.any():
            dayfirst = False
        elif first_big.any() and second_big.any():
            dayfirst = bool(first_big.sum() >= second_big.sum())
            note = (
                _MIX_NOTE
                + " day/month and month/day; read as "
                + ("day/month" if dayfirst else "month/day")
            )
        else:
            dayfirst = False
            note = (
                "slashed dates could be month/day or day/month (no day over 12); "
                "read as month/day (US)"
            )
    order = "%d/%m" if dayfirst else "%m/%d"
    values = _to_dt(s.where(four), f"{order}/%Y").fillna(_to_dt(s.where(~four), f"{order}/%y"))
    return values, note


def _named_months(t: pd.Series, parsed: pd.Series) -> None:
    """Dates with a month's name ('July 25, 2022', '25 Jul 2022') where nothing else read."""
    unread = parsed.isna()
    named = pd.Series(False, index=t.index)
    if unread.any():
        named[unread] = t[unread].str.contains(rf"(?i)\b(?:{_MONTHS})", regex=True).fillna(False)
    if not named.any():
        return
    n = (
        t[named]
        .str.replace(r"(?<=\d)(st|nd|rd|th)\b", "", regex=True)
        .str.replace(r"(?i)\bsept\b", "Sep", regex=True)
    )
    for fmt in _NAMED_FORMATS:
        miss = parsed[n.index].isna()
        if not miss.any():
            break
        _fill(parsed, miss.reindex(t.index, fill_value=False), _to_dt(n[miss], fmt))


def parse_month(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Months from '2025-03', 'Mar 2025', 'March 2025', '03/2025' or any date in the month."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        # Workbook dates (typed by the reader): each is a date in its month (issue 9).
        dates, bad, _ = parse_date(raw)
        return dates.dt.to_period("M").dt.start_time.astype("datetime64[ns]"), bad
    blank = blank_mask(raw)
    text = as_text(raw)
    is_num, is_dt = _cell_kinds(raw)
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    plain = ~is_num & ~is_dt & ~blank
    ym = plain & text.str.fullmatch(r"\d{4}-\d{1,2}").fillna(False)
    out[ym] = _to_dt(text[ym], "%Y-%m")
    my = plain & text.str.fullmatch(r"\d{1,2}/\d{4}").fillna(False)
    out[my] = _to_dt(text[my], "%m/%Y")
    mon = plain & text.str.fullmatch(rf"(?i)({_MONTHS})[a-z]*\.?[ \-']\d{{2}}(\d{{2}})?").fillna(
        False
    )
    if mon.any():
        m = (
            text[mon]
            .str.replace(r"[.']", "", regex=True)
            .str.replace(r"(?i)\bsept", "Sep", regex=True)
        )
        for fmt in ("%b %Y", "%B %Y", "%b-%Y", "%B-%Y", "%b %y", "%b-%y", "%B %y", "%B-%y"):
            miss = mon & out.isna()
            if not miss.any():
                break
            out[miss] = _to_dt(m[miss], fmt)
    rest = out.isna() & ~blank
    if rest.any():
        dates, _, _ = parse_date(raw[rest])
        out[rest] = dates
    bad = out.isna() & ~blank
    return out.dt.to_period("M").dt.start_time.astype("datetime64[ns]"), bad


def _normalise_word(raw: pd.Series) -> pd.Series:
    return per_distinct(
        as_text(raw),
        lambda u: u.str.lower().str.replace(r"[\s_\-./]+", " ", regex=True).str.strip(),
    )


def parse_status(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Statuses and their synonyms (In Progress -> Active, Done -> Completed, ...)."""
    words = _normalise_word(raw)
    out = words.map(schema.STATUS_SYNONYMS, na_action="ignore").astype("string")
    return out, (out.isna() & ~blank_mask(raw)).astype(bool)


def rating_points(raw: pd.Series) -> pd.Series:
    """The point of the five-point scale each rating word is (schema.RATING_SYNONYMS); NA where
    none: 'Amber/red', 'A/R', 'Amber-Red' -> 'Amber/Red'; 'AG' -> 'Amber/Green'."""
    return _normalise_word(raw).map(schema.RATING_SYNONYMS, na_action="ignore").astype("string")


def parse_rating(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Ratings kept as reported (stripped), when the word is one of the scale's."""
    points = rating_points(raw)
    return as_text(raw).where(points.notna()), (points.isna() & ~blank_mask(raw)).astype(bool)


def parse_rag(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Green/Amber/Red, also G/A/R and Yellow -> Amber."""
    words = _normalise_word(raw)
    out = words.map(schema.RAG_SYNONYMS, na_action="ignore").astype("string")
    return out, (out.isna() & ~blank_mask(raw)).astype(bool)


def expected(kind: str) -> str:
    """What a cell of this kind must hold, for error messages."""
    return {
        "number": "a number such as 1200000, $1,200,000 or 1.200.000,50 €",
        "integer": "a whole number",
        "date": "a date such as 2025-03-15, 03/15/2025, 15.03.2025 or July 25, 2022",
        "month": "a month such as 2025-03, Mar 2025 or a date in the month",
        "share": "a share such as 0.25 or 25%",
        "percent": "a percentage such as 45 or 45%",
        "status": "one of " + ", ".join(schema.STATUSES),
        "rag": "one of Green, Amber, Red (or G/A/R, Yellow)",
        "rating": "a rating: Green, Amber/Green, Amber, Amber/Red or Red (or G/A/R, AG, A/R, "
        "Amber-Red, Yellow)",
        "text": "text",
    }[kind]


def _distinct_safe(kind: str, uniques: pd.Series) -> bool:
    """Whether parsing only the distinct values gives the per-row result.

    Number columns decide their decimal mark by how many values show each one, so only plain
    numbers qualify; dates decide a mixed slashed order by counts too (checked by the note).
    """
    if kind in ("number", "integer", "share", "percent"):
        text = as_text(uniques).str.rstrip("%").str.strip()
        return bool(text.dropna().str.fullmatch(_PLAIN_NUMBER).all())
    return kind in ("text", "status", "rag", "rating", "date")


def parse(kind: str, raw: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    """Parse a column of ``kind``; returns (values, unreadable mask, note about the column)."""
    value, bad, note, _ = parse_column(kind, raw)
    return value, bad, note


def parse_column(kind: str, raw: pd.Series) -> tuple[pd.Series, pd.Series, str, pd.Series]:
    """parse, and the column's blank mask (blank_mask of raw) beside it."""
    if len(raw) >= DISTINCT_MIN_ROWS and _is_text_dtype(raw):
        codes, uniques = pd.factorize(raw)  # blanks (NA) get -1
        if len(uniques) * 4 <= len(raw):
            cells = pd.concat(
                [pd.Series(uniques, dtype=raw.dtype), pd.Series([pd.NA], dtype=raw.dtype)],
                ignore_index=True,
            )
            if _distinct_safe(kind, cells):
                value, bad, note = _parse(kind, cells)
                blank = blank_mask(cells).to_numpy()
                # as_text gives "string"; a CSV column is "str" (NaN for missing): compare alike.
                if kind == "text" and value.iloc[:-1].equals(cells.iloc[:-1].astype(value.dtype)):
                    # Ids as exported (no spaces to strip, no blanks among them): the column
                    # is its own text, no need to spread a copy back.
                    none = pd.Series(False, index=raw.index)
                    return raw.astype(value.dtype), none, "", pd.Series(codes < 0, index=raw.index)
                if not note.startswith(_MIX_NOTE):
                    at = np.where(codes < 0, len(uniques), codes)
                    return (
                        pd.Series(value.array.take(at), index=raw.index),
                        pd.Series(bad.to_numpy()[at], index=raw.index),
                        note,
                        pd.Series(blank[at], index=raw.index),
                    )
    value, bad, note = _parse(kind, raw)
    return value, bad, note, blank_mask(raw)


def _parse(kind: str, raw: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    note = ""
    if kind == "text":
        return as_text(raw), pd.Series(False, index=raw.index), ""
    if kind == "number":
        v, bad = parse_number(raw)
    elif kind == "integer":
        v, bad = parse_integer(raw)
    elif kind == "share":
        v, bad = parse_percent(raw, scale=1)
    elif kind == "percent":
        v, bad = parse_percent(raw, scale=100)
    elif kind == "date":
        v, bad, note = parse_date(raw)
    elif kind == "month":
        v, bad = parse_month(raw)
    elif kind == "status":
        v, bad = parse_status(raw)
    elif kind == "rag":
        v, bad = parse_rag(raw)
    elif kind == "rating":
        v, bad = parse_rating(raw)
    else:  # pragma: no cover - schema kinds are fixed
        raise ValueError(kind)
    return v, bad.astype(bool), note
