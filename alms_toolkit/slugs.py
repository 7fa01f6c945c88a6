"""File and folder names built from data (a client's or a seller's name): safe, bounded, distinct.

``slugify`` keeps ASCII letters and digits joined by ``-``, lower case. A slug longer than
:data:`MAX_SLUG` characters is cut and ends with a short hash of the whole name, so two long
names that share their first 60 characters still get different slugs, and the same name
always gets the same slug. :func:`unique_stems` gives every name of a list its own file
stem: names whose slugs collide (``"Dana Scott"`` and ``"Dana  Scott!"``) each get a short
hash of their own name, whatever the order of the list.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["MAX_SLUG", "slugify", "short_hash", "unique_stems"]

#: the longest slug, in characters (file systems allow 255 bytes per name; a seller's
#: file name is ``seller-<slug>-<hash>.xlsx``, well below)
MAX_SLUG = 60
_HASH_CHARS = 8


def short_hash(text: str, n: int = _HASH_CHARS) -> str:
    """A stable short hex digest of ``text`` (the same text always gives the same hash)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def slugify(text: str, *, default: str = "client", max_length: int = MAX_SLUG) -> str:
    """'Northwind Traders, Inc.' -> 'northwind-traders-inc' (safe as a file or folder name).

    A name with no ASCII letter or digit gives ``default`` (when ``default`` is empty: a
    hash of the name). A slug longer than ``max_length`` is cut at a word boundary and
    ends with a hash of the whole name, so it stays distinct and stable.
    """
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^A-Za-z0-9]+", "-", s).strip("-").lower()
    if not s:
        return default or short_hash(str(text))
    if len(s) <= max_length:
        return s
    keep = s[: max_length - _HASH_CHARS - 1]
    cut = keep.rfind("-")
    if cut >= len(keep) // 2:  # end on a whole word when that keeps most of the text
        keep = keep[:cut]
    return f"{keep.strip('-')}-{short_hash(str(text))}"


def unique_stems(names: Iterable[str], prefix: str = "") -> dict[str, str]:
    """A distinct, file-name-safe stem per name: ``prefix + slug``; names whose stems
    collide each get ``-<hash of the name>``, so a name keeps its stem whatever the order."""
    distinct = list(dict.fromkeys(str(n) for n in names))
    base = {name: prefix + slugify(name, default="") for name in distinct}
    count: dict[str, int] = {}
    for stem in base.values():
        count[stem] = count.get(stem, 0) + 1
    stems = {name: stem if count[stem] == 1 else f"{stem}-{short_hash(name)}" for name, stem in base.items()}
    # a hashed stem equal to another name's plain stem (vanishingly rare): hash again, longer
    taken: dict[str, str] = {}
    for name, stem in stems.items():
        while stem in taken:
            stem = f"{base[name]}-{short_hash(name + stem, 16)}"
        taken[stem] = name
        stems[name] = stem
    return stems
