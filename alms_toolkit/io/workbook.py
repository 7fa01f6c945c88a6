"""Excel workbooks (.xlsx/.xlsm): every sheet's first rows (to choose the sheet that holds
the ledger), a sheet's cells row by row, and the sheet's layout that the cell values alone
do not show: merged cells, hidden rows (by an outline, a filter or by hand), hidden
columns and formulas saved without their values.

Values come from openpyxl in read-only mode (fast, little memory). The layout is read
from the sheet's XML with a few patterns, because openpyxl's read-only mode does not
expose it and its full mode costs many times the time and memory on a large ledger.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FileReadError

__all__ = ["SheetLayout", "SheetRows", "read_workbook", "column_index"]

_PREVIEW_ROWS = 300

_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix (x:row)
_ROW_ATTRS = re.compile(rb"<" + _P + rb"row\b([^>]*\b(?:hidden|outlineLevel)=\"[^\"]*\"[^>]*)>")
_ATTR = re.compile(rb"\b(r|hidden|outlineLevel)=\"([^\"]*)\"")
_MERGE = re.compile(rb"<" + _P + rb"mergeCell\b[^>]*\bref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_AUTOFILTER = re.compile(rb"<" + _P + rb"autoFilter\b")
_FILTER_COLUMN = re.compile(rb"<" + _P + rb"filterColumn\b")
_HIDDEN_COL = re.compile(rb"<" + _P + rb"col\b([^>]*\bhidden=\"(?:1|true)\"[^>]*)>")
_COL_RANGE = re.compile(rb"\bmin=\"(\d+)\"[^>]*?\bmax=\"(\d+)\"|\bmax=\"(\d+)\"[^>]*?\bmin=\"(\d+)\"")
_FORMULA_CELL = re.compile(rb"<" + _P + rb"c\b[^>]*?\br=\"([A-Z]+)(\d+)\"[^>]*>\s*<" + _P + rb"f\b")
_RECALC = re.compile(rb"<" + _P + rb"calcPr\b[^>]*\bfullCalcOnLoad=\"(?:1|true)\"")
_FORMULA_NO_VALUE = re.compile(
    rb"<" + _P + rb"c\b[^>]*?\br=\"([A-Z]+)(\d+)\"[^>]*>\s*"
    rb"<" + _P + rb"f\b[^>]*(?:/>|>[^<]*</" + _P + rb"f>)\s*"
    rb"(?:<" + _P + rb"v\s*/>|<" + _P + rb"v>\s*</" + _P + rb"v>)?\s*</" + _P + rb"c>"
)


def column_index(letters: str | bytes) -> int:
    """'A' -> 1, 'AA' -> 27 (a spreadsheet column's number)."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


@dataclass(frozen=True)
class SheetLayout:
    """What a sheet's cell values do not show. Rows and columns are spreadsheet numbers
    (1-based)."""

    #: merged ranges (first row, first column, last row, last column)
    merges: tuple[tuple[int, int, int, int], ...] = ()
    hidden_rows: frozenset[int] = frozenset()
    #: rows inside an outline (grouped by Excel's Data > Subtotal or Group)
    outline_rows: frozenset[int] = frozenset()
    #: an AutoFilter with criteria is on (rows it hides are filtered out, not deleted)
    filtered: bool = False
    hidden_columns: frozenset[int] = frozenset()
    #: formula cells saved without a value (row, column): written by a program, never
    #: calculated by Excel
    formulas_without_values: tuple[tuple[int, int], ...] = ()
    #: every formula cell (row, column), and whether the workbook asks to be recalculated
    #: when opened (written by a program: its saved formula values are placeholders)
    formula_cells: tuple[tuple[int, int], ...] = ()
    recalc_on_open: bool = False
    #: the layout could not be read (the reason), e.g. an unusual workbook structure
    unknown: str | None = None


@dataclass(frozen=True)
class SheetRows:
    """One sheet's cell values (row i is spreadsheet row i + 1) and layout."""

    name: str
    rows: list[tuple[object, ...]]
    layout: SheetLayout
    #: why this sheet was read (for the reading shown to the consultant)
    reason: str
    sheet_names: tuple[str, ...] = field(default_factory=tuple)


def _scan_layout(xml: bytes) -> SheetLayout:
    hidden: set[int] = set()
    outline: set[int] = set()
    for m in _ROW_ATTRS.finditer(xml):
        attrs = dict(_ATTR.findall(m.group(1)))
        r = attrs.get(b"r")
        if r is None or not r.isdigit():
            continue
        row = int(r)
        if attrs.get(b"hidden") in (b"1", b"true"):
            hidden.add(row)
        level = attrs.get(b"outlineLevel", b"0")
        if level.isdigit() and int(level) > 0:
            outline.add(row)
    merges = []
    for m in _MERGE.finditer(xml):
        c1, r1, c2, r2 = m.groups()
        c2, r2 = c2 or c1, r2 or r1
        merges.append((int(r1), column_index(c1), int(r2), column_index(c2)))
    hidden_cols: set[int] = set()
    for m in _HIDDEN_COL.finditer(xml):
        rng = _COL_RANGE.search(m.group(1))
        if rng:
            lo, hi = (rng.group(1), rng.group(2)) if rng.group(1) else (rng.group(4), rng.group(3))
            hidden_cols.update(range(int(lo), int(hi) + 1))
    filtered = bool(_AUTOFILTER.search(xml)) and bool(_FILTER_COLUMN.search(xml))
    formulas = tuple((int(m.group(2)), column_index(m.group(1))) for m in _FORMULA_NO_VALUE.finditer(xml))
    cells = tuple((int(m.group(2)), column_index(m.group(1))) for m in _FORMULA_CELL.finditer(xml))
    return SheetLayout(
        formula_cells=cells,
        merges=tuple(merges),
        hidden_rows=frozenset(hidden),
        outline_rows=frozenset(outline),
        filtered=filtered,
        hidden_columns=frozenset(hidden_cols),
        formulas_without_values=formulas,
    )


def _recalc_on_open(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            name = next((n for n in z.namelist() if n.endswith("workbook.xml")), None)
            return bool(name and _RECALC.search(z.read(name)))
    except (OSError, zipfile.BadZipFile, KeyError):
        return False


def _layout_of(ws: object) -> SheetLayout:
    get_source: Callable[[], object] | None = getattr(ws, "_get_source", None)
    if get_source is None:
        return SheetLayout(unknown="openpyxl does not expose the sheet's XML")
    try:
        with get_source() as src:  # type: ignore[attr-defined]
            xml = src.read()
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        return SheetLayout(unknown=f"the sheet's XML cannot be read ({exc})")
    return _scan_layout(xml)


def _rows(ws: object, max_row: int | None) -> list[tuple[object, ...]]:
    ws.reset_dimensions()  # type: ignore[attr-defined]  # trust the cells, not the dimension tag
    rows = [tuple(r) for r in ws.iter_rows(max_row=max_row, values_only=True)]  # type: ignore[attr-defined]
    while rows and all(c is None or (isinstance(c, str) and not c.strip()) for c in rows[-1]):
        rows.pop()
    return rows


def read_workbook(
    path: Path,
    sheet: str | int | None,
    rank: Callable[[str, Sequence[tuple[object, ...]]], tuple[float, str]],
) -> SheetRows:
    """Read one sheet of a workbook: ``sheet`` by name or number (from 1), else the
    visible sheet that ``rank(name, first_rows)`` scores highest (``rank`` returns a
    score and a few words on what the sheet holds)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # from an open file: openpyxl judges a path by its name, and a workbook may be named .csv
        handle = path.open("rb")
        wb = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileReadError(path, f"is not a readable Excel workbook ({exc})") from exc
    try:
        names = list(wb.sheetnames)
        listed = ", ".join(repr(n) for n in names)
        if not names:
            raise FileReadError(path, "the workbook has no sheets")
        if sheet is not None:
            if isinstance(sheet, int) and not isinstance(sheet, bool):
                if not 1 <= sheet <= len(names):
                    raise FileReadError(
                        path,
                        f"has no sheet number {sheet} (sheets are counted from 1; the workbook has "
                        f"{len(names)}: {listed}); fix billing.sheet in client.yml",
                    )
                name = names[sheet - 1]
            else:
                match = [n for n in names if n == str(sheet)] or [
                    n for n in names if n.strip().casefold() == str(sheet).strip().casefold()
                ]
                if not match:
                    raise FileReadError(
                        path, f"has no sheet named {str(sheet)!r} (sheets: {listed}); fix billing.sheet in client.yml"
                    )
                name = match[0]
            reason = "named by billing.sheet in client.yml"
        elif len(names) == 1:
            name, reason = names[0], "the workbook's only sheet"
        else:
            name, reason = _choose(path, wb, names, rank)
        ws = wb[name]
        if not hasattr(ws, "iter_rows"):
            raise FileReadError(path, f"sheet {name!r} is a chart, not a table: fix billing.sheet in client.yml (sheets: {listed})")
        rows = _rows(ws, None)
        layout = _layout_of(ws)
        if layout.formula_cells and _recalc_on_open(path):
            layout = dataclasses.replace(layout, recalc_on_open=True)
    except FileReadError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on corrupt sheets
        raise FileReadError(path, f"the sheet cannot be read ({type(exc).__name__}: {exc})") from exc
    finally:
        wb.close()
        handle.close()
    if not rows:
        raise FileReadError(path, f"sheet {name!r} is empty" + (f" (sheets: {listed})" if len(names) > 1 else ""))
    return SheetRows(name=name, rows=rows, layout=layout, reason=reason, sheet_names=tuple(names))


def _choose(
    path: Path,
    wb: object,
    names: list[str],
    rank: Callable[[str, Sequence[tuple[object, ...]]], tuple[float, str]],
) -> tuple[str, str]:
    """The visible sheet that holds the ledger, and why; refuses when two sheets are
    equally good ledgers (the consultant names one)."""
    scored: list[tuple[float, str, str]] = []
    hidden: list[str] = []
    for n in names:
        ws = wb[n]  # type: ignore[index]
        if not hasattr(ws, "iter_rows"):  # a chart sheet holds no cells
            continue
        if getattr(ws, "sheet_state", "visible") != "visible":
            hidden.append(n)
            continue
        score, what = rank(n, _rows(ws, _PREVIEW_ROWS))
        scored.append((score, n, what))
    if not scored:
        raise FileReadError(path, "every sheet of the workbook is hidden: name one in client.yml (billing.sheet)")
    scored.sort(key=lambda t: -t[0])
    best_score, best, what = scored[0]
    others = "; ".join(f"{n!r}: {w}" for _, n, w in scored[1:])
    if best_score <= 0:
        shown = "; ".join(f"{n!r}: {w}" for _, n, w in scored)
        raise FileReadError(
            path,
            f"no sheet looks like a billing ledger (one row per invoice or line with a client and an "
            f"amount): {shown}. Name the sheet in client.yml (billing.sheet) and its columns (billing.columns)",
        )
    if len(scored) > 1 and scored[1][0] >= best_score * 0.9:
        second = scored[1][1]
        raise FileReadError(
            path,
            f"two sheets look like billing ledgers: {best!r} ({what}) and {second!r} ({scored[1][2]}). "
            f"Say which one to read in client.yml, e.g. billing.sheet: {best!r} (if the ledger is split "
            "across sheets, put the rows in one sheet or one CSV file)",
        )
    reason = f"it holds the ledger ({what})"
    if others:
        reason += f"; the other sheets were not read ({others})"
    if hidden:
        reason += "; hidden sheets skipped: " + ", ".join(repr(h) for h in hidden)
    return best, reason
