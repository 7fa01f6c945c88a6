"""Every input of one audit, read and checked once: :func:`load_inputs`.

The client folder's files (client.yml, the ledger, the decisions, the current account
list, the prospects) are read here and nowhere else in an audit, and the audit date is
decided here once: the argument, else client.yml's ``as_of``, else the day after the
ledger's last date (today for a ledger of 12-month totals). :func:`alms_toolkit.engine.analyse`
then works on :class:`ClientInputs` without reading anything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .analysis.candidate_search import SearchAhead
    from .analysis.hierarchy import Hierarchy
    from .config import ClientConfig
    from .io.decisions import Decisions
    from .io.ledger import LoadedLedger

__all__ = ["ClientInputs", "load_inputs", "inputs_for", "parse_as_of"]

#: the account list's columns and the headers that name them
_ACCOUNT_LIST_ALIASES = {
    "client": ("Account", "Account Name", "Client", "Customer", "Company", "Advertiser"),
    "seller": ("Seller", "Owner", "Rep", "Sales Rep", "Salesperson", "AE", "Account Executive"),
    "billing": ("Billing", "Amount", "Revenue", "Sales", "Total"),
    "category": ("Category", "Tier", "Type"),
    "client_id": ("Customer ID", "Client ID", "Account ID", "CustomerID"),
}


@dataclass(frozen=True)
class ClientInputs:
    """One client's inputs, read once (frames are shared, never mutated).

    ``prospects``: the prospects file as read (``source_row``, ``seller``, ``prospect``,
    ``category``, the scores and notes when present; no rows without a file).
    ``account_list``: the list the sellers have today (None without one). ``accepted``:
    the sanity checks accepted (the argument's and client.yml's). ``hierarchy``: the branches
    seen (``Group (Town, ST)``, QuickBooks' ``Customer:Job``) and, when client.yml's ``hierarchy.rule`` says so, rolled up to
    their parent account in ``loaded`` (:mod:`~alms_toolkit.analysis.hierarchy`); None when
    not looked for.
    """

    config: ClientConfig
    loaded: LoadedLedger
    as_of: dt.date
    decisions: Decisions
    account_list: pd.DataFrame | None
    prospects: pd.DataFrame
    accepted: frozenset[str]
    #: a spelling the ledger writes under several client ids -> the labels its ids' rows
    #: were given (``Name (ID 1001)``, ...): a list naming only the spelling names several clients
    shared_spellings: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    hierarchy: Hierarchy | None = None


def parse_as_of(value: dt.date | str | None) -> dt.date | None:
    """An audit date given as a date or ``YYYY-MM-DD`` (None: not given); a ConfigError
    for anything else (:func:`alms_toolkit.setting_values.parse_date_argument`)."""
    from .setting_values import parse_date_argument

    return parse_date_argument(value, "as_of")


def load_inputs(
    client_dir: Path | str,
    as_of: dt.date | str | None = None,
    *,
    accept: Iterable[str] | str | None = None,
    ahead: SearchAhead | None = None,
) -> ClientInputs:
    """Read and check every file of ``client_dir`` once and decide the audit date.

    ``ahead``: the audit's candidate search, prepared once the settings are read and started
    once the ledger is (:mod:`~alms_toolkit.analysis.candidate_search`). Raises the toolkit's input errors (every problem of a
    file at once), never a figure."""
    from .analysis.sanity import accepted_codes
    from .config import load_config
    from .io.ledger import load_ledger

    given = parse_as_of(as_of)
    accepted = accepted_codes(accept)
    config = load_config(client_dir)
    if ahead is not None:
        ahead.prepare(config)
    threshold = float(config.matching.threshold)
    loaded = load_ledger(config, as_of=given, spellings=None if ahead is None else (
        lambda names: ahead.names_read(names, threshold)))
    if ahead is not None:
        ahead.start(loaded)
    inputs = inputs_for(loaded, given, accepted=accepted)
    if ahead is not None and inputs.hierarchy is not None and inputs.hierarchy.parent_of:
        ahead.restart(inputs.loaded, inputs.shared_spellings)  # branches rolled up to their parents: other names
    return inputs


def inputs_for(
    loaded: LoadedLedger, as_of: dt.date | None = None, *, accepted: Iterable[str] = (),
    ledger_only: bool = False,
) -> ClientInputs:
    """The inputs of an already loaded ledger: the other files of its client folder read once,
    the audit date decided (the ledger's window decides it; a totals ledger uses ``as_of``,
    else client.yml's, else today). ``ledger_only``: the ledger's inputs alone, as ``alms
    validate`` checks them (its spellings split by client id and refused as the audit does,
    its branches rolled up, the decisions read), the account list and prospects not read."""
    from .io.decisions import read_decisions

    config = loaded.config
    split, shared = _ids_apart(loaded)
    loaded, hierarchy = _branches_rolled_up(split)
    if loaded.window is not None:
        run_as_of = loaded.window.as_of
    else:
        run_as_of = as_of or config.as_of or dt.date.today()
    return ClientInputs(
        config=config,
        loaded=loaded,
        as_of=run_as_of,
        decisions=read_decisions(config.decisions_file),
        account_list=None if ledger_only else _list_ids_apart(_read_account_list(config), shared),
        prospects=_no_prospects() if ledger_only else _read_prospects(config),
        accepted=frozenset(accepted) | frozenset(config.accept),
        shared_spellings=shared,
        hierarchy=hierarchy,
    )


def _ids_apart(loaded: LoadedLedger) -> tuple[LoadedLedger, dict[str, tuple[str, ...]]]:
    """The loaded ledger with each spelling written under several client ids split by id
    (``Name (ID 1001)``, :func:`~alms_toolkit.analysis.combine.split_shared_spellings`), so two
    stores of one name are two clients until the consultant says otherwise (the same object
    when no spelling is shared or client.yml says ``same_name_different_ids: merge``), and each
    spelling split -> the labels its ids' rows were given."""
    from .analysis.combine import split_shared_spellings

    frames = [loaded.ledger, loaded.earlier, loaded.zero_rows]
    split, shared = split_shared_spellings(
        list(frames), loaded.config, [loaded.frame_codes(name) for name in ("ledger", "earlier", "zero_rows")])
    if all(a is b for a, b in zip(frames, split, strict=True)):
        return loaded, shared
    _refuse_written_labels(loaded, shared)
    ledger, earlier, zero_rows = split
    assert ledger is not None and earlier is not None and zero_rows is not None
    return dataclasses.replace(loaded, ledger=ledger, earlier=earlier, zero_rows=zero_rows), shared


def _refuse_written_labels(loaded: LoadedLedger, shared: Mapping[str, tuple[str, ...]]) -> None:
    """A label given to one id's rows of a shared spelling (``Beta (ID 1000)``) that the ledger
    also writes as a spelling of its own, on rows without that id, would make two clients one:
    refused, naming the rows (written with that very id, it is that id's client: kept)."""
    from .analysis.combine import label_id
    from .errors import DataValidationError, Problem

    labels = {label: (name, cid) for name, its in shared.items() for label in its
              if (cid := label_id(name, label)) is not None}
    found: dict[str, list[int]] = {}
    for frame in (loaded.ledger, loaded.earlier, loaded.zero_rows):
        if frame is None or frame.empty:
            continue
        at = frame["client"].isin(list(labels)).to_numpy()
        if not at.any():
            continue
        ids = (frame["client_id"].astype("string").str.strip().fillna("").to_numpy(dtype=object)[at]
               if "client_id" in frame.columns else [""] * int(at.sum()))
        for name, cid, row in zip(frame["client"].to_numpy()[at].tolist(), list(ids),
                                  frame["source_row"].to_numpy()[at].tolist(), strict=True):
            if str(cid) != labels[str(name)][1]:
                found.setdefault(str(name), []).append(int(row))
    if not found:
        return
    column_of = {c.field: c.header for c in loaded.reading.columns} if loaded.reading else {}
    id_column = f" (column '{column_of['client_id']}')" if column_of.get("client_id") else ""
    problems = []
    for written, rows in sorted(found.items()):
        name, cid = labels[written]
        problems.append(Problem(
            f"the spelling {written!r} is written in the ledger on rows whose client id{id_column} is not {cid}, and it is "
            f"also the name the audit gives to the rows of {name!r} with client id {cid} ({name!r} is written "
            "under several client ids, and each id is its own client): the two would be counted as one client. "
            "Rename that spelling in the ledger, or set matching.same_name_different_ids: merge in client.yml "
            "(then every spelling written under several ids is one client)",
            column=column_of.get("client"), rows=tuple(sorted(rows)[:10]), examples=(written,), n_rows=len(rows),
            reason="label_written"))
    raise DataValidationError(loaded.config.billing.file, problems)


def _list_ids_apart(
    account_list: pd.DataFrame | None, shared: Mapping[str, tuple[str, ...]]
) -> pd.DataFrame | None:
    """The account list with a shared spelling written beside one of its client ids named as
    that id's client (``Name (ID 1001)``); a shared spelling without an id (or with an id the
    ledger does not give it) is left as written: it names several clients, and the audit says so."""
    if account_list is None or not shared or "client_id" not in account_list.columns:
        return account_list
    from .analysis.combine import id_label

    ledger_spelling = {name.strip(): name for name in shared}
    clients = account_list["client"].astype(object).copy()
    changed = False
    for i, (name, cid) in enumerate(zip(account_list["client"], account_list["client_id"], strict=True)):
        if pd.isna(name) or pd.isna(cid):
            continue
        spelling = ledger_spelling.get(str(name).strip())
        if spelling is None:
            continue
        label = id_label(spelling, str(cid).strip())
        if label in shared[spelling]:
            clients.iloc[i] = label
            changed = True
    return account_list.assign(client=clients) if changed else account_list
def _branches_rolled_up(loaded: LoadedLedger) -> tuple[LoadedLedger, Hierarchy]:
    """The ledger's branch groups (``Group (Town, ST)``, ``Customer:Job``) and, when client.yml's
    ``hierarchy.rule`` applies them, the loaded ledger with each branch's rows (window,
    earlier and zero-amount) written under its parent account; the same object otherwise. Runs
    after the id split, so a ``Name (ID 1001)`` label is never read as a branch."""
    from .analysis.hierarchy import (
        Hierarchy,
        branch_parts,
        find_hierarchy,
        parent_ids,
        roll_up,
        sub_customer_parts,
    )
    from .errors import ConfigError

    config = loaded.config
    settings = config.hierarchy
    frames = [loaded.ledger, loaded.earlier, loaded.zero_rows]
    by_column = "parent" in loaded.ledger.columns
    if settings.rule == "parent_column" and not by_column:
        raise ConfigError(config.path, "'hierarchy.rule' is parent_column, but the ledger has no parent "
                                       "column: map it under billing.columns (parent: <the column naming "
                                       "each line's parent account or bill-to id>)")
    names: set[str] = set()
    for frame_name, f in zip(("ledger", "earlier", "zero_rows"), frames, strict=True):
        if f is not None and len(f):
            names.update(map(str, _distinct_clients(loaded, frame_name)))
    if not by_column and not any(branch_parts(n) is not None or sub_customer_parts(n) is not None for n in names):
        return loaded, Hierarchy(rule=settings.rule)
    billing = dict.fromkeys(sorted(names), 0)
    if len(loaded.ledger):
        sums = loaded.ledger.groupby(loaded.ledger["client"].astype(str), sort=False)["amount"].sum()
        billing.update({str(n): int(v) for n, v in sums.items()})
    rows = (pd.concat([f for f in frames if f is not None and len(f)], ignore_index=True)
            if by_column else None)
    hierarchy = find_hierarchy(billing, settings, rows)
    if not hierarchy.parent_of:
        return loaded, hierarchy
    ids = parent_ids(list(frames), set(hierarchy.parent_of.values()))
    ledger, earlier, zero_rows = (roll_up(f, hierarchy.parent_of, ids) for f in frames)
    assert ledger is not None and earlier is not None and zero_rows is not None
    return dataclasses.replace(loaded, ledger=ledger, earlier=earlier, zero_rows=zero_rows), hierarchy


def _distinct_clients(loaded: LoadedLedger, frame: str) -> list[object]:
    """The distinct values of a frame's ``client`` column, as ``Series.unique`` gives them
    (missing values included), from the loaded ledger's factorized codes (hashed once)."""
    codes, uniques = loaded.factorized(frame, "client")
    values = uniques.tolist()
    if len(codes) and (codes < 0).any():  # a missing client: unique() keeps it
        return [*values, *getattr(loaded, frame)["client"][codes < 0].unique().tolist()]
    return values


def _read_account_list(config: ClientConfig) -> pd.DataFrame | None:
    """The list as the sellers have it today (``client``, optional ``seller``, ``billing``,
    ``category``, ``client_id``), None when client.yml names none."""
    if config.account_list is None:
        return None
    from .io.tables import read_table

    return read_table(config.account_list, required=("client",),
                      optional=("seller", "billing", "category", "client_id"), aliases=_ACCOUNT_LIST_ALIASES)


def _no_prospects() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ("source_row", "seller", "prospect", "category")})


def _read_prospects(config: ClientConfig) -> pd.DataFrame:
    """The prospects file as read; without one, no rows (with the columns)."""
    if config.prospects is None:
        return _no_prospects()
    from .io.tables import PROSPECT_ALIASES, read_table

    return read_table(
        config.prospects,
        required=("seller", "prospect", "category"),
        optional=("spending_potential", "decision_maker_access", "product_fit", "notes", "dropped"),
        aliases=PROSPECT_ALIASES,
    )
