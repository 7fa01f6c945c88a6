import datetime as dt

import pandas as pd

from alms_toolkit.report.views import narrative as nv


def test_key_group_sentence_from_the_issue():
    assert nv.key_group(125, 500, 0.7612) == "Your top 125 clients, 25% of 500, bring 76% of revenue."
    assert nv.key_group(1, 4, 0.5) == "Your top client, 25% of 4, brings 50% of revenue."
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
    assert text.startswith("2 of the 3 symptoms assessed are present: out of date and no billing level.")
    assert text.endswith("1 of the 4 could not be assessed for lack of data, so the list is not known "
                         "to be free of it: no new-business targets.")
    every = nv.symptoms([("Out of date", "fail"), ("Alphabetical order", "pass")])
    assert every == "1 of the 2 symptoms that call for an ALMS review is present: out of date."
    assert "None of the symptoms" in nv.symptoms([("Out of date", "pass")])
    assert nv.symptoms([("Out of date", "not assessed")]).startswith(
        "The symptom that calls for an ALMS review could not be assessed: neither the current account list")


FOUR = ["Out of date", "Alphabetical order", "No billing level", "No new-business targets"]


def test_symptoms_not_assessed_never_read_as_healthy():
    none = nv.symptoms(zip(FOUR, ["not assessed"] * 4, strict=True))
    assert none.startswith("None of the 4 symptoms that call for an ALMS review could be assessed")
    assert "not a sign of a healthy list" in none and "None of the symptoms" not in none
    one = nv.symptoms(zip(FOUR, ["not assessed"] * 3 + ["pass"], strict=True))
    assert one == (
        "The only symptom assessed, no new-business targets, was not found. 3 of the 4 could not be "
        "assessed for lack of data, so the list is not known to be free of them: out of date, "
        "alphabetical order and no billing level."
    )
    two = nv.symptoms(zip(FOUR, ["pass", "pass", "not assessed", "not assessed"], strict=True))
    assert two.startswith("Of the 2 symptoms assessed, none was found (out of date and alphabetical order).")
    found = nv.symptoms(zip(FOUR, ["fail", "pass", "pass", "not assessed"], strict=True))
    assert found.startswith("1 of the 3 symptoms assessed is present: out of date.")
    assert found.endswith("not known to be free of it: no new-business targets.")
    assert nv.symptoms([]) == "No symptom of the current list was assessed."


def test_symptom_card_says_what_was_assessed():
    assert nv.symptom_card(0, 0, 4) == (
        "Symptoms assessed", "0 of 4", "inputs missing: the current list was not checked")
    assert nv.symptom_card(2, 3, 4) == ("Symptoms found", "2 of 3", "3 of 4 assessed, 1 not (input missing)")
    assert nv.symptom_card(0, 1, 4) == ("Symptoms found", "0 of 1", "1 of 4 assessed, 3 not (input missing)")
    assert nv.symptom_card(2, 4, 4) == ("Symptoms found", "2 of 4", "signs the list needs this review")
    assert nv.symptom_card(0, 4, 4)[1] == "0 of 4"


def test_listing_duplicates_tiers():
    t = nv.listing(90, 88, 600_000_000_000, dt.date(1997, 5, 7), dt.date(1998, 5, 7))
    assert "88 clients billed $600,000.00 net from 7 May 1997 to 6 May 1998" in t
    assert "2 more clients netted zero or less" in t
    # where they are (the table below lists the spending clients only)
    assert "they are in accounts.csv and the master list, not counted as spending and not in this table." in t
    assert "; it is in accounts.csv" in nv.listing(89, 88, 600_000_000_000, dt.date(1997, 5, 7), dt.date(1998, 5, 7))
    assert "12-month totals" in nv.listing(3, 3, 1, None, None)
    assert "nothing had to be combined" in nv.duplicates(5, 5, 0, n_grouped=0, n_grouped_names=0)
    d = nv.duplicates(446, 407, 1, n_grouped=31, n_grouped_names=70)
    assert d.startswith("The ledger names 407 clients in 446 ways: 31 clients were written in several ways "
                        "(70 spellings in all)") and "1 more possible duplicate awaits" in d
    # the appendix prints the same two figures
    assert nv.merge_log(31, 70).startswith("70 spellings of 31 clients were combined")
    tiers = nv.tiers(1, 3, 75_000_000, 100_000_000)
    assert "1 KEY account brings $75.00 (75%)" in tiers and "$25.00 (25%)" in tiers


def test_sellers_and_split():
    df = pd.DataFrame({"seller": ["Ann", "Bob"], "n_key": [3, 1], "n_secondary": [2, 9],
                       "billing": [900, 100], "secondary_share": [0.4, 0.9]})
    text = nv.sellers(df)
    assert text.startswith("2 sellers share the list. Ann holds the most revenue (3 KEY accounts).")
    assert "Bob's list is the most SECONDARY-heavy: 90%" in text
    assert "no per-seller" in nv.sellers(df.head(0))
    assert nv.sellers(df.head(1)) == "Ann holds the whole list: 3 KEY accounts and 2 SECONDARY accounts."
    # lists equally SECONDARY-heavy: all of them alike (no 'most'), or the tied ones named together
    alike = df.assign(secondary_share=[0.75, 0.75])
    assert "SECONDARY-heavy" not in nv.sellers(alike)
    three = pd.concat([alike, df.head(1).assign(seller="Cy", secondary_share=0.5)], ignore_index=True)
    assert nv.sellers(three).endswith("The lists of Ann and Bob are the most SECONDARY-heavy: 75% of each "
                                      "list's accounts are SECONDARY.")
    from alms_toolkit.analysis.owners import OwnerCounts

    assert nv.split_clients(OwnerCounts(confirmed=0, from_list=1, suggested=0)) == (
        "1 client was billed by more than one seller; it is given to the owner on today's account list.")
    assert nv.split_clients(OwnerCounts(confirmed=0, from_list=0, suggested=3)) == (
        "3 clients were billed by more than one seller; they are given to the seller who billed them most, "
        "not confirmed yet. Please confirm the owner of 3 clients.")
    text = nv.split_clients(OwnerCounts(confirmed=1, from_list=2, suggested=2))
    assert text == ("5 clients were billed by more than one seller; they are given 1 to the owner you "
                    "confirmed, 2 to the owner on today's account list and 2 to the seller who billed them "
                    "most, not confirmed yet. Please confirm the owner of 2 clients.")
    assert "Please confirm" not in nv.split_clients(OwnerCounts(confirmed=3))
    assert "one seller only" in nv.split_clients(OwnerCounts())


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


def test_an_insight_not_assessed_never_reads_as_healthy():
    """Without the history an insight needs, the text says it was not assessed, never
    'no account at risk' or 'no client stopped billing'."""
    texts = [nv.growth(0, 30, {}, assessed=False), nv.at_risk(0, 22, 0, assessed=False),
             nv.lapsed(0, 0, assessed=False)]
    for text in texts:
        assert "not assessed" in text
        assert not text.startswith("No ")
    assert "No client stopped billing" in nv.lapsed(0, 0)
    # the reason is the note's (no dates, or no billing before the window): not said twice
    assert "see the note below" in nv.lapsed(0, 0, assessed=False) and "holds no billing" not in nv.lapsed(
        0, 0, assessed=False)


def test_reconciliation_and_next_steps():
    text = nv.reconciliation(2155, 1410, {"outside_window": 745, "zero_amount": 0})
    assert "Of the 2,155 rows read, 1,410 are used." in text
    assert "The others are set aside: 745 rows dated outside the 12-month window." in text
    # the reasons in words, never their codes
    text = nv.reconciliation(40, 14, {"footer": 1, "section_header": 12, "aggregate": 13})
    assert "set aside: 1 report note or footer, 12 section headings and 13 totals and subtotals." in text
    assert "_" not in text and "aggregate" not in text
    steps = nv.next_steps(dt.date(2024, 8, 31), 6)
    assert any("28 February 2025" in s for s in steps) and len(steps) == 5
    # the CRM files are said to be ready only when the run wrote them
    assert steps[0] == "Import the official list (accounts.csv) into your CRM."
    assert nv.next_steps(dt.date(2024, 8, 31), 6, ["Salesforce", "HubSpot"])[0] == (
        "Import the official list into your CRM: the Salesforce and HubSpot import files are ready in the crm folder.")
    assert "name each seller's CRM user in client.yml (alms crm-owners)" in nv.next_steps(dt.date(2024, 8, 31), 6, [])[0]
    assert nv.next_review_date(dt.date(2024, 1, 31), 12) == dt.date(2025, 1, 31)


def _actions(**kw):
    base = dict(as_of=dt.date(2025, 7, 1), at_risk_sellers=[], growth_sellers=[], prospect_issue_sellers=[],
                n_failed_symptoms=0, n_unassessed_symptoms=0, n_at_risk=0, n_growth=0, n_unconfirmed=0,
                n_prospect_issues=0, n_pending_merges=0, has_prospects=True, consultant="Jordan Avery")
    return nv.dated_actions(**{**base, **kw})


def test_top_actions_have_who_and_when():
    acts = _actions(n_failed_symptoms=2, n_at_risk=3, at_risk_sellers=["Mei Novak", "Ana Ruiz", "Mei Novak"],
                    n_growth=4, growth_sellers=["A", "B", "C", "D"], n_unconfirmed=1, n_pending_merges=2,
                    has_prospects=False, limit=10)
    assert [(a.who, a.by) for a in acts] == [
        ("Jordan Avery", "by 8\u00a0July\u00a02025"),          # duplicates decided before the list goes out
        ("Sales manager", "by 8\u00a0July\u00a02025"),         # owners confirmed
        ("Sales manager", "by 15\u00a0July\u00a02025"),        # the list published
        ("Ana Ruiz and Mei Novak", "by 31\u00a0July\u00a02025"),  # the at-risk calls, by the sellers concerned
        ("Each seller", "by 31\u00a0July\u00a02025"),
        ("4 sellers concerned", "by 30\u00a0August\u00a02025"),
    ]
    assert acts[3].text == "Call the 3 KEY accounts at risk (each seller's Flagged page)."
    assert len(_actions(n_failed_symptoms=2, n_at_risk=3, n_growth=4, n_unconfirmed=1, n_pending_merges=2,
                        has_prospects=False)) == 5
    assert _actions() == [nv.Action("Keep the weekly seller meetings and the monthly republishing going.",
                                    "Sales manager", "every week")]
    # symptoms not assessed are not a healthy list: the new list is published all the same
    unknown = _actions(n_unassessed_symptoms=4)
    assert unknown[0].text == ("Publish the new top-down list to every seller and republish it monthly: the "
                               "current list could not be checked (4 symptoms not assessed).")
    assert _actions(n_pending_merges=1, consultant=None)[0].who == "Consultant"


def test_concentration_in_words():
    text = nv.concentration(largest="Acme", largest_share=0.043, n_top=10, top_share=0.31, n_clients=363,
                            n_sellers=8, key_sellers_max=("Mei Novak", 0.19))
    assert text == ("The largest client, Acme, brings 4.3% of revenue; the top 10 bring 31%. "
                    "Mei Novak holds the most KEY billing: 19% of it.")
    assert nv.concentration(largest=None, largest_share=0, n_top=0, top_share=0, n_clients=0, n_sellers=0,
                            key_sellers_max=None) == ""
    # one client: no "top 1" after the largest, and one KEY account "brings"
    assert nv.concentration(largest="Acme", largest_share=1.0, n_top=1, top_share=1.0, n_clients=1, n_sellers=1,
                            key_sellers_max=None) == "The largest client, Acme, brings 100% of revenue."
    assert "the 1 SECONDARY account brings $25.00" in nv.tiers(3, 1, 75_000_000, 100_000_000)
    # the top 8 of 8 clients bring everything: not said
    assert nv.concentration(largest="Acme", largest_share=0.5, n_top=8, top_share=1.0, n_clients=8, n_sellers=1,
                            key_sellers_max=None) == "The largest client, Acme, brings 50% of revenue."

def test_review_lapsed_words_the_lapsed_and_dormant_columns():
    text = nv.review_lapsed(n_lapsed=17, n_lapsed_new=0, n_dormant=27, n_dormant_was_lapsed=23)
    assert text == (
        "17 clients lapsed since the review: they billed in the year before this review's 12 months "
        "and nothing (net) since. All of them are on the lapsed page. 27 more clients are DORMANT: "
        "nothing billed (net) in 24 months, or no longer in the ledger; 23 of them were already "
        "LAPSED at that review. They are not on the lapsed page."
    )
    one = nv.review_lapsed(n_lapsed=1, n_lapsed_new=1, n_dormant=1, n_dormant_was_lapsed=0)
    assert one.startswith("1 client lapsed since the review: it billed")
    assert "nothing (net) since; 1 of them was on no list then (NEW). It is on the lapsed page." in one
    assert "1 more client is DORMANT" in one and "already" not in one
    assert nv.review_lapsed(n_lapsed=0, n_lapsed_new=0, n_dormant=0, n_dormant_was_lapsed=0) == (
        "No client lapsed since the review: the lapsed page is empty.")
    # a client already LAPSED at the review did not lapse since (it was counted as if it had)
    assert nv.review_lapsed(n_lapsed=3, n_lapsed_before=1, n_lapsed_new=0, n_dormant=0, n_dormant_was_lapsed=0) == (
        "2 clients lapsed since the review: they billed in the year before this review's 12 months and nothing "
        "(net) since. The lapsed page lists them with 1 client already LAPSED at that review.")
    assert nv.review_lapsed(n_lapsed=1, n_lapsed_before=1, n_lapsed_new=0, n_dormant=0, n_dormant_was_lapsed=0) == (
        "No client lapsed since the review; the lapsed page lists 1 client already LAPSED at that review.")


def test_merge_reasons_in_plain_words():
    assert nv.merge_reason("same canonical name") == "same name, written differently"
    assert nv.merge_reason("same id") == "same client ID"
    assert nv.merge_reason("something new") == "something new"


def test_at_risk_partly_checked_is_not_all_clear_and_accepted_checks_are_said():
    from types import SimpleNamespace

    text = nv.at_risk(0, 22, 0, partial=True)
    assert "some comparisons could not be made" in text and "No KEY account shows falling or" not in text
    assert nv.accepted_checks([]) == ""
    found = [SimpleNamespace(code="short_window", message="the ledger starts on 2024-09-01")]
    said = nv.accepted_checks(found)
    assert said.startswith("short_window: the ledger starts on 2024-09-01. The consultant accepted this finding")


def test_one_glossary_defines_every_category_the_report_uses():
    from alms_toolkit.config import Limits
    from alms_toolkit.report.writers.crm import TIERS

    words = dict(nv.glossary(0.25, Limits(target=(5, 10), extra=(0, 8), lead=(0, 10))))
    for category in TIERS:
        assert category in words, category
    assert "top 25%" in words["KEY"] and "5 to 10 per seller" in words["TARGET"]
    assert "at most 8 per seller" in words["EXTRA"] and "at most 10" in words["LEAD"]
    # growth potential is what the growth page flags (no 'close below the cut-off' rule exists)
    assert "close below" not in words["Growth potential"] and "rising in the last months, new, or seasonal" in \
        words["Growth potential"]


def test_the_amount_used_ties_to_the_revenue():
    text = nv.revenue_tie(9_439_002_990_000, 9_439_045_030_000, 363, -42_040_000, 4)
    assert text == ("The $9,439,002.99 used is the $9,439,045.03 of revenue printed throughout this report, "
                    "billed by 363 spending clients, plus -$42.04 netted by 4 NON-SPENDING clients (credits at "
                    "least equal to charges): listed, not counted as revenue.")
    assert nv.revenue_tie(5, 5, 2, 0, 0) == "The $0.00 used is the revenue printed throughout this report, billed by 2 spending clients."


def test_the_targets_counted_two_ways_are_explained():
    text = nv.prospects(62, 60, 29, 8, 14, True, n_target_clients=6, n_targets_new=55)
    assert ("55 of the TARGETs are new business (6 are already clients and 1 repeats a target of another "
            "seller): the count the master list and the review's tables use.") in text
    assert "new business" not in nv.prospects(5, 5, 0, 1, 0, True, n_target_clients=0, n_targets_new=5)


def test_counts_of_one_agree():
    """Each sentence read with a count of 1: the noun, the verb and the pronoun agree."""
    assert nv.reconciliation(10, 1, {}).startswith("Of the 10 rows read, 1 is used.")
    assert nv.symptoms([("Out of date", "fail"), ("No billing level", "not assessed")]).startswith(
        "The only symptom assessed, out of date, is present.")
    assert nv.duplicates(3, 1, 0, n_grouped=1, n_grouped_names=3).startswith("The ledger names 1 client in 3 ways")
    assert nv.duplicates(1, 1, 0, n_grouped=0, n_grouped_names=0) == (
        "The ledger names one client: nothing had to be combined.")
    assert "Review it with its seller first." in nv.growth(1, 5, {"rising": 1})
    assert "It stays on the list alphabetically with its last seller" in nv.lapsed(1, 100_000_000)
