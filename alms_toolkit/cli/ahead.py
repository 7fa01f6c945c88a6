"""Reading a client's ledger ahead (:mod:`alms_toolkit.io.read_ahead`) from a command that
audits that client in this process, started before the command imports the engine."""

from __future__ import annotations

from pathlib import Path

__all__ = ["read_ledger_ahead"]


def read_ledger_ahead(client_dir: Path | str) -> None:
    """Start reading CLIENT_DIR's ledger in a thread. A client.yml that does not load is left
    to the command, which reports it as it would without this."""
    from ..config import load_config
    from ..errors import AlmsError
    from ..io.read_ahead import start

    try:
        config = load_config(client_dir)
    except (AlmsError, OSError):
        return
    start(config)
