"""The CRM records: the official list as one row per company, ready for each CRM's import
file (the presets in :mod:`alms_toolkit.report.writers.crm_presets` take this frame), with a
stable key per company and the owner as a CRM user; and the import-readiness check.

**One row per company.** A current client is exported once, as the client (KEY, SECONDARY,
NON-SPENDING), even when a seller also listed it as a TARGET or EXTRA (the prospects check
flags such a row ``already a client``: :meth:`OfficialList.already_clients`); a client of the
lapsed page is exported once, as LAPSED, with the last seller who billed it (also when it is
listed NON-SPENDING); a prospect on several sellers' lists (the same name, as matching
compares names) is exported once, under the **first seller by this rule**: the best category
(TARGET, then EXTRA, then LEAD), then the best fit score, then the first row of the prospects
file. :func:`readiness_problems` names every prospect so decided (a notice: the consultant
may drop the other seller's row in the prospects file).

**The stable key** ``alms_key`` (``ALMS-`` and 12 hexadecimal digits, an external ID for
Salesforce, a unique property for HubSpot) names a company across reviews and monthly
republishes, so each import updates the CRM's record instead of adding a second one:

1. a company found in the earlier review's ``accounts.csv`` (the one the next review
   compares with, or the review a republish is made against) keeps the key written there;
   it is found as the comparison finds it (:mod:`alms_toolkit.analysis.compare`): by
   ``client_key``, else by its name or any of its spellings in the ledger (canonical names),
   one to one; a TARGET that became a client keeps its key;
2. any other company gets a key derived from its identity: the client id of the ledger when
   it has one (the first, when the client was billed under several ids), else its
   ``client_key`` (the canonical name of the combined client), for a prospect its
   canonical name; so the same client gets the same key even without an earlier review;
3. keys are unique: a derived key already taken (by a kept key or an earlier company)
   is derived again with a counter (``#2``, ``#3``...).

:func:`with_alms_keys` decides them once and puts an ``alms_key`` column on the official
list's accounts, prospects and lapsed clients (every file of the run then carries the same
keys); ``accounts.csv`` writes it in its last column so the next review reads it back.

Pure: frames and frozen values in, new frames out; pandas only.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..cell_values import cell_text
from ..errors import BadInputError
from ..money import to_str
from .names import canonical_name

if TYPE_CHECKING:
    from ..config import CrmSettings
    from .official_list import OfficialList

__all__ = [
    "RECORD_COLUMNS",
    "RECORD_TIERS",
    "KEY_PREFIX",
    "OWNER_FIELDS",
    "CrmUser",
    "ReadinessProblem",
    "CrmNotReadyError",
    "UnmappedOwnersError",
    "crm_users",
    "find_user",
    "derived_key",
    "with_alms_keys",
    "crm_records",
    "record_sellers",
    "readiness_problems",
    "check_readiness",
    "accounts_changes",
]

#: the records' columns, in order (the contract the presets are built on)
RECORD_COLUMNS: tuple[str, ...] = (
    "alms_key", "name", "tier", "previous_tier", "is_target", "billing_12m", "cutoff", "as_of",
    "review_date", "list_position", "flag", "owner_name", "owner_email", "owner_username",
    "owner_user_id", "owner_full_name", "domain",
)
#: every tier a record may carry, in row order
RECORD_TIERS: tuple[str, ...] = ("KEY", "SECONDARY", "NON-SPENDING", "TARGET", "EXTRA", "LEAD", "LAPSED")
KEY_PREFIX = "ALMS-"
#: a seller's CRM identity fields (client.yml ``crm.owners.<seller>``)
OWNER_FIELDS: tuple[str, ...] = ("email", "username", "user_id", "full_name")
#: the identity fields that make a seller mapped when the presets ask for nothing narrower
ANY_IDENTITY: tuple[str, ...] = ("email", "username", "user_id")

_CLIENT_TIERS = ("KEY", "SECONDARY", "NON-SPENDING")
_PROSPECT_TIERS = ("TARGET", "EXTRA", "LEAD")
_CATEGORY_RANK = {c: i for i, c in enumerate(_PROSPECT_TIERS)}
_FIELD_WORDS = {"email": "email address", "username": "CRM user name", "user_id": "Salesforce user ID",
                "full_name": "full name"}
_HOW_TO_MAP = "client.yml, crm.owners (alms crm-owners CLIENT_DIR writes an entry for each seller)"


# ---------------------------------------------------------------------------- owners


@dataclass(frozen=True)
class CrmUser:
    """One seller's CRM identity, from client.yml ``crm.owners`` (None when not given)."""

    email: str | None = None
    username: str | None = None
    user_id: str | None = None
    full_name: str | None = None

    def has_any(self, fields: Iterable[str] = ANY_IDENTITY) -> bool:
        """Whether one of ``fields`` is given."""
        return any(getattr(self, f) for f in fields)


def _seller_word(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def crm_users(settings: CrmSettings | None) -> dict[str, CrmUser]:
    """client.yml's ``crm.owners`` as seller name -> :class:`CrmUser` (empty without it)."""
    if settings is None:
        return {}
    return {name: CrmUser(**{f: getattr(entry, f) for f in OWNER_FIELDS}) for name, entry in settings.owners.items()}


def find_user(owners: Mapping[str, CrmUser], seller: str) -> CrmUser | None:
    """The CRM user of ``seller``: by the name exactly, else by the name with case and
    spacing ignored (client.yml refuses two entries that differ only so)."""
    found = owners.get(seller)
    if found is not None:
        return found
    word = _seller_word(seller)
    return next((user for name, user in owners.items() if _seller_word(name) == word), None)


# ---------------------------------------------------------------------------- keys


def derived_key(identity: str) -> str:
    """The key derived from a company's identity text (``id:C10001``, ``name:acme``):
    ``ALMS-`` and the first 12 hexadecimal digits (upper case) of its SHA-256."""
    return KEY_PREFIX + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12].upper()


def _canon(name: str) -> str:
    return canonical_name(name) or " ".join(name.split()).casefold()


def _first_id(ids: Any) -> str:
    parts = sorted(p.strip() for p in cell_text(ids).split(",") if p.strip())
    return parts[0] if parts else ""


@dataclass
class _Company:
    kind: str  # "client", "lapsed" or "prospect"
    client_key: str
    name: str
    identity: str  # what the derived key is made from
    names: set[str]  # canonical names it is known by
    previous: int | None = None  # index of the matched earlier row
    key: str = ""


def _prospect_choice(prospects: pd.DataFrame) -> pd.DataFrame:
    """The prospects ordered by the one-owner rule: best category, best fit, first row."""
    rank = prospects["category"].map(lambda c: _CATEGORY_RANK.get(str(c).upper(), len(_CATEGORY_RANK)))
    fit = pd.to_numeric(prospects["fit_score"], errors="coerce") if "fit_score" in prospects.columns else None
    row = prospects["source_row"] if "source_row" in prospects.columns else pd.Series(range(len(prospects)),
                                                                                       index=prospects.index)
    order = pd.DataFrame({"_rank": rank, "_fit": -(fit.fillna(-1e9)) if fit is not None else 0.0,
                          "_row": pd.to_numeric(row, errors="coerce")}, index=prospects.index)
    return prospects.loc[order.sort_values(["_rank", "_fit", "_row"], kind="stable").index]


def _companies(official: OfficialList, client_of: Mapping[str, str] | None) -> tuple[
        list[_Company], dict[str, int], dict[object, int]]:
    """Every company of the list, once: clients (by ``client_key``), then lapsed clients not
    listed as clients, then prospects (one per canonical name, none that is a client).
    Returns them, client_key -> company, prospect row index -> company."""
    companies: list[_Company] = []
    by_key: dict[str, int] = {}
    by_canon: dict[str, int] = {}
    spellings: dict[str, set[str]] = {}
    for raw, key in (client_of or {}).items():
        spellings.setdefault(str(key), set()).add(_canon(str(raw)))
    accounts = official.accounts
    ids = accounts["client_ids"] if "client_ids" in accounts.columns else pd.Series("", index=accounts.index)
    for key, name, id_text in zip(accounts["client_key"], accounts["client"], ids, strict=True):
        key, name = cell_text(key), cell_text(name)
        if key in by_key:
            continue
        first = _first_id(id_text)
        names = {_canon(name), *spellings.get(key, set())}
        by_key[key] = len(companies)
        companies.append(_Company("client", key, name, f"id:{first}" if first else f"name:{key}", names))
    lapsed = official.lapsed
    if lapsed is not None and len(lapsed):
        keys = lapsed["client_key"] if "client_key" in lapsed.columns else pd.Series("", index=lapsed.index)
        for key, name in zip(keys, lapsed["client"], strict=True):
            key, name = cell_text(key), cell_text(name)
            ident = key or _canon(name)
            if ident in by_key:
                companies[by_key[ident]].kind = "lapsed"
                continue
            by_key[ident] = len(companies)
            companies.append(_Company("lapsed", key, name, f"name:{ident}",
                                      {_canon(name), *spellings.get(key, set())}))
    for i, company in enumerate(companies):
        for canon in company.names:
            by_canon.setdefault(canon, i)
    by_row: dict[object, int] = {}
    prospects = official.prospects
    if prospects is not None and len(prospects):
        already = official.already_clients()
        for index, rec in already.iterrows():
            found = by_key.get(str(rec["client_key"])) if rec["client_key"] else by_canon.get(_canon(str(rec["client"])))
            if found is not None:
                by_row[index] = found
        for index, name in _prospect_choice(prospects)["prospect"].items():
            if index in by_row:
                continue
            canon = _canon(cell_text(name))
            if canon in by_canon:  # a second seller's row of the same prospect (or a client's name)
                by_row[index] = by_canon[canon]
                continue
            by_canon[canon] = by_row[index] = len(companies)
            companies.append(_Company("prospect", "", cell_text(name).strip(), f"name:{canon}", {canon}))
    return companies, by_key, by_row


def _previous_rows(previous: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """The earlier list's rows as (client_key, canonical name, tier, alms_key), clients first."""
    rows = []
    keys = previous["alms_key"] if "alms_key" in previous.columns else pd.Series("", index=previous.index)
    for key, name, tier, alms in zip(previous["client_key"], previous["name"], previous["tier"], keys, strict=True):
        tier = cell_text(tier).strip().upper()
        client = tier not in _PROSPECT_TIERS
        rows.append((cell_text(key).strip() if client else "", _canon(cell_text(name)), tier, cell_text(alms).strip()))
    return sorted(rows, key=lambda r: r[2] in _PROSPECT_TIERS)  # stable: clients first, in file order


def _match_previous(companies: list[_Company], previous: pd.DataFrame | None) -> list[tuple[str, str]]:
    """Match each company to an earlier row (one to one; the rows of one earlier company
    count as one), kept as ``company.previous``; returns every earlier row's (tier, alms_key)."""
    if previous is None or not len(previous):
        return []
    rows = _previous_rows(previous)
    by_key: dict[str, int] = {}
    by_canon: dict[str, int] = {}
    for i, (key, canon, _tier, _alms) in enumerate(rows):
        if key:
            by_key.setdefault(key, i)
        by_canon.setdefault(canon, i)
    used: set[tuple[str, str]] = set()

    def ident(i: int) -> tuple[str, str]:  # one earlier company: its key, else its name
        key, canon, _t, alms = rows[i]
        return ("k", alms) if alms else (("c", key) if key else ("n", canon))

    for company in companies:  # by client key first, then by any of the company's names
        if company.client_key and company.client_key in by_key and ident(by_key[company.client_key]) not in used:
            company.previous = by_key[company.client_key]
            used.add(ident(company.previous))
    for company in companies:
        if company.previous is not None:
            continue
        for canon in sorted(company.names, key=lambda c: c != _canon(company.name)):  # its own name first
            hit = by_canon.get(canon)
            if hit is not None and ident(hit) not in used:
                company.previous = hit
                used.add(ident(hit))
                break
    return [(r[2], r[3]) for r in rows]


def _assign_keys(companies: list[_Company], earlier: list[tuple[str, str]]) -> None:
    taken: set[str] = set()
    for company in companies:  # kept keys first: they win over derived ones
        if company.previous is not None:
            alms = earlier[company.previous][1]
            if alms and alms not in taken:
                company.key = alms
                taken.add(alms)
    for company in companies:
        if company.key:
            continue
        key, n = derived_key(company.identity), 1
        while key in taken:
            n += 1
            key = derived_key(f"{company.identity}#{n}")
        company.key = key
        taken.add(key)


def _keyed(official: OfficialList, previous: pd.DataFrame | None, client_of: Mapping[str, str] | None
           ) -> tuple[list[_Company], dict[str, int], dict[object, int], list[tuple[str, str]]]:
    companies, by_key, by_row = _companies(official, client_of)
    earlier = _match_previous(companies, previous)
    _assign_keys(companies, earlier)
    return companies, by_key, by_row, earlier


def with_alms_keys(official: OfficialList, previous: pd.DataFrame | None = None, *,
                   client_of: Mapping[str, str] | None = None) -> OfficialList:
    """``official`` with an ``alms_key`` column on its accounts, prospects and lapsed clients
    (the rule in the module docstring). ``previous``: the earlier review's accounts.csv
    (:attr:`alms_toolkit.io.review.Review.accounts`: ``client_key``, ``name``, ``tier`` and,
    when that review wrote it, ``alms_key``); ``client_of``: today's raw spellings ->
    ``client_key`` (:attr:`Combination.client_of`), to find a client by any of its names.
    A prospect that is already a client carries the client's key. Pure: new frames."""
    companies, by_key, by_row, _ = _keyed(official, previous, client_of)
    accounts = official.accounts.assign(alms_key=[companies[by_key[cell_text(k)]].key
                                                  for k in official.accounts["client_key"]])
    lapsed = official.lapsed
    if lapsed is not None:
        keys = lapsed["client_key"] if "client_key" in lapsed.columns else pd.Series("", index=lapsed.index)
        lapsed = lapsed.assign(alms_key=[companies[by_key[cell_text(k) or _canon(cell_text(n))]].key
                                         for k, n in zip(keys, lapsed["client"], strict=True)])
    prospects = official.prospects
    if prospects is not None:
        prospects = prospects.assign(alms_key=[companies[by_row[i]].key if i in by_row else ""
                                               for i in prospects.index])
    return dataclasses.replace(official, accounts=accounts, prospects=prospects, lapsed=lapsed)


# ---------------------------------------------------------------------------- records


def _positions(seller_accounts: pd.DataFrame) -> dict[str, int]:
    """client_key -> its place (1 = first) in its seller's list, in the list's order."""
    if seller_accounts is None or not len(seller_accounts):
        return {}
    place = seller_accounts.groupby("seller", sort=False).cumcount() + 1
    return {cell_text(k): int(p) for k, p in zip(seller_accounts["client_key"], place, strict=True)}


def _domain(frame: pd.DataFrame, index: object) -> str:
    return cell_text(frame.at[index, "domain"]).strip() if "domain" in frame.columns else ""


def crm_records(official: OfficialList, owners: Mapping[str, CrmUser],
                previous: pd.DataFrame | None = None, *,
                client_of: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The official list as ONE ROW PER COMPANY (:data:`RECORD_COLUMNS`, every value text,
    ``""`` when unknown): the clients by tier and rank, then the prospects by category and
    seller, then the lapsed clients alphabetically (which row stands for a company: the
    module docstring). ``owners``: seller -> :class:`CrmUser` (a seller missing from it has
    empty ``owner_*`` fields: :func:`readiness_problems` says so). ``previous``: the earlier
    review's accounts.csv (keys kept, ``previous_tier``); keys already on ``official``
    (:func:`with_alms_keys`) are used as they are. Pure."""
    companies, by_key, by_row, earlier = _keyed(official, previous, client_of)
    given: dict[int, str] = {}
    if "alms_key" in official.accounts.columns:  # decided once for the run: every file the same
        for k, alms in zip(official.accounts["client_key"], official.accounts["alms_key"], strict=True):
            given[by_key[cell_text(k)]] = cell_text(alms)
    if official.lapsed is not None and "alms_key" in official.lapsed.columns:
        keys = official.lapsed["client_key"] if "client_key" in official.lapsed.columns else [""] * len(official.lapsed)
        for k, n, alms in zip(keys, official.lapsed["client"], official.lapsed["alms_key"], strict=True):
            given[by_key[cell_text(k) or _canon(cell_text(n))]] = cell_text(alms)
    if official.prospects is not None and "alms_key" in official.prospects.columns:
        for i, alms in official.prospects["alms_key"].items():
            if i in by_row and cell_text(alms):
                given.setdefault(by_row[i], cell_text(alms))
    for i, alms in given.items():
        if alms:
            companies[i].key = alms

    cut, as_of, review = to_str(official.cutoff), official.as_of.isoformat(), official.review_date.isoformat()
    positions = _positions(official.seller_accounts)
    flags: dict[str, str] = {}
    for key, flag in zip(official.flags["client_key"], official.flags["flag"], strict=True):
        flags.setdefault(cell_text(key), cell_text(flag))
    rows: list[dict[str, str]] = []

    def add(company: _Company, *, tier: str, billing: int, owner: str, position: str = "", flag: str = "",
            domain: str = "") -> None:
        user = find_user(owners, owner) if owner else None
        then = earlier[company.previous][0] if company.previous is not None else ""
        rows.append({
            "alms_key": company.key, "name": company.name, "tier": tier, "previous_tier": then,
            "is_target": "true" if tier == "TARGET" else "false", "billing_12m": to_str(billing),
            "cutoff": cut, "as_of": as_of, "review_date": review, "list_position": position, "flag": flag,
            "owner_name": owner,
            **{f"owner_{f}": (getattr(user, f) or "") if user is not None else "" for f in OWNER_FIELDS},
            "domain": domain,
        })

    order = {t: i for i, t in enumerate(RECORD_TIERS)}
    accounts = official.accounts
    ordered = accounts.assign(
        _tier=accounts["tier"].map(order), _rank=pd.to_numeric(accounts["rank"], errors="coerce"),
        _neg=-accounts["billing"].astype("int64"),
    ).sort_values(["_tier", "_rank", "_neg", "client"], na_position="last", kind="stable")
    done: set[int] = set()
    for index, rec in ordered.iterrows():
        i = by_key[cell_text(rec["client_key"])]
        if i in done or companies[i].kind == "lapsed":
            continue
        done.add(i)
        key = companies[i].client_key
        add(companies[i], tier=str(rec["tier"]), billing=int(rec["billing"]), owner=cell_text(rec["owner"]).strip(),
            position=str(positions[key]) if key in positions else "", flag=flags.get(key, ""),
            domain=_domain(accounts, index))

    prospects = official.prospects
    if prospects is not None and len(prospects):
        chosen = _prospect_choice(prospects)
        firsts: dict[int, object] = {}
        for index in chosen.index:
            i = by_row.get(index)
            if i is not None and companies[i].kind == "prospect":
                firsts.setdefault(i, index)
        keep = prospects.loc[list(firsts.values())]
        keep = keep.assign(_cat=keep["category"].map(order)).sort_values(["_cat", "seller"], kind="stable")
        for index, rec in keep.iterrows():
            i = by_row[index]
            add(companies[i], tier=str(rec["category"]).upper(), billing=0, owner=cell_text(rec["seller"]).strip(),
                domain=_domain(prospects, index))

    lapsed = official.lapsed
    if lapsed is not None and len(lapsed):
        keys = lapsed["client_key"] if "client_key" in lapsed.columns else pd.Series("", index=lapsed.index)
        frame = lapsed.assign(_key=keys).sort_values("client", key=lambda s: s.astype(str).str.casefold(),
                                                     kind="stable")
        for index, rec in frame.iterrows():
            ident = cell_text(rec["_key"]) or _canon(cell_text(rec["client"]))
            i = by_key[ident]
            if i in done:
                continue
            done.add(i)
            add(companies[i], tier="LAPSED", billing=0, owner=cell_text(rec["last_seller"]).strip(),
                flag=flags.get(companies[i].client_key, "lapsed") if companies[i].client_key else "lapsed",
                domain=_domain(lapsed, index))
    return pd.DataFrame(rows, columns=list(RECORD_COLUMNS), dtype=object)


def record_sellers(official: OfficialList) -> tuple[str, ...]:
    """Every seller who owns a company of the CRM records (owners of clients, sellers of the
    prospects exported, last sellers of lapsed clients), in the list's order: the sellers
    client.yml's ``crm.owners`` must map (``alms crm-owners`` writes them)."""
    records = crm_records(official, {})
    return tuple(dict.fromkeys(s for s in records["owner_name"] if s))


# ---------------------------------------------------------------------------- readiness


@dataclass(frozen=True)
class ReadinessProblem:
    """One reason the CRM files would not import cleanly (``blocking``), or a decision the
    consultant should know of (not blocking): ``code`` (``unmapped_owner``,
    ``duplicate_key``, ``duplicate_name``, ``two_owners``, ``target_is_client``,
    ``missing_field``; notice: ``owner_chosen``), ``message`` in a consultant's words,
    naming the setting or file that fixes it (``fix``), and the ``names`` concerned."""

    code: str
    message: str
    names: tuple[str, ...] = ()
    fix: str = ""
    blocking: bool = True

    def to_dict(self) -> dict[str, object]:
        return {"reason": self.code, "message": self.message, "examples": list(self.names),
                "n_rows": len(self.names), "fix": self.fix, "blocking": self.blocking}


_SHOWN = 8


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_SHOWN])
    more = len(names) - _SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _fold_name(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def readiness_problems(official: OfficialList, records: pd.DataFrame, owners: Mapping[str, CrmUser], *,
                       needs: Mapping[str, Sequence[str]] | None = None) -> list[ReadinessProblem]:
    """Everything that would keep ``records`` (:func:`crm_records` of ``official``) from
    importing cleanly, all at once: a company on two rows (same ``alms_key``, or the same
    name once case and spacing are ignored), a company under two owners, a TARGET that is a
    current client, a seller with no CRM user (``needs``: preset -> the identity fields it
    can use, one of which each owner must have; default: an email, a CRM user name or a
    user ID), a row without its key, name, tier or owner. Also, not blocking, each prospect
    on several sellers' lists and the seller it was exported under."""
    problems: list[ReadinessProblem] = []
    keys = records["alms_key"].astype(str)
    names = records["name"].astype(str)

    twice = sorted(k for k, n in keys[keys != ""].value_counts().items() if n > 1)
    if twice:
        shown = [f"{k} ({', '.join(dict.fromkeys(names[keys == k]))})" for k in twice]
        problems.append(ReadinessProblem(
            "duplicate_key", f"{_count(len(twice), 'key')} on more than one row: {_listed(shown)}. Each company "
            "must have its own key, or the import merges them.", tuple(twice),
            "accounts.csv of the earlier review (its alms_key column)"))
    folded = names.map(_fold_name)
    same = [n for n, c in folded[folded != ""].value_counts().items() if c > 1]
    if same:
        shown = sorted({names[folded == f].iloc[0] for f in same})
        problems.append(ReadinessProblem(
            "duplicate_name", f"{_count(len(shown), 'company', 'companies')} on more than one row under the same "
            f"name: {_listed(shown)}. Combine the spellings (decisions.yml, merges) or drop the extra prospect row "
            "(prospects.csv).", tuple(shown), "decisions.yml (merges) or prospects.csv"))
        owners_of = {f: set(records.loc[folded == f, "owner_name"].astype(str)) for f in same}
        split = sorted(names[folded == f].iloc[0] for f, o in owners_of.items() if len(o) > 1)
        if split:
            problems.append(ReadinessProblem(
                "two_owners", f"{_count(len(split), 'company', 'companies')} under two sellers: {_listed(split)}. "
                "A company has one owner in the CRM: keep it on one seller's list.", tuple(split),
                "prospects.csv, or decisions.yml (owners)"))

    clients = {_fold_name(n) for n, t in zip(names, records["tier"], strict=True) if t in _CLIENT_TIERS}
    clients |= {str(k) for k, t in zip(keys, records["tier"], strict=True) if t in _CLIENT_TIERS}
    targets = sorted(n for n, k, t in zip(names, keys, records["tier"], strict=True)
                     if t in _PROSPECT_TIERS and (_fold_name(n) in clients or k in clients))
    already = official.already_clients()
    lost = sorted(str(c) for k, c in zip(already["client_key"], already["client"], strict=True)
                  if not k and _fold_name(str(c)) not in clients)
    if targets or lost:
        shown = sorted(set(targets) | set(lost))
        problems.append(ReadinessProblem(
            "target_is_client", f"{_count(len(shown), 'prospect')} listed as new business although already "
            f"{'a client' if len(shown) == 1 else 'clients'}: {_listed(shown)}. Take them off the prospect list.",
            tuple(shown), "prospects.csv"))

    sellers = list(dict.fromkeys(s for s in records["owner_name"].astype(str) if s))
    for preset, fields in (needs or {"the CRM files": ANY_IDENTITY}).items():
        missing = [s for s in sellers if not ((u := find_user(owners, s)) is not None and u.has_any(fields))]
        if missing:
            words = [_FIELD_WORDS.get(f, f) for f in fields]
            what = f"an {words[0]}" if len(words) == 1 and words[0][0] in "aeiou" else (
                f"a {words[0]}" if len(words) == 1 else "one of: " + ", ".join(words))
            problems.append(ReadinessProblem(
                "unmapped_owner", f"{_count(len(missing), 'seller')} with no CRM user for {preset} (each owner "
                f"needs {what}): {_listed(missing)}. Add them to client.yml under crm.owners (alms crm-owners "
                "writes an entry for each seller to fill in).", tuple(missing), _HOW_TO_MAP))

    for column, word, fix in (("alms_key", "key", "accounts.csv of the earlier review (alms_key)"),
                              ("name", "name", "the billing file or prospects.csv"),
                              ("tier", "tier", "the audit's figures"),
                              ("owner_name", "seller", "decisions.yml (owners), the account list or prospects.csv")):
        blank = records[records[column].astype(str).str.strip() == ""]
        if len(blank):
            shown = [n or k or "(no name)" for n, k in zip(blank["name"].astype(str), blank["alms_key"].astype(str),
                                                         strict=True)]
            problems.append(ReadinessProblem(
                "missing_field", f"{_count(len(blank), 'row')} without a {word}: {_listed(shown)}. Give "
                f"{'it' if len(blank) == 1 else 'them'} one in {fix}.", tuple(shown), fix))

    problems += _owners_chosen(official, records)
    return problems


def _owners_chosen(official: OfficialList, records: pd.DataFrame) -> list[ReadinessProblem]:
    """A notice per prospect on several sellers' lists: which seller it is exported under."""
    prospects = official.prospects
    if prospects is None or not len(prospects):
        return []
    owner_of = {_fold_name(n): o for n, o in zip(records["name"].astype(str), records["owner_name"].astype(str),
                                                   strict=True)}
    canon = prospects["prospect"].astype(str).map(_canon)
    out = []
    for _canonical, group in prospects.groupby(canon, sort=True):
        sellers = list(dict.fromkeys(group["seller"].astype(str).str.strip()))
        if len(sellers) < 2:
            continue
        name = str(group["prospect"].iloc[0]).strip()
        owner = owner_of.get(_fold_name(name))
        if owner is None:  # a prospect that is a client: exported as the client
            continue
        others = [s for s in sellers if s != owner]
        out.append(f"{name} (exported under {owner}; also on {', '.join(others)}'s list)")
    if not out:
        return []
    return [ReadinessProblem(
        "owner_chosen", f"{_count(len(out), 'prospect')} on several sellers' lists, each exported once under "
        f"one seller (best category, then best fit, then the first row): {_listed(out)}. To choose another, "
        "drop the other seller's row in prospects.csv.", tuple(out), "prospects.csv", blocking=False)]


class CrmNotReadyError(BadInputError):
    """The CRM files would not import cleanly: every blocking :class:`ReadinessProblem` at once (exit 2)."""

    reason = "crm_not_ready"

    def __init__(self, problems: Sequence[ReadinessProblem]) -> None:
        self.problems = tuple(problems)
        if len(self.problems) == 1:
            text = f"The CRM import files cannot be written yet: {self.problems[0].message}"
        else:
            text = "\n".join([f"The CRM import files cannot be written yet ({len(self.problems)} problems):",
                              *(f"  - {p.message}" for p in self.problems)])
        super().__init__(text)

    def details(self) -> dict[str, object]:
        out = super().details()
        out["problems"] = [p.to_dict() for p in self.problems]
        return out


class UnmappedOwnersError(CrmNotReadyError):
    """Sellers with no CRM user in client.yml's ``crm.owners`` (and nothing else wrong)."""

    reason = "crm_owners_unmapped"


def check_readiness(official: OfficialList, records: pd.DataFrame, owners: Mapping[str, CrmUser], *,
                    needs: Mapping[str, Sequence[str]] | None = None) -> tuple[ReadinessProblem, ...]:
    """:func:`readiness_problems`, raising :class:`UnmappedOwnersError` when the only
    blocking problems are unmapped sellers, else :class:`CrmNotReadyError` listing every
    blocking problem; returns the notices (not blocking) for the consultant to read."""
    found = readiness_problems(official, records, owners, needs=needs)
    blocking = [p for p in found if p.blocking]
    if blocking:
        if all(p.code == "unmapped_owner" for p in blocking):
            raise UnmappedOwnersError(blocking)
        raise CrmNotReadyError(blocking)
    return tuple(p for p in found if not p.blocking)



# ---------------------------------------------------------------------------- changes


def _row_ids(frame: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """(alms_key, kind, client_key, canonical name) of each accounts.csv row; kind ``p`` for a
    prospect row, ``c`` for a client's."""
    def column(name: str) -> list[str]:
        return [cell_text(v).strip() for v in frame[name]] if name in frame.columns else [""] * len(frame)

    kinds = ["p" if t.upper() in _PROSPECT_TIERS else "c" for t in column("tier")]
    return [(a, k, c if k == "c" else "", _canon(n)) for a, k, c, n in
            zip(column("alms_key"), kinds, column("client_key"), column("name"), strict=True)]


def accounts_changes(now: pd.DataFrame, then: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``now`` (an accounts.csv table) whose ``tier``, ``owner`` or ``flag``
    differ from the same company's row in ``then`` (the review's accounts.csv, as
    :func:`alms_toolkit.io.review.read_review` gives it), and the rows of companies it did
    not list: what a monthly import must update. The row is found by ``alms_key`` (a client
    row to a client row, a prospect row to a prospect row, else any), else by ``client_key``,
    else by the name (canonical, a client's row first). Same columns and order as ``now``. Pure."""
    earlier = _row_ids(then)
    tiers = [cell_text(v).strip().upper() for v in then["tier"]] if len(then) else []
    owners = [cell_text(v).strip() for v in then["owner"]] if "owner" in then.columns else [""] * len(then)
    flags = [cell_text(v).strip() for v in then["flag"]] if "flag" in then.columns else [""] * len(then)
    lookups: list[dict[tuple[str, ...], int]] = [{}, {}, {}, {}, {}]
    for i, (alms, kind, key, canon) in enumerate(earlier):
        for table, ident in zip(lookups, ((alms, kind), (alms,), (key,), (canon, kind), (canon,)), strict=True):
            if all(ident):
                table.setdefault(ident, i)
    keep: list[bool] = []
    for (alms, kind, key, canon), tier, owner, flag in zip(
            _row_ids(now), now["tier"], now["owner"], now["flag"] if "flag" in now.columns else [""] * len(now),
            strict=True):
        found = next((table[ident] for table, ident in zip(
            lookups, ((alms, kind), (alms,), (key,), (canon, kind), (canon,)), strict=True)
            if all(ident) and ident in table), None)
        keep.append(found is None or (cell_text(tier).strip().upper(), cell_text(owner).strip(),
                                      cell_text(flag).strip()) != (tiers[found], owners[found], flags[found]))
    return now.loc[keep].reset_index(drop=True)
