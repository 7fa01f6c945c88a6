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


def online_retail_client(tmp: Path) -> Path:
    """A client folder for the Online Retail ledger under ``tmp`` (the ledger copied in:
    client.yml's files must stay inside the client folder, links included), columns mapped
    in its client.yml."""
    import shutil

    folder = tmp / "online-retail"
    folder.mkdir()
    shutil.copyfile(ONLINE_RETAIL / "ledger.csv.gz", folder / "ledger.csv.gz")
    (folder / "client.yml").write_text(
        "client: Online Retail\nbilling:\n  file: ledger.csv.gz\n"
        "  columns: {date: InvoiceDate, client: CustomerID, amount: Amount}\n",
        encoding="utf-8",
    )
    return folder
