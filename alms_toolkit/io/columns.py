"""Which column of a file holds which field: the client.yml mapping first, then the
common header names billing exports use (case, spaces, ``_`` and ``-`` ignored)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import ColumnError, Problem

__all__ = ["LEDGER_NAMES", "normalise_header", "find_header", "match_columns", "resolve_columns"]

#: field -> header names recognised when client.yml does not map the field
LEDGER_NAMES: dict[str, tuple[str, ...]] = {
    "client": (
        "Customer", "Client", "Account", "Account Name", "Company", "Company Name",
        "Advertiser", "Customer Name", "Client Name",
    ),
    "amount": (
        "Amount", "Total", "Sales", "Revenue", "Net", "Billing", "Net Amount", "Extended Price",
    ),
    "seller": ("Rep", "Sales Rep", "Salesperson", "Seller", "Owner", "AE", "Account Executive"),
    "date": ("Date", "Invoice Date", "Order Date", "Period"),
    "client_id": ("Customer ID", "Client ID", "Account ID", "CustomerID"),
}


def normalise_header(name: object) -> str:
    """'  Invoice_Date ' -> 'invoicedate' (what header matching compares)."""
    return re.sub(r"[\s_\-.]+", "", str(name)).casefold()


def find_header(headers: Sequence[str], wanted: str) -> str | None:
    """The header equal to ``wanted`` (exactly, else ignoring case and spacing), or None."""
    if wanted in headers:
        return wanted
    key = normalise_header(wanted)
    hits = [h for h in headers if normalise_header(h) == key]
    return hits[0] if len(hits) == 1 else None


def _closest(headers: Sequence[str], wanted: str) -> str | None:
    by_key = {normalise_header(h): h for h in headers}
    close = difflib.get_close_matches(normalise_header(wanted), list(by_key), n=1, cutoff=0.5)
    return by_key[close[0]] if close else None


def resolve_columns(
    headers: Sequence[str],
    mapping: Mapping[str, str],
    path: Path,
    *,
    required: Sequence[str],
    names: Mapping[str, Sequence[str]],
    config_key: str = "billing.columns",
) -> dict[str, str]:
    """field -> header for every field found. Mapped fields must exist; unmapped ones are
    recognised by ``names``. Raises one ColumnError listing every problem: a mapped
    header that is absent (with the closest header), two headers that could be the same
    field, a required field with no column."""
    found, problems = match_columns(
        headers, mapping, required=required, names=names, config_key=config_key
    )
    if problems:
        raise ColumnError(path, problems)
    return found


def match_columns(
    headers: Sequence[str],
    mapping: Mapping[str, str],
    *,
    required: Sequence[str],
    names: Mapping[str, Sequence[str]],
    config_key: str = "billing.columns",
) -> tuple[dict[str, str], list[Problem]]:
    """Like :func:`resolve_columns` but returns (fields found, problems) without raising."""
    headers = [str(h) for h in headers]
    found: dict[str, str] = {}
    problems: list[Problem] = []
    shown = ", ".join(repr(h) for h in headers) or "none"
    for field, wanted in mapping.items():
        hit = find_header(headers, wanted)
        if hit is None:
            near = _closest(headers, wanted)
            hint = f"; the closest header is {near!r}" if near else ""
            problems.append(
                Problem(
                    f"client.yml maps {field} to column {wanted!r}, which is not in the file "
                    f"(headers found: {shown}){hint}",
                    column=wanted,
                    reason="mapped_column_absent",
                )
            )
        else:
            found[field] = hit
    used = set(found.values())
    ambiguous: set[str] = set()
    for field, candidates in names.items():
        if field in mapping:
            continue
        keys = {normalise_header(c) for c in candidates}
        hits = [h for h in headers if normalise_header(h) in keys and h not in used]
        if len(hits) == 1:
            found[field] = hits[0]
        elif len(hits) > 1:
            both = " and ".join(repr(h) for h in hits)
            ambiguous.add(field)
            problems.append(
                Problem(
                    f"the {field} could be in column {both}: say which one in client.yml "
                    f"under {config_key} (for example  {field}: {hits[0]!r})",
                    reason="ambiguous_column",
                )
            )
    for field in required:
        if field not in found and field not in mapping and field not in ambiguous:
            examples = ", ".join(names.get(field, ())[:4])
            problems.append(
                Problem(
                    f"no column for the {field} (headers found: {shown}); name it in client.yml "
                    f"under {config_key} ({field}: <header>)"
                    + (f", or use a recognised header such as {examples}" if examples else ""),
                    reason="missing_column",
                )
            )
    return found, problems
