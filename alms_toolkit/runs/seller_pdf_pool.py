"""The sellers' printable PDFs, rendered in worker processes while the run does the rest.

The seller PDFs come from the official list, not from the notebook. Typst lays each out in
0.1 to 0.3 s of CPU (0.7 s for a seller with 2,000 accounts, the list capped at
:data:`~alms_toolkit.report.writers.seller_pdf.MAX_ROWS`): a client with many sellers still
spends seconds on them, better spent beside the notebook than after it. :class:`SellerPdfs` starts them as
soon as the official list exists, in worker processes (``python -m`` this module: a fresh
interpreter, so neither the runner's threads nor a script without a ``__main__`` guard can
get in the way), each handed the official list once and its share of the sellers (the
largest lists spread first). They render while the kernel runs the notebook and while the
runner writes the workbooks, the HTML and the report PDF; :meth:`SellerPdfs.wait` collects
them at the end.

``workers=0`` renders every PDF in this process when :meth:`~SellerPdfs.wait` is called (the
way the run worked before; also the fallback when no process can be started). A failure in a
worker is raised here: a disk or permission problem as an ``OSError`` (the runner names it
for the consultant), anything else as a :class:`~alms_toolkit.errors.ReportError` naming the
seller's file.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ReportError

if TYPE_CHECKING:
    import subprocess

    from ..analysis.official_list import OfficialList

__all__ = ["SellerPdfs", "default_workers", "main"]

#: seconds a stopped worker gets to end before it is killed
_GRACE = 5.0


def default_workers(n_sellers: int) -> int:
    """One worker per core but one (left to the notebook's kernel and the runner's own
    writing: the report PDF renders while the seller PDFs do), never more than there are
    sellers, at least one. Each worker costs ~0.6 s of CPU to start (the interpreter, pandas,
    the toolkit's writers and the ``typst`` binding; no WeasyPrint)."""
    return max(1, min(n_sellers, (os.cpu_count() or 1) - 1))


def _os_error_in(exc: BaseException) -> OSError | None:
    from ..errors import exception_chain

    return next((e for e in exception_chain(exc) if isinstance(e, OSError)), None)


def _shares(sizes: dict[str, int], n: int) -> list[list[str]]:
    """The sellers in ``n`` groups of about equal work, the largest lists placed first."""
    groups: list[list[str]] = [[] for _ in range(n)]
    load = [0] * n
    for seller in sorted(sizes, key=lambda s: -sizes[s]):
        i = load.index(min(load))
        groups[i].append(seller)
        load[i] += sizes[seller] + 130  # a PDF's fixed pages weigh as about 130 list rows (Typst)
    return [g for g in groups if g]


def _package_root() -> str:
    """The folder holding this ``alms_toolkit`` (a worker imports the same copy)."""
    return str(Path(__file__).resolve().parents[2])


class SellerPdfs:
    """Every seller's PDF in ``out_dir`` (named as the workbooks are), started now."""

    def __init__(self, official: OfficialList, out_dir: Path | str, *, workers: int | None = None) -> None:
        from ..report.writers.xlsx import seller_file_stems

        self.started = time.perf_counter()
        self.official = official
        self.out_dir = Path(out_dir).absolute()
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.paths = {seller: self.out_dir / f"{stem}.pdf" for seller, stem in seller_file_stems(official.sellers).items()}
        n = default_workers(len(self.paths)) if workers is None else max(0, int(workers))
        self._tmp: Path | None = None
        self._workers: list[tuple[subprocess.Popen[bytes], Path, Path, list[str]]] = []
        if n and self.paths:
            try:
                self._start(n)
            except OSError:  # no process can be started here: rendered in this process
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
        self._tmp = Path(tempfile.mkdtemp(prefix=".seller-pdfs-", dir=self.out_dir.parent))
        data = self._tmp / "official.pickle"
        data.write_bytes(pickle.dumps(self.official, protocol=pickle.HIGHEST_PROTOCOL))
        counts = self.official.seller_accounts["seller"].value_counts()
        sizes = {seller: int(counts.get(seller, 0)) for seller in self.paths}
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [_package_root(), *filter(None, [os.environ.get("PYTHONPATH")])])}
        for i, group in enumerate(_shares(sizes, n)):
            task, result, log = (self._tmp / f"worker-{i}.{ext}" for ext in ("task.json", "result.json", "log"))
            task.write_text(json.dumps({"official": str(data), "result": str(result),
                                        "pdfs": [[seller, str(self.paths[seller])] for seller in group]}),
                            encoding="utf-8")
            with log.open("wb") as err:
                proc = subprocess.Popen([sys.executable, "-m", __name__, str(task)], cwd=str(self._tmp),
                                        env=env, stdin=subprocess.DEVNULL, stdout=err, stderr=err)
            self._workers.append((proc, result, log, group))

    def wait(self) -> list[Path]:
        """The written PDFs, in the sellers' order; raises the first failure."""
        from ..report.writers.seller_pdf import write_seller_pdf

        done: dict[str, Path] = {}
        try:
            for proc, result, log, group in self._workers:
                proc.wait()
                outcome = json.loads(result.read_text(encoding="utf-8")) if result.is_file() else None
                if outcome is None or proc.returncode != 0 and not outcome.get("error"):
                    tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
                    raise ReportError(f"{self.paths[group[0]]}: the seller PDFs could not be written (their worker "
                                      f"process stopped with code {proc.returncode}: {' / '.join(tail) or 'no message'})")
                error = outcome.get("error")
                if error:
                    if error.get("errno") is not None:
                        raise OSError(error["errno"], error["message"], error.get("filename"))
                    raise ReportError(f"{error['path']}: the PDF could not be written ({error['message']})")
                done.update({seller: Path(path) for seller, path in outcome["written"]})
            return [done[seller] if seller in done else write_seller_pdf(self.official, seller, path)
                    for seller, path in self.paths.items()]
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

    def __enter__(self) -> SellerPdfs:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def main(argv: list[str] | None = None) -> int:
    """A worker: render the PDFs its task file lists; the outcome goes to the result file."""
    import pickle

    from ..report.writers.seller_pdf import write_seller_pdf

    task = json.loads(Path((argv if argv is not None else sys.argv[1:])[0]).read_text(encoding="utf-8"))
    official = pickle.loads(Path(task["official"]).read_bytes())  # noqa: S301 - written by the runner just now
    written: list[list[str]] = []
    error: dict[str, Any] | None = None
    for seller, path in task["pdfs"]:
        try:
            written.append([seller, str(write_seller_pdf(official, seller, path))])
        except Exception as exc:  # noqa: BLE001 - handed to the runner, which raises it
            os_error = _os_error_in(exc)
            error = {"path": path, "message": os_error.strerror if os_error is not None else str(exc),
                     "errno": None if os_error is None else os_error.errno,
                     "filename": None if os_error is None else os_error.filename}
            break
    Path(task["result"]).write_text(json.dumps({"written": written, "error": error}), encoding="utf-8")
    return 0 if error is None else 1


if __name__ == "__main__":
    raise SystemExit(main())
