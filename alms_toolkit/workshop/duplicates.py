"""Duplicate review (ALMS step 2): the fuzzy candidate pairs, one at a time, with both
spellings, what each billed and the match score; Accept / Reject / Skip, each decision
saved at once to decisions.yml; progress "3 of 16 reviewed".

The pairs come largest value at stake first (the billing of the smaller spelling: the
money that moves if they are combined), so a short session settles the pairs that change
the lists most. What a reader cannot see is said in words beside a spelling (a trailing
space, a non-breaking space) and over the pair (they differ only in capital letters or
accents). Find narrows the pairs to a name; "Accept all above a score" accepts many after
a preview of exactly what it will accept (a reject is never replaced); "Undo last
decision" takes back this session's decisions one by one, latest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import pandas as pd

from ..analysis.combine import LIKE_ONE_OF_SEVERAL, SAME_NAME_DIFFERENT_IDS
from ..date_text import day_text
from ..money import format_money
from ..spelling_text import INVISIBLE, difference_text, plain_text, spelling_notes, visible_spelling
from . import look
from .store import MergeChange, WorkshopStore, plan_accepts

__all__ = ["DuplicateReview", "Pair", "STATUS_TEXT", "Step", "by_value_at_stake"]

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
    status: str  # pending / accepted / rejected / auto-accepted / refused
    #: combined automatically by the audit (its score at or above matching.auto_accept)
    auto: bool = False
    #: the client ids of each side ("" without), and the candidate's kind ("fuzzy", or one
    #: name under different client ids: two clients unless the consultant combines them)
    ids_a: str = ""
    ids_b: str = ""
    kind: str = "fuzzy"

    @property
    def different_ids(self) -> bool:
        """One name written under different client ids: never part of a batch accept."""
        return self.kind == SAME_NAME_DIFFERENT_IDS

    @property
    def decide_alone(self) -> bool:
        """Never part of a batch accept: one name under different ids, or a name like one of
        several clients by id (accepting it with each would combine them)."""
        return self.kind in (SAME_NAME_DIFFERENT_IDS, LIKE_ONE_OF_SEVERAL)

    @property
    def ids_text(self) -> str:
        """'client IDs 1001 and 2044' for a same-name pair with different ids, else ''."""
        if not self.different_ids:
            return ""
        return f"client IDs {self.ids_a or 'none'} and {self.ids_b or 'none'}"

    @property
    def reviewed(self) -> bool:
        return self.status != "pending"

    @property
    def at_stake(self) -> int:
        """The billing of the smaller spelling (micros): the money that moves if combined."""
        return min(self.billing_a, self.billing_b)

    @property
    def hidden(self) -> str:
        """'differ only in capital letters', or '' (:func:`~alms_toolkit.spelling_text.difference_text`)."""
        return difference_text(self.name_a, self.name_b)


def _text(value: object) -> str:
    """A candidate's optional text cell ('' for a missing value)."""
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def by_value_at_stake(pairs: list[Pair]) -> list[Pair]:
    """The pairs largest value at stake first; then the higher score, then by name."""
    return sorted(pairs, key=lambda p: (-p.at_stake, -p.score, p.name_a, p.name_b))


@dataclass
class Step:
    """One decision of this session, as :meth:`DuplicateReview.undo_last` takes it back: a
    single accept, reject or cleared decision, or a batch of accepts."""

    what: str  # "the accept of 'A' / 'B'", "the 4 accepts above 95"
    changes: list[MergeChange] = field(default_factory=list)


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
                                   int(r.billing_a), int(r.billing_b), status, auto=str(r.status) == "auto-accepted",
                                   ids_a=_text(getattr(r, "ids_a", "")), ids_b=_text(getattr(r, "ids_b", "")),
                                   kind=_text(getattr(r, "kind", "")) or "fuzzy"))
        self.pairs = by_value_at_stake(self.pairs)
        #: this session's decisions, latest last (what Undo last decision takes back)
        self.history: list[Step] = []
        #: the pairs Find shows (indexes into :attr:`pairs`), all when nothing is typed
        self.shown: list[int] = list(range(len(self.pairs)))
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
        self.undo_button = widgets.Button(description="Clear this decision", icon="eraser",
                                          tooltip="Make the pair shown pending again", **button)
        self.undo_last_button = widgets.Button(description="Undo last decision", icon="undo",
                                               tooltip="Take back the last decision of this session", **button)
        self.accept_button.on_click(lambda _b: self.decide("accept"))
        self.reject_button.on_click(lambda _b: self.decide("reject"))
        self.skip_button.on_click(lambda _b: self.skip())
        self.back_button.on_click(lambda _b: self.back())
        self.undo_button.on_click(lambda _b: self.undo())
        self.undo_last_button.on_click(lambda _b: self.undo_last())
        self.message = widgets.HTML()
        self.find = widgets.Text(placeholder="Find a spelling", layout=widgets.Layout(width="240px"))
        self.find_note = widgets.HTML()
        self.find.observe(lambda _c: self._apply_find(), names="value")
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
                                   "the preview lists exactly the pairs it will accept. A reject is never "
                                   "replaced, and a pair a reject forbids is left, as one by one.")),
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
                    "later audit run; rejected pairs stay two clients. Largest value at stake first: "
                    "the billing of the smaller spelling, the money that moves if they are combined.")),
                widgets.HBox([self.progress, self.progress_text],
                             layout=widgets.Layout(align_items="center")),
                widgets.HBox([self.find, self.find_note], layout=widgets.Layout(align_items="center")),
                self.heading,
                self.pair_html,
                widgets.HBox([self.accept_button, self.reject_button, self.skip_button,
                              self.back_button, self.undo_button, self.undo_last_button],
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

    def _name_cell(self, name: str) -> str:
        """A spelling as a reader can tell it apart: hidden characters shown as spaces and
        what cannot be seen said in words beside it."""
        notes = spelling_notes(name)
        if not notes:
            return look.esc(name)
        shown = INVISIBLE.sub(" ", name.strip())
        return (f"{look.esc(shown)}<span style=\"color:#7a4f01;font-size:12px;font-weight:normal\"> "
                f"({look.esc('with ' + ' and '.join(notes))})</span>")

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
        hidden = look.chip(f"the two spellings {p.hidden}", look.WARN) if p.hidden else ""
        score_chip = (look.chip(f"one name under {p.ids_text}: two clients unless you combine them", look.WARN)
                      if p.different_ids else look.chip(f"match score {p.score:.1f} of 100"))
        self.heading.value = (
            f'<div style="{look.FONT}margin-top:6px">Pair {self.position + 1} of {len(self.pairs)} '
            f'&nbsp; {look.chip("at stake " + format_money(p.at_stake, self.currency))}'
            f'{score_chip}'
            f'{look.chip(STATUS_TEXT[p.status], _KIND.get(p.status, look.INFO))}{hidden}</div>'
        )
        total = p.billing_a + p.billing_b
        cell = 'style="padding:4px 12px 4px 0;white-space:nowrap;color:#3c4043"'
        heads = ["", "Client name as written", "12-month billing", "Last billed", "Sellers", "Client id", "Rows"]
        body = ""
        for label, name, billing in (("Spelling A", p.name_a, p.billing_a), ("Spelling B", p.name_b, p.billing_b)):
            fact = self._facts(name)
            body += (
                f'<tr><td style="color:#5f6368;padding:4px 12px 4px 10px;white-space:nowrap">{look.esc(label)}</td>'
                f'<td style="font-size:15px;font-weight:600;padding:4px 16px 4px 0;word-break:break-word;'
                f'white-space:pre-wrap">{self._name_cell(name)}</td>'
                f'<td style="text-align:right;padding:4px 12px 4px 0;white-space:nowrap">'
                f'{look.esc(format_money(billing, self.currency))}</td>'
                + "".join(f"<td {cell}>{look.esc(v)}</td>" for v in fact) + "</tr>")
        muted = 'style="color:#5f6368;padding-top:4px"'
        body += (f'<tr><td></td><td {muted}>Together, if combined</td>'
                 f'<td style="text-align:right;border-top:1px solid #d0d7de;padding:4px 12px 4px 0;white-space:nowrap">'
                 f'{look.esc(format_money(total, self.currency))}</td><td colspan="4"></td></tr>'
                 f'<tr><td></td><td {muted}>At stake (the smaller billing)</td>'
                 f'<td style="text-align:right;padding:4px 12px 4px 0;white-space:nowrap">'
                 f'{look.esc(format_money(p.at_stake, self.currency))}</td><td colspan="4"></td></tr>')
        head = "".join(
            f'<th style="text-align:{"right" if i == 2 else "left"};color:#5f6368;font-weight:normal;'
            f'padding:4px 12px 0 {"10px" if i == 0 else "0"}">{look.esc(h)}</th>' for i, h in enumerate(heads))
        self.pair_html.value = (
            f'<div style="overflow-x:auto;max-width:100%"><table style="{look.FONT}border-collapse:collapse;'
            f'font-variant-numeric:tabular-nums;margin:6px 0 8px 0;border:1px solid #d0d7de;border-radius:6px">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )
        self.undo_button.disabled = p.status not in ("accepted", "rejected", "refused")
        order = self._order()
        self.back_button.disabled = self.position not in order or order.index(self.position) == 0
        self.undo_last_button.disabled = not self.history
        self.undo_last_button.tooltip = (f"Take back {self.history[-1].what}" if self.history
                                         else "No decision taken in this session yet")
        shown = [self.pairs[i] for i in order]
        self.overview.value = look.kv_table(
            ["#", "Spelling A", "Spelling B", "At stake", "Score", "Decision", "Hard to see"],
            [[str(self.pairs.index(q) + 1), visible_spelling(q.name_a), visible_spelling(q.name_b),
              format_money(q.at_stake, self.currency), f"{q.score:.1f}", STATUS_TEXT[q.status],
              "; ".join(x for x in (q.hidden, q.ids_text) if x)]
             for q in shown],
            numeric=[0, 3, 4], max_height=260,
        )

    def _facts(self, name: str) -> tuple[str, str, str, str]:
        """Last billed, sellers, client ids and rows of a spelling ("" when unknown)."""
        if self.facts is None or name not in self.facts.index:
            return ("", "", "", "")
        f = self.facts.loc[name]
        last = f["last_billed"]
        return (day_text(last) if hasattr(last, "isoformat") and pd.notna(last) else "", str(f["sellers"]), str(f["client_ids"]),
                f"{int(f['n_rows']):,}")

    # ----------------------------------------------------------------- find
    def _order(self) -> list[int]:
        """The pairs stepped through and listed: those Find shows, or all when nothing is
        typed or nothing matches."""
        return self.shown or list(range(len(self.pairs)))

    def _apply_find(self) -> None:
        """Show only the pairs with a spelling holding the text typed (capital letters,
        accents and extra spaces ignored), the first one not decided yet shown."""
        wanted = plain_text(self.find.value)
        typed = " ".join(str(self.find.value).split())
        self.shown = [i for i, p in enumerate(self.pairs)
                      if wanted in plain_text(p.name_a) or wanted in plain_text(p.name_b)]
        if not wanted:
            self.find_note.value = ""
        elif self.shown:
            n = len(self.shown)
            self.find_note.value = look.note(
                f"\u00a0{n} of {len(self.pairs)} pair{'s' if len(self.pairs) != 1 else ''} "
                f"{'has' if n == 1 else 'have'} a spelling with \u201c{typed}\u201d")
            nxt = self._next_pending(-1)
            self.position = nxt if nxt is not None else self.shown[0]
        else:
            self.find_note.value = look.message(
                f"No pair has a spelling with \u201c{typed}\u201d: all pairs shown.", look.WARN)
        self._render()

    # ----------------------------------------------------------------- actions
    def _clear_preview(self) -> None:
        self._previewed = []
        self.bulk_button.disabled = True
        self.bulk_button.description = "Accept these"
        self.bulk_list.value = ""

    def preview(self) -> list[Pair]:
        """The pairs the batch accept will accept: not decided yet, a score at least the one
        set, largest value at stake first, checked against the decisions saved now (a pair
        rejected meanwhile, or one a reject forbids, is listed apart and not accepted)."""
        floor = float(self.bulk_score.value)
        high = [p for p in self.pairs if p.status == "pending" and p.score >= floor]
        wanted = [p for p in high if not p.decide_alone]
        _new, accepted, left = plan_accepts(self.store.decisions(), [(p.name_a, p.name_b) for p in wanted],
                                            self.store.group_of)
        left = list(left) + [(p.name_a, p.name_b,
                              f"one name under {p.ids_text}: decide it on its own" if p.different_ids
                              else "like a name under several client ids: decide it on its own")
                             for p in high if p.decide_alone]
        ok = set(accepted)
        self._previewed = [p for p in wanted if (p.name_a, p.name_b) in ok]
        n = len(self._previewed)
        self.bulk_button.disabled = not self._previewed
        self.bulk_button.description = f"Accept these {n}"
        if not high:
            self.bulk_list.value = look.note(f"No pair still to decide scores {floor:g} or more.")
            return self._previewed
        parts = [look.note(f"{n} pair{'s' if n != 1 else ''} will be accepted"
                           + (f"; {len(left)} left as {'they are' if len(left) != 1 else 'it is'}:" if left else "."))]
        if left:
            parts.append(look.kv_table(["Spelling A", "Spelling B", "Not accepted because"],
                                       [[visible_spelling(a), visible_spelling(b), why] for a, b, why in left]))
        if self._previewed:
            parts.append(look.kv_table(
                ["Spelling A", "Spelling B", "At stake", "Score"],
                [[visible_spelling(p.name_a), visible_spelling(p.name_b), format_money(p.at_stake, self.currency),
                  f"{p.score:.1f}"] for p in self._previewed],
                numeric=[2, 3], max_height=220))
        self.bulk_list.value = "".join(parts)
        return self._previewed

    def accept_previewed(self) -> tuple[int, list[str]]:
        """Accept the previewed pairs in one save, each checked as a single accept would be
        (a reject saved since is kept); returns how many were saved and why others were not.
        One step for Undo last decision."""
        pairs = [(p.name_a, p.name_b) for p in self._previewed]
        try:
            _saved, accepted, left = self.store.accept_merges(pairs)
        except Exception as exc:  # shown to the consultant, nothing half-saved
            self.message.value = look.message(f"Not saved: {exc}", look.BAD)
            return 0, []
        n = len(accepted)
        if accepted:
            self.history.append(Step(f"the {n} accept{'s' if n != 1 else ''} above a score of "
                                     f"{float(self.bulk_score.value):g}",
                                     [MergeChange(a, b, None, None, "accept") for a, b in accepted]))
        refused = [f"{a} / {b}: {why}." for a, b, why in left]
        text = f"Saved to {self.store.decisions_path.name}: {n} pair{'s' if n != 1 else ''} accepted."
        if refused:
            text += " Not accepted: " + " ".join(refused)
        self.message.value = look.message(text, look.WARN if refused else look.OK)
        self._clear_preview()
        self._refresh()
        if self.pairs[self.position].reviewed:
            self._advance()
        self._render()
        return n, refused

    def _refresh(self) -> None:
        """Every pair's status from decisions.yml as saved now (the file is the truth)."""
        saved = self.store.decisions()
        refused = {frozenset(pair) for pair, _clash in self.store.refused_accepts()}
        for p in self.pairs:
            d = saved.merge_decision(p.name_a, p.name_b)
            if d == "accept":
                p.status = "refused" if frozenset((p.name_a, p.name_b)) in refused else "accepted"
            elif d == "reject":
                p.status = "rejected"
            else:
                p.status = "auto-accepted" if p.auto else "pending"

    def _next_pending(self, after: int) -> int | None:
        """The next pair not decided yet after index ``after``, among those Find shows."""
        order = self._order()
        if not order:
            return None
        start = next((k for k, i in enumerate(order) if i > after), len(order)) - 1
        for step in range(1, len(order) + 1):
            i = order[(start + step) % len(order)]
            if not self.pairs[i].reviewed:
                return i
        return None

    def _advance(self) -> None:
        nxt = self._next_pending(self.position)
        order = self._order()
        if nxt is not None:
            self.position = nxt
        elif self.position in order and order.index(self.position) < len(order) - 1:
            self.position = order[order.index(self.position) + 1]

    def decide(self, decision: str) -> None:
        """Save ``accept`` or ``reject`` for the pair shown, then show the next pending pair."""
        p = self.current
        if p is None:
            return
        before = self.store.decisions()
        try:
            after = self.store.decide_merge(p.name_a, p.name_b, decision)
        except Exception as exc:  # shown to the consultant, nothing half-saved
            self.message.value = look.message(f"Not saved: {exc}", look.BAD)
            return
        word = "accept" if decision == "accept" else "reject"
        self.history.append(Step(f"the {word} of {p.name_a!r} / {p.name_b!r}",
                                 [c for c in MergeChange.between(before, after)
                                  if {c.name_a, c.name_b} == {p.name_a, p.name_b}]))
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
        self._refresh()
        self.message.value = look.message(text, kind)
        self._advance()
        self._render()

    def skip(self) -> None:
        """Leave the pair undecided and show the next pending one."""
        self.message.value = ""
        nxt = self._next_pending(self.position)
        order = self._order()
        if nxt is not None and nxt != self.position:
            self.position = nxt
        elif self.position in order and order.index(self.position) < len(order) - 1:
            self.position = order[order.index(self.position) + 1]
        self._render()

    def back(self) -> None:
        """Show the previous pair (of those Find shows)."""
        order = self._order()
        k = order.index(self.position) if self.position in order else 0
        if k > 0:
            self.position = order[k - 1]
            self.message.value = ""
            self._render()

    def undo(self) -> None:
        """Remove the saved decision about the pair shown (it is pending again); Undo last
        decision can put it back."""
        p = self.current
        if p is None or p.status not in ("accepted", "rejected", "refused"):
            return
        g = self.store.group_of
        before = self.store.decisions()
        try:
            after = self.store.undo_merge(p.name_a, p.name_b)
        except Exception as exc:  # shown to the consultant, nothing half-saved
            self.message.value = look.message(f"Not saved: {exc}", look.BAD)
            return
        self.history.append(Step(f"the clearing of {p.name_a!r} / {p.name_b!r}",
                                 [c for c in MergeChange.between(before, after)
                                  if {g(c.name_a), g(c.name_b)} == {g(p.name_a), g(p.name_b)}]))
        self._refresh()
        self.message.value = look.message(f"Decision removed: {p.name_a!r} / {p.name_b!r} is pending again.")
        self._render()

    def undo_last(self) -> None:
        """Take back the last decision of this session in decisions.yml (each pair gets what
        was saved before it, a pair decided for the first time is pending again) and show
        that pair; again goes further back."""
        if not self.history:
            return
        step = self.history[-1]
        try:
            _saved, kept = self.store.put_back_merges(step.changes)
        except Exception as exc:  # shown to the consultant, nothing half-saved
            self.message.value = look.message(f"Not undone: {exc}", look.BAD)
            return
        self.history.pop()
        self._refresh()
        text = f"Taken back: {step.what}."
        if kept:
            text += (" Decided again since, so kept as it is now: "
                     + "; ".join(f"{c.name_a!r} / {c.name_b!r}" for c in kept) + ".")
        touched = [i for i, q in enumerate(self.pairs)
                   if any({q.name_a, q.name_b} == {c.name_a, c.name_b} for c in step.changes)]
        if touched:
            self.position = touched[0]
            if self.shown and touched[0] not in self.shown:  # show it even if Find hid it
                self.find.value = ""
                self.position = touched[0]
        self.message.value = look.message(text, look.WARN if kept else look.INFO)
        self._render()
