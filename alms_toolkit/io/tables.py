"""Read a client's secondary tables (account list, prospects, ...) with the same readers
and the same error style as the ledger: canonical column names, text cells, and the
spreadsheet row number of every row (``source_row``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..config import TableSource
from .cells import cells_to_text
from .columns import resolve_columns
from .readers import read_raw

__all__ = ["read_table", "PROSPECT_ALIASES"]


#: header names recognised for each field of a prospects file (audit and workshop)
PROSPECT_ALIASES: dict[str, tuple[str, ...]] = {
    "seller": ("Seller", "Owner", "Rep", "Salesperson"),
    "prospect": ("Prospect", "Prospect Name", "Company"),
    "category": ("Category", "Type"),
    "spending_potential": ("Spending potential", "Potential"),
    "decision_maker_access": ("Decision maker access", "Access to decision maker"),
    "product_fit": ("Product fit", "Fit"),
    "notes": ("Notes", "Comments"),
    "dropped": ("Dropped",),
    "changed": ("Changed",),
}


def read_table(
    source: TableSource,
    required: Sequence[str],
    optional: Sequence[str] = (),
    aliases: Mapping[str, Sequence[str]] | None = None,
    *,
    config_key: str = "columns",
) -> pd.DataFrame:
    """Read ``source.file`` into a DataFrame with columns ``source_row`` + the fields found.

    Each field is taken from ``source.columns`` (client.yml) when mapped, else recognised
    by its ``aliases`` (or by its own name, case and spacing ignored). Cells are text,
    trimmed, ``pd.NA`` when blank; rows blank in every field read are skipped. A missing
    required field, an absent mapped header or an ambiguous header raises ColumnError
    naming the file and the headers found; missing file / unreadable sheet as for the
    ledger. Optional fields not in the file are absent from the result.
    """
    aliases = dict(aliases or {})
    fields = list(dict.fromkeys([*required, *optional]))
    names = {f: tuple(aliases.get(f, ())) + (f,) for f in fields}
    mapping = {k: v for k, v in source.columns.items() if k in fields}
    found: dict[str, str] = {}

    def select(headers: Sequence[str]) -> list[str]:
        found.update(
            resolve_columns(
                headers, mapping, source.file, required=required, names=names, config_key=config_key
            )
        )
        return list(dict.fromkeys(found.values()))

    known = [n for group in names.values() for n in group] + list(mapping.values())
    raw = read_raw(source.file, sheet=source.sheet, known=known, select=select)
    data: dict[str, np.ndarray] = {}
    blank_all = np.ones(raw.n_rows, dtype=bool)
    for f in fields:
        if f not in found:
            continue
        text, blank = cells_to_text(raw.columns[found[f]], strip=True)
        blank_all &= blank
        data[f] = text
    keep = ~blank_all
    out = pd.DataFrame({"source_row": raw.source_row[keep].astype(np.int64)})
    for f, text in data.items():
        cells = np.asarray(text, dtype=object)[keep]
        cells[pd.isna(cells)] = pd.NA
        out[f] = pd.Series(cells, dtype=object)
    return out
