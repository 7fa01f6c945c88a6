"""Duplicate review (ALMS step 2): the fuzzy candidate pairs, one at a time, with both
spellings, what each billed and the match score; Accept / Reject / Skip, each decision
saved at once to decisions.yml; progress "3 of 16 reviewed".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ..date_text import day_text
from ..money import format_money
from . import look
from .store import WorkshopStore

__all__ = ["DuplicateReview", "Pair", "STATUS_TEXT"]

#: candidate status -> what the consultant reads
STATUS_TEXT = {
    "pending": "not decided yet",
    "accepted": "accepted: combined into one client",
    "rejected": "rejected: kept as two clients",
    "auto-accepted": "combined automatically (score at or above matching.auto_accept)",
    "refused": "accepted, but not combined: it would join two spellings you rejected",
}
_KIND = {"pending": look.WARN, "accepted": look.OK, "rejected": look.INFO, "auto-accepted": look.OK,
         "refused": look.BAD}


@dataclass
class Pair:
    name_a: str
    name_b: str
    score: float
    billing_a: int
    billing_b: int
    status: str  # pending / accepted / rejected / auto-accepted

    @property
    def reviewed(self) -> bool:
        return self.status != "pending"


class DuplicateReview:
    """The duplicate-review widget. ``candidates``: the audit's ``combination.candidates``
    (``name_a``, ``name_b``, ``score``, ``billing_a``, ``billing_b``, ``status``)."""

    def __init__(self, candidates: pd.DataFrame, store: WorkshopStore, currency: str = "$",
                 facts: pd.DataFrame | None = None) -> None:
        self.store = store
        self.currency = currency
        #: what the ledger says about each spelling (analysis.combine.spelling_facts), shown beside it
        self.facts = facts
        saved = store.decisions()
        self.pairs: list[Pair] = []
        for r in candidates.itertuples(index=False):
            status = str(r.status)
            decided = saved.merge_decision(str(r.name_a), str(r.name_b))
            if decided is not None and not (decided == "accept" and status == "refused"):
                status = "accepted" if decided == "accept" else "rejected"  # the file is the truth
            self.pairs.append(Pair(str(r.name_a), str(r.name_b), float(r.score),
                                   int(r.billing_a), int(r.billing_b), status))
        first = self._next_pending(-1)
        self.position = first if first is not None else 0

        self.heading = widgets.HTML()
        self.progress = widgets.IntProgress(min=0, max=max(len(self.pairs), 1),
                                            layout=widgets.Layout(width="260px"))
        self.progress_text = widgets.HTML()
        self.pair_html = widgets.HTML(layout=widgets.Layout(width="100%"))
        button = {"layout": widgets.Layout(width="auto", min_width="96px")}
        self.accept_button = widgets.Button(description="Accept: same client", button_style="success",
                                            icon="check", tooltip="Combine the two spellings", **button)
        self.reject_button = widgets.Button(description="Reject: different", button_style="danger",
                                            icon="times", tooltip="Keep them as two clients", **button)
        self.skip_button = widgets.Button(description="Skip", tooltip="Decide later", **button)
        self.back_button = widgets.Button(description="Previous", icon="arrow-left", **button)
        self.undo_button = widgets.Button(description="Undo decision", icon="undo",
                                          tooltip="Make this pair pending again", **button)
        self.accept_button.on_click(lambda _b: self.decide("accept"))
        self.reject_button.on_click(lambda _b: self.decide("reject"))
        self.skip_button.on_click(lambda _b: self.skip())
        self.back_button.on_click(lambda _b: self.back())
        self.undo_button.on_click(lambda _b: self.undo())
        self.message = widgets.HTML()
        # accept every pending pair scoring at least N, after a preview
        self.bulk_score = widgets.BoundedFloatText(value=95.0, min=50.0, max=100.0, step=0.5,
                                                   description="Score at least", style={"description_width": "96px"},
                                                   layout=widgets.Layout(width="190px"))
        self.preview_button = widgets.Button(description="Preview", icon="eye", layout=widgets.Layout(width="auto"))
        self.bulk_button = widgets.Button(description="Accept these", icon="check", button_style="success",
                                          disabled=True, layout=widgets.Layout(width="auto"))
        self.bulk_list = widgets.HTML()
        self.preview_button.on_click(lambda _b: self.preview())
        self.bulk_button.on_click(lambda _b: self.accept_previewed())
        self.bulk_score.observe(lambda _c: self._clear_preview(), names="value")
        self._previewed: list[Pair] = []
        self.bulk_box = widgets.Accordion(children=[widgets.VBox([
            widgets.HTML(look.note("Accept every pair not decided yet whose match score is at least this; "
                                   "preview them first. A pair a reject forbids is refused, as one by one.")),
            widgets.HBox([self.bulk_score, self.preview_button, self.bulk_button],
                         layout=widgets.Layout(flex_flow="row wrap", grid_gap="6px", align_items="center")),
            self.bulk_list])], titles=("Accept all above a score",))
        self.bulk_box.selected_index = None
        self.overview = widgets.HTML()
        self.overview_box = widgets.Accordion(children=[self.overview], titles=("All pairs",))
        self.overview_box.selected_index = None

        if not self.pairs:
            self.box = widgets.VBox([widgets.HTML(look.title("Duplicate review")), widgets.HTML(look.message(
                "No possible duplicates to review: no two client names are close enough to be "
                "the same client written differently.", look.OK))])
        else:
            self.box = widgets.VBox([
                widgets.HTML(look.title(
                    "Duplicate review",
                    "Are these two spellings the same client? Accepted pairs are combined in every "
                    "later audit run; rejected pairs stay two clients.")),
                widgets.HBox([self.progress, self.progress_text],
                             layout=widgets.Layout(align_items="center")),
                self.heading,
                self.pair_html,
                widgets.HBox([self.accept_button, self.reject_button, self.skip_button,
                              self.back_button, self.undo_button],
                             layout=widgets.Layout(flex_flow="row wrap", grid_gap="6px")),
                self.message,
                self.bulk_box,
                self.overview_box,
            ], layout=widgets.Layout(width="100%", max_width="980px"))
        self.box.add_class(look.BOX_CLASS)  # the workshop's styles (look.STYLE)
        self._render()

    # ----------------------------------------------------------------- display
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)

    @property
    def n_reviewed(self) -> int:
        return sum(p.reviewed for p in self.pairs)

    @property
    def progress_label(self) -> str:
        """'3 of 16 reviewed'."""
        return f"{self.n_reviewed} of {len(self.pairs)} reviewed"

    @property
    def current(self) -> Pair | None:
        return self.pairs[self.position] if self.pairs else None

    def _render(self) -> None:
        if not self.pairs:
            return
        p = self.pairs[self.position]
        self.progress.value = self.n_reviewed
        left = len(self.pairs) - self.n_reviewed
        done = " \u2014 all pairs decided" if left == 0 else f" \u00b7 {left} to go"
        self.progress_text.value = (
            f'<span style="{look.FONT}padding-left:10px"><b>{look.esc(self.progress_label)}</b>{done}</span>'
        )
        self.heading.value = (
            f'<div style="{look.FONT}margin-top:6px">Pair {self.position + 1} of {len(self.pairs)} '
            f'&nbsp; {look.chip(f"match score {p.score:.1f} of 100")}'
            f'{look.chip(STATUS_TEXT[p.status], _KIND.get(p.status, look.INFO))}</div>'
        )
        total = p.billing_a + p.billing_b
        cell = 'style="padding:4px 12px 4px 0;white-space:nowrap;color:#3c4043"'
        heads = ["", "Client name as written", "12-month billing", "Last billed", "Sellers", "Client id", "Rows"]
        body = ""
        for label, name, billing in (("Spelling A", p.name_a, p.billing_a), ("Spelling B", p.name_b, p.billing_b)):
            fact = self._facts(name)
            body += (
                f'<tr><td style="color:#5f6368;padding:4px 12px 4px 10px;white-space:nowrap">{look.esc(label)}</td>'
                f'<td style="font-size:15px;font-weight:600;padding:4px 16px 4px 0;word-break:break-word">{look.esc(name)}</td>'
                f'<td style="text-align:right;padding:4px 12px 4px 0;white-space:nowrap">'
                f'{look.esc(format_money(billing, self.currency))}</td>'
                + "".join(f"<td {cell}>{look.esc(v)}</td>" for v in fact) + "</tr>")
        body += (f'<tr><td></td><td style="color:#5f6368;padding-top:4px">Together, if combined</td>'
                 f'<td style="text-align:right;border-top:1px solid #d0d7de;padding:4px 12px 4px 0;white-space:nowrap">'
                 f'{look.esc(format_money(total, self.currency))}</td><td colspan="4"></td></tr>')
        head = "".join(
            f'<th style="text-align:{"right" if i == 2 else "left"};color:#5f6368;font-weight:normal;'
            f'padding:4px 12px 0 {"10px" if i == 0 else "0"}">{look.esc(h)}</th>' for i, h in enumerate(heads))
        self.pair_html.value = (
            f'<div style="overflow-x:auto;max-width:100%"><table style="{look.FONT}border-collapse:collapse;'
            f'font-variant-numeric:tabular-nums;margin:6px 0 8px 0;border:1px solid #d0d7de;border-radius:6px">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )
        self.undo_button.disabled = p.status not in ("accepted", "rejected", "refused")
        self.back_button.disabled = self.position == 0
        self.overview.value = look.kv_table(
            ["#", "Spelling A", "Spelling B", "Score", "Decision"],
            [[str(i + 1), q.name_a, q.name_b, f"{q.score:.1f}", STATUS_TEXT[q.status]]
             for i, q in enumerate(self.pairs)],
            numeric=[0, 3], max_height=260,
        )

    def _facts(self, name: str) -> tuple[str, str, str, str]:
        """Last billed, sellers, client ids and rows of a spelling ("" when unknown)."""
        if self.facts is None or name not in self.facts.index:
            return ("", "", "", "")
        f = self.facts.loc[name]
        last = f["last_billed"]
        return (day_text(last) if hasattr(last, "isoformat") and pd.notna(last) else "", str(f["sellers"]), str(f["client_ids"]),
                f"{int(f['n_rows']):,}")

    # ----------------------------------------------------------------- actions
    def _clear_preview(self) -> None:
        self._previewed = []
        self.bulk_button.disabled = True
        self.bulk_list.value = ""

    def preview(self) -> list[Pair]:
        """The pairs not decided yet with a score at least the one set, listed before accepting."""
        floor = float(self.bulk_score.value)
        self._previewed = [p for p in self.pairs if p.status == "pending" and p.score >= floor]
        self.bulk_button.disabled = not self._previewed
        self.bulk_button.description = f"Accept these {len(self._previewed)}"
        self.bulk_list.value = look.kv_table(
            ["Spelling A", "Spelling B", "Score"], [[p.name_a, p.name_b, f"{p.score:.1f}"] for p in self._previewed],
            numeric=[2], max_height=220) if self._previewed else look.note(
            f"No pair still to decide scores {floor:g} or more.")
        return self._previewed

    def accept_previewed(self) -> tuple[int, list[str]]:
        """Accept the previewed pairs, one by one (each checked as a single accept would be);
        returns how many were saved and why others were refused."""
        saved, refused = 0, []
        for p in self._previewed:
            try:
                self.store.decide_merge(p.name_a, p.name_b, "accept")
            except Exception as exc:  # a reject forbids it: said, nothing half-saved
                refused.append(f"{p.name_a} / {p.name_b}: {exc}")
                continue
            p.status = "accepted"
            saved += 1
        text = f"Saved to {self.store.decisions_path.name}: {saved} pair{'s' if saved != 1 else ''} accepted."
        if refused:
            text += " Refused: " + " ".join(refused)
        self.message.value = look.message(text, look.BAD if refused else look.OK)
        self._clear_preview()
        self._render()
        return saved, refused

    def _next_pending(self, after: int) -> int | None:
        n = len(self.pairs)
        for step in range(1, n + 1):
            i = (after + step) % n
            if not self.pairs[i].reviewed:
                return i
        return None

    def _advance(self) -> None:
        nxt = self._next_pending(self.position)
        if nxt is not None:
            self.position = nxt
        elif self.position < len(self.pairs) - 1:
            self.position += 1

    def decide(self, decision: str) -> None:
        """Save ``accept`` or ``reject`` for the pair shown, then show the next pending pair."""
        p = self.current
        if p is None:
            return
        try:
            self.store.decide_merge(p.name_a, p.name_b, decision)
        except Exception as exc:  # shown to the consultant, nothing half-saved
            self.message.value = look.message(f"Not saved: {exc}", look.BAD)
            return
        p.status = "accepted" if decision == "accept" else "rejected"
        what = "will be combined" if decision == "accept" else "stay two clients"
        text = (f"Saved to {self.store.decisions_path.name}: {p.name_a!r} and {p.name_b!r} {what} "
                "(re-run the audit to see the effect on the lists).")
        kind = look.OK
        if decision == "reject":  # a reject wins: say which saved accepts it cancels
            cancelled = [f"{x!r} with {y!r}" for (x, y), clash in self.store.refused_accepts()
                         if set(clash) == {p.name_a, p.name_b}]
            if cancelled:
                text += (" A reject wins, so the accept of " + "; ".join(cancelled) + " will not be made: "
                         "undo it, or this reject, to settle it.")
                kind = look.WARN
                for q in self.pairs:
                    if any(f"{q.name_a!r} with {q.name_b!r}" == c or f"{q.name_b!r} with {q.name_a!r}" == c
                           for c in cancelled):
                        q.status = "refused"
        self.message.value = look.message(text, kind)
        self._advance()
        self._render()

    def skip(self) -> None:
        """Leave the pair undecided and show the next pending one."""
        self.message.value = ""
        nxt = self._next_pending(self.position)
        if nxt is not None and nxt != self.position:
            self.position = nxt
        elif self.position < len(self.pairs) - 1:
            self.position += 1
        self._render()

    def back(self) -> None:
        """Show the previous pair."""
        if self.position > 0:
            self.position -= 1
            self.message.value = ""
            self._render()

    def undo(self) -> None:
        """Remove the saved decision about the pair shown (it is pending again)."""
        p = self.current
        if p is None or p.status not in ("accepted", "rejected", "refused"):
            return
        try:
            self.store.undo_merge(p.name_a, p.name_b)
        except Exception as exc:  # shown to the consultant, nothing half-saved
            self.message.value = look.message(f"Not saved: {exc}", look.BAD)
            return
        p.status = "pending"
        self.message.value = look.message(f"Decision removed: {p.name_a!r} / {p.name_b!r} is pending again.")
        self._render()
