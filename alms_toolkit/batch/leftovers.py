"""Remove what a stopped client run left behind, so nothing unfinished looks complete.

The runner builds a run folder in a hidden ``.<as_of>.partial-XXXX`` sibling and removes it
when it stops normally; a run killed outright (or stopped in the middle of its notebook,
which keeps the half-run notebook in ``<as_of>.failed/``) can leave one behind. Only folders
changed since the run started are removed: an earlier run's folders are never touched, and
a published run folder is complete by construction (it is renamed into place at the end).
"""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["remove_leftovers"]


def remove_leftovers(client_dir: Path | str, out: Path | str, since: float, *,
                     failed: bool = True) -> list[Path]:
    """Delete the ``.*.partial-*`` and ``*.failed`` folders under ``<out>/<slug>/`` changed
    at or after ``since`` (a ``time.time()`` stamp); return what was removed. ``failed=False``
    keeps the ``*.failed`` folders (a later attempt's failing cell, for the consultant)."""
    from ..config import load_config

    try:
        slug = load_config(client_dir).slug
    except Exception:  # noqa: BLE001 - an unreadable client.yml never started a run folder
        return []
    base = Path(out) / slug
    if not base.is_dir():
        return []
    removed: list[Path] = []
    for path in sorted([*base.glob(".*.partial-*"), *(base.glob("*.failed") if failed else ())]):
        try:
            if path.is_dir() and path.stat().st_mtime >= since - 1.0:
                shutil.rmtree(path)
                removed.append(path)
        except FileNotFoundError:
            continue
    return removed
