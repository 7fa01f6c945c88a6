"""One client's workshop: the audit, the store and the four widgets, or, without a live
frontend, the static summaries of what is still to decide.

Live or static (``interactive``): ``True`` / ``False`` force it; ``None`` (the notebook's
default) means live when the kernel was started for an open notebook by a Jupyter server
(JupyterLab, Notebook 7: the server sets ``JPY_SESSION_NAME`` in the kernel's environment)
or by VS Code, and static otherwise (papermill and nbclient set neither).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from ..date_text import day_text

__all__ = ["Workshop", "has_live_frontend"]


def has_live_frontend(environ: dict[str, str] | None = None) -> bool:
    """True when this kernel serves an open notebook (JupyterLab, Notebook 7, VS Code)."""
    env = os.environ if environ is None else environ
    return bool(env.get("JPY_SESSION_NAME") or env.get("VSCODE_PID"))


class Workshop:
    """Open the workshop on a client folder: runs the audit once and builds each part on
    demand (:meth:`duplicates`, :meth:`owners`, :meth:`cutoff`, :meth:`sellers`)."""

    def __init__(
        self,
        client_dir: Path | str,
        as_of: dt.date | str | None = None,
        interactive: bool | None = None,
        by: str | None = None,
    ) -> None:
        from ..engine import audit
        from .store import WorkshopStore

        self.audit = audit(client_dir, as_of=as_of)
        #: ``by``: who decides, stamped on every decision (else $ALMS_CONSULTANT, else the OS user)
        auto = self.audit.combination.auto_group
        from ..analysis.names import canonical_name

        self.store = WorkshopStore(self.audit.config, by=by,
                                   group_of=lambda name: auto.get(name) or canonical_name(name))
        self.interactive = has_live_frontend() if interactive is None else bool(interactive)

    @property
    def currency(self) -> str:
        return self.audit.config.branding.currency

    def header(self) -> Any:
        """A line naming the client, the audit date and where decisions are saved."""
        from ..report.views import display as show
        from . import look

        a = self.audit
        mode = ("Decisions are saved as you click" if self.interactive else
                "Static summary (no live notebook): open this notebook in JupyterLab to decide")
        return show.paragraph(
            f"{a.config.client}: audit as of {day_text(a.as_of)}, {a.tiers.n_clients:,} spending "
            f"clients. {mode}, to {self.store.decisions_path.name} and "
            f"{self.store.prospects_path.name} in {self.store.folder}, as {self.store.by}; "
            f"every earlier version is kept in .history/.") + show.paragraph(self.store.today().text()) + (
            show.Html(look.STYLE) if self.interactive else show.styles(a.config.branding.accent_color))

    def duplicates(self) -> Any:
        from . import static
        from .duplicates import DuplicateReview

        if not self.interactive:
            return static.duplicates_summary(self.audit, self.store)
        from ..analysis.combine import spelling_facts

        facts = spelling_facts(self.audit.loaded.ledger, self.audit.loaded.earlier)
        return DuplicateReview(self.audit.combination.candidates, self.store, self.currency, facts=facts)

    def owners(self) -> Any:
        from . import static
        from .owners import OwnerConfirmation

        if not self.interactive:
            return static.owners_summary(self.audit, self.store)
        from ..engine import undecided_owners

        spellings: dict[str, list[str]] = {}
        for raw, key in self.audit.combination.client_of.items():
            spellings.setdefault(key, []).append(raw)
        return OwnerConfirmation(self.audit.split_clients, self.audit.accounts, self.store, self.currency,
                                 spellings=spellings, undecided=undecided_owners(self.audit))

    def cutoff(self) -> Any:
        from . import static
        from .cutoff import CutoffExplorer

        if not self.interactive:
            return static.cutoff_summary(self.audit, self.store)
        return CutoffExplorer(self.audit.combination.clients, self.store, self.audit.key_share,
                              self.currency, self.audit.config.branding.accent_color)

    def sellers(self) -> Any:
        from . import static
        from .sellers import SellerWorkshop

        if not self.interactive:
            return static.sellers_summary(self.audit, self.store)
        a = self.audit
        return SellerWorkshop(
            a.seller_accounts, a.accounts, a.combination.client_of, self.store,
            limits=a.config.limits, weights=a.config.fit_weights,
            sellers=[s for s in a.sellers["seller"].astype(str)], currency=self.currency)
