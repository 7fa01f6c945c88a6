"""The CRM export of `alms audit` (issue 14): no owner map, a note and accounts.csv only; a
map that leaves a seller out, a refusal (exit 2) before anything is written; a full map, the
crm/ folder with every preset, its setup files and the same stable keys as accounts.csv."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from alms_toolkit.analysis.crm_records import CrmNotReadyError
from alms_toolkit.engine import audit
from alms_toolkit.report.writers.crm_presets import PRESETS
from alms_toolkit.runs import audit_run as runner

ROOT = Path(__file__).resolve().parents[1]


def _client(tmp_path: Path, leave_out: int = 0) -> Path:
    client = tmp_path / "services"
    shutil.copytree(ROOT / "client_data" / "sample-services", client)
    from alms_toolkit.analysis.crm_records import record_sellers

    sellers = list(record_sellers(audit(client).official_list))
    lines = ["crm:", "  owners:"]
    for seller in sellers[leave_out:]:
        user = seller.lower().replace(" ", ".")
        lines += [f"    {seller}:", f"      email: {user}@client.example",
                  f"      username: {user}@client.example.crm", f"      full_name: {seller}"]
    with open(client / "client.yml", "a", encoding="utf-8") as fh:
        fh.write("\n" + "\n".join(lines) + "\n")
    return client


def test_without_an_owner_map_the_audit_says_what_to_do() -> None:
    plan = runner.plan_crm(audit(ROOT / "client_data" / "sample-services"), None, ("crm",))
    assert plan.records is None and len(plan.presets) == len(PRESETS)
    assert "alms crm-owners" in plan.notes[0] and "not written" in plan.notes[0]
    assert runner.plan_crm(audit(ROOT / "client_data" / "sample-services"), None, ("html",)).presets == ()


def test_a_seller_left_out_of_the_map_is_refused_by_name(tmp_path: Path) -> None:
    client = _client(tmp_path, leave_out=1)
    from alms_toolkit.analysis.crm_records import record_sellers

    missing = list(record_sellers(audit(client).official_list))[0]
    with pytest.raises(CrmNotReadyError) as caught:
        runner.plan_crm(audit(client), None, ("hubspot",))
    assert caught.value.exit_code == 2 and missing in str(caught.value)


@pytest.mark.notebook
def test_the_crm_folder_is_written_with_the_lists_keys(tmp_path: Path) -> None:
    client = _client(tmp_path)
    run = runner.run_audit(client, out=tmp_path / "out", formats=("html", "crm"), progress=False)
    assert not run.notes or all("not written" not in n for n in run.notes)
    crm = run.folder / "crm"
    for p in PRESETS:
        assert (crm / p.file_name).is_file(), p.name
    assert (crm / "HOW_TO_IMPORT.md").is_file()
    with open(run.folder / "accounts.csv", encoding="utf-8", newline="") as fh:
        keys = {r["alms_key"] for r in csv.DictReader(fh)}
    hubspot = next(p for p in PRESETS if p.name == "hubspot")
    with open(crm / hubspot.file_name, encoding=hubspot.encoding, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r[hubspot.key_header] for r in rows} <= keys  # the same stable keys
    assert all(r["Company owner"].endswith("@client.example") for r in rows)
    assert len({r[hubspot.key_header] for r in rows}) == len(rows)  # one row per company
