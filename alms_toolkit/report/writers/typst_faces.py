"""The faces Typst lays the toolkit's PDFs out with (the seller packs, the client report)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typst

__all__ = ["typst_fonts"]


@lru_cache(maxsize=1)
def typst_fonts() -> typst.Fonts:
    """The faces Typst may use: the shipped family first (each template sets it, so a PDF
    looks the same on every machine), then the machine's fonts and Typst's own for what it
    does not draw (Cyrillic, Greek, Hebrew, CJK names; the ₹, ₽ and ₺ signs), as a browser
    would: a client's name or currency is never dropped."""
    import typst

    from ...fonts import FONT_DIR

    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True, font_paths=[str(FONT_DIR)])
