"""Canonical names: what must collapse, what must stay apart, and what must never vanish."""

from __future__ import annotations

import pandas as pd
import pytest

from alms_toolkit.analysis.names import canonical_name, canonical_names, is_code_name, legal_terms

_CASES = [
        ("Acme Inc.", "acme"),
        ("ACME, Inc", "acme"),
        ("The Acme Incorporated", "acme"),
        ("  acme   LLC ", "acme"),
        ("Acme Holdings Co Ltd", "acme holdings"),  # several suffixes in a row
        ("Müller GmbH", "muller"),
        ("Søren + Co GmbH & Co. KG", "soren"),
        ("Océano Atlántico Ltda.", "oceano atlantico"),
        ("Smith & Jones", "smith and jones"),
        ("Smith and Jones", "smith and jones"),
        ("Smith + Jones", "smith and jones"),
        ("B's Beverages", "bs beverages"),
        ("North/South", "north south"),
        ("Wolski  Zajazd", "wolski zajazd"),
        ("ＡＣＭＥ S.A.", "acme"),  # full-width letters (NFKC)
        ("Smith & Co.", "smith"),
]


@pytest.mark.parametrize(("raw", "key"), _CASES)
def test_canonical_name(raw: str, key: str) -> None:
    assert canonical_name(raw) == key


@pytest.mark.parametrize("raw", ["Inc.", "The", "Ltd", "The Company", "Sp. z o.o."])
def test_suffix_only_names_never_become_empty(raw: str) -> None:
    key = canonical_name(raw)
    assert key
    assert key == canonical_name(raw.upper())


def test_different_companies_keep_different_keys() -> None:
    assert canonical_name("First National Bank of Dallas") != canonical_name(
        "First National Bank of Austin"
    )
    assert canonical_name("Acme Media") != canonical_name("Acme Medical")
    assert canonical_name("12345") != canonical_name("12346")


def test_legal_terms_come_from_cleanco_and_are_normalised() -> None:
    terms = legal_terms()
    assert len(terms) > 150  # cleanco's maintained list, not a hand-picked dozen
    for expected in [("inc",), ("llc",), ("gmbh",), ("sa",), ("plc",), ("pty", "ltd")]:
        assert expected in terms
    assert all(len(a) >= len(b) for a, b in zip(terms, terms[1:], strict=False))


def test_canonical_names_is_vectorised_and_keeps_index() -> None:
    s = pd.Series(["Acme Inc", "ACME", "Beta Ltd", "Acme Inc"], index=[10, 11, 12, 13],
                  name="client")
    before = s.copy()
    out = canonical_names(s)
    assert out.tolist() == ["acme", "acme", "beta", "acme"]
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.name == "client"
    pd.testing.assert_series_equal(s, before)


@pytest.mark.parametrize(
    ("key", "code"),
    [("12345", True), ("c12345", True), ("ab 1234", True), ("3m", True),
     ("acme", False), ("7 eleven", False), ("studio 54", False)],
)
def test_code_names(key: str, code: bool) -> None:
    assert is_code_name(key) is code


# Legal forms are removed only where they are one (issue 15 item 4): in suffix position, and
# only when the rest still names the company. Real-world style hard cases, one per row.
_FORM_CASES = [
        # the case: "Spa" is the business, "Limited" the form
        ("Health Spa, Limited", "health spa"),
        ("HEALTH SPA, LIMITED", "health spa"),
        ("Health Spa Limited", "health spa"),
        ("Health Spa", "health spa"),
        ("Willow Day Spa & Salon Ltd", "willow day spa and salon"),
        # a legal word in the middle or at the front is the company's own
        ("Spa Road Holdings Ltd", "spa road holdings"),
        ("The Limited Store Inc.", "limited store"),
        ("Limited Brands, Inc.", "limited brands"),
        ("Corporation Street Dental LLP", "corporation street dental"),
        ("AG Equipment Co", "ag equipment"),
        ("SA Power Networks Pty Ltd", "sa power networks"),
        ("Nails Unlimited", "nails unlimited"),
        ("Folk och fä HB", "folk och fa"),  # "fä" is Swedish for cattle, not a form
        # names whose only words are legal words keep them
        ("Limited", "limited"),
        ("Ltd.", "ltd"),
        ("The Company", "company"),
        ("Co., Ltd.", "co ltd"),
        ("SA Ltd", "sa ltd"),
        ("Oy", "oy"),
        ("Of Ltd", "of ltd"),
        # international forms, alone and stacked where they really stack
        ("Acme S.p.A.", "acme"),
        ("Acme SpA", "acme"),
        ("ACME SPA", "acme"),
        ("Acme, Spa", "acme"),
        ("Foo GmbH & Co. KG", "foo"),
        ("Henkel AG & Co. KGaA", "henkel"),
        ("Müller AG", "muller"),
        ("Dupont de Nemours SA", "dupont de nemours"),
        ("Carrefour SAS", "carrefour"),
        ("Grupo Bimbo S.A. de C.V.", "grupo bimbo"),
        ("Philips Lighting B.V.", "philips lighting"),
        ("Heineken N.V.", "heineken"),
        ("Volvo AB", "volvo"),
        ("Nokia Oy", "nokia"),
        ("Woolworths Pty Ltd", "woolworths"),
        ("Woolworths Pty. Ltd.", "woolworths"),
        ("Baker McKenzie LLP", "baker mckenzie"),
        ("Tesco PLC", "tesco"),
        ("Toyota Motor KK", "toyota motor"),
        ("Samsung Electronics Co., Ltd.", "samsung electronics"),
        ("Infosys Private Limited", "infosys"),
        ("Smith & Co., Inc.", "smith"),
        ("Sony Corporation Limited", "sony"),
        ("Acme Unlimited", "acme unlimited"),
        ("ACME UNLIMITED", "acme"),
]


@pytest.mark.parametrize(("raw", "key"), _FORM_CASES)
def test_legal_form_removed_only_where_it_is_one(raw: str, key: str) -> None:
    assert canonical_name(raw) == key


def test_same_company_same_key_however_its_form_is_written() -> None:
    assert len({canonical_name(n) for n in ("Health Spa", "Health Spa, Limited",
                                            "HEALTH SPA LTD", "Health Spa Ltd.")}) == 1
    assert len({canonical_name(n) for n in ("Acme S.p.A.", "ACME SPA", "Acme SpA",
                                            "Acme, Spa", "Acme")}) == 1
    assert canonical_name("Health Spa, Limited") != canonical_name("Health Ltd")


def test_first_by_canonical_keeps_the_first_spelling_s_client() -> None:
    from alms_toolkit.analysis.names import first_by_canonical

    got = first_by_canonical(["Acme Inc", "ACME, Inc.", "Zeta Ltd", "acme"], ["k1", "k2", "k3", "k4"])
    assert got == {canonical_name("Acme Inc"): "k1", canonical_name("Zeta Ltd"): "k3"}


def test_many_names_read_together_get_the_keys_read_one_at_a_time() -> None:
    """canonical_keys reads thousands of new names through Arrow: every key is the one the
    one-name reading gives, on hostile names built from legal forms, link words, 'the',
    everyday words that spell forms, accents, codes and punctuation."""
    import random

    from alms_toolkit.analysis import names

    rnd = random.Random(7)
    words = ["the", "The", "THE", "and", "&", "+", "Co", "co.", "Ltd", "LTD", "Inc.", "inc", "LLC",
             "GmbH", "& Co. KG", "S.A.", "SpA", "Spa", "spa", "Unlimited", "Limited", "Pty", "plc",
             "AG", "SE", "of", "de", "Acme", "Joe's", "O'Neil", "_x_", "x_y", "Müller", "Café", "Øster",
             "1234", "C-1042", "", "\t", "-", ",", ".", "'", "`", "´", "’", "Private", "Pte", "Corp",
             "Company", "Holdings", "KGaA", "Sp. z o.o.", "BV", "N.V.", "oy", "Total", "Wine", "More"]
    built = {rnd.choice([" ", ", ", "", "  ", "-", "/"]).join(rnd.choice(words) for _ in range(rnd.randint(1, 6)))
             for _ in range(6000)}
    cases = [raw for raw, _ in _CASES + _FORM_CASES]
    corpus = sorted(built) + cases + ["Total Wine & More"]
    names.clear_canonical_cache()
    arrow_keys = names._arrow_keys(corpus)
    got = names.canonical_keys(corpus)
    assert got == [arrow_keys[n] for n in corpus]  # read by Arrow, not one at a time
    assert len(corpus) > 5000
    assert got == [names._canonical(n) for n in corpus]
    assert dict(zip(corpus, got, strict=True)) | dict(_CASES + _FORM_CASES) == dict(zip(corpus, got, strict=True))
    # the keys are remembered: one name read alone afterwards gives the same
    assert [canonical_name(n) for n in cases] == [key for _, key in _CASES + _FORM_CASES]
    # a name Arrow cannot hold (a lone surrogate, text decoded wrongly) or a number: one at a time
    names.clear_canonical_cache()
    odd = ["Bad \udcff text Inc", 1234, *(f"Client {i} LLC" for i in range(3000))]
    assert names.canonical_keys(odd)[:3] == ["bad text", "1234", "client 0"]


def test_numbers_are_not_taken_for_each_other() -> None:
    """1 and 1.0 are one key of a dict: only text is remembered, so each reads as written."""
    import numpy as np

    assert [canonical_name(x) for x in (1.0, 1, np.float64(2.0), 2)] == ["10", "1", "20", "2"]
