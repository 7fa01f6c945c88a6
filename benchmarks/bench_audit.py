"""`alms audit` end to end (papermill kernel, HTML, PDF, seller files, CRM files) on the
small shipped sample and on the UCI Online Retail ledger (4,243 spending clients).

Targets: the sample under 20 s, Online Retail under 90 s. Prints the split of each run:
audit computed in the runner (input check), kernel start, notebook cells, HTML, report PDF,
seller PDFs, seller workbooks, CRM files; plus the report's page count (it must stay
bounded: full lists go to accounts.csv and the seller files).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import datasets

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "client_data" / "sample-services"
RETAIL = datasets.ONLINE_RETAIL
TARGETS = {"sample-services": 20.0, "sample, before": 20.0, "online-retail": 90.0, "retail, before": 90.0}
COLUMNS = [
    ("validate", "audit (runner)"), ("notebook", "notebook"), ("kernel_start", "kernel start"),
    ("cells", "notebook cells"),
    ("html", "HTML"), ("pdf", "report PDF"), ("seller_pdf", "seller PDFs"), ("xlsx", "XLSX"),
    ("crm", "CRM"),
]



def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children (the kernels)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def _without_handoff():
    """A context in which alms audit does not hand its audit to the notebook, which then
    computes it again (the way every run worked before one computation per run)."""
    import contextlib

    from alms_toolkit.runs import audit_run as runner

    @contextlib.contextmanager
    def patched():
        original = runner.notebook_parameters

        def recompute(*args, **kwargs):
            kwargs["audit_file"] = None
            return original(*args, **kwargs)

        runner.notebook_parameters = recompute
        try:
            yield
        finally:
            runner.notebook_parameters = original

    return patched()


def main() -> None:
    import contextlib

    from alms_toolkit.runs.audit_run import run_audit

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp_name:
        tmp = Path(tmp_name)
        # the sample twice, side by side: the notebook computing the audit again (before) and
        # given the runner's audit (now, one computation per run)
        run_audit(SAMPLE, out=tmp / "warm-up", progress=False)  # imports and caches, not measured
        clients = [("sample, before", SAMPLE), ("sample-services", SAMPLE)]
        if (RETAIL / "ledger.csv.gz").is_file():
            retail = datasets.online_retail_client(tmp)
            clients += [("retail, before", retail), ("online-retail", retail)]
        else:
            print(f"(skipping online-retail: {RETAIL} not found)")
        for name, folder in clients:
            cpu0 = _cpu()
            start = time.perf_counter()
            context = _without_handoff() if name.endswith(", before") else contextlib.nullcontext()
            with context:
                result = run_audit(folder, out=tmp / "reports", progress=False, force=True)
            wall = time.perf_counter() - start
            cpu = _cpu() - cpu0
            t = result.timings
            rows.append((name, wall, cpu, t, _pages(result.folder / "report.pdf"), len(result.files),
                         result.summary["n_clients"]))

    head = f"{'client':<16}{'clients':>8}{'wall s':>8}{'target s':>9}{'':>5}{'CPU s':>7}" + "".join(
        f"{label:>15}" for _, label in COLUMNS) + f"{'PDF pages':>11}{'files':>7}"
    print(head)
    print("-" * len(head))
    for name, wall, cpu, t, pages, n_files, n_clients in rows:
        ok = "ok" if wall <= TARGETS[name] else "SLOW"
        print(f"{name:<16}{n_clients:>8,}{wall:>8.1f}{TARGETS[name]:>9.0f}{ok:>5}{cpu:>7.1f}"
              + "".join(f"{t.get(key, 0.0):>15.2f}" for key, _ in COLUMNS)
              + f"{pages:>11}{n_files:>7}")
    print(f"\nLoad average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
          " (other work on the machine inflates the wall times; CPU s does not depend on it).")
    print("'..., before' is the same run with the notebook computing the audit again (as every run"
          "\ndid before one computation per run); the next row hands the notebook the runner's audit.")
    print("Seconds per step. The notebook (kernel start + cells) runs while the runner writes the seller PDFs, XLSX and CRM files, so the"
          "\nwall time is less than the sum of the steps.")


if __name__ == "__main__":
    main()
