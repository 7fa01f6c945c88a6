"""Where the benchmarks find the real reference ledgers: ``shared/data`` beside this
repository, or the folder named by ``ALMS_SHARED_DATA``."""

from __future__ import annotations

import os
from pathlib import Path

SHARED_DATA = Path(
    os.environ.get("ALMS_SHARED_DATA")
    or Path(__file__).resolve().parents[2] / "shared" / "data"
)
ONLINE_RETAIL = SHARED_DATA / "online_retail"
