"""Client spellings as a reader can tell them apart: what a page or a screen does not show
(a trailing or leading space, a double space, a non-breaking or zero-width character) said
in words, and, for two spellings of one client, whether they differ only in something a
reader can hardly see (spaces, capital letters, accents).

Words, not symbols: ``Hartley Travel (with a trailing space)``, never a ``␣`` the report's
font may not have. The report (merged spellings) and the workshop (duplicate review) both
use it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable

__all__ = ["INVISIBLE", "spelling_notes", "visible_spelling", "hidden_differences", "difference_text",
           "plain_text"]

#: characters a reader cannot see (or sees as an ordinary space): non-breaking and other
#: Unicode spaces, zero-width characters, tabs and line breaks
INVISIBLE = re.compile("[\u00a0\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff\t\r\n]")


def _join(items: list[str]) -> str:
    """['a'] -> 'a'; ['a', 'b'] -> 'a and b'; ['a', 'b', 'c'] -> 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def spelling_notes(raw: str) -> list[str]:
    """What a reader cannot see in a ledger name, in words ('a trailing space', 'a leading
    space', 'a double space', 'a hidden character such as a non-breaking space'); empty
    when it reads as it is."""
    text = str(raw)
    notes = []
    if text != text.rstrip():
        notes.append("a trailing space")
    if text != text.lstrip():
        notes.append("a leading space")
    inner = text.strip()
    if "  " in inner:
        notes.append("a double space")
    if INVISIBLE.search(inner):
        notes.append("a hidden character such as a non-breaking space")
    return notes


def visible_spelling(raw: str) -> str:
    """A ledger name with what a reader cannot see said in words: 'Hartley Travel (with a
    trailing space)', so a merge never reads 'Hartley Travel -> Hartley Travel'."""
    text = str(raw)
    notes = spelling_notes(text)
    if not notes:
        return text
    return f"{INVISIBLE.sub(' ', text.strip())} (with {_join(notes)})"


def _spaces(text: str) -> str:
    return " ".join(INVISIBLE.sub(" ", text).split())


def _case(text: str) -> str:
    return text.casefold()


def _accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


#: what a reader can hardly see, each with the way to ignore it (applied in this order)
_HIDDEN: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("spaces or hidden characters", _spaces),
    ("capital letters", _case),
    ("accents", _accents),
)


def hidden_differences(a: str, b: str) -> list[str]:
    """What two different spellings differ in when they differ only in things a reader can
    hardly see: the fewest of 'spaces or hidden characters', 'capital letters' and
    'accents' that, ignored, make them the same text. Empty when they are the same text or
    differ in letters a reader sees ('Acme Ltd' / 'Acme Limited')."""
    a, b = str(a), str(b)
    if a == b:
        return []
    for size in range(1, len(_HIDDEN) + 1):
        for chosen in itertools.combinations(_HIDDEN, size):
            x, y = a, b
            for _what, ignore in _HIDDEN:  # always in the same order, whichever are chosen
                if any(ignore is i for _w, i in chosen):
                    x, y = ignore(x), ignore(y)
            if x == y:
                return [what for what, _i in chosen]
    return []


def difference_text(a: str, b: str) -> str:
    """'differ only in capital letters and accents', or '' when the difference is plain to
    see (or there is none)."""
    hidden = hidden_differences(a, b)
    return f"differ only in {_join(hidden)}" if hidden else ""


def plain_text(text: str) -> str:
    """A spelling as a search compares it: spaces and hidden characters as one space,
    capital letters and accents ignored ('  Café\u00a0Ltd' -> 'cafe ltd')."""
    return _accents(_case(_spaces(str(text))))
