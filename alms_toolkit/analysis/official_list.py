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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ..date_text import day_text

if TYPE_CHECKING:
    from ..config import Branding
    from .monthly import MonthlyBilling

__all__ = ["OfficialList", "list_sellers", "list_flags", "prospects_already_clients", "FLAGS", "FLAG_COLUMNS",
           "ALREADY_CLIENT_COLUMNS"]

#: the flags every deliverable carries, in the order a seller acts on them
FLAGS = ("at risk", "growth potential", "lapsed")
#: the columns of :func:`list_flags` (``billing``: micros in the 12-month window; for a
#: lapsed client 0, its billing the year before is in ``detail``)
FLAG_COLUMNS = ("flag", "reason", "client", "seller", "billing", "detail", "client_key")


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
    #: every flagged client (:func:`list_flags`): KEY accounts at risk, SECONDARY accounts with
    #: growth potential, lapsed clients to win back; each with the seller who acts on it
    flags: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FLAG_COLUMNS)))
    #: False when the lapsed clients could not be looked for (no billing before the window):
    #: an empty ``lapsed`` then means "not known", never "none"
    lapsed_assessed: bool = True

    def flags_of(self, seller: str) -> pd.DataFrame:
        """The flags ``seller`` acts on (owner, or last seller of a lapsed client)."""
        return self.flags[self.flags["seller"] == seller]

    def prospects_of(self, seller: str, category: str) -> pd.DataFrame:
        """``seller``'s prospects of ``category`` (TARGET, EXTRA or LEAD), in the list's order
        (best fit first)."""
        if self.prospects is None or not len(self.prospects):
            return pd.DataFrame(columns=["seller", "prospect", "category"])
        p = self.prospects
        return p[(p["seller"] == seller) & (p["category"] == category)]

    def already_clients(self) -> pd.DataFrame:
        """The TARGETs and EXTRAs that are already spending clients
        (:func:`prospects_already_clients`)."""
        return prospects_already_clients(self.prospects, self.accounts)

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


def list_flags(at_risk: pd.DataFrame, growth: pd.DataFrame, lapsed: pd.DataFrame, currency: str = "$") -> pd.DataFrame:
    """Every flag, one row each (:data:`FLAG_COLUMNS`): KEY accounts at risk, then SECONDARY
    accounts with growth potential (each by 12-month billing, largest first), then lapsed
    clients (alphabetically), from the audit's insight tables."""
    from ..money import format_money

    parts = []
    for flag, frame in (("at risk", at_risk), ("growth potential", growth)):
        rows = frame.sort_values("billing", ascending=False, kind="stable")
        parts.append(pd.DataFrame({
            "flag": flag, "reason": rows["reason"].astype(str), "client": rows["client"].astype(str),
            "seller": rows["owner"].astype(str), "billing": rows["billing"].astype("int64"),
            "detail": rows["detail"].astype(str), "client_key": rows["client_key"].astype(str),
        }, columns=list(FLAG_COLUMNS)))
    rows = lapsed  # in the lapsed table's order (by name)
    parts.append(pd.DataFrame({
        "flag": "lapsed", "reason": "no billing in the last 12 months",
        "client": rows["client"].astype(str), "seller": rows["last_seller"].astype(str),
        "billing": pd.Series(0, index=rows.index, dtype="int64"),
        "detail": [f"Last billed on {day_text(d)} (seller: {s or 'none'}); {format_money(int(b), currency)} in "
                   "the 12 months before those."
                   for d, s, b in zip(rows["last_billed"], rows["last_seller"], rows["previous_billing"], strict=True)],
        "client_key": rows["client_key"].astype(str),
    }, columns=list(FLAG_COLUMNS)))
    return pd.concat(parts, ignore_index=True).astype({"billing": "int64"})


#: the columns of :func:`prospects_already_clients` (indexed like the prospects)
ALREADY_CLIENT_COLUMNS = ("client_key", "client", "tier", "owner", "billing")
_ALREADY = "already a client: "


def prospects_already_clients(prospects: pd.DataFrame | None, accounts: pd.DataFrame) -> pd.DataFrame:
    """The prospects the prospects check found to be spending clients already (their
    ``issues`` say ``already a client: <client> (...)``: a TARGET or EXTRA must be new
    business, so such a row is the client, never a target), with that client's
    ``client_key``, ``client``, ``tier``, ``owner`` and ``billing`` (micros); indexed like
    ``prospects``. The client is the account whose display name the issue names (the
    check's own match, which also knew the ledger's other spellings)."""
    columns = list(ALREADY_CLIENT_COLUMNS)
    if prospects is None or not len(prospects) or "issues" not in prospects.columns:
        return pd.DataFrame(columns=columns)
    issues = prospects["issues"].fillna("").astype(str)
    flagged = issues[issues.str.contains(_ALREADY, regex=False)]
    if not len(flagged):
        return pd.DataFrame(columns=columns)
    names = accounts["client"].astype(str) if len(accounts) else pd.Series(dtype=str)
    first = names[~names.duplicated(keep="first")]
    row_of = dict(zip(first.tolist(), first.index.tolist(), strict=True))  # each name's first account
    rows: dict[object, dict[str, object]] = {}
    for index, text in flagged.items():
        named = text.split(_ALREADY, 1)[1]
        # the longest account name the issue starts with, followed by " (" (a name may itself
        # hold " ("): looked up at each " (" of the text, the last first (not every account scanned)
        cuts = [i for i in range(len(named) - 1, -1, -1) if named.startswith(" (", i)]
        hit = next((row_of[named[:i]] for i in cuts if named[:i] in row_of), None)
        if hit is not None:
            rec = accounts.loc[hit]
            rows[index] = {"client_key": str(rec["client_key"]), "client": str(rec["client"]),
                           "tier": str(rec["tier"]), "owner": str(rec.get("owner", "") or ""),
                           "billing": int(rec["billing"])}
        else:  # the account list changed since the check (cannot happen within one audit)
            rows[index] = {"client_key": "", "client": named.split(" (", 1)[0], "tier": "", "owner": "",
                           "billing": 0}
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns).astype({"billing": "int64"})
