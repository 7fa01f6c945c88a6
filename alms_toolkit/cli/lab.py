"""``alms lab``: open JupyterLab on the project's notebooks (the workshop by default).

The server's root is the project folder, so the file browser shows ``notebooks/`` and
``client_data/`` side by side; the browser opens on ``notebooks/``, or on one notebook.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

__all__ = ["command", "lab_arguments", "PROJECT_DIR", "NOTEBOOKS"]

PROJECT_DIR = Path(__file__).resolve().parents[2]
#: the notebooks ``alms lab --open`` knows by a short name
NOTEBOOKS = {"workshop": "alms_workshop.ipynb", "audit": "alms_audit.ipynb"}


def lab_arguments(
    project_dir: Path, open_: str | None = None, port: int | None = None, no_browser: bool = False
) -> list[str]:
    """The ``python -m jupyterlab`` command line (a list for subprocess)."""
    target = "notebooks" + (f"/{NOTEBOOKS[open_]}" if open_ else "")
    args = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={project_dir}",
        f"--LabApp.default_url=/lab/tree/{target}",
    ]
    if port is not None:
        args.append(f"--ServerApp.port={port}")
    if no_browser:
        args.append("--no-browser")
    return args


@click.command(name="lab")
@click.option("--open", "open_", type=click.Choice(sorted(NOTEBOOKS)), default=None,
              help="Open this notebook directly (workshop: the live decisions; audit: the report).")
@click.option("--port", type=int, default=None, help="Port of the server (default: 8888 or the next free one).")
@click.option("--no-browser", is_flag=True, help="Start the server without opening a browser.")
def command(open_: str | None, port: int | None, no_browser: bool) -> None:
    """Open JupyterLab on the project's notebooks (stop it with Ctrl+C)."""
    import importlib.util

    if importlib.util.find_spec("jupyterlab") is None:
        raise click.ClickException(
            "JupyterLab is not installed: it comes with the toolkit's 'lab' extra "
            "(pip install 'alms-toolkit[lab]'; `make demo` and `make test` install it).")
    notebooks = PROJECT_DIR / "notebooks"
    if not notebooks.is_dir():
        raise click.ClickException(
            f"No notebooks folder at {notebooks}: run `alms lab` from a source checkout "
            "(pip install -e .) of the toolkit.")
    click.echo(f"JupyterLab on {notebooks} (Ctrl+C to stop). The workshop: notebooks/{NOTEBOOKS['workshop']}")
    try:
        code = subprocess.call(lab_arguments(PROJECT_DIR, open_, port, no_browser), cwd=PROJECT_DIR)
    except KeyboardInterrupt:
        code = 0
    sys.exit(code)
