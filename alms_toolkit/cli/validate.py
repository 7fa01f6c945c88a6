"""``alms validate CLIENT_DIR``: load the ledger and show what was read, used and left out."""

from __future__ import annotations

import datetime as dt
import json

import click

from .options import parse_date

__all__ = ["command"]

@click.command(name="validate")
@click.argument("client_dir", type=click.Path(file_okay=False, path_type=str))
@click.option(
    "--as-of",
    "as_of",
    callback=parse_date,
    metavar="DATE",
    help="End of the 12-month window (exclusive), YYYY-MM-DD. Default: client.yml's as_of, "
    "else the day after the ledger's last date.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the reconciliation as JSON.")
def command(client_dir: str, as_of: dt.date | None, as_json: bool) -> None:
    """Check a client's billing ledger: rows read, used and excluded (by reason), exactly."""
    from ..config import load_config
    from ..io.ledger import load_ledger

    config = load_config(client_dir)
    loaded = load_ledger(config, as_of=as_of)
    recon = loaded.reconciliation
    if as_json:
        click.echo(json.dumps(recon.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(f"{config.client}: billing ledger check")
    click.echo(recon.to_text(currency=config.branding.currency))
    ok = "balances" if recon.balances() else "DOES NOT BALANCE"
    click.echo(f"\nReconciliation {ok}: rows read = rows used + rows excluded, and the same for money.")
