"""The workshop without a live frontend (papermill, nbconvert, a batch run): what is still
to decide, as static HTML, in place of each widget.

Each function takes the audit (and the store, for what is saved now) and returns a
:class:`~alms_toolkit.report.views.display.Html`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..money import format_money
from ..report.views import display as show
from ..spelling_text import difference_text, visible_spelling
from .owners import SOURCE_TEXT, split_clients_of
from .store import WorkshopStore, rows_of

if TYPE_CHECKING:
    from ..engine import Audit

__all__ = ["duplicates_summary", "owners_summary", "cutoff_summary", "sellers_summary"]


def duplicates_summary(audit: Audit, store: WorkshopStore) -> show.Html:
    """The candidate pairs not decided yet (a decision saved since the audit ran counts)."""
    cur = audit.config.branding.currency
    cand = audit.combination.candidates
    saved = store.decisions()
    if cand.empty:
        return show.paragraph("Duplicate review: no possible duplicates to review.")
    pending = cand[[
        s == "pending" and saved.merge_decision(a, b) is None
        for a, b, s in zip(cand["name_a"], cand["name_b"], cand["status"], strict=True)
    ]]
    head = show.paragraph(
        f"Duplicate review: {len(cand) - len(pending)} of {len(cand)} reviewed; "
        f"{len(pending)} pending, largest value at stake first (the smaller spelling's billing). "
        "Open this notebook in JupyterLab to accept or reject them.")
    shown = pending.assign(
        at_stake=[min(int(x), int(y)) for x, y in zip(pending["billing_a"], pending["billing_b"], strict=True)],
        hidden=[difference_text(a, b) for a, b in zip(pending["name_a"], pending["name_b"], strict=True)],
        name_a=pending["name_a"].map(visible_spelling), name_b=pending["name_b"].map(visible_spelling),
    ).sort_values(["at_stake", "score"], ascending=False, kind="stable")
    columns = {"name_a": "Spelling A", "billing_a": "Billing A", "name_b": "Spelling B",
               "billing_b": "Billing B", "at_stake": "At stake", "score": "Score"}
    if shown["hidden"].astype(bool).any():
        columns["hidden"] = "Hard to see"
    return head + show.table(
        shown, columns, money=["billing_a", "billing_b", "at_stake"], decimal=["score"], currency=cur,
        max_rows=40, empty="Every candidate pair is decided.")


def owners_summary(audit: Audit, store: WorkshopStore) -> show.Html:
    """Clients billed by several sellers whose owner is not confirmed yet."""
    cur = audit.config.branding.currency
    clients = split_clients_of(audit.split_clients, audit.accounts)
    if not clients:
        return show.paragraph("Owner confirmation: every client was billed by one seller only.")
    saved = store.decisions()
    open_ = [c for c in clients if c.source != "decision" and saved.owner_of(c.client) is None]
    frame = pd.DataFrame({
        "client": [c.client for c in open_],
        "billed": ["; ".join(f"{s} {format_money(b, cur, cents=False)} ({x * 100:.0f}%)" for s, b, x in c.sellers)
                   for c in open_],
        "owner": [c.owner for c in open_],
        "source": [SOURCE_TEXT.get(c.source, c.source) for c in open_],
    })
    head = show.paragraph(
        f"Owner confirmation: {len(clients) - len(open_)} of {len(clients)} clients billed by several "
        f"sellers are confirmed; {len(open_)} to confirm.")
    return head + show.table(
        frame, {"client": "Client", "billed": "Who billed what", "owner": "Owner now", "source": "Why"},
        max_rows=40, empty="Every owner is confirmed.")


def cutoff_summary(audit: Audit, store: WorkshopStore) -> show.Html:
    """The key share client.yml holds and what it gives."""
    t = audit.tiers
    cur = audit.config.branding.currency
    share = store.saved_key_share()
    if t.cutoff is None:
        return show.paragraph(f"Cut-off: key_share {share:.2f}; no client spent money in the window.")
    return show.paragraph(
        f"Cut-off: key_share {audit.key_share:.2f} gives {t.n_key:,} KEY accounts of {t.n_clients:,}, "
        f"a cut-off of {format_money(t.cutoff, cur, cents=False)} and "
        f"{t.key_revenue_share * 100:.1f}% of revenue (client.yml says {share:.2f}).")


def sellers_summary(audit: Audit, store: WorkshopStore) -> show.Html:
    """Each seller's prospect counts against the limits of client.yml."""
    lim = audit.config.limits
    rows = store.prospects()
    sellers = [s for s in audit.sellers["seller"].astype(str) if s != "Unassigned"]
    sellers += sorted({r.seller for r in rows if r.seller} - set(sellers))
    out = []
    for s in sellers:
        mine = rows_of(rows, s)
        counts = {c: sum(r.category == c for r in mine) for c in ("TARGET", "EXTRA", "LEAD")}
        problems = [
            f"{n} {c}s ({'at least' if n < lo else 'at most'} {lo if n < lo else hi})"
            for c, n, (lo, hi) in ((c, counts[c], getattr(lim, c.lower())) for c in counts)
            if not lo <= n <= hi
        ]
        out.append({"seller": s, "targets": counts["TARGET"], "extras": counts["EXTRA"],
                    "leads": counts["LEAD"], "status": "; ".join(problems) or "within the limits"})
    frame = pd.DataFrame(out, columns=["seller", "targets", "extras", "leads", "status"])
    head = show.paragraph(
        f"Seller workshop: prospects per seller against the limits of client.yml (TARGET "
        f"{lim.target[0]}-{lim.target[1]}, EXTRA {lim.extra[0]}-{lim.extra[1]}, LEAD at most {lim.lead[1]}).")
    return head + show.table(
        frame, {"seller": "Seller", "targets": "TARGETs", "extras": "EXTRAs", "leads": "LEADs",
                "status": "Status"}, integer=["targets", "extras", "leads"], max_rows=None,
        empty="No seller and no prospects yet.")
