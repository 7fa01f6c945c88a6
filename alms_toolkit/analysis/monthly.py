"""Billing per combined client per month-long period (:mod:`.periods`), window and
earlier history together.

The baseline of revenue projection forms, seasons and the "falling billing" checks. The
periods are anchored at the audit date, so a client's periods 0..11 sum exactly to its
12-month billing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..io.factorized import Factorized, factorize
from .periods import Periods

__all__ = [
    "MonthlyBilling", "ClientCodes", "client_codes", "monthly_from", "monthly_billing", "billing_dates", "sums_by_code",
]

_COLUMNS = ["client_key", "period", "billing"]
#: the largest grid of every client's billing in every period kept to answer
#: :meth:`MonthlyBilling.matrix` (8 bytes a cell: 64 MB); a larger ledger sums its rows per call
GRID_CELLS = 8_000_000


@dataclass(frozen=True)
class ClientCodes:
    """Every row's ``client_key`` as an integer: ``keys`` holds the distinct keys in Python
    ``str`` order, ``codes`` each row's position in it (int64). Names are hashed once per
    frame, then every grouping is over integers, and code order is key order."""

    keys: np.ndarray
    codes: np.ndarray


def client_codes(
    frames: Sequence[pd.DataFrame], client_of: Mapping[str, str], factorized: Sequence[Factorized | None] = ()
) -> tuple[ClientCodes, ...]:
    """:class:`ClientCodes` of each frame's ``client`` column, over one shared ``keys``
    (the keys :func:`client_keys` gives, sorted). ``factorized``: the frames' ``client``
    columns already factorized (:func:`~alms_toolkit.io.factorized.factorize`; None: not given)."""
    given = list(factorized) + [None] * (len(frames) - len(factorized))
    per_frame = []
    for f, g in zip(frames, given, strict=True):
        empty = Factorized(np.zeros(0, dtype=np.intp), np.zeros(0, dtype=object))
        codes, uniques = (g if g is not None else factorize(f["client"])) if len(f) else empty
        names = [str(client_of.get(u, u)) for u in uniques]
        if (codes < 0).any():
            names.append("<NA>")
            codes = np.where(codes < 0, len(names) - 1, codes)
        per_frame.append((codes, names))
    keys = sorted({k for _, names in per_frame for k in names})
    rank = {k: i for i, k in enumerate(keys)}
    key_array = np.array(keys, dtype=object)
    return tuple(
        ClientCodes(key_array, np.array([rank[k] for k in names], dtype=np.int64)[codes] if len(codes) else
                    np.zeros(0, dtype=np.int64))
        for codes, names in per_frame
    )


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

    @cached_property
    def _clients(self) -> tuple[np.ndarray, pd.Index]:
        """The table's client keys factorized once: each row's code and the distinct keys."""
        codes, uniques = pd.factorize(self.table["client_key"])
        return codes, pd.Index(uniques)

    @cached_property
    def _grid(self) -> tuple[np.ndarray, int] | None:
        """Every client's billing in every period of the table, once: the clients' rows as in
        :attr:`_clients`, from the table's first period (and that period); None when the
        table is empty or the grid would hold more than :data:`GRID_CELLS` cells."""
        t = self.table
        if t.empty:
            return None
        codes, uniques = self._clients
        period = t["period"].to_numpy(dtype=np.int64)
        first = int(period.min())
        width = int(period.max()) - first + 1
        if len(uniques) * width > GRID_CELLS:
            return None
        grid = np.zeros((len(uniques), width), dtype=np.int64)
        known = codes >= 0
        np.add.at(grid, (codes[known], period[known] - first), t["billing"].to_numpy(dtype=np.int64)[known])
        return grid, first

    def matrix(self, keys: Sequence[str] | pd.Index, first: int, last: int) -> np.ndarray:
        """int64 matrix ``keys`` x periods ``first`` .. ``last`` of net billing (0 where
        nothing was billed)."""
        index = pd.Index(keys)
        out = np.zeros((len(index), last - first + 1), dtype=np.int64)
        t = self.table
        if not len(index) or t.empty or last < first:
            return out
        codes, uniques = self._clients
        grid = self._grid
        if grid is not None:  # each key's row of the grid, the periods asked that it holds
            cells, start = grid
            rows = uniques.get_indexer(index)
            lo, hi = max(first, start), min(last, start + cells.shape[1] - 1)
            billed = rows >= 0
            if lo <= hi and billed.any():
                out[billed, lo - first:hi - first + 1] = cells[rows[billed], lo - start:hi - start + 1]
            return out
        period = t["period"].to_numpy(dtype=np.int64)
        rows = np.append(index.get_indexer(uniques), -1)[codes]  # code -1 (a missing key): no row
        use = (rows >= 0) & (period >= first) & (period <= last)
        np.add.at(out, (rows[use], period[use] - first), t["billing"].to_numpy(dtype=np.int64)[use])
        return out

    def billed(self, keys: Sequence[str] | pd.Index, column: str) -> pd.Series:
        """``first_billed`` or ``last_billed`` of ``keys`` (NaT: never billed a positive amount)."""
        return self.dates[column].reindex(pd.Index(keys))


def _dated(ledger: pd.DataFrame, earlier: pd.DataFrame, codes: tuple[ClientCodes, ClientCodes] | None,
           client_of: Mapping[str, str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The dated rows of the earlier history then the window: dates, amounts, client codes,
    and the keys the codes point into."""
    if codes is None:
        codes = client_codes([earlier, ledger], client_of)  # type: ignore[assignment]
    assert codes is not None
    dates, amounts, rows = [], [], []
    for frame, code in zip((earlier, ledger), codes, strict=True):
        if not len(frame):
            continue
        day = frame["date"]
        ok = day.notna().to_numpy()
        dates.append(day.to_numpy()[ok])
        amounts.append(frame["amount"].to_numpy(dtype=np.int64)[ok])
        rows.append(code.codes[ok])
    keys = codes[0].keys
    if not dates:
        return np.zeros(0, dtype="datetime64[ns]"), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), keys
    return np.concatenate(dates), np.concatenate(amounts), np.concatenate(rows), keys


def monthly_billing(
    ledger: pd.DataFrame, earlier: pd.DataFrame, client_of: Mapping[str, str], periods: Periods,
    *, codes: tuple[ClientCodes, ClientCodes] | None = None,
) -> pd.DataFrame:
    """``client_key``, ``period`` (int64, see :mod:`.periods`), ``billing`` (int64 micros).

    One row per client and period with at least one ledger row (net billing, so a
    period can net to 0 or below), window and earlier rows summed together, sorted by
    client then period. Rows without a date (a totals ledger) have no period: the result
    is then empty. ``codes``: the ``earlier`` and ``ledger`` rows' :func:`client_codes`
    (None: computed here).
    """
    return _table_of(_dated(ledger, earlier, codes, client_of), periods)


_Dated = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _table_of(dated: _Dated, periods: Periods) -> pd.DataFrame:
    """:func:`monthly_billing` of the dated rows :func:`_dated` gives."""
    dates, amounts, rows, keys = dated
    if not len(dates):
        return _empty()
    period = periods.index_of(dates)
    low = int(period.min())
    width = int(period.max()) - low + 1
    # one integer per (client, period): its order is client order, then period order
    combined = rows * width + (period - low)
    pair, sums = sums_by_code(combined, amounts.astype(np.int64, copy=False), len(keys) * width)
    return pd.DataFrame(
        {
            "client_key": keys[pair // width],
            "period": (pair % width + low).astype(np.int64),
            "billing": sums,
        }
    )


#: the most codes summed in an array as long as the codes' range (else grouped by sorting)
_DENSE_CODES = 20_000_000


def sums_by_code(codes: np.ndarray, values: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """The codes present (ascending, int64) and the integer sum of ``values`` for each:
    ``pd.Series(values).groupby(codes, sort=True).sum()`` (exact int64 sums), counted in an
    array as long as the codes' range when that is small."""
    if n_codes > max(_DENSE_CODES, 4 * len(codes)):
        grouped = pd.Series(values).groupby(codes, sort=True).sum()
        return grouped.index.to_numpy(dtype=np.int64), grouped.to_numpy(dtype=np.int64)
    present = np.flatnonzero(np.bincount(codes, minlength=n_codes)).astype(np.int64)
    sums = np.zeros(n_codes, dtype=np.int64)
    np.add.at(sums, codes, values)
    return present, sums[present]


def billing_dates(
    ledger: pd.DataFrame, earlier: pd.DataFrame, client_of: Mapping[str, str],
    *, codes: tuple[ClientCodes, ClientCodes] | None = None,
) -> pd.DataFrame:
    """Per ``client_key`` (the index): ``first_billed`` and ``last_billed``, the dates of
    its first and last row with a positive amount (window and earlier history)."""
    return _dates_of(_dated(ledger, earlier, codes, client_of))


def _dates_of(dated: _Dated) -> pd.DataFrame:
    """:func:`billing_dates` of the dated rows :func:`_dated` gives."""
    dates, amounts, rows, keys = dated
    positive = amounts > 0
    if not positive.any():
        return pd.DataFrame(
            {"first_billed": pd.Series(dtype="datetime64[ns]"), "last_billed": pd.Series(dtype="datetime64[ns]")},
            index=pd.Index([], dtype=object, name="client_key"),
        )
    codes, days = rows[positive].astype(np.int64, copy=False), dates[positive]
    if len(keys) > max(_DENSE_CODES, 4 * len(codes)) or days.dtype.kind != "M":
        grouped = pd.Series(days).groupby(codes, sort=True)
        first_g, last_g = grouped.min(), grouped.max()
        present, first, last = first_g.index.to_numpy(dtype=np.int64), first_g.to_numpy(), last_g.to_numpy()
    else:  # per client code, in arrays as long as the keys (the dates as their integers)
        ticks = days.view(np.int64)
        low = np.full(len(keys), np.iinfo(np.int64).max, dtype=np.int64)
        high = np.full(len(keys), np.iinfo(np.int64).min, dtype=np.int64)
        np.minimum.at(low, codes, ticks)
        np.maximum.at(high, codes, ticks)
        present = np.flatnonzero(np.bincount(codes, minlength=len(keys)))
        first, last = low[present].view(days.dtype), high[present].view(days.dtype)
    index = pd.Index(keys[present], name="client_key")
    return pd.DataFrame({"first_billed": first, "last_billed": last}, index=index)


def monthly_from(
    ledger: pd.DataFrame, earlier: pd.DataFrame, client_of: Mapping[str, str], periods: Periods,
    *, codes: tuple[ClientCodes, ClientCodes] | None = None,
) -> MonthlyBilling:
    """:class:`MonthlyBilling` of the ledger's rows (window and earlier history).
    ``codes``: the ``earlier`` and ``ledger`` rows' :func:`client_codes` (None: computed here)."""
    dated = _dated(ledger, earlier, codes, client_of)  # the dated rows, picked out once for both
    return MonthlyBilling(periods=periods, table=_table_of(dated, periods), dates=_dates_of(dated))


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_key": pd.Series(dtype=object),
            "period": pd.Series(dtype=np.int64),
            "billing": pd.Series(dtype=np.int64),
        }
    )
