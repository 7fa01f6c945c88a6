"""Key cut-off and tiers (ALMS steps 3-6), computed once over the whole client base.

* spending clients: net 12-month billing > 0 (exact micros, so a client netting to
  exactly 0 is not spending);
* ``n_key_nominal = ceil(n * key_share)``, computed exactly from the decimal value of
  ``key_share`` (``ceil(500 * 0.25) == 125``, ``ceil(100 * 0.07) == 7``);
* ranking: billing descending, ties by client name ascending (Python ``str`` order);
* cut-off: the billing of the ``n_key_nominal``-th client of the ranking;
* KEY: billing >= cut-off, so clients tied with the cut-off widen the KEY group
  (``n_ties_at_cutoff`` says by how many); SECONDARY: the other spending clients;
* clients at or below 0 are kept, as NON-SPENDING, without a rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
import pandas as pd

from .. import money
from ..errors import ConfigError
from .ordering import ASCENDING, DESCENDING, stable_order

__all__ = [
    "Tiers",
    "assign_tiers",
    "n_key_for",
    "KEY",
    "SECONDARY",
    "NON_SPENDING",
    "CONCENTRATION_TOPS",
]

KEY = "KEY"
SECONDARY = "SECONDARY"
NON_SPENDING = "NON-SPENDING"
#: the top shares of spending clients reported in ``Tiers.concentration``
CONCENTRATION_TOPS = (Fraction(1, 10), Fraction(1, 5), Fraction(1, 4))

_TABLE_COLUMNS = ["client_key", "client", "billing", "rank", "tier", "share", "cum_share"]


@dataclass(frozen=True)
class Tiers:
    """The cut-off and every client's tier.

    ``table``: every client, ranked ones first: ``client_key``, ``client``, ``billing``
    (micros), ``rank`` (Int64 1..n, NA when not spending), ``tier``, ``share`` and
    ``cum_share`` (of spending-client revenue; NaN when not spending).
    ``cutoff`` is ``None`` when no client is spending.
    ``pareto``: ``rank``, ``client_share``, ``revenue_share`` (cumulative, from (0, 0)).
    ``concentration``: ``top`` (share of clients), ``n_clients``, ``revenue``, ``revenue_share``.
    """

    table: pd.DataFrame
    key_share: Fraction
    n_clients: int
    n_key: int
    n_key_nominal: int
    n_secondary: int
    n_nonpositive: int
    cutoff: int | None
    n_at_cutoff: int
    n_ties_at_cutoff: int
    key_revenue: int
    revenue_total: int
    key_revenue_share: float
    pareto: pd.DataFrame
    concentration: pd.DataFrame


def _exact_share(key_share: float | Decimal | Fraction | str) -> Fraction:
    """The share as an exact fraction of its decimal writing (0.07 -> 7/100, not the float)."""
    if isinstance(key_share, Fraction):
        share = key_share
    else:
        try:
            share = Fraction(Decimal(str(key_share)))
        except (InvalidOperation, ValueError) as exc:
            raise ConfigError(None, f"key_share must be a number, not {key_share!r}") from exc
    if not 0 < share <= 1:
        raise ConfigError(None, f"key_share must be above 0 and at most 1, not {key_share}")
    return share


def n_key_for(n: int, key_share: float | Decimal | Fraction | str) -> int:
    """``ceil(n * key_share)`` in exact arithmetic (500, 0.25 -> 125; 100, 0.07 -> 7)."""
    share = _exact_share(key_share)
    return -(-n * share.numerator // share.denominator)


def assign_tiers(clients: pd.DataFrame, key_share: float | Decimal | Fraction | str = 0.25) -> Tiers:
    """Rank the combined clients, compute the key cut-off and give each client its tier.

    ``clients`` needs ``client_key``, ``client`` and ``billing`` (int64 micros); it is not
    changed. Raises :class:`ConfigError` for a key share outside (0, 1].
    """
    missing = [c for c in ("client_key", "client", "billing") if c not in clients.columns]
    if missing:
        raise ValueError(f"assign_tiers needs the columns {missing}")
    share = _exact_share(key_share)
    base = pd.DataFrame(
        {
            "client_key": clients["client_key"].astype(str).to_numpy(),
            "client": clients["client"].astype(str).to_numpy(),
            "billing": clients["billing"].to_numpy(dtype=np.int64),
        }
    )
    spending_mask = base["billing"].to_numpy() > 0
    # ranking: billing descending, then client name ascending (Python str order), then key
    bills = base["billing"].to_numpy()
    order = stable_order([(bills <= 0, ASCENDING), (bills, DESCENDING),
                          (base["client"].to_numpy(), ASCENDING), (base["client_key"].to_numpy(), ASCENDING)])
    table = base.iloc[order].reset_index(drop=True)
    billing = table["billing"].to_numpy(dtype=np.int64)
    n = int(spending_mask.sum())
    n_nonpositive = len(table) - n

    n_key_nominal = n_key_for(n, share) if n else 0
    if n:
        cutoff: int | None = int(billing[n_key_nominal - 1])
        spend = billing[:n]
        n_key = int((spend >= cutoff).sum())
        n_at_cutoff = int((spend == cutoff).sum())
    else:
        cutoff, n_key, n_at_cutoff = None, 0, 0

    revenue_total = money.total(pd.Series(billing[:n], dtype=np.int64))
    key_revenue = money.total(pd.Series(billing[:n_key], dtype=np.int64))

    rank = pd.array([*range(1, n + 1)] + [pd.NA] * n_nonpositive, dtype="Int64")
    tier = np.array([KEY] * n_key + [SECONDARY] * (n - n_key) + [NON_SPENDING] * n_nonpositive, dtype=object)
    # cumulative sums as exact Python ints before converting to shares
    cum = np.cumsum(np.array([int(v) for v in billing[:n]], dtype=object)) if n else np.array([], dtype=object)
    share_col = np.full(len(table), np.nan)
    cum_col = np.full(len(table), np.nan)
    if n and revenue_total:
        share_col[:n] = [int(v) / revenue_total for v in billing[:n]]
        cum_col[:n] = [int(v) / revenue_total for v in cum]
    table = table.assign(rank=rank, tier=tier, share=share_col, cum_share=cum_col)[_TABLE_COLUMNS]

    pareto = pd.DataFrame(
        {
            "rank": np.arange(0, n + 1, dtype=np.int64),
            "client_share": (np.arange(0, n + 1) / n) if n else np.array([0.0]),
            "revenue_share": np.concatenate([[0.0], cum_col[:n]]) if n else np.array([0.0]),
        }
    )
    conc_rows = []
    for top in CONCENTRATION_TOPS:
        k = n_key_for(n, top) if n else 0
        rev = int(cum[k - 1]) if k else 0
        conc_rows.append(
            {"top": float(top), "n_clients": k, "revenue": rev, "revenue_share": money.ratio(rev, revenue_total)}
        )
    concentration = pd.DataFrame(conc_rows).astype(
        {"top": float, "n_clients": np.int64, "revenue": np.int64, "revenue_share": float}
    )

    return Tiers(
        table=table,
        key_share=share,
        n_clients=n,
        n_key=n_key,
        n_key_nominal=n_key_nominal,
        n_secondary=n - n_key,
        n_nonpositive=n_nonpositive,
        cutoff=cutoff,
        n_at_cutoff=n_at_cutoff,
        n_ties_at_cutoff=n_key - n_key_nominal,
        key_revenue=key_revenue,
        revenue_total=revenue_total,
        key_revenue_share=money.ratio(key_revenue, revenue_total),
        pareto=pareto,
        concentration=concentration,
    )
