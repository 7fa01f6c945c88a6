"""Step 2 of the method: each client appears once. Duplicates combined, every merge logged.

Spellings of one client are combined automatically when they carry the same
``client_id`` or reach the same canonical name (:mod:`.names`). With a client id mapped, an
id is evidence: spellings with the same canonical name but *different* ids are not combined
but proposed as a candidate showing both ids (``ids_a``, ``ids_b``), unless client.yml's
``matching.same_name_different_ids`` is ``merge`` (then combined and logged as "same name,
different ids"); one spelling written for several ids is split by
:func:`split_shared_spellings` (each id's rows named ``Name (ID 1001)``), and when it was not
split, logged under that reason and counted in :attr:`Combination.n_merged`. Near misses found by
:mod:`.matching` become *candidates*: merged only when the consultant accepted them in the
decisions file (or, when client.yml sets ``matching.auto_accept``, when they score at
least that). A decision naming two spellings the matcher did not propose merges them too
(reason ``manual``). Decisions may name any raw spelling of a client: they apply to the
whole group that spelling belongs to.

Matching runs over the names of the window ledger *and* of the earlier rows, so a lapsed
client and its renamed current self combine; the billing of a combined client is the
net of the window ledger only. The fuzzy candidates of a set of names are read from the
user's cache when an earlier run searched the same names (:mod:`.candidate_cache`).
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import itertools
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ParamSpec

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from ..config import ClientConfig
from ..io.decisions import Decisions
from ..io.factorized import Factorized, FrameCodes, factorize
from .candidate_cache import cached_candidates
from .hierarchy import is_head_office
from .matching import contact_candidates, find_candidates
from .monthly import sums_by_code
from .names import canonical_keys, canonical_name
from .ordering import stable_order

__all__ = ["Combination", "Unsettled", "combine_clients", "combine_clients_unsettled", "combination_tables", "split_shared_spellings",
           "id_label", "label_id", "REASONS", "STATUSES", "SAME_NAME_DIFFERENT_IDS", "LIKE_ONE_OF_SEVERAL"]

_P = ParamSpec("_P")

#: the merge-log reason (and candidate kind) of spellings with one name and different client ids
SAME_NAME_DIFFERENT_IDS = "same name, different ids"
#: a candidate one side of which is a name the ledger writes under several client ids kept
#: apart: it is proposed with each of them, never combined automatically
LIKE_ONE_OF_SEVERAL = "like a name under several ids"
#: the merge log's reasons for an accepted pair the search proposed, and one it did not
ACCEPTED_MATCH, MANUAL = "accepted match", "manual"
#: merge-log reasons, the one a person must see first first (a spelling is logged under the
#: first that applies): a combination of different client ids before the strongest evidence
REASONS = (SAME_NAME_DIFFERENT_IDS, "same id", "same canonical name", ACCEPTED_MATCH,
           "auto-accepted match", MANUAL, "single")
STATUSES = ("pending", "accepted", "rejected", "auto-accepted", "refused")
#: the columns of :attr:`Combination.conflicts`
CONFLICT_COLUMNS = ("name_a", "name_b", "rejected_a", "rejected_b", "decision")


@dataclass(frozen=True)
class Combination:
    """The combined clients. DataFrames are never changed by readers (copy first)."""

    client_of: Mapping[str, str]   # raw name -> client_key
    clients: pd.DataFrame          # client_key, client, billing, n_names (clients in the window)
    merge_log: pd.DataFrame        # raw_name, client_key, client, reason, billing
    #: name_a, name_b, score, billing_a, billing_b, status, ids_a, ids_b (the client ids of
    #: each side, ", "-joined, "" when none), kind ("fuzzy" or "same name, different ids")
    candidates: pd.DataFrame
    #: merges not made because they would combine two spellings the consultant rejected (a
    #: reject wins over a chain of accepts): name_a, name_b (the merge refused), rejected_a,
    #: rejected_b (the rejected pair it would have joined), decision (accept / auto-accept)
    conflicts: pd.DataFrame = field(default_factory=lambda: _empty_conflicts())
    #: raw name -> its automatic group (same client id or same canonical name), before any
    #: decision: what the workshop resolves decisions with
    auto_group: Mapping[str, str] = field(default_factory=dict)
    #: spellings left written for several client ids (not split): spelling -> its ids; each
    #: is a combination of different ids, in the merge log and counted in :attr:`n_merged`
    shared_spellings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def n_merged(self) -> int:
        """Combinations made: raw spellings combined away (spellings minus combined clients,
        window and earlier) plus, for a spelling written for several client ids, its ids
        but one."""
        spellings = len(self.client_of) - len(set(self.client_of.values()))
        return spellings + sum(len(ids) - 1 for ids in self.shared_spellings.values())

    @property
    def n_pending(self) -> int:
        """Candidates still waiting for the consultant's decision."""
        return int((self.candidates["status"] == "pending").sum())


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def roots(self) -> np.ndarray:
        """Every element's root (the smallest element of its set), as an array."""
        root = np.asarray(self.parent, dtype=np.int64)
        while True:
            up = root[root]
            if np.array_equal(up, root):
                return root
            root = up


class _Members:
    """Root -> the elements of its set, in order (a set of one: the root itself)."""

    def __init__(self, roots: np.ndarray) -> None:
        together = np.flatnonzero(np.bincount(roots, minlength=len(roots))[roots] > 1)
        self._of: dict[int, list[int]] = {}
        for i, r in zip(together.tolist(), roots[together].tolist(), strict=True):
            self._of.setdefault(r, []).append(i)

    def __getitem__(self, root: int) -> list[int]:
        return self._of.get(root) or [root]


_Coded = tuple[np.ndarray, np.ndarray]


def _coded(frame: pd.DataFrame | None, given: Factorized | None = None) -> _Coded | None:
    """A frame's spellings as integer codes and the distinct spellings (each hashed once;
    ``given``: the ``client`` column already factorized); None when a spelling is missing or
    not text (then the text conversion decides)."""
    if frame is None or frame.empty:
        return None
    codes, spellings = given if given is not None else factorize(frame["client"])
    values = np.asarray(spellings, dtype=object)
    if (codes < 0).any() or not _all_text(values):
        return None
    return codes, values


def _all_text(values: np.ndarray) -> bool:
    """Every value of an object array is a ``str`` (true of none)."""
    return not len(values) or infer_dtype(values, skipna=False) == "string"


def _billing_by_name(frame: pd.DataFrame | None, coded: _Coded | None = None) -> pd.Series:
    """Net billing per spelling (the spellings as text), in order of first appearance."""
    if frame is None or frame.empty:
        return pd.Series(dtype=np.int64)
    if coded is None:
        return frame.groupby(frame["client"].astype(str), sort=False)["amount"].sum().astype(np.int64)
    codes, spellings = coded
    # codes number the spellings in order of first appearance: ascending codes are that order
    present, sums = sums_by_code(codes.astype(np.int64, copy=False), frame["amount"].to_numpy(dtype=np.int64),
                                 len(spellings))
    return pd.Series(sums, index=pd.Index(spellings[present], dtype=object), name="amount")


def _in_order(billing: pd.Series, at: list[int], n: int) -> np.ndarray:
    """``billing`` (per spelling) at each spelling's position ``at`` among ``n`` (0 elsewhere)."""
    out = np.zeros(n, dtype=np.int64)
    out[at] = billing.to_numpy(np.int64)
    return out


def _distinct_id_rows(frame: pd.DataFrame, coded: _Coded | None, ids: Factorized | None = None) -> list[tuple[str, str]]:
    """The distinct (spelling, client id) pairs of a frame's rows with an id, in order of
    first appearance, the spelling as text and the id as stripped text (``ids``: the
    ``client_id`` column already factorized)."""
    id_codes, id_values = ids if ids is not None else factorize(frame["client_id"])
    id_values = np.asarray(id_values, dtype=object)
    if coded is None or not _all_text(id_values):
        # ids of other types: converted first (7 and 7.0 are two ids, "7" and "7.0")
        sub = frame.loc[frame["client_id"].notna(), ["client", "client_id"]]
        return [(str(x), str(c)) for x, c in zip(sub["client"].astype(str).tolist(),
                                                  sub["client_id"].astype(str).str.strip().tolist(), strict=True)]
    codes, spellings = coded
    known = id_codes >= 0
    pair = codes[known].astype(np.int64) * max(len(id_values), 1) + id_codes[known]
    # each pair's first row (hashed once, in row order)
    first = np.flatnonzero(~pd.Series(pair, copy=False).duplicated(keep="first").to_numpy())
    rows = np.flatnonzero(known)[first]
    return list(zip(spellings[codes[rows]].tolist(), [x.strip() for x in id_values[id_codes[rows]].tolist()],
                    strict=True))


def _id_pairs(frames: list[pd.DataFrame], coded: list[_Coded | None] | None = None,
              ids: list[Factorized | None] | None = None) -> list[tuple[str, str]]:
    """The distinct (spelling, client id) pairs of the frames' rows, in order of first
    appearance, the ids stripped and never empty."""
    pairs: dict[tuple[str, str], None] = {}
    for n, f in enumerate(frames):
        if "client_id" in f.columns:
            pairs.update(dict.fromkeys(
                _distinct_id_rows(f, coded[n] if coded is not None else None, ids[n] if ids is not None else None)))
    return [pair for pair in pairs if pair[1] != ""]


@dataclass(frozen=True)
class _IdPairs:
    """The distinct (spelling, client id) pairs of frames' rows (:func:`_id_pairs`: the ids
    stripped and never empty, in order of first appearance frame by frame) as integer codes:
    pair ``k`` is ``spellings[spelling[k]]`` with ``ids[cid[k]]``. A spelling no pair holds
    may be among ``spellings``; each id among ``ids`` is some pair's."""

    spelling: np.ndarray
    cid: np.ndarray
    spellings: np.ndarray
    ids: np.ndarray

    @classmethod
    def of_frames(cls, frames: list[pd.DataFrame], coded: list[_Coded | None],
                  ids: list[Factorized | None]) -> _IdPairs:
        """The frames' pairs; their codes and factorized ids (:func:`_coded`) when at hand."""
        return _coded_pairs(frames, coded, ids) or cls.listed(_id_pairs(frames, coded, ids))

    @classmethod
    def listed(cls, pairs: list[tuple[str, str]]) -> _IdPairs:
        """From the pairs as text."""
        spelling, spellings = factorize(pd.Series([x for x, _ in pairs], dtype=object))
        cid, ids = factorize(pd.Series([c for _, c in pairs], dtype=object))
        return cls(spelling.astype(np.int64), cid.astype(np.int64), spellings, ids)

    def shared(self) -> dict[str, tuple[str, ...]]:
        """Each spelling written with several ids -> its ids, both in order of first appearance."""
        several = np.bincount(self.spelling, minlength=len(self.spellings)) > 1
        at = np.flatnonzero(several[self.spelling])
        out: dict[str, tuple[str, ...]] = {}
        for s, c in zip(self.spellings[self.spelling[at]].tolist(), self.ids[self.cid[at]].tolist(), strict=True):
            out[s] = (*out.get(s, ()), c)
        return out

    @functools.cached_property
    def _index(self) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        """Each spelling's code, the pairs ordered by spelling (stable) and their spellings."""
        order = np.argsort(self.spelling, kind="stable")
        return dict(zip(self.spellings.tolist(), range(len(self.spellings)), strict=True)), order, self.spelling[order]

    def of(self, spelling: str) -> tuple[str, ...]:
        """A spelling's ids, in order of first appearance (none: ())."""
        code_of, order, by_spelling = self._index
        code = code_of.get(spelling)
        if code is None:
            return ()
        lo, hi = np.searchsorted(by_spelling, [code, code + 1])
        return tuple(self.ids[self.cid[order[lo:hi]]].tolist())

    def has(self, spellings: Sequence[str]) -> list[bool]:
        """Whether each spelling is written with an id."""
        held = set(self.spellings[np.unique(self.spelling)].tolist())
        return [x in held for x in spellings]

    def sharing_an_id(self) -> list[list[str]]:
        """The spellings of each id written for two spellings or more."""
        several = np.bincount(self.cid, minlength=len(self.ids)) > 1
        at = np.flatnonzero(several[self.cid])
        groups: dict[int, list[str]] = {}
        for c, x in zip(self.cid[at].tolist(), self.spellings[self.spelling[at]].tolist(), strict=True):
            groups.setdefault(c, []).append(x)
        return list(groups.values())


def _coded_pairs(frames: list[pd.DataFrame], coded: list[_Coded | None],
                 ids: list[Factorized | None]) -> _IdPairs | None:
    """:class:`_IdPairs` from the frames' spellings as codes, each row's pair hashed as one
    integer (None when a frame's spellings are not coded or its ids are not all text: then
    the pairs are made as text, :func:`_id_pairs`)."""
    keyed = []
    for f, c, given in zip(frames, coded, ids, strict=True):
        if "client_id" not in f.columns:
            continue
        if c is None:
            return None
        id_codes, id_values = given if given is not None else factorize(f["client_id"])
        id_values = np.asarray(id_values, dtype=object)
        if not _all_text(id_values):
            return None
        keyed.append((c, id_codes, id_values))
    if not keyed:
        return _IdPairs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, object), np.zeros(0, object))
    # every frame's distinct spellings and stripped ids numbered together
    spelling_at, spellings = factorize(pd.Series(np.concatenate([c[1] for c, _, _ in keyed]), dtype=object))
    id_at, id_texts = factorize(pd.Series([x.strip() for _, _, v in keyed for x in v.tolist()], dtype=object))
    n_ids = max(len(id_texts), 1)
    rows, s_base, i_base = [], 0, 0
    for (codes, spelling_values), id_codes, id_values in keyed:
        known = id_codes >= 0
        s_map = spelling_at[s_base:s_base + len(spelling_values)].astype(np.int64)
        i_map = id_at[i_base:i_base + len(id_values)].astype(np.int64)
        rows.append(s_map[codes[known]] * n_ids + i_map[id_codes[known]])
        s_base, i_base = s_base + len(spelling_values), i_base + len(id_values)
    pair = np.concatenate(rows)
    pair = pair[~pd.Series(pair, copy=False).duplicated(keep="first").to_numpy()]  # in order of first appearance
    cid = pair % n_ids
    empty = np.flatnonzero(id_texts == "")
    if len(empty):
        keep = cid != empty[0]
        pair, cid = pair[keep], cid[keep]
    return _IdPairs(pair // n_ids, cid, spellings, id_texts)


def id_label(name: str, client_id: str) -> str:
    """The spelling given to one client id's rows of a spelling written for several ids."""
    return f"{name} (ID {client_id})"


def label_id(name: str, label: str) -> str | None:
    """The client id :func:`id_label` wrote into ``label`` for ``name`` (None: not its label)."""
    head, tail = id_label(name, ""), ")"
    cid = label[len(head) - 1:-1] if label.startswith(head[:-1]) and label.endswith(tail) else None
    return cid if cid is not None and id_label(name, cid) == label else None


def _base_spelling(name: str, ids: Collection[str] | None) -> str:
    """``name`` without the label :func:`id_label` gave it (only when it is that label)."""
    if ids and len(ids) == 1:
        label = id_label("", next(iter(ids)))
        if name.endswith(label) and len(name) > len(label):
            return name[: -len(label)]
    return name


def split_shared_spellings(
    frames: list[pd.DataFrame | None], config: ClientConfig, factorized: Sequence[FrameCodes | None] | None = None
) -> tuple[list[pd.DataFrame | None], dict[str, tuple[str, ...]]]:
    """The frames (the loaded ledger's window, earlier and zero-amount rows) with each
    spelling written for several client ids (across all the frames) split by id: those rows'
    ``client`` becomes ``Name (ID 1001)`` (:func:`id_label`); its rows without an id keep the
    spelling. Unchanged (the same objects) when nothing is shared, or when client.yml's
    ``matching.same_name_different_ids`` is ``merge``. Inputs are never changed.

    Also returned: each spelling split -> the labels its ids' rows were given, in the order
    the ids first appear (frame by frame). ``factorized``: each frame's columns already
    factorized (:class:`~alms_toolkit.io.factorized.FrameCodes`, the same results)."""
    present = [f for f in frames if f is not None and not f.empty]
    if config.matching.same_name_different_ids == "merge" or not present:
        return list(frames), {}
    given = {id(f): g for f, g in zip(frames, factorized or [None] * len(frames), strict=True) if g is not None}
    coded = {id(f): _coded(f, given[id(f)].client if id(f) in given else None) for f in present}
    pairs = _IdPairs.of_frames(present, [coded[id(f)] for f in present],
                              [given[id(f)].client_id if id(f) in given else None for f in present])
    # the pairs are distinct: a spelling in two pairs or more has several ids
    labels_of = {name: tuple(id_label(name, cid) for cid in its) for name, its in pairs.shared().items()}
    shared = set(labels_of)
    if not shared:
        return list(frames), {}
    out: list[pd.DataFrame | None] = []
    for f in frames:
        if f is None or f.empty or "client_id" not in f.columns:
            out.append(f)
            continue
        frame_codes = coded.get(id(f))
        if frame_codes is not None:  # each spelling looked up once, the rows by their codes
            codes, spellings = frame_codes
            of_shared = np.fromiter((n in shared for n in spellings), dtype=bool, count=len(spellings))[codes]
        else:
            of_shared = f["client"].astype(str).isin(shared).to_numpy()
        rows = np.flatnonzero(of_shared)
        client = f["client"].iloc[rows].astype(str)
        cid = f["client_id"].iloc[rows].astype("string").str.strip()
        keep = (cid.notna() & (cid != "")).to_numpy()
        if not keep.any():
            out.append(f)
            continue
        labels = f["client"].astype(object).copy()
        labels.iloc[rows[keep]] = [
            id_label(n, str(i)) for n, i in zip(client[keep].tolist(), cid[keep].tolist(), strict=True)
        ]
        out.append(f.assign(client=labels))
    return out, labels_of


def _empty_conflicts() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in CONFLICT_COLUMNS})


def _candidates_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """The candidates table of its rows, by score (highest first), then names."""
    if not rows:
        return _empty_candidates()
    candidates = pd.DataFrame(rows).astype({"score": float, "billing_a": np.int64, "billing_b": np.int64})
    return candidates.sort_values(["score", "name_a", "name_b"], ascending=[False, True, True], ignore_index=True)


def _empty_candidates() -> pd.DataFrame:
    return pd.DataFrame({
        "name_a": pd.Series(dtype=str), "name_b": pd.Series(dtype=str),
        "score": pd.Series(dtype=float), "billing_a": pd.Series(dtype=np.int64),
        "billing_b": pd.Series(dtype=np.int64), "status": pd.Series(dtype=str),
        "ids_a": pd.Series(dtype=str), "ids_b": pd.Series(dtype=str), "kind": pd.Series(dtype=str),
    })


def combination_tables(
    client_rows: list[tuple[str, str, int, int]], log_rows: list[tuple[str, str, str, str, int]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``clients`` table (``client_key, client, billing, n_names``; by billing) and the
    ``merge_log`` (``raw_name, client_key, client, reason, billing``; by client) of a
    :class:`Combination`, from their rows."""
    client_columns = ("client_key", "client", "billing", "n_names")
    log_columns = ("raw_name", "client_key", "client", "reason", "billing")
    return _combination_frames(
        {c: [r[n] for r in client_rows] for n, c in enumerate(client_columns)},
        {c: [r[n] for r in log_rows] for n, c in enumerate(log_columns)})


def _combination_frames(clients_columns: Mapping[str, Sequence[object] | np.ndarray],
                        log_columns: Mapping[str, Sequence[object] | np.ndarray]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`combination_tables` of the tables' columns."""
    return (_sorted_frame(clients_columns, [("billing", "descending"), ("client_key", "ascending")]),
            _sorted_frame(log_columns, [("client", "ascending"), ("raw_name", "ascending")]))


_COUNTS = frozenset({"billing", "n_names"})


def _sorted_frame(columns: Mapping[str, Sequence[object] | np.ndarray], by: list[tuple[str, str]]) -> pd.DataFrame:
    """A table of text columns and the integer ``billing``/``n_names``, sorted ``by`` (stable;
    text by code point, as pandas sorts it: :func:`.ordering.stable_order`)."""
    import pyarrow as pa

    try:
        arrays = {c: np.asarray(v, dtype=np.int64) if c in _COUNTS else pa.array(v, type=pa.string())
                  for c, v in columns.items()}
    except (pa.ArrowException, TypeError, ValueError, OverflowError):  # text not all str: pandas converts it
        frame = pd.DataFrame(dict(columns)).astype({c: np.int64 if c in _COUNTS else str for c in columns})
        return frame.sort_values([c for c, _ in by], ascending=[d == "ascending" for _, d in by], ignore_index=True)
    rows = stable_order([(arrays[c], d) for c, d in by])
    return pd.DataFrame({c: a[rows] if c in _COUNTS else pd.array(a.take(rows), dtype="str")
                         for c, a in arrays.items()})


def _free_key(key: str, ids: str, taken: Collection[str]) -> str:
    """``key``, or when another client has it already, ``key (ids)`` (the group's client ids),
    else ``key (2)``, ``key (3)``...: two clients never share a key. It happens only where a
    spelling labelled with its id (``Beta (ID 1000)``, :func:`id_label`) reads as a name
    written so in the ledger (``Beta ID 1000``)."""
    if key not in taken:
        return key
    if ids and f"{key} ({ids})" not in taken:
        return f"{key} ({ids})"
    return next(f"{key} ({n})" for n in itertools.count(2) if f"{key} ({n})" not in taken)


@dataclass(frozen=True)
class Unsettled:
    """A combination whose merges are made and whose candidates table may not be yet: with no
    ``auto_accept``, the candidates merge nothing by themselves (a consultant's accept merges
    its pair whether or not the search proposes it), so the audit goes on with the merges
    while the fuzzy search finishes (in a child process, :mod:`.candidate_search`).
    ``combination.candidates`` is empty until :meth:`settle`; so is one thing the candidates
    still tell: an accepted pair the search proposed is logged ``accepted match``, one it did
    not ``manual`` (every accepted merge is logged ``manual`` until settled)."""

    combination: Combination
    #: makes the candidates table and names the spellings whose accepted merge the search
    #: proposed (None: ``combination`` has both already)
    later: Callable[[], tuple[pd.DataFrame, frozenset[str]]] | None = None

    def settle(self, combination: Combination | None = None) -> Combination:
        """``combination`` (default: the one made; the engine passes it with the rolled-up
        branches logged) with its candidates table, and its accepted merges' reasons."""
        made = self.combination if combination is None else combination
        if self.later is None:
            return made
        candidates, proposed = self.later()
        log = made.merge_log
        at = log["raw_name"].isin(list(proposed)) & (log["reason"] == MANUAL)
        if at.any():
            log = log.copy()
            log.loc[at, "reason"] = ACCEPTED_MATCH
        return dataclasses.replace(made, candidates=candidates, merge_log=log)


def combine_clients_unsettled(
    ledger: pd.DataFrame,
    earlier: pd.DataFrame | None,
    config: ClientConfig,
    decisions: Decisions,
    factorized: tuple[FrameCodes | None, FrameCodes | None] = (None, None),
    find: Callable[[Sequence[str], float], pd.DataFrame] | None = None,
    before_keys: Callable[[], object] | None = None,
) -> Unsettled:
    """Combine the spellings of each client (see the module docstring). Inputs unchanged.

    ``ledger`` / ``earlier``: the loaded ledger's window and earlier rows (columns
    ``client``, ``amount`` in micros, optional ``client_id``); ``factorized``: their
    columns already factorized (:class:`~alms_toolkit.io.factorized.FrameCodes`), if at hand;
    ``find(keys, threshold)``: the fuzzy candidates of a set of canonical names, exactly as
    :func:`~.matching.find_candidates` gives them (None: that function; the audit passes one
    that takes a search started ahead, :mod:`.candidate_search`); ``before_keys()``: called
    just before the spellings' canonical keys are needed (the audit takes them then from the
    search's child, :meth:`~.candidate_search.SearchAhead.share_keys`, while the steps before
    ran).
    """
    given = {id(f): g for f, g in zip((ledger, earlier), factorized, strict=True) if f is not None and g is not None}
    frames = [f for f in (ledger, earlier) if f is not None and not f.empty]
    coded = {id(f): _coded(f, given[id(f)].client if id(f) in given else None) for f in frames}
    window_billing = _billing_by_name(ledger, coded.get(id(ledger)))
    earlier_billing = _billing_by_name(earlier, coded.get(id(earlier)))
    in_window_names, earlier_names = window_billing.index.tolist(), earlier_billing.index.tolist()
    names = sorted(set(in_window_names).union(earlier_names))
    index = dict(zip(names, range(len(names)), strict=True))
    window_at = list(map(index.__getitem__, in_window_names))
    # billing per spelling, in the order of ``names`` (0 where none): an array, and Python ints
    wb_arr = _in_order(window_billing, window_at, len(names))
    wb = wb_arr.tolist()
    eb = _in_order(earlier_billing, list(map(index.__getitem__, earlier_names)), len(names)).tolist()
    in_window_at = np.zeros(len(names), dtype=bool)
    in_window_at[window_at] = True
    in_window = in_window_at.tolist()
    ids = _IdPairs.of_frames(frames, [coded[id(f)] for f in frames],
                            [given[id(f)].client_id if id(f) in given else None for f in frames])
    shared = {x: tuple(sorted(v)) for x, v in ids.shared().items() if x in index}
    # a label ends with ")": other spellings are their own base (no lookup)
    bases = [_base_spelling(x, ids.of(x)) if x.endswith(")") else x for x in names]
    if before_keys is not None:
        before_keys()
    keys = canonical_keys(bases)
    keys_arr = np.asarray(keys, dtype=object)
    matching = config.matching
    keep_apart = matching.same_name_different_ids == "keep_apart"

    # -- automatic merges: same client id, then same canonical name (different ids kept
    # apart as candidates unless client.yml says merge)
    uf = _UnionFind(len(names))
    reasons: dict[int, set[str]] = {}  # a spelling's reasons (none: logged "single")
    for spelling in shared:
        reasons.setdefault(index[spelling], set()).add(SAME_NAME_DIFFERENT_IDS)
    by_key: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        by_key.setdefault(k, []).append(i)
    # only an id written under two spellings or more joins anything (the pairs are distinct)
    for spellings in ids.sharing_an_id():
        members = sorted({index[x] for x in spellings if x in index})
        if len(members) > 1:
            for i in members:
                uf.union(members[0], i)
                reasons.setdefault(i, set()).add("same id")
    has_id = ids.has(names)
    apart: list[tuple[int, int]] = []  # same canonical name, different ids: candidates
    split_keys: set[str] = set()  # the canonical names kept apart by their ids
    for k, members in by_key.items():
        if len(members) < 2:
            continue
        id_roots = sorted({uf.find(i) for i in members if has_id[i]})
        if len(id_roots) > 1 and keep_apart:
            split_keys.add(k)
            no_id = [i for i in members if not has_id[i]]
            for i in no_id:
                uf.union(no_id[0], i)
                if len(no_id) > 1:
                    reasons.setdefault(i, set()).add("same canonical name")
            sides = id_roots + no_id[:1]
            apart += [(a, b) for x, a in enumerate(sides) for b in sides[x + 1:]]
            continue
        why = SAME_NAME_DIFFERENT_IDS if len(id_roots) > 1 else "same canonical name"
        for i in members:
            uf.union(members[0], i)
            reasons.setdefault(i, set()).add(why)
    auto_roots = uf.roots()
    auto_root = auto_roots.tolist()
    billing_of_root = np.zeros(len(names), dtype=np.int64)
    np.add.at(billing_of_root, auto_roots, wb_arr)
    group_billing = billing_of_root.tolist()
    members_of_root = _Members(auto_roots)

    def most_billed(members: list[int]) -> int:
        if len(members) == 1:
            return members[0]
        return min(members, key=lambda i: (-wb[i], -eb[i], names[i]))

    root_of_key = {k: auto_root[m[0] if len(m) == 1 else most_billed(m)] for k, m in by_key.items()}

    def ids_text(root: int) -> str:
        return ", ".join(sorted({c for i in members_of_root[root] for c in ids.of(names[i])}))

    # a name kept apart by its ids is several groups: a spelling like it is proposed with each
    same_name = {(min(auto_root[a], auto_root[b]), max(auto_root[a], auto_root[b])) for a, b in apart}
    roots_of_key = {k: sorted({auto_root[i] for i in m}) for k, m in by_key.items() if k in split_keys}

    def search() -> pd.DataFrame:
        found = cached_candidates(list(by_key), matching.threshold, find or find_candidates)
        contacts = contact_candidates(names, keys, matching.threshold)
        if contacts.empty:
            return found
        both = pd.concat([found, contacts], ignore_index=True)
        both = both.sort_values(["score", "key_a", "key_b"], ascending=[False, True, True], kind="stable")
        return both.drop_duplicates(["key_a", "key_b"], keep="first", ignore_index=True)

    def proposals(found: pd.DataFrame) -> dict[tuple[int, int], tuple[float, str, str]]:
        """The pairs of automatic groups proposed: same name with different ids first, then
        the fuzzy candidates, each pair with its best score."""
        best: dict[tuple[int, int], tuple[float, str, str]] = {}
        for side_1, side_2 in apart:
            ra, rb = auto_root[side_1], auto_root[side_2]
            best[(min(ra, rb), max(ra, rb))] = (100.0, keys[side_1], keys[side_1])
        for ka, kb, score in found.itertuples(index=False):
            for ra in roots_of_key.get(ka) or (root_of_key[ka],):
                for rb in roots_of_key.get(kb) or (root_of_key[kb],):
                    if ra == rb:
                        continue
                    pair = (min(ra, rb), max(ra, rb))
                    if pair in same_name:
                        continue
                    if pair not in best or score > best[pair][0]:
                        best[pair] = (float(score), ka, kb) if ra < rb else (float(score), kb, ka)
        return best

    # -- the consultant's decisions, resolved to automatic groups (latest wins)
    def resolve(name: str) -> int | None:
        if name in index:
            return auto_root[index[name]]
        return root_of_key.get(canonical_name(name))

    # a pair of automatic groups is rejected when any decision about two of their spellings
    # rejects it (a reject wins); an accept of other spellings of a rejected pair is a conflict
    latest_said = {frozenset((a, b)): (n, a, b, d) for n, (a, b, d) in enumerate(decisions.merges)}
    votes: dict[tuple[int, int], list[tuple[int, str, str, str]]] = {}
    for n, a, b, decision in sorted(latest_said.values()):  # the latest about a spelling pair counts
        da, db = resolve(a), resolve(b)
        if da is None or db is None or da == db:
            continue
        votes.setdefault((min(da, db), max(da, db)), []).append((n, a, b, decision))
    decided: dict[tuple[int, int], str] = {}
    order: dict[tuple[int, int], int] = {}  # when the decision that counts was written
    conflict_rows: list[dict[str, str]] = []
    for pair, said in votes.items():
        rejects = [v for v in said if v[3] == "reject"]
        decided[pair] = "reject" if rejects else "accept"
        order[pair] = (rejects or said)[-1][0]
        if rejects:
            _n, rej_a, rej_b, _d = rejects[-1]
            conflict_rows += [{"name_a": x, "name_b": y, "rejected_a": rej_a, "rejected_b": rej_b, "decision": "accept"}
                              for _n2, x, y, d in said if d == "accept"]

    def status_of(pair: tuple[int, int], score: float, several: bool) -> str:
        latest = decided.get(pair)
        if latest == "accept":
            return "accepted"
        if latest == "reject":
            return "rejected"
        if (matching.auto_accept is not None and score >= matching.auto_accept
                and pair not in same_name and not several):  # an id says they may differ: the consultant decides
            return "auto-accepted"
        return "pending"

    def several_of(pair: tuple[int, int], ka: str, kb: str) -> bool:
        return pair not in same_name and (ka in split_keys or kb in split_keys)

    def table(best: dict[tuple[int, int], tuple[float, str, str]], refused: set[tuple[int, int]]) -> pd.DataFrame:
        """The candidates table of the proposals ``best`` (``refused``: the merges a reject stopped)."""
        rows = []
        for pair, (score, ka, kb) in best.items():
            several = several_of(pair, ka, kb)
            ia = most_billed([i for i in by_key[ka] if auto_root[i] == pair[0]] or by_key[ka])
            ib = most_billed([i for i in by_key[kb] if auto_root[i] == pair[1]] or by_key[kb])
            side_a = (group_billing[pair[0]], names[ia], ids_text(pair[0]))
            side_b = (group_billing[pair[1]], names[ib], ids_text(pair[1]))
            if (-side_b[0], side_b[1]) < (-side_a[0], side_a[1]):
                side_a, side_b = side_b, side_a
            rows.append({"name_a": side_a[1], "name_b": side_b[1], "score": score,
                         "billing_a": side_a[0], "billing_b": side_b[0],
                         "status": "refused" if pair in refused else status_of(pair, score, several),
                         "ids_a": side_a[2], "ids_b": side_b[2],
                         "kind": SAME_NAME_DIFFERENT_IDS if pair in same_name
                         else LIKE_ONE_OF_SEVERAL if several else "fuzzy"})
        return _candidates_frame(rows)

    # without an automatic accept the proposals merge nothing (an accept merges its pair,
    # proposed or not): the merges are made now, and the candidates table, with the accepted
    # pairs it holds (logged "accepted match", not "manual"), when it is asked for (the
    # search may still be running in a child process, :mod:`.candidate_search`)
    settle_later = matching.auto_accept is None
    joins: list[tuple[int, int, str]] = []
    best: dict[tuple[int, int], tuple[float, str, str]] = {}
    if not settle_later:
        best = proposals(search())
        for pair, (score, ka, kb) in best.items():
            status = status_of(pair, score, several_of(pair, ka, kb))
            if status in ("accepted", "auto-accepted"):
                joins.append((pair[0], pair[1], ACCEPTED_MATCH if status == "accepted"
                              else "auto-accepted match"))
    for pair, decision in decided.items():
        if decision == "accept" and pair not in best:
            joins.append((pair[0], pair[1], MANUAL))

    # a reject wins over a chain of accepts: the consultant's accepts in the order written,
    # then the automatic ones; a merge that would put a rejected pair in one client is not
    # made, and is listed (conflicts) for the consultant to settle
    rejected = [pair for pair, d in decided.items() if d == "reject"]
    joins.sort(key=lambda j: order.get((j[0], j[1]), len(decisions.merges)))
    refused = set()
    manual: list[tuple[tuple[int, int], list[int]]] = []  # the accepted merges made, with their spellings
    for ra, rb, reason in joins:
        roots = {uf.find(ra), uf.find(rb)}
        clash = next(((x, y) for x, y in rejected if len(roots) == 2 and {uf.find(x), uf.find(y)} == roots), None)
        if clash is not None:
            refused.add((ra, rb))
            conflict_rows.append({
                "name_a": names[most_billed(members_of_root[ra])], "name_b": names[most_billed(members_of_root[rb])],
                "rejected_a": names[most_billed(members_of_root[clash[0]])],
                "rejected_b": names[most_billed(members_of_root[clash[1]])],
                "decision": "auto-accept" if reason == "auto-accepted match" else "accept",
            })
            continue
        uf.union(ra, rb)
        for i in members_of_root[ra] + members_of_root[rb]:
            reasons.setdefault(i, set()).add(reason)
        if reason == MANUAL:
            manual.append(((ra, rb), members_of_root[ra] + members_of_root[rb]))

    # -- combined clients: a spelling alone in its group, written as itself and not shared
    # by ids, is its own client under its own key (most of them, taken together); the other
    # groups one by one
    n = len(names)
    root = uf.roots()
    alone = (np.bincount(root, minlength=n)[root] == 1) & np.fromiter(
        (b is x and k not in split_keys and x not in shared for b, x, k in zip(bases, names, keys, strict=True)),
        dtype=bool, count=n)
    names_arr = np.asarray(names, dtype=object)
    key_of = keys_arr.copy()
    display_of = names_arr.copy()
    why_of = np.full(n, "single", dtype=object)
    client_of_group = alone & in_window_at  # the client row's spelling
    billing = wb_arr.copy()
    n_names = np.ones(n, dtype=np.int64)
    in_groups = np.argsort(root, kind="stable")  # the groups in order of their first spelling
    taken = set(keys_arr[alone].tolist())  # each client's key is its own (see _free_key)
    for _, group in itertools.groupby(in_groups[~alone[in_groups]].tolist(), key=root.tolist().__getitem__):
        members = list(group)
        # a group of spellings that holds a head office (combined by a bill-to id) is shown
        # under it, not under its biggest branch
        heads = [i for i in members if is_head_office(names[i])] if len(members) > 1 else []
        shown = most_billed(heads or members)
        display = names[shown]
        key = keys[shown] if bases[shown] is display else canonical_name(display)  # each name read once
        own_ids = ""
        if key in split_keys or key in taken:
            own_ids = ", ".join(sorted({c for i in members for c in ids.of(names[i])}))
        if key in split_keys:  # one canonical name kept apart by ids is several clients: keyed by its ids too
            key = f"{key} ({own_ids})" if own_ids else key
        key = _free_key(key, own_ids, taken)
        taken.add(key)
        for i in members:
            key_of[i] = key
            display_of[i] = display
            its_reasons = reasons.get(i)
            if its_reasons and (len(members) > 1 or names[i] in shared):
                why_of[i] = next((r for r in REASONS if r in its_reasons), "single")
        if in_window[members[0]] or (len(members) > 1 and any(in_window[i] for i in members)):
            client_of_group[members[0]] = True
            billing[members[0]] = sum(wb[i] for i in members)
            n_names[members[0]] = len(members)
    client_of = dict(zip(names_arr[in_groups].tolist(), key_of[in_groups].tolist(), strict=True))
    rows = in_groups[client_of_group[in_groups]]
    clients, merge_log = _combination_frames(
        {"client_key": key_of[rows], "client": display_of[rows], "billing": billing[rows], "n_names": n_names[rows]},
        {"raw_name": names_arr[in_groups], "client_key": key_of[in_groups], "client": display_of[in_groups],
         "reason": why_of[in_groups], "billing": wb_arr[in_groups]})
    conflicts = pd.DataFrame(conflict_rows, columns=list(CONFLICT_COLUMNS), dtype=object)
    # one canonical name kept apart by ids is several automatic groups: each named by its ids

    @functools.cache
    def group_name(root: int) -> str:  # once per group
        key, its_ids = keys[root], ids_text(root)
        return f"{key} ({its_ids})" if its_ids else key

    auto_group = dict(zip(names, keys_arr[auto_roots].tolist(), strict=True))
    if split_keys:
        split = np.fromiter((k in split_keys for k in keys), dtype=bool, count=len(keys))
        at = np.flatnonzero(split[auto_roots])
        auto_group.update((names[i], group_name(r)) for i, r in zip(at.tolist(), auto_roots[at].tolist(), strict=True))
    made = Combination(client_of=client_of, clients=clients, merge_log=merge_log,
                       candidates=_empty_candidates() if settle_later else table(best, refused),
                       conflicts=conflicts, auto_group=auto_group, shared_spellings=shared)

    def later() -> tuple[pd.DataFrame, frozenset[str]]:
        best = proposals(search())
        return table(best, refused), frozenset(names[i] for pair, members in manual if pair in best for i in members)

    return Unsettled(made, later if settle_later else None)


def _settled(make: Callable[_P, Unsettled]) -> Callable[_P, Combination]:
    @functools.wraps(make)
    def settled(*args: _P.args, **kwargs: _P.kwargs) -> Combination:
        return make(*args, **kwargs).settle()

    settled.__name__ = settled.__qualname__ = "combine_clients"
    settled.__signature__ = inspect.signature(make).replace(return_annotation="Combination")  # type: ignore[attr-defined]
    settled.__doc__ = """Combine the spellings of each client (see the module docstring), candidates
    table included: :func:`combine_clients_unsettled`, settled. Inputs unchanged."""
    return settled


combine_clients = _settled(combine_clients_unsettled)


def refused_accepts(
    decisions: Decisions, group_of: Callable[[str], str] | None = None
) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """The accepts the audit will not make because a reject wins, each with the rejected
    pair it would break: ``((a, b), (x, y))``, in the order written. ``group_of`` gives a
    spelling's automatic group (the audit's ``Combination.auto_group``; default: its
    canonical name), so spellings of one client count as one."""
    group = group_of or canonical_name
    latest: dict[tuple[str, str], tuple[str, str, str]] = {}
    for x, y, d in decisions.merges:  # the latest decision about a spelling pair counts
        latest[(min(x, y), max(x, y))] = (x, y, d)
    said = [v for v in latest.values() if group(v[0]) != group(v[1])]
    rejects = [(x, y) for x, y, d in said if d == "reject"]
    keys = sorted({group(n) for x, y, _d in said for n in (x, y)})
    at = {k: i for i, k in enumerate(keys)}
    uf = _UnionFind(len(keys))
    refused = []
    for x, y, d in said:
        if d != "accept":
            continue
        gx, gy = at[group(x)], at[group(y)]
        roots = {uf.find(gx), uf.find(gy)}
        clash = next(((rx, ry) for rx, ry in rejects
                      if frozenset((group(rx), group(ry))) == frozenset((group(x), group(y)))
                      or (len(roots) == 2 and {uf.find(at[group(rx)]), uf.find(at[group(ry)])} == roots)), None)
        if clash is not None:
            refused.append(((x, y), clash))
        else:
            uf.union(gx, gy)
    return refused


def rejected_pair_joined(decisions: Decisions, a: str, b: str,
                         group_of: Callable[[str], str] | None = None) -> tuple[str, str] | None:
    """The rejected pair that accepting ``a`` ~ ``b`` (after every decision saved) would put
    in one client, or None: the workshop asks it before saving an accept, with the audit's
    rule (:func:`refused_accepts`)."""
    from ..io.decisions import with_merge

    for (x, y), clash in refused_accepts(with_merge(decisions, a, b, "accept"), group_of):
        if {x, y} == {a, b}:
            return clash
    return None


#: the columns of :func:`spelling_facts`
SPELLING_FACT_COLUMNS = ("last_billed", "sellers", "client_ids", "n_rows")


def spelling_facts(*frames: pd.DataFrame | None) -> pd.DataFrame:
    """What the ledger says about each client spelling, to decide whether two spellings are
    one client: the last date billed, the sellers (most billed first), the client ids and
    the number of rows; indexed by the spelling. ``frames``: the loaded ledger's window and
    earlier rows (``client``, ``amount``; optionally ``date``, ``seller``, ``client_id``)."""
    parts = [f for f in frames if f is not None and len(f)]
    if not parts:
        return pd.DataFrame(columns=list(SPELLING_FACT_COLUMNS))
    rows = pd.concat(parts, ignore_index=True)
    client = rows["client"].astype(str)
    index = pd.Index(sorted(set(client)), name="client")
    sellers: dict[str, str] = {}
    if "seller" in rows.columns:
        billed = rows.assign(_c=client, _s=rows["seller"].astype(str)).groupby(["_c", "_s"])["amount"].sum()
        for name, group in billed.groupby(level="_c"):
            ordered = group.droplevel("_c").sort_values(ascending=False, kind="stable")
            sellers[str(name)] = ", ".join(ordered.index[:3])
    ids: dict[str, str] = {}
    if "client_id" in rows.columns:
        known = rows.loc[rows["client_id"].notna()]
        for name, group in known.groupby(client[known.index]):
            ids[str(name)] = ", ".join(sorted(set(group["client_id"].astype(str).str.strip()))[:3])
    last = (rows.groupby(client)["date"].max().dt.date.reindex(index) if "date" in rows.columns
            else pd.Series(None, index=index, dtype=object))
    return pd.DataFrame({
        "last_billed": last.astype(object),
        "sellers": pd.Series(sellers, dtype=object).reindex(index).fillna(""),
        "client_ids": pd.Series(ids, dtype=object).reindex(index).fillna(""),
        "n_rows": client.value_counts().reindex(index).astype("int64"),
    }, index=index)
