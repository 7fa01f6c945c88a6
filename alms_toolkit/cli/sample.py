"""``alms sample OUT_DIR``: write a realistic synthetic client folder to try the toolkit on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click


@click.command("sample")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same files.")
@click.option("--clients", type=int, default=400, show_default=True, help="Number of clients.")
@click.option("--sellers", type=int, default=8, show_default=True, help="Number of sellers.")
@click.option("--months", type=int, default=24, show_default=True,
              help="Months of invoices before the audit date (36 allows a review a year earlier).")
@click.option("--lines", type=int, default=None,
              help="Number of invoice lines (default: about 2 per client per month).")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Audit date, YYYY-MM-DD (default 2025-07-01): invoices end the day before.")
@click.option("--kind", type=click.Choice(["media", "services"]), default="media", show_default=True,
              help="A media company's advertisers, or a B2B services company's clients.")
@click.option("--clean", is_flag=True, help="A clean UTF-8 export with ISO dates and a column mapping "
              "(default: a messy export as clients really send them).")
@click.option("--xlsx", is_flag=True, help="Write the billing file as an Excel workbook.")
@click.option("--force", is_flag=True, help="Write over a sample already in OUT_DIR.")
def command(out_dir: Path, seed: int, clients: int, sellers: int, months: int, lines: int | None,
            as_of: dt.datetime | None, kind: str, clean: bool, xlsx: bool, force: bool) -> None:
    """Write a sample client folder to OUT_DIR: client.yml, the billing export,
    the sellers' current account list and their prospects."""
    from ..sample import generate_client

    folder = generate_client(
        out_dir, seed=seed, clients=clients, sellers=sellers, months=months, lines=lines,
        as_of=as_of.date() if as_of else None, kind=kind, messy=not clean,
        fmt="xlsx" if xlsx else "csv", overwrite=force,
    )
    files = sorted(p.name for p in folder.iterdir() if p.is_file())
    click.echo(f"Sample client written to {folder}: {', '.join(files)}")
    click.echo(f"Next: alms validate {folder}")
