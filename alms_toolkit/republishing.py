"""Monthly republishing (ALMS step 11): the lists again, with the review's FROZEN cut-off.

Between two reviews the cut-off does not move, nor do the review's merges. ``alms
republish CLIENT_DIR --review reports/<slug>/<as_of>`` re-reads the latest billing (new
``as_of``: the argument, else the day after the ledger's last date) and:

* combines client spellings as the review did (:func:`kept_client_of`, rule below);
* tiers every client against the review's cut-off: KEY = 12-month billing >= cut-off,
  SECONDARY = the other spending clients (the cut-off is never recomputed);
* keeps each previously listed account with its owner on the review's accounts.csv, unless
  a decision in the decisions file names another owner; new clients get the audit's owner;
* lists the exceptions the sales manager acts on: clients that newly cross the cut-off
  (now KEY), KEY accounts fallen below it, new clients on no list, and targets that
  started spending (conversions).

The merges rule (the review's ``merge_log.csv`` against today's matching):

1. a spelling in the review's merge log belongs to the client it was combined into at the
   review (its ``client_key``), whatever the decisions file says today: a merge accepted in
   the workshop after the review, or one undone since, waits for the next review;
2. a spelling new since the review is matched as the audit matches it today (same client
   id or same canonical name merge automatically; a fuzzy candidate stays apart unless the
   decisions file accepts it or client.yml's ``matching.auto_accept`` takes it), then:
   a spelling whose canonical name is that of a reviewed spelling joins that client; else
   one matched today to reviewed spellings joins their client (the one most of them were
   combined into, then the first key alphabetically); else it is a new client, under the
   key today's matching gives it;
3. a review folder without a merge log (written before merge logs were kept): spellings
   are matched as today, and the result says so in its notes.

Here: the republished lists and their summary, without reading or writing anything;
:mod:`alms_toolkit.runs.republish_run` reads the files and writes
``<review>/republished/<as_of>/``: ``accounts.csv`` (+ Salesforce / HubSpot
presets), ``sellers/<seller>.xlsx``, ``exceptions.csv`` and ``republish.json``, built in a
hidden sibling folder and renamed into place (an existing folder needs ``force``:
:class:`RepublishExistsError`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import money
from .errors import ConfigError, OutputExistsError

if TYPE_CHECKING:
    from .analysis.combine import Combination
    from .analysis.compare import Comparison
    from .analysis.official_list import OfficialList
    from .engine import Audit
    from .io.ledger import LoadedLedger
    from .io.review import Review

__all__ = [
    "EXCEPTIONS",
    "EXCEPTION_COLUMNS",
    "RepublishedLists",
    "RepublishExistsError",
    "kept_client_of",
    "review_grouping",
    "republished_lists",
    "official_list",
    "republish_summary",
]

#: exception kind -> the heading a manager reads, in the order they are listed
EXCEPTIONS: dict[str, str] = {
    "now_key": "Now KEY: crossed the frozen cut-off",
    "fell_below": "KEY account fallen below the cut-off",
    "new_client": "New client, on no list yet",
    "conversion": "Prospect that started spending",
}
#: exceptions.csv columns
EXCEPTION_COLUMNS: tuple[str, ...] = (
    "exception", "client", "client_key", "owner", "tier_then", "tier_now",
    "billing_then", "billing_now", "detail",
)
_CLIENT_NOW = ("KEY", "SECONDARY")


class RepublishExistsError(OutputExistsError):
    """The lists were already republished for that date against that review."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.message = (
            f"{self.path} already exists: the lists were already republished for this date "
            "against this review. Use --force to replace them, or --as-of for another date."
        )
        self.args = (self.message,)


@dataclass(frozen=True)
class RepublishedLists:
    """The republished lists of one client (no file written).

    ``accounts``: the audit's accounts with ``tier`` against the frozen ``cutoff`` and
    ``owner`` / ``owner_source`` (``review`` for an owner kept from the review's list).
    ``exceptions``: ``kind`` (a key of :data:`EXCEPTIONS`), ``client``, ``client_key``,
    ``owner``, ``tier_then``, ``tier_now``, ``billing_then``, ``billing_now`` (micros),
    ``detail``. ``comparison``: the full :class:`~alms_toolkit.analysis.compare.Comparison`
    of the review's list with the republished one. ``notes``: what the consultant should
    know about how the lists were made (e.g. a review without a merge log).
    """

    #: the audit the lists come from (analysed with the review's grouping)
    audit: Audit
    as_of: dt.date
    review_as_of: dt.date
    cutoff: int
    accounts: pd.DataFrame
    sellers: pd.DataFrame
    seller_accounts: pd.DataFrame
    exceptions: pd.DataFrame
    comparison: Comparison
    notes: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        """How many exceptions of each kind (every kind, 0 included)."""
        found = self.exceptions["kind"].value_counts()
        return {kind: int(found.get(kind, 0)) for kind in EXCEPTIONS}


def _frozen_tiers(accounts: pd.DataFrame, cutoff: int) -> list[str]:
    billing = accounts["billing"].to_numpy(dtype=np.int64)
    return [
        "NON-SPENDING" if b <= 0 else ("KEY" if b >= cutoff else "SECONDARY") for b in billing.tolist()
    ]


def _detail(kind: str, row: Mapping[str, Any], cutoff: int, currency: str) -> str:
    now = money.format_money(int(row["billing_now"]), currency)
    then = money.format_money(int(row["billing_then"]), currency)
    cut = money.format_money(cutoff, currency)
    if kind == "now_key":
        was = "not on the list" if row["before"] == "NEW" else f"{row['before']} at the review"
        return f"12-month billing {now}, at or above the cut-off {cut}; {was}"
    if kind == "fell_below":
        if row["now"] == "LAPSED":
            return f"no billing left in the last 12 months (billed {then} at the review)"
        if row["now"] == "DORMANT":
            return f"no billing in the last 24 months or gone from the ledger (billed {then} at the review)"
        return f"12-month billing {now}, below the cut-off {cut} (billed {then} at the review)"
    if kind == "new_client":
        return f"12-month billing {now}: add it to {row['owner'] or 'a seller'}'s list"
    return f"{row['before']} at the review, now {row['now']} with 12-month billing {now}"


# ---------------------------------------------------------------------------- merges


def _most_common(keys: list[str]) -> str:
    counts = Counter(keys)
    return min(counts, key=lambda k: (-counts[k], k))


def kept_client_of(current: Mapping[str, str], reviewed: Mapping[str, str]) -> dict[str, str]:
    """Every raw spelling of ``current`` (today's matching: spelling -> client_key) -> the
    client it belongs to under the review's merges ``reviewed`` (the review's merge log:
    spelling -> client_key); see the module docstring for the rule. Pure."""
    from .analysis.names import canonical_name

    by_canon: dict[str, list[str]] = {}
    for raw, key in reviewed.items():
        by_canon.setdefault(canonical_name(str(raw)), []).append(str(key))
    canon_key = {c: _most_common(keys) for c, keys in by_canon.items()}
    groups: dict[str, list[str]] = {}
    for raw, key in current.items():
        groups.setdefault(str(key), []).append(raw)
    out: dict[str, str] = {}
    for key, members in groups.items():
        known = [str(reviewed[m]) for m in members if m in reviewed]
        if known:
            majority = _most_common(known)
            for m in members:
                out[m] = str(reviewed[m]) if m in reviewed else canon_key.get(
                    canonical_name(str(m)), majority)
            continue
        hits = [canon_key[c] for c in (canonical_name(str(m)) for m in members) if c in canon_key]
        target = _most_common(hits) if hits else key
        for m in members:
            out[m] = target
    return out


def _billing_by_name(frame: pd.DataFrame | None) -> dict[str, int]:
    if frame is None or frame.empty:
        return {}
    sums = frame.groupby(frame["client"].astype(str), sort=False)["amount"].sum()
    return {str(k): int(v) for k, v in sums.items()}


def review_grouping(loaded: LoadedLedger, fresh: Combination, review: Review) -> Combination:
    """The clients of ``loaded`` combined as ``review`` combined them (the rule in the module
    docstring): ``fresh`` (today's step 2) itself when the review has no merge log or the
    grouping is the same, else a combination regrouped by :func:`kept_client_of` (combine's
    rules otherwise: a client is named after its most billed spelling, listed when one of its
    spellings is in the window; the merge log keeps the review's reason). Pure."""
    from .analysis.combine import Combination, combination_tables
    from .engine import seen_rows

    if review.merge_log is None:
        return fresh
    client_of = kept_client_of(fresh.client_of, review.client_of())
    if client_of == dict(fresh.client_of):
        return fresh
    seen = seen_rows(loaded)
    window = _billing_by_name(seen)
    in_window = set(seen["client"].astype(str))
    earlier = _billing_by_name(loaded.earlier)
    log_now = fresh.merge_log
    reason_now = dict(zip(log_now["raw_name"], log_now["reason"], strict=True))
    reviewed = review.merge_log
    reason_then = dict(zip(reviewed["raw_name"], reviewed["reason"], strict=True))
    groups: dict[str, list[str]] = {}
    for raw, key in client_of.items():
        groups.setdefault(key, []).append(raw)
    log_rows, client_rows = [], []
    for key, members in groups.items():
        display = min(members, key=lambda n: (-window.get(n, 0), -earlier.get(n, 0), n))
        for raw in members:
            reason = reason_then.get(raw) or reason_now.get(raw) or "single"
            log_rows.append((raw, key, display, reason if len(members) > 1 else "single",
                             window.get(raw, 0)))
        if any(m in in_window for m in members):
            client_rows.append((key, display, sum(window.get(m, 0) for m in members), len(members)))
    clients, merge_log = combination_tables(client_rows, log_rows)
    return Combination(client_of=client_of, clients=clients, merge_log=merge_log, candidates=fresh.candidates)


def republished_lists(audit: Audit, review: Review) -> RepublishedLists:
    """The lists of ``audit`` republished against ``review``: ``audit`` is analysed with the
    review's grouping (:func:`review_grouping`); the lists take the review's frozen cut-off
    and owners, and name the exceptions. Pure: the inputs are not modified."""
    from .analysis.compare import compare_reviews
    from .analysis.sellers import build_seller_lists

    if review.cutoff is None:
        raise ConfigError(
            review.folder,
            "this review has no KEY cut-off (no client was spending then), so there is nothing "
            "to republish against: run a new audit instead",
        )
    cutoff = int(review.cutoff)
    accounts = audit.accounts.copy()
    accounts["tier"] = _frozen_tiers(accounts, cutoff)
    comparison = compare_reviews(
        review.accounts, accounts, audit.prospects, cutoff, cutoff,
        lapsed=audit.lapsed, client_of=audit.combination.client_of,
        as_of_then=review.as_of, as_of_now=audit.as_of,
    )
    moves = comparison.movements
    kept = moves[(moves["before"] != "NEW") & (moves["client_key"] != "") & (moves["owner_then"] != "")
                 & moves["now"].isin(["KEY", "SECONDARY", "LAPSED", "DORMANT"])]
    review_owner = dict(zip(kept["client_key"], kept["owner_then"], strict=True))
    owners, sources = [], []
    for key, owner, source in zip(accounts["client_key"], accounts["owner"], accounts["owner_source"],
                                  strict=True):
        if source != "decision" and key in review_owner:
            owners.append(review_owner[key])
            sources.append("review")
        else:
            owners.append(owner)
            sources.append(source)
    accounts["owner"] = owners
    accounts["owner_source"] = sources
    lists = build_seller_lists(accounts, audit.prospects, known_sellers=audit.sellers["seller"])

    owner_of = dict(zip(accounts["client_key"], accounts["owner"], strict=True))
    currency = audit.config.branding.currency
    rows: list[dict[str, Any]] = []
    for rec in moves.to_dict("records"):
        rec["owner"] = owner_of.get(rec["client_key"], rec["owner_now"] or rec["owner_then"])
        kinds = []
        if rec["now"] == "KEY" and rec["before"] != "KEY":
            kinds.append("now_key")
        if rec["before"] == "KEY" and rec["now"] != "KEY":
            kinds.append("fell_below")
        if rec["before"] == "NEW" and rec["now"] in _CLIENT_NOW:
            kinds.append("new_client")
        if rec["before"] in ("TARGET", "EXTRA", "LEAD") and rec["now"] in _CLIENT_NOW:
            kinds.append("conversion")
        for kind in kinds:
            rows.append({
                "kind": kind, "client": rec["name"], "client_key": rec["client_key"],
                "owner": rec["owner"], "tier_then": rec["before"], "tier_now": rec["now"],
                "billing_then": int(rec["billing_then"]), "billing_now": int(rec["billing_now"]),
                "detail": _detail(kind, rec, cutoff, currency),
            })
    columns = ["kind", "client", "client_key", "owner", "tier_then", "tier_now",
               "billing_then", "billing_now", "detail"]
    exceptions = pd.DataFrame(rows, columns=columns)
    order = {k: i for i, k in enumerate(EXCEPTIONS)}
    exceptions = exceptions.assign(_k=exceptions["kind"].map(order), _b=-exceptions["billing_now"].astype(np.int64))
    exceptions = exceptions.sort_values(["_k", "_b", "client"], kind="mergesort").drop(columns=["_k", "_b"])
    exceptions = exceptions.astype({"billing_then": np.int64, "billing_now": np.int64}).reset_index(drop=True)
    return RepublishedLists(
        audit=audit, as_of=audit.as_of, review_as_of=review.as_of, cutoff=cutoff, accounts=accounts,
        sellers=lists.sellers, seller_accounts=lists.seller_accounts, exceptions=exceptions,
        comparison=comparison, notes=tuple(review.notes),
    )


# ---------------------------------------------------------------------------- the list


def official_list(lists: RepublishedLists, review: Review) -> OfficialList:
    """The republished official list: the prospects, lapsed clients and monthly billing of
    the audit the lists come from, with the review's frozen cut-off, owners and next review
    date."""
    from .analysis.official_list import OfficialList, list_sellers

    audit = lists.audit

    return OfficialList(
        client=audit.config.client, as_of=lists.as_of,
        review_date=review.review_date or audit.review_date,  # the next review stays the one the review set
        cutoff=lists.cutoff, accounts=lists.accounts, seller_accounts=lists.seller_accounts,
        prospects=audit.prospects, lapsed=audit.lapsed, monthly=audit.monthly,
        sellers=list_sellers(lists.sellers["seller"], audit.prospects), branding=audit.config.branding,
    )


def republish_summary(lists: RepublishedLists, review: Review) -> dict[str, Any]:
    tiers = lists.accounts["tier"].value_counts()
    return {
        "client": lists.audit.config.client,
        "slug": lists.audit.config.slug,
        "review": str(review.folder),
        "review_as_of": review.as_of.isoformat(),
        "as_of": lists.as_of.isoformat(),
        "cutoff": money.to_str(lists.cutoff),
        "cutoff_source": "frozen at the review",
        "n_key": int(tiers.get("KEY", 0)),
        "n_secondary": int(tiers.get("SECONDARY", 0)),
        "revenue_total": money.to_str(money.total(
            lists.accounts.loc[lists.accounts["billing"] > 0, "billing"])),
        "exceptions": lists.counts(),
        "comparison": lists.comparison.to_dict(),
        "merges": "kept from the review" if review.merge_log is not None else "matched afresh",
        "notes": list(lists.notes),
    }


