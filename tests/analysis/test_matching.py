"""Fuzzy candidates: typos, abbreviations and word order found; look-alikes kept apart."""

from __future__ import annotations

import pandas as pd
import pytest
from name_variants import background_names, evaluate, labelled_set
from shared_data import SHARED_DATA  # noqa: E402

from alms_toolkit.analysis import matching
from alms_toolkit.analysis.matching import DIFFERENT_WORDS_CAP, find_candidates, match_score
from alms_toolkit.analysis.names import canonical_name

DATA = SHARED_DATA


def score(a: str, b: str) -> float:
    return match_score(canonical_name(a), canonical_name(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme Inc", "Acme Incorprated"),          # misspelt suffix
        ("Acme Inc", "Acmee Inc"),                  # one typo
        ("Smith & Jones Media", "Jones & Smith Media"),  # word order
        ("Kastelor International", "Kastelor Intl"),     # abbreviation
        ("Velmora Brothers", "Velmora Bros."),
        ("Coca Cola", "CocaCola"),
        ("Brightwater Logistics", "Brightwatre Logistics"),  # transposition
    ],
)
def test_true_variants_score_above_default_threshold(a: str, b: str) -> None:
    assert score(a, b) >= 88.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("First National Bank of Dallas", "First National Bank of Austin"),
        ("North Star Media", "South Star Media"),
        ("Smith & Jones Media", "Smith & Brown Media"),
        ("Acme Media", "Acme Medical"),
        ("Studio 54", "Studio 55"),
        ("Acme", "Acne"),
    ],
)
def test_look_alikes_are_not_candidates(a: str, b: str) -> None:
    assert score(a, b) < 88.0


def test_a_different_distinctive_word_caps_the_score() -> None:
    assert score("First National Bank of Dallas", "First National Bank of Austin") <= DIFFERENT_WORDS_CAP


def test_find_candidates_returns_sorted_pairs_above_threshold() -> None:
    keys = [canonical_name(n) for n in [
        "Acme Inc", "Acmee Inc", "Smith & Jones Media", "Jones and Smith Media",
        "First National Bank of Dallas", "First National Bank of Austin", "Zorblat Foods",
    ]]
    out = find_candidates(keys, threshold=88)
    assert list(out.columns) == ["key_a", "key_b", "score"]
    pairs = {frozenset(p) for p in zip(out.key_a, out.key_b, strict=True)}
    assert pairs == {frozenset({"acme", "acmee"}),
                     frozenset({"smith and jones media", "jones and smith media"})}
    assert (out.key_a < out.key_b).all()
    assert out.score.is_monotonic_decreasing
    assert (out.score >= 88).all()


def test_threshold_is_respected() -> None:
    keys = ["acme", "acmee"]
    assert len(find_candidates(keys, threshold=88)) == 1
    assert find_candidates(keys, threshold=95).empty


def test_numeric_ids_are_exact_only() -> None:
    keys = ["12345", "12346", "12354", "c1042", "c1043", "acme"]
    assert find_candidates(keys, threshold=50).empty


def test_empty_and_single_inputs() -> None:
    assert find_candidates([]).empty
    assert find_candidates(["acme"]).empty


def test_labelled_variants_precision_and_recall() -> None:
    labelled = labelled_set(n_families=60, seed=7)
    key_of = {n: canonical_name(n) for n in labelled.names}
    found = find_candidates(sorted(set(key_of.values())), threshold=88)
    m = evaluate(labelled, key_of, zip(found.key_a, found.key_b, strict=True))
    report = (f"auto-merge precision {m.auto_precision:.3f} over {m.auto_pairs} pairs; "
              f"candidate precision {m.candidate_precision:.3f} over {m.candidates}; "
              f"recall {m.recall:.3f} of {m.fuzzy_variants} fuzzy variants; "
              f"missed {m.missed[:5]}; false {m.false[:5]}")
    print(report)
    assert m.auto_pairs > 200
    assert m.auto_precision == 1.0, report
    assert m.candidate_precision >= 0.95, report
    assert m.recall >= 0.90, report


def test_generated_auto_variants_share_the_base_key() -> None:
    labelled = labelled_set(n_families=30, seed=1)
    for name in labelled.names:
        if labelled.kind[name].startswith("auto"):
            base = labelled.base[labelled.family[name]]
            assert canonical_name(name) == canonical_name(base), (name, base)


def test_blocking_compares_far_fewer_pairs_than_all() -> None:
    names = background_names(3000, seed=2)
    keys = sorted({canonical_name(n) for n in names})
    prep = matching._prepare(keys)
    pairs = matching._block_pairs(prep)
    assert len(pairs) < len(keys) * (len(keys) - 1) / 2 / 20


def test_northwind_names_produce_no_candidates() -> None:
    ledger = pd.read_csv(DATA / "northwind" / "ledger.csv", usecols=["CompanyName"], dtype=str)
    names = sorted(ledger["CompanyName"].unique())
    assert len(names) == 89
    keys = {canonical_name(n) for n in names}
    assert len(keys) == 89  # no automatic merge either
    assert find_candidates(sorted(keys), threshold=50).empty


def test_a_company_and_one_of_its_people_are_proposed_not_merged() -> None:
    """Odoo writes an invoice to a contact as 'Company, Person': proposed with the company's own
    spelling (never merged by itself); a comma before anything but a person's name, a company
    the ledger does not write alone, or a threshold above the proposal's score: nothing."""
    from alms_toolkit.analysis.matching import CONTACT_SCORE, contact_candidates
    from alms_toolkit.analysis.names import canonical_keys

    spellings = ["Azure Interior", "Azure Interior, Brandon Freeman", "Deco Addict", "Deco Addict, Addison Olson",
                 "Gemini Furniture, John", "Smith, Barney & Co", "Total Wine & More", "Total Wine & More, INC",
                 "Acme, Corp", "Fabrikam, Inc.", "Fabrikam, Inc., Jane Roe", "Bolt Ltd, warehouse 4"]
    found = contact_candidates(spellings, canonical_keys(spellings))
    pairs = set(zip(found["key_a"], found["key_b"], strict=True))
    key = dict(zip(spellings, canonical_keys(spellings), strict=True))
    expected = {tuple(sorted((key[a], key[b]))) for a, b in (
        ("Azure Interior", "Azure Interior, Brandon Freeman"), ("Deco Addict", "Deco Addict, Addison Olson"),
        ("Fabrikam, Inc.", "Fabrikam, Inc., Jane Roe"))}
    assert pairs == expected and set(found["score"]) == {CONTACT_SCORE}
    assert contact_candidates(spellings, canonical_keys(spellings), threshold=CONTACT_SCORE + 1).empty
