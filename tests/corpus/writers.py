"""Writing exports byte for byte the way the real programs do: CSV dialects (quoting,
line endings, encodings, BOMs, gzip), number and date display formats, XLSX workbooks
as Excel saves them (cached formula values, merged cells, outlines, filters, hidden
rows/columns), and the non-ledger files people send instead (ODS, old XLS, PDF, HTML
or XML spreadsheets named .xls, zips)."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import struct
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

__all__ = [
    "num",
    "us_date",
    "us_date0",
    "uk_date",
    "de_date",
    "iso",
    "write_csv",
    "F",
    "Sheet",
    "write_xlsx",
    "write_xlsx_openpyxl",
    "write_ods",
    "write_ole2_xls",
    "write_pdf",
]

# --------------------------------------------------------------------------- numbers


def num(
    value: Decimal,
    *,
    dec: str = ".",
    thou: str | None = ",",
    places: int = 2,
    neg: str = "-",
    cur: str = "",
    cur_after: str = "",
) -> str:
    """A number as a program displays it: ``num(Decimal('-1234.5'), neg='()', cur='$')``
    -> ``($1,234.50)``; ``num(x, dec=',', thou='.', neg='trailing')`` -> ``1.234,50-``."""
    q = abs(value).quantize(Decimal(1).scaleb(-places)) if places >= 0 else abs(value)
    whole, _, frac = f"{q:f}".partition(".")
    if thou:
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        whole = thou.join(groups)
    body = whole + (dec + frac if frac else "")
    body = f"{cur}{body}{cur_after}"
    if value < 0:
        if neg == "()":
            return f"({body})"
        if neg == "trailing":
            return f"{body}-"
        return f"-{body}"
    return body


def us_date(d: dt.date) -> str:
    """1/5/2024: what US Excel writes for a date cell saved as CSV."""
    return f"{d.month}/{d.day}/{d.year}"


def us_date0(d: dt.date) -> str:
    """01/05/2024: QuickBooks' and most US systems' CSV date."""
    return d.strftime("%m/%d/%Y")


def uk_date(d: dt.date) -> str:
    """05/01/2024: day-first, what UK/AU/FR/ES systems write."""
    return d.strftime("%d/%m/%Y")


def de_date(d: dt.date) -> str:
    """05.01.2024: German/Swiss/Austrian."""
    return d.strftime("%d.%m.%Y")


def iso(d: dt.date) -> str:
    return d.isoformat()


# --------------------------------------------------------------------------- CSV


def csv_text(
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    newline: str = "\r\n",
    quote_all: bool = False,
) -> str:
    """Rows -> CSV text. ``None`` is an empty cell. Minimal quoting (what Excel,
    QuickBooks and most systems write) unless ``quote_all`` (Salesforce, HubSpot)."""
    buf = io.StringIO()
    writer = csv.writer(
        buf,
        delimiter=delimiter,
        lineterminator=newline,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    for row in rows:
        if row is None or (quote_all and len(row) == 0):
            buf.write(newline)  # a truly empty line
            continue
        writer.writerow(["" if c is None else str(c) for c in row])
    return buf.getvalue()


def write_csv(
    path: Path,
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    newline: str = "\r\n",
    encoding: str = "utf-8",
    bom: bool = False,
    quote_all: bool = False,
    gz: bool = False,
) -> Path:
    """Write a delimited text file. ``bom`` adds the encoding's byte-order mark (what
    Excel's "CSV UTF-8" and "Unicode Text" saves start with)."""
    text = csv_text(rows, delimiter=delimiter, newline=newline, quote_all=quote_all)
    data = text.encode(encoding)
    if bom:
        if encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
            data = b"\xef\xbb\xbf" + data
        elif encoding.replace("-", "").lower() == "utf16le":
            data = b"\xff\xfe" + data
        elif encoding.replace("-", "").lower() == "utf16be":
            data = b"\xfe\xff" + data
    if gz:
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- XLSX


@dataclass(frozen=True)
class F:
    """A formula cell with the value Excel cached when it last saved the file
    (``cached=None``: as written by a library, no cached value)."""

    formula: str
    cached: Any = None
    num_format: str | None = None


@dataclass(frozen=True)
class Fmt:
    """A value with a display format (and optional bold)."""

    value: Any
    num_format: str | None = None
    bold: bool = False


@dataclass
class Sheet:
    """One worksheet. Row and column indexes are 0-based (row 0 = spreadsheet row 1)."""

    name: str
    rows: list[list[Any]] = field(default_factory=list)
    #: rows hidden by hand (Format > Hide)
    hidden_rows: set[int] = field(default_factory=set)
    #: outline: row -> (level, hidden, collapsed)
    outline: dict[int, tuple[int, bool, bool]] = field(default_factory=dict)
    #: (first col, last col) ranges hidden
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)
    #: (first row, first col, last row, last col, value) merged ranges
    merges: list[tuple[int, int, int, int, Any]] = field(default_factory=list)
    #: (first row, first col, last row, last col) of an AutoFilter
    autofilter: tuple[int, int, int, int] | None = None
    #: (column, values shown) of the AutoFilter (Excel's value checkboxes)
    filter_column: tuple[int, list[str]] | None = None
    date_format: str = "m/d/yyyy"
    money_format: str = "#,##0.00"
    col_widths: dict[int, float] = field(default_factory=dict)
    chartsheet: bool = False
    hidden: bool = False


def _write_cell(ws, wb, r: int, c: int, value: Any, sheet: Sheet, fmts: dict) -> None:
    def fmt(spec: str | None, bold: bool = False):
        if spec is None and not bold:
            return None
        key = (spec, bold)
        if key not in fmts:
            props: dict = {}
            if spec:
                props["num_format"] = spec
            if bold:
                props["bold"] = True
            fmts[key] = wb.add_format(props)
        return fmts[key]

    bold = False
    spec = None
    if isinstance(value, Fmt):
        value, spec, bold = value.value, value.num_format, value.bold
    if value is None:
        if bold or spec:
            ws.write_blank(r, c, None, fmt(spec, bold))
        return
    if isinstance(value, F):
        cached = value.cached
        if isinstance(cached, Decimal):
            cached = float(cached)
        f = fmt(value.num_format or spec or sheet.money_format, bold)
        if cached is None:
            ws.write_formula(r, c, value.formula, f)
        else:
            ws.write_formula(r, c, value.formula, f, cached)
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value, fmt(spec, bold))
    elif isinstance(value, (dt.datetime, dt.date)):
        if not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        ws.write_datetime(r, c, value, fmt(spec or sheet.date_format, bold))
    elif isinstance(value, Decimal):
        ws.write_number(r, c, float(value), fmt(spec or sheet.money_format, bold))
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt(spec, bold))
    else:
        ws.write_string(r, c, str(value), fmt(spec, bold))


def write_xlsx(path: Path, sheets: Sequence[Sheet], *, excel_saved: bool = True) -> Path:
    """Write a workbook with XlsxWriter. ``excel_saved``: make it look as Excel saves it
    (no "recalculate everything on load" flag, so cached formula values are trusted)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"author": "Excel user", "comments": ""})
    fmts: dict = {}
    chart_data: list = []
    for sheet in sheets:
        if sheet.chartsheet:
            cs = wb.add_chartsheet(sheet.name)
            chart = wb.add_chart({"type": "column"})
            chart_data.append((cs, chart))
            continue
        ws = wb.add_worksheet(sheet.name)
        if sheet.hidden:
            ws.hide()
        for c, w in sheet.col_widths.items():
            ws.set_column(c, c, w)
        for first, last in sheet.hidden_cols:
            ws.set_column(first, last, None, None, {"hidden": True})
        merged_cells = set()
        for r1, c1, r2, c2, value in sheet.merges:
            merged_cells.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
            f = fmts.setdefault(("merge",), wb.add_format({"valign": "top"}))
            if isinstance(value, (dt.date, dt.datetime)):
                ws.merge_range(r1, c1, r2, c2, "", f)
                _write_cell(ws, wb, r1, c1, value, sheet, fmts)
            else:
                ws.merge_range(r1, c1, r2, c2, value, f)
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if (r, c) in merged_cells:
                    continue
                _write_cell(ws, wb, r, c, value, sheet, fmts)
        for r in sorted(set(sheet.hidden_rows) | set(sheet.outline)):
            level, hidden, collapsed = sheet.outline.get(r, (0, False, False))
            opts = {"level": level, "hidden": hidden or r in sheet.hidden_rows, "collapsed": collapsed}
            ws.set_row(r, None, None, opts)
        if sheet.autofilter:
            ws.autofilter(*sheet.autofilter)
            if sheet.filter_column:
                ws.filter_column_list(*sheet.filter_column)
    # a chart sheet needs a series on some worksheet
    data_sheet = next((s for s in sheets if not s.chartsheet), None)
    for cs, chart in chart_data:
        if data_sheet is not None:
            n = max(len(data_sheet.rows), 2)
            chart.add_series({"values": [data_sheet.name, 1, 2, n - 1, 2]})
        cs.set_chart(chart)
    wb.close()
    if excel_saved:
        _as_saved_by_excel(path)
    return path


def _as_saved_by_excel(path: Path) -> None:
    """Rewrite workbook.xml's calcPr the way Excel writes it after a save."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'<calcPr calcId="124519" fullCalcOnLoad="1"/>', b'<calcPr calcId="191029"/>')
            z.writestr(info, data)


def write_xlsx_openpyxl(path: Path, title: str, rows: Sequence[Sequence[Any]]) -> Path:
    """A workbook as openpyxl writes it: formulas are stored without any cached value."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
    wb.save(path)
    return path


# --------------------------------------------------------------------------- other files


def write_ods(path: Path, rows: Sequence[Sequence[Any]], sheet: str = "Sheet1") -> Path:
    """A minimal, valid OpenDocument spreadsheet (what LibreOffice Calc saves)."""
    from xml.sax.saxutils import escape

    cells = []
    for row in rows:
        out = []
        for v in row:
            if v is None:
                out.append("<table:table-cell/>")
            elif isinstance(v, (int, float, Decimal)):
                out.append(
                    f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
                )
            elif isinstance(v, dt.date):
                out.append(
                    f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}">'
                    f"<text:p>{v.isoformat()}</text:p></table:table-cell>"
                )
            else:
                out.append(f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>')
        cells.append("<table:table-row>" + "".join(out) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">'
        + "".join(cells)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def _biff_record(rtype: int, data: bytes) -> bytes:
    return struct.pack("<HH", rtype, len(data)) + data


def _biff8_workbook(rows: Sequence[Sequence[Any]]) -> bytes:
    """A small BIFF8 workbook stream: globals (BOF, one BOUNDSHEET, EOF) and one sheet
    of LABEL/NUMBER cells. Enough for Excel 97-2003 readers and file sniffers."""
    def bof(kind: int) -> bytes:
        return _biff_record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0206))

    def label(r: int, c: int, s: str) -> bytes:
        body = s.encode("latin-1", "replace")
        return _biff_record(0x0204, struct.pack("<HHHH", r, c, 15, len(body)) + body)

    def number(r: int, c: int, v: float) -> bytes:
        return _biff_record(0x0203, struct.pack("<HHHd", r, c, 15, v))

    sheet = bof(0x0010)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, (int, float, Decimal)):
                sheet += number(r, c, float(v))
            else:
                sheet += label(r, c, str(v))
    sheet += _biff_record(0x000A, b"")
    name = b"Sheet1"

    def globals_(sheet_pos: int) -> bytes:
        bs = _biff_record(0x0085, struct.pack("<IBBB", sheet_pos, 0, 0, len(name)) + b"\x00" + name)
        return bof(0x0005) + _biff_record(0x0042, struct.pack("<H", 1252)) + bs + _biff_record(0x000A, b"")

    g = globals_(0)
    g = globals_(len(g))
    return g + sheet


def write_ole2_xls(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    """An Excel 97-2003 .xls: a Compound File (OLE2) holding a BIFF8 "Workbook" stream."""
    sector = 512
    stream = _biff8_workbook(rows)
    stream += b"\x00" * max(0, 4096 - len(stream))  # >= 4096: regular sectors, no mini stream
    size = len(stream)
    stream += b"\x00" * (-len(stream) % sector)
    n_data = len(stream) // sector
    # layout: sector 0 = FAT, sector 1 = directory, sectors 2.. = the stream
    fat = [0xFFFFFFFD, 0xFFFFFFFE]  # FAT sector marker, directory end of chain
    for i in range(n_data):
        fat.append(2 + i + 1 if i < n_data - 1 else 0xFFFFFFFE)
    fat += [0xFFFFFFFF] * (sector // 4 - len(fat))
    fat_bytes = struct.pack(f"<{sector // 4}I", *fat)

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF) -> bytes:
        raw = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, child)
            + b"\x00" * 16
            + struct.pack("<I", 0)
            + b"\x00" * 16
            + struct.pack("<II", start, size)
            + struct.pack("<I", 0)
        )

    directory = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1) + entry("Workbook", 2, 2, size)
    directory += entry("", 0, 0, 0) * 2
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHH", 0x003E, 0x0003, 0xFFFE, 9)
        + struct.pack("<H", 6)
        + b"\x00" * 6
        + struct.pack("<I", 0)  # directory sectors (0 for v3)
        + struct.pack("<I", 1)  # FAT sectors
        + struct.pack("<I", 1)  # first directory sector
        + struct.pack("<I", 0)
        + struct.pack("<I", 4096)  # mini stream cutoff
        + struct.pack("<II", 0xFFFFFFFE, 0)  # no mini FAT
        + struct.pack("<II", 0xFFFFFFFE, 0)  # no DIFAT sectors
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([0xFFFFFFFF] * 108))
    )
    assert len(header) == sector
    path.write_bytes(header + fat_bytes + directory + stream)
    return path


def write_pdf(path: Path, lines: Sequence[str]) -> Path:
    """A one-page PDF with the report printed as text (what "Export to PDF" gives)."""
    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "BT /F1 9 Tf 40 800 Td 12 TL " + " ".join(f"({esc(s)}) '" for s in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text.encode('latin-1'))} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path
