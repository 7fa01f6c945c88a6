"""``alms crm-owners CLIENT_DIR``: write the skeleton of client.yml's CRM owner map."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .options import accept_option, parse_date

__all__ = ["command"]


@click.command("crm-owners")
@click.argument("client_dir", type=click.Path(path_type=Path))
@click.option(
    "--as-of", callback=parse_date, metavar="DATE",
    help="Audit date (YYYY-MM-DD) whose lists name the sellers. Default: client.yml's as_of, "
    "else the day after the ledger's last date.",
)
@accept_option
def command(client_dir: Path, as_of: dt.date | None, accept: tuple[str, ...]) -> None:
    """Add an entry to client.yml's crm.owners for each seller of CLIENT_DIR's lists (owners of
    clients, sellers of prospects, last sellers of lapsed clients), with email, username,
    user_id and full_name left empty for you to fill in. Entries already there are never
    changed, and the file's comments stay."""
    from ..analysis.crm_records import record_sellers
    from ..config import CONFIG_FILE
    from ..engine import audit
    from ..owner_map import write_owner_skeleton

    click.echo(f"Reading {client_dir} ...", err=True)
    result = audit(client_dir, as_of=as_of, accept=accept)
    sellers = record_sellers(result.official_list)
    done = write_owner_skeleton(Path(client_dir) / CONFIG_FILE, sellers)
    if done.added:
        click.echo(f"Added {len(done.added)} seller{'s' if len(done.added) != 1 else ''} to {done.path} "
                   f"under crm.owners: {', '.join(done.added)}")
    if done.kept:
        click.echo(f"Already there, left as written: {', '.join(done.kept)}")
    if done.others:
        click.echo(f"Entries for no seller of the lists (kept; remove them if they are not needed): "
                   f"{', '.join(done.others)}")
    if done.unfilled:
        click.echo(f"To fill in ({len(done.unfilled)}): {', '.join(done.unfilled)}: each one's email "
                   "(HubSpot, Pipedrive, Dynamics 365), and username or user_id for Salesforce.")
        click.echo("The CRM import files are written once every seller has a CRM user.")
    else:
        click.echo("Every seller of the lists has a CRM user: the CRM import files can be written.")
