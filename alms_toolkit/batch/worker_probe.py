"""What toolkit a Dask worker has, asked before anything else (``Client.run``).

This module imports only the standard library and its function is sent to the workers by
value (``cloudpickle.register_pickle_by_value``), so it runs on a worker with no toolkit, or
with an older one: the batch can then say which version the worker has, not merely that it
could not load the check.
"""

from __future__ import annotations

import importlib
import socket
from pathlib import Path
from typing import Any

__all__ = ["installed_toolkit"]


def installed_toolkit() -> dict[str, Any]:
    """The worker's ``alms_toolkit``: ``version`` (None when it cannot be imported, with the
    ``error``), ``location`` (its folder) and the worker's ``host``."""
    facts: dict[str, Any] = {"host": socket.gethostname(), "version": None, "location": None}
    try:
        toolkit = importlib.import_module("alms_toolkit")
    except Exception as exc:  # noqa: BLE001 - not installed, or broken: said as it is
        facts["error"] = f"{type(exc).__name__}: {exc}"
        return facts
    facts["version"] = str(getattr(toolkit, "__version__", None))
    file = getattr(toolkit, "__file__", None)
    facts["location"] = str(Path(file).resolve().parent) if file else None
    return facts
