"""Cut-off explorer (ALMS steps 3-5): a slider over key_share (10%-40%) that recomputes the
tiers and redraws the Pareto chart, with the KEY count, the cut-off and the KEY share of
revenue; a button writes the chosen share to client.yml, only after a confirmation.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import pandas as pd

from ..analysis.tiers import Tiers, assign_tiers
from ..money import format_money
from ..report.charts.figures import figure_to_png, pareto_chart
from . import look
from .store import WorkshopStore

__all__ = ["CutoffExplorer", "SHARE_MIN", "SHARE_MAX", "SHARE_STEP"]

SHARE_MIN, SHARE_MAX, SHARE_STEP = 0.10, 0.40, 0.01


class CutoffExplorer:
    """The cut-off explorer. ``clients``: the audit's ``combination.clients``
    (``client_key``, ``client``, ``billing`` in micros); ``key_share``: the share in use."""

    def __init__(self, clients: pd.DataFrame, store: WorkshopStore, key_share: float,
                 currency: str = "$", accent: str | None = None) -> None:
        self.clients = clients
        self.store = store
        self.currency = currency
        self.accent = accent
        self.saved_share = store.saved_key_share()
        start = min(max(round(float(key_share), 2), SHARE_MIN), SHARE_MAX)
        self.slider = widgets.FloatSlider(
            value=start, min=SHARE_MIN, max=SHARE_MAX, step=SHARE_STEP,
            description="KEY share", readout_format=".0%", continuous_update=False,
            style={"description_width": "80px"}, layout=widgets.Layout(width="420px"))
        self.figures = widgets.HTML()
        self.chart = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="760px"))
        self.saved_text = widgets.HTML()
        self.save_button = widgets.Button(description="Save to client.yml\u2026", icon="save",
                                          layout=widgets.Layout(width="auto"))
        self.undo_button = widgets.Button(description="Undo", icon="undo", tooltip="Put the previous share back",
                                          layout=widgets.Layout(width="auto", display="none"))
        self.undo_button.on_click(lambda _b: self.undo())
        self._previous: float | None = None
        self.confirm_text = widgets.HTML()
        self.yes_button = widgets.Button(description="Yes, write it", button_style="warning",
                                         layout=widgets.Layout(width="auto"))
        self.cancel_button = widgets.Button(description="Cancel", layout=widgets.Layout(width="auto"))
        self.confirm_box = widgets.HBox([self.confirm_text, self.yes_button, self.cancel_button],
                                        layout=widgets.Layout(display="none", align_items="center",
                                                              grid_gap="8px"))
        self.message = widgets.HTML()
        self.save_button.on_click(lambda _b: self.ask_to_save())
        self.yes_button.on_click(lambda _b: self.save())
        self.cancel_button.on_click(lambda _b: self.cancel())
        self.slider.observe(lambda _change: self.redraw(), names="value")
        self.tiers: Tiers | None = None
        self.box = widgets.VBox([
            widgets.HTML(look.title(
                "Cut-off explorer",
                "Move the slider to see how many clients would be KEY, the billing they need "
                "and their share of revenue. Nothing is saved until you confirm.")),
            widgets.HBox([self.slider, self.saved_text], layout=widgets.Layout(align_items="center",
                                                                                grid_gap="12px")),
            self.figures,
            self.chart,
            widgets.HBox([self.save_button, self.undo_button], layout=widgets.Layout(margin="4px 0", grid_gap="6px")),
            self.confirm_box,
            self.message,
        ], layout=widgets.Layout(width="100%", max_width="980px"))
        self.box.add_class(look.BOX_CLASS)  # the workshop's styles (look.STYLE)
        self.redraw()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.box._repr_mimebundle_(**kwargs)

    @property
    def share(self) -> float:
        return round(float(self.slider.value), 2)

    def redraw(self) -> None:
        """Recompute the tiers at the slider's share; update the figures and the chart."""
        t = assign_tiers(self.clients, f"{self.share:.2f}")
        self.tiers = t
        if t.n_clients == 0 or t.cutoff is None:
            self.figures.value = look.message("No client spent money in the 12-month window.", look.WARN)
        else:
            ties = (f"{t.n_ties_at_cutoff} tied at the cut-off, so {t.n_key} instead of {t.n_key_nominal}"
                    if t.n_ties_at_cutoff else "no ties at the cut-off")
            self.figures.value = look.card([
                ("KEY accounts", f"{t.n_key:,} of {t.n_clients:,}"),
                ("KEY cut-off (12-month billing)", format_money(t.cutoff, self.currency, cents=False)),
                ("KEY share of revenue", f"{t.key_revenue_share * 100:.1f}%"),
                ("SECONDARY accounts", f"{t.n_secondary:,}"),
            ]) + look.note(f"Top {self.share * 100:.0f}% of {t.n_clients:,} spending clients; {ties}.")
        fig = pareto_chart(
            t.pareto, t.n_key / t.n_clients if t.n_clients else 0.0, t.n_key, t.key_revenue_share,
            currency=self.currency, cutoff=t.cutoff, accent=self.accent)
        self.chart.value = figure_to_png(fig, dpi=110)
        self._render_saved()

    def _render_saved(self) -> None:
        same = abs(self.saved_share - self.share) < 1e-9
        self.saved_text.value = look.chip(
            f"client.yml: {self.saved_share * 100:.0f}%" + (" (shown)" if same else ""),
            look.OK if same else look.INFO)
        self.save_button.description = f"Save {self.share * 100:.0f}% to client.yml\u2026"
        self.save_button.disabled = same

    def ask_to_save(self) -> None:
        """Show the confirmation (nothing is written yet)."""
        self.confirm_text.value = (
            f'<span style="{look.FONT}">Write <code>key_share: {self.share:.2f}</code> to client.yml? '
            f"Every later audit run will use it (now {self.saved_share:.2f}).</span>")
        self.confirm_box.layout.display = "flex"

    def cancel(self) -> None:
        self.confirm_box.layout.display = "none"

    def _write(self, share: float) -> bool:
        """Write ``share`` to client.yml; False (and why) when it could not be saved."""
        try:
            self.store.save_key_share(share)
        except Exception as exc:  # shown to the consultant, nothing half-saved
            self.message.value = look.message(f"Not saved: {exc}", look.BAD)
            return False
        self.saved_share = self.store.saved_key_share()
        return True

    def save(self) -> None:
        """Write the slider's share to client.yml (called by the confirmation's Yes)."""
        self.confirm_box.layout.display = "none"
        previous = self.saved_share
        if not self._write(self.share):
            return
        self._previous = previous
        self.undo_button.description = f"Undo: back to {previous * 100:.0f}%"
        self.undo_button.layout.display = ""
        self.message.value = look.message(
            f"Saved: client.yml now says key_share: {self.share:.2f} (every earlier version is kept in "
            f".history/). Re-run the audit to rebuild the lists.", look.OK)
        self._render_saved()

    def undo(self) -> None:
        """Put client.yml's KEY share back to what it was before the last save."""
        if self._previous is None or not self._write(self._previous):
            return
        self.message.value = look.message(
            f"Undone: client.yml says key_share: {self.saved_share:.2f} again.", look.OK)
        self._previous = None
        self.undo_button.layout.display = "none"
        self._render_saved()
