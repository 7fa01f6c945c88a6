"""The notebook's audit (report/notebook_audit.py): the run's stored one, else computed live."""

from __future__ import annotations

import shutil
from pathlib import Path

from alms_toolkit.engine import audit
from alms_toolkit.report.views.notebook_audit import audit_for_notebook
from alms_toolkit.stored_audit import AUDIT_DIR, audit_file_of, store_audit

ROOT = Path(__file__).resolve().parents[2]


def test_the_stored_audit_is_used_and_a_missing_one_is_computed_live(tmp_path: Path) -> None:
    client = tmp_path / "services"
    shutil.copytree(ROOT / "client_data" / "sample-services", client)
    computed = audit(client)
    run = tmp_path / "run"
    path = store_audit(computed, None, run / AUDIT_DIR)
    assert path == audit_file_of(run)
    # the client's folder changes after the run: the stored audit is still what is shown
    (client / "decisions.yml").write_text(
        "owners:\n  - {client: Wild Olive Instruments, owner: Quinn Morales}\n", encoding="utf-8")
    owner = computed.accounts.set_index("client").loc["Wild Olive Instruments", "owner"]
    assert owner != "Quinn Morales"
    for args in ((path, {}), (tmp_path / "gone.json", {"output_dir": run})):  # during the run / later
        shown, comparison = audit_for_notebook(args[0], client, **args[1])
        assert comparison is None and shown.summary() == computed.summary()
        assert shown.accounts.set_index("client").loc["Wild Olive Instruments", "owner"] == owner
    # opened by hand: no stored audit, computed live from the client's folder as it is now
    live, _ = audit_for_notebook(None, client)
    assert live.accounts.set_index("client").loc["Wild Olive Instruments", "owner"] == "Quinn Morales"
