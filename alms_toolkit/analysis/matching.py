"""Fuzzy duplicate candidates between canonical client names, in near-linear time.

Names already equal after :func:`~alms_toolkit.analysis.names.canonical_name` are merged
automatically elsewhere (``combine``); this module proposes the *near* misses (typos,
abbreviations, word order) for the consultant to accept or reject.

How (so that the cost grows about linearly with the number of names):

1. **Blocking.** Each name is filed under its two rarest words (document frequency in
   the name set; generic business words and city names, built in or frequent, only when a
   name has nothing rarer) and under every one-letter deletion of those words, so a typo
   in the distinctive word still meets its original. Two sorted-neighbourhood passes
   (words in order with spaces removed, and words sorted) add ``Coca Cola``/``CocaCola``
   and all-generic names. Only names sharing a block are compared.
2. **Prefilter, then bound.** rapidfuzz ``token_set_ratio`` over the pairs, vectorised
   (``cpdist``); then a vectorised upper bound of the score (:mod:`.score_bounds`) drops
   the pairs that cannot reach the threshold (never one that can).
3. **Score** (:func:`match_score`, 0-100): words aligned one to one (equal, the same
   after expanding a common abbreviation such as ``intl``, or one or two typos apart on
   long enough words); the score is the weighted share of aligned words, generic words
   weighing a quarter of a distinctive one. When *both* names keep a word the other lacks
   (``... Bank of Dallas`` / ``... Bank of Austin``, ``North Star`` / ``South Star``), the
   companies differ: the score is capped at :data:`DIFFERENT_WORDS_CAP`.

Numbers and codes (``12345``, ``C-1042``) never match fuzzily: only exactly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .abbreviations import (
    ABBREVIATION_SIMILARITY,
    INITIAL_SIMILARITY,
    TRADE_WORDS,
    abbreviates,
    air_words,
    initials_of,
    join_letters,
    looks_like_person,
)
from .names import is_code_name, legal_terms
from .score_bounds import reachable

__all__ = [
    "find_candidates",
    "match_score",
    "GENERIC_WORDS",
    "CITY_WORDS",
    "ABBREVIATIONS",
    "DIFFERENT_WORDS_CAP",
]

#: Score ceiling for two names that each keep a word the other lacks.
DIFFERENT_WORDS_CAP = 40.0
#: Weight of a generic word against a distinctive one.
GENERIC_WEIGHT = 0.25
#: Below this token_set_ratio a pair is not scored in detail.
PREFILTER = 70.0
#: Sorted-neighbourhood window (neighbours compared after sorting).
WINDOW = 3
#: Words this long forgive two typos.
LONG_WORD = 8
#: A word filed under more blocks than this is not used as a block (too common).
MAX_BLOCK = 400

GENERIC_WORDS = frozenset(
    """
    accounting advisors advisory agency air airlines alliance american apparel architects
    art arts asia assets associates association atlantic auto automotive aviation bakery
    bank bancorp beauty best beverages big bio biotech books brands brothers builders
    building business cafe capital care cars center centre central chemical chemicals
    city clinic club coffee collective communications community computer computers
    construction consultants consulting consumer continental creative credit custom
    dairy data dental design designs development devices digital direct distribution
    distributors east eastern education electric electrical electronics energy engineering
    enterprises entertainment environmental equipment estate europe european events
    express family farm farms fashion federal finance financial first fitness food foods
    foundation fresh fund furniture gallery garden general global gold golden good green
    group health healthcare holding holdings home homes hospitality hotel hotels house
    imports industrial industries information innovations institute instruments insurance
    interactive international investment investments kitchen lab labs land law learning
    leasing life lighting logistics machine machinery management manufacturing marine
    market marketing markets materials media medical metal metals mobile motor motors
    mutual national natural network networks new north northern office oil one online
    packaging pacific partners pharma pharmaceuticals plastics plus power premier pro
    products productions professional properties property publishing quality realty
    red research resources restaurant retail royal sales school security senior services
    service shipping shop smart software solar solutions south southern sports staffing
    star state steel storage store stores studio studios supplies supply support systems
    team tech technical technologies technology telecom textiles the tools total trade
    trading transport transportation travel trust union united universal university
    valley ventures vision water west western wholesale wine wines wireless works world
    """.split()
)

CITY_WORDS = frozenset(
    """
    amsterdam athens atlanta auckland austin baltimore bangkok barcelona beijing berlin
    birmingham boston brisbane brooklyn brussels budapest buenos cairo calgary charlotte
    chicago cincinnati cleveland cologne columbus copenhagen dallas delhi denver detroit
    dubai dublin edinburgh frankfurt geneva glasgow hamburg helsinki houston indianapolis
    istanbul jacksonville jakarta johannesburg kansas lagos leeds lisbon liverpool london
    angeles lyon madrid manchester manila marseille melbourne memphis miami milan
    milwaukee minneapolis montreal moscow mumbai munich nairobi nashville orleans york
    oakland orlando osaka oslo ottawa paris perth philadelphia phoenix pittsburgh portland
    prague rome rotterdam sacramento san seattle seoul shanghai singapore stockholm
    stuttgart sydney taipei tampa tokyo toronto tucson vancouver vienna warsaw washington
    zurich diego francisco jose antonio louis vegas
    """.split()
)

#: Common abbreviations in company names -> the word they stand for.
ABBREVIATIONS = {
    "intl": "international", "int": "international", "internat": "international",
    "natl": "national", "nat": "national", "mfg": "manufacturing", "mfrs": "manufacturers",
    "bros": "brothers", "svc": "services", "svcs": "services", "srvcs": "services",
    "assoc": "associates", "assocs": "associates", "assn": "association",
    "mgmt": "management", "mgt": "management", "tech": "technologies",
    "technology": "technologies", "sys": "systems", "syst": "systems", "dept": "department",
    "ctr": "center", "cntr": "center", "centre": "center", "grp": "group",
    "hldgs": "holdings", "hldg": "holdings", "holding": "holdings", "dist": "distribution",
    "distrib": "distribution", "dev": "development", "devel": "development",
    "eng": "engineering", "engr": "engineering", "engg": "engineering", "ins": "insurance",
    "inv": "investments", "invest": "investments", "prod": "products", "prods": "products",
    "univ": "university", "ent": "enterprises", "ents": "enterprises",
    "entp": "enterprises", "comm": "communications", "comms": "communications",
    "elec": "electric", "equip": "equipment", "fin": "financial", "finl": "financial",
    "indus": "industries", "inds": "industries", "ind": "industries", "labs": "laboratories",
    "lab": "laboratories", "mkt": "market", "mktg": "marketing", "pharm": "pharmaceuticals",
    "pharma": "pharmaceuticals", "prop": "properties", "props": "properties",
    "res": "research", "sci": "sciences", "serv": "services", "servs": "services",
    "sol": "solutions", "sols": "solutions", "sq": "square", "ste": "sainte",
    "mt": "mount", "ft": "fort", "ltd": "limited", "co": "company", "corp": "corporation",
    "ctrs": "centers", "hosp": "hospital", "med": "medical",
    "resto": "restaurant", "transp": "transport",
    "trans": "transport", "whse": "warehouse", "whsl": "wholesale",
}

_STOPWORDS = frozenset("and of the for at in on de la le les des du der die das von van y et und".split())


# ------------------------------------------------------------------------ word level


@lru_cache(maxsize=1)
def _suffix_words() -> frozenset[str]:
    """Single-word legal terms long enough that a typo of one is still recognisable."""
    return frozenset(t[0] for t in legal_terms() if len(t) == 1 and len(t[0]) >= 5)


@lru_cache(maxsize=100_000)
def _looks_like_suffix(word: str) -> bool:
    if len(word) < 5:
        return False
    osa = _osa()
    return any(osa(word, s, score_cutoff=1) <= 1 for s in _suffix_words())


@lru_cache(maxsize=400_000)
def match_words(key: str) -> tuple[str, ...]:
    """A canonical key -> the words compared: runs of one-letter tokens joined (``a c``
    -> ``ac``), abbreviations expanded (``st`` first a saint, else a street), ``a/c`` and
    ``air conditioning`` read ``air`` in a
    trade context, stopwords and a misspelt trailing legal suffix (``incorprated``)
    dropped (never down to nothing)."""
    words = air_words([("saint" if i == 0 else "street") if w == "st" else ABBREVIATIONS.get(w, w)
                       for i, w in enumerate(join_letters(key.split()))])
    kept = [w for w in words if w not in _STOPWORDS]
    words = kept or words
    while len(words) > 1 and _looks_like_suffix(words[-1]):
        words = words[:-1]
    return tuple(words)


def _is_generic(word: str, frequent: frozenset[str]) -> bool:
    return word in GENERIC_WORDS or word in CITY_WORDS or word in frequent


def _word_similarity(a: str, b: str) -> float:
    """1.0 equal; 1 - d/(2*len) when d (edits, transpositions count 1) is 1 on words of 4+
    letters or 2 on words of 8+ (the other 6+); otherwise 0. Words with digits match
    only exactly."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    shortest, longest = (la, lb) if la < lb else (lb, la)
    if shortest < 4 or longest - shortest > 2 or _has_digit(a) or _has_digit(b):
        return 0.0
    d = _osa()(a, b, score_cutoff=2)
    if d == 1 or (d == 2 and shortest >= LONG_WORD - 2 and longest >= LONG_WORD):
        return 1.0 - d / (2 * longest)
    return 0.0


@lru_cache(maxsize=1)
def _osa():  # noqa: ANN202 - rapidfuzz is imported on first use only
    from rapidfuzz.distance import OSA

    return OSA.distance


@lru_cache(maxsize=400_000)
def _has_digit(word: str) -> bool:
    return any(c.isdigit() for c in word)


def _weights(words: tuple[str, ...], frequent: frozenset[str]) -> tuple[float, ...]:
    """Generic words, city names, frequent words and lone letters weigh a quarter."""
    return tuple(GENERIC_WEIGHT if len(w) == 1 or _is_generic(w, frequent) else 1.0
                 for w in words)


#: ``st`` expands to either (see :func:`match_words`): both are words the rules know
_BUILTIN_WORDS = GENERIC_WORDS | TRADE_WORDS | frozenset(ABBREVIATIONS.values()) | {"saint", "street"}


def _builtin_word(word: str) -> bool:
    """A word of the built-in lists (generic, trade, or an abbreviation's expansion)."""
    return word in _BUILTIN_WORDS


def _inexact(a: str, ka: bool, b: str, kb: bool, anchored: bool, person: bool) -> float:
    """Similarity (0-1) of two unequal words, ``ka``/``kb`` telling whether each is a
    known word; 0 when they must not be aligned. A typo, a lone initial, or a shortened
    word (see :mod:`.abbreviations`); in a person's name, unknown words only match
    exactly, and a shortened unknown word needs ``anchored`` (another distinctive word
    of the names equal)."""
    if len(a) == 1 or len(b) == 1:
        letter, word = (a, b) if len(a) == 1 else (b, a)
        ok = len(word) > 1 and word[0] == letter and not _has_digit(word)
        return INITIAL_SIMILARITY if ok else 0.0
    sim = _word_similarity(a, b) if not person or (ka and kb) else 0.0
    if sim > 0 or a[0] != b[0]:
        return sim
    short, long_, k_long = (a, b, kb) if len(a) < len(b) else (b, a, ka)
    if (abbreviates(short, long_) and not _builtin_word(short)
            and (k_long or (anchored and not person))):
        return ABBREVIATION_SIMILARITY
    return 0.0


def _initialisms(wa: tuple[str, ...], ga: tuple[float, ...], left_a: list[int],
                 wb: tuple[str, ...], gb: tuple[float, ...], left_b: list[int],
                 anchored: bool) -> float | None:
    """Weight matched when every word left on both sides is an initialism of a run of
    consecutive words of the other side (``ibm`` / ``international business
    machines``); None when anything would be left over, or when the names share words
    but no distinctive one (``dvh holdings`` / ``deraiger vequu holdings``): the rest
    of the name must agree."""
    if not anchored and len(left_a) < len(wa) and len(left_b) < len(wb):
        return None
    matched = 0.0
    la, lb = list(left_a), list(left_b)
    for short_w, short_g, short_left, long_w, long_g, long_left in (
            (wa, ga, la, wb, gb, lb), (wb, gb, lb, wa, ga, la)):
        for i in list(short_left):
            t = short_w[i]
            n = len(t)
            if not (2 <= n <= 6 and t.isalpha()) or (n == 2 and not anchored):
                continue
            for j in long_left:
                run = list(range(j, j + n))
                if run[-1] < len(long_w) and all(k in long_left for k in run) \
                        and initials_of(long_w[k] for k in run) == t:
                    matched += (short_g[i] + sum(long_g[k] for k in run)) * ABBREVIATION_SIMILARITY
                    short_left.remove(i)
                    for k in run:
                        long_left.remove(k)
                    break
    return matched if not la and not lb else None


def _score_words(wa: tuple[str, ...], ga: tuple[float, ...],
                 wb: tuple[str, ...], gb: tuple[float, ...], person: bool = False) -> float:
    """Aligned-weight share (0-100) of two word tuples with their weights; ``person``:
    one of the names is a person's (unknown words then match only exactly)."""
    if wa == wb:
        return 99.0
    total = sum(ga) + sum(gb)
    if total <= 0:
        return 0.0
    # equal words first (they always win the greedy alignment), then typos, initials
    # and shortened words among the rest
    left_a = list(range(len(wa)))
    left_b = list(range(len(wb)))
    matched = 0.0
    anchored = False
    for i in list(left_a):
        for j in left_b:
            if wa[i] == wb[j]:
                matched += ga[i] + gb[j]
                anchored = anchored or (ga[i] == 1.0 and not _builtin_word(wa[i]))
                left_a.remove(i)
                left_b.remove(j)
                break
    if left_a and left_b:
        pairs = []
        for i in left_a:
            ka = ga[i] < 1.0 or _builtin_word(wa[i])
            for j in left_b:
                kb = gb[j] < 1.0 or _builtin_word(wb[j])
                sim = _inexact(wa[i], ka, wb[j], kb, anchored, person)
                if sim > 0:
                    pairs.append((-sim, i, j))
        pairs.sort()
        for neg, i, j in pairs:
            if i in left_a and j in left_b:
                left_a.remove(i)
                left_b.remove(j)
                matched -= (ga[i] + gb[j]) * neg
    if left_a and left_b and not person and len(left_a) + len(left_b) >= 3:
        extra = _initialisms(wa, ga, left_a, wb, gb, left_b, anchored)
        if extra is not None:
            matched += extra
            left_a, left_b = [], []
    score = 100.0 * matched / total
    if left_a and left_b:
        score = min(score, DIFFERENT_WORDS_CAP)
    return round(score, 1)


def match_score(a: str, b: str, frequent: Iterable[str] = ()) -> float:
    """Similarity (0-100) of two canonical keys; see the module docstring.

    ``frequent`` names words to treat as generic (the frequent words of the name set).
    """
    freq = frequent if isinstance(frequent, frozenset) else frozenset(frequent)
    if a == b:
        return 100.0
    if a.replace(" ", "") == b.replace(" ", ""):
        return 98.0
    wa, wb = match_words(a), match_words(b)
    if not wa or not wb:
        return 0.0
    person = looks_like_person(wa) or looks_like_person(wb)
    return _score_words(wa, _weights(wa, freq), wb, _weights(wb, freq), person)


# ------------------------------------------------------------------------- blocking


@dataclass(frozen=True)
class _Prepared:
    keys: list[str]
    words: list[tuple[str, ...]]
    weights: list[tuple[float, ...]]
    df: Counter
    frequent: frozenset[str]


def _prepare(keys: Sequence[str]) -> _Prepared:
    words = [match_words(k) for k in keys]
    df: Counter[str] = Counter()
    for ws in words:
        df.update(set(ws))
    limit = max(25, int(0.002 * len(keys)))
    frequent = frozenset(w for w, c in df.items() if c > limit)
    # each distinct word's weight once (what :func:`_weights` gives it)
    weight = {w: GENERIC_WEIGHT if len(w) == 1 or _is_generic(w, frequent) else 1.0 for w in df}
    weights = [tuple(map(weight.__getitem__, ws)) for ws in words]
    return _Prepared(list(keys), words, weights, df, frequent)


def _deletions(word: str, two: bool) -> set[str]:
    """One-letter deletions of a word; with ``two``, two-letter ones as well."""
    ones = {word[:k] + word[k + 1 :] for k in range(len(word))}
    if not two:
        return ones
    return ones | {v[:k] + v[k + 1 :] for v in ones for k in range(len(v))}


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct int64 values (a sort and a diff: fast on millions of pair codes)."""
    values = np.sort(values, kind="stable")
    if len(values) == 0:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _pairs_on(left: np.ndarray, right: np.ndarray, key_l: np.ndarray, key_r: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """Inner join on integer keys: all (left[x], right[y]) with key_l[x] == key_r[y]."""
    a = pd.DataFrame({"k": key_l, "a": left})
    b = pd.DataFrame({"k": key_r, "b": right})
    m = a.merge(b, on="k")
    return m["a"].to_numpy(np.int64), m["b"].to_numpy(np.int64)


def _block_pairs(prep: _Prepared) -> np.ndarray:
    """Pairs (i, j) of names filed under the same rare word or a near spelling of it."""
    word_id: dict[str, int] = {}
    two: list[bool] = []
    filed_i: list[int] = []
    filed_w: list[int] = []
    generic = {w: _is_generic(w, prep.frequent) for w in prep.df}  # each distinct word once
    rank = {w: (g, prep.df[w], -len(w), w) for w, g in generic.items()}
    for i, ws in enumerate(prep.words):
        uniq = set(ws)
        ranked = sorted(uniq, key=rank.__getitem__)
        # a name with one distinctive word only meets a double typo of it through that word
        single = sum(not generic[w] for w in uniq) <= 1
        for w in ranked[:2]:
            wid = word_id.setdefault(w, len(word_id))
            if wid == len(two):
                two.append(False)
            two[wid] = two[wid] or single
            filed_i.append(i)
            filed_w.append(wid)
    if not filed_i:
        return np.empty((0, 2), dtype=np.int64)
    fi = np.asarray(filed_i, dtype=np.int64)
    fw = np.asarray(filed_w, dtype=np.int64)
    keep = np.bincount(fw)[fw] <= MAX_BLOCK
    fi, fw = fi[keep], fw[keep]
    # word -> block variants: itself and its deletions (typos forgiven on 4+ letters)
    variant_id: dict[str, int] = {}
    vw: list[int] = []
    vv: list[int] = []
    for w, wid in word_id.items():
        vs = {w}
        if len(w) >= 4 and not _has_digit(w):
            vs |= _deletions(w, two[wid] and len(w) >= LONG_WORD)
        for v in vs:
            vw.append(wid)
            vv.append(variant_id.setdefault(v, len(variant_id)))
    vw_a = np.asarray(vw, dtype=np.int64)
    vv_a = np.asarray(vv, dtype=np.int64)
    keep = np.bincount(vv_a)[vv_a] <= MAX_BLOCK
    vw_a, vv_a = vw_a[keep], vv_a[keep]
    wa, wb = _pairs_on(vw_a, vw_a, vv_a, vv_a)
    code = _sorted_unique(wa * len(word_id) + wb)
    sim_a, sim_b = code // len(word_id), code % len(word_id)
    # names filed under word a x names filed under a similar word b
    ia, wb2 = _pairs_on(fi, sim_b, fw, sim_a)
    ia2, ib = _pairs_on(ia, fi, wb2, fw)
    return np.column_stack([ia2, ib])


def _initial_runs(words: Sequence[tuple[str, ...]]) -> dict[str, list[int]]:
    """The initials of every run of 2-6 consecutive words -> the names (indexes) with it,
    for the initials that are a word of some name (the only ones looked up)."""
    wanted = {w for ws in words for w in ws if 2 <= len(w) <= 6}
    runs: dict[str, list[int]] = {}
    for j, ws in enumerate(words):
        if len(ws) < 2:
            continue
        spelt = initials_of(ws)
        for n in range(2, min(6, len(ws)) + 1):
            for k in range(len(ws) - n + 1):
                if spelt[k : k + n] in wanted:
                    runs.setdefault(spelt[k : k + n], []).append(j)
    return runs


def _initialism_pairs(prep: _Prepared, runs: dict[str, list[int]]) -> np.ndarray:
    """Pairs (i, j) where a word of name i (2-6 letters) spells the initials of a run of
    consecutive words of name j (``ibm`` / ``international business machines``); ``runs``:
    :func:`_initial_runs` of the names."""
    out: list[tuple[int, int]] = []
    for i, ws in enumerate(prep.words):
        for t in set(ws):
            found = runs.get(t) if 2 <= len(t) <= 6 else None
            # a name that is only an initialism meets its expansion when it has one only
            # (``dvh`` and three names spelling d-v-h: which one is meant is a guess)
            limit = 1 if len(ws) == 1 else MAX_BLOCK
            if found and len(found) <= limit:
                out.extend((i, j) for j in found if j != i)
    if not out:
        return np.empty((0, 2), dtype=np.int64)
    return np.asarray(out, dtype=np.int64)


def _neighbourhood_pairs(sort_keys: Sequence[str], window: int) -> np.ndarray:
    order = np.argsort(np.asarray(sort_keys, dtype=object), kind="stable")
    out = [np.column_stack([order[:-k], order[k:]]) for k in range(1, window + 1) if len(order) > k]
    if not out:
        return np.empty((0, 2), dtype=np.int64)
    return np.concatenate(out).astype(np.int64)


def _pair_codes(pairs: np.ndarray, n: int) -> np.ndarray:
    """Distinct unordered pairs of different names as sorted codes ``lo * n + hi``."""
    lo, hi = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    return _sorted_unique(lo[lo != hi] * n + hi[lo != hi])


#: the score of a spelling naming a company and one of its people ("Azure Interior, Brandon
#: Freeman") paired with the company's own spelling: proposed, never merged by itself
CONTACT_SCORE = 95.0
#: a person's name after the last comma of a spelling: one to three capitalised words
_PERSON = re.compile(r"^[A-Z][a-z'\-]+(?: [A-Z][a-z'\-]+){0,2}$")


def contact_candidates(spellings: Sequence[str], keys: Sequence[str], threshold: float = 88.0) -> pd.DataFrame:
    """Candidate pairs (``key_a``, ``key_b``, ``score``, as :func:`find_candidates` gives them)
    of a spelling written as a company and one of its people, as Odoo writes an invoice to a
    contact ("Azure Interior, Brandon Freeman": the text before the last comma is another
    spelling of the ledger, the text after it a person's name: two or three capitalised words,
    or one common given name), with that company's own spelling. Proposed only: the consultant
    decides. ``keys``: each spelling's canonical key."""
    from .abbreviations import GIVEN_NAMES

    key_of = dict(zip(spellings, keys, strict=True))
    pairs: set[tuple[str, str]] = set()
    if threshold <= CONTACT_SCORE:
        for spelling in spellings:
            company, sep, person = str(spelling).rpartition(", ")
            company, person = company.strip(), person.strip()
            if not sep or company not in key_of or not _PERSON.match(person):
                continue
            if len(person.split()) == 1 and person.casefold() not in GIVEN_NAMES:
                continue  # one word: a person only when it is a common given name
            a, b = key_of[company], key_of[spelling]
            if a and b and a != b:
                pairs.add((min(a, b), max(a, b)))
    rows = sorted(pairs)
    return pd.DataFrame({"key_a": pd.Series([a for a, _ in rows], dtype=str),
                         "key_b": pd.Series([b for _, b in rows], dtype=str),
                         "score": pd.Series([CONTACT_SCORE] * len(rows), dtype=float)})


def find_candidates(keys: Sequence[str], threshold: float = 88.0, *, workers: int = -1,
                    between: Callable[[], None] | None = None) -> pd.DataFrame:
    """Fuzzy candidate pairs among distinct canonical keys (``workers``: the threads that
    score the pairs first seen, -1 for one per core; ``between()``: called between the
    search's steps, where it may raise to give the search up: the search ahead's child does
    when other names are asked for, :mod:`.candidate_search`).

    Returns a DataFrame ``key_a``, ``key_b`` (``key_a < key_b``), ``score`` (0-100,
    ``>= threshold``), sorted by score descending then keys. Codes and numbers are left
    out (exact matches only). The input is not changed.
    """
    distinct = sorted({k for k in map(str, keys) if not is_code_name(k)})
    empty = pd.DataFrame({"key_a": pd.Series(dtype=str), "key_b": pd.Series(dtype=str),
                          "score": pd.Series(dtype=float)})
    if len(distinct) < 2:
        return empty
    step = between or (lambda: None)
    prep = _prepare(distinct)
    compact = [k.replace(" ", "") for k in distinct]
    by_words = [" ".join(sorted(ws)) for ws in prep.words]
    pairs = np.concatenate([
        _block_pairs(prep),
        _neighbourhood_pairs(compact, WINDOW),
        _neighbourhood_pairs(by_words, WINDOW),
    ])
    n = len(distinct)
    code = _pair_codes(pairs, n)
    if len(code) == 0:
        return empty
    ia, ib = code // n, code % n
    step()

    from rapidfuzz import fuzz, process

    texts = np.asarray([" ".join(ws) for ws in prep.words], dtype=object)
    quick = process.cpdist(texts[ia].tolist(), texts[ib].tolist(),
                           scorer=fuzz.token_set_ratio, score_cutoff=PREFILTER, workers=workers)
    keep = quick >= PREFILTER
    step()
    # an initialism shares no letters with its words: scored without the prefilter
    runs = _initial_runs(prep.words)
    extra = np.setdiff1d(_pair_codes(_initialism_pairs(prep, runs), n), code[keep], assume_unique=True)
    ia, ib = ia[keep], ib[keep]
    # only the pairs whose score may reach the threshold are scored (a bound, exact-safe)
    same = np.asarray(compact, dtype=object)
    maybe = reachable(prep.words, prep.weights, ia, ib, threshold, DIFFERENT_WORDS_CAP, runs)
    step()
    maybe |= same[ia] == same[ib]
    ia = np.concatenate([ia[maybe], extra // n])
    ib = np.concatenate([ib[maybe], extra % n])
    keep = np.ones(len(ia), dtype=bool)
    rows = []
    words, weights = prep.words, prep.weights
    person = [looks_like_person(ws) for ws in words]
    for i, j in zip(ia[keep].tolist(), ib[keep].tolist(), strict=False):
        a, b = distinct[i], distinct[j]
        if compact[i] == compact[j]:
            s = 98.0
        else:
            s = _score_words(words[i], weights[i], words[j], weights[j], person[i] or person[j])
        if s >= threshold:
            rows.append((a, b, s))
    if not rows:
        return empty
    out = pd.DataFrame(rows, columns=["key_a", "key_b", "score"])
    return out.sort_values(["score", "key_a", "key_b"], ascending=[False, True, True],
                           ignore_index=True)
