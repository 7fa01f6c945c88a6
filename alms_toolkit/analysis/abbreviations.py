"""How company names are shortened: the word-level judgments the fuzzy matcher uses.

Kept apart from :mod:`.matching` (blocking and scoring) because these are rules about
*language*, each with its guard:

- **Symbols and one-letter tokens.** A run of one-letter tokens is one initialism
  (``A/C`` -> ``a c`` -> ``ac``, ``I B M`` -> ``ibm``). In a trade context (heating,
  cooling, plumbing, or after ``&``/``and``) ``ac`` and ``air conditioning`` are written
  ``air``, so ``Heating and Air``, ``Heating & A/C`` and ``Heating & Air Conditioning``
  read alike. (``&``/``+``/``and`` are already one word in the canonical key.)
- **A shortened word** (:func:`abbreviates`): a word of 3+ letters that is the start of
  the other side's word (``phys`` / ``physical``, ``assoc`` / ``associates``), or a
  consonant skeleton of it (``mfg`` / ``manufacturing``, ``svcs`` / ``services``,
  ``mgmt`` / ``management``, ``natl`` / ``national``). The short form must not itself be
  a known word (``art`` is not short for ``artisans``) and must be clearly shorter.
- **Initialisms** (:func:`initials_of`): ``ibm`` stands for a run of words whose initials
  it spells; the matcher accepts it only when every other word of both names agrees.
- **Judgment** (:func:`is_known_word`, :func:`looks_like_person`): a shortened word is
  read as an abbreviation freely when the long word is a known word (a generic business
  word, a trade word, a word the built-in list expands to, or a word frequent in the
  client's own names); a shortened *unknown* word (a brand, a surname) needs another
  distinctive word of the name to agree exactly. In a person's name (a title such as
  ``Dr``, or a common given name first or last) unknown words match only exactly, so
  ``Johnson, Mark`` / ``Johnston, Mark`` and ``Dr Ann Petersen`` / ``Dr Ann Peters``
  stay two people.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "TRADE_WORDS",
    "GIVEN_NAMES",
    "TITLES",
    "join_letters",
    "abbreviates",
    "initials_of",
    "is_known_word",
    "looks_like_person",
]

#: Similarity given to a shortened word aligned with its full form.
ABBREVIATION_SIMILARITY = 0.9
#: Similarity given to a one-letter token aligned with a word it is the initial of.
INITIAL_SIMILARITY = 0.75

#: Descriptive words of small-business names (beside matching.GENERIC_WORDS) that are
#: commonly shortened: a prefix of one of these is read as an abbreviation.
TRADE_WORDS = frozenset(
    """
    academy accessories administration agricultural ambulance animal apartments
    appliance appliances architecture associated attorneys audio automation bakeries
    barbers beverage boutique brewing brokerage brokers building cabinets carpentry
    catering chiropractic chiropractor cleaners cleaning clinical collision commercial
    conditioning consolidated contractors contracting cooling corporate cosmetic
    counseling dentistry department dermatology diagnostic diagnostics distributing
    electronic emergency engineers equities exchange excavating exterminating
    facilities family fabrication funeral general government graphics hardware heating
    hospital hospitals imaging improvement independent installation institutional
    instrument landscape landscaping laboratories laboratory liquors machines
    maintenance manufacturers mechanical memorial merchandise municipal neurology
    nutrition nursing optical optometry orthodontics orthopedic orthopedics painting
    pathology pediatric pediatrics pharmacy photography physical physician physicians
    physics plumbing precision printing psychiatric psychology radiology recreation
    refrigeration regional rehabilitation remodeling rentals repair residential roofing
    sanitation scientific sciences specialties specialty surgery surgical surgeons
    therapeutics therapy transit transportation treatment upholstery veterinary
    warehouse welding wellness
    """.split()
)

#: Honorifics and post-nominals: a name carrying one is a person.
TITLES = frozenset("dr mr mrs ms miss mx prof rev sir dame jr sr esq dds dmd phd cpa".split())

#: Common given names: one first or last in a name marks it as a person's.
GIVEN_NAMES = frozenset(
    """
    aaron adam alan albert alex alexander alice amanda amy andrew angela ann anna anne
    anthony arthur barbara benjamin betty beverly bill billy bob bobby brandon brenda brian
    bruce bryan carl carol carolyn catherine charles cheryl christina christine
    christopher cynthia daniel david deborah debra dennis diana diane donald donna doris
    dorothy douglas dylan edward elizabeth emily emma eric ethan eugene evelyn frances
    frank gabriel gary george gerald gloria grace gregory hannah harold heather helen
    henry jack jacob james jane janet janice jason jean jeffrey jennifer jeremy jerry
    jesse jessica joan joe john johnny jonathan jose joseph joshua joyce juan judith judy
    julia julie justin karen katherine kathleen kathryn keith kelly kenneth kevin kimberly
    kyle larry laura lauren lawrence linda lisa logan louis madison margaret maria marie
    marilyn mark martha mary matthew megan melissa michael michelle mike nancy natalie
    nicholas nicole noah olivia pamela patricia patrick paul peter philip rachel ralph
    randy raymond rebecca richard robert roger ronald rose roy russell ruth ryan samantha
    samuel sandra sara sarah scott sean sharon shirley sophia stephanie stephen steve
    steven susan teresa terry theresa thomas timothy tom tyler victoria vincent virginia
    walter wayne william willie zachary
    """.split()
)

#: Where ``ac`` means air conditioning.
_AIR_CONTEXT = frozenset("and heating cooling plumbing refrigeration hvac electric electrical".split())


def join_letters(tokens: Iterable[str]) -> list[str]:
    """Runs of two or more one-letter tokens become one initialism (``a c`` -> ``ac``);
    a lone letter stays."""
    tokens = list(tokens)
    if all(len(t) > 1 for t in tokens):
        return tokens
    out: list[str] = []
    run: list[str] = []
    for t in [*tokens, ""]:
        if len(t) == 1 and t.isalpha():
            run.append(t)
            continue
        if run:
            out.extend(["".join(run)] if len(run) > 1 else run)
            run = []
        if t:
            out.append(t)
    return out


def air_words(tokens: list[str]) -> list[str]:
    """``ac`` (from ``A/C``) and ``air conditioning`` -> ``air`` in a trade context."""
    if "ac" not in tokens and "conditioning" not in tokens:
        return tokens
    context = any(t in _AIR_CONTEXT for t in tokens)
    out: list[str] = []
    for t in tokens:
        if t == "conditioning" and out and out[-1] == "air":
            continue
        out.append("air" if t == "ac" and context else t)
    return out


def is_known_word(word: str, generic: frozenset[str], frequent: frozenset[str]) -> bool:
    """A word of the language of company names (not a brand or a surname)."""
    return word in generic or word in TRADE_WORDS or word in frequent


@lru_cache(maxsize=200_000)
def _vowels(word: str) -> int:
    return sum(c in "aeiouy" for c in word)


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


@lru_cache(maxsize=400_000)
def abbreviates(short: str, long: str) -> bool:
    """``short`` reads as a shortening of ``long``: its start (3+ letters, 2+ letters
    shorter) or its consonant skeleton (at most one vowel, same first letter, 3+ letters
    shorter). Letters only; a word never abbreviates itself."""
    if not (short.isalpha() and long.isalpha()) or len(short) < 3:
        return False
    if len(long) - len(short) < 2 or short[0] != long[0]:
        return False
    if long.startswith(short):
        return True
    return (len(long) - len(short) >= 3 and _vowels(short) <= 1
            and short[-1] in long[1:] and _is_subsequence(short, long))


def initials_of(words: Iterable[str]) -> str:
    return "".join(w[0] for w in words)


@lru_cache(maxsize=400_000)
def looks_like_person(words: tuple[str, ...]) -> bool:
    """A title anywhere, or a common given name first or last (``mark johnson``,
    ``johnson mark``)."""
    if any(w in TITLES for w in words):
        return True
    return len(words) >= 2 and (words[0] in GIVEN_NAMES or words[-1] in GIVEN_NAMES)
