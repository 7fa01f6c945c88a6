"""Account hierarchy: branches billed as ``Group (Town, ST)`` rolled up to their parent account.

B2B ledgers often bill each branch of a customer on its own line: ``Acme Buying Group (Head
Office)``, ``Acme Buying Group (Tulsa, OK)``, ``Acme Buying Group (Waco, TX)``... The ALMS
method counts local and national business together, and the consultant decides per client
whether the parent or the branch is the account. So:

- :func:`branch_groups` finds the groups: spellings ending in a bracketed suffix whose part
  before the bracket names the same company (:func:`~.names.canonical_name`), with at least
  two branches beside a head office (or the group's name written alone), or at least three
  without one. A bracket that is not a branch is not one: a suffix in the middle (``Acme (UK)
  Ltd``), one spelling alone (``Children's Hospital (Boston)``), a client-id label
  (``Main Street Pharmacy (ID 1001)``, written by the id split), a former name (``(formerly
  X)``), and people (``Smith (John)``, ``Smith (Mary)``: one word before the bracket and one
  word in it, mostly common given names, with no head office, reads as a surname and first
  names; ``Walmart (Dallas)``, ``Walmart (Austin)`` are branches).
- The group's **parent account** is the consultant's choice (client.yml ``hierarchy.parents``),
  else its head office spelling (``Group (Head Office)``, ``(HQ)``, ``(Headquarters)``...),
  else the group's name written alone in the ledger (``Group``), else the group's name as the
  branches write it before the bracket.
- QuickBooks writes a sub-customer or job with its customer's name: ``Acme Corp:Project Alpha``
  (``Customer:Region:Job`` deeper). :func:`sub_customer_groups` reads those as the customer's
  jobs: a colon with no space on either side, never a time, a verse or a web address
  (``10:30``, ``3:16``, ``http://``); one job beside the customer's own spelling (the same
  text) is a group, without it two jobs of one customer whose name has three letters or more
  (``Re:Source`` and ``Re:Think`` are brands). ``hierarchy.rule: sub_customers`` rolls the jobs
  up to their customer (never a head office by a job's name); ``parenthesised`` leaves them.
- client.yml's ``hierarchy.rule`` decides: ``parenthesised`` rolls every branch (but those in
  ``keep_branches``) up to its parent (:func:`roll_up` renames the branch's rows, before the
  duplicates are combined); ``none`` keeps them apart; not set, nothing is rolled up and
  :attr:`Hierarchy.proposal` words what was seen and the client.yml lines that would apply it.
- :func:`log_branches` puts each rolled-up branch in the merge log (reason ``branch of
  <parent>``, with its own billing) and in ``client_of``, so it is counted in ``n_merged`` and
  a decision or an account list naming the branch still finds its client.

Pure: frames and mappings in, new frames and frozen dataclasses out.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..count_words import agree
from .names import canonical_name

if TYPE_CHECKING:
    from ..config import AccountHierarchy
    from ..io.decisions import Decisions
    from .combine import Combination

__all__ = [
    "BranchGroup",
    "Hierarchy",
    "branch_parts",
    "sub_customer_parts",
    "sub_customer_groups",
    "branch_groups",
    "find_hierarchy",
    "parent_column_groups",
    "parent_ids",
    "roll_up",
    "log_branches",
    "branch_reason",
    "HEAD_OFFICE_SUFFIXES",
    "is_head_office",
    "PARENT_REASON",
]

#: bracketed suffixes that name a group's head office (compared lower-case, words only)
HEAD_OFFICE_SUFFIXES = frozenset({
    "head office", "headoffice", "ho", "hq", "headquarters", "head quarters", "main office",
    "home office", "corporate", "corporate office", "central office", "head office account",
    "group office", "head office billing", "national office", "national account",
})
#: the merge-log reason of a parent account's own spelling, once branches are rolled up to it
PARENT_REASON = "parent account"
#: suffixes that say something other than a branch: a former or trading name, a client-id label
_NOT_BRANCH = re.compile(r"^(?:id\s+\S+|formerly\b.*|fka\b.*|f/k/a\b.*|aka\b.*|dba\b.*|d/b/a\b.*|"
                         r"t/a\b.*|trading as\b.*|see\b.*|use\b.*|do not use\b.*|old\b.*|closed\b.*)$")
_BRACKETED = re.compile(r"^(?P<base>.*?\S)\s*[(\[](?P<suffix>[^()\[\]]*)[)\]]\s*$", re.DOTALL)
#: QuickBooks' full name of a sub-customer or job: ``Customer:Job``, the colon with no space on
#: either side (the account is the customer before the first colon)
_SUB_CUSTOMER = re.compile(r"^(?P<base>[^:]*[^:\s]):(?P<suffix>[^:\s].*)$", re.DOTALL)
#: a colon that is part of a web address, not a customer's
_WEB = re.compile(r"^(?:https?|ftp|mailto|www)$", re.IGNORECASE)
_WORDS = re.compile(r"[^\w/]+", re.UNICODE)
#: branches needed to see a group: beside a parent spelling, and without one
_MIN_WITH_PARENT = 2
_MIN_WITHOUT_PARENT = 3
#: jobs needed to see a customer: beside its own spelling, and without it (then the customer's
#: name has at least :data:`_MIN_CUSTOMER_LETTERS` letters)
_MIN_JOBS_WITH_CUSTOMER = 1
_MIN_JOBS_WITHOUT_CUSTOMER = 2
_MIN_CUSTOMER_LETTERS = 3


def branch_reason(parent: str) -> str:
    """The merge-log reason of a branch rolled up to ``parent``."""
    return f"branch of {parent}"


def _suffix_words(suffix: str) -> str:
    return " ".join(_WORDS.sub(" ", suffix.casefold()).split())


def branch_parts(name: str) -> tuple[str, str] | None:
    """``(base, suffix)`` of a spelling ending in a bracketed suffix (``"Acme (Waco, TX)"`` ->
    ``("Acme", "Waco, TX")``), None for any other spelling (no trailing bracket, an empty one,
    a client-id label, a former or trading name)."""
    text = str(name)
    if not text.rstrip().endswith((")", "]")):  # most spellings: no regular expression needed
        return None
    match = _BRACKETED.match(text)
    if match is None:
        return None
    base, suffix = match.group("base").strip(), match.group("suffix").strip()
    words = _suffix_words(suffix)
    if not base or not words or _NOT_BRANCH.match(words):
        return None
    return base, suffix


def sub_customer_parts(name: str) -> tuple[str, str] | None:
    """``(customer, job)`` of a spelling written as QuickBooks names a sub-customer or job
    (``"Acme Corp:Project Alpha"`` -> ``("Acme Corp", "Project Alpha")``, ``"Acme:West:Store 9"``
    -> ``("Acme", "West:Store 9")``); None for any other spelling: no colon, a space beside it
    (``"Acme: invoice 7"``), a time, a verse or a ratio (a digit on both sides: ``"Club 10:30"``,
    ``"John 3:16 Ministries"``), a web address, a side with no letter or digit."""
    text = str(name)
    if ":" not in text:  # most spellings: no regular expression needed
        return None
    match = _SUB_CUSTOMER.match(text.strip())
    if match is None:
        return None
    base, job = match.group("base").strip(), match.group("suffix").strip()
    if _WEB.match(base) or job.startswith("/") or (base[-1].isdigit() and job[0].isdigit()):
        return None
    if not any(c.isalnum() for c in base) or not any(c.isalnum() for c in job):
        return None
    return base, job


def sub_customer_groups(billing: Mapping[str, int],
                        settings: AccountHierarchy | None = None) -> tuple[BranchGroup, ...]:
    """The customers whose jobs the ledger bills as QuickBooks names them (``Customer:Job``,
    :func:`sub_customer_parts`), each a group whose parent is the customer: client.yml's
    ``parents`` (keyed by the customer's name), else the customer's own spelling in the ledger
    (the same text, case and spaces aside), else the customer's name. A group needs one job
    beside the customer's own spelling, or two without it (the customer's name then of three
    letters or more). Biggest billing first."""
    parents_given = {" ".join(k.split()).casefold(): v for k, v in (settings.parents if settings else {}).items()}
    kept_given = tuple(settings.keep_branches) if settings is not None else ()
    kept_names = {k.strip() for k in kept_given}
    jobs: dict[str, list[str]] = {}
    customer_of: dict[str, str] = {}
    for name in billing:
        found = sub_customer_parts(name)
        if found is not None:
            key = " ".join(found[0].split()).casefold()
            jobs.setdefault(key, []).append(name)
            customer_of.setdefault(key, found[0])
    own: dict[str, list[str]] = {}
    for name in billing:
        key = " ".join(str(name).split()).casefold()
        if key in jobs:
            own.setdefault(key, []).append(name)
    groups: list[BranchGroup] = []
    for key, members in jobs.items():
        alone = own.get(key, [])
        customer = customer_of[key]
        letters = sum(c.isalpha() for c in customer)
        if alone:
            if len(members) < _MIN_JOBS_WITH_CUSTOMER:
                continue
        elif len(members) < _MIN_JOBS_WITHOUT_CUSTOMER or letters < _MIN_CUSTOMER_LETTERS:
            continue
        parent, source = _choose_parent(parents_given.get(key), [(alone, "customer in the ledger")],
                                        (customer, "customer name"), billing)
        groups.append(_group(customer, parent, source, members + alone, billing, kept_names,
                             whole_group_kept=customer in kept_names or parent in kept_names))
    return _ranked(groups)


def _is_head_office(suffix: str) -> bool:
    return _suffix_words(suffix) in HEAD_OFFICE_SUFFIXES


def is_head_office(name: str) -> bool:
    """The spelling names a group's head office (``Group (Head Office)``, ``Group (HQ)``...)."""
    parts = branch_parts(name)
    return parts is not None and _is_head_office(parts[1])


@dataclass(frozen=True)
class BranchGroup:
    """One group of branches: ``name`` (the group's name before the bracket), ``parent`` (the
    parent account's name), ``parent_source`` (``client.yml``, ``head office``, ``group name
    in the ledger`` or ``group name``), ``parent_billing`` (the parent spelling's own 12-month
    billing, micros; 0 when the ledger has no such spelling), ``branches`` (spelling, billing)
    rolled up (or proposed), most billed first, and ``kept`` (spelling, billing): the branches
    client.yml keeps as accounts of their own."""

    name: str
    parent: str
    parent_source: str
    parent_billing: int
    branches: tuple[tuple[str, int], ...]
    kept: tuple[tuple[str, int], ...] = ()
    #: the parent's name is a spelling of the ledger (a head office, the group's name alone,
    #: or a name client.yml chose that the ledger writes)
    parent_in_ledger: bool = False

    @property
    def branch_billing(self) -> int:
        """The rolled-up branches' billing (micros)."""
        return sum(b for _n, b in self.branches)

    @property
    def billing(self) -> int:
        """The parent account's billing once its branches are rolled up (micros)."""
        return self.parent_billing + self.branch_billing

    @property
    def biggest_branch(self) -> tuple[str, int] | None:
        """The most billed branch (it may bill more than the head office)."""
        return self.branches[0] if self.branches else None


@dataclass(frozen=True)
class Hierarchy:
    """The account hierarchy of one ledger: client.yml's ``rule`` (None: not decided), the
    ``groups`` seen (biggest billing first) and, when the rule applies them, ``parent_of``
    (branch spelling -> parent account name)."""

    rule: str | None = None
    groups: tuple[BranchGroup, ...] = ()
    parent_of: Mapping[str, str] = field(default_factory=dict)
    #: what the groups were read from: ``parenthesised`` (the spellings' brackets),
    #: ``sub_customers`` (QuickBooks' ``Customer:Job`` spellings) or ``parent_column`` (the
    #: ledger's parent / bill-to column, billing.columns.parent)
    basis: str = "parenthesised"

    @property
    def applied(self) -> bool:
        """Branches were rolled up (client.yml's rule is ``parenthesised``, ``sub_customers`` or
        ``parent_column``)."""
        return self.rule in ("parenthesised", "sub_customers", "parent_column")

    def _group_name(self, group: BranchGroup) -> str:
        """A group as the report names it: its name, or for a parent / bill-to column (whose
        value may be an id) the account it is listed under."""
        return group.name if self.basis in ("parenthesised", "sub_customers") else group.parent

    @property
    def _pattern(self) -> str:
        return {"parenthesised": "written 'Group (Branch)'",
                "sub_customers": "written 'Customer:Job' (QuickBooks' sub-customers and jobs)",
                }.get(self.basis, "named with a parent account in the ledger's parent column")

    @property
    def _parent_words(self) -> str:
        return ("its customer" if self.basis == "sub_customers"
                else "its head office when the ledger has one")

    @property
    def n_branches(self) -> int:
        """Branches rolled up (applied) or that would be (proposed)."""
        return sum(len(g.branches) for g in self.groups)

    @property
    def _branches(self) -> str:
        n = self.n_branches
        return f"{n:,} branch{agree(n, '', 'es')}"

    @property
    def n_kept(self) -> int:
        """Branches client.yml keeps as accounts of their own."""
        return sum(len(g.kept) for g in self.groups)

    @property
    def proposed(self) -> bool:
        """The ledger shows branches and client.yml says nothing: a proposal, nothing applied."""
        return self.rule is None and bool(self.groups)

    def _named_groups(self, shown: int) -> str:
        """The first ``shown`` groups with their branch counts, and how many more."""
        names = ", ".join(f"{self._group_name(g)} ({len(g.branches):,} branch{agree(len(g.branches), '', 'es')})"
                          for g in self.groups[:shown])
        return names + (f" and {len(self.groups) - shown:,} more" if len(self.groups) > shown else "")

    def proposal(self) -> str:
        """What was seen and the client.yml lines that would roll the branches up ("" when
        there is nothing to propose)."""
        if not self.proposed:
            return ""
        return (f"The ledger bills {self._branches} of {len(self.groups):,} group(s) "
                f"{self._pattern}: {self._named_groups(5)}. They are kept apart, each its own "
                f"account, until client.yml says otherwise. To count each group as one account "
                f"under its parent, add to client.yml:\n{self.client_yml_lines()}")

    def note(self, combined: Sequence[str] = ()) -> str:
        """One paragraph for the report: what was rolled up (or is kept apart, or proposed);
        "" when the ledger shows no branches. ``combined``: the groups a proposal leaves apart
        that the client ids already combine, each said as it should read."""
        if not self.groups:
            return ""
        groups = f"{len(self.groups):,} group{'s' if len(self.groups) != 1 else ''}"
        if self.proposed:
            apart = (", except where the client ids already combine a group: " + "; ".join(combined)
                     if combined else "")
            return (f"The ledger bills {self._branches} of {groups} {self._pattern}: "
                    f"{self._named_groups(3)}. Each is kept its own account for now{apart}. To count "
                    f"each group as one account under its parent ({self._parent_words}), add the "
                    f"line 'hierarchy: {self.basis}' to client.yml; under "
                    f"hierarchy, keep_branches keeps a branch its own account and parents names "
                    f"the account a group is listed under.")
        if self.rule == "none":
            return (f"The ledger bills branches of {groups} {self._pattern}; client.yml "
                    f"keeps every branch its own account (hierarchy: none).")
        kept = (f" {self.n_kept:,} branch{'es' if self.n_kept != 1 else ''} kept as "
                f"{'their' if self.n_kept != 1 else 'its'} own account{'s' if self.n_kept != 1 else ''} "
                f"(hierarchy.keep_branches).") if self.n_kept else ""
        return (f"{self._branches} of {groups} {agree(self.n_branches, 'is', 'are')} counted under "
                f"{agree(self.n_branches, 'its', 'their')} parent account, "
                f"as client.yml says (hierarchy: {self.rule}): local and national business "
                f"together, each group once on the lists.{kept}")

    def client_yml_lines(self) -> str:
        """The client.yml lines that roll these groups up, with a branch kept and a parent
        named as commented examples."""
        lines = ["hierarchy:", f"  rule: {self.basis}"]
        if self.groups:
            group = self.groups[0]
            example = group.biggest_branch
            if example is not None:
                lines.append(f"  # keep_branches: [{json.dumps(example[0], ensure_ascii=False)}]"
                             "   # a branch that stays its own account")
            lines.append(f"  # parents: {{{json.dumps(group.name, ensure_ascii=False)}: "
                         f"{json.dumps(group.parent, ensure_ascii=False)}}}"
                         "   # the name the group is listed under")
        return "\n".join(lines)

    def table(self) -> pd.DataFrame:
        """One row per group: ``parent``, ``parent_source``, ``n_branches``, ``branches``
        (the biggest first, with how many more), ``parent_billing``, ``branch_billing``,
        ``billing`` (micros), ``biggest_branch``, ``kept`` (how many kept apart)."""
        rows = []
        for g in self.groups:
            shown = [n for n, _b in g.branches[:3]]
            more = len(g.branches) - len(shown)
            rows.append({
                "parent": g.parent, "parent_source": g.parent_source, "n_branches": len(g.branches),
                "branches": "; ".join(shown) + (f" and {more:,} more" if more else ""),
                "parent_billing": g.parent_billing, "branch_billing": g.branch_billing,
                "billing": g.billing,
                "biggest_branch": g.biggest_branch[0] if g.biggest_branch else "",
                "kept": len(g.kept),
            })
        columns = ["parent", "parent_source", "n_branches", "branches", "parent_billing",
                   "branch_billing", "billing", "biggest_branch", "kept"]
        table = pd.DataFrame(rows, columns=columns)
        return table.astype({"n_branches": "int64", "parent_billing": "int64",
                             "branch_billing": "int64", "billing": "int64", "kept": "int64"})


def _most_billed(names: list[str], billing: Mapping[str, int]) -> str:
    return min(names, key=lambda n: (-billing.get(n, 0), n))


def _looks_like_people(base: str, suffixes: list[str]) -> bool:
    """``Smith (John)``, ``Smith (Mary)``: one word before the bracket, one word in each, and
    most of those words common given names (``Walmart (Dallas)``, ``Walmart (Austin)`` are
    branches)."""
    from .abbreviations import GIVEN_NAMES

    if len(base.split()) != 1:
        return False
    words = [s.strip() for s in suffixes]
    if not all(re.fullmatch(r"[^\W\d_]+", w, re.UNICODE) for w in words):
        return False
    given = sum(w.casefold() in GIVEN_NAMES for w in words)
    return 2 * given >= len(words)


def branch_groups(billing: Mapping[str, int], settings: AccountHierarchy | None = None) -> tuple[BranchGroup, ...]:
    """The groups of branches among the ledger's spellings (``billing``: every spelling of the
    ledger, window and earlier, with its 12-month billing in micros, 0 when none), each with its
    parent account named; biggest billing first. ``settings``: client.yml's ``hierarchy``
    (its ``parents`` and ``keep_branches``; the rule is not read here)."""
    parents_given = dict(settings.parents) if settings is not None else {}
    kept_given = tuple(settings.keep_branches) if settings is not None else ()
    parts: dict[str, tuple[str, str]] = {}
    by_key: dict[str, list[str]] = {}
    for name in billing:
        found = branch_parts(name)
        if found is None:
            continue
        key = canonical_name(found[0])
        if key:
            parts[name] = found
            by_key.setdefault(key, []).append(name)
    bare: dict[str, list[str]] = {}
    for name in billing:
        if name not in parts:
            key = canonical_name(name)
            if key in by_key:
                bare.setdefault(key, []).append(name)
    chosen = {canonical_name(k): v for k, v in parents_given.items()}
    for k, v in parents_given.items():  # a parent may be named by any spelling of its group
        found = branch_parts(k)
        if found is not None:
            chosen.setdefault(canonical_name(found[0]), v)
    kept_names = {k.strip() for k in kept_given}
    kept_keys = {canonical_name(k) for k in kept_given}

    groups: list[BranchGroup] = []
    for key, members in by_key.items():
        heads = [n for n in members if _is_head_office(parts[n][1])]
        branches = [n for n in members if n not in heads]
        alone = bare.get(key, [])
        has_parent = bool(heads or alone)
        if len(branches) < (_MIN_WITH_PARENT if has_parent else _MIN_WITHOUT_PARENT):
            continue
        name = parts[_most_billed(heads or branches, billing)][0]
        if not has_parent and key not in chosen and _looks_like_people(name, [parts[n][1] for n in branches]):
            continue
        parent, source = _choose_parent(chosen.get(key), [(heads, "head office"), (alone, "group name in the ledger")],
                                        (name, "group name"), billing)
        groups.append(_group(name, parent, source, members + alone, billing, kept_names,
                             whole_group_kept=key in kept_keys or parent in kept_names))
    return _ranked(groups)


def _choose_parent(given: str | None, spelled: Sequence[tuple[Sequence[str], str]], named: tuple[str, str],
                   billing: Mapping[str, int]) -> tuple[str, str]:
    """A group's parent account and where it comes from: client.yml's (``given``), else the most
    billed spelling of the first non-empty list of ``spelled`` (spellings, source), else the
    group's name (``named``: name, source)."""
    if given is not None:
        return given, "client.yml"
    for spellings, source in spelled:
        if spellings:
            return _most_billed(list(spellings), billing), source
    return named


def _ranked(groups: list[BranchGroup]) -> tuple[BranchGroup, ...]:
    """The groups, most billed first (then by parent)."""
    return tuple(sorted(groups, key=lambda g: (-g.billing, g.parent)))


def _group(name: str, parent: str, source: str, spellings: Sequence[str], billing: Mapping[str, int],
           kept_names: set[str], *, whole_group_kept: bool) -> BranchGroup:
    """A :class:`BranchGroup`: the group's ``spellings`` but the parent rolled up or, named in
    ``hierarchy.keep_branches`` (or the whole group kept), kept apart; each list most billed
    first."""
    others = [n for n in spellings if n != parent]

    def billed(chosen: list[str]) -> tuple[tuple[str, int], ...]:
        return tuple((n, int(billing.get(n, 0))) for n in sorted(chosen, key=lambda n: (-billing.get(n, 0), n)))

    kept = [n for n in others if whole_group_kept or n in kept_names]
    return BranchGroup(name=name, parent=parent, parent_source=source, parent_billing=int(billing.get(parent, 0)),
                       parent_in_ledger=parent in billing,
                       branches=billed([n for n in others if n not in kept]), kept=billed(kept))


def find_hierarchy(billing: Mapping[str, int], settings: AccountHierarchy | None = None,
                   rows: pd.DataFrame | None = None) -> Hierarchy:
    """The ledger's hierarchy under client.yml's ``hierarchy`` settings: the groups seen, and
    ``parent_of`` only when the rule says so (never applied silently). ``rows``: the ledger's
    rows (``client``, ``parent``, optional ``client_id``) when billing.columns.parent is mapped:
    the groups are then read from that column (:func:`parent_column_groups`) unless the rule
    is ``parenthesised`` or ``sub_customers``, else from the spellings: their brackets
    (:func:`branch_groups`), or QuickBooks' ``Customer:Job`` (:func:`sub_customer_groups`)
    under ``sub_customers``, or when no bracket makes a group."""
    rule = settings.rule if settings is not None else None
    by_column = rows is not None and "parent" in rows.columns and rule not in ("parenthesised", "sub_customers")
    if by_column:
        assert rows is not None
        groups, basis = parent_column_groups(rows, billing, settings), "parent_column"
    elif rule == "sub_customers":
        groups, basis = sub_customer_groups(billing, settings), "sub_customers"
    else:  # brackets; without them, QuickBooks' sub-customers are what is proposed (or kept apart)
        groups, basis = branch_groups(billing, settings), "parenthesised"
        if not groups and rule != "parenthesised":
            jobs = sub_customer_groups(billing, settings)
            if jobs:
                groups, basis = jobs, "sub_customers"
    groups = _to_the_top(groups, billing)
    if rule == "none":
        return Hierarchy(rule=rule, groups=groups, basis=basis)
    parent_of = ({n: g.parent for g in groups for n, _b in g.branches} if rule == basis else {})
    return Hierarchy(rule=rule, groups=groups, parent_of=parent_of, basis=basis)


def parent_column_groups(rows: pd.DataFrame, billing: Mapping[str, int],
                         settings: AccountHierarchy | None = None) -> tuple[BranchGroup, ...]:
    """The groups the ledger's parent column names (``rows``: ``client``, ``parent``, optional
    ``client_id``; every frame's rows). A spelling's parent is the value most of its lines give
    (blank lines aside). The value is a bill-to id when it is some spelling's client id: the
    parent is that account (the head office the group is billed to), else a spelling of the
    ledger, else a head office among the group's spellings (``Group (Head Office)``), else the
    value itself; client.yml's ``parents`` (keyed by the value or the parent) names it
    otherwise. Biggest billing first."""
    parents_given = dict(settings.parents) if settings is not None else {}
    kept_names = {k.strip() for k in (settings.keep_branches if settings is not None else ())}
    named = rows.loc[rows["parent"].notna(), ["client", "parent"]].astype(str)
    named = named.assign(parent=named["parent"].str.strip())
    named = named[named["parent"] != ""]
    if named.empty:
        return ()
    counts = named.groupby(["client", "parent"], sort=True).size().reset_index(name="n")
    counts = counts.sort_values(["client", "n", "parent"], ascending=[True, False, True], kind="stable")
    value_of = dict(zip(*counts.drop_duplicates("client")[["client", "parent"]].T.to_numpy(), strict=True))
    spellings_of_id: dict[str, list[str]] = {}
    if "client_id" in rows.columns:
        ids = rows.loc[rows["client_id"].notna(), ["client", "client_id"]].astype(str).drop_duplicates()
        for name, cid in zip(ids["client"], ids["client_id"].str.strip(), strict=True):
            spellings_of_id.setdefault(cid, []).append(name)
    members: dict[str, list[str]] = {}
    for name, value in value_of.items():
        members.setdefault(value, []).append(name)
    groups: list[BranchGroup] = []
    for value, names in members.items():
        if value in spellings_of_id:
            parent, source = _most_billed(spellings_of_id[value], billing), "bill-to id"
        elif value in billing:
            parent, source = value, "parent column"
        else:
            heads = [n for n in names if (p := branch_parts(n)) is not None and _is_head_office(p[1])]
            parent, source = (_most_billed(heads, billing), "head office") if heads else (value, "parent column")
        if value in parents_given or parent in parents_given:
            parent, source = parents_given.get(value, parents_given.get(parent, parent)), "client.yml"
        if all(n == parent for n in names):
            continue
        groups.append(_group(value, parent, source, names, billing, kept_names,
                             whole_group_kept=value in kept_names or parent in kept_names))
    return _ranked(groups)


def _to_the_top(groups: tuple[BranchGroup, ...], billing: Mapping[str, int]) -> tuple[BranchGroup, ...]:
    """``groups`` with every chain of parents followed to its top: a group whose parent is a
    branch rolled up into another group is rolled up with it (a store billed to a region that
    is billed to a head office, a group whose parent client.yml names as another group's
    branch), its branches listed under the top's group; parents that bill each other in a
    ring end at the ring's most billed spelling; groups under one parent are one group (the
    first's name). Branches kept apart stay where they are."""
    rolled = {n: g.parent for g in groups for n, _b in g.branches}
    parents = [g.parent for g in groups if g.branches]
    if not any(p in rolled for p in parents) and len(set(parents)) == len(parents):
        return groups

    def top(name: str) -> str:
        path = [name]
        while path[-1] in rolled:
            nxt = rolled[path[-1]]
            if nxt in path:  # a ring
                return min(path[path.index(nxt):], key=lambda n: (-billing.get(n, 0), n))
            path.append(nxt)
        return path[-1]

    out: list[BranchGroup | None] = list(groups)
    own: dict[str, int] = {}  # a top's group: where the groups below it go
    for i, g in enumerate(groups):
        if g.branches and top(g.parent) == g.parent:
            own.setdefault(g.parent, i)
    for i, g in enumerate(groups):
        head = top(g.parent)
        j = own.get(head)
        if not g.branches or j is None or j == i:
            continue
        target = out[j]
        assert target is not None
        # the group's parent is listed already, as a branch of the group it is rolled up in
        branches = target.branches + tuple(b for b in g.branches if b[0] != head)
        out[j] = dataclasses.replace(target, branches=_most_billed_first(branches),
                                     kept=_most_billed_first(target.kept + g.kept))
        out[i] = None
    flat = [g for g in out if g is not None]
    flat.sort(key=lambda g: (-g.billing, g.parent))
    return tuple(flat)


def _most_billed_first(spellings: tuple[tuple[str, int], ...]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(spellings, key=lambda b: (-b[1], b[0])))


def roll_up(frame: pd.DataFrame | None, parent_of: Mapping[str, str],
            parent_ids: Mapping[str, str] | None = None) -> pd.DataFrame | None:
    """``frame`` (ledger rows, ``client``, optional ``client_id``) with each branch's rows
    written under its parent account; a rolled-up row's client id becomes its parent's
    (``parent_ids``: parent -> its one client id; none when it has none or several), so the
    parent is one account of one id, not a spelling written for several. The same object when
    no row is a branch. The input is never changed."""
    if frame is None or frame.empty or not parent_of:
        return frame
    client = frame["client"]
    branch = client.isin(list(parent_of))
    if not branch.any():
        return frame
    renamed = client.astype(object).copy()
    parents = [parent_of[str(n)] for n in client[branch]]
    renamed[branch] = parents
    changed = {"client": renamed.astype(client.dtype)}
    if "client_id" in frame.columns:
        ids = frame["client_id"].astype(object).copy()
        known = parent_ids or {}
        ids[branch] = [known.get(p, pd.NA) for p in parents]
        changed["client_id"] = ids
    return frame.assign(**changed)


def parent_ids(frames: list[pd.DataFrame | None], parents: set[str]) -> dict[str, str]:
    """Each parent's client id, when the ledger writes it with exactly one."""
    seen: dict[str, set[str]] = {}
    for f in frames:
        if f is None or f.empty or "client_id" not in f.columns:
            continue
        rows = f.loc[f["client"].isin(list(parents)) & f["client_id"].notna(), ["client", "client_id"]]
        for name, cid in zip(rows["client"].astype(str), rows["client_id"].astype(str).str.strip(), strict=True):
            if cid:
                seen.setdefault(name, set()).add(cid)
    return {name: next(iter(ids)) for name, ids in seen.items() if len(ids) == 1}


def decisions_on_parents(decisions: Decisions, hierarchy: Hierarchy) -> Decisions:
    """``decisions`` with each merge naming a rolled-up branch read as naming its parent
    account (the branch's rows are the parent's now), so a merge the consultant decided for a
    branch still holds once the rule rolls it up; a pair that becomes the parent with itself is
    kept out (the roll-up combined them). The same object when nothing was rolled up."""
    parent_of = hierarchy.parent_of
    if not parent_of or not decisions.merges:
        return decisions
    merges = tuple(
        (parent_of.get(a, a), parent_of.get(b, b), d) for a, b, d in decisions.merges
        if parent_of.get(a, a) != parent_of.get(b, b)
    )
    return dataclasses.replace(decisions, merges=merges)


def log_branches(combination: Combination, hierarchy: Hierarchy) -> Combination:
    """``combination`` (made from the rolled-up rows) with every rolled-up branch in it: in
    ``client_of`` and ``auto_group`` under its parent's client, and in the merge log with the
    reason ``branch of <parent>`` and its own billing (the parent's row keeps its own billing
    only, reason ``parent account``; a parent name the ledger does not write has no row), and
    ``n_names`` counting them. The same object when nothing was rolled up."""
    if not hierarchy.parent_of:
        return combination
    client_of = dict(combination.client_of)
    auto_group = dict(combination.auto_group)
    log = combination.merge_log
    display = dict(zip(log["client_key"], log["client"], strict=True))
    rows: list[dict[str, object]] = []
    own_billing: dict[str, int] = {}
    written: set[str] = set()
    added: dict[str, int] = {}
    for group in hierarchy.groups:
        key = client_of.get(group.parent)
        if key is None or not group.branches:
            continue
        own_billing[group.parent] = group.parent_billing
        if group.parent_in_ledger:
            written.add(group.parent)
        for name, billed in group.branches:
            client_of[name] = key
            if group.parent in auto_group:
                auto_group[name] = auto_group[group.parent]
            rows.append({"raw_name": name, "client_key": key, "client": display.get(key, group.parent),
                         "reason": branch_reason(group.parent), "billing": billed})
        added[key] = added.get(key, 0) + len(group.branches) - (0 if group.parent in written else 1)
    parents = log["raw_name"].isin(list(own_billing))
    kept = log[~parents | log["raw_name"].isin(list(written))].copy()
    at_parent = kept["raw_name"].isin(list(own_billing))
    if at_parent.any():
        kept.loc[at_parent, "billing"] = [own_billing[n] for n in kept.loc[at_parent, "raw_name"]]
        kept.loc[at_parent & (kept["reason"] == "single"), "reason"] = PARENT_REASON
    merge_log = pd.concat([kept, pd.DataFrame(rows, columns=list(log.columns))], ignore_index=True)
    merge_log = merge_log.astype(log.dtypes.to_dict())
    merge_log = merge_log.sort_values(["client", "raw_name"], kind="stable", ignore_index=True)
    clients = combination.clients
    if added:
        extra = clients["client_key"].map(added).fillna(0).astype(np.int64)
        clients = clients.assign(n_names=(clients["n_names"] + extra).astype(clients["n_names"].dtype))
    return dataclasses.replace(combination, client_of=client_of, auto_group=auto_group,
                               merge_log=merge_log, clients=clients)
