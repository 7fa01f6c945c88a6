"""The tables the audit notebook shows, shaped from an :class:`~alms_toolkit.engine.Audit`
(and its review comparison). Pure: the audit in, new DataFrames (or small values) out; the
notebook only displays them (its cells hold no pandas shaping).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...spelling_text import visible_spelling
from . import narrative as say

if TYPE_CHECKING:
    from ...analysis.compare import Comparison
    from ...analysis.owners import OwnerCounts
    from ...engine import Audit

__all__ = [
    "spending_accounts",
    "symptom_table",
    "symptom_counts",
    "merged_names",
    "merge_counts",
    "revenue_tie",
    "visible_spelling",
    "combined_spellings",
    "spellings_by_client",
    "pending_candidates",
    "parent_accounts",
    "hierarchy_note",
    "sellers_by_billing",
    "unconfirmed_splits",
    "prospect_counts",
    "targets_by_seller",
    "prospect_issue_rows",
    "by_billing",
    "reason_counts",
    "insight_notes",
    "split_counts",
    "glossary",
    "dropped_prospects",
    "split_owner_counts",
    "seller_workbooks",
    "deliverable_files",
    "run_settings",
    "flags_table",
    "key_accounts_lost",
    "grown_into_key",
    "migration_table",
    "review_lapsed_counts",
    "seller_blocks",
]


def spending_accounts(audit: Audit) -> pd.DataFrame:
    """The spending clients (KEY and SECONDARY), by rank."""
    accounts = audit.accounts
    return accounts[accounts["tier"] != "NON-SPENDING"].sort_values("rank", kind="stable")


def symptom_table(audit: Audit) -> pd.DataFrame:
    """One row per symptom of the list: title, status, evidence."""
    return pd.DataFrame(
        [{"title": s.title, "status": s.status, "evidence": s.evidence} for s in audit.symptoms],
        columns=["title", "status", "evidence"],
    )


def symptom_counts(audit: Audit) -> Any:
    """The audit's symptoms counted (:class:`~alms_toolkit.analysis.symptoms.SymptomCounts`:
    found, passed, not assessed, assessed)."""
    from ...analysis.symptoms import count_symptoms

    return count_symptoms(audit.symptoms)


def merged_names(audit: Audit) -> pd.DataFrame:
    """Every ledger name combined with another spelling, with why in a manager's words,
    ordered by client then name; ``shown`` is the name as a reader can tell it apart."""
    log = audit.combination.merge_log
    merged = log[log["reason"] != "single"]
    merged = merged.assign(why=merged["reason"].map(say.merge_reason),
                           shown=merged["raw_name"].map(visible_spelling))
    return merged.sort_values(["client", "raw_name"], kind="stable")


def revenue_tie(audit: Audit) -> dict[str, int]:
    """The figures that tie the reconciliation's amount used to the report's revenue: the
    spending clients' total and the NON-SPENDING clients' net (zero or less)."""
    accounts = audit.accounts
    spending = accounts["billing"] > 0
    return {
        "amount_used": int(audit.loaded.reconciliation.amount_used),
        "revenue_total": int(audit.tiers.revenue_total),
        "n_spending": int(spending.sum()),
        "non_spending_total": int(accounts.loc[~spending, "billing"].sum()),
        "n_non_spending": int((~spending).sum()),
    }


def merge_counts(audit: Audit) -> tuple[int, int]:
    """(clients written in several ways, their spellings in all): the figures both the
    duplicates page and the merge log appendix print."""
    merged = merged_names(audit)
    return int(merged["client_key"].nunique()), len(merged)


def combined_spellings(audit: Audit) -> pd.DataFrame:
    """One row per combined client whose names differ from its display name: the other
    spellings (joined), why, the client and its billing; biggest billing first."""
    merged = merged_names(audit)
    other = merged[merged["raw_name"] != merged["client"]]
    groups = (
        other.sort_values("raw_name", kind="stable")
        .groupby("client_key", sort=False)
        .agg(spellings=("shown", "unique"), why=("why", "first"))
        .join(audit.accounts.set_index("client_key")[["client", "billing"]])
        .sort_values(["billing", "client"], ascending=[False, True], kind="stable")
    )
    groups["spellings"] = groups["spellings"].map("; ".join)
    return groups


def spellings_by_client(audit: Audit) -> pd.DataFrame:
    """The merge log in one line per combined client (``client``, ``spellings``, ``why``,
    ``billing``): every name it is written as in the ledger, with what a reader cannot see
    said in words and each name's 12-month billing ("Hartley Travel ($1,250.00);
    Hartley Travel (with a trailing space) ($300.00)"), the reasons in a manager's words, and
    the client's billing (the sum of its names'); by client."""
    from ...money import format_money

    currency = audit.config.branding.currency
    merged = merged_names(audit).sort_values(["client", "billing", "raw_name"],
                                             ascending=[True, False, True], kind="stable")
    rows = []
    for key, group in merged.groupby("client_key", sort=False):
        names = [f"{shown} ({format_money(int(billing), currency)})"
                 for shown, billing in zip(group["shown"], group["billing"], strict=True)]
        rows.append({"client_key": key, "client": str(group["client"].iloc[0]),
                     "spellings": "; ".join(names), "why": ", ".join(dict.fromkeys(group["why"])),
                     "billing": int(group["billing"].sum())})
    columns = ["client_key", "client", "spellings", "why", "billing"]
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({"billing": "int64"}).reset_index(drop=True)


def pending_candidates(audit: Audit) -> pd.DataFrame:
    """Duplicate candidates nobody decided yet; a side with client ids shows them ("Main
    Street Pharmacy (ID 1001)"), so two clients of one name under different ids read apart."""
    candidates = audit.combination.candidates
    if "status" not in candidates.columns:
        return candidates.head(0)
    pending = candidates[candidates["status"] == "pending"]
    for side in ("a", "b"):
        if f"ids_{side}" in pending.columns and len(pending):
            ids = pending[f"ids_{side}"].fillna("").astype(str)
            names = pending[f"name_{side}"].astype(str)
            shown = [n if not i or n.endswith(f"(ID {i})") else f"{n} (ID {i})"  # the id split's label says it
                     for n, i in zip(names.tolist(), ids.tolist(), strict=True)]
            pending = pending.assign(**{f"name_{side}": pd.Series(shown, index=pending.index, dtype=object)})
    return pending


#: how a group's parent account got its name, in words (``BranchGroup.parent_source``)
_PARENT_NAMED_BY = {
    "client.yml": "your choice in client.yml",
    "head office": "its head office",
    "group name in the ledger": "the group's name, billed in the ledger",
    "group name": "the branches' name: no head office is billed",
    "bill-to id": "the account of the bill-to id",
    "parent column": "the ledger's parent column",
}


def parent_accounts(audit: Audit) -> pd.DataFrame:
    """One row per group of branches (``Group (Town, ST)``): ``parent`` (the account it is, or
    would be, listed under), ``named_by`` (how the parent got its name, in words), ``branches``
    (the biggest first), ``n_branches``, ``parent_billing`` (the parent's own), ``biggest_branch``,
    ``billing`` (the group's, micros); biggest first. No rows when the ledger shows no branches."""
    from ...analysis.hierarchy import Hierarchy

    hierarchy = getattr(audit.inputs, "hierarchy", None) or Hierarchy()
    table = hierarchy.table()
    return table.assign(named_by=[_PARENT_NAMED_BY.get(s, s) for s in table["parent_source"].tolist()])


def hierarchy_note(audit: Audit) -> str:
    """What the report says about branches: rolled up, kept apart, or the proposal (naming the
    groups the client ids, e.g. a bill-to id mapped as the client id, already combine); ""
    when the ledger shows none."""
    hierarchy = getattr(audit.inputs, "hierarchy", None)
    if hierarchy is None:
        return ""
    if not hierarchy.proposed:
        return hierarchy.note()
    client_of = audit.combination.client_of
    display = dict(zip(audit.accounts["client_key"], audit.accounts["client"], strict=True))
    combined = []
    for g in hierarchy.groups:
        keys = {client_of.get(n) for n, _b in g.branches} | ({client_of.get(g.parent)} if g.parent_in_ledger else set())
        if len(keys) == 1 and None not in keys:
            combined.append(f"{g.name} (one account by its client id, listed as {display.get(next(iter(keys)), g.parent)})")
    return hierarchy.note(combined)


def sellers_by_billing(audit: Audit) -> pd.DataFrame:
    """The sellers, most billing first; the SECONDARY share left blank for a seller with no
    account (named only in the prospects file: 0 of 0 accounts is no share)."""
    sellers = audit.sellers.sort_values("billing", ascending=False, kind="stable")
    has_accounts = (sellers["n_key"] + sellers["n_secondary"]) > 0
    return sellers.assign(secondary_share=sellers["secondary_share"].where(has_accounts))


def unconfirmed_splits(audit: Audit) -> pd.DataFrame:
    """Clients billed by several sellers whose owner is not confirmed, biggest billing first."""
    split = audit.split_clients
    return split[~split["confirmed"]].sort_values(["billing"], ascending=False, kind="stable")


def prospect_counts(audit: Audit) -> dict[str, int]:
    """How many TARGETs, EXTRAs and LEADs, and how many sellers hold prospects; and of the
    TARGETs, how many are already clients, and how many distinct new-business targets remain
    (a target on two sellers' lists counted once: the count the review table and the master
    list use)."""
    prospects = audit.prospects
    counts = prospects["category"].value_counts() if len(prospects) else pd.Series(dtype="int64")
    targets = prospects[prospects["category"] == "TARGET"] if len(prospects) else prospects
    client = (targets["issues"].fillna("").astype(str).str.startswith("already a client") if len(targets)
              else pd.Series(dtype=bool))
    new = targets[~client] if len(targets) else targets
    return {
        "TARGET": int(counts.get("TARGET", 0)),
        "EXTRA": int(counts.get("EXTRA", 0)),
        "LEAD": int(counts.get("LEAD", 0)),
        "sellers": int(prospects["seller"].nunique()) if len(prospects) else 0,
        "TARGET_clients": int(client.sum()),
        "TARGET_new": int(new["prospect"].nunique()) if len(new) else 0,
    }


def dropped_prospects(audit: Audit) -> int:
    """Prospects dropped in the workshop (kept in the prospects file, on no list)."""
    return 0 if audit.prospect_check is None else len(audit.prospect_check.dropped)


def prospect_issue_rows(audit: Audit, comparison: Comparison | None) -> pd.DataFrame:
    """The prospect list's issues as the report lists them; a TARGET that is already a client
    because it converted since the last review says so (the review counts it as a conversion,
    and the seller takes it off the targets)."""
    issues = audit.prospect_issues
    if comparison is None or not len(issues):
        return issues
    grown = grown_into_key(comparison)
    converted = [str(n) for n in grown.loc[grown["before"].isin(["TARGET", "EXTRA"]), "name"]]
    if not converted:
        return issues

    def note(kind: str, message: str) -> str:
        if kind == "already a client" and any(f"client: {name} (" in message for name in converted):
            return (message + " It was a target at the last review and has become KEY since: a conversion; "
                    "take it off the targets.")
        return message

    return issues.assign(message=[note(str(k), str(m)) for k, m in zip(issues["kind"], issues["message"],
                                                                         strict=True)])


def targets_by_seller(audit: Audit) -> pd.DataFrame:
    """One row per seller: their TARGETs and their EXTRAs (joined), best fit first; a
    prospect with an issue (already a client, not scored, on two lists) carries it in
    brackets, so a flagged target never reads as a plain one."""
    prospects = audit.prospects
    chosen = prospects[prospects["category"].isin(["TARGET", "EXTRA"])].sort_values(
        ["seller", "fit_score", "prospect"], ascending=[True, False, True], kind="stable", na_position="last")
    if chosen.empty:
        return pd.DataFrame(columns=["seller", "TARGET", "EXTRA"])
    issue = chosen["issues"].fillna("").astype(str).str.split(":").str[0].str.strip()
    chosen = chosen.assign(prospect=chosen["prospect"].astype(str).where(
        issue == "", chosen["prospect"].astype(str) + " [" + issue + "]"))
    return (
        chosen.groupby(["seller", "category"], sort=False)["prospect"].agg("unique").map("; ".join)
        .unstack("category").reindex(columns=["TARGET", "EXTRA"]).reset_index()
    )


def by_billing(frame: pd.DataFrame, column: str = "billing") -> pd.DataFrame:
    """The rows, biggest ``column`` first (stable)."""
    return frame.sort_values(column, ascending=False, kind="stable")


def reason_counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many rows give each ``reason``."""
    return {str(k): int(v) for k, v in frame["reason"].value_counts().items()}


def insight_notes(*insights: Any) -> str:
    """The notes of these insights (:class:`~alms_toolkit.analysis.insights.Insight`), each
    once, as one paragraph: which months were compared, what could not be and why."""
    return " ".join(dict.fromkeys(note for insight in insights for note in insight.notes))


#: flags.csv: every flag of the audit with the figures behind it
FLAG_COLUMNS = ["flag", "reason", "client", "seller", "billing_12m", "detail", "client_key"]


def flags_table(audit: Audit) -> pd.DataFrame:
    """Every flag of the audit, one row each (``flags.csv``; the official list's flags):
    KEY accounts at risk, then SECONDARY accounts with growth potential (each by 12-month
    billing, largest first), then lapsed clients (alphabetically). ``billing_12m`` is exact
    decimal text; for a lapsed client it is 0 and the detail gives its billing the year before."""
    from ...money import to_str

    flags = audit.official_list.flags
    table = flags.assign(billing_12m=[to_str(v) for v in flags["billing"]])
    return table[FLAG_COLUMNS].reset_index(drop=True)


def key_accounts_lost(comparison: Comparison) -> pd.DataFrame:
    """KEY accounts of the last review that are SECONDARY, LAPSED or DORMANT now (KEY
    attrition), biggest then first, with ``why``: 'the cut-off rose' for a SECONDARY billing at
    least the cut-off then, else 'its billing fell'."""
    from ...analysis.compare import LOST

    m = comparison.movements.assign(
        why=np.where(comparison.by_cutoff(), "the cut-off rose", "its billing fell"))
    moved = m[(m["before"] == "KEY") & m["now"].isin(LOST)]
    return by_billing(moved, "billing_then")


def migration_table(comparison: Comparison) -> pd.DataFrame:
    """The comparison's matrix as a table: a ``before`` column (the category then), one
    column per category now, a ``Total`` column (accounts per category then) and a last
    ``Total`` row (accounts per category now: its LAPSED cell is the lapsed page's count)."""
    matrix = comparison.matrix
    table = matrix.assign(Total=matrix.sum(axis=1))
    totals = pd.DataFrame([table.sum(axis=0)], index=pd.Index(["Total"], name=matrix.index.name))
    return pd.concat([table, totals]).astype("int64").reset_index()


def review_lapsed_counts(comparison: Comparison) -> dict[str, int]:
    """The figures of :func:`~alms_toolkit.report.views.narrative.review_lapsed`, read off the
    comparison's LAPSED and DORMANT columns."""
    return {
        "n_lapsed": comparison.n_now("LAPSED"),
        "n_lapsed_before": comparison.n_moved("LAPSED", "LAPSED"),
        "n_lapsed_new": comparison.n_moved("NEW", "LAPSED"),
        "n_dormant": comparison.n_now("DORMANT"),
        "n_dormant_was_lapsed": comparison.n_moved("LAPSED", "DORMANT"),
    }


def grown_into_key(comparison: Comparison) -> pd.DataFrame:
    """SECONDARY, TARGET and EXTRA accounts of the last review that are KEY now, with ``why``:
    'the cut-off fell' when they bill less than the cut-off then, else 'its billing grew'."""
    m = comparison.movements.assign(
        why=np.where(comparison.by_cutoff(), "the cut-off fell", "its billing grew"))
    grown = m[m["before"].isin(["SECONDARY", "TARGET", "EXTRA"]) & (m["now"] == "KEY")]
    return by_billing(grown, "billing_now")


def moved_by_cutoff(comparison: Comparison) -> dict[str, int]:
    """How many accounts grew into KEY and fell from KEY to SECONDARY by the cut-off's move
    alone (:meth:`~alms_toolkit.analysis.compare.Comparison.by_cutoff`)."""
    m, cut = comparison.movements, comparison.by_cutoff()
    return {"n_grown_by_cutoff": int((cut & (m["now"] == "KEY")).sum()),
            "n_lost_by_cutoff": int((cut & (m["before"] == "KEY")).sum())}


def seller_blocks(audit: Audit) -> Iterator[tuple[str, pd.DataFrame, int, int]]:
    """Each seller's accounts in list order: (seller, rows, KEY count, SECONDARY count)."""
    for seller, rows in audit.seller_accounts.groupby("seller", sort=False):
        yield str(seller), rows, int((rows["tier"] == "KEY").sum()), int((rows["tier"] == "SECONDARY").sum())


def seller_workbooks(audit: Audit) -> dict[str, str]:
    """seller -> their workbook's name in the run folder (``sellers/<stem>.xlsx``)."""
    from ..writers.xlsx import seller_file_stems

    return {seller: f"sellers/{stem}.xlsx" for seller, stem in seller_file_stems(audit.official_list.sellers).items()}


def split_owner_counts(audit: Audit) -> OwnerCounts:
    """How the owners of the clients billed by several sellers were settled (confirmed, from
    the account list, suggested), counted as the workshop counts them."""
    from ...analysis.owners import owner_counts

    keys = set(audit.split_clients["client_key"])
    return owner_counts(audit.accounts.loc[audit.accounts["client_key"].isin(keys), "owner_source"])


def split_counts(audit: Audit) -> tuple[int, int]:
    """Clients billed by several sellers, and how many of them still need their owner confirmed."""
    split = audit.split_clients
    return int(split["client_key"].nunique()), int(split.loc[~split["confirmed"], "client_key"].nunique())


def glossary(audit: Audit) -> pd.DataFrame:
    """The report's words, each defined once (``term``, ``meaning``; narrative.glossary)."""
    return pd.DataFrame(say.glossary(audit.key_share, audit.config.limits), columns=["term", "meaning"])


def deliverable_files(audit: Audit) -> pd.DataFrame:
    """The files a run writes beside the report (``file``, ``what``), one workbook per seller."""
    rows = [
        ("accounts.csv", "The official list: every client and prospect with tier, seller and billing"),
        ("crm/", "The list ready to import into Salesforce, HubSpot, Pipedrive or Dynamics 365, with the "
                 "fields to create first and HOW_TO_IMPORT.md (when client.yml names each seller's CRM user)"),
        ("flags.csv", "Every KEY account at risk, SECONDARY account with growth potential and lapsed client, "
                      "with the figures behind it"),
        ("merge_log.csv", "Every name in the ledger and the client it was counted under, with why"),
        ("manager/master_list.xlsx", "The sales manager's master list: every client and prospect once, ready for "
                                     "pivot tables, with the category at the earlier review when there is one"),
        ("summary.json", "The headline figures, as data"),
        ("audit/", "The audit this report and every file were made from, as data (JSON and parquet tables)"),
    ]
    rows += [(f"{workbook}, {workbook[:-len('.xlsx')]}.pdf",
              f"{seller}'s action pack: the focus page (Act first), the official list, prospects, every "
              "flag (Flagged) and the revenue projection form")
             for seller, workbook in seller_workbooks(audit).items()]
    return pd.DataFrame(rows, columns=["file", "what"])


def run_settings(audit: Audit) -> pd.DataFrame:
    """The settings the audit ran with (``setting``, ``value``), for the appendix."""
    window = audit.loaded.window
    rec = audit.loaded.reconciliation
    span = (f"{say.day(window.start)} to {say.day(window.end - dt.timedelta(days=1))}" if window is not None
            else "12-month totals provided")
    rows = [
        ("Audit date (as of)", say.day(audit.as_of)),
        ("12-month window", span),
        ("KEY share of spending clients", say.percent(audit.key_share)),
        ("Ledger file", rec.file if isinstance(rec.file, str) else getattr(rec.file, "name", str(rec.file))),
        ("Next review", say.day(audit.review_date)),
    ]
    return pd.DataFrame(rows, columns=["setting", "value"])
