"""Where the real reference ledgers are: ``shared/data`` beside this repository (as in CI's
fresh clone and the developers' checkouts), or the folder named by ``ALMS_SHARED_DATA``.
A missing folder fails the golden tests loudly rather than skipping them."""

from __future__ import annotations

import os
from pathlib import Path

SHARED_DATA = Path(
    os.environ.get("ALMS_SHARED_DATA")
    or Path(__file__).resolve().parents[2] / "shared" / "data"
)
NORTHWIND = SHARED_DATA / "northwind"
ONLINE_RETAIL = SHARED_DATA / "online_retail"
