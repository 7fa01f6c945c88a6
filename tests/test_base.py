"""The base modules: exact money, the error tree's messages, client.yml checking."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alms_toolkit import money
from alms_toolkit.config import load_config, parse_config, slugify
from alms_toolkit.errors import (
    AlmsError,
    ColumnError,
    ConfigError,
    InputError,
    MissingFileError,
    Problem,
)


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=6, allow_nan=False))
def test_money_round_trip_is_exact(d: Decimal) -> None:
    assert money.to_decimal(money.from_decimal(d)) == d


def test_money_strings_and_display() -> None:
    assert money.to_str(money.from_decimal("11672.6")) == "11672.60"
    assert money.to_str(money.from_decimal("582256.7155")) == "582256.7155"
    assert money.to_str(0) == "0.00"
    assert money.to_str(-2_000_000) == "-2.00"
    assert money.format_money(money.from_decimal("-1234.565")) == "-$1,234.56"
    assert money.format_money(money.from_decimal("1234.5"), symbol="€ ", cents=False) == "€ 1,234"
    assert money.format_money(money.from_decimal("12500.5"), symbol="EUR") == "EUR 12,500.50"
    assert money.format_money(money.from_decimal("-3"), symbol="CHF") == "-CHF 3.00"


def test_money_total_is_exact_where_floats_are_not() -> None:
    import pandas as pd

    values = [money.from_decimal(x) for x in ("0.1", "0.2", "-0.3")]
    assert money.total(pd.Series(values)) == 0
    assert 0.1 + 0.2 - 0.3 != 0  # the float residue the toolkit avoids
    assert money.ratio(1, 4) == 0.25 and money.ratio(1, 0) == 0.0


def test_input_error_lists_every_problem_with_rows_and_examples(tmp_path: Path) -> None:
    err = ColumnError(
        tmp_path / "billing.csv",
        [
            Problem("amount cannot be read", column="Amount", rows=tuple(range(2, 12)), examples=("n/a", "??")),
            Problem("date cannot be read", column="Date", rows=(7,), examples=("32/13/2020",)),
        ],
    )
    text = str(err)
    assert "billing.csv has 2 problems" in text
    assert "column 'Amount'" in text and "rows 2, 3, 4, 5, 6 and 5 more" in text
    assert "'n/a'" in text and "row 7" in text
    assert isinstance(err, InputError) and isinstance(err, AlmsError) and err.exit_code == 2


def test_a_problem_names_its_column_once() -> None:
    text = Problem("client.yml maps amount to column 'Total', which is not in the file", column="Total").render()
    assert text.count("'Total'") == 1
    assert Problem("not a number", column="Total", rows=(3,)).render() == "not a number (column 'Total'; row 3)"


def test_missing_folder_and_missing_client_yml(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match="does not exist"):
        load_config(tmp_path / "nope")
    with pytest.raises(MissingFileError, match="alms new-client"):
        load_config(tmp_path)


def test_config_reports_every_problem_at_once(tmp_path: Path) -> None:
    data = {
        "client": "",
        "key_share": 2,
        "billing": {"file": "b.csv", "decimal": ";", "columns": {"amt": "X"}},
        "limits": {"target": [9, 3]},
        "colour": "red",
    }
    with pytest.raises(ConfigError) as info:
        parse_config(data, tmp_path)
    problems = info.value.problems
    assert len(problems) == 6, problems
    text = str(info.value)
    for needle in ("'client'", "'key_share'", "'billing.decimal'", "'billing.columns.amt'", "'limits.target'", "'colour'"):
        assert needle in text


def test_config_defaults_and_discovered_tables(tmp_path: Path) -> None:
    (tmp_path / "client.yml").write_text("client: Acme Media\nbilling: {file: billing.csv}\n")
    (tmp_path / "prospects.csv").write_text("Seller,Prospect\n")
    cfg = load_config(tmp_path)
    assert cfg.client == "Acme Media" and cfg.key_share == 0.25
    assert cfg.limits.target == (5, 10) and cfg.limits.lead == (0, 10)
    assert cfg.prospects is not None and cfg.prospects.file.name == "prospects.csv"
    assert cfg.account_list is None
    assert cfg.billing.file == tmp_path.resolve() / "billing.csv"


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "client.yml").write_text("client: A\nbilling: [unclosed\n")
    with pytest.raises(ConfigError, match="line"):
        load_config(tmp_path)


def test_slugify() -> None:
    assert slugify("Northwind Traders, Inc.") == "northwind-traders-inc"
    assert slugify("Café Lumière") == "cafe-lumiere"
    assert slugify("***") == "client"
