"""Find the client folders of a batch: every direct sub-folder holding a client.yml."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..config import CONFIG_FILE
from ..errors import ConfigError, MissingFileError

__all__ = ["find_client_folders", "parse_only"]


def parse_only(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """'a, b,,c' -> ('a', 'b', 'c'); None -> () (every client)."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(dict.fromkeys(s.strip() for s in items if s and s.strip()))


def find_client_folders(client_data_dir: Path | str, only: Iterable[str] | None = None) -> list[Path]:
    """The client folders under ``client_data_dir``, sorted by name.

    A client folder is a direct, non-hidden sub-folder with a ``client.yml``. ``only``
    keeps the named folders; a name that is not a client folder is an error listing the
    folders there are (so a typo never silently skips a client).
    """
    root = Path(client_data_dir)
    if not root.is_dir():
        raise MissingFileError(root, "this folder of client folders does not exist")
    folders = sorted(
        (p for p in root.iterdir()
         if p.is_dir() and not p.name.startswith(".") and (p / CONFIG_FILE).is_file()),
        key=lambda p: p.name,
    )
    if not folders:
        raise MissingFileError(
            root, f"no client folder here (a client folder is a sub-folder with a {CONFIG_FILE})",
            hint="Create one with: alms new-client NAME, or try: alms sample client_data/sample",
        )
    wanted = parse_only(only)
    if not wanted:
        return folders
    by_name = {p.name: p for p in folders}
    unknown = [w for w in wanted if w not in by_name]
    if unknown:
        raise ConfigError(None, (
            f"--only names {', '.join(repr(u) for u in unknown)}, not a client folder in {root} "
            f"(the client folders are: {', '.join(by_name)})"
        ))
    return [by_name[w] for w in wanted]
