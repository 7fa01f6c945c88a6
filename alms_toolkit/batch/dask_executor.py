"""Run batch jobs on an existing Dask cluster (``--executor dask://HOST:PORT``).

The same job function as the local pool (:func:`~alms_toolkit.batch.jobs.run_client_job`)
is submitted once per client; it never raises, so one client's failure never touches the
others, and the summary is the same. The workers must see the same paths as this machine
(the client folders and the reports folder: a shared file system) and have the toolkit
installed. Give each worker one thread (``--nthreads 1``): papermill changes the working
directory of the process while a notebook runs.

Stopping (Ctrl-C or SIGTERM): clients not started yet are cancelled and marked
``interrupted``; a client already running on a worker cannot be stopped from here. It is
marked ``interrupted`` too; if it finishes, its run folder appears complete (the runner
publishes it in one rename) and it is listed by the next batch as existing.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from ..errors import ConfigError
from .jobs import FAILED, ClientJob, JobResult, interrupted_result, run_client_job
from .stopping import StopRequest, handle_signals

__all__ = ["run_dask", "dask_address", "INSTALL_HINT"]

INSTALL_HINT = "pip install 'alms-toolkit[dask]'"
#: seconds to wait for the scheduler to answer
CONNECT_TIMEOUT = 15


def dask_address(executor: str) -> str | None:
    """``local`` -> None; ``dask://HOST:PORT`` (or ``tcp://HOST:PORT``) -> ``tcp://HOST:PORT``.

    Anything else raises :class:`ConfigError`.
    """
    value = executor.strip()
    if value.lower() == "local":
        return None
    for scheme in ("dask://", "tcp://", "tls://"):
        if value.lower().startswith(scheme):
            rest = value[len(scheme):].rstrip("/")
            host, sep, port = rest.rpartition(":")
            if host and sep and port.isdigit():
                return ("tls://" if scheme == "tls://" else "tcp://") + rest
    raise ConfigError(None, f"--executor must be 'local' or 'dask://HOST:PORT', not {executor!r}")


def _connect(address: str) -> Any:
    try:
        from distributed import Client
    except ImportError as exc:
        raise ConfigError(None, (
            f"--executor {address} needs Dask, which is not installed here. "
            f"Install it with: {INSTALL_HINT}"
        )) from exc
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ConfigError(None, (
            f"cannot reach the Dask scheduler at {address} ({type(exc).__name__}: {exc}). "
            "Is the cluster running, and is the address right?"
        )) from exc


_CANCELLED = (
    "Interrupted: cancelled when the batch was stopped (a client already running on a Dask "
    "worker may still finish: its run folder appears only if complete)"
)


def _lost(job: ClientJob, exc: BaseException, duration: float) -> JobResult:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return JobResult(
        name=job.name, client_dir=job.client_dir, status=FAILED, duration=round(duration, 3),
        error=(f"The Dask worker running this client failed: {type(exc).__name__}"
               + (f": {text}" if text else "")
               + " (nothing of this run was published unless its run folder exists)"),
    )


def run_dask(
    jobs: Sequence[ClientJob],
    address: str,
    *,
    on_result: Callable[[JobResult], None] | None = None,
    stop: StopRequest | None = None,
    poll: float = 0.25,
) -> list[JobResult]:
    """Run every job on the Dask cluster at ``address`` (``tcp://HOST:PORT``); return the
    results in the order of ``jobs``. SIGINT/SIGTERM stop it (see the module doc)."""
    stop = stop if stop is not None else StopRequest()
    client = _connect(address)
    results: dict[int, JobResult] = {}
    batch = uuid.uuid4().hex[:8]

    def done(index: int, result: JobResult) -> None:
        results[index] = result
        if on_result is not None:
            on_result(result)

    try:
        with handle_signals(stop):
            start = time.perf_counter()
            pending = {
                index: client.submit(run_client_job, job, key=f"alms-batch-{batch}-{index}",
                                     pure=False, retries=0)
                for index, job in enumerate(jobs)
            }
            while pending:
                if stop:
                    futures = list(pending.values())
                    client.cancel(futures)
                    for index in sorted(pending):
                        result = interrupted_result(jobs[index], started=False,
                                                    duration=time.perf_counter() - start)
                        done(index, replace(result, error=_CANCELLED))
                    pending.clear()
                    break
                for index, future in list(pending.items()):
                    if not future.done():
                        continue
                    del pending[index]
                    try:
                        done(index, future.result())
                    except Exception as exc:  # noqa: BLE001 - a lost worker, a cancelled task
                        done(index, _lost(jobs[index], exc, time.perf_counter() - start))
                if pending:
                    time.sleep(poll)
    finally:
        client.close()
    return [results[i] for i in range(len(jobs))]
