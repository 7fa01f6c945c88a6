"""``alms lab``: the JupyterLab command line it runs, and its help."""

from __future__ import annotations

import sys

from click.testing import CliRunner

from alms_toolkit.cli import main
from alms_toolkit.cli.lab import NOTEBOOKS, PROJECT_DIR, lab_arguments


def test_lab_arguments_open_the_workshop_in_the_project():
    args = lab_arguments(PROJECT_DIR, "workshop", port=9999, no_browser=True)
    assert args[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={PROJECT_DIR}" in args
    assert "--LabApp.default_url=/lab/tree/notebooks/alms_workshop.ipynb" in args
    assert "--ServerApp.port=9999" in args and "--no-browser" in args
    assert "--LabApp.default_url=/lab/tree/notebooks" in lab_arguments(PROJECT_DIR)
    for name in NOTEBOOKS.values():
        assert (PROJECT_DIR / "notebooks" / name).is_file()


def test_lab_is_a_command_with_help():
    result = CliRunner().invoke(main, ["lab", "--help"])
    assert result.exit_code == 0 and "JupyterLab" in result.output and "--open" in result.output
    bad = CliRunner().invoke(main, ["lab", "--open", "nope"])
    assert bad.exit_code == 2
