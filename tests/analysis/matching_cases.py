"""A labelled set of real-world style name pairs, per variant class, for duplicate matching.

Each *planted* pair is two spellings of one client, filed under the way it was shortened
or varied (abbreviated word, initialism, symbol, A/C, legal suffix, typo, word order).
Each *hard negative* is two different clients that look alike the way real ledgers make
them look alike: a bank in another city, two people whose surnames share a prefix, a
franchise number, North/South, a shared prefix that is not an abbreviation.

:func:`evaluate` runs a candidate finder over all the names at once (optionally among
background names) and reports recall and precision per class. Used by
tests/analysis/test_matching_cases.py and benchmarks/bench_matching.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

PLANTED: dict[str, list[tuple[str, str]]] = {
    "abbreviated word": [
        ("Smith Physical Therapy", "Smith Phys Therapy"),
        ("Lakeside Medical Center", "Lakeside Med. Ctr."),
        ("Harmon Associates", "Harmon Assoc."),
        ("Riverbend Hospital", "Riverbend Hosp."),
        ("Carver Department Store", "Carver Dept. Store"),
        ("Delgado Manufacturing Inc", "Delgado Mfg Inc"),
        ("Whitfield Management Group", "Whitfield Mgmt Group"),
        ("Brennan Services LLC", "Brennan Svcs LLC"),
        ("Okafor Brothers Trucking", "Okafor Bros. Trucking"),
        ("Pinecrest National Bank", "Pinecrest Natl Bank"),
        ("Hollis Technologies", "Hollis Tech"),
        ("Marlow International", "Marlow Int'l"),
        ("Quinlan Pediatric Dentistry", "Quinlan Pediatric Dent."),
        ("Garza Landscaping & Maintenance", "Garza Landscaping & Maint."),
        ("Fairview Veterinary Clinic", "Fairview Vet Clinic"),
        ("Ashby Precision Machining", "Ashby Prec. Machining"),
        ("Vandermeer Equipment Rental", "Vandermeer Equip. Rental"),
        ("Stroud Pharmaceuticals", "Stroud Pharm"),
        ("Greer Orthopedic Associates", "Greer Ortho Assoc"),
        ("Tillman Refrigeration Services", "Tillman Refrig. Svcs."),
        ("Grace Physical Therapy", "Grace Phys. Therapy"),
        ("Main Street Pharmacy", "Main St. Pharmacy"),
        ("Saint Luke Medical Group", "St. Luke Medical Group"),
    ],
    "initialism": [
        ("International Business Machines Corp", "IBM"),
        ("Kessler Radiology Associates", "KRA"),
        ("United Parcel Service", "UPS"),
        ("Dunmore Veterinary Hospital", "DVH"),
        ("Hewlett Packard Enterprise", "HP Enterprise"),
        ("Bright Horizons Family Solutions", "BHFS"),
    ],
    "symbol &": [
        ("Smith and Sons Hardware", "Smith & Sons Hardware"),
        ("Barnes + Noble Booksellers", "Barnes and Noble Booksellers"),
        ("Ward/Clark Partners", "Ward Clark Partners"),
        ("Marsh-McLennan Agency", "Marsh McLennan Agency"),
        ("Ortiz & Daughters Bakery", "Ortiz and Daughters Bakery"),
    ],
    "A/C": [
        ("Jones Heating and Air", "Jones Heating & A/C"),
        ("Polar Heating & Air Conditioning", "Polar Heating & A/C"),
        ("Comfort Zone Air Conditioning & Heating", "Comfort Zone A/C & Heating"),
        ("Rivera Plumbing, Heating and Air", "Rivera Plumbing Heating & AC"),
        ("Frosty A/C Repair", "Frosty AC Repair"),
        ("Kessler Heating and A.C.", "Kessler Heating and Air"),
    ],
    "legal suffix": [
        ("Acme Widgets, Inc.", "Acme Widgets Incorporated"),
        ("Brandt Logistik GmbH", "Brandt Logistik"),
        ("Holloway Foods Ltd", "Holloway Foods Limited"),
        ("Halvorsen Freight LLC", "Halvorsen Freight L.L.C."),
        ("Trevino Widgets Inc", "Trevino Widgets Incorprated"),
    ],
    "typo": [
        ("Brightwater Logistics", "Brightwatre Logistics"),
        ("Kastelor Foods", "Kastellor Foods"),
        ("Delacroix Bakery", "Delacrox Bakery"),
        ("Montgomery Roofing", "Montgomry Roofing"),
        ("Pemberton Dental", "Pembertn Dental"),
    ],
    "word order": [
        ("Smith & Jones Media", "Jones & Smith Media"),
        ("Hartley Pierce Law", "Pierce Hartley Law"),
        ("Alvarez Castillo Construction", "Castillo Alvarez Construction"),
    ],
}

NEGATIVES: dict[str, list[tuple[str, str]]] = {
    "other city": [
        ("First National Bank of Dallas", "First National Bank of Austin"),
        ("Citizens Bank of Tulsa", "Citizens Bank of Omaha"),
    ],
    "other direction": [
        ("North Side Dental", "South Side Dental"),
        ("East Bay Plumbing", "West Bay Plumbing"),
    ],
    "other word": [
        ("Total Wine & More", "Total Wine Supply"),
        ("Tri-State Heating & Air", "Tri-State Heating & Plumbing"),
        ("Kastel Media", "Kastel Medical"),
        ("Acme Art Supply", "Acme Artisan Supply"),
        ("Grand Hotel", "Grandview Hotel"),
        ("ABC Plumbing", "Allied Builders Plumbing"),
        ("Elm St. Dental", "Oak St. Dental"),
    ],
    "franchise number": [
        ("Store 12", "Store 21"),
        ("Ace Hardware #112", "Ace Hardware #121"),
        ("McDonald's 4471", "McDonald's 4417"),
    ],
    "same-prefix surname": [
        ("Johnson, Mark", "Johnston, Mark"),
        ("Dr. Ann Petersen", "Dr. Ann Peters"),
        ("Peters, Ann", "Petersen, Ann"),
        ("Eric Johns", "Eric Johnson"),
        ("Williams, Sarah", "Williamson, Sarah"),
        ("Dr. Paul Robb", "Dr. Paul Robbins"),
    ],
}


def all_names() -> list[str]:
    return [n for group in (PLANTED, NEGATIVES) for pairs in group.values()
            for pair in pairs for n in pair]


@dataclass(frozen=True)
class ClassFigures:
    name: str
    negative: bool
    pairs: int
    found: int                     # planted: pairs merged or proposed; negative: proposed
    candidates: int                # candidates touching this class's names
    true_candidates: int
    missed: tuple[tuple[str, str], ...]

    @property
    def recall(self) -> float:
        return self.found / self.pairs if self.pairs else 1.0

    @property
    def precision(self) -> float:
        return self.true_candidates / self.candidates if self.candidates else 1.0


def evaluate(find: Callable[[Sequence[str]], Iterable[tuple[str, str]]],
             key: Callable[[str], str], background: Iterable[str] = ()) -> list[ClassFigures]:
    """Per class: how many pairs were merged (same key) or proposed (a candidate edge
    between the two keys), and the precision of the candidates touching the class.

    ``find`` gets the distinct keys (cases and background) and returns candidate key
    pairs; ``key`` is the canonical-name function."""
    names = all_names()
    keys = {n: key(n) for n in names}
    distinct = sorted(set(keys.values()) | {key(b) for b in background})
    edges = {frozenset(p) for p in find(distinct)}
    # the true pairs, as key pairs
    true_edges = {frozenset((keys[a], keys[b])) for pairs in PLANTED.values() for a, b in pairs}
    out = []
    for group, negative in ((PLANTED, False), (NEGATIVES, True)):
        for cls, pairs in group.items():
            class_keys = {keys[n] for pair in pairs for n in pair}
            touching = [e for e in edges if e & class_keys]
            found: list[tuple[str, str]] = []
            missed: list[tuple[str, str]] = []
            for a, b in pairs:
                ka, kb = keys[a], keys[b]
                hit = ka == kb or frozenset((ka, kb)) in edges
                (found if hit else missed).append((a, b))
            out.append(ClassFigures(
                name=cls, negative=negative, pairs=len(pairs),
                found=len(found), candidates=len(touching),
                true_candidates=sum(e in true_edges for e in touching),
                missed=tuple(found if negative else missed),
            ))
    return out


def table(figures: Sequence[ClassFigures]) -> list[str]:
    """Printable lines: one per class."""
    lines = [f"  {'class':<36} {'pairs':>5} {'found':>5} {'recall':>7} {'candidates':>10} "
             f"{'precision':>9}"]
    for f in figures:
        if f.negative:
            lines.append(f"  {'hard negative: ' + f.name:<36} {f.pairs:>5} {f.found:>5} "
                         f"{'':>7} {f.candidates:>10} {'':>9}  proposed {f.found} (target 0)")
        else:
            lines.append(f"  {f.name:<36} {f.pairs:>5} {f.found:>5} {f.recall:>7.2f} "
                         f"{f.candidates:>10} {f.precision:>9.2f}")
    planted = [f for f in figures if not f.negative]
    pairs, found = sum(f.pairs for f in planted), sum(f.found for f in planted)
    cands = sum(f.candidates for f in figures)
    true = sum(f.true_candidates for f in figures)
    lines.append(f"  {'all planted (candidates: all)':<36} {pairs:>5} {found:>5} "
                 f"{found / pairs:>7.2f} {cands:>10} {true / cands if cands else 1.0:>9.2f}")
    return lines
