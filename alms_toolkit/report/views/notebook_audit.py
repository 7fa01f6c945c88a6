"""The audit notebook's audit: the one ``alms audit`` stored for its run, else computed live.

``alms audit`` computes the audit once and stores it in the run folder (``audit/``,
:mod:`alms_toolkit.stored_audit`); the notebook is handed that file (``audit_file``) and
only displays it, so the report shows the same audit as every file of the run. Opened by
hand in JupyterLab (no ``audit_file``) the notebook computes the audit live from the
client's folder, so a consultant can still walk through the steps; the executed notebook of
a run, run again later, finds its run's stored audit through ``output_dir``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...analysis.compare import Comparison
    from ...engine import Audit

__all__ = ["audit_for_notebook"]


def audit_for_notebook(
    audit_file: str | Path | None,
    client_dir: str | Path,
    *,
    output_dir: str | Path | None = None,
    as_of: dt.date | str | None = None,
    key_share: float | None = None,
    accept: Iterable[str] | str | None = None,
    previous_review: str | Path | None = None,
) -> tuple[Audit, Comparison | None]:
    """The notebook's audit and re-review comparison: the stored audit ``audit_file`` (set by
    ``alms audit``; once the run is published, the one in ``output_dir``), else, without
    ``audit_file`` (a notebook opened by hand), computed live from ``client_dir`` with the
    other parameters. A stored audit that is gone is refused, never silently computed
    again: the client's files may have changed since the run."""
    from ...errors import ReportError
    from ...stored_audit import audit_file_of, load_audit

    if audit_file:
        candidates = [Path(audit_file), *([audit_file_of(output_dir)] if output_dir else [])]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise ReportError(
                f"The audit this notebook was run with is gone ({' or '.join(map(str, candidates))}). "
                "Run `alms audit` again, or set audit_file = None to compute the audit from "
                "the client's files as they are now.",
                reason="stored_audit", path=Path(audit_file))
        return load_audit(found)
    from ...analysis.compare import compare_with_review
    from ...engine import audit as compute
    from ...io.review import read_review

    audit = compute(client_dir, as_of=as_of, key_share=key_share, accept=accept)
    comparison = compare_with_review(audit, read_review(previous_review)) if previous_review else None
    return audit, comparison
