"""``run_batch``: every client folder of a folder, one isolated audit run each, then the
summary (table, ``batch_<date>.csv``, ``index.html``) under the reports folder."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import MissingFileError
from .clients import find_client_folders
from .jobs import OK, ClientJob, JobResult
from .stopping import StopRequest
from .summary import format_table, status_counts, write_batch_csv, write_index_html

__all__ = ["BatchResult", "run_batch"]


@dataclass(frozen=True)
class BatchResult:
    """A finished (or stopped) batch: one result per client, in folder order."""

    results: tuple[JobResult, ...]
    csv: Path
    index: Path
    started: dt.datetime
    duration: float
    interrupted: bool

    @property
    def ok(self) -> bool:
        """True when every client's run succeeded."""
        return bool(self.results) and all(r.status == OK for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 when every client succeeded, else 1."""
        return 0 if self.ok else 1

    def counts(self) -> dict[str, int]:
        return status_counts(self.results)

    def table(self) -> str:
        """The summary table as printed by ``alms batch``."""
        return format_table(self.results)


def run_batch(
    client_data_dir: Path | str,
    *,
    out: Path | str = "reports",
    workers: int | None = None,
    as_of: dt.date | None = None,
    only: Iterable[str] | str | None = None,
    formats: Iterable[str] | None = None,
    force: bool = False,
    executor: str = "local",
    notebook: Path | str | None = None,
    progress: bool = True,
    stop: StopRequest | None = None,
    accept: Iterable[str] = (),
) -> BatchResult:
    """Audit every client folder under ``client_data_dir`` (or the ``only`` ones), each in
    its own process (``executor`` ``local``) or on a Dask cluster (``dask://HOST:PORT``),
    and write the summary under ``out``. ``notebook``: a variant of the audit notebook with
    the same parameters (default: the shipped one). ``accept``: sanity-check codes accepted
    for every client (each client.yml's ``accept`` adds its own). Bad usage (no such folder, no client, unknown
    ``--only`` name, bad executor, Dask missing or unreachable) raises before any run."""
    from tqdm.auto import tqdm

    from ..analysis.sanity import accepted_codes
    from ..runs.audit_run import FORMATS
    from .dask_executor import dask_address

    address = dask_address(executor)
    if notebook is not None and not Path(notebook).is_file():
        raise MissingFileError(notebook, "the notebook given with --notebook does not exist")
    folders = find_client_folders(client_data_dir, only)
    chosen = tuple(formats) if formats is not None else FORMATS
    accepted = tuple(sorted(accepted_codes(accept)))
    jobs = [ClientJob.make(f, out, as_of=as_of, formats=chosen, force=force, notebook=notebook,
                           accept=accepted) for f in folders]
    stop = stop if stop is not None else StopRequest()
    started = dt.datetime.now()
    clock = time.perf_counter()
    bar = tqdm(total=len(jobs), unit="client", desc="Clients", file=sys.stderr,
               disable=not progress, dynamic_ncols=True)

    def on_result(result: JobResult) -> None:
        bar.set_postfix_str(f"{result.label}: {result.status}", refresh=False)
        bar.update(1)

    try:
        if address is None:
            from .local import run_local

            results = run_local(jobs, workers=workers, on_result=on_result, stop=stop)
        else:
            from .dask_executor import run_dask

            results = run_dask(jobs, address, on_result=on_result, stop=stop)
    finally:
        bar.close()
    csv = write_batch_csv(results, out, started.date())
    index = write_index_html(results, out, started=started, csv_path=csv)
    return BatchResult(results=tuple(results), csv=csv, index=index, started=started,
                       duration=round(time.perf_counter() - clock, 3), interrupted=bool(stop))
