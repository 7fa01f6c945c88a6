"""The four symptoms of the current account list, on small hand-made frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from alms_toolkit.analysis.symptoms import (
    FAIL,
    NOT_ASSESSED,
    PASS,
    SYMPTOM_IDS,
    Symptom,
    assess_symptoms,
)
from alms_toolkit.money import SCALE

AS_OF = dt.date(2025, 5, 20)
FRESH = dt.date(2025, 5, 1)

# billing order: Zenith > Yak > Xylo > Walrus > Vega; Umbra billed nothing
BILLING = {"Zenith": 900, "Yak": 700, "Xylo": 500, "Walrus": 300, "Vega": 100, "Umbra": 0}


def _accounts() -> pd.DataFrame:
    names = list(BILLING)
    return pd.DataFrame({
        "client_key": [n.lower() for n in names],
        "client": names,
        "billing": pd.array([BILLING[n] * SCALE for n in names], dtype="int64"),
        "tier": ["KEY", "KEY", "SECONDARY", "SECONDARY", "SECONDARY", "NON-SPENDING"],
    })


CLIENT_OF = {n: n.lower() for n in BILLING}


def _list(names: list[str], sellers: list[str] | None = None, billing: list | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({"source_row": range(2, len(names) + 2), "client": names})
    if sellers is not None:
        frame["seller"] = sellers
    if billing is not None:
        frame["billing"] = billing
    return frame


def _prospects(categories: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "source_row": range(2, len(categories) + 2),
        "seller": ["Dana", "Lee", "Dana", "Lee"][: len(categories)],
        "prospect": [f"Prospect {i}" for i in range(len(categories))],
        "category": categories,
    })


def _by_id(symptoms: tuple[Symptom, ...]) -> dict[str, Symptom]:
    assert tuple(s.id for s in symptoms) == SYMPTOM_IDS
    return {s.id: s for s in symptoms}


def _assess(account_list, list_date=FRESH, prospects=None) -> dict[str, Symptom]:
    return _by_id(assess_symptoms(account_list, list_date, _accounts(), prospects, CLIENT_OF, AS_OF))


BY_BILLING = ["Zenith", "Yak", "Xylo", "Walrus", "Vega"]


def test_healthy_list_passes_everything() -> None:
    healthy = _list([*BY_BILLING, "Newco Prospect"], billing=["900", "700", "500", "300", "100", ""])
    healthy["category"] = ["KEY", "KEY", "SECONDARY", "SECONDARY", "SECONDARY", "TARGET"]
    s = _assess(healthy, prospects=_prospects(["TARGET", "EXTRA"]))
    assert {k: v.status for k, v in s.items()} == dict.fromkeys(SYMPTOM_IDS, PASS)
    assert "published on 1 May 2025" in s["out_of_date"].evidence
    assert "all 5 spending clients are on it" in s["out_of_date"].evidence
    assert "it mostly follows billing" in s["alphabetical"].evidence
    assert "5 of the 5 accounts" in s["no_billing_level"].evidence
    assert "1 TARGET, 1 EXTRA" in s["no_targets"].evidence
    assert s["out_of_date"].title == "Out of date"


def test_no_inputs_means_not_assessed_with_reason() -> None:
    s = _assess(None, None, None)
    assert all(v.status == NOT_ASSESSED for v in s.values())
    assert "account list was not given" in s["out_of_date"].evidence
    assert "neither" in s["no_targets"].evidence
    # prospects alone still answer the targets question
    s = _assess(None, None, _prospects(["TARGET"]))
    assert s["no_targets"].status == PASS and s["alphabetical"].status == NOT_ASSESSED


def test_counts_keep_not_assessed_apart() -> None:
    from alms_toolkit.analysis.symptoms import count_symptoms

    none = count_symptoms(_assess(None, None, None).values())
    assert (none.total, none.found, none.passed, none.not_assessed, none.assessed) == (4, 0, 0, 4, 0)
    assert none.to_dict() == {"n_symptoms": 4, "n_symptoms_assessed": 0, "n_symptoms_found": 0,
                              "n_symptoms_not_assessed": 4}
    some = count_symptoms(_assess(None, None, _prospects(["EXTRA"])).values())  # no TARGET: found
    assert (some.found, some.passed, some.not_assessed, some.assessed) == (1, 0, 3, 1)
    with pytest.raises(ValueError, match="unknown symptom status 'maybe'"):
        count_symptoms([Symptom("x", "X", "maybe", "")])


def test_out_of_date_old_date() -> None:
    s = _assess(_list(BY_BILLING), list_date=dt.date(2025, 1, 15))
    o = s["out_of_date"]
    assert o.status == FAIL
    assert "last published on 15 January 2025, about 4 months before 20 May 2025" in o.evidence
    # exactly one month before as_of is still current
    assert _assess(_list(BY_BILLING), list_date=dt.date(2025, 4, 20))["out_of_date"].status == PASS


def test_out_of_date_missing_spenders_and_non_spenders_on_list_with_examples() -> None:
    listed = ["Walrus", "Vega", "umbra", "Gone Ltd", "Prospect 0"]
    s = _assess(_list(listed), prospects=_prospects(["TARGET"]))
    o = s["out_of_date"]
    assert o.status == FAIL
    assert "3 of your 5 spending clients are not on the list (2 of them KEY), e.g. Zenith ($900.00)" in o.evidence
    assert "2 accounts on the list billed nothing in the last 12 months, e.g. umbra, Gone Ltd" in o.evidence
    assert "Prospect 0" not in o.evidence  # a prospect on the list is not a stale client
    assert o.examples[:3] == ("missing: Zenith ($900.00)", "missing: Yak ($700.00)", "missing: Xylo ($500.00)")
    assert "not spending: umbra" in o.examples


def test_out_of_date_matches_by_canonical_name_and_counts_blank_rows() -> None:
    listed = ["ZENITH, Inc.", "The Yak", "Xylo", "Walrus", "Vega", ""]
    s = _assess(_list(listed), list_date=None)
    o = s["out_of_date"]
    assert o.status == PASS
    assert "publication date is not known" in o.evidence
    assert "1 row of the list with no account name" in o.evidence


def test_alphabetical_list_fails_billing_ordered_passes() -> None:
    alpha = sorted(BY_BILLING)  # Vega, Walrus, Xylo, Yak, Zenith: exactly reverse billing
    a = _assess(_list(alpha))["alphabetical"]
    assert a.status == FAIL
    assert a.evidence == ("The list is in alphabetical order, not by billing: names run from A to Z (Vega, "
                          "Walrus, Xylo, ...), and the biggest account sits at position 5 of 5, not first.")
    assert a.examples[0] == "Vega"
    b = _assess(_list(BY_BILLING))["alphabetical"]
    assert b.evidence == ("The list is not in alphabetical order: it mostly follows billing; the biggest account "
                          "comes first.")


def test_alphabetical_is_judged_within_seller_sections() -> None:
    names = ["Vega", "Xylo", "Zenith", "Umbra", "Walrus", "Yak"]
    sellers = ["Dana"] * 3 + ["Lee"] * 3
    a = _assess(_list(names, sellers))["alphabetical"]
    assert a.status == FAIL and a.evidence.endswith(
        "the biggest account of a seller's section comes first in 0 of the 2 sections (on average at position "
        "3 of 3).")
    b = _assess(_list(["Zenith", "Xylo", "Vega", "Yak", "Walrus", "Umbra"], sellers))["alphabetical"]
    assert b.status == PASS


def test_alphabetical_not_assessed_when_too_short() -> None:
    a = _assess(_list(["Zenith", "Yak"]))["alphabetical"]
    assert a.status == NOT_ASSESSED and "too short" in a.evidence


@pytest.mark.parametrize(
    ("billing", "status", "phrase"),
    [
        (None, FAIL, "no billing column"),
        ([None, "", " ", None, None], FAIL, "it is empty"),
        (["900", None, "500", "300", "100"], PASS, "4 of the 5 accounts on the list show a billing figure; 1 has none"),
    ],
)
def test_no_billing_level(billing, status, phrase) -> None:
    s = _assess(_list(BY_BILLING, billing=billing))["no_billing_level"]
    assert s.status == status and phrase in s.evidence


def test_no_targets_is_judged_on_the_list_the_sellers_have() -> None:
    # the list names only existing accounts: fail, whatever the new prospects file holds
    fixed = _assess(_list(BY_BILLING), prospects=_prospects(["TARGET", "EXTRA", "TARGET"]))["no_targets"]
    assert fixed.status == FAIL and "names only existing accounts" in fixed.evidence
    assert "prospects file prepared for this review fixes that: 2 TARGETs" in fixed.evidence
    assert "(1 of 2 sellers has at least one)" in fixed.evidence
    no_file = _assess(_list(BY_BILLING), prospects=None)["no_targets"]
    assert no_file.status == FAIL and "no prospects file either" in no_file.evidence
    empty = _assess(_list(BY_BILLING), prospects=_prospects([]))["no_targets"]
    assert empty.status == FAIL and "prospects file is empty" in empty.evidence
    on_list = _list(BY_BILLING)
    on_list["category"] = ["KEY", "KEY", "SECONDARY", "Target", "SECONDARY"]
    assert _assess(on_list, prospects=None)["no_targets"].status == PASS


def test_no_targets_without_the_list_is_judged_on_the_prospects_file() -> None:
    only_extras = _assess(None, prospects=_prospects(["EXTRA", "LEAD"]))["no_targets"]
    assert only_extras.status == FAIL and "No seller has a new-business TARGET" in only_extras.evidence
    with_t = _assess(None, prospects=_prospects(["TARGET", "EXTRA", "TARGET"]))["no_targets"]
    assert with_t.status == PASS and "(1 of 2 sellers has at least one)" in with_t.evidence
    empty = _assess(None, prospects=_prospects([]))["no_targets"]
    assert empty.status == FAIL and "prospects file is empty" in empty.evidence
    assert _assess(None, prospects=None)["no_targets"].status == NOT_ASSESSED


def test_inputs_are_not_mutated() -> None:
    frame = _list(sorted(BY_BILLING), ["Dana"] * 5, ["1"] * 5)
    accounts = _accounts()
    before = (frame.copy(), accounts.copy())
    assess_symptoms(frame, FRESH, accounts, None, CLIENT_OF, AS_OF)
    pd.testing.assert_frame_equal(frame, before[0])
    pd.testing.assert_frame_equal(accounts, before[1])
