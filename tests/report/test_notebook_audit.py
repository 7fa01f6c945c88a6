"""The notebook's audit (report/notebook_audit.py): the run's stored one, else computed live."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alms_toolkit.engine import audit
from alms_toolkit.errors import ReportError
from alms_toolkit.report.views.notebook_audit import audit_for_notebook
from alms_toolkit.stored_audit import AUDIT_DIR, audit_file_of, load_audit, store_audit

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
    # the run's audit is gone (the run folder deleted): refused, never computed again silently
    with pytest.raises(ReportError, match="audit_file = None") as info:
        audit_for_notebook(tmp_path / "gone.json", client, output_dir=tmp_path / "deleted-run")
    assert info.value.reason == "stored_audit" and info.value.exit_code == 1


def test_a_damaged_stored_audit_is_refused_by_name(tmp_path: Path) -> None:
    folder = tmp_path / AUDIT_DIR
    path = store_audit(audit(ROOT / "client_data" / "sample-services"), None, folder)
    table = next((folder / "tables").glob("*.parquet"))
    table.write_bytes(table.read_bytes()[:40])  # cut short
    with pytest.raises(ReportError, match="incomplete or damaged.*alms audit") as info:
        load_audit(path)
    assert info.value.reason == "stored_audit" and info.value.details()["file"] == str(path)
    table.unlink()
    with pytest.raises(ReportError, match="incomplete or damaged"):
        load_audit(folder)
    with pytest.raises(ReportError, match="does not exist"):
        load_audit(tmp_path / "nowhere" / "audit.json")
