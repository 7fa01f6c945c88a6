"""The audit notebook's tables, shaped by alms_toolkit.report.views.audit_tables (the notebook only
displays them)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from alms_toolkit.report.views import audit_tables as tables

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample():
    from alms_toolkit.engine import audit

    return audit(ROOT / "client_data" / "sample-media")


def test_accounts_symptoms_and_sellers(sample):
    spending = tables.spending_accounts(sample)
    assert (spending["tier"] != "NON-SPENDING").all() and spending["rank"].is_monotonic_increasing
    assert len(spending) == sample.tiers.n_clients
    symptoms = tables.symptom_table(sample)
    assert list(symptoms.columns) == ["title", "status", "evidence"] and len(symptoms) == len(sample.symptoms)
    by_billing = tables.sellers_by_billing(sample)
    assert by_billing["billing"].is_monotonic_decreasing and by_billing["secondary_share"].notna().all()
    # a seller named only in the prospects file: no share of 0 accounts
    import dataclasses

    import pandas as pd

    extra = pd.DataFrame([{**sample.sellers.iloc[0].to_dict(), "seller": "Zoe New", "n_key": 0, "n_secondary": 0,
                           "billing_key": 0, "billing_secondary": 0, "billing": 0, "secondary_share": 0.0}])
    with_zoe = dataclasses.replace(sample, sellers=pd.concat([sample.sellers, extra], ignore_index=True))
    shares = tables.sellers_by_billing(with_zoe).set_index("seller")["secondary_share"]
    assert pd.isna(shares["Zoe New"]) and shares.drop("Zoe New").notna().all()
    unconfirmed = tables.unconfirmed_splits(sample)
    assert not unconfirmed["confirmed"].any() and unconfirmed["billing"].is_monotonic_decreasing


def test_merges_in_a_managers_words(sample):
    merged = tables.merged_names(sample)
    assert (merged["reason"] != "single").all() and merged["why"].notna().all()
    pairs = list(zip(merged["client"], merged["raw_name"], strict=True))
    assert pairs == sorted(pairs)
    groups = tables.combined_spellings(sample)
    billed = groups["billing"].dropna()
    assert billed.is_monotonic_decreasing and groups["billing"].iloc[: len(billed)].notna().all()
    for spellings, client in zip(groups["spellings"], groups["client"], strict=True):
        assert client not in spellings.split("; ")
    assert set(tables.pending_candidates(sample)["status"]) <= {"pending"}


def test_prospects_per_seller(sample):
    counts = tables.prospect_counts(sample)
    p = sample.prospects
    assert counts["TARGET"] == int((p["category"] == "TARGET").sum()) and counts["sellers"] == p["seller"].nunique()
    by_seller = tables.targets_by_seller(sample)
    assert list(by_seller.columns) == ["seller", "TARGET", "EXTRA"]
    targets = by_seller.set_index("seller")["TARGET"].dropna()
    for seller, names in targets.items():
        best = p[(p["seller"] == seller) & (p["category"] == "TARGET")].sort_values(
            ["fit_score", "prospect"], ascending=[False, True], kind="stable")["prospect"].iloc[0]
        assert names.split("; ")[0].split(" [")[0] == best
    # a flagged target is marked where it is listed (Pine Valley Plumbing LLC is already a KEY client)
    grace = by_seller.set_index("seller").loc["Grace Rivera", "TARGET"]
    assert "Pine Valley Plumbing LLC [already a client]" in grace.split("; ")


def test_seller_blocks_count_their_tiers(sample):
    blocks = list(tables.seller_blocks(sample))
    assert [s for s, *_ in blocks] == list(dict.fromkeys(sample.seller_accounts["seller"]))
    workbooks = tables.seller_workbooks(sample)
    for seller, rows, n_key, n_secondary in blocks:
        assert n_key == (rows["tier"] == "KEY").sum() and n_key + n_secondary == len(rows)
        workbook = workbooks[seller]
        assert workbook.startswith("sellers/seller-") and workbook.endswith(".xlsx"), (seller, workbook)


def test_split_counts_files_and_settings(sample):
    n_split, n_unconfirmed = tables.split_counts(sample)
    assert n_split == sample.split_clients["client_key"].nunique() and 0 <= n_unconfirmed <= n_split
    files = tables.deliverable_files(sample)
    assert files["file"].iloc[:3].tolist() == ["accounts.csv", "crm/",
                                               "flags.csv"]
    assert sum(f.startswith("sellers/") for f in files["file"]) == len(dict.fromkeys(sample.seller_accounts["seller"]))
    settings = dict(zip(*tables.run_settings(sample).to_dict("list").values(), strict=True))
    assert settings["Audit date (as of)"] == f"{sample.as_of.day} {sample.as_of:%B %Y}"
    assert settings["12-month window"] == "1 July 2024 to 30 June 2025"  # the last day included, as people say it


def test_reasons_billing_order_and_review_movements():
    frame = pd.DataFrame({"billing": [5, 30, 10], "reason": ["new", "seasonal", "new"]})
    assert tables.by_billing(frame)["billing"].tolist() == [30, 10, 5]
    assert tables.reason_counts(frame) == {"new": 2, "seasonal": 1}
    moves = pd.DataFrame({
        "name": ["A", "B", "C", "D", "E"],
        "before": ["KEY", "KEY", "SECONDARY", "TARGET", "KEY"],
        "now": ["SECONDARY", "LAPSED", "KEY", "KEY", "KEY"],
        "billing_then": [100, 300, 50, 0, 900],
        "billing_now": [40, 0, 700, 200, 950],
    })
    comparison = _comparison(moves)
    assert tables.key_accounts_lost(comparison)["name"].tolist() == ["B", "A"]
    dormant = _comparison(moves.assign(now=["SECONDARY", "DORMANT", "KEY", "KEY", "KEY"]))
    assert tables.key_accounts_lost(dormant)["name"].tolist() == ["B", "A"]  # DORMANT is lost too
    assert tables.grown_into_key(comparison)["name"].tolist() == ["C", "D"]


def test_migration_table_totals_and_lapsed_counts():
    from alms_toolkit.analysis.compare import compare_reviews

    previous = pd.DataFrame({"client_key": ["a", "b", "c"], "name": ["A", "B", "C"],
                             "tier": ["KEY", "SECONDARY", "LAPSED"], "owner": ["Ana"] * 3,
                             "billing": [500, 100, 0]})
    accounts = pd.DataFrame({"client_key": ["a", "n"], "client": ["A", "N"], "billing": [600, 50],
                             "tier": ["KEY", "SECONDARY"], "owner": ["Ana"] * 2})
    lapsed = pd.DataFrame({"client_key": ["b", "z"], "client": ["B", "Z"], "last_seller": ["Ana"] * 2})
    c = compare_reviews(previous, accounts, None, 500, 600, lapsed=lapsed)
    table = tables.migration_table(c)
    assert list(table.columns) == ["before", "KEY", "SECONDARY", "TARGET", "EXTRA", "LAPSED", "DORMANT", "Total"]
    assert list(table["before"]) == ["KEY", "SECONDARY", "TARGET", "EXTRA", "LAPSED", "NEW", "Total"]
    rows = table.set_index("before")
    assert rows.loc["Total", "LAPSED"] == len(lapsed) == 2  # B (SECONDARY then), Z (NEW)
    assert rows.loc["LAPSED", "DORMANT"] == 1 and rows.loc["Total", "Total"] == 5
    assert rows["Total"].drop("Total").tolist() == [1, 1, 0, 0, 1, 2]
    assert tables.review_lapsed_counts(c) == {"n_lapsed": 2, "n_lapsed_before": 0, "n_lapsed_new": 1, "n_dormant": 1,
                                              "n_dormant_was_lapsed": 1}


def test_symptom_counts(sample):
    counts = tables.symptom_counts(sample)
    assert counts.total == 4 and counts.assessed + counts.not_assessed == 4
    assert counts.found == sum(s.status == "fail" for s in sample.symptoms)


def test_insight_notes_join_each_note_once() -> None:
    from alms_toolkit.analysis.insights import Insight

    a = Insight(table=pd.DataFrame(), status="assessed", notes=("Months compared: X.", "Too new: 2."), summary="1 of 3.")
    b = Insight(table=pd.DataFrame(), status="partial", notes=("Months compared: X.", "No year before."))
    assert tables.insight_notes(a, b) == "Months compared: X. Too new: 2. No year before."
    assert tables.insight_notes() == ""


def test_a_spelling_that_differs_by_what_nobody_sees_says_so() -> None:
    from alms_toolkit.report.views.audit_tables import visible_spelling

    assert visible_spelling("Hartley Travel ") == "Hartley Travel (with a trailing space)"
    assert visible_spelling(" Acme  Ltd") == "Acme  Ltd (with a leading space and a double space)"
    assert visible_spelling("Acme\u00a0Ltd") == "Acme Ltd (with a hidden character such as a non-breaking space)"
    assert visible_spelling("ACME Ltd.") == "ACME Ltd."  # case and punctuation are visible as they are


def test_the_report_figures_tie_on_the_sample(sample):
    """The reconciliation's amount used is the revenue plus the NON-SPENDING clients' net, to
    the cent; the duplicates page and the merge log count the same spellings; a merge that
    differs only by spaces reads as such (the sample has 'Hartley Travel' with a trailing space)."""
    tie = tables.revenue_tie(sample)
    assert tie["amount_used"] == tie["revenue_total"] + tie["non_spending_total"]
    assert tie["n_spending"] == sample.tiers.n_clients
    n_grouped, n_names = tables.merge_counts(sample)
    merged = tables.merged_names(sample)
    assert n_names == len(merged) and n_grouped == merged["client_key"].nunique()
    n_spellings = len(sample.combination.client_of)
    n_clients = len(set(sample.combination.client_of.values()))
    assert n_spellings - n_clients == n_names - n_grouped
    spellings = "; ".join(tables.combined_spellings(sample)["spellings"])
    assert "Hartley Travel (with a trailing space)" in spellings
    # the appendix: one line per client, every name with its own billing, adding up to the client's
    by_client = tables.spellings_by_client(sample)
    assert len(by_client) == n_grouped and by_client["client_key"].is_unique
    assert int(by_client["billing"].sum()) == int(merged["billing"].sum())
    hartley = by_client[by_client["spellings"].str.contains("Hartley Travel (with a trailing space)", regex=False)]
    assert len(hartley) == 1 and hartley["spellings"].iloc[0].count(" ($") == 2
    for row in by_client.itertuples():
        names = merged[merged["client_key"] == row.client_key]
        assert row.spellings.count("; ") == len(names) - 1


def test_a_target_converted_since_the_review_is_named_so_where_it_is_flagged() -> None:
    """The prospect list flags 'Pine Valley' as already a client, and the review counts it as a
    TARGET grown into KEY: the flag says both, so the two pages agree."""
    moves = pd.DataFrame({"name": ["Pine Valley", "Other"], "before": ["TARGET", "SECONDARY"],
                          "now": ["KEY", "KEY"], "billing_then": [0, 10], "billing_now": [85, 20]})
    issues = pd.DataFrame({
        "kind": ["already a client", "already a client", "not scored"],
        "seller": ["Grace", "Mei", "Ana"], "rows": [(103,), (8,), (9,)],
        "message": ["Row 103: TARGET 'Pine Valley' of Grace is already a spending client: Pine Valley ($85.00 in "
                    "the last 12 months, KEY). A target must be new business.",
                    "Row 8: TARGET 'Other' of Mei is already a spending client: Other ($20.00 in the last 12 "
                    "months, KEY). A target must be new business.", "Row 9: not scored"],
    })
    audit = SimpleNamespace(prospect_issues=issues)
    rows = tables.prospect_issue_rows(audit, _comparison(moves))
    assert rows["message"].iloc[0].endswith("has become KEY since: a conversion; take it off the targets.")
    assert rows["message"].iloc[1:].tolist() == issues["message"].iloc[1:].tolist()  # was SECONDARY: no conversion
    assert tables.prospect_issue_rows(audit, None) is issues


def test_pending_candidates_show_the_ids_of_each_side() -> None:
    candidates = pd.DataFrame({"name_a": ["Main Street Pharmacy", "Acme"], "name_b": ["Main St. Pharmacy", "Acme Co"],
                               "score": [100.0, 91.0], "status": ["pending", "pending"],
                               "ids_a": ["1001", ""], "ids_b": ["2044", ""]})
    audit = SimpleNamespace(combination=SimpleNamespace(candidates=candidates))
    shown = tables.pending_candidates(audit)
    assert shown["name_a"].tolist() == ["Main Street Pharmacy (ID 1001)", "Acme"]
    assert shown["name_b"].tolist() == ["Main St. Pharmacy (ID 2044)", "Acme Co"]
    # a name the id split already labelled is not labelled twice
    labelled = candidates.assign(name_a=["Main Street Pharmacy (ID 1001)", "Acme"])
    shown = tables.pending_candidates(SimpleNamespace(combination=SimpleNamespace(candidates=labelled)))
    assert shown["name_a"].tolist() == ["Main Street Pharmacy (ID 1001)", "Acme"]


def _comparison(moves: pd.DataFrame, cutoff_then: int | None = None):
    """A Comparison of these movements only (no matrix nor aims: the tables read the movements)."""
    from alms_toolkit.analysis.compare import Comparison

    return Comparison(as_of_then=None, as_of_now=None, cutoff_then=cutoff_then, cutoff_now=None,
                      matrix=pd.DataFrame(), movements=moves, by_seller=pd.DataFrame(), overall=None)  # type: ignore[arg-type]
