"""Table column formats are named once, in ui/__init__.py, and every table of the pages and of
ui's page modules (ui/review.py ...) uses them."""

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


def test_hours_are_whole_with_thousands_separators():
    # 1234.4 hours show as 1,234 under a label that says hours.
    column = ui.hours_column("Allocated h")
    assert (column["label"], column["type_config"]["format"]) == ("Allocated h", "%,.0f")


# A literal format on a page is a second name for one of ui's.
LITERAL_FORMATS = [
    r"DateColumn\(",
    r'format="compact"',
    r'format="percent"',
    r'format="dollar"',
    r'"%\.0f%%"',
    r'"\$%',
    r"MMM YYYY",
    r'"%,\.0f"',
]
# The pages and ui's modules that draw them; ui/__init__.py is where the formats are named.
DRAWING = sorted((ROOT / "pages").glob("*.py")) + sorted(
    p for p in (ROOT / "ui").glob("*.py") if p.name != "__init__.py"
)


@pytest.mark.parametrize("path", DRAWING, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_take_money_date_and_percent_formats_from_ui(path):
    text = path.read_text(encoding="utf-8")
    for pattern in LITERAL_FORMATS:
        assert not re.search(pattern, text), (
            f"{path.relative_to(ROOT)}: {pattern} (use ui.money_column, ui.date_column ...)"
        )


@pytest.mark.parametrize(
    "path", [*DRAWING, ROOT / "ui" / "__init__.py"], ids=lambda p: str(p.relative_to(ROOT))
)
def test_dates_in_text_have_no_leading_zero(path):
    # "1 Nov 2026" as in a table (views.day), never "01 Nov 2026".
    assert "%d %b" not in path.read_text(encoding="utf-8"), path.relative_to(ROOT)
