"""Monthly republishing (ALMS step 11): the lists again, with the review's FROZEN cut-off.

Between two reviews the cut-off does not move, nor do the review's merges. ``alms
republish CLIENT_DIR --review reports/<slug>/<as_of>`` re-reads the latest billing (new
``as_of``: the argument, else the day after the ledger's last date) and:

* combines client spellings as the review did (:func:`kept_client_of`, rule below);
* tiers every client against the review's cut-off: KEY = 12-month billing >= cut-off,
  SECONDARY = the other spending clients (the cut-off is never recomputed);
* keeps each previously listed account with its owner on the review's accounts.csv, unless
  a decision in the decisions file names another owner; new clients get the audit's owner;
* lists the exceptions the sales manager acts on, ONE per client (the first that applies,
  in this order): a target that started spending (conversion), a new client on no list, a
  client of the review's list that billed nothing in the last 12 months (went quiet), a
  client that now bills at or above the review's KEY line (now KEY), a KEY account that fell
  below it, an account whose seller changed (a decision);
* flags the accounts against the frozen tiers (KEY at risk, SECONDARY with growth
  potential, lapsed), as an audit does, so the seller files' "Act first" lists hold them.

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
2b. a new client that the matcher proposes as a duplicate of a reviewed client (a *pending*
   fuzzy candidate: nobody decided it) is NOT joined to it, as in an audit: a guess that can
   be wrong never moves money between clients. It is listed as a possible misspelling of that
   client (exception ``possible_spelling``, :func:`spelling_proposals`), not as a new client,
   for the consultant to decide in the workshop or decisions.yml; once accepted, rule 2 joins
   it. :attr:`RepublishedLists.spellings` lists every spelling new since the review billed
   under a reviewed client (joined by rule 2), for the manager to see;
3. a review folder without a merge log (written before merge logs were kept): spellings
   are matched as today, and the result says so in its notes.

Here: the republished lists and their summary, without reading or writing anything;
:mod:`alms_toolkit.runs.republish_run` reads the files and writes
``<review>/republished/<as_of>/`` (see its README.txt): for people, the manager's pack
(``manager/manager_pack.pdf``), the master list (``manager/master_list.xlsx``),
``exceptions.csv`` and ``sellers/<seller>.xlsx``; for the next run and the CRM,
``accounts.csv`` (+ Salesforce / HubSpot presets) and ``republish.json``; built in a hidden
sibling folder and renamed into place (an existing folder needs ``force``:
:class:`RepublishExistsError`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import money
from .analysis.official_list import FLAG_COLUMNS, FLAGS
from .cell_values import records
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
    "PRIORITY",
    "SPELLING_COLUMNS",
    "SPELLING_MATCH",
    "RepublishExistsError",
    "category_words",
    "exception_kind",
    "kept_client_of",
    "review_categories",
    "review_grouping",
    "republished_lists",
    "official_list",
    "republish_summary",
    "spelling_proposals",
]

#: exception kind -> the heading a manager reads, in the order they are listed
EXCEPTIONS: dict[str, str] = {
    "now_key": "Now KEY: bills above the KEY line set at the review",
    "fell_below": "KEY account now below the KEY line",
    "went_quiet": "Went quiet: no billing in the last 12 months",
    "new_client": "New client, on no list yet",
    "possible_spelling": "Possibly a misspelling of a listed client: to decide",
    "conversion": "Prospect that started spending",
    "owner_change": "Moved to another seller",
}
#: which exception a client gets when several apply: the first of these (one per client)
PRIORITY: tuple[str, ...] = ("conversion", "possible_spelling", "new_client", "went_quiet", "now_key",
                             "fell_below", "owner_change")
#: exceptions.csv columns: the file is for people (plain headers, no keys)
EXCEPTION_COLUMNS: tuple[str, ...] = (
    "What changed", "Client", "Seller", "Seller at the review", "Category at the review",
    "Category now", "12-month billing at the review", "12-month billing now", "Detail",
)
#: the merge log's reason for a spelling that joined a client by rule 2b (no longer made: a
#: pending match is a proposal; kept so a merge log written before reads as it was)
SPELLING_MATCH = "spelling matched since the review"
#: a comparison category as a person reads it (the others read as they are)
CATEGORY_WORDS: dict[str, str] = {"NEW": "not listed", "DORMANT": "NON-SPENDING", "DROPPED": "dropped"}
#: the columns of :attr:`RepublishedLists.exceptions`
_EXCEPTION_FRAME = ("kind", "client", "client_key", "owner", "owner_then", "tier_then", "tier_now",
                    "billing_then", "billing_now", "detail")
#: the columns of :attr:`RepublishedLists.spellings`
SPELLING_COLUMNS: tuple[str, ...] = ("client_key", "client", "owner", "spelling", "billing", "matched_by")
_CLIENT_NOW = ("KEY", "SECONDARY")
_QUIET = ("LAPSED", "DORMANT")


def category_words(category: str) -> str:
    """A comparison category (``NEW``, ``DORMANT``, ``KEY``...) as a person reads it."""
    return CATEGORY_WORDS.get(str(category), str(category))


class RepublishExistsError(OutputExistsError):
    """The lists were already republished for that date against that review."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.message = (
            f"{self.path} already exists: the lists were already republished for this date "
            "against this review. Use --force to replace them, or --as-of for another date."
        )
        self.args = (self.message,)


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


@dataclass(frozen=True)
class RepublishedLists:
    """The republished lists of one client (no file written).

    ``accounts``: the audit's accounts with ``tier`` against the frozen ``cutoff`` and
    ``owner`` / ``owner_source`` (``review`` for an owner kept from the review's list).
    ``exceptions``: one row per client at most: ``kind`` (a key of :data:`EXCEPTIONS`, the
    first of :data:`PRIORITY` that applies), ``client``, ``client_key``, ``owner`` (now),
    ``owner_then`` (at the review), ``tier_then``, ``tier_now`` (comparison categories),
    ``billing_then``, ``billing_now`` (micros), ``detail`` (a plain sentence).
    ``comparison``: the full :class:`~alms_toolkit.analysis.compare.Comparison` of the
    review's list with the republished one. ``flags``: the flags against the frozen tiers
    (:func:`~alms_toolkit.analysis.official_list.list_flags`). ``spellings``: every name of
    the ledger new since the review that is billed under a client (:data:`SPELLING_COLUMNS`;
    ``matched_by`` ``spelling`` for rule 2b's match, ``name`` for the same canonical name, id
    or an accepted match). ``notes``: what the consultant should know about how the lists
    were made (e.g. a review without a merge log).
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
    flags: pd.DataFrame = field(default_factory=lambda: _empty(FLAG_COLUMNS))
    spellings: pd.DataFrame = field(default_factory=lambda: _empty(SPELLING_COLUMNS))

    def counts(self) -> dict[str, int]:
        """How many exceptions of each kind (every kind, 0 included)."""
        found = self.exceptions["kind"].value_counts()
        return {kind: int(found.get(kind, 0)) for kind in EXCEPTIONS}


def _frozen_tiers(accounts: pd.DataFrame, cutoff: int) -> list[str]:
    billing = accounts["billing"].to_numpy(dtype=np.int64)
    return [
        "NON-SPENDING" if b <= 0 else ("KEY" if b >= cutoff else "SECONDARY") for b in billing.tolist()
    ]


def exception_kind(before: str, now: str, owner_then: str, owner_now: str) -> str | None:
    """The one exception of a client that was ``before`` at the review and is ``now`` today
    (comparison categories), or None: the first of :data:`PRIORITY` that applies."""
    applies = {
        "conversion": before in ("TARGET", "EXTRA", "LEAD") and now in _CLIENT_NOW,
        "new_client": before == "NEW" and now in _CLIENT_NOW,
        "went_quiet": before in _CLIENT_NOW and now in _QUIET,
        "now_key": now == "KEY" and before != "KEY",
        "fell_below": before == "KEY" and now != "KEY",
        "owner_change": bool(owner_then) and bool(owner_now) and owner_then != owner_now
                        and before in _CLIENT_NOW + _QUIET and now in _CLIENT_NOW,
    }
    # possible_spelling is a new client the matcher pairs with a reviewed one: the caller knows
    return next((kind for kind in PRIORITY if applies.get(kind)), None)


def _detail(kind: str, row: Mapping[str, Any], cutoff: int, currency: str) -> str:
    """The exception in plain words (the KEY line is the review's cut-off)."""
    now = money.format_money(int(row["billing_now"]), currency)
    then = money.format_money(int(row["billing_then"]), currency)
    line = f"the KEY line of {money.format_money(cutoff, currency)} set at the review"
    before, tier_now = str(row["before"]), str(row["now"])
    if kind == "now_key":
        text = f"Now bills {now} over 12 months, above {line}; {category_words(before)} at the review"
        text += f" ({then})." if before not in ("NEW", "TARGET", "EXTRA", "LEAD") else "."
    elif kind == "fell_below":
        if tier_now in _QUIET:
            text = f"Billed nothing in the last 12 months; KEY at the review ({then})."
        else:
            text = f"Now bills {now} over 12 months, below {line} (it billed {then} then)."
    elif kind == "went_quiet":
        text = f"Billed nothing in the last 12 months; {before} at the review ({then})."
    elif kind == "new_client":
        text = f"New client: {now} over 12 months, on no list at the review."
        if tier_now == "KEY":
            text += f" Already above {line}: a KEY account."
        text += f" Add it to {row['owner'] or 'a seller'}'s list."
    elif kind == "conversion":
        text = f"{before} at the review, now a {tier_now} client billing {now} over 12 months"
        text += f", above {line}." if tier_now == "KEY" else "."
    else:
        text = f"Now with {row['owner']}; {row['owner_then']}'s account at the review."
    if kind != "owner_change" and row["owner_then"] and row["owner"] and row["owner_then"] != row["owner"]:
        text += f" Now with {row['owner']} ({row['owner_then']}'s at the review)."
    return text


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


def spelling_proposals(client_of: Mapping[str, str], candidates: pd.DataFrame,
                       reviewed: set[str]) -> dict[str, tuple[str, float]]:
    """Rule 2b of the module docstring: each client new since the review (its key not in
    ``reviewed``) that a *pending* fuzzy candidate pairs with a reviewed client, mapped to
    (that reviewed client's key, the similarity score), best score first. Nothing is joined:
    the consultant decides. Pure."""
    out: dict[str, tuple[str, float]] = {}
    if candidates is None or candidates.empty:
        return out
    ordered = candidates.sort_values(["score", "name_a", "name_b"], ascending=[False, True, True], kind="stable")
    for a, b, score, status in zip(ordered["name_a"], ordered["name_b"], ordered["score"], ordered["status"],
                                   strict=True):
        if status != "pending":
            continue
        ka, kb = client_of.get(str(a)), client_of.get(str(b))
        if ka is None or kb is None or ka == kb or (ka in reviewed) == (kb in reviewed):
            continue
        new, old = (kb, ka) if ka in reviewed else (ka, kb)
        out.setdefault(str(new), (str(old), float(score)))
    return out


def review_grouping(loaded: LoadedLedger, fresh: Combination, review: Review) -> Combination:
    """The clients of ``loaded`` combined as ``review`` combined them (the rules in the module
    docstring): ``fresh`` (today's step 2) itself when the review has no merge log or the
    grouping is the same, else a combination regrouped by :func:`kept_client_of` and
    :func:`spelling_proposals` (combine's rules otherwise: a client is named after its most
    billed spelling, a spelling matched by rule 2b only when it has no other, listed when one
    of its spellings is in the window; the merge log keeps the review's reason). Pure."""
    from .analysis.combine import Combination, combination_tables
    from .engine import seen_rows

    if review.merge_log is None:
        return fresh
    reviewed_of = review.client_of()
    client_of, matched = kept_client_of(fresh.client_of, reviewed_of), set[str]()
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
        display = min(members, key=lambda n: (n in matched, -window.get(n, 0), -earlier.get(n, 0), n))
        for raw in members:
            reason = SPELLING_MATCH if raw in matched else (reason_then.get(raw) or reason_now.get(raw) or "single")
            log_rows.append((raw, key, display, reason if len(members) > 1 else "single",
                             window.get(raw, 0)))
        if any(m in in_window for m in members):
            client_rows.append((key, display, sum(window.get(m, 0) for m in members), len(members)))
    clients, merge_log = combination_tables(client_rows, log_rows)
    return Combination(client_of=client_of, clients=clients, merge_log=merge_log, candidates=fresh.candidates)


def _spellings(merge_log: pd.DataFrame, review: Review, owner_of: Mapping[str, str]) -> pd.DataFrame:
    """Every name billed in the window, new since the review (not in its merge log), that is
    billed under a reviewed client or was matched by spelling (rule 2b); by client, then
    billing. A name that differs from the client's only in case or spaces is left out."""
    if review.merge_log is None or merge_log.empty:
        return _empty(SPELLING_COLUMNS)
    reviewed = review.client_of()
    keys = set(reviewed.values())
    rows = []
    for rec in merge_log.itertuples(index=False):
        raw, key, client = str(rec.raw_name), str(rec.client_key), str(rec.client)
        by_spelling = rec.reason == SPELLING_MATCH
        if raw in reviewed or int(rec.billing) == 0 or not (key in keys or by_spelling):
            continue
        if " ".join(raw.split()).casefold() == " ".join(client.split()).casefold():
            continue
        rows.append((key, client, owner_of.get(key, ""), raw, int(rec.billing),
                     "spelling" if by_spelling else "name"))
    out = pd.DataFrame(rows, columns=list(SPELLING_COLUMNS))
    out = out.astype({"billing": np.int64})
    return out.sort_values(["client", "billing", "spelling"], ascending=[True, False, True],
                           kind="stable", ignore_index=True)


def _frozen_flags(audit: Audit, accounts: pd.DataFrame, cutoff: int) -> pd.DataFrame:
    """The audit's flags against the frozen tiers and the kept owners: KEY accounts at risk,
    SECONDARY accounts with growth potential (measured against the frozen cut-off), lapsed
    clients (the audit's lapsed page)."""
    from .analysis.insights import find_at_risk, find_growth
    from .analysis.official_list import list_flags

    currency = audit.config.branding.currency
    monthly = audit.monthly if audit.loaded.window is not None else None
    growth = find_growth(monthly, accounts, cutoff, currency=currency).table
    at_risk = find_at_risk(monthly, accounts, currency=currency).table
    return list_flags(at_risk, growth, audit.lapsed, currency)


def republished_lists(audit: Audit, review: Review) -> RepublishedLists:
    """The lists of ``audit`` republished against ``review``: ``audit`` is analysed with the
    review's grouping (:func:`review_grouping`); the lists take the review's frozen cut-off
    and owners, and name the exceptions (one per client). Pure: the inputs are not modified."""
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
    spellings = _spellings(audit.combination.merge_log, review, owner_of)
    also_billed: dict[str, list[str]] = {}
    for key, raw in zip(spellings["client_key"], spellings["spelling"], strict=True):
        also_billed.setdefault(str(key), []).append(str(raw))
    currency = audit.config.branding.currency
    proposals = spelling_proposals(audit.combination.client_of, audit.combination.candidates,
                                   set(review.client_of().values()) if review.merge_log is not None
                                   else {str(k) for k in review.accounts["client_key"]})
    reviewed_name = {str(k): str(n) for k, n in zip(review.accounts["client_key"], review.accounts["name"],
                                                      strict=True)}
    rows: list[dict[str, Any]] = []
    for rec in records(moves):
        key = str(rec["client_key"])
        rec["owner"] = owner_of.get(key) if key in owner_of else (rec["owner_then"] or rec["owner_now"])
        rec["owner_then"] = str(rec["owner_then"] or "")
        kind = exception_kind(str(rec["before"]), str(rec["now"]), rec["owner_then"], str(rec["owner"] or ""))
        if kind is None:
            continue
        detail = _detail(kind, rec, cutoff, currency)
        if kind == "new_client" and key in proposals:
            other, score = proposals[key]
            kind = "possible_spelling"
            detail = (f"Billed as '{rec['name']}' ({money.format_money(int(rec['billing_now']), currency)} over 12 "
                      f"months): possibly a misspelling of {reviewed_name.get(other, other)} (similarity "
                      f"{score:.0f} of 100). Decide in the workshop or decisions.yml; until then it is counted "
                      "apart, not as a new client.")
        if key and also_billed.get(key):
            named = ", ".join(f"'{s}'" for s in also_billed[key])
            detail += f" Also billed as {named}: matched to {rec['name']}."
        rows.append({
            "kind": kind, "client": rec["name"], "client_key": key, "owner": rec["owner"] or "",
            "owner_then": rec["owner_then"], "tier_then": rec["before"], "tier_now": rec["now"],
            "billing_then": int(rec["billing_then"]), "billing_now": int(rec["billing_now"]), "detail": detail,
        })
    exceptions = pd.DataFrame(rows, columns=list(_EXCEPTION_FRAME))
    order = {k: i for i, k in enumerate(EXCEPTIONS)}
    exceptions = exceptions.assign(_k=exceptions["kind"].map(order), _b=-exceptions["billing_now"].astype(np.int64),
                                   _t=-exceptions["billing_then"].astype(np.int64))
    exceptions = exceptions.sort_values(["_k", "_b", "_t", "client"], kind="mergesort").drop(columns=["_k", "_b", "_t"])
    exceptions = exceptions.astype({"billing_then": np.int64, "billing_now": np.int64}).reset_index(drop=True)
    return RepublishedLists(
        audit=audit, as_of=audit.as_of, review_as_of=review.as_of, cutoff=cutoff, accounts=accounts,
        sellers=lists.sellers, seller_accounts=lists.seller_accounts, exceptions=exceptions,
        comparison=comparison, notes=tuple(review.notes), flags=_frozen_flags(audit, accounts, cutoff),
        spellings=spellings,
    )


# ---------------------------------------------------------------------------- the list


def official_list(lists: RepublishedLists, review: Review) -> OfficialList:
    """The republished official list: the prospects, lapsed clients and monthly billing of
    the audit the lists come from, with the review's frozen cut-off, owners, next review date
    and the flags against the frozen tiers; every account carries its category at the review
    (:func:`review_categories`)."""
    from .analysis.official_list import OfficialList, list_sellers

    audit = lists.audit
    official = OfficialList(
        client=audit.config.client, as_of=lists.as_of,
        review_date=review.review_date or audit.review_date,  # the next review stays the one the review set
        cutoff=lists.cutoff, accounts=lists.accounts, seller_accounts=lists.seller_accounts,
        prospects=audit.prospects, lapsed=audit.lapsed, monthly=audit.monthly,
        sellers=list_sellers(lists.sellers["seller"], audit.prospects), branding=audit.config.branding,
        flags=lists.flags,
    )
    return review_categories(official, lists.comparison.movements)


def review_categories(official: OfficialList, movements: pd.DataFrame) -> OfficialList:
    """``official`` with a ``category_then`` column on its accounts, prospects and lapsed
    clients: each one's category at the review (a comparison's ``movements``: ``KEY``,
    ``SECONDARY``, ``TARGET``, ``EXTRA``, ``LEAD``, ``LAPSED``, ``DORMANT`` or ``NEW``, on no
    list then). Clients are found by key, prospects by canonical name. Pure: new frames."""
    from .analysis.names import canonical_name

    by_key: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for key, name, before in zip(movements["client_key"], movements["name"], movements["before"], strict=True):
        if key:
            by_key.setdefault(str(key), str(before))
        by_name.setdefault(canonical_name(str(name)), str(before))

    def keyed(frame: pd.DataFrame | None) -> pd.DataFrame | None:
        if frame is None:
            return None
        keys = frame["client_key"] if "client_key" in frame.columns else pd.Series("", index=frame.index)
        names = frame["client"].astype(str)
        return frame.assign(category_then=[
            by_key.get(str(k)) or by_name.get(canonical_name(n), "NEW") for k, n in zip(keys, names, strict=True)])

    prospects = official.prospects
    if prospects is not None:
        prospects = prospects.assign(category_then=[
            by_name.get(canonical_name(str(p)), "NEW") for p in prospects["prospect"]])
    return dataclasses.replace(official, accounts=keyed(official.accounts), prospects=prospects,
                               lapsed=keyed(official.lapsed))


def republish_summary(lists: RepublishedLists, review: Review) -> dict[str, Any]:
    """republish.json: the headline figures of the republished lists (machine-readable)."""
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
        "n_spellings_matched": int((lists.spellings["matched_by"] == "spelling").sum()),
        "n_flags": {flag: int((lists.flags["flag"] == flag).sum()) for flag in FLAGS},
        "notes": list(lists.notes),
    }


