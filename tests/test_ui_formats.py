"""Table column formats are named once, in ui/__init__.py, and every page's tables use them."""

import re
from pathlib import Path

import pytest

import ui
from pmo import format

ROOT = Path(__file__).resolve().parents[1]


def test_money_columns_carry_the_database_currency():
    try:
        format.use_currency("USD")
        assert ui.money_format() == "$%,.0f"  # 1234567 -> $1,234,567
        assert ui.money_column("Budget")["type_config"]["format"] == "$%,.0f"
        format.use_currency("GBP")
        assert ui.money_format() == "£%,.0f"
        narrow = ui.money_column("Budget", compact=True, width=80)
        assert (narrow["label"], narrow["type_config"]["format"], narrow["width"]) == (
            "Budget (£)",
            "compact",
            80,
        )
    finally:
        format.use_currency("USD")


def test_one_date_style():
    # D MMM YYYY: 31 Oct 2026, 1 Nov 2026 (no leading zero).
    assert ui.date_column("Due")["type_config"]["format"] == "D MMM YYYY"
    assert ui.month_column("Month")["type_config"]["format"] == "MMM YYYY"


# A literal format on a page is a second name for one of ui's.
LITERAL_FORMATS = [
    r"DateColumn\(",
    r'format="compact"',
    r'format="percent"',
    r'format="dollar"',
    r'"%\.0f%%"',
    r'"\$%',
    r"MMM YYYY",
]


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_take_money_date_and_percent_formats_from_ui(path):
    text = path.read_text(encoding="utf-8")
    for pattern in LITERAL_FORMATS:
        assert not re.search(pattern, text), (
            f"{path.name}: {pattern} (use ui.money_column, ui.date_column ...)"
        )
