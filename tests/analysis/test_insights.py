"""Growth potential, KEY accounts at risk and lapsed accounts on small hand-made frames."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import pytest

from alms_toolkit.analysis import insights
from alms_toolkit.analysis.insights import (
    ASSESSED,
    NOT_ENOUGH_HISTORY,
    PARTIAL,
    find_at_risk,
    find_growth,
    find_insights,
    find_lapsed,
)
from alms_toolkit.money import SCALE


@dataclass(frozen=True)
class Win:
    start: dt.date
    end: dt.date


YEAR_2024 = Win(dt.date(2024, 1, 1), dt.date(2025, 1, 1))


def _monthly(series: dict[str, dict[str, float]]) -> pd.DataFrame:
    """{client_key: {"2024-03": 1200.0, ...}} -> monthly frame (micros)."""
    rows = [
        (key, pd.Timestamp(month + "-01"), round(amount * SCALE))
        for key, months in series.items()
        for month, amount in months.items()
    ]
    frame = pd.DataFrame(rows, columns=["client_key", "month", "billing"])
    frame["billing"] = frame["billing"].astype("int64")
    return frame.sort_values(["client_key", "month"]).reset_index(drop=True)


def _months(year: int, first: int, last: int, amount: float) -> dict[str, float]:
    return {f"{year}-{m:02d}": amount for m in range(first, last + 1)}


def _accounts(monthly: pd.DataFrame, tiers: dict[str, str], window: Win = YEAR_2024) -> pd.DataFrame:
    inside = monthly[(monthly["month"] >= pd.Timestamp(window.start)) & (monthly["month"] < pd.Timestamp(window.end))]
    billing = inside.groupby("client_key")["billing"].sum()
    keys = list(tiers)
    return pd.DataFrame({
        "client_key": keys,
        "client": [k.title() for k in keys],
        "billing": pd.array([int(billing.get(k, 0)) for k in keys], dtype="int64"),
        "tier": [tiers[k] for k in keys],
        "owner": ["Dana"] * len(keys),
    })


CUT = 12_000 * SCALE


def _growth_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    series = {
        "big": {**_months(2023, 1, 12, 1000), **_months(2024, 1, 12, 1000)},
        "newco": _months(2024, 9, 12, 3000),
        "oneoff": {"2024-11": 5000},
        "riser": {**_months(2023, 1, 12, 200), **_months(2024, 1, 9, 200), **_months(2024, 10, 12, 1500)},
        "season": {"2023-07": 50, "2024-01": 100, "2024-03": 100, "2024-06": 3000, "2024-07": 3000,
                   "2024-08": 3000, "2024-11": 100},
        "steady": {**_months(2023, 1, 12, 500), **_months(2024, 1, 12, 500)},
        "scattered": {"2023-01": 10, "2024-02": 3000, "2024-06": 3000, "2024-10": 3000, "2024-12": 100},
        "xmas": {"2023-12": 3000, "2024-11": 5000, "2024-12": 5000},
    }
    monthly = _monthly(series)
    tiers = {"big": "KEY", **{k: "SECONDARY" for k in series if k != "big"}}
    return monthly, _accounts(monthly, tiers)


def test_growth_new_rising_seasonal_with_reasons_and_details() -> None:
    monthly, accounts = _growth_case()
    result = find_growth(monthly, accounts, CUT, YEAR_2024)
    assert result.status == ASSESSED
    reasons = dict(zip(result.table["client_key"], result.table["reason"], strict=True))
    assert reasons == {"newco": "new", "riser": "rising", "season": "seasonal", "xmas": "seasonal"}
    t = result.table.set_index("client_key")
    assert "First billed in September 2024" in t.loc["newco", "detail"]
    assert "$12,000.00 in 4 months" in t.loc["newco", "detail"]
    assert "7.5x the $200.00 a month" in t.loc["riser", "detail"]
    assert "June to August" in t.loc["season", "detail"] and "97%" in t.loc["season", "detail"]
    assert "as it did the year before" in t.loc["xmas", "detail"]
    assert t.loc["newco", "owner"] == "Dana" and t.loc["newco", "billing"] == 12_000 * SCALE
    assert "4 of 7 SECONDARY" in result.notes[0]
    # ordered by billing, largest first
    assert list(result.table["billing"]) == sorted(result.table["billing"], reverse=True)


def test_growth_cutoff_defaults_to_smallest_key_billing_and_controls_the_pace() -> None:
    monthly, accounts = _growth_case()
    default = find_growth(monthly, accounts, None, YEAR_2024)
    assert len(default.table) == 4  # cut-off = big's 12,000
    high = find_growth(monthly, accounts, 100_000 * SCALE, YEAR_2024)
    assert high.table.empty


def test_growth_thresholds_are_module_constants(monkeypatch: pytest.MonkeyPatch) -> None:
    monthly, accounts = _growth_case()
    monkeypatch.setattr(insights, "RISING_RATIO", 10.0)
    result = find_growth(monthly, accounts, CUT, YEAR_2024)
    # 7.5x is no longer "rising"; 71% of its billing in October-December makes it seasonal
    assert result.table.set_index("client_key").loc["riser", "reason"] == "seasonal"


def test_growth_not_enough_history() -> None:
    monthly = _monthly({"a": _months(2024, 6, 12, 1000), "b": _months(2024, 6, 12, 100)})
    accounts = _accounts(monthly, {"a": "KEY", "b": "SECONDARY"})
    short = find_growth(monthly, accounts, None, YEAR_2024)
    assert short.status == NOT_ENOUGH_HISTORY and short.table.empty
    assert "June 2024" in short.notes[0] and "12 complete months" in short.notes[0]
    # a ledger starting on 5 January 2024 has no complete January: the year is not covered
    full = _monthly({"a": _months(2024, 1, 12, 1000), "b": _months(2024, 1, 12, 100)})
    accounts_full = _accounts(full, {"a": "KEY", "b": "SECONDARY"})
    assert find_growth(full, accounts_full, None, YEAR_2024).status == ASSESSED
    late = find_growth(full, accounts_full, None, YEAR_2024, history_start=dt.date(2024, 1, 5))
    assert late.status == NOT_ENOUGH_HISTORY and "February 2024" in late.notes[0]
    totals = find_growth(monthly.iloc[0:0], accounts, None, None)
    assert totals.status == NOT_ENOUGH_HISTORY and "without dates" in totals.notes[0]
    assert list(totals.table.columns) == ["client_key", "client", "owner", "billing", "reason", "detail"]


def _risk_case() -> pd.DataFrame:
    return _monthly({
        "gone": {**_months(2023, 1, 12, 2000), **_months(2024, 1, 8, 2000)},
        "drop": {**_months(2023, 1, 12, 2000), **_months(2024, 1, 9, 2000), **_months(2024, 10, 12, 300)},
        "yoy": {**_months(2023, 1, 12, 3000), **_months(2024, 1, 12, 1500)},
        "fine": {**_months(2023, 1, 12, 2000), **_months(2024, 1, 12, 2000)},
        "small": _months(2024, 1, 12, 10),
    })


def test_at_risk_no_recent_billing_and_falling_both_ways() -> None:
    monthly = _risk_case()
    accounts = _accounts(monthly, {"gone": "KEY", "drop": "KEY", "yoy": "KEY", "fine": "KEY", "small": "SECONDARY"})
    result = find_at_risk(monthly, accounts, YEAR_2024)
    assert result.status == ASSESSED
    t = result.table.set_index("client_key")
    assert set(t.index) == {"gone", "drop", "yoy"}
    assert t.loc["gone", "reason"] == "no recent billing"
    assert "last billed in August 2024" in t.loc["gone", "detail"]
    assert "October 2024 - December 2024" in t.loc["gone", "detail"]
    assert t.loc["drop", "reason"] == "falling"
    assert "$300.00 a month on average, down 85% from $2,000.00" in t.loc["drop", "detail"]
    assert t.loc["yoy", "reason"] == "falling"
    assert "$18,000.00, down 50% from $36,000.00 in the 12 months before" in t.loc["yoy", "detail"]
    assert "3 of 4 KEY accounts" in result.notes[0]


def test_at_risk_billing_in_as_of_month_counts_as_recent() -> None:
    window = Win(dt.date(2024, 1, 15), dt.date(2025, 1, 15))
    series = {"late": {**_months(2023, 1, 12, 2000), **_months(2024, 1, 9, 2000), "2025-01": 500}}
    monthly = _monthly(series)
    accounts = _accounts(monthly, {"late": "KEY"}, window)
    result = find_at_risk(monthly, accounts, window)
    # not "no recent billing" (it billed in January 2025), but falling against the 9 months before
    assert list(result.table["reason"]) == ["falling"]


def test_at_risk_without_previous_year_is_partial_and_skips_that_comparison() -> None:
    monthly = _risk_case()
    monthly = monthly[monthly["month"] >= pd.Timestamp("2024-01-01")]
    accounts = _accounts(monthly, {"gone": "KEY", "drop": "KEY", "yoy": "KEY", "fine": "KEY"})
    result = find_at_risk(monthly, accounts, YEAR_2024)
    assert result.status == PARTIAL
    assert set(result.table["client_key"]) == {"gone", "drop"}  # yoy needs the year before
    assert any("previous 12 months" in n and "January 2024" in n for n in result.notes)


def test_at_risk_with_too_short_a_ledger_only_checks_recent_billing() -> None:
    monthly = _monthly({"a": _months(2024, 11, 12, 10), "b": {"2024-11": 500}, "c": {"2024-09": 500}})
    accounts = _accounts(monthly, {"a": "KEY", "b": "KEY", "c": "KEY"})
    result = find_at_risk(monthly, accounts, YEAR_2024, history_start=dt.date(2024, 9, 1))
    assert result.status == PARTIAL
    assert any("Only 'no recent billing' was checked" in n for n in result.notes)
    assert list(result.table["client_key"]) == ["c"]
    assert find_at_risk(monthly.iloc[0:0], accounts, None).status == NOT_ENOUGH_HISTORY


def _rows(data: list[tuple[str, str, str | None, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(data, columns=["date", "client", "seller", "amount"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["amount"] = [round(a * SCALE) for a in frame["amount"]]
    frame["amount"] = frame["amount"].astype("int64")
    return frame


def test_lapsed_clients_alphabetical_with_last_seller_date_and_billing() -> None:
    earlier = _rows([
        ("2023-01-05", "Old Co", "Dana", 100),
        ("2023-09-10", "OLD CO", "Lee", 50),
        ("2023-09-10", "Old Co", None, 20),
        ("2023-05-01", "Back Co", "Dana", 300),
        ("2023-06-01", "credit co", "Kim", 100),
        ("2022-06-01", "Ancient", "Kim", 900),
        ("2023-02-01", "Refund", "Kim", 100),
        ("2023-03-01", "Refund", "Kim", -100),
    ])
    ledger = _rows([("2024-02-01", "Back Co", "Dana", 10), ("2024-03-01", "credit co", "Kim", -20)])
    client_of = {"Old Co": "old", "OLD CO": "old", "Back Co": "back", "credit co": "credit",
                 "Ancient": "ancient", "Refund": "refund"}
    result = find_lapsed(ledger, earlier, client_of, YEAR_2024)
    assert result.status == ASSESSED
    t = result.table
    assert list(t["client"]) == ["credit co", "Old Co"]  # case-insensitive alphabetical
    old = t.set_index("client_key").loc["old"]
    assert old["last_seller"] == "Lee" and old["last_billed"] == dt.date(2023, 9, 10)
    assert old["previous_billing"] == 170 * SCALE
    assert t["previous_billing"].dtype == "int64"
    assert "2 clients" in result.notes[0]


def test_lapsed_partial_and_not_enough_history() -> None:
    earlier = _rows([("2023-06-01", "Old Co", "Dana", 100)])
    ledger = _rows([("2024-02-01", "Back Co", "Dana", 10)])
    partial = find_lapsed(ledger, earlier, {}, YEAR_2024)
    assert partial.status == PARTIAL and len(partial.table) == 1
    assert partial.table.loc[0, "client_key"] == "Old Co"  # unknown names keep their spelling
    assert "starts on 2023-06-01" in partial.notes[1]
    none = find_lapsed(ledger, earlier.iloc[0:0], {}, YEAR_2024)
    assert none.status == NOT_ENOUGH_HISTORY and none.table.empty
    assert "no billing before 2024-01-01" in none.notes[0]
    totals = find_lapsed(ledger, earlier, {}, None)
    assert totals.status == NOT_ENOUGH_HISTORY
    assert list(totals.table.columns) == ["client_key", "client", "last_seller", "last_billed", "previous_billing"]


def test_find_insights_runs_all_three_and_mutates_nothing() -> None:
    monthly, accounts = _growth_case()
    earlier = _rows([("2023-01-05", "Newco", "Dana", 100)])
    ledger = _rows([("2024-09-01", "Newco", "Dana", 10)])
    copies = [f.copy() for f in (monthly, accounts, earlier, ledger)]
    out = find_insights(monthly, accounts, ledger, earlier, {"Newco": "newco"}, CUT, YEAR_2024)
    assert len(out.growth.table) == 4 and out.lapsed.table.empty
    assert out.at_risk.status == ASSESSED
    for f, c in zip((monthly, accounts, earlier, ledger), copies, strict=True):
        pd.testing.assert_frame_equal(f, c)
