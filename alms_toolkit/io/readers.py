"""Raw reading of client tables (CSV/TXT, optionally gzipped, and XLSX) into columns of
cells with their spreadsheet row numbers (header = row 1 when it is the first row).

What a file is comes from its bytes, not its name (:mod:`.filetype`). CSV: the encoding
is detected (UTF-8 with or without BOM, UTF-16 by BOM or by its NUL pattern, else
cp1252; ``encoding`` overrides), the delimiter sniffed among ``,`` ``;`` tab and ``|``
(``delimiter`` overrides), and the header row found below any title block (the row
holding the most recognised header names, or ``header_row``). Lines after the table that
do not split into its columns (an ``Accrual basis ...`` or copyright note) are kept as the
table's *trailer*; rows of other lengths inside the table (a report's section headings
written as one cell) are read by a slower, padding reader instead of being refused.
XLSX: :mod:`.workbook` (sheet choice, merged cells, hidden rows, formulas).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import FileReadError, MissingFileError, Problem
from .columns import normalise_header
from .filetype import sniff_kind
from .workbook import SheetLayout, read_workbook

__all__ = [
    "RawTable",
    "read_raw",
    "detect_encoding",
    "sniff_delimiter",
    "find_header_row",
    "column_letter",
    "TEXT_SUFFIXES",
    "EXCEL_SUFFIXES",
    "DELIMITER_NAMES",
]

TEXT_SUFFIXES = (".csv", ".txt", ".tsv", ".csv.gz", ".txt.gz", ".tsv.gz")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_SAMPLE_BYTES = 256 * 1024
_HEADER_SCAN_ROWS = 200
_DELIMITERS = (",", ";", "\t", "|")
#: how each delimiter is written in client.yml and in messages
DELIMITER_NAMES: Mapping[str, str] = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

#: chooses the headers to read, given every header of the file (may raise ColumnError)
Selector = Callable[[Sequence[str]], Sequence[str]]
#: scores a workbook sheet from its name and first rows: (score, what it holds)
SheetRanker = Callable[[str, Sequence[Sequence[object]]], tuple[float, str]]


@dataclass(frozen=True)
class RawTable:
    """The cells of the selected columns, row by row.

    ``columns`` maps header -> cells: a pyarrow dictionary-encoded string array for text
    files read the fast way (each distinct text stored once), a numpy object array of
    cell values (str, int, float, datetime, None) for workbooks and padded text files.
    ``source_row[i]`` is row i's spreadsheet row number.
    """

    path: Path
    headers: tuple[str, ...]
    header_row: int
    columns: Mapping[str, pa.ChunkedArray | pa.Array | np.ndarray]
    source_row: np.ndarray
    kind: str  # "csv" or "xlsx"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: why this sheet (workbooks) and this header row were taken
    sheet_reason: str | None = None
    header_reason: str = ""
    #: the non-empty lines above the header (a report's title block, filter lines)
    title: tuple[str, ...] = ()
    #: lines after the table that do not split into its columns: (row number, text)
    trailer: tuple[tuple[int, str], ...] = ()
    #: merged cells, hidden rows and formulas of a workbook sheet (None for text files)
    layout: SheetLayout | None = None
    #: the header's position (0-based) of each column in the sheet (workbooks: for layout)
    positions: Mapping[str, int] = field(default_factory=dict)
    #: the text file's rows were not all of the header's length (read by the padding reader)
    ragged: bool = False
    #: every column's first cells (from the head of a text file), read or not: the content
    #: a column choice looks at before the selected columns are read in full
    head: Mapping[str, Sequence[object]] = field(default_factory=dict)

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
    """How many ``ch`` the line holds outside double quotes (each quote opens or closes)."""
    return sum(part.count(ch) for part in line.split('"')[::2])


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter among , ; tab | that splits the lines most consistently (title and
    note lines without any delimiter are not counted against it)."""
    lines = [ln for ln in lines if ln.strip()][:200]
    if not lines:
        return ","
    best, best_score = ",", (-1, -1)
    for d in _DELIMITERS:
        counts = [_count_outside_quotes(ln, d) for ln in lines]
        if max(counts) == 0:
            continue
        split = [c for c in counts if c > 0]
        mode = max(set(split), key=split.count)
        consistent = sum(c == mode for c in counts)
        score = (consistent, mode)
        if score > best_score:
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
    index, _ = _find_header(rows, known)
    return index


def _find_header(rows: Sequence[Sequence[object]], known: Iterable[str]) -> tuple[int, str]:
    keys = {normalise_header(k) for k in known}
    best, best_score, best_hits = None, 0, 0
    scan = rows[:_HEADER_SCAN_ROWS]
    for i, row in enumerate(scan):
        hits = sum(1 for c in row if c is not None and _header_key(c) in keys)
        if not hits:
            continue
        # ties: the row with more cells, then the one with rows under it (not a filter line)
        filled = sum(1 for c in row if c is not None and str(c).strip())
        below = i + 1 < len(scan) and any(c is not None and str(c).strip() for c in scan[i + 1])
        # a header holds names, not amounts (a "TOTAL" row holds both)
        numbers = sum(1 for c in row if c is not None and _NUMBER.match(str(c).strip()))
        score = hits * 100 + filled * 2 + int(below) - numbers * 150
        if score > best_score:
            best, best_score, best_hits = i, score, hits
    if best is not None:
        return best, f"the row with the most recognised column names ({best_hits})"
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        if _looks_like_header(row):
            return i, "the first row that reads as column names"
    return 0, "the first row"


_NUMBER = re.compile(r"^[-(]?[$€£]?\s?\d[\d,.\s']*\)?$")


def _header_key(cell: object) -> str:
    """A header cell as compared with known names ('Sum of Amount' counts as 'Amount')."""
    text = str(cell)
    low = text.strip().casefold()
    for prefix in ("sum of ", "total of "):
        if low.startswith(prefix):
            text = text.strip()[len(prefix):]
    return normalise_header(text)


def _clean_headers(raw: Sequence[object]) -> list[str]:
    """Header cells -> unique names; an empty header becomes 'Column C'."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(raw):
        name = "" if h is None else " ".join(str(h).split())
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


def _title_lines(rows: Sequence[Sequence[object]]) -> tuple[str, ...]:
    out = []
    for row in rows:
        text = " ".join(str(c).strip() for c in row if c is not None and str(c).strip())
        if text:
            out.append(text)
    return tuple(out)


def _header_at(
    path: Path, rows: Sequence[Sequence[object]], header_row: int | None, known: Iterable[str], where: str
) -> tuple[int, str]:
    if header_row is not None:
        hidx = header_row - 1
        if hidx >= len(rows):
            if where.startswith("past the end of the file"):
                where = f"past the end of the file, which has {len(rows)} rows"
            raise FileReadError(path, f"billing.header_row {header_row} is {where}")
        return hidx, "set by header_row in client.yml"
    return _find_header(rows, known)


# ------------------------------------------------------------------------------ CSV


def _open_text(path: Path, gz: bool, encoding: str) -> io.TextIOBase:
    raw = gzip.open(path, "rb") if gz else path.open("rb")  # noqa: SIM115 - closed with the wrapper
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")


def _read_head(path: Path, gz: bool) -> bytes:
    opener = gzip.open if gz else open
    try:
        with opener(path, "rb") as f:
            return f.read(_SAMPLE_BYTES)
    except (OSError, EOFError) as exc:
        raise FileReadError(path, f"cannot be read: {exc}") from exc


def _tail_lines(path: Path, gz: bool, encoding: str, n: int) -> list[str]:
    """The last ``n`` non-blank lines of a text file (error and footer paths only)."""
    last: deque[str] = deque(maxlen=n)
    with _open_text(path, gz, encoding) as f:
        for line in f:
            text = line.rstrip("\r\n")
            if text.strip(" \t,;|\"'"):
                last.append(text)
    return list(last)


class _CsvFields(TypedDict):
    """The :class:`RawTable` fields a text file's two readers share."""

    head: Mapping[str, Sequence[object]]
    path: Path
    headers: tuple[str, ...]
    header_row: int
    kind: str
    encoding: str
    delimiter: str
    header_reason: str
    title: tuple[str, ...]
    positions: Mapping[str, int]


def _read_csv(
    path: Path,
    *,
    encoding: str | None,
    delimiter: str | None,
    header_row: int | None,
    known: Iterable[str],
    select: Selector,
) -> RawTable:
    gz = path.name.lower().endswith(".gz") or _is_gzip(path)
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
    delim = delimiter or sniff_delimiter(lines[:250])
    n_scan = max(_HEADER_SCAN_ROWS + 50, (header_row or 0) + 1)
    sample_rows = _csv_rows(path, "\n".join(lines[:n_scan]), delim)
    where = (
        "past the end of the file"
        if len(head) < _SAMPLE_BYTES
        else f"further down than the first {_SAMPLE_BYTES // 1024:,} KB the header is looked for in"
    )
    hidx, header_reason = _header_at(path, sample_rows, header_row, known, where)
    raw_headers = _trim_trailing_empty(list(sample_rows[hidx])) if sample_rows else []
    if not raw_headers:
        raise FileReadError(path, f"row {hidx + 1} (the header row) is empty")
    n_cols = len(sample_rows[hidx])
    headers = _clean_headers(list(sample_rows[hidx]))
    wanted = list(select(headers[: len(raw_headers)]))
    title = _title_lines(sample_rows[:hidx])

    pa_encoding = "utf8" if enc.replace("-", "").lower() in ("utf8", "utf8sig") else enc
    notes: list[str] = []
    table = None
    invalid: list[str] = []
    # the fast read first (no per-row handler); rows of another length switch to the
    # handler, and a row split by a quoted line break to the slower multi-line parser
    use_handler = False
    multiline = False
    trailer_ok = False
    for _attempt in range(5):
        invalid = []
        table = None  # a re-read must not hold the earlier table in memory too

        def handler(row: pacsv.InvalidRow, invalid: list = invalid) -> str:
            invalid.append(row.text)
            return "skip"

        try:
            table = pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(
                    skip_rows=hidx + 1,
                    column_names=headers,
                    encoding=pa_encoding,
                    block_size=1 << 22,
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=delim,
                    ignore_empty_lines=False,
                    newlines_in_values=multiline,
                    invalid_row_handler=handler if use_handler else None,
                ),
                convert_options=pacsv.ConvertOptions(
                    include_columns=wanted,
                    column_types={h: pa.dictionary(pa.int32(), pa.string()) for h in wanted},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid as exc:
            msg = str(exc)
            if "invalid UTF8" in msg and encoding is None and pa_encoding == "utf8":
                pa_encoding = enc = "cp1252"
                notes.append("read as cp1252 (Windows) text: the file is not valid UTF-8")
                continue
            if not use_handler and "Expected" in msg and "columns" in msg:
                use_handler = True
                continue
            raise FileReadError(path, f"cannot be read as a {_delim_name(delim)}-separated file: {exc}") from exc
        except (OSError, UnicodeDecodeError, LookupError) as exc:
            raise FileReadError(path, f"cannot be read with encoding {enc!r}: {exc}") from exc
        if invalid and not multiline:
            # lines after the table that do not split into its columns are notes (no re-read);
            # rows cut short inside it may hold a quoted line break: read again across lines
            trailer_ok = _is_trailer(path, gz, enc, invalid, delim)
            if trailer_ok:
                break
            multiline = True
            continue
        break
    assert table is not None
    head_rows = sample_rows if len(lines) <= n_scan else _csv_rows(path, "\n".join(lines), delim)
    body_sample = head_rows[hidx + 1 : hidx + 1 + 5000]
    head_cells: dict[str, Sequence[object]] = {
        h: [r[i] if i < len(r) else "" for r in body_sample] for i, h in enumerate(headers[: len(raw_headers)])
    }
    common: _CsvFields = {
        "head": head_cells,
        "path": path,
        "headers": tuple(headers[: len(raw_headers)]),
        "header_row": hidx + 1,
        "kind": "csv",
        "encoding": enc,
        "delimiter": delim,
        "header_reason": header_reason,
        "title": title,
        "positions": {h: i for i, h in enumerate(headers)},
    }
    n = table.num_rows
    trailer: tuple[tuple[int, str], ...] = ()
    if invalid:
        if trailer_ok or _is_trailer(path, gz, enc, invalid, delim):
            # lines after the table that are not rows of it: notes, footers
            last = hidx + 1 + n + len(invalid)
            trailer = tuple((last - len(invalid) + 1 + i, t) for i, t in enumerate(invalid))
        else:
            return _read_padded(path, gz, enc, delim, hidx, n_cols, wanted, common, notes)
    # one dictionary per column (not one per block): every later pass reads it once; a
    # column whose blocks share no text (a running invoice number) keeps its blocks, since
    # merging its dictionaries would find nothing to merge (text_column merges them if asked)
    columns = _one_dictionary_each(table, wanted)
    source_row = np.arange(hidx + 2, hidx + 2 + n, dtype=np.int64)
    return RawTable(columns=columns, source_row=source_row, notes=tuple(notes), trailer=trailer, **common)


def _missing_file_hint(path: Path) -> str | None:
    """What to write in client.yml instead of a file name that is not in the folder: a Windows
    path (the file is to be copied in), or the name as it is there (capitals count), and the
    folder's files, each in quotes (a trailing space shows)."""
    import difflib

    folder = path.parent
    siblings = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    listed = f"Files in {folder}: {', '.join(repr(n) for n in siblings)}" if siblings else ""
    written = path.name
    if "\\" in written or re.match(r"[A-Za-z]:", written):
        advice = (f"client.yml names a path on another computer ({written!r}): copy the file into {folder} and "
                  "write just its name in client.yml (e.g. file: billing.csv).")
    else:
        close = ([n for n in siblings if n.lower() == written.lower()]
                 or [n for n in siblings if Path(n).stem.lower() == Path(written).stem.lower()]
                 or difflib.get_close_matches(written, siblings, n=1, cutoff=0.75))
        advice = (f"Did you mean {close[0]!r}? Write its name in client.yml exactly as it is (capitals and "
                  "the ending count)." if close else "")
    return " ".join(t for t in (advice, listed) if t) or None


def _values(arr: pa.Array) -> np.ndarray:
    """An integer array without nulls as numpy, read from its buffer (no copy)."""
    width = arr.type.bit_width // 8
    return np.frombuffer(arr.buffers()[1], dtype=f"int{arr.type.bit_width}",
                         count=len(arr), offset=arr.offset * width)


def end_to_end(arr: pa.ChunkedArray) -> pa.DictionaryArray:
    """A dictionary-encoded column in blocks, each with its own dictionary -> one array whose
    dictionary is the blocks' dictionaries put end to end (a text may come more than once:
    :func:`merge_dictionaries` merges them)."""
    if arr.num_chunks == 0:
        return pa.DictionaryArray.from_arrays(pa.array([], arr.type.index_type), pa.array([], arr.type.value_type))
    dictionaries = [c.dictionary for c in arr.chunks]
    offsets = np.cumsum([0] + [len(d) for d in dictionaries[:-1]])
    index_type = arr.type.index_type if sum(map(len, dictionaries)) < 2**31 else pa.int64()
    if arr.null_count:
        indices = pa.concat_arrays([pc.add(c.indices.cast(index_type), pa.scalar(int(o), index_type))
                                    for c, o in zip(arr.chunks, offsets, strict=True)])
    else:  # shifted in numpy: pa.scalar and pa.array would import pandas in this reading thread,
        # which then waits for the command's own import of pandas instead of reading on
        dtype = np.dtype(f"int{index_type.bit_width}")
        shifted = np.concatenate([_values(c.indices).astype(dtype, copy=False) + dtype.type(o)
                                  for c, o in zip(arr.chunks, offsets, strict=True)])
        indices = pa.Array.from_buffers(index_type, len(shifted), [None, pa.py_buffer(shifted)])
    return pa.DictionaryArray.from_arrays(indices, pa.concat_arrays(dictionaries))


def _one_dictionary_each(table: pa.Table, headers: Sequence[str]) -> dict[str, pa.ChunkedArray | pa.Array]:
    """:func:`_one_dictionary` of each of ``headers``' columns. A large table's are merged two
    at a time, the columns with the most texts first: Arrow merges them with the interpreter
    released, and the command is waiting for them."""
    if table.num_rows < _PARALLEL_ROWS or len(headers) < 2:
        return {h: _one_dictionary(table.column(h)) for h in headers}
    from concurrent.futures import ThreadPoolExecutor

    texts = {h: sum(len(c.dictionary) for c in table.column(h).chunks) for h in headers}
    order = sorted(headers, key=lambda h: -texts[h])
    with ThreadPoolExecutor(2, thread_name_prefix="alms-dictionaries") as pool:
        merged = dict(zip(order, pool.map(lambda h: _one_dictionary(table.column(h)), order), strict=True))
    return {h: merged[h] for h in headers}


def _one_dictionary(column: pa.ChunkedArray) -> pa.ChunkedArray | pa.Array:
    """A column read in blocks -> one array with one dictionary (each text once). A column
    whose blocks hold mostly distinct texts, none of them in the first block (looked for
    in a few blocks away from it: a row straddling the first boundary may repeat its id),
    would gain nothing by merging its dictionaries: its blocks are only put end to end
    (one chunk, whose dictionary may repeat a text: :func:`.cells.combined` merges it)."""
    n = column.num_chunks
    if n > 2:
        first = column.chunk(0)
        if len(first.dictionary) * 2 > len(first):
            others = pa.concat_arrays([column.chunk(i).dictionary for i in sorted({2, n // 4, n // 2, n - 1} - {0, 1})])
            if not pc.any(pc.is_in(first.dictionary, value_set=others)).as_py():
                return pa.chunked_array([end_to_end(column)])
    return column.unify_dictionaries().combine_chunks()


#: rows from which a table's columns are merged two at a time (:func:`_one_dictionary_each`)
_PARALLEL_ROWS = 200_000

_DATE_CELL = re.compile(r"^\s*\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}(?:[ T]\d{1,2}:\d{2}.*)?\s*$")
_NUMBER_CELL = re.compile(r"^\s*[-(]?[$€£]?\s?\d[\d,.' ]*\)?\s*$")


#: a cell holding a line break followed by a line with two delimiters: rows swallowed by
#: a quote that was never closed
_SWALLOWED = r"[\r\n][^\r\n]*{d}[^\r\n]*{d}"


def _csv_rows(path: Path, text: str | io.TextIOBase, delim: str) -> list[list[str]]:
    """Rows of CSV text; a quote opened and never closed is refused, naming the row."""
    csv.field_size_limit(1 << 30)
    source = io.StringIO(text) if isinstance(text, str) else text
    rows: list[list[str]] = []
    try:
        for row in csv.reader(source, delimiter=delim):
            rows.append(row)
    except csv.Error as exc:
        raise FileReadError(path, f"row {len(rows) + 1} cannot be split into cells ({exc}); check that row's quotes") from None
    pattern = re.compile(_SWALLOWED.format(d=re.escape(delim)))
    for i, row in enumerate(rows):
        if any(len(c) > 1000 and pattern.search(c) for c in row) or any(pattern.search(c) for c in row if "\n" in c):
            raise FileReadError(
                path,
                Problem(
                    "a quote opened in this row is never closed, so the rows after it are read as one cell; "
                    "fix the row's quotes (or export the file again)",
                    rows=(i + 1,),
                ),
            )
    return rows


def _is_trailer(path: Path, gz: bool, enc: str, invalid: Sequence[str], delim: str) -> bool:
    """The lines pyarrow could not split are the file's last lines and hold no invoice."""
    tail = _tail_lines(path, gz, enc, len(invalid))
    return [t.rstrip("\r") for t in invalid] == tail and not any(_looks_like_data(t, delim) for t in invalid)


def _looks_like_data(line: str, delim: str) -> bool:
    """A line with a date cell and a number cell is an invoice line (mis-split by a stray
    delimiter, say), not a note after the table."""
    cells = next(csv.reader([line], delimiter=delim), [])
    return any(_DATE_CELL.match(c) for c in cells) and any(
        _NUMBER_CELL.match(c) and not _DATE_CELL.match(c) for c in cells
    )


def _read_padded(
    path: Path,
    gz: bool,
    enc: str,
    delim: str,
    hidx: int,
    n_cols: int,
    wanted: Sequence[str],
    common: _CsvFields,
    notes: list[str],
) -> RawTable:
    """The slower reader for files whose rows are not all the header's length: shorter
    rows are padded with blanks (a report's one-cell section headings, notes); a longer
    row inside the table cannot be placed and is refused (a stray delimiter or quote)."""
    with _open_text(path, gz, enc) as f:
        rows = _csv_rows(path, f, delim)
    if rows and rows[0] and rows[0][0].startswith("\ufeff"):
        rows[0][0] = rows[0][0].lstrip("\ufeff")
    body = rows[hidx + 1 :]
    width = n_cols
    too_long = [
        (hidx + 2 + i, r) for i, r in enumerate(body)
        if len(r) > width and any(c.strip() for c in r[width:])
    ]
    if too_long:
        raise FileReadError(
            path,
            Problem(
                f"rows have more than the header's {n_cols} columns when split at "
                f"{_delim_name(delim)}s (a stray delimiter or quote?); fix those rows, or set "
                "billing.delimiter in client.yml if the file is split by another character",
                rows=tuple(r for r, _ in too_long[:5]),
                examples=tuple(delim.join(c for c in cells)[:80] for _, cells in too_long[:5]),
                n_rows=len(too_long),
            ),
        )
    pos = common["positions"]
    columns: dict[str, np.ndarray] = {}
    for h in wanted:
        i = pos[h]
        col = np.empty(len(body), dtype=object)
        col[:] = [(r[i] if i < len(r) else "") for r in body]
        columns[h] = col
    notes = [*notes, "rows of different lengths (a report layout): read by the padding reader"]
    source_row = np.arange(hidx + 2, hidx + 2 + len(body), dtype=np.int64)
    return RawTable(columns=columns, source_row=source_row, notes=tuple(notes), ragged=True, **common)


def _is_gzip(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(2) == b"\x1f\x8b"
    except OSError:
        return False


def _delim_name(d: str) -> str:
    return DELIMITER_NAMES.get(d, repr(d))


# ------------------------------------------------------------------------------ XLSX


def _header_ranker(known: Iterable[str]) -> SheetRanker:
    keys = {normalise_header(k) for k in known}

    def rank(name: str, rows: Sequence[Sequence[object]]) -> tuple[float, str]:
        hits = max((sum(1 for c in r if c is not None and normalise_header(c) in keys) for r in rows[:50]), default=0)
        return float(hits), f"{hits} recognised column names"

    return rank


def _read_xlsx(
    path: Path,
    *,
    sheet: str | int | None,
    header_row: int | None,
    known: Iterable[str],
    select: Selector,
    rank: SheetRanker | None,
) -> RawTable:
    known = list(known)
    got = read_workbook(path, sheet, rank or _header_ranker(known))
    rows = got.rows
    hidx, header_reason = _header_at(path, rows, header_row, known, f"past the last row of sheet {got.name!r}")
    raw_headers = _trim_trailing_empty(list(rows[hidx]))
    if not raw_headers:
        raise FileReadError(path, f"row {hidx + 1} (the header row) of sheet {got.name!r} is empty")
    headers = _clean_headers(raw_headers)
    wanted = list(select(headers))
    pos = {h: i for i, h in enumerate(headers)}
    body = rows[hidx + 1 :]
    columns: dict[str, np.ndarray] = {}
    for h in wanted:
        i = pos[h]
        col = np.empty(len(body), dtype=object)
        col[:] = [r[i] if i < len(r) else None for r in body]
        columns[h] = col
    head = {h: [r[i] if i < len(r) else None for r in body[:5000]] for h, i in pos.items()}
    return RawTable(
        path=path,
        headers=tuple(headers),
        header_row=hidx + 1,
        columns=columns,
        head=head,
        source_row=np.arange(hidx + 2, hidx + 2 + len(body), dtype=np.int64),
        kind="xlsx",
        sheet=got.name,
        sheet_reason=got.reason,
        header_reason=header_reason,
        title=_title_lines(rows[:hidx]),
        layout=got.layout,
        positions=pos,
    )


# ------------------------------------------------------------------------------ entry


def read_raw(
    path: Path | str,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
    known: Iterable[str] = (),
    select: Selector | None = None,
    rank: SheetRanker | None = None,
) -> RawTable:
    """Read a CSV/TXT(.gz) or XLSX table. ``known`` header names help find the header
    row; ``select(headers)`` returns the headers to read (all when None); ``rank`` scores
    a workbook's sheets to choose the one to read when ``sheet`` is not given."""
    path = Path(path)
    if not path.exists():
        raise MissingFileError(path, "the file does not exist", hint=_missing_file_hint(path))
    if path.is_dir():
        raise FileReadError(path, "is a folder, not a file")
    known = list(known)
    chooser: Selector = select or (lambda headers: list(headers))
    if sniff_kind(path) == "xlsx":
        return _read_xlsx(path, sheet=sheet, header_row=header_row, known=known, select=chooser, rank=rank)
    return _read_csv(path, encoding=encoding, delimiter=delimiter, header_row=header_row, known=known, select=chooser)
