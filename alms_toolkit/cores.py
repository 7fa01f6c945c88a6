"""How many cores a client's audit may keep busy with its helper processes: the fuzzy search
run ahead (:mod:`alms_toolkit.analysis.candidate_search`) and the seller files' workers
(:mod:`alms_toolkit.runs.seller_files_pool`).

Alone, an audit has the cores its process may run on (its CPU affinity). A batch running
several clients at once gives each its share in ``ALMS_CORES_PER_CLIENT`` (the local batch sets
it, :mod:`alms_toolkit.batch.local`; a Dask worker's machine sets it in the workers'
environment, docs/CLUSTER.md), so that the clients' helpers together do not outnumber the
machine's cores, nor fill its memory with processes waiting for one.
"""

from __future__ import annotations

import os

__all__ = ["ENV_VAR", "client_cores", "machine_cores"]

#: the cores each client of a batch may keep busy (a whole number, at least 1)
ENV_VAR = "ALMS_CORES_PER_CLIENT"


def machine_cores() -> int:
    """The cores this process may run on (its CPU affinity; all of them off Linux)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def client_cores() -> int:
    """The cores this client's audit may keep busy: :func:`machine_cores`, or fewer when a
    batch gave it its share (:data:`ENV_VAR`; a value that is not a whole number >= 1 is
    ignored)."""
    cores = machine_cores()
    share = os.environ.get(ENV_VAR, "").strip()
    if share.isdigit() and int(share) >= 1:
        return min(cores, int(share))
    return cores
