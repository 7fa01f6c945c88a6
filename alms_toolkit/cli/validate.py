"""``alms validate CLIENT_DIR``: load the ledger and show what was read, used and left out,
then the sanity checks (exit 2 when one fails and is not accepted)."""

from __future__ import annotations

import datetime as dt
import json

import click

from .options import accept_option, parse_date

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
@accept_option
def command(client_dir: str, as_of: dt.date | None, as_json: bool, accept: tuple[str, ...]) -> None:
    """Check a client's billing ledger: rows read, used and excluded (by reason), exactly,
    and the sanity checks every report needs (exit 2 when one fails and is not accepted)."""
    from ..analysis.sanity import check_ledger, refuse_unaccepted
    from ..config import load_config
    from ..engine import combine_loaded
    from ..io.ledger import load_ledger

    config = load_config(client_dir)
    loaded = load_ledger(config, as_of=as_of)
    recon = loaded.reconciliation
    clients = combine_loaded(loaded).clients if recon.rows_used else None
    findings = check_ledger(loaded, clients, currency=config.branding.currency)
    accepted = set(accept) | set(config.accept)
    if as_json:
        data = recon.to_dict()
        data["sanity"] = [
            {**f.to_dict(), "accepted": f.acceptable and f.code in accepted} for f in findings
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(f"{config.client}: billing ledger check")
        click.echo(recon.to_text(currency=config.branding.currency))
        ok = "balances" if recon.balances() else "DOES NOT BALANCE"
        click.echo(f"\nReconciliation {ok}: rows read = rows used + rows excluded, and the same for money.")
        kept = [f for f in findings if f.acceptable and f.code in accepted]
        if not findings:
            click.echo("Sanity checks passed: rows are used, most of the money counts, no single "
                       "client holds (almost) everything.")
        for f in kept:
            click.echo(f"Sanity check {f.code} accepted (--accept / client.yml accept): {f.message}.")
    refuse_unaccepted(findings, accepted, recon.file)  # exit 2 with the findings and the fix
