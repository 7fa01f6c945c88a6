"""Each seller's official list (ALMS step 7) and the per-seller figures.

A seller's list holds the spending clients they own: KEY first, then SECONDARY, each by
billing descending (ties by rank), with the rank in the whole client base. The cut-off
is never recomputed per seller. Clients without an owner are listed under
``Unassigned``, so the lists always cover every spending client.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import money
from .owners import UNASSIGNED
from .tiers import KEY, SECONDARY

__all__ = ["SellerLists", "build_seller_lists"]

_SELLER_COLUMNS = [
    "seller", "n_key", "n_secondary", "billing_key", "billing_secondary", "billing",
    "secondary_share", "n_targets", "n_extras", "n_leads",
]
_ACCOUNT_COLUMNS = ["seller", "client_key", "client", "tier", "rank", "billing", "share_of_seller"]
_CATEGORY_COUNTS = {"TARGET": "n_targets", "EXTRA": "n_extras", "LEAD": "n_leads"}


@dataclass(frozen=True)
class SellerLists:
    """``sellers``: one row per seller (name order, ``Unassigned`` last): ``seller``,
    ``n_key``, ``n_secondary``, ``billing_key``, ``billing_secondary``, ``billing`` (micros),
    ``secondary_share`` (share of the seller's accounts that are SECONDARY, by count: the
    "secondary time drain"), ``n_targets``, ``n_extras``, ``n_leads``.
    ``seller_accounts``: ``seller``, ``client_key``, ``client``, ``tier``, ``rank``,
    ``billing``, ``share_of_seller``, by seller, KEY before SECONDARY, billing descending."""

    sellers: pd.DataFrame
    seller_accounts: pd.DataFrame


def _seller_order(name: str) -> tuple[bool, str]:
    return (name == UNASSIGNED, name)


def build_seller_lists(
    accounts: pd.DataFrame,
    prospects: pd.DataFrame | None = None,
    known_sellers: Iterable[str] = (),
) -> SellerLists:
    """Build the per-seller lists from ``accounts`` (``client_key``, ``client``, ``billing``,
    ``rank``, ``tier``, ``owner``), counting each seller's prospects by ``category``.

    ``known_sellers`` (e.g. every seller in the window's ledger) get a row even when they
    own nothing, so a seller left without accounts is visible.
    """
    spending = accounts[accounts["tier"].isin([KEY, SECONDARY])]
    lists = pd.DataFrame(
        {
            "seller": spending["owner"].astype(str).to_numpy(),
            "client_key": spending["client_key"].to_numpy(),
            "client": spending["client"].to_numpy(),
            "tier": spending["tier"].to_numpy(),
            "rank": pd.array(spending["rank"], dtype="Int64"),
            "billing": spending["billing"].to_numpy(dtype=np.int64),
        }
    )
    seller_total = lists.groupby("seller")["billing"].transform("sum") if len(lists) else lists["billing"]
    lists["share_of_seller"] = [
        money.ratio(b, t) for b, t in zip(lists["billing"].tolist(), seller_total.tolist(), strict=True)
    ]
    # each seller's place in the seller order (_seller_order), as an integer
    seller_names = lists["seller"].tolist()
    place = {name: n for n, name in enumerate(sorted(set(seller_names), key=_seller_order))}
    lists["_order"] = np.array([place[name] for name in seller_names], dtype=np.int64)
    lists["_tier"] = (lists["tier"] != KEY).astype(int)
    lists["_neg"] = -lists["billing"]
    lists = lists.sort_values(["_order", "_tier", "_neg", "rank"], kind="mergesort")
    seller_accounts = lists[_ACCOUNT_COLUMNS].reset_index(drop=True)

    names = set(seller_names) | {str(s) for s in known_sellers}
    counts: dict[str, dict[str, int]] = {}
    if prospects is not None and len(prospects):
        sel = prospects["seller"].astype("string").str.strip()
        cat = prospects["category"].astype("string").str.strip().str.upper()
        for seller, category in zip(sel, cat, strict=True):
            if pd.isna(seller) or seller == "" or category not in _CATEGORY_COUNTS:
                continue
            names.add(str(seller))
            row = counts.setdefault(str(seller), {})
            col = _CATEGORY_COUNTS[str(category)]
            row[col] = row.get(col, 0) + 1

    rows = []
    # the accounts' seller, tier and billing as arrays, each seller's rows picked by its code
    codes, uniques = pd.factorize(seller_accounts["seller"].astype(object), use_na_sentinel=False)
    code_of = {name: n for n, name in enumerate(np.asarray(uniques, dtype=object).tolist())}
    tiers = seller_accounts["tier"].to_numpy(dtype=object)
    is_key, is_sec = tiers == KEY, tiers == SECONDARY
    billing = seller_accounts["billing"].to_numpy(dtype=np.int64)
    for seller in sorted(names, key=_seller_order):
        mine = codes == code_of.get(seller, -1)
        n_key, n_sec = int((mine & is_key).sum()), int((mine & is_sec).sum())
        billing_key = money.total(pd.Series(billing[mine & is_key], dtype=np.int64))
        billing_sec = money.total(pd.Series(billing[mine & is_sec], dtype=np.int64))
        c = counts.get(seller, {})
        rows.append(
            {
                "seller": seller,
                "n_key": n_key,
                "n_secondary": n_sec,
                "billing_key": billing_key,
                "billing_secondary": billing_sec,
                "billing": billing_key + billing_sec,
                "secondary_share": money.ratio(n_sec, n_key + n_sec),
                "n_targets": c.get("n_targets", 0),
                "n_extras": c.get("n_extras", 0),
                "n_leads": c.get("n_leads", 0),
            }
        )
    sellers = pd.DataFrame(rows, columns=_SELLER_COLUMNS).astype(
        {
            "seller": object, "n_key": np.int64, "n_secondary": np.int64,
            "billing_key": np.int64, "billing_secondary": np.int64, "billing": np.int64,
            "secondary_share": float, "n_targets": np.int64, "n_extras": np.int64,
            "n_leads": np.int64,
        }
    )
    return SellerLists(sellers=sellers, seller_accounts=seller_accounts)
