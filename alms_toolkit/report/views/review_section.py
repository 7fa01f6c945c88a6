"""The report's "What moved since the last review" section (a re-review, ALMS step 13), as
the outputs the notebook displays in order: nothing at all without an earlier review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...money import format_money, format_money_short
from . import audit_tables as tables
from . import display as show
from . import narrative as say

if TYPE_CHECKING:
    from ...analysis.compare import Comparison
    from ...engine import Audit

__all__ = ["review_outputs"]

_FULL = "the full list is in manager/master_list.xlsx (its column Category at the review)"


def review_outputs(audit: Audit, comparison: Comparison | None) -> tuple[object, ...]:
    """The section's heading, narrative, KPI cards and tables (empty without a comparison);
    where each account moved is one table with its totals (no chart repeating its figures)."""
    if comparison is None:
        return ()
    c, cur = comparison, audit.config.branding.currency
    aims = c.overall

    def cutoff(value: int | None) -> str:
        return format_money_short(value, cur) if value is not None else "none"

    then = f"the review of {say.day(c.as_of_then)}" if c.as_of_then else "the earlier review"
    migration = tables.migration_table(c)
    return (
        show.Html("<h2>What moved since the last review</h2>"),
        show.paragraph(say.review_comparison(
            as_of_then=c.as_of_then, cutoff_then=c.cutoff_then, cutoff_now=c.cutoff_now,
            cutoff_change=c.cutoff_change, n_key_then=aims.n_key_then, n_key_continuing=aims.n_key_continuing,
            key_billing_then=aims.key_billing_then, key_billing_now=aims.key_billing_now,
            key_growth=aims.key_growth, n_key_lost=aims.n_key_lost, key_lost_billing_then=aims.key_lost_billing_then,
            n_secondary_to_key=aims.n_secondary_to_key, n_targets_then=aims.n_targets_then,
            n_target_to_key=aims.n_target_to_key, n_new_clients=c.n_new_clients(), currency=cur,
            **tables.moved_by_cutoff(c),
        )),
        show.kpi_cards([
            ("KEY cut-off now", cutoff(c.cutoff_now),
             f"{format_money(c.cutoff_then, cur) if c.cutoff_then is not None else 'none'} at {then}"),
            ("KEY billing growth", say.percent(aims.key_growth) if aims.key_growth is not None else "n/a",
             f"{say.plural(aims.n_key_continuing, 'account')} KEY then and now"),
            ("KEY attrition", f"{aims.n_key_lost:,} of {aims.n_key_then:,}",
             f"{format_money(aims.key_lost_billing_then, cur)} billed then"),
            ("Grown into KEY", f"{aims.n_secondary_to_key + aims.n_target_to_key:,}",
             f"{aims.n_secondary_to_key:,} SECONDARY, {aims.n_target_to_key:,} TARGET"),
        ]),
        show.paragraph(say.review_lapsed(**tables.review_lapsed_counts(c))),
        show.bullet_list(c.definitions().values()),
        show.table(
            migration, {"before": "Then \u2192 now", **{col: col for col in migration.columns if col != "before"}},
            integer=[col for col in migration.columns if col != "before"], max_rows=None, keep_together=True,
            title="Where each account moved: rows are the category then, columns the category now",
        ),
        show.table(
            c.aims_table(),
            {"seller": "Seller", "n_key_then": "KEY then", "key_growth": "KEY billing growth",
             "n_key_lost": "KEY lost", "key_lost_billing_then": "Lost KEY billing then",
             "n_secondary_to_key": "SECONDARY \u2192 KEY", "n_target_to_key": "TARGET \u2192 KEY"},
            integer=["n_key_then", "n_key_lost", "n_secondary_to_key", "n_target_to_key"],
            percent=["key_growth"], money=["key_billing_then", "key_lost_billing_then"], currency=cur,
            max_rows=None,
            title="The four aims, seller by seller (sellers as listed at the last review)",
        ),
        show.table(
            tables.key_accounts_lost(c),
            {"name": "Client", "owner_then": "Seller then", "now": "Now", "billing_then": "Billing then",
             "billing_now": "Billing now", "why": "Why"},
            money=["billing_then", "billing_now"], currency=cur, max_rows=10, more=_FULL,
            empty="No KEY account was lost.",
            title="KEY accounts lost since the last review",
        ),
        show.table(
            tables.grown_into_key(c),
            {"name": "Client", "owner_then": "Seller then", "before": "Then", "billing_then": "Billing then",
             "billing_now": "Billing now", "why": "Why"},
            money=["billing_then", "billing_now"], currency=cur, max_rows=10, more=_FULL,
            empty="No account grew into KEY.",
            title="Accounts grown into KEY",
        ),
    )

