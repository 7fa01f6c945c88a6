"""The sellers' files (printable PDFs and workbooks), written in worker processes while the
run does the rest.

The seller files come from the official list, not from the notebook. Typst lays each PDF out
in 0.1 to 0.3 s of CPU (0.7 s for a seller with 2,000 accounts, the list capped at
:data:`~alms_toolkit.report.writers.seller_pdf.MAX_ROWS`); a workbook takes about 0.4 ms of
CPU per account (every account on its lists, formulas on its projection sheet: seconds for a
seller with thousands). A client with many sellers or many accounts spends seconds to minutes
on them, better spent on the machine's other cores than in the runner, which meanwhile
writes the manager's master list, then the report's HTML and PDF. :class:`SellerFiles`
starts them as soon as the official list exists, in worker processes (``python -m`` this
module: a fresh interpreter, so neither the runner's threads nor a script without a
``__main__`` guard can get in the way), each handed the official list once and its share of
the sellers (the largest lists spread first); :meth:`SellerFiles.wait` collects them at the
end.

``workers=0`` writes every file in this process when :meth:`~SellerFiles.wait` is called
(the way the run worked before; also the fallback when no process can be started). A failure
in a worker is raised here: a disk or permission problem as an ``OSError`` (the runner names
it for the consultant), anything else as a :class:`~alms_toolkit.errors.ReportError` naming
the seller's file.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ReportError

if TYPE_CHECKING:
    import subprocess

    from ..analysis.official_list import OfficialList

__all__ = ["SellerFiles", "KINDS", "default_workers", "main"]

#: the files a seller gets, by extension: the printable PDF and the workbook
KINDS = ("pdf", "xlsx")

#: how much lower a worker's priority is than the run's (``nice``)
_NICENESS = 10
#: seconds a stopped worker gets to end before it is killed
_GRACE = 5.0


#: the seller files' work (in list rows, :func:`_weight`; about 0.5 ms of CPU each) from which
#: a worker runs on the last core too: several times what a worker's start costs
LONG_WORK = 5_000


def default_workers(n_sellers: int, work: int = 0) -> int:
    """One worker per core but one (left to the notebook's kernel and the runner's own
    writing: the master list and the report's PDF are written while the seller files are);
    for long work (``work``: the files' weight, :data:`LONG_WORK` or more) one on that last core
    too. The workers run at a lower priority, so that one takes the core only when the runner
    and the kernel leave it idle: once the report is written, the runner only waits for the
    seller files (a 50k-client audit: 40 -> 35 s on two cores). The cores are the client's
    (:func:`alms_toolkit.cores.client_cores`: its share in a batch). Never more than there are
    sellers, at least one. Each worker costs ~0.6 s of CPU to start (pandas, Typst, XlsxWriter)."""
    from ..cores import client_cores

    cores = client_cores()
    spare = 0 if work >= LONG_WORK and cores >= 2 else 1
    return max(1, min(n_sellers, cores - spare))


def _weight(n_accounts: int, kinds: tuple[str, ...]) -> int:
    """A seller's share of the work, in list rows (roughly measured): a PDF's fixed pages weigh
    as ~130 rows and its list is capped; a workbook costs about three times a PDF's row."""
    from ..report.writers.seller_pdf import MAX_ROWS

    return ((min(n_accounts, MAX_ROWS) + 130 if "pdf" in kinds else 0)
            + (3 * n_accounts + 50 if "xlsx" in kinds else 0))


def _os_error_in(exc: BaseException) -> OSError | None:
    from ..errors import exception_chain

    return next((e for e in exception_chain(exc) if isinstance(e, OSError)), None)


def _shares(sizes: dict[str, int], n: int) -> list[list[str]]:
    """The sellers in ``n`` groups of about equal work (``sizes``: each seller's weight), the
    largest placed first."""
    groups: list[list[str]] = [[] for _ in range(n)]
    load = [0] * n
    for seller in sorted(sizes, key=lambda s: -sizes[s]):
        i = load.index(min(load))
        groups[i].append(seller)
        load[i] += sizes[seller]
    return [g for g in groups if g]


def _write(official: OfficialList, seller: str, kind: str, path: Path) -> Path:
    """One seller file: ``kind`` is ``pdf`` or ``xlsx``."""
    if kind == "pdf":
        from ..report.writers.seller_pdf import write_seller_pdf

        return write_seller_pdf(official, seller, path)
    from ..report.writers.xlsx import write_seller_workbook

    return write_seller_workbook(official, seller, path)


def _package_root() -> str:
    """The folder holding this ``alms_toolkit`` (a worker imports the same copy)."""
    return str(Path(__file__).resolve().parents[2])


class SellerFiles:
    """Every seller's files of ``kinds`` (:data:`KINDS`) in ``out_dir``, named
    ``seller-<name>.<kind>`` (:func:`~alms_toolkit.report.writers.xlsx.seller_file_stems`),
    started now."""

    def __init__(self, official: OfficialList, out_dir: Path | str, *, kinds: Sequence[str] = KINDS,
                 workers: int | None = None) -> None:
        from ..report.writers.xlsx import seller_file_stems

        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown seller file kinds: {unknown} (use {KINDS})")
        self.started = time.perf_counter()
        self.official = official
        self.kinds = tuple(k for k in KINDS if k in kinds)
        self.out_dir = Path(out_dir).absolute()
        self.out_dir.mkdir(parents=True, exist_ok=True)
        given = Path(out_dir)  # the paths handed back are in the form given (a relative folder stays so)
        #: (seller, kind) -> the file's path, in the sellers' order, each seller's PDF first
        self.paths = {(seller, kind): given / f"{stem}.{kind}"
                      for seller, stem in seller_file_stems(official.sellers).items() for kind in self.kinds}
        n_sellers = len(official.sellers) if self.kinds else 0
        counts = official.seller_accounts["seller"].value_counts().to_dict() if self.paths else {}
        #: each seller's share of the work (:func:`_weight`)
        self.sizes = {seller: _weight(int(counts.get(seller, 0)), self.kinds) for seller, _kind in self.paths}
        n = default_workers(n_sellers, sum(self.sizes.values())) if workers is None else max(0, int(workers))
        self._tmp: Path | None = None
        self._workers: list[tuple[subprocess.Popen[bytes], Path, Path, list[str]]] = []
        if n and self.paths:
            try:
                self._start(n)
            except OSError:  # no process can be started here: written in this process
                self.close()
            except BaseException:  # stopped (Ctrl-C, SIGTERM) while starting: no worker outlives it
                self.close()
                raise

    def _start(self, n: int) -> None:
        import pickle
        import subprocess
        import tempfile

        # beside the sellers' folder, in the run's unfinished folder: the client's figures never
        # outlive a run stopped hard (the leftovers of a stopped run are removed with it)
        self._tmp = Path(tempfile.mkdtemp(prefix=".seller-files-", dir=self.out_dir.parent))
        data = self._tmp / "official.pickle"
        data.write_bytes(pickle.dumps(self.official, protocol=pickle.HIGHEST_PROTOCOL))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [_package_root(), *filter(None, [os.environ.get("PYTHONPATH")])])}
        for i, group in enumerate(_shares(self.sizes, n)):
            task, result, log = (self._tmp / f"worker-{i}.{ext}" for ext in ("task.json", "result.json", "log"))
            files = [[seller, kind, str(self.paths[seller, kind].absolute())] for seller in group for kind in self.kinds]
            task.write_text(json.dumps({"official": str(data), "result": str(result), "files": files}),
                            encoding="utf-8")
            with log.open("wb") as err:
                proc = subprocess.Popen([sys.executable, "-m", __name__, str(task)], cwd=str(self._tmp),
                                        env=env, stdin=subprocess.DEVNULL, stdout=err, stderr=err)
            self._workers.append((proc, result, log, group))

    def wait(self) -> list[Path]:
        """The written files, in the sellers' order (each seller's PDF, then workbook); raises
        the first failure."""
        done: set[tuple[str, str]] = set()
        try:
            for proc, result, log, group in self._workers:
                proc.wait()
                outcome = json.loads(result.read_text(encoding="utf-8")) if result.is_file() else None
                if outcome is None or proc.returncode != 0 and not outcome.get("error"):
                    tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
                    first = self.paths[group[0], self.kinds[0]]
                    raise ReportError(f"{first}: the seller files could not be written (their worker "
                                      f"process stopped with code {proc.returncode}: {' / '.join(tail) or 'no message'})")
                error = outcome.get("error")
                if error:
                    if error.get("errno") is not None:
                        raise OSError(error["errno"], error["message"], error.get("filename"))
                    raise ReportError(f"{error['path']}: the file could not be written ({error['message']})")
                done.update((seller, kind) for seller, kind, _path in outcome["written"])
            # a file a worker wrote is at its path (given as absolute), handed back as asked
            return [path if key in done else _write(self.official, key[0], key[1], path)
                    for key, path in self.paths.items()]
        finally:
            self.close()

    def close(self) -> None:
        """Stop the workers still running and remove their hand-over files; safe to call twice."""
        import shutil

        workers, self._workers = self._workers, []
        for proc, *_ in workers:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + _GRACE
        for proc, *_ in workers:
            try:
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
            except Exception:  # noqa: BLE001 - still running after the grace period
                proc.kill()
                proc.wait()
        tmp, self._tmp = self._tmp, None
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    def __enter__(self) -> SellerFiles:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def main(argv: list[str] | None = None) -> int:
    """A worker: write the files its task file lists; the outcome goes to the result file.
    It runs at a lower priority: the notebook's kernel and the runner's report (what the run
    waits for) get the cores first, the seller files the time they leave."""
    import pickle

    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):  # a sandbox may refuse it: the files are written all the same
            os.nice(_NICENESS)

    task = json.loads(Path((argv if argv is not None else sys.argv[1:])[0]).read_text(encoding="utf-8"))
    official = pickle.loads(Path(task["official"]).read_bytes())  # noqa: S301 - written by the runner just now
    written: list[list[str]] = []
    error: dict[str, Any] | None = None
    for seller, kind, path in task["files"]:
        try:
            written.append([seller, kind, str(_write(official, seller, kind, Path(path)))])
        except Exception as exc:  # noqa: BLE001 - handed to the runner, which raises it
            os_error = _os_error_in(exc)
            error = {"path": path, "message": os_error.strerror if os_error is not None else str(exc),
                     "errno": None if os_error is None else os_error.errno,
                     "filename": None if os_error is None else os_error.filename}
            break
    Path(task["result"]).write_text(json.dumps({"written": written, "error": error}), encoding="utf-8")
    return 0 if error is None else 1


if __name__ == "__main__":
    code = main()
    gc.freeze()  # the worker ends now: its objects are left to the system (see alms_toolkit.cli.run)
    raise SystemExit(code)
