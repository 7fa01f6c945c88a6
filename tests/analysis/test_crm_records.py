"""The CRM records: one row per company, the stable key, owners as CRM users, the
import-readiness check and a republish's changes (analysis/crm_records.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from official_lists import official_list

from alms_toolkit.analysis.crm_records import (
    RECORD_COLUMNS,
    CrmNotReadyError,
    CrmUser,
    UnmappedOwnersError,
    accounts_changes,
    check_readiness,
    crm_records,
    derived_key,
    readiness_problems,
    record_sellers,
    with_alms_keys,
)
from alms_toolkit.analysis.official_list import FLAG_COLUMNS
from alms_toolkit.report.writers.crm import ACCOUNTS_COLUMNS, accounts_table

M = 1_000_000
AS_OF = dt.date(2025, 7, 1)
USERS = {
    "Ana": CrmUser(email="ana@client.com", username="ana@client.com.prod", user_id="005000000000001",
                   full_name="Ana Alves"),
    "Ben": CrmUser(email="ben@client.com"),
    "Cara": CrmUser(email="cara@client.com"),
}


def _list(**changes):
    accounts = pd.DataFrame({
        "client_key": ["acme", "bolt", "core", "dune", "oldco"],
        "client": ["Acme Inc.", "Bolt Ltd", "Core GmbH", "Dune", "Oldco"],
        "billing": pd.array([3500 * M, 900 * M, 1050 * M, 0, 0], dtype="int64"),
        "rank": pd.array([1, 3, 2, pd.NA, pd.NA], dtype="Int64"),
        "tier": ["KEY", "SECONDARY", "KEY", "NON-SPENDING", "NON-SPENDING"],
        "owner": ["Ana", "Ben", "Ana", "Ben", "Ben"],
        "client_ids": ["C-2, C-1", "", "", "", ""],
    })
    seller_accounts = pd.DataFrame({
        "seller": ["Ana", "Ana", "Ben"], "client_key": ["acme", "core", "bolt"],
        "client": ["Acme Inc.", "Core GmbH", "Bolt Ltd"], "tier": ["KEY", "KEY", "SECONDARY"],
        "rank": [1, 2, 3], "billing": [3500 * M, 1050 * M, 900 * M], "share_of_seller": [0.7, 0.3, 1.0],
    })
    prospects = pd.DataFrame({
        "source_row": [2, 3, 4, 5, 6],
        "seller": ["Ana", "Ben", "Cara", "Ben", "Cara"],
        "prospect": ["Tango Travel", "Tango Travel ", "Bolt Ltd.", "Umbra Labs", "Vega"],
        "category": ["EXTRA", "TARGET", "TARGET", "TARGET", "LEAD"],
        "fit_score": [4.0, 3.0, 4.0, 3.0, 2.0],
        "notes": ["", "", "", "", ""],
        "issues": ["", "", "already a client: Bolt Ltd ($900.00 billed)", "", ""],
    })
    lapsed = pd.DataFrame({
        "client_key": ["oldco", "gone"], "client": ["Oldco", "Gone Co"], "last_seller": ["Cara", "Ana"],
        "last_billed": [dt.date(2024, 3, 1), dt.date(2023, 9, 1)],
        "previous_billing": pd.array([700 * M, 50 * M], dtype="int64"),
    })
    official = official_list(cutoff=1000 * M, as_of=AS_OF, accounts=accounts, seller_accounts=seller_accounts,
                             prospects=prospects, lapsed=lapsed)
    flags = pd.DataFrame([
        {"flag": "at risk", "reason": "falling", "client": "Acme Inc.", "seller": "Ana", "billing": 3500 * M,
         "detail": "", "client_key": "acme"},
        {"flag": "lapsed", "reason": "", "client": "Oldco", "seller": "Cara", "billing": 0, "detail": "",
         "client_key": "oldco"},
        {"flag": "lapsed", "reason": "", "client": "Gone Co", "seller": "Ana", "billing": 0, "detail": "",
         "client_key": "gone"},
    ], columns=list(FLAG_COLUMNS))
    return dataclasses.replace(official, flags=flags, **changes)


def _by_name(records: pd.DataFrame) -> dict[str, dict[str, str]]:
    return {r["name"]: r for r in records.to_dict("records")}


# ---------------------------------------------------------------------------- one row per company


def test_one_row_per_company_in_the_hard_cases() -> None:
    records = crm_records(_list(), USERS)
    assert tuple(records.columns) == RECORD_COLUMNS
    assert all(isinstance(v, str) for v in records.to_numpy().ravel())
    names = list(records["name"])
    assert names == ["Acme Inc.", "Core GmbH", "Bolt Ltd", "Dune", "Tango Travel", "Umbra Labs", "Vega",
                     "Gone Co", "Oldco"]
    rows = _by_name(records)
    # a current client also listed as a TARGET: once, as the client
    assert rows["Bolt Ltd"]["tier"] == "SECONDARY" and rows["Bolt Ltd"]["is_target"] == "false"
    assert rows["Bolt Ltd"]["owner_name"] == "Ben"
    # a prospect on two sellers' lists: once, under the seller with the better category (TARGET)
    assert rows["Tango Travel"]["tier"] == "TARGET" and rows["Tango Travel"]["owner_name"] == "Ben"
    assert rows["Tango Travel"]["is_target"] == "true" and rows["Tango Travel"]["billing_12m"] == "0.00"
    # a lapsed client listed NON-SPENDING too: once, as LAPSED, with its last seller
    assert rows["Oldco"]["tier"] == "LAPSED" and rows["Oldco"]["owner_name"] == "Cara"
    assert rows["Oldco"]["flag"] == "lapsed" and rows["Gone Co"]["flag"] == "lapsed"
    assert rows["Acme Inc."]["flag"] == "at risk" and rows["Core GmbH"]["flag"] == ""


def test_record_values() -> None:
    rows = _by_name(crm_records(_list(), USERS))
    acme = rows["Acme Inc."]
    assert (acme["billing_12m"], acme["cutoff"], acme["as_of"], acme["review_date"]) == (
        "3500.00", "1000.00", "2025-07-01", "2026-07-01")
    assert (acme["owner_email"], acme["owner_username"], acme["owner_user_id"], acme["owner_full_name"]) == (
        "ana@client.com", "ana@client.com.prod", "005000000000001", "Ana Alves")
    assert rows["Bolt Ltd"]["owner_username"] == "" and rows["Bolt Ltd"]["owner_email"] == "ben@client.com"
    # the place in the seller's list; none for a prospect or a client on no list
    assert [rows[n]["list_position"] for n in ("Acme Inc.", "Core GmbH", "Bolt Ltd", "Dune", "Vega")] == [
        "1", "2", "1", "", ""]
    assert {r["previous_tier"] for r in rows.values()} == {""}  # no earlier review
    assert {r["domain"] for r in rows.values()} == {""}


def test_equal_categories_go_to_the_better_fit_then_the_first_row() -> None:
    official = _list()
    p = official.prospects.copy()
    p["category"] = ["TARGET", "TARGET", "TARGET", "TARGET", "LEAD"]
    rows = _by_name(crm_records(dataclasses.replace(official, prospects=p), USERS))
    assert rows["Tango Travel"]["owner_name"] == "Ana"  # fit 4.0 over 3.0
    p["fit_score"] = [3.0, 3.0, 4.0, 3.0, 2.0]
    rows = _by_name(crm_records(dataclasses.replace(official, prospects=p), USERS))
    assert rows["Tango Travel"]["owner_name"] == "Ana"  # equal fit: the first row of the file


def test_an_owner_is_found_whatever_its_case_and_spacing() -> None:
    rows = _by_name(crm_records(_list(), {"  ana ": USERS["Ana"], "BEN": USERS["Ben"]}))
    assert rows["Acme Inc."]["owner_email"] == "ana@client.com" and rows["Dune"]["owner_email"] == "ben@client.com"
    assert rows["Oldco"]["owner_email"] == ""  # Cara is not mapped


def test_record_sellers_are_the_exported_owners() -> None:
    assert record_sellers(_list()) == ("Ana", "Ben", "Cara")


# ---------------------------------------------------------------------------- the key


def test_keys_derived_from_the_client_id_else_the_combined_client() -> None:
    rows = _by_name(crm_records(_list(), USERS))
    assert rows["Acme Inc."]["alms_key"] == derived_key("id:C-1")  # the first of its ids
    assert rows["Bolt Ltd"]["alms_key"] == derived_key("name:bolt")
    assert rows["Umbra Labs"]["alms_key"] == derived_key("name:umbra labs")
    keys = [r["alms_key"] for r in rows.values()]
    assert len(set(keys)) == len(keys) and all(k.startswith("ALMS-") and len(k) == 17 for k in keys)
    assert crm_records(_list(), USERS)["alms_key"].tolist() == [r["alms_key"] for r in rows.values()]


def test_keys_kept_from_the_earlier_review() -> None:
    earlier = pd.DataFrame({
        "client_key": ["acme", "bolt-old", "", "", "dune"],
        "name": ["Acme Inc.", "Bolt Limited", "Umbra Labs", "Vega", "Dune"],
        "tier": ["KEY", "KEY", "TARGET", "LEAD", "SECONDARY"],
        "owner": ["Ana", "Ben", "Ben", "Cara", "Ana"],
        # Dune's key is the one Core would derive: kept keys win, Core's is derived again
        "alms_key": ["ALMS-AAAAAAAAAAAA", "ALMS-BBBBBBBBBBBB", "ALMS-CCCCCCCCCCCC", "", derived_key("name:core")],
    })
    # Bolt's key changed since (its most billed spelling): found through its spellings
    official = with_alms_keys(_list(), earlier, client_of={"Bolt Ltd": "bolt", "Bolt Limited": "bolt"})
    rows = _by_name(crm_records(official, USERS, earlier))
    assert rows["Acme Inc."]["alms_key"] == "ALMS-AAAAAAAAAAAA"
    assert rows["Bolt Ltd"]["alms_key"] == "ALMS-BBBBBBBBBBBB"
    assert rows["Umbra Labs"]["alms_key"] == "ALMS-CCCCCCCCCCCC"
    assert rows["Vega"]["alms_key"] == derived_key("name:vega")  # the review wrote no key for it
    assert rows["Core GmbH"]["alms_key"] == derived_key("name:core#2")
    assert (rows["Acme Inc."]["previous_tier"], rows["Bolt Ltd"]["previous_tier"],
            rows["Umbra Labs"]["previous_tier"], rows["Dune"]["previous_tier"],
            rows["Core GmbH"]["previous_tier"]) == ("KEY", "KEY", "TARGET", "SECONDARY", "")
    assert rows["Dune"]["alms_key"] == derived_key("name:core")
    # the list's keys are the records' keys, and accounts.csv's (last column)
    table = accounts_table(official)
    assert tuple(table.columns) == ACCOUNTS_COLUMNS and ACCOUNTS_COLUMNS[-1] == "alms_key"
    keyed = dict(zip(table["name"], table["alms_key"], strict=True))
    assert keyed["Bolt Ltd"] == keyed["Bolt Ltd."] == "ALMS-BBBBBBBBBBBB"  # the TARGET row is the client
    assert keyed["Tango Travel"] == keyed["Tango Travel "] == rows["Tango Travel"]["alms_key"]


def test_a_target_that_became_a_client_keeps_its_key() -> None:
    earlier = pd.DataFrame({"client_key": [""], "name": ["Dune"], "tier": ["TARGET"], "owner": ["Ben"],
                            "alms_key": ["ALMS-DDDDDDDDDDDD"]})
    rows = _by_name(crm_records(_list(), USERS, earlier))
    assert rows["Dune"]["alms_key"] == "ALMS-DDDDDDDDDDDD" and rows["Dune"]["previous_tier"] == "TARGET"


# ---------------------------------------------------------------------------- readiness


def test_a_list_ready_to_import_gives_only_notices() -> None:
    official = _list()
    notices = check_readiness(official, crm_records(official, USERS), USERS)
    assert [n.code for n in notices] == ["owner_chosen"] and not notices[0].blocking
    assert "Tango Travel (exported under Ben; also on Ana's list)" in notices[0].message
    assert "prospects.csv" in notices[0].message


def test_every_unmapped_seller_at_once() -> None:
    official = _list()
    owners = {"Ana": USERS["Ana"], "Ben": CrmUser(full_name="Ben Bauer")}  # Ben: a name is not a user
    with pytest.raises(UnmappedOwnersError) as caught:
        check_readiness(official, crm_records(official, owners), owners)
    error = caught.value
    assert error.exit_code == 2 and error.reason == "crm_owners_unmapped"
    assert "2 sellers with no CRM user" in str(error) and "Ben, Cara" in str(error)
    assert "crm.owners" in str(error) and "alms crm-owners" in str(error)
    assert error.details()["problems"][0]["examples"] == ["Ben", "Cara"]
    # a preset that needs the email: Ana's username does not do
    only_names = {"Ana": CrmUser(username="ana@client.com.prod"), "Ben": USERS["Ben"], "Cara": USERS["Cara"]}
    found = readiness_problems(official, crm_records(official, only_names), only_names,
                               needs={"HubSpot companies": ("email",), "Salesforce Data Loader": ("username", "user_id")})
    unmapped = [p for p in found if p.code == "unmapped_owner"]
    assert len(unmapped) == 2 and unmapped[0].names == ("Ana",) and "needs an email address" in unmapped[0].message
    assert unmapped[1].names == ("Ben", "Cara") and "Salesforce Data Loader" in unmapped[1].message


def test_the_readiness_check_refuses_what_would_not_import() -> None:
    official = _list()
    records = crm_records(official, USERS)
    bad = pd.concat([records, records.iloc[[0]].assign(owner_name="Ben"),  # Acme twice, under two sellers
                     records.iloc[[4]].assign(alms_key="ALMS-000000000001", name="bolt  ltd", tier="TARGET",
                                              owner_name="Cara"),   # a client listed as a TARGET
                     records.iloc[[5]].assign(alms_key="ALMS-000000000002", name="Nobody's", owner_name="")],
                    ignore_index=True)
    with pytest.raises(CrmNotReadyError) as caught:
        check_readiness(official, bad, USERS)
    error = caught.value
    assert error.reason == "crm_not_ready" and error.exit_code == 2
    codes = [p["reason"] for p in error.details()["problems"]]
    assert codes == ["duplicate_key", "duplicate_name", "two_owners", "target_is_client", "missing_field"]
    text = str(error)
    assert "1 key on more than one row" in text and "Acme Inc." in text
    assert "2 companies on more than one row under the same name: Acme Inc., Bolt Ltd" in text
    assert "2 companies under two sellers: Acme Inc., Bolt Ltd" in text
    assert "1 prospect listed as new business although already a client: bolt  ltd" in text
    assert "1 row without a seller: Nobody's" in text and "owner_chosen" not in codes


# ---------------------------------------------------------------------------- changes


def test_only_changed_rows_are_in_the_changes() -> None:
    then = pd.DataFrame({
        "client_key": ["acme", "bolt", "", "dune", ""],
        "name": ["Acme Inc.", "Bolt Ltd", "Bolt Ltd", "Dune", "Tango Travel"],
        "tier": ["KEY", "SECONDARY", "TARGET", "SECONDARY", "TARGET"],
        "owner": ["Ana", "Ben", "Cara", "Ben", "Ben"],
        "flag": ["", "", "", "", ""],
        "alms_key": ["K1", "K2", "K2", "K4", "K5"],
    })
    now = pd.DataFrame({
        "client_key": ["acme", "bolt", "", "dune", "", "", "new"],
        "name": ["Acme Inc.", "Bolt Ltd", "Bolt Ltd", "Dune", "Tango Travel", "Vega", "Newco"],
        "tier": ["KEY", "SECONDARY", "TARGET", "SECONDARY", "SECONDARY", "LEAD", "SECONDARY"],
        "owner": ["Ana", "Ben", "Cara", "Ana", "Ben", "Cara", "Ben"],
        "flag": ["at risk", "", "", "", "", "", ""],
        "alms_key": ["K1", "K2", "K2", "K4", "K5", "K6", "K7"],
    })
    changes = accounts_changes(now, then)
    assert list(changes.columns) == list(now.columns)
    # Acme's flag, Dune's owner, Tango's tier (a target that started spending), Vega and Newco new;
    # Bolt's client row and its TARGET row each match their own row of the review
    assert changes["name"].tolist() == ["Acme Inc.", "Dune", "Tango Travel", "Vega", "Newco"]
    # an older review without keys: rows found by client_key, else by name
    changes = accounts_changes(now, then.drop(columns=["alms_key", "flag"]))
    assert changes["name"].tolist() == ["Acme Inc.", "Dune", "Tango Travel", "Vega", "Newco"]
    assert accounts_changes(then, then).empty
