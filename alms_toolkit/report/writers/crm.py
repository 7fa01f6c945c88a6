"""The official account list (``accounts.csv``); the CRM import files are in ``crm_presets``.

``accounts.csv`` — the official list, and the input of the next review's comparison.
Its columns are stable (:data:`ACCOUNTS_COLUMNS`); add new ones only at the end.

================  ===========================================================================
column            content
================  ===========================================================================
client_key        the combined client's stable key (empty for prospects)
name              the client's display name, or the prospect's name
tier              ``KEY``, ``SECONDARY``, ``NON-SPENDING``, ``TARGET``, ``EXTRA``, ``LEAD``
                  or ``LAPSED``
owner             the seller who owns the account (for LAPSED: the last seller who billed it)
billing_12m       net billing in the 12-month window, exact plain decimal (``11672.60``);
                  ``0.00`` for LAPSED, empty for prospects
rank              rank by billing in the whole client base (1 = largest), empty when not
                  spending
cutoff            the KEY cut-off of this review, exact plain decimal (same on every row)
as_of             the review's as_of date (ISO ``YYYY-MM-DD``)
review_date       the next review: as_of + ``review_months`` (6 or 12) months (ISO)
last_billed       LAPSED only: date of the last billing (ISO)
fit_score         prospects only: the fit score from the three filters
notes             prospects only: the seller's notes
flag              ``at risk`` (a KEY account), ``growth potential`` (a SECONDARY account) or
                  ``lapsed``: what the seller acts on first; ``check prospect`` on a prospect
                  row that is already a client or on two sellers' lists; empty otherwise
flag_detail       the figures behind the flag (e.g. last 3 months against the 9 before)
alms_key          the company's stable key (``ALMS-`` and 12 hexadecimal digits), the CRM's
                  external ID: kept from the earlier review's accounts.csv for a company found
                  there, else derived from the client id or the combined client (rule:
                  :mod:`alms_toolkit.analysis.crm_records`); a prospect that is already a
                  client carries the client's key
================  ===========================================================================

Rows: KEY then SECONDARY by rank, NON-SPENDING, then TARGET, EXTRA, LEAD by seller, then
LAPSED alphabetically. Plain UTF-8 (no BOM), comma-separated, CRLF line ends. Text cells
that a spreadsheet would run as a formula start with an added ``'`` (OWASP CSV injection,
:mod:`.safe_cells`); a reader removes it with :func:`~.safe_cells.restore_text`.

Presets use each CRM's import field names, so the import wizards map the columns by
themselves:

* ``salesforce_accounts.csv`` (Data Import Wizard, Accounts). Standard Account fields as
  listed in the Salesforce Field Reference, *Account* object
  (https://developer.salesforce.com/docs/atlas.en-us.244.0.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_Account.htm):
  ``Name`` (Account Name), ``Account Owner`` (the label of ``OwnerId``: the wizard matches
  it to a user by name), ``AnnualRevenue`` (currency), ``Type`` (picklist; standard values
  ``Customer - Direct`` and ``Prospect``), ``Description`` (Account Description). Two custom
  fields the client creates once: ``ALMS_Tier__c`` (text or picklist) and
  ``ALMS_Target_Account__c`` (checkbox, ``true``/``false``).
* ``hubspot_companies.csv`` (Import, Companies). Default company properties by label:
  ``Company name`` (``name``), ``Company owner`` (``hubspot_owner_id``: matched to a user by
  name or email), ``Annual revenue`` (``annualrevenue``), ``Lifecycle stage``
  (``lifecyclestage``, internal values ``customer``, ``salesqualifiedlead``, ``lead``),
  ``Description`` (``description``); HubSpot's target-account flag by internal name
  ``hs_is_target_account`` (``true``/``false``, the property behind *Target accounts*);
  and one custom property the client creates once: ``alms_tier``
  (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/companies/guide).

``AnnualRevenue`` / ``Annual revenue`` carry the client's 12-month billing *to the seller's
company* (the list's billing level), not the client's own turnover.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...cell_values import cell_text, is_missing, named_rows
from ...money import to_str
from .safe_cells import write_safe_csv

if TYPE_CHECKING:
    from ...analysis.official_list import OfficialList

__all__ = [
    "ACCOUNTS_COLUMNS",
    "ACCOUNTS_TEXT_COLUMNS",
    "CHANGES_FILE",
    "TIERS",
    "ACCOUNTS_FILE",
    "accounts_table",
    "write_crm_files",
]

ACCOUNTS_FILE = "accounts.csv"
#: a republish's rows of accounts.csv that changed since the review (same columns)
CHANGES_FILE = "accounts_changes.csv"

#: accounts.csv columns, in order (stable: the next review reads them)
ACCOUNTS_COLUMNS: tuple[str, ...] = (
    "client_key",
    "name",
    "tier",
    "owner",
    "billing_12m",
    "rank",
    "cutoff",
    "as_of",
    "review_date",
    "last_billed",
    "fit_score",
    "notes",
    "flag",
    "flag_detail",
    "alms_key",
)
#: every tier in accounts.csv, in row order
TIERS: tuple[str, ...] = ("KEY", "SECONDARY", "NON-SPENDING", "TARGET", "EXTRA", "LEAD", "LAPSED")

_CLIENT_TIERS = ("KEY", "SECONDARY", "NON-SPENDING")
_PROSPECT_TIERS = ("TARGET", "EXTRA", "LEAD")
#: a prospect row flagged in accounts.csv: its issue makes it no plain prospect (flag "check prospect")
_PROSPECT_FLAGS = ("already a client", "also on the list of")
_ACCOUNTS_TEXT = ("client_key", "name", "tier", "owner", "notes", "flag", "flag_detail", "alms_key")
#: accounts.csv's text columns (made formula-safe when written), for the files with its columns
ACCOUNTS_TEXT_COLUMNS = _ACCOUNTS_TEXT


def _score(value: Any) -> str:
    if is_missing(value):
        return ""
    number = float(value)
    if math.isfinite(number):
        return f"{number:.2f}".rstrip("0").rstrip(".")
    return ""


def _iso(value: Any) -> str:
    if is_missing(value):
        return ""
    return pd.Timestamp(value).date().isoformat()


def accounts_table(official: OfficialList) -> pd.DataFrame:
    """The official list as a table of strings with :data:`ACCOUNTS_COLUMNS` (not yet made
    safe): the clients by tier and rank, then the prospects, then the lapsed clients. The
    ``alms_key`` column is the one on the list's frames (``with_alms_keys``, decided once for
    the run); a list without one gets the keys derived from it alone (no earlier review)."""
    from ...analysis.crm_records import with_alms_keys

    if "alms_key" not in official.accounts.columns:
        official = with_alms_keys(official)
    accounts, prospects, lapsed = official.accounts, official.prospects, official.lapsed
    cut = to_str(official.cutoff)
    as_of_s = official.as_of.isoformat()
    review_s = official.review_date.isoformat()
    rows: list[dict[str, str]] = []

    def add(**values: str) -> None:
        row = dict.fromkeys(ACCOUNTS_COLUMNS, "")
        row.update(values, cutoff=cut, as_of=as_of_s, review_date=review_s)
        rows.append(row)

    order = {t: i for i, t in enumerate(TIERS)}
    clients = accounts.assign(
        _tier=accounts["tier"].map(order),
        _rank=pd.to_numeric(accounts["rank"], errors="coerce"),
        _neg=-accounts["billing"].astype("int64"),
    ).sort_values(["_tier", "_rank", "_neg", "client"], na_position="last", kind="stable")
    for rec in named_rows(clients):
        add(
            client_key=cell_text(rec.client_key),
            name=cell_text(rec.client),
            tier=str(rec.tier),
            owner=cell_text(rec.owner),
            billing_12m=to_str(rec.billing),
            rank="" if is_missing(rec.rank) else str(int(rec.rank)),
            alms_key=cell_text(rec.alms_key),
        )

    if prospects is not None and len(prospects):
        ordered = prospects.assign(_cat=prospects["category"].map(order)).sort_values(
            ["_cat", "seller"], kind="stable"
        )
        for rec in named_rows(ordered):
            issue = cell_text(getattr(rec, "issues", None))
            blocking = issue.startswith(_PROSPECT_FLAGS)  # a target that is a client, or on two lists
            add(
                name=cell_text(rec.prospect),
                tier=str(rec.category),
                owner=cell_text(rec.seller),
                fit_score=_score(getattr(rec, "fit_score", None)),
                notes=cell_text(getattr(rec, "notes", None)),
                alms_key=cell_text(getattr(rec, "alms_key", None)),
                flag="check prospect" if blocking else "",
                flag_detail=issue if blocking else "",
            )

    if lapsed is not None and len(lapsed):
        ordered = lapsed.sort_values("client", key=lambda s: s.str.casefold(), kind="stable")
        for rec in named_rows(ordered):
            add(
                client_key=cell_text(getattr(rec, "client_key", None)),
                name=cell_text(rec.client),
                tier="LAPSED",
                owner=cell_text(rec.last_seller),
                billing_12m=to_str(0),
                last_billed=_iso(rec.last_billed),
                alms_key=cell_text(getattr(rec, "alms_key", None)),
            )
    table = pd.DataFrame(rows, columns=list(ACCOUNTS_COLUMNS), dtype=object)
    flags = official.flags
    if len(flags):  # one flag per client (at risk is KEY, growth SECONDARY, lapsed LAPSED)
        flag = dict(zip(flags["client_key"], flags["flag"], strict=True))
        detail = dict(zip(flags["client_key"], flags["detail"], strict=True))
        keys = table["client_key"]
        table["flag"] = [flag.get(k, f) if k else f for k, f in zip(keys, table["flag"], strict=True)]
        table["flag_detail"] = [detail.get(k, d) if k else d for k, d in zip(keys, table["flag_detail"], strict=True)]
    return table


def write_crm_files(official: OfficialList, out_dir: Path | str) -> list[Path]:
    """Write the official list as accounts.csv into ``out_dir``: the one writer of the list's
    file (an audit's and a monthly republish's). The CRM import files are written from the
    CRM records by :mod:`~alms_toolkit.report.writers.crm_setup` (``write_crm_folder``)."""
    table = accounts_table(official)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_safe_csv(table, out / ACCOUNTS_FILE, text_columns=_ACCOUNTS_TEXT)]
    return written
