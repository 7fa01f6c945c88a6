"""CRM setup files: the ALMS fields to create once in each CRM, and a one-page how-to import.

Written beside the import files in a ``crm/`` folder (:func:`write_crm_folder`):

=====================================================  ==========================================
file                                                   for
=====================================================  ==========================================
``salesforce/force-app/main/default/objects/Account/   Salesforce: one CustomField per ALMS field
fields/ALMS_*__c.field-meta.xml``                      (metadata API, source format), a
``salesforce/force-app/main/default/permissionsets/    permission set giving edit access to
ALMS_Fields.permissionset-meta.xml``,                  them, ``sfdx-project.json`` and
``salesforce/manifest/package.xml``                    ``manifest/package.xml``:
                                                       ``sf project deploy start --manifest
                                                       manifest/package.xml``
``salesforce_fields.csv``                              the same fields for an admin creating
                                                       them by hand (Setup > Object Manager)
``hubspot_properties.json``                            HubSpot: the body of ``POST
                                                       /crm/v3/properties/companies/batch/create``
                                                       (``alms_key`` with ``hasUniqueValue``)
``pipedrive_fields.csv``, ``dynamics_columns.csv``     the custom fields to create by hand
``HOW_TO_IMPORT.md``                                   plain words for the client's CRM admin
=====================================================  ==========================================

Only the files of the chosen presets' CRMs are written.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ...atomic import write_bytes
from .crm_presets import ALMS_FIELDS, PRESET_NAMES, AlmsField, CrmPreset, presets_for, write_preset

__all__ = [
    "CRM_FOLDER",
    "HOW_TO_FILE",
    "SF_API_VERSION",
    "salesforce_field_xml",
    "salesforce_project",
    "salesforce_fields_csv",
    "hubspot_properties",
    "pipedrive_fields_csv",
    "dynamics_columns_csv",
    "how_to_import",
    "setup_files",
    "write_setup_files",
    "write_crm_folder",
]

CRM_FOLDER = "crm"
HOW_TO_FILE = "HOW_TO_IMPORT.md"
SF_API_VERSION = "60.0"
_MD_NS = "http://soap.sforce.com/2006/04/metadata"
_SF_DIR = "salesforce"
_SF_FIELDS = "force-app/main/default/objects/Account/fields"
_SF_PERMSET = "ALMS_Fields"
#: Salesforce Number fields: 18 digits in all, 2 after the point (amounts to the cent)
_SF_PRECISION, _SF_SCALE = 18, 2
_KEY_LENGTH = 40


def _xml(root: ET.Element) -> bytes:
    ET.indent(root, space="    ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def _sub(parent: ET.Element, tag: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, tag)
    child.text = text
    return child


def salesforce_field_xml(f: AlmsField) -> bytes:
    """``<API name>.field-meta.xml``: the CustomField metadata of one ALMS field on Account
    (elements as Salesforce writes them: ``fullName`` first, then alphabetical)."""
    sf_type = {"key": "Text", "picklist": "Picklist", "checkbox": "Checkbox", "number": "Number",
               "integer": "Number", "date": "Date"}[f.kind]
    values: dict[str, str] = {
        "description": f.description,
        "inlineHelpText": f.description,
        "label": f.label,
        "trackHistory": "false",
        "type": sf_type,
    }
    if f.kind == "checkbox":
        values["defaultValue"] = "false"
    else:
        values["required"] = "false"
    if f.kind == "key":
        values.update(caseSensitive="false", externalId="true", length=str(_KEY_LENGTH), unique="true")
    if f.kind in ("number", "integer"):
        values.update(precision=str(_SF_PRECISION), scale=str(_SF_SCALE if f.kind == "number" else 0),
                      unique="false")
    root = ET.Element("CustomField", xmlns=_MD_NS)
    _sub(root, "fullName", f.salesforce)
    for tag in sorted(values):
        _sub(root, tag, values[tag])
    if f.kind == "picklist":
        value_set = ET.SubElement(root, "valueSet")
        _sub(value_set, "restricted", "true")
        definition = ET.SubElement(value_set, "valueSetDefinition")
        _sub(definition, "sorted", "false")
        for v in f.values:
            value = ET.SubElement(definition, "value")
            _sub(value, "fullName", v)
            _sub(value, "default", "false")
            _sub(value, "label", v)
    return _xml(root)


def _permission_set() -> bytes:
    root = ET.Element("PermissionSet", xmlns=_MD_NS)
    _sub(root, "description", "Read and edit the ALMS fields on Account (for the users who import the list).")
    for f in ALMS_FIELDS:
        perm = ET.SubElement(root, "fieldPermissions")
        _sub(perm, "editable", "true")
        _sub(perm, "field", f"Account.{f.salesforce}")
        _sub(perm, "readable", "true")
    _sub(root, "hasActivationRequired", "false")
    _sub(root, "label", "ALMS Fields")
    return _xml(root)


def _package_xml() -> bytes:
    root = ET.Element("Package", xmlns=_MD_NS)
    fields = ET.SubElement(root, "types")
    for f in ALMS_FIELDS:
        _sub(fields, "members", f"Account.{f.salesforce}")
    _sub(fields, "name", "CustomField")
    permsets = ET.SubElement(root, "types")
    _sub(permsets, "members", _SF_PERMSET)
    _sub(permsets, "name", "PermissionSet")
    _sub(root, "version", SF_API_VERSION)
    return _xml(root)


def salesforce_project() -> dict[str, bytes]:
    """The Salesforce DX project that creates the ALMS fields: relative path -> content."""
    project = {
        "packageDirectories": [{"path": "force-app", "default": True}],
        "name": "alms-crm-fields",
        "namespace": "",
        "sourceApiVersion": SF_API_VERSION,
    }
    files = {
        f"{_SF_DIR}/sfdx-project.json": (json.dumps(project, indent=2) + "\n").encode(),
        f"{_SF_DIR}/manifest/package.xml": _package_xml(),
        f"{_SF_DIR}/force-app/main/default/permissionsets/{_SF_PERMSET}.permissionset-meta.xml": _permission_set(),
    }
    for f in ALMS_FIELDS:
        files[f"{_SF_DIR}/{_SF_FIELDS}/{f.salesforce}.field-meta.xml"] = salesforce_field_xml(f)
    return files


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # opened in a spreadsheet by the admin


def salesforce_fields_csv() -> bytes:
    """The ALMS fields for an admin creating them by hand in Setup > Object Manager > Account."""
    def data_type(f: AlmsField) -> tuple[str, str]:
        return {
            "key": ("Text", f"Length {_KEY_LENGTH}; tick Unique and External ID"),
            "picklist": ("Picklist", "Restrict to the values listed"),
            "checkbox": ("Checkbox", "Default unchecked"),
            "number": ("Number", f"Length {_SF_PRECISION - _SF_SCALE}, {_SF_SCALE} decimal places"),
            "integer": ("Number", f"Length {_SF_PRECISION}, 0 decimal places"),
            "date": ("Date", ""),
        }[f.kind]

    rows = [
        (f.label, f.salesforce.removesuffix("__c"), f.salesforce, *data_type(f), "; ".join(f.values),
         f.description)
        for f in ALMS_FIELDS
    ]
    return _csv(("Field Label", "Field Name", "API Name", "Data Type", "Settings", "Values", "Description"), rows)


def hubspot_properties() -> dict[str, object]:
    """The body of ``POST /crm/v3/properties/companies/batch/create``: the ALMS company
    properties (``alms_key`` with unique values, the tier picklists with their values)."""
    inputs: list[dict[str, object]] = []
    for f in ALMS_FIELDS:
        prop: dict[str, object] = {
            "name": f.internal,
            "label": f.label,
            "description": f.description,
            "groupName": "companyinformation",
        }
        if f.kind == "key":
            prop.update(type="string", fieldType="text", hasUniqueValue=True)
        elif f.kind == "picklist":
            prop.update(type="enumeration", fieldType="select", options=[
                {"label": v, "value": v, "displayOrder": i, "hidden": False} for i, v in enumerate(f.values)
            ])
        elif f.kind == "checkbox":
            prop.update(type="bool", fieldType="booleancheckbox", options=[
                {"label": "Yes", "value": "true", "displayOrder": 0, "hidden": False},
                {"label": "No", "value": "false", "displayOrder": 1, "hidden": False},
            ])
        elif f.kind in ("number", "integer"):
            prop.update(type="number", fieldType="number")
        else:
            prop.update(type="date", fieldType="date")
        inputs.append(prop)
    return {"inputs": inputs}


def pipedrive_fields_csv() -> bytes:
    """The ALMS organization fields to create in Pipedrive (Company settings > Data fields > Organization)."""
    kinds = {"key": "Text", "picklist": "Single option", "checkbox": "Single option",
             "number": "Numerical", "integer": "Numerical", "date": "Date"}
    rows = [
        (f.label, kinds[f.kind], "; ".join(f.values) if f.kind != "checkbox" else "Yes; No", f.description)
        for f in ALMS_FIELDS
    ]
    return _csv(("Field name", "Field type", "Options", "Description"), rows)


def dynamics_columns_csv() -> bytes:
    """The ALMS columns to create on the Account table (publisher prefix ``alms``) and the
    alternate key on ``alms_key``."""
    kinds = {"key": "Single line of text (max 100)", "picklist": "Choice", "checkbox": "Yes/no",
             "number": f"Decimal number ({_SF_SCALE} decimal places)", "integer": "Whole number",
             "date": "Date only"}
    rows = [
        (f.label, f.internal, kinds[f.kind], "; ".join(f.values) if f.kind != "checkbox" else "Yes; No",
         "Alternate key 'ALMS Key' on this column" if f.kind == "key" else "", f.description)
        for f in ALMS_FIELDS
    ]
    return _csv(("Display name", "Schema name", "Data type", "Choices", "Key", "Description"), rows)


def _summary(records: pd.DataFrame | None) -> str:
    if records is None or not len(records):
        return ""
    as_of = sorted(set(records["as_of"]) - {""})
    review = sorted(set(records["review_date"]) - {""})
    n = len(records)
    parts = [f"This list: {n:,} compan{'y' if n == 1 else 'ies'}"]
    if as_of:
        parts.append(f"as of {as_of[-1]}")
    if review:
        parts.append(f"next review {review[-1]}")
    return ", ".join(parts) + ".\n\n"


def _crm_steps(crm: str, presets: Sequence[CrmPreset]) -> str:
    files = ", ".join(f"`{p.file_name}`" for p in presets)
    if crm == "Salesforce":
        loader = next((p for p in presets if p.name == "salesforce-loader"), None)
        wizard = next((p for p in presets if p.name == "salesforce-wizard"), None)
        lines = [
            "**Once:** create the ALMS fields on Account. Either deploy the folder `salesforce/` "
            "(`sf project deploy start --manifest manifest/package.xml`, run inside it) and assign "
            "the permission set *ALMS Fields* to the users who import, or create them by hand from "
            "`salesforce_fields.csv` (Setup > Object Manager > Account > Fields & Relationships) "
            "and give those users edit access. *ALMS Key* must be Unique and External ID.",
        ]
        if loader:
            lines.append(
                f"**Each time, Data Loader:** choose *Upsert*, object *Account*, the file "
                f"`{loader.file_name}`, and *ALMS_Key__c* as the matching field; in Settings tick "
                "*Read all CSVs with UTF-8 encoding* and *Use Bulk API* (so that `#N/A` clears a "
                "field that is now empty). Or from a terminal: `sf data upsert bulk --sobject Account "
                f"--external-id ALMS_Key__c --file {loader.file_name} --wait 10`."
            )
        if wizard:
            lines.append(
                "**Each time, Data Import Wizard** (Setup > Data Import Wizard > Accounts and "
                f"Contacts > Add new and update existing records): file `{wizard.file_name}`, "
                "character code *Unicode (UTF-8)*, match Account by *External ID: ALMS Key*. "
                "Check that every column is mapped, then start the import."
            )
        return "\n\n".join(lines)
    if crm == "HubSpot":
        return (
            "**Once:** create the company properties in `hubspot_properties.json` (Settings > "
            "Properties > Companies > Create property, or send the file to the properties API: "
            "`POST /crm/v3/properties/companies/batch/create`). *ALMS Key* must be set to "
            "*Require unique values for this property*.\n\n"
            f"**Each time:** Import > Start an import > File from computer > One file > One object > "
            f"Companies, file {files}; choose *Create and update companies*, and *ALMS Key* as the "
            "unique identifier. The owner column holds each seller's HubSpot login email."
        )
    if crm == "Pipedrive":
        return (
            "**Once:** create the organization fields in `pipedrive_fields.csv` (Company settings > "
            "Data fields > Organization).\n\n"
            f"**Each time:** Tools and apps > Import data > From a spreadsheet, file {files}; map the "
            "columns to the Organization fields of the same name and choose to merge duplicates. "
            "Pipedrive recognises an organization by its name (and address), not by ALMS Key: do not "
            "rename the organizations in Pipedrive, or the next import creates a second one. The "
            "owner column holds each seller's Pipedrive login email."
        )
    return (
        "**Once:** create the Account columns in `dynamics_columns.csv` (make.powerapps.com > "
        "Tables > Account > New column; publisher prefix `alms`), then the alternate key *ALMS Key* "
        "on the column `alms_key` (Account > Keys > New key).\n\n"
        f"**Each time:** make.powerapps.com > Tables > Account > Import > Import data from Excel, file "
        f"{files}; the alternate key makes the import update the accounts it already holds. "
        "The *Owner* column holds each seller's full name as a Dynamics 365 user (or, when the owner "
        "map gives emails only, their primary email: then set the Owner lookup to match on Primary "
        "Email)."
    )


def how_to_import(presets: Sequence[CrmPreset], records: pd.DataFrame | None = None) -> str:
    """``HOW_TO_IMPORT.md``: which file goes into which importer, the order (create the fields
    once, then import), how the monthly update works and what is never overwritten."""
    crms: dict[str, list[CrmPreset]] = {}
    for p in presets:
        crms.setdefault(p.crm, []).append(p)
    table = "\n".join(f"| `{p.file_name}` | {p.crm}: {p.importer} |" for p in presets)
    sections = "\n\n".join(f"### {crm}\n\n{_crm_steps(crm, ps)}" for crm, ps in crms.items())
    return (
        "# Importing the ALMS list into your CRM\n\n"
        + _summary(records)
        + "| File | Import it with |\n|---|---|\n" + table + "\n\n"
        "## 1. Create the ALMS fields once, then import\n\n"
        "The files fill nine ALMS fields (ALMS Key, Tier, Previous Tier, Target, Billing 12M, "
        "Cut-off, Review Date, List Position, Flag). Create them once, before the first import; "
        "the setup files in this folder list them with their values. Import into a sandbox or a "
        "test account first if you can.\n\n"
        + sections + "\n\n"
        "## 2. Every month: import the new file the same way\n\n"
        "Every company carries its *ALMS Key*. It stays the same from one review to the next, so "
        "importing the new file updates the records already in the CRM instead of creating new "
        "ones. A company that enters the list is created; one that leaves it keeps its last "
        "values. Each file holds one row per company, and every row has an owner.\n\n"
        "## 3. What is never overwritten\n\n"
        "Only the account's name, its owner and the ALMS fields are written. Annual revenue, "
        "description, type, lifecycle stage, addresses, contacts, deals and every other field "
        "stay as they are in your CRM. *ALMS Billing 12M* is what the client billed with you over "
        "12 months, not the client's own revenue. Amounts are plain numbers without currency "
        "signs; dates are written year-month-day.\n"
    )


def setup_files(presets: Sequence[CrmPreset], records: pd.DataFrame | None = None) -> dict[str, bytes]:
    """Every setup file for the chosen presets' CRMs: relative path -> content."""
    crms = {p.crm for p in presets}
    files: dict[str, bytes] = {}
    if "Salesforce" in crms:
        files.update(salesforce_project())
        files["salesforce_fields.csv"] = salesforce_fields_csv()
    if "HubSpot" in crms:
        files["hubspot_properties.json"] = (json.dumps(hubspot_properties(), indent=2) + "\n").encode()
    if "Pipedrive" in crms:
        files["pipedrive_fields.csv"] = pipedrive_fields_csv()
    if "Microsoft Dynamics 365" in crms:
        files["dynamics_columns.csv"] = dynamics_columns_csv()
    if presets:
        files[HOW_TO_FILE] = how_to_import(presets, records).encode("utf-8")
    return files


def write_setup_files(
    folder: Path | str, presets: Sequence[CrmPreset], records: pd.DataFrame | None = None
) -> list[Path]:
    """Write :func:`setup_files` into ``folder`` (each file atomically); return their paths."""
    folder = Path(folder)
    return [write_bytes(folder / rel, data) for rel, data in setup_files(presets, records).items()]


def write_crm_folder(
    records: pd.DataFrame, out_dir: Path | str, formats: Sequence[str] = PRESET_NAMES
) -> list[Path]:
    """Write the import file of every preset in ``formats`` (``--formats`` names) and their
    setup files into ``out_dir/crm/``; return the paths, import files first."""
    chosen = presets_for(formats)
    folder = Path(out_dir) / CRM_FOLDER
    written = [write_preset(records, p, folder) for p in chosen]
    return written + write_setup_files(folder, chosen, records)
