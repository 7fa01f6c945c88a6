"""The one entry point: ``audit(client_dir)`` runs the whole ALMS Challenge analysis.

load -> combine duplicates -> cut-off & tiers -> owners & seller lists -> prospects
-> insights (growth, risk, lapsed) -> symptoms. The result is a frozen :class:`Audit`
that notebooks, reports, exports and widgets read; :meth:`Audit.summary` gives the
headline figures as JSON-ready data (``alms summary``, ``summary.json``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import money
from .config import ClientConfig
from .io.factorized import Factorized, FrameCodes, joined, rows_of

if TYPE_CHECKING:
    from .analysis.candidate_search import SearchAhead
    from .analysis.combine import Combination, Unsettled
    from .analysis.hierarchy import Hierarchy
    from .analysis.insights import Insights
    from .analysis.monthly import ClientCodes, MonthlyBilling
    from .analysis.official_list import OfficialList
    from .analysis.periods import Periods
    from .analysis.prospects import ProspectCheck
    from .analysis.sanity import Finding
    from .analysis.symptoms import Symptom
    from .analysis.tiers import Tiers
    from .inputs import ClientInputs
    from .io.decisions import Decisions
    from .io.ledger import LoadedLedger

__all__ = ["Audit", "audit", "analyse", "add_months", "combine", "combine_inputs", "seen_rows", "undecided_owners"]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, clamped to the month's end."""
    from .io.window import months_before

    return months_before(day, -months)


@dataclass(frozen=True)
class Audit:
    """Everything one audit computed (see docs/ARCHITECTURE.md, "The audit").

    DataFrames are shared, never mutated: copy one before changing it.
    """

    #: every input the audit was computed from (read once, :func:`~alms_toolkit.inputs.load_inputs`)
    inputs: ClientInputs
    config: ClientConfig
    as_of: dt.date
    key_share: float
    loaded: LoadedLedger
    combination: Combination
    tiers: Tiers
    accounts: pd.DataFrame
    monthly: MonthlyBilling
    split_clients: pd.DataFrame
    sellers: pd.DataFrame
    seller_accounts: pd.DataFrame
    prospects: pd.DataFrame
    prospect_issues: pd.DataFrame
    prospect_check: ProspectCheck | None
    #: growth, at-risk and lapsed with their status ("assessed" / "partial" / "not
    #: enough history") and notes; ``growth``, ``at_risk``, ``lapsed`` are its tables
    insights: Insights
    symptoms: tuple[Symptom, ...]
    account_list: pd.DataFrame | None
    #: owner decisions whose client spelling matches no client of this ledger
    unresolved_owner_decisions: tuple[str, ...] = ()
    #: merge decisions not applied: a side names a spelling the ledger writes under several
    #: client ids kept apart (which of them is meant would be a guess)
    unresolved_merge_decisions: tuple[tuple[str, str], ...] = ()
    #: sanity checks that failed and that the consultant accepted (analysis.sanity.Finding)
    accepted_checks: tuple[Finding, ...] = ()

    @property
    def growth(self) -> pd.DataFrame:
        """SECONDARY accounts with growth potential (``insights.growth.table``)."""
        return self.insights.growth.table

    @property
    def at_risk(self) -> pd.DataFrame:
        """KEY accounts at risk (``insights.at_risk.table``)."""
        return self.insights.at_risk.table

    @property
    def lapsed(self) -> pd.DataFrame:
        """Lapsed clients (``insights.lapsed.table``)."""
        return self.insights.lapsed.table

    @property
    def insight_notes(self) -> tuple[str, ...]:
        """Every count line and note of the three insights, each once."""
        notes = [n for r in (self.insights.growth, self.insights.at_risk, self.insights.lapsed) for n in r.all_notes]
        return tuple(dict.fromkeys(notes))

    @property
    def list_cutoff(self) -> int:
        """The KEY cut-off the lists and files are written with (micros). Without one no
        client spent money, which the sanity gate refuses (no_spending) before any file."""
        if self.tiers.cutoff is None:
            from .errors import ReportError

            raise ReportError("There is no KEY cut-off (no client spent money in the window): no list to write.")
        return int(self.tiers.cutoff)

    @property
    def official_list(self) -> OfficialList:
        """The list every list writer takes (accounts.csv, CRM files, seller workbooks and PDFs)."""
        from .analysis.official_list import OfficialList, list_flags, list_sellers

        return OfficialList(
            client=self.config.client, as_of=self.as_of, review_date=self.review_date,
            cutoff=self.list_cutoff, accounts=self.accounts, seller_accounts=self.seller_accounts,
            prospects=self.prospects, lapsed=self.lapsed, monthly=self.monthly,
            sellers=list_sellers(self.sellers["seller"], self.prospects), branding=self.config.branding,
            flags=list_flags(self.at_risk, self.growth, self.lapsed, self.config.branding.currency),
            lapsed_assessed=self.insights.lapsed.assessed,
        )

    @property
    def review_date(self) -> dt.date:
        """When the next review is due: ``as_of`` plus ``review_months`` (6 or 12)."""
        return add_months(self.as_of, self.config.review_months)

    def summary(self) -> dict[str, Any]:
        """The headline figures, JSON-ready (money as exact decimal strings)."""
        return _summary(self)


# ---------------------------------------------------------------------------- the run


def audit(
    client_dir: Path | str,
    as_of: dt.date | str | None = None,
    key_share: float | None = None,
    accept: Iterable[str] | str | None = None,
) -> Audit:
    """Run the ALMS analysis of one client folder: :func:`~alms_toolkit.inputs.load_inputs`
    then :func:`analyse`.

    ``as_of`` (a date or ``YYYY-MM-DD``) overrides client.yml's; ``key_share`` overrides
    client.yml's (default 0.25). Raises the toolkit's :class:`~alms_toolkit.errors.AlmsError`
    subclasses for bad input, with every problem named; a ledger whose figures cannot be
    right as they are (no row used, most of the money excluded, one client holding it all,
    part of the window) raises :class:`~alms_toolkit.errors.ImplausibleDataError` unless each
    failing check is accepted, by ``accept`` (codes, e.g. ``["one_client"]``) or client.yml's
    ``accept``.
    """
    from .analysis.candidate_search import SearchAhead
    from .inputs import load_inputs

    # the fuzzy candidates of a large ledger are searched in a second process meanwhile
    with SearchAhead() as ahead:
        inputs = load_inputs(client_dir, as_of, accept=accept, ahead=ahead)
        return analyse(inputs, key_share=key_share, ahead=ahead)


def analyse(
    inputs: ClientInputs,
    *,
    key_share: float | Fraction | None = None,
    grouping: Combination | None = None,
    ahead: SearchAhead | None = None,
) -> Audit:
    """The whole analysis of one client's inputs, without reading or writing anything.

    ``key_share``: None for client.yml's. ``grouping``: the clients as combined elsewhere
    (``alms republish`` passes the review's grouping); None combines them now (step 2, with
    the decisions). ``ahead``: the fuzzy candidate search started ahead in a child process (:class:`~alms_toolkit.analysis.candidate_search.SearchAhead`;
    the same answers, found sooner). The sanity gate runs on the grouping analysed: it raises
    :class:`~alms_toolkit.errors.ImplausibleDataError` for a failing check not accepted.
    """
    from .analysis.sanity import check_ledger, refuse_unaccepted

    config, loaded = inputs.config, inputs.loaded
    share = config.key_share if key_share is None else key_share
    unsettled: Unsettled | None = None
    if grouping is not None:
        combination, ambiguous = grouping, _decisions_on_one_client(inputs)[1]
    else:  # the candidates table may be settled last: the search may still be running
        unsettled, combination, ambiguous = _combined(inputs, ahead)
    findings = check_ledger(loaded, combination.clients, currency=config.branding.currency)
    kept = refuse_unaccepted(findings, inputs.accepted, loaded.reconciliation.file)
    result = _analyse_combined(inputs, combination, share)
    if unsettled is not None:
        result = dataclasses.replace(result, combination=unsettled.settle(combination))
    return dataclasses.replace(result, accepted_checks=kept, unresolved_merge_decisions=ambiguous)


def combine_inputs(
    inputs: ClientInputs, *, ahead: SearchAhead | None = None
) -> tuple[Combination, tuple[tuple[str, str], ...]]:
    """Step 2 as the audit makes it: the clients combined with the consultant's decisions
    (a merge naming a rolled-up branch read as naming its parent, the rolled-up branches in
    the merge log), and the merge decisions left out because they name a spelling written
    under several client ids (:func:`_decisions_on_one_client`). ``ahead``: see :func:`analyse`."""
    unsettled, combination, ambiguous = _combined(inputs, ahead)
    return unsettled.settle(combination), ambiguous


def _combined(
    inputs: ClientInputs, ahead: SearchAhead | None
) -> tuple[Unsettled, Combination, tuple[tuple[str, str], ...]]:
    """:func:`combine_inputs` before its candidates table is settled: the combination made
    (:class:`~alms_toolkit.analysis.combine.Unsettled`), the same with the rolled-up branches
    logged, and the merge decisions left out."""
    decisions, ambiguous = _decisions_on_one_client(inputs)
    if inputs.hierarchy is None:
        unsettled = _combine(inputs.loaded, decisions, ahead)
        return unsettled, unsettled.combination, ambiguous
    from .analysis.hierarchy import decisions_on_parents, log_branches

    unsettled = _combine(inputs.loaded, decisions_on_parents(decisions, inputs.hierarchy), ahead)
    return unsettled, log_branches(unsettled.combination, inputs.hierarchy), ambiguous


def _decisions_on_one_client(inputs: ClientInputs) -> tuple[Decisions, tuple[tuple[str, str], ...]]:
    """The decisions without the merges that name, on a side, a spelling the ledger writes under
    several client ids (``Main Street Pharmacy`` for the stores 1001 and 2044): which store is
    meant would be a guess, so they are not applied and the report names them. A merge of
    those stores themselves (their ``Name (ID 1001)`` labels) is kept."""
    shared = {n for n, labels in inputs.shared_spellings.items() if len(labels) > 1}
    decisions = inputs.decisions
    if not shared or not decisions.merges:
        return decisions, ()
    shared |= {n.strip() for n in shared}
    keep, ambiguous = [], []
    for a, b, d in decisions.merges:
        if a in shared or b in shared or a.strip() in shared or b.strip() in shared:
            ambiguous.append((a, b))
        else:
            keep.append((a, b, d))
    if not ambiguous:
        return decisions, ()
    return dataclasses.replace(decisions, merges=tuple(keep)), tuple(dict.fromkeys(ambiguous))


def combine(
    loaded: LoadedLedger, decisions: Decisions, *, ahead: SearchAhead | None = None
) -> Combination:
    """Step 2: the window's clients (those billing only 0 included) and the earlier ones
    combined, with the consultant's decisions. ``ahead``: see :func:`analyse`."""
    return _combine(loaded, decisions, ahead).settle()


def _combine(
    loaded: LoadedLedger, decisions: Decisions, ahead: SearchAhead | None
) -> Unsettled:
    from .analysis.combine import combine_clients_unsettled
    from .analysis.matching import find_candidates

    extra = _zero_only_rows(loaded)
    return combine_clients_unsettled(
        _with_rows(loaded.ledger, loaded.zero_rows[extra], ("client", "amount", "client_id")),
        loaded.earlier, loaded.config, decisions,
        factorized=(_seen_codes(loaded, extra), loaded.frame_codes("earlier")),
        find=ahead.find(find_candidates) if ahead is not None else None,
        # the names' canonical keys, as the search's child worked them out
        before_keys=ahead.share_keys if ahead is not None else None)


def seen_rows(loaded: LoadedLedger) -> pd.DataFrame:
    """The window's used rows plus the zero-amount rows of clients with nothing else in the
    window: those clients are listed (non-spending), not lost."""
    return _with_rows(loaded.ledger, _zero_only(loaded))


def _zero_only(loaded: LoadedLedger) -> pd.DataFrame:
    """The zero-amount rows of clients with nothing else in the window (:func:`seen_rows`)."""
    return loaded.zero_rows[_zero_only_rows(loaded)]


def _zero_only_rows(loaded: LoadedLedger) -> np.ndarray:
    """Which zero-amount rows :func:`_zero_only` keeps (a boolean mask)."""
    if not len(loaded.zero_rows):
        return np.zeros(0, dtype=bool)
    return np.asarray(~loaded.zero_rows["client"].isin(loaded.ledger["client"]), dtype=bool)


def _seen_codes(loaded: LoadedLedger, extra: np.ndarray) -> FrameCodes:
    """The columns of :func:`seen_rows` factorized, from the loaded ledger's (``extra``:
    :func:`_zero_only_rows`); None where they cannot be derived (the step factorizes)."""
    window, zero = loaded.frame_codes("ledger"), loaded.frame_codes("zero_rows")
    if not extra.any():
        return window
    has_id = window.client_id is not None and zero.client_id is not None
    return FrameCodes(joined(window.client, rows_of(zero.client, extra)),
                      joined(window.client_id, rows_of(zero.client_id, extra)) if has_id else None)


def _with_rows(ledger: pd.DataFrame, extra: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """``ledger``'s rows, then ``extra``'s; ``columns``: only those of them (the ones present)
    are put together, where a step reads no other."""
    if not len(extra):
        return ledger
    if columns is not None:
        kept = [c for c in columns if c in ledger.columns]
        ledger, extra = ledger[kept], extra[kept]
    return pd.concat([ledger, extra], ignore_index=True)


def undecided_owners(audit: Audit) -> dict[str, tuple[str, str]]:
    """client_key -> (owner, owner_source) as the audit would give them without any owner
    decision (the account list's owner, else the seller who billed most): what a taken-back
    confirmation falls back to, the same rule as the audit's."""
    from .analysis.owners import assign_owners

    combination = audit.combination
    resolver = _NameResolver(combination.client_of, _shared_keys(audit.inputs, combination.client_of))
    listed = _listed_owners(audit.inputs.account_list, resolver)
    result = assign_owners(seen_rows(audit.loaded), combination.clients, combination.client_of,
                           listed=listed, decided={})
    table = result.owners
    return {str(k): (str(o), str(s)) for k, o, s in
            zip(table["client_key"], table["owner"], table["owner_source"], strict=True)}


def _analyse_combined(inputs: ClientInputs, combination: Combination, key_share: float | Fraction) -> Audit:
    """Every step after duplicates are combined (tiers, owners, prospects, seller lists,
    insights, symptoms). Pure: reads the inputs only."""
    from .analysis.monthly import ClientCodes, client_codes, monthly_from
    from .analysis.owners import assign_owners
    from .analysis.sellers import build_seller_lists
    from .analysis.tiers import assign_tiers

    config, loaded, as_of = inputs.config, inputs.loaded, inputs.as_of
    client_of: Mapping[str, str] = combination.client_of
    tiers = assign_tiers(combination.clients, key_share)
    account_list = inputs.account_list
    shared = _shared_keys(inputs, client_of)
    resolver = _NameResolver(client_of, shared)
    listed = _listed_owners(account_list, resolver)
    decided: dict[str, str] = {}
    unresolved: list[str] = []
    for name, owner in inputs.decisions.owners:  # file order: a later decision wins
        key = resolver.key(name)
        if key is None:
            unresolved.append(name)
        else:
            decided[key] = owner
    # every row's client as an integer, hashed once for the steps below
    extra_rows = _zero_only_rows(loaded)
    extra = loaded.zero_rows[extra_rows]  # the rows seen_rows adds after the ledger's
    seen = _with_rows(loaded.ledger, extra, ("client", "seller", "amount"))
    codes = client_codes([loaded.earlier, loaded.ledger, extra], client_of, factorized=[
        loaded.factorized("earlier", "client"), loaded.factorized("ledger", "client"),
        rows_of(loaded.factorized("zero_rows", "client"), extra_rows)])
    seen_codes = ClientCodes(codes[1].keys, np.concatenate([codes[1].codes, codes[2].codes]))
    owners = assign_owners(seen, combination.clients, client_of, listed=listed, decided=decided, codes=seen_codes)

    accounts = _accounts(tiers.table, owners.owners, loaded.ledger, codes[1],
                         loaded.factorized("ledger", "client_id") if "client_id" in loaded.ledger.columns else None)
    monthly = monthly_from(loaded.ledger, loaded.earlier, client_of, _periods(loaded, as_of), codes=(codes[0], codes[1]))

    prospects_table, prospect_issues, check = _check_prospects(config, inputs.prospects, accounts, client_of)
    lists = build_seller_lists(accounts, prospects_table, known_sellers=owners.sellers)
    insights = _insights(
        accounts=accounts, monthly=monthly, loaded=loaded, tiers=tiers,
        client_of=client_of, currency=config.branding.currency, codes=(codes[0], codes[1]),
    )
    symptoms = _symptoms(
        account_list=account_list, config=config, accounts=accounts,
        prospects=prospects_table, client_of=client_of, shared=shared, as_of=as_of,
    )
    return Audit(
        inputs=inputs,
        config=config,
        as_of=as_of,
        key_share=float(key_share),
        loaded=loaded,
        combination=combination,
        tiers=tiers,
        accounts=accounts,
        monthly=monthly,
        split_clients=owners.split_clients,
        sellers=lists.sellers,
        seller_accounts=lists.seller_accounts,
        prospects=prospects_table,
        prospect_issues=prospect_issues,
        prospect_check=check,
        insights=insights,
        symptoms=symptoms,
        account_list=account_list,
        unresolved_owner_decisions=tuple(dict.fromkeys(unresolved)),
    )


# ---------------------------------------------------------------------------- steps


def _shared_keys(inputs: ClientInputs, client_of: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """A spelling the ledger writes under several client ids -> the clients (keys) its ids are
    now: several while they are kept apart, one once the consultant combined them."""
    out: dict[str, tuple[str, ...]] = {}
    for name, labels in inputs.shared_spellings.items():
        keys = tuple(dict.fromkeys(client_of[label] for label in labels if label in client_of))
        if keys:
            out[name] = keys
    return out


class _NameResolver:
    """Raw client spelling -> client_key: exact spelling first, then the canonical name. A
    spelling the ledger writes under several client ids that are still apart names no one
    client (None): it is never guessed onto one of them."""

    def __init__(self, client_of: Mapping[str, str], shared: Mapping[str, tuple[str, ...]] | None = None) -> None:
        from .analysis.names import canonical_name, first_by_canonical
        from .analysis.symptoms import settle_shared_spellings

        self._canonical = canonical_name
        self._exact = dict(client_of)
        self._stripped = {str(k).strip(): v for k, v in client_of.items()}
        self._by_canonical = first_by_canonical(map(str, client_of), client_of.values())
        settle_shared_spellings(shared or {}, self._exact, self._stripped, self._by_canonical)

    def key(self, name: object) -> str | None:
        if name is None or name is pd.NA or (isinstance(name, float) and np.isnan(name)):
            return None
        text = str(name)
        if text in self._exact:
            return self._exact[text]
        if text.strip() in self._stripped:
            return self._stripped[text.strip()]
        if not text.strip():
            return None
        return self._by_canonical.get(self._canonical(text))

    def keys(self, names: list[object]) -> list[str | None]:
        """:meth:`key` of each of ``names``: the spellings written as in the ledger found at once."""
        try:
            exact: list[str | None] = list(map(self._exact.get, names))  # type: ignore[arg-type]
        except TypeError:  # a cell that cannot be looked up (not hashable): one at a time
            exact = [None] * len(names)
        return [hit if hit is not None else self.key(name) for name, hit in zip(names, exact, strict=True)]


def _listed_owners(account_list: pd.DataFrame | None, resolver: _NameResolver) -> dict[str, str]:
    """client_key -> seller named on the account list (first listing wins)."""
    if account_list is None or "seller" not in account_list.columns:
        return {}
    out: dict[str, str] = {}
    names = account_list["client"].tolist()
    for key, seller in zip(resolver.keys(names), account_list["seller"].tolist(), strict=True):
        if seller is None or seller is pd.NA or (isinstance(seller, float) and np.isnan(seller)):
            continue
        if not str(seller).strip():
            continue
        if key is not None and key not in out:
            out[key] = str(seller).strip()
    return out


def _client_ids(ledger: pd.DataFrame, codes: ClientCodes, ids: Factorized | None = None) -> dict[str, str]:
    """client_key -> the distinct client ids seen in the window, joined by ", " (``codes``:
    the ledger rows' client codes; ``ids``: the ledger's ``client_id`` column factorized,
    :func:`~alms_toolkit.io.factorized.factorize`, None: factorized here)."""
    if "client_id" not in ledger.columns or ledger.empty:
        return {}
    # each distinct id once, as the text astype("string") gives it (two values of one text
    # are one id), then the distinct (client, id) pairs as integers
    raw_codes, raw_uniques = ids if ids is not None else pd.factorize(ledger["client_id"], use_na_sentinel=True)
    text_codes, text_uniques = pd.factorize(pd.Series(raw_uniques, dtype=object).astype("string"),
                                            use_na_sentinel=True)
    texts = [str(v) for v in np.asarray(text_uniques, dtype=object).tolist()]
    id_codes = np.append(text_codes, -1)[raw_codes]  # -1: no id
    kept = np.array([t.strip() != "" for t in texts] + [False], dtype=bool)[id_codes]
    if not kept.any():
        return {}
    width = len(texts)
    pairs = pd.unique(codes.codes[kept] * width + id_codes[kept])
    key_at, text_at = pairs // width, pairs % width
    # most clients have one id: taken as it is; the others' ids sorted and joined
    alone = np.bincount(key_at, minlength=len(codes.keys))[key_at] == 1
    text_array = np.asarray(texts, dtype=object)
    out = dict(zip(codes.keys[key_at[alone]].tolist(), text_array[text_at[alone]].tolist(), strict=True))
    found: dict[str, list[str]] = {}
    for key, text in zip(codes.keys[key_at[~alone]].tolist(), text_array[text_at[~alone]].tolist(), strict=True):
        found.setdefault(key, []).append(text)
    out.update((k, ", ".join(sorted(v))) for k, v in found.items())
    return out


def _with_owners(table: pd.DataFrame, owners: pd.DataFrame) -> pd.DataFrame:
    """``table`` (one row per client) with each client's ``owner`` and ``owner_source`` from
    ``owners`` (one row per client; NaN for a client it lacks): what a left merge on
    ``client_key`` gives (its columns' types too), without hashing the keys when both list
    them in the same order."""
    keys, theirs = table["client_key"].to_numpy(dtype=object), owners["client_key"].to_numpy(dtype=object)
    out = table.reset_index(drop=True)
    if len(keys) == len(theirs) and bool((keys == theirs).all()):
        at = np.arange(len(keys))
    else:
        at = pd.Index(theirs).get_indexer(keys)  # owners list each client once (else this raises)
    found = at >= 0
    columns = {"client_key": pd.Series(keys, dtype=object)}
    for column in ("owner", "owner_source"):
        values = np.full(len(keys), np.nan, dtype=object)
        values[found] = owners[column].to_numpy(dtype=object)[at[found]]
        columns[column] = pd.Series(values, dtype=object)
    return out.assign(**columns)


def _accounts(
    table: pd.DataFrame, owners: pd.DataFrame, ledger: pd.DataFrame, codes: ClientCodes,
    id_codes: Factorized | None = None,
) -> pd.DataFrame:
    out = _with_owners(table, owners)
    ids = _client_ids(ledger, codes, id_codes)
    out["client_ids"] = [ids.get(k, "") for k in out["client_key"].tolist()]
    columns = [
        "client_key", "client", "billing", "rank", "tier", "owner", "owner_source",
        "share", "cum_share", "client_ids",
    ]
    return out[columns]


def _check_prospects(
    config: ClientConfig, raw: pd.DataFrame, accounts: pd.DataFrame, client_of: Mapping[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, ProspectCheck]:
    from .analysis.prospects import check_prospects

    sellers = sorted(
        {s for s, t in zip(accounts["owner"].tolist(), accounts["tier"].tolist(), strict=True) if t != "NON-SPENDING"}
        - {"Unassigned"}
    )
    check = check_prospects(
        raw, accounts, client_of, config.limits, config.fit_weights,
        sellers=sellers, currency=config.branding.currency,
    )
    return check.prospects, check.issues, check


def _periods(loaded: LoadedLedger, as_of: dt.date) -> Periods:
    """The audit's month-long periods, covered from the ledger's first date (any row)."""
    from .analysis.periods import periods_for

    history_start, history_end = loaded.dates()
    return periods_for(as_of, history_start, history_end)


def _insights(
    *, accounts: pd.DataFrame, monthly: MonthlyBilling, loaded: LoadedLedger, tiers: Tiers,
    client_of: Mapping[str, str], currency: str, codes: tuple[ClientCodes, ClientCodes],
) -> Insights:
    from .analysis.insights import find_insights

    return find_insights(
        monthly=monthly if loaded.window is not None else None, accounts=accounts,
        ledger=loaded.ledger, earlier=loaded.earlier, client_of=client_of, cutoff=tiers.cutoff,
        currency=currency, codes=codes,
    )


def _symptoms(
    *, account_list: pd.DataFrame | None, config: ClientConfig, accounts: pd.DataFrame,
    prospects: pd.DataFrame | None, client_of: Mapping[str, str],
    shared: Mapping[str, tuple[str, ...]], as_of: dt.date,
) -> tuple[Symptom, ...]:
    from .analysis.symptoms import assess_symptoms

    list_date = config.account_list.date if config.account_list is not None else None
    has_prospects_file = config.prospects is not None
    return tuple(
        assess_symptoms(
            account_list, list_date, accounts, prospects if has_prospects_file else None,
            client_of, as_of, currency=config.branding.currency, shared=shared,
        )
    )


# ---------------------------------------------------------------------------- summary


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _count_keys(frame: pd.DataFrame, column: str = "client_key") -> int:
    return int(frame[column].nunique()) if column in frame.columns else len(frame)


def _sellers_json(sellers: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in sellers.itertuples(index=False):
        out.append(
            {
                "seller": str(row.seller),
                "n_key": int(row.n_key),
                "n_secondary": int(row.n_secondary),
                "billing_key": money.to_str(row.billing_key),
                "billing_secondary": money.to_str(row.billing_secondary),
                "billing": money.to_str(row.billing),
                "secondary_share": float(row.secondary_share),
                "n_targets": int(row.n_targets),
                "n_extras": int(row.n_extras),
                "n_leads": int(row.n_leads),
            }
        )
    return out


def _summary(a: Audit) -> dict[str, Any]:
    from .analysis.symptoms import count_symptoms

    t = a.tiers
    c = a.combination
    window = a.loaded.window
    n_raw = len(c.client_of)
    candidates = c.candidates
    status = candidates["status"] if "status" in candidates.columns else pd.Series(dtype=object)
    return {
        "client": a.config.client,
        "slug": a.config.slug,
        "as_of": a.as_of.isoformat(),
        "as_of_source": window.as_of_source if window is not None else "totals ledger",
        "window_start": _iso(window.start) if window is not None else None,
        "window_end": _iso(window.end) if window is not None else None,
        "window_skipped": window is None,
        "review_date": a.review_date.isoformat(),
        "key_share": a.key_share,
        "n_clients": t.n_clients,
        "n_key_nominal": t.n_key_nominal,
        "n_key": t.n_key,
        "n_secondary": t.n_secondary,
        "cutoff": money.to_str(t.cutoff) if t.cutoff is not None else None,
        "n_at_cutoff": t.n_at_cutoff,
        "n_ties_at_cutoff": t.n_ties_at_cutoff,
        "revenue_total": money.to_str(t.revenue_total),
        "key_revenue": money.to_str(t.key_revenue),
        "key_revenue_share": t.key_revenue_share,
        "concentration": {
            f"top_{round(row.top * 100)}pct": float(row.revenue_share)
            for row in t.concentration.itertuples(index=False)
        },
        "n_nonpositive_clients": t.n_nonpositive,
        "n_raw_names": n_raw,
        "n_merged": int(c.n_merged),
        "n_match_candidates": len(candidates),
        "n_pending_candidates": int((status == "pending").sum()),
        "hierarchy": _hierarchy_json(a.inputs.hierarchy),
        "sellers": _sellers_json(a.sellers),
        "n_split_clients": _count_keys(a.split_clients),
        "n_unconfirmed_split_clients": _count_keys(
            a.split_clients[~a.split_clients["confirmed"]]
        ),
        "unresolved_owner_decisions": list(a.unresolved_owner_decisions),
        "unresolved_merge_decisions": [list(pair) for pair in a.unresolved_merge_decisions],
        "n_prospects": len(a.prospects),
        "n_prospect_issues": len(a.prospect_issues),
        "symptoms": [
            {"id": s.id, "title": s.title, "status": s.status, "evidence": s.evidence}
            for s in a.symptoms
        ],
        # found of those assessed; not assessed (input missing) is neither found nor absent
        **count_symptoms(a.symptoms).to_dict(),
        # null when not assessed (a ledger without the history): never a 0 that reads as none found
        "n_growth_potential": len(a.growth) if a.insights.growth.assessed else None,
        "n_key_at_risk": len(a.at_risk) if a.insights.at_risk.assessed else None,
        "n_lapsed": len(a.lapsed) if a.insights.lapsed.assessed else None,
        "insight_status": {
            "growth_potential": a.insights.growth.status,
            "key_at_risk": a.insights.at_risk.status,
            "lapsed": a.insights.lapsed.status,
        },
        "insight_notes": list(a.insight_notes),
        "reconciliation": _json_ready(a.loaded.reconciliation.to_dict()),
        **({"accepted_checks": [f.to_dict() for f in a.accepted_checks]} if a.accepted_checks else {}),
    }


def _hierarchy_json(hierarchy: Hierarchy | None) -> dict[str, Any]:
    """The account hierarchy in summary.json: client.yml's rule (None: not decided), the groups
    and branches seen, and whether they were rolled up or only proposed."""
    if hierarchy is None:
        return {"rule": None, "n_groups": 0, "n_branches": 0, "n_kept_branches": 0,
                "applied": False, "proposed": False}
    return {
        "rule": hierarchy.rule, "n_groups": len(hierarchy.groups), "n_branches": hierarchy.n_branches,
        "n_kept_branches": hierarchy.n_kept, "applied": hierarchy.applied, "proposed": hierarchy.proposed,
    }


def _json_ready(value: Any) -> Any:
    """Plain JSON types only (numpy scalars, dates and tuples converted)."""
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value
