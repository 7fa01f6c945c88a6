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
@click.option("--json", "as_json", is_flag=True, help="Print the reading and the reconciliation as JSON.")
@click.option(
    "--pin",
    is_flag=True,
    help="Write how the file was read (sheet, header row, separator, columns, decimal mark, date "
    "format, fill-down) into client.yml, keeping its comments, so every later run reads it the same way.",
)
@accept_option
def command(client_dir: str, as_of: dt.date | None, as_json: bool, pin: bool, accept: tuple[str, ...]) -> None:
    """Check a client's billing ledger: how the file was read (sheet, columns, number format,
    date order, totals rows left out), rows read, used and excluded (by reason), exactly,
    and the sanity checks every report needs (exit 2 when one fails and is not accepted)."""
    from .ahead import read_ledger_ahead

    read_ledger_ahead(client_dir)  # read while the engine's libraries are imported
    from ..analysis.sanity import check_ledger, refuse_unaccepted
    from ..config import load_config
    from ..engine import combine_inputs
    from ..inputs import inputs_for
    from ..io.ledger import load_ledger
    from . import libraries_imported

    libraries_imported()
    config = load_config(client_dir)
    loaded = load_ledger(config, as_of=as_of)
    recon = loaded.reconciliation
    # the clients as the audit combines them (spellings split by client id, and refused where
    # the audit refuses them; branches rolled up; the decisions), so what passes here runs
    inputs = inputs_for(loaded, as_of, ledger_only=True)
    combination = combine_inputs(inputs)[0] if recon.rows_used else None
    clients = combination.clients if combination is not None else None
    conflicts = combination.conflicts if combination is not None else None
    findings = check_ledger(inputs.loaded, clients, currency=config.branding.currency)
    accepted = set(accept) | set(config.accept)
    reading = loaded.reading
    pinned: list[str] = []
    if pin and reading is not None:
        from ..pin_reading import pin_settings

        pinned = pin_settings(config.path, reading.settings())
    if as_json:
        data = recon.to_dict()
        data["reading"] = reading.to_dict() if reading is not None else None
        data["pinned"] = pinned
        data["sanity"] = [
            {**f.to_dict(), "accepted": f.acceptable and f.code in accepted} for f in findings
        ]
        data["merge_conflicts"] = [] if conflicts is None else conflicts.to_dict("records")
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(f"{config.client}: billing ledger check")
        if reading is not None:
            click.echo("\nHow the file was read")
            click.echo(reading.to_text(currency=config.branding.currency))
            click.echo("")
        click.echo(recon.to_text(currency=config.branding.currency))
        ok = "balances" if recon.balances() else "DOES NOT BALANCE"
        click.echo(f"\nReconciliation {ok}: rows read = rows used + rows excluded, and the same for money.")
        if conflicts is not None and len(conflicts):
            from ..report.views.narrative import merge_conflicts

            click.echo(f"\n{merge_conflicts(conflicts, config.decisions_file.name)}")
        kept = [f for f in findings if f.acceptable and f.code in accepted]
        if not findings:
            click.echo("Sanity checks passed: rows are used, most of the money counts, no single "
                       "client holds (almost) everything.")
        for f in kept:
            click.echo(f"Sanity check {f.code} accepted (--accept / client.yml accept): {f.message}.")
        if pin:
            if pinned:
                click.echo(f"\nWritten into {config.path} (its comments kept): " + "; ".join(pinned))
            else:
                click.echo(f"\n{config.path} already pins this reading: nothing written.")
        elif reading is not None:
            click.echo("\nTo read the file the same way every time, run again with --pin (writes these "
                       "choices into client.yml, keeping its comments).")
    refuse_unaccepted(findings, accepted, recon.file)  # exit 2 with the findings and the fix
