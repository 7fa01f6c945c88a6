"""Per-client working copies of the toolkit's notebooks, for JupyterLab (``alms lab``).

A consultant opens a client's own copies, ``<client>/notebooks/alms_workshop.ipynb`` and
``alms_audit.ipynb``, never the toolkit's: JupyterLab saves outputs into whatever notebook is
open, and the toolkit's own notebooks must stay as shipped (they are what ``alms audit``
runs). A copy points at its client (``client_dir = ".."``: Lab runs a notebook in its own
folder) and is written once; ``fresh`` replaces it with the toolkit's current version.
Widget views saved in a workshop copy are cleared each time, so a reopened copy never shows
"Error displaying widget: model not found" (the decisions are in the client's files, not in
the outputs). The copies are not committed (.gitignore: ``client_data/*/notebooks/``).
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["NOTEBOOKS", "COPIES_DIR", "write_working_copies", "clear_widget_views", "outdated_copies"]

#: the notebooks a client gets a copy of, by short name
NOTEBOOKS = {"workshop": "alms_workshop.ipynb", "audit": "alms_audit.ipynb"}
#: the folder of a client's copies
COPIES_DIR = "notebooks"
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_CLIENT_LINE = re.compile(r"^client_dir\s*=.*$", re.M)


def write_working_copies(client_dir: Path | str, *, fresh: bool = False) -> dict[str, Path]:
    """The client's copies of :data:`NOTEBOOKS` (short name -> path), written when missing
    (or all anew with ``fresh``); widget views in them cleared."""
    import nbformat

    from ..package_files import notebook_path

    folder = Path(client_dir) / COPIES_DIR
    folder.mkdir(exist_ok=True)
    copies = {}
    for short, name in NOTEBOOKS.items():
        path = folder / name
        if fresh or not path.is_file():
            nb = nbformat.read(str(notebook_path(name)), as_version=4)
            cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
            line = 'client_dir = ".."  # this client (the copy sits in its notebooks/ folder)'
            cell.source = _CLIENT_LINE.sub(line, cell.source, count=1)
            nb.metadata.setdefault("alms", {}).update(working_copy_of=name, toolkit_notebook=_digest(name))
            from ..atomic import write_text

            write_text(path, nbformat.writes(nb) + "\n")
        else:
            clear_widget_views(path)
        copies[short] = path
    return copies


def clear_widget_views(path: Path | str) -> bool:
    """Remove the widget views saved in the notebook at ``path`` (they refer to widgets of a
    kernel that is gone); True when something was removed."""
    import nbformat

    from ..atomic import write_text

    nb = nbformat.read(str(path), as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = [o for o in cell.get("outputs", []) if _WIDGET_VIEW not in o.get("data", {})]
        if len(kept) != len(cell.get("outputs", [])):
            cell.outputs = kept
            changed = True
    if nb.metadata.pop("widgets", None) is not None:
        changed = True
    if changed:
        write_text(Path(path), nbformat.writes(nb) + "\n")
    return changed


def _digest(name: str) -> str:
    """A short hash of the toolkit's notebook ``name`` as shipped (to tell a copy is older)."""
    import hashlib

    from ..package_files import notebook_path

    return hashlib.sha256(notebook_path(name).read_bytes()).hexdigest()[:16]


def outdated_copies(client_dir: Path | str) -> list[Path]:
    """The client's copies made from an older version of the toolkit's notebooks."""
    import nbformat

    out = []
    for name in NOTEBOOKS.values():
        path = Path(client_dir) / COPIES_DIR / name
        if path.is_file():
            made_from = nbformat.read(str(path), as_version=4).metadata.get("alms", {}).get("toolkit_notebook")
            if made_from != _digest(name):
                out.append(path)
    return out
