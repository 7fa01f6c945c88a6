"""The labelled real-world style cases (matching_cases.py): every planted pair is merged
or proposed, no hard negative is proposed, per variant class."""

from __future__ import annotations

import pytest
from matching_cases import NEGATIVES, PLANTED, evaluate, table
from name_variants import background_names

from alms_toolkit.analysis.matching import find_candidates, match_score
from alms_toolkit.analysis.names import canonical_name


def _find(keys):  # noqa: ANN001, ANN202 - the evaluate() callback
    found = find_candidates(keys, threshold=88.0)
    return zip(found.key_a, found.key_b, strict=True)


@pytest.fixture(scope="module")
def figures():  # noqa: ANN201
    # among 3,000 unrelated names, so blocking and frequent words behave as at scale
    figs = evaluate(_find, canonical_name, background_names(3000, seed=4))
    print("\n".join(table(figs)))
    return {f.name: f for f in figs}


@pytest.mark.parametrize("cls", sorted(PLANTED))
def test_every_planted_pair_is_merged_or_proposed(figures, cls: str) -> None:  # noqa: ANN001
    f = figures[cls]
    assert f.pairs == len(PLANTED[cls]) and f.pairs > 0
    assert f.missed == (), f"{cls}: missed {f.missed}"
    assert f.precision == 1.0, f"{cls}: {f.candidates - f.true_candidates} false candidates"


@pytest.mark.parametrize("cls", sorted(NEGATIVES))
def test_no_hard_negative_is_proposed(figures, cls: str) -> None:  # noqa: ANN001
    f = figures[cls]
    assert f.pairs == len(NEGATIVES[cls]) and f.pairs > 0
    assert f.found == 0, f"{cls}: proposed {f.missed}"


def score(a: str, b: str) -> float:
    return match_score(canonical_name(a), canonical_name(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Johnson, Mark", "Johnston, Mark"),     # a person: surnames match exactly only
        ("Dr. Ann Petersen", "Dr. Ann Peters"),
        ("Drali Media", "Dralixon Media"),       # an unknown word shortened, nothing else agrees
        ("Acme Art", "Acme Artisans"),           # 'art' is a word, not a shortening
        ("ABC Plumbing", "Allied Builders Plumbing"),  # initials of part of the name only
        ("AB Foods", "Alpha Beta Foods"),        # two letters, no distinctive word agreeing
        ("Lazy K Store", "Lazy J Store"),        # lone letters that differ
    ],
)
def test_shortening_rules_keep_their_guards(a: str, b: str) -> None:
    assert score(a, b) < 88.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kastel Dralix Partners", "Kastel Dralixon Partners"),  # unknown word, anchored by Kastel
        ("N Side Dental", "North Side Dental"),                  # a lone initial
        ("Hollis Mgmt", "Hollis Management"),                    # consonant skeleton
        ("Mark Johnson Physical Therapy", "Mark Johnson Phys Therapy"),  # a known word in a person's name
    ],
)
def test_shortening_rules_find(a: str, b: str) -> None:
    assert score(a, b) >= 88.0


def test_a_lone_letter_does_not_trip_the_different_words_cap() -> None:
    # 'A/C' is one initialism, not two distinctive words 'a' and 'c'
    assert score("Jones Heating and Air", "Jones Heating & A/C") >= 95.0


def test_a_bare_initialism_is_proposed_only_when_one_name_spells_it() -> None:
    keys = [canonical_name(n) for n in ["DVH", "Dunmore Veterinary Hospital", "Acme Foods"]]
    assert len(find_candidates(keys)) == 1
    keys.append(canonical_name("Delgado Vance Holdings"))  # a second expansion: a guess
    assert find_candidates(keys).empty
