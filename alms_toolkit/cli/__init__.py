"""The ``alms`` command. Each subcommand lives in its own module and is imported only
when it runs, so ``alms --help`` stays fast. Errors the toolkit raises on purpose
(:class:`~alms_toolkit.errors.AlmsError`) are printed without a traceback and set the
exit code (2 for bad input, 1 for a failed run)."""

from __future__ import annotations

import gc
import importlib
import sys
from typing import NoReturn

import click

from ..errors import AlmsError, FileAccessError

__all__ = ["main", "run"]

#: command name -> "module:attribute" (relative to this package)
_COMMANDS: dict[str, str] = {
    # one line per command, added by the module that defines it
    "validate": "validate:command",
    "summary": "summary:command",
    "audit": "audit:command",
    "sample": "sample:command",
    "new-client": "new_client:command",
    "lab": "lab:command",
    "batch": "batch:command",
    "republish": "republish:command",
    "crm-owners": "crm_owners:command",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = _COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), attr)

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        try:
            return super().invoke(ctx)
        except AlmsError as exc:
            _exit_with(exc)
        except KeyboardInterrupt:
            # stopping now: a second interrupt (a library re-emitting the signal it caught, as
            # pyarrow's readers do, or an impatient second Ctrl-C) must not cut the exit short
            import signal

            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, signal.SIG_IGN)
            click.echo("\nStopped: nothing unfinished was published (earlier runs are untouched).", err=True)
            sys.exit(130)
        except Exception as exc:
            # a full disk, a quota, a denied permission or a read-only disk, wherever it
            # happened (libraries wrap OSError in their own types): a message, not a traceback
            error = FileAccessError.from_os_error(exc)
            if not isinstance(error, FileAccessError):  # exc itself: not a disk or permission problem
                raise
            _exit_with(error)


def _exit_with(exc: AlmsError) -> NoReturn:
    click.secho("Error: ", fg="red", bold=True, err=True, nl=False)
    click.echo(str(exc), err=True)
    sys.exit(exc.exit_code)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="alms-toolkit")
def main() -> None:
    """ALMS Challenge toolkit: audit a client's account list and build the reports.

    \b
    Typical use:
      alms new-client "Acme Media"      scaffold client_data/acme-media/client.yml
      alms validate client_data/acme-media
      alms summary  client_data/acme-media
      alms audit    client_data/acme-media
    """


#: whether this process is the ``alms`` program (:func:`run`), not a caller of :func:`main`
_as_program = {"on": False}


def libraries_imported() -> None:
    """A command calls it once its libraries are imported: their objects (pandas', pyarrow's,
    pydantic's: hundreds of thousands, alive until the process ends) are set aside from the
    garbage collector's passes (:func:`gc.freeze`), which otherwise visit all of them again
    each time (a few tenths of a second of ``alms summary`` at 50k clients). Only in the
    ``alms`` process, which ends with the command; a notebook's kernel or a batch worker,
    where the toolkit is a library, is left as it is (and so is a test calling :func:`main`)."""
    if _as_program["on"]:
        gc.freeze()


def run() -> None:
    """The ``alms`` command as a program (the console script, ``python -m alms_toolkit.cli``):
    :func:`main`, then the process ends without a last garbage collection. After an audit,
    Python would otherwise spend most of a second, with the run finished and its files
    written, visiting the objects WeasyPrint, nbconvert and pandas left behind, only to free
    memory the system takes back at exit anyway. Files and processes are not left to that
    collection: each is closed where it is used (the PDF writer removes WeasyPrint's font
    folder itself), and exit handlers still run. The collector's passes are made rarer for
    the whole program (:mod:`alms_toolkit.collector`)."""
    from ..collector import rarer_passes

    _as_program["on"] = True
    rarer_passes()
    try:
        main()
    finally:
        gc.freeze()
