"""Who owns each client (ALMS step 7).

Precedence: the consultant's decision (decisions file), then the owner on the client's
current account list, then the ledger: the only seller who billed the client in the
window, or, when several did, the one with the largest net billing (ties: seller name
ascending, Python ``str`` order). A client no seller billed in the window is
``Unassigned``; so is every client of a ledger without a seller column.

Clients billed by more than one seller are listed in ``split_clients`` (who billed what)
for the consultant to confirm; ``confirmed`` is true where a decision or the account
list already names the owner.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import money
from .monthly import ClientCodes, client_codes, sums_by_code

__all__ = [
    "Owners",
    "assign_owners",
    "seller_billing",
    "UNASSIGNED",
    "OWNER_SOURCES",
]

UNASSIGNED = "Unassigned"
#: every value of ``owner_source``, strongest first
OWNER_SOURCES = ("decision", "account list", "only seller", "largest billing", "no seller")


@dataclass(frozen=True)
class Owners:
    """``owners``: ``client_key``, ``owner``, ``owner_source`` (one row per client, in the
    order of the ``clients`` given). ``split_clients``: ``client_key``, ``client``,
    ``seller``, ``billing``, ``share``, ``owner``, ``confirmed``. ``sellers``: every seller
    named in the window's ledger rows, sorted."""

    owners: pd.DataFrame
    split_clients: pd.DataFrame
    sellers: tuple[str, ...]


def seller_billing(
    ledger: pd.DataFrame, client_of: Mapping[str, str], *, codes: ClientCodes | None = None
) -> pd.DataFrame:
    """Net billing per (``client_key``, ``seller``) over the ledger rows that name a seller:
    ``client_key``, ``seller``, ``billing`` (int64 micros), sorted by client, then billing
    descending, then seller name ascending (so the first row of a client is its largest seller).
    ``codes``: the ledger rows' :func:`~.monthly.client_codes` (None: computed here).
    """
    if "seller" not in ledger.columns or ledger.empty or ledger["seller"].isna().all():
        return pd.DataFrame(
            {"client_key": pd.Series(dtype=object), "seller": pd.Series(dtype=object),
             "billing": pd.Series(dtype=np.int64)}
        )
    # work on the distinct seller spellings: blank or whitespace-only is no seller
    s_codes, s_uniques = pd.factorize(ledger["seller"], use_na_sentinel=True)
    named = np.array([isinstance(u, str) and u.strip() != "" for u in s_uniques] + [False])
    has = named[s_codes]
    if not has.any():
        return seller_billing(ledger.iloc[0:0], client_of)
    s_codes = s_codes[has]
    if codes is None:
        (codes,) = client_codes([ledger], client_of)
    k_codes, k_uniques = codes.codes[has], codes.keys
    # one integer per (client, seller); client codes follow the keys' str order
    width = len(s_uniques)
    pair, billing = sums_by_code(k_codes.astype(np.int64) * width + s_codes, ledger["amount"].to_numpy(dtype=np.int64)[has],
                                  len(k_uniques) * width)
    kc, sc = pair // width, pair % width
    # each seller's place in name order (Python str order), then client, billing down, seller name
    seller_names = np.asarray(s_uniques, dtype=object)
    place = np.zeros(width, dtype=np.int64)
    named_codes = np.flatnonzero(named[:-1])
    place[sorted(named_codes.tolist(), key=seller_names.__getitem__)] = np.arange(len(named_codes))
    order = np.lexsort((place[sc], -billing, kc))
    return pd.DataFrame(
        {
            "client_key": np.asarray(k_uniques, dtype=object)[kc[order]],
            "seller": seller_names[sc[order]],
            "billing": billing[order],
        }
    )


def assign_owners(
    ledger: pd.DataFrame,
    clients: pd.DataFrame,
    client_of: Mapping[str, str],
    *,
    listed: Mapping[str, str] | None = None,
    decided: Mapping[str, str] | None = None,
    codes: ClientCodes | None = None,
) -> Owners:
    """Give every combined client (``clients``: ``client_key``, ``client``, ``billing``) an owner.

    ``ledger`` is the window's rows (``client``, ``seller``, ``amount``); ``client_of`` maps
    raw names to client keys; ``listed`` and ``decided`` map client keys to the owner named
    on the account list and in the decisions file; ``codes``: the ledger rows'
    :func:`~.monthly.client_codes` (None: computed here). Inputs are not changed.
    """
    listed = {k: str(v) for k, v in (listed or {}).items() if v is not None and str(v).strip()}
    decided = {k: str(v) for k, v in (decided or {}).items() if v is not None and str(v).strip()}
    by_seller = seller_billing(ledger, client_of, codes=codes)
    n_sellers = by_seller.groupby("client_key", sort=False)["seller"].size()
    first = by_seller.drop_duplicates("client_key", keep="first")
    n_of = n_sellers.to_numpy()
    seller_keys = n_sellers.index.tolist()  # the keys of ``first``, in the same order

    # the owner and its source per key, the strongest source last (a later dict wins)
    owner_of = {**dict(zip(first["client_key"].tolist(), [str(s) for s in first["seller"].tolist()], strict=True)),
                **listed, **decided}
    source_of = {**dict(zip(seller_keys, np.where(n_of == 1, "only seller", "largest billing").tolist(), strict=True)),
                 **dict.fromkeys(listed, "account list"), **dict.fromkeys(decided, "decision")}
    keys = clients["client_key"].astype(str).tolist()
    owners = [owner_of.get(key, UNASSIGNED) for key in keys]
    sources = [source_of.get(key, "no seller") for key in keys]
    owner_table = pd.DataFrame(  # object columns even when empty (an empty window)
        {"client_key": keys, "owner": owners, "owner_source": sources}, dtype=object
    )

    split_keys = {k for k, n in zip(seller_keys, n_of.tolist(), strict=True) if n > 1}
    split = by_seller[by_seller["client_key"].isin(split_keys)].astype({"client_key": object})
    # the clients' own figures, for the split clients only (all of them when there are none)
    picked = [i for i, key in enumerate(keys) if key in split_keys] if split_keys else []
    rows = np.asarray(picked, dtype=np.int64) if picked else np.arange(len(keys))
    info = pd.DataFrame(
        {  # object dtype even when empty: an empty window must not make merge refuse the keys
            "client_key": pd.Series([keys[i] for i in rows.tolist()], dtype=object),
            "client": clients["client"].astype(str).to_numpy()[rows],
            "_client_billing": clients["billing"].to_numpy(dtype=np.int64)[rows],
            "owner": [owners[i] for i in rows.tolist()],
            "confirmed": [sources[i] in ("decision", "account list") for i in rows.tolist()],
        }
    )
    split = split.merge(info, on="client_key", how="left")
    sellers_total = split.groupby("client_key")["billing"].transform("sum")
    split = split.assign(
        share=[money.ratio(int(b), int(t)) for b, t in zip(split["billing"], sellers_total, strict=True)],
        confirmed=split["confirmed"].fillna(False).astype(bool),
        client=split["client"].fillna(split["client_key"]),
        owner=split["owner"].fillna(UNASSIGNED),
        _neg_client=-split["_client_billing"].fillna(0).astype(np.int64),
        _neg=-split["billing"],
    )
    split = split.sort_values(["_neg_client", "client", "client_key", "_neg", "seller"], kind="mergesort")
    split = split[["client_key", "client", "seller", "billing", "share", "owner", "confirmed"]]

    return Owners(
        owners=owner_table,
        split_clients=split.reset_index(drop=True),
        sellers=tuple(sorted(by_seller["seller"].unique().tolist())),
    )


@dataclass(frozen=True)
class OwnerCounts:
    """How the owners of clients billed by several sellers were settled, counted the same
    way in the report and in the workshop: confirmed by the consultant (``decision``), taken
    from today's account list, or suggested (the seller who billed most), still to confirm."""

    confirmed: int = 0
    from_list: int = 0
    suggested: int = 0

    @property
    def total(self) -> int:
        return self.confirmed + self.from_list + self.suggested


def owner_counts(sources: Iterable[str]) -> OwnerCounts:
    """:class:`OwnerCounts` of one ``owner_source`` per split client."""
    seen = list(sources)
    return OwnerCounts(confirmed=sum(s == "decision" for s in seen), from_list=sum(s == "account list" for s in seen),
                       suggested=sum(s not in ("decision", "account list") for s in seen))
