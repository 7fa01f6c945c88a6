"""The one look of every chart: a palette readable in grey, fonts, money axes.

Each series differs from its neighbours by lightness (and, for the lighter ones, a hatch
pattern), so a chart printed on a black-and-white office printer still reads. Charts are
built inside :func:`chart_style` (a ``matplotlib.rc_context``), so nothing leaks into the
caller's matplotlib settings. Their text is set in the toolkit's own font family, "ALMS Sans"
(:mod:`alms_toolkit.fonts`, registered with matplotlib's font manager the first time a chart
is styled), as the report around them is; matplotlib's own DejaVu Sans only draws a
character the family lacks.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from matplotlib import font_manager, rc_context
from matplotlib.colors import to_hex, to_rgb
from matplotlib.ticker import FuncFormatter

from ...fonts import FAMILY, font_files
from ...money import format_money_short, from_decimal

if TYPE_CHECKING:  # the rcParams keys, as matplotlib's stubs type rc_context
    from matplotlib.typing import RcKeyType

__all__ = [
    "ACCENT",
    "INK",
    "MUTED",
    "GRID",
    "FIG_WIDTH",
    "FONT_FAMILY",
    "register_fonts",
    "SeriesStyle",
    "series_styles",
    "chart_style",
    "accent_color",
    "money_formatter",
    "percent_formatter",
    "grey_level",
]

#: default accent (a dark blue that prints as a dark grey)
ACCENT = "#1f4e79"
INK = "#262626"
MUTED = "#6b6b6b"
GRID = "#d9d9d9"
#: figure width in inches: the text width of an A4 page with 18 mm margins (174 mm)
FIG_WIDTH = 6.85
#: the shipped family, then matplotlib's bundled DejaVu Sans for a character it lacks
FONT_FAMILY = [FAMILY, "DejaVu Sans"]

_RC: dict[RcKeyType, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": FONT_FAMILY,
    "font.size": 8.5,
    "axes.titlesize": 10.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.titlepad": 10,
    "axes.labelsize": 8.5,
    "axes.labelcolor": INK,
    "axes.edgecolor": "#8c8c8c",
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "text.color": INK,
    "text.parse_math": False,  # client/seller names and "$" amounts are text, never math
    "hatch.linewidth": 0.6,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "svg.fonttype": "path",
}


def register_fonts() -> None:
    """Make the shipped faces known to matplotlib's font manager (once per font manager)."""
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    for path in font_files():
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))


@contextlib.contextmanager
def chart_style() -> Iterator[None]:
    """Build (and save) charts inside this context: the toolkit's rcParams and fonts, then
    the caller's rcParams restored."""
    register_fonts()
    with rc_context(_RC):
        yield


_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def grey_level(color: str) -> float:
    """Perceived lightness 0 (black) .. 1 (white), as a greyscale printer renders the colour."""
    r, g, b = to_rgb(color)
    return 0.299 * r + 0.587 * g + 0.114 * b


def _mix(color: str, other: str, t: float) -> str:
    (r1, g1, b1), (r2, g2, b2) = to_rgb(color), to_rgb(other)
    return to_hex((r1 + (r2 - r1) * t, g1 + (g2 - g1) * t, b1 + (b2 - b1) * t))


def accent_color(color: str | None) -> str:
    """A usable accent: a valid hex colour, darkened until it prints as a dark grey."""
    if not color or not _HEX.match(str(color).strip()):
        return ACCENT
    out = to_hex(to_rgb(str(color).strip()))
    for _ in range(10):
        if grey_level(out) <= 0.38:
            break
        out = _mix(out, "#000000", 0.2)
    return out


@dataclass(frozen=True)
class SeriesStyle:
    """How one series is drawn: fill, hatch, edge and the colour of text drawn on it."""

    color: str
    hatch: str | None
    edge: str
    text: str
    label: str

    def bar_kwargs(self) -> dict[str, Any]:
        return {
            "facecolor": self.color,
            "hatch": self.hatch,
            "edgecolor": self.edge,
            "linewidth": 0.6,
            "label": self.label,
        }


def series_styles(accent: str | None = None) -> dict[str, SeriesStyle]:
    """Styles by category. Lightness steps (dark -> light) keep them apart in grey:
    KEY darkest (the accent), TARGET dark-mid with cross hatch, LAPSED mid grey,
    SECONDARY light with diagonal hatch, EXTRA lighter dotted, LEAD/NON-SPENDING lightest."""
    a = accent_color(accent)
    return {
        "KEY": SeriesStyle(a, None, a, "white", "KEY"),
        "SECONDARY": SeriesStyle(_mix(a, "#ffffff", 0.72), "////", _mix(a, "#000000", 0.1), INK, "SECONDARY"),
        "TARGET": SeriesStyle("#b35c1e", "xx", "#7a3d12", "white", "TARGET"),
        "EXTRA": SeriesStyle("#f2c9a5", "..", "#9c6a40", INK, "EXTRA"),
        "LEAD": SeriesStyle("#ececec", "\\\\\\\\", "#8c8c8c", INK, "LEAD"),
        "LAPSED": SeriesStyle("#8c8c8c", None, "#595959", "white", "LAPSED"),
        "NEW": SeriesStyle("#4d4d4d", "++", "#262626", "white", "NEW"),
        "NON-SPENDING": SeriesStyle("#f2f2f2", None, "#a6a6a6", INK, "NON-SPENDING"),
        "THEN": SeriesStyle("#e6e6e6", "////", "#8c8c8c", INK, "then"),
        "NOW": SeriesStyle(a, None, a, "white", "now"),
    }


def money_formatter(symbol: str = "$") -> FuncFormatter:
    """Axis tick formatter for amounts in currency units (floats), in the one abbreviation
    rule of cards and charts (:func:`alms_toolkit.money.format_money_short`: three significant
    figures): $0, $250k, $500k, $1.00M, $1.25M."""

    def tick(x: float, _pos: int | None = None) -> str:
        if not math.isfinite(x):
            return ""
        return format_money_short(from_decimal(Decimal(repr(float(x)))), symbol)

    return FuncFormatter(tick)


def percent_formatter(decimals: int = 0) -> FuncFormatter:
    """Axis tick formatter for shares 0..1: 0.25 -> '25%'."""
    return FuncFormatter(lambda x, _pos: f"{x * 100:.{decimals}f}%")
