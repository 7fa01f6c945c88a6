"""The garbage collector's pace in the toolkit's own work.

Python runs a collector pass every 700 new container objects by default (and a full pass
whenever the long-lived ones grew by a quarter). Importing pandas, papermill or WeasyPrint,
and an audit of 50,000 clients, make millions of small objects (names, sets, tuples, layout
boxes) that live to the end: at the default pace an ``alms summary`` of 50,000 clients made
1,161 passes (0.26 s), an ``alms audit`` of a sample 325 (0.14-0.20 s). At :data:`THRESHOLDS`
they make 74 (0.10 s) and 21 (0.10-0.13 s). Cyclic garbage still goes, a little later.
"""

from __future__ import annotations

import gc

__all__ = ["THRESHOLDS", "rarer_passes", "restore_passes"]

#: the collector's thresholds while the toolkit works (Python's default: 700, 10, 10)
THRESHOLDS = (10_000, 10, 10)


def rarer_passes() -> tuple[int, int, int]:
    """Set :data:`THRESHOLDS`; returns the thresholds they replace."""
    before = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    return before


def restore_passes(before: tuple[int, int, int]) -> None:
    """Put back the thresholds :func:`rarer_passes` replaced, unless they were changed since."""
    if gc.get_threshold() == THRESHOLDS:
        gc.set_threshold(*before)
