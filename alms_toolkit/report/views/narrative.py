"""Sentences for a client's sales manager, generated from the audit's figures.

Each function takes figures (numbers, small frames) and returns plain text: no HTML (the
display layer escapes it), no jargon, numbers rounded the way a manager reads them
("Your top 125 clients, 25% of 500, bring 76% of revenue.").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from ...analysis.owners import OwnerCounts

from ...count_words import agree, plural
from ...date_text import day_text
from ...money import format_money

__all__ = [
    "percent",
    "plural",
    "join_words",
    "unresolved_decisions",
    "next_review_date",
    "key_group",
    "cutoff",
    "symptoms",
    "symptom_card",
    "listing",
    "duplicates",
    "merge_log",
    "tiers",
    "sellers",
    "split_clients",
    "prospects",
    "growth",
    "at_risk",
    "lapsed",
    "accepted_checks",
    "reconciliation",
    "revenue_tie",
    "merge_reason",
    "next_steps",
    "review_comparison",
    "review_lapsed",
    "Action",
    "day",
    "dated_actions",
    "concentration",
    "review_news",
]


def percent(share: float) -> str:
    """0.7612 -> '76%'; below 10% one decimal is kept ('4.5%'); 0 -> '0%'."""
    value = float(share) * 100
    if value == 0:
        return "0%"
    if abs(value) < 10:
        return f"{value:.1f}%".replace(".0%", "%")
    return f"{value:.0f}%"


def join_words(items: Sequence[str]) -> str:
    """['a'] -> 'a'; ['a', 'b'] -> 'a and b'; ['a', 'b', 'c'] -> 'a, b and c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def next_review_date(as_of: dt.date, months: int) -> dt.date:
    """The date ``months`` calendar months after ``as_of`` (clamped to the month's end)."""
    from ...io.window import months_before

    return months_before(as_of, -months)


def key_group(n_key: int, n_clients: int, key_revenue_share: float) -> str:
    """'Your top 125 clients, 25% of 500, bring 76% of revenue.'"""
    if n_clients == 0:
        return "No client billed anything in the last 12 months, so there is no KEY group yet."
    if n_key == 1:
        return (f"Your top client, {percent(1 / n_clients)} of {n_clients:,}, "
                f"brings {percent(key_revenue_share)} of revenue.")
    return (
        f"Your top {plural(n_key, 'client')}, {percent(n_key / n_clients)} of {n_clients:,}, "
        f"bring {percent(key_revenue_share)} of revenue."
    )


def cutoff(cutoff_micros: int, n_key: int, n_key_nominal: int, n_ties: int, key_share: float,
           currency: str = "$") -> str:
    """Explain the KEY cut-off, and the ties that widened the group if any."""
    text = (
        f"A client is KEY when it billed at least {format_money(cutoff_micros, currency)} in the "
        f"last 12 months: the billing of the client ranked {n_key_nominal:,}, the top "
        f"{percent(key_share)} of spending clients. The cut-off is the same for every seller."
    )
    extra = n_key - n_key_nominal
    if extra > 0:
        text += (
            f" {plural(n_ties, 'client')} billed exactly the cut-off, which adds "
            f"{plural(extra, 'client')} to the KEY group."
        )
    return text


def symptoms(statuses: Iterable[tuple[str, str]]) -> str:
    """From (title, status) pairs: how many symptoms were assessed, found and not assessed.
    A symptom not assessed is never read as absent: with none assessed, the list's health
    is said to be unknown."""
    statuses = list(statuses)
    failed = [t.lower() for t, s in statuses if s == "fail"]
    passed = [t.lower() for t, s in statuses if s == "pass"]
    unknown = [t.lower() for t, s in statuses if s == "not assessed"]
    n, n_assessed = len(statuses), len(failed) + len(passed)
    if n == 0:
        return "No symptom of the current list was assessed."
    if n_assessed == 0:
        lead = (f"None of the {n} symptoms that call for an ALMS review could be assessed" if n > 1
                else "The symptom that calls for an ALMS review could not be assessed")
        return (
            f"{lead}: neither the current account list nor a prospects file was provided, so "
            "nothing is known yet about the list the sellers use. That is not a sign of a healthy list."
        )
    of = (f"the {n} symptoms that call for an ALMS review" if n_assessed == n
          else f"the {n_assessed} symptoms assessed")
    if failed and n_assessed == 1:
        text = f"The only symptom assessed, {failed[0]}, is present."
    elif failed:
        text = f"{len(failed)} of {of} {agree(len(failed), 'is', 'are')} present: {join_words(failed)}."
    elif n_assessed == n:
        text = "None of the symptoms that call for an ALMS review was found in the current list."
    else:
        text = (
            f"Of the {n_assessed} symptoms assessed, none was found ({join_words(passed)})."
            if n_assessed > 1 else f"The only symptom assessed, {passed[0]}, was not found."
        )
    if unknown:
        text += (
            f" {len(unknown)} of the {n} could not be assessed for lack of data, so the list is "
            f"not known to be free of {agree(len(unknown), 'it', 'them')}: {join_words(unknown)}."
        )
    return text


def symptom_card(found: int, assessed: int, total: int) -> tuple[str, str, str]:
    """The executive summary's symptoms card, (label, value, note): symptoms found of those
    assessed, and how many were not assessed; with none assessed, it says so."""
    not_assessed = total - assessed
    if total and assessed == 0:
        return ("Symptoms assessed", f"0 of {total}", "inputs missing: the current list was not checked")
    if not_assessed:
        return ("Symptoms found", f"{found} of {assessed}",
                f"{assessed} of {total} assessed, {not_assessed} not (input missing)")
    return ("Symptoms found", f"{found} of {total}", "signs the list needs this review")


def listing(n_clients: int, n_spending: int, revenue_total: int, window_start: dt.date | None,
            window_end: dt.date | None, currency: str = "$") -> str:
    """The top-down listing's opening sentence."""
    if window_start is not None and window_end is not None:
        last_day = window_end - dt.timedelta(days=1)
        period = f"from {day(window_start)} to {day(last_day)}"
    else:
        period = "in the 12-month totals provided"
    text = (
        f"{plural(n_spending, 'client')} billed {format_money(revenue_total, currency)} "
        f"net {period}. Every one of them is listed once, by billing, highest first."
    )
    other = n_clients - n_spending
    if other > 0:
        text += (
            f" {plural(other, 'more client')} netted zero or less (credits at least equal to "
            f"charges); {agree(other, 'it is', 'they are')} in accounts.csv and the master list, not counted "
            "as spending and not in this table."
        )
    return text


def duplicates(n_names: int, n_clients: int, n_pending: int, *, n_grouped: int, n_grouped_names: int) -> str:
    """How many spellings were combined into how many clients: ``n_grouped`` clients were
    written in several ways, ``n_grouped_names`` spellings in all (the merge log's count)."""
    if n_grouped <= 0:
        text = (f"Each of the {n_clients:,} client names is a different client: nothing had to be combined."
                if n_clients != 1 else "The ledger names one client: nothing had to be combined.")
    else:
        text = (
            f"The ledger names {plural(n_clients, 'client')} in {n_names:,} ways: "
            f"{plural(n_grouped, 'client')} {agree(n_grouped, 'was', 'were')} written in several ways "
            f"({plural(n_grouped_names, 'spelling')} in all), each now combined under one name. "
            "Every merge is listed in merge_log.csv, the first ones in the appendix."
        )
    if n_pending:
        text += (
            f" {plural(n_pending, 'more possible duplicate')} "
            f"{agree(n_pending, 'awaits', 'await')} your decision; until then they are kept apart."
        )
    return text


def merge_log(n_grouped: int, n_grouped_names: int) -> str:
    """The merge log appendix's sentence: the same two figures as the duplicates page."""
    if not n_grouped:
        return "No names were combined. Every name is listed in merge_log.csv."
    return (f"{plural(n_grouped_names, 'spelling')} of {plural(n_grouped, 'client')} were combined, each client "
            "under one name. Every name, combined or not, is listed in merge_log.csv.")


def tiers(n_key: int, n_secondary: int, key_revenue: int, revenue_total: int,
          currency: str = "$") -> str:
    """KEY against SECONDARY in count and revenue."""
    if revenue_total <= 0:
        return "There is no revenue in the window to split between KEY and SECONDARY."
    sec_rev = revenue_total - key_revenue
    return (
        f"{plural(n_key, 'KEY account')} {agree(n_key, 'brings', 'bring')} {format_money(key_revenue, currency)} "
        f"({percent(key_revenue / revenue_total)}); the {plural(n_secondary, 'SECONDARY account')} "
        f"{agree(n_secondary, 'brings', 'bring')} {format_money(sec_rev, currency)} ({percent(sec_rev / revenue_total)}). "
        "SECONDARY accounts are needed but needy: they take seller time out of proportion to "
        "what they bill."
    )


def sellers(table: pd.DataFrame) -> str:
    """From the per-seller frame (seller, n_key, n_secondary, billing, secondary_share)."""
    if table.empty:
        return "The ledger names no seller, so no per-seller lists could be made."
    n = len(table)
    top = table.sort_values("billing", ascending=False, kind="stable").iloc[0]
    drain = table.sort_values("secondary_share", ascending=False, kind="stable").iloc[0]
    if n == 1:
        return (f"{top['seller']} holds the whole list: {plural(int(top['n_key']), 'KEY account')} and "
                f"{plural(int(top['n_secondary']), 'SECONDARY account')}.")
    text = (
        f"{plural(n, 'seller')} share the list. {top['seller']} holds the most revenue "
        f"({plural(int(top['n_key']), 'KEY account')})."
    )
    share = float(drain["secondary_share"])
    heaviest = [str(s) for s, v in zip(table["seller"], table["secondary_share"], strict=True) if float(v) == share]
    # the heaviest named only when some list is lighter (three lists at 75% are alike, none is the most)
    if n > 1 and share > 0 and len(heaviest) < n:
        if len(heaviest) == 1:
            text += (f" {heaviest[0]}'s list is the most SECONDARY-heavy: {percent(share)} of their accounts "
                     "are SECONDARY.")
        else:
            text += (f" The lists of {join_words(heaviest)} are the most SECONDARY-heavy: {percent(share)} of "
                     "each list's accounts are SECONDARY.")
    return text


def split_clients(counts: OwnerCounts) -> str:
    """Clients billed by several sellers: how each owner was settled (the same counts as
    the workshop's owner confirmation) and how many are still to confirm."""
    n = counts.total
    if n == 0:
        return "Every client was billed by one seller only, so each owner is clear."
    ways = [(counts.confirmed, "to the owner you confirmed"),
            (counts.from_list, "to the owner on today's account list"),
            (counts.suggested, f"to the seller who billed {agree(counts.suggested, 'it', 'them')} "
                               "most, not confirmed yet")]
    given = [(k, way) for k, way in ways if k]
    # one way for all of them: no count in front of it ("given 1 to the owner ..." misreads)
    parts = [way for _, way in given] if len(given) == 1 else [f"{k:,} {way}" for k, way in given]
    text = (f"{plural(n, 'client')} {agree(n, 'was', 'were')} billed by more than one seller; "
            f"{agree(n, 'it is', 'they are')} given {join_words(parts)}.")
    if counts.suggested:
        text += f" Please confirm the owner of {plural(counts.suggested, 'client')}."
    return text


def prospects(n_targets: int, n_extras: int, n_leads: int, n_sellers: int, n_issues: int,
              provided: bool, n_target_clients: int = 0, n_targets_new: int | None = None) -> str:
    """Targets and extras on the list, and whether the Challenge's rules are met."""
    if not provided:
        return (
            "No prospect list was provided, so this report holds no new-business TARGETs or EXTRAs "
            "yet. In the Challenge each seller picks 5 to 10 TARGETs and 5 to 10 EXTRAs, chosen on spending "
            "potential, access to the decision maker and product fit."
        )
    text = (
        f"The prospect list holds {plural(n_targets, 'TARGET')}, {plural(n_extras, 'EXTRA')} and "
        f"{plural(n_leads, 'LEAD')} across {plural(n_sellers, 'seller')}."
    )
    if n_targets_new is not None and n_targets_new != n_targets:
        twice = n_targets - n_target_clients - n_targets_new
        parts = []
        if n_target_clients:
            parts.append(f"{n_target_clients:,} {agree(n_target_clients, 'is', 'are')} already "
                         f"{agree(n_target_clients, 'a client', 'clients')}")
        if twice:
            parts.append(f"{plural(twice, 'repeats a target', 'repeat targets')} of another seller")
        text += (f" {n_targets_new:,} of the TARGETs {agree(n_targets_new, 'is', 'are')} new business "
                 f"({join_words(parts)}): the count the "
                 "master list and the review's tables use.")
    if n_issues:
        text += f" {plural(n_issues, 'point needs', 'points need')} attention (below)."
    else:
        text += " Every seller's targets and extras meet the Challenge's rules."
    return text


def growth(n_growth: int, n_secondary: int, by_reason: dict[str, int], assessed: bool = True) -> str:
    """SECONDARY accounts with growth potential (``assessed`` False: the ledger could not
    show it, which is no sign that none has potential)."""
    if not assessed:
        return (
            "Growth potential was not assessed: the ledger does not hold the 12 months of dated "
            "billing it is measured on (see the note below). This says nothing about the accounts."
        )
    if n_growth == 0:
        return "No SECONDARY account shows a clear sign of growth potential (seasonal, new or rising)."
    reasons = {"seasonal": "seasonal", "new": "recently started", "rising": "rising"}
    parts = [f"{by_reason[k]:,} {reasons.get(k, k)}" for k in reasons if by_reason.get(k)]
    share = f", {percent(n_growth / n_secondary)} of SECONDARY accounts" if n_secondary else ""
    return (
        f"{plural(n_growth, 'SECONDARY account')} could grow into KEY{share} "
        f"({join_words(parts)}). Review {agree(n_growth, 'it with its seller', 'them with their sellers')} first."
    )


def at_risk(n_risk: int, n_key: int, billing_at_risk: int, currency: str = "$", assessed: bool = True,
            partial: bool = False) -> str:
    """KEY accounts at risk (``assessed`` False: the ledger has no dates to follow;
    ``partial``: some comparisons lacked history, so none found is not all clear)."""
    if not assessed:
        return (
            "KEY accounts at risk were not assessed: the ledger has no dated billing to follow "
            "month by month (see the note below)."
        )
    if n_risk == 0 and partial:
        return ("No KEY account shows stopped billing, or falling billing where the ledger allowed the "
                "comparison; some comparisons could not be made (see the note below).")
    if n_risk == 0:
        return "No KEY account shows falling or stopped billing."
    share = f" of {n_key:,}" if n_key else ""
    return (
        f"{plural(n_risk, 'KEY account')}{share} {agree(n_risk, 'is', 'are')} at risk "
        f"(falling billing or none recently), worth {format_money(billing_at_risk, currency)} "
        "over the last 12 months. Each needs a call from its seller this month."
    )


def accepted_checks(findings: Iterable[Any]) -> str:
    """The sanity checks the consultant accepted knowingly, with what each found ("" when none)."""
    found = list(findings)
    if not found:
        return ""
    items = "; ".join(f"{f.code}: {f.message}" for f in found)
    which = "this finding" if len(found) == 1 else f"these {len(found)} findings"
    return f"{items}. The consultant accepted {which} of the sanity checks; the figures in this report rest on it."


def lapsed(n_lapsed: int, previous_billing: int, currency: str = "$", assessed: bool = True) -> str:
    """Clients that billed before the window but not in it (``assessed`` False: the ledger
    holds nothing before the window, so none could be found)."""
    if not assessed:
        return (
            "Lapsed accounts were not assessed (see the note below): a client that stopped billing "
            "cannot be seen without dated billing from the 12 months before the window. Ask for a "
            "ledger reaching that far back to find them."
        )
    if n_lapsed == 0:
        return "No client stopped billing: every client of the earlier history billed in the last 12 months."
    return (
        f"{plural(n_lapsed, 'client')} billed before the last 12 months but not since "
        f"({format_money(previous_billing, currency)} earlier). "
        + ("It stays on the list alphabetically with its last seller" if n_lapsed == 1 else
           "They stay on the list alphabetically with their last seller")
        + ", ready to be won back or reassigned."
    )


_MERGE_REASONS = {
    "same id": "same client ID",
    "same canonical name": "same name, written differently",
    "accepted match": "similar name, confirmed by you",
    "auto-accepted match": "nearly identical name",
    "manual": "your decision",
    "single": "one spelling only",
    "same name, different ids": "same name under different client IDs (combined as client.yml says)",
}


def merge_reason(reason: str) -> str:
    """The merge log's reason in a sales manager's words ('same id' -> 'same client ID')."""
    return _MERGE_REASONS.get(str(reason), str(reason))


#: each reason a row is left out, as a count reads it: (one, several)
_SET_ASIDE: dict[str, tuple[str, str]] = {
    "footer": ("report note or footer", "report notes or footers"),
    "section_header": ("section heading", "section headings"),
    "aggregate": ("total or subtotal", "totals and subtotals"),
    "hidden_row": ("row hidden in the workbook", "rows hidden in the workbook"),
    "unparseable_date": ("row without a readable date", "rows without a readable date"),
    "missing_amount": ("row without an amount", "rows without an amount"),
    "unparseable_amount": ("row whose amount is not a number", "rows whose amount is not a number"),
    "outside_window": ("row dated outside the 12-month window", "rows dated outside the 12-month window"),
    "excluded_by_filter": ("row left out by billing.exclude", "rows left out by billing.exclude"),
    "blank_client": ("row without a client", "rows without a client"),
    "zero_amount": ("row of exactly 0", "rows of exactly 0"),
}


def reconciliation(rows_read: int, rows_used: int, excluded: dict[str, int]) -> str:
    """Every ledger row is used or counted under a reason."""
    text = f"Of the {plural(rows_read, 'row')} read, {rows_used:,} {agree(rows_used, 'is', 'are')} used."
    if excluded:
        parts = [f"{n:,} {agree(n, *_SET_ASIDE.get(reason, (reason.replace('_', ' '),) * 2))}"
                 for reason, n in excluded.items() if n]
        if parts:
            text += f" The others are set aside: {join_words(parts)}."
    return text + " Every amount is accounted for to the cent in the table below."


def revenue_tie(amount_used: int, revenue_total: int, n_spending: int, non_spending_total: int,
                n_non_spending: int, currency: str = "$") -> str:
    """Why the amount used can differ from the revenue printed everywhere else: the clients
    whose billing nets to zero or less are used (and listed) but not counted as revenue."""
    if amount_used == revenue_total:
        return (f"The {format_money(amount_used, currency)} used is the revenue printed throughout this report, "
                f"billed by {plural(n_spending, 'spending client')}.")
    text = (f"The {format_money(amount_used, currency)} used is the {format_money(revenue_total, currency)} of "
            f"revenue printed throughout this report, billed by {plural(n_spending, 'spending client')}, plus "
            f"{format_money(non_spending_total, currency)} netted by {plural(n_non_spending, 'NON-SPENDING client')} "
            "(credits at least equal to charges): listed, not counted as revenue.")
    rest = amount_used - revenue_total - non_spending_total
    if rest:
        text += f" The remaining {format_money(rest, currency)} belongs to no listed client."
    return text


def next_steps(as_of: dt.date, review_months: int, crm_files: Sequence[str] | None = None) -> list[str]:
    """The Challenge's steps after the audit, with the next review date. ``crm_files``: the CRMs
    whose import files the run wrote ([]: asked for, none written for want of the sellers' CRM
    users; None: none asked for, or not known)."""
    review = next_review_date(as_of, review_months)
    if crm_files:
        crm = (f"Import the official list into your CRM: the {join_words(list(crm_files))} import files are "
               "ready in the crm folder.")
    elif crm_files is not None:
        crm = ("Import the official list (accounts.csv) into your CRM. For files your CRM imports as they "
               "are, name each seller's CRM user in client.yml (alms crm-owners) and run the audit again.")
    else:
        crm = "Import the official list (accounts.csv) into your CRM."
    return [
        crm,
        "Meet each seller every week on the progress of their KEY accounts and TARGETs.",
        "Republish the lists at least once a month, keeping this review's cut-off.",
        "Have each seller fill in their revenue projection form for KEY accounts and TARGETs.",
        f"Review the whole list again on {day(review)} ({review_months} months): new cut-off, "
        "what moved since this review.",
    ]


def _change(share: float | None) -> str:
    if share is None:
        return "no comparable figure"
    if share == 0:
        return "unchanged"
    return f"{'up' if share > 0 else 'down'} {percent(abs(share))}"


def review_comparison(*, as_of_then: dt.date | None, cutoff_then: int | None, cutoff_now: int | None,
                      cutoff_change: float | None, n_key_then: int, n_key_continuing: int,
                      key_billing_then: int, key_billing_now: int, key_growth: float | None,
                      n_key_lost: int, key_lost_billing_then: int, n_secondary_to_key: int,
                      n_targets_then: int, n_target_to_key: int, n_new_clients: int,
                      currency: str = "$", n_grown_by_cutoff: int = 0, n_lost_by_cutoff: int = 0) -> str:
    """What moved since the previous review, in the order of the four aims of an ALMS.
    ``n_grown_by_cutoff`` / ``n_lost_by_cutoff``: the accounts grown into KEY (fallen from KEY
    to SECONDARY) by the cut-off's move alone, their billing on the wrong side of the old one."""
    parts = [f"Since the review of {day(as_of_then)}" if as_of_then else "Since the earlier review"]
    if cutoff_then is not None and cutoff_now is not None:
        parts[0] += (
            f", the KEY cut-off went from {format_money(cutoff_then, currency)} to "
            f"{format_money(cutoff_now, currency)} ({_change(cutoff_change)})."
        )
    else:
        parts[0] += "."
    if n_key_then:
        parts.append(
            f"{n_key_continuing:,} of the {plural(n_key_then, 'KEY account')} of then "
            f"{agree(n_key_continuing, 'is', 'are')} still KEY; "
            f"{agree(n_key_continuing, 'its', 'their')} billing went from {format_money(key_billing_then, currency)} to "
            f"{format_money(key_billing_now, currency)} ({_change(key_growth)})."
        )
        if n_key_lost:
            rose = (f" ({_how_many_of(n_lost_by_cutoff, n_key_lost, 'them')}only because the cut-off rose: "
                    f"{agree(n_lost_by_cutoff, 'it still bills', 'they still bill')} at least the cut-off of then)"
                    if n_lost_by_cutoff else "")
            parts.append(
                f"{plural(n_key_lost, 'KEY account')} ({percent(n_key_lost / n_key_then)}) fell to "
                f"SECONDARY, LAPSED or DORMANT{rose}; {agree(n_key_lost, 'it', 'they')} billed "
                f"{format_money(key_lost_billing_then, currency)} then."
            )
        else:
            parts.append("No KEY account fell to SECONDARY, LAPSED or DORMANT.")
    grown = f"{plural(n_secondary_to_key, 'SECONDARY account')} grew into KEY"
    if n_targets_then:
        grown += f", and {n_target_to_key:,} of the {plural(n_targets_then, 'TARGET')} became KEY"
    if n_grown_by_cutoff:
        n_grown = n_secondary_to_key + n_target_to_key
        subject = (_how_many_of(n_grown_by_cutoff, n_grown, "these").strip() or agree(n_grown, "it", "they"))
        grown += (f"; {subject} {agree(n_grown_by_cutoff, 'is', 'are')} KEY only because the cut-off fell "
                  f"({agree(n_grown_by_cutoff, 'it bills', 'they bill')} less than the cut-off of then)")
    parts.append(grown + ".")
    if n_new_clients:
        verb = agree(n_new_clients, "was", "were")
        parts.append(f"{plural(n_new_clients, 'client')} now spending {verb} on no list at that review.")
    return " ".join(parts)


def _how_many_of(n: int, total: int, whole: str) -> str:
    """'2 of them ' (``whole`` the group's pronoun), 'all of them ' when that is all of them,
    '' when the group is one."""
    if total == 1:
        return ""
    return f"all of {whole} " if n == total else f"{n:,} of {whole} "


def review_lapsed(*, n_lapsed: int, n_lapsed_new: int, n_dormant: int, n_dormant_was_lapsed: int,
                  n_lapsed_before: int = 0) -> str:
    """The LAPSED and DORMANT columns of the re-review's table in words: ``n_lapsed`` the
    LAPSED column's total (the clients of the lapsed page), ``n_lapsed_before`` those of them
    already LAPSED at the earlier review (they did not lapse since), ``n_lapsed_new`` those on
    no list at the earlier review, ``n_dormant`` the DORMANT column's total and
    ``n_dormant_was_lapsed`` those of them already LAPSED at the earlier review."""
    since = n_lapsed - n_lapsed_before
    if since:
        text = (
            f"{plural(since, 'client')} lapsed since the review: "
            f"{agree(since, 'it', 'they')} billed in the year before this review's 12 "
            "months and nothing (net) since"
        )
        if n_lapsed_new:
            text += f"; {n_lapsed_new:,} of them {agree(n_lapsed_new, 'was', 'were')} on no list then (NEW)"
        if n_lapsed_before:
            text += (f". The lapsed page lists {agree(since, 'it', 'them')} with "
                     f"{plural(n_lapsed_before, 'client')} already LAPSED at that review.")
        else:
            text += f". {agree(since, 'It is', 'All of them are')} on the lapsed page."
    elif n_lapsed_before:
        text = (f"No client lapsed since the review; the lapsed page lists {plural(n_lapsed_before, 'client')} "
                "already LAPSED at that review.")
    else:
        text = "No client lapsed since the review: the lapsed page is empty."
    if n_dormant:
        verb = agree(n_dormant, "is", "are")
        text += (
            f" {plural(n_dormant, 'more client')} {verb} DORMANT: nothing billed (net) in 24 "
            "months, or no longer in the ledger"
        )
        if n_dormant_was_lapsed:
            text += (
                f"; {n_dormant_was_lapsed:,} of them {agree(n_dormant_was_lapsed, 'was', 'were')} "
                "already LAPSED at that review"
            )
        text += f". {agree(n_dormant, 'It is', 'They are')} not on the lapsed page."
    return text


def merge_conflicts(conflicts: Any, decisions_file: str = "decisions.yml") -> str:
    """The merges not made because a reject wins (``Combination.conflicts``), in one text:
    empty without any."""
    rows = list(conflicts.itertuples(index=False)) if len(conflicts) else []
    if not rows:
        return ""
    parts = [f"{r.name_a} with {r.name_b} (it would join {r.rejected_a} and {r.rejected_b}, rejected as "
             "different clients)" for r in rows]
    merges = agree(len(rows), "merge was", "merges were")
    return (f"{len(rows)} accepted {merges} not made because a reject wins: {join_words(parts)}. "
            f"Settle them in the workshop or in {decisions_file}: undo the reject if they are one client, "
            "else undo the accept.")


def unresolved_decisions(owner_names: Any, merge_pairs: Any, decisions_file: str = "decisions.yml") -> str:
    """The decisions of the decisions file the audit could not apply, in one text (empty
    without any): owner confirmations naming no client of this ledger, and merges naming a
    spelling the ledger writes under several client ids (which store is meant is not guessed)."""
    parts = []
    owners = list(owner_names)
    if owners:
        parts.append(f"{plural(len(owners), 'owner confirmation')} {agree(len(owners), 'names', 'name')} "
                     f"no one client of this ledger ({join_words(owners)}): not applied")
    merges = list(merge_pairs)
    if merges:
        named = join_words([f"{a} with {b}" for a, b in merges])
        parts.append(f"{plural(len(merges), 'merge')} {agree(len(merges), 'names', 'name')} a spelling "
                     f"the ledger writes under several client "
                     f"IDs ({named}): not made, since which of those clients is meant would be a guess; "
                     "decide it again in the workshop, where each appears with its ID")
    if not parts:
        return ""
    return f"Decisions in {decisions_file} not applied: " + "; ".join(parts) + "."


def dropped_prospects(n: int, file_name: str = "prospects.csv") -> str:
    """The prospects dropped in the workshop: on no list, still in the file (empty without any)."""
    if not n:
        return ""
    return (f"{plural(n, 'prospect')} {agree(n, 'was', 'were')} dropped in the workshop: on no list, "
            f"still in {file_name} and restorable.")


def glossary(key_share: float, limits: Any) -> list[tuple[str, str]]:
    """The words of the report, each defined once (term, meaning): the categories of the
    list with this audit's KEY share and the client's per-seller limits."""
    def span(lo_hi: tuple[int, int]) -> str:
        lo, hi = lo_hi
        return f"{lo} to {hi}" if lo else f"at most {hi}"

    return [
        ("KEY", f"A client whose 12-month billing is at or above the KEY cut-off: the top {percent(key_share)} "
                "of the spending clients, who usually bring most of the revenue."),
        ("SECONDARY", "A spending client below the cut-off: served well, but it takes seller time out of "
                      "proportion to what it bills."),
        ("NON-SPENDING", "A client whose billing in the 12 months nets to zero or less (credits at least "
                         "equal to charges): listed, not counted."),
        ("TARGET", f"A non-spending prospect a seller actively pursues, chosen with three filters (spending "
                   f"potential, access to the decision maker, product fit); {span(limits.target)} per seller."),
        ("EXTRA", f"A target in waiting, promoted when a target converts or is dropped; {span(limits.extra)} "
                  "per seller."),
        ("LEAD", f"A prospect still being vetted, not yet a target; {span(limits.lead)} per seller."),
        ("LAPSED", "A client that billed in the 12 months before the audit's 12 months but not in them; "
                   "kept with the seller who last billed it, to win back."),
        ("KEY cut-off", "The 12-month billing of the smallest KEY client, set once for the whole client base, "
                        "never per seller."),
        ("At risk", "A KEY account whose billing fell in the last months against the months before (or the "
                    "same months a year before, for a seasonal client), or stopped: to call first."),
        ("Growth potential", "A SECONDARY account billing at a KEY account's pace in part of the year: rising "
                             "in the last months, new, or seasonal (the growth page gives each rule): to grow "
                             "into KEY."),
        ("DORMANT", "At a re-review: a client of the earlier review that billed nothing in the last 24 months, "
                    "or is no longer in the ledger."),
        ("NEW", "At a re-review: a client now spending that was on no list at the earlier review."),
    ]


@dataclass(frozen=True)
class Action:
    """One action of the executive summary: what to do, who does it, by when."""

    text: str
    who: str
    by: str


def _who(people: Sequence[str], many: str) -> str:
    """The people an action falls to: their names when at most three, else a count."""
    names = sorted({str(p) for p in people if str(p).strip()})
    if not names:
        return many
    if len(names) <= 3:
        return join_words(names)
    return f"{len(names):,} sellers concerned"


#: the report's one way of writing a day: '1 July 2025' (the toolkit's, :mod:`~alms_toolkit.date_text`)
day = day_text


def dated_actions(*, as_of: dt.date, at_risk_sellers: Sequence[str], growth_sellers: Sequence[str],
                  prospect_issue_sellers: Sequence[str], n_failed_symptoms: int, n_unassessed_symptoms: int,
                  n_at_risk: int, n_growth: int, n_unconfirmed: int, n_prospect_issues: int,
                  n_pending_merges: int, has_prospects: bool, consultant: str | None,
                  limit: int = 5) -> list[Action]:
    """The executive summary's top actions, most urgent first, each with who does it and a
    date counted from the audit's date: decisions that change the list first (a week), then
    the calls (a month) and the growth plans (two months)."""
    when: dict[str, int] = {}  # each "by" text and how many days it gives

    def by(days: int) -> str:  # a date never breaks across lines (non-breaking spaces)
        text = "by " + day(as_of + dt.timedelta(days=days)).replace(" ", "\u00a0")
        when[text] = days
        return text

    manager = "Sales manager"
    actions: list[Action] = []
    if n_pending_merges:
        actions.append(Action(f"Decide on {plural(n_pending_merges, 'possible duplicate')} before the list "
                              "goes out.", consultant or "Consultant", by(7)))
    if n_unconfirmed:
        actions.append(Action(f"Confirm the owner of {plural(n_unconfirmed, 'client')} billed by several sellers.",
                              manager, by(7)))
    if n_failed_symptoms or n_unassessed_symptoms:
        text = "Publish the new top-down list to every seller and republish it monthly."
        if not n_failed_symptoms:
            text = (text[:-1] + ": the current list could not be checked "
                    f"({plural(n_unassessed_symptoms, 'symptom')} not assessed).")
        actions.append(Action(text, manager, by(14)))
    if n_at_risk:
        actions.append(Action(f"Call the {plural(n_at_risk, 'KEY account')} at risk (each seller's Flagged page).",
                              _who(at_risk_sellers, "Each seller concerned"), by(30)))
    if not has_prospects:
        actions.append(Action("Name 5-10 TARGETs and 5-10 EXTRAs each.", "Each seller", by(30)))
    elif n_prospect_issues:
        actions.append(Action(f"Fix the {plural(n_prospect_issues, 'prospect list issue')} listed under "
                              "Targets and extras.", _who(prospect_issue_sellers, "Each seller concerned"), by(14)))
    if n_growth:
        actions.append(Action(f"Plan growth calls for {plural(n_growth, 'SECONDARY account')} with potential.",
                              _who(growth_sellers, "Each seller concerned"), by(60)))
    if not actions:
        actions.append(Action("Keep the weekly seller meetings and the monthly republishing going.", manager,
                              "every week"))
    # the most urgent ones kept, then listed in date order (stable: same date, same order)
    return sorted(actions[:limit], key=lambda a: when.get(a.by, 0))


def concentration(*, largest: str | None, largest_share: float, n_top: int, top_share: float,
                  n_clients: int, n_sellers: int, key_sellers_max: tuple[str, float] | None) -> str:
    """How concentrated the revenue is, in words a sales manager reads at a glance."""
    if not n_clients or largest is None:
        return ""
    text = f"The largest client, {largest}, brings {percent(largest_share)} of revenue"
    # the top few said only when they are not every client (the top 8 of 8 bring 100%)
    text += f"; the top {n_top:,} bring {percent(top_share)}." if 1 < n_top < n_clients else "."
    if key_sellers_max is not None and n_sellers > 1:
        seller, share = key_sellers_max
        text += f" {seller} holds the most KEY billing: {percent(share)} of it."
    return text


def review_news(*, as_of_then: dt.date | None, n_key_continuing: int, key_billing_then: int,
                key_billing_now: int, key_growth: float | None, n_key_lost: int, key_lost_billing_then: int,
                largest_lost: tuple[str, int, str] | None, lapses: Sequence[tuple[str, int, str]],
                n_lapsed: int, n_secondary_to_key: int, targets_to_key: Sequence[tuple[str, int]],
                currency: str = "$") -> list[str]:
    """What moved since the last review, one line each: KEY billing, KEY lost (with the
    largest), the largest lapses, the conversions. Amounts in full, as in the tables."""
    def m(value: int) -> str:
        return format_money(value, currency)

    lines = []
    if n_key_continuing:
        lines.append(f"KEY billing {_change(key_growth)}: the {plural(n_key_continuing, 'account')} KEY then and "
                     f"now billed {m(key_billing_now)}, against {m(key_billing_then)} in the year to the review.")
    if n_key_lost:
        text = (f"{plural(n_key_lost, 'KEY account')} lost ({m(key_lost_billing_then)} billed in the year to the "
                "review)")
        if largest_lost is not None:
            name, billing, now = largest_lost
            text += f"; the largest, {name}, billed {m(billing)} and is {now} now"
        lines.append(text + ".")
    elif n_key_continuing:
        lines.append("No KEY account was lost.")
    if lapses:
        shown = [f"{name} ({m(billing)}, {seller})" for name, billing, seller in lapses]
        listed = (", ".join(shown) + f" and {n_lapsed - len(lapses):,} more" if n_lapsed > len(lapses)
                  else join_words(shown))
        lines.append(f"Largest lapses (billed the year before, nothing since; last seller): {listed}.")
    conv = []
    if n_secondary_to_key:
        conv.append(plural(n_secondary_to_key, "SECONDARY account"))
    if targets_to_key:
        names = "; ".join(f"{name}, {m(billing)} now" for name, billing in targets_to_key[:3])
        if len(targets_to_key) > 3:
            names += f"; {len(targets_to_key) - 3:,} more"
        conv.append(f"{plural(len(targets_to_key), 'TARGET')} ({names})")
    lines.append(f"Grown into KEY: {join_words(conv)}." if conv else "No account grew into KEY.")
    if as_of_then is not None:
        lines.insert(0, f"Compared with the review of {day(as_of_then)}:")
    return lines
