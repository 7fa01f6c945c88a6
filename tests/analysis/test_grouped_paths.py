"""The engine's grouped paths give exactly what the straightforward per-name, per-client
code they replaced gave: monthly billing, first/last billing dates, lapsed clients, seller
billing and client ids, on messy ledgers built in code (several spellings of a client, a
name the combination does not know, a missing name, blank and missing sellers, ties on
date and amount, negative and zero amounts, undated rows, ids written as numbers and as
text). The reference functions below are the earlier code, kept as the oracle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest

from alms_toolkit.analysis.insights import find_lapsed
from alms_toolkit.analysis.monthly import (
    billing_dates,
    client_codes,
    monthly_billing,
    monthly_from,
)
from alms_toolkit.analysis.owners import seller_billing
from alms_toolkit.analysis.periods import Periods, periods_for
from alms_toolkit.engine import _client_ids


def client_keys(raw_names: pd.Series, client_of: Mapping[str, str]) -> pd.Series:
    """The earlier per-row mapping of raw names to ``client_key`` (a name the combination
    does not know keeps its spelling; a missing one is ``<NA>``): the oracle's own helper."""
    codes, uniques = pd.factorize(raw_names, use_na_sentinel=True)
    keys = np.array([str(client_of.get(u, u)) for u in uniques] + ["<NA>"], dtype=object)
    return pd.Series(keys[codes], index=raw_names.index, dtype=object)


AS_OF = dt.date(2024, 7, 2)  # mid-month: periods are not calendar months
CLIENT_OF = {
    "Acme": "acme", "ACME ": "acme", "acme inc": "acme", "Bolt": "bolt", "bolt": "bolt",
    "Cobalt": "cobalt", "Delta Co": "delta", "Echo": "echo", "Foxtrot": "foxtrot", "Golf": "golf",
}
NAMES = [*CLIENT_OF, "Unknown Ltd", None]
SELLERS = ["Dana", "Lee", "Kim", " ", "", None, " Lee "]
IDS: list[object] = [1001, "1001", " 1002", "", "  ", None, "A7", 1003.0]


def _ledger(seed: int, n: int, first: str, last: str) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.date_range(first, last, freq="D")
    date = pd.Series(rng.choice(days.to_numpy(), n)).dt.floor("D")
    date[rng.random(n) < 0.03] = pd.NaT  # a few undated rows
    amount = rng.choice([-500, 0, 100, 100, 250, 1_000, 40_000, 123_456_789], n).astype(np.int64)
    return pd.DataFrame({
        "date": date.to_numpy(),
        "client": pd.Series([NAMES[i] for i in rng.integers(0, len(NAMES), n)], dtype=object),
        "client_id": pd.Series([IDS[i] for i in rng.integers(0, len(IDS), n)], dtype=object),
        "seller": pd.Series([SELLERS[i] for i in rng.integers(0, len(SELLERS), n)], dtype=object),
        "amount": amount,
    })


def _case(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, Periods]:
    periods = periods_for(AS_OF, dt.date(2022, 6, 1), dt.date(2024, 7, 1))
    start = pd.Timestamp(periods.start(0))
    ledger = _ledger(seed, 400, str(start.date()), "2024-07-01")
    ledger = ledger[ledger["date"].notna()].reset_index(drop=True)  # the window's rows are dated
    earlier = _ledger(seed + 1000, 600, "2022-06-01", str((start - pd.Timedelta(days=1)).date()))
    return ledger, earlier, periods


# ----------------------------------------------------------------------------- the oracle


def _old_dated_rows(ledger: pd.DataFrame, earlier: pd.DataFrame) -> pd.DataFrame:
    rows = pd.concat([f[["date", "client", "amount"]] for f in (earlier, ledger) if len(f)], ignore_index=True)
    return rows[rows["date"].notna()]


def _old_monthly_billing(ledger: pd.DataFrame, earlier: pd.DataFrame, client_of: Mapping[str, str],
                         periods: Periods) -> pd.DataFrame:
    rows = _old_dated_rows(ledger, earlier)
    frame = pd.DataFrame({
        "client_key": client_keys(rows["client"], client_of).to_numpy(),
        "period": periods.index_of(rows["date"]),
        "billing": rows["amount"].to_numpy(dtype=np.int64),
    })
    out = frame.groupby(["client_key", "period"], sort=True, as_index=False)["billing"].sum()
    out["billing"] = out["billing"].astype(np.int64)
    out["period"] = out["period"].astype(np.int64)
    return out[["client_key", "period", "billing"]].reset_index(drop=True)


def _old_billing_dates(ledger: pd.DataFrame, earlier: pd.DataFrame, client_of: Mapping[str, str]) -> pd.DataFrame:
    rows = _old_dated_rows(ledger, earlier)
    rows = rows[rows["amount"].to_numpy(dtype=np.int64) > 0]
    grouped = pd.Series(rows["date"].to_numpy()).groupby(client_keys(rows["client"], client_of).to_numpy())
    out = pd.DataFrame({"first_billed": grouped.min(), "last_billed": grouped.max()})
    out.index.name = "client_key"
    return out


def _old_lapsed(ledger: pd.DataFrame, earlier: pd.DataFrame, client_of: Mapping[str, str],
                periods: Periods) -> pd.DataFrame:
    start, prev_start = pd.Timestamp(periods.start(0)), pd.Timestamp(periods.start(-12))
    rows = earlier[(earlier["date"] >= prev_start) & (earlier["date"] < start)]
    frame = pd.DataFrame({
        "client_key": client_keys(rows["client"], client_of).to_numpy(),
        "client": rows["client"].astype(str).str.strip().to_numpy(),
        "date": rows["date"].to_numpy(),
        "seller": rows["seller"].to_numpy(),
        "amount": rows["amount"].to_numpy(dtype=np.int64),
    })
    net = frame.groupby("client_key")["amount"].sum()
    in_window = (pd.Series(ledger["amount"].to_numpy(dtype=np.int64))
                 .groupby(client_keys(ledger["client"], client_of).to_numpy()).sum())
    lapsed_keys = [k for k, v in net.items() if int(v) > 0 and int(in_window.get(k, 0)) <= 0]
    records = []
    for key, mine in frame[frame["client_key"].isin(lapsed_keys)].groupby("client_key"):
        pos = mine[mine["amount"] > 0]
        named = pos["seller"].notna() & (pos["seller"].astype(str).str.strip() != "")
        last = pos[named].sort_values(["date", "amount"], ascending=[False, False], kind="mergesort")
        by_name = mine.groupby("client")["amount"].sum()
        display = sorted(by_name.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        records.append({
            "client_key": key, "client": display,
            "last_seller": str(last["seller"].iloc[0]).strip() if len(last) else "",
            "last_billed": pd.Timestamp(pos["date"].max()).date(),
            "previous_billing": int(net[key]),
        })
    out = pd.DataFrame(records, columns=["client_key", "client", "last_seller", "last_billed", "previous_billing"])
    out["previous_billing"] = out["previous_billing"].astype("int64")
    out = out.iloc[sorted(range(len(out)), key=lambda i: (out["client"].iloc[i].casefold(), out["client"].iloc[i]))]
    return out.reset_index(drop=True)


def _old_seller_billing(ledger: pd.DataFrame, client_of: Mapping[str, str]) -> pd.DataFrame:
    s_codes, s_uniques = pd.factorize(ledger["seller"], use_na_sentinel=True)
    named = np.array([isinstance(u, str) and u.strip() != "" for u in s_uniques] + [False])
    has = named[s_codes]
    k_codes, k_uniques = pd.factorize(client_keys(ledger["client"][has], client_of))
    grouped = pd.Series(ledger["amount"].to_numpy(dtype=np.int64)[has]).groupby([k_codes, s_codes[has]],
                                                                                 sort=False).sum()
    out = pd.DataFrame({
        "client_key": np.asarray(k_uniques, dtype=object)[grouped.index.get_level_values(0).to_numpy()],
        "seller": np.asarray(s_uniques, dtype=object)[grouped.index.get_level_values(1).to_numpy()],
        "billing": grouped.to_numpy(dtype=np.int64),
    })
    out["_neg"] = -out["billing"]
    out = out.sort_values(["client_key", "_neg", "seller"], kind="mergesort").drop(columns="_neg")
    return out.reset_index(drop=True)


def _old_client_ids(ledger: pd.DataFrame, client_of: Mapping[str, str]) -> dict[str, str]:
    ids = ledger["client_id"].astype("string")
    frame = pd.DataFrame({"key": client_keys(ledger["client"], client_of), "id": ids})
    frame = frame[frame["id"].notna() & (frame["id"].str.strip() != "")].drop_duplicates()
    return {k: ", ".join(sorted(str(v) for v in g)) for k, g in frame.groupby("key")["id"]}


# ----------------------------------------------------------------------------- the checks

SEEDS = [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("seed", SEEDS)
def test_monthly_billing_and_dates_as_before(seed: int) -> None:
    ledger, earlier, periods = _case(seed)
    new = monthly_from(ledger, earlier, CLIENT_OF, periods)
    pd.testing.assert_frame_equal(new.table, _old_monthly_billing(ledger, earlier, CLIENT_OF, periods))
    pd.testing.assert_frame_equal(new.dates, _old_billing_dates(ledger, earlier, CLIENT_OF))
    assert "<NA>" in set(new.table["client_key"]) and "Unknown Ltd" in set(new.table["client_key"])
    # the same with the engine's codes handed in
    codes = client_codes([earlier, ledger], CLIENT_OF)
    pd.testing.assert_frame_equal(monthly_billing(ledger, earlier, CLIENT_OF, periods, codes=(codes[0], codes[1])),
                                  new.table)
    pd.testing.assert_frame_equal(billing_dates(ledger, earlier, CLIENT_OF, codes=(codes[0], codes[1])), new.dates)


@pytest.mark.parametrize("seed", SEEDS)
def test_lapsed_clients_as_before(seed: int) -> None:
    ledger, earlier, periods = _case(seed)
    # make some clients lapse: drop the window rows of three of them
    window = ledger[~ledger["client"].isin(["Cobalt", "Echo", "Unknown Ltd"])].reset_index(drop=True)
    new = find_lapsed(window, earlier, CLIENT_OF, periods)
    old = _old_lapsed(window, earlier, CLIENT_OF, periods)
    assert len(old) >= 1
    pd.testing.assert_frame_equal(new.table, old)


def test_lapsed_ties_on_date_and_amount_keep_ledger_order() -> None:
    periods = periods_for(AS_OF, dt.date(2022, 6, 1), dt.date(2024, 7, 1))
    day = pd.Timestamp("2023-05-05")
    earlier = pd.DataFrame({
        "date": [day, day, day, day, day - pd.Timedelta(days=1)],
        "client": ["Acme", "Acme", "ACME ", "Acme", "acme inc"],
        "seller": ["Kim", " ", "Lee", "Dana", "Kim"],
        "amount": np.array([50, 100, 100, 100, 300], dtype=np.int64),
    })
    window = earlier.iloc[0:0]
    new = find_lapsed(window, earlier, CLIENT_OF, periods).table
    pd.testing.assert_frame_equal(new, _old_lapsed(window, earlier, CLIENT_OF, periods))
    assert new.loc[0, "last_seller"] == "Lee" and new.loc[0, "client"] == "acme inc"


@pytest.mark.parametrize("seed", SEEDS)
def test_seller_billing_as_before(seed: int) -> None:
    ledger, _, _ = _case(seed)
    pd.testing.assert_frame_equal(seller_billing(ledger, CLIENT_OF), _old_seller_billing(ledger, CLIENT_OF))


@pytest.mark.parametrize("seed", SEEDS)
def test_client_ids_as_before(seed: int) -> None:
    ledger, _, _ = _case(seed)
    (codes,) = client_codes([ledger], CLIENT_OF)
    new = _client_ids(ledger, codes)
    assert new == _old_client_ids(ledger, CLIENT_OF)
    assert any(", " in v for v in new.values())  # several ids for one client, sorted and joined
    assert all("1001, 1001" not in v for v in new.values())  # 1001 and "1001" are one id


def test_empty_frames_and_a_window_without_rows() -> None:
    ledger, earlier, periods = _case(7)
    bare = pd.DataFrame()  # an empty frame without even its columns
    codes = client_codes([bare, ledger], CLIENT_OF)
    assert len(codes[0].codes) == 0 and len(codes[1].codes) == len(ledger)
    pd.testing.assert_frame_equal(monthly_billing(ledger, bare, CLIENT_OF, periods),
                                  _old_monthly_billing(ledger, ledger.iloc[0:0], CLIENT_OF, periods))
    earlier = earlier[earlier["client"].notna()]  # the loader keeps no nameless row, so none lapses
    lapsed = find_lapsed(ledger.iloc[0:0], earlier, CLIENT_OF, periods)
    pd.testing.assert_frame_equal(lapsed.table, _old_lapsed(ledger.iloc[0:0], earlier, CLIENT_OF, periods))
    assert len(lapsed.table) >= 3  # every client billing before the window and not in it
