"""Amount parsing: every export style, exactly, plus property tests."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alms_toolkit.io.amounts import parse_amount, parse_amounts


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1234.56", ".", "1234.56"),
        ("$1,234.56", ".", "1234.56"),
        ("(1,234.56)", ".", "-1234.56"),
        ("($1,234.56)", ".", "-1234.56"),
        ("1,234.56-", ".", "-1234.56"),
        ("-$5", ".", "-5"),
        ("$-5.10", ".", "-5.1"),
        ("1.234,56", ",", "1234.56"),
        ("-1.234,56 €", ",", "-1234.56"),
        ("€ 1 234", ".", "1234"),
        ("1\u00a0234,50", ",", "1234.5"),
        ("1'234.50", ".", "1234.5"),
        ("USD 12.00", ".", "12"),
        ("12.00 CR", ".", "-12"),
        ("1.5E3", ".", "1500"),
        (".5", ".", "0.5"),
        ("  7  ", ".", "7"),
        ("13.175", ".", "13.175"),
        ("0.000001", ".", "0.000001"),
        ("1,234,567.891", ".", "1234567.891"),
    ],
)
def test_text_styles(text: str, decimal: str, expected: str) -> None:
    assert parse_amount(text, decimal=decimal) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "   ", "-", "—", None])
def test_missing(text: object) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["abc", "12abc", "1234,56", "1,23", "1.2.3", "$", "()", "12 34 5"])
def test_unparseable(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount(text)


def test_decimal_comma_rejects_us_style() -> None:
    got = parse_amounts(["1,234.56"], decimal=",")
    assert got.unparseable[0]


def test_spreadsheet_cells_are_exact() -> None:
    got = parse_amounts([0.1, 0.2, 3, 1e-7, float("nan"), None, True, 2.675])
    assert got.micros.tolist() == [100_000, 200_000, 3_000_000, 0, 0, 0, 0, 2_675_000]
    assert got.missing.tolist() == [False, False, False, False, True, True, False, False]
    assert got.unparseable.tolist() == [False] * 6 + [True, False]
    assert got.rounded.tolist() == [False, False, False, True, False, False, False, False]


def test_rounding_past_six_decimals_is_half_even_and_counted() -> None:
    got = parse_amounts(["0.0000005", "0.0000015", "1.50000000", "2.1234567"])
    assert got.micros.tolist() == [0, 2, 1_500_000, 2_123_457]
    assert got.rounded.tolist() == [True, True, False, True]


def test_too_large_is_unparseable() -> None:
    got = parse_amounts(["1234567890123456"])
    assert got.unparseable[0]


def test_arrow_input_and_repeated_values_map_back() -> None:
    arr = pa.chunked_array([["1.5", "2", "1.5"], ["", "x", "2"]])
    got = parse_amounts(arr)
    assert got.micros.tolist() == [1_500_000, 2_000_000, 1_500_000, 0, 0, 2_000_000]
    assert got.missing.tolist() == [False, False, False, True, False, False]
    assert got.unparseable.tolist() == [False, False, False, False, True, False]
    assert got.ok.dtype == np.bool_


def test_bad_decimal_setting() -> None:
    with pytest.raises(ValueError):
        parse_amounts(["1"], decimal=";")


# ---------------------------------------------------------------- property tests

_amounts = st.decimals(min_value=Decimal("-999999999.999999"), max_value=Decimal("999999999.999999"), places=6, allow_nan=False, allow_infinity=False)


def _group(int_part: str, sep: str) -> str:
    out = []
    while len(int_part) > 3:
        out.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    out.insert(0, int_part)
    return sep.join(out)


def _fmt(d: Decimal, style: str) -> tuple[str, str]:
    """Format |d| with sign in one export style -> (text, decimal separator)."""
    neg = d < 0
    body = f"{abs(d):f}"
    int_part, _, frac = body.partition(".")
    frac = frac.rstrip("0")
    if style == "plain":
        s = int_part + ("." + frac if frac else "")
        return ("-" + s if neg else s), "."
    if style == "us":
        s = "$" + _group(int_part, ",") + ("." + frac if frac else "")
        return (f"({s})" if neg else s), "."
    if style == "trailing":
        s = _group(int_part, ",") + ("." + frac if frac else "")
        return (s + "-" if neg else s), "."
    if style == "eu":
        s = _group(int_part, ".") + ("," + frac if frac else "")
        return ("-" + s if neg else s), ","
    if style == "space":
        s = "€ " + _group(int_part, "\u00a0") + ("," + frac if frac else "")
        return ("-" + s if neg else s), ","
    raise AssertionError(style)


@given(_amounts, st.sampled_from(["plain", "us", "trailing", "eu", "space"]))
@settings(max_examples=300, deadline=None)
def test_any_amount_in_any_style_parses_back_exactly(d: Decimal, style: str) -> None:
    text, decimal = _fmt(d, style)
    assert parse_amount(text, decimal=decimal) == d


@given(st.lists(_amounts, min_size=1, max_size=30))
@settings(max_examples=100, deadline=None)
def test_column_parse_equals_cellwise_parse(values: list[Decimal]) -> None:
    texts = [f"{v:f}" for v in values]
    got = parse_amounts(texts)
    assert [Decimal(int(m)) / 1_000_000 for m in got.micros] == values


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 4)))
@settings(max_examples=200, deadline=None)
def test_float_cells_read_as_written(x: float) -> None:
    got = parse_amounts([x])
    assert Decimal(int(got.micros[0])) / 1_000_000 == Decimal(repr(x)).quantize(Decimal("0.000001"))


@pytest.mark.parametrize("thousands", [None, ",", " ", "'"])
def test_plain_amounts_read_at_once_as_the_general_parser_reads_them(thousands) -> None:
    """Plain amounts ("12090.81", "-35.5") take Arrow's exact decimal parser; every other
    text the general one. Both must give the same micros and flags for every text."""
    import random

    import pyarrow as pa

    from alms_toolkit.io.amounts import _parse_general, _parse_text

    rng = random.Random(16)
    texts = ["-35.5", "0", "-0", "0.000000", "-0.5", "007.50", "999999999999", "999999999999.999999",
             "1000000000000", "0000000000000.5", "12.", ".5", "12.3456789", "12.3456785", "1,234.56",
             "(12.50)", "$5.00", "12.5-", "12.50 CR", "n/a", "", "  ", " 12.5 ", "\u22123.2", "1e3",
             "1 234.56", "1'234.56", "12,5", "+12.5", "--1", "1.2.3", "0x10", "١٢٣"]
    for _ in range(3000):
        whole = str(rng.randrange(10 ** rng.randrange(1, 14)))
        frac = "".join(rng.choice("0123456789") for _ in range(rng.randrange(0, 9)))
        texts.append(("-" if rng.random() < 0.3 else "") + whole + ("." + frac if frac or rng.random() < 0.1 else ""))
    uniques = pa.array(list(dict.fromkeys(texts)), pa.string())
    fast = _parse_text(uniques, ".", thousands)
    general = _parse_general(uniques, ".", thousands)
    for got, want, what in zip(fast, general, ("micros", "missing", "unparseable", "rounded"), strict=True):
        differ = np.flatnonzero(np.asarray(got) != np.asarray(want))
        assert not len(differ), (what, [uniques[int(i)].as_py() for i in differ[:5]])
    listed = uniques.to_pylist()
    assert fast[0][listed.index("-35.5")] == -35_500_000
    assert fast[0][listed.index("999999999999.999999")] == 999_999_999_999_999_999
