"""OWASP CSV injection: dangerous text gets a leading quote; numbers and plain text do not."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alms_toolkit.report.writers.safe_cells import (
    WORKBOOK_OPTIONS,
    is_dangerous,
    restore_text,
    safe_frame,
    safe_text,
    write_safe_csv,
)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Acme = best", "Acme = best"),
        ("O'Brien & Sons", "O'Brien & Sons"),
        ("'=already quoted", "''=already quoted"),
        ("", ""),
    ],
)
def test_safe_text(raw, safe):
    assert safe_text(raw) == safe
    assert restore_text(safe) == raw


def test_missing_values_are_empty_text():
    assert safe_text(None) == "" and safe_text(pd.NA) == "" and safe_text(float("nan")) == ""
    assert not is_dangerous("")


@given(st.text(max_size=20))
def test_safe_text_is_inert_and_reversible(text):
    out = safe_text(text)
    assert not is_dangerous(out)
    assert restore_text(out) == text


def test_safe_frame_touches_only_text_columns_and_copies():
    df = pd.DataFrame({"name": ["=1+1", "ok"], "amount": ["-2.00", "3.50"]})
    out = safe_frame(df, ["name"])
    assert list(out["name"]) == ["'=1+1", "ok"]
    assert list(out["amount"]) == ["-2.00", "3.50"]
    assert list(df["name"]) == ["=1+1", "ok"]


def test_write_safe_csv(tmp_path):
    df = pd.DataFrame({"name": ["@SUM(1)", "Plain, Inc."], "amount": ["-2.00", "10.00"], "rank": ["1", None]})
    path = write_safe_csv(df, tmp_path / "x.csv", text_columns=["name"])
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # plain UTF-8
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert rows == [["name", "amount", "rank"], ["'@SUM(1)", "-2.00", "1"], ["Plain, Inc.", "10.00", ""]]
    assert not list(tmp_path.glob(".*"))


def test_write_safe_csv_rejects_unknown_text_columns(tmp_path):
    with pytest.raises(KeyError, match="nope"):
        write_safe_csv(pd.DataFrame({"a": ["x"]}), tmp_path / "x.csv", text_columns=["nope"])
    assert not (tmp_path / "x.csv").exists()


def test_workbook_options_keep_strings_as_strings():
    assert WORKBOOK_OPTIONS == {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
