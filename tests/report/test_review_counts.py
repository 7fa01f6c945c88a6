"""A re-review's LAPSED, DORMANT and NEW counts agree between the migration table, the
lapsed page and summary.json, and summary.json counts the symptoms not assessed apart
(issue 10).

The client below is built so that every way of leaving (or joining) the list occurs once
or twice. Its reviews: 2024-01-01 (window 2023-01-01..2023-12-31; the ledger exported then
runs from 2022-01-01) and, 18 months later, 2025-07-01 (window 2024-07-01..2025-06-30; the
ledger exported then runs from 2022-07-01, so two clients of 2022 are gone from it). The
lapsed page of 2025-07-01 lists the clients that billed (net > 0) from 2023-07-01 to
2024-06-30 and nothing (net) in the window.

| client | billing | 2024-01-01 | 2025-07-01 |
|---|---|---|---|
| Atlas Media | 2022-08 9000, 2023-03 10000, 2024-09 12000 | KEY | KEY |
| Beacon Foods | 2023-05 8000, 2024-10 900 | KEY | SECONDARY |
| Echo Travel | 2023-11 9000, 2024-03 2000 | KEY | LAPSED |
| Juniper Bank | 2023-04 7000 | KEY (the cut-off) | DORMANT (nothing since 2023-04) |
| Cedar Motors | 2023-11 900, 2025-01 4000 | SECONDARY | KEY |
| Sable Auto | 2022-11 2000, 2023-01 2500, 2025-05 2600 | SECONDARY | KEY (the cut-off) |
| Delta Dental, Quill Books, Rowan Hotel, Tern Florist, Vale Pharmacy, Willow Spa, Xeno Print | both windows | SECONDARY | SECONDARY |
| Falcon Press | 2023-08 700 | SECONDARY | LAPSED |
| Granite Homes | 2023-09 600, 2024-09 credit -150 | SECONDARY | LAPSED (and NON-SPENDING: counted once) |
| Iris Salon | 2023-02 500 | SECONDARY | DORMANT |
| Kestrel Labs | 2022-05 1200 | LAPSED | DORMANT (gone from the ledger) |
| Yarrow Tools | 2022-03 600 | LAPSED | DORMANT (gone from the ledger) |
| Lumen Arts | 2022-10 800, 2025-02 1500 | LAPSED | SECONDARY (won back) |
| Maple Farms | 2023-06 300, 2023-10 credit -300 | NON-SPENDING: DORMANT | DORMANT |
| Harbor Cafe | 2024-02 400, 2024-05 300 | on no list: NEW | LAPSED |
| Nova Studio | 2024-11 3000 | NEW | KEY |
| Orbit Gym | 2025-03 500 | NEW | SECONDARY |
| Pine Dental | 2025-01 credit -80 | NEW | DORMANT (NON-SPENDING, not lapsed) |
| Umbra Labs | prospect | TARGET | TARGET |

So the lapsed page lists 4 clients (Echo, Falcon, Granite, Harbor) and the LAPSED column
totals 4; 6 clients are DORMANT. (Before issue 10, every client of the earlier list that
did not spend now, and every non-spending NEW client, was put under LAPSED: 10 against the
lapsed page's 4.)
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alms_toolkit.analysis.compare import compare_with_review
from alms_toolkit.engine import audit
from alms_toolkit.io.review import read_review
from alms_toolkit.report.views import audit_tables as tables
from alms_toolkit.report.views import narrative as say
from alms_toolkit.report.writers.crm import write_crm_files
from alms_toolkit.runs.audit_run import _write_summary

M = 1_000_000
THEN, NOW = dt.date(2024, 1, 1), dt.date(2025, 7, 1)

LEDGER = [  # date, client, amount, seller
    ("2022-03-14", "Yarrow Tools", "600.00", "Ben"),
    ("2022-05-10", "Kestrel Labs", "1200.00", "Ana"),
    ("2022-07-15", "Rowan Hotel", "1000.00", "Ben"),
    ("2022-08-09", "Atlas Media", "9000.00", "Ana"),
    ("2022-10-03", "Lumen Arts", "800.00", "Ben"),
    ("2022-11-21", "Sable Auto", "2000.00", "Ana"),
    ("2023-01-18", "Sable Auto", "2500.00", "Ana"),
    ("2023-02-06", "Iris Salon", "500.00", "Ben"),
    ("2023-02-20", "Delta Dental", "700.00", "Ana"),
    ("2023-03-08", "Atlas Media", "10000.00", "Ana"),
    ("2023-03-27", "Tern Florist", "200.00", "Ben"),
    ("2023-04-12", "Juniper Bank", "7000.00", "Ben"),
    ("2023-05-04", "Beacon Foods", "8000.00", "Ana"),
    ("2023-05-22", "Xeno Print", "250.00", "Ben"),
    ("2023-06-13", "Maple Farms", "300.00", "Ana"),
    ("2023-07-11", "Quill Books", "400.00", "Ana"),
    ("2023-08-02", "Falcon Press", "700.00", "Ben"),
    ("2023-08-24", "Vale Pharmacy", "350.00", "Ana"),
    ("2023-09-14", "Granite Homes", "600.00", "Ben"),
    ("2023-10-05", "Maple Farms", "-300.00", "Ana"),
    ("2023-10-19", "Willow Spa", "150.00", "Ben"),
    ("2023-11-07", "Echo Travel", "9000.00", "Ana"),
    ("2023-11-28", "Cedar Motors", "900.00", "Ben"),
    ("2023-12-12", "Rowan Hotel", "1100.00", "Ben"),
    ("2024-02-15", "Harbor Cafe", "400.00", "Ana"),
    ("2024-03-19", "Echo Travel", "2000.00", "Ana"),
    ("2024-05-07", "Harbor Cafe", "300.00", "Ana"),
    ("2024-07-22", "Xeno Print", "260.00", "Ben"),
    ("2024-08-13", "Quill Books", "450.00", "Ana"),
    ("2024-09-04", "Atlas Media", "12000.00", "Ana"),
    ("2024-09-25", "Granite Homes", "-150.00", "Ben"),
    ("2024-10-16", "Beacon Foods", "900.00", "Ana"),
    ("2024-11-06", "Nova Studio", "3000.00", "Ana"),
    ("2024-12-03", "Tern Florist", "250.00", "Ben"),
    ("2025-01-09", "Cedar Motors", "4000.00", "Ben"),
    ("2025-01-23", "Vale Pharmacy", "300.00", "Ana"),
    ("2025-01-30", "Pine Dental", "-80.00", "Ben"),
    ("2025-02-11", "Lumen Arts", "1500.00", "Ben"),
    ("2025-02-26", "Delta Dental", "600.00", "Ana"),
    ("2025-03-18", "Orbit Gym", "500.00", "Ana"),
    ("2025-04-08", "Rowan Hotel", "1300.00", "Ben"),
    ("2025-05-20", "Sable Auto", "2600.00", "Ana"),
    ("2025-06-17", "Willow Spa", "180.00", "Ben"),
]
PROSPECTS = """\
Seller,Prospect,Category,Spending potential,Decision maker access,Product fit
Ana,Umbra Labs,TARGET,4,3,4
"""

LAPSED_PAGE = ["Echo Travel", "Falcon Press", "Granite Homes", "Harbor Cafe"]
DORMANT = ["Iris Salon", "Juniper Bank", "Kestrel Labs", "Maple Farms", "Pine Dental", "Yarrow Tools"]
#: the migration table by hand (category then -> category now: accounts)
MATRIX = {
    "KEY": {"KEY": 1, "SECONDARY": 1, "LAPSED": 1, "DORMANT": 1},
    "SECONDARY": {"KEY": 2, "SECONDARY": 7, "LAPSED": 2, "DORMANT": 1},
    "TARGET": {"TARGET": 1},
    "LAPSED": {"SECONDARY": 1, "DORMANT": 2},
    "DORMANT": {"DORMANT": 1},
    "NEW": {"KEY": 1, "SECONDARY": 1, "LAPSED": 1, "DORMANT": 1},
}


def _ledger(since: dt.date, before: dt.date) -> str:
    rows = [r for r in LEDGER if since <= dt.date.fromisoformat(r[0]) < before]
    return "Date,Customer,Amount,Rep\n" + "".join(",".join(r) + "\n" for r in rows)


@pytest.fixture(scope="module")
def rereview(tmp_path_factory):
    base = tmp_path_factory.mktemp("rereview")
    client = base / "rereview-media"
    client.mkdir()
    (client / "client.yml").write_text(
        "client: Rereview Media\nbilling:\n  file: billing.csv\nprospects:\n  file: prospects.csv\n"
        "accept: [short_window]  # the ledger of the first review ends weeks before it\n",
        encoding="utf-8")
    (client / "prospects.csv").write_text(PROSPECTS, encoding="utf-8")
    # the review of 2024-01-01, on the ledger exported then, written as alms audit writes it
    (client / "billing.csv").write_text(_ledger(dt.date(2022, 1, 1), THEN), encoding="utf-8")
    then = audit(client, as_of=THEN)
    folder = base / "reports" / "rereview-media" / THEN.isoformat()
    write_crm_files(then.official_list, folder)
    _write_summary(then, folder)
    # this review, on today's export (the last three years)
    (client / "billing.csv").write_text(_ledger(dt.date(2022, 7, 1), NOW), encoding="utf-8")
    now = audit(client, as_of=NOW)
    comparison = compare_with_review(now, read_review(folder))
    out = base / "now"
    out.mkdir()
    _write_summary(now, out, comparison)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return then, now, comparison, summary


def test_the_earlier_review_as_written(rereview) -> None:
    then, *_ = rereview
    tiers = then.accounts.set_index("client")["tier"]
    assert sorted(tiers[tiers == "KEY"].index) == ["Atlas Media", "Beacon Foods", "Echo Travel", "Juniper Bank"]
    assert tiers["Maple Farms"] == "NON-SPENDING"
    assert sorted(then.lapsed["client"]) == ["Kestrel Labs", "Lumen Arts", "Yarrow Tools"]


def test_lapsed_page_and_tiers_now(rereview) -> None:
    _, now, _, _ = rereview
    assert list(now.lapsed["client"]) == LAPSED_PAGE  # alphabetical
    tiers = now.accounts.set_index("client")["tier"]
    assert sorted(tiers[tiers == "KEY"].index) == ["Atlas Media", "Cedar Motors", "Nova Studio", "Sable Auto"]
    assert sorted(tiers[tiers == "NON-SPENDING"].index) == ["Granite Homes", "Pine Dental"]


def test_matrix_by_hand(rereview) -> None:
    _, _, c, _ = rereview
    m = c.matrix
    assert list(m.index) == ["KEY", "SECONDARY", "TARGET", "EXTRA", "LAPSED", "DORMANT", "NEW"]
    assert list(m.columns) == ["KEY", "SECONDARY", "TARGET", "EXTRA", "LAPSED", "DORMANT"]
    for before in m.index:
        for now_ in m.columns:
            assert m.loc[before, now_] == MATRIX.get(before, {}).get(now_, 0), (before, now_)
    moved = c.movements
    assert sorted(moved.loc[moved["now"] == "LAPSED", "name"]) == LAPSED_PAGE
    assert sorted(moved.loc[moved["now"] == "DORMANT", "name"]) == DORMANT
    # KEY attrition: Beacon (SECONDARY), Echo (LAPSED), Juniper (DORMANT): 24,000 billed then
    assert (c.overall.n_key_then, c.overall.n_key_lost) == (4, 3)
    assert c.overall.key_lost_billing_then == 24_000 * M
    assert sorted(tables.key_accounts_lost(c)["name"]) == ["Beacon Foods", "Echo Travel", "Juniper Bank"]


def test_counts_agree_between_table_lapsed_page_and_summary(rereview) -> None:
    _, now, c, summary = rereview
    block = summary["comparison"]
    n_lapsed = 4
    # the lapsed page
    assert len(now.lapsed) == n_lapsed
    # the matrix (chart) and the report's table, whose Total row sums each column
    assert int(c.matrix["LAPSED"].sum()) == n_lapsed
    table = tables.migration_table(c).set_index("before")
    assert table.loc["Total", "LAPSED"] == n_lapsed and table.loc["Total", "DORMANT"] == 6
    assert table.loc["NEW", "Total"] == 4 and table.loc["Total", "Total"] == 25
    # summary.json: the top-level count and the comparison block
    assert summary["n_lapsed"] == n_lapsed
    assert block["n_lapsed"] == n_lapsed and block["now_totals"]["LAPSED"] == n_lapsed
    assert sum(row["LAPSED"] for row in block["matrix"].values()) == n_lapsed
    assert block["n_lapsed_new"] == 1  # Harbor Cafe
    assert block["n_dormant"] == 6 and block["now_totals"]["DORMANT"] == 6
    assert block["n_new"] == 4 and sum(block["matrix"]["NEW"].values()) == 4
    assert block["n_new_clients"] == 2  # Nova Studio, Orbit Gym
    assert block["matrix"] == {b: {n: int(v) for n, v in row.items()} for b, row in c.matrix.iterrows()}
    assert block["overall"]["n_key_lost"] == 3
    # the sentences under the table
    text = say.review_lapsed(**tables.review_lapsed_counts(c))
    assert text.startswith("4 clients lapsed since the review")
    assert "1 of them was on no list then (NEW)" in text
    assert "6 more clients are DORMANT" in text and "2 of them were already LAPSED" in text


def test_definitions_name_the_periods(rereview) -> None:
    _, _, c, summary = rereview
    d = c.definitions()
    assert d["LAPSED"].startswith("LAPSED: billed in the 12 months from 1 July 2023 to 30 June 2024")
    assert "exactly the clients of the lapsed page" in d["LAPSED"]
    assert d["DORMANT"].startswith("DORMANT: billed nothing (net) in the 24 months from 1 July 2023 "
                                   "to 30 June 2025, or no longer in the ledger")
    assert "The ledger starts" not in d["DORMANT"]  # the export starts 2022-07-15: history complete
    assert d["NEW"] == "NEW: on no list (client or prospect) at the review of 1 January 2024."
    assert summary["comparison"]["definitions"] == d


def test_summary_counts_symptoms_not_assessed_apart(rereview) -> None:
    """No account list, a prospects file: only the targets symptom is assessed (and passes)."""
    _, now, _, summary = rereview
    assert [s["status"] for s in summary["symptoms"]] == ["not assessed"] * 3 + ["pass"]
    assert (summary["n_symptoms"], summary["n_symptoms_assessed"], summary["n_symptoms_found"],
            summary["n_symptoms_not_assessed"]) == (4, 1, 0, 3)
    assert now.summary()["n_symptoms_assessed"] == 1  # alms summary prints the same
    assert say.symptom_card(0, 1, 4) == ("Symptoms found", "0 of 1", "1 of 4 assessed, 3 not (input missing)")


# ---------------------------------------------------------------------------- any re-review

_NAMES = ["Atlas Media", "Beacon Foods", "Cedar Motors", "Delta Dental", "Echo Travel", "Falcon Press",
          "Granite Homes", "Harbor Cafe", "Iris Salon", "Juniper Bank", "Kestrel Labs", "Lumen Arts"]


@st.composite
def _histories(draw: st.DrawFn) -> tuple[list[tuple[str, str, str, str]], dt.date, dt.date]:
    """A three-year ledger where each client bills in some months (credits too), an earlier
    review on any day and a later one 6 to 18 months after it."""
    then = draw(st.dates(dt.date(2023, 1, 1), dt.date(2023, 12, 28)))
    gap = draw(st.integers(180, 550))
    start = dt.date(2021, 1, 5)
    # a steady client billing every month from the export's first day: both windows spend
    rows = [((start + dt.timedelta(days=30 * k)).isoformat(), "Steady Works", "1000.00", "Ana") for k in range(54)]
    for name in draw(st.lists(st.sampled_from(_NAMES), min_size=4, max_size=12, unique=True)):
        for day in draw(st.lists(st.integers(0, 365 * 3 + 120), min_size=1, max_size=8)):
            amount = draw(st.sampled_from(["900.00", "2500.00", "400.00", "-300.00", "7000.00"]))
            rows.append(((start + dt.timedelta(days=day)).isoformat(), name, amount,
                         draw(st.sampled_from(["Ana", "Ben"]))))
    return rows, then, then + dt.timedelta(days=gap)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(_histories())
def test_any_rereview_counts_agree_everywhere(tmp_path_factory, case) -> None:
    """(c) for any ledger and any two review dates: the LAPSED column is the lapsed page, the
    NEW row and the column totals are the same in the matrix, the table and summary.json."""
    rows, then_day, now_day = case
    base = tmp_path_factory.mktemp("anyreview")
    client = base / "any-media"
    client.mkdir()
    (client / "client.yml").write_text("client: Any Media\nbilling:\n  file: billing.csv\n", encoding="utf-8")
    (client / "billing.csv").write_text(
        "Date,Customer,Amount,Rep\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    accept = ["one_client", "most_excluded", "short_window"]
    then = audit(client, as_of=then_day, accept=accept)
    folder = base / "reports" / "any-media" / then_day.isoformat()
    write_crm_files(then.official_list, folder)
    _write_summary(then, folder)
    now = audit(client, as_of=now_day, accept=accept)
    c = compare_with_review(now, read_review(folder))
    out = base / "now"
    out.mkdir()
    _write_summary(now, out, c)
    block = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary, block = block, block["comparison"]
    m = c.matrix
    n_lapsed = len(now.lapsed)
    assert (int(m["LAPSED"].sum()) if "LAPSED" in m.columns else 0) == n_lapsed
    assert summary["n_lapsed"] == block["n_lapsed"] == n_lapsed
    assert sorted(c.movements.loc[c.movements["now"] == "LAPSED", "client_key"]) == sorted(now.lapsed["client_key"])
    assert block["now_totals"] == {str(k): int(v) for k, v in m.sum(axis=0).items()}
    assert block["n_new"] == (int(m.loc["NEW"].sum()) if "NEW" in m.index else 0)
    table = tables.migration_table(c).set_index("before")
    assert int(table.loc["Total", "Total"]) == len(c.movements) == int(m.to_numpy().sum())
    # every spending client of this review is in the table once, in its tier
    spending = now.accounts[now.accounts["tier"] != "NON-SPENDING"]
    moved = c.movements.set_index("client_key")
    for key, tier in zip(spending["client_key"], spending["tier"], strict=True):
        assert moved.loc[key, "now"] == tier


def test_the_executive_summary_leads_with_the_news(rereview) -> None:
    """A re-review's executive summary says what moved: the KEY billing of the accounts KEY
    then and now, the KEY accounts lost with the largest, the largest lapses, the accounts
    grown into KEY; the same figures as the comparison and the lapsed page."""
    from alms_toolkit.money import format_money
    from alms_toolkit.report.views import executive_summary

    _, now, c, _ = rereview
    lines = executive_summary.news_lines(now, c)
    aims = c.overall
    assert lines[0] == f"Compared with the review of {say.day(c.as_of_then)}:"
    text = " ".join(lines)
    assert (f"the {say.plural(aims.n_key_continuing, 'account')} KEY then and now billed "
            f"{format_money(aims.key_billing_now, '$')}, against {format_money(aims.key_billing_then, '$')}") in text
    assert text.count("KEY billing up 20") == 1
    lost = tables.key_accounts_lost(c)
    if len(lost):
        assert say.plural(aims.n_key_lost, "KEY account") + " lost" in text and str(lost.iloc[0]["name"]) in text
    lapsed = now.lapsed.sort_values("previous_billing", ascending=False)
    if len(lapsed):
        top = lapsed.iloc[0]
        assert f"{top['client']} ({format_money(int(top['previous_billing']), '$')}" in text
    assert executive_summary.news_lines(now, None) == []
    shown = "".join(str(o) for o in executive_summary.executive_summary(now, c))
    assert "Since the last review" in shown and "Top actions" in shown


def test_review_news_wording() -> None:
    lines = say.review_news(
        as_of_then=dt.date(2024, 7, 1), n_key_continuing=72, key_billing_then=1_000_000 * 1_000_000,
        key_billing_now=969_000 * 1_000_000, key_growth=-0.031, n_key_lost=12,
        key_lost_billing_then=803_000 * 1_000_000, largest_lost=("Acme Travel", 408_696_860_000, "LAPSED"),
        lapses=[("Acme Travel", 408_696_860_000, "Kwame Okafor"), ("Bolt Ltd", 1_500_000, "Mei Novak")],
        n_lapsed=17, n_secondary_to_key=11, targets_to_key=[("Pine Valley Plumbing LLC", 85_300_150_000)])
    assert lines == [
        "Compared with the review of 1 July 2024:",
        "KEY billing down 3.1%: the 72 accounts KEY then and now billed $969,000.00, against "
        "$1,000,000.00 in the year to the review.",
        "12 KEY accounts lost ($803,000.00 billed in the year to the review); the largest, Acme Travel, "
        "billed $408,696.86 and is LAPSED now.",
        "Largest lapses (billed the year before, nothing since; last seller): Acme Travel ($408,696.86, "
        "Kwame Okafor), Bolt Ltd ($1.50, Mei Novak) and 15 more.",
        "Grown into KEY: 11 SECONDARY accounts and 1 TARGET (Pine Valley Plumbing LLC, $85,300.15 now).",
    ]
    quiet = say.review_news(
        as_of_then=None, n_key_continuing=0, key_billing_then=0, key_billing_now=0, key_growth=None,
        n_key_lost=0, key_lost_billing_then=0, largest_lost=None, lapses=[], n_lapsed=0,
        n_secondary_to_key=0, targets_to_key=[])
    assert quiet == ["No account grew into KEY."]


def test_the_news_names_only_the_clients_that_lapsed_since_the_review(rereview) -> None:
    """A client already LAPSED at the earlier review did not lapse since: the executive
    summary's news leaves it out of its largest lapses and the count, and the sentence under
    the table counts it apart. (Echo Travel is marked LAPSED then, as a client lapsed at both
    reviews would be.)"""
    import dataclasses

    from alms_toolkit.report.views import executive_summary

    _, now, c, _ = rereview
    m = c.movements.copy()
    m.loc[m["name"] == "Echo Travel", "before"] = "LAPSED"
    both = dataclasses.replace(c, movements=m)
    news = " ".join(executive_summary.news_lines(now, c))
    assert "Echo Travel" in news
    lapses = next(line for line in executive_summary.news_lines(now, both) if line.startswith("Largest lapses"))
    assert "Echo Travel" not in lapses and "Falcon Press" in lapses
    counts = tables.review_lapsed_counts(both)
    assert counts["n_lapsed_before"] == 1
    assert say.review_lapsed(**counts).startswith("3 clients lapsed since the review")


def test_the_four_aims_table_names_the_lost_accounts_billing(rereview) -> None:
    from alms_toolkit.report.views.review_section import review_outputs

    _, now, c, _ = rereview
    shown = "".join(str(o) for o in review_outputs(now, c))
    assert "Lost KEY billing then" in shown and "Their billing then" not in shown
