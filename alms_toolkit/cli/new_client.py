"""``alms new-client NAME``: a new client folder with a commented client.yml."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("new-client")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=Path("client_data"), show_default=True,
              help="Folder that holds one folder per client.")
@click.option("--from", "export", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE",
              help="Start from the client's ledger export: copy it into the folder, read it and write "
                   "the proposed column mapping (with its reasons) into client.yml.")
def command(name: str, directory: Path, export: Path | None) -> None:
    """Create DIR/<name as a folder name>/client.yml, every setting explained.
    Never overwrites an existing client folder."""
    from ..scaffold import new_client, new_client_from

    if not name.strip():
        raise click.BadParameter("the client's name is empty", param_hint="NAME")
    if export is not None:
        proposal = new_client_from(name, export, directory)
        folder = proposal.folder
        click.echo(f"Created {folder / 'client.yml'} with a copy of {export.name}")
        if proposal.reasons:
            click.echo("The file was read this way (written into client.yml for you to confirm):")
            for what, why in proposal.reasons:
                click.echo(f"  {what}  - {why}")
        if proposal.problem:
            click.echo("The file cannot be read as it is yet; decide this in client.yml:")
            click.echo("  " + proposal.problem.replace("\n", "\n  "))
        click.echo("Next: check client.yml, then run: alms validate " + str(folder))
        return
    folder = new_client(name, directory)
    click.echo(f"Created {folder / 'client.yml'}")
    click.echo(f"Next: put the client's billing export in {folder} as billing.csv (or .xlsx),")
    click.echo("      check the settings in client.yml, then run: alms validate " + str(folder))
