"""``alms new-client NAME``: a new client folder with a commented client.yml."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("new-client")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=Path("client_data"), show_default=True,
              help="Folder that holds one folder per client.")
def command(name: str, directory: Path) -> None:
    """Create DIR/<name as a folder name>/client.yml, every setting explained.
    Never overwrites an existing client folder."""
    from ..scaffold import new_client

    if not name.strip():
        raise click.BadParameter("the client's name is empty", param_hint="NAME")
    folder = new_client(name, directory)
    click.echo(f"Created {folder / 'client.yml'}")
    click.echo(f"Next: put the client's billing export in {folder} as billing.csv (or .xlsx),")
    click.echo("      check the settings in client.yml, then run: alms validate " + str(folder))
