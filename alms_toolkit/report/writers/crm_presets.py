"""CRM import presets: the official list's records written exactly as each CRM's importer expects.

Each preset (:class:`CrmPreset`, chosen by its :attr:`~CrmPreset.name` with ``--formats``)
reads the *records frame* (one row per company, every cell a string: ``alms_key``, ``name``,
``tier``, ``previous_tier``, ``is_target``, ``billing_12m``, ``cutoff``, ``as_of``,
``review_date``, ``list_position``, ``flag``, ``owner_name``, ``owner_email``,
``owner_username``, ``owner_user_id``, ``owner_full_name``, ``domain``) and writes one CSV
file with the importer's own column names, the owner written the way the importer resolves
users, and only the ALMS fields (:data:`ALMS_FIELDS`): the account's name and owner are the
only standard fields written. ``AnnualRevenue`` / "Annual revenue", ``Description``, ``Type``
and the lifecycle stage are never written (:data:`FORBIDDEN_HEADERS`).

========================  =====================================================================
preset                    importer, key, owner (documentation pages in each preset's ``docs``)
========================  =====================================================================
``salesforce-loader``     Data Loader / ``sf data upsert bulk`` (Bulk API 2.0): API names,
                          upsert on the external ID ``ALMS_Key__c``; owner ``OwnerId`` when the
                          owner map gives every owner's user ID, else ``Owner.Username``
                          (a relationship column on an idLookup field); empty ALMS values are
                          ``#N/A`` so that a flag that went away is cleared (Bulk API: an empty
                          cell leaves the field as it is); UTF-8 without BOM, LF line ends
                          (the CLI's default ``--line-ending``)
``salesforce-wizard``     Data Import Wizard (Accounts and Contacts): the labels ("Account Name",
                          "Record Owner", the custom fields' labels); matches business accounts
                          by Salesforce ID, external ID or name and site: choose *External ID*
                          ``ALMS Key``; Record Owner = the user's username (else full name)
``hubspot``               HubSpot companies import: "Company name", the unique property
                          ``alms_key`` ("ALMS Key": a custom property with unique values, used to
                          update on re-import), "Company owner" = the user's email,
                          "Company Domain Name" when a domain is known
``pipedrive``             Pipedrive organizations import: "Organization - Name",
                          "Organization - Owner" = the user's email, the ALMS custom fields;
                          Pipedrive matches organizations by name and address (or its own
                          system ID), not by a custom key
``dynamics``              Dynamics 365 / Dataverse accounts import: display names ("Account
                          Name", "Owner" = the user's full name, else primary email), custom
                          columns ``alms_*`` (publisher prefix ``alms``); updates through the
                          alternate key on ``alms_key``
========================  =====================================================================

Text cells that a spreadsheet would run as a formula get a leading ``'`` (:mod:`.safe_cells`);
amounts stay plain decimals (``1234.56``, ``-2.00``: no currency sign, no grouping); dates are
ISO (``2026-01-31``). Files are written to a temporary name and renamed (:mod:`...atomic`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...analysis.crm_records import RECORD_COLUMNS
from ...analysis.official_list import FLAGS
from ...atomic import write_bytes
from ...errors import BadInputError
from .crm import TIERS
from .safe_cells import safe_text

__all__ = [
    "AlmsField",
    "ALMS_FIELDS",
    "FLAGS",
    "Column",
    "OwnerChoice",
    "CrmPreset",
    "CrmPresetError",
    "PRESETS",
    "PRESET_NAMES",
    "owner_needs",
    "FORBIDDEN_HEADERS",
    "RECORD_FIELDS",
    "preset",
    "presets_for",
    "owner_choice",
    "preset_table",
    "preset_csv",
    "write_preset",
]

#: the record fields the presets read (the records frame of analysis.crm_records may hold more)
RECORD_FIELDS: tuple[str, ...] = RECORD_COLUMNS

#: standard fields an ALMS import never writes (they belong to the client's CRM)
FORBIDDEN_HEADERS: frozenset[str] = frozenset({
    "AnnualRevenue", "Annual Revenue", "Annual revenue", "annualrevenue", "Description",
    "description", "Account Description", "Type", "Account Type", "Lifecycle stage",
    "Lifecycle Stage", "lifecyclestage", "Organization - Annual revenue", "Revenue",
    "Relationship Type", "customertypecode", "revenue",
})

_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_INTEGER = re.compile(r"\d+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class AlmsField:
    """One ALMS field as each CRM names it (created once by the client's admin)."""

    source: str  #: the record field it holds
    label: str  #: the label shown to users (Salesforce label, HubSpot label, display name)
    salesforce: str  #: Salesforce API name
    internal: str  #: HubSpot internal name = Dataverse logical name (publisher prefix ``alms``)
    kind: str  #: ``key``, ``picklist``, ``checkbox``, ``number``, ``integer`` or ``date``
    description: str
    values: tuple[str, ...] = ()  #: picklist values


#: the ALMS fields, in the order every preset writes them (after the name and owner)
ALMS_FIELDS: tuple[AlmsField, ...] = (
    AlmsField("alms_key", "ALMS Key", "ALMS_Key__c", "alms_key", "key",
              "The ALMS client key: the same company keeps the same key in every review, so "
              "each import updates the record instead of creating a new one."),
    AlmsField("tier", "ALMS Tier", "ALMS_Tier__c", "alms_tier", "picklist",
              "The account's tier in the current ALMS list.", TIERS),
    AlmsField("previous_tier", "ALMS Previous Tier", "ALMS_Previous_Tier__c", "alms_previous_tier",
              "picklist", "The tier in the previous ALMS review (empty for a first review).", TIERS),
    AlmsField("is_target", "ALMS Target", "ALMS_Target__c", "alms_target", "checkbox",
              "Ticked for a TARGET prospect of the current ALMS list."),
    AlmsField("billing_12m", "ALMS Billing 12M", "ALMS_Billing_12M__c", "alms_billing_12m", "number",
              "Net billing to this client over the 12 months of the ALMS window (0 for "
              "prospects); not the client's own revenue."),
    AlmsField("cutoff", "ALMS Cut-off", "ALMS_Cutoff__c", "alms_cutoff", "number",
              "The KEY cut-off of the current ALMS review (the same on every record)."),
    AlmsField("review_date", "ALMS Review Date", "ALMS_Review_Date__c", "alms_review_date", "date",
              "The date of the next ALMS review."),
    AlmsField("list_position", "ALMS List Position", "ALMS_List_Position__c", "alms_list_position",
              "integer", "The account's position in its seller's list (empty for prospects)."),
    AlmsField("flag", "ALMS Flag", "ALMS_Flag__c", "alms_flag", "picklist",
              "What the seller acts on first: at risk, growth potential or lapsed.", FLAGS),
)
_BY_SOURCE = {f.source: f for f in ALMS_FIELDS}


@dataclass(frozen=True)
class Column:
    """One column of a preset's file: its header and the record field it holds."""

    header: str
    source: str
    #: ``text`` (made formula-safe), ``number``, ``integer``, ``date`` or ``bool``
    kind: str = "text"
    #: written only when at least one record has a value (e.g. HubSpot's domain)
    only_when_known: bool = False


@dataclass(frozen=True)
class OwnerChoice:
    """One way to write the owner: the column's header and the owner-map field it holds."""

    header: str
    source: str  #: ``owner_user_id``, ``owner_username``, ``owner_email`` or ``owner_full_name``
    what: str  #: in words, for messages and the how-to ("Salesforce user ID")


@dataclass(frozen=True)
class CrmPreset:
    """How one importer wants the file (see the module's table)."""

    name: str  #: the ``--formats`` name
    file_name: str
    crm: str  #: the CRM ("Salesforce", "HubSpot", ...)
    importer: str  #: the importer, in the admin's words
    docs: tuple[str, ...]  #: documentation pages the columns and rules follow (first: the main one)
    #: columns before the owner (key, name, domain), then the owner, then :attr:`after`
    before: tuple[Column, ...]
    #: the owner column: the first choice that every record has is used (one way per file)
    owner: tuple[OwnerChoice, ...]
    after: tuple[Column, ...]
    match: str  #: what the importer matches existing records on, in words
    key_header: str  #: the column holding the ALMS key
    encoding: str = "utf-8"  #: ``utf-8-sig`` writes a BOM
    line_end: str = "\r\n"
    #: written for an empty ALMS value (Bulk API: ``#N/A`` sets the field to null)
    empty: str = ""
    bool_values: tuple[str, str] = ("true", "false")

    @property
    def headers(self) -> tuple[str, ...]:
        """Every possible header, the owner as its first choice."""
        return tuple(c.header for c in self.before) + (self.owner[0].header,) + tuple(
            c.header for c in self.after
        )


class CrmPresetError(BadInputError):
    """A CRM import file cannot be written as the importer needs it (exit 2)."""

    reason = "crm_preset"


def _alms_columns(header: str) -> tuple[Column, ...]:
    """The ALMS fields after the owner, each headed by ``header(field)``."""
    kinds = {"picklist": "text", "checkbox": "bool", "key": "text"}
    return tuple(
        Column(_header(header, f), f.source, kinds.get(f.kind, f.kind))
        for f in ALMS_FIELDS
        if f.kind != "key"
    )


def _header(style: str, f: AlmsField) -> str:
    if style == "api":
        return f.salesforce
    if style == "label":
        return f.label
    return f"Organization - {f.label}"  # Pipedrive's "<item> - <field>" names


_SF_BULK_CSV = "https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_prepare_csv.htm"
_SF_REL = "https://developer.salesforce.com/docs/platform/api-asynch/guide/relationship-fields-in-a-header-row-2-0.html"
_SF_UPSERT = "https://developer.salesforce.com/docs/platform/api-asynch/guide/walkthrough-upsert.html"
_SF_CLI = "https://developer.salesforce.com/docs/platform/salesforce-cli-reference/guide/cli_reference_data_upsert_bulk.html"
_SF_WIZ_MATCH = "https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.for_accounts_and_contacts.htm"
_SF_WIZ_MAP = "https://help.salesforce.com/s/articleView?id=xcloud.field_mapping_for_other_data_sources_and_organization_import.htm&language=en_US&type=5"
_HS_DEDUPE = "https://knowledge.hubspot.com/articles/kcs_article/contacts/deduplication-of-contacts-companies-deals-tickets"
_HS_OWNER = "https://knowledge.hubspot.com/records/how-to-set-a-record-owner"
_HS_FILES = "https://knowledge.hubspot.com/import-and-export/set-up-your-import-file"
_HS_PROPS = "https://developers.hubspot.com/docs/api/crm/properties"
_PD_DUPES = "https://support.pipedrive.com/en/article/how-to-avoid-duplicates-during-an-import"
_PD_FIELDS = "https://support.pipedrive.com/en/article/import-fields"
_DV_IMPORT = "https://learn.microsoft.com/en-us/power-apps/maker/data-platform/data-platform-import-export"
_DV_KEYS = "https://learn.microsoft.com/en-us/power-apps/maker/data-platform/define-alternate-keys-reference-records"
_DV_OWNER = "https://cloudblogs.microsoft.com/dynamics365/no-audience/2009/11/20/owner-mappinguser-creation-in-import-data-wizard-for-microsoft-dynamics-crm-online/"

#: every preset, in ``--formats`` order
PRESETS: tuple[CrmPreset, ...] = (
    CrmPreset(
        name="salesforce-loader",
        file_name="salesforce_data_loader_accounts.csv",
        crm="Salesforce",
        importer="Data Loader (Upsert, Account) or `sf data upsert bulk --sobject Account --external-id ALMS_Key__c`",
        docs=(_SF_BULK_CSV, _SF_REL, _SF_UPSERT, _SF_CLI),
        before=(Column("ALMS_Key__c", "alms_key"), Column("Name", "name")),
        owner=(
            OwnerChoice("OwnerId", "owner_user_id", "Salesforce user ID"),
            OwnerChoice("Owner.Username", "owner_username", "Salesforce username"),
        ),
        after=_alms_columns("api"),
        match="the external ID ALMS_Key__c (upsert: an existing key is updated, a new key is created)",
        key_header="ALMS_Key__c",
        line_end="\n",
        empty="#N/A",
    ),
    CrmPreset(
        name="salesforce-wizard",
        file_name="salesforce_import_wizard_accounts.csv",
        crm="Salesforce",
        importer="Data Import Wizard (Setup > Data Import Wizard > Accounts and Contacts)",
        docs=(_SF_WIZ_MAP, _SF_WIZ_MATCH),
        before=(Column("ALMS Key", "alms_key"), Column("Account Name", "name")),
        owner=(
            OwnerChoice("Record Owner", "owner_username", "Salesforce username"),
            OwnerChoice("Record Owner", "owner_full_name", "user's full name in Salesforce"),
        ),
        after=_alms_columns("label"),
        match="business accounts by Salesforce ID, by external ID or by name and site: "
        "choose External ID, ALMS Key",
        key_header="ALMS Key",
    ),
    CrmPreset(
        name="hubspot",
        file_name="hubspot_companies_import.csv",
        crm="HubSpot",
        importer="HubSpot import (Import > Start an import > File from computer > One file > One object > Companies)",
        docs=(_HS_DEDUPE, _HS_OWNER, _HS_FILES, _HS_PROPS),
        before=(
            Column("ALMS Key", "alms_key"),
            Column("Company name", "name"),
            Column("Company Domain Name", "domain", only_when_known=True),
        ),
        owner=(OwnerChoice("Company owner", "owner_email", "HubSpot user's email"),),
        after=_alms_columns("label"),
        match="the unique property ALMS Key (alms_key), chosen as the import's unique identifier "
        "(without it HubSpot matches companies by domain name)",
        key_header="ALMS Key",
    ),
    CrmPreset(
        name="pipedrive",
        file_name="pipedrive_organizations.csv",
        crm="Pipedrive",
        importer="Pipedrive import (Tools and apps > Import data > From a spreadsheet), Organizations",
        docs=(_PD_DUPES, _PD_FIELDS),
        before=(Column("Organization - ALMS Key", "alms_key"), Column("Organization - Name", "name")),
        owner=(OwnerChoice("Organization - Owner", "owner_email", "Pipedrive user's email"),),
        after=_alms_columns("pipedrive"),
        match="organizations by name and address (or Pipedrive's own system ID), not by a "
        "custom field: choose to merge duplicates",
        key_header="Organization - ALMS Key",
        bool_values=("Yes", "No"),
    ),
    CrmPreset(
        name="dynamics",
        file_name="dynamics365_accounts.csv",
        crm="Microsoft Dynamics 365",
        importer="Power Apps (make.powerapps.com > Tables > Account > Import > Import data from Excel), "
        "or the Data Import Wizard for a first import",
        docs=(_DV_IMPORT, _DV_KEYS, _DV_OWNER),
        before=(Column("ALMS Key", "alms_key"), Column("Account Name", "name")),
        owner=(
            OwnerChoice("Owner", "owner_full_name", "user's full name in Dynamics 365"),
            OwnerChoice("Owner", "owner_email", "user's primary email in Dynamics 365"),
        ),
        after=_alms_columns("label"),
        match="the alternate key ALMS Key (alms_key) on Account: an existing key is updated",
        key_header="ALMS Key",
        encoding="utf-8-sig",
        bool_values=("Yes", "No"),
    ),
)
PRESET_NAMES: tuple[str, ...] = tuple(p.name for p in PRESETS)
_BY_NAME = {p.name: p for p in PRESETS}


def preset(name: str) -> CrmPreset:
    """The preset called ``name`` (a ``--formats`` value); :class:`CrmPresetError` if unknown."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise CrmPresetError(
            f"'{name}' is not a CRM import format. Choose from: {', '.join(PRESET_NAMES)}."
        ) from None


def _check_records(records: pd.DataFrame) -> None:
    missing = [c for c in RECORD_FIELDS if c not in records.columns]
    if missing:
        raise CrmPresetError(f"The CRM records lack these columns: {', '.join(missing)}.")
    keys = records["alms_key"]
    problems: list[str] = []
    if (keys == "").any():
        problems.append(f"{int((keys == '').sum())} record(s) have no ALMS key")
    dup = sorted(set(keys[keys.duplicated() & (keys != "")]))
    if dup:
        problems.append("these ALMS keys appear more than once: " + ", ".join(dup[:10]))
    if problems:
        raise CrmPresetError("The CRM import cannot be written: " + "; ".join(problems) + ".")


def owner_choice(records: pd.DataFrame, chosen: CrmPreset) -> OwnerChoice:
    """How ``chosen`` writes the owner for these records: its first choice that every record
    has (one way for the whole file). :class:`CrmPresetError` names every seller whose CRM
    identity is missing from the owner map."""
    for choice in chosen.owner:
        if (records[choice.source].astype(str).str.strip() != "").all():
            return choice
    first = chosen.owner[0]
    lacking = sorted(set(records.loc[records[first.source].astype(str).str.strip() == "", "owner_name"]))
    ways = " or ".join(c.what for c in chosen.owner)
    raise CrmPresetError(
        f"The {chosen.crm} import ({chosen.name}) needs each seller's {ways} in client.yml "
        f"(crm: owners:). Missing for: {', '.join(n or '(no seller)' for n in lacking)}."
    )


def _value(text: str, column: Column, chosen: CrmPreset) -> str:
    if column.kind == "bool":
        return chosen.bool_values[0] if text == "true" else chosen.bool_values[1]
    if text == "":
        return chosen.empty if column.source in _BY_SOURCE and column.source != "alms_key" else ""
    if column.kind == "text":
        return safe_text(text)
    return text


def _check_values(records: pd.DataFrame, columns: Sequence[Column]) -> None:
    """Numbers must be plain decimals and dates ISO: anything else is a bug upstream, and the
    importers would reject or misread it."""
    bad: list[str] = []
    patterns = {"number": _DECIMAL, "integer": _INTEGER, "date": _ISO_DATE}
    for column in columns:
        pattern = patterns.get(column.kind)
        if pattern is None:
            continue
        values = [v for v in records[column.source] if v != "" and not pattern.fullmatch(v)]
        if values:
            bad.append(f"{column.source}: {', '.join(repr(v) for v in values[:3])}")
    if bad:
        raise CrmPresetError("The CRM records hold values an importer cannot read: " + "; ".join(bad) + ".")


def preset_table(records: pd.DataFrame, chosen: CrmPreset) -> pd.DataFrame:
    """The file's content as a table of strings, headers as the importer names them: values
    converted (booleans, empty ALMS values) and text made formula-safe."""
    _check_records(records)
    recs = records.fillna("").astype(str)
    owner = owner_choice(recs, chosen)
    columns = [c for c in chosen.before if not c.only_when_known or (recs[c.source] != "").any()]
    columns.append(Column(owner.header, owner.source))
    columns.extend(chosen.after)
    _check_values(recs, columns)
    data = {c.header: [_value(v, c, chosen) for v in recs[c.source]] for c in columns}
    return pd.DataFrame(data, columns=[c.header for c in columns], dtype=object)


def preset_csv(records: pd.DataFrame, chosen: CrmPreset) -> bytes:
    """The file's bytes: the preset's encoding (BOM or not), line ends and quoting (fields with
    a comma, quote or line break are quoted, quotes doubled: RFC 4180)."""
    table = preset_table(records, chosen)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator=chosen.line_end)
    writer.writerow(list(table.columns))
    writer.writerows(table.itertuples(index=False, name=None))
    return buffer.getvalue().encode(chosen.encoding)


def write_preset(records: pd.DataFrame, chosen: CrmPreset | str, folder: Path | str) -> Path:
    """Write ``records`` as ``chosen``'s import file into ``folder`` (atomically); return its path."""
    if isinstance(chosen, str):
        chosen = preset(chosen)
    return write_bytes(Path(folder) / chosen.file_name, preset_csv(records, chosen))


def owner_needs(chosen: Sequence[CrmPreset]) -> dict[str, tuple[str, ...]]:
    """For the readiness check: each preset (in words) -> the owner-map fields it can write
    the owner from (``email``, ``username``, ``user_id``, ``full_name``)."""
    return {f"{p.crm} ({p.name})": tuple(c.source.removeprefix("owner_") for c in p.owner) for p in chosen}


def presets_for(names: Sequence[str]) -> tuple[CrmPreset, ...]:
    """The presets named (in :data:`PRESETS` order, each once); unknown names raise."""
    wanted = [preset(n) for n in names]
    return tuple(p for p in PRESETS if p in wanted)

