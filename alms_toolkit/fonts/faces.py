"""The font family shipped with the toolkit: "ALMS Sans" (Liberation Sans 2.x, SIL OFL 1.1).

Every deliverable uses it - the HTML report (the faces embedded as ``@font-face`` data URIs,
so the page stays one self-contained file), the PDFs (WeasyPrint embeds the same faces),
the charts (registered with matplotlib's font manager) and the notebook in JupyterLab - so
what a client receives never depends on the fonts of the machine that made it. The name is
private: no machine has a font of that name, so none stands in for it silently. Characters
outside the faces (see :mod:`.build_faces`) fall back to the generic ``sans-serif``.

The faces are package data (``alms_toolkit/fonts/*.ttf``, ``*.woff2``, the licence in
``OFL.txt``); :mod:`.build_faces` documents how they are made.
"""

from __future__ import annotations

import base64
import functools
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "FAMILY",
    "FONT_DIR",
    "LICENCE_FILE",
    "Face",
    "FACES",
    "font_files",
    "font_face_css",
]

#: the family's private name, as CSS, matplotlib and the PDF name it
FAMILY = "ALMS Sans"
#: the folder holding the faces and their licence
FONT_DIR = Path(__file__).resolve().parent
LICENCE_FILE = "OFL.txt"


@dataclass(frozen=True)
class Face:
    """One face of the family: its style name, CSS weight and slant, and its file stem."""

    style: str
    weight: int
    italic: bool
    stem: str

    @property
    def ttf(self) -> str:
        return f"{self.stem}.ttf"

    @property
    def woff2(self) -> str:
        return f"{self.stem}.woff2"


FACES: tuple[Face, ...] = (
    Face("Regular", 400, False, "ALMSSans-Regular"),
    Face("Bold", 700, False, "ALMSSans-Bold"),
    Face("Italic", 400, True, "ALMSSans-Italic"),
    Face("Bold Italic", 700, True, "ALMSSans-BoldItalic"),
)


def _missing(path: Path) -> Exception:
    from ..errors import ReportError

    return ReportError(f"{path}: the toolkit's font file is missing. Reinstall the toolkit.")


def font_files() -> tuple[Path, ...]:
    """The TrueType file of each face (for matplotlib), each checked to exist."""
    paths = tuple(FONT_DIR / face.ttf for face in FACES)
    for path in paths:
        if not path.is_file():
            raise _missing(path)
    return paths


@functools.cache
def font_face_css(kind: str = "woff2") -> str:
    """``@font-face`` rules for the four faces, each a ``data:`` URI (read once per process):
    ``woff2`` for a self-contained HTML page (JupyterLab, browsers); ``ttf`` for WeasyPrint,
    which would decompress WOFF2 glyph by glyph in Python for every PDF."""
    mime, fmt = {"woff2": ("font/woff2", "woff2"), "ttf": ("font/ttf", "truetype")}[kind]
    rules = []
    for face in FACES:
        path = FONT_DIR / (face.woff2 if kind == "woff2" else face.ttf)
        try:
            data = base64.b64encode(path.read_bytes()).decode("ascii")
        except FileNotFoundError as exc:
            raise _missing(path) from exc
        rules.append(
            "@font-face {"
            f' font-family: "{FAMILY}";'
            f" font-style: {'italic' if face.italic else 'normal'};"
            f" font-weight: {face.weight};"
            f' src: url("data:{mime};base64,{data}") format("{fmt}");'
            " }"
        )
    return "\n".join(rules)
