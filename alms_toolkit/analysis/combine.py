"""Step 2 of the method: each client appears once. Duplicates combined, every merge logged.

Spellings of one client are combined automatically when they carry the same
``client_id`` or reach the same canonical name (:mod:`.names`). Near misses found by
:mod:`.matching` become *candidates*: merged only when the consultant accepted them in the
decisions file (or, when client.yml sets ``matching.auto_accept``, when they score at
least that). A decision naming two spellings the matcher did not propose merges them too
(reason ``manual``). Decisions may name any raw spelling of a client: they apply to the
whole group that spelling belongs to.

Matching runs over the names of the window ledger *and* of the earlier rows, so a lapsed
client and its renamed current self combine; the billing of a combined client is the
net of the window ledger only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..config import ClientConfig
from ..io.decisions import Decisions
from .matching import find_candidates
from .names import canonical_name, canonical_names

__all__ = ["Combination", "combine_clients", "combination_tables", "REASONS", "STATUSES"]

#: merge-log reasons, strongest first (a spelling is logged under the first that applies)
REASONS = ("same id", "same canonical name", "accepted match", "auto-accepted match", "manual",
           "single")
STATUSES = ("pending", "accepted", "rejected", "auto-accepted", "refused")
#: the columns of :attr:`Combination.conflicts`
CONFLICT_COLUMNS = ("name_a", "name_b", "rejected_a", "rejected_b", "decision")


@dataclass(frozen=True)
class Combination:
    """The combined clients. DataFrames are never changed by readers (copy first)."""

    client_of: Mapping[str, str]   # raw name -> client_key
    clients: pd.DataFrame          # client_key, client, billing, n_names (clients in the window)
    merge_log: pd.DataFrame        # raw_name, client_key, client, reason, billing
    candidates: pd.DataFrame       # name_a, name_b, score, billing_a, billing_b, status
    #: merges not made because they would combine two spellings the consultant rejected (a
    #: reject wins over a chain of accepts): name_a, name_b (the merge refused), rejected_a,
    #: rejected_b (the rejected pair it would have joined), decision (accept / auto-accept)
    conflicts: pd.DataFrame = field(default_factory=lambda: _empty_conflicts())
    #: raw name -> its automatic group (same client id or same canonical name), before any
    #: decision: what the workshop resolves decisions with
    auto_group: Mapping[str, str] = field(default_factory=dict)

    @property
    def n_merged(self) -> int:
        """Raw spellings combined away (spellings minus combined clients, window and earlier)."""
        return len(self.client_of) - len(set(self.client_of.values()))

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


def _billing_by_name(frame: pd.DataFrame | None) -> pd.Series:
    if frame is None or frame.empty:
        return pd.Series(dtype=np.int64)
    return frame.groupby(frame["client"].astype(str), sort=False)["amount"].sum().astype(np.int64)


def _id_pairs(frames: list[pd.DataFrame]) -> pd.DataFrame:
    parts = []
    for f in frames:
        if "client_id" in f.columns:
            sub = f.loc[f["client_id"].notna(), ["client", "client_id"]]
            parts.append(pd.DataFrame({"client": sub["client"].astype(str),
                                       "client_id": sub["client_id"].astype(str).str.strip()}))
    if not parts:
        return pd.DataFrame({"client": [], "client_id": []}, dtype=str)
    ids = pd.concat(parts, ignore_index=True).drop_duplicates()
    return ids[ids["client_id"] != ""]


def _empty_conflicts() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in CONFLICT_COLUMNS})


def _empty_candidates() -> pd.DataFrame:
    return pd.DataFrame({
        "name_a": pd.Series(dtype=str), "name_b": pd.Series(dtype=str),
        "score": pd.Series(dtype=float), "billing_a": pd.Series(dtype=np.int64),
        "billing_b": pd.Series(dtype=np.int64), "status": pd.Series(dtype=str),
    })


def combination_tables(
    client_rows: list[tuple[str, str, int, int]], log_rows: list[tuple[str, str, str, str, int]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``clients`` table (``client_key, client, billing, n_names``; by billing) and the
    ``merge_log`` (``raw_name, client_key, client, reason, billing``; by client) of a
    :class:`Combination`, from their rows."""
    clients = pd.DataFrame(client_rows, columns=["client_key", "client", "billing", "n_names"])
    clients = clients.astype({"client_key": str, "client": str, "billing": np.int64,
                              "n_names": np.int64})
    clients = clients.sort_values(["billing", "client_key"], ascending=[False, True],
                                  ignore_index=True)
    merge_log = pd.DataFrame(log_rows, columns=["raw_name", "client_key", "client", "reason",
                                                "billing"])
    merge_log = merge_log.astype({"raw_name": str, "client_key": str, "client": str,
                                  "reason": str, "billing": np.int64})
    merge_log = merge_log.sort_values(["client", "raw_name"], ignore_index=True)
    return clients, merge_log


def combine_clients(
    ledger: pd.DataFrame,
    earlier: pd.DataFrame | None,
    config: ClientConfig,
    decisions: Decisions,
) -> Combination:
    """Combine the spellings of each client (see the module docstring). Inputs unchanged.

    ``ledger`` / ``earlier``: the loaded ledger's window and earlier rows (columns
    ``client``, ``amount`` in micros, optional ``client_id``).
    """
    frames = [f for f in (ledger, earlier) if f is not None and not f.empty]
    window_billing = _billing_by_name(ledger)
    earlier_billing = _billing_by_name(earlier)
    names = sorted(set(window_billing.index) | set(earlier_billing.index))
    index = {n: i for i, n in enumerate(names)}
    wb = window_billing.reindex(names, fill_value=0).to_numpy(np.int64)
    eb = earlier_billing.reindex(names, fill_value=0).to_numpy(np.int64)
    window_names = set(window_billing.index)
    in_window = np.asarray([n in window_names for n in names], dtype=bool)
    keys = canonical_names(pd.Series(names, dtype=object)).tolist()

    # -- automatic merges: same canonical name, same client id
    uf = _UnionFind(len(names))
    reasons: list[set[str]] = [set() for _ in names]
    by_key: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        by_key.setdefault(k, []).append(i)
    for members in by_key.values():
        if len(members) > 1:
            for i in members:
                uf.union(members[0], i)
                reasons[i].add("same canonical name")
    ids = _id_pairs(frames)
    for _, group in ids.groupby("client_id", sort=True)["client"]:
        members = sorted({index[n] for n in group if n in index})
        if len(members) > 1:
            for i in members:
                uf.union(members[0], i)
                reasons[i].add("same id")
    auto_root = [uf.find(i) for i in range(len(names))]
    root_of_key = {k: auto_root[m[0]] for k, m in by_key.items()}
    group_billing: dict[int, int] = {}
    for i, r in enumerate(auto_root):
        group_billing[r] = group_billing.get(r, 0) + int(wb[i])

    def most_billed(members: list[int]) -> int:
        return min(members, key=lambda i: (-int(wb[i]), -int(eb[i]), names[i]))

    # -- fuzzy candidates between automatic groups
    matching = config.matching
    found = find_candidates(list(by_key), threshold=matching.threshold)
    best: dict[tuple[int, int], tuple[float, str, str]] = {}
    for ka, kb, score in found.itertuples(index=False):
        ra, rb = root_of_key[ka], root_of_key[kb]
        if ra == rb:
            continue
        pair = (min(ra, rb), max(ra, rb))
        if pair not in best or score > best[pair][0]:
            best[pair] = (float(score), ka, kb) if ra < rb else (float(score), kb, ka)

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

    rows = []
    joins: list[tuple[int, int, str]] = []
    for pair, (score, ka, kb) in best.items():
        latest = decided.get(pair)
        if latest == "accept":
            status = "accepted"
        elif latest == "reject":
            status = "rejected"
        elif matching.auto_accept is not None and score >= matching.auto_accept:
            status = "auto-accepted"
        else:
            status = "pending"
        if status in ("accepted", "auto-accepted"):
            joins.append((pair[0], pair[1], "accepted match" if status == "accepted"
                          else "auto-accepted match"))
        ia = most_billed(by_key[ka])
        ib = most_billed(by_key[kb])
        side_a = (group_billing[pair[0]], names[ia])
        side_b = (group_billing[pair[1]], names[ib])
        if (-side_b[0], side_b[1]) < (-side_a[0], side_a[1]):
            side_a, side_b = side_b, side_a
        rows.append({"name_a": side_a[1], "name_b": side_b[1], "score": score,
                     "billing_a": side_a[0], "billing_b": side_b[0], "status": status})
    for pair, decision in decided.items():
        if decision == "accept" and pair not in best:
            joins.append((pair[0], pair[1], "manual"))

    members_of_root: dict[int, list[int]] = {}
    for i, r in enumerate(auto_root):
        members_of_root.setdefault(r, []).append(i)
    # a reject wins over a chain of accepts: the consultant's accepts in the order written,
    # then the automatic ones; a merge that would put a rejected pair in one client is not
    # made, and is listed (conflicts) for the consultant to settle
    rejected = [pair for pair, d in decided.items() if d == "reject"]
    joins.sort(key=lambda j: order.get((j[0], j[1]), len(decisions.merges)))
    refused = set()
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
            reasons[i].add(reason)
    for row, pair in zip(rows, best, strict=True):
        if pair in refused:
            row["status"] = "refused"

    # -- combined clients
    groups: dict[int, list[int]] = {}
    for i in range(len(names)):
        groups.setdefault(uf.find(i), []).append(i)
    client_of: dict[str, str] = {}
    log_rows = []
    client_rows = []
    for members in groups.values():
        display = names[most_billed(members)]
        key = canonical_name(display)
        for i in members:
            client_of[names[i]] = key
            why = next((r for r in REASONS if r in reasons[i]), "single")
            log_rows.append((names[i], key, display, why if len(members) > 1 else "single",
                             int(wb[i])))
        if in_window[members].any():
            client_rows.append((key, display, sum(int(wb[i]) for i in members), len(members)))

    clients, merge_log = combination_tables(client_rows, log_rows)
    candidates = pd.DataFrame(rows) if rows else _empty_candidates()
    if rows:
        candidates = candidates.astype({"score": float, "billing_a": np.int64,
                                        "billing_b": np.int64})
        candidates = candidates.sort_values(["score", "name_a", "name_b"],
                                            ascending=[False, True, True], ignore_index=True)
    conflicts = pd.DataFrame(conflict_rows, columns=list(CONFLICT_COLUMNS), dtype=object)
    auto_group = {n: keys[auto_root[i]] for i, n in enumerate(names)}
    return Combination(client_of=client_of, clients=clients, merge_log=merge_log,
                       candidates=candidates, conflicts=conflicts, auto_group=auto_group)


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
