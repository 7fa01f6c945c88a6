"""Where the files shipped with the toolkit are: the notebooks and the report templates.

In a source checkout (or an editable install) they are the project's ``notebooks/`` and
``templates/`` folders; in an installed wheel they are package data inside
``alms_toolkit/`` (pyproject.toml maps the two folders into the package). Each folder is
recognised by a file it must hold, so a stray folder of the same name elsewhere is never
taken for it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["shipped_folder", "notebook_path", "NOTEBOOKS_MARKER", "TEMPLATES_MARKER"]

#: a file each shipped folder holds
NOTEBOOKS_MARKER = "alms_audit.ipynb"
TEMPLATES_MARKER = "alms_report/conf.json"
_MARKERS = {"notebooks": NOTEBOOKS_MARKER, "templates": TEMPLATES_MARKER}


def _candidates(name: str) -> tuple[Path, Path]:
    package = Path(__file__).resolve().parent
    return package.parent / name, package / name  # source checkout first, then package data


def shipped_folder(name: str) -> Path | None:
    """The ``notebooks`` or ``templates`` folder the toolkit runs with (None: not found)."""
    marker = _MARKERS[name]
    return next((folder for folder in _candidates(name) if (folder / marker).is_file()), None)


def looked_in(name: str) -> str:
    """Where :func:`shipped_folder` looked, for an error message."""
    return ", ".join(str(c) for c in _candidates(name))


def notebook_path(file_name: str = NOTEBOOKS_MARKER) -> Path:
    """A shipped notebook's path (the source checkout's when there is one)."""
    folder = shipped_folder("notebooks")
    if folder is None:
        from .errors import ReportError

        raise ReportError(
            f"The toolkit's notebooks were not found (looked in {looked_in('notebooks')}). "
            "Reinstall the toolkit."
        )
    return folder / file_name
