"""The sample client's invoice lines, built with numpy so ten million lines take seconds.

:func:`plan_clients` draws the client base (spend, seller, the story of each client:
regular, seasonal, new, shrinking, stopped, lapsed, rising, netting to zero, and the
sellers' TARGETs that start billing after the review a year ago) and
:func:`make_lines` turns it into invoice lines. Amounts are integer **cents** here (the
files write them as text); the toolkit's loaders turn the text into micros.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .names import company_names, name_key, name_variants, person_names

__all__ = ["SampleLedger", "PROFILES", "plan_clients", "make_lines", "month_starts"]

#: the story of a client across the ledger
PROFILES = (
    "regular",     # bills most months
    "seasonal",    # billing packed into 2-3 months of the year
    "new",         # first billing in the last 3-5 months (some large: annualised, KEY)
    "new_year",    # started 6-12 months before as_of
    "shrinking",   # a big client whose last 3 months fell far below the earlier ones
    "stopped",     # a big client with nothing in the last 3-5 months
    "rising",      # a smaller client whose last 3 months are well above the rest
    "lapsed",      # billed only before the last 12 months
    "zero_net",    # one charge and an equal credit: nets to exactly 0
    "converting",  # a seller's TARGET: nothing before as_of - 12 months, then billing from
                   # 1-8 months after it (one or two big enough to be KEY at as_of)
)

#: median yearly spend (currency units) of a client, by kind of sample company
_MEDIAN_SPEND = {"media": 12_000.0, "services": 25_000.0}
_SPEND_SIGMA = 1.4  # lognormal sigma: the top 25% of clients bring ~75-80% of revenue


@dataclass(frozen=True)
class SampleLedger:
    """A generated client: the truth behind the files (for tests and benchmarks).

    ``clients``: one row per client (``client_no``, ``name``, ``profile``, ``spend``,
    ``seller``, ``second_seller``, ``client_id``, ``variants``).
    ``lines``: one row per invoice line (``day`` datetime64, ``client_no``, ``client``
    (spelling as written, categorical), ``client_id``, ``seller`` (categorical),
    ``cents`` int64), sorted by day.
    """

    clients: pd.DataFrame
    lines: pd.DataFrame
    sellers: tuple[str, ...]
    months: pd.DatetimeIndex
    as_of: dt.date


def month_starts(as_of: dt.date, months: int) -> pd.DatetimeIndex:
    """The first days of the ``months`` calendar months before ``as_of`` (the last one is the
    month holding ``as_of - 1 day``)."""
    last = pd.Timestamp(as_of - dt.timedelta(days=1)).to_period("M")
    return pd.period_range(end=last, periods=months, freq="M").to_timestamp()


def _pick(rng: np.random.Generator, pool: np.ndarray, k: int, taken: np.ndarray) -> np.ndarray:
    free = pool[~taken[pool]]
    k = min(k, len(free))
    chosen = rng.choice(free, size=k, replace=False) if k else np.array([], dtype=np.int64)
    taken[chosen] = True
    return np.sort(chosen)


def plan_clients(
    rng: np.random.Generator,
    n_clients: int,
    n_sellers: int,
    months: int,
    kind: str = "media",
    *,
    client_ids: bool = False,
) -> tuple[pd.DataFrame, tuple[str, ...], np.ndarray]:
    """Draw the client base. Returns (clients, sellers, activity) where ``activity`` is a
    (clients x months) float array: relative billing per month (1.0 = the client's usual)."""
    n = n_clients
    names = company_names(rng, n, kind)
    sellers = tuple(person_names(rng, n_sellers))
    spend = rng.lognormal(np.log(_MEDIAN_SPEND[kind]), _SPEND_SIGMA, size=n)
    order = np.argsort(-spend, kind="stable")  # biggest first
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    top25 = order[: max(1, n // 4)]
    top40 = order[: max(1, (n * 2) // 5)]
    lower75 = order[n // 4 :]
    mid = order[n // 4 : (n * 3) // 4]
    taken = np.zeros(n, dtype=bool)
    profile = np.array(["regular"] * n, dtype=object)

    def assign(label: str, pool: np.ndarray, k: int) -> np.ndarray:
        chosen = _pick(rng, pool, k, taken)
        profile[chosen] = label
        return chosen

    assign("zero_net", mid, min(3, max(1, n // 40)))
    if months >= 14:
        assign("lapsed", order, max(1, round(n * 0.10)))
    assign("shrinking", top25, max(2, round(n * 0.04)))
    assign("stopped", top40, max(1, round(n * 0.02)))
    assign("seasonal", lower75, max(2, round(n * 0.08)))
    new = assign("new", order, max(2, round(n * 0.05)))
    # a third of the new clients are big: still SECONDARY, but annualised they clear the cut-off
    big = new[: max(1, len(new) // 3)]
    spend[big] = np.quantile(spend, 0.80) * rng.uniform(1.3, 2.0, size=len(big))
    if months >= 13:
        assign("new_year", order, max(1, round(n * 0.05)))
    assign("rising", lower75, max(1, round(n * 0.04)))
    converting = np.array([], dtype=np.int64)
    if months >= 13:
        # prospects won a few months after the review a year ago: 4-6 over the client
        plain = order[[not names[i].startswith("First National Bank") for i in order]]  # no look-alikes
        converting = assign("converting", plain, min(6, max(4, n // 80), max(1, n // 15)))
        rng.shuffle(converting)
        n_big = max(1, len(converting) // 3)
        spend[converting[:n_big]] = np.quantile(spend, 0.90) * rng.uniform(1.5, 2.5, size=n_big)
        spend[converting[n_big:]] = np.quantile(spend, rng.uniform(0.45, 0.75, size=len(converting) - n_big))

    # sellers: unequal books; some clients billed by two sellers
    seller_p = rng.dirichlet(np.full(n_sellers, 6.0))
    seller_no = rng.choice(n_sellers, size=n, p=seller_p)
    if len(converting):  # won by different sellers, as far as they go round
        seller_no[converting] = rng.permutation(max(n_sellers, len(converting)))[: len(converting)] % n_sellers
    second = np.full(n, -1, dtype=np.int64)
    split_pool = np.flatnonzero((rank < n // 2) & ~np.isin(profile, ["zero_net", "converting"]))
    if n_sellers > 1 and len(split_pool):
        split = rng.choice(split_pool, size=min(len(split_pool), max(2, round(n * 0.06))), replace=False)
        second[split] = (seller_no[split] + rng.integers(1, n_sellers, size=len(split))) % n_sellers

    # activity per month
    m = np.arange(months)
    act = np.ones((n, months)) * rng.gamma(8.0, 1 / 8.0, size=(n, months))
    for i in np.flatnonzero(profile == "regular"):
        if months >= 12 and rng.random() < 0.2:  # joined during the history
            act[i, : int(rng.integers(1, months // 2 + 1))] = 0.0
    for i in np.flatnonzero(profile == "seasonal"):
        k = int(rng.integers(2, 4))
        peak = (int(rng.integers(12)) + np.arange(k)) % 12
        season = np.isin(m % 12, peak)  # same months every year
        act[i] *= np.where(season, 12.0 / k, 0.06)
    for i in np.flatnonzero(profile == "new"):
        act[i, : months - int(rng.integers(3, 6))] = 0.0
    for i in np.flatnonzero(profile == "new_year"):
        act[i, : months - int(rng.integers(6, 13))] = 0.0
    for i in np.flatnonzero(profile == "shrinking"):
        act[i, months - 3 :] = rng.uniform(0.05, 0.15) * np.minimum(act[i, months - 3 :], 1.0)
    for i in np.flatnonzero(profile == "stopped"):
        act[i, months - int(rng.integers(3, 6)) :] = 0.0
    for i in np.flatnonzero(profile == "rising"):
        act[i, months - 3 :] *= rng.uniform(2.5, 4.0)
    for i in np.flatnonzero(profile == "lapsed"):
        act[i, months - int(rng.integers(13, months)) :] = 0.0
    act[profile == "zero_net"] = 0.0
    for j, i in enumerate(converting):  # the big one starts early enough to be KEY by as_of
        start = months - 12 + (int(rng.integers(1, 4)) if j == 0 else int(rng.integers(1, 9)))
        act[i, :start] = 0.0
        act[i, start:] = np.maximum(act[i, start:], 0.5)  # a client now: it bills every month

    # duplicate spellings, for clients with enough lines to show them
    variants: list[tuple[str, ...]] = [()] * n
    keys = {name_key(x) for x in names}
    # (a converting client keeps the one spelling its seller's prospect list has)
    dup_pool = np.flatnonzero((rank < (n * 3) // 5) & ~np.isin(profile, ["zero_net", "converting"]))
    n_dup = min(len(dup_pool), max(3, round(n * 0.08)))
    for i in np.sort(rng.choice(dup_pool, size=n_dup, replace=False)):
        vs = [v for v in name_variants(rng, names[i], int(rng.integers(1, 3)))
              if name_key(v) == name_key(names[i]) or name_key(v) not in keys]
        variants[i] = tuple(vs)

    ids = [f"C{10001 + i}" for i in range(n)] if client_ids else [""] * n
    clients = pd.DataFrame(
        {
            "client_no": np.arange(n, dtype=np.int64),
            "name": names,
            "profile": profile.astype(str),
            "spend": np.round(spend, 2),
            "seller": [sellers[s] for s in seller_no],
            "second_seller": [sellers[s] if s >= 0 else "" for s in second],
            "client_id": ids,
            "variants": variants,
        }
    )
    return clients, sellers, act


def make_lines(
    rng: np.random.Generator,
    clients: pd.DataFrame,
    sellers: tuple[str, ...],
    activity: np.ndarray,
    as_of: dt.date,
    n_lines: int,
    *,
    credit_share: float = 0.03,
    variant_share: float = 0.3,
) -> pd.DataFrame:
    """Invoice lines: ``n_lines`` spread over (client, month) cells in proportion to
    ``activity`` and the client's size, plus two lines (a charge and its credit) per
    ``zero_net`` client. Sorted by day; amounts in integer cents."""
    n, months = activity.shape
    starts = month_starts(as_of, months)
    spend = clients["spend"].to_numpy(dtype=float)
    rate = np.sqrt(spend)  # big clients get more lines, and bigger ones
    # a shrinking client still orders, only less: fewer lines AND smaller ones (the fall
    # shows even when a client has few lines a month)
    scale = np.ones_like(activity)
    shrinking = (clients["profile"] == "shrinking").to_numpy()
    scale[shrinking] = np.sqrt(activity[shrinking])
    weight = rate[:, None] * np.divide(activity, scale, out=np.zeros_like(activity), where=scale > 0)
    total = weight.sum()
    if total <= 0:
        raise ValueError("no client bills anything: raise clients or months")
    counts = rng.multinomial(n_lines, (weight / total).ravel())
    cell = np.repeat(np.arange(n * months, dtype=np.int64), counts)
    client_no = cell // months
    month = cell % months

    # day inside the month, never on or after as_of
    first = starts.values.astype("datetime64[D]").astype(np.int64)
    last_day = np.datetime64(as_of - dt.timedelta(days=1), "D").astype(np.int64)
    nxt = np.append(first[1:], last_day + 1)
    span = np.minimum(nxt, last_day + 1) - first
    day = first[month] + (rng.random(len(cell)) * span[month]).astype(np.int64)

    lam = n_lines / total  # expected lines per month of a client with activity 1, per unit rate
    unit = spend / (12.0 * lam * rate)  # so a month bills about spend * activity / 12
    sigma = 0.6
    amount = unit[client_no] * scale[client_no, month] * rng.lognormal(-sigma * sigma / 2, sigma, size=len(cell))
    cents = np.maximum(np.round(amount * 100), 2500).astype(np.int64)
    credit = rng.random(len(cell)) < credit_share
    cents[credit] = -np.maximum(np.round(cents[credit] * rng.uniform(0.15, 1.0, credit.sum())), 100).astype(np.int64)

    # zero-net clients: one charge and an equal credit, inside the last 12 months
    zero = clients.index[clients["profile"] == "zero_net"].to_numpy()
    window_first = max(0, months - 12)
    z_day = []
    z_client = []
    z_cents = []
    for i in zero:
        d0 = int(rng.integers(first[window_first], last_day - 40))
        amt = int(rng.integers(500, 20_000)) * 100 + int(rng.integers(100))
        z_day += [d0, d0 + int(rng.integers(7, 35))]
        z_client += [i, i]
        z_cents += [amt, -amt]
    day = np.concatenate([day, np.array(z_day, dtype=np.int64)])
    client_no = np.concatenate([client_no, np.array(z_client, dtype=np.int64)])
    cents = np.concatenate([cents, np.array(z_cents, dtype=np.int64)])

    # seller: the client's seller, or the second one for a share of a split client's lines
    seller_codes = {s: k for k, s in enumerate(sellers)}
    primary = clients["seller"].map(seller_codes).to_numpy(dtype=np.int64)
    second = clients["second_seller"].map(seller_codes).fillna(-1).to_numpy(dtype=np.int64)
    second_share = np.where(second >= 0, rng.uniform(0.2, 0.45, size=n), 0.0)
    use_second = rng.random(len(client_no)) < second_share[client_no]
    seller = np.where(use_second, second[client_no], primary[client_no])

    # spelling: the main name, or one of the client's variants on a share of its lines
    spellings = list(clients["name"])
    var_first = np.zeros(n, dtype=np.int64)
    var_count = np.zeros(n, dtype=np.int64)
    for i, vs in enumerate(clients["variants"]):
        if vs:
            var_first[i] = len(spellings)
            var_count[i] = len(vs)
            spellings.extend(vs)
    u = rng.random(len(client_no))
    has_var = (var_count[client_no] > 0) & (u < variant_share)
    pick = (u / variant_share * np.maximum(var_count[client_no], 1)).astype(np.int64)
    spelling = np.where(has_var, var_first[client_no] + np.minimum(pick, var_count[client_no] - 1), client_no)
    uniq = list(dict.fromkeys(spellings))  # a variant may repeat a main spelling's text
    code_of = {s: k for k, s in enumerate(uniq)}
    remap = np.array([code_of[s] for s in spellings], dtype=np.int64)

    # client id: the client's id; a duplicate record (a second id) for some variant spellings
    ids = clients["client_id"].to_numpy(dtype=object)
    order = np.lexsort((client_no, day))
    client_no, day, spelling, seller, cents = (
        client_no[order], day[order], spelling[order], seller[order], cents[order]
    )
    id_codes = client_no.copy()
    if n and ids[0]:
        dup_id = has_var[order] & (client_no % 5 < 2)
        id_codes[dup_id] += n
        id_cats = list(ids) + [f"{x}-2" for x in ids]
    else:
        id_codes[:] = 0
        id_cats = [""]
    return pd.DataFrame(
        {
            "day": day.astype("datetime64[D]").astype("datetime64[ns]"),
            "client_no": client_no,
            "client": pd.Categorical.from_codes(remap[spelling], categories=uniq),
            "client_id": pd.Categorical.from_codes(id_codes, categories=id_cats),
            "seller": pd.Categorical.from_codes(seller, categories=list(sellers)),
            "cents": cents,
        }
    )
