"""The four symptoms of ALMS_METHOD.md, read off the list the sellers have today.

Each :class:`Symptom` is ``pass``, ``fail`` or ``not assessed`` (an input is missing),
with an evidence sentence written for the client's sales manager and a few examples:

* ``out_of_date``: the list was published more than a month before ``as_of``, or it
  misses spending clients, or it still lists accounts that billed nothing in the window;
* ``alphabetical``: (judged by) Spearman rank correlation of the list order with name order and with
  billing order (within each seller's section when the list has sellers); fails when the
  order is clearly alphabetical (rho >= ALPHA_RHO and at least ALPHA_MARGIN above the
  correlation with billing);
* ``no_billing_level``: the list has no billing column, or it is empty;
* ``no_targets``: neither a prospects file nor the list names a new-business TARGET.

The account list is read with canonical columns: ``source_row``, ``account`` (or
``client``: the account name), optionally ``seller`` (or ``owner``), ``billing`` and
``category``. List names are matched to clients through ``client_of`` (raw name ->
``client_key``) and, failing that, through the same canonical names as the duplicates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import money
from ..count_words import agree, plural
from ..date_text import day_text
from .names import canonical_keys, canonical_name, first_by_canonical
from .prospects import normalise_category

__all__ = [
    "Symptom",
    "SymptomCounts",
    "assess_symptoms",
    "count_symptoms",
    "settle_shared_spellings",
    "PASS",
    "FAIL",
    "NOT_ASSESSED",
    "SYMPTOM_IDS",
    "ALPHA_RHO",
    "ALPHA_MARGIN",
    "MIN_SECTION",
    "MAX_EXAMPLES",
]

PASS = "pass"
FAIL = "fail"
NOT_ASSESSED = "not assessed"
SYMPTOM_IDS = ("out_of_date", "alphabetical", "no_billing_level", "no_targets")
_TITLES = {
    "out_of_date": "Out of date",
    "alphabetical": "Alphabetical order",
    "no_billing_level": "No billing level",
    "no_targets": "No new-business targets",
}
#: alphabetical fails when the rank correlation with name order is at least ALPHA_RHO ...
ALPHA_RHO = 0.8
#: ... and at least ALPHA_MARGIN above the correlation with billing order
ALPHA_MARGIN = 0.3
#: a seller's section needs this many accounts for its order to say anything
MIN_SECTION = 3
#: examples listed per symptom
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Symptom:
    id: str
    title: str
    status: str  # "pass" | "fail" | "not assessed"
    evidence: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class SymptomCounts:
    """How many symptoms were found, passed and not assessed. A symptom not assessed (its
    input is missing) is neither found nor passed: nothing is known about it."""

    total: int
    found: int
    passed: int
    not_assessed: int

    @property
    def assessed(self) -> int:
        return self.found + self.passed

    def to_dict(self) -> dict[str, int]:
        """``n_symptoms``, ``n_symptoms_assessed``, ``n_symptoms_found``,
        ``n_symptoms_not_assessed`` (the keys summary.json uses)."""
        return {
            "n_symptoms": self.total,
            "n_symptoms_assessed": self.assessed,
            "n_symptoms_found": self.found,
            "n_symptoms_not_assessed": self.not_assessed,
        }


def count_symptoms(symptoms: Iterable[Symptom]) -> SymptomCounts:
    """The counts of ``symptoms`` by status (see :class:`SymptomCounts`)."""
    statuses = [s.status for s in symptoms]
    unknown = [s for s in statuses if s not in (PASS, FAIL, NOT_ASSESSED)]
    if unknown:
        raise ValueError(f"unknown symptom status {unknown[0]!r}")
    return SymptomCounts(
        total=len(statuses),
        found=statuses.count(FAIL),
        passed=statuses.count(PASS),
        not_assessed=statuses.count(NOT_ASSESSED),
    )


def _symptom(sid: str, status: str, evidence: str, examples: tuple[str, ...] = ()) -> Symptom:
    return Symptom(id=sid, title=_TITLES[sid], status=status, evidence=evidence, examples=examples)


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def _texts(column: pd.Series) -> pd.Series:
    """:func:`_text` of every cell (an object Series, same index)."""
    return pd.Series([v.strip() if type(v) is str else _text(v) for v in column.tolist()], index=column.index,
                     dtype=object)


def _column(frame: pd.DataFrame, *names: str) -> str | None:
    return next((n for n in names if n in frame.columns), None)


def _eg(items: list[str]) -> str:
    shown = ", ".join(items[:3])
    return f", e.g. {shown}" if shown else ""


def settle_shared_spellings(
    shared: Mapping[str, tuple[str, ...]], exact: dict[str, str], stripped: dict[str, str],
    canonical: dict[str, str],
) -> None:
    """Point each spelling the ledger writes under several client ids (``shared``: spelling ->
    the clients it is now), as written, trimmed and canonical, at its one client once they are
    combined, or at none while they are apart (a list or decision naming it is never guessed
    onto one of them). Updates the three lookups of a name resolver in place."""
    for name, keys in shared.items():
        for table, written in ((exact, name), (stripped, name.strip()), (canonical, canonical_name(name))):
            if len(keys) == 1:
                table[written] = keys[0]
            else:
                table.pop(written, None)


class _Matcher:
    """List name -> client_key (None when the name is no client's, or names several clients:
    a spelling the ledger writes under several client ids that are still apart)."""

    def __init__(
        self, accounts: pd.DataFrame, client_of: Mapping[str, str],
        shared: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.raw = dict(client_of)
        if not set(map(type, self.raw)) <= {str}:
            self.raw = {str(k): v for k, v in client_of.items()}
        # the accounts' spellings first, then the raw ones
        self.canon = first_by_canonical([*accounts["client"].astype(str).tolist(), *self.raw],
                                        [*accounts["client_key"].tolist(), *self.raw.values()])
        self.canon.pop("", None)
        self.several: dict[str, tuple[str, ...]] = {}
        settle_shared_spellings(shared or {}, self.raw, self.raw, self.canon)
        for name, keys in (shared or {}).items():
            if len(keys) > 1:
                self.several.update({name.strip(): keys, canonical_name(name): keys})

    def __call__(self, name: str) -> str | None:
        key = self.raw.get(name) or self.raw.get(name.strip())
        if key is not None:
            return key
        c = canonical_name(name)
        return self.canon.get(c) if c else None

    def clients_of(self, name: str) -> tuple[str, ...]:
        """The clients a name stands for when it names several (no one client), else ()."""
        if not self.several:
            return ()
        return self.several.get(name.strip()) or self.several.get(canonical_name(name)) or ()


def _billing_of(accounts: pd.DataFrame) -> dict[object, int]:
    """client_key -> billing, as a dict: looked up once per list entry."""
    return dict(zip(accounts["client_key"].tolist(), accounts["billing"].tolist(), strict=True))


def _spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra = pd.Series(a).rank(method="average").to_numpy(dtype=float)
    rb = pd.Series(b).rank(method="average").to_numpy(dtype=float)
    if len(ra) < 2 or ra.std() == 0 or rb.std() == 0:
        return float("nan")
    return float(np.corrcoef(ra, rb)[0, 1])


# ----------------------------------------------------------------------------- the four


def _out_of_date(
    entries: pd.DataFrame,
    list_date: dt.date | None,
    accounts: pd.DataFrame,
    prospect_canon: set[str],
    as_of: dt.date,
    currency: str,
) -> Symptom:
    reasons: list[str] = []
    examples: list[str] = []
    fine: list[str] = []
    limit = (pd.Timestamp(as_of) - pd.DateOffset(months=1)).date()
    if list_date is None:
        fine.append("its publication date is not known (set account_list.date in client.yml)")
    elif list_date < limit:
        months = (as_of.year - list_date.year) * 12 + as_of.month - list_date.month
        reasons.append(
            f"it was last published on {day_text(list_date)}, about {plural(months, 'month')} "
            f"before {day_text(as_of)} (it should be republished at least monthly)"
        )
    else:
        fine.append(f"it was published on {day_text(list_date)}, within a month of {day_text(as_of)}")

    spending = accounts[accounts["billing"] > 0]
    on_list = set(entries["client_key"].dropna().tolist()) | {k for keys in entries["several"].tolist() for k in keys}
    missing = spending[~spending["client_key"].isin(on_list)].sort_values(
        ["billing", "client"], ascending=[False, True]
    )
    if len(missing):
        tiers = accounts.set_index("client_key")["tier"] if "tier" in accounts.columns else None
        shown = missing.head(max(3, MAX_EXAMPLES))  # only these are named (_eg, the examples)
        names = [
            f"{r.client} ({money.format_money(int(r.billing), currency)})" for r in shown.itertuples()
        ]
        n_key = int((tiers.reindex(missing["client_key"]) == "KEY").sum()) if tiers is not None else 0
        key_txt = f" ({n_key} of them KEY)" if n_key else ""
        reasons.append(
            f"{len(missing)} of your {plural(len(spending), 'spending client')} "
            f"{agree(len(missing), 'is', 'are')} not on the list{key_txt}"
            f"{_eg(names)}"
        )
        examples += [f"missing: {n}" for n in names[:MAX_EXAMPLES]]
    else:
        fine.append(f"all {len(spending)} spending clients are on it" if len(spending) != 1
                    else "the one spending client is on it")

    billing = _billing_of(accounts)
    dead = []
    keys = entries["client_key"].tolist()
    spends = [b is not None and b > 0 for b in map(billing.get, keys)]  # a key None is no client's
    for name, spent, canon, several in zip(entries["name"].tolist(), spends,
                                           entries["canon"].tolist(), entries["several"].tolist(), strict=True):
        if spent:
            continue
        if any(int(billing.get(k, 0)) > 0 for k in several):
            continue
        if canon and canon in prospect_canon:
            continue  # a prospect on the list is not a stale client
        dead.append(name)
    dead = list(dict.fromkeys(dead))
    if dead:
        reasons.append(
            f"{plural(len(dead), 'account')} on the list billed nothing in the last 12 months"
            f"{_eg(dead)}"
        )
        examples += [f"not spending: {n}" for n in dead[:MAX_EXAMPLES]]
    else:
        fine.append("every account on it billed in the last 12 months")

    several = _several_text(entries, accounts)
    if reasons:
        text = "The list is out of date: " + "; ".join(reasons) + "." + several
        return _symptom("out_of_date", FAIL, text, tuple(examples))
    return _symptom("out_of_date", PASS, "The list is current: " + "; ".join(fine) + "." + several)


def _several_text(entries: pd.DataFrame, accounts: pd.DataFrame) -> str:
    """A sentence on the list's names that stand for several clients of one name with
    different client ids ("" when none): read as all of them, no seller given to either."""
    rows = entries[entries["several"].map(len) > 0].drop_duplicates("name")
    if rows.empty:
        return ""
    name_of = dict(zip(accounts["client_key"], accounts["client"], strict=True))
    parts = [
        f"{r.name} stands for {' and '.join(str(name_of.get(k, k)) for k in r.several)}"
        + (f", and its seller on the list, {r.seller}, was given to neither" if r.seller else "")
        for r in rows.head(MAX_EXAMPLES).itertuples()
    ]
    more = f" and {len(rows) - MAX_EXAMPLES} more" if len(rows) > MAX_EXAMPLES else ""
    return (
        f" {plural(len(rows), 'name')} on the list {agree(len(rows), 'stands', 'stand')} for "
        f"several clients of one name with different client IDs ({'; '.join(parts)}{more}): "
        "each is counted as on the list; write the client ID beside the name in the list "
        "(a Client ID column) to tell them apart."
    )


def _alphabetical(entries: pd.DataFrame, accounts: pd.DataFrame, has_sellers: bool) -> Symptom:
    billing = _billing_of(accounts)
    keys = entries["client_key"].tolist()
    frame = entries.assign(
        bill=[b if b is not None else (0 if k is not None else sum(int(billing.get(s, 0)) for s in several))
              for b, k, several in zip(map(billing.get, keys), keys, entries["several"].tolist(), strict=True)],
        alpha=[n.casefold() for n in entries["name"].tolist()],
    )
    groups = [g for _, g in frame.groupby("seller", sort=False)] if has_sellers else [frame]
    usable = [g for g in groups if len(g) >= MIN_SECTION]
    if not usable:
        return _symptom(
            "alphabetical", NOT_ASSESSED,
            f"The list is too short to judge its order (fewer than {MIN_SECTION} accounts"
            f"{' per seller' if has_sellers else ''}).",
        )
    rho_a, rho_b, weights, top_at = [], [], [], []
    for g in usable:
        pos = np.arange(len(g))
        a = _spearman(pos, pd.Series(g["alpha"]).rank(method="average").to_numpy())
        b = _spearman(pos, (-g["bill"]).to_numpy())
        rho_a.append(0.0 if np.isnan(a) else a)
        rho_b.append(0.0 if np.isnan(b) else b)
        weights.append(len(g))
        top_at.append(int(np.argmax(g["bill"].to_numpy())) + 1)  # where the section's biggest account sits
    alpha = float(np.average(rho_a, weights=weights))
    bill = float(np.average(rho_b, weights=weights))
    # the evidence in plain words: where each section's biggest account sits
    n_sections, n_first = len(usable), sum(1 for t in top_at if t == 1)
    if has_sellers:
        place = (f"the biggest account of a seller's section comes first in {n_first:,} of the "
                 f"{plural(n_sections, 'section')} (on average at position {np.mean(top_at):.0f} of "
                 f"{np.mean(weights):.0f})")
    elif top_at[0] == 1:
        place = "the biggest account comes first"
    else:
        place = f"the biggest account sits at position {top_at[0]:,} of {weights[0]:,}, not first"
    if alpha >= ALPHA_RHO and alpha - bill >= ALPHA_MARGIN:
        first = list(usable[0]["name"].head(MAX_EXAMPLES))
        return _symptom(
            "alphabetical", FAIL,
            f"The list is in alphabetical order, not by billing: names run from A to Z "
            f"({', '.join(first[:3])}, ...), and {place}.",
            tuple(first),
        )
    closer = ("it mostly follows billing" if bill >= alpha
              else "it follows neither names nor billing")
    return _symptom(
        "alphabetical", PASS,
        f"The list is not in alphabetical order: {closer}; {place}.",
    )


def _no_billing_level(account_list: pd.DataFrame) -> Symptom:
    col = _column(account_list, "billing")
    if col is None:
        return _symptom(
            "no_billing_level", FAIL,
            "The list has no billing column: nothing on it says what each account spends.",
        )
    category_col = _column(account_list, "category", "tier")
    if category_col is not None:  # a prospect the list marks has no billing yet: not counted
        marked = account_list[category_col].map(normalise_category).isin(["TARGET", "EXTRA", "LEAD"])
        account_list = account_list[~marked]
    filled = account_list[col].map(_text) != ""
    n, k = len(account_list), int(filled.sum())
    if k == 0:
        return _symptom(
            "no_billing_level", FAIL,
            "The list has a billing column, but it is empty: nothing says what each account spends.",
        )
    gaps = f"; {n - k} {agree(n - k, 'has', 'have')} none" if k < n else ""
    return _symptom("no_billing_level", PASS, f"{k} of the {plural(n, 'account')} on the list "
                    f"{agree(k, 'shows', 'show')} a billing figure{gaps}.")


def _prospects_summary(prospects: pd.DataFrame | None) -> tuple[int, str]:
    """(number of TARGETs, a sentence on the prospects file) - "" when there is no file."""
    if prospects is None:
        return 0, ""
    if "category" not in prospects.columns or not len(prospects):
        return 0, "the prospects file is empty"
    cats = prospects["category"].map(normalise_category)
    counts = {c: int((cats == c).sum()) for c in ("TARGET", "EXTRA", "LEAD")}
    sellers = prospects["seller"].map(_text) if "seller" in prospects.columns else None
    with_t = set(sellers[cats == "TARGET"]) - {""} if sellers is not None else set()
    all_s = set(sellers) - {""} if sellers is not None else set()
    who = (f" ({len(with_t)} of {plural(len(all_s), 'seller')} {agree(len(with_t), 'has', 'have')} "
           "at least one)" if all_s else "")
    text = (
        f"{plural(counts['TARGET'], 'TARGET')}, {plural(counts['EXTRA'], 'EXTRA')} and {plural(counts['LEAD'], 'LEAD')} are "
        f"listed in the prospects file{who}"
    )
    return counts["TARGET"], text


def _no_targets(account_list: pd.DataFrame | None, prospects: pd.DataFrame | None) -> Symptom:
    """Judged on the list as the sellers have it today; without that list, on the prospects
    file. The prospects file prepared for the Challenge does not cure a list that has none."""
    n_prospect_targets, prospects_text = _prospects_summary(prospects)
    if account_list is not None:
        col = _column(account_list, "category", "tier")
        n = int((account_list[col].map(normalise_category) == "TARGET").sum()) if col is not None else 0
        if n:
            also = f"; {prospects_text}" if prospects_text else ""
            return _symptom("no_targets", PASS, f"The list names {plural(n, 'TARGET')}{also}.")
        if n_prospect_targets:
            extra = f" The prospects file prepared for this review fixes that: {prospects_text}."
        elif prospects_text:
            extra = f" And {prospects_text}."
        else:
            extra = " There is no prospects file either."
        return _symptom(
            "no_targets", FAIL,
            "No new-business targets: the list the sellers have names only existing accounts." + extra,
        )
    if prospects is not None:
        if n_prospect_targets:
            return _symptom("no_targets", PASS, f"{prospects_text}.")
        if prospects_text == "the prospects file is empty":
            return _symptom("no_targets", FAIL, "No new-business targets: the prospects file is empty.")
        return _symptom("no_targets", FAIL, f"No seller has a new-business TARGET: {prospects_text}.")
    return _symptom(
        "no_targets", NOT_ASSESSED,
        "Not assessed: neither the current account list nor a prospects file was given.",
    )


def assess_symptoms(
    account_list: pd.DataFrame | None,
    list_date: dt.date | None,
    accounts: pd.DataFrame,
    prospects: pd.DataFrame | None,
    client_of: Mapping[str, str],
    as_of: dt.date,
    *,
    currency: str = "$",
    shared: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[Symptom, ...]:
    """The four symptoms, in the order of ALMS_METHOD.md.

    ``account_list``: the list as the sellers have it (None when not given).
    ``accounts``: ``client_key``, ``client``, ``billing`` (window, micros), optionally ``tier``.
    ``prospects``: the prospects table (``seller``, ``prospect``, ``category``) or None.
    ``shared``: a spelling the ledger writes under several client ids -> the clients it is now
    (a list name standing for several of them is read as all of them, said in words).
    """
    no_list = "Not assessed: the current account list was not given (account_list in client.yml)."
    if account_list is None:
        return (
            _symptom("out_of_date", NOT_ASSESSED, no_list),
            _symptom("alphabetical", NOT_ASSESSED, no_list),
            _symptom("no_billing_level", NOT_ASSESSED, no_list),
            _no_targets(None, prospects),
        )
    name_col = _column(account_list, "account", "client", "name")
    if name_col is None:
        why = "Not assessed: the account list has no account name column."
        return (
            _symptom("out_of_date", NOT_ASSESSED, why),
            _symptom("alphabetical", NOT_ASSESSED, why),
            _no_billing_level(account_list),
            _no_targets(account_list, prospects),
        )
    seller_col = _column(account_list, "seller", "owner")
    names = _texts(account_list[name_col])
    sellers = _texts(account_list[seller_col]) if seller_col else pd.Series([""] * len(names), index=names.index)
    match = _Matcher(accounts, client_of, shared)
    keep = names != ""
    kept_names = names[keep].tolist()
    entries = pd.DataFrame({
        "name": names[keep].to_numpy(),
        "seller": sellers[keep].to_numpy(),
        "client_key": [match(n) for n in kept_names],
        "several": [match.clients_of(n) for n in kept_names],
        "canon": canonical_keys(list(kept_names)),
    })
    prospect_canon: set[str] = set()
    if prospects is not None and "prospect" in prospects.columns:
        prospect_canon = {c for c in (canonical_name(_text(p)) for p in prospects["prospect"]) if c}
    category_col = _column(account_list, "category", "tier")
    if category_col is not None:  # prospects the list itself marks (TARGET/EXTRA/LEAD)
        marked = account_list[category_col].map(normalise_category).isin(["TARGET", "EXTRA", "LEAD"])
        prospect_canon |= {canonical_name(n) for n in names[keep & marked]}
    has_sellers = bool((entries["seller"] != "").any())
    out_of_date = _out_of_date(entries, list_date, accounts, prospect_canon, as_of, currency)
    blank = int((~keep).sum())
    if blank:
        out_of_date = Symptom(
            out_of_date.id, out_of_date.title, out_of_date.status,
            out_of_date.evidence + f" ({plural(blank, 'row')} of the list with no account name "
            f"{agree(blank, 'was', 'were')} not counted.)",
            out_of_date.examples,
        )
    return (
        out_of_date,
        _alphabetical(entries, accounts, has_sellers),
        _no_billing_level(account_list),
        _no_targets(account_list, prospects),
    )
