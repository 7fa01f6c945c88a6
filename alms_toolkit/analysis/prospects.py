"""Prospects check (ALMS steps 8-9): each seller's TARGETs, EXTRAs and LEADs.

:func:`check_prospects` reads the prospects table (one row per prospect, as loaded from
``prospects.*``) and returns a :class:`ProspectCheck`:

* every prospect with its **fit score** and a per-seller **fit rank**;
* the **issues** to show the consultant, each with the spreadsheet rows involved:
  a TARGET or EXTRA that is already a spending client, a prospect on two sellers'
  lists (or twice on one list), counts per seller outside the limits of client.yml,
  unknown categories, filter scores outside 1-5, prospects that cannot be scored;
* per-seller counts against the limits, and the EXTRAs to **promote** when a seller has
  fewer TARGETs than the minimum (best fit first).

Fit score: the weighted mean of the three filter scores (spending potential, access to
the decision maker, product fit), on the same **1-5 scale** as the scores, rounded to
two decimals. A prospect with a missing or invalid score (for a filter whose weight is
not 0) is *not scored*: its ``fit_score`` is NaN and the issue says which score is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypedDict

import numpy as np
import pandas as pd

from .. import money
from ..config import FitWeights, Limits
from ..count_words import agree
from .names import canonical_name, first_by_canonical

__all__ = [
    "ProspectCheck",
    "check_prospects",
    "normalise_category",
    "CATEGORIES",
    "SCORE_COLUMNS",
    "SCORE_MIN",
    "SCORE_MAX",
]

#: the prospect categories, in list order
CATEGORIES = ("TARGET", "EXTRA", "LEAD")
#: filter score columns and how a consultant reads them
SCORE_COLUMNS = {
    "spending_potential": "spending potential",
    "decision_maker_access": "decision maker access",
    "product_fit": "product fit",
}
SCORE_MIN = 1
SCORE_MAX = 5

_PROSPECT_COLUMNS = [
    "source_row", "seller", "prospect", "category", *SCORE_COLUMNS, "fit_score", "fit_rank",
    "notes", "issues",
]
_ISSUE_COLUMNS = ["kind", "seller", "rows", "message"]
_SELLER_COLUMNS = ["seller", "n_targets", "n_extras", "n_leads", "n_not_scored", "status"]
_PROMOTION_COLUMNS = ["seller", "source_row", "prospect", "fit_score", "message"]
_PLURAL = {"TARGET": "TARGETs", "EXTRA": "EXTRAs", "LEAD": "LEADs"}
#: issue kinds that disqualify an EXTRA from promotion
_BLOCKING = ("already a client", "on two lists")


#: the columns of :attr:`ProspectCheck.dropped`
DROPPED_COLUMNS = ("source_row", "seller", "prospect", "category", "dropped")


class _Issue(TypedDict):
    """One row of ``ProspectCheck.issues``."""

    kind: str
    seller: str
    rows: tuple[int, ...]
    message: str


class _SellerRow(TypedDict):
    """One row of ``ProspectCheck.per_seller``."""

    seller: str
    n_targets: int
    n_extras: int
    n_leads: int
    n_not_scored: int
    status: str


@dataclass(frozen=True)
class ProspectCheck:
    """The checked prospects.

    ``prospects``: ``source_row``, ``seller``, ``prospect``, ``category``, the three
    scores (float, NaN when missing or invalid), ``fit_score`` (1-5, NaN when not scored),
    ``fit_rank`` (Int64, 1 = best fit within the seller and category), ``notes``,
    ``issues`` (str, empty when fine); ordered by seller, category, fit rank.
    ``issues``: ``kind``, ``seller``, ``rows`` (tuple of spreadsheet rows), ``message``.
    ``per_seller``: ``seller``, ``n_targets``, ``n_extras``, ``n_leads``,
    ``n_not_scored``, ``status`` ("ok" or what is outside the limits).
    ``promotions``: ``seller``, ``source_row``, ``prospect``, ``fit_score``, ``message``.
    ``dropped``: the rows dropped in the workshop (a ``Dropped`` cell filled in; kept in the
    file, restorable): ``source_row``, ``seller``, ``prospect``, ``category``, ``dropped``;
    on no list and counted nowhere else.
    """

    prospects: pd.DataFrame
    issues: pd.DataFrame
    per_seller: pd.DataFrame
    promotions: pd.DataFrame
    limits: Limits
    dropped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(DROPPED_COLUMNS)))

    @property
    def n_issues(self) -> int:
        return len(self.issues)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _rows_text(rows: Iterable[int]) -> str:
    rows = sorted(rows)
    return agree(len(rows), "row ", "rows ") + ", ".join(str(r) for r in rows)


def normalise_category(value: object) -> str | None:
    """'target ', 'Targets' -> 'TARGET'; None when not TARGET, EXTRA or LEAD."""
    text = _text(value).upper()
    if text.endswith("S") and text[:-1] in CATEGORIES:
        text = text[:-1]
    return text if text in CATEGORIES else None


def _scores(frame: pd.DataFrame) -> tuple[dict[str, pd.Series], list[tuple[int, str]]]:
    """Numeric scores per filter (NaN when missing/invalid) and (row index, message) errors."""
    values: dict[str, pd.Series] = {}
    errors: list[tuple[int, str]] = []
    for col, label in SCORE_COLUMNS.items():
        if col not in frame.columns:
            values[col] = pd.Series(np.nan, index=frame.index, dtype=float)
            continue
        raw = frame[col]
        text = raw.map(_text)
        num = pd.to_numeric(text.where(text != ""), errors="coerce").astype(float)
        bad_text = (text != "") & num.isna()
        out_of_range = num.notna() & ((num < SCORE_MIN) | (num > SCORE_MAX))
        for i in frame.index[bad_text]:
            errors.append((i, f"{label} {text[i]!r} is not a number from {SCORE_MIN} to {SCORE_MAX}"))
        for i in frame.index[out_of_range]:
            errors.append((i, f"{label} is {text[i]}; scores go from {SCORE_MIN} to {SCORE_MAX}"))
        values[col] = num.where(~out_of_range)
    return values, errors


def _client_lookup(
    accounts: pd.DataFrame, client_of: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """(raw name -> client_key, canonical name -> client_key) for every known client."""
    known_keys = set(accounts["client_key"].tolist())
    raw: dict[str, str] = {}
    for name, key in client_of.items():
        if key not in known_keys:
            continue
        text = str(name)
        raw[text] = key
        raw.setdefault(text.strip(), key)
    # the raw spellings first, then the accounts'
    canon = first_by_canonical([*raw, *accounts["client"].astype(str).tolist()],
                               [*raw.values(), *accounts["client_key"].tolist()])
    canon.pop("", None)
    return raw, canon


def check_prospects(
    prospects: pd.DataFrame,
    accounts: pd.DataFrame,
    client_of: Mapping[str, str],
    limits: Limits,
    weights: FitWeights,
    *,
    sellers: Iterable[str] = (),
    currency: str = "$",
) -> ProspectCheck:
    """Check every seller's prospects and score them.

    ``prospects``: ``source_row``, ``seller``, ``prospect``, ``category`` and, when the
    file has them, ``spending_potential``, ``decision_maker_access``, ``product_fit``
    (1-5), ``notes``. ``accounts``: ``client_key``, ``client``, ``billing`` (micros),
    optionally ``tier``. ``client_of``: raw client name -> ``client_key``.
    ``sellers``: sellers who must have prospects even if they have none in the file
    (e.g. every seller with accounts), so that an empty list shows as "too few".
    Nothing is lost: every input row is in ``prospects``, or in ``dropped`` when the
    workshop dropped it (its ``dropped`` cell filled in).
    """
    frame = prospects.reset_index(drop=True)
    gone = (frame["dropped"].map(_text) != "") if "dropped" in frame.columns else pd.Series(False, index=frame.index)
    dropped = frame.loc[gone, [c for c in DROPPED_COLUMNS if c in frame.columns]].reset_index(drop=True)
    frame = frame.loc[~gone].reset_index(drop=True)
    n = len(frame)
    rows = (
        frame["source_row"].astype("int64")
        if "source_row" in frame.columns
        else pd.Series(np.arange(2, n + 2), dtype="int64")
    )
    seller = (frame["seller"] if "seller" in frame.columns else pd.Series([""] * n)).map(_text)
    name = (frame["prospect"] if "prospect" in frame.columns else pd.Series([""] * n)).map(_text)
    cat_raw = (frame["category"] if "category" in frame.columns else pd.Series([""] * n)).map(_text)
    # an object Series, so an unknown category stays None (pandas 3 maps it into a string
    # column where None becomes NaN)
    category = pd.Series([normalise_category(v) for v in cat_raw], index=cat_raw.index, dtype=object)
    notes = (frame["notes"] if "notes" in frame.columns else pd.Series([""] * n)).map(_text)
    row_issues: list[list[str]] = [[] for _ in range(n)]
    issues: list[_Issue] = []

    def issue(kind: str, who: str, idx: Iterable[int], message: str, per_row: str | None = None) -> None:
        """Record one issue; ``per_row`` (if given) is noted on each of its rows."""
        idx = list(idx)
        issues.append({"kind": kind, "seller": who, "rows": tuple(sorted(int(rows[i]) for i in idx)), "message": message})
        if per_row:
            for i in idx:
                row_issues[i].append(per_row)

    # --- row-level checks: seller, name, category, scores
    for i in range(n):
        r = int(rows[i])
        if not seller[i]:
            issue("no seller", "", [i], f"Row {r}: the prospect {name[i]!r} has no seller.", "no seller")
        if not name[i]:
            issue("no prospect name", seller[i], [i], f"Row {r}: the prospect name is blank.", "no prospect name")
        if category[i] is None:
            shown = repr(cat_raw[i]) if cat_raw[i] else "blank"
            issue(
                "unknown category", seller[i], [i],
                f"Row {r}: category {shown} is not TARGET, EXTRA or LEAD.",
                f"category {shown} unknown",
            )
    scores, score_errors = _scores(frame)
    for i, msg in score_errors:
        issue("score out of range", seller[i], [i], f"Row {int(rows[i])}: {msg}.", msg)

    # --- fit score: weighted mean of the weighted filters; missing -> not scored
    w = {
        "spending_potential": weights.spending_potential,
        "decision_maker_access": weights.decision_maker_access,
        "product_fit": weights.product_fit,
    }
    active = [c for c, v in w.items() if v > 0]
    if active:
        total_w = sum(w[c] for c in active)
        fit = sum(scores[c] * w[c] for c in active) / total_w
        fit = fit.round(2)
    else:
        fit = pd.Series(np.nan, index=frame.index, dtype=float)
    missing_by_seller: dict[str, list[int]] = {}
    for i in range(n):
        if not active or not name[i]:
            continue
        missing = [SCORE_COLUMNS[c] for c in active if np.isnan(scores[c][i])]
        if missing:
            missing_by_seller.setdefault(seller[i], []).append(i)
            row_issues[i].append("not scored: no valid " + ", ".join(missing))
    for who, idx in sorted(missing_by_seller.items()):
        label = f"{who}: " if who else ""
        count = f"{len(idx)} prospect is" if len(idx) == 1 else f"{len(idx)} prospects are"
        issues.append({
            "kind": "not scored", "seller": who,
            "rows": tuple(sorted(int(rows[i]) for i in idx)),
            "message": f"{label}{count} not scored ({_rows_text(int(rows[i]) for i in idx)}): "
                       "a filter score is missing or invalid, so they cannot be ranked.",
        })

    # --- already a spending client (TARGET / EXTRA)
    raw_map, canon_map = _client_lookup(accounts, client_of)
    acc = accounts.set_index("client_key")
    canon = name.map(lambda s: canonical_name(s) if s else "")
    for i in range(n):
        if category[i] not in ("TARGET", "EXTRA") or not name[i]:
            continue
        key = raw_map.get(name[i]) or (canon_map.get(canon[i]) if canon[i] else None)
        if key is None:
            continue
        a = acc.loc[key]
        billing = int(a["billing"])
        if billing <= 0:
            continue
        tier = str(a["tier"]) if "tier" in acc.columns else ""
        tier_txt = f", {tier}" if tier else ""
        issue(
            "already a client", seller[i], [i],
            f"Row {int(rows[i])}: {category[i]} {name[i]!r} of {seller[i] or 'no seller'} is already a "
            f"spending client: {a['client']} ({money.format_money(billing, currency)} in the last "
            f"12 months{tier_txt}). {'An' if category[i] == 'EXTRA' else 'A'} {category[i]} must be new business.",
            f"already a client: {a['client']} ({money.format_money(billing, currency)}{tier_txt})",
        )

    # --- the same prospect twice: on two sellers' lists, or twice on one list
    groups: dict[str, list[int]] = {}
    for i in range(n):
        if name[i]:
            groups.setdefault(canon[i] or name[i].casefold(), []).append(i)
    for idx in groups.values():
        if len(idx) < 2:
            continue
        listed_by = sorted({seller[i] for i in idx})
        shown = name[idx[0]]
        if len(listed_by) > 1:
            places = "; ".join(
                f"{s or 'no seller'} ({_rows_text(int(rows[i]) for i in idx if seller[i] == s)})" for s in listed_by
            )
            issue(
                "on two lists", ", ".join(listed_by), idx,
                f"{shown!r} is on the lists of {len(listed_by)} sellers: {places}. Give it to one seller.",
                "also on the list of " + ", ".join(listed_by),
            )
        else:
            issue(
                "listed twice", listed_by[0], idx,
                f"{shown!r} is on {listed_by[0] or 'the'} list {len(idx)} times ({_rows_text(int(rows[i]) for i in idx)}).",
                f"listed {len(idx)} times",
            )

    # --- per-seller counts against the limits
    table = pd.DataFrame(
        {
            "source_row": rows.to_numpy(),
            "seller": seller.to_numpy(),
            "prospect": name.to_numpy(),
            "category": [c if c is not None else raw for c, raw in zip(category, cat_raw, strict=True)],
            **{c: scores[c].to_numpy() for c in SCORE_COLUMNS},
            "fit_score": fit.to_numpy(),
            "notes": notes.to_numpy(),
        }
    )
    known = category.notna().to_numpy()
    bounds = {"TARGET": limits.target, "EXTRA": limits.extra, "LEAD": limits.lead}
    all_sellers = sorted({s for s in seller if s} | {str(s).strip() for s in sellers if _text(s)})
    seller_rows: list[_SellerRow] = []
    for who in all_sellers:
        mine = (table["seller"] == who).to_numpy() & known
        counts = {c: int((mine & (table["category"] == c).to_numpy()).sum()) for c in CATEGORIES}
        problems = []
        for c in CATEGORIES:
            lo, hi = bounds[c]
            in_c = np.flatnonzero(mine & (table["category"] == c).to_numpy())
            if counts[c] < lo:
                kind, want = "too few", f"at least {lo}"
            elif counts[c] > hi:
                kind, want = "too many", f"at most {hi}"
            else:
                continue
            rng = f"{lo} to {hi}" if lo > 0 else f"at most {hi}"
            problems.append(f"{counts[c]} {_PLURAL[c]} ({want})")
            issue(
                kind, who, in_c,
                f"{who} has {counts[c]} {_PLURAL[c] if counts[c] != 1 else c}; the list should have {rng}.",
                f"{who} has more than {hi} {_PLURAL[c]}" if kind == "too many" else None,
            )
        not_scored = int((mine & table["fit_score"].isna().to_numpy()).sum())
        seller_rows.append({
            "seller": who, "n_targets": counts["TARGET"], "n_extras": counts["EXTRA"],
            "n_leads": counts["LEAD"], "n_not_scored": not_scored,
            "status": "ok" if not problems else "; ".join(problems),
        })
    per_seller = pd.DataFrame(seller_rows, columns=_SELLER_COLUMNS)
    for col in ("n_targets", "n_extras", "n_leads", "n_not_scored"):
        per_seller[col] = per_seller[col].astype("int64")

    table["issues"] = ["; ".join(x) for x in row_issues]
    # --- ranking within seller and category (best fit = 1; unscored get no rank)
    table["fit_rank"] = (
        table.sort_values(["fit_score", "source_row"], ascending=[False, True], na_position="last")
        .groupby(["seller", "category"], sort=False)
        .cumcount()
        .add(1)
        .reindex(table.index)
        .astype("Int64")
    )
    table.loc[table["fit_score"].isna(), "fit_rank"] = pd.NA
    order = {c: k for k, c in enumerate(CATEGORIES)}
    table["_cat"] = table["category"].map(lambda c: order.get(c, len(order)))
    table = table.sort_values(
        ["seller", "_cat", "fit_rank", "source_row"], na_position="last", kind="mergesort"
    ).drop(columns="_cat")
    table = table[_PROSPECT_COLUMNS].reset_index(drop=True)

    # --- promotions: best-fit EXTRAs of sellers short of TARGETs
    blocked = {
        r for it in issues if it["kind"] in _BLOCKING for r in it["rows"]
    }
    promos = []
    for rec in seller_rows:
        lo = limits.target[0]
        short = lo - rec["n_targets"]
        if short <= 0:
            continue
        extras = table[(table["seller"] == rec["seller"]) & (table["category"] == "EXTRA")]
        extras = extras[~extras["source_row"].isin(blocked)]
        extras = extras.sort_values(["fit_score", "source_row"], ascending=[False, True], na_position="last")
        for _, e in extras.head(short).iterrows():
            fit_txt = "not scored" if np.isnan(e["fit_score"]) else f"fit {e['fit_score']:.2f} of {SCORE_MAX}"
            promos.append({
                "seller": rec["seller"], "source_row": int(e["source_row"]), "prospect": e["prospect"],
                "fit_score": e["fit_score"],
                "message": f"Promote {e['prospect']!r} (row {int(e['source_row'])}, {fit_txt}) from EXTRA to "
                           f"TARGET: {rec['seller']} has {rec['n_targets']} of the {lo} TARGETs needed.",
            })
    promotions = pd.DataFrame(promos, columns=_PROMOTION_COLUMNS)
    promotions["source_row"] = promotions["source_row"].astype("int64")
    promotions["fit_score"] = promotions["fit_score"].astype(float)

    issue_frame = pd.DataFrame(issues, columns=_ISSUE_COLUMNS)
    return ProspectCheck(
        prospects=table, issues=issue_frame, per_seller=per_seller, promotions=promotions, limits=limits,
        dropped=dropped.reindex(columns=list(DROPPED_COLUMNS)),
    )
