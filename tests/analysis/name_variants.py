"""A deterministic, labelled set of company-name variants for measuring duplicate matching.

Used by tests/analysis/test_matching.py (small sets) and benchmarks/bench_matching.py
(100k names). Every name belongs to a *family* (one real company); a family has a base
name and variants of two kinds:

- ``auto`` variants must reach the same canonical name (case, punctuation, another
  legal suffix, a leading "The", "&" written "and"): merged automatically;
- ``fuzzy`` variants must be proposed as candidates (one or two typos, an abbreviation
  such as Intl/Mfg/Bros, two words swapped).

Hard negatives are separate families built to look alike: same generic words and one
shared distinctive word but another one different ("Smith & Jones Media" / "Smith &
Brown Media"), a bank in another city ("First National Bank of Dallas" / "... of Austin"),
"North Star Media" / "South Star Media", and "North Star Media" / "South Star Media".

Distinctive words are generated pseudo-words, kept at least 3 edits apart from each other
(except where a hard negative wants them alike), so the truth is unambiguous.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_ONSETS = "b br c ch cl d dr f fl g gr h j k kr l m n p pr qu r s sh st t tr v w z".split()
_VOWELS = "a e i o u ai ea ou y".split()
_CODAS = ["", "", "", "n", "r", "l", "s", "x", "m", "nd", "rt", "st", "ck"]

GENERIC = ["Media", "Group", "Services", "Logistics", "Foods", "Systems", "Partners",
           "Consulting", "Industries", "Holdings", "Trading", "Supply", "Design", "Energy",
           "Capital", "Solutions", "Marketing", "Properties", "Motors", "Electric"]
#: generic word -> abbreviations used by the "abbreviation" variants
ABBREVIABLE = {"International": ["Intl", "Int'l", "Intl."], "Manufacturing": ["Mfg", "Mfg."],
               "Brothers": ["Bros", "Bros."], "Services": ["Svcs", "Svc"],
               "Associates": ["Assoc", "Assocs"], "Management": ["Mgmt", "Mgt"],
               "Holdings": ["Hldgs"], "Distribution": ["Dist", "Distrib"],
               "Technologies": ["Tech"], "Engineering": ["Eng", "Engr"]}
SUFFIXES = ["Inc", "Inc.", "LLC", "Ltd", "Ltd.", "Limited", "Corp", "Corporation",
            "GmbH", "S.A.", "plc", "Co.", "Incorporated", "L.L.C."]
CITIES = ["Dallas", "Austin", "Houston", "Denver", "Boston", "Chicago", "Seattle", "Miami",
          "Atlanta", "Phoenix", "Portland", "Detroit"]
ORDINALS = ["First", "Second", "Third", "Citizens", "Peoples", "Farmers"]
INSTITUTIONS = ["National Bank", "Savings Bank", "Trust Company", "Credit Union",
                "State Bank", "Federal Savings"]


def pseudo_word(rng: random.Random, syllables: tuple[int, int] = (2, 3)) -> str:
    n = rng.randint(*syllables)
    parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(n)]
    return ("".join(parts) + rng.choice(_CODAS)).capitalize()


def _far_words(rng: random.Random, n: int, avoid: Iterable[str] = (), mutual: bool = True) -> list[str]:
    """n distinct pseudo-words of 5+ letters, each 3+ edits from every word of ``avoid``
    and (``mutual``) from each other."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import cdist, extractOne

    avoid_l = sorted({w.lower() for w in avoid})
    seen = set(avoid_l)
    out: list[str] = []
    taken: list[str] = []
    while len(out) < n:
        batch = []
        for _ in range(max(64, (n - len(out)) * 2)):
            w = pseudo_word(rng)
            if len(w) >= 5 and w.lower() not in seen:
                seen.add(w.lower())
                batch.append(w)
        low = [w.lower() for w in batch]
        if avoid_l:
            near = cdist(low, avoid_l, scorer=OSA.distance, score_cutoff=2, workers=-1)
            bad = (near <= 2).any(axis=1)
        else:
            bad = [False] * len(low)
        for w, lw, is_bad in zip(batch, low, bad, strict=True):
            if is_bad or len(out) >= n:
                continue
            if mutual and taken and extractOne(lw, taken, scorer=OSA.distance, score_cutoff=2):
                continue
            out.append(w)
            taken.append(lw)
    return out


# ------------------------------------------------------------------------ variants


def typo(rng: random.Random, word: str) -> str:
    """One random edit (substitute, insert, delete, swap neighbours) inside the word."""
    letters = "abcdefghiklmnoprstuvwy"
    k = rng.randrange(1, len(word) - 1)  # keep the first letter (people rarely miss it)
    kind = rng.choice(["sub", "ins", "del", "swap"])
    lower = word[k].islower()
    c = rng.choice(letters)
    c = c if lower else c.upper()
    if kind == "sub":
        while c.lower() == word[k].lower():
            c = rng.choice(letters)
        return word[:k] + c + word[k + 1 :]
    if kind == "ins":
        return word[:k] + c + word[k:]
    if kind == "del":
        return word[:k] + word[k + 1 :]
    if word[k] == word[k + 1]:
        return word[:k] + c + word[k + 1 :]
    return word[:k] + word[k + 1] + word[k] + word[k + 2 :]


@dataclass(frozen=True)
class LabelledSet:
    names: tuple[str, ...]
    family: Mapping[str, int]           # name -> family id
    kind: Mapping[str, str]             # name -> "base" / "auto:<how>" / "fuzzy:<how>" / "negative"
    base: Mapping[int, str]             # family id -> base name
    words: tuple[str, ...] = field(default=())  # the distinctive words used (to keep others away)


class _Builder:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.family: dict[str, int] = {}
        self.kind: dict[str, str] = {}
        self.base: dict[int, str] = {}

    def add(self, fam: int, name: str, kind: str) -> bool:
        name = " ".join(name.split())
        if name in self.family or (kind not in ("base", "negative") and fam not in self.base):
            return False
        self.names.append(name)
        self.family[name] = fam
        self.kind[name] = kind
        if kind in ("base", "negative"):
            self.base[fam] = name
        return True


def _auto_variants(rng: random.Random, core: str, suffix: str | None) -> list[tuple[str, str]]:
    out = []
    sfx = f" {suffix}" if suffix else ""
    out.append(("auto:case", (core + sfx).upper()))
    other = rng.choice([s for s in SUFFIXES if s != suffix])
    out.append(("auto:suffix", f"{core}, {other}"))
    out.append(("auto:the", f"The {core}{sfx}"))
    if " & " in core:
        out.append(("auto:and", core.replace(" & ", " and ") + sfx))
    out.append(("auto:punct", core.replace(" ", "  ") + (f", {suffix}" if suffix else ".")))
    return out


def _fuzzy_variants(rng: random.Random, core_words: list[str], distinct: list[int],
                    suffix: str | None) -> list[tuple[str, str]]:
    sfx = f" {suffix}" if suffix else ""
    out = []
    long_ix = [i for i in distinct if len(core_words[i]) >= 5]
    if long_ix:
        w = core_words.copy()
        i = rng.choice(long_ix)
        w[i] = typo(rng, w[i])
        out.append(("fuzzy:typo", " ".join(w) + sfx))
        w = core_words.copy()
        if len(long_ix) >= 2:
            i, j = rng.sample(long_ix, 2)
            w[i], w[j] = typo(rng, w[i]), typo(rng, w[j])
            out.append(("fuzzy:2 typos", " ".join(w) + sfx))
        elif len(core_words[long_ix[0]]) >= 8:
            i = long_ix[0]
            first = typo(rng, w[i])
            w[i] = typo(rng, first)
            out.append(("fuzzy:2 typos", " ".join(w) + sfx))
    for i, word in enumerate(core_words):
        if word in ABBREVIABLE:
            w = core_words.copy()
            w[i] = rng.choice(ABBREVIABLE[word])
            out.append(("fuzzy:abbreviation", " ".join(w) + sfx))
            break
    if "&" in core_words:
        k = core_words.index("&")
        w = core_words.copy()
        w[k - 1], w[k + 1] = w[k + 1], w[k - 1]
        out.append(("fuzzy:word order", " ".join(w) + sfx))
    elif len(distinct) >= 2:
        w = core_words.copy()
        i, j = distinct[0], distinct[1]
        w[i], w[j] = w[j], w[i]
        out.append(("fuzzy:word order", " ".join(w) + sfx))
    return out


def labelled_set(n_families: int = 60, seed: int = 7, avoid: Iterable[str] = ()) -> LabelledSet:
    """``n_families`` companies with their variants, plus hard-negative look-alikes."""
    rng = random.Random(seed)
    words = _far_words(rng, n_families * 3 + 20, avoid)
    pool = iter(words)
    b = _Builder()
    fam = 0
    for k in range(n_families):
        shape = k % 5
        suffix = rng.choice(SUFFIXES + [None, None])
        if shape == 0:    # "Velmor Logistics"
            core = [next(pool), rng.choice(GENERIC)]
            distinct = [0]
        elif shape == 1:  # "Smith & Jones Media"
            core = [next(pool), "&", next(pool), rng.choice(GENERIC)]
            distinct = [0, 2]
        elif shape == 2:  # "Velmor Kastel Brothers"/"... International"
            core = [next(pool), next(pool), rng.choice(list(ABBREVIABLE))]
            distinct = [0, 1]
        elif shape == 3:  # "Velmoraxon" alone
            core = [next(pool) + next(pool).lower()[:3]]
            distinct = [0]
        else:             # "Kastel International Manufacturing"
            core = [next(pool), rng.choice(list(ABBREVIABLE)), rng.choice(GENERIC)]
            distinct = [0]
        core_s = " ".join(core)
        b.add(fam, core_s + (f" {suffix}" if suffix else ""), "base")
        for how, name in _auto_variants(rng, core_s, suffix):
            b.add(fam, name, how)
        for how, name in _fuzzy_variants(rng, core, distinct, suffix):
            b.add(fam, name, how)
        fam += 1
        # hard negatives: same shape, one distinctive word replaced
        if shape in (1, 2):
            neg = core.copy()
            neg[distinct[-1]] = next(pool)
            b.add(fam, " ".join(neg), "negative")
            fam += 1
    # banks in different cities and directions: all generic words
    for k in range(max(2, n_families // 10)):
        ordinal = ORDINALS[k % len(ORDINALS)]
        inst = INSTITUTIONS[(k // len(ORDINALS)) % len(INSTITUTIONS)]
        c1, c2 = rng.sample(CITIES, 2)
        base = f"{ordinal} {inst} of {c1}"
        if f"{ordinal} {inst} of {c2}" in b.family or not b.add(fam, base, "base"):
            continue
        b.add(fam, base.upper(), "auto:case")
        words_ = base.split()
        words_[1] = typo(rng, words_[1]) if len(words_[1]) >= 5 else words_[1]
        b.add(fam, " ".join(words_), "fuzzy:typo")
        fam += 1
        b.add(fam, f"{ordinal} {inst} of {c2}", "negative")
        fam += 1
    star = next(pool)
    for direction in ("North", "South", "East", "West"):
        b.add(fam, f"{direction} {star} Media", "negative")
        fam += 1
    return LabelledSet(tuple(b.names), b.family, b.kind, b.base, tuple(words))


def background_names(n: int, seed: int = 11, avoid: Iterable[str] = ()) -> list[str]:
    """n distinct unlabelled company names (for scale), built from words far from avoid."""
    rng = random.Random(seed)
    vocab = _far_words(rng, max(200, n // 3), avoid, mutual=False)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        shape = rng.random()
        w1, w2 = rng.choice(vocab), rng.choice(vocab)
        if shape < 0.35:
            name = f"{w1} {rng.choice(GENERIC)}"
        elif shape < 0.55:
            name = f"{w1} & {w2} {rng.choice(GENERIC)}"
        elif shape < 0.75:
            name = f"{w1} {w2} {rng.choice(GENERIC + list(ABBREVIABLE))}"
        elif shape < 0.85:
            name = f"{rng.choice(CITIES)} {w1} {rng.choice(GENERIC)}"
        elif shape < 0.95:
            name = f"{w1} {rng.choice(CITIES)}"
        else:
            name = w1
        if rng.random() < 0.5:
            name += " " + rng.choice(SUFFIXES)
        from alms_toolkit.analysis.names import canonical_name

        key = canonical_name(name)
        if key in seen:
            continue
        seen.add(key)
        out.append(name)
    return out


# ------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Metrics:
    auto_pairs: int
    auto_precision: float
    candidates: int          # candidate pairs touching a labelled name
    candidate_precision: float
    fuzzy_variants: int
    recall: float
    missed: tuple[str, ...]
    false: tuple[tuple[str, str], ...]


def evaluate(labelled: LabelledSet, key_of: Mapping[str, str],
             candidate_pairs: Iterable[tuple[str, str]]) -> Metrics:
    """Precision of auto merges and of candidates, recall of fuzzy variants.

    ``key_of``: every name -> its canonical key; ``candidate_pairs``: (key_a, key_b).
    A fuzzy variant is recalled when candidate edges connect its key to its base's key.
    """
    fams_of_key: dict[str, set[int]] = {}
    names_of_key: dict[str, list[str]] = {}
    for name in labelled.names:
        k = key_of[name]
        fams_of_key.setdefault(k, set()).add(labelled.family[name])
        names_of_key.setdefault(k, []).append(name)
    auto_total = auto_ok = 0
    for names in names_of_key.values():
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                auto_total += 1
                auto_ok += labelled.family[names[i]] == labelled.family[names[j]]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    n_cand = n_ok = 0
    false: list[tuple[str, str]] = []
    for a, b in candidate_pairs:
        fa, fb = fams_of_key.get(a), fams_of_key.get(b)
        if fa is None and fb is None:
            continue
        n_cand += 1
        if fa is not None and fb is not None and fa == fb and len(fa) == 1:
            n_ok += 1
            parent[find(a)] = find(b)
        else:
            false.append((a, b))
    fuzzy = [n for n in labelled.names if labelled.kind[n].startswith("fuzzy")]
    missed = [n for n in fuzzy
              if find(key_of[n]) != find(key_of[labelled.base[labelled.family[n]]])]
    return Metrics(
        auto_pairs=auto_total,
        auto_precision=auto_ok / auto_total if auto_total else 1.0,
        candidates=n_cand,
        candidate_precision=n_ok / n_cand if n_cand else 1.0,
        fuzzy_variants=len(fuzzy),
        recall=1 - len(missed) / len(fuzzy) if fuzzy else 1.0,
        missed=tuple(missed),
        false=tuple(false),
    )
