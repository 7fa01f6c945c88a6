"""The one abbreviation rule of cards and charts (money.format_money_short)."""

from __future__ import annotations

import pytest

from alms_toolkit.money import format_money_short, from_decimal


@pytest.mark.parametrize(("amount", "text"), [
    ("850", "$850"), ("42", "$42"), ("-42.04", "-$42"), ("0", "$0"), ("0.4", "$0"),
    ("8450", "$8.45k"), ("28590.29", "$28.6k"), ("286000", "$286k"), ("9995", "$10.0k"), ("99950", "$100k"),
    ("999400", "$999k"), ("999500", "$1.00M"), ("999600", "$1.00M"),
    ("7130000", "$7.13M"), ("9439045.03", "$9.44M"), ("-6242086.45", "-$6.24M"),
    ("1200000000", "$1.20B"), ("1500000000000", "$1500B"),
])
def test_three_significant_figures(amount: str, text: str) -> None:
    assert format_money_short(from_decimal(amount)) == text


def test_a_currency_code_is_followed_by_a_space() -> None:
    assert format_money_short(from_decimal("1234"), "EUR") == "EUR 1.23k"
    assert format_money_short(from_decimal("1234"), "€") == "€1.23k"
