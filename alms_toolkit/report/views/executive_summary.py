"""The report's one-page executive summary, as the outputs the notebook displays in order:
the headline, the KPI cards, how concentrated the revenue is, for a re-review what moved
(KEY billing, KEY lost, the largest lapses, the conversions), and the top actions, each
with who does it and by when."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ... import money
from . import audit_tables as tables
from . import display as show
from . import narrative as say

if TYPE_CHECKING:
    from ...analysis.compare import Comparison
    from ...engine import Audit

__all__ = ["executive_summary", "summary_cards", "top_actions", "concentration_text", "news_lines"]

#: clients named in the concentration sentence and lapses named in the news
TOP_CLIENTS = 10
LAPSES_NAMED = 3


def summary_cards(audit: Audit) -> show.Html:
    """The four headline cards; amounts in the cards' one abbreviation rule, the exact cut-off
    in its note."""
    t, cur = audit.tiers, audit.config.branding.currency
    counts = tables.symptom_counts(audit)
    cutoff = money.format_money_short(t.cutoff, cur) if t.cutoff is not None else "none"
    cutoff_note = (f"12-month billing of {money.format_money(t.cutoff, cur)} or more"
                   if t.cutoff is not None else "no spending client")
    return show.kpi_cards([
        ("KEY cut-off", cutoff, cutoff_note),
        ("KEY accounts", f"{t.n_key:,} of {t.n_clients:,}", f"{say.percent(t.key_revenue_share)} of revenue"),
        say.symptom_card(counts.found, counts.assessed, counts.total),
        ("Revenue, 12 months", money.format_money_short(t.revenue_total, cur),
         f"{money.format_money(t.revenue_total, cur)} from {say.plural(t.n_clients, 'spending client')}"),
    ])


def concentration_text(audit: Audit) -> str:
    """The largest client's and the top ten's share of revenue, and the seller holding the
    most KEY billing."""
    t = audit.tiers
    spending = audit.accounts[audit.accounts["billing"] > 0].sort_values("rank")
    if not len(spending) or not t.revenue_total:
        return ""
    top = spending.head(TOP_CLIENTS)
    sellers = audit.sellers
    key_total = int(sellers["billing_key"].sum()) if len(sellers) else 0
    lead = None
    if key_total and len(sellers) > 1:
        row = sellers.loc[sellers["billing_key"].idxmax()]
        lead = (str(row["seller"]), money.ratio(int(row["billing_key"]), key_total))
    return say.concentration(
        largest=str(spending.iloc[0]["client"]), largest_share=money.ratio(int(spending.iloc[0]["billing"]),
                                                                           t.revenue_total),
        n_top=len(top), top_share=money.ratio(money.total(top["billing"]), t.revenue_total),
        n_clients=t.n_clients, n_sellers=len(sellers), key_sellers_max=lead,
    )


def news_lines(audit: Audit, comparison: Comparison | None) -> list[str]:
    """A re-review's news, one line each (nothing without an earlier review)."""
    if comparison is None:
        return []
    aims = comparison.overall
    lost = tables.key_accounts_lost(comparison)
    largest = None
    if len(lost):
        top = lost.iloc[0]
        largest = (str(top["name"]), int(top["billing_then"]), str(top["now"]))
    # the news since the review: the clients that lapsed since (not those already LAPSED then)
    m = comparison.movements
    already = set(m.loc[(m["before"] == "LAPSED") & (m["now"] == "LAPSED") & (m["client_key"] != ""), "client_key"])
    lapsed = audit.lapsed[~audit.lapsed["client_key"].isin(already)].sort_values(
        "previous_billing", ascending=False, kind="stable")
    lapses = [(str(r.client), int(r.previous_billing), str(r.last_seller) if not pd.isna(r.last_seller) else "no seller")
              for r in lapsed.head(LAPSES_NAMED).itertuples(index=False)]
    grown = tables.grown_into_key(comparison)
    targets = grown[grown["before"] == "TARGET"]
    return say.review_news(
        as_of_then=comparison.as_of_then, n_key_continuing=aims.n_key_continuing,
        key_billing_then=aims.key_billing_then, key_billing_now=aims.key_billing_now, key_growth=aims.key_growth,
        n_key_lost=aims.n_key_lost, key_lost_billing_then=aims.key_lost_billing_then, largest_lost=largest,
        lapses=lapses, n_lapsed=len(lapsed), n_secondary_to_key=aims.n_secondary_to_key,
        targets_to_key=[(str(r.name), int(r.billing_now)) for r in targets.itertuples(index=False)],
        currency=audit.config.branding.currency,
    )


def _issue_sellers(audit: Audit) -> list[str]:
    """The sellers the prospect list's issues fall to (an issue on two lists names both)."""
    known = {str(s) for s in audit.prospects["seller"].dropna()} | {str(s) for s in audit.sellers["seller"]}
    out: list[str] = []
    for seller in audit.prospect_issues["seller"].dropna().astype(str):
        out += [seller] if seller in known else [s for s in seller.split(", ") if s in known]
    return out


def top_actions(audit: Audit) -> pd.DataFrame:
    """The top actions as a table: action, who, by when."""
    counts = tables.symptom_counts(audit)
    _n_split, n_unconfirmed = tables.split_counts(audit)
    issues = audit.prospect_issues
    actions = say.dated_actions(
        as_of=audit.as_of,
        at_risk_sellers=list(audit.at_risk["owner"].dropna()),
        growth_sellers=list(audit.growth["owner"].dropna()),
        prospect_issue_sellers=_issue_sellers(audit),
        n_failed_symptoms=counts.found, n_unassessed_symptoms=counts.not_assessed,
        n_at_risk=len(audit.at_risk), n_growth=len(audit.growth), n_unconfirmed=n_unconfirmed,
        n_prospect_issues=len(issues), n_pending_merges=len(tables.pending_candidates(audit)),
        has_prospects=audit.config.prospects is not None, consultant=audit.config.branding.consultant,
    )
    return pd.DataFrame({"action": [a.text for a in actions], "who": [a.who for a in actions],
                         "by": [a.by for a in actions]})


def executive_summary(audit: Audit, comparison: Comparison | None) -> tuple[object, ...]:
    """Everything the executive summary shows, in order."""
    t = audit.tiers
    outputs: list[object] = [
        show.paragraph(say.key_group(t.n_key, t.n_clients, t.key_revenue_share), "lead"),
        summary_cards(audit),
        show.paragraph(concentration_text(audit)),
    ]
    news = news_lines(audit, comparison)
    if news:
        outputs += [show.subheading("Since the last review"), show.paragraph(news[0]),
                    show.bullet_list(news[1:])]
    if audit.accepted_checks:
        outputs.append(show.callout(say.accepted_checks(audit.accepted_checks), "Checks accepted knowingly"))
    hierarchy = getattr(audit.inputs, "hierarchy", None)
    if hierarchy is not None and hierarchy.proposed:  # branches seen, client.yml silent: say so first
        outputs.append(show.callout(tables.hierarchy_note(audit), "Branches of a group: not rolled up yet"))
    outputs += [
        show.subheading("Top actions"),
        show.table(top_actions(audit), {"action": "Action", "who": "Who", "by": "By when"}, max_rows=None,
                   keep_together=True),
    ]
    return tuple(outputs)
