"""A sanity gate before any report: a ledger that reads but whose figures cannot be right
as they are is refused (exit 2) with the reason and the figures, unless the consultant
accepts it knowingly.

:func:`check_ledger` is pure (a loaded ledger and, when known, the combined clients in;
findings out); :func:`refuse_unaccepted` raises
:class:`~alms_toolkit.errors.ImplausibleDataError` for the findings not accepted. Codes:

- ``no_rows_used``: not one row is used, so there is nothing to report (never acceptable);
  the message says why: every dated row outside the window (the dates found and the
  window, naming ``as_of``), or every row excluded (the main reasons with their rows and money);
- ``most_excluded``: more than half of the money (absolute amounts) or of the rows that
  count are left out for a real reason. Rows outside the window, of exactly 0, rows that
  are totals, footers or section headers, and rows the consultant's own settings leave out
  (``billing.exclude``, ``hidden_rows: exclude``) are not real exclusions; any other reason
  (a blank client, an amount or date that cannot be read, a reason this module does not
  know) is;
- ``no_spending`` (never acceptable): rows are used but no client nets above 0 (a ledger
  export that writes sales as negative amounts: ``billing.flip_sign``);
- ``one_client``: one combined client holds 90% or more of the 12-month revenue while at
  least two clients spend, or exactly one client spends;
- ``short_window``: the ledger's dates cover only part of the 12-month window: its first
  date is more than SHORT_START_DAYS after the window's start (every "12-month billing", the
  cut-off and the tiers would rest on fewer months), or, with an ``as_of`` set by the
  consultant, its last date is more than SHORT_END_DAYS before it (the missing weeks would
  read as clients that stopped billing).

A consultant accepts a code with ``--accept CODE`` (audit, summary, validate, republish,
batch) or ``accept: [CODE]`` in client.yml.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import money
from ..count_words import agree, plural
from ..errors import ConfigError, ImplausibleDataError, Problem

if TYPE_CHECKING:
    from ..io.ledger import LoadedLedger

__all__ = [
    "Finding",
    "check_ledger",
    "accepted_codes",
    "refuse_unaccepted",
    "NOT_REAL_EXCLUSIONS",
    "MOST_EXCLUDED_SHARE",
    "ONE_CLIENT_SHARE",
    "SHORT_START_DAYS",
    "SHORT_END_DAYS",
]

#: exclusion reasons that are not a loss: rows outside the window, of exactly 0, and rows
#: that are not invoices (totals, subtotals, footers, section headers)
NOT_REAL_EXCLUSIONS: frozenset[str] = frozenset(
    {"outside_window", "zero_amount", "footer", "section_header", "aggregate",
     # left out by the consultant's own setting (billing.exclude, billing.hidden_rows: exclude)
     "excluded_by_filter", "hidden_row"}
)
#: ``most_excluded`` when strictly more than this share of the money or rows is left out
MOST_EXCLUDED_SHARE = 0.5
#: ``one_client`` when one client holds at least this share of the revenue
ONE_CLIENT_SHARE = 0.9
#: ``short_window`` when the ledger's first date is more than this many days after the
#: window's start (the same grace as the insights' history: an export starts at its first
#: invoice) ...
SHORT_START_DAYS = 14
#: ... or its last date more than this many days before an ``as_of`` the consultant set
#: (two weeks without a single invoice from any client reads as an export cut short)
SHORT_END_DAYS = 14
#: how many exclusion reasons a message lists
_SHOWN_REASONS = 3


@dataclass(frozen=True)
class Finding:
    """One sanity check that failed: its code, what was found (with the figures), and what
    to check first."""

    code: str
    message: str
    check: str

    @property
    def acceptable(self) -> bool:
        """True when a consultant may accept it knowingly (--accept, client.yml accept:)."""
        return self.code in ImplausibleDataError.ACCEPTABLE

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "check": self.check,
                "acceptable": self.acceptable}


def _pct(part: float, whole: float) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "0%"


def _label(reason: str) -> str:
    from ..io.reconciliation import REASON_LABELS

    return REASON_LABELS.get(reason, reason.replace("_", " "))


def _reasons_text(excluded: Mapping[str, Any], reasons: Iterable[str], currency: str) -> str:
    """'client blank: 12 rows ($3,400.00; first rows 4, 9); ...' for the main reasons."""
    ranked = sorted(reasons, key=lambda r: (-excluded[r].rows, -abs(excluded[r].amount), r))
    parts = []
    for r in ranked[:_SHOWN_REASONS]:
        e = excluded[r]
        rows = agree(e.rows, "row", "rows")
        first = f"; first rows {', '.join(str(n) for n in e.first_rows)}" if e.first_rows else ""
        parts.append(f"{_label(r)}: {e.rows:,} {rows} ({money.format_money(e.amount, currency)}{first})")
    if len(ranked) > _SHOWN_REASONS:
        parts.append(f"and {len(ranked) - _SHOWN_REASONS} more reason(s), listed by alms validate")
    return "; ".join(parts)


def _date_range(frame: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    if frame is None or frame.empty or "date" not in frame:
        return None
    dates = frame["date"].dropna()
    if dates.empty:
        return None
    return pd.Timestamp(dates.min()).date(), pd.Timestamp(dates.max()).date()


def _no_rows_used(loaded: LoadedLedger, currency: str) -> Finding:
    recon = loaded.reconciliation
    excluded = recon.excluded
    parts = [f"not one of the {recon.rows_read:,} rows read is used, so there is nothing to report"]
    outside = excluded.get("outside_window")
    window = getattr(loaded, "window", None)
    check = ("Check the column mapping (billing.columns) and the reading settings (billing.decimal, "
             "billing.date_format) against the file: alms validate lists every reason with its rows.")
    if outside is not None and outside.rows and window is not None:
        last = window.end - dt.timedelta(days=1)
        source = {"config": "as_of in client.yml", "argument": "--as-of",
                  "ledger": "the day after the ledger's last date"}.get(window.as_of_source, window.as_of_source)
        text = (f"{plural(outside.rows, 'row')} ({money.format_money(outside.amount, currency)}) "
                f"{agree(outside.rows, 'is', 'are')} dated outside "
                f"the 12-month window {window.start.isoformat()} to {last.isoformat()} (as of "
                f"{window.as_of.isoformat()}, from {source})")
        span = (recon.dates_from, recon.dates_to) if recon.dates_from is not None else _date_range(loaded.earlier)
        if span is not None and span[0] is not None and span[1] is not None:  # both set together
            text += f"; the ledger's usable dates run from {span[0].isoformat()} to {span[1].isoformat()}"
        parts.append(text)
        if window.as_of_source in ("config", "argument"):
            check = (f"Check the audit date: as_of is {window.as_of.isoformat()}. Set as_of in client.yml "
                     "(as_of: YYYY-MM-DD) or give --as-of to the day after the last invoice to audit, or "
                     "remove as_of to use the day after the ledger's last date.")
        else:
            check = ("Check the dates: the window ends on the day after the ledger's last date, so a "
                     "wrong date at the end of the file moves it (set billing.date_format, or as_of in "
                     "client.yml / --as-of).")
    others = [r for r, e in excluded.items() if e.rows and r != "outside_window"]
    if others:
        parts.append("left out: " + _reasons_text(excluded, others, currency))
    return Finding("no_rows_used", "; ".join(parts), check)


def _most_excluded(loaded: LoadedLedger, currency: str) -> Finding | None:
    recon = loaded.reconciliation
    excluded = recon.excluded
    real = [r for r, e in excluded.items() if e.rows and r not in NOT_REAL_EXCLUSIONS]
    if not real:
        return None
    rows_out = sum(excluded[r].rows for r in real)
    money_out = sum(abs(int(excluded[r].amount)) for r in real)
    rows_all = rows_out + recon.rows_used
    money_all = money_out + abs(int(recon.amount_used))
    by_money = money_all > 0 and money_out > MOST_EXCLUDED_SHARE * money_all
    by_rows = rows_all > 0 and rows_out > MOST_EXCLUDED_SHARE * rows_all
    if not (by_money or by_rows):
        return None
    fmt = lambda v: money.format_money(v, currency)  # noqa: E731
    message = (
        f"most of the ledger is left out: {_pct(money_out, money_all)} of the money "
        f"({fmt(money_out)} of {fmt(money_all)}, absolute amounts) and {rows_out:,} of "
        f"{rows_all:,} rows ({_pct(rows_out, rows_all)}) that would count {agree(rows_out, 'is', 'are')} excluded "
        f"(not counting rows outside the window, of 0, or totals); "
        + _reasons_text(excluded, real, currency)
    )
    check = ("Check first that billing.columns names the right columns and that billing.decimal, "
             "billing.thousands and billing.date_format match how the file writes amounts and dates "
             "(alms validate shows the rows of each reason).")
    return Finding("most_excluded", message, check)


def _no_spending(loaded: LoadedLedger, currency: str) -> Finding:
    """Rows are used but no client nets above 0: nothing to rank, no KEY cut-off."""
    amounts = loaded.ledger["amount"]
    negative = int((amounts < 0).sum())
    rows = "the one row used nets" if len(amounts) == 1 else f"the {len(amounts):,} rows used net"
    message = (f"no client has a positive 12-month billing: {rows} to "
               f"{money.format_money(money.total(amounts), currency)}, and {negative:,} of them "
               f"{agree(negative, 'is', 'are')} negative")
    if negative > 0.5 * len(amounts):
        check = ("Most amounts are negative: a general-ledger export writes sales as credits (negative). If "
                 "the file does that, turn every sign in client.yml: billing.flip_sign: true. Otherwise check "
                 "that billing.columns.amount is the sales amount (not a payment or balance column).")
    else:
        check = ("Check that billing.columns.amount is the sales amount and that the file holds this client's "
                 "sales for the window (alms validate shows what was read).")
    return Finding("no_spending", message, check)


def _spending(loaded: LoadedLedger, clients: pd.DataFrame | None) -> pd.DataFrame:
    """One row per (combined) client: ``client``, ``billing`` (micros), spending ones only."""
    if clients is None:
        ledger = loaded.ledger
        if ledger.empty:
            return pd.DataFrame({"client": pd.Series(dtype=object), "billing": pd.Series(dtype="int64")})
        names = ledger["client"].astype(str).str.strip()
        billing = ledger.groupby(names, sort=True)["amount"].sum()
        clients = pd.DataFrame({"client": billing.index, "billing": billing.to_numpy(dtype="int64")})
    return clients.loc[clients["billing"] > 0, ["client", "billing"]]


def _one_client(loaded: LoadedLedger, clients: pd.DataFrame | None, currency: str) -> Finding | None:
    spending = _spending(loaded, clients)
    if spending.empty:
        return None
    fmt = lambda v: money.format_money(v, currency)  # noqa: E731
    top = spending.sort_values(["billing", "client"], ascending=[False, True], kind="stable").iloc[0]
    revenue = money.total(spending["billing"])
    check = ("Check first that billing.columns.client is the client column (not a region, branch, "
             "product or account-code column) and that no totals row was read as a client.")
    if len(spending) == 1:
        message = (f"only one client spent money in the window: {str(top['client'])!r} "
                   f"({fmt(int(top['billing']))}); the KEY cut-off and the lists would rest on it alone")
        return Finding("one_client", message, check)
    share = int(top["billing"]) / revenue if revenue else 0.0
    if share < ONE_CLIENT_SHARE:
        return None
    message = (f"one client holds {_pct(int(top['billing']), revenue)} of the 12-month revenue: "
               f"{str(top['client'])!r} billed {fmt(int(top['billing']))} of {fmt(revenue)} among "
               f"{len(spending):,} spending clients")
    return Finding("one_client", message, check)


def _short_window(loaded: LoadedLedger) -> Finding | None:
    """The ledger's dates cover only part of the window (see the module docstring)."""
    window = loaded.window
    if window is None:
        return None
    from ..io.ledger import ledger_dates

    first, last_in = ledger_dates(loaded.earlier, loaded.ledger, loaded.zero_rows)
    if first is None or last_in is None:
        return None
    last_day = window.end - dt.timedelta(days=1)
    dated_days = _ledger_days(loaded)
    if _month_level(dated_days):
        # every row dated the 1st of its month (a monthly summary): a month's date stands for it all
        following = (last_in.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        last_in = following - dt.timedelta(days=1)
    late_start = (first - window.start).days
    early_end = (last_day - last_in).days
    starts_late = late_start > SHORT_START_DAYS
    # rows dated after the window (an earlier as_of: a re-review, a republish) show that the
    # export runs past its end: a quiet end of the window is then billing, not a cut export
    runs_past = loaded.reconciliation.dates_to is not None and loaded.reconciliation.dates_to > last_day
    ends_early = window.as_of_source != "ledger" and early_end > SHORT_END_DAYS and not runs_past
    hole = None if starts_late else _longest_hole(loaded, dated_days)
    if not (starts_late or ends_early or hole):
        return None
    parts = []
    if hole is not None:
        before, after, days = hole
        if window.as_of_source == "ledger" and after == last_in:  # the date the audit date is taken from
            row = _row_dated(loaded, after)
            stands = (f"the ledger's last date, {after.isoformat()}{f' (row {row})' if row else ''}, comes "
                      f"{(after - before).days:,} days after the one before it ({before.isoformat()}), and the "
                      "12-month window is taken back from it: ")
        else:
            stands = ""
        start = max(before, window.start - dt.timedelta(days=1))
        message = (f"{stands}no row is dated in {days:,} days of the window (from {(start + dt.timedelta(days=1)).isoformat()} "
                   f"to {(after - dt.timedelta(days=1)).isoformat()}), so every 12-month billing, the KEY cut-off "
                   "and the tiers would rest on part of a year")
        check = ("Check the ledger's dates: if a date is mistyped (its year), correct it in the file; if the "
                 "export misses those months, ask for the full 12 months" + (
                     "; or set as_of in client.yml to the day after the last invoice of the audited year."
                     if stands else "."))
        return Finding("short_window", message, check)
    if starts_late:
        parts.append(f"the ledger starts on {first.isoformat()}, {late_start:,} days after the start of the "
                     f"12-month window ({window.start.isoformat()} to {last_day.isoformat()})")
    if ends_early:
        parts.append(f"its last date in the window is {last_in.isoformat()}, {early_end:,} days before the "
                     f"window's last day ({last_day.isoformat()}, as of {window.as_of.isoformat()})")
    missing = (late_start if starts_late else 0) + (early_end if ends_early else 0)
    message = "; ".join(parts) + (
        f": {missing:,} of the window's {(window.end - window.start).days:,} days hold no row, so every "
        "12-month billing, the KEY cut-off and the tiers would rest on part of a year"
        + (", and the missing weeks at its end would read as clients that stopped billing" if ends_early else "")
    )
    fixes = []
    if starts_late:
        fixes.append(f"ask for the billing from {window.start.isoformat()} on (a longer export)")
    no_full_year = False
    if ends_early:
        later = last_in + dt.timedelta(days=1)
        span = (last_in - first).days + 1
        no_full_year = (first - _year_before(later)).days > SHORT_START_DAYS
        if no_full_year:  # no audit date makes a full year of it
            fixes.append(f"the ledger's dates run from {first.isoformat()} to {last_in.isoformat()} ({span:,} days), so "
                         "no audit date gives a window without an empty start or end: if that is the whole of the "
                         "billing (one invoice a month, for example), accept it knowingly; else ask for a longer export")
        else:
            fixes.append(f"set as_of in client.yml (or --as-of) to the day after the last invoice "
                         f"({later.isoformat()}), or remove as_of to use it")
    check = "Check the ledger's dates: " + "; or ".join(fixes) + (
        ". If the business really began billing then, accept it knowingly." if starts_late
        else ". If the billing really stopped then, accept it knowingly." if ends_early and not no_full_year else ".")
    return Finding("short_window", message, check)


def _year_before(day: dt.date) -> dt.date:
    """The start of the 12-month window of the audit date ``day``."""
    from ..io.window import twelve_month_window

    return twelve_month_window(day, "argument").start


#: ``short_window`` when no row is dated in this many days in a row inside the window
HOLE_DAYS = 183


def _ledger_days(loaded: LoadedLedger) -> np.ndarray:
    """The distinct days (datetime64[D], sorted) on which the ledger's kept rows are dated."""
    per_frame = [_distinct_days(f["date"].to_numpy(dtype="datetime64[D]"))
                 for f in (loaded.earlier, loaded.ledger, loaded.zero_rows) if len(f) and "date" in f.columns]
    return np.unique(np.concatenate(per_frame)) if per_frame else np.zeros(0, dtype="datetime64[D]")


def _month_level(dated_days: np.ndarray) -> bool:
    """Whether every one of these days (:func:`_ledger_days`) is the first day of a month
    (billing kept per month), with at least three months."""
    firsts = dated_days.astype("datetime64[M]").astype("datetime64[D]")
    return len(dated_days) >= 3 and bool((firsts == dated_days).all())


def _distinct_days(days: np.ndarray) -> np.ndarray:
    """The distinct days (datetime64[D]) of ``days``, NaT left out: counted per day over
    the span they cover (one pass; a ledger's rows fall on a few hundred days), not sorted."""
    known = days[~np.isnat(days)].view(np.int64)
    if not len(known):
        return known.view("datetime64[D]")
    low = int(known.min())
    span = int(known.max()) - low + 1
    if span > 4 * len(known) + 1_000_000:  # scattered over centuries: sort them instead
        return np.unique(known).view("datetime64[D]")
    return (np.flatnonzero(np.bincount(known - low, minlength=span)) + low).view("datetime64[D]")


def _longest_hole(loaded: LoadedLedger, dated_days: np.ndarray) -> tuple[dt.date, dt.date, int] | None:
    """The longest run of days inside the window with no row dated, when it is longer than
    :data:`HOLE_DAYS`: (the date before it, the date after it, its days in the window). A run
    from the window's start counts only when it ends on the last date (a date standing alone
    at the end, as a mistyped year makes it); a ledger whose rows start late in the window,
    with older history before it, is left as it was."""
    window = loaded.window
    assert window is not None
    # the distinct days first (a few hundred, :func:`_ledger_days`), then as dates: never a date object per row
    dates = [d.item() for d in dated_days]
    in_window = [d for d in dates if window.start <= d < window.end]
    best = None
    for a, b in zip(dates, dates[1:], strict=False):
        if b < window.start or b >= window.end or (a < window.start and b != in_window[-1]):
            continue
        days = (b - max(a, window.start - dt.timedelta(days=1))).days - 1
        if days > HOLE_DAYS and (best is None or days > best[2]) and not _seasonal(dates, a, b):
            best = (a, b, days)
    return best


def _seasonal(dates: list[dt.date], a: dt.date, b: dt.date) -> bool:
    """The same months a year earlier hold no row either, and the ledger reaches back before
    them: a business that bills in its season, not an export with months missing."""
    before, after = _year_before(a + dt.timedelta(days=1)), _year_before(b)
    return dates[0] <= before and not any(before < d < after for d in dates)


def _row_dated(loaded: LoadedLedger, day: dt.date) -> int | None:
    """The spreadsheet row of the first used row dated ``day`` (None when not known)."""
    rows = loaded.ledger
    if "source_row" not in rows.columns or "date" not in rows.columns:
        return None
    at = rows.loc[rows["date"].to_numpy(dtype="datetime64[D]") == np.datetime64(day, "D"), "source_row"]
    return int(at.iloc[0]) if len(at) else None


def check_ledger(
    loaded: LoadedLedger, clients: pd.DataFrame | None = None, *, currency: str = "$"
) -> tuple[Finding, ...]:
    """The sanity findings of a loaded ledger (empty when it looks plausible).

    ``clients``: the combined clients (``client``, ``billing`` in micros), as
    :func:`~alms_toolkit.analysis.combine.combine_clients` gives them; without it, the
    used rows' client names as written (trimmed). With no row used, only ``no_rows_used``.
    """
    if loaded.reconciliation.rows_used == 0:
        return (_no_rows_used(loaded, currency),)
    if _spending(loaded, clients).empty:
        return (_no_spending(loaded, currency),)
    found = (_most_excluded(loaded, currency), _one_client(loaded, clients, currency), _short_window(loaded))
    return tuple(f for f in found if f is not None)


def accepted_codes(*sources: Iterable[str] | str | None) -> frozenset[str]:
    """The codes accepted by any of ``sources`` (lists of codes or comma-separated texts);
    an unknown code, or one that cannot be accepted, is a ConfigError."""
    codes: list[str] = []
    for source in sources:
        if source is None:
            continue
        items = [source] if isinstance(source, str) else list(source)
        for item in items:
            codes += [c.strip() for c in str(item).split(",") if c.strip()]
    bad = [c for c in codes if c not in ImplausibleDataError.ACCEPTABLE]
    if bad:
        raise ConfigError(None, [
            f"--accept {c}: {ImplausibleDataError.CODES[c]}, which cannot be accepted"
            if c in ImplausibleDataError.CODES else
            f"--accept {c}: not a check that can be accepted (use "
            f"{', '.join(ImplausibleDataError.ACCEPTABLE)})"
            for c in bad
        ])
    return frozenset(codes)


def refuse_unaccepted(
    findings: Iterable[Finding], accepted: Iterable[str], path: Path | str
) -> tuple[Finding, ...]:
    """Raise ImplausibleDataError (naming ``path``, the ledger) for the findings not
    accepted; return the accepted ones (for the record)."""
    findings = tuple(findings)
    accepted = frozenset(accepted)
    refused = [f for f in findings if not (f.acceptable and f.code in accepted)]
    if not refused:
        return findings
    problems = [Problem(f"{f.code}: {f.message}.\n    {f.check}") for f in refused]
    can = [f.code for f in refused if f.acceptable]
    if can:
        joined = ",".join(can)
        hint = (f"If these figures are right for this client, accept them knowingly: add --accept "
                f"{joined} to the command, or write in client.yml:  accept: [{', '.join(can)}]")
        if len(can) < len(refused):
            hint = "Fix the settings named above first (that cannot be accepted). " + hint
    else:
        hint = "Nothing can be reported until the ledger gives spending clients: fix the settings named above."
    raise ImplausibleDataError(path, problems, codes=[f.code for f in refused], hint=hint)
