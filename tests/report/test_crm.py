"""CRM import files: accounts.csv (stable columns, exact amounts, every account) and presets."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest
from official_lists import official_list

from alms_toolkit.report.writers.crm import (
    ACCOUNTS_COLUMNS,
    accounts_table,
    write_crm_files,
)

M = 1_000_000
AS_OF = dt.date(2025, 1, 31)


def _frames():
    accounts = pd.DataFrame(
        {
            "client_key": ["b", "a", "c", "d", "e"],
            "client": ["Beta", '=HYPERLINK("http://x","y")', "Gamma", "+1", "Zero Ltd"],
            "billing": pd.array([300 * M, 582256 * M + 715500, 100 * M + 10_000, -2 * M, 0], dtype="int64"),
            "rank": pd.array([2, 1, 3, pd.NA, pd.NA], dtype="Int64"),
            "tier": ["KEY", "KEY", "SECONDARY", "NON-SPENDING", "NON-SPENDING"],
            "owner": ["Ann", "Bob", "@Ann", "Ann", "Bob"],
        }
    )
    prospects = pd.DataFrame(
        {
            "seller": ["Bob", "Ann", "Ann", "Ann"],
            "prospect": ["Lead Co", "Target Co", "-2", "Extra Co"],
            "category": ["LEAD", "TARGET", "TARGET", "EXTRA"],
            "fit_score": [2.5, 4.666666, None, 3.0],
            "notes": ["", "met CFO", "\tcmd", None],
        }
    )
    lapsed = pd.DataFrame(
        {
            "client": ["zulu", "Alpha"],
            "last_seller": ["Ann", "Bob"],
            "last_billed": [dt.date(2023, 5, 2), dt.date(2022, 12, 31)],
            "previous_billing": pd.array([5 * M, 7 * M], dtype="int64"),
        }
    )
    return accounts, prospects, lapsed


def _list(**kw):
    acc, pr, la = _frames()
    args = dict(accounts=acc, prospects=pr, lapsed=la, cutoff=300 * M, as_of=AS_OF, review_months=12)
    args.update(kw)
    return official_list(**args)


def _table(**kw):
    return accounts_table(_list(**kw))


@pytest.mark.parametrize(
    ("as_of", "months", "expected"),
    [
        (dt.date(2025, 1, 31), 12, dt.date(2026, 1, 31)),
        (dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)),
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),
        (dt.date(2025, 7, 1), 6, dt.date(2026, 1, 1)),
    ],
)
def test_review_date(as_of, months, expected):
    """The list's next review (OfficialList.review_date, printed on the seller files): as_of
    plus the review months, the day clamped to the month's end."""
    assert _list(as_of=as_of, review_months=months).review_date == expected


def test_accounts_table_lists_everyone_in_order_with_exact_amounts():
    t = _table()
    assert tuple(t.columns) == ACCOUNTS_COLUMNS
    assert list(t["tier"]) == [
        "KEY", "KEY", "SECONDARY", "NON-SPENDING", "NON-SPENDING", "TARGET", "TARGET", "EXTRA", "LEAD",
        "LAPSED", "LAPSED",
    ]
    assert list(t["name"][:3]) == ['=HYPERLINK("http://x","y")', "Beta", "Gamma"]  # by rank
    assert list(t["billing_12m"][:5]) == ["582256.7155", "300.00", "100.01", "0.00", "-2.00"]
    assert list(t["rank"][:5]) == ["1", "2", "3", "", ""]
    assert set(t["cutoff"]) == {"300.00"}
    assert set(t["as_of"]) == {"2025-01-31"} and set(t["review_date"]) == {"2026-01-31"}
    target = t[t["name"] == "Target Co"].iloc[0]
    assert target["owner"] == "Ann" and target["fit_score"] == "4.67" and target["notes"] == "met CFO"
    assert target["billing_12m"] == "" and target["client_key"] == ""
    lapsed = t[t["tier"] == "LAPSED"]
    assert list(lapsed["name"]) == ["Alpha", "zulu"]  # alphabetical, case-insensitive
    assert list(lapsed["last_billed"]) == ["2022-12-31", "2023-05-02"]
    assert list(lapsed["billing_12m"]) == ["0.00", "0.00"]


def test_accounts_table_without_prospects_or_lapsed_and_inputs_untouched():
    acc, _, _ = _frames()
    before = acc.copy()
    t = _table(accounts=acc, prospects=None, lapsed=pd.DataFrame(columns=["client", "last_seller", "last_billed"]))
    assert len(t) == len(acc)
    pd.testing.assert_frame_equal(acc, before)


def _read(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_written_files_are_inert_and_keep_amounts_numeric(tmp_path):
    paths = write_crm_files(_list(review_months=6), tmp_path)
    assert [p.name for p in paths] == ["accounts.csv"]
    for path in paths:
        rows = _read(path)
        cells = [c for row in rows for c in row]
        for bad in ('=HYPERLINK("http://x","y")', "+1", "-2", "@Ann", "\tcmd"):
            assert bad not in cells, (path.name, bad)
        assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
        # the only cells starting with "-" are amounts
        for c in cells:
            if c.startswith("-"):
                float(c)
    accounts = _read(paths[0])
    assert tuple(accounts[0]) == ACCOUNTS_COLUMNS
    hyper = accounts[1]
    assert hyper[1] == '\'=HYPERLINK("http://x","y")' and hyper[4] == "582256.7155"
    neg = next(r for r in accounts if r[1] == "'+1")
    assert neg[4] == "-2.00"
    assert next(r for r in accounts if r[1] == "Gamma")[3] == "'@Ann"
    assert accounts[1][8] == "2025-07-31"


def test_only_the_official_list_is_written(tmp_path):
    """accounts.csv only: the CRM import files come from the CRM records (crm_setup), and the
    old presets that wrote AnnualRevenue, Type, Description and lifecycle stage are gone."""
    paths = write_crm_files(_list(review_months=6), tmp_path)
    assert [p.name for p in paths] == ["accounts.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.csv"]
    assert tuple(_read(paths[0])[0]) == ACCOUNTS_COLUMNS


def test_an_audit_and_a_republish_write_the_list_with_one_writer():
    """The list's files come from one writer (write_crm_files, taking the official list):
    republishing has no copy of the CRM file settings that could drift from an audit's."""
    import inspect

    from alms_toolkit import republishing
    from alms_toolkit.report.writers import crm
    from alms_toolkit.runs import republish_run

    source = inspect.getsource(republishing) + inspect.getsource(republish_run)
    assert "write_crm_files(official" in source
    assert "_ACCOUNTS_TEXT" not in source and "_ACCOUNTS_TEXT" in inspect.getsource(crm)
