"""The audit handed from alms audit to its notebook (report/audit_handoff.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from alms_toolkit.engine import audit
from alms_toolkit.report.audit_handoff import (
    AUDIT_FILE,
    audit_for_notebook,
    load_audit,
    store_audit,
)

ROOT = Path(__file__).resolve().parents[2]


def test_stored_audit_comes_back_whole_and_a_missing_one_is_computed_live(tmp_path: Path) -> None:
    client = tmp_path / "services"
    shutil.copytree(ROOT / "client_data" / "sample-services", client)
    computed = audit(client)
    path = store_audit(computed, None, tmp_path / "handoff")
    assert path.name == AUDIT_FILE
    loaded, comparison = load_audit(path)
    assert comparison is None and loaded.summary() == computed.summary()
    assert loaded.loaded.reconciliation.excluded == computed.loaded.reconciliation.excluded
    again, _ = audit_for_notebook(path, client)
    assert again.summary() == computed.summary()
    # the executed notebook of a finished run, run again later: its run removed the file
    path.unlink()
    live, _ = audit_for_notebook(path, client)
    assert live.summary() == computed.summary()
