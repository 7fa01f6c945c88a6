"""Prospects check (ALMS steps 8-9) on small hand-made frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from alms_toolkit.analysis.prospects import check_prospects, normalise_category
from alms_toolkit.config import FitWeights, Limits
from alms_toolkit.money import SCALE

LOOSE = Limits(target=(0, 10), extra=(0, 10), lead=(0, 10))


def _accounts() -> pd.DataFrame:
    return pd.DataFrame({
        "client_key": ["acme", "globex", "initech"],
        "client": ["Acme Inc.", "Globex", "Initech"],
        "billing": pd.array([12_000 * SCALE, 500 * SCALE, 0], dtype="int64"),
        "tier": ["KEY", "SECONDARY", "NON-SPENDING"],
    })


CLIENT_OF = {"Acme Inc.": "acme", "ACME INC": "acme", "Globex": "globex", "Initech": "initech"}


def _prospects(rows: list[tuple]) -> pd.DataFrame:
    cols = ["seller", "prospect", "category", "spending_potential", "decision_maker_access",
            "product_fit", "notes"]
    frame = pd.DataFrame(rows, columns=cols)
    frame.insert(0, "source_row", range(2, len(rows) + 2))
    return frame


def _check(frame: pd.DataFrame, limits: Limits = LOOSE, weights: FitWeights | None = None, **kw):
    return check_prospects(frame, _accounts(), CLIENT_OF, limits, weights or FitWeights(), **kw)


def test_fit_score_is_weighted_mean_on_1_to_5_and_ranks_within_seller_category() -> None:
    frame = _prospects([
        ("Dana", "Zeta Ltd", "TARGET", 5, 5, 5, ""),
        ("Dana", "Yota", "TARGET", 1, 2, 3, ""),
        ("Dana", "Xeno", "EXTRA", 4, 4, 1, ""),
        ("Lee", "Wamu", "TARGET", 2, 2, 2, "call in May"),
    ])
    check = _check(frame, weights=FitWeights(spending_potential=2, decision_maker_access=1, product_fit=1))
    p = check.prospects.set_index("prospect")
    assert p.loc["Zeta Ltd", "fit_score"] == 5.0
    assert p.loc["Yota", "fit_score"] == pytest.approx((2 * 1 + 2 + 3) / 4, abs=0.01)
    assert p.loc["Xeno", "fit_score"] == pytest.approx((8 + 4 + 1) / 4, abs=0.01)
    assert p.loc["Zeta Ltd", "fit_rank"] == 1 and p.loc["Yota", "fit_rank"] == 2
    assert p.loc["Xeno", "fit_rank"] == 1 and p.loc["Wamu", "fit_rank"] == 1
    assert p.loc["Wamu", "notes"] == "call in May"
    assert check.issues.empty
    assert list(check.prospects["prospect"]) == ["Zeta Ltd", "Yota", "Xeno", "Wamu"]
    assert (check.prospects["issues"] == "").all()


def test_zero_weight_ignores_that_score() -> None:
    frame = _prospects([("Dana", "Zeta", "TARGET", 5, None, 1, "")])
    check = _check(frame, weights=FitWeights(decision_maker_access=0))
    assert check.prospects.loc[0, "fit_score"] == 3.0
    assert check.issues.empty


def test_target_already_spending_client_is_an_error_with_client_and_billing() -> None:
    frame = _prospects([
        ("Dana", "ACME, Inc", "TARGET", 3, 3, 3, ""),      # canonical match
        ("Dana", "Globex", "EXTRA", 3, 3, 3, ""),          # raw match
        ("Dana", "Initech", "TARGET", 3, 3, 3, ""),        # a client, but not spending: fine
        ("Dana", "Acme Inc.", "LEAD", 3, 3, 3, ""),        # LEADs are not checked
    ])
    check = _check(frame)
    issues = check.issues[check.issues["kind"] == "already a client"]
    assert len(issues) == 2
    acme = issues.iloc[0]
    assert acme["rows"] == (2,) and acme["seller"] == "Dana"
    assert "Acme Inc." in acme["message"] and "$12,000.00" in acme["message"] and "KEY" in acme["message"]
    assert "Row 2" in acme["message"]
    assert issues.iloc[1]["rows"] == (3,) and "$500.00" in issues.iloc[1]["message"]
    assert acme["message"].endswith("A TARGET must be new business.")
    assert issues.iloc[1]["message"].endswith("An EXTRA must be new business.")
    flagged = check.prospects.set_index("source_row")["issues"]
    assert flagged[2].startswith("already a client") and flagged[4] == ""
    assert "already a client" not in flagged[5]  # (it is listed twice with row 2, though)


def test_prospect_on_two_sellers_lists_and_twice_on_one() -> None:
    frame = _prospects([
        ("Dana", "Hooli Inc", "TARGET", 3, 3, 3, ""),
        ("Lee", "hooli", "EXTRA", 3, 3, 3, ""),
        ("Lee", "Pied Piper", "TARGET", 3, 3, 3, ""),
        ("Lee", "Pied Piper", "EXTRA", 3, 3, 3, ""),
    ])
    check = _check(frame)
    kinds = check.issues.set_index("kind")
    assert kinds.loc["on two lists", "rows"] == (2, 3)
    assert "Dana (row 2)" in kinds.loc["on two lists", "message"]
    assert "Lee (row 3)" in kinds.loc["on two lists", "message"]
    assert kinds.loc["listed twice", "rows"] == (4, 5)
    assert kinds.loc["listed twice", "seller"] == "Lee"


def test_counts_outside_limits_per_seller_and_category() -> None:
    limits = Limits(target=(2, 3), extra=(0, 1), lead=(0, 1))
    frame = _prospects([
        ("Dana", "A1", "TARGET", 3, 3, 3, ""),
        ("Dana", "A2", "EXTRA", 3, 3, 3, ""),
        ("Dana", "A3", "EXTRA", 3, 3, 3, ""),
        ("Lee", "B1", "TARGET", 3, 3, 3, ""),
        ("Lee", "B2", "TARGET", 3, 3, 3, ""),
    ])
    check = _check(frame, limits, sellers=["Kim", "Lee"])
    per = check.per_seller.set_index("seller")
    assert list(per.index) == ["Dana", "Kim", "Lee"]
    assert per.loc["Dana", "n_targets"] == 1 and per.loc["Dana", "n_extras"] == 2
    assert per.loc["Lee", "status"] == "ok"
    assert "1 TARGETs (at least 2)" in per.loc["Dana", "status"]
    assert "2 EXTRAs (at most 1)" in per.loc["Dana", "status"]
    assert per.loc["Kim", "n_targets"] == 0 and per.loc["Kim", "status"] != "ok"
    few = check.issues[(check.issues["kind"] == "too few") & (check.issues["seller"] == "Dana")]
    assert few.iloc[0]["rows"] == (2,) and "should have 2 to 3" in few.iloc[0]["message"]
    many = check.issues[check.issues["kind"] == "too many"].iloc[0]
    assert many["rows"] == (3, 4) and "at most 1" in many["message"]
    kim = check.issues[check.issues["seller"] == "Kim"]
    assert set(kim["kind"]) == {"too few"} and kim.iloc[0]["rows"] == ()


def test_unknown_category_and_scores_out_of_range_are_shown_with_rows() -> None:
    frame = _prospects([
        ("Dana", "A1", "Hot", 3, 3, 3, ""),
        ("Dana", "A2", "targets", 7, 3, 3, ""),
        ("Dana", "A3", "EXTRA", "high", 3, 0, ""),
        ("Dana", "A4", "", 3, 3, 3, ""),
    ])
    check = _check(frame)
    assert normalise_category(" Targets ") == "TARGET" and normalise_category("Hot") is None
    unknown = check.issues[check.issues["kind"] == "unknown category"]
    assert list(unknown["rows"]) == [(2,), (5,)]
    assert "'Hot'" in unknown.iloc[0]["message"] and "blank" in unknown.iloc[1]["message"]
    bad = check.issues[check.issues["kind"] == "score out of range"]
    msgs = " | ".join(bad["message"])
    assert "Row 3: spending potential is 7" in msgs
    assert "Row 4: spending potential 'high' is not a number" in msgs
    assert "Row 4: product fit is 0" in msgs
    p = check.prospects.set_index("prospect")
    assert p.loc["A2", "category"] == "TARGET" and p.loc["A1", "category"] == "Hot"
    assert math.isnan(p.loc["A2", "fit_score"]) and math.isnan(p.loc["A3", "fit_score"])
    assert pd.isna(p.loc["A2", "fit_rank"])
    # nothing dropped
    assert sorted(check.prospects["source_row"]) == [2, 3, 4, 5]


def test_missing_scores_mean_not_scored_and_say_so() -> None:
    frame = _prospects([
        ("Dana", "A1", "TARGET", 3, None, 3, ""),
        ("Dana", "A2", "TARGET", 4, 4, 4, ""),
    ])
    check = _check(frame)
    ns = check.issues[check.issues["kind"] == "not scored"].iloc[0]
    assert ns["rows"] == (2,) and "not scored" in ns["message"]
    row = check.prospects.set_index("prospect").loc["A1"]
    assert math.isnan(row["fit_score"]) and "no valid decision maker access" in row["issues"]
    assert check.per_seller.iloc[0]["n_not_scored"] == 1


def test_file_without_score_columns_is_all_not_scored() -> None:
    frame = pd.DataFrame({"source_row": [2, 3], "seller": ["Dana", "Dana"],
                          "prospect": ["A", "B"], "category": ["TARGET", "EXTRA"]})
    check = _check(frame)
    assert check.prospects["fit_score"].isna().all()
    assert check.issues.iloc[0]["kind"] == "not scored" and check.issues.iloc[0]["rows"] == (2, 3)


def test_promotions_suggest_best_extras_when_targets_short() -> None:
    limits = Limits(target=(3, 10), extra=(0, 10), lead=(0, 10))
    frame = _prospects([
        ("Dana", "T1", "TARGET", 3, 3, 3, ""),
        ("Dana", "E-low", "EXTRA", 1, 1, 1, ""),
        ("Dana", "E-best", "EXTRA", 5, 5, 4, ""),
        ("Dana", "Globex", "EXTRA", 5, 5, 5, ""),   # already a client: never promoted
        ("Dana", "E-mid", "EXTRA", 3, 3, 3, ""),
        ("Lee", "L1", "EXTRA", 5, 5, 5, ""),        # Lee also short, one EXTRA only
    ])
    check = _check(frame, limits)
    promo = check.promotions
    assert list(promo[promo["seller"] == "Dana"]["prospect"]) == ["E-best", "E-mid"]
    assert list(promo[promo["seller"] == "Lee"]["prospect"]) == ["L1"]
    assert "has 1 of the 3 TARGETs needed" in promo.iloc[0]["message"]
    assert promo["source_row"].dtype == "int64"


def test_no_promotions_when_targets_suffice_and_blank_fields_are_flagged() -> None:
    frame = _prospects([
        ("", "Orphan", "TARGET", 3, 3, 3, ""),
        ("Dana", "", "TARGET", 3, 3, 3, ""),
    ])
    check = _check(frame)
    assert check.promotions.empty
    kinds = set(check.issues["kind"])
    assert {"no seller", "no prospect name"} <= kinds
    assert list(check.per_seller["seller"]) == ["Dana"]


def test_empty_prospects_with_sellers_gives_too_few_and_never_mutates_inputs() -> None:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in ("source_row", "seller", "prospect", "category")})
    accounts = _accounts()
    before = accounts.copy()
    check = check_prospects(frame, accounts, CLIENT_OF, Limits(), FitWeights(), sellers=["Dana"])
    pd.testing.assert_frame_equal(accounts, before)
    assert check.prospects.empty
    assert set(check.issues["kind"]) == {"too few"}
    assert check.per_seller.iloc[0]["status"].startswith("0 TARGETs")
