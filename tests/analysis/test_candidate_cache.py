"""The candidate cache: a second search of the same names is read back, identical; a
changed name set or threshold searches again; a damaged or foreign entry is ignored and
rewritten; an unwritable folder or a switched-off cache still gives the right answer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from alms_toolkit.analysis import candidate_cache
from alms_toolkit.analysis.candidate_cache import cache_dir, cache_key, cached_candidates
from alms_toolkit.analysis.combine import combine_clients
from alms_toolkit.analysis.matching import find_candidates
from alms_toolkit.analysis.names import canonical_name
from alms_toolkit.config import BillingSource, ClientConfig
from alms_toolkit.io.decisions import Decisions

NAMES = ["Acme Inc", "Acmee Inc", "Kastelor International", "Kastelor Intl", "Zorblat Foods",
         "First National Bank of Dallas", "First National Bank of Austin", "Velmora Bros."]
KEYS = [canonical_name(n) for n in NAMES]


class Counting:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, keys: Sequence[str], threshold: float) -> pd.DataFrame:
        self.calls += 1
        return find_candidates(keys, threshold=threshold)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ALMS_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _entries(folder: Path) -> list[Path]:
    return sorted((folder / "candidates").glob("*.json"))


def test_a_second_search_is_read_back_identical(folder: Path) -> None:
    find = Counting()
    first = cached_candidates(KEYS, 88.0, find)
    second = cached_candidates(list(reversed(KEYS)), 88.0, find)
    assert find.calls == 1
    assert len(first) == 2
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    pd.testing.assert_frame_equal(second, find_candidates(KEYS, threshold=88.0), check_exact=True)
    assert len(_entries(folder)) == 1


def test_no_candidates_is_cached_too(folder: Path) -> None:
    find = Counting()
    keys = ["zorblat foods", "quintex media"]
    first = cached_candidates(keys, 88.0, find)
    second = cached_candidates(keys, 88.0, find)
    assert find.calls == 1 and first.empty
    pd.testing.assert_frame_equal(first, second)


def test_other_names_or_threshold_search_again(folder: Path) -> None:
    find = Counting()
    cached_candidates(KEYS, 88.0, find)
    cached_candidates(KEYS, 80.0, find)
    cached_candidates([*KEYS, "quintex media"], 88.0, find)
    assert find.calls == 3
    assert len(_entries(folder)) == 3
    assert cache_key(KEYS, 88.0) == cache_key(sorted(KEYS) + KEYS[:2], 88)
    assert cache_key(KEYS, 88.0) != cache_key(KEYS[1:], 88.0)


@pytest.mark.parametrize("damage", [
    b"", b"\x00\xff garbage", b'{"format": 1, "key": "',  # unreadable, truncated
    b"[]", b'{"format": 1, "key": "KEY", "pairs": [["acme", "zzz not a name", 99.0]]}',
    b'{"format": 1, "key": "KEY", "pairs": [["acme", "acmee", 12.0]]}',  # below threshold
    b'{"format": 1, "key": "other", "pairs": []}',  # another set of names
    b'{"format": 1, "key": "KEY", "pairs": [["acmee", "acme", 99.0]]}',  # not ordered
    b'{"format": 1, "key": "KEY", "pairs": [["acme", "acmee"]]}',
])
def test_a_damaged_entry_is_ignored_and_rewritten(folder: Path, damage: bytes) -> None:
    find = Counting()
    right = cached_candidates(KEYS, 88.0, find)
    [entry] = _entries(folder)
    entry.write_bytes(damage.replace(b"KEY", cache_key(KEYS, 88.0).encode()))
    again = cached_candidates(KEYS, 88.0, find)
    assert find.calls == 2
    pd.testing.assert_frame_equal(again, right, check_exact=True)
    third = cached_candidates(KEYS, 88.0, find)  # the rewritten entry is read
    assert find.calls == 2
    pd.testing.assert_frame_equal(third, right, check_exact=True)


def test_an_unwritable_folder_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ALMS_CACHE_DIR", str(blocker))
    find = Counting()
    out = cached_candidates(KEYS, 88.0, find)
    out2 = cached_candidates(KEYS, 88.0, find)
    assert find.calls == 2
    pd.testing.assert_frame_equal(out, out2, check_exact=True)
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("value", ["off", "0", ""])
def test_the_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ALMS_CACHE_DIR", value)
    monkeypatch.chdir(tmp_path)
    assert cache_dir() is None
    find = Counting()
    cached_candidates(KEYS, 88.0, find)
    cached_candidates(KEYS, 88.0, find)
    assert find.calls == 2
    assert list(tmp_path.iterdir()) == []


def test_the_default_folder_is_the_user_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALMS_CACHE_DIR", raising=False)
    folder = cache_dir()
    assert folder is not None and folder.name == "alms-toolkit"


def test_changed_rules_change_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache_key(KEYS, 88.0)
    monkeypatch.setattr(candidate_cache, "_rules_fingerprint", lambda: "other rules")
    assert cache_key(KEYS, 88.0) != before


def test_combine_is_the_same_with_and_without_the_cache(folder: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    config = ClientConfig(client="t", folder=folder, billing=BillingSource(file=folder / "x.csv"))
    ledger = pd.DataFrame({"client": NAMES,
                           "amount": np.arange(1, len(NAMES) + 1, dtype=np.int64) * 1_000_000})
    cold = combine_clients(ledger, None, config, Decisions())
    warm = combine_clients(ledger, None, config, Decisions())
    assert len(_entries(folder)) == 1
    monkeypatch.setenv("ALMS_CACHE_DIR", "off")
    off = combine_clients(ledger, None, config, Decisions())
    assert len(cold.candidates) == 2
    for other in (warm, off):
        pd.testing.assert_frame_equal(cold.candidates, other.candidates, check_exact=True)
        pd.testing.assert_frame_equal(cold.clients, other.clients, check_exact=True)
