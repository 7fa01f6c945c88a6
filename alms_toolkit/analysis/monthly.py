"""Billing per combined client per calendar month, window and earlier history together.

The baseline of revenue projection forms, seasonality and "falling billing" checks.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["monthly_billing", "client_keys"]

_COLUMNS = ["client_key", "month", "billing"]


def client_keys(raw_names: pd.Series, client_of: Mapping[str, str]) -> pd.Series:
    """Map raw client names to combined ``client_key`` values.

    A name the combination does not know (it should know every name it was given) keeps
    its raw spelling as its key, so no row is ever lost.
    """
    # map each distinct spelling once (ledgers repeat names): fast on millions of rows
    codes, uniques = pd.factorize(raw_names, use_na_sentinel=True)
    keys = np.array([str(client_of.get(u, u)) for u in uniques] + ["<NA>"], dtype=object)
    return pd.Series(keys[codes], index=raw_names.index, dtype=object)


def monthly_billing(
    ledger: pd.DataFrame, earlier: pd.DataFrame, client_of: Mapping[str, str]
) -> pd.DataFrame:
    """``client_key``, ``month`` (Timestamp, first of the month), ``billing`` (int64 micros).

    One row per client and calendar month with at least one ledger row (net billing,
    so a month can net to 0 or below), window and earlier rows summed together, sorted
    by client then month. Rows without a date (a totals ledger) have no month: the
    result is then empty.
    """
    parts = [f[["date", "client", "amount"]] for f in (earlier, ledger) if len(f)]
    if not parts:
        return _empty()
    rows = pd.concat(parts, ignore_index=True)
    rows = rows[rows["date"].notna()]
    if rows.empty:
        return _empty()
    frame = pd.DataFrame(
        {
            "client_key": client_keys(rows["client"], client_of).to_numpy(),
            "month": rows["date"].dt.to_period("M").dt.to_timestamp().to_numpy(),
            "billing": rows["amount"].to_numpy(dtype=np.int64),
        }
    )
    out = frame.groupby(["client_key", "month"], sort=True, as_index=False)["billing"].sum()
    out["billing"] = out["billing"].astype(np.int64)
    return out[_COLUMNS].reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_key": pd.Series(dtype=object),
            "month": pd.Series(dtype="datetime64[ns]"),
            "billing": pd.Series(dtype=np.int64),
        }
    )
