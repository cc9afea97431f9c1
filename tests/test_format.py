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
