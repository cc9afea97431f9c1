import datetime as dt

import pandas as pd
import pytest

from pmo.ingest import values


def col(*cells, dtype=object):
    return pd.Series(list(cells), dtype=dtype)


def parsed(fn, *cells, **kw):
    out = fn(col(*cells), **kw)
    return out[0].tolist(), out[1].tolist()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("$1,200,000", 1_200_000.0),
        ("£32,614", 32_614.0),
        ("1,200.50", 1200.5),
        ("(1,000)", -1000.0),
        ("-$5", -5.0),
        ("USD 2,500", 2500.0),
        ("1.5e3", 1500.0),
        ("1 200 300", 1_200_300.0),
        ("2066075.5899999999", 2066075.5899999999),
    ],
)
def test_numbers_as_tools_export_them(text, number):
    assert parsed(values.parse_number, text) == ([number], [False])


def test_european_amounts_in_a_european_column():
    # Decimal comma: "1.200.000,50 €" is 1,200,000.50 and "1.200" in the same column 1,200.
    assert parsed(values.parse_number, "1.200.000,50 €", "1.200", "12,5") == (
        [1_200_000.5, 1200.0, 12.5],
        [False, False, False],
    )


def test_number_cells_and_blanks():
    assert parsed(values.parse_number, 12.0, None, "", "  ") == (
        [12.0, pytest.approx(float("nan"), nan_ok=True)]
        + [pytest.approx(float("nan"), nan_ok=True)] * 2,
        [False, False, False, False],
    )


def test_text_is_not_a_number():
    foi = "Exempt under Section 24,26 and 27 of the Freedom of Information Act 2000"
    out, bad = parsed(values.parse_number, foi, "12.5%", "n/a")
    assert bad == [True, True, True]


def test_integers_refuse_fractions():
    out, bad = parsed(values.parse_integer, "3", 4.0, "3.5")
    assert out[:2] == [3.0, 4.0]
    assert bad == [False, False, True]


def test_percent_and_share():
    assert parsed(values.parse_percent, "45%", 0.45, "0.5", scale=100)[0] == [45.0, 45.0, 50.0]
    assert parsed(values.parse_percent, "45", "100", scale=100)[0] == [45.0, 100.0]
    assert parsed(values.parse_percent, "25%", 0.25, "30", scale=1)[0] == [0.25, 0.25, 0.3]


D = pd.Timestamp


@pytest.mark.parametrize(
    ("cell", "date"),
    [
        ("2025-03-15", D("2025-03-15")),
        ("2016-05-25 17:00:00", D("2016-05-25")),
        ("2025-03-15T08:00:00Z", D("2025-03-15")),
        ("15.03.2025", D("2025-03-15")),
        ("July 25, 2022", D("2022-07-25")),
        ("25 Jul 2022", D("2022-07-25")),
        ("25-Jul-2022", D("2022-07-25")),
        (45731, D("2025-03-15")),  # Excel serial: 1899-12-30 + 45731 days
        ("45731", D("2025-03-15")),
        (dt.datetime(2025, 3, 15, 13, 30), D("2025-03-15")),
        (dt.date(2025, 3, 15), D("2025-03-15")),
    ],
)
def test_dates_as_tools_export_them(cell, date):
    out, bad, note = values.parse_date(col(cell))
    assert (out.tolist(), bad.tolist()) == ([date], [False])


def test_slashed_dates_month_first_when_a_second_part_exceeds_12():
    out, bad, note = values.parse_date(col("03/15/2025", "04/01/2025"))
    assert out.tolist() == [D("2025-03-15"), D("2025-04-01")]
    assert note == ""


def test_slashed_dates_day_first_when_a_first_part_exceeds_12():
    # Melbourne Water style: "5/02/2016 5:00:00 PM" beside "30/03/2016".
    out, bad, note = values.parse_date(col("5/02/2016 5:00:00 PM", "30/03/2016"))
    assert out.tolist() == [D("2016-02-05"), D("2016-03-30")]
    assert note == ""


def test_ambiguous_slashed_dates_are_reported():
    out, bad, note = values.parse_date(col("03/04/2025", "04/01/2025"))
    assert out.tolist() == [D("2025-03-04"), D("2025-04-01")]
    assert "month/day or day/month" in note


def test_unreadable_dates_are_flagged_not_guessed():
    out, bad, note = values.parse_date(col("Exempt under Section 43", "2025-02-30", "", None))
    assert bad.tolist() == [True, True, False, False]


def test_months():
    out, bad = values.parse_month(
        col("2025-03", "Mar 2025", "March 2025", "2025-03-17", 45731, "x")
    )
    assert out.tolist()[:5] == [D("2025-03-01")] * 5
    assert bad.tolist() == [False] * 5 + [True]


def test_status_and_rag_words_are_normalised():
    assert parsed(values.parse_status, "In Progress", "on-hold", "Done", "idea", "Foo")[0][:4] == [
        "Active",
        "On Hold",
        "Completed",
        "Proposed",
    ]
    assert parsed(values.parse_status, "Foo")[1] == [True]
    assert parsed(values.parse_rag, "G", "yellow", "Red ", "A")[0] == [
        "Green",
        "Amber",
        "Red",
        "Amber",
    ]
    assert parsed(values.parse_rag, "purple")[1] == [True]


def test_text_cells_from_excel_lose_the_float_suffix():
    assert values.as_text(col(101.0, " x ", None, 1.5)).tolist()[:2] == ["101", "x"]


def test_csv_string_columns_parse_without_object_cells():
    raw = pd.Series(["1,200", "2,400", None], dtype="str")
    out, bad = values.parse_number(raw)
    assert out.tolist()[:2] == [1200.0, 2400.0]
    assert not bad.any()
