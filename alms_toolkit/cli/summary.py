"""``alms summary CLIENT_DIR``: the audit's headline figures as JSON on stdout."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from ..count_words import agree
from .options import accept_option, parse_date

__all__ = ["command"]

@click.command("summary")
@click.argument("client_dir", type=click.Path(path_type=Path))
@click.option(
    "--as-of", callback=parse_date, metavar="DATE",
    help="Audit date (YYYY-MM-DD); the window is the 12 months before it. "
    "Default: client.yml's as_of, else the day after the ledger's last date.",
)
@click.option(
    "--key-share", type=click.FloatRange(0.01, 0.99), default=None, metavar="X",
    help="Share of spending clients that are KEY (default: client.yml's key_share, else 0.25).",
)
@accept_option
def command(client_dir: Path, as_of: dt.date | None, key_share: float | None,
            accept: tuple[str, ...]) -> None:
    """Print the audit's headline figures of CLIENT_DIR as JSON (cut-off, tiers, sellers,
    symptoms, reconciliation). Money is written as exact decimal strings."""
    from .ahead import read_ledger_ahead

    read_ledger_ahead(client_dir)  # read while the engine's libraries are imported
    from ..engine import audit
    from . import libraries_imported

    libraries_imported()
    click.echo(f"Auditing {client_dir} ...", err=True)
    result = audit(client_dir, as_of=as_of, key_share=key_share, accept=accept)
    click.echo(json.dumps(result.summary(), indent=2, ensure_ascii=False))
    s = result.tiers
    click.echo(
        f"{s.n_clients} spending {agree(s.n_clients, 'client', 'clients')}, {s.n_key} KEY, "
        f"{s.n_secondary} SECONDARY.", err=True
    )
