"""Seller workshop (ALMS steps 7-9): pick a seller; see their KEY and SECONDARY accounts;
score and sort their prospects into TARGET / EXTRA / LEAD (or drop them); add new ones.

The limits of client.yml are enforced as the consultant clicks: the count of each category
is shown against its range, a change that would pass the maximum is refused, and a TARGET
or EXTRA that is already a spending client is refused with the reason. Every change is
saved at once to the prospects file (see :mod:`.store`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ..analysis.prospects import CATEGORIES, SCORE_COLUMNS, check_prospects
from ..config import FitWeights, Limits
from ..money import format_money
from . import look
from .store import SCORE_FIELDS, ProspectRow, WorkshopStore, rows_of

__all__ = ["SellerWorkshop", "DROP", "fit_score"]

#: the fourth choice of a prospect's category: take it off the list
DROP = "drop"
_PLURAL = {"TARGET": "TARGETs", "EXTRA": "EXTRAs", "LEAD": "LEADs"}
_SCORE_OPTIONS = [("\u2013", 0), ("1", 1), ("2", 2), ("3", 3), ("4", 4), ("5", 5)]


#: the seller grid's column widths (the header uses the same)
_NAME_W, _CATEGORY_W, _SCORE_W = "200px", "340px", "62px"


def article(word: str) -> str:
    """'a TARGET', 'an EXTRA', 'a LEAD'."""
    return f"{'an' if str(word)[:1].upper() in 'AEIOU' else 'a'} {word}"


def fit_score(scores: tuple[int | None, ...], weights: FitWeights) -> float | None:
    """Weighted mean of the three filter scores (1-5), as the audit computes it; None when a
    weighted score is missing."""
    w = (weights.spending_potential, weights.decision_maker_access, weights.product_fit)
    used = [(s, x) for s, x in zip(scores, w, strict=True) if x > 0]
    given = [(s, x) for s, x in used if s is not None]
    if not used or len(given) < len(used):
        return None
    return round(sum(s * x for s, x in given) / sum(x for _s, x in given), 2)


class SellerWorkshop:
    """The seller workshop. ``accounts``: the audit's ``accounts``; ``seller_accounts``: its
    per-seller lists; ``client_of``: raw name -> client key (to recognise spending clients)."""

    def __init__(
        self,
        seller_accounts: pd.DataFrame,
        accounts: pd.DataFrame,
        client_of: Mapping[str, str],
        store: WorkshopStore,
        *,
        limits: Limits,
        weights: FitWeights,
        sellers: list[str] | None = None,
        currency: str = "$",
    ) -> None:
        self.seller_accounts = seller_accounts
        self.accounts = accounts
        self.client_of = client_of
        self.store = store
        self.limits = limits
        self.weights = weights
        self.currency = currency
        self.rows: list[ProspectRow] = store.prospects()
        names = list(sellers) if sellers is not None else sorted(set(seller_accounts["seller"].astype(str)))
        names += sorted({r.seller for r in self.rows if r.seller} - set(names))
        self.sellers = [s for s in names if s and s != "Unassigned"]
        self._busy = False

        self.picker = widgets.Dropdown(options=self.sellers, description="Seller",
                                       style={"description_width": "60px"},
                                       layout=widgets.Layout(width="320px"))
        self.summary = widgets.HTML()
        self.accounts_html = widgets.HTML()
        self.counts = widgets.HTML()
        self.grid = widgets.VBox(layout=widgets.Layout(max_height="520px", overflow="auto"))
        # the header has the rows' two groups, so it wraps with them on a narrow screen
        head = f'{look.FONT}color:#5f6368;font-size:12px;line-height:1.2'
        self.grid_head = widgets.HBox([
            widgets.HTML(f'<div style="{head};display:flex;gap:8px"><span style="width:{_NAME_W}">Prospect</span>'
                         f'<span style="width:{_CATEGORY_W}">Category</span></div>',
                         layout=widgets.Layout(flex="0 0 auto")),
            widgets.HTML(f'<div style="{head};display:flex;gap:8px">'
                         + "".join(f'<span style="width:{_SCORE_W}">{t}</span>' for t in
                                   ("Spending<br>potential", "Decision<br>maker access", "Product<br>fit"))
                         + '<span style="width:40px;text-align:right">Fit</span></div>',
                         layout=widgets.Layout(flex="0 0 auto")),
        ], layout=widgets.Layout(flex_flow="row wrap", grid_gap="8px", border_bottom="1px solid #d0d7de",
                                 flex="0 0 auto"))
        self.message = widgets.HTML()
        self.dropped_box = widgets.VBox()
        self.find = widgets.Text(placeholder="Find a prospect", layout=widgets.Layout(width="240px"))
        self.find.observe(lambda _c: self._build_grid(), names="value")
        self.new_name = widgets.Text(placeholder="New prospect's name", layout=widgets.Layout(width="300px"))
        self.new_category = widgets.Dropdown(options=list(CATEGORIES), value="LEAD",
                                             layout=widgets.Layout(width="110px"))
        self.add_button = widgets.Button(description="Add prospect", icon="plus",
                                         layout=widgets.Layout(width="auto"))
        self.add_button.on_click(lambda _b: self.add(self.new_name.value, self.new_category.value))
        self.category_buttons: dict[tuple[str, str], widgets.ToggleButtons] = {}
        self.score_pickers: dict[tuple[str, str], list[widgets.Dropdown]] = {}
        self.fit_labels: dict[tuple[str, str], widgets.HTML] = {}
        remembered = store.recall("seller")  # the seller last shown, kept across runs
        if remembered in self.sellers:
            self.picker.value = remembered
        self.picker.observe(lambda _c: self._on_pick(), names="value")
        self.box = widgets.VBox([
            widgets.HTML(look.title(
                "Seller workshop",
                "With each seller: their KEY and SECONDARY accounts, then their prospects. Score "
                "the three filters (1-5) and mark each prospect; every change is saved at once.")),
            self.picker,
            self.summary,
            self.accounts_html,
            widgets.HTML(f'<div style="{look.FONT}font-weight:600;margin-top:8px">Prospects</div>'),
            self.counts,
            self.find,
            self.message,  # above the grid: seen next to the row clicked, not under a scroll box
            self.grid_head,
            self.grid,
            widgets.HBox([self.new_name, self.new_category, self.add_button],
                         layout=widgets.Layout(grid_gap="6px", margin="6px 0")),
            self.dropped_box,
        ], layout=widgets.Layout(width="100%", max_width="1040px"))
        self.box.add_class(look.BOX_CLASS)  # the workshop's styles (look.STYLE)
        if not self.sellers:
            self.box.children = (self.box.children[0], widgets.HTML(look.message(
                "No seller to work with: the ledger names no seller and there is no prospects file.",
                look.WARN)))
        else:
            self.show_seller()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)

    def _on_pick(self) -> None:
        self.store.remember("seller", self.seller)
        self.show_seller()

    # ------------------------------------------------------------------- views
    @property
    def seller(self) -> str:
        return str(self.picker.value or "")

    def mine(self) -> list[ProspectRow]:
        """The selected seller's prospects as saved, TARGETs first, then by fit."""
        order = {c: i for i, c in enumerate(CATEGORIES)}
        rows = rows_of(self.rows, self.seller)
        return sorted(rows, key=lambda r: (order.get(r.category, 9),
                                           -(fit_score(r.scores, self.weights) or 0), r.source_row))

    def count(self, category: str) -> int:
        return sum(r.category == category for r in rows_of(self.rows, self.seller))

    def show_seller(self) -> None:
        """Show the selected seller's accounts and prospects."""
        acc = self.seller_accounts[self.seller_accounts["seller"] == self.seller]
        key = acc[acc["tier"] == "KEY"]
        sec = acc[acc["tier"] == "SECONDARY"]
        self.summary.value = look.card([
            ("KEY accounts", f"{len(key):,} \u00b7 {format_money(int(key['billing'].sum()), self.currency, cents=False)}"),
            ("SECONDARY accounts", f"{len(sec):,} \u00b7 {format_money(int(sec['billing'].sum()), self.currency, cents=False)}"),
        ])
        self.accounts_html.value = look.kv_table(
            ["Rank", "Client", "Tier", "12-month billing", "Share of seller"],
            [[str(r.rank), str(r.client), str(r.tier), format_money(int(r.billing), self.currency),
              f"{float(r.share_of_seller) * 100:.1f}%"] for r in acc.itertuples(index=False)],
            numeric=[0, 3, 4], max_height=230,
        ) if len(acc) else look.note("No spending account is assigned to this seller.")
        self.message.value = ""
        self._build_grid()

    def _render_counts(self) -> None:
        parts = []
        for c in CATEGORIES:
            lo, hi = getattr(self.limits, c.lower())
            n = self.count(c)
            rng = f"range {lo}\u2013{hi}" if lo else f"at most {hi}"
            kind = look.OK if lo <= n <= hi else look.WARN if n < lo else look.BAD
            state = "" if kind == look.OK else (" \u00b7 too few" if n < lo else " \u00b7 too many")
            parts.append(look.chip(f"{_PLURAL[c]}: {n} ({rng}){state}", kind))
        self.counts.value = f'<div style="margin:2px 0 6px 0">{"".join(parts)}</div>'

    def _build_grid(self) -> None:
        for w in self.grid.children:
            w.close()
        self.category_buttons.clear()
        self.score_pickers.clear()
        self.fit_labels.clear()
        # prospects on more than one seller's list, flagged on their rows
        lists: dict[str, set[str]] = {}
        for r in self.rows:
            if not r.dropped:
                lists.setdefault(r.key[1], set()).add(r.seller)
        self._lists = lists
        wanted = " ".join(str(self.find.value).split()).casefold()
        rows: list[widgets.Widget] = []
        for r in self.mine():
            if not wanted or wanted in r.prospect.casefold() or wanted in r.notes.casefold():
                rows.append(self._row_widget(r))
        if not rows:
            rows.append(widgets.HTML(look.note(
                f"No prospect of this seller matches \u201c{self.find.value}\u201d." if wanted else
                "No prospect on this seller's list yet: add one below.")))
        self.grid.children = rows
        self._render_counts()
        self._build_dropped()

    def _build_dropped(self) -> None:
        """The seller's dropped prospects, each with Restore (they stay in the file)."""
        for w in self.dropped_box.children:
            w.close()
        gone = rows_of(self.rows, self.seller, dropped=True)
        if not gone:
            self.dropped_box.children = ()
            return
        items: list[widgets.Widget] = [widgets.HTML(
            f'<div style="{look.FONT}font-weight:600;margin-top:8px">Dropped from the list '
            f'({len(gone)}): kept in {look.esc(self.store.prospects_path.name)}, restorable</div>')]
        for r in gone:
            button = widgets.Button(description="Restore", icon="undo", layout=widgets.Layout(width="auto"),
                                    tooltip=f"Put it back on the list as {article(r.category)}")
            button.on_click(lambda _b, r=r: self.restore(r.prospect, seller=r.seller))
            items.append(widgets.HBox([
                widgets.HTML(f'<div style="{look.FONT}min-width:230px"><b>{look.esc(r.prospect)}</b> '
                             f'<span style="color:#5f6368">{look.esc(r.category)} · dropped '
                             f'{look.esc(r.dropped)}</span></div>'),
                button], layout=widgets.Layout(align_items="center", grid_gap="8px")))
        self.dropped_box.children = items

    def restore(self, prospect: str, *, seller: str | None = None) -> bool:
        """Put a dropped prospect back on the seller's list as it was (refused when its
        category is full or it became a spending client)."""
        seller = seller or self.seller
        row = next((r for r in rows_of(self.rows, seller, dropped=True)
                    if r.key == ProspectRow(seller, prospect, "").key), None)
        if row is None:
            return False
        reason = self.refusal(prospect, None, row.category) if row.category in CATEGORIES else None
        if reason is not None:
            self.message.value = look.message("Not restored: " + reason, look.BAD)
            return False
        try:
            self.rows = self.store.restore_prospect(seller, prospect)
        except Exception as exc:
            self.message.value = look.message(f"Not restored: {exc}", look.BAD)
            return False
        self.message.value = look.message(f"Restored: {prospect!r} is back on {seller}'s list as {article(row.category)}.",
                                          look.OK)
        self._build_grid()
        return True

    def _row_widget(self, r: ProspectRow) -> widgets.Widget:
        """One prospect: name and category, then the three scores and the fit. The two
        groups never shrink; on a narrow screen (a projector with the file browser open) the
        scores wrap under the category rather than being clipped."""
        k = r.key
        label = widgets.HTML(
            f'<div style="{look.FONT}width:{_NAME_W};overflow:hidden;text-overflow:ellipsis;white-space:nowrap" '
            f'title="{look.esc(r.notes or r.prospect)}"><b>{look.esc(r.prospect)}</b>'
            + (f'<br><span style="color:#5f6368;font-size:12px">{look.esc(r.notes)}</span>' if r.notes else "")
            + self._flag(r) + "</div>", layout=widgets.Layout(width=_NAME_W, flex="0 0 auto"))
        value = r.category if r.category in CATEGORIES else None
        cat = widgets.ToggleButtons(options=[*CATEGORIES, DROP], value=value,
                                    style={"button_width": "80px"},
                                    tooltips=["Actively pursued", "Target in waiting", "Still being vetted",
                                              "Take off the list (kept in the file, restorable)"],
                                    layout=widgets.Layout(width=_CATEGORY_W, flex="0 0 auto"))
        cat.observe(lambda ch, r=r: self._on_category(r.seller, r.prospect, ch), names="value")
        pickers = []
        for field, s in zip(SCORE_FIELDS, r.scores, strict=True):
            d = widgets.Dropdown(options=_SCORE_OPTIONS, value=s or 0, layout=widgets.Layout(width=_SCORE_W),
                                 tooltip=SCORE_COLUMNS[field])
            d.observe(lambda ch, r=r, field=field: self._on_score(r.seller, r.prospect, field, ch), names="value")
            pickers.append(d)
        fit = widgets.HTML(layout=widgets.Layout(width="40px"))
        self.category_buttons[k] = cat
        self.score_pickers[k] = pickers
        self.fit_labels[k] = fit
        self._render_fit(r)
        left = widgets.HBox([label, cat], layout=widgets.Layout(align_items="center", grid_gap="8px", flex="0 0 auto"))
        right = widgets.HBox([*pickers, fit],
                             layout=widgets.Layout(align_items="center", grid_gap="8px", flex="0 0 auto"))
        return widgets.HBox([left, right],
                            layout=widgets.Layout(align_items="center", grid_gap="8px", flex="0 0 auto",
                                                  flex_flow="row wrap", border_bottom="1px solid #eef0f2",
                                                  padding="2px 0"))

    def _flag(self, r: ProspectRow) -> str:
        """Inline flags, seen without clicking: a TARGET or EXTRA that already spends (the
        method's error to show), a prospect also on another seller's list."""
        flags = []
        if r.category in ("TARGET", "EXTRA"):
            reason = self.spending_reason(r.prospect)
            if reason is not None:
                flags.append(reason)
        others = sorted(s for s in getattr(self, "_lists", {}).get(r.key[1], set())
                        if ProspectRow(s, "", "").key[0] != r.key[0])
        if others:
            flags.append(f"also on {' and '.join(others)}'s list")
        return "".join(f'<br><span style="color:#b42318;font-size:12px;white-space:normal">\u26a0 {look.esc(f)}'
                       "</span>" for f in flags)

    def _render_fit(self, r: ProspectRow) -> None:
        f = fit_score(r.scores, self.weights)
        text = "\u2013" if f is None or math.isnan(f) else f"{f:.1f}"
        self.fit_labels[r.key].value = (f'<div style="{look.FONT}text-align:right;font-weight:600" '
                                        f'title="fit score, 1-5">{text}</div>')

    # ------------------------------------------------------------------- checks
    def spending_reason(self, name: str) -> str | None:
        """Why ``name`` cannot be a TARGET or EXTRA (it is a spending client), or None."""
        probe = pd.DataFrame({"source_row": [0], "seller": [self.seller], "prospect": [name],
                              "category": ["TARGET"]})
        check = check_prospects(probe, self.accounts, self.client_of, self.limits, self.weights,
                                currency=self.currency)
        hits = check.issues[check.issues["kind"] == "already a client"]
        if hits.empty:
            return None
        return re.sub(r"^Row \d+: TARGET .*? is already", "already", str(hits["message"].iloc[0]))

    def refusal(self, prospect: str, old: str | None, new: str) -> str | None:
        """Why moving ``prospect`` from ``old`` to ``new`` is refused, or None when allowed."""
        if new in (old, DROP):
            return None
        lo, hi = getattr(self.limits, new.lower())
        if self.count(new) + 1 > hi:
            return (f"{self.seller} already has {self.count(new)} {_PLURAL[new]}, the most client.yml "
                    f"allows ({lo}\u2013{hi}). Move one to another category or drop it first.")
        if new in ("TARGET", "EXTRA"):
            reason = self.spending_reason(prospect)
            if reason is not None:
                return f"{prospect!r} cannot be {article(new)}: {reason}"
        return None

    # ------------------------------------------------------------------- actions
    def _on_category(self, seller: str, prospect: str, change: dict[str, Any]) -> None:
        if self._busy:
            return
        new = change["new"]
        ok = self.set_category(prospect, new, seller=seller)
        if not ok:
            self._busy = True
            try:
                change["owner"].value = change["old"]
            finally:
                self._busy = False

    def set_category(self, prospect: str, category: str, *, seller: str | None = None) -> bool:
        """Mark the seller's prospect TARGET / EXTRA / LEAD, or ``drop`` it; saved at once.
        Returns False (and says why) when the limits or the spending check refuse it."""
        seller = seller or self.seller
        row = next((r for r in rows_of(self.rows, seller) if r.key == (ProspectRow(seller, prospect, "").key)), None)
        old = row.category if row is not None else None
        reason = self.refusal(prospect, old, category)
        if reason is not None:
            self.message.value = look.message("Refused: " + reason, look.BAD)
            return False
        try:
            if category == DROP:
                self.rows = self.store.drop_prospect(seller, prospect)
            else:
                self.rows = self.store.set_category(seller, prospect, category)
        except Exception as exc:
            self.message.value = look.message(f"Not saved: {exc}", look.BAD)
            return False
        if category == DROP:
            self.message.value = look.message(
                f"Saved: {prospect!r} taken off {seller}'s list; it stays in "
                f"{self.store.prospects_path.name}, marked dropped (Restore below puts it back).", look.OK)
            self._build_grid()
        else:
            self.message.value = look.message(f"Saved: {prospect!r} is now {article(category)} of {seller}.", look.OK)
            self._render_counts()
        return True

    def _on_score(self, seller: str, prospect: str, field: str, change: dict[str, Any]) -> None:
        if self._busy:
            return
        self.set_score(prospect, field, change["new"] or None, seller=seller)

    def set_score(self, prospect: str, field: str, value: int | None, *, seller: str | None = None) -> None:
        """Set one filter score (1-5, or None for blank); saved at once."""
        seller = seller or self.seller
        try:
            self.rows = self.store.set_score(seller, prospect, field, value)
        except Exception as exc:
            self.message.value = look.message(f"Not saved: {exc}", look.BAD)
            return
        row = next((r for r in rows_of(self.rows, seller) if r.key == ProspectRow(seller, prospect, "").key), None)
        if row is not None and row.key in self.fit_labels:
            self._render_fit(row)
        label = SCORE_COLUMNS[field]
        self.message.value = look.message(
            f"Saved: {label} of {prospect!r} is {value if value else 'blank'}.", look.OK)

    def add(self, name: str, category: str) -> bool:
        """Add a new prospect to the selected seller's list; refused when blank, already on a
        list, over the limit, or (TARGET/EXTRA) a spending client."""
        name = " ".join(str(name).split())
        if not name:
            self.message.value = look.message("Type the prospect's name first.", look.WARN)
            return False
        probe = ProspectRow(self.seller, name, "").key[1]
        for r in self.rows:
            if r.key[1] == probe:
                where = "this list" if r.key[0] == ProspectRow(self.seller, "", "").key[0] else f"{r.seller}'s list"
                how = f"as {r.category}, dropped: restore it" if r.dropped else f"as {r.category}"
                self.message.value = look.message(f"Refused: {r.prospect!r} is already on {where} ({how}).", look.BAD)
                return False
        reason = self.refusal(name, None, category)
        if reason is not None:
            self.message.value = look.message("Refused: " + reason, look.BAD)
            return False
        try:
            self.rows = self.store.add_prospect(self.seller, name, category)
        except Exception as exc:
            self.message.value = look.message(f"Not saved: {exc}", look.BAD)
            return False
        self.new_name.value = ""
        self.message.value = look.message(
            f"Saved: {name!r} added to {self.seller}'s list as {article(category)}; score it above.", look.OK)
        self._build_grid()
        return True
