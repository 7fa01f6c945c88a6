"""``alms republish CLIENT_DIR --review FOLDER``: the monthly lists with the review's frozen cut-off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .options import accept_option, parse_date

__all__ = ["command"]

#: exceptions printed per kind before "and N more" (exceptions.csv has them all)
SHOWN = 15


@click.command("republish")
@click.argument("client_dir", type=click.Path(path_type=Path))
@click.option("--review", "review", type=click.Path(path_type=Path), required=True, metavar="FOLDER",
              help="The review whose cut-off stays frozen: its run folder reports/<client>/<as_of>.")
@click.option("--as-of", callback=parse_date, metavar="DATE",
              help="Date of the republished lists (YYYY-MM-DD); the billing is the 12 months "
              "before it. Default: the day after the ledger's last date.")
@click.option("--force", is_flag=True, help="Replace an earlier republish of the same date "
              "against the same review.")
@accept_option
def command(client_dir: Path, review: Path, as_of: dt.date | None, force: bool,
            accept: tuple[str, ...]) -> None:
    """Republish CLIENT_DIR's lists from its latest billing, keeping the review's KEY
    cut-off (the KEY line), merges and owners. Writes into FOLDER/republished/<as_of>/ the
    manager's pack (a printable PDF for the weekly meeting) and the master list
    (manager/), each seller's workbook, exceptions.csv, accounts.csv and the CRM files
    (README.txt says which is which), and prints what changed: one line per client."""
    from ..money import format_money
    from ..republishing import EXCEPTIONS
    from ..runs.republish_run import republish
    from ..stop import signals_as_interrupt

    with signals_as_interrupt():  # stopped (Ctrl-C, SIGTERM): its unfinished folder is removed
        result = republish(client_dir, review, as_of=as_of, force=force, accept=accept)
    lists = result.lists
    currency = result.currency
    tiers = lists.accounts["tier"].value_counts()
    click.echo(
        f"Lists of {result.client} republished as of {lists.as_of.isoformat()} against the review "
        f"of {lists.review_as_of.isoformat()}: KEY line {format_money(lists.cutoff, currency)} "
        f"(set at the review), {int(tiers.get('KEY', 0)):,} KEY and {int(tiers.get('SECONDARY', 0)):,} "
        f"SECONDARY accounts."
    )
    for note in lists.notes:
        click.echo(f"Note: {note}")
    click.echo(f"Written to {result.folder}")
    for path in result.files:
        click.echo(f"  {path}")
    exceptions = lists.exceptions
    if exceptions.empty:
        click.echo("Nothing changed since the review: no client crossed the KEY line, none is new, "
                   "none went quiet, no target started spending.")
        return
    click.echo(f"\nClients to act on ({len(exceptions):,}, one change each; all in exceptions.csv "
               "and the manager's pack):")
    for kind, title in EXCEPTIONS.items():
        rows = exceptions[exceptions["kind"] == kind]
        if rows.empty:
            continue
        click.echo(f"\n{title}: {len(rows):,}")
        for rec in rows.head(SHOWN).itertuples(index=False):
            click.echo(f"  - {rec.client} ({rec.owner or 'no seller'}): {rec.detail}")
        if len(rows) > SHOWN:
            click.echo(f"  ... and {len(rows) - SHOWN:,} more in exceptions.csv")
    matched = lists.spellings
    if len(matched):
        click.echo(f"\nBilled under another name ({len(matched):,}, counted under the client):")
        for rec in matched.head(SHOWN).itertuples(index=False):
            click.echo(f"  - '{rec.spelling}' -> {rec.client} ({format_money(int(rec.billing), currency)})")
        if len(matched) > SHOWN:
            click.echo(f"  ... and {len(matched) - SHOWN:,} more in the manager's pack")
