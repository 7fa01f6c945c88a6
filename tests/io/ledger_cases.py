"""What the ledger tests of real exports ask of a client folder: its refusal (naming what the
advice must say), or its billing per client, the reconciliation balanced."""

from __future__ import annotations

from pathlib import Path

import pytest

from alms_toolkit.config import load_config
from alms_toolkit.errors import AlmsError
from alms_toolkit.io.ledger import LoadedLedger, load_ledger


def refused(folder: Path, *needles: str) -> str:
    """The refusal of ``folder``'s ledger, which must say each of ``needles``."""
    with pytest.raises(AlmsError) as info:
        load_ledger(load_config(folder))
    message = str(info.value)
    for needle in needles:
        assert needle in message, (needle, message)
    return message


def billing_per_client(folder: Path) -> tuple[dict[str, int], LoadedLedger]:
    """The window's billing per client (micros) as read, and the loaded ledger."""
    loaded = load_ledger(load_config(folder))
    assert loaded.reconciliation.balances()
    by_client = loaded.ledger.groupby("client")["amount"].sum()
    return {str(k): int(v) for k, v in by_client.items()}, loaded
