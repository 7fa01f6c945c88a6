"""Raw reading of client tables (CSV/TXT, optionally gzipped, and XLSX) into columns of
cells with their spreadsheet row numbers (header = row 1 when it is the first row).

CSV: the encoding is detected (UTF-8 with or without BOM, UTF-16 by BOM or by its NUL
pattern, else cp1252; ``encoding`` overrides), the delimiter sniffed among ``,`` ``;``
tab and ``|``, and the header row found (the first row holding recognised header names,
or ``header_row``). Columns are read as text by pyarrow, only those asked for.
XLSX: openpyxl, sheet by name or number (counting from 1), values of formulas as last
saved by Excel; cells keep their type (numbers, datetimes, text).
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import FileReadError, MissingFileError, Problem
from .columns import normalise_header

__all__ = [
    "RawTable",
    "read_raw",
    "detect_encoding",
    "sniff_delimiter",
    "column_letter",
    "TEXT_SUFFIXES",
    "EXCEL_SUFFIXES",
]

TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".csv.gz", ".txt.gz", ".tsv.gz")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_SAMPLE_BYTES = 256 * 1024
_HEADER_SCAN_ROWS = 30
_DELIMITERS = (",", ";", "\t", "|")

#: chooses the headers to read, given every header of the file (may raise ColumnError)
Selector = Callable[[Sequence[str]], Sequence[str]]


@dataclass(frozen=True)
class RawTable:
    """The cells of the selected columns, row by row.

    ``columns`` maps header -> cells: a pyarrow dictionary-encoded string array for text
    files (each distinct text stored once), a numpy
    object array of cell values (str, int, float, datetime, None) for workbooks.
    ``source_row[i]`` is row i's spreadsheet row number.
    """

    path: Path
    headers: tuple[str, ...]
    header_row: int
    columns: Mapping[str, pa.ChunkedArray | np.ndarray]
    source_row: np.ndarray
    kind: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n_rows(self) -> int:
        return len(self.source_row)


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA' (how a spreadsheet names the column)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for s in TEXT_SUFFIXES + EXCEL_SUFFIXES:
        if name.endswith(s):
            return s
    return path.suffix.lower()


def detect_encoding(head: bytes, truncated: bool = False) -> str:
    """Guess a text file's encoding from its first bytes: BOMs, UTF-16's NUL pattern,
    valid UTF-8, else cp1252 (Windows Western, what Excel writes as "CSV"). ``truncated``:
    ``head`` is only the start of the file (a character may be cut at its end)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4:
        even_nul = sample[0::2].count(0) / max(len(sample[0::2]), 1)
        odd_nul = sample[1::2].count(0) / max(len(sample[1::2]), 1)
        if odd_nul > 0.3 and even_nul < 0.05:
            return "utf-16-le"
        if even_nul > 0.3 and odd_nul < 0.05:
            return "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the sample's end is still UTF-8
        if truncated and exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
        return "cp1252"


def _count_outside_quotes(line: str, ch: str) -> int:
    n, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == ch and not quoted:
            n += 1
    return n


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter among , ; tab | that splits the lines most consistently."""
    lines = [ln for ln in lines if ln.strip()][:50]
    if not lines:
        return ","
    best, best_score = ",", (-1, -1)
    for d in _DELIMITERS:
        counts = [_count_outside_quotes(ln, d) for ln in lines]
        if max(counts) == 0:
            continue
        mode = max(set(counts), key=counts.count)
        consistent = sum(c == mode for c in counts)
        score = (consistent, mode)
        if mode > 0 and score > best_score:
            best, best_score = d, score
    return best


def _looks_like_header(cells: Sequence[object]) -> bool:
    texts = [c for c in cells if c is not None and str(c).strip() != ""]
    if len(texts) < 2:
        return False
    for c in texts:
        if not isinstance(c, str):
            return False
        s = c.strip().replace(",", "").replace(".", "").replace("-", "").replace("/", "")
        if s.replace(" ", "").replace("$", "").isdigit():
            return False
    return True


def find_header_row(rows: Sequence[Sequence[object]], known: Iterable[str]) -> int:
    """0-based index of the header among the first rows: the first row holding the most
    recognised names (at least one); else the first row that looks like headers; else 0."""
    keys = {normalise_header(k) for k in known}
    best, best_hits = None, 0
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        hits = sum(1 for c in row if c is not None and normalise_header(c) in keys)
        if hits > best_hits:
            best, best_hits = i, hits
    if best is not None:
        return best
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        if _looks_like_header(row):
            return i
    return 0


def _clean_headers(raw: Sequence[object]) -> list[str]:
    """Header cells -> unique names; an empty header becomes 'Column C'."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(raw):
        name = "" if h is None else str(h).strip()
        if not name:
            name = f"Column {column_letter(i)}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def _trim_trailing_empty(headers: list[object]) -> list[object]:
    while headers and (headers[-1] is None or str(headers[-1]).strip() == ""):
        headers.pop()
    return headers


# ------------------------------------------------------------------------------ CSV


def _read_head(path: Path, gz: bool) -> bytes:
    opener = gzip.open if gz else open
    try:
        with opener(path, "rb") as f:
            return f.read(_SAMPLE_BYTES)
    except (OSError, EOFError) as exc:
        raise FileReadError(path, f"cannot be read: {exc}") from exc


def _read_csv(
    path: Path,
    *,
    encoding: str | None,
    header_row: int | None,
    known: Iterable[str],
    select: Selector,
) -> RawTable:
    gz = path.name.lower().endswith(".gz")
    head = _read_head(path, gz)
    if not head.strip():
        raise FileReadError(path, "the file is empty")
    enc = encoding or detect_encoding(head, truncated=len(head) == _SAMPLE_BYTES)
    try:
        text = head.decode(enc, errors="replace")
    except LookupError as exc:
        raise FileReadError(path, f"unknown encoding {enc!r} (set billing.encoding, e.g. utf-8 or cp1252)") from exc
    text = text.lstrip("\ufeff")
    if len(head) == _SAMPLE_BYTES:  # drop the last, possibly cut, line
        text = text[: max(text.rfind("\n"), 0)] or text
    lines = text.splitlines()
    delimiter = sniff_delimiter(lines[:60])
    n_scan = max(_HEADER_SCAN_ROWS + 20, (header_row or 0) + 1)
    sample_rows = list(csv.reader(io.StringIO("\n".join(lines[:n_scan])), delimiter=delimiter))
    if header_row is not None:
        hidx = header_row - 1
        if hidx >= len(sample_rows):
            where = (
                f"past the end of the file, which has {len(sample_rows)} rows"
                if len(head) < _SAMPLE_BYTES
                else f"further down than the first {_SAMPLE_BYTES // 1024:,} KB the header is looked for in"
            )
            raise FileReadError(path, f"header_row {header_row} is {where}")
    else:
        hidx = find_header_row(sample_rows, known)
    raw_headers = _trim_trailing_empty(list(sample_rows[hidx])) if sample_rows else []
    if not raw_headers:
        raise FileReadError(path, f"row {hidx + 1} (the header row) is empty")
    n_cols = len(sample_rows[hidx])
    headers = _clean_headers(list(sample_rows[hidx]))
    wanted = list(select(headers[: len(raw_headers)]))

    pa_encoding = "utf8" if enc.replace("-", "").lower() in ("utf8", "utf8sig") else enc
    notes: list[str] = []
    table = None
    for attempt in range(3):
        invalid: list[tuple[int | None, int, str]] = []

        def handler(row: pacsv.InvalidRow, invalid: list = invalid) -> str:
            invalid.append((row.number, row.actual_columns, row.text))
            return "skip"

        try:
            table = pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(
                    skip_rows=hidx + 1,
                    column_names=headers,
                    encoding=pa_encoding,
                    block_size=1 << 24,
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter,
                    ignore_empty_lines=False,
                    newlines_in_values=attempt >= 1,
                    invalid_row_handler=handler,
                ),
                convert_options=pacsv.ConvertOptions(
                    include_columns=wanted,
                    column_types={h: pa.dictionary(pa.int32(), pa.string()) for h in wanted},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid as exc:
            if "invalid UTF8" in str(exc) and encoding is None and pa_encoding == "utf8":
                pa_encoding = enc = "cp1252"
                notes.append("read as cp1252 (Windows) text: the file is not valid UTF-8")
                continue
            raise FileReadError(path, f"cannot be read as a {_delim_name(delimiter)}-separated file: {exc}") from exc
        except (OSError, UnicodeDecodeError, LookupError) as exc:
            raise FileReadError(path, f"cannot be read with encoding {enc!r}: {exc}") from exc
        if not invalid or attempt >= 1:
            break
    assert table is not None
    if invalid:
        rows = tuple(int(n) for n, _, _ in invalid if n is not None) or _line_numbers(
            path, enc, {t for _, _, t in invalid}
        )
        raise FileReadError(
            path,
            Problem(
                f"rows do not have the header's {n_cols} columns when split at "
                f"{_delim_name(delimiter)}s (a stray delimiter or quote?)",
                rows=rows,
                examples=tuple(t[:80] for _, _, t in invalid[:5]),
                n_rows=len(invalid),
            ),
        )
    columns = {h: table.column(h) for h in wanted}
    n = table.num_rows
    source_row = np.arange(hidx + 2, hidx + 2 + n, dtype=np.int64)
    return RawTable(
        path=path,
        headers=tuple(headers[: len(raw_headers)]),
        header_row=hidx + 1,
        columns=columns,
        source_row=source_row,
        kind="csv",
        encoding=enc,
        delimiter=delimiter,
        notes=tuple(notes),
    )


def _line_numbers(path: Path, encoding: str, texts: set[str]) -> tuple[int, ...]:
    """Line numbers (1-based) of lines whose text is one of ``texts`` (error path only)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    found: list[int] = []
    with opener(path, "rt", encoding=encoding, errors="replace", newline="") as f:
        for i, line in enumerate(f, start=1):
            if line.rstrip("\r\n").lstrip("\ufeff") in texts:
                found.append(i)
    return tuple(found)


def _delim_name(d: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(d, repr(d))


# ------------------------------------------------------------------------------ XLSX


def _read_xlsx(
    path: Path,
    *,
    sheet: str | int | None,
    header_row: int | None,
    known: Iterable[str],
    select: Selector,
) -> RawTable:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileReadError(path, f"is not a readable Excel workbook ({exc})") from exc
    try:
        names = wb.sheetnames
        listed = ", ".join(repr(n) for n in names)
        if sheet is None:
            ws = wb[names[0]]
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 1 <= sheet <= len(names):
                raise FileReadError(
                    path,
                    f"has no sheet number {sheet} (sheets are counted from 1; the workbook has "
                    f"{len(names)}: {listed})",
                )
            ws = wb[names[sheet - 1]]
        else:
            match = [n for n in names if n == str(sheet)] or [
                n for n in names if n.strip().casefold() == str(sheet).strip().casefold()
            ]
            if not match:
                raise FileReadError(path, f"has no sheet named {str(sheet)!r} (sheets: {listed})")
            ws = wb[match[0]]
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        title = ws.title
    except FileReadError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on corrupt sheets
        raise FileReadError(path, f"the sheet cannot be read ({type(exc).__name__}: {exc})") from exc
    finally:
        wb.close()
    if not rows:
        raise FileReadError(path, f"sheet {title!r} is empty")
    if header_row is not None:
        hidx = header_row - 1
        if hidx >= len(rows):
            raise FileReadError(path, f"header_row {header_row} is past the last row of sheet {title!r}")
    else:
        hidx = find_header_row(rows, known)
    raw_headers = _trim_trailing_empty(list(rows[hidx]))
    if not raw_headers:
        raise FileReadError(path, f"row {hidx + 1} (the header row) of sheet {title!r} is empty")
    headers = _clean_headers(raw_headers)
    wanted = list(select(headers))
    pos = {h: i for i, h in enumerate(headers)}
    body = rows[hidx + 1 :]
    # trailing rows with nothing in them are formatting, not data
    while body and all(c is None or (isinstance(c, str) and not c.strip()) for c in body[-1]):
        body.pop()
    columns: dict[str, np.ndarray] = {}
    for h in wanted:
        i = pos[h]
        col = np.empty(len(body), dtype=object)
        col[:] = [r[i] if i < len(r) else None for r in body]
        columns[h] = col
    return RawTable(
        path=path,
        headers=tuple(headers),
        header_row=hidx + 1,
        columns=columns,
        source_row=np.arange(hidx + 2, hidx + 2 + len(body), dtype=np.int64),
        kind="xlsx",
        sheet=title,
    )


# ------------------------------------------------------------------------------ entry


def read_raw(
    path: Path | str,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    header_row: int | None = None,
    known: Iterable[str] = (),
    select: Selector | None = None,
) -> RawTable:
    """Read a CSV/TXT(.gz) or XLSX table. ``known`` header names help find the header
    row; ``select(headers)`` returns the headers to read (all when None)."""
    path = Path(path)
    if not path.exists():
        siblings = sorted(p.name for p in path.parent.iterdir()) if path.parent.is_dir() else []
        hint = f"Files in {path.parent}: {', '.join(siblings)}" if siblings else None
        raise MissingFileError(path, "the file does not exist", hint=hint)
    if path.is_dir():
        raise FileReadError(path, "is a folder, not a file")
    known = list(known)
    chooser: Selector = select or (lambda headers: list(headers))
    suffix = _suffix(path)
    if suffix in EXCEL_SUFFIXES:
        return _read_xlsx(path, sheet=sheet, header_row=header_row, known=known, select=chooser)
    if suffix == ".xls":
        raise FileReadError(
            path, "old .xls workbooks are not read: open it in Excel and save it as .xlsx or .csv"
        )
    return _read_csv(path, encoding=encoding, header_row=header_row, known=known, select=chooser)
