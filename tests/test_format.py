import math

import pytest

from pmo import format


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_234_567, "$1.2M"),
        (634_000, "$634K"),
        (950, "$950"),
        (-1_500_000, "-$1.5M"),
        (7_023_336_948, "$7.0B"),
        (None, "—"),
        (math.nan, "—"),
    ],
)
def test_money(value, expected):
    assert format.money(value) == expected


def test_percent_ratio_score_and_signed():
    assert format.percent(0.934) == "93%"
    assert format.ratio(0.8667) == "0.87"
    assert format.score(71.6) == "72"
    assert format.signed(3) == "+3"
    assert format.signed(-0.021, "percent") == "-2.1 pts"
    assert format.signed(None) is None


@pytest.fixture
def pounds():
    format.use_currency("GBP")
    yield
    format.use_currency("USD")


def test_money_is_written_in_the_databases_currency(pounds):
    # The 2023 GMPP: £471,818m of whole-life cost reads as the UK writes it (CLDR en_GB).
    assert format.money(471_818_000_000) == "£471.8bn"
    assert format.money(32_614_000) == "£32.6m"
    assert format.money(850_000) == "£850k"
    assert format.money(-1_200_000) == "-£1.2m"
    assert format.signed(100_000, "money") == "+£100k"


def test_dollars_stay_as_they_were():
    assert format.currency() == "USD"
    assert (format.money(92_350_000), format.money(850_000), format.money(950)) == (
        "$92.3M",
        "$850K",
        "$950",
    )


def test_euro_symbol_comes_from_cldr():
    format.use_currency("EUR")
    try:
        assert format.money(1_200_000) == "€1.2M"
    finally:
        format.use_currency("USD")


def test_chart_money_labels_follow_the_currency(pounds):
    from pmo import charts

    expr = charts.money_expr()
    assert "'£'" in expr and "'bn'" in expr and "'m'" in expr and "'$'" not in expr
