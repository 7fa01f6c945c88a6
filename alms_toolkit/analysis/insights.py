"""Insights beyond the list: SECONDARY accounts with growth potential, KEY accounts at
risk, and LAPSED accounts.

All three read calendar-month billing (``client_key``, ``month``, ``billing`` micros;
window and earlier history together, see :mod:`.monthly`). The months compared are
**complete calendar months**: the *year* is the 12 calendar months ending with the last
complete month before ``as_of`` (``as_of`` 1998-05-07 -> May 1997 .. April 1998); the
days of ``as_of``'s own month that are in the window (1-6 May) count only as "recent
billing", never in an average. A month before the ledger's first month is *not covered*:
a comparison that needs it is not made, and the result says so (``status`` and
``notes``) instead of guessing. A totals ledger (no dates) gives no insight at all.

Thresholds are the module constants below; the defaults flag a minority of accounts
(ALMS_METHOD.md: usually fewer than 30% of SECONDARY accounts have growth potential).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from .. import money
from .monthly import client_keys

__all__ = [
    "Insight",
    "Insights",
    "find_growth",
    "find_at_risk",
    "find_lapsed",
    "find_insights",
    "ASSESSED",
    "PARTIAL",
    "NOT_ENOUGH_HISTORY",
    "SEASONAL_SHARE",
    "SEASONAL_MONTHS",
    "NEW_MONTHS",
    "NEW_MIN_MONTHS",
    "RISING_RATIO",
    "RISING_MIN_PACE",
    "RECENT_MONTHS",
    "FALLING_RATIO",
    "YEAR_DROP",
    "HISTORY_GRACE_DAYS",
]

#: result statuses
ASSESSED = "assessed"
PARTIAL = "partial"
NOT_ENOUGH_HISTORY = "not enough history"

#: seasonal: at least this share of the year's billing ...
SEASONAL_SHARE = 0.70
#: ... in one season of this many consecutive calendar months, for an account that bills
#: in at least that many months of the year (or whose billing the year before was just as
#: packed into the same season: the season recurs), is not new, and whose in-season pace
#: (season billing x 12 / SEASONAL_MONTHS) clears the KEY cut-off
SEASONAL_MONTHS = 3
#: new: first billing (in the whole ledger) within the year's last NEW_MONTHS months,
#: billing in at least NEW_MIN_MONTHS months, and the pace since then (annualised)
#: clears the KEY cut-off
NEW_MONTHS = 6
NEW_MIN_MONTHS = 2
#: rising: the last RECENT_MONTHS months' average at least RISING_RATIO x the average of
#: the months before in the year, billing in at least 2 of the recent months, and the
#: recent pace (x 12 / RECENT_MONTHS) at least RISING_MIN_PACE x the cut-off
RISING_RATIO = 2.0
RISING_MIN_PACE = 1.0
#: "recent" = the last complete months (plus the days of as_of's month)
RECENT_MONTHS = 3
#: falling: the recent monthly average at most FALLING_RATIO x the earlier average
FALLING_RATIO = 0.35
#: falling against the previous 12 months: the year down by at least YEAR_DROP
YEAR_DROP = 0.30
#: lapsed: history is complete when the ledger starts at most this many days after the
#: start of the 12 months before the window
HISTORY_GRACE_DAYS = 14

_GROWTH_COLUMNS = ["client_key", "client", "owner", "billing", "reason", "detail"]
_LAPSED_COLUMNS = ["client_key", "client", "last_seller", "last_billed", "previous_billing"]


class WindowLike(Protocol):
    """The 12-month window (``alms_toolkit.io.Window``): ``start <= date < end``."""

    @property
    def start(self) -> dt.date: ...

    @property
    def end(self) -> dt.date: ...


@dataclass(frozen=True)
class Insight:
    """One analysis: its ``table``, ``status`` (``assessed`` / ``partial`` /
    ``not enough history``) and ``notes`` saying what could not be compared and why."""

    table: pd.DataFrame
    status: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Insights:
    growth: Insight
    at_risk: Insight
    lapsed: Insight


# ----------------------------------------------------------------------------- months


def _month_name(m: pd.Timestamp) -> str:
    return m.strftime("%B %Y")


@dataclass(frozen=True)
class _Calendar:
    year: tuple[pd.Timestamp, ...]  # the 12 complete months, oldest first
    current: pd.Timestamp | None  # as_of's month when part of it is in the window
    first_month: pd.Timestamp | None  # the ledger's first month with billing

    def covered(self, month: pd.Timestamp) -> bool:
        return self.first_month is not None and month >= self.first_month

    @property
    def year_covered(self) -> bool:
        return self.covered(self.year[0])

    @property
    def previous_year(self) -> tuple[pd.Timestamp, ...]:
        return tuple(m - pd.DateOffset(months=12) for m in self.year)


def _calendar(window: WindowLike, monthly: pd.DataFrame, history_start: dt.date | None) -> _Calendar:
    end = pd.Timestamp(window.end)
    this_month = pd.Timestamp(end.year, end.month, 1)
    year = tuple(this_month - pd.DateOffset(months=k) for k in range(12, 0, -1))
    current = this_month if end.day != 1 else None
    if history_start is not None:
        h = pd.Timestamp(history_start)
        first = pd.Timestamp(h.year, h.month, 1)
        if h.day != 1:  # the ledger starts inside that month: it is not complete
            first = first + pd.DateOffset(months=1)
    elif len(monthly):
        first = pd.Timestamp(monthly["month"].min())
    else:
        first = None
    return _Calendar(year=year, current=current, first_month=first)


def _pivot(monthly: pd.DataFrame, keys: pd.Index, months: list[pd.Timestamp]) -> np.ndarray:
    """int64 matrix keys x months of net billing (0 where nothing billed)."""
    if not len(months) or not len(keys):
        return np.zeros((len(keys), len(months)), dtype=np.int64)
    sub = monthly[monthly["client_key"].isin(keys) & monthly["month"].isin(months)]
    wide = sub.groupby(["client_key", "month"])["billing"].sum().unstack(fill_value=0)
    wide = wide.reindex(index=keys, columns=pd.DatetimeIndex(months), fill_value=0)
    return wide.to_numpy(dtype=np.int64)


def _no_dates(kind: str) -> Insight:
    return Insight(
        table=_empty_lapsed() if kind == "lapsed accounts" else _frame([], _GROWTH_COLUMNS),
        status=NOT_ENOUGH_HISTORY,
        notes=(
            f"Not enough history for {kind}: the ledger gives one total per client, without "
            "dates, so billing cannot be followed month by month.",
        ),
    )


def _frame(records: list[dict[str, object]], columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(records, columns=columns)
    if "billing" in out.columns:
        out["billing"] = out["billing"].astype("int64")
    if len(out) and "billing" in out.columns:
        out = out.sort_values(["billing", "client"], ascending=[False, True], kind="mergesort")
    return out.reset_index(drop=True)


def _owner(row: pd.Series) -> str:
    value = row.get("owner", "")
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _cutoff(accounts: pd.DataFrame, cutoff: int | None) -> int | None:
    if cutoff is not None:
        return int(cutoff)
    key = accounts.loc[accounts["tier"] == "KEY", "billing"]
    return int(key.min()) if len(key) else None


# ----------------------------------------------------------------------------- growth


def _new(v: np.ndarray, first: pd.Timestamp | None, year: list[pd.Timestamp], cut: int, fmt) -> tuple[str, str] | None:
    if first is None or first < year[-NEW_MONTHS]:
        return None
    n_active = sum(1 for m in year if m >= first)
    since = int(v[-n_active:].sum()) if n_active else 0
    if n_active == 0 or int((v[-n_active:] > 0).sum()) < NEW_MIN_MONTHS or since * 12 < cut * n_active:
        return None
    return "new", (
        f"First billed in {_month_name(first)}: {fmt(since)} in {n_active} months, a pace of about "
        f"{fmt(since * 12 // n_active)} a year, enough to be a KEY account."
    )


def _rising(v: np.ndarray, year: list[pd.Timestamp], cut: int, fmt) -> tuple[str, str] | None:
    n = RECENT_MONTHS
    recent, before = v[-n:], v[:-n]
    r_sum, b_sum = int(recent.sum()), int(before.sum())
    if (
        r_sum <= 0
        or int((recent > 0).sum()) < 2
        or r_sum * 12 < RISING_MIN_PACE * cut * n
        or r_sum * len(before) < RISING_RATIO * max(b_sum, 0) * n
    ):
        return None
    if b_sum > 0:
        how = (
            f"{r_sum * len(before) / (b_sum * n):.1f}x the {fmt(b_sum // len(before))} a month of "
            f"the {len(before)} months before"
        )
    else:
        how = f"after nothing billed in the {len(before)} months before"
    return "rising", (
        f"Last {n} months ({_month_name(year[-n])} - {_month_name(year[-1])}): {fmt(r_sum // n)} a "
        f"month on average, {how}; a pace of about {fmt(r_sum * 12 // n)} a year."
    )


def _seasonal(
    v: np.ndarray,
    before: np.ndarray | None,
    first: pd.Timestamp | None,
    year: list[pd.Timestamp],
    cut: int,
    fmt,
) -> tuple[str, str, bool] | None:
    pos_sum = int(v[v > 0].sum())
    if pos_sum <= 0 or int(v.sum()) <= 0 or (first is not None and first >= year[-NEW_MONTHS]):
        return None
    n = SEASONAL_MONTHS
    # the best season: n consecutive calendar months (Nov-Jan wraps around the year)
    sums = [int(v[[(i + j) % 12 for j in range(n)]].sum()) for i in range(12)]
    best = int(np.argmax(sums))
    season = [(best + j) % 12 for j in range(n)]
    peak = sums[best]
    before_pos = int(before[before > 0].sum()) if before is not None else 0
    recurring = before_pos > 0 and int(before[season].sum()) >= SEASONAL_SHARE * before_pos
    if (
        peak < SEASONAL_SHARE * pos_sum
        or not (int((v > 0).sum()) >= n or recurring)
        or peak * 12 < cut * n
    ):
        return None
    months = [year[i] for i in season]
    again = ", as it did the year before" if recurring else ""
    detail = (
        f"{peak / pos_sum:.0%} of its billing came in {n} consecutive months "
        f"({months[0].strftime('%B')} to {months[-1].strftime('%B')}){again}: {fmt(peak)}. At "
        f"that pace all year it would bill about {fmt(peak * 12 // n)}, enough to be a KEY account."
    )
    return "seasonal", detail, recurring


def find_growth(
    monthly: pd.DataFrame,
    accounts: pd.DataFrame,
    cutoff: int | None,
    window: WindowLike | None,
    *,
    history_start: dt.date | None = None,
    currency: str = "$",
) -> Insight:
    """SECONDARY accounts with growth potential: ``new``, ``rising`` or ``seasonal``
    (one row per account, the first reason that applies in that order, except that a
    season that recurs from the year before explains a rise better than a trend does).

    ``accounts``: ``client_key``, ``client``, ``billing``, ``tier``, optionally ``owner``.
    ``cutoff``: the KEY cut-off in micros (None: the smallest KEY billing).
    ``history_start``: the ledger's first date (default: its first month with billing).
    """
    if window is None or monthly.empty:
        return _no_dates("growth potential")
    cal = _calendar(window, monthly, history_start)
    cut = _cutoff(accounts, cutoff)
    if not cal.year_covered:
        start = _month_name(cal.first_month) if cal.first_month is not None else "no month"
        return Insight(
            table=_frame([], _GROWTH_COLUMNS),
            status=NOT_ENOUGH_HISTORY,
            notes=(
                f"Not enough history for growth potential: the ledger's first complete month is "
                f"{start}, so it does not hold the 12 complete months {_month_name(cal.year[0])} - "
                f"{_month_name(cal.year[-1])} that seasonality and trends are measured on.",
            ),
        )
    if cut is None or cut <= 0:
        return Insight(
            table=_frame([], _GROWTH_COLUMNS), status=NOT_ENOUGH_HISTORY,
            notes=("No KEY cut-off (no spending client), so growth potential cannot be measured.",),
        )
    sec = accounts[accounts["tier"] == "SECONDARY"].set_index("client_key", drop=False)
    keys = pd.Index(sec.index)
    year = list(cal.year)
    values = _pivot(monthly, keys, year)
    prev_year = list(cal.previous_year)
    recurs = all(cal.covered(m) for m in prev_year)
    previous = _pivot(monthly, keys, prev_year) if recurs else None
    first_billed = (
        monthly[(monthly["billing"] > 0) & monthly["client_key"].isin(keys)]
        .groupby("client_key")["month"].min()
    )
    fmt = lambda v: money.format_money(int(v), currency)  # noqa: E731
    cut_txt = fmt(cut)
    records = []
    for k, key in enumerate(keys):
        row = sec.loc[key]
        v = values[k]
        base = {"client_key": key, "client": row["client"], "owner": _owner(row), "billing": int(row["billing"])}
        seasonal = _seasonal(v, None if previous is None else previous[k], first_billed.get(key), year, cut, fmt)
        recurring = seasonal is not None and seasonal[2]
        reason = (
            _new(v, first_billed.get(key), year, cut, fmt)
            or (seasonal[:2] if recurring else None)  # a recurring season explains a rise
            or _rising(v, year, cut, fmt)
            or (seasonal[:2] if seasonal is not None else None)
        )
        if reason is not None:
            records.append({**base, "reason": reason[0], "detail": f"{reason[1]} KEY cut-off: {cut_txt}."})
    notes = (
        f"{len(records)} of {len(keys)} SECONDARY accounts show growth potential, measured on "
        f"{_month_name(year[0])} - {_month_name(year[-1])}.",
    )
    return Insight(table=_frame(records, _GROWTH_COLUMNS), status=ASSESSED, notes=notes)


# ----------------------------------------------------------------------------- at risk


def find_at_risk(
    monthly: pd.DataFrame,
    accounts: pd.DataFrame,
    window: WindowLike | None,
    *,
    history_start: dt.date | None = None,
    currency: str = "$",
) -> Insight:
    """KEY accounts at risk: ``no recent billing`` (nothing in the last RECENT_MONTHS
    complete months nor since) or ``falling`` (recent months against the earlier months
    of the year, and the year against the previous 12 months when history covers it)."""
    if window is None or monthly.empty:
        return _no_dates("KEY accounts at risk")
    cal = _calendar(window, monthly, history_start)
    key_acc = accounts[accounts["tier"] == "KEY"].set_index("client_key", drop=False)
    keys = pd.Index(key_acc.index)
    year = list(cal.year)
    recent_months = year[-RECENT_MONTHS:]
    before_months = [m for m in year[:-RECENT_MONTHS] if cal.covered(m)]
    prev_year = list(cal.previous_year)
    yoy = all(cal.covered(m) for m in prev_year)
    notes: list[str] = []
    status = ASSESSED
    first_txt = _month_name(cal.first_month) if cal.first_month is not None else "none"
    if len(before_months) < RECENT_MONTHS:
        status = PARTIAL
        notes.append(
            f"Not enough history to compare recent months with earlier ones: the ledger's first "
            f"complete month is {first_txt}. Only 'no recent billing' was checked."
        )
    elif len(before_months) < len(year) - RECENT_MONTHS:
        status = PARTIAL
        notes.append(
            f"The last {RECENT_MONTHS} months are compared with only {len(before_months)} earlier "
            f"months (the ledger's first complete month is {first_txt})."
        )
    if not yoy:
        status = PARTIAL
        notes.append(
            f"Not enough history to compare the year with the previous 12 months "
            f"({_month_name(prev_year[0])} - {_month_name(prev_year[-1])}): the ledger's first "
            f"complete month is {first_txt}."
        )
    recent = _pivot(monthly, keys, recent_months)
    before = _pivot(monthly, keys, before_months)
    this_year = _pivot(monthly, keys, year)
    last_year = _pivot(monthly, keys, prev_year) if yoy else None
    current = _pivot(monthly, keys, [cal.current]) if cal.current is not None else None
    last_billed = monthly[(monthly["billing"] > 0) & monthly["client_key"].isin(keys)].groupby("client_key")["month"].max()
    fmt = lambda v: money.format_money(int(v), currency)  # noqa: E731
    span = f"{_month_name(recent_months[0])} - {_month_name(recent_months[-1])}"
    records = []
    for k, key in enumerate(keys):
        row = key_acc.loc[key]
        base = {"client_key": key, "client": row["client"], "owner": _owner(row), "billing": int(row["billing"])}
        since = current is not None and int(current[k][0]) > 0
        if int((recent[k] > 0).sum()) == 0 and not since:
            last = last_billed.get(key)
            last_txt = f"last billed in {_month_name(last)}" if last is not None else "no positive billing found"
            records.append({**base, "reason": "no recent billing", "detail": (
                f"Nothing billed in {span} or since ({last_txt}), after {fmt(row['billing'])} "
                "in the 12-month window.")})
            continue
        reasons = []
        r_sum = int(recent[k].sum())
        if len(before_months) >= RECENT_MONTHS:
            b_sum = int(before[k].sum())
            if b_sum > 0 and r_sum * len(before_months) <= FALLING_RATIO * b_sum * RECENT_MONTHS:
                r_avg, b_avg = r_sum // RECENT_MONTHS, b_sum // len(before_months)
                drop = 1 - (r_sum * len(before_months)) / (b_sum * RECENT_MONTHS)
                reasons.append(
                    f"{span}: {fmt(r_avg)} a month on average, down {drop:.0%} from {fmt(b_avg)} a "
                    f"month in the {len(before_months)} months before"
                )
        if last_year is not None:
            y_now, y_before = int(this_year[k].sum()), int(last_year[k].sum())
            if y_before > 0 and y_now <= (1 - YEAR_DROP) * y_before:
                reasons.append(
                    f"{_month_name(year[0])} - {_month_name(year[-1])}: {fmt(y_now)}, down "
                    f"{1 - y_now / y_before:.0%} from {fmt(y_before)} in the 12 months before"
                )
        if reasons:
            records.append({**base, "reason": "falling", "detail": "; ".join(reasons) + "."})
    notes.insert(0, f"{len(records)} of {len(keys)} KEY accounts are at risk.")
    return Insight(table=_frame(records, _GROWTH_COLUMNS), status=status, notes=tuple(notes))


# ----------------------------------------------------------------------------- lapsed


def find_lapsed(
    ledger: pd.DataFrame,
    earlier: pd.DataFrame,
    client_of: Mapping[str, str],
    window: WindowLike | None,
) -> Insight:
    """Clients with net billing > 0 in the 12 months before the window and none (net
    <= 0, or no row) in it, alphabetically, with the seller and date of their last
    billing and their billing in those 12 months.

    ``ledger`` / ``earlier``: the ledger rows in / before the window (``date``,
    ``client``, ``seller``, ``amount`` micros); ``client_of``: raw name -> ``client_key``.
    The name shown is the client's most-billed spelling in those 12 months.
    """
    if window is None:
        return _no_dates("lapsed accounts")
    start = pd.Timestamp(window.start)
    prev_start = start - pd.DateOffset(months=12)
    if earlier.empty or earlier["date"].notna().sum() == 0:
        return Insight(
            table=_empty_lapsed(), status=NOT_ENOUGH_HISTORY,
            notes=(
                f"Not enough history for lapsed accounts: the ledger holds no billing before "
                f"{start.date().isoformat()}, the start of the 12-month window.",
            ),
        )
    notes: list[str] = []
    status = ASSESSED
    first = pd.Timestamp(earlier["date"].min())
    if first > prev_start + pd.Timedelta(days=HISTORY_GRACE_DAYS):
        status = PARTIAL
        notes.append(
            f"The ledger starts on {first.date().isoformat()}: only the billing from then to "
            f"{(start - pd.Timedelta(days=1)).date().isoformat()} was checked, not the full 12 "
            f"months before the window (from {prev_start.date().isoformat()})."
        )
    rows = earlier[(earlier["date"] >= prev_start) & (earlier["date"] < start)]
    keys = client_keys(rows["client"], client_of)
    frame = pd.DataFrame({
        "client_key": keys.to_numpy(),
        "client": rows["client"].astype(str).str.strip().to_numpy(),
        "date": rows["date"].to_numpy(),
        "seller": rows["seller"].to_numpy() if "seller" in rows.columns else pd.NA,
        "amount": rows["amount"].to_numpy(dtype=np.int64),
    })
    net = frame.groupby("client_key")["amount"].sum()
    in_window = (
        pd.Series(ledger["amount"].to_numpy(dtype=np.int64))
        .groupby(client_keys(ledger["client"], client_of).to_numpy()).sum()
        if len(ledger) else pd.Series(dtype=np.int64)
    )
    lapsed_keys = [k for k, v in net.items() if int(v) > 0 and int(in_window.get(k, 0)) <= 0]
    records = []
    for key, mine in frame[frame["client_key"].isin(lapsed_keys)].groupby("client_key"):
        pos = mine[mine["amount"] > 0]
        named = pos["seller"].notna() & (pos["seller"].astype(str).str.strip() != "")
        last = pos[named].sort_values(["date", "amount"], ascending=[False, False], kind="mergesort")
        by_name = mine.groupby("client")["amount"].sum()
        display = sorted(by_name.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        records.append({
            "client_key": key, "client": display,
            "last_seller": str(last["seller"].iloc[0]).strip() if len(last) else "",
            "last_billed": pd.Timestamp(pos["date"].max()).date(),
            "previous_billing": int(net[key]),
        })
    out = pd.DataFrame(records, columns=_LAPSED_COLUMNS) if records else _empty_lapsed()
    out["previous_billing"] = out["previous_billing"].astype("int64")
    out = out.iloc[sorted(range(len(out)), key=lambda i: (out["client"].iloc[i].casefold(), out["client"].iloc[i]))]
    notes.insert(0, f"{len(out)} clients billed in the 12 months before the window but not in it.")
    return Insight(table=out.reset_index(drop=True), status=status, notes=tuple(notes))


def _empty_lapsed() -> pd.DataFrame:
    return pd.DataFrame({
        "client_key": pd.Series(dtype=object), "client": pd.Series(dtype=object),
        "last_seller": pd.Series(dtype=object), "last_billed": pd.Series(dtype=object),
        "previous_billing": pd.Series(dtype=np.int64),
    })


def find_insights(
    monthly: pd.DataFrame,
    accounts: pd.DataFrame,
    ledger: pd.DataFrame,
    earlier: pd.DataFrame,
    client_of: Mapping[str, str],
    cutoff: int | None,
    window: WindowLike | None,
    *,
    history_start: dt.date | None = None,
    currency: str = "$",
) -> Insights:
    """Growth potential, KEY accounts at risk and lapsed accounts in one call."""
    return Insights(
        growth=find_growth(
            monthly, accounts, cutoff, window, history_start=history_start, currency=currency
        ),
        at_risk=find_at_risk(monthly, accounts, window, history_start=history_start, currency=currency),
        lapsed=find_lapsed(ledger, earlier, client_of, window),
    )
