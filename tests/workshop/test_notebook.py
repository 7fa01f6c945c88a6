"""The workshop notebook: its parameters, no code beyond calls, no outputs committed, and a
papermill run (no live frontend) that renders the static summary instead of widgets."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import papermill
import pytest

NB = Path(__file__).resolve().parents[2] / "notebooks" / "alms_workshop.ipynb"


@pytest.fixture(scope="module")
def nb():
    return nbformat.read(str(NB), as_version=4)


def test_parameters(nb):
    declared = papermill.inspect_notebook(str(NB))
    assert list(declared) == ["client_dir", "as_of", "interactive", "by"]
    assert declared["as_of"]["default"] == "None" and declared["interactive"]["default"] == "None"
    # the default client folder exists, seen from the notebook's folder (where Lab runs it)
    default = declared["client_dir"]["default"].strip("\"'")
    assert (NB.parent / default / "client.yml").is_file()


def test_committed_without_outputs_and_only_calls(nb):
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
        assert set(cell.metadata.get("tags", [])) & {"parameters", "remove-cell", "remove-input"}


@pytest.mark.notebook
def test_papermill_run_shows_the_static_summary(client: Path, tmp_path: Path, monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.delenv("VSCODE_PID", raising=False)
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NB), str(out), parameters={"client_dir": str(client)}, cwd=str(NB.parent),
        progress_bar=False, kernel_name="python3",
    )
    ran = nbformat.read(str(out), as_version=4)
    html = "\n".join(
        o.get("data", {}).get("text/html", "") for c in ran.cells if c.cell_type == "code" for o in c.outputs
    )
    mimes = {m for c in ran.cells if c.cell_type == "code" for o in c.outputs for m in o.get("data", {})}
    assert "application/vnd.jupyter.widget-view+json" not in mimes
    assert "Static summary" in html
    assert "Duplicate review: 0 of 2 reviewed; 2 pending" in html
    assert "Harlow Harbor Pet Hoospital" in html
    assert "Owner confirmation: 0 of 1 clients" in html
    assert "3 KEY accounts of 11" in html
    assert "Seller workshop: prospects per seller" in html
    assert not (client / "decisions.yml").exists()  # a static run decides nothing
