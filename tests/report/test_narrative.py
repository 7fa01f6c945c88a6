import datetime as dt

import pandas as pd

from alms_toolkit.report import narrative as nv


def test_key_group_sentence_from_the_issue():
    assert nv.key_group(125, 500, 0.7612) == "Your top 125 clients, 25% of 500, bring 76% of revenue."
    assert nv.key_group(1, 4, 0.5) == "Your top 1 client, 25% of 4, bring 50% of revenue."
    assert "no KEY group" in nv.key_group(0, 0, 0.0)


def test_percent_plural_join():
    assert nv.percent(0.045) == "4.5%" and nv.percent(0.05) == "5%" and nv.percent(0) == "0%"
    assert nv.percent(0.6795) == "68%"
    assert nv.plural(1250, "client") == "1,250 clients" and nv.plural(1, "client") == "1 client"
    assert nv.join_words(["a", "b", "c"]) == "a, b and c" and nv.join_words(["a"]) == "a"


def test_cutoff_mentions_money_and_ties():
    text = nv.cutoff(11_672_600_000, 22, 22, 0, 0.25)
    assert "$11,672.60" in text and "ranked 22" in text and "same for every seller" in text
    assert "exactly the cut-off" not in text
    tied = nv.cutoff(5_000_000, 4, 3, 2, 0.25)
    assert "2 clients billed exactly the cut-off, which adds 1 client to the KEY group." in tied


def test_symptoms_counts_failures_and_unknowns():
    text = nv.symptoms([("Out of date", "fail"), ("Alphabetical order", "pass"),
                        ("No billing level", "fail"), ("No new-business targets", "not assessed")])
    assert text.startswith("2 of the 4 symptoms")
    assert "out of date and no billing level" in text
    assert "Not assessed for lack of data: no new-business targets." in text
    assert "None of the symptoms" in nv.symptoms([("Out of date", "pass")])
    assert "not provided" in nv.symptoms([("Out of date", "not assessed")])


def test_listing_duplicates_tiers():
    t = nv.listing(90, 88, 600_000_000_000, dt.date(1997, 5, 7), dt.date(1998, 5, 7))
    assert "88 clients billed $600,000 net from 07 May 1997 to 06 May 1998" in t
    assert "2 more clients netted zero or less" in t
    assert "12-month totals" in nv.listing(3, 3, 1, None, None)
    assert "nothing had to be combined" in nv.duplicates(5, 5, 0)
    d = nv.duplicates(7, 5, 1)
    assert "2 duplicate spellings were combined" in d and "1 more possible duplicate awaits" in d
    tiers = nv.tiers(1, 3, 75_000_000, 100_000_000)
    assert "1 KEY account bring $75 (75%)" in tiers and "$25 (25%)" in tiers


def test_sellers_and_split():
    df = pd.DataFrame({"seller": ["Ann", "Bob"], "n_key": [3, 1], "n_secondary": [2, 9],
                       "billing": [900, 100], "secondary_share": [0.4, 0.9]})
    text = nv.sellers(df)
    assert text.startswith("2 sellers share the list. Ann holds the most revenue (3 KEY accounts).")
    assert "Bob's list is the most SECONDARY-heavy: 90%" in text
    assert "no per-seller" in nv.sellers(df.head(0))
    assert "Please confirm the owner of 2 clients." in nv.split_clients(5, 2)
    assert "one seller only" in nv.split_clients(0, 0)


def test_prospects_growth_risk_lapsed():
    assert "No prospect list" in nv.prospects(0, 0, 0, 0, 0, provided=False)
    assert "2 points need attention" in nv.prospects(5, 4, 1, 2, 2, provided=True)
    assert "meet the Challenge's rules" in nv.prospects(5, 4, 1, 2, 0, provided=True)
    g = nv.growth(3, 30, {"seasonal": 2, "new": 1})
    assert "3 SECONDARY accounts could grow into KEY, 10% of SECONDARY accounts" in g
    assert "2 seasonal and 1 recently started" in g
    assert "No SECONDARY" in nv.growth(0, 30, {})
    assert "1 KEY account of 22 is at risk" in nv.at_risk(1, 22, 5_000_000_000)
    assert "$5,000" in nv.at_risk(1, 22, 5_000_000_000)
    assert "4 clients billed before" in nv.lapsed(4, 1_000_000)


def test_reconciliation_and_next_steps():
    text = nv.reconciliation(2155, 1410, {"outside_window": 745, "zero_amount": 0})
    assert "Of the 2,155 rows read, 1,410 are used." in text and "745 outside window" in text
    steps = nv.next_steps(dt.date(2024, 8, 31), 6)
    assert any("28 February 2025" in s for s in steps) and len(steps) == 5
    assert nv.next_review_date(dt.date(2024, 1, 31), 12) == dt.date(2025, 1, 31)


def test_top_actions_ordered_and_capped():
    acts = nv.top_actions(n_failed_symptoms=2, n_at_risk=3, n_growth=4, n_unconfirmed=1,
                          n_prospect_issues=0, n_pending_merges=2, has_prospects=False)
    assert acts[0] == "Call the 3 KEY accounts at risk this month." and len(acts) == 4
    quiet = nv.top_actions(n_failed_symptoms=0, n_at_risk=0, n_growth=0, n_unconfirmed=0,
                           n_prospect_issues=0, n_pending_merges=0, has_prospects=True)
    assert quiet == ["Keep the weekly seller meetings and the monthly republishing going."]


def test_merge_reasons_in_plain_words():
    assert nv.merge_reason("same canonical name") == "same name, written differently"
    assert nv.merge_reason("same id") == "same client ID"
    assert nv.merge_reason("something new") == "something new"
