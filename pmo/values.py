"""Reading cell values as real tools export them: money, percents, dates, statuses, RAG.

Every parser takes a pandas Series of raw cells (str, float, datetime or None) and returns
(parsed Series, mask of cells that could not be read). Blank cells parse to null and are
never counted as unreadable. Work is column-at-a-time (pandas string methods), never a
Python loop over rows.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pmo import schema

EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def blank_mask(raw: pd.Series) -> pd.Series:
    """True where a cell is empty: None, NaN, or only white space."""
    as_text = raw.astype("string")
    return raw.isna() | as_text.str.strip().fillna("").eq("")


def as_text(raw: pd.Series) -> pd.Series:
    """Cells as stripped strings; whole floats from Excel lose their '.0' (101.0 -> '101')."""
    out = pd.Series(pd.NA, index=raw.index, dtype="string")
    is_num = raw.map(lambda v: isinstance(v, float | int) and not isinstance(v, bool))
    nums = pd.to_numeric(raw[is_num], errors="coerce")
    whole = nums.notna() & (nums == np.floor(nums.fillna(0)))
    out[is_num] = nums.astype("string")
    out[whole[whole].index] = nums[whole].astype("int64").astype("string")
    rest = ~is_num
    out[rest] = raw[rest].astype("string").str.strip()
    out[blank_mask(raw)] = pd.NA
    return out


_CURRENCY = re.compile(r"[^\d,.\-+()eE]")


def parse_number(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from '$1,200,000', '1.200.000,50 €', '£32,614', '(1,000)', 1.5e3 or numeric cells."""
    blank = blank_mask(raw)
    direct = pd.to_numeric(raw.where(~blank), errors="coerce")
    text = raw.astype("string").str.strip()
    todo = direct.isna() & ~blank
    if todo.any():
        t = text[todo]
        negative = t.str.startswith("(") & t.str.endswith(")") | t.str.startswith("-")
        t = t.str.replace(_CURRENCY, "", regex=True).str.strip("()+-")
        has_dot = t.str.contains(".", regex=False)
        has_comma = t.str.contains(",", regex=False)
        last_comma = t.str.rfind(",") > t.str.rfind(".")
        # Both separators: the last one is the decimal mark.
        eu = has_dot & has_comma & last_comma
        us = has_dot & has_comma & ~last_comma
        # Only commas: thousands when every group has 3 digits ("1,200"), else a decimal comma.
        comma_thousands = ~has_dot & has_comma & t.str.fullmatch(r"\d{1,3}(,\d{3})+")
        comma_decimal = ~has_dot & has_comma & ~comma_thousands
        # Only dots: several dot groups of 3 mean thousands ("1.200.000").
        dot_thousands = has_dot & ~has_comma & t.str.fullmatch(r"\d{1,3}(\.\d{3}){2,}")
        cleaned = t.copy()
        cleaned[eu] = t[eu].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        cleaned[us | comma_thousands] = t[us | comma_thousands].str.replace(",", "", regex=False)
        cleaned[comma_decimal] = t[comma_decimal].str.replace(",", ".", regex=False)
        cleaned[dot_thousands] = t[dot_thousands].str.replace(".", "", regex=False)
        value = pd.to_numeric(cleaned.where(cleaned.str.len() > 0), errors="coerce")
        value[negative.fillna(False)] = -value[negative.fillna(False)]
        direct[todo] = value
    bad = direct.isna() & ~blank
    return direct.astype("float64"), bad


def parse_percent(raw: pd.Series, *, scale: float) -> tuple[pd.Series, pd.Series]:
    """'45%' -> 45 (scale 100) or 0.45 (scale 1); plain numbers are read in the same scale.

    A column of plain numbers that all lie within 0–1 while the scale is 100 is taken as
    fractions (Excel stores a cell shown as 45 % as 0.45).
    """
    text = raw.astype("string").str.strip()
    has_pct = text.str.endswith("%").fillna(False)
    stripped = raw.where(~has_pct, text.str.rstrip("%").str.strip())
    value, bad = parse_number(stripped)
    value = value.copy()
    value[has_pct] = value[has_pct] * scale / 100.0
    plain = ~has_pct & value.notna()
    if scale == 100 and plain.any() and value[plain].between(0, 1).all():
        if not value[plain].isin([0.0, 1.0]).all():
            value[plain] = value[plain] * 100
    if scale == 1 and plain.any():
        # "25" in a share column means 25 %.
        over = plain & (value > 1)
        value[over] = value[over] / 100.0
    return value, bad


_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"


def _to_dt(text: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(text, format=fmt, errors="coerce")


def parse_date(raw: pd.Series, *, dayfirst: bool | None = None) -> tuple[pd.Series, pd.Series, str]:
    """Dates from Excel serials, datetimes, ISO, '03/15/2025', '15.03.2025', 'July 25, 2022'.

    Slashed dates are read month-first or day-first for the whole column, decided from its
    values (a first part over 12 means day-first); the returned note says when the column
    could be read either way and which order was taken.
    """
    blank = blank_mask(raw)
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    note = ""
    is_dt = raw.map(lambda v: hasattr(v, "year") and hasattr(v, "month"))
    if is_dt.any():
        out[is_dt] = pd.to_datetime(raw[is_dt], errors="coerce")
    is_num = raw.map(lambda v: isinstance(v, float | int) and not isinstance(v, bool)) & ~blank
    if is_num.any():
        serial = pd.to_numeric(raw[is_num], errors="coerce")
        ok = serial.between(1, 2958465)
        out[is_num & ok.reindex(raw.index, fill_value=False)] = EXCEL_EPOCH + pd.to_timedelta(
            serial[ok], unit="D"
        )
    text = raw.astype("string").str.strip()
    todo = out.isna() & ~blank & ~is_dt & ~is_num
    if todo.any():
        t = text[todo].str.replace(r"\s+", " ", regex=True)
        # Drop a time part ("2016-05-25 17:00:00", "5/02/2016 5:00:00 PM", "...T08:00").
        t = t.str.replace(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?$", "", regex=True)
        t = t.str.strip()
        iso = t.str.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}")
        out[iso[iso].index] = _to_dt(t[iso], "%Y-%m-%d")
        iso_slash = t.str.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}")
        out[iso_slash[iso_slash].index] = _to_dt(t[iso_slash], "%Y/%m/%d")
        dotted = t.str.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}")
        out[dotted[dotted].index] = _to_dt(t[dotted], "%d.%m.%Y")
        slashed = t.str.fullmatch(r"\d{1,2}[/-]\d{1,2}[/-]\d{4}")
        if slashed.any():
            s = t[slashed].str.replace("-", "/", regex=False)
            parts = s.str.split("/", expand=True).astype(int)
            first_big = (parts[0] > 12).any()
            second_big = (parts[1] > 12).any()
            if dayfirst is None:
                if first_big and not second_big:
                    dayfirst = True
                elif second_big and not first_big:
                    dayfirst = False
                else:
                    dayfirst = False
                    if not first_big and not second_big:
                        note = "slashed dates could be month/day or day/month; read as month/day"
            fmt = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
            out[slashed[slashed].index] = _to_dt(s, fmt)
        named = t.str.contains(rf"(?i)\b(?:{_MONTHS})[a-z]*\b", regex=True)
        if named.any():
            n = t[named]
            for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%d-%b-%Y"):
                miss = out[n.index].isna()
                if not miss.any():
                    break
                out[n[miss].index] = _to_dt(n[miss], fmt)
    bad = out.isna() & ~blank
    return out.dt.normalize(), bad, note


def parse_month(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Months from '2025-03', 'Mar 2025', 'March 2025' or any date in the month -> its 1st."""
    text = raw.astype("string").str.strip()
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    ym = text.str.fullmatch(r"\d{4}-\d{1,2}").fillna(False)
    out[ym] = _to_dt(text[ym], "%Y-%m")
    mon = text.str.fullmatch(rf"(?i)({_MONTHS})[a-z]*[ -]\d{{4}}").fillna(False)
    for fmt in ("%b %Y", "%B %Y", "%b-%Y", "%B-%Y"):
        miss = mon & out.isna()
        if not miss.any():
            break
        out[miss] = _to_dt(text[miss], fmt)
    rest = out.isna()
    if rest.any():
        dates, _, _ = parse_date(raw[rest])
        out[rest] = dates
    bad = out.isna() & ~blank_mask(raw)
    return out.dt.to_period("M").dt.start_time, bad


def _normalise_word(raw: pd.Series) -> pd.Series:
    return as_text(raw).str.lower().str.replace(r"[\s_\-]+", " ", regex=True).str.strip()


def parse_status(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Statuses and their synonyms (In Progress -> Active, Done -> Completed, ...)."""
    words = _normalise_word(raw)
    out = words.map(schema.STATUS_SYNONYMS).astype("string")
    return out, out.isna() & ~blank_mask(raw)


def parse_rag(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Green/Amber/Red, also G/A/R and Yellow -> Amber."""
    words = _normalise_word(raw)
    out = words.map(schema.RAG_SYNONYMS).astype("string")
    return out, out.isna() & ~blank_mask(raw)


def expected(kind: str) -> str:
    """What a cell of this kind must hold, for error messages."""
    return {
        "number": "a number such as 1200000 or $1,200,000",
        "integer": "a whole number",
        "date": "a date such as 2025-03-15, 03/15/2025 or 15.03.2025",
        "month": "a month such as 2025-03 or Mar 2025",
        "share": "a share such as 0.25 or 25%",
        "percent": "a percentage such as 45 or 45%",
        "status": "one of " + ", ".join(schema.STATUSES),
        "rag": "one of Green, Amber, Red (or G/A/R, Yellow)",
        "text": "text",
    }[kind]


def parse(kind: str, raw: pd.Series) -> tuple[pd.Series, pd.Series, str]:
    """Parse a column of ``kind``; returns (values, unreadable mask, note about the column)."""
    note = ""
    if kind == "text":
        return as_text(raw), pd.Series(False, index=raw.index), ""
    if kind == "number":
        v, bad = parse_number(raw)
    elif kind == "integer":
        v, bad = parse_number(raw)
        frac = v.notna() & (v != np.floor(v.fillna(0)))
        bad = bad | frac
        v = v.where(~frac)
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
    else:  # pragma: no cover - schema kinds are fixed
        raise ValueError(kind)
    return v, bad, note
