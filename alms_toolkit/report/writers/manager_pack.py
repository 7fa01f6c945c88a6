"""The manager's pack: a printable PDF of a monthly republish, for the weekly meeting.

Built from ``templates/manager_pack/`` (Jinja2 HTML + CSS in the seller PDF's visual
language: accent colour from client.yml, a running header with the client and
"Page n of N", A4 or Letter from ``branding.page_size``) and rendered by
:func:`alms_toolkit.report.writers.pdf.html_to_pdf`. It takes the republished official list
(:func:`alms_toolkit.republishing.official_list`) and the republished lists
(:class:`~alms_toolkit.republishing.RepublishedLists`: the comparison with the review, the
exceptions, the spellings matched), nothing else.

Pages:

* **Summary** — what changed since the review, in plain words and numbers: KEY accounts
  and 12-month billing now and at the review, each kind of change with its count, billing
  and largest clients, names billed under another spelling, then one line per seller.
* **Per seller** (one section each, flowing on from the summary; a section starts a page
  only when it would not fit in what is left): the seller's figures now and at the review,
  what changed in plain sentences (clients now above the KEY line set at the review, KEY
  accounts below it, clients that went quiet, new clients, targets that started spending,
  accounts moved between sellers, spellings matched to the seller's clients, what to act on
  first), then the clients to act on, one row each (a client has one change: the first of
  :data:`~alms_toolkit.republishing.PRIORITY`), with the next step.

No key, code or technical word is printed; every client text is HTML-escaped (autoescape).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...count_words import plural
from ...date_text import day_text
from ...money import format_money
from ...republishing import EXCEPTIONS, category_words
from .page_templates import pack_environment, pack_template_dir

if TYPE_CHECKING:

    from ...analysis.official_list import OfficialList
    from ...republishing import RepublishedLists

__all__ = ["TEMPLATE_NAME", "PACK_FILE", "SHORT", "NEXT_STEP", "template_dir", "manager_pack_html",
           "write_manager_pack"]

TEMPLATE_NAME = "manager_pack"
PACK_FILE = "manager_pack.pdf"
#: each change's short label (the table's "What changed" column)
SHORT: dict[str, str] = {
    "now_key": "Now KEY",
    "fell_below": "Below the KEY line",
    "went_quiet": "Went quiet",
    "new_client": "New client",
    "possible_spelling": "Misspelling? To decide",
    "conversion": "Started spending",
    "owner_change": "Moved to this seller",
}
#: what the seller does about each change
NEXT_STEP: dict[str, str] = {
    "now_key": "Treat as KEY: weekly attention, add it to the projection form.",
    "fell_below": "Call: find out why billing fell, plan how to win it back.",
    "went_quiet": "Call to win it back, or agree with the manager to drop it.",
    "new_client": "Add it to the list and meet the client.",
    "possible_spelling": "Consultant: decide whether it is the listed client (workshop or decisions.yml).",
    "conversion": "Move it from targets to accounts; promote an extra to target.",
    "owner_change": "Hand the account over: history, contacts, open business.",
}
#: rows of the clients-to-act-on table printed per seller before pointing to exceptions.csv
MAX_ROWS = 150
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_DEFAULT_ACCENT = "#1f4e79"
_SPENDING = ("KEY", "SECONDARY")
_NAMES_SHOWN = 3


def template_dir() -> Path:
    """``templates/manager_pack``: next to the report template (source tree or shipped copy)."""
    return pack_template_dir(TEMPLATE_NAME)


# ---------------------------------------------------------------------------- words


def _names(items: Sequence[tuple[str, str]], total: int) -> str:
    """'A ($1), B ($2) and 3 more' from (name, figure) pairs, the first few only."""
    shown = [f"{n} ({f})" if f else n for n, f in items[:_NAMES_SHOWN]]
    rest = total - len(shown)
    if rest > 0:
        return ", ".join(shown) + f" and {rest:,} more"
    if len(shown) > 1:
        return ", ".join(shown[:-1]) + " and " + shown[-1]
    return shown[0] if shown else ""


def _pct(now: int, then: int) -> str:
    if then <= 0:
        return ""
    change = (now - then) / then
    return f"{change:+.1%}".replace("-", "\u2212")


def _change_sentences(ex: pd.DataFrame, line: str, money: Any, *, who: str) -> list[str]:
    """One plain sentence per kind of change in ``ex`` (the exceptions of a seller or all)."""
    out = []
    for kind in EXCEPTIONS:
        rows = ex[ex["kind"] == kind]
        n = len(rows)
        if not n:
            continue
        now = int(rows["billing_now"].sum())
        then = int(rows["billing_then"].sum())
        if kind == "now_key":
            items = [(r.client, money(r.billing_now)) for r in rows.itertuples(index=False)]
            out.append(f"{plural(n, 'client')} now {'bills' if n == 1 else 'bill'} above {line}: "
                       f"{_names(items, n)}.")
        elif kind == "fell_below":
            items = [(r.client, f"{money(r.billing_now)}, was {money(r.billing_then)}")
                     for r in rows.itertuples(index=False)]
            out.append(f"{plural(n, 'KEY account')} now {'bills' if n == 1 else 'bill'} below the KEY line "
                       f"({money(then)} at the review, {money(now)} now): {_names(items, n)}.")
        elif kind == "went_quiet":
            items = [(r.client, f"{category_words(r.tier_then)}, {money(r.billing_then)} at the review")
                     for r in rows.itertuples(index=False)]
            out.append(f"{plural(n, 'client')} of {who} list billed nothing in the last 12 months: "
                       f"{_names(items, n)}.")
        elif kind == "new_client":
            items = [(r.client, money(r.billing_now)) for r in rows.itertuples(index=False)]
            n_key = int((rows["tier_now"] == "KEY").sum())
            key = f", {n_key:,} of them already above the KEY line" if n_key else ""
            out.append(f"{plural(n, 'new client')} billed {money(now)}{key}: {_names(items, n)}.")
        elif kind == "possible_spelling":
            items = [(r.client, money(r.billing_now)) for r in rows.itertuples(index=False)]
            out.append(f"{plural(n, 'name')} billed {money(now)} may be {'a misspelling' if n == 1 else 'misspellings'}"
                       f" of listed clients, to decide (counted apart until then): {_names(items, n)}.")
        elif kind == "conversion":
            items = [(r.client, f"{r.tier_then} at the review, now {r.tier_now} with {money(r.billing_now)}")
                     for r in rows.itertuples(index=False)]
            out.append(f"{plural(n, 'prospect')} started spending: {_names(items, n)}.")
        elif kind == "owner_change":
            items = [(r.client, f"from {r.owner_then} to {r.owner}") for r in rows.itertuples(index=False)]
            out.append(f"{plural(n, 'account')} moved to another seller: {_names(items, n)}.")
    return out


def _spelling_sentence(sp: pd.DataFrame, money: Any) -> list[dict[str, str]]:
    return [
        {"spelling": str(r.spelling), "client": str(r.client), "billing": money(r.billing),
         "how": "a similar spelling" if r.matched_by == "spelling" else "the same name written differently"}
        for r in sp.itertuples(index=False)
    ]


# ---------------------------------------------------------------------------- the pack's data


def _seller_figures(official: OfficialList, moves: pd.DataFrame, seller: str) -> dict[str, Any]:
    sa = official.seller_accounts
    mine = sa[sa["seller"] == seller]
    then = moves[(moves["owner_then"] == seller) & moves["before"].isin(_SPENDING)]
    return {
        "n_key": int((mine["tier"] == "KEY").sum()),
        "n_secondary": int((mine["tier"] == "SECONDARY").sum()),
        "billing": int(mine["billing"].sum()),
        "n_key_then": int((then["before"] == "KEY").sum()),
        "n_secondary_then": int((then["before"] == "SECONDARY").sum()),
        "billing_then": int(then["billing_then"].sum()),
    }


def _sellers(official: OfficialList, lists: RepublishedLists) -> list[str]:
    """Every seller of the list, then any other named by a change (a seller who lost every
    account since the review), each once."""
    moves = lists.comparison.movements
    extra = [s for s in [*lists.exceptions["owner"], *moves.loc[moves["before"].isin(_SPENDING), "owner_then"]]
             if s]
    return list(dict.fromkeys([*official.sellers, *sorted(set(extra))]))


def _flag_sentence(flags: pd.DataFrame) -> str:
    counts = flags["flag"].value_counts()
    parts = [
        plural(int(counts.get("at risk", 0)), "KEY account") + " at risk" if counts.get("at risk", 0) else "",
        plural(int(counts.get("growth potential", 0)), "SECONDARY account") + " with growth potential"
        if counts.get("growth potential", 0) else "",
        plural(int(counts.get("lapsed", 0)), "lapsed client") + " to win back" if counts.get("lapsed", 0) else "",
    ]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return f"Act first: {listed} (the seller's workbook, sheet Act first, names them)."


def _rows(ex: pd.DataFrame, money: Any) -> list[dict[str, str]]:
    return [
        {
            "what": SHORT[r.kind], "kind": str(r.kind), "client": str(r.client), "detail": str(r.detail),
            "then": category_words(r.tier_then), "then_billing": money(r.billing_then) if r.tier_then not in (
                "NEW", "TARGET", "EXTRA", "LEAD") else "",
            "now": category_words(r.tier_now), "now_billing": money(r.billing_now),
            "next": NEXT_STEP[r.kind],
        }
        for r in ex.itertuples(index=False)
    ]


def manager_pack_html(official: OfficialList, lists: RepublishedLists, *, max_rows: int = MAX_ROWS) -> str:
    """The manager's pack of a republish as printable HTML (pure: same inputs, same text)."""
    currency = official.currency

    def money(micros: Any) -> str:
        return format_money(int(micros), currency)

    accent = str(official.branding.accent_color or "")
    accent = accent if _HEX.fullmatch(accent) else _DEFAULT_ACCENT
    moves = lists.comparison.movements
    ex = lists.exceptions
    cut = money(lists.cutoff)
    line = f"the KEY line of {cut} set at the review"
    was = moves[moves["before"].isin(_SPENDING)]
    billing_now = int(official.seller_accounts["billing"].sum())
    billing_then = int(was["billing_then"].sum())
    n_key_now = int((official.seller_accounts["tier"] == "KEY").sum())
    n_key_then = int((was["before"] == "KEY").sum())
    spellings = lists.spellings
    new = ex[ex["kind"] == "new_client"]

    summary_lines = _change_sentences(ex, line, money, who="the review's")
    if len(spellings):
        n_sp = len(spellings)
        summary_lines.append(
            f"{plural(n_sp, 'name')} in the ledger {'is another spelling' if n_sp == 1 else 'are other spellings'}"
            f" of {'a client' if n_sp == 1 else 'clients'}: {'its' if n_sp == 1 else 'their'} billing is counted "
            "under that client, never as a new client (listed below).")
    if not summary_lines:
        summary_lines.append("Nothing moved since the review: no client crossed the KEY line, none is new, "
                             "none went quiet.")

    seller_rows, sections = [], []
    for seller in _sellers(official, lists):
        fig = _seller_figures(official, moves, seller)
        mine = ex[ex["owner"] == seller]
        moved_out = ex[(ex["owner_then"] == seller) & (ex["owner"] != seller) & (ex["owner_then"] != "")]
        seller_rows.append({
            "seller": seller, "n_key": fig["n_key"], "n_key_then": fig["n_key_then"],
            "n_secondary": fig["n_secondary"], "billing": money(fig["billing"]),
            "billing_then": money(fig["billing_then"]), "change": _pct(fig["billing"], fig["billing_then"]),
            "n_changes": len(mine),
        })
        sentences = _change_sentences(mine, line, money, who="your")
        if len(moved_out):
            items = [(r.client, f"now {r.owner}'s") for r in moved_out.itertuples(index=False)]
            sentences.append(f"{plural(len(moved_out), 'account')} moved from this list to another seller: "
                             f"{_names(items, len(moved_out))}.")
        flags = official.flags_of(seller)
        flag_line = _flag_sentence(flags)
        mine_sp = spellings[spellings["owner"] == seller]
        sections.append({
            "seller": seller,
            "fig": {**fig, "billing": money(fig["billing"]), "billing_then": money(fig["billing_then"]),
                    "change": _pct(fig["billing"], fig["billing_then"])},
            "sentences": sentences,
            "flag_line": flag_line,
            "rows": _rows(mine.head(max_rows), money),
            "n_rows": len(mine),
            "spellings": _spelling_sentence(mine_sp, money),
        })
    seller_total = {
        "n_key": sum(r["n_key"] for r in seller_rows), "n_key_then": sum(r["n_key_then"] for r in seller_rows),
        "n_secondary": sum(r["n_secondary"] for r in seller_rows), "billing": money(billing_now),
        "billing_then": money(billing_then), "change": _pct(billing_now, billing_then),
        "n_changes": len(ex),
    }
    css = (template_dir() / "manager_pack.css").read_text(encoding="utf-8")
    return pack_environment(TEMPLATE_NAME).get_template("manager_pack.html.j2").render(
        css=css,
        accent=accent,
        letter=str(official.branding.page_size).lower() == "letter",
        client=str(official.client),
        as_of=day_text(official.as_of),
        review_as_of=day_text(lists.review_as_of),
        next_review=day_text(official.review_date),
        cutoff=cut,
        n_key=n_key_now,
        n_key_then=n_key_then,
        billing=money(billing_now),
        billing_then=money(billing_then),
        billing_change=_pct(billing_now, billing_then),
        n_changes=len(ex),
        n_sellers_changed=int(ex.loc[ex["owner"] != "", "owner"].nunique()),
        n_new=len(new),
        new_billing=money(int(new["billing_now"].sum())),
        summary_lines=summary_lines,
        spellings=_spelling_sentence(spellings, money),
        seller_rows=seller_rows,
        seller_total=seller_total,
        sections=sections,
        notes=[str(n) for n in lists.notes],
        max_rows=max_rows,
    )


def write_manager_pack(official: OfficialList, lists: RepublishedLists, path: Path | str, *,
                       max_rows: int = MAX_ROWS) -> Path:
    """Render :func:`manager_pack_html` to a PDF at ``path``."""
    from .pdf import html_to_pdf

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(html_to_pdf(manager_pack_html(official, lists, max_rows=max_rows), out, base_url=template_dir()))
