"""A seller's one-page focus sheet: what to act on first, from the official list.

:func:`seller_focus` (pure: the official list in, a frozen :class:`SellerFocus` out) picks,
for one seller, the largest KEY accounts to call first (at-risk ones marked), the KEY
accounts at risk, the SECONDARY accounts with growth potential, the best-fit targets and
extras (a prospect that is already a client is marked, never counted as new business), the
lapsed clients to win back (this seller was their last seller; by what they billed the year
before) and the seller's own concentration. Each block holds its top rows only and says how
many more there are and where the rest are listed, so the sheet stays one page; the
workbook's "Act first" sheet and the PDF's first page both print it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...cell_values import is_missing

if TYPE_CHECKING:
    from ...analysis.official_list import OfficialList

__all__ = ["FocusCell", "FocusBlock", "SellerFocus", "seller_focus", "TOP", "TOP_ACCOUNTS"]

#: rows per block of the focus sheet (the KEY accounts to call first get more)
TOP = 5
TOP_ACCOUNTS = 8
#: accounts counted in the concentration sentence ("your top 5 accounts are ...")
CONCENTRATION_TOP = 5

#: a flag's reason in a few words (the Flagged sheet and section give the figures)
_REASONS = {
    "falling": "falling",
    "no recent billing": "no recent billing",
    "seasonal": "seasonal",
    "new": "new account",
    "rising": "rising",
}


@dataclass(frozen=True)
class FocusCell:
    """One cell: ``kind`` says how to write it: ``text``, ``money`` (micros), ``share``
    (0-1), ``score`` (1-5), ``date``, ``int``, ``flag`` (a marker text, empty when none),
    ``issue`` (a warning text)."""

    kind: str
    value: Any


@dataclass(frozen=True)
class FocusBlock:
    """One block of the focus sheet: its rows (cells under ``headers``), how many rows
    are not shown (``more``) and where all of them are (``where``: a place in the seller's
    files; ``anchor``: the PDF section it names)."""

    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[FocusCell, ...], ...]
    total: int
    where: str
    anchor: str
    empty: str

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class SellerFocus:
    """What one seller acts on first (see the module docstring)."""

    seller: str
    n_key: int
    n_secondary: int
    billing_key: int
    billing_secondary: int
    #: share of the seller's billing in their ``top_n`` largest accounts (None: no billing)
    top_n: int
    top_share: float | None
    #: the seller's TARGETs and EXTRAs that are new business (not already clients)
    n_targets: int
    n_extras: int
    blocks: tuple[FocusBlock, ...]
    #: the accounts on the seller's list (a seller named only in the prospects file has none)
    n_accounts: int

    @property
    def billing(self) -> int:
        return self.billing_key + self.billing_secondary

    @property
    def key_share(self) -> float | None:
        """The KEY accounts' share of the seller's billing."""
        return self.billing_key / self.billing if self.billing > 0 else None

    @property
    def concentration(self) -> str:
        """``Your top 5 accounts are 62% of your billing.`` (plain words, one sentence)."""
        if not self.n_accounts:
            return "No account is on your list yet."
        if self.top_share is None:
            return "No billing on your list in the last 12 months."
        if self.top_n == 1 and self.n_accounts == 1:
            return "Your one account is all of your billing."
        if self.top_n >= self.n_accounts:
            return f"Your {self.n_accounts} accounts are all of your billing."
        return f"Your top {self.top_n} accounts are {self.top_share:.0%} of your billing."

    @property
    def top_label(self) -> str:
        """The concentration card's label: ``Your top 5``, or the whole list when it is as short."""
        if self.n_accounts and self.top_n >= self.n_accounts:
            return "Your account" if self.n_accounts == 1 else f"Your {self.n_accounts} accounts"
        return f"Your top {self.top_n:,}" if self.top_n else "Your top accounts"

    @property
    def lead(self) -> str:
        """The concentration and what to do first, as the pack's first page says it."""
        if not self.n_accounts:
            return (f"{self.concentration} Your prospects are below; the next pages hold your projection form.")
        return (f"{self.concentration} Call the accounts below first, the ones at risk before the others. The "
                "next pages hold your whole list, the figures behind each flag and your projection form.")

    def block(self, key: str) -> FocusBlock:
        return next(b for b in self.blocks if b.key == key)


def _money(value: Any) -> FocusCell:
    return FocusCell("money", None if is_missing(value) else int(value))


def _date(value: Any) -> FocusCell:
    if is_missing(value):
        return FocusCell("date", None)
    return FocusCell("date", pd.Timestamp(value).date())


def seller_focus(official: OfficialList, seller: str, *, top: int = TOP, top_accounts: int = TOP_ACCOUNTS) -> SellerFocus:
    """The focus sheet of ``seller`` (see the module docstring); nothing is modified."""
    mine = official.seller_accounts[official.seller_accounts["seller"] == seller]
    key = mine[mine["tier"] == "KEY"].sort_values("billing", ascending=False, kind="stable")
    sec = mine[mine["tier"] == "SECONDARY"]
    flags = official.flags_of(seller)
    at_risk = flags[flags["flag"] == "at risk"]
    growth = flags[flags["flag"] == "growth potential"]
    risky = dict(zip(at_risk["client_key"], at_risk["reason"], strict=True))
    last_billed: dict[str, dt.date] = {}
    dates = getattr(official.monthly, "dates", None)
    if dates is not None and len(dates) and "last_billed" in dates.columns:
        shown = set(at_risk["client_key"].head(top).astype(str))  # the dates the sheet prints, not every client's
        column = dates["last_billed"]
        column = column[column.index.astype(str).isin(shown)]
        last_billed = {str(k): v for k, v in column.items()}

    billing = [int(v) for v in mine["billing"]]
    total = sum(billing)
    n_top = min(CONCENTRATION_TOP, len(billing))
    top_share = sum(sorted(billing, reverse=True)[:n_top]) / total if total > 0 and n_top else None

    blocks = [
        FocusBlock(
            "call first", "Call first: your largest KEY accounts",
            ("Client", "12-month billing", "Share of your billing", "Rank", "Flag"),
            tuple(
                (FocusCell("text", str(r.client)), _money(r.billing), FocusCell("share", r.share_of_seller),
                 FocusCell("int", r.rank), FocusCell("flag", "at risk" if r.client_key in risky else ""))
                for r in key.head(top_accounts).itertuples(index=False)
            ),
            len(key), "more on your official list", "official",
            "No KEY account on your list.",
        ),
        FocusBlock(
            "at risk", "KEY accounts at risk",
            ("Client", "12-month billing", "Why", "Last billed"),
            tuple(
                (FocusCell("text", str(r.client)), _money(r.billing), FocusCell("text", _REASONS.get(r.reason, str(r.reason))),
                 _date(last_billed.get(str(r.client_key))))
                for r in at_risk.head(top).itertuples(index=False)
            ),
            len(at_risk), "more under Flagged accounts", "flagged",
            "None of your KEY accounts is at risk.",
        ),
        FocusBlock(
            "growth", "SECONDARY accounts with growth potential",
            ("Client", "12-month billing", "Why"),
            tuple(
                (FocusCell("text", str(r.client)), _money(r.billing), FocusCell("text", _REASONS.get(r.reason, str(r.reason))))
                for r in growth.head(top).itertuples(index=False)
            ),
            len(growth), "more under Flagged accounts", "flagged",
            "None of your SECONDARY accounts shows growth potential.",
        ),
        *_prospect_blocks(official, seller, top),
        _lapsed_block(official, seller, top),
    ]
    return SellerFocus(
        seller=seller, n_key=len(key), n_secondary=len(sec),
        billing_key=sum(int(v) for v in key["billing"]), billing_secondary=sum(int(v) for v in sec["billing"]),
        top_n=n_top, top_share=top_share,
        n_targets=_new_business(official, seller, "TARGET"), n_extras=_new_business(official, seller, "EXTRA"),
        blocks=tuple(blocks), n_accounts=len(mine),
    )


def _new_business(official: OfficialList, seller: str, category: str) -> int:
    """``seller``'s prospects of ``category`` that are not already clients (those are listed,
    marked, but are no new business)."""
    mine = official.prospects_of(seller, category)
    return int((~mine.index.isin(official.already_clients().index)).sum()) if len(mine) else 0


def _prospect_blocks(official: OfficialList, seller: str, top: int) -> list[FocusBlock]:
    clients = official.already_clients()
    blocks = []
    for category, title, where, anchor in (
        ("TARGET", "Targets: new business, best fit first", "more on your Targets list", "targets"),
        ("EXTRA", "Extras: targets in waiting, best fit first", "more on your Extras list", "extras"),
    ):
        mine = official.prospects_of(seller, category)
        rows = []
        for index, r in zip(mine.index[:top], mine.head(top).itertuples(index=False), strict=True):
            notes = getattr(r, "notes", None)
            if index in clients.index:  # the client it is, never new business
                c = clients.loc[index]
                whose = "your" if c["owner"] == seller else f"{c['owner']}'s"
                note = FocusCell("issue", f"already {whose} {c['tier']} client")
            else:
                note = FocusCell("text", "" if is_missing(notes) else str(notes))
            rows.append((FocusCell("text", str(r.prospect)), FocusCell("score", getattr(r, "fit_score", None)), note))
        empty = ("No targets chosen yet: pick 5 to 10 non-spending prospects with the three filters."
                 if category == "TARGET" else "No extras chosen yet.")
        blocks.append(FocusBlock(category.lower(), title, ("Prospect", "Fit score (1-5)", "Note"), tuple(rows),
                                 len(mine), where, anchor, empty))
    return blocks


def _lapsed_block(official: OfficialList, seller: str, top: int) -> FocusBlock:
    lapsed = official.lapsed
    if lapsed is None or not len(lapsed):
        mine = pd.DataFrame(columns=["client", "last_billed", "previous_billing"])
    else:
        mine = lapsed[lapsed["last_seller"] == seller].sort_values("previous_billing", ascending=False, kind="stable")
    return FocusBlock(
        "lapsed", "Lapsed clients to win back (you were their seller)",
        ("Client", "Billed the year before", "Last billed"),
        tuple((FocusCell("text", str(r.client)), _money(r.previous_billing), _date(r.last_billed))
              for r in mine.head(top).itertuples(index=False)),
        len(mine), "more under Flagged accounts", "flagged",
        "No lapsed client was yours." if official.lapsed_assessed else
        "Not assessed: the ledger does not show the billing of the 12 months before the window.",
    )
