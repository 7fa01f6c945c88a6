"""One computation per run: the audit the runner computed is handed to the notebook's kernel,
so the report and every file of the run come from the same audit (issue 11, item 2).

``alms audit`` computes the audit once, in its own process, and writes it with
:func:`store_audit` to a hidden folder of the unfinished run (a pickle: the kernel is
launched by the same run, from the same installed toolkit; the folder is removed before the
run is published or kept as ``.failed``, and cleared with the unfinished run when a run is
killed; it is never a deliverable). The notebook calls :func:`audit_for_notebook`: with
that file it only loads the audit; opened by hand (no file) it computes the audit live from
the client's folder, so a consultant can still walk through the steps.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import atomic

if TYPE_CHECKING:
    from ..analysis.compare import Comparison
    from ..engine import Audit

__all__ = ["store_audit", "load_audit", "audit_for_notebook", "AUDIT_FILE"]

#: the handed-over audit's file name
AUDIT_FILE = "audit.pickle"


def store_audit(audit: Audit, comparison: Comparison | None, folder: Path | str) -> Path:
    """Write ``(audit, comparison)`` to ``folder/AUDIT_FILE`` (atomically); return the path."""
    path = Path(folder) / AUDIT_FILE
    return atomic.write_bytes(path, pickle.dumps((audit, comparison), protocol=pickle.HIGHEST_PROTOCOL))


def load_audit(path: Path | str) -> tuple[Audit, Comparison | None]:
    """The ``(audit, comparison)`` :func:`store_audit` wrote."""
    with open(path, "rb") as fh:
        audit, comparison = pickle.load(fh)  # written by this run's own process (see the module docstring)
    return audit, comparison


def audit_for_notebook(
    audit_file: str | Path | None,
    client_dir: str | Path,
    *,
    as_of: Any = None,
    key_share: float | None = None,
    accept: Any = None,
    previous_review: str | Path | None = None,
) -> tuple[Audit, Comparison | None]:
    """The notebook's audit and re-review comparison: the run's own (``audit_file``, set by
    ``alms audit``), else computed live from ``client_dir``: a notebook opened by hand, or a
    run's executed notebook run again later (its run deleted the handed-over file)."""
    if audit_file and Path(audit_file).is_file():
        return load_audit(audit_file)
    from ..analysis.compare import compare_with_review
    from ..engine import audit as compute
    from ..io.review import read_review

    audit = compute(client_dir, as_of=as_of, key_share=key_share, accept=accept)
    comparison = compare_with_review(audit, read_review(previous_review)) if previous_review else None
    return audit, comparison
