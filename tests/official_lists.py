"""An :class:`~alms_toolkit.analysis.official_list.OfficialList` from hand-made frames, for
the writers' tests (the list every writer takes)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pandas as pd

from alms_toolkit.analysis.official_list import OfficialList, list_sellers
from alms_toolkit.engine import add_months

_SELLER_ACCOUNTS = ["seller", "client_key", "client", "tier", "rank", "billing", "share_of_seller"]


def official_list(
    *,
    cutoff: int,
    as_of: dt.date,
    accounts: pd.DataFrame | None = None,
    seller_accounts: pd.DataFrame | None = None,
    prospects: pd.DataFrame | None = None,
    lapsed: pd.DataFrame | None = None,
    monthly: Any = None,
    review_months: int = 12,
    client_name: str = "Northwind",
    currency: str = "$",
    accent_color: str = "#1f4e79",
    page_size: str = "A4",
) -> OfficialList:
    """The list with these frames; the branding is taken as given (a test may hand it a
    value client.yml's checks would refuse, to show the writer's own guard)."""
    seller_accounts = seller_accounts if seller_accounts is not None else pd.DataFrame(columns=_SELLER_ACCOUNTS)
    return OfficialList(
        client=client_name, as_of=as_of, review_date=add_months(as_of, review_months), cutoff=cutoff,
        accounts=accounts if accounts is not None else pd.DataFrame(),
        seller_accounts=seller_accounts, prospects=prospects, lapsed=lapsed, monthly=monthly,
        sellers=list_sellers(pd.unique(seller_accounts["seller"]), prospects),
        branding=SimpleNamespace(currency=currency, accent_color=accent_color, page_size=page_size),  # type: ignore[arg-type]
    )
