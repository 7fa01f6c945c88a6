"""The live workshop (ALMS steps 2, 7, 8, 9) in JupyterLab: ipywidgets for duplicate
merges, owner confirmation, the key cut-off and each seller's prospects, every decision
saved at once to the client's files. ``notebooks/alms_workshop.ipynb`` only instantiates
:class:`Workshop` and displays its parts.

Names are loaded on first use: importing this package imports no widget library.
"""

from __future__ import annotations

from ..lazy import lazy_exports

_EXPORTS = {
    "Workshop": "session",
    "has_live_frontend": "session",
    "WorkshopStore": "store",
    "DuplicateReview": "duplicates",
    "OwnerConfirmation": "owners",
    "CutoffExplorer": "cutoff",
    "SellerWorkshop": "sellers",
}

__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
