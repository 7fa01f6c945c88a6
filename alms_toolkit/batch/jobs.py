"""One client's audit as a batch job: a small picklable :class:`ClientJob` in, a small
picklable :class:`JobResult` out, and never an exception.

:func:`run_client_job` is what every executor runs (a spawned local process or a Dask
worker). It calls :func:`alms_toolkit.runs.audit_run.run_audit` and turns every outcome
into a status:

- ``ok``: the run folder is published, with its report;
- ``bad input``: the client's files or client.yml cannot be used, or its figures fail the
  sanity gate and were not accepted (no kernel started);
- ``failed``: a notebook cell failed (its executed notebook is kept in ``<as_of>.failed/``),
  the run folder already exists (no ``--force``), the disk is full or a permission is denied,
  the kernel would not start, or anything
  unexpected (the traceback is kept in :attr:`JobResult.detail`);
- ``interrupted``: the batch was stopped before this client finished.

Kernel start-up races between parallel runs (ZMQ "Address already in use", "Kernel didn't
respond", a ``RuntimeError`` from jupyter_client while starting the kernel) are retried
once, then reported as ``failed``.
"""

from __future__ import annotations

import datetime as dt
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypedDict

__all__ = [
    "OK",
    "BAD_INPUT",
    "FAILED",
    "INTERRUPTED",
    "STATUSES",
    "ClientJob",
    "JobResult",
    "run_client_job",
    "interrupted_result",
    "client_name",
    "is_kernel_start_error",
]

OK = "ok"
BAD_INPUT = "bad input"
FAILED = "failed"
INTERRUPTED = "interrupted"
#: every status a job can end with
STATUSES: tuple[str, ...] = (OK, BAD_INPUT, FAILED, INTERRUPTED)

#: how many times a kernel start-up failure is tried again before it is reported
KERNEL_START_RETRIES = 1

#: lower-case fragments of the messages of kernel start-up races
_KERNEL_START_MESSAGES = (
    "address already in use",
    "kernel didn't respond",
    "kernel died before replying to kernel_info",
)
#: functions of jupyter_client / nbclient that start a kernel (a RuntimeError raised
#: below one of them is a start-up failure, not a failing cell)
_KERNEL_START_FUNCTIONS = frozenset({
    "start_kernel", "_async_start_kernel", "_launch_kernel", "_async_launch_kernel",
    "launch_kernel", "pre_start_kernel", "_async_pre_start_kernel", "wait_for_ready",
    "_async_wait_for_ready", "start_new_kernel", "async_start_new_kernel",
    "start_new_kernel_client", "async_start_new_kernel_client", "start_channels",
})


@dataclass(frozen=True)
class ClientJob:
    """What one client's run needs; plain values only, so it pickles to any worker.

    Paths are made absolute by :meth:`make` (a Dask worker, or papermill changing the
    working directory, must not change what they name).
    """

    client_dir: str
    out: str
    as_of: dt.date | None = None
    formats: tuple[str, ...] = ("html", "pdf", "xlsx", "crm")
    force: bool = False
    notebook: str | None = None  # a variant of the audit notebook (default: the shipped one)
    accept: tuple[str, ...] = ()  # sanity-check codes accepted for every client (--accept)

    @classmethod
    def make(cls, client_dir: Path | str, out: Path | str, *, as_of: dt.date | None = None,
             formats: tuple[str, ...] | None = None, force: bool = False,
             notebook: Path | str | None = None, accept: tuple[str, ...] = ()) -> ClientJob:
        """A job with absolute paths (``formats`` default: every format)."""
        kwargs: dict[str, Any] = {} if formats is None else {"formats": tuple(formats)}
        return cls(client_dir=str(Path(client_dir).resolve()), out=str(Path(out).resolve()),
                   as_of=as_of, force=force,
                   notebook=None if notebook is None else str(Path(notebook).resolve()),
                   accept=tuple(accept), **kwargs)

    @property
    def name(self) -> str:
        """The client folder's name (how the batch names the client before reading it)."""
        return Path(self.client_dir).name


@dataclass(frozen=True)
class JobResult:
    """The outcome of one client's run (small and picklable; no DataFrames)."""

    name: str
    client_dir: str
    status: str
    duration: float = 0.0
    client: str | None = None
    slug: str | None = None
    as_of: str | None = None
    cutoff: str | None = None  # exact decimal string, as in summary.json
    currency: str = "$"
    n_key: int | None = None
    n_clients: int | None = None
    folder: str | None = None  # the published run folder
    report: str | None = None  # report.html, else the run folder
    error: str | None = None  # the message a consultant reads
    reason: str | None = None  # the error's machine-readable kind (AlmsError.reason), else "unexpected"
    detail: str | None = None  # the traceback of an unexpected error
    kept_notebook: str | None = None  # the executed notebook of a failed run
    attempts: int = 1
    timings: dict[str, float] = field(default_factory=dict)
    #: the Dask workers that died while running this client (each attempt lost is one more
    #: in ``attempts``); empty on this machine's pool
    lost_workers: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def label(self) -> str:
        """The client's display name when known, else its folder's name."""
        return self.client or self.name

    @property
    def error_line(self) -> str:
        """The first line of the error ('' when none)."""
        return (self.error or "").strip().splitlines()[0] if (self.error or "").strip() else ""


def interrupted_result(job: ClientJob, *, started: bool, duration: float = 0.0) -> JobResult:
    """The result of a job the batch stopped (``started``: it was running)."""
    why = ("stopped before it finished: nothing of this run was published" if started
           else "not started: the batch was stopped")
    return JobResult(name=job.name, client_dir=job.client_dir, status=INTERRUPTED,
                     duration=round(duration, 3), error=f"Interrupted: {why}")


def _raised_while_starting_kernel(exc: BaseException) -> bool:
    return any(frame.name in _KERNEL_START_FUNCTIONS and ("jupyter_client" in frame.filename
                                                           or "nbclient" in frame.filename)
               for frame in traceback.extract_tb(exc.__traceback__))


def is_kernel_start_error(exc: BaseException) -> bool:
    """True for the kernel start-up races of parallel runs (worth one more try)."""
    from ..errors import AlmsError, exception_chain

    if isinstance(exc, AlmsError):  # a failing cell, bad input, ...: never retried
        return False
    for e in exception_chain(exc):
        if type(e).__module__.split(".")[0] == "zmq":
            return True
        message = str(e).lower()
        if any(fragment in message for fragment in _KERNEL_START_MESSAGES):
            return True
        if isinstance(e, RuntimeError) and _raised_while_starting_kernel(e):
            return True
    return False


def _ok_result(job: ClientJob, run: Any, attempts: int, duration: float) -> JobResult:
    summary = dict(run.summary)
    folder = Path(run.folder)
    report = folder / "report.html"
    currency = "$"
    try:
        from ..config import load_config

        currency = load_config(job.client_dir).branding.currency
    except Exception:  # noqa: BLE001 - the currency only decorates the table
        pass
    return JobResult(
        name=job.name, client_dir=job.client_dir, status=OK, duration=round(duration, 3),
        client=run.client, slug=run.slug, as_of=run.as_of.isoformat(),
        cutoff=summary.get("cutoff"), currency=currency,
        n_key=summary.get("n_key"), n_clients=summary.get("n_clients"),
        folder=str(folder), report=str(report if report in run.files else folder),
        attempts=attempts, timings={k: float(v) for k, v in dict(run.timings).items()},
    )


def client_name(job: ClientJob) -> tuple[str | None, str | None]:
    """The client's display name and slug from its client.yml (None, None if unreadable)."""
    try:
        from ..config import load_config

        config = load_config(job.client_dir)
        return config.client, config.slug
    except Exception:  # noqa: BLE001 - a bad client.yml is reported by the run itself
        return None, None


class _RunOptions(TypedDict, total=False):
    """The keywords passed to the runner only when set (a fake runner need not take them)."""

    accept: tuple[str, ...]


def run_client_job(job: ClientJob, *, runner: Callable[..., Any] | None = None) -> JobResult:
    """Run one client's audit and return its result; never raises an ``Exception``
    (``KeyboardInterrupt`` still propagates, so a stopped batch stops).

    ``runner`` defaults to :func:`alms_toolkit.runs.audit_run.run_audit` (tests pass a fake).
    """
    from ..errors import (
        AlmsError,
        BadInputError,
        FileAccessError,
        NotebookRunError,
        OutputExistsError,
        first_line,
    )

    if runner is None:
        from ..runs.audit_run import run_audit

        runner = run_audit
    options: _RunOptions = {"accept": job.accept} if job.accept else {}

    start = time.perf_counter()
    attempts = 0
    while True:
        attempts += 1
        try:
            run = runner(job.client_dir, as_of=job.as_of, out=job.out, formats=job.formats,
                         force=job.force, progress=False, notebook=job.notebook,
                         **options)
            return _ok_result(job, run, attempts, time.perf_counter() - start)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a status
            if is_kernel_start_error(exc) and attempts <= KERNEL_START_RETRIES:
                continue
            client, slug = client_name(job)
            base = JobResult(name=job.name, client_dir=job.client_dir, status=FAILED,
                             duration=round(time.perf_counter() - start, 3), client=client,
                             slug=slug, attempts=attempts)
            if isinstance(exc, NotebookRunError):
                kept = str(exc.notebook_path) if exc.notebook_path is not None else None
                return replace(base, error=str(exc), kept_notebook=kept, reason=exc.reason)
            if isinstance(exc, OutputExistsError):  # the run exists: not the client's files
                return replace(base, error=str(exc), reason=exc.reason)
            if isinstance(exc, BadInputError):
                return replace(base, status=BAD_INPUT, error=str(exc), reason=exc.reason)
            access = FileAccessError.from_os_error(exc, job.out)
            if isinstance(access, FileAccessError):  # disk full, quota, permission, read-only: said plainly
                return replace(base, error=str(access), reason=access.reason)
            if is_kernel_start_error(exc):
                return replace(base, error=(
                    f"The notebook's kernel did not start ({attempts} attempts): {first_line(exc)}"
                ), detail=traceback.format_exc(), reason="kernel_start")
            if isinstance(exc, AlmsError):  # a run that failed for a reason the toolkit names
                return replace(base, error=str(exc), reason=exc.reason)
            return replace(base, error=f"Unexpected error: {first_line(exc)}",
                           detail=traceback.format_exc(), reason="unexpected")
