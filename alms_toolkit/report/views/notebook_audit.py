"""The audit notebook's audit: the one ``alms audit`` stored for its run, else computed live.

``alms audit`` computes the audit once and stores it in the run folder (``audit/``,
:mod:`alms_toolkit.stored_audit`); the notebook is handed that file (``audit_file``) and
only displays it, so the report shows the same audit as every file of the run. Opened by
hand in JupyterLab (no ``audit_file``) the notebook computes the audit live from the
client's folder, so a consultant can still walk through the steps; the executed notebook of
a run, run again later, finds its run's stored audit through ``output_dir``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...analysis.compare import Comparison
    from ...engine import Audit

__all__ = ["audit_for_notebook"]


def audit_for_notebook(
    audit_file: str | Path | None,
    client_dir: str | Path,
    *,
    output_dir: str | Path | None = None,
    as_of: Any = None,
    key_share: float | None = None,
    accept: Any = None,
    previous_review: str | Path | None = None,
) -> tuple[Audit, Comparison | None]:
    """The notebook's audit and re-review comparison: the stored audit ``audit_file`` (set by
    ``alms audit``; once the run is published, the one in ``output_dir``), else computed live
    from ``client_dir`` with the other parameters (a notebook opened by hand)."""
    from ...stored_audit import audit_file_of, load_audit

    for candidate in (audit_file, audit_file_of(output_dir) if output_dir else None):
        if candidate and Path(candidate).is_file():
            return load_audit(candidate)
    from ...analysis.compare import compare_with_review
    from ...engine import audit as compute
    from ...io.review import read_review

    audit = compute(client_dir, as_of=as_of, key_share=key_share, accept=accept)
    comparison = compare_with_review(audit, read_review(previous_review)) if previous_review else None
    return audit, comparison
