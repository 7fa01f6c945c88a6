"""``alms audit CLIENT_DIR``: run the audit notebook and write every deliverable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .options import accept_option, parse_date, parse_formats

__all__ = ["command"]
@click.command("audit")
@click.argument("client_dir", type=click.Path(path_type=Path))
@click.option("--as-of", callback=parse_date, metavar="DATE",
              help="Audit date (YYYY-MM-DD); the window is the 12 months before it. "
              "Default: client.yml's as_of, else the day after the ledger's last date.")
@click.option("--key-share", type=click.FloatRange(0.01, 0.99), default=None, metavar="X",
              help="Share of spending clients that are KEY (default: client.yml's, else 0.25).")
@click.option("--out", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Reports folder (default: ./reports); the run goes to DIR/<client>/<as_of>/.")
@click.option("--formats", default="html,pdf,xlsx,crm", show_default=True, callback=parse_formats,
              help="Deliverables to write, comma separated.")
@click.option("--force", is_flag=True, help="Replace an earlier run of the same client and date.")
@click.option("--previous", type=click.Path(path_type=Path), default=None, metavar="PATH",
              help="An earlier review's run folder to compare with. Default: the latest "
              "earlier review of this client in the reports folder, if any.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@accept_option
def command(client_dir: Path, as_of: dt.date | None, key_share: float | None, out: Path | None,
            formats: tuple[str, ...], force: bool, previous: Path | None, quiet: bool,
            accept: tuple[str, ...]) -> None:
    """Audit CLIENT_DIR: run the ALMS notebook and write the report (HTML, PDF), the
    seller workbooks, the CRM import files, summary.json and the executed notebook into
    reports/<client>/<as_of>/. An earlier run is never overwritten without --force."""
    from ..runs.audit_run import run_audit
    from ..stop import signals_as_interrupt

    with signals_as_interrupt():
        result = run_audit(client_dir, as_of=as_of, key_share=key_share, out=out, formats=formats,
                           force=force, progress=not quiet, previous_review=previous,
                           accept=accept)
    click.echo(f"Audit of {result.client} as of {result.as_of.isoformat()}: {result.folder}")
    for path in result.files:
        click.echo(f"  {path}")
    for name, label in (("report.html", "HTML report"), ("report.pdf", "PDF report")):
        if result.folder / name in result.files:
            click.echo(f"{label}: {result.folder / name}")
    for note in result.notes:
        click.echo(f"Note: {note}")
