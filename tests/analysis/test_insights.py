"""Growth potential, KEY accounts at risk and lapsed accounts on small hand-made ledgers.

Each case is a ledger of dated rows; the periods are anchored at the audit date, so a
client's 12 periods hold exactly its 12-month billing.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from period_billing import ledger_of, monthly_of

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
from alms_toolkit.analysis.periods import periods_for
from alms_toolkit.money import SCALE

AS_OF = dt.date(2025, 1, 1)  # the year: calendar 2024
CUT = 12_000 * SCALE


def _rows(series: dict[str, dict[str, float]], day: int = 15) -> list[tuple[str, str, int]]:
    """{client: {"2024-03": 1200.0, ...}} -> one row per month, on ``day``."""
    return [
        (key, f"{month}-{day:02d}", round(amount * SCALE))
        for key, months in series.items()
        for month, amount in months.items()
    ]


def _months(year: int, first: int, last: int, amount: float) -> dict[str, float]:
    return {f"{year}-{m:02d}": amount for m in range(first, last + 1)}


def _accounts(rows: list[tuple[str, str, int]], tiers: dict[str, str], as_of: dt.date = AS_OF) -> pd.DataFrame:
    """12-month billing of each client from the rows themselves (start <= date < as_of)."""
    ledger = ledger_of(rows)
    start = pd.Timestamp(periods_for(as_of).start(0))
    inside = ledger[(ledger["date"] >= start) & (ledger["date"] < pd.Timestamp(as_of))]
    billing = inside.groupby("client")["amount"].sum()
    keys = list(tiers)
    return pd.DataFrame({
        "client_key": keys,
        "client": [k.title() for k in keys],
        "billing": pd.array([int(billing.get(k, 0)) for k in keys], dtype="int64"),
        "tier": [tiers[k] for k in keys],
        "owner": ["Dana"] * len(keys),
    })


def _growth_case() -> tuple[list[tuple[str, str, int]], pd.DataFrame]:
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
        "late": _months(2024, 11, 12, 9000),  # first billed 47 days before: too new to annualise
    }
    rows = [("big", "2023-01-01", 0), *_rows(series)]  # the ledger starts on 1 January 2023
    tiers = {"big": "KEY", **{k: "SECONDARY" for k in series if k != "big"}}
    return rows, _accounts(rows, tiers)


def test_growth_new_rising_seasonal_with_reasons_and_figures() -> None:
    rows, accounts = _growth_case()
    result = find_growth(monthly_of(rows, AS_OF), accounts, CUT)
    assert result.status == ASSESSED
    reasons = dict(zip(result.table["client_key"], result.table["reason"], strict=True))
    assert reasons == {"newco": "new", "riser": "rising", "season": "seasonal", "xmas": "seasonal"}
    t = result.table.set_index("client_key")
    # new: days since the first billing, its 12-month billing, the pace from them
    assert "First billed on 15 September 2024, 108 days before the audit date" in t.loc["newco", "detail"]
    assert "$12,000.00" in t.loc["newco", "detail"] and "$40,555.56 a year" in t.loc["newco", "detail"]
    # rising: the two parts add up to the 12-month billing ($4,500 + $1,800 = $6,300)
    riser = t.loc["riser", "detail"]
    assert "October - December 2024): $4,500.00; the 9 months before" in riser
    assert "January - September 2024): $1,800.00 ($200.00 a month)" in riser
    assert "rose 7.5x, to $1,500.00 a month, at least a KEY account's $1,000.00 a month" in riser
    assert "a year" not in riser.split("KEY cut-off:")[0]  # a rise is not annualised
    assert t.loc["riser", "billing"] == 6_300 * SCALE
    # seasonal: described by its season and what it billed, never annualised
    season = t.loc["season", "detail"]
    assert "$9,000.00 of its $9,300.00 came in 3 consecutive months, June - August 2024" in season
    assert "a year" not in season.split("KEY cut-off:")[0].replace("a year earlier", "")
    assert "in the other 9 months, $300.00" in season
    # $50 a year earlier is no season repeated
    assert "the same months a year earlier (June - August 2023): $50.00 of the $50.00 it billed that year, " \
           "so the season is new this year" in season
    xmas = t.loc["xmas", "detail"]
    assert "October - December 2023): $3,000.00 of the $3,000.00 it billed that year, so the season recurs" in xmas
    assert t.loc["newco", "owner"] == "Dana" and t.loc["newco", "billing"] == 12_000 * SCALE
    assert result.summary == "4 of 8 SECONDARY accounts show growth potential."
    assert any("calendar months: the year is January - December 2024" in n for n in result.notes)
    assert any(n.startswith("2 SECONDARY accounts were first billed less than 90 days") for n in result.notes)
    # the rising rule as printed holds every condition applied (billed in 2 of the 3 months too)
    assert any("Rising: billed in at least 2 of the last 3 months, whose monthly billing is at least 2x the "
               "months before and at a KEY account's monthly pace." in n for n in result.notes)
    # ordered by billing, largest first
    assert list(result.table["billing"]) == sorted(result.table["billing"], reverse=True)


def test_a_recent_first_billing_is_judged_as_new_or_not_at_all() -> None:
    rows, accounts = _growth_case()
    t = find_growth(monthly_of(rows, AS_OF), accounts, CUT).table
    # "late" billed $18,000 in its last 2 months: neither new (47 days), nor rising, nor seasonal
    assert "late" not in set(t["client_key"])


def test_growth_cutoff_defaults_to_smallest_key_billing_and_controls_the_pace() -> None:
    rows, accounts = _growth_case()
    monthly = monthly_of(rows, AS_OF)
    assert len(find_growth(monthly, accounts, None).table) == 4  # cut-off = big's 12,000
    assert find_growth(monthly, accounts, 100_000 * SCALE).table.empty


def test_growth_thresholds_are_module_constants(monkeypatch: pytest.MonkeyPatch) -> None:
    rows, accounts = _growth_case()
    monkeypatch.setattr(insights, "RISING_RATIO", 10.0)
    result = find_growth(monthly_of(rows, AS_OF), accounts, CUT)
    # 7.5x is no longer "rising"; 71% of its billing in October-December makes it seasonal
    assert result.table.set_index("client_key").loc["riser", "reason"] == "seasonal"


def test_growth_not_enough_history() -> None:
    short = _rows({"a": _months(2024, 6, 12, 1000), "b": _months(2024, 6, 12, 100)})
    accounts = _accounts(short, {"a": "KEY", "b": "SECONDARY"})
    result = find_growth(monthly_of(short, AS_OF), accounts, None)
    assert result.status == NOT_ENOUGH_HISTORY and result.table.empty and not result.assessed
    assert "starts on 15 June 2024" in result.notes[0] and "January - December 2024" in result.notes[0]
    full = _rows({"a": _months(2024, 1, 12, 1000), "b": _months(2024, 1, 12, 100)}, day=1)
    accounts_full = _accounts(full, {"a": "KEY", "b": "SECONDARY"})
    assert find_growth(monthly_of(full, AS_OF), accounts_full, None).status == ASSESSED
    # a ledger starting 10 days into January covers it, and says so; 20 days does not
    ten = find_growth(monthly_of(full, AS_OF, dt.date(2024, 1, 11)), accounts_full, None)
    assert ten.status == ASSESSED
    assert any("10 days into January 2024; that month is taken as complete" in n for n in ten.notes)
    late = find_growth(monthly_of(full, AS_OF, dt.date(2024, 1, 21)), accounts_full, None)
    assert late.status == NOT_ENOUGH_HISTORY
    totals = find_growth(None, accounts, None)
    assert totals.status == NOT_ENOUGH_HISTORY and "without dates" in totals.notes[0]
    assert list(totals.table.columns) == ["client_key", "client", "owner", "billing", "reason", "detail"]


def _risk_rows() -> list[tuple[str, str, int]]:
    return [("fine", "2023-01-01", 0), *_rows({
        "gone": {**_months(2023, 1, 12, 2000), **_months(2024, 1, 8, 2000)},
        "drop": {**_months(2023, 1, 12, 2000), **_months(2024, 1, 9, 2000), **_months(2024, 10, 12, 300)},
        "yoy": {**_months(2023, 1, 12, 3000), **_months(2024, 1, 12, 1500)},
        "fine": {**_months(2023, 1, 12, 2000), **_months(2024, 1, 12, 2000)},
        "small": _months(2024, 1, 12, 10),
    })]


RISK_TIERS = {"gone": "KEY", "drop": "KEY", "yoy": "KEY", "fine": "KEY", "small": "SECONDARY"}


def test_at_risk_no_recent_billing_and_falling_both_ways() -> None:
    rows = _risk_rows()
    result = find_at_risk(monthly_of(rows, AS_OF), _accounts(rows, RISK_TIERS))
    assert result.status == ASSESSED
    t = result.table.set_index("client_key")
    assert set(t.index) == {"gone", "drop", "yoy"}
    assert t.loc["gone", "reason"] == "no recent billing"
    assert "Nothing billed in the last 3 months (October - December 2024); last billed on 15 August 2024" in \
        t.loc["gone", "detail"]
    assert "$16,000.00" in t.loc["gone", "detail"]  # its 12-month billing, in the same units
    assert t.loc["drop", "reason"] == "falling"
    assert ("$900.00 ($300.00 a month), down 85% from $18,000.00 ($2,000.00 a month) in the 9 months "
            "before") in t.loc["drop", "detail"]
    assert t.loc["yoy", "reason"] == "falling"
    assert "12-month billing $18,000.00, down 50% from $36,000.00 in the 12 months before" in t.loc["yoy", "detail"]
    assert result.summary == "3 of 4 KEY accounts are at risk."


def test_billing_on_the_windows_last_day_counts_as_recent() -> None:
    """The issue's case: orders dated the day before the audit date (1 May, audit 2 May)
    are recent billing, and moving them back one day changes nothing."""
    as_of = dt.date(2014, 5, 2)
    history = {"loyal": {**_months(2012, 5, 12, 4000), **_months(2013, 1, 12, 4000), **_months(2014, 1, 1, 4000)},
               "steady": {**_months(2012, 5, 12, 4000), **_months(2013, 1, 12, 4000), **_months(2014, 1, 4, 4000)}}
    base = [("steady", "2012-05-01", 0), *_rows(history, day=10)]
    for last_day in ("2014-05-01", "2014-04-30"):
        rows = [*base, ("loyal", last_day, 89_982 * SCALE)]
        accounts = _accounts(rows, {"loyal": "KEY", "steady": "KEY"}, as_of)
        monthly = monthly_of(rows, as_of)
        # the 12 periods hold the 12-month billing exactly
        v = monthly.matrix(pd.Index(accounts["client_key"]), 0, 11).sum(axis=1)
        assert list(v) == list(accounts["billing"])
        result = find_at_risk(monthly, accounts)
        assert result.table.empty, (last_day, result.table["detail"].tolist())


def test_a_seasonal_key_account_quiet_out_of_season_is_no_alarm() -> None:
    """Recent months are also compared with the same months a year earlier: a KEY account
    that bills in January - February every year, or whose spring is always slow, is not at
    risk in July; one whose spring fell against last spring is."""
    as_of = dt.date(2025, 7, 1)  # the year: July 2024 - June 2025
    rows = [("winter", "2023-07-01", 0), *_rows({
        "winter": {"2024-01": 20_000, "2024-02": 18_000, "2024-05": 1_200, "2025-01": 26_000, "2025-02": 26_000,
                   "2025-06": 500},  # a few hundred short in its quiet months is no alarm
        "slow spring": {**{f"2023-{m:02d}": 6000 for m in range(7, 13)}, **_months(2024, 1, 3, 6000),
                        **_months(2024, 4, 6, 600), **{f"2024-{m:02d}": 6000 for m in range(7, 13)},
                        **_months(2025, 1, 3, 6000), **_months(2025, 4, 6, 600)},
        "fallen": {**{f"2023-{m:02d}": 6000 for m in range(7, 13)}, **_months(2024, 1, 6, 6000),
                   **{f"2024-{m:02d}": 6000 for m in range(7, 13)}, **_months(2025, 1, 3, 6000),
                   **_months(2025, 4, 6, 600)},
    })]
    accounts = _accounts(rows, {"winter": "KEY", "slow spring": "KEY", "fallen": "KEY"}, as_of)
    result = find_at_risk(monthly_of(rows, as_of), accounts)
    assert list(result.table["client_key"]) == ["fallen"]
    assert "and down 90% from $18,000.00 in the same months a year earlier" in result.table["detail"].iloc[0]
    assert any("same months a year earlier (April - June 2024)" in n for n in result.notes)


def test_a_ledger_ending_before_the_window_does_says_so() -> None:
    rows = _risk_rows()
    monthly = monthly_of(rows, AS_OF)
    ended = type(monthly)(periods=periods_for(AS_OF, dt.date(2023, 1, 1), dt.date(2024, 12, 15)),
                          table=monthly.table, dates=monthly.dates)
    result = find_at_risk(ended, _accounts(rows, RISK_TIERS))
    assert any("The ledger's last date is 15 December 2024, 16 days before the end of the window" in n
               for n in result.notes)
    assert not any("last date" in n for n in find_at_risk(monthly, _accounts(rows, RISK_TIERS)).notes)


def test_at_risk_without_previous_year_is_partial_and_skips_that_comparison() -> None:
    rows = [r for r in _risk_rows() if r[1] >= "2024-01-01"]
    accounts = _accounts(rows, {"gone": "KEY", "drop": "KEY", "yoy": "KEY", "fine": "KEY"})
    result = find_at_risk(monthly_of(rows, AS_OF, dt.date(2024, 1, 1)), accounts)
    assert result.status == PARTIAL
    assert set(result.table["client_key"]) == {"gone", "drop"}  # yoy needs the year before
    assert any("12 months before it (January - December 2023)" in n and "starts on 1 January 2024" in n
               for n in result.notes)


def test_at_risk_with_too_short_a_ledger_only_checks_recent_billing() -> None:
    rows = _rows({"a": _months(2024, 11, 12, 10), "b": {"2024-11": 500}, "c": {"2024-09": 500}})
    accounts = _accounts(rows, {"a": "KEY", "b": "KEY", "c": "KEY"})
    result = find_at_risk(monthly_of(rows, AS_OF, dt.date(2024, 9, 1)), accounts)
    assert result.status == PARTIAL
    assert any("Only 'no recent billing' was checked" in n for n in result.notes)
    assert list(result.table["client_key"]) == ["c"]
    assert find_at_risk(None, accounts).status == NOT_ENOUGH_HISTORY


def test_months_counted_from_a_mid_month_audit_date_are_named_by_their_days() -> None:
    as_of = dt.date(2025, 1, 15)
    rows = [("late", "2023-01-15", 0), *_rows({"late": {**_months(2023, 1, 12, 2000), **_months(2024, 1, 9, 2000)}},
                                               day=20), ("late", "2025-01-10", 500 * SCALE)]
    accounts = _accounts(rows, {"late": "KEY"}, as_of)
    result = find_at_risk(monthly_of(rows, as_of), accounts)
    # not "no recent billing" (it billed on 10 January 2025), but falling against the 9 months before
    assert list(result.table["reason"]) == ["falling"]
    detail = result.table["detail"].iloc[0]
    assert "Last 3 months (15 October 2024 - 14 January 2025): $500.00" in detail
    assert any("months counted from the audit date (15 January - 14 February 2024, 15 February - 14 March 2024, ...)" in n
               for n in result.notes)


def _ledger(data: list[tuple[str, str, str | None, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(data, columns=["date", "client", "seller", "amount"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["amount"] = [round(a * SCALE) for a in frame["amount"]]
    frame["amount"] = frame["amount"].astype("int64")
    return frame


PERIODS_2024 = periods_for(AS_OF, dt.date(2023, 1, 1))


def test_lapsed_clients_alphabetical_with_last_seller_date_and_billing() -> None:
    earlier = _ledger([
        ("2023-01-05", "Old Co", "Dana", 100),
        ("2023-09-10", "OLD CO", "Lee", 50),
        ("2023-09-10", "Old Co", None, 20),
        ("2023-05-01", "Back Co", "Dana", 300),
        ("2023-06-01", "credit co", "Kim", 100),
        ("2022-06-01", "Ancient", "Kim", 900),
        ("2023-02-01", "Refund", "Kim", 100),
        ("2023-03-01", "Refund", "Kim", -100),
    ])
    ledger = _ledger([("2024-02-01", "Back Co", "Dana", 10), ("2024-03-01", "credit co", "Kim", -20)])
    client_of = {"Old Co": "old", "OLD CO": "old", "Back Co": "back", "credit co": "credit",
                 "Ancient": "ancient", "Refund": "refund"}
    result = find_lapsed(ledger, earlier, client_of, PERIODS_2024)
    assert result.status == ASSESSED
    t = result.table
    assert list(t["client"]) == ["credit co", "Old Co"]  # case-insensitive alphabetical
    old = t.set_index("client_key").loc["old"]
    assert old["last_seller"] == "Lee" and old["last_billed"] == dt.date(2023, 9, 10)
    assert old["previous_billing"] == 170 * SCALE
    assert t["previous_billing"].dtype == "int64"
    assert result.summary.startswith("2 clients billed")


def test_lapsed_partial_and_not_enough_history() -> None:
    earlier = _ledger([("2023-06-01", "Old Co", "Dana", 100)])
    ledger = _ledger([("2024-02-01", "Back Co", "Dana", 10)])
    partial = find_lapsed(ledger, earlier, {}, PERIODS_2024)
    assert partial.status == PARTIAL and len(partial.table) == 1
    assert partial.table.loc[0, "client_key"] == "Old Co"  # unknown names keep their spelling
    assert partial.summary.startswith("1 client billed")
    assert "starts on 1 June 2023" in partial.notes[0]
    none = find_lapsed(ledger, earlier.iloc[0:0], {}, PERIODS_2024)
    assert none.status == NOT_ENOUGH_HISTORY and none.table.empty
    assert "no billing before 1 January 2024" in none.notes[0]
    totals = find_lapsed(ledger, earlier, {}, None)
    assert totals.status == NOT_ENOUGH_HISTORY
    assert list(totals.table.columns) == ["client_key", "client", "last_seller", "last_billed", "previous_billing"]


def test_find_insights_runs_all_three_and_mutates_nothing() -> None:
    rows, accounts = _growth_case()
    monthly = monthly_of(rows, AS_OF)
    earlier = _ledger([("2023-01-05", "Newco", "Dana", 100)])
    ledger = _ledger([("2024-09-01", "Newco", "Dana", 10)])
    copies = [f.copy() for f in (monthly.table, accounts, earlier, ledger)]
    out = find_insights(monthly, accounts, ledger, earlier, {"Newco": "newco"}, CUT)
    assert len(out.growth.table) == 4 and out.lapsed.table.empty
    assert out.at_risk.status == ASSESSED
    for f, c in zip((monthly.table, accounts, earlier, ledger), copies, strict=True):
        pd.testing.assert_frame_equal(f, c)
