"""The fuzzy candidates of a set of names, kept on disk so that a second audit of the same
ledger (or a re-run after a decision) does not search them again.

An entry is keyed by a hash of the set of canonical names, the threshold, the toolkit's
version and the source of the matching modules (so a changed rule never reads an old
answer). It lives in the user's cache folder: ``ALMS_CACHE_DIR`` when set (``off``, ``0``
or empty: no cache), else platformdirs' user cache folder for ``alms-toolkit`` when
platformdirs is installed, else ``~/.cache/alms-toolkit``. Entries are written atomically
(:mod:`alms_toolkit.atomic`); an entry that cannot be read, does not parse, or does not
describe these names is ignored and written again: the cache can make an audit faster,
never different. A folder that cannot be written is not an error (nothing is cached).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import pandas as pd

__all__ = ["cache_dir", "cache_key", "cached_candidates", "frame_of", "names_digest", "ENV_VAR"]

#: environment variable naming the cache folder (``off``, ``0`` or empty: no cache)
ENV_VAR = "ALMS_CACHE_DIR"
_FORMAT = 1
_OFF = {"", "0", "off", "no", "false", "none"}
#: the modules whose rules decide the candidates
_RULE_MODULES = ("matching", "score_bounds", "abbreviations", "names", "candidate_cache")


def cache_dir() -> Path | None:
    """Where candidate lists are kept; None when caching is switched off."""
    given = os.environ.get(ENV_VAR)
    if given is not None:
        return None if given.strip().lower() in _OFF else Path(given).expanduser()
    try:
        from platformdirs import user_cache_dir
    except ImportError:
        return Path.home() / ".cache" / "alms-toolkit"
    return Path(user_cache_dir("alms-toolkit", appauthor=False))


@lru_cache(maxsize=1)
def _rules_fingerprint() -> str:
    """The toolkit's version and a hash of the matching modules' source."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        toolkit = version("alms-toolkit")
    except PackageNotFoundError:  # a source checkout not installed: the source hash decides
        toolkit = "unknown"
    digest = hashlib.sha256(toolkit.encode())
    here = Path(__file__).resolve().parent
    for name in _RULE_MODULES:
        digest.update((here / f"{name}.py").read_bytes())
    return digest.hexdigest()


def names_digest(keys: Iterable[str], threshold: float, prefix: str = "") -> str:
    """A digest of a set of canonical names (order and repeats do not matter) and a threshold,
    after ``prefix``."""
    digest = hashlib.sha256(f"{prefix}{float(threshold)!r}\n".encode())
    for k in sorted(set(map(str, keys))):
        digest.update(k.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def cache_key(keys: Sequence[str], threshold: float) -> str:
    """The entry's key: the distinct names (order and repeats do not matter), the
    threshold, and the rules' fingerprint."""
    return names_digest(keys, threshold, f"{_FORMAT}\n{_rules_fingerprint()}\n")


def frame_of(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    """Candidate pairs ``(key_a, key_b, score)`` as find_candidates gives them (the same columns
    and types, also when there are none)."""
    if not rows:
        return pd.DataFrame({"key_a": pd.Series(dtype=str), "key_b": pd.Series(dtype=str),
                             "score": pd.Series(dtype=float)})
    return pd.DataFrame(rows, columns=["key_a", "key_b", "score"])


def _read(path: Path, key: str, names: set[str], threshold: float) -> pd.DataFrame | None:
    """The entry at ``path`` when it is whole and describes these names, else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not (isinstance(data, dict) and data.get("format") == _FORMAT and data.get("key") == key
                and isinstance(data.get("pairs"), list)):
            return None
        rows = []
        for a, b, score in data["pairs"]:
            if not (isinstance(a, str) and isinstance(b, str) and a < b and a in names
                    and b in names and isinstance(score, float) and score >= threshold):
                return None
            rows.append((a, b, score))
    except (OSError, ValueError, TypeError):
        return None
    return frame_of(rows)


def _write(path: Path, key: str, found: pd.DataFrame) -> None:
    from ..atomic import write_text

    pairs = [[str(a), str(b), float(s)] for a, b, s in
             zip(found["key_a"], found["key_b"], found["score"], strict=True)]
    text = json.dumps({"format": _FORMAT, "key": key, "pairs": pairs}, ensure_ascii=False,
                      allow_nan=False)
    try:
        write_text(path, text)
    except (OSError, ValueError):
        return  # a folder that cannot be written: the next audit searches again


def cached_candidates(keys: Sequence[str], threshold: float,
                      find: Callable[[Sequence[str], float], pd.DataFrame]) -> pd.DataFrame:
    """``find(keys, threshold)`` (the fuzzy candidates), read from the cache when an entry
    for these names exists, else computed and stored. The same DataFrame either way."""
    folder = cache_dir()
    if folder is None:
        return find(keys, threshold)
    key = cache_key(keys, threshold)
    path = folder / "candidates" / f"{key}.json"
    if path.is_file():
        cached = _read(path, key, set(map(str, keys)), threshold)
        if cached is not None:
            return cached
    found = find(keys, threshold)
    _write(path, key, found)
    return found
