"""How the shipped ALMS Sans faces are made from Liberation Sans 2.x (a maintainer's step).

The report, the seller PDFs, the charts and the notebook use one font family shipped with
the toolkit, so what a client receives never depends on the fonts of the machine that made
it. The family is Liberation Sans 2.x (SIL Open Font License 1.1), cut down to the
characters a report shows and renamed "ALMS Sans": a private name, so a machine's own fonts
never stand in for it unnoticed (and the OFL's reserved names "Liberation" and "Arimo" are
not used by this modified version, as the licence asks).

What is kept: Basic Latin, Latin-1, Latin Extended-A and -B (client names in most European
languages), general punctuation (dashes, curly quotes, bullet, ellipsis, thin and narrow
spaces), the currency symbols the font has (EUR, GBP, JPY, ...), arrows, minus, <= >= ~= !=,
and two glyphs drawn here because Liberation Sans has none: a check mark (U+2713) and a
ballot X (U+2717), the marks of the report's pass / fail badges. Hinting is dropped (the PDF
does not use it; it doubles the size). Each face is written as TrueType (matplotlib and the
PDF) and WOFF2 (embedded in the self-contained HTML).

Run, from a checkout, with the Liberation Sans 2.x files (Debian/Ubuntu: fonts-liberation2)::

    python -m alms_toolkit.fonts.build_faces /usr/share/fonts/truetype/liberation2

It rewrites the ``.ttf`` and ``.woff2`` files next to this module; ``OFL.txt`` (the licence,
with the copyright lines) is kept by hand.
"""

from __future__ import annotations

import io
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .faces import FACES, FAMILY, FONT_DIR, Face

__all__ = ["KEPT_CODEPOINTS", "build_face", "build_all"]

#: the characters the shipped faces cover (those of them the source font has)
KEPT_CODEPOINTS: tuple[int, ...] = tuple(sorted({
    *range(0x20, 0x7F),        # Basic Latin
    *range(0xA0, 0x100),       # Latin-1
    *range(0x100, 0x250),      # Latin Extended-A and -B
    *range(0x2C6, 0x2DE),      # spacing accents
    *range(0x2000, 0x2028),    # spaces, dashes, quotes, bullet, ellipsis
    0x202F, 0x2030, 0x2032, 0x2033, 0x2039, 0x203A, 0x2044,
    *range(0x20A0, 0x20D0),    # currency symbols
    0x2116, 0x2122, 0x2190, 0x2191, 0x2192, 0x2193, 0x2212, 0x2248, 0x2260, 0x2264, 0x2265,
    0x25B2, 0x25BC, 0x25CF,
    0x2713, 0x2717,            # drawn here (check mark, ballot X)
}))
_CHECK, _BALLOT_X = 0x2713, 0x2717
_SOURCE_NAMES = {"Regular": "LiberationSans-Regular.ttf", "Bold": "LiberationSans-Bold.ttf",
                 "Italic": "LiberationSans-Italic.ttf", "Bold Italic": "LiberationSans-BoldItalic.ttf"}


# ------------------------------------------------------------------------------ drawn glyphs

Point = tuple[float, float]


def _stroke(points: Sequence[Point], width: float) -> list[Point]:
    """The outline of a polyline drawn with a pen ``width`` wide (mitred joins, flat ends),
    clockwise (TrueType's direction for an outer contour)."""
    half = width / 2
    normals = []
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        length = math.hypot(x2 - x1, y2 - y1)
        normals.append(((y1 - y2) / length * half, (x2 - x1) / length * half))

    def side(sign: int) -> list[Point]:
        out = [(points[0][0] + sign * normals[0][0], points[0][1] + sign * normals[0][1])]
        for i in range(1, len(points) - 1):
            (ax, ay), (bx, by) = normals[i - 1], normals[i]
            mx, my = ax + bx, ay + by  # the mitre: along the bisector, to both offset lines
            scale = half * half / (ax * mx + ay * my)
            out.append((points[i][0] + sign * mx * scale, points[i][1] + sign * my * scale))
        out.append((points[-1][0] + sign * normals[-1][0], points[-1][1] + sign * normals[-1][1]))
        return out

    outline = side(1) + side(-1)[::-1]
    area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(outline, outline[1:] + outline[:1], strict=False))
    return outline if area < 0 else outline[::-1]


def _slant(contours: list[list[Point]], italic: bool) -> list[list[Point]]:
    shear = math.tan(math.radians(12)) if italic else 0.0  # Liberation Sans Italic's angle
    return [[(x + y * shear, y) for x, y in c] for c in contours]


def _glyph(contours: list[list[Point]]) -> Any:
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    for contour in contours:
        pen.moveTo((round(contour[0][0]), round(contour[0][1])))
        for x, y in contour[1:]:
            pen.lineTo((round(x), round(y)))
        pen.closePath()
    return pen.glyph()


def _drawn_glyphs(bold: bool, italic: bool) -> dict[int, tuple[str, list[list[Point]]]]:
    """The check mark and the ballot X, with the pen of the face (its stem width)."""
    pen = 290 if bold else 200
    check = [_stroke([(170, 700), (520, 290), (1230, 1330)], pen)]
    cross = [_stroke([(240, 80), (1150, 1250)], pen), _stroke([(240, 1250), (1150, 80)], pen)]
    return {_CHECK: ("uni2713", _slant(check, italic)), _BALLOT_X: ("uni2717", _slant(cross, italic))}


def _add_glyphs(font: Any, bold: bool, italic: bool, advance: int = 1400) -> None:
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    for codepoint, (name, contours) in _drawn_glyphs(bold, italic).items():
        glyph = _glyph(contours)
        if len(contours) > 1:
            glyph.flags[0] |= 0x40  # OVERLAP_SIMPLE: the strokes of the X overlap
        glyph.recalcBounds(glyf)
        if name not in order:
            order.append(name)
        font.setGlyphOrder(order)
        glyf[name] = glyph
        hmtx[name] = (advance, glyph.xMin)
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap[codepoint] = name


# ------------------------------------------------------------------------------ names


def _rename(font: Any, face: Face, version: str) -> None:
    name = font["name"]
    keep = {0: None, 8: None, 9: None, 11: None, 12: None, 13: None, 14: None}
    old = {n: name.getDebugName(n) for n in keep}
    name.names = []
    ps_style = face.style.replace(" ", "")
    values = {
        **{n: v for n, v in old.items() if v},
        1: FAMILY,
        2: face.style,
        3: f"{FAMILY} {face.style}; {version}",
        4: f"{FAMILY} {face.style}" if face.style != "Regular" else FAMILY,
        5: version,
        6: f"{FAMILY.replace(' ', '')}-{ps_style}",
        10: (f"{FAMILY}: Liberation Sans 2.x cut down to the characters of the ALMS toolkit's "
             "reports, with a check mark and a ballot X added; renamed as the SIL Open Font "
             "License 1.1 asks of a modified version."),
    }
    for name_id, text in sorted(values.items()):
        name.setName(text, name_id, 3, 1, 0x409)
        name.setName(text, name_id, 1, 0, 0)


# ------------------------------------------------------------------------------ build


def build_face(source: Path, face: Face) -> tuple[bytes, bytes]:
    """One face from its Liberation Sans file: (TrueType bytes, WOFF2 bytes)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), recalcTimestamp=False)
    version = f"{font['name'].getDebugName(5) or 'Version 2'}; ALMS Sans"
    _add_glyphs(font, bold=face.weight >= 700, italic=face.italic)
    options = subset.Options()
    options.hinting = False
    options.drop_tables += ["FFTM"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=KEPT_CODEPOINTS)
    subsetter.subset(font)
    _rename(font, face, version)
    out = {}
    for flavor in (None, "woff2"):
        font.flavor = flavor
        buf = io.BytesIO()
        font.save(buf)
        out[flavor] = buf.getvalue()
    return out[None], out["woff2"]


def build_all(source_dir: Path, out_dir: Path = FONT_DIR) -> list[Path]:
    """Every face from the Liberation Sans 2.x files in ``source_dir``, written to ``out_dir``."""
    written = []
    for face in FACES:
        ttf, woff2 = build_face(Path(source_dir) / _SOURCE_NAMES[face.style], face)
        for data, path in ((ttf, out_dir / face.ttf), (woff2, out_dir / face.woff2)):
            path.write_bytes(data)
            written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m alms_toolkit.fonts.build_faces LIBERATION2_FOLDER", file=sys.stderr)
        return 2
    for path in build_all(Path(args[0])):
        print(f"{path}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
