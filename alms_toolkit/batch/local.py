"""Run batch jobs on this machine: one fresh process per client, at most ``workers`` at once.

Each client runs in its own *spawned* process (papermill in a forked child of a threaded
parent can hang), in its own process group, with its output captured in a log file: a
crash, a hung kernel or a stray ``print`` in one client never reaches the others or the
consultant's terminal. A result comes back through a pipe; a process that ends without one
is reported as ``failed`` with the end of its log.

Stopping (Ctrl-C or SIGTERM to the batch): clients not started are marked ``interrupted``;
each running one gets one SIGINT, on which papermill shuts its kernel down and the runner
removes its unfinished folder; a process still running ``grace`` seconds later (or at a
second Ctrl-C) is killed, and its kernel ends by itself within a second (ipykernel
watches its parent process). Whatever a stopped client left behind is then removed
(:func:`~alms_toolkit.batch.leftovers.remove_leftovers`). Finished clients keep their
complete run folders.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .. import stop
from .jobs import (
    FAILED,
    OK,
    ClientJob,
    JobResult,
    client_name,
    interrupted_result,
    run_client_job,
)
from .leftovers import remove_leftovers
from .stopping import StopRequest, handle_signals

__all__ = ["run_local", "GRACE_SECONDS"]

#: seconds a running client has to stop cleanly after the batch is stopped
GRACE_SECONDS = 60.0
#: how much of a crashed client's log is kept in its result
LOG_TAIL_CHARS = 4000


def _child_main(job: ClientJob, conn: Connection, log_path: str) -> None:
    """The spawned process: run one job and send its result back."""
    if hasattr(os, "setpgid"):
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)  # a terminal's Ctrl-C reaches the batch, which stops us once
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    start = time.perf_counter()
    try:
        # SIGINT/SIGTERM from the batch stop the run cleanly, even one landing where Python cannot
        # raise it (a finalizer, a weak reference's callback): the run then publishes nothing
        with stop.signals_as_interrupt():
            result = run_client_job(job)
    except KeyboardInterrupt:
        result = interrupted_result(job, started=True, duration=time.perf_counter() - start)
    try:
        conn.send(result)
    finally:
        conn.close()


@dataclass
class _Running:
    job: ClientJob
    process: Any
    conn: Connection
    log: Path
    started: float  # time.time(), for leftovers
    clock: float  # time.perf_counter(), for the duration
    signalled: float | None = None
    result: JobResult | None = None
    closed: bool = False  # the pipe reached its end (no result can come any more)

    def receive(self) -> None:
        """Read the result if the child sent it (never blocks)."""
        if self.result is not None or self.closed or not self.conn.poll():
            return
        try:
            self.result = self.conn.recv()
        except (EOFError, OSError):
            self.closed = True


def _signal(process: Any, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, OSError):
        if process.pid is not None:
            os.kill(process.pid, sig)


def _log_tail(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text[-LOG_TAIL_CHARS:].strip()


def _exit_text(code: int | None) -> str:
    if code is None:
        return "it did not end"
    if code < 0:
        try:
            return f"it was ended by {signal.Signals(-code).name}"
        except ValueError:
            return f"it was ended by signal {-code}"
    return f"exit code {code}"


def _finish(r: _Running) -> JobResult:
    """The result of a finished process, with what a stopped client left behind removed."""
    duration = time.perf_counter() - r.clock
    result = r.result
    if r.signalled is not None and (result is None or result.status != OK):
        remove_leftovers(r.job.client_dir, r.job.out, r.started)
        client, slug = client_name(r.job)
        base = interrupted_result(r.job, started=True, duration=duration)
        return replace(base, client=client, slug=slug,
                       attempts=result.attempts if result is not None else 1)
    if result is None:
        remove_leftovers(r.job.client_dir, r.job.out, r.started)
        tail = _log_tail(r.log)
        client, slug = client_name(r.job)
        return JobResult(
            name=r.job.name, client_dir=r.job.client_dir, status=FAILED, duration=round(duration, 3),
            client=client, slug=slug,
            error=(f"The process running this client stopped without a result "
                   f"({_exit_text(r.process.exitcode)}); nothing of this run was published."),
            detail=tail or None,
        )
    if result.status == FAILED and result.detail is None:
        tail = _log_tail(r.log)
        if tail:
            result = replace(result, detail=tail)
    return result


@contextlib.contextmanager
def _cores_shared(workers: int) -> Iterator[None]:
    """The clients' processes started meanwhile each get their share of the cores
    (:mod:`alms_toolkit.cores`): ``workers`` clients at once on the machine's cores, at least
    one each. A client alone on two cores searches its fuzzy candidates ahead and may write its
    seller files in two workers; one of two clients on two cores does neither (each would add
    processes, and their start-up, to cores the other clients keep busy)."""
    from ..cores import ENV_VAR, client_cores

    before = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = str(max(1, client_cores() // max(1, workers)))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV_VAR, None)
        else:
            os.environ[ENV_VAR] = before


def run_local(
    jobs: Sequence[ClientJob],
    *,
    workers: int | None = None,
    on_result: Callable[[JobResult], None] | None = None,
    stop: StopRequest | None = None,
    grace: float = GRACE_SECONDS,
    target: Callable[[ClientJob, Connection, str], None] = _child_main,
) -> list[JobResult]:
    """Run every job, each in a spawned process, at most ``workers`` (default: CPU count)
    at once; return the results in the order of ``jobs``.

    ``on_result`` is called in this process as each client ends (a progress bar).
    SIGINT/SIGTERM stop the batch cleanly (see the module doc); ``stop`` lets a caller
    do the same. ``target`` is the child's entry point (tests pass a picklable fake).
    """
    workers = max(1, int(workers or os.cpu_count() or 1))
    stop = stop if stop is not None else StopRequest()
    ctx = multiprocessing.get_context("spawn")
    results: dict[int, JobResult] = {}
    queue: deque[tuple[int, ClientJob]] = deque(enumerate(jobs))
    running: dict[int, _Running] = {}

    def done(index: int, result: JobResult) -> None:
        results[index] = result
        if on_result is not None:
            on_result(result)

    with tempfile.TemporaryDirectory(prefix="alms-batch-") as logs, handle_signals(stop), \
            _cores_shared(workers):
        try:
            while queue or running:
                if stop:
                    while queue:
                        index, job = queue.popleft()
                        done(index, interrupted_result(job, started=False))
                    now = time.monotonic()
                    for r in running.values():
                        if r.signalled is None:
                            r.signalled = now
                            _signal(r.process, signal.SIGINT)
                        elif (stop.level > 1 or now - r.signalled > grace) and r.process.is_alive():
                            r.process.kill()
                while queue and len(running) < workers:
                    index, job = queue.popleft()
                    log = Path(logs) / f"{index}.log"
                    receive, send = ctx.Pipe(duplex=False)
                    process = ctx.Process(target=target, args=(job, send, str(log)),
                                          name=f"alms-batch-{job.name}", daemon=False)
                    started = time.time()
                    process.start()
                    send.close()
                    running[index] = _Running(job, process, receive, log, started, time.perf_counter())
                handles: list[Any] = [r.process.sentinel for r in running.values()]
                handles += [r.conn for r in running.values() if r.result is None and not r.closed]
                wait(handles, timeout=0.25)
                for index, r in list(running.items()):
                    r.receive()
                    if r.process.is_alive():
                        continue
                    r.process.join()
                    r.receive()
                    r.conn.close()
                    del running[index]
                    done(index, _finish(r))
        finally:
            for r in running.values():  # only on an unexpected error in this loop
                if r.process.is_alive():
                    r.process.kill()
                r.process.join()
    return [results[i] for i in range(len(jobs))]
