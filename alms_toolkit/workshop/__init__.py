"""The live workshop (ALMS steps 2, 7, 8, 9) in JupyterLab: ipywidgets for duplicate
merges, owner confirmation, the key cut-off and each seller's prospects, every decision
saved at once to the client's files. ``notebooks/alms_workshop.ipynb`` only instantiates
:class:`Workshop` and displays its parts.

Names are loaded on first use: importing this package imports no widget library.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Workshop": "session",
    "has_live_frontend": "session",
    "WorkshopStore": "store",
    "DuplicateReview": "duplicates",
    "OwnerConfirmation": "owners",
    "CutoffExplorer": "cutoff",
    "SellerWorkshop": "sellers",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'alms_toolkit.workshop' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__() -> list[str]:
    return __all__
