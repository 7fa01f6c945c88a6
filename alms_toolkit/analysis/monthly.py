"""Billing per combined client per month-long period (:mod:`.periods`), window and
earlier history together.

The baseline of revenue projection forms, seasons and the "falling billing" checks. The
periods are anchored at the audit date, so a client's periods 0..11 sum exactly to its
12-month billing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .periods import Periods

__all__ = ["MonthlyBilling", "monthly_from", "monthly_billing", "billing_dates", "client_keys"]

_COLUMNS = ["client_key", "period", "billing"]


def client_keys(raw_names: pd.Series, client_of: Mapping[str, str]) -> pd.Series:
    """Map raw client names to combined ``client_key`` values.

    A name the combination does not know (it should know every name it was given) keeps
    its raw spelling as its key, so no row is ever lost.
    """
    # map each distinct spelling once (ledgers repeat names): fast on millions of rows
    codes, uniques = pd.factorize(raw_names, use_na_sentinel=True)
    keys = np.array([str(client_of.get(u, u)) for u in uniques] + ["<NA>"], dtype=object)
    return pd.Series(keys[codes], index=raw_names.index, dtype=object)


@dataclass(frozen=True)
class MonthlyBilling:
    """Billing per client and period, with each client's first and last billing date.

    ``table``: ``client_key``, ``period``, ``billing`` (:func:`monthly_billing`);
    ``dates``: ``first_billed``, ``last_billed`` per ``client_key`` (:func:`billing_dates`).
    Frames are shared, never mutated.
    """

    periods: Periods
    table: pd.DataFrame
    dates: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.table.empty

    def matrix(self, keys: Sequence[str] | pd.Index, first: int, last: int) -> np.ndarray:
        """int64 matrix ``keys`` x periods ``first`` .. ``last`` of net billing (0 where
        nothing was billed)."""
        index = pd.Index(keys)
        out = np.zeros((len(index), last - first + 1), dtype=np.int64)
        t = self.table
        if not len(index) or t.empty or last < first:
            return out
        period = t["period"].to_numpy(dtype=np.int64)
        rows = index.get_indexer(t["client_key"])
        use = (rows >= 0) & (period >= first) & (period <= last)
        np.add.at(out, (rows[use], period[use] - first), t["billing"].to_numpy(dtype=np.int64)[use])
        return out

    def billed(self, keys: Sequence[str] | pd.Index, column: str) -> pd.Series:
        """``first_billed`` or ``last_billed`` of ``keys`` (NaT: never billed a positive amount)."""
        return self.dates[column].reindex(pd.Index(keys))


def _dated_rows(ledger: pd.DataFrame, earlier: pd.DataFrame) -> pd.DataFrame:
    parts = [f[["date", "client", "amount"]] for f in (earlier, ledger) if len(f)]
    if not parts:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "client": [], "amount": []})
    rows = pd.concat(parts, ignore_index=True)
    return rows[rows["date"].notna()]


def monthly_billing(
    ledger: pd.DataFrame, earlier: pd.DataFrame, client_of: Mapping[str, str], periods: Periods
) -> pd.DataFrame:
    """``client_key``, ``period`` (int64, see :mod:`.periods`), ``billing`` (int64 micros).

    One row per client and period with at least one ledger row (net billing, so a
    period can net to 0 or below), window and earlier rows summed together, sorted by
    client then period. Rows without a date (a totals ledger) have no period: the result
    is then empty.
    """
    rows = _dated_rows(ledger, earlier)
    if rows.empty:
        return _empty()
    frame = pd.DataFrame(
        {
            "client_key": client_keys(rows["client"], client_of).to_numpy(),
            "period": periods.index_of(rows["date"]),
            "billing": rows["amount"].to_numpy(dtype=np.int64),
        }
    )
    out = frame.groupby(["client_key", "period"], sort=True, as_index=False)["billing"].sum()
    out["billing"] = out["billing"].astype(np.int64)
    out["period"] = out["period"].astype(np.int64)
    return out[_COLUMNS].reset_index(drop=True)


def billing_dates(ledger: pd.DataFrame, earlier: pd.DataFrame, client_of: Mapping[str, str]) -> pd.DataFrame:
    """Per ``client_key`` (the index): ``first_billed`` and ``last_billed``, the dates of
    its first and last row with a positive amount (window and earlier history)."""
    rows = _dated_rows(ledger, earlier)
    rows = rows[rows["amount"].to_numpy(dtype=np.int64) > 0]
    if rows.empty:
        return pd.DataFrame(
            {"first_billed": pd.Series(dtype="datetime64[ns]"), "last_billed": pd.Series(dtype="datetime64[ns]")},
            index=pd.Index([], dtype=object, name="client_key"),
        )
    keys = client_keys(rows["client"], client_of).to_numpy()
    dates = rows["date"].to_numpy()
    grouped = pd.Series(dates).groupby(keys)
    out = pd.DataFrame({"first_billed": grouped.min(), "last_billed": grouped.max()})
    out.index.name = "client_key"
    return out


def monthly_from(
    ledger: pd.DataFrame, earlier: pd.DataFrame, client_of: Mapping[str, str], periods: Periods
) -> MonthlyBilling:
    """:class:`MonthlyBilling` of the ledger's rows (window and earlier history)."""
    return MonthlyBilling(
        periods=periods,
        table=monthly_billing(ledger, earlier, client_of, periods),
        dates=billing_dates(ledger, earlier, client_of),
    )


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_key": pd.Series(dtype=object),
            "period": pd.Series(dtype=np.int64),
            "billing": pd.Series(dtype=np.int64),
        }
    )
