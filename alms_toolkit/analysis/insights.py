"""Insights beyond the list: SECONDARY accounts with growth potential, KEY accounts at
risk, and LAPSED accounts.

Growth and risk read billing per month-long period anchored at the audit date
(:mod:`.periods`, :class:`.monthly.MonthlyBilling`): the *year* is the window's 12
periods, so a client's year is exactly its 12-month billing, and the last day of the
window counts like any other. "Recent" is the year's last RECENT_MONTHS periods, compared
with the periods before them in the year, and the year with the 12 periods before it. A
period the ledger does not reach back to is *not covered*: a comparison that needs it is
not made, and the result says so (``status`` and ``notes``). A totals ledger (no dates)
gives no insight at all.

Every flag's detail gives the figures behind it as amounts billed, which add up to the
12-month billing shown beside it (last 3 months + the 9 months before = the year).

Thresholds are the module constants below; the defaults flag a minority of accounts
(ALMS_METHOD.md: usually fewer than 30% of SECONDARY accounts have growth potential).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import money
from ..count_words import agree
from ..date_text import day_text
from .monthly import ClientCodes, MonthlyBilling, client_codes
from .periods import HISTORY_GRACE_DAYS, Periods

__all__ = [
    "Insight",
    "Insights",
    "find_growth",
    "find_at_risk",
    "find_lapsed",
    "find_insights",
    "periods_note",
    "ASSESSED",
    "PARTIAL",
    "NOT_ENOUGH_HISTORY",
    "SEASONAL_SHARE",
    "SEASONAL_MONTHS",
    "SEASON_REPEAT",
    "NEW_MONTHS",
    "NEW_MIN_DAYS",
    "NEW_MIN_MONTHS",
    "RISING_RATIO",
    "RISING_MIN_PACE",
    "RECENT_MONTHS",
    "FALLING_RATIO",
    "YEAR_DROP",
    "SHORTFALL_SHARE",
    "HISTORY_GRACE_DAYS",
]

#: result statuses
ASSESSED = "assessed"
PARTIAL = "partial"
NOT_ENOUGH_HISTORY = "not enough history"

#: seasonal: at least this share of the year's positive billing ...
SEASONAL_SHARE = 0.70
#: ... in one season of this many consecutive periods of the year (a season wrapping from
#: the year's end to its start is not read: it would join months of two years), for an account that bills in at
#: least that many periods of the year (or whose billing the year before was just as
#: packed into the same season: the season recurs), is not new, and whose in-season
#: monthly billing is at least a KEY account's at the cut-off (cut-off / 12)
SEASONAL_MONTHS = 3
#: the season recurs when the same periods a year earlier held at least SEASONAL_SHARE of
#: that year's positive billing and at least SEASON_REPEAT x this year's season billing
SEASON_REPEAT = 0.25
#: new: first billed (in the whole ledger) within the year's last NEW_MONTHS periods, at
#: least NEW_MIN_DAYS days before the audit date (a pace is never read off fewer days),
#: billing in at least NEW_MIN_MONTHS periods, and its pace since its first billing
#: (12-month billing x 365 / days since) clears the KEY cut-off
NEW_MONTHS = 6
NEW_MIN_DAYS = 90
NEW_MIN_MONTHS = 2
#: rising: an account billed before the year's last NEW_MONTHS periods (a newer one is
#: judged as new), whose last RECENT_MONTHS periods' monthly billing is at least
#: RISING_RATIO x the periods' before in the year, billing in at least 2 of the recent periods, and the
#: recent pace (x 12 / RECENT_MONTHS) at least RISING_MIN_PACE x the cut-off
RISING_RATIO = 2.0
RISING_MIN_PACE = 1.0
#: "recent" = the year's last periods
RECENT_MONTHS = 3
#: falling: the recent monthly billing at most FALLING_RATIO x the earlier monthly billing
FALLING_RATIO = 0.35
#: falling against the previous 12 months: the year down by at least YEAR_DROP (and, when
#: the year before is known, the recent months down by as much against the same months then)
YEAR_DROP = 0.30
#: ... and the recent months' shortfall against the same months a year earlier at least
#: this share of the 12-month billing (a few hundred short in an account's quiet months is
#: no alarm)
SHORTFALL_SHARE = 0.05
#: the notes say so when the ledger's last date is more than this many days before the
#: window's last day
EARLY_END_DAYS = 7

_GROWTH_COLUMNS = ["client_key", "client", "owner", "billing", "reason", "detail"]
_LAPSED_COLUMNS = ["client_key", "client", "last_seller", "last_billed", "previous_billing"]

Fmt = Callable[[int], str]


@dataclass(frozen=True)
class Insight:
    """One analysis: its ``table``, ``status`` (``assessed`` / ``partial`` /
    ``not enough history``) and ``notes`` saying what was compared, what could not be
    compared and why."""

    table: pd.DataFrame
    status: str
    notes: tuple[str, ...] = ()
    #: the count line ("3 of 22 KEY accounts are at risk."), "" when not assessed
    summary: str = ""

    @property
    def assessed(self) -> bool:
        """Whether the analysis was made (fully or in part)."""
        return self.status != NOT_ENOUGH_HISTORY

    @property
    def all_notes(self) -> tuple[str, ...]:
        """The count line, then the notes."""
        return ((self.summary,) if self.summary else ()) + self.notes


@dataclass(frozen=True)
class Insights:
    growth: Insight
    at_risk: Insight
    lapsed: Insight


# ----------------------------------------------------------------------------- helpers


def _day(value: object) -> str:
    """A day in the one date style (``1 July 2025``)."""
    return day_text(pd.Timestamp(value))


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


def _owners(accounts: pd.DataFrame) -> list[str]:
    if "owner" not in accounts.columns:
        return [""] * len(accounts)
    return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in accounts["owner"]]


def _cutoff(accounts: pd.DataFrame, cutoff: int | None) -> int | None:
    if cutoff is not None:
        return int(cutoff)
    key = accounts.loc[accounts["tier"] == "KEY", "billing"]
    return int(key.min()) if len(key) else None


def _tier(accounts: pd.DataFrame, tier: str) -> pd.DataFrame:
    return accounts[accounts["tier"] == tier].drop_duplicates("client_key").reset_index(drop=True)


def periods_note(periods: Periods) -> str:
    """Which periods the growth and risk figures compare, in words."""
    n = RECENT_MONTHS
    how = (
        "calendar months"
        if periods.year[0].is_calendar_month
        else f"months counted from the audit date ({periods.year[0].label}, {periods.year[1].label}, ...)"
    )
    return (
        f"Growth and risk are measured on {how}: the year is {periods.span(0, 11)}, the same 12 "
        f"months as the 12-month billing; 'recent' is the last {n} months, {periods.span(12 - n, 11)}, "
        f"compared with the {12 - n} months before them, {periods.span(0, 11 - n)}."
    )


def _late_start_note(periods: Periods, index: int) -> str | None:
    days = periods.late_start(index)
    if not days:
        return None
    return (
        f"The ledger starts on {_day(periods.history_start)}, {days} days into {periods.period(index).label}; "
        f"that month is taken as complete (a ledger starting at most {HISTORY_GRACE_DAYS} days "
        "into a month covers it)."
    )


def _early_end_note(periods: Periods) -> str | None:
    days = periods.early_end()
    if days <= EARLY_END_DAYS:
        return None
    return (
        f"The ledger's last date is {_day(periods.history_end)}, {days} days before the end of the window: "
        f"its last {days} days hold no billing, which lowers the recent months' billing."
    )


# ----------------------------------------------------------------------------- growth


def _monthly_text(total: int, months: int, fmt: Fmt) -> str:
    return f"{fmt(total)} ({fmt(total // months)} a month)"


def _new_detail(billing: int, first: object, days: int, fmt: Fmt) -> str:
    return (
        f"First billed on {_day(first)}, {days} days before the audit date. Its "
        f"12-month billing, {fmt(billing)}, all came since then: a pace of about "
        f"{fmt(billing * 365 // days)} a year."
    )


def _cents(micros: int) -> int:
    """``micros`` rounded to whole cents as printed (half-even), in micros."""
    step = money.SCALE // 100
    return money.round_half_even(micros, step) * step


def _parts(first: int, total: int) -> tuple[int, int]:
    """``first`` and ``total - first`` rounded so that the two printed parts add up to the
    printed total, to the cent."""
    shown = _cents(first)
    return shown, _cents(total) - shown


def _rising_detail(periods: Periods, recent: int, before: int, cut: int, fmt: Fmt) -> str:
    """The two parts of the year (they add up to the 12-month billing, to the cent) and the
    recent monthly billing against a KEY account's at the cut-off; no yearly projection."""
    n = RECENT_MONTHS
    recent, before = _parts(recent, recent + before)
    rate = f"{fmt(recent // n)} a month, at least a KEY account's {fmt(cut // 12)} a month at the cut-off"
    if before > 0:
        how = f"its monthly billing rose {recent * (12 - n) / (before * n):.1f}x, to {rate}"
    else:
        how = f"it billed nothing in the {12 - n} months before, and {rate} since"
    return (
        f"Last {n} months ({periods.span(12 - n, 11)}): {fmt(recent)}; the {12 - n} months before "
        f"({periods.span(0, 11 - n)}): {_monthly_text(before, 12 - n, fmt)}; {how}."
    )


def _season_span(periods: Periods, season: list[int], offset: int = 0) -> str:
    """The season's consecutive periods as one span of days."""
    return periods.span(season[0] + offset, season[-1] + offset)


def _seasonal_detail(
    periods: Periods, season: list[int], peak: int, positive: int, billing: int,
    prev: tuple[int, int] | None, recurring: bool, cut: int, fmt: Fmt,
) -> str:
    """The season and what it billed, and whether the same months a year earlier held
    the same season (``prev``: that season's and that year's positive billing; None when
    the ledger does not reach back a year)."""
    n = SEASONAL_MONTHS
    text = (
        f"{fmt(peak)} of its {fmt(billing)} came in {n} consecutive months, "
        f"{_season_span(periods, season)}"
    )
    if prev is None:
        text += "; the ledger does not reach back a year to show whether the season recurs"
    else:
        p_peak, p_pos = prev
        earlier = f"the same months a year earlier ({_season_span(periods, season, -12)})"
        if recurring:
            text += f"; {earlier}: {fmt(p_peak)} of the {fmt(p_pos)} it billed that year, so the season recurs"
        elif p_pos > 0:
            text += f"; {earlier}: {fmt(p_peak)} of the {fmt(p_pos)} it billed that year, so the season is new this year"
        else:
            text += "; it billed nothing the year before"
    text += (
        f". In season it billed {fmt(peak // n)} a month, at least a KEY account's "
        f"{fmt(cut // 12)} a month at the cut-off; in the other {12 - n} months, "
        f"{fmt(billing - peak)}."
    )
    return text


def _seasons(v: np.ndarray, starts: range, m: int) -> np.ndarray:
    """Billing of each ``m`` consecutive periods starting at ``starts``."""
    if not len(v):
        return np.zeros((0, len(starts)), dtype=np.int64)
    return np.stack([v[:, i:i + m].sum(axis=1) for i in starts], axis=1)


def find_growth(
    monthly: MonthlyBilling | None,
    accounts: pd.DataFrame,
    cutoff: int | None,
    *,
    currency: str = "$",
) -> Insight:
    """SECONDARY accounts with growth potential: ``new``, ``rising`` or ``seasonal``
    (one row per account, the first reason that applies in that order, except that a
    season that recurs from the year before explains a rise better than a trend does).
    Only a new account's pace is read as a yearly figure (from at least NEW_MIN_DAYS days);
    a rise or a season is compared month by month with a KEY account at the cut-off.

    ``accounts``: ``client_key``, ``client``, ``billing``, ``tier``, optionally ``owner``.
    ``cutoff``: the KEY cut-off in micros (None: the smallest KEY billing). ``monthly``
    None or empty: a ledger without dates.
    """
    if monthly is None or monthly.empty:
        return _no_dates("growth potential")
    periods = monthly.periods
    cut = _cutoff(accounts, cutoff)
    if not periods.covered(0):
        start = _day(periods.history_start) if periods.history_start is not None else "no date"
        return Insight(
            table=_frame([], _GROWTH_COLUMNS),
            status=NOT_ENOUGH_HISTORY,
            notes=(
                f"Not enough history for growth potential: the ledger starts on {start}, so it does "
                f"not hold the 12 months {periods.span(0, 11)} that seasons and trends are measured on.",
            ),
        )
    if cut is None or cut <= 0:
        return Insight(
            table=_frame([], _GROWTH_COLUMNS), status=NOT_ENOUGH_HISTORY,
            notes=("No KEY cut-off (no spending client), so growth potential cannot be measured.",),
        )
    sec = _tier(accounts, "SECONDARY")
    keys = pd.Index(sec["client_key"])
    v = monthly.matrix(keys, 0, 11)
    billing = v.sum(axis=1)
    positive = np.clip(v, 0, None).sum(axis=1)
    active = (v > 0).sum(axis=1)
    first = monthly.billed(keys, "first_billed")
    first_period = np.full(len(keys), -(10**6), dtype=np.int64)
    has_first = first.notna().to_numpy()
    if has_first.any():
        first_period[has_first] = periods.index_of(first[has_first])
    as_of = pd.Timestamp(periods.as_of)
    days = np.where(has_first, (as_of - first.fillna(as_of)).dt.days.to_numpy(), 0).astype(np.int64)
    recent_start = 12 - NEW_MONTHS
    recent_first = first_period >= recent_start

    # new: annualised from at least NEW_MIN_DAYS days of billing
    is_new = (
        recent_first & (days >= NEW_MIN_DAYS) & (active >= NEW_MIN_MONTHS)
        & (billing > 0) & (billing * 365 >= cut * np.maximum(days, 1))
    )
    too_new = recent_first & (days < NEW_MIN_DAYS) & (billing > 0)

    # rising: the last RECENT_MONTHS periods against the ones before
    n = RECENT_MONTHS
    recent = v[:, 12 - n:].sum(axis=1)
    before = v[:, : 12 - n].sum(axis=1)
    rising = (
        ~recent_first & (recent > 0) & ((v[:, 12 - n:] > 0).sum(axis=1) >= 2)
        & (recent * 12 >= RISING_MIN_PACE * cut * n)
        & (recent * (12 - n) >= RISING_RATIO * np.maximum(before, 0) * n)
    )

    # seasonal: the best SEASONAL_MONTHS consecutive periods of the year (a season that
    # wraps from the year's end to its start would join months of two years: not read)
    m = SEASONAL_MONTHS
    recurs_known = all(periods.covered(i) for i in range(-12, 0))
    starts = range(12 - m + 1)
    windows = _seasons(v, starts, m)
    best = windows.argmax(axis=1) if len(keys) else np.zeros(0, dtype=np.int64)
    rows_k = np.arange(len(keys))
    peak = windows[rows_k, best]
    prev = monthly.matrix(keys, -12, -1) if recurs_known else np.zeros_like(v)
    prev_positive = np.clip(prev, 0, None).sum(axis=1)
    prev_peak = _seasons(prev, starts, m)[rows_k, best]
    recurring = (
        recurs_known & (prev_positive > 0) & (prev_peak >= SEASONAL_SHARE * prev_positive)
        & (prev_peak >= SEASON_REPEAT * peak)
    )
    seasonal = (
        (positive > 0) & (billing > 0) & ~recent_first
        & (peak >= SEASONAL_SHARE * positive)
        & ((active >= m) | recurring)
        & (peak * 12 >= cut * m)
    )

    fmt: Fmt = lambda value: money.format_money(int(value), currency)  # noqa: E731
    owners = _owners(sec)
    names, billed, firsts = sec["client"].tolist(), sec["billing"].tolist(), first.to_numpy()
    records = []
    key_list = keys.tolist()
    for k in np.flatnonzero(is_new | seasonal | rising).tolist():
        key = key_list[k]
        base = {"client_key": key, "client": names[k], "owner": owners[k], "billing": int(billed[k])}
        if is_new[k]:
            reason, detail = "new", _new_detail(int(billing[k]), firsts[k], int(days[k]), fmt)
        elif rising[k] and not (seasonal[k] and recurring[k]):  # a recurring season explains a rise
            reason, detail = "rising", _rising_detail(periods, int(recent[k]), int(before[k]), cut, fmt)
        else:  # seasonal
            season = [starts[int(best[k])] + j for j in range(m)]
            reason, detail = "seasonal", _seasonal_detail(
                periods, season, int(peak[k]), int(positive[k]), int(billing[k]),
                (int(prev_peak[k]), int(prev_positive[k])) if recurs_known else None, bool(recurring[k]), cut, fmt)
        records.append({**base, "reason": reason, "detail": f"{detail} KEY cut-off: {fmt(cut)}."})
    summary = (f"{len(records)} of {len(keys)} SECONDARY {agree(len(keys), 'account', 'accounts')} "
               f"{agree(len(records), 'shows', 'show')} growth potential.")
    notes = [periods_note(periods), (
        f"Seasonal: at least {SEASONAL_SHARE:.0%} of the year's billing in {m} consecutive months, billed "
        f"at a KEY account's monthly pace. New: first billed in the last {NEW_MONTHS} months, at least "
        f"{NEW_MIN_DAYS} days ago, in at least {NEW_MIN_MONTHS} months; its yearly pace is read from "
        f"those days. Rising: billed in at least 2 of the last {n} months, whose monthly billing is at least "
        f"{RISING_RATIO:g}x the months before and at a KEY account's monthly pace."
    )]
    n_too_new = int(too_new.sum())
    if n_too_new:
        notes.append(
            f"{n_too_new} SECONDARY {agree(n_too_new, 'account was', 'accounts were')} first billed "
            f"less than {NEW_MIN_DAYS} days before the audit date: too new to read a yearly pace from, "
            "so not flagged as new."
        )
    late = _late_start_note(periods, 0)
    if late:
        notes.append(late)
    return Insight(table=_frame(records, _GROWTH_COLUMNS), status=ASSESSED, notes=tuple(notes), summary=summary)


# ----------------------------------------------------------------------------- at risk


def find_at_risk(
    monthly: MonthlyBilling | None,
    accounts: pd.DataFrame,
    *,
    currency: str = "$",
) -> Insight:
    """KEY accounts at risk: ``no recent billing`` (nothing billed in the year's last
    RECENT_MONTHS periods) or ``falling`` (the recent periods against the earlier
    periods of the year, and the year against the 12 periods before it when the ledger
    covers them)."""
    if monthly is None or monthly.empty:
        return _no_dates("KEY accounts at risk")
    periods = monthly.periods
    key_acc = _tier(accounts, "KEY")
    keys = pd.Index(key_acc["client_key"])
    n = RECENT_MONTHS
    first_before = periods.first_covered(0, 11 - n)
    n_before = 0 if first_before is None else 12 - n - first_before
    yoy = all(periods.covered(i) for i in range(-12, 0))
    notes: list[str] = []
    status = ASSESSED
    start_txt = _day(periods.history_start) if periods.history_start is not None else "no date"
    if n_before < n:
        status = PARTIAL
        notes.append(
            f"Not enough history to compare recent months with earlier ones: the ledger starts on "
            f"{start_txt}. Only 'no recent billing' was checked."
        )
    elif first_before is not None and n_before < 12 - n:  # (None: n_before is 0, the case above)
        status = PARTIAL
        notes.append(
            f"The last {n} months are compared with only the {n_before} months before them "
            f"({periods.span(first_before, 11 - n)}): the ledger starts on {start_txt}."
        )
    if not yoy:
        status = PARTIAL
        notes.append(
            f"Not enough history to compare the year with the 12 months before it "
            f"({periods.span(-12, -1)}): the ledger starts on {start_txt}."
        )
    v = monthly.matrix(keys, 0, 11)
    year = v.sum(axis=1)
    recent = v[:, 12 - n:].sum(axis=1)
    before = v[:, 12 - n - n_before: 12 - n].sum(axis=1) if n_before else np.zeros(len(keys), dtype=np.int64)
    quiet = (v[:, 12 - n:] > 0).sum(axis=1) == 0
    falling_recent = (
        np.zeros(len(keys), dtype=bool) if n_before < n
        else (before > 0) & (recent * n_before <= FALLING_RATIO * before * n)
    )
    last_year_v = monthly.matrix(keys, -12, -1) if yoy else np.zeros_like(v)
    last_year = last_year_v.sum(axis=1)
    falling_year = (last_year > 0) & (year <= (1 - YEAR_DROP) * last_year) if yoy else np.zeros(len(keys), dtype=bool)
    # a season: when the year before is known, the recent months are also compared with the
    # same months a year earlier, so an account quiet in its off-season is no alarm
    same_then = last_year_v[:, 12 - n:].sum(axis=1)
    if yoy:
        quiet &= same_then > 0
        falling_recent &= (
            (same_then > 0) & (recent <= (1 - YEAR_DROP) * same_then)
            & (same_then - recent >= SHORTFALL_SHARE * year)
        )
    last_billed = monthly.billed(keys, "last_billed")
    fmt: Fmt = lambda value: money.format_money(int(value), currency)  # noqa: E731
    owners = _owners(key_acc)
    recent_span = periods.span(12 - n, 11)
    records = []
    names, billed, lasts = key_acc["client"].tolist(), key_acc["billing"].tolist(), last_billed.to_numpy()
    key_list = keys.tolist()
    for k in np.flatnonzero(quiet | falling_recent | falling_year).tolist():
        key = key_list[k]
        base = {"client_key": key, "client": names[k], "owner": owners[k], "billing": int(billed[k])}
        if quiet[k]:
            last = lasts[k]
            last_txt = f"last billed on {_day(last)}" if pd.notna(last) else "no positive billing found"
            detail = (
                f"Nothing billed in the last {n} months ({recent_span}); {last_txt}. Its 12-month "
                f"billing, {fmt(year[k])}, all came before"
            ) + (f"; the same months a year earlier billed {fmt(same_then[k])}." if yoy else ".")
            records.append({**base, "reason": "no recent billing", "detail": detail})
            continue
        reasons = []
        if falling_recent[k]:
            drop = 1 - (int(recent[k]) * n_before) / (int(before[k]) * n)
            r_shown, b_shown = (
                _parts(int(recent[k]), int(year[k])) if n_before == 12 - n else (int(recent[k]), int(before[k]))
            )
            text = (
                f"last {n} months ({recent_span}): {_monthly_text(r_shown, n, fmt)}, down {drop:.0%} "
                f"from {_monthly_text(b_shown, n_before, fmt)} in the {n_before} months before"
            )
            if yoy:
                text += f", and down {1 - int(recent[k]) / int(same_then[k]):.0%} from {fmt(same_then[k])} " \
                        "in the same months a year earlier"
            reasons.append(text)
        if falling_year[k]:
            reasons.append(
                f"12-month billing {fmt(year[k])}, down {1 - int(year[k]) / int(last_year[k]):.0%} from "
                f"{fmt(last_year[k])} in the 12 months before ({periods.span(-12, -1)})"
            )
        text = "; ".join(reasons)
        records.append({**base, "reason": "falling", "detail": f"{text[0].upper()}{text[1:]}."})
    notes.insert(0, periods_note(periods))
    if yoy:
        notes.insert(1, (
            f"An account is at risk only when its last {n} months are also below the same months a year "
            f"earlier ({periods.span(12 - n - 12, -1)}), by at least {SHORTFALL_SHARE:.0%} of its 12-month "
            "billing: a seasonal account quiet out of season is no alarm."
        ))
    end_note = _early_end_note(periods)
    if end_note:
        notes.append(end_note)
    return Insight(
        table=_frame(records, _GROWTH_COLUMNS), status=status, notes=tuple(notes),
        summary=(f"{len(records)} of {len(keys)} KEY {agree(len(keys), 'account', 'accounts')} "
                 f"{agree(len(records), 'is', 'are')} at risk."),
    )


# ----------------------------------------------------------------------------- lapsed


def find_lapsed(
    ledger: pd.DataFrame,
    earlier: pd.DataFrame,
    client_of: Mapping[str, str],
    periods: Periods | None,
    *,
    codes: tuple[ClientCodes, ClientCodes] | None = None,
) -> Insight:
    """Clients with net billing > 0 in the 12 months before the window and none (net
    <= 0, or no row) in it, alphabetically, with the seller and date of their last
    billing and their billing in those 12 months.

    ``ledger`` / ``earlier``: the ledger rows in / before the window (``date``,
    ``client``, ``seller``, ``amount`` micros); ``client_of``: raw name -> ``client_key``;
    ``periods``: the audit's periods (None: a ledger without dates). The name shown is the
    client's most-billed spelling in those 12 months. ``codes``: the ``earlier`` and
    ``ledger`` rows' :func:`~.monthly.client_codes` (None: computed here).
    """
    if periods is None:
        return _no_dates("lapsed accounts")
    start = pd.Timestamp(periods.start(0))
    prev_start = pd.Timestamp(periods.start(-12))
    if earlier.empty or earlier["date"].notna().sum() == 0:
        return Insight(
            table=_empty_lapsed(), status=NOT_ENOUGH_HISTORY,
            notes=(
                f"Not enough history for lapsed accounts: the ledger holds no billing before "
                f"{_day(start)}, the start of the 12-month window.",
            ),
        )
    notes: list[str] = []
    status = ASSESSED
    first = pd.Timestamp(earlier["date"].min())
    if first > prev_start + pd.Timedelta(days=HISTORY_GRACE_DAYS):
        status = PARTIAL
        notes.append(
            f"The ledger starts on {_day(first)}: only the billing from then to "
            f"{_day(start - pd.Timedelta(days=1))} was checked, not the full 12 "
            f"months before the window (from {_day(prev_start)})."
        )
    if codes is None:
        codes = client_codes([earlier, ledger], client_of)  # type: ignore[assignment]
    assert codes is not None
    before, during = codes
    in_year = ((earlier["date"] >= prev_start) & (earlier["date"] < start)).to_numpy(dtype=bool)
    rows = earlier[in_year]
    row_codes = before.codes[in_year]
    net_by_code = pd.Series(rows["amount"].to_numpy(dtype=np.int64)).groupby(row_codes, sort=True).sum()
    window_by_code = (
        pd.Series(ledger["amount"].to_numpy(dtype=np.int64)).groupby(during.codes).sum()
        if len(ledger) else pd.Series(dtype=np.int64)
    )
    # lapsed: net > 0 before the window, net <= 0 (or no row) in it
    window_net = window_by_code.reindex(net_by_code.index, fill_value=0).to_numpy(dtype=np.int64)
    lapsed_codes = net_by_code.index[(net_by_code.to_numpy(dtype=np.int64) > 0) & (window_net <= 0)]
    net = dict(zip(before.keys[lapsed_codes.to_numpy(dtype=np.int64)].tolist(),
                   net_by_code.loc[lapsed_codes].to_numpy(dtype=np.int64).tolist(), strict=True))
    mine = np.isin(row_codes, lapsed_codes.to_numpy(dtype=np.int64))
    lapsed_rows = rows[mine]
    frame = pd.DataFrame({
        "client_key": before.keys[row_codes[mine]],
        "client": lapsed_rows["client"].astype(str).str.strip().to_numpy(),
        "date": lapsed_rows["date"].to_numpy(),
        "seller": lapsed_rows["seller"].to_numpy() if "seller" in lapsed_rows.columns else pd.NA,
        "amount": lapsed_rows["amount"].to_numpy(dtype=np.int64),
    })
    out = _lapsed_table(frame, net)
    names = out["client"].tolist()
    out = out.iloc[sorted(range(len(out)), key=lambda i: (names[i].casefold(), names[i]))]
    who = agree(len(out), "client", "clients")
    return Insight(
        table=out.reset_index(drop=True), status=status, notes=tuple(notes),
        summary=f"{len(out)} {who} billed in the 12 months before the window but not in it.",
    )


def _lapsed_table(mine: pd.DataFrame, net: Mapping[str, int]) -> pd.DataFrame:
    """One row per lapsed client of ``mine`` (its rows of the 12 months before the window:
    ``client_key``, ``client``, ``date``, ``seller``, ``amount``), in ``client_key`` order:
    the seller of its last positive row that names one (latest date, then largest amount,
    then ledger order), that row's date, and the spelling it billed most (ties: name order).
    Grouped once over all clients, not client by client."""
    if mine.empty:
        return _empty_lapsed()
    pos = mine[mine["amount"].to_numpy() > 0]
    last_billed = pos.groupby("client_key")["date"].max()
    named = pos[pos["seller"].notna() & (pos["seller"].astype(str).str.strip() != "")]
    # per client: latest date, then largest amount; a stable sort keeps ledger order for ties
    last = named.sort_values(["client_key", "date", "amount"], ascending=[True, False, False], kind="mergesort")
    last = last.drop_duplicates("client_key", keep="first")
    seller_of = dict(zip(last["client_key"].tolist(), last["seller"].tolist(), strict=True))
    display: dict[object, tuple[int, str]] = {}
    by_name = mine.groupby(["client_key", "client"])["amount"].sum()
    levels = by_name.index
    for key, name, total in zip(levels.get_level_values(0).tolist(), levels.get_level_values(1).tolist(),
                                by_name.tolist(), strict=True):
        best = display.get(key)
        if best is None or (-int(total), name) < best:
            display[key] = (-int(total), name)
    records = [
        {
            "client_key": key, "client": display[key][1],
            "last_seller": str(seller_of[key]).strip() if key in seller_of else "",
            "last_billed": day,
            "previous_billing": int(net[key]),
        }
        for key, day in zip(last_billed.index.tolist(), _days(last_billed), strict=True)
    ]
    out = pd.DataFrame(records, columns=_LAPSED_COLUMNS)
    out["previous_billing"] = out["previous_billing"].astype("int64")
    return out


def _days(dates: pd.Series) -> list[dt.date]:
    """Each value's calendar day (``pd.Timestamp(value).date()``), converted at once."""
    if dates.dtype.kind == "M" and getattr(dates.dtype, "tz", None) is None:
        return dates.dt.date.tolist()
    return [pd.Timestamp(day).date() for day in dates.tolist()]


def _empty_lapsed() -> pd.DataFrame:
    return pd.DataFrame({
        "client_key": pd.Series(dtype=object), "client": pd.Series(dtype=object),
        "last_seller": pd.Series(dtype=object), "last_billed": pd.Series(dtype=object),
        "previous_billing": pd.Series(dtype=np.int64),
    })


def find_insights(
    monthly: MonthlyBilling | None,
    accounts: pd.DataFrame,
    ledger: pd.DataFrame,
    earlier: pd.DataFrame,
    client_of: Mapping[str, str],
    cutoff: int | None,
    *,
    currency: str = "$",
    codes: tuple[ClientCodes, ClientCodes] | None = None,
) -> Insights:
    """Growth potential, KEY accounts at risk and lapsed accounts in one call
    (``monthly`` None: a ledger without dates). ``codes``: the ``earlier`` and ``ledger``
    rows' :func:`~.monthly.client_codes` (None: computed where needed)."""
    periods = None if monthly is None or monthly.periods.history_start is None else monthly.periods
    return Insights(
        growth=find_growth(monthly, accounts, cutoff, currency=currency),
        at_risk=find_at_risk(monthly, accounts, currency=currency),
        lapsed=find_lapsed(ledger, earlier, client_of, periods, codes=codes),
    )
