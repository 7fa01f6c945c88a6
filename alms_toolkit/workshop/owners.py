"""Owner confirmation (ALMS step 7): clients billed by several sellers, who billed what,
and one button per seller to choose the owner; each choice saved at once to decisions.yml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ..money import format_money
from . import look
from .store import WorkshopStore

__all__ = ["OwnerConfirmation", "SplitClient", "SOURCE_TEXT"]

#: where the owner shown comes from -> what the consultant reads
SOURCE_TEXT = {
    "decision": "confirmed",
    "account list": "owner on today's account list",
    "largest billing": "suggested: largest billing, not confirmed",
    "only seller": "only seller",
}


@dataclass
class SplitClient:
    client_key: str
    client: str
    sellers: list[tuple[str, int, float]]  # (seller, billing micros, share)
    owner: str
    source: str  # decision / account list / largest billing
    #: the owner and source the audit gave before any confirmation saved here (for undo)
    suggested: tuple[str, str] = ("", "")

    @property
    def confirmed(self) -> bool:
        return self.source == "decision"

    @property
    def billing(self) -> int:
        return sum(b for _s, b, _x in self.sellers)


def split_clients_of(split: pd.DataFrame, accounts: pd.DataFrame) -> list[SplitClient]:
    """One :class:`SplitClient` per client of the audit's ``split_clients``, largest first."""
    source = dict(zip(accounts["client_key"], accounts["owner_source"], strict=True))
    out: list[SplitClient] = []
    for key, g in split.groupby("client_key", sort=False):
        g = g.sort_values(["billing", "seller"], ascending=[False, True])
        out.append(SplitClient(
            client_key=str(key), client=str(g["client"].iloc[0]),
            sellers=[(str(s), int(b), float(x)) for s, b, x in zip(g["seller"], g["billing"], g["share"], strict=True)],
            owner=str(g["owner"].iloc[0]), source=str(source.get(key, "largest billing")),
        ))
        c = out[-1]
        # what the audit gives without a confirmation: its own owner, unless that was one
        c.suggested = (c.owner, c.source) if c.source != "decision" else (c.sellers[0][0], "largest billing")
    return sorted(out, key=lambda c: (-c.billing, c.client))


class OwnerConfirmation:
    """The owner-confirmation widget, from the audit's ``split_clients`` and ``accounts``."""

    def __init__(self, split: pd.DataFrame, accounts: pd.DataFrame, store: WorkshopStore,
                 currency: str = "$", *, spellings: Mapping[str, list[str]] | None = None,
                 undecided: Mapping[str, tuple[str, str]] | None = None) -> None:
        """``spellings``: client_key -> every raw spelling (a confirmation saved under any is
        taken back with Unconfirm); ``undecided``: client_key -> (owner, source) without any
        decision (engine.undecided_owners), what Unconfirm falls back to."""
        self.store = store
        self.currency = currency
        self.spellings = dict(spellings or {})
        self.clients = split_clients_of(split, accounts)
        for c in self.clients:
            if undecided and c.client_key in undecided:
                c.suggested = undecided[c.client_key]
        saved = store.decisions()
        for c in self.clients:  # the file is the truth (saved since the audit ran)
            owner = saved.owner_of(c.client)
            if owner is not None and owner in {s for s, _b, _x in c.sellers}:
                c.owner, c.source = owner, "decision"
        self.progress_text = widgets.HTML()
        self.message = widgets.HTML()
        self.find = widgets.Text(placeholder="Find a client", layout=widgets.Layout(width="240px"))
        self.find.observe(lambda _c: self._filter(), names="value")
        self.rows: dict[str, widgets.HBox] = {}
        self.buttons: dict[str, list[widgets.Button]] = {}
        self.undo_buttons: dict[str, widgets.Button] = {}
        self.status: dict[str, widgets.HTML] = {}
        rows = []
        for c in self.clients:
            name = widgets.HTML(
                f'<div style="{look.FONT}"><b>{look.esc(c.client)}</b><br>'
                f'<span style="color:#5f6368">{look.esc(format_money(c.billing, currency))} in 12 months</span></div>',
                layout=widgets.Layout(width="250px", min_width="200px"))
            buttons = []
            for seller, billing, share in c.sellers:
                b = widgets.Button(
                    description=f"{seller} \u00b7 {format_money(billing, currency, cents=False)} ({share * 100:.0f}%)",
                    tooltip=f"Make {seller} the owner of {c.client}",
                    layout=widgets.Layout(width="auto", flex="0 0 auto"))  # never squeezed to "B..."
                b.on_click(lambda _b, c=c, seller=seller: self.confirm(c.client_key, seller))
                buttons.append(b)
            self.buttons[c.client_key] = buttons
            self.status[c.client_key] = widgets.HTML(layout=widgets.Layout(width="auto"))
            undo = widgets.Button(description="Unconfirm", icon="undo", tooltip="Take the confirmation back",
                                  layout=widgets.Layout(width="auto"))
            undo.on_click(lambda _b, c=c: self.unconfirm(c.client_key))
            self.undo_buttons[c.client_key] = undo
            rows.append(self.rows.setdefault(c.client_key, widgets.HBox(
                [name, widgets.HBox(buttons, layout=widgets.Layout(flex_flow="row wrap", grid_gap="4px",
                                                                   flex="1 1 260px")),
                 widgets.HBox([self.status[c.client_key], undo],
                              layout=widgets.Layout(align_items="center", grid_gap="6px", flex="0 0 auto"))],
                layout=widgets.Layout(align_items="center", border_bottom="1px solid #e5e7eb", flex_flow="row wrap",
                                      padding="4px 0", grid_gap="10px", flex="0 0 auto"))))
        if not self.clients:
            body: list[widgets.Widget] = [widgets.HTML(look.message(
                "Every client was billed by one seller only: no owner to confirm.", look.OK))]
        else:
            # the message right above the list: seen next to the rows clicked, not under a scroll box
            body = [self.progress_text, *([self.find] if len(self.clients) > 5 else []), self.message,
                    widgets.VBox(rows, layout=widgets.Layout(max_height="460px", overflow="auto"))]
        self.box = widgets.VBox([
            widgets.HTML(look.title(
                "Owner confirmation",
                "Clients billed by several sellers in the last 12 months. Click the seller who owns "
                "the client: the choice is saved and every later audit run uses it.")),
            *body,
        ], layout=widgets.Layout(width="100%", max_width="980px"))
        self.box.add_class(look.BOX_CLASS)  # the workshop's styles (look.STYLE)
        for c in self.clients:
            self._render(c)
        self._render_progress()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)

    @property
    def n_confirmed(self) -> int:
        return sum(c.confirmed for c in self.clients)

    def _render_progress(self) -> None:
        from ..analysis.owners import owner_counts

        counts = owner_counts(c.source for c in self.clients)  # counted as the report counts them
        self.progress_text.value = (
            f'<div style="{look.FONT}"><b>{counts.confirmed} of {counts.total} confirmed</b>'
            f' \u00b7 {counts.from_list} take the owner on today\'s account list'
            f' \u00b7 <b>{counts.suggested} to confirm</b> (the seller who billed most)</div>'
        )

    def _render(self, c: SplitClient) -> None:
        for b, (seller, _billing, _share) in zip(self.buttons[c.client_key], c.sellers, strict=True):
            if seller == c.owner:
                b.button_style = "success" if c.confirmed else "info"
                b.icon = "check" if c.confirmed else "user"
            else:
                b.button_style = ""
                b.icon = ""
        kind = look.OK if c.confirmed else look.WARN if c.source == "largest billing" else look.INFO
        self.status[c.client_key].value = look.chip(SOURCE_TEXT.get(c.source, c.source), kind)
        self.undo_buttons[c.client_key].disabled = not c.confirmed

    def _filter(self) -> None:
        """Show only the clients whose name holds the text typed in Find."""
        wanted = " ".join(str(self.find.value).split()).casefold()
        for c in self.clients:
            self.rows[c.client_key].layout.display = "" if not wanted or wanted in c.client.casefold() else "none"

    def client(self, client_key: str) -> SplitClient:
        return next(c for c in self.clients if c.client_key == client_key)

    def confirm(self, client_key: str, seller: str) -> None:
        """Save ``seller`` as the owner of the client (by its display name)."""
        c = self.client(client_key)
        try:
            self.store.confirm_owner(c.client, seller)
        except Exception as exc:
            self.message.value = look.message(f"Not saved: {exc}", look.BAD)
            return
        c.owner, c.source = seller, "decision"
        self.message.value = look.message(
            f"Saved to {self.store.decisions_path.name}: {c.client} belongs to {seller}.", look.OK)
        self._render(c)
        self._render_progress()

    def unconfirm(self, client_key: str) -> None:
        """Take back the confirmed owner of the client: unconfirmed again."""
        c = self.client(client_key)
        if not c.confirmed:
            return
        try:
            self.store.unconfirm_owner(c.client, self.spellings.get(c.client_key, ()))
        except Exception as exc:
            self.message.value = look.message(f"Not saved: {exc}", look.BAD)
            return
        c.owner, c.source = c.suggested
        self.message.value = look.message(
            f"Confirmation taken back: {c.client} is unconfirmed; the audit gives it to {c.owner} "
            f"({SOURCE_TEXT.get(c.source, c.source)}).", look.OK)
        self._render(c)
        self._render_progress()
