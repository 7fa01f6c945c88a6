"""Made-up company and person names for sample clients, and the ways a real ledger
misspells the same company ("Acme Inc." / "ACME, Inc" / "Acme Incorporated" / "Acmee Inc.").

Everything is drawn from small word pools with a seeded ``numpy`` generator, so a seed
always gives the same names. No real company is named on purpose.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["company_names", "person_names", "name_variants", "name_key"]

_SURNAMES = (
    "Abbott Adler Ainsley Alcott Ashford Avery Bancroft Barlow Beckett Bellamy Benning Blackwood "
    "Bradley Brennan Calloway Carver Chandler Colby Conway Crandall Dalton Darby Delaney Dempsey "
    "Donovan Draper Dunmore Eastman Ellison Emerson Everett Fairbanks Farrow Fenwick Fielding "
    "Finch Fletcher Forsyth Galloway Garland Gilmore Goodwin Granger Grayson Hadley Halloran "
    "Harlow Hartley Hawthorne Hayward Holloway Huxley Ingram Jarvis Kendall Kessler Kingsley "
    "Lambert Langford Lawson Lockhart Lowell Maddox Marlowe Mercer Merritt Monroe Morrow Nash "
    "Norwood Oakley Ogden Osborne Paxton Pembroke Prescott Quincy Radcliffe Ramsey Redmond "
    "Riordan Rowland Sawyer Sheffield Sinclair Slater Stanton Sterling Sutton Talbot Thorne "
    "Tillman Underwood Vance Wakefield Waverly Whitaker Whitmore Winslow Wolcott Yardley Zeller"
).split()

_PLACES = (
    "Harbor Point|Cedar Ridge|Maple Grove|River Bend|Lakeside|Oak Hollow|Pine Valley|Stone Bridge|"
    "Willow Creek|Eagle Rock|Bay Shore|Summit|Fox Run|Granite Falls|Silver Lake|Prairie|Northgate|"
    "Westfield|Southport|Eastbrook|Hillcrest|Meadowbrook|Clearwater|Red Oak|Highland|Seaside|"
    "Brookside|Sunset|Riverside|Twin Pines|Golden Valley|Millbrook|Foxhall|Kingsbridge|Ashbury"
).split("|")

_ADJECTIVES = (
    "Blue Copper Golden Silver Iron Crimson Emerald Amber Bright Noble Swift Green Royal Rustic "
    "Urban Coastal Modern Grand Lucky Happy Bold Quiet Wild Little Big True Prime Evergreen"
).split()

_NOUNS = (
    "Heron Kettle Anchor Lantern Oak Falcon Harbor Compass Maple Fox Bear Otter Beacon Arrow "
    "Summit Meadow Bridge Crown Spoon Barrel Ladder Sparrow Willow Pepper Olive Thistle Canyon"
).split()

_INDUSTRY = {
    "media": (
        "Furniture|Auto Group|Motors|Dental|Law|Realty|Home Center|Jewelers|Bistro|Grill|"
        "Pizza|Fitness|Mattress|Insurance|Credit Union|Pharmacy|Roofing|Plumbing|Heating & Air|"
        "Landscaping|Chiropractic|Eye Care|Pet Hospital|Bakery|Brewing|Outfitters|Boutique|"
        "Hardware|Flooring|Travel|Academy|Salon|Dealership|Tire & Auto|Market|Cinema|Marina"
    ).split("|"),
    "services": (
        "Logistics|Manufacturing|Engineering|Analytics|Systems|Software|Consulting|Foods|"
        "Packaging|Health|Labs|Robotics|Energy|Capital|Partners|Construction|Freight|Holdings|"
        "Biotech|Telecom|Plastics|Metals|Aerospace|Textiles|Logistics Services|Data|Security|"
        "Solutions|Industries|Technologies|Supply|Pharma|Medical|Networks|Instruments"
    ).split("|"),
}

_SUFFIXES = ("Inc.", "LLC", "Co.", "Ltd.", "Corp.", "Inc.", "LLC", "Incorporated")

_ACCENTED = (
    "Café Lumière", "Pâtisserie Belle Époque", "Müller Autohaus", "Señor Taco Cantina",
    "Crème de la Crème Bakery", "Björk Design Studio", "Château Rosé Wines", "Zoë's Kitchen & Bar",
    "Frère Jacques Brasserie", "Niño Bonito Toys", "Le Petit Café Noël", "Côte d'Azur Bistro",
)

_CITIES = ("Dallas", "Austin", "Denver", "Tulsa", "Omaha", "Boise")

_FIRST_NAMES = (
    "Dana Morgan Alex Jordan Taylor Casey Riley Jamie Avery Quinn Maria James Priya Daniel "
    "Sofia Marcus Elena Andre Grace Omar Hannah Luis Chloe Ethan Nadia Victor Leah Samuel Mei "
    "Tomas Ingrid Kwame Rosa Felix Amara Owen Lucia Rafael Yuki Noah"
).split()

_LAST_NAMES = (
    "Scott Rivera Chen Patel Okafor Novak Lindqvist Brooks Moreno Fischer Kowalski Nguyen "
    "Haddad Sullivan Ortiz Bauer Tanaka Morales Petrov Walsh Duarte Keller Murphy Santos Ibrahim "
    "Larsen Romano Foster Delgado Yamamoto"
).split()


def name_key(name: str) -> str:
    """A rough identity of a name, used only to keep generated names distinct:
    lower case, no leading 'the', no legal suffix, letters and digits only."""
    s = name.lower().replace("&", " and ")
    s = re.sub(r"[^a-z0-9\u00c0-\u024f ]+", " ", s)
    words = [w for w in s.split() if w not in {"the", "inc", "llc", "co", "ltd", "corp", "incorporated", "and"}]
    return "".join(words)


def _one_name(rng: np.random.Generator, kind: str) -> str:
    industry = _INDUSTRY[kind]
    pick = rng.random()

    def r(pool: tuple[str, ...] | list[str]) -> str:
        return pool[int(rng.integers(len(pool)))]

    if pick < 0.30:
        core = f"{r(_SURNAMES)} {r(industry)}"
    elif pick < 0.45:
        a, b = rng.choice(len(_SURNAMES), 2, replace=False)
        core = f"{_SURNAMES[a]} & {_SURNAMES[b]} {r(industry)}"
    elif pick < 0.65:
        core = f"{r(_PLACES)} {r(industry)}"
    elif pick < 0.80:
        core = f"{r(_ADJECTIVES)} {r(_NOUNS)} {r(industry)}"
    elif pick < 0.88:
        core = f"The {r(_ADJECTIVES)} {r(_NOUNS)}"
    else:
        core = f"{r(_SURNAMES)} {r(_NOUNS)} {r(industry)}"
    if rng.random() < 0.45 and not core.startswith("The "):
        core = f"{core} {r(_SUFFIXES)}"
    return core


def company_names(
    rng: np.random.Generator, n: int, kind: str = "media", *, avoid: set[str] | None = None,
    traps: bool = True,
) -> list[str]:
    """``n`` distinct made-up company names. ``avoid`` holds :func:`name_key` values already
    taken (e.g. the clients, when naming prospects). With ``traps``, the list opens with a few
    names that look alike but are different companies ("First National Bank of Dallas" /
    "... of Austin") and a few accented names (a cp1252 export must keep them)."""
    taken = set(avoid or ())
    out: list[str] = []

    def add(name: str) -> None:
        key = name_key(name)
        if key not in taken and len(out) < n:
            taken.add(key)
            out.append(name)

    if traps:
        for city in _CITIES[: 2 if n < 200 else 3]:
            add(f"First National Bank of {city}")
        order = rng.permutation(len(_ACCENTED))
        for i in order[: max(2, min(len(_ACCENTED), n // 40))]:
            add(_ACCENTED[int(i)])
    attempts = 0
    while len(out) < n:
        attempts += 1
        name = _one_name(rng, kind)
        if attempts > 50 * n + 1000:  # pools exhausted: number the rest
            name = f"{name} {attempts}"
        add(name)
    order = rng.permutation(len(out))
    return [out[int(i)] for i in order]


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct "First Last" names (sellers, decision makers)."""
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        name = f"{_FIRST_NAMES[int(rng.integers(len(_FIRST_NAMES)))]} {_LAST_NAMES[int(rng.integers(len(_LAST_NAMES)))]}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


_SUFFIX_SPELLINGS = {
    "Inc.": ("Inc", ", Inc.", "Incorporated", ", INC"),
    "Incorporated": ("Inc.", ", Inc"),
    "LLC": ("L.L.C.", ", LLC", "Llc"),
    "Co.": ("Company", "Co"),
    "Ltd.": ("Limited", "Ltd"),
    "Corp.": ("Corporation", "Corp"),
}


def _typo(rng: np.random.Generator, word: str) -> str:
    """One keyboard slip inside a word: a doubled, dropped or swapped letter."""
    if len(word) < 4:
        return word + word[-1]
    i = int(rng.integers(1, len(word) - 2))
    kind = int(rng.integers(3))
    if kind == 0:
        return word[: i + 1] + word[i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def name_variants(rng: np.random.Generator, name: str, k: int = 2) -> list[str]:
    """Up to ``k`` other spellings of ``name`` as a ledger would hold them: suffix written
    differently, upper case, "The" added or dropped, "&" vs "and", a typo, words swapped
    ("Vance & Holloway" -> "Holloway & Vance"). The first ones are the same company to any
    careful reader; typos and swaps need a fuzzy match."""
    words = name.split()
    suffix = words[-1] if words[-1] in _SUFFIX_SPELLINGS else None
    core = " ".join(words[:-1]) if suffix else name
    options: list[str] = []
    if suffix:
        alt = _SUFFIX_SPELLINGS[suffix][int(rng.integers(len(_SUFFIX_SPELLINGS[suffix])))]
        options.append(f"{core}{alt}" if alt.startswith(",") else f"{core} {alt}")
    else:
        options.append(f"{name} Inc.")
    options.append(name.upper().replace(".", ""))
    if core.startswith("The "):
        options.append(name[4:])
    else:
        options.append(f"The {name}")
    if "&" in name:
        options.append(name.replace("&", "and"))
        m = re.match(r"^(\S+) & (\S+) (.*)$", name)
        if m:
            options.append(f"{m.group(2)} & {m.group(1)} {m.group(3)}")
    elif " and " in name:
        options.append(name.replace(" and ", " & "))
    core_words = core.split()
    longest = max(range(len(core_words)), key=lambda j: len(core_words[j]))
    typo_words = list(core_words)
    typo_words[longest] = _typo(rng, core_words[longest])
    options.append(" ".join(typo_words) + (f" {suffix}" if suffix else ""))
    options = [o for o in dict.fromkeys(options) if o != name]
    order = rng.permutation(len(options))
    return [options[int(i)] for i in order[:k]]
