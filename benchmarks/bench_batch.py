"""`alms batch` over 8 sample clients: wall time with 1 worker and with 2 workers (target
speed-up >= 1.6x on a 2-core machine), and the per-client overhead of a papermill run
(spawned process, kernel, notebook, report files) over the engine alone (``audit()`` in
this process).

Prints a short table. The clients are generated (120 clients, 5 sellers, 24 months each,
media and services alternately); the deliverables are HTML, XLSX and CRM files (the PDF
is left out so that the figures measure the batch, not WeasyPrint).
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

N_CLIENTS = 8
FORMATS = ("html", "xlsx", "crm")
TARGET_SPEEDUP = 1.6
AS_OF = dt.date(2025, 7, 1)
_CPU: dict[int, float] = {}


def _make_clients(root: Path) -> list[Path]:
    from alms_toolkit.sample import generate_client

    return [
        generate_client(root / f"client-{i + 1}", seed=100 + i, clients=120, sellers=5, months=24,
                        as_of=AS_OF, kind="media" if i % 2 == 0 else "services", messy=i % 2 == 0)
        for i in range(N_CLIENTS)
    ]


def _batch(root: Path, out: Path, workers: int):
    from alms_toolkit.batch.run import run_batch

    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = run_batch(root, out=out, workers=workers, formats=FORMATS, progress=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _CPU[workers] = (after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime)
    bad = [r for r in result.results if not r.ok]
    if bad:
        raise SystemExit(f"batch with {workers} worker(s) failed: {bad[0].label}: {bad[0].error_line}")
    return wall, result


def _engine_times(folders: list[Path]) -> list[float]:
    from alms_toolkit.engine import audit

    audit(folders[0])  # warm imports, as a notebook kernel's setup cell would not be
    times = []
    for folder in folders:
        start = time.perf_counter()
        audit(folder)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp_name:
        tmp = Path(tmp_name)
        folders = _make_clients(tmp / "client_data")
        wall1, one = _batch(tmp / "client_data", tmp / "reports-1", 1)
        wall2, two = _batch(tmp / "client_data", tmp / "reports-2", 2)
        engine = _engine_times(folders)

    per_client = [r.duration for r in one.results]
    kernel = [r.timings.get("kernel_start", 0.0) for r in one.results]
    cells = [r.timings.get("cells", 0.0) for r in one.results]
    files = [sum(r.timings.get(k, 0.0) for k in FORMATS) for r in one.results]
    check = [r.timings.get("validate", 0.0) for r in one.results]
    papermill = [r.timings.get("notebook", 0.0) - r.timings.get("kernel_start", 0.0)
                 - r.timings.get("cells", 0.0) for r in one.results]
    process = [r.duration - r.timings.get("total", 0.0) for r in one.results]
    speedup = wall1 / wall2 if wall2 else float("nan")
    mean = statistics.mean
    print(f"alms batch: {N_CLIENTS} sample clients (120 clients, 24 months each), formats "
          f"{','.join(FORMATS)}, {os.cpu_count()} CPUs")
    rows = [
        ("wall time, 1 worker", f"{wall1:8.1f} s"),
        ("wall time, 2 workers", f"{wall2:8.1f} s"),
        ("CPU time of the runs, 1 / 2 workers", f"{_CPU[1]:8.1f} s / {_CPU[2]:.1f} s"),
        ("cores used on average, 1 / 2 workers", f"{_CPU[1] / wall1:8.2f} / {_CPU[2] / wall2:.2f}"),
        ("load average at the end", f"{os.getloadavg()[0]:8.2f}  (other work on this machine "
                                    "slows the 2-worker run)"),
        ("speed-up (target >= 1.6x)", f"{speedup:8.2f} x  {'OK' if speedup >= TARGET_SPEEDUP else 'BELOW TARGET'}"),
        ("per client, papermill run (1 worker)", f"{mean(per_client):8.2f} s"),
        ("  of which process start + imports", f"{mean(process):8.2f} s"),
        ("  of which input check (audit())", f"{mean(check):8.2f} s"),
        ("  of which kernel start", f"{mean(kernel):8.2f} s"),
        ("  of which papermill itself", f"{mean(papermill):8.2f} s"),
        ("  of which notebook cells", f"{mean(cells):8.2f} s"),
        ("  of which report files", f"{mean(files):8.2f} s"),
        ("per client, engine alone (audit())", f"{mean(engine):8.2f} s"),
        ("papermill overhead per client", f"{mean(per_client) - mean(engine):8.2f} s  "
                                          f"({mean(per_client) / mean(engine):.1f}x the engine)"),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")


if __name__ == "__main__":
    main()
