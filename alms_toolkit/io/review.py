"""Read an earlier review's run folder (``reports/<slug>/<as_of>/``) and find the latest one.

A review folder, as ``alms audit`` writes it, holds ``accounts.csv`` (the official list:
see :mod:`alms_toolkit.report.writers.crm` for its columns), ``summary.json`` (the headline
figures, among them the frozen KEY ``cutoff`` as an exact decimal string) and
``merge_log.csv`` (every raw client spelling -> the ``client_key`` it was combined into).
They are the input of the next review's comparison and of monthly republishing, which
keeps the review's merges. A folder from before merge logs were written reads with
``merge_log = None`` and a note saying so (republishing then matches spellings afresh).

:func:`read_review` checks every row of ``accounts.csv`` and reports every problem at
once (spreadsheet row numbers, header = row 1); :func:`find_previous_review` picks the
latest ``reports/<slug>/<YYYY-MM-DD>/`` dated before a given ``as_of`` that holds an
``accounts.csv`` (unfinished ``.partial`` and ``.failed`` folders are never picked).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ColumnError, DataValidationError, FileReadError, MissingFileError, Problem

__all__ = [
    "ACCOUNTS_FILE",
    "MERGE_LOG_FILE",
    "SUMMARY_FILE",
    "REVIEW_TIERS",
    "Review",
    "read_review",
    "read_merge_log",
    "find_previous_review",
    "review_folders",
]

ACCOUNTS_FILE = "accounts.csv"
SUMMARY_FILE = "summary.json"
MERGE_LOG_FILE = "merge_log.csv"
#: every tier an accounts.csv row may carry
REVIEW_TIERS: tuple[str, ...] = (
    "KEY", "SECONDARY", "NON-SPENDING", "TARGET", "EXTRA", "LEAD", "LAPSED",
)
_REQUIRED = ("client_key", "name", "tier", "owner", "billing_12m")
_PROSPECT_TIERS = ("TARGET", "EXTRA", "LEAD")
_MERGE_REQUIRED = ("raw_name", "client_key")
#: merge_log.csv text columns kept (``billing`` is the review's figure, not needed again)
_MERGE_COLUMNS = ("raw_name", "client_key", "client", "reason")


@dataclass(frozen=True)
class Review:
    """One earlier review, as read back from its run folder.

    ``accounts``: the rows of accounts.csv in file order, text restored (the ``'`` that
    made formula-like names inert is removed), with ``source_row`` (spreadsheet row),
    ``client_key``, ``name``, ``tier``, ``owner`` (str, ``""`` when blank), ``billing``
    (int64 micros; 0 for prospects) and every other column of the file as text.
    ``cutoff``: the frozen KEY cut-off in micros (``None`` when no client was spending).
    ``summary``: summary.json as read (``{}`` when the folder has none).
    ``merge_log``: merge_log.csv as read, one row per raw spelling: ``source_row``,
    ``raw_name`` (exactly as billed: not trimmed), ``client_key``, ``client``, ``reason``
    (text restored); ``None`` when the folder has no merge_log.csv (an older review).
    ``notes``: what the reader could not find, for the consultant (e.g. no merge log).
    """

    folder: Path
    as_of: dt.date
    cutoff: int | None
    review_date: dt.date | None
    client: str | None
    slug: str | None
    accounts: pd.DataFrame
    summary: Mapping[str, Any] = field(default_factory=dict)
    merge_log: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()

    def client_of(self) -> dict[str, str]:
        """Raw spelling -> the review's ``client_key`` (empty without a merge log)."""
        if self.merge_log is None:
            return {}
        return dict(zip(self.merge_log["raw_name"], self.merge_log["client_key"], strict=True))


#: first characters a spreadsheet reads as a formula (report.safe_cells.DANGEROUS_PREFIXES:
#: the writer prefixes such text with ``'``; io sits below report, so the rule is restated)
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _restore_text(text: str) -> str:
    """Undo report.safe_cells.safe_text: drop the ``'`` put before formula-like text."""
    return text[1:] if text.startswith("'") and text[1:].lstrip("'").startswith(_DANGEROUS) else text


def _micros(text: str) -> int:
    from ..money import from_decimal

    return from_decimal(Decimal(text))


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None


def _read_summary(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileReadError(path, f"cannot be read as JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise FileReadError(path, "is not a JSON object (an alms summary.json holds one)")
    return data


def _read_rows(path: Path, what: str = "an accounts.csv") -> tuple[list[str], list[list[str]]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise FileReadError(path, f"cannot be read as a UTF-8 CSV file: {exc}") from exc
    if not rows:
        raise DataValidationError(path, f"is empty: {what} starts with a header row")
    return [h.strip() for h in rows[0]], rows[1:]


def _collect(problems: dict[tuple[str, str], list[tuple[int, str]]], column: str, message: str,
             row: int, value: str) -> None:
    problems.setdefault((column, message), []).append((row, value))


def _require_columns(path: Path, header: list[str], required: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise ColumnError(path, Problem(
            f"required column{'s' if len(missing) > 1 else ''} {', '.join(missing)} not found; "
            f"the columns are {', '.join(header) or 'none'}"
        ))


def read_review(folder: Path | str) -> Review:
    """Read the review in ``folder`` (its ``accounts.csv`` and, when present, ``summary.json``).

    Also reads ``merge_log.csv`` when the folder has one (see :class:`Review`).

    Raises :class:`MissingFileError` (no folder / no accounts.csv), :class:`FileReadError`
    (unreadable file), :class:`ColumnError` (a required column missing) or
    :class:`DataValidationError` listing every bad row at once (unknown tier, amount that
    is not a decimal number, a cut-off or as_of that differs between rows; in the merge
    log, a blank spelling or key, or one spelling combined into two clients).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise MissingFileError(folder, "the review folder does not exist (give a folder "
                               "reports/<client>/<as_of>/ written by alms audit)")
    path = folder / ACCOUNTS_FILE
    if not path.is_file():
        raise MissingFileError(path, "the review folder holds no accounts.csv (the official "
                               "list alms audit writes with the CRM files)")
    summary = _read_summary(folder / SUMMARY_FILE)
    header, rows = _read_rows(path)
    _require_columns(path, header, _REQUIRED)
    index = {name: i for i, name in enumerate(header)}
    problems: dict[tuple[str, str], list[tuple[int, str]]] = {}
    records: list[dict[str, Any]] = []
    cutoffs: dict[str, int] = {}
    as_ofs: dict[str, int] = {}
    for n, raw in enumerate(rows, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        cells = {name: (raw[i] if i < len(raw) else "") for name, i in index.items()}
        rec: dict[str, Any] = {"source_row": n}
        for name, value in cells.items():
            rec[name] = _restore_text(value.strip())
        tier = rec["tier"].upper()
        rec["tier"] = tier
        if tier not in REVIEW_TIERS:
            _collect(problems, "tier", f"unknown tier (use {', '.join(REVIEW_TIERS)})", n, rec["tier"])
        if tier not in _PROSPECT_TIERS and not rec["name"] and not rec["client_key"]:
            _collect(problems, "name", "a client row without a name or client_key", n, "")
        text = rec["billing_12m"]
        billing = 0
        if text:
            try:
                billing = _micros(text)
            except (InvalidOperation, ValueError):
                _collect(problems, "billing_12m", "not a decimal amount", n, text)
        elif tier in ("KEY", "SECONDARY"):
            _collect(problems, "billing_12m", "a KEY or SECONDARY row without billing", n, "")
        rec["billing"] = billing
        if "cutoff" in rec and rec["cutoff"]:
            cutoffs.setdefault(rec["cutoff"], n)
        if "as_of" in rec and rec["as_of"]:
            as_ofs.setdefault(rec["as_of"], n)
        records.append(rec)

    found = [
        Problem(message, column=column, rows=tuple(r for r, _ in hits),
                examples=tuple(dict.fromkeys(v for _, v in hits if v)))
        for (column, message), hits in problems.items()
    ]
    if len(cutoffs) > 1:
        found.append(Problem("the cut-off differs between rows (one review has one cut-off)",
                             column="cutoff", rows=tuple(cutoffs.values()), examples=tuple(cutoffs)))
    if len(as_ofs) > 1:
        found.append(Problem("the as_of date differs between rows (one review has one date)",
                             column="as_of", rows=tuple(as_ofs.values()), examples=tuple(as_ofs)))
    cutoff, as_of = _cutoff_and_date(path, summary, cutoffs, as_ofs, folder, found)
    if found:
        raise DataValidationError(path, found)

    columns = ["source_row", *header, "billing"]
    accounts = pd.DataFrame(records, columns=columns)
    accounts = accounts.astype({"source_row": np.int64, "billing": np.int64})
    for name in header:
        accounts[name] = accounts[name].astype(object)
    review_text = str(summary.get("review_date") or "") or next(
        (r.get("review_date", "") for r in records if r.get("review_date")), "")
    merge_log = read_merge_log(folder / MERGE_LOG_FILE)
    notes: tuple[str, ...] = ()
    if merge_log is None:
        notes = (
            f"{folder} has no {MERGE_LOG_FILE} (a review written before merge logs were kept): "
            "the review's merges are not known, so client spellings are matched afresh "
            "(automatic merges and the decisions file as it is now)",
        )
    return Review(
        folder=folder,
        as_of=as_of,
        cutoff=cutoff,
        review_date=_parse_date(review_text) if review_text else None,
        client=summary.get("client"),
        slug=summary.get("slug"),
        accounts=accounts,
        summary=summary,
        merge_log=merge_log,
        notes=notes,
    )


def read_merge_log(path: Path | str) -> pd.DataFrame | None:
    """Read a review's ``merge_log.csv`` (see :attr:`Review.merge_log`); ``None`` when the
    file does not exist. Raw spellings are kept exactly (a trailing space is a different
    spelling in the ledger); every bad row is reported at once."""
    path = Path(path)
    if not path.is_file():
        return None
    header, rows = _read_rows(path, what="a merge_log.csv")
    _require_columns(path, header, _MERGE_REQUIRED)
    index = {name: i for i, name in enumerate(header)}
    problems: dict[tuple[str, str], list[tuple[int, str]]] = {}
    records: list[dict[str, Any]] = []
    seen: dict[str, tuple[str, int]] = {}
    for n, raw in enumerate(rows, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        rec: dict[str, Any] = {"source_row": n}
        for name in _MERGE_COLUMNS:
            value = raw[index[name]] if name in index and index[name] < len(raw) else ""
            value = _restore_text(value)
            rec[name] = value if name == "raw_name" else value.strip()
        if not rec["raw_name"].strip():
            _collect(problems, "raw_name", "a row without a client spelling", n, "")
            continue
        if not rec["client_key"]:
            _collect(problems, "client_key", "a spelling without the client_key it was combined into",
                     n, rec["raw_name"])
            continue
        earlier = seen.get(rec["raw_name"])
        if earlier is not None:
            if earlier[0] != rec["client_key"]:
                _collect(problems, "client_key",
                         f"the same spelling combined into two clients (first on row {earlier[1]})",
                         n, rec["raw_name"])
            continue
        seen[rec["raw_name"]] = (rec["client_key"], n)
        records.append(rec)
    if problems:
        raise DataValidationError(path, [
            Problem(message, column=column, rows=tuple(r for r, _ in hits),
                    examples=tuple(dict.fromkeys(v for _, v in hits if v)))
            for (column, message), hits in problems.items()
        ])
    log = pd.DataFrame(records, columns=["source_row", *_MERGE_COLUMNS])
    log = log.astype({"source_row": np.int64})
    for name in _MERGE_COLUMNS:
        log[name] = log[name].astype(object)
    return log


def _cutoff_and_date(
    path: Path, summary: Mapping[str, Any], cutoffs: Mapping[str, int], as_ofs: Mapping[str, int],
    folder: Path, found: list[Problem],
) -> tuple[int | None, dt.date]:
    """The frozen cut-off (summary.json first, else the accounts.csv column) and the as_of."""
    cutoff: int | None = None
    source = summary.get("cutoff")
    if source is None and len(cutoffs) == 1:
        source = next(iter(cutoffs))
    if source is not None:
        try:
            cutoff = _micros(str(source))
        except (InvalidOperation, ValueError):
            found.append(Problem(f"the cut-off {source!r} in summary.json is not a decimal amount",
                                 column="cutoff"))
    if summary.get("cutoff") is not None and len(cutoffs) == 1 and cutoff is not None:
        try:
            listed = _micros(next(iter(cutoffs)))
        except (InvalidOperation, ValueError):
            listed = cutoff
        if listed != cutoff:
            found.append(Problem(
                f"the cut-off in accounts.csv ({next(iter(cutoffs))}) is not the one in "
                f"summary.json ({summary['cutoff']})", column="cutoff",
                rows=(cutoffs[next(iter(cutoffs))],),
            ))
    text = str(summary.get("as_of") or "") or (next(iter(as_ofs)) if len(as_ofs) == 1 else "")
    as_of = _parse_date(text) if text else None
    if as_of is None:
        as_of = _parse_date(folder.name)
    if as_of is None:
        found.append(Problem(
            "the review's date is unknown: no as_of in summary.json or accounts.csv, and the "
            "folder is not named YYYY-MM-DD", column="as_of"))
        as_of = dt.date.min
    return cutoff, as_of


def review_folders(reports_root: Path | str, slug: str) -> list[tuple[dt.date, Path]]:
    """Every finished review of ``slug`` under ``reports_root``: ``(as_of, folder)``, oldest first.

    A review folder is named ``YYYY-MM-DD`` and holds an accounts.csv; hidden folders
    (runs being built) and ``.failed`` folders are not reviews.
    """
    base = Path(reports_root) / slug
    if not base.is_dir():
        return []
    found = []
    for child in base.iterdir():
        if child.name.startswith(".") or not child.is_dir():
            continue
        day = _parse_date(child.name)
        if day is None or day.isoformat() != child.name:
            continue
        if (child / ACCOUNTS_FILE).is_file():
            found.append((day, child))
    return sorted(found)


def find_previous_review(reports_root: Path | str, slug: str, as_of: dt.date) -> Path | None:
    """The latest review folder ``<reports_root>/<slug>/<date>/`` with ``date < as_of``, or None."""
    earlier = [folder for day, folder in review_folders(reports_root, slug) if day < as_of]
    return earlier[-1] if earlier else None
