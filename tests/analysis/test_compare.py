"""Re-review comparison against the hand-made two-review fixture (tests/fixtures/README.md),
and reading / finding review folders."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from alms_toolkit.analysis.compare import BEFORE, compare_reviews
from alms_toolkit.errors import ColumnError, DataValidationError, MissingFileError
from alms_toolkit.io.review import find_previous_review, read_review, review_folders

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
THEN = FIXTURES / "review_2024-07-01"
NOW = FIXTURES / "review_2025-07-01"
M = 1_000_000  # micros per currency unit


def current_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The audit-shaped tables (accounts, prospects, lapsed) of a review's accounts.csv."""
    rows = read_review(folder).accounts
    clients = rows[rows["tier"].isin(["KEY", "SECONDARY", "NON-SPENDING"])]
    prospects = rows[rows["tier"].isin(["TARGET", "EXTRA", "LEAD"])]
    lapsed = rows[rows["tier"] == "LAPSED"]
    return {
        "accounts": pd.DataFrame({"client_key": clients["client_key"], "client": clients["name"],
                                  "billing": clients["billing"], "tier": clients["tier"],
                                  "owner": clients["owner"]}),
        "prospects": pd.DataFrame({"seller": prospects["owner"], "prospect": prospects["name"],
                                   "category": prospects["tier"]}),
        "lapsed": pd.DataFrame({"client_key": lapsed["client_key"], "client": lapsed["name"],
                                "last_seller": lapsed["owner"]}),
    }


@pytest.fixture(scope="module")
def comparison():
    then, now = read_review(THEN), read_review(NOW)
    t = current_tables(NOW)
    return compare_reviews(then.accounts, t["accounts"], t["prospects"], then.cutoff, now.cutoff,
                           lapsed=t["lapsed"], as_of_then=then.as_of, as_of_now=now.as_of)


# ---------------------------------------------------------------------------- reading


def test_read_review_fixture() -> None:
    r = read_review(THEN)
    assert r.as_of == dt.date(2024, 7, 1)
    assert r.review_date == dt.date(2025, 7, 1)
    assert r.cutoff == 1000 * M
    assert (r.client, r.slug) == ("Fixture Media", "fixture-media")
    assert len(r.accounts) == 12
    assert r.accounts["source_row"].tolist() == list(range(2, 14))
    alpha = r.accounts.set_index("name").loc["Alpha Corp"]
    assert alpha["billing"] == 5000 * M and alpha["tier"] == "KEY" and alpha["owner"] == "Ana"
    assert r.accounts.set_index("name").loc["India Media", "billing"] == 0


def test_read_review_restores_formula_safe_names(tmp_path: Path) -> None:
    from alms_toolkit.report.writers.safe_cells import safe_text

    folder = tmp_path / "2024-07-01"
    folder.mkdir()
    names = ["=HYPERLINK(1)", "'=quoted", "-minus", "plain"]
    lines = ["client_key,name,tier,owner,billing_12m,cutoff,as_of"]
    lines += [f"k{i},\"{safe_text(n)}\",SECONDARY,Ana,1.00,5.00,2024-07-01" for i, n in enumerate(names)]
    (folder / "accounts.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    r = read_review(folder)
    assert r.accounts["name"].tolist() == names
    assert r.cutoff == 5 * M and r.as_of == dt.date(2024, 7, 1)  # from accounts.csv alone


def test_read_review_lists_every_problem(tmp_path: Path) -> None:
    folder = tmp_path / "2024-07-01"
    folder.mkdir()
    (folder / "accounts.csv").write_text(
        "client_key,name,tier,owner,billing_12m,cutoff\n"
        "a,A,KEY,Ana,12.x,10.00\n"
        "b,B,GOLD,Ana,5.00,10.00\n"
        "c,C,SECONDARY,Ben,abc,10.00\n"
        "d,D,KEY,Ben,,11.00\n",
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as err:
        read_review(folder)
    text = str(err.value)
    assert "accounts.csv has 4 problems" in text
    assert "column 'billing_12m'; rows 2, 4)" in text and "'12.x'" in text
    assert "unknown tier" in text and "row 3)" in text and "'GOLD'" in text
    assert "KEY or SECONDARY row without billing (column 'billing_12m'; row 5)" in text
    assert "cut-off differs between rows" in text


def test_read_review_missing_things(tmp_path: Path) -> None:
    with pytest.raises(MissingFileError, match="does not exist"):
        read_review(tmp_path / "nope")
    with pytest.raises(MissingFileError, match="no accounts.csv"):
        read_review(tmp_path)
    (tmp_path / "accounts.csv").write_text("client_key,name,owner\n", encoding="utf-8")
    with pytest.raises(ColumnError, match="tier, billing_12m not found"):
        read_review(tmp_path)


def test_read_review_cutoff_must_agree_with_summary(tmp_path: Path) -> None:
    folder = tmp_path / "2024-07-01"
    shutil.copytree(THEN, folder)
    summary = json.loads((folder / "summary.json").read_text())
    summary["cutoff"] = "999.99"
    (folder / "summary.json").write_text(json.dumps(summary))
    with pytest.raises(DataValidationError, match=r"cut-off in accounts.csv \(1000.00\) is not the one"):
        read_review(folder)


def test_find_previous_review(tmp_path: Path) -> None:
    base = tmp_path / "reports" / "fixture-media"
    for name in ("2024-01-01", "2024-07-01", "2025-07-01", ".2024-09-01.partial-x", "2024-08-01.failed"):
        (base / name).mkdir(parents=True)
        (base / name / "accounts.csv").write_text("x\n")
    (base / "2024-09-15").mkdir()  # no accounts.csv: not a review
    root = tmp_path / "reports"
    assert [d for d, _ in review_folders(root, "fixture-media")] == [
        dt.date(2024, 1, 1), dt.date(2024, 7, 1), dt.date(2025, 7, 1)]
    assert find_previous_review(root, "fixture-media", dt.date(2025, 7, 1)) == base / "2024-07-01"
    assert find_previous_review(root, "fixture-media", dt.date(2026, 1, 1)) == base / "2025-07-01"
    assert find_previous_review(root, "fixture-media", dt.date(2024, 7, 1)) == base / "2024-01-01"
    assert find_previous_review(root, "fixture-media", dt.date(2024, 1, 1)) is None
    assert find_previous_review(root, "other-client", dt.date(2025, 7, 1)) is None


# ---------------------------------------------------------------------------- comparison


def test_matrix_by_hand(comparison) -> None:
    m = comparison.matrix
    # nobody was DORMANT then: that row is left out
    assert list(m.index) == ["KEY", "SECONDARY", "TARGET", "EXTRA", "LEAD", "LAPSED", "NEW"]
    # nobody is a LEAD now: the LEAD column is left out; Kilo Labs was dropped
    assert list(m.columns) == ["KEY", "SECONDARY", "TARGET", "EXTRA", "LAPSED", "DORMANT", "DROPPED"]
    expected = {
        ("KEY", "KEY"): 2, ("KEY", "SECONDARY"): 1, ("KEY", "LAPSED"): 1,
        ("SECONDARY", "KEY"): 1, ("SECONDARY", "SECONDARY"): 1, ("SECONDARY", "LAPSED"): 1,
        ("TARGET", "KEY"): 1, ("TARGET", "TARGET"): 1,
        ("EXTRA", "TARGET"): 1,
        ("LEAD", "DROPPED"): 1,
        ("LAPSED", "DORMANT"): 1,
        ("NEW", "SECONDARY"): 1, ("NEW", "TARGET"): 1,
    }
    for before in m.index:
        for now in m.columns:
            assert m.loc[before, now] == expected.get((before, now), 0), (before, now)
    # every account of either list is counted once: 12 listed then + 2 new
    assert int(m.to_numpy().sum()) == 14
    # LAPSED now is the lapsed page (Delta LLC, Golf Group: Golf Group listed NON-SPENDING
    # and LAPSED counts once); Lima Old, lapsed then and gone now, is DORMANT
    assert comparison.n_now("LAPSED") == 2 and comparison.n_now("DORMANT") == 1


def test_cutoff_then_and_now(comparison) -> None:
    assert comparison.cutoff_then == 1000 * M
    assert comparison.cutoff_now == 1200 * M
    assert comparison.cutoff_change == pytest.approx(0.2)
    assert comparison.as_of_then == dt.date(2024, 7, 1)
    assert comparison.as_of_now == dt.date(2025, 7, 1)


def test_overall_aims_by_hand(comparison) -> None:
    a = comparison.overall
    # continuing KEY: Alpha 5000 -> 6000, Charlie 1500 -> 1650
    assert (a.n_key_then, a.n_key_continuing) == (4, 2)
    assert (a.key_billing_then, a.key_billing_now) == (6500 * M, 7650 * M)
    assert a.key_growth == pytest.approx(float(Fraction(1150, 6500)))
    # attrition: Bravo (to SECONDARY, 2000 then) and Delta (lapsed, 1000 then)
    assert (a.n_key_lost, a.key_lost_billing_then) == (2, 3000 * M)
    assert a.key_attrition == pytest.approx(0.5)
    # Hotel Partners Inc. (TARGET) is now the KEY client "Hotel Partners", 2500
    assert (a.n_targets_then, a.n_target_to_key, a.target_to_key_billing) == (2, 1, 2500 * M)
    # Echo (SECONDARY 800) is now KEY at 1300
    assert (a.n_secondary_then, a.n_secondary_to_key, a.secondary_to_key_billing) == (3, 1, 1300 * M)


def test_aims_per_seller_by_hand(comparison) -> None:
    s = comparison.by_seller.set_index("seller")
    assert list(s.index) == ["Ana", "Ben"]
    ana, ben = s.loc["Ana"], s.loc["Ben"]
    assert (ana.n_key_then, ana.n_key_continuing, ana.n_key_lost) == (2, 1, 1)
    assert (ana.key_billing_then, ana.key_billing_now) == (5000 * M, 6000 * M)
    assert ana.key_growth == pytest.approx(0.2) and ana.key_attrition == pytest.approx(0.5)
    assert ana.key_lost_billing_then == 2000 * M
    assert (ana.n_target_to_key, ana.target_to_key_billing) == (1, 2500 * M)
    assert (ana.n_secondary_then, ana.n_secondary_to_key, ana.secondary_to_key_billing) == (1, 1, 1300 * M)
    assert (ben.n_key_then, ben.n_key_continuing, ben.n_key_lost) == (2, 1, 1)
    assert (ben.key_billing_then, ben.key_billing_now) == (1500 * M, 1650 * M)
    assert ben.key_growth == pytest.approx(0.1)
    assert ben.key_lost_billing_then == 1000 * M
    assert (ben.n_targets_then, ben.n_target_to_key) == (1, 0)
    assert (ben.n_secondary_then, ben.n_secondary_to_key) == (2, 0)
    # the per-seller figures add up to the overall ones
    for col in ("n_key_then", "key_billing_then", "key_billing_now", "n_key_lost",
                "key_lost_billing_then", "n_target_to_key", "n_secondary_to_key"):
        assert int(s[col].sum()) == getattr(comparison.overall, col)


def test_movements_matching(comparison) -> None:
    mv = comparison.movements.set_index("name")
    assert mv.loc["Golf Group", "matched_by"] == "name"  # client_key changed between reviews
    assert mv.loc["Golf Group", "now"] == "LAPSED" and mv.loc["Golf Group", "billing_now"] == -50 * M
    assert mv.loc["Hotel Partners", "matched_by"] == "name"
    assert mv.loc["Hotel Partners", "before"] == "TARGET" and mv.loc["Hotel Partners", "now"] == "KEY"
    assert mv.loc["Alpha Corp", "matched_by"] == "client key"
    assert mv.loc["Delta LLC", "now"] == "LAPSED" and mv.loc["Delta LLC", "owner_then"] == "Ben"
    assert mv.loc["Lima Old", "matched_by"] == "" and mv.loc["Lima Old", "now"] == "DORMANT"  # absent now
    assert list(comparison.moved("KEY", "KEY")["name"]) == ["Alpha Corp", "Charlie Inc"]


def test_to_dict_is_exact_json(comparison) -> None:
    d = json.loads(json.dumps(comparison.to_dict()))
    assert d["cutoff_then"] == "1000.00" and d["cutoff_now"] == "1200.00"
    assert d["matrix"]["KEY"]["SECONDARY"] == 1 and d["matrix"]["NEW"]["TARGET"] == 1
    assert d["overall"]["key_billing_now"] == "7650.00"
    assert d["overall"]["key_lost_billing_then"] == "3000.00"
    assert [s["seller"] for s in d["sellers"]] == ["Ana", "Ben"]
    assert d["sellers"][1]["key_growth"] == pytest.approx(0.1)


def test_inputs_not_modified() -> None:
    then = read_review(THEN).accounts
    t = current_tables(NOW)
    copies = [then.copy(), *(f.copy() for f in t.values())]
    compare_reviews(then, t["accounts"], t["prospects"], 1, 2, lapsed=t["lapsed"])
    for before, after in zip(copies, [then, *t.values()], strict=True):
        pd.testing.assert_frame_equal(before, after)


def test_client_of_resolves_a_renamed_client() -> None:
    previous = pd.DataFrame({"client_key": ["zulu trdng"], "name": ["Zulu Trdng"], "tier": ["KEY"],
                             "owner": ["Ana"], "billing_12m": ["100.00"]})
    accounts = pd.DataFrame({"client_key": ["zulu trading"], "client": ["Zulu Trading"],
                             "billing": [150 * M], "tier": ["KEY"], "owner": ["Ana"]})
    alone = compare_reviews(previous, accounts, None, 100 * M, 100 * M)
    assert alone.matrix.loc["KEY", "DORMANT"] == 1 and alone.matrix.loc["NEW", "KEY"] == 1
    assert alone.overall.n_key_lost == 1  # KEY then, DORMANT now: KEY attrition
    merged = compare_reviews(previous, accounts, None, 100 * M, 100 * M,
                             client_of={"Zulu Trdng": "zulu trading", "Zulu Trading": "zulu trading"})
    assert merged.matrix.loc["KEY", "KEY"] == 1 and merged.matrix.loc["NEW"].sum() == 0
    assert merged.overall.key_growth == pytest.approx(0.5)  # billing_12m text parsed exactly


def test_no_key_then_gives_no_rates() -> None:
    previous = pd.DataFrame({"client_key": [""], "name": ["Tango"], "tier": ["TARGET"],
                             "owner": ["Ana"], "billing": [0]})
    accounts = pd.DataFrame({"client_key": ["tango"], "client": ["Tango"], "billing": [5 * M],
                             "tier": ["SECONDARY"], "owner": ["Ana"]})
    c = compare_reviews(previous, accounts, None, None, 5 * M)
    assert c.overall.key_growth is None and c.overall.key_attrition is None
    assert c.cutoff_change is None
    assert c.matrix.loc["TARGET", "SECONDARY"] == 1
    assert set(c.matrix.index) <= set(BEFORE)
    assert c.to_dict()["cutoff_then"] is None


def test_unknown_tier_is_an_error() -> None:
    previous = pd.DataFrame({"client_key": ["a"], "name": ["A"], "tier": ["GOLD"],
                             "owner": ["Ana"], "billing": [0]})
    accounts = pd.DataFrame(columns=["client_key", "client", "billing", "tier", "owner"])
    with pytest.raises(ValueError, match="unknown tier 'GOLD'"):
        compare_reviews(previous, accounts, None, 1, 1)


def test_aims_table_and_new_clients(comparison) -> None:
    table = comparison.aims_table()
    assert list(table["seller"]) == ["Ana", "Ben", "All sellers"]
    assert table["key_billing_now"].tolist() == [6000 * M, 1650 * M, 7650 * M]
    assert str(table["key_billing_now"].dtype) == "int64"
    assert comparison.n_new_clients() == 1  # Mike Motors (November Ltd is a new target)
    assert comparison.to_dict()["n_new_clients"] == 1


def test_narrative_of_the_fixture(comparison) -> None:
    from alms_toolkit.report.views.narrative import review_comparison

    c, a = comparison, comparison.overall
    text = review_comparison(
        as_of_then=c.as_of_then, cutoff_then=c.cutoff_then, cutoff_now=c.cutoff_now,
        cutoff_change=c.cutoff_change, n_key_then=a.n_key_then, n_key_continuing=a.n_key_continuing,
        key_billing_then=a.key_billing_then, key_billing_now=a.key_billing_now, key_growth=a.key_growth,
        n_key_lost=a.n_key_lost, key_lost_billing_then=a.key_lost_billing_then,
        n_secondary_to_key=a.n_secondary_to_key, n_targets_then=a.n_targets_then,
        n_target_to_key=a.n_target_to_key, n_new_clients=c.n_new_clients(),
    )
    assert text == (
        "Since the review of 1 July 2024, the KEY cut-off went from $1,000.00 to $1,200.00 (up 20%). "
        "2 of the 4 KEY accounts of then are still KEY; their billing went from $6,500.00 to $7,650.00 "
        "(up 18%). 2 KEY accounts (50%) fell to SECONDARY, LAPSED or DORMANT; they billed $3,000.00 "
        "then. 1 SECONDARY account grew into KEY, and 1 of the 2 TARGETs became KEY. 1 client now "
        "spending was on no list at that review."
    )


# ---------------------------------------------------------------------------- LAPSED and DORMANT


def _accounts(rows: list[tuple[str, str, int, str]]) -> pd.DataFrame:
    return pd.DataFrame({"client_key": [r[0] for r in rows], "client": [r[1] for r in rows],
                         "billing": [r[2] * M for r in rows], "tier": [r[3] for r in rows],
                         "owner": ["Ana"] * len(rows)})


def test_lapsed_now_is_the_lapsed_page_and_the_rest_dormant() -> None:
    previous = pd.DataFrame({
        "client_key": ["a", "b", "c", "d"], "name": ["Alpha", "Bravo", "Charlie", "Delta"],
        "tier": ["KEY", "SECONDARY", "SECONDARY", "KEY"], "owner": ["Ana"] * 4,
        "billing": [900 * M, 100 * M, 50 * M, 800 * M],
    })
    # Alpha netted below 0 now and is on the lapsed page; Bravo netted 0 and is not
    # (nothing in the year before the window); Charlie is on the lapsed page only;
    # Delta is nowhere (gone from the ledger); Echo is on the lapsed page, on no list then
    accounts = _accounts([("a", "Alpha", -20, "NON-SPENDING"), ("b", "Bravo", 0, "NON-SPENDING")])
    lapsed = pd.DataFrame({"client_key": ["a", "c", "e"], "client": ["Alpha", "Charlie", "Echo"],
                           "last_seller": ["Ana"] * 3})
    c = compare_reviews(previous, accounts, None, 800 * M, 100 * M, lapsed=lapsed)
    now = c.movements.set_index("name")["now"].to_dict()
    assert now == {"Alpha": "LAPSED", "Bravo": "DORMANT", "Charlie": "LAPSED", "Delta": "DORMANT",
                   "Echo": "LAPSED"}
    assert c.n_now("LAPSED") == len(lapsed) == 3
    assert c.n_moved("NEW", "LAPSED") == 1 and c.n_now("DORMANT") == 2
    assert c.overall.n_key_lost == 2  # Alpha (LAPSED) and Delta (DORMANT)
    d = c.to_dict()
    assert d["n_lapsed"] == 3 and d["n_dormant"] == 2 and d["n_lapsed_new"] == 1 and d["n_new"] == 1
    assert d["now_totals"] == {"KEY": 0, "SECONDARY": 0, "TARGET": 0, "EXTRA": 0, "LAPSED": 3, "DORMANT": 2}


def test_lapsed_rows_without_a_key_match_by_name_once() -> None:
    accounts = _accounts([("golf group", "Golf Group", -5, "NON-SPENDING"),
                          ("golf group 2", "Golf Group", -1, "NON-SPENDING")])
    lapsed = pd.DataFrame({"client": ["Golf Group"], "last_seller": ["Ben"]})
    empty = pd.DataFrame(columns=["client_key", "name", "tier", "owner", "billing"])
    c = compare_reviews(empty, accounts, None, None, None, lapsed=lapsed)
    # one lapsed row: one LAPSED client, the other Golf Group is DORMANT
    assert c.n_now("LAPSED") == 1 and c.n_now("DORMANT") == 1


def test_category_then_from_the_earlier_list() -> None:
    # as alms audit writes it: a client on the lapsed page that netted below 0 is listed
    # NON-SPENDING and LAPSED; a NON-SPENDING client not on it was DORMANT then
    previous = pd.DataFrame({
        "client_key": ["g", "h", "g"], "name": ["Golf", "Hotel", "Golf"],
        "tier": ["NON-SPENDING", "NON-SPENDING", "LAPSED"], "owner": ["Ben"] * 3,
        "billing": [-10 * M, 0, 0],
    })
    accounts = _accounts([("g", "Golf", 300, "SECONDARY")])
    c = compare_reviews(previous, accounts, None, 1000 * M, 1000 * M)
    before = c.movements.set_index("name")["before"].to_dict()
    assert before == {"Golf": "LAPSED", "Hotel": "DORMANT"}
    assert list(c.matrix.index) == ["KEY", "SECONDARY", "TARGET", "EXTRA", "LAPSED", "DORMANT", "NEW"]
    assert c.n_moved("LAPSED", "SECONDARY") == 1 and c.n_moved("DORMANT", "DORMANT") == 1


def test_definitions_with_short_or_no_history() -> None:
    empty = pd.DataFrame(columns=["client_key", "name", "tier", "owner", "billing"])
    accounts = _accounts([("a", "Alpha", 10, "SECONDARY")])

    def dormant(history_start: dt.date | None) -> str:
        return compare_reviews(empty, accounts, None, None, None, as_of_then=dt.date(2024, 7, 1),
                               as_of_now=dt.date(2025, 7, 1), history_start=history_start).definitions()["DORMANT"]

    assert "ledger starts" not in dormant(dt.date(2023, 7, 1)) and "no billing before" not in dormant(None)
    assert ("The ledger starts on 2 January 2024: a client that billed only before then counts as "
            "DORMANT, not LAPSED.") in dormant(dt.date(2024, 1, 2))
    assert ("This ledger shows no billing before 1 July 2024, so no client can be found LAPSED"
            in dormant(dt.date(2024, 7, 1)))
    undated = compare_reviews(empty, accounts, None, None, None).definitions()
    assert undated["LAPSED"].startswith("LAPSED: billed in the 12 months before this review's 12 months")
    assert undated["NEW"] == "NEW: on no list (client or prospect) at the earlier review."
    assert "DROPPED" not in undated


def test_moves_by_the_cut_off_alone_are_told_apart(comparison) -> None:
    """The cut-off rose from $1,000 to $1,200: a KEY account of then now SECONDARY that still
    bills $1,000 or more fell by the cut-off's move, not its billing; one billing less fell by
    its billing. The narrative and the two tables say which."""
    from alms_toolkit.report.views.audit_tables import (
        grown_into_key,
        key_accounts_lost,
        moved_by_cutoff,
    )

    m = comparison.movements.assign(by_cutoff=comparison.by_cutoff())
    cutoff_then = comparison.cutoff_then
    fallen = m[(m["before"] == "KEY") & (m["now"] == "SECONDARY")]
    assert (fallen["by_cutoff"] == (fallen["billing_now"] >= cutoff_then)).all()
    grown = m[m["before"].isin(["SECONDARY", "TARGET", "EXTRA"]) & (m["now"] == "KEY")]
    assert (grown["by_cutoff"] == (grown["billing_now"] < cutoff_then)).all()
    assert not m.loc[~m.index.isin(fallen.index.union(grown.index)), "by_cutoff"].any()
    counts = moved_by_cutoff(comparison)
    assert counts == {"n_grown_by_cutoff": int(grown["by_cutoff"].sum()), "n_lost_by_cutoff": int(fallen["by_cutoff"].sum())}
    lost = key_accounts_lost(comparison).set_index("name")["why"]
    assert set(lost) <= {"the cut-off rose", "its billing fell"}
    assert (lost == "the cut-off rose").sum() == counts["n_lost_by_cutoff"]
    assert set(grown_into_key(comparison)["why"]) <= {"the cut-off fell", "its billing grew"}


def test_narrative_names_the_moves_of_the_cut_off() -> None:
    from alms_toolkit.report.views.narrative import review_comparison

    base = dict(as_of_then=None, cutoff_then=10_000_000_000, cutoff_now=8_000_000_000, cutoff_change=-0.2,
                n_key_then=4, n_key_continuing=3, key_billing_then=50_000_000_000, key_billing_now=52_000_000_000,
                key_growth=0.04, n_key_lost=1, key_lost_billing_then=11_000_000_000, n_secondary_to_key=3,
                n_targets_then=0, n_target_to_key=0, n_new_clients=0)
    text = review_comparison(**base, n_grown_by_cutoff=2)
    assert ("3 SECONDARY accounts grew into KEY; 2 of these are KEY only because the cut-off fell (they bill "
            "less than the cut-off of then).") in text
    assert "rose" not in text
    up = dict(base, cutoff_now=12_000_000_000, cutoff_change=0.2)
    text = review_comparison(**up, n_lost_by_cutoff=1)
    assert ("1 KEY account (25%) fell to SECONDARY, LAPSED or DORMANT (only because the cut-off rose: "
            "it still bills at least the cut-off of then); it billed") in text
    one = review_comparison(**dict(base, n_secondary_to_key=1), n_grown_by_cutoff=1)
    assert "1 SECONDARY account grew into KEY; it is KEY only because the cut-off fell (it bills less" in one
    every = review_comparison(**dict(base, n_secondary_to_key=2), n_grown_by_cutoff=2)
    assert "2 SECONDARY accounts grew into KEY; all of these are KEY only because the cut-off fell" in every
    assert "only because the cut-off fell" not in review_comparison(**base)
