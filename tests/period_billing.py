"""Billing per period built from ledger rows, for tests: ``monthly_of(rows, as_of)``."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from alms_toolkit.analysis.monthly import MonthlyBilling, monthly_from
from alms_toolkit.analysis.periods import periods_for


def ledger_of(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    """(client, ISO date, micros) rows as a ledger frame (``client``, ``date``, ``amount``)."""
    ledger = pd.DataFrame(rows, columns=["client", "date", "amount"])
    ledger["date"] = pd.to_datetime(ledger["date"])
    ledger["amount"] = ledger["amount"].astype("int64")
    return ledger


def monthly_of(rows: list[tuple[str, str, int]], as_of: dt.date,
               history_start: dt.date | None = None) -> MonthlyBilling:
    """MonthlyBilling of (client_key, ISO date, micros) rows; the ledger starts at its first
    row unless ``history_start`` says otherwise."""
    ledger = ledger_of(rows)
    start = history_start or (ledger["date"].min().date() if len(ledger) else None)
    return monthly_from(ledger, ledger.iloc[0:0], {}, periods_for(as_of, start))
