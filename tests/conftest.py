"""Every test run keeps its matching cache (alms_toolkit.analysis.candidate_cache) in a
folder of its own, never in the user's cache folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    mp = pytest.MonkeyPatch()
    mp.setenv("ALMS_CACHE_DIR", str(tmp_path_factory.mktemp("alms-cache")))
    yield
    mp.undo()
