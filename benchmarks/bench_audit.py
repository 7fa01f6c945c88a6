"""`alms audit` end to end (kernel, notebook, HTML, report PDF, seller PDFs and workbooks, CRM
files; the CLI's default formats) beside `alms summary` (the engine alone) and the bare pandas
baseline, each in a fresh process, paired and interleaved.

* the shipped small sample (client_data/sample-services): median of ``ALMS_BENCH_REPEAT``
  rounds (default 3). The audit's overhead beyond the engine = audit wall - summary wall (both
  start a process, import and compute the audit; the rest is the deliverables);
* 50k clients / 1M lines (benchmarks/cases.py): one round (minutes), stopped after
  ``ALMS_BENCH_TIMEOUT`` seconds (default 1800) so that `make bench` ends on a busy machine.

The timed runs are the programs a consultant runs (``python -m alms_toolkit.cli audit`` and
``summary``: the ``alms`` command, which ends without a last garbage collection). The split of
one audit (runner's steps, which overlap: the notebook runs while the runner writes the seller
files) and the report's page count come from one more run through the API (``--child``),
untimed in the goals: its process also pays that last collection and the page count.

Goals (issue 16): a small audit's overhead beyond the engine <= 6 s; a 50k-client audit
<= 60 s. Also printed: peak RSS.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import cases
from paired import (
    REPEAT,
    TIMEOUT,
    Series,
    alms,
    baseline,
    cell,
    load_note,
    paired,
    python,
    record_goal,
    run_child,
)

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "client_data" / "sample-services"
OVERHEAD_GOAL = 6.0
LARGE_GOAL = 60.0
COLUMNS = [
    ("validate", "audit (runner)"), ("kernel_start", "kernel start"), ("cells", "cells"),
    ("html", "HTML"), ("pdf", "report PDF"), ("seller_files", "seller files"), ("xlsx", "master list"), ("crm", "CRM"),
]


def _child(folder: str, out: str) -> None:
    """In a fresh process: ``alms audit FOLDER`` through its API with the CLI's default formats."""
    start = time.perf_counter()
    from alms_toolkit.cli.audit import command
    from alms_toolkit.cli.options import parse_formats
    from alms_toolkit.runs.audit_run import run_audit

    default = next(p.default for p in command.params if p.name == "formats")
    formats = parse_formats(None, None, default)  # type: ignore[arg-type]
    result = run_audit(folder, out=out, formats=formats, progress=False, force=True)
    pages = None
    pdf = result.folder / "report.pdf"
    if pdf.is_file():
        from pypdf import PdfReader

        pages = len(PdfReader(str(pdf)).pages)
    print(json.dumps({"wall": time.perf_counter() - start, "timings": result.timings, "pages": pages,
                      "files": len(result.files), "n_clients": result.summary["n_clients"],
                      "formats": list(formats)}))


def _measure(folder: Path, tmp: Path, repeat: int, timeout: float | None = None) -> dict[str, Series]:
    """The paired runs (the ``alms`` program itself, as a consultant runs it), then one more
    audit through the API (``--child``) for the split of its steps ("split")."""
    spec_file = tmp / f"{folder.name}.spec.json"
    spec_file.write_text(json.dumps(cases.spec_of(folder)), encoding="utf-8")
    series = paired([("bare pandas", baseline("bare_pandas", spec_file)), ("alms summary", alms("summary", folder)),
                     ("alms audit", alms("audit", folder, "--out", tmp / "reports", "--force", "--quiet"))],
                    repeat=repeat, progress=folder.name, timeout=timeout)
    split = Series("split")
    split.runs.append(run_child(python(__file__, "--child", folder, tmp / "split"), timeout=timeout))
    return {**series, "split": split}


def _print(name: str, series: dict[str, Series]) -> None:
    bare = series["bare pandas"]
    print(f"{name}: median of {len(bare.runs)} paired fresh-process run(s) of the programs")
    for k, s in series.items():
        if k != "split":
            print(f"  {k:<13} {cell(s, bare if k != 'bare pandas' else None):<36} CPU {s.cpu:.2f} s")
    split = series["split"]
    if split.good:
        d = split.good[0].json()
        t = d["timings"]
        print(f"  one audit ({d['n_clients']:,} clients, formats {','.join(d['formats'])}, {d['files']} files, "
              f"report {d['pages']} pages; run once more through the API, {d['wall']:.2f} s): " + ", ".join(f"{label} {t.get(k, 0.0):.2f}" for k, label in COLUMNS))


def main() -> None:
    print(__doc__.split("\n\n")[0])
    goals = []
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp_name:
        tmp = Path(tmp_name)
        small = _measure(SMALL, tmp, repeat=REPEAT)
        _print(f"{SMALL.name} (shipped sample)", small)
        audit, summary = small["alms audit"], small["alms summary"]
        overhead = audit.wall - summary.wall if audit.good and summary.good else None
        if overhead is not None:
            print(f"  overhead beyond the engine: {overhead:.2f} s wall (audit {audit.wall:.2f} - summary "
                  f"{summary.wall:.2f}), {audit.cpu - summary.cpu:.2f} s CPU")
        goals.append(record_goal(f"alms audit {SMALL.name}: overhead <= {OVERHEAD_GOAL:.0f} s",
                                 f"{overhead:.2f} s (CPU {audit.cpu - summary.cpu:.1f} s)"
                                 if overhead is not None else "failed",
                                 None if overhead is None else overhead <= OVERHEAD_GOAL))
        large_case = cases.sample_case(50_000, 1_000_000)
        large = _measure(large_case.folder, tmp, repeat=1, timeout=TIMEOUT)
        _print(large_case.name, large)
        a = large["alms audit"]
        goals.append(record_goal(f"alms audit {large_case.name}: <= {LARGE_GOAL:.0f} s",
                                 f"{a.wall:.1f} s" if a.good else (a.failed.error_line()[:30] if a.failed else "failed"),
                                 None if not a.good else a.wall <= LARGE_GOAL))
    print(f"\nGoals ({load_note()} at the end):")
    print("\n".join(f"  {g}" for g in goals))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        main()
