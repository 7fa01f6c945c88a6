"""Canonical client names: the key under which spellings of one company are the same.

``canonical_name("The ACME, Inc.") == canonical_name("Acme Inc") == "acme"``.

Steps, in order: Unicode NFKC, case-folding, accents folded (NFKD without combining marks,
plus cleanco's map for letters that do not decompose, e.g. ``ø``), apostrophes and dots
dropped (``B's`` -> ``bs``, ``S.A.`` -> ``sa``), other punctuation turned into spaces,
``&`` / ``+`` / ``and`` unified to ``and``, a leading ``the`` removed and legal-form
suffixes removed (Inc, LLC, Ltd, GmbH, S.A., plc, ... from cleanco's maintained term list,
several in a row: ``Acme Holdings Co Ltd`` -> ``acme holdings``). A step that would leave
nothing is not applied, so a name that is only a suffix or only "The" keeps its words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

__all__ = ["canonical_name", "canonical_names", "legal_terms", "is_code_name"]

_DROP = re.compile(r"['\u2019\u2018`´.]")  # apostrophes and dots join: B's -> bs, S.A. -> sa
_AND = re.compile(r"[&+]")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _fold(text: str) -> str:
    """NFKC, casefold, accents folded (letters only, no combining marks)."""
    from cleanco.non_nfkd_map import NON_NFKD_MAP

    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    out = []
    for ch in decomposed:
        if unicodedata.category(ch) == "Mn":
            continue
        out.append(NON_NFKD_MAP.get(ch, ch))
    return "".join(out).casefold()


def _tokens(text: str) -> list[str]:
    """Folded text -> word tokens with '&'/'+'/'and' unified to 'and'."""
    text = _DROP.sub("", _fold(text))
    text = _AND.sub(" and ", text)
    return [t for t in _NON_WORD.split(text) if t]


@lru_cache(maxsize=1)
def legal_terms() -> tuple[tuple[str, ...], ...]:
    """cleanco's legal-form terms, normalised like names, longest first (as token tuples)."""
    from cleanco.clean import get_unique_terms

    terms = {tuple(_tokens(t)) for t in get_unique_terms()}
    terms.discard(())
    return tuple(sorted(terms, key=lambda t: (-len(t), t)))


@lru_cache(maxsize=1)
def _terms_by_last_word() -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for term in legal_terms():  # longest first, kept in that order per last word
        index.setdefault(term[-1], []).append(term)
    return {k: tuple(v) for k, v in index.items()}


def _strip_suffixes(tokens: list[str]) -> list[str]:
    index = _terms_by_last_word()
    changed = True
    while changed:
        changed = False
        for term in index.get(tokens[-1], ()):
            n = len(term)
            if len(tokens) > n and tuple(tokens[-n:]) == term:
                tokens = tokens[:-n]
                changed = True
                break
    # a dangling "and" left by e.g. "Smith and Co" -> "smith"
    while len(tokens) > 1 and tokens[-1] == "and":
        tokens = tokens[:-1]
    return tokens


@lru_cache(maxsize=200_000)
def canonical_name(name: str) -> str:
    """The matching key of one client name (see the module docstring).

    A name with no letters or digits at all keeps its stripped, case-folded text, so
    two different blank-ish names never share a key with a real one.
    """
    tokens = _tokens(str(name))
    if not tokens:
        return " ".join(_fold(str(name)).split())
    if tokens[0] == "the" and len(tokens) > 1:
        tokens = tokens[1:]
    tokens = _strip_suffixes(tokens)
    return " ".join(tokens)


def canonical_names(names: pd.Series) -> pd.Series:
    """Vectorised :func:`canonical_name`: computed once per distinct name, same index."""
    uniques = pd.unique(names.astype(str))
    mapping = {u: canonical_name(u) for u in uniques}
    return names.astype(str).map(mapping).rename(names.name)


def is_code_name(key: str) -> bool:
    """True when a canonical key is a number or code (``12345``, ``c 1042``, ``ab1234``):
    such names only ever match exactly (no fuzzy candidates between different IDs)."""
    compact = key.replace(" ", "")
    if not compact:
        return True
    digits = sum(ch.isdigit() for ch in compact)
    return digits * 2 >= len(compact) or (digits > 0 and " " not in key and len(compact) <= 4)
