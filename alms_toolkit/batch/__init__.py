"""``alms batch``: audit every client folder at once, each run isolated in its own process
(or on a Dask cluster), with a summary table, ``batch_<date>.csv`` and an ``index.html``.

Modules: :mod:`.clients` (find the client folders), :mod:`.jobs` (one client's run as a
picklable job and result), :mod:`.local` (a pool of spawned processes),
:mod:`.dask_executor` (a Dask cluster; docs/CLUSTER.md), :mod:`.cluster_checks` and
:mod:`.worker_probe` (every worker has this toolkit and sees the shared folders, checked
before submitting), :mod:`.stopping` (Ctrl-C / SIGTERM),
:mod:`.leftovers` (remove what a stopped run left), :mod:`.summary` (table, CSV, index),
:mod:`.run` (:func:`run_batch`, which ties them together). Importing this package imports
none of them.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["run_batch", "BatchResult", "ClientJob", "JobResult", "run_client_job"]

_EXPORTS = {
    "run_batch": "run",
    "BatchResult": "run",
    "ClientJob": "jobs",
    "JobResult": "jobs",
    "run_client_job": "jobs",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
