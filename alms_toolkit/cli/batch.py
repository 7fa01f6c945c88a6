"""``alms batch CLIENT_DATA_DIR``: audit every client folder, each run isolated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .options import accept_option, parse_date, parse_formats

__all__ = ["command"]
def _parse_executor(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from ..batch.dask_executor import dask_address
    from ..errors import ConfigError

    try:
        dask_address(value)
    except ConfigError:
        raise click.BadParameter(f"{value!r}: use 'local' or tcp://HOST:PORT (or dask://HOST:PORT)") from None
    return value


@click.command("batch", short_help="Audit every client folder at once, each run isolated.")
@click.argument("client_data_dir", type=click.Path(path_type=Path))
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Clients run at once on this machine (default: the number of CPUs).")
@click.option("--as-of", callback=parse_date, metavar="DATE",
              help="Audit date for every client (YYYY-MM-DD). Default: each client.yml's as_of, "
              "else the day after its ledger's last date.")
@click.option("--only", default=None, metavar="A,B",
              help="Only these client folders (comma separated names).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("reports"), show_default=True,
              metavar="DIR", help="Reports folder: runs go to DIR/<client>/<as_of>/, the summary "
              "to DIR/batch_<date>.csv and DIR/index.html.")
@click.option("--executor", default="local", show_default=True, callback=_parse_executor,
              metavar="local|tcp://HOST:PORT",
              help="Run here (one process per client), or on an existing Dask cluster: its "
              "scheduler's address (tcp://HOST:PORT, or dask://HOST:PORT). The workers must have "
              "this machine's toolkit installed and see the client folders and --out at the same "
              "paths (checked before any client is sent). Needs: pip install "
              "'alms-toolkit[dask]'; the recipe is docs/CLUSTER.md.")
@click.option("--formats", default="html,pdf,xlsx,crm", show_default=True, callback=parse_formats,
              help="Deliverables to write for each client, comma separated.")
@click.option("--notebook", type=click.Path(path_type=Path), default=None, metavar="PATH",
              help="Run this variant of the audit notebook (same parameters) instead of the "
              "shipped one, e.g. a firm's own sections.")
@click.option("--force", is_flag=True, help="Replace earlier runs of the same client and date.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@accept_option
@click.pass_context
def command(ctx: click.Context, client_data_dir: Path, workers: int | None, as_of: dt.date | None,
            only: str | None, out: Path, executor: str, formats: tuple[str, ...],
            notebook: Path | None, force: bool, quiet: bool, accept: tuple[str, ...]) -> None:
    """Audit every client folder in CLIENT_DATA_DIR (each sub-folder with a client.yml),
    one run per client in its own process: one client's bad input or failing notebook
    never stops the others. Prints a table of every client's outcome and writes it to
    DIR/batch_<date>.csv and DIR/index.html. Exit code 0 only when every client succeeded.
    Ctrl-C stops cleanly: finished clients keep their reports, unfinished ones leave none."""
    from ..batch.run import run_batch

    result = run_batch(client_data_dir, out=out, workers=workers, as_of=as_of, only=only,
                       formats=formats, force=force, executor=executor, notebook=notebook,
                       progress=not quiet, accept=accept)
    click.echo(result.table())
    if result.interrupted:
        click.secho("The batch was stopped before every client finished.", fg="yellow", err=True)
    click.echo(f"Summary table: {result.csv}")
    click.echo(f"Index of the reports: {result.index}")
    ctx.exit(result.exit_code)
