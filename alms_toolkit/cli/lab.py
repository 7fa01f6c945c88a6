"""``alms lab [CLIENT_DIR]``: open JupyterLab on a client's own copies of the notebooks.

With a client folder, its working copies (``<client>/notebooks/``, written when missing:
:mod:`alms_toolkit.workshop.working_copies`) are opened, the workshop by default, with the
client's folder as the file browser's root. Without one, every client folder under
``./client_data`` (else the current folder) gets its copies and the file browser shows the
clients. The toolkit's own notebooks are never opened, so using them never changes them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from ..workshop.working_copies import COPIES_DIR, NOTEBOOKS, outdated_copies, write_working_copies

__all__ = ["command", "lab_arguments", "client_folders", "NOTEBOOKS"]


def lab_arguments(
    root: Path, open_path: str | None = None, port: int | None = None, no_browser: bool = False
) -> list[str]:
    """The ``python -m jupyterlab`` command line (a list for subprocess): the server's root
    and the page it opens (``open_path`` relative to the root, else the file browser)."""
    args = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url=/lab/tree/{open_path}" if open_path else "--LabApp.default_url=/lab/tree",
    ]
    if port is not None:
        args.append(f"--ServerApp.port={port}")
    if no_browser:
        args.append("--no-browser")
    return args


def client_folders(root: Path) -> list[Path]:
    """The client folders (holding a client.yml) directly under ``root``, by name."""
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "client.yml").is_file())


@click.command(name="lab")
@click.argument("client_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--open", "open_", type=click.Choice(sorted(NOTEBOOKS)), default="workshop", show_default=True,
              help="The notebook to open with a client: the workshop (live decisions) or the audit (the report).")
@click.option("--fresh", is_flag=True,
              help="Replace the client's copies with the toolkit's current notebooks (your edits to them are lost).")
@click.option("--port", type=int, default=None, help="Port of the server (default: 8888 or the next free one).")
@click.option("--no-browser", is_flag=True, help="Start the server without opening a browser.")
def command(client_dir: Path | None, open_: str, fresh: bool, port: int | None, no_browser: bool) -> None:
    """Open JupyterLab on a client's own copies of the notebooks (stop it with Ctrl+C).

    CLIENT_DIR: the client's folder; without it, every client under ./client_data."""
    import importlib.util

    if importlib.util.find_spec("jupyterlab") is None:
        raise click.ClickException(
            "JupyterLab is not installed: it comes with the toolkit's 'lab' extra "
            "(pip install 'alms-toolkit[lab]'; `make demo` and `make test` install it).")
    if client_dir is None and (Path.cwd() / "client.yml").is_file():
        client_dir = Path.cwd()  # run inside a client's folder: that client
    if client_dir is not None:
        if not (client_dir / "client.yml").is_file():
            raise click.ClickException(
                f"{client_dir} is not a client folder (it has no client.yml); `alms new-client` makes one.")
        root, clients = client_dir.resolve(), [client_dir.resolve()]
        target: str | None = f"{COPIES_DIR}/{NOTEBOOKS[open_]}"
    else:
        here = Path.cwd()
        root = here / "client_data" if (here / "client_data").is_dir() else here
        clients, target = client_folders(root), None
        if not clients:
            raise click.ClickException(
                f"No client folder under {root}: give one (alms lab CLIENT_DIR) or make one with `alms new-client`.")
    stale = []
    for client in clients:
        write_working_copies(client, fresh=fresh)
        stale += [f"{client.name}/{COPIES_DIR}/{p.name}" for p in outdated_copies(client)]
    if stale:
        click.echo("The toolkit's notebooks are newer than these copies (yours are kept): " + ", ".join(stale)
                   + ". `alms lab CLIENT_DIR --fresh` replaces a client's copies.")
    where = clients[0] / COPIES_DIR if client_dir is not None else root
    click.echo(f"JupyterLab on {where} (Ctrl+C to stop). Each client's notebooks are in its {COPIES_DIR}/ folder.")
    try:
        code = subprocess.call(lab_arguments(root, target, port, no_browser), cwd=root)
    except KeyboardInterrupt:
        code = 0
    sys.exit(code)

