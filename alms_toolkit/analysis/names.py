"""Canonical client names: the key under which spellings of one company are the same.

``canonical_name("The ACME, Inc.") == canonical_name("Acme Inc") == "acme"``.

Steps, in order: Unicode NFKC, case-folding, accents folded (NFKD without combining marks,
plus cleanco's map for letters that do not decompose, e.g. ``ø``), apostrophes and dots
dropped (``B's`` -> ``bs``, ``S.A.`` -> ``sa``), other punctuation turned into spaces,
``&`` / ``+`` / ``and`` unified to ``and``, a leading ``the`` removed and the legal form
removed (Inc, LLC, Ltd, GmbH, S.A., plc, ... from cleanco's maintained term list).

A legal form is removed only where it is one (:func:`_strip_suffixes`):

* in suffix position: the last word(s) of the name. Several forms in a row are removed only
  when the earlier ones are forms that stand before another (``Co``, ``& Co``, ``Company``,
  ``Corp``, ``Private``, ``Pte``, ``AG``, ``SE``, ``GmbH``: ``Acme Holdings Co., Ltd.`` ->
  ``acme holdings``, ``Foo GmbH & Co. KG`` -> ``foo``); any other word is the company's
  own, even when it spells a legal form somewhere: ``Health Spa, Limited`` -> ``health
  spa``, ``Spa Road Holdings Ltd`` -> ``spa road holdings``;
* when the rest still names the company: not empty, and not only legal words and link words
  (``and``, ``of``, ...): ``Limited``, ``Co Ltd`` and ``SA Ltd`` keep their words;
* ``Spa`` and ``Unlimited`` are also everyday words: as the last word they are read as the
  form (S.p.A., unlimited company) only when written like one (``SpA``, ``S.p.A.``, capitals:
  ``Acme SpA`` -> ``acme``), and kept when written as a word (``Health Spa`` -> ``health
  spa``, ``Nails Unlimited`` -> ``nails unlimited``); after a comma it is the form
  (``Acme, Spa`` -> ``acme``). An all-capitals ledger cannot tell
  them apart: ``HEALTH SPA`` reads as the form.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import pandas as pd

__all__ = ["canonical_name", "canonical_keys", "canonical_names", "clear_canonical_cache", "first_by_canonical", "legal_terms", "is_code_name", "remember_keys"]

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


#: legal forms that stand before another one (``Co. Ltd``, ``& Co. KG``, ``Private Limited``,
#: ``AG & Co. KGaA``): the only words removed when they are not the last of the name
_LEADING_FORMS = frozenset({
    ("co",), ("and", "co"), ("company",), ("and", "company"), ("corp",), ("corporation",),
    ("private",), ("pte",), ("ag",), ("se",), ("gmbh",),
})
#: legal forms that are also everyday words: read as the form only when written like one
_WORD_FORMS = frozenset({("spa",), ("unlimited",)})
#: words that never name a company alone
_LINK_WORDS = frozenset({"and", "of", "the", "de", "del", "la", "le", "les", "el", "los", "y",
                         "et", "und", "och", "og", "i", "van", "von", "der", "den", "di", "da"})
_LAST_WORD = re.compile(r"([^\W_]|['\u2019\u2018`´.])+(?=[\W_]*$)")


@lru_cache(maxsize=1)
def _quick_forms() -> frozenset[str]:
    """One-word legal forms that are never everyday words (removed without a second look
    when the word before them is the company's own)."""
    return frozenset(t[0] for t in legal_terms() if len(t) == 1 and t not in _WORD_FORMS)


@lru_cache(maxsize=1)
def _form_words() -> frozenset[str]:
    """Every word of a legal form, and the link words: a word before the last that is one of
    these needs :func:`_strip_suffixes`' whole reading."""
    return frozenset({w for t in legal_terms() for w in t} | _LINK_WORDS | {"and"})


def _written_as_word(name: str) -> bool:
    """True when the last word of ``name`` is written like an everyday word (``Spa``,
    ``spa``), not like a legal form (``SpA``, ``S.p.A.``, ``SPA``, or after a comma:
    ``Acme, Spa``)."""
    match = _LAST_WORD.search(name)
    if match is None or name[:match.start()].rstrip().endswith(","):
        return False
    word = match.group(0).rstrip(".")
    if "." in word:
        return False
    return word.islower() or (word[:1].isupper() and word[1:].islower())


def _names_company(tokens: list[str]) -> bool:
    """True when ``tokens`` hold a word that is neither a legal form nor a link word."""
    forms = _single_word_forms()
    return any(t not in forms and t not in _LINK_WORDS for t in tokens)


@lru_cache(maxsize=1)
def _single_word_forms() -> frozenset[str]:
    return frozenset(t[0] for t in legal_terms() if len(t) == 1)


def _strip_suffixes(tokens: list[str], name: str) -> list[str]:
    """Remove the legal form at the end of ``tokens`` (the words of ``name``), see the
    module docstring."""
    index = _terms_by_last_word()
    last = True
    while True:
        for term in index.get(tokens[-1], ()):
            n = len(term)
            if len(tokens) <= n or tuple(tokens[-n:]) != term:
                continue
            if not last and term not in _LEADING_FORMS:
                continue
            if last and term in _WORD_FORMS and _written_as_word(name):
                continue
            if not _names_company(tokens[:-n]):
                continue
            tokens = tokens[:-n]
            break
        else:
            break
        last = False
    # a dangling "and" left by e.g. "Smith and Co Ltd" -> "smith"
    while len(tokens) > 1 and tokens[-1] == "and":
        tokens = tokens[:-1]
    return tokens


#: name -> canonical key, shared by every caller (combine, the list and prospect matching,
#: the fuzzy search); emptied when it reaches this many names (a batch of clients)
_KEYS: dict[str, str] = {}
_KEYS_MAX = 400_000


def clear_canonical_cache() -> None:
    """Forget the canonical keys computed so far (benchmarks time them from cold)."""
    _KEYS.clear()


def canonical_name(name: str) -> str:
    """The matching key of one client name (see the module docstring).

    A name with no letters or digits at all keeps its stripped, case-folded text, so
    two different blank-ish names never share a key with a real one.
    """
    if type(name) is not str:  # 1 and 1.0 are one dict key: only text is remembered
        return _canonical(str(name))
    key = _KEYS.get(name)
    if key is None:
        key = _canonical(name)
        _remember({name: key})
    return key


def remember_keys(names: Sequence[str], keys: Sequence[str]) -> None:
    """Take the canonical keys of ``names`` as worked out elsewhere by this same module (the
    candidate search's child process): :func:`canonical_keys` then finds them known."""
    if len(names) != len(keys):
        raise ValueError(f"{len(names)} names, {len(keys)} keys")
    _remember({n: k for n, k in zip(names, keys, strict=True) if type(n) is str and type(k) is str})


def _remember(keys: dict[str, str]) -> None:
    if len(_KEYS) + len(keys) > _KEYS_MAX:
        _KEYS.clear()
    _KEYS.update(keys)


def _canonical(name: str) -> str:
    tokens = _tokens(name)
    if not tokens:
        return " ".join(_fold(name).split())
    if tokens[0] == "the" and len(tokens) > 1:
        tokens = tokens[1:]
    tokens = _strip_suffixes(tokens, name)
    return " ".join(tokens)


#: below this many new names, one at a time is quicker than setting Arrow up
_ARROW_FROM = 2_000


def canonical_keys(names: Sequence[str]) -> list[str]:
    """:func:`canonical_name` of each of ``names``, in order: the same keys, computed once per
    distinct name. Many new names are read together by Arrow (plain-ASCII names: lower case,
    the dropped and joining characters, the words), and only a name whose last word may be a
    legal form, or whose text is not plain ASCII, goes through :func:`canonical_name`'s
    Python steps."""
    out = list(map(_KEYS.get, names))
    if None not in out:
        return out  # type: ignore[return-value]  # every key known
    missing = [n for n, k in zip(names, out, strict=True) if k is None]
    new = [n for n in dict.fromkeys(missing) if isinstance(n, str)]
    if len(new) >= _ARROW_FROM:
        with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: one name at a time
            _remember(_arrow_keys(new))
            out = list(map(_KEYS.get, names))
    return [k if k is not None else canonical_name(n) for n, k in zip(names, out, strict=True)]


def _arrow_keys(names: list[str]) -> dict[str, str]:
    """Canonical keys of many distinct names (see :func:`canonical_keys`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(names, type=pa.string())
    plain = pc.string_is_ascii(arr).to_numpy(zero_copy_only=False)
    text = pc.ascii_lower(arr.filter(plain))
    text = pc.replace_substring_regex(text, r"['`.]", "")  # _DROP's plain-ASCII characters
    text = pc.replace_substring_regex(text, r"[&+]", " and ")
    text = pc.utf8_trim(pc.replace_substring_regex(text, r"[^a-z0-9]+", " "), " ")  # _NON_WORD
    words = pc.if_else(pc.starts_with(text, "the "), pc.utf8_slice_codeunits(text, 4), text)
    last = pc.replace_substring_regex(words, r"^.* ", "")
    rest = pc.replace_substring_regex(words, r" [^ ]+$", "")  # every word but the last
    # the common legal form: one word (Inc, LLC) after a word that is the company's own (no
    # legal or link word): removed at once; any other last word of a legal form by hand
    quick = pc.and_(pc.and_(pc.is_in(last, value_set=pa.array(sorted(_quick_forms()))), pc.match_substring(words, " ")),
                    pc.invert(pc.is_in(pc.replace_substring_regex(rest, r"^.* ", ""), value_set=pa.array(sorted(_form_words())))))
    by_hand = pc.or_(pc.is_in(last, value_set=pa.array([*_terms_by_last_word(), "and"])), pc.equal(words, ""))
    how = pc.if_else(quick, 1, pc.if_else(by_hand, 2, 0)).to_numpy(zero_copy_only=False)
    out: dict[str, str] = {}
    plain_names = [n for n, p in zip(names, plain, strict=True) if p]
    for name, key, cut, h in zip(plain_names, words.to_pylist(), rest.to_pylist(), how, strict=True):
        if h == 0:
            out[name] = key
        elif h == 1:
            out[name] = cut
        elif key:
            out[name] = " ".join(_strip_suffixes(key.split(" "), name))
        else:
            out[name] = _canonical(name)
    out.update((n, _canonical(n)) for n, p in zip(names, plain, strict=True) if not p)
    return out


def first_by_canonical(names: Iterable[str], keys: Iterable[str]) -> dict[str, str]:
    """Canonical name -> the key of the first of ``names`` (paired with ``keys``) that has it:
    how a name written elsewhere (an account list, a prospect, a decision) finds its client
    when no spelling of the ledger is written that way."""
    canon = canonical_keys(list(names))
    given = list(keys)
    if len(given) != len(canon):
        raise ValueError(f"{len(canon)} names, {len(given)} keys")
    # built from the end, so that the first name of each canonical name writes last
    return dict(zip(reversed(canon), reversed(given), strict=True))


def canonical_names(names: pd.Series) -> pd.Series:
    """Vectorised :func:`canonical_name`: computed once per distinct name, same index."""
    uniques = list(pd.unique(names.astype(str)))
    mapping = dict(zip(uniques, canonical_keys(uniques), strict=True))
    return names.astype(str).map(mapping).rename(names.name)


def is_code_name(key: str) -> bool:
    """True when a canonical key is a number or code (``12345``, ``c 1042``, ``ab1234``):
    such names only ever match exactly (no fuzzy candidates between different IDs)."""
    compact = key.replace(" ", "")
    if compact.isalpha():  # letters only (most names): answered at once
        return False
    if not compact:
        return True
    digits = sum(ch.isdigit() for ch in compact)
    return digits * 2 >= len(compact) or (digits > 0 and " " not in key and len(compact) <= 4)
