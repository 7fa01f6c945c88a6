"""Issue 9, item 8: appending a grand-total row, or inserting Excel Data > Subtotal rows
(``<client> Total`` after each client's run, ``Grand Total`` at the end), to any valid
ledger leaves every figure unchanged: amount_used, rows_used (the detail rows),
n_distinct_clients and each client's total; in CSV and in XLSX, for dated ledgers and
for 12-month totals ledgers (one row per client, no date column). The ledgers mix
hard-negative client names, credits, zero amounts and dates inside and outside the
window; the true figures are computed here from the lines, and the inserted rows must
be the ones counted as ``aggregate``."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from corpus.data import sort_by_client
from corpus.model import Line, micros, totals_truth, truth_of, write_client_yml
from corpus.subtotals import subtotal_items
from corpus.writers import F, Fmt, Sheet, num, write_csv, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alms_toolkit.config import load_config
from alms_toolkit.io.ledger import load_ledger

AS_OF = dt.date(2025, 1, 1)
NAMES = (
    "Acme Corp",
    "Fabrikam, Inc.",
    "Café Noël",
    "Total Wine & More",
    "Grand Total Fitness",
    "TOTAL S.A.",
    "Sum Systems",
    "Count Chocula Foods",
    "Average Joe's Gym",
)
FIRST_DAY = dt.date(2022, 7, 1)
N_DAYS = (dt.date(2025, 3, 31) - FIRST_DAY).days

lines_st = st.lists(
    st.builds(
        Line,
        date=st.integers(0, N_DAYS).map(lambda d: FIRST_DAY + dt.timedelta(days=d)),
        client=st.sampled_from(NAMES),
        amount=st.one_of(
            st.integers(1, 2_500_000_00),
            st.integers(-300_000_00, -1),
            st.just(0),
        ).map(lambda cents: Decimal(cents) / 100),
        seller=st.sampled_from(("Dana Scott", "Eli Moreno")),
    ),
    min_size=1,
    max_size=14,
)


def _write(folder: Path, lines: list[Line], kind: str, extra: str) -> int:
    """The ledger as CSV or XLSX, plain ("none"), with a grand total ("grand") or with
    Excel's Data > Subtotal rows ("subtotal"). A ledger whose lines have no date is a
    12-month totals file (no Date column). Returns how many total rows were added."""
    folder.mkdir()
    dated = lines[0].date is not None
    if extra == "subtotal":
        items = subtotal_items(sort_by_client(lines))
    else:
        items = subtotal_items(lines)  # only its details (and grand total) are used
        items = [it for it in items if it.kind == "detail" or (extra == "grand" and it.kind == "grand")]
    header = ["Date", "Customer", "Amount", "Rep"] if dated else ["Customer", "Amount", "Rep"]
    if kind == "csv":
        rows = [header]
        for it in items:
            if it.kind == "detail":
                ln = it.line
                rows.append(([ln.date.isoformat()] if dated else []) + [ln.client, num(ln.amount), ln.seller])
            else:
                rows.append(([None] if dated else []) + [it.label, num(it.value), None])
        write_csv(folder / "billing.csv", rows, encoding="cp1252")
        write_client_yml(folder, "billing.csv", as_of=AS_OF)
    else:
        col = "C" if dated else "B"
        rows = [[Fmt(h, bold=True) for h in header]]
        starts: list[int] = []
        for it in items:
            if it.kind == "detail":
                ln = it.line
                rows.append(([ln.date] if dated else []) + [ln.client, ln.amount, ln.seller])
                starts.append(len(rows))
            else:
                first = 2 if it.kind == "grand" else starts[it.first]
                last = len(rows) if it.kind == "grand" else starts[it.last]
                fn = "SUBTOTAL(9," if extra == "subtotal" else "SUM("
                rows.append(([None] if dated else [])
                            + [Fmt(it.label, bold=True), F(f"={fn}{col}{first}:{col}{last})", it.value), None])
        write_xlsx(folder / "billing.xlsx", [Sheet("Billing", rows)])
        write_client_yml(folder, "billing.xlsx", as_of=AS_OF)
    return sum(it.kind != "detail" for it in items)


def _figures(folder: Path) -> dict:
    loaded = load_ledger(load_config(folder))
    r = loaded.reconciliation
    led = loaded.ledger
    per = {str(k): int(v) for k, v in led.groupby(led["client"].astype(str).str.strip())["amount"].sum().items()}
    return {"amount_used": r.amount_used, "rows_used": r.rows_used, "n_distinct_clients": r.n_distinct_clients,
            "per_client": per, "balances": r.balances(),
            "aggregate": r.excluded["aggregate"].rows if "aggregate" in r.excluded else 0}


@st.composite
def ledgers(draw) -> tuple[list[Line], str]:
    """(lines, extra): dated lines with a grand total or subtotals, or a 12-month totals
    ledger (one undated row per client) with a grand total."""
    lines = draw(lines_st)
    if draw(st.booleans()):
        return lines, draw(st.sampled_from(["grand", "subtotal"]))
    once = {ln.client: ln.with_(date=None) for ln in lines}
    return list(once.values()), "grand"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(), kind=st.sampled_from(["csv", "xlsx"]))
def test_totals_and_subtotals_change_no_figure(ledger: tuple[list[Line], str], kind: str) -> None:
    lines, extra = ledger
    truth = truth_of(lines, AS_OF) if lines[0].date is not None else totals_truth(lines)
    want = {"amount_used": micros(truth.amount), "rows_used": truth.rows_used, "n_distinct_clients": truth.n_clients,
            "per_client": {k: micros(v) for k, v in truth.per_client.items()}, "balances": True, "aggregate": 0}
    with tempfile.TemporaryDirectory() as tmp:
        base, augmented = Path(tmp) / "base", Path(tmp) / "augmented"
        _write(base, lines, kind, "none")
        added = _write(augmented, lines, kind, extra)
        got_base = _figures(base)
        got = _figures(augmented)
    assert got_base == want, f"the plain {kind} ledger is not read to its true figures"
    assert got == {**want, "aggregate": added}, f"adding {extra} rows to the {kind} ledger changed its figures"
