"""``alms republish``: the monthly lists against a review, written to
``<review>/republished/<as_of>/`` (ALMS step 11; the rules are in
:mod:`alms_toolkit.republishing`).

The client's files are read once (:func:`~alms_toolkit.inputs.load_inputs`'s pieces), the
audit is :func:`~alms_toolkit.engine.analyse`, the lists are
:func:`~alms_toolkit.republishing.republished_lists`, and the files are written by the same
writers as an audit's from one :class:`~alms_toolkit.analysis.official_list.OfficialList`
(accounts.csv + Salesforce / HubSpot presets, ``sellers/<seller>.xlsx``, the master list
``manager/master_list.xlsx``), plus the manager's pack (``manager/manager_pack.pdf``),
``exceptions.csv`` (plain headers, one row per client), ``republish.json`` and a
``README.txt`` saying which files are for people and which for the next run and the CRM, in
a :class:`~.folder.RunFolder` (an existing folder needs ``force``:
:class:`~alms_toolkit.republishing.RepublishExistsError`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import atomic, money
from ..date_text import day_text
from ..errors import ConfigError, FileAccessError
from ..republishing import (
    EXCEPTION_COLUMNS,
    EXCEPTIONS,
    RepublishedLists,
    RepublishExistsError,
    category_words,
    official_list,
    republish_summary,
    republished_lists,
    review_grouping,
)
from .folder import RunFolder

if TYPE_CHECKING:
    from ..analysis.official_list import OfficialList
    from ..io.review import Review

__all__ = ["Republished", "republish", "republish_folder"]


@dataclass(frozen=True)
class Republished:
    """What :func:`republish` wrote."""

    client: str
    slug: str
    review: Path
    folder: Path
    files: tuple[Path, ...]
    lists: RepublishedLists
    currency: str = "$"
    summary: Mapping[str, Any] = field(default_factory=dict)


def republish_folder(review_folder: Path | str, as_of: dt.date) -> Path:
    """``<review folder>/republished/<as_of>``."""
    return Path(review_folder) / "republished" / as_of.isoformat()


def _exceptions_csv(exceptions: pd.DataFrame) -> pd.DataFrame:
    """exceptions.csv: one row per client, plain headers (:data:`EXCEPTION_COLUMNS`), no key."""
    return pd.DataFrame(
        dict(zip(EXCEPTION_COLUMNS, (
            [EXCEPTIONS[k] for k in exceptions["kind"]],
            exceptions["client"],
            exceptions["owner"],
            exceptions["owner_then"],
            [category_words(t) for t in exceptions["tier_then"]],
            [category_words(t) for t in exceptions["tier_now"]],
            [money.to_str(v) for v in exceptions["billing_then"]],
            [money.to_str(v) for v in exceptions["billing_now"]],
            exceptions["detail"],
        ), strict=True)),
        columns=list(EXCEPTION_COLUMNS),
        dtype=object,
    )


#: README.txt of a republished folder: which file is for whom
README = """\
{client}: lists republished as of {as_of} against the review of {review_as_of}
(KEY line {cutoff}, set at the review and kept until the next review).

For people
  manager/manager_pack.pdf    the manager's pack for the weekly meeting: what changed since
                              the review, per seller, and the clients to act on
  manager/master_list.xlsx    every client and prospect, one row each, ready for pivot tables
  exceptions.csv              the clients to act on, one row each (what changed, figures)
  sellers/<seller>.xlsx       each seller's list, act-first sheet and projection form

For the next run and the CRM (keep the columns as they are)
  accounts.csv                the official list; the next review compares with it
  accounts_changes.csv        only the rows whose category, seller or flag changed since the
                              review (and companies new since): the monthly CRM update
  crm/                        the import files for Salesforce, HubSpot, Pipedrive and Dynamics 365,
                              their setup files and HOW_TO_IMPORT.md (when client.yml maps each
                              seller to a CRM user: crm.owners); each company keeps its ALMS key,
                              so an import updates the records instead of duplicating them
  republish.json              the headline figures, for tools
"""


def _write_changes(official: OfficialList, previous: Review, folder: Path) -> Path:
    """accounts_changes.csv: the rows of accounts.csv whose tier, owner or flag changed since
    the review's accounts.csv (and companies it did not list); same columns."""
    from ..analysis.crm_records import accounts_changes
    from ..report.writers.crm import ACCOUNTS_TEXT_COLUMNS, CHANGES_FILE, accounts_table
    from ..report.writers.safe_cells import write_safe_csv

    changes = accounts_changes(accounts_table(official), previous.accounts)
    return write_safe_csv(changes, folder / CHANGES_FILE, text_columns=ACCOUNTS_TEXT_COLUMNS)


def _write_crm_imports(official: OfficialList, lists: RepublishedLists, folder: Path,
                       previous: Review) -> list[Path]:
    """The CRM import files (every preset) when client.yml maps the sellers to CRM users;
    checked for import-readiness first (a refusal lists every problem at once)."""
    from ..analysis.crm_records import check_readiness, crm_records, crm_users
    from ..report.writers.crm_presets import PRESETS, owner_needs
    from ..report.writers.crm_setup import write_crm_folder

    owners = crm_users(lists.audit.config.crm)
    if not owners:
        return []
    records = crm_records(official, owners, previous.accounts, client_of=lists.audit.combination.client_of)
    check_readiness(official, records, owners, needs=owner_needs(PRESETS))
    return write_crm_folder(records, folder)


def _write_files(official: OfficialList, lists: RepublishedLists, folder: Path, previous: Review) -> list[Path]:
    from ..report.writers.crm import write_crm_files
    from ..report.writers.manager_pack import PACK_FILE, write_manager_pack
    from ..report.writers.master_workbook import MANAGER_DIR, MASTER_FILE, write_master_workbook
    from ..report.writers.safe_cells import write_safe_csv
    from .seller_files_pool import SellerFiles

    # the sellers' workbooks are written in worker processes while this one writes the rest
    # (seconds to minutes for a client with thousands of accounts), as an audit's seller files
    sellers = SellerFiles(official, folder / "sellers", kinds=("xlsx",))
    try:
        written = write_crm_files(official, folder)  # the same writers as an audit's
        written.append(_write_changes(official, previous, folder))
        written += _write_crm_imports(official, lists, folder, previous)
        written.append(write_safe_csv(_exceptions_csv(lists.exceptions), folder / "exceptions.csv",
                                      text_columns=("What changed", "Client", "Seller", "Seller at the review",
                                                    "Category at the review", "Category now", "Detail")))
        at = len(written)
        written.append(write_master_workbook(official, folder / MANAGER_DIR / MASTER_FILE))
        written.append(write_manager_pack(official, lists, folder / MANAGER_DIR / PACK_FILE))
        written.append(atomic.write_text(folder / "README.txt", README.format(
            client=official.client, as_of=day_text(lists.as_of), review_as_of=day_text(lists.review_as_of),
            cutoff=money.format_money(lists.cutoff, official.currency))))
        written[at:at] = sellers.wait()
    finally:
        sellers.close()
    return written


def republish(
    client_dir: Path | str,
    review: Path | str,
    *,
    as_of: dt.date | str | None = None,
    force: bool = False,
    accept: Iterable[str] = (),
) -> Republished:
    """Republish the lists of ``client_dir`` against the review folder ``review``; see the
    module docstring. Raises :class:`InputError`/:class:`ConfigError` (bad input, a review
    of another client or dated after ``as_of``; figures that fail the sanity gate, unless
    ``accept`` or client.yml accepts them) or :class:`RepublishExistsError`."""
    from ..analysis.sanity import accepted_codes
    from ..config import load_config
    from ..engine import analyse, combine_inputs
    from ..inputs import inputs_for, parse_as_of
    from ..io.ledger import load_ledger
    from ..io.review import read_review

    previous = read_review(review)
    given = parse_as_of(as_of)
    accepted = accepted_codes(accept)

    def too_early(day: dt.date) -> ConfigError:
        return ConfigError(
            None,
            f"the republish date {day.isoformat()} is before the review's "
            f"({previous.as_of.isoformat()}): give a later --as-of",
        )

    if given is not None and given < previous.as_of:  # before reading (and judging) the billing
        raise too_early(given)
    config = load_config(client_dir)
    fallback = given or config.as_of  # a ledger of 12-month totals has no dates: client.yml's as_of
    if given is None:  # the latest billing decides, whatever client.yml's as_of (the review's date) says
        config = dataclasses.replace(config, as_of=None)
    if previous.slug and previous.slug != config.slug:
        raise ConfigError(
            previous.folder,
            f"this review is of {previous.client or previous.slug} ({previous.slug}), not of "
            f"{config.client} ({config.slug})",
        )
    inputs = inputs_for(load_ledger(config, as_of=given), fallback, accepted=accepted)  # every file read once
    if inputs.as_of < previous.as_of:
        raise too_early(inputs.as_of)
    # today's step 2, regrouped as the review combined the clients, then the one analysis
    grouping = review_grouping(inputs.loaded, combine_inputs(inputs)[0], previous)
    lists = republished_lists(analyse(inputs, grouping=grouping), previous)
    final = republish_folder(previous.folder, lists.as_of)
    summary = republish_summary(lists, previous)
    with FileAccessError.guard(final):
        return _publish(lists, previous, summary, final, force)


def _keyed_list(lists: RepublishedLists, previous: Review) -> OfficialList:
    """The republished official list, each company with its key from the review's accounts.csv
    (a company it listed keeps its ``alms_key``; :mod:`alms_toolkit.analysis.crm_records`)."""
    from ..analysis.crm_records import with_alms_keys

    return with_alms_keys(official_list(lists, previous), previous.accounts,
                          client_of=lists.audit.combination.client_of)


def _publish(lists: RepublishedLists, previous: Review, summary: dict[str, Any],
             final: Path, force: bool) -> Republished:
    """Write the republished files in the run's folder, built aside, and publish it whole."""
    config = lists.audit.config
    with RunFolder(final, force=force, exists=RepublishExistsError) as run:
        written = _write_files(_keyed_list(lists, previous), lists, run.work, previous)
        written.append(atomic.write_text(
            run.work / "republish.json", json.dumps(summary, indent=2, ensure_ascii=False) + "\n"))
        run.publish()
    return Republished(
        client=config.client, slug=config.slug, review=previous.folder,
        folder=final, files=run.files(written), lists=lists, currency=config.branding.currency,
        summary=summary,
    )
