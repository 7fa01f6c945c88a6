"""``alms lab``: a client's own working copies of the notebooks, the JupyterLab command line
it runs, and its help. The toolkit's own notebooks are never opened or changed."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from alms_toolkit.cli import main
from alms_toolkit.cli.lab import lab_arguments
from alms_toolkit.workshop.working_copies import NOTEBOOKS, clear_widget_views, write_working_copies

ROOT = Path(__file__).resolve().parents[2]


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.ipynb"))}


def test_lab_arguments():
    args = lab_arguments(Path("/c/acme"), "notebooks/alms_workshop.ipynb", port=9999, no_browser=True)
    assert args[:3] == [sys.executable, "-m", "jupyterlab"]
    assert "--ServerApp.root_dir=/c/acme" in args
    assert "--LabApp.default_url=/lab/tree/notebooks/alms_workshop.ipynb" in args
    assert "--ServerApp.port=9999" in args and "--no-browser" in args
    assert "--LabApp.default_url=/lab/tree" in lab_arguments(Path("/c"))


def test_working_copies_point_at_their_client_and_keep_the_consultants_edits(tmp_path: Path):
    client = tmp_path / "acme"
    shutil.copytree(ROOT / "client_data" / "sample-media", client)
    shipped = _digest(ROOT / "notebooks")
    copies = write_working_copies(client)
    assert {p.name for p in copies.values()} == set(NOTEBOOKS.values())
    for path in copies.values():
        nb = nbformat.read(str(path), as_version=4)
        params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        assert params.source.splitlines()[0].startswith('client_dir = ".."')
        assert (path.parent / ".." / "client.yml").resolve() == (client / "client.yml").resolve()
    # a consultant's edit survives the next `alms lab`; --fresh replaces it
    audit_copy = copies["audit"]
    edited = audit_copy.read_text(encoding="utf-8").replace("Executive summary", "Executive summary (draft)")
    audit_copy.write_text(edited, encoding="utf-8")
    write_working_copies(client)
    assert "Executive summary (draft)" in audit_copy.read_text(encoding="utf-8")
    write_working_copies(client, fresh=True)
    assert "Executive summary (draft)" not in audit_copy.read_text(encoding="utf-8")
    assert _digest(ROOT / "notebooks") == shipped  # the toolkit's notebooks untouched
    # the copies are never committed
    ignored = subprocess.run(["git", "check-ignore", "-q", "client_data/sample-media/notebooks/alms_audit.ipynb"],
                             cwd=ROOT, check=False)
    assert ignored.returncode == 0


def test_saved_widget_views_are_cleared_so_a_reopened_workshop_shows_no_missing_models(tmp_path: Path):
    client = tmp_path / "acme"
    shutil.copytree(ROOT / "client_data" / "sample-media", client)
    workshop = write_working_copies(client)["workshop"]
    nb = nbformat.read(str(workshop), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    view = {"model_id": "abc", "version_major": 2, "version_minor": 0}
    code[1].outputs = [nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": view, "text/plain": "VBox()"})]
    code[2].outputs = [nbformat.v4.new_output("stream", text="kept\n")]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nbformat.write(nb, str(workshop))
    write_working_copies(client)  # the next `alms lab`
    again = json.loads(workshop.read_text(encoding="utf-8"))
    assert "widget-view" not in workshop.read_text(encoding="utf-8") and "widgets" not in again["metadata"]
    assert [c for c in again["cells"] if c["cell_type"] == "code"][2]["outputs"][0]["text"] == ["kept\n"]
    assert clear_widget_views(workshop) is False  # nothing left to clear


def test_alms_lab_opens_a_clients_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    client = tmp_path / "acme"
    shutil.copytree(ROOT / "client_data" / "sample-media", client)
    calls = []
    monkeypatch.setattr(subprocess, "call", lambda args, cwd: calls.append((args, cwd)) or 0)
    result = CliRunner().invoke(main, ["lab", str(client), "--open", "audit", "--no-browser"])
    assert result.exit_code == 0, result.output
    (args, cwd), = calls
    assert cwd == client.resolve() and f"--ServerApp.root_dir={client.resolve()}" in args
    assert "--LabApp.default_url=/lab/tree/notebooks/alms_audit.ipynb" in args
    assert (client / "notebooks" / "alms_workshop.ipynb").is_file()
    # without a client: every client under ./client_data, the file browser on them
    clients = tmp_path / "project" / "client_data"
    for name in ("one", "two"):
        shutil.copytree(ROOT / "client_data" / "sample-media", clients / name)
    (clients / "not-a-client").mkdir()
    monkeypatch.chdir(tmp_path / "project")
    calls.clear()
    assert CliRunner().invoke(main, ["lab", "--no-browser"]).exit_code == 0
    (args, cwd), = calls
    assert cwd == clients and "--LabApp.default_url=/lab/tree" in args
    assert sorted(p.parent.parent.name for p in clients.glob("*/notebooks/*.ipynb")) == ["one", "one", "two", "two"]


def test_lab_refuses_what_is_not_a_client_and_has_help(tmp_path: Path):
    result = CliRunner().invoke(main, ["lab", "--help"])
    assert result.exit_code == 0 and "JupyterLab" in result.output and "CLIENT_DIR" in result.output
    assert CliRunner().invoke(main, ["lab", "--open", "nope"]).exit_code == 2
    bad = CliRunner().invoke(main, ["lab", str(tmp_path)])
    assert bad.exit_code == 1 and "no client.yml" in bad.output


def test_copies_made_from_an_older_toolkit_notebook_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from alms_toolkit.workshop.working_copies import outdated_copies

    client = tmp_path / "acme"
    shutil.copytree(ROOT / "client_data" / "sample-media", client)
    copies = write_working_copies(client)
    assert outdated_copies(client) == []
    nb = nbformat.read(str(copies["audit"]), as_version=4)
    nb.metadata["alms"]["toolkit_notebook"] = "an older one"
    nbformat.write(nb, str(copies["audit"]))
    assert outdated_copies(client) == [copies["audit"]]
    monkeypatch.setattr(subprocess, "call", lambda args, cwd: 0)
    monkeypatch.chdir(client)  # run inside the client's folder: that client
    result = CliRunner().invoke(main, ["lab", "--no-browser"])
    assert result.exit_code == 0 and "newer than these copies" in result.output and "--fresh" in result.output
