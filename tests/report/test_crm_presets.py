"""CRM import presets (issue 14, item 3): each importer's header, owner rules, and the file read
back as the importer reads it (encoding, line ends, quoting, formula-safe text, plain numbers)."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from alms_toolkit.errors import BadInputError
from alms_toolkit.report.writers.crm_presets import (
    FORBIDDEN_HEADERS,
    PRESET_NAMES,
    PRESETS,
    RECORD_FIELDS,
    CrmPresetError,
    preset,
    preset_csv,
    preset_table,
    presets_for,
    write_preset,
)
from alms_toolkit.report.writers.safe_cells import restore_text

HOSTILE = '=HYPERLINK("http://x","y")'
TRICKY = 'Acme, "Big"\nLtd'


def _row(key: str, name: str, **values: str) -> dict[str, str]:
    row = dict.fromkeys(RECORD_FIELDS, "")
    row.update(
        alms_key=key, name=name, tier="KEY", is_target="false", billing_12m="1000.00",
        cutoff="300.00", as_of="2025-01-31", review_date="2026-01-31", list_position="1",
        owner_name="Ann Lee", owner_email="ann@client.com", owner_username="ann@client.com.crm",
        owner_user_id="005A0000001", owner_full_name="Ann Lee",
    )
    row.update(values)
    return row


def _records(*rows: dict[str, str]) -> pd.DataFrame:
    """A records frame as crm_records gives it: one row per company, every cell a string."""
    if not rows:
        rows = (
            _row("ALMS-C-0001", HOSTILE, billing_12m="582256.7155", flag="at risk", previous_tier="SECONDARY"),
            _row("ALMS-C-0002", TRICKY, tier="SECONDARY", billing_12m="-2.00", list_position="2",
                 owner_name="Bob Ray", owner_email="bob@client.com", owner_username="bob@client.com.crm",
                 owner_user_id="005B0000002", owner_full_name="Robert Ray", domain="acme.com"),
            _row("ALMS-P-0003", "Zeta Café", tier="TARGET", is_target="true", billing_12m="0.00",
                 list_position="", owner_name="Bob Ray", owner_email="bob@client.com",
                 owner_username="bob@client.com.crm", owner_user_id="005B0000002", owner_full_name="Robert Ray"),
        )
    return pd.DataFrame(list(rows), columns=list(RECORD_FIELDS), dtype=object)


def _read(data: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


ALMS_API = ["ALMS_Tier__c", "ALMS_Previous_Tier__c", "ALMS_Target__c", "ALMS_Billing_12M__c", "ALMS_Cutoff__c",
            "ALMS_Review_Date__c", "ALMS_List_Position__c", "ALMS_Flag__c"]
ALMS_LABELS = ["ALMS Tier", "ALMS Previous Tier", "ALMS Target", "ALMS Billing 12M", "ALMS Cut-off",
               "ALMS Review Date", "ALMS List Position", "ALMS Flag"]


def test_salesforce_loader_header_uses_api_names_external_id_and_owner_id():
    """Bulk API 2.0, "Prepare CSV Files": each header is the field's Field Name (standard) or API
    Name (custom) (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_prepare_csv.htm);
    upsert needs the external ID column (https://developer.salesforce.com/docs/platform/api-asynch/guide/walkthrough-upsert.html);
    the owner is ``OwnerId`` (a user ID) when the owner map gives every owner's ID."""
    rows = _read(preset_csv(_records(), preset("salesforce-loader")), "utf-8")
    assert rows[0] == ["ALMS_Key__c", "Name", "OwnerId", *ALMS_API]
    assert rows[1][:3] == ["ALMS-C-0001", "'" + HOSTILE, "005A0000001"]


def test_salesforce_loader_owner_username_when_an_id_is_missing():
    """"Relationship Fields in a Header Row (2.0)": ``RelationshipName.IndexedFieldName``
    (https://developer.salesforce.com/docs/platform/api-asynch/guide/relationship-fields-in-a-header-row-2-0.html):
    ``Owner.Username`` (Username is an idLookup field of User). One way for the whole file."""
    recs = _records()
    recs.loc[1, "owner_user_id"] = ""
    rows = _read(preset_csv(recs, preset("salesforce-loader")), "utf-8")
    assert rows[0][2] == "Owner.Username"
    assert [r[2] for r in rows[1:]] == ["ann@client.com.crm", "bob@client.com.crm", "bob@client.com.crm"]
    recs.loc[2, "owner_username"] = ""
    with pytest.raises(CrmPresetError) as err:
        preset_csv(recs, preset("salesforce-loader"))
    assert "Bob Ray" in str(err.value) and "Ann Lee" not in str(err.value)
    assert isinstance(err.value, BadInputError) and err.value.exit_code == 2


def test_salesforce_wizard_header_uses_labels_and_record_owner():
    """Salesforce Help, "Field Mapping for Other Data Sources and Organization Import": label
    the columns with the wizard's labels, "Record Owner" for Account Owner
    (https://help.salesforce.com/s/articleView?id=xcloud.field_mapping_for_other_data_sources_and_organization_import.htm);
    "What Is Imported for Business Accounts and Contacts?": business accounts match by Salesforce
    ID, external ID, or name and site (https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.for_accounts_and_contacts.htm)."""
    chosen = preset("salesforce-wizard")
    rows = _read(preset_csv(_records(), chosen), "utf-8")
    assert rows[0] == ["ALMS Key", "Account Name", "Record Owner", *ALMS_LABELS]
    assert rows[1][2] == "ann@client.com.crm"  # the username when every owner has one
    assert "External ID" in chosen.match and "name and site" in chosen.match
    recs = _records()
    recs.loc[0, "owner_username"] = ""
    assert _read(preset_csv(recs, chosen), "utf-8")[1][2] == "Ann Lee"  # else the full name


def test_hubspot_header_unique_key_owner_email_and_domain_when_known():
    """HubSpot, "Deduplicate records": companies are deduplicated by domain, record ID, or a
    custom property requiring unique values, which an import can use
    (https://knowledge.hubspot.com/articles/kcs_article/contacts/deduplication-of-contacts-companies-deals-tickets);
    "Assign ownership of records": an "[Object] owner" column with the user's email
    (https://knowledge.hubspot.com/records/how-to-set-a-record-owner)."""
    rows = _read(preset_csv(_records(), preset("hubspot")), "utf-8")
    assert rows[0] == ["ALMS Key", "Company name", "Company Domain Name", "Company owner", *ALMS_LABELS]
    assert [r[2] for r in rows[1:]] == ["", "acme.com", ""]
    assert [r[3] for r in rows[1:]] == ["ann@client.com", "bob@client.com", "bob@client.com"]
    no_domain = _records()
    no_domain["domain"] = ""
    assert "Company Domain Name" not in _read(preset_csv(no_domain, preset("hubspot")), "utf-8")[0]
    no_domain.loc[0, "owner_email"] = ""
    with pytest.raises(CrmPresetError, match="Ann Lee"):
        preset_csv(no_domain, preset("hubspot"))


def test_pipedrive_header_owner_email_and_yes_no():
    """Pipedrive, "Import fields": organization fields, default and custom, are mapped by name
    (https://support.pipedrive.com/en/article/import-fields); "How to avoid duplicates during an
    import": organizations match by name and address
    (https://support.pipedrive.com/en/article/how-to-avoid-duplicates-during-an-import)."""
    chosen = preset("pipedrive")
    rows = _read(preset_csv(_records(), chosen), "utf-8")
    assert rows[0] == ["Organization - ALMS Key", "Organization - Name", "Organization - Owner",
                       *[f"Organization - {label}" for label in ALMS_LABELS]]
    assert [r[2] for r in rows[1:]] == ["ann@client.com", "bob@client.com", "bob@client.com"]
    assert [r[5] for r in rows[1:]] == ["No", "No", "Yes"]
    assert "name and address" in chosen.match


def test_dynamics_header_owner_full_name_else_email_and_bom():
    """Power Apps, "Import from Excel or CSV": make the data unique with a primary or alternate
    key (https://learn.microsoft.com/en-us/power-apps/maker/data-platform/data-platform-import-export);
    the import resolves owners by the user's full name
    (https://cloudblogs.microsoft.com/dynamics365/no-audience/2009/11/20/owner-mappinguser-creation-in-import-data-wizard-for-microsoft-dynamics-crm-online/)."""
    chosen = preset("dynamics")
    data = preset_csv(_records(), chosen)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = _read(data, "utf-8-sig")
    assert rows[0] == ["ALMS Key", "Account Name", "Owner", *ALMS_LABELS]
    assert [r[2] for r in rows[1:]] == ["Ann Lee", "Robert Ray", "Robert Ray"]
    recs = _records()
    recs.loc[2, "owner_full_name"] = ""
    assert [r[2] for r in _read(preset_csv(recs, chosen), "utf-8-sig")[1:]] == [
        "ann@client.com", "bob@client.com", "bob@client.com",
    ]


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_round_trip_as_the_importer_reads_it(name):
    """Read back with the importer's encoding: quoting of commas, quotes and line breaks
    (RFC 4180, as Bulk API 2.0 "Prepare CSV Files" asks), formula text neutralised (OWASP),
    amounts plain decimals (no currency sign, no grouping; a negative amount is not made text),
    ISO dates, one row per company in the records' order."""
    chosen = preset(name)
    recs = _records()
    data = preset_csv(recs, chosen)
    assert data.startswith(b"\xef\xbb\xbf") == (chosen.encoding == "utf-8-sig")
    header_end = data.index(b"\n")
    assert (data[header_end - 1] == ord("\r")) == (chosen.line_end == "\r\n")
    rows = _read(data, chosen.encoding)
    header, body = rows[0], rows[1:]
    assert len(body) == len(recs)
    name_col = header.index(chosen.before[1].header)
    assert [restore_text(r[name_col]) for r in body] == [HOSTILE, TRICKY, "Zeta Café"]
    assert body[0][name_col] == "'" + HOSTILE  # shown, never evaluated
    cells = [c for r in body for c in r]
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    billing = [r[header.index(next(c.header for c in chosen.after if c.source == "billing_12m"))] for r in body]
    assert billing == ["582256.7155", "-2.00", "0.00"]
    assert all(re.fullmatch(r"-?\d+\.\d+", b) for b in billing)
    review = header.index(next(c.header for c in chosen.after if c.source == "review_date"))
    assert {r[review] for r in body} == {"2026-01-31"}
    key = header.index(chosen.key_header)
    assert [r[key] for r in body] == list(recs["alms_key"])


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_no_standard_field_is_overwritten(name):
    """Only the name, the owner and the ALMS fields: never AnnualRevenue, Description, Type or
    the lifecycle stage (issue 14), whichever owner column the file takes."""
    chosen = preset(name)
    every_header = set(chosen.headers) | {o.header for o in chosen.owner}
    assert not every_header & FORBIDDEN_HEADERS
    for bad in ("AnnualRevenue", "Annual revenue", "Description", "Type", "Lifecycle stage"):
        assert bad not in every_header
    assert len(chosen.headers) == len(set(chosen.headers))


def test_loader_clears_empty_alms_values_with_na_others_leave_blank():
    """Bulk API 2.0: an empty cell leaves the field unchanged on update, ``#N/A`` sets it to
    null (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_prepare_csv.htm):
    a flag that went away is cleared; the key, name and owner are never ``#N/A``."""
    loader = _read(preset_csv(_records(), preset("salesforce-loader")), "utf-8")
    header = loader[0]
    target = loader[3]
    assert target[header.index("ALMS_Flag__c")] == "#N/A"
    assert target[header.index("ALMS_List_Position__c")] == "#N/A"
    assert target[header.index("ALMS_Previous_Tier__c")] == "#N/A"
    assert "#N/A" not in target[:3]
    hubspot = _read(preset_csv(_records(), preset("hubspot")), "utf-8")
    assert hubspot[3][hubspot[0].index("ALMS Flag")] == ""


def test_refuses_duplicate_keys_and_unreadable_numbers():
    recs = _records()
    recs.loc[2, "alms_key"] = "ALMS-C-0001"
    with pytest.raises(CrmPresetError, match="ALMS-C-0001"):
        preset_table(recs, preset("hubspot"))
    recs = _records()
    recs.loc[0, "billing_12m"] = "€1,234.00"
    recs.loc[1, "review_date"] = "31/01/2026"
    with pytest.raises(CrmPresetError) as err:
        preset_table(recs, preset("pipedrive"))
    assert "€1,234.00" in str(err.value) and "31/01/2026" in str(err.value)


def test_format_names_and_atomic_write(tmp_path):
    assert PRESET_NAMES == ("salesforce-loader", "salesforce-wizard", "hubspot", "pipedrive", "dynamics")
    assert [p.name for p in presets_for(["dynamics", "hubspot", "hubspot"])] == ["hubspot", "dynamics"]
    with pytest.raises(CrmPresetError, match="salesforce-loader"):
        preset("salesforce")
    recs = _records()
    before = recs.copy()
    paths = [write_preset(recs, p, tmp_path) for p in PRESETS]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)  # no temp files
    assert len({p.file_name for p in PRESETS}) == len(PRESETS)
    assert paths[0].read_bytes() == preset_csv(recs, PRESETS[0])
    pd.testing.assert_frame_equal(recs, before)
