"""CRM setup files (issue 14, item 4): the ALMS fields to create once in each CRM, agreeing with
the import files' headers, and the how-to for the client's CRM admin."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from alms_toolkit.report.writers.crm import TIERS
from alms_toolkit.report.writers.crm_presets import (
    ALMS_FIELDS,
    FLAGS,
    PRESETS,
    RECORD_FIELDS,
    preset,
)
from alms_toolkit.report.writers.crm_setup import (
    HOW_TO_FILE,
    dynamics_columns_csv,
    hubspot_properties,
    pipedrive_fields_csv,
    salesforce_fields_csv,
    salesforce_project,
    setup_files,
    write_crm_folder,
)

NS = {"md": "http://soap.sforce.com/2006/04/metadata"}
FIELDS_DIR = "salesforce/force-app/main/default/objects/Account/fields/"


def _records() -> pd.DataFrame:
    row = dict.fromkeys(RECORD_FIELDS, "")
    row.update(alms_key="ALMS-C-0001", name="Beta", tier="KEY", is_target="false", billing_12m="10.00",
               cutoff="5.00", as_of="2025-01-31", review_date="2026-01-31", list_position="1",
               owner_name="Ann", owner_email="ann@x.com", owner_username="ann@x.com.crm",
               owner_user_id="005A", owner_full_name="Ann Lee")
    return pd.DataFrame([row], columns=list(RECORD_FIELDS), dtype=object)


def _csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # opened in a spreadsheet by the admin
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_salesforce_field_metadata_parses_with_the_tiers_and_the_external_id():
    """Metadata API CustomField (source format ``objects/Account/fields/<API name>.field-meta.xml``):
    well-formed, ``fullName`` = the file's API name, the tier picklists restricted to the tiers,
    ``ALMS_Key__c`` an External ID and Unique, each field in package.xml and the permission set."""
    files = salesforce_project()
    fields = {path.removeprefix(FIELDS_DIR).removesuffix(".field-meta.xml"): ET.fromstring(data)
              for path, data in files.items() if path.startswith(FIELDS_DIR)}
    assert list(fields) == [f.salesforce for f in ALMS_FIELDS]
    for api, root in fields.items():
        assert root.tag == f"{{{NS['md']}}}CustomField"
        assert root.findtext("md:fullName", namespaces=NS) == api
        tags = [child.tag.split("}")[1] for child in root]
        assert tags[0] == "fullName" and tags[1:] == sorted(tags[1:])  # as Salesforce writes them
    for api in ("ALMS_Tier__c", "ALMS_Previous_Tier__c"):
        values = [v.text for v in fields[api].findall(".//md:value/md:fullName", NS)]
        assert tuple(values) == TIERS
        assert fields[api].findtext("md:valueSet/md:restricted", namespaces=NS) == "true"
    flags = [v.text for v in fields["ALMS_Flag__c"].findall(".//md:value/md:fullName", NS)]
    assert tuple(flags) == FLAGS
    key = fields["ALMS_Key__c"]
    assert (key.findtext("md:externalId", namespaces=NS), key.findtext("md:unique", namespaces=NS)) == ("true", "true")
    assert key.findtext("md:type", namespaces=NS) == "Text"
    assert fields["ALMS_Target__c"].findtext("md:type", namespaces=NS) == "Checkbox"
    billing = fields["ALMS_Billing_12M__c"]
    assert (billing.findtext("md:precision", namespaces=NS), billing.findtext("md:scale", namespaces=NS)) == ("18", "2")
    assert fields["ALMS_Review_Date__c"].findtext("md:type", namespaces=NS) == "Date"
    for root in fields.values():  # only the key is an external ID
        if root is not key:
            assert root.findtext("md:externalId", namespaces=NS) is None
    package = ET.fromstring(files["salesforce/manifest/package.xml"])
    members = [m.text for m in package.findall("md:types/md:members", NS)]
    assert members == [f"Account.{f.salesforce}" for f in ALMS_FIELDS] + ["ALMS_Fields"]
    permset = ET.fromstring(files["salesforce/force-app/main/default/permissionsets/ALMS_Fields.permissionset-meta.xml"])
    assert [p.text for p in permset.findall("md:fieldPermissions/md:field", NS)] == members[:-1]
    project = json.loads(files["salesforce/sfdx-project.json"])
    assert project["packageDirectories"] == [{"path": "force-app", "default": True}]


def test_salesforce_fields_csv_matches_both_salesforce_presets():
    """The by-hand list gives each field's label (the wizard's header) and API name (the
    Data Loader's header)."""
    rows = _csv(salesforce_fields_csv())
    loader, wizard = preset("salesforce-loader"), preset("salesforce-wizard")
    assert [r["API Name"] for r in rows] == [loader.before[0].header] + [c.header for c in loader.after]
    assert [r["Field Label"] for r in rows] == [wizard.before[0].header] + [c.header for c in wizard.after]
    assert rows[0]["Settings"].endswith("tick Unique and External ID")
    assert rows[1]["Values"].split("; ") == list(TIERS)


def test_hubspot_properties_json_for_the_properties_api():
    """HubSpot CRM properties API (https://developers.hubspot.com/docs/api/crm/properties):
    each property has groupName, name, label, type and fieldType; options for enumerations;
    ``hasUniqueValue`` only on the key; labels = the import file's headers."""
    body = json.loads(json.dumps(hubspot_properties()))
    props = {p["name"]: p for p in body["inputs"]}
    assert list(props) == [f.internal for f in ALMS_FIELDS]
    for p in props.values():
        assert {"groupName", "name", "label", "type", "fieldType"} <= set(p)
    assert [n for n, p in props.items() if p.get("hasUniqueValue")] == ["alms_key"]
    assert [o["value"] for o in props["alms_tier"]["options"]] == list(TIERS)
    assert (props["alms_tier"]["type"], props["alms_tier"]["fieldType"]) == ("enumeration", "select")
    assert (props["alms_target"]["type"], props["alms_target"]["fieldType"]) == ("bool", "booleancheckbox")
    assert props["alms_billing_12m"]["type"] == "number" and props["alms_review_date"]["type"] == "date"
    hubspot = preset("hubspot")
    assert [p["label"] for p in body["inputs"]] == [hubspot.key_header] + [c.header for c in hubspot.after]


def test_pipedrive_and_dynamics_field_lists_match_their_presets():
    pipedrive = _csv(pipedrive_fields_csv())
    assert [f"Organization - {r['Field name']}" for r in pipedrive] == [
        preset("pipedrive").key_header, *[c.header for c in preset("pipedrive").after]
    ]
    assert pipedrive[3]["Options"] == "Yes; No" and pipedrive[1]["Field type"] == "Single option"
    dynamics = _csv(dynamics_columns_csv())
    assert [r["Display name"] for r in dynamics] == [
        preset("dynamics").key_header, *[c.header for c in preset("dynamics").after]
    ]
    assert all(r["Schema name"].startswith("alms_") for r in dynamics)
    assert [r["Schema name"] for r in dynamics if r["Key"]] == ["alms_key"]


@pytest.mark.parametrize(
    ("formats", "present", "absent"),
    [
        (["hubspot"], {"hubspot_properties.json"}, {"salesforce_fields.csv", "pipedrive_fields.csv"}),
        (["salesforce-wizard"], {"salesforce_fields.csv", "salesforce/manifest/package.xml"},
         {"hubspot_properties.json", "dynamics_columns.csv"}),
        (["pipedrive", "dynamics"], {"pipedrive_fields.csv", "dynamics_columns.csv"}, {"salesforce_fields.csv"}),
    ],
)
def test_only_the_chosen_crms_setup_files(formats, present, absent):
    files = setup_files([preset(f) for f in formats])
    assert present | {HOW_TO_FILE} <= set(files)
    assert not absent & set(files)


def test_write_crm_folder_and_the_how_to(tmp_path):
    """Everything lands in ``crm/``: the imports first, then the setup files; the how-to names
    each file and importer, the order (fields once, then import), the key and what is never
    overwritten."""
    paths = write_crm_folder(_records(), tmp_path)
    assert all(p.is_relative_to(tmp_path / "crm") for p in paths)
    assert [p.name for p in paths[: len(PRESETS)]] == [p.file_name for p in PRESETS]
    how_to = (tmp_path / "crm" / HOW_TO_FILE).read_text(encoding="utf-8")
    for p in PRESETS:
        assert p.file_name in how_to
    for text in ("once", "ALMS Key", "never overwritten", "Annual revenue", "This list: 1 company,",
                 "as of 2025-01-31", "sf data upsert bulk", "unique identifier", "alternate key"):
        assert text in how_to, text
    assert how_to.index("Create the ALMS fields once") < how_to.index("Every month")
    for path in paths:
        if path.suffix == ".xml":
            ET.parse(path)
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
    only = write_crm_folder(_records(), tmp_path / "one", ["pipedrive"])
    assert {p.name for p in only} == {"pipedrive_organizations.csv", "pipedrive_fields.csv", HOW_TO_FILE}
    assert "Salesforce" not in (tmp_path / "one" / "crm" / HOW_TO_FILE).read_text(encoding="utf-8")
