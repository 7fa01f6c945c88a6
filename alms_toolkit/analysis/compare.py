"""Re-review comparison (ALMS step 13): what moved between an earlier review and this one.

Inputs are the earlier review's official list (``accounts.csv`` as read by
:func:`alms_toolkit.io.review.read_review`) and this review's tables. Every account of
either list gets a category *before* and *now*:

* before: ``KEY``, ``SECONDARY``, ``TARGET``, ``EXTRA``, ``LEAD``, ``LAPSED`` (on the
  earlier review's lapsed page: its accounts.csv lists the client as LAPSED), ``DORMANT``
  (NON-SPENDING at the earlier review and not on its lapsed page) or ``NEW`` (on no list
  of the earlier review);
* now: ``KEY``, ``SECONDARY``, ``TARGET``, ``EXTRA``, ``LEAD``, ``LAPSED`` (exactly the
  clients of this review's lapsed page, ``lapsed``: net billing > 0 in the 12 months before
  the window, none in it), ``DORMANT`` (a client that does not spend now and is not on the
  lapsed page: no net billing in the window nor in the 12 months before it, or gone from
  the ledger) or ``DROPPED`` (a prospect of the earlier list that is on no list any more).

So the LAPSED column of the matrix totals the lapsed page's count, each of its clients
counted once (matched to the earlier list, or NEW -> LAPSED); :meth:`Comparison.definitions`
words LAPSED, DORMANT, NEW and DROPPED for the report, with the dates they cover.

A client is matched between the reviews by ``client_key``, else by its canonical name
(any spelling of the ledger, through ``client_of``); a prospect by its canonical name, so a
TARGET that became a client is matched to the client. Matching is one to one. LEAD and
DROPPED appear in the matrix only when some account is in them.

The four aims of a working ALMS, per seller (the owner at the earlier review, who was
accountable for the account) and overall:

1. billing growth of continuing KEY accounts (KEY then and now): billing now vs then;
2. KEY attrition: KEY then, now SECONDARY, LAPSED or DORMANT: count and the billing they
   had then;
3. TARGET -> KEY conversions; 4. SECONDARY -> KEY conversions (count and billing now).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import money
from ..cell_values import is_missing
from ..date_text import day_text
from ..io.window import months_before
from .names import canonical_name

if TYPE_CHECKING:
    from ..engine import Audit
    from ..io.review import Review

__all__ = [
    "BEFORE",
    "NOW",
    "LOST",
    "Aims",
    "Comparison",
    "compare_reviews",
    "compare_with_review",
]

#: matrix rows (category at the earlier review), in order
BEFORE: tuple[str, ...] = ("KEY", "SECONDARY", "TARGET", "EXTRA", "LEAD", "LAPSED", "DORMANT", "NEW")
#: matrix columns (category now), in order
NOW: tuple[str, ...] = ("KEY", "SECONDARY", "TARGET", "EXTRA", "LEAD", "LAPSED", "DORMANT", "DROPPED")
#: what a KEY account of the earlier review is "lost" to (KEY attrition)
LOST: tuple[str, ...] = ("SECONDARY", "LAPSED", "DORMANT")
#: categories shown only when some account is in them (rows / columns)
_OPTIONAL_BEFORE = frozenset({"LEAD", "DORMANT"})
_OPTIONAL_NOW = frozenset({"LEAD", "DROPPED"})
#: the earlier list's client tiers -> category then (NON-SPENDING: DORMANT unless also LAPSED)
_CLIENT = {"KEY": "KEY", "SECONDARY": "SECONDARY", "NON-SPENDING": "DORMANT", "LAPSED": "LAPSED"}
_PROSPECT = ("TARGET", "EXTRA", "LEAD")
_MOVEMENT_COLUMNS = [
    "client_key", "name", "owner_then", "owner_now", "before", "now",
    "billing_then", "billing_now", "matched_by",
]


@dataclass(frozen=True)
class Aims:
    """The four aims' figures for one seller (or everyone); money in micros.

    ``key_growth`` and ``key_attrition`` are shares (0.12 = 12%), ``None`` when there was
    nothing to measure (no continuing KEY billing then / no KEY account then).
    """

    seller: str
    n_key_then: int
    n_key_continuing: int
    key_billing_then: int
    key_billing_now: int
    key_growth: float | None
    n_key_lost: int
    key_lost_billing_then: int
    key_attrition: float | None
    n_targets_then: int
    n_target_to_key: int
    target_to_key_billing: int
    n_secondary_then: int
    n_secondary_to_key: int
    secondary_to_key_billing: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: money as exact decimal strings."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if "billing" in f.name:
                out[f.name] = money.to_str(value)
            else:
                out[f.name] = value
        return out


@dataclass(frozen=True)
class Comparison:
    """What moved between two reviews (see the module docstring).

    ``matrix``: int64 counts, index ``before`` (:data:`BEFORE`), columns ``now``
    (:data:`NOW`), LEAD/DROPPED only when non-empty. ``movements``: one row per account
    of either list (:data:`_MOVEMENT_COLUMNS`). ``by_seller``: the :class:`Aims` fields,
    one row per seller of the earlier list. ``overall``: the aims for everyone.
    """

    as_of_then: dt.date | None
    as_of_now: dt.date | None
    cutoff_then: int | None
    cutoff_now: int | None
    matrix: pd.DataFrame
    movements: pd.DataFrame
    by_seller: pd.DataFrame
    overall: Aims
    #: the first date of the ledger's history (None: not known, taken as complete)
    history_start: dt.date | None = None

    @property
    def cutoff_change(self) -> float | None:
        """Relative change of the cut-off (0.1 = up 10%), ``None`` when either is missing or 0."""
        if not self.cutoff_then or self.cutoff_now is None:
            return None
        return (int(self.cutoff_now) - int(self.cutoff_then)) / int(self.cutoff_then)

    def by_cutoff(self) -> pd.Series:
        """Per movement: True when the move into or out of KEY is the cut-off's doing, not the
        account's billing: KEY now (from SECONDARY, TARGET or EXTRA) while billing less than
        the cut-off then, or SECONDARY now (from KEY) while billing at least the cut-off then.
        All False when the cut-off then is not known."""
        m = self.movements
        if self.cutoff_then is None:
            return pd.Series(False, index=m.index)
        grown = m["before"].isin(["SECONDARY", "TARGET", "EXTRA"]) & (m["now"] == "KEY")
        fallen = (m["before"] == "KEY") & (m["now"] == "SECONDARY")
        below = m["billing_now"] < int(self.cutoff_then)
        return (grown & below) | (fallen & ~below)

    def moved(self, before: str, now: str) -> pd.DataFrame:
        """The movements from ``before`` to ``now``, largest billing (now, then then) first."""
        rows = self.movements[(self.movements["before"] == before) & (self.movements["now"] == now)]
        return rows.sort_values(["billing_now", "billing_then", "name"],
                                ascending=[False, False, True], kind="mergesort")

    def aims_table(self) -> pd.DataFrame:
        """:attr:`by_seller` followed by the overall row (seller ``All sellers``)."""
        overall = pd.DataFrame([asdict(self.overall)], columns=list(self.by_seller.columns))
        frames = [f for f in (self.by_seller, overall) if len(f)]
        out = pd.concat(frames, ignore_index=True)
        return out.astype(self.by_seller.dtypes.to_dict())

    def n_new_clients(self) -> int:
        """Clients spending now that were on no list at the earlier review."""
        m = self.movements
        return int(((m["before"] == "NEW") & m["now"].isin(["KEY", "SECONDARY"])).sum())

    def n_now(self, category: str) -> int:
        """Accounts in ``category`` now (a matrix column's total; 0 when not shown).
        ``n_now("LAPSED")`` is the number of clients on the lapsed page."""
        return int((self.movements["now"] == category).sum())

    def n_then(self, category: str) -> int:
        """Accounts in ``category`` at the earlier review (a matrix row's total)."""
        return int((self.movements["before"] == category).sum())

    def n_moved(self, before: str, now: str) -> int:
        """Accounts in ``before`` then and ``now`` now (one matrix cell)."""
        m = self.movements
        return int(((m["before"] == before) & (m["now"] == now)).sum())

    def periods(self) -> dict[str, dt.date] | None:
        """The dates LAPSED and DORMANT refer to (None without ``as_of_now``):
        ``lapsed_start`` .. ``lapsed_end`` the 12 months before this review's window (last
        day included), ``window_start`` .. ``window_end`` the window (last day included)."""
        if self.as_of_now is None:
            return None
        window_start = months_before(self.as_of_now, 12)
        lapsed_start = months_before(window_start, 12)
        return {
            "lapsed_start": lapsed_start,
            "lapsed_end": window_start - dt.timedelta(days=1),
            "window_start": window_start,
            "window_end": self.as_of_now - dt.timedelta(days=1),
        }

    def definitions(self) -> dict[str, str]:
        """What LAPSED, DORMANT, NEW and DROPPED mean in this comparison, in a sales
        manager's words with the dates they cover (DROPPED only when the matrix shows it)."""
        p = self.periods()
        if p is None:
            lapsed = ("LAPSED: billed in the 12 months before this review's 12 months but not in "
                      "them: exactly the clients of the lapsed page.")
            dormant = ("DORMANT: billed nothing (net) in this review's 12 months nor in the 12 "
                       "before, or no longer in the ledger; not on the lapsed page.")
        else:
            lapsed = (
                f"LAPSED: billed in the 12 months from {_day(p['lapsed_start'])} to "
                f"{_day(p['lapsed_end'])} but nothing (net) since: exactly the clients of the "
                "lapsed page."
            )
            dormant = (
                f"DORMANT: billed nothing (net) in the 24 months from {_day(p['lapsed_start'])} to "
                f"{_day(p['window_end'])}, or no longer in the ledger, so not on the lapsed page."
            )
            if self.history_start is not None and self.history_start >= p["window_start"]:
                dormant += (
                    f" This ledger shows no billing before {_day(p['window_start'])}, so no client "
                    "can be found LAPSED: every client that does not spend now counts as DORMANT."
                )
            elif self.history_start is not None and self.history_start > p["lapsed_start"]:
                dormant += (
                    f" The ledger starts on {_day(self.history_start)}: a client that billed only "
                    "before then counts as DORMANT, not LAPSED."
                )
        dormant += " A KEY account that became DORMANT counts as lost (KEY attrition)."
        then = f"the review of {_day(self.as_of_then)}" if self.as_of_then else "the earlier review"
        out = {"LAPSED": lapsed, "DORMANT": dormant,
               "NEW": f"NEW: on no list (client or prospect) at {then}."}
        if "DROPPED" in self.matrix.columns:
            out["DROPPED"] = f"DROPPED: a prospect of {then} that is on no list now."
        return out

    def to_dict(self) -> dict[str, Any]:
        """The ``comparison`` block of summary.json (money as exact decimal strings)."""
        return {
            "as_of_then": self.as_of_then.isoformat() if self.as_of_then else None,
            "as_of_now": self.as_of_now.isoformat() if self.as_of_now else None,
            "cutoff_then": None if self.cutoff_then is None else money.to_str(self.cutoff_then),
            "cutoff_now": None if self.cutoff_now is None else money.to_str(self.cutoff_now),
            "cutoff_change": self.cutoff_change,
            "matrix": {
                str(before): {str(now): int(v) for now, v in row.items()}
                for before, row in self.matrix.iterrows()
            },
            "now_totals": {str(now): int(v) for now, v in self.matrix.sum(axis=0).items()},
            "n_lapsed": self.n_now("LAPSED"),
            "n_lapsed_new": self.n_moved("NEW", "LAPSED"),
            "n_dormant": self.n_now("DORMANT"),
            "n_new": self.n_then("NEW"),
            "n_new_clients": self.n_new_clients(),
            "definitions": self.definitions(),
            "overall": self.overall.to_dict(),
            "sellers": [_aims_row(r).to_dict() for r in self.by_seller.to_dict("records")],
        }


def _day(day: dt.date) -> str:
    """A day in the one date style (``1 July 2025``)."""
    return day_text(day)


def _aims_row(record: Mapping[str, Any]) -> Aims:
    def share(v: Any) -> float | None:  # a record's cell: None, NaN or a number
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else float(v)

    counts = {f.name: int(record[f.name]) for f in fields(Aims)
              if f.name not in ("seller", "key_growth", "key_attrition")}
    return Aims(seller=str(record["seller"]), key_growth=share(record["key_growth"]),
                key_attrition=share(record["key_attrition"]), **counts)


# ---------------------------------------------------------------------------- inputs



def _text(value: Any) -> str:
    return "" if is_missing(value) else str(value).strip()


def _previous_billing(previous: pd.DataFrame) -> list[int]:
    if "billing" in previous.columns:
        return [0 if is_missing(v) else int(v) for v in previous["billing"]]
    return [money.from_decimal(Decimal(_text(v))) if _text(v) else 0 for v in previous["billing_12m"]]


@dataclass
class _Entity:
    key: str
    name: str
    category: str
    owner: str
    billing: int


def _current_entities(
    accounts: pd.DataFrame, prospects: pd.DataFrame | None, lapsed: pd.DataFrame | None,
    client_of: Mapping[str, str] | None,
) -> tuple[list[_Entity], dict[str, int], dict[str, int]]:
    """This review's accounts, and lookups client_key -> entity, canonical name -> entity.

    A spending client is KEY or SECONDARY; a client of the lapsed page is LAPSED (also when
    it is listed NON-SPENDING); any other client is DORMANT."""
    entities: list[_Entity] = []
    by_key: dict[str, int] = {}
    by_canon: dict[str, int] = {}
    # the lapsed page, one entity per row: a client listed NON-SPENDING (same client_key;
    # by name only for a row without one) is that entity, any other row is one more client
    lapsed_rows = [] if lapsed is None else list(lapsed.itertuples(index=False))
    non_spending = {str(rec.client_key): canonical_name(_text(rec.client))
                    for rec in accounts.itertuples(index=False)
                    if str(rec.tier) not in ("KEY", "SECONDARY")}
    by_name: dict[str, str] = {}
    for key, canon in non_spending.items():
        by_name.setdefault(canon, key)
    on_page: set[str] = set()
    extra: list[tuple[str, str, str]] = []  # key, name, last seller
    for rec in lapsed_rows:
        own_key = _text(getattr(rec, "client_key", None))
        canon = canonical_name(_text(rec.client))
        found = own_key if own_key in non_spending else (None if own_key else by_name.get(canon))
        if found is not None and found not in on_page:
            on_page.add(found)
        else:
            extra.append((own_key or canon, _text(rec.client), _text(rec.last_seller)))
    for rec in accounts.itertuples(index=False):
        key = str(rec.client_key)
        if key in by_key:
            continue
        tier = str(rec.tier)
        if tier not in ("KEY", "SECONDARY"):
            tier = "LAPSED" if key in on_page else "DORMANT"
        by_key[key] = len(entities)
        entities.append(_Entity(key, _text(rec.client), tier, _text(rec.owner), int(rec.billing)))
    for key, name, seller in extra:
        by_key.setdefault(key, len(entities))
        entities.append(_Entity(key, name, "LAPSED", seller, 0))
    for i, e in enumerate(entities):
        by_canon.setdefault(canonical_name(e.name), i)
        by_canon.setdefault(e.key, i)
    for raw, key in (client_of or {}).items():
        if str(key) in by_key:
            by_canon.setdefault(canonical_name(str(raw)), by_key[str(key)])
    if prospects is not None and len(prospects):
        order = {c: n for n, c in enumerate(_PROSPECT)}
        rows = sorted(
            (r for r in prospects.itertuples(index=False) if _text(r.category).upper() in order),
            key=lambda r: order[_text(r.category).upper()],
        )
        for rec in rows:
            name = _text(rec.prospect)
            canon = canonical_name(name)
            if not name or canon in by_canon:
                continue  # already a client (or listed once already)
            by_canon[canon] = len(entities)
            entities.append(_Entity("", name, _text(rec.category).upper(), _text(rec.seller), 0))
    return entities, by_key, by_canon


# ---------------------------------------------------------------------------- comparison


def compare_reviews(
    previous: pd.DataFrame,
    accounts: pd.DataFrame,
    prospects: pd.DataFrame | None,
    cutoff_then: int | None,
    cutoff_now: int | None,
    *,
    lapsed: pd.DataFrame | None = None,
    client_of: Mapping[str, str] | None = None,
    as_of_then: dt.date | None = None,
    as_of_now: dt.date | None = None,
    history_start: dt.date | None = None,
) -> Comparison:
    """Compare the earlier review's list with this review's (see the module docstring).

    ``previous``: accounts.csv rows (``client_key``, ``name``, ``tier``, ``owner`` and
    ``billing`` micros or ``billing_12m`` decimal text). ``accounts``: this review's
    clients (``client_key``, ``client``, ``billing`` micros, ``tier``, ``owner``);
    ``prospects``: ``seller``, ``prospect``, ``category``; ``lapsed``: ``client``,
    ``last_seller`` (``client_key`` when known): this review's lapsed page, the clients
    counted LAPSED now; ``client_of``: every raw spelling -> ``client_key``;
    ``history_start``: the ledger's first date (for the definitions). Cut-offs in micros.
    Inputs are not modified.
    """
    entities, by_key, by_canon = _current_entities(accounts, prospects, lapsed, client_of)
    billing_then = _previous_billing(previous)
    # previous rows, clients before prospects, best prospect category first, one per identity
    prospect_rank = {c: n for n, c in enumerate(_PROSPECT)}
    seen: set[str] = set()
    rows: list[tuple[str, str, str, str, int]] = []  # key, name, before, owner, billing
    lapsed_then = {
        _text(rec.client_key) or canonical_name(_text(rec.name))
        for rec in previous.itertuples(index=False) if _text(rec.tier).upper() == "LAPSED"
    }
    for i, rec in enumerate(previous.itertuples(index=False)):
        tier = _text(rec.tier).upper()
        if tier in _CLIENT:
            key = _text(rec.client_key) or canonical_name(_text(rec.name))
            before = "LAPSED" if key in lapsed_then else _CLIENT[tier]
        elif tier in prospect_rank:
            key = ""
            before = tier
        else:
            raise ValueError(f"unknown tier {rec.tier!r} in the earlier review's list")
        ident = key or "p:" + canonical_name(_text(rec.name))
        rows.append((ident, _text(rec.name), before, _text(rec.owner), billing_then[i]))
    rows.sort(key=lambda r: (r[2] in prospect_rank, prospect_rank.get(r[2], -1)))
    # a prospect that was already a client on the earlier list counts once, as the client
    seen.update("p:" + canonical_name(r[1]) for r in rows if not r[0].startswith("p:"))

    used: set[int] = set()
    records: list[dict[str, Any]] = []
    for ident, name, before, owner, bill in rows:
        if ident in seen:
            continue
        seen.add(ident)
        match, how = None, ""
        is_client = not ident.startswith("p:")
        if is_client and ident in by_key and by_key[ident] not in used:
            match, how = by_key[ident], "client key"
        else:
            canon = canonical_name(name)
            same_name = by_canon.get(canon)
            if same_name is not None and same_name not in used:
                match, how = same_name, "name"
        if match is None:
            records.append({
                "client_key": ident if is_client else "", "name": name, "owner_then": owner,
                "owner_now": "", "before": before, "now": "DORMANT" if is_client else "DROPPED",
                "billing_then": bill, "billing_now": 0, "matched_by": "",
            })
            continue
        used.add(match)
        e = entities[match]
        records.append({
            "client_key": e.key, "name": e.name or name, "owner_then": owner, "owner_now": e.owner,
            "before": before, "now": e.category, "billing_then": bill, "billing_now": e.billing,
            "matched_by": how,
        })
    for i, e in enumerate(entities):
        if i in used:
            continue
        records.append({
            "client_key": e.key, "name": e.name, "owner_then": "", "owner_now": e.owner,
            "before": "NEW", "now": e.category, "billing_then": 0, "billing_now": e.billing,
            "matched_by": "",
        })
    movements = pd.DataFrame(records, columns=_MOVEMENT_COLUMNS)
    movements = movements.astype({"billing_then": np.int64, "billing_now": np.int64})

    return Comparison(
        as_of_then=as_of_then,
        as_of_now=as_of_now,
        cutoff_then=None if cutoff_then is None else int(cutoff_then),
        cutoff_now=None if cutoff_now is None else int(cutoff_now),
        matrix=_matrix(movements),
        movements=movements,
        by_seller=_by_seller(movements),
        overall=_aims("All sellers", movements),
        history_start=history_start,
    )


def _matrix(movements: pd.DataFrame) -> pd.DataFrame:
    counts = movements.groupby(["before", "now"]).size()
    grid = pd.DataFrame(0, index=pd.Index(BEFORE, name="before"),
                        columns=pd.Index(NOW, name="now"), dtype=np.int64)
    for (before, now), n in counts.items():
        grid.loc[before, now] = int(n)
    keep_rows = [r for r in BEFORE if r not in _OPTIONAL_BEFORE or grid.loc[r].sum() > 0]
    keep_cols = [c for c in NOW if c not in _OPTIONAL_NOW or grid[c].sum() > 0]
    return grid.loc[keep_rows, keep_cols]


def _aims(seller: str, m: pd.DataFrame) -> Aims:
    key_then = m[m["before"] == "KEY"]
    continuing = key_then[key_then["now"] == "KEY"]
    lost = key_then[key_then["now"].isin(LOST)]
    targets = m[m["before"] == "TARGET"]
    target_key = targets[targets["now"] == "KEY"]
    secondary = m[m["before"] == "SECONDARY"]
    secondary_key = secondary[secondary["now"] == "KEY"]
    then = money.total(continuing["billing_then"])
    now = money.total(continuing["billing_now"])
    return Aims(
        seller=seller,
        n_key_then=len(key_then),
        n_key_continuing=len(continuing),
        key_billing_then=then,
        key_billing_now=now,
        key_growth=(now - then) / then if then > 0 else None,
        n_key_lost=len(lost),
        key_lost_billing_then=money.total(lost["billing_then"]),
        key_attrition=len(lost) / len(key_then) if len(key_then) else None,
        n_targets_then=len(targets),
        n_target_to_key=len(target_key),
        target_to_key_billing=money.total(target_key["billing_now"]),
        n_secondary_then=len(secondary),
        n_secondary_to_key=len(secondary_key),
        secondary_to_key_billing=money.total(secondary_key["billing_now"]),
    )


def _by_seller(movements: pd.DataFrame) -> pd.DataFrame:
    listed = movements[(movements["before"] != "NEW") & (movements["owner_then"] != "")]
    sellers = sorted(set(listed["owner_then"]))
    rows = [asdict(_aims(s, listed[listed["owner_then"] == s])) for s in sellers]
    columns = [f.name for f in fields(Aims)]
    out = pd.DataFrame(rows, columns=columns)
    ints = [c for c in columns if c not in ("seller", "key_growth", "key_attrition")]
    out = out.astype({c: np.int64 for c in ints})
    for c in ("key_growth", "key_attrition"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return out


def compare_with_review(audit: Audit, review: Review) -> Comparison:
    """:func:`compare_reviews` of an :class:`~alms_toolkit.engine.Audit` against an earlier
    :class:`~alms_toolkit.io.review.Review` (its list, cut-off and date): LAPSED now is the
    audit's lapsed page, ``audit.lapsed``."""
    return compare_reviews(
        review.accounts,
        audit.accounts,
        audit.prospects,
        review.cutoff,
        audit.tiers.cutoff,
        lapsed=audit.lapsed,
        client_of=audit.combination.client_of,
        as_of_then=review.as_of,
        as_of_now=audit.as_of,
        history_start=_history_start(audit),
    )


def _history_start(audit: Audit) -> dt.date | None:
    """The first date of the audit's ledger (rows before and in the window); for a totals
    ledger (no dates, so no lapsed page) the start of the 12 months it totals."""
    loaded = audit.loaded
    if loaded.window is None:
        return months_before(audit.as_of, 12)
    first = loaded.dates()[0]
    return first if first is not None else loaded.window.start
