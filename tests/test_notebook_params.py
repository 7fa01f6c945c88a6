"""The audit notebook's contract with the runner: its parameters, its tags, no code in cells
beyond calls and display, and no outputs committed."""

import ast
import datetime as dt

import nbformat
import papermill
import pytest

from alms_toolkit.package_files import notebook_path
from alms_toolkit.runs import audit_run as runner

NB = notebook_path()


@pytest.fixture(scope="module")
def nb():
    return nbformat.read(str(NB), as_version=4)


def test_parameters_are_exactly_what_the_runner_passes():
    declared = papermill.inspect_notebook(str(NB))
    passed = runner.notebook_parameters("client", as_of=dt.date(2024, 1, 1), key_share=0.25,
                                        output_dir="out", previous_review="prev", audit_file="a.pickle",
                                        crm_files=["Salesforce"])
    assert set(declared) == set(passed)
    runner.check_parameters(NB, passed)  # does not raise
    assert all(p["default"] == "None" for name, p in declared.items() if name != "client_dir")


def test_one_parameters_cell_first_code_cell(nb):
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code is tagged[0]


def test_no_outputs_committed(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_no_def_or_class_in_cells_and_every_cell_parses(nb):
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)), cell.source[:80]


def test_every_code_cell_is_hidden_in_the_report(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            tags = set(cell.metadata.get("tags", []))
            assert tags & {"parameters", "remove-cell", "remove-input"}, cell.source[:80]


def test_sections_of_the_challenge_in_order(nb):
    headings = [c.source.strip().splitlines()[0][3:] for c in nb.cells
                if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert headings == [
        "Executive summary", "The list today", "Top-down listing", "Duplicates combined",
        "The KEY cut-off", "KEY and SECONDARY", "Each seller's assignment", "Targets and extras",
        "Growth opportunities and risks", "Lapsed accounts", "Next steps",
        "Appendix: the words of this report", "Appendix: each seller's list", "Appendix: merge log",
        "Appendix: data reconciliation",
    ]
    # each step of the Challenge says, under its heading, what it decides (one line, italic)
    walk = [c.source.strip().splitlines() for c in nb.cells
            if c.cell_type == "markdown" and c.source.startswith("## ") and "Appendix" not in c.source
            and "Executive summary" not in c.source]
    assert all(len(lines) == 3 and lines[2].startswith("*") and lines[2].endswith("*") for lines in walk)
    # every code cell but the parameters is folded in JupyterLab (the walk reads as text)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            assert cell.metadata["jupyter"]["source_hidden"] is True
    # every section heading is followed by a display cell (narrative then table or chart)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            nxt = nb.cells[i + 1]
            assert nxt.cell_type == "code" and "remove-input" in nxt.metadata["tags"]
            assert ("show.paragraph(" in nxt.source or "show.bullet_list(" in nxt.source
                    or "summary.executive_summary(" in nxt.source)  # the summary's narrative comes first
