"""Option parsing shared by the ``alms`` commands (click callbacks)."""

from __future__ import annotations

import datetime as dt

import click

__all__ = ["parse_date", "parse_formats"]


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """``--as-of 2025-07-01`` -> a date; anything else is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date written YYYY-MM-DD") from None


def parse_formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    """``--formats html,pdf`` -> ("html", "pdf"), checked against the runner's formats."""
    from ..report.runner import FORMATS

    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'} is not a format (use a comma list of {', '.join(FORMATS)})"
        )
    return formats
