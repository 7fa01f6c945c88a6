"""What a client file really is, from its first bytes rather than its name.

Exports arrive renamed: an Excel workbook called ``billing.csv``, an HTML page saved with
an ``.xls`` name, a LibreOffice ``.ods``, a PDF of the report. Each is recognised and
either read the right way (a workbook is read as a workbook whatever its name) or refused
with what the file is and how to turn it into something the toolkit reads.
"""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path
from typing import Literal

from ..errors import FileReadError

__all__ = ["FileKind", "sniff_kind"]

FileKind = Literal["text", "xlsx"]

_SAVE_AS = "open it in Excel or LibreOffice and save it as .xlsx (Excel workbook) or .csv"


def _zip_members(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as z:
            return z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []


def sniff_kind(path: Path) -> FileKind:
    """``"xlsx"`` or ``"text"`` (CSV/TXT, gzipped or not); FileReadError for anything else,
    saying what the file is and what to do. A file named .xlsx must be a workbook."""
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError as exc:
        raise FileReadError(path, f"cannot be read: {exc.strerror or exc}") from exc
    if head.startswith(b"\x1f\x8b"):
        try:
            with gzip.open(path, "rb") as g:
                inner = g.read(4096)
        except (OSError, EOFError) as exc:
            raise FileReadError(path, f"is a damaged gzip file ({exc})") from exc
        _refuse_binary(path, inner, gz=True)
        return "text"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        members = _zip_members(path)
        if "xl/workbook.xml" in members or any(m.endswith("/workbook.xml") for m in members):
            return "xlsx"
        if "mimetype" in members and "content.xml" in members:
            raise FileReadError(
                path,
                "is an OpenDocument spreadsheet (.ods, from LibreOffice or Google Sheets), which is "
                f"not read directly: {_SAVE_AS}, then point billing.file at the new file",
            )
        if "word/document.xml" in members:
            raise FileReadError(path, "is a Word document, not a table of invoices: export the ledger as .xlsx or .csv")
        shown = ", ".join(members[:5]) or "nothing readable"
        raise FileReadError(
            path,
            f"is a zip archive (holding {shown}), not a table: unzip it and point billing.file at the "
            "ledger inside (.csv or .xlsx)",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileReadError(path, f"is an old Excel 97-2003 workbook (.xls), which is not read: {_SAVE_AS}")
    if head.startswith(b"%PDF"):
        raise FileReadError(
            path,
            "is a PDF document: the toolkit reads the ledger as data, not as a printed report. Export "
            "the same report from the accounting system as .xlsx or .csv",
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        texty = head and not head.count(0) and sum(1 for b in head if b < 9 or 13 < b < 32) == 0
        if texty and any(d in head for d in (b",", b";", b"\t")):
            raise FileReadError(
                path,
                f"is named {path.suffix} but holds text (a CSV export renamed): rename the file to .csv and "
                "billing.file in client.yml with it",
            )
        raise FileReadError(
            path,
            "is not a readable Excel workbook: it is named .xlsx but is not one inside (a damaged file, or "
            "text renamed). Export the ledger again as .xlsx or .csv",
        )
    if path.suffix.lower() == ".xls" and not head.isascii():
        raise FileReadError(path, f"is not a workbook the toolkit reads (an .xls file): {_SAVE_AS}")
    _refuse_binary(path, head, gz=False)
    return "text"


def _refuse_binary(path: Path, head: bytes, gz: bool) -> None:
    """Refuse an HTML page or a binary file; UTF-16 text (NUL bytes in a regular pattern)
    passes."""
    stripped = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) and (
        b"<table" in head.lower() or b"<html" in head.lower() or b"workbook" in head.lower()
    ):
        raise FileReadError(
            path,
            "is a web page (HTML or XML) saved with a spreadsheet name, as some systems export "
            f"'Excel' reports: {_SAVE_AS}",
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return
    sample = head[:4096]
    if not sample:
        return
    nul = sample.count(0)
    if nul:
        even = sample[0::2].count(0) / max(len(sample[0::2]), 1)
        odd = sample[1::2].count(0) / max(len(sample[1::2]), 1)
        if (odd > 0.3 and even < 0.05) or (even > 0.3 and odd < 0.05):
            return  # UTF-16 without a BOM
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if nul or control > len(sample) * 0.05:
        what = "a compressed file holding binary data" if gz else "a binary file"
        raise FileReadError(
            path,
            f"is {what}, not a text table (CSV) or an Excel workbook: export the ledger from the "
            "accounting system as .csv or .xlsx",
        )
