"""Run batch jobs on an existing Dask cluster (``--executor dask://HOST:PORT`` or
``tcp://HOST:PORT``); the recipe for a real cluster is docs/CLUSTER.md.

The same job function as the local pool (:func:`~alms_toolkit.batch.jobs.run_client_job`)
is submitted once per client; it never raises, so one client's failure never touches the
others, and the summary is the same. The workers must see the same paths as this machine
(the client folders and the reports folder: a shared file system) and have the same toolkit
installed: both are checked before anything is submitted
(:mod:`~alms_toolkit.batch.cluster_checks`), and a problem refuses the batch. Give each
worker one thread (``--nthreads 1``): papermill changes the working directory of the process
while a notebook runs.

A worker that dies while running a client (out of memory, killed, its machine gone): the
scheduler runs the client again on another worker (up to its ``allowed-failures`` setting,
default 3), then gives up, and the client is ``failed`` with the reason ``worker_lost``. Each
attempt leaves a marker in a hidden folder of the reports folder while it runs, so the batch
knows which workers died under which client (:attr:`JobResult.lost_workers`, counted in the
summary) and removes the unfinished run folders they left. A run folder is published whole
or not at all (:class:`~alms_toolkit.runs.folder.RunFolder`): a dead worker never leaves half
a report where a reader looks.

Stopping (Ctrl-C or SIGTERM): clients not started yet are cancelled and marked
``interrupted``; a client already running on a worker cannot be stopped from here. It is
marked ``interrupted`` too; if it finishes, its run folder appears complete (the runner
publishes it in one rename) and it is listed by the next batch as existing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .jobs import FAILED, ClientJob, JobResult, client_name, interrupted_result, run_client_job
from .leftovers import remove_leftovers
from .stopping import StopRequest, handle_signals

__all__ = ["run_dask", "dask_address", "run_on_worker", "lost_attempts", "INSTALL_HINT",
           "WORKER_LOST"]

INSTALL_HINT = "pip install 'alms-toolkit[dask]'"
#: seconds to wait for the scheduler to answer
CONNECT_TIMEOUT = 15
#: the reason of a client whose worker died (every time the scheduler tried it)
WORKER_LOST = "worker_lost"
#: a client fails once workers died this many times while running it (it may be the cause)
DEATHS_BEFORE_FAILING = 2
#: how many times a client the scheduler gave up on is sent again (a client only queued on
#: workers that died, for reasons of their own, is not at fault)
MAX_RESUBMITS = 3
#: the hidden folder of a batch under the reports folder (the workers' checks, the attempts)
_BATCH_FOLDER = ".alms-batch-{batch}"


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


def _this_worker() -> str:
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except Exception:  # noqa: BLE001 - outside a worker (a test), name the process
        return f"{socket.gethostname()} (process {os.getpid()})"


def run_on_worker(job: ClientJob, journal: str, index: int) -> tuple[JobResult, str]:
    """What a worker runs for one client: :func:`run_client_job`, with a marker file in
    ``journal`` (the batch's hidden folder on the shared reports folder) while it runs. A
    marker left behind is an attempt whose worker died. Returns the result and the marker's
    name (so a marker still listed by a slow shared file system is not taken for a death)."""
    name = f"attempt-{index}-{uuid.uuid4().hex[:12]}.txt"
    marker = Path(journal) / name
    with contextlib.suppress(OSError):  # no marker: the batch only knows less
        marker.write_text(_this_worker() + "\n", encoding="utf-8")
    try:
        return run_client_job(job), name
    finally:
        with contextlib.suppress(OSError):
            marker.unlink()


def lost_attempts(journal: Path | str, index: int, *, finished: str | None = None) -> tuple[str, ...]:
    """The workers (addresses) of the attempts at job ``index`` that left their marker (each
    one died while running it), oldest first; ``finished`` is the marker of the attempt that
    returned."""
    found: list[tuple[float, str]] = []
    for path in Path(journal).glob(f"attempt-{index}-*.txt"):
        if path.name == finished:
            continue
        try:
            found.append((path.stat().st_mtime, path.read_text(encoding="utf-8").strip()))
        except FileNotFoundError:  # the attempt ended meanwhile
            continue
    return tuple(worker or "an unknown worker" for _, worker in sorted(found))


def _after_lost_workers(job: ClientJob, result: JobResult, lost: tuple[str, ...],
                        since: float) -> JobResult:
    """``result`` with the attempts whose worker died counted, and the unfinished run folders
    they left removed (a later attempt's ``.failed`` folder is kept)."""
    if not lost:
        return result
    remove_leftovers(job.client_dir, job.out, since, failed=False)
    return replace(result, attempts=result.attempts + len(lost), lost_workers=lost)


def _lost(job: ClientJob, exc: BaseException, lost: tuple[str, ...], duration: float) -> JobResult:
    """The result of a client the cluster gave up on (its workers died, or the task was lost)."""
    client, slug = client_name(job)
    from distributed import KilledWorker  # run_dask is connected: distributed is there

    if isinstance(exc, KilledWorker):
        if lost:
            times = f"{len(lost)} times" if len(lost) > 1 else "once"
            what = f"The Dask worker running this client died {times} ({', '.join(lost)})"
        else:
            what = "The Dask workers this client was sent to died before it started, again and again"
        error = (
            f"{what}, and the batch stopped trying it again. Nothing of this run was published. "
            "A worker usually dies when it runs out of memory: read the worker's log, give the "
            "workers more memory (dask worker --memory-limit), or run this client alone with "
            "alms audit."
        )
    else:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        error = (f"The Dask worker running this client failed: {type(exc).__name__}"
                 + (f": {text}" if text else "") + " (nothing of this run was published)")
    return JobResult(
        name=job.name, client_dir=job.client_dir, status=FAILED, duration=round(duration, 3),
        client=client, slug=slug, error=error, reason=WORKER_LOST,
        attempts=max(len(lost), 1), lost_workers=lost,
    )


def _send_again(exc: BaseException, lost: tuple[str, ...], resubmits: int) -> bool:
    """Whether a client the scheduler gave up on is sent again: its workers died, but fewer
    than :data:`DEATHS_BEFORE_FAILING` times while running it (the scheduler also counts the
    workers that died with the client only queued on them: ``worker-saturation`` above 1)."""
    from distributed import KilledWorker

    return (isinstance(exc, KilledWorker) and len(lost) < DEATHS_BEFORE_FAILING
            and resubmits < MAX_RESUBMITS)


def _needed_files(jobs: Sequence[ClientJob]) -> list[str]:
    """The files every worker must see: each client.yml and the notebook variants."""
    from ..config import CONFIG_FILE

    files = [str(Path(job.client_dir) / CONFIG_FILE) for job in jobs]
    files += sorted({job.notebook for job in jobs if job.notebook is not None})
    return files


def run_dask(
    jobs: Sequence[ClientJob],
    address: str,
    *,
    on_result: Callable[[JobResult], None] | None = None,
    stop: StopRequest | None = None,
    poll: float = 0.25,
) -> list[JobResult]:
    """Run every job on the Dask cluster at ``address`` (``tcp://HOST:PORT``); return the
    results in the order of ``jobs``. The workers are checked first (a problem raises
    :class:`~alms_toolkit.errors.ClusterError` before anything is submitted); a client whose
    workers died is retried by the scheduler, else ``failed`` (see the module doc).
    SIGINT/SIGTERM stop it."""
    from .cluster_checks import check_workers

    stop = stop if stop is not None else StopRequest()
    client = _connect(address)
    results: dict[int, JobResult] = {}
    batch = uuid.uuid4().hex[:8]
    journal: Path | None = None

    def done(index: int, result: JobResult) -> None:
        results[index] = result
        if on_result is not None:
            on_result(result)

    try:
        if jobs:
            journal = Path(jobs[0].out) / _BATCH_FOLDER.format(batch=batch)
            check_workers(client, address, out=jobs[0].out, check_dir=journal,
                          needed=_needed_files(jobs))
        with handle_signals(stop):
            start = time.perf_counter()
            since = time.time()
            resubmits: dict[int, int] = {}

            def submit(index: int) -> Any:
                again = resubmits.get(index, 0)
                key = f"alms-batch-{batch}-{index}" + (f"-again-{again}" if again else "")
                return client.submit(run_on_worker, jobs[index], str(journal), index, key=key,
                                     pure=False, retries=0)

            pending = {index: submit(index) for index in range(len(jobs))}
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
                    job = jobs[index]
                    try:
                        result, marker = future.result()
                    except Exception as exc:  # noqa: BLE001 - a lost worker, a cancelled task
                        lost = lost_attempts(str(journal), index)
                        if _send_again(exc, lost, resubmits.get(index, 0)):
                            resubmits[index] = resubmits.get(index, 0) + 1
                            pending[index] = submit(index)
                            continue
                        result = _lost(job, exc, lost, time.perf_counter() - start)
                        if lost:
                            remove_leftovers(job.client_dir, job.out, since, failed=False)
                    else:
                        result = _after_lost_workers(
                            job, result, lost_attempts(str(journal), index, finished=marker), since)
                    done(index, result)
                if pending:
                    time.sleep(poll)
    finally:
        client.close()
        if journal is not None:
            shutil.rmtree(journal, ignore_errors=True)
    return [results[i] for i in range(len(jobs))]
