"""The official list: the one value every list writer takes (accounts.csv and the CRM files,
the seller workbooks and printable PDFs).

An audit gives it (:attr:`alms_toolkit.engine.Audit.official_list`); a monthly republish gives
the same kind of value with the review's frozen cut-off, owners and review date. The writers
take this and the seller (or the folder), nothing else, so an audit's files and a republish's
are written by the same code from the same fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from ..config import Branding
    from .monthly import MonthlyBilling

__all__ = ["OfficialList", "list_sellers"]


@dataclass(frozen=True)
class OfficialList:
    """One client's official list as of ``as_of`` (frames as in docs/ARCHITECTURE.md, "The
    audit"; shared, never modified).

    ``accounts``: every combined client (``client_key``, ``client``, ``billing``, ``rank``,
    ``tier``, ``owner``); ``seller_accounts``: the KEY and SECONDARY lists per seller
    (``seller``, ``client_key``, ``client``, ``tier``, ``rank``, ``billing``,
    ``share_of_seller``); ``prospects``: TARGETs, EXTRAs and LEADs (``seller``, ``prospect``,
    ``category``, scores, ``notes``, ``issues``) or None; ``lapsed``: clients kept with their
    last seller (``client``, ``last_seller``, ``last_billed``) or None; ``monthly``: billing per
    period (the projection forms' baselines); ``cutoff``: the KEY cut-off (micros);
    ``review_date``: when the list is next reviewed; ``sellers``: every seller with accounts
    or prospects, in the list's order (one file each); ``branding``: currency, accent colour
    and page size of the files.
    """

    client: str
    as_of: dt.date
    review_date: dt.date
    cutoff: int
    accounts: pd.DataFrame
    seller_accounts: pd.DataFrame
    prospects: pd.DataFrame | None
    lapsed: pd.DataFrame | None
    monthly: MonthlyBilling
    sellers: tuple[str, ...]
    branding: Branding

    @property
    def currency(self) -> str:
        """The currency sign money is written with."""
        return self.branding.currency


def list_sellers(sellers: Iterable[object], prospects: pd.DataFrame | None) -> tuple[str, ...]:
    """Every seller with accounts (``sellers``, in that order) or prospects, each once."""
    names = [str(s) for s in sellers]
    if prospects is not None and len(prospects):
        names += [str(s) for s in prospects["seller"].dropna()]
    return tuple(dict.fromkeys(names))
