"""The fast paths of pmo.ingest.values read a column exactly as the general path would (issue 9).

A column of plain numbers or ISO dates, typical of a million-row CSV export, skips the
clean-up steps and is parsed once per distinct value. Each property below compares a column
with the same column plus one cell that sends it down the general path; that cell is chosen
to cast no vote on the column's decimal mark or day order, so the two must agree cell by cell.
"""

import datetime as dt

import pandas as pd
from hypothesis import given, settings, strategies as st

from pmo.ingest import values

plain_numbers = st.from_regex(
    r"[+-]?([0-9]{1,7}(\.[0-9]{1,3})?|\.[0-9]{1,3})([eE][+-]?[0-9])?", fullmatch=True
)
# 1900-2200: parse_date's range (beyond 2262 the general path cannot hold the date at all).
iso_dates = st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)).map(
    lambda d: f"{d.year:04d}-{d.month}-{d.day:02d}"
) | st.sampled_from(["2025-02-30", "1899-12-31", "2201-01-01"])
text = pd.StringDtype()


def both_ways(fn, cells: list[str], spoiler: str):
    """fn on the column as given (fast path) and with a spoiler cell (general path)."""
    fast = fn(pd.Series(cells, dtype=text))
    general = fn(pd.Series([*cells, spoiler], dtype=text))
    return fast, general


@settings(max_examples=60, deadline=None)
@given(st.lists(plain_numbers | st.just(" "), min_size=1, max_size=30))
def test_plain_numbers_read_as_the_general_path_reads_them(cells):
    (fast, fast_bad), (general, general_bad) = both_ways(values.parse_number, cells, "n/a")
    n = len(cells)
    pd.testing.assert_series_equal(fast, general.iloc[:n], check_names=False)
    assert fast_bad.tolist() == general_bad.iloc[:n].tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(iso_dates | st.just(""), min_size=1, max_size=30))
def test_iso_dates_read_as_the_general_path_reads_them(cells):
    (fast, fast_bad, _), (general, general_bad, _) = both_ways(values.parse_date, cells, "soon")
    n = len(cells)
    pd.testing.assert_series_equal(fast, general.iloc[:n], check_names=False)
    assert fast_bad.tolist() == general_bad.iloc[:n].tolist()


def test_a_million_row_column_of_repeats_reads_each_cell():
    # 1,000,000 cells, 4 distinct: parsed once each, spread back to every row.
    cells = pd.Series(["7.5", "4", "12.25", "-0.5"] * 250_000, dtype=text)
    out, bad = values.parse_number(cells)
    assert out.iloc[:4].tolist() == [7.5, 4.0, 12.25, -0.5]
    assert out.sum() == 250_000 * (7.5 + 4 + 12.25 - 0.5)  # 5,812,500
    assert not bad.any()
    dates, bad, _ = values.parse_date(pd.Series(["2026-10-05", "2025-1-6"] * 500_000, dtype=text))
    assert dates.iloc[:2].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-05", "2025-01-06"]
    assert not bad.any()


def test_an_iso_date_out_of_range_is_unreadable_not_a_crash():
    dates, bad, _ = values.parse_date(
        pd.Series(["2025-03-15", "2263-01-01", "0001-01-01"], dtype=text)
    )
    assert dates.isna().tolist() == [False, True, True]
    assert bad.tolist() == [False, True, True]


def test_a_european_column_still_reads_dotted_thousands():
    # "1.200" is plain, but a column with "12,5" reads it as twelve hundred: general path.
    out, _ = values.parse_number(pd.Series(["1.200", "12,5", "3"], dtype=text))
    assert out.tolist() == [1200.0, 12.5, 3.0]


def test_columns_with_no_value_at_all_stay_blank():
    empty = pd.Series([None, None], dtype=object)
    assert values.parse_rag(empty)[0].isna().all()
    assert values.parse_status(pd.Series([], dtype=object))[0].empty
    assert values.parse_number(pd.Series(["", " "], dtype=text))[0].isna().all()


def test_statuses_and_rag_are_read_once_per_distinct_word():
    words = pd.Series(["In Progress", "done", None, "G", "in_progress"], dtype=object)
    assert values.parse_status(words)[0].tolist()[:2] == ["Active", "Completed"]
    assert values.parse_status(words)[0].isna().tolist() == [False, False, True, True, False]
    assert values.parse_rag(pd.Series(["g", "Yellow", "", "R"] * 3))[0].tolist()[:4] == [
        "Green",
        "Amber",
        pd.NA,
        "Red",
    ]


# values.parse reads a long text column of repeats once per distinct value (DISTINCT_MIN_ROWS).
LONG = values.DISTINCT_MIN_ROWS


def test_a_long_column_of_repeats_parses_as_each_cell_would():
    # 20,000 cells, 4 distinct and a blank: the same values and unreadable marks as 4 rows.
    cells = ["$1,200", "soon", "", "45"] * (LONG // 4)
    out, bad, _ = values.parse("number", pd.Series(cells, dtype=text))
    assert out.iloc[:4].tolist()[0] == 1200.0 and out.iloc[3] == 45.0
    assert out.iloc[1:3].isna().all()
    assert bad.iloc[:4].tolist() == [False, True, False, False]
    assert bad.sum() == LONG // 4  # every "soon", never the blank
    words, bad, _ = values.parse(
        "status", pd.Series(["in progress", "Done", "??"] * (LONG // 3 + 1), dtype=text)
    )
    assert words.iloc[:3].tolist()[:2] == ["Active", "Completed"] and bad.iloc[2]


def test_a_long_number_column_decides_its_decimal_mark_by_rows_not_distinct_values():
    # "1.200,50" on 15,000 rows and "1,200.50" on one: the comma wins by rows (15,000 : 1),
    # though by distinct values it would be a tie (1 : 1, a dot on a tie).
    cells = ["1.200,50"] * 15_000 + ["1,200.50"] + ["3"] * (LONG - 15_001)
    out, _, _ = values.parse("number", pd.Series(cells, dtype=text))
    assert out.iloc[0] == 1200.5  # read with a decimal comma
    general, _, _ = values._parse("number", pd.Series(cells, dtype=text))
    pd.testing.assert_series_equal(out, general)


def test_a_long_date_column_mixing_orders_decides_by_rows():
    # "13/01/2025" (day first) on 2 rows, "01/14/2025" (month first) on 19,998 rows: month
    # first wins by rows (19,998 : 2), though by distinct values it would be a tie.
    cells = ["13/01/2025"] * 2 + ["01/14/2025"] * (LONG - 2)
    out, bad, note = values.parse("date", pd.Series(cells, dtype=text))
    assert "month/day" in note
    assert out.iloc[-1] == pd.Timestamp("2025-01-14")
    assert bad.iloc[0]  # 13/01 cannot be month 13


def test_typed_workbook_columns_read_as_their_cells_would():
    # The reader types a workbook column of dates or numbers; months and percents read from
    # the typed column skip the text steps, and must equal reading the same cells as objects.
    days = pd.Series(pd.to_datetime(["2025-03-15", None, "2025-12-01", "1850-01-01"]))
    typed_month, typed_bad = values.parse_month(days)
    cell_month, cell_bad = values.parse_month(days.astype(object))
    pd.testing.assert_series_equal(typed_month, cell_month)
    assert typed_month.iloc[0] == pd.Timestamp("2025-03-01")
    assert typed_bad.tolist() == cell_bad.tolist() == [False, False, False, True]  # 1850: too early
    shares = pd.Series([0.45, None, 0.3])  # Excel stores 45 % as 0.45: read as 45 and 30
    typed_pct, typed_bad = values.parse_percent(shares, scale=100)
    cell_pct, cell_bad = values.parse_percent(shares.astype(object), scale=100)
    pd.testing.assert_series_equal(typed_pct, cell_pct)
    assert typed_pct.round(6).tolist()[::2] == [45.0, 30.0]


def test_a_long_column_gives_the_same_blank_mask_read_per_distinct_value():
    # 20,000 cells of 5 kinds: blank are "", "  " and NA (3 of every 5), never "P1" or " x ".
    cells = pd.Series(["P1", "", "  ", None, " x "] * (LONG // 5), dtype=text)
    for kind in ("text", "number", "date", "status"):
        _, _, _, blank = values.parse_column(kind, cells)
        assert blank.tolist() == values.blank_mask(cells).tolist()
        assert blank.iloc[:5].tolist() == [False, True, True, True, False]
    clean = pd.Series(["P1", "P2", None, "P3"] * (LONG // 4), dtype=text)  # ids as exported
    for ids in (clean, clean.astype("str")):  # as typed, and as pyarrow reads a CSV
        value, bad, _, blank = values.parse_column("text", ids)
        pd.testing.assert_series_equal(value, values.as_text(ids))
        assert not bad.any()
        assert blank.sum() == LONG // 4  # only the missing cells
