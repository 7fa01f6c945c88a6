"""How wide a text is set in the shipped "ALMS Sans" faces (their advance widths, read with
fontTools): what the Typst report needs to share a table's width between its columns as a
browser does, and to know when a figure would not fit its column."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["text_width"]

#: a character the faces do not draw (a fallback font draws it): counted this wide, in em
_UNKNOWN = 0.6


@lru_cache(maxsize=2)
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Each character's advance width in em, and the face's space width."""
    from fontTools.ttLib import TTFont

    from ...fonts import FONT_DIR

    font = TTFont(str(FONT_DIR / ("ALMSSans-Bold.ttf" if bold else "ALMSSans-Regular.ttf")), lazy=True)
    per_em = float(font["head"].unitsPerEm)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items() if glyph in metrics}
    return widths, widths.get(32, 0.278)


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of ``text`` on one line, in points, at ``size`` points (no kerning)."""
    widths, _ = _advances(bold)
    return sum(widths.get(ord(c), _UNKNOWN) for c in text) * size
