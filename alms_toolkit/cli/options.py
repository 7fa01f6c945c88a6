"""Option parsing shared by the ``alms`` commands (click callbacks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

__all__ = ["parse_date", "parse_formats", "parse_accept", "accept_option"]


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
    from ..runs.audit_run import FORMATS

    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'} is not a format (use a comma list of {', '.join(FORMATS)})"
        )
    return formats


def parse_accept(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """``--accept one_client --accept most_excluded`` or ``--accept one_client,most_excluded``
    -> the codes, checked (an unknown code, or one that cannot be accepted, is a usage error)."""
    import difflib

    from ..errors import ImplausibleDataError

    codes = [c.strip() for item in value for c in item.split(",") if c.strip()]
    allowed = ImplausibleDataError.ACCEPTABLE
    for code in codes:
        if code in ImplausibleDataError.NEVER_ACCEPTED:
            raise click.BadParameter(
                f"{code} cannot be accepted: {ImplausibleDataError.CODES[code]}, so there is nothing "
                "to report (fix the settings the message names)")
        if code not in allowed:
            match = difflib.get_close_matches(code, allowed, n=1)
            hint = f" (did you mean {match[0]}?)" if match else ""
            raise click.BadParameter(f"{code!r} is not a check that can be accepted{hint}; use "
                                     f"{', '.join(allowed)}")
    return tuple(dict.fromkeys(codes))


def accept_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--accept CODE`` option (repeatable or comma separated) of every command that
    reads a ledger: the sanity checks the consultant accepts knowingly."""
    return click.option(
        "--accept", "accept", multiple=True, metavar="CODE", callback=parse_accept,
        help="Accept a failed sanity check knowingly, once its figures are checked and right "
        "for this client: most_excluded (most of the money left out), one_client (one "
        "client holds 90%+ of the revenue) or short_window (the ledger's dates cover only part "
        "of the 12-month window). Repeat it or separate codes with commas; "
        "client.yml's accept: [CODE] does the same for every run.",
    )(command)
