"""The sample-client generator: deterministic, realistic, and messy where it should be."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from alms_toolkit import money
from alms_toolkit.cli import main
from alms_toolkit.config import load_config
from alms_toolkit.errors import ConfigError, OutputExistsError
from alms_toolkit.sample import SHIPPED_SAMPLES, build_sample, generate_client
from alms_toolkit.sample.files import CLEAN_HEADERS, MESSY_HEADERS, SampleExistsError
from alms_toolkit.sample.names import company_names, name_key, name_variants, person_names

REPO = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def truth():
    """The default media client, 36 months, in memory."""
    return build_sample(seed=3, clients=400, sellers=8, months=36, as_of=AS_OF)


@pytest.fixture(scope="module")
def messy_dir(tmp_path_factory):
    return generate_client(tmp_path_factory.mktemp("m") / "media", seed=11, clients=150, sellers=7,
                           months=30, as_of=AS_OF)


@pytest.fixture(scope="module")
def clean_dir(tmp_path_factory):
    return generate_client(tmp_path_factory.mktemp("c") / "services", seed=11, clients=80, sellers=6,
                           months=20, kind="services", messy=False, as_of=dt.date(2025, 4, 1))


def _window(sample, months: int = 12) -> pd.DataFrame:
    start = pd.Timestamp(sample.as_of) - pd.DateOffset(months=months)
    return sample.lines[sample.lines["day"] >= start]


def _of(sample, profile: str) -> pd.Index:
    return sample.clients.index[sample.clients["profile"] == profile]


# ----------------------------------------------------------------- determinism


@pytest.mark.parametrize("name", sorted(SHIPPED_SAMPLES))
def test_shipped_samples_regenerate_byte_for_byte(tmp_path, name):
    out = generate_client(tmp_path / name, **SHIPPED_SAMPLES[name])
    shipped = REPO / "client_data" / name
    made = sorted(p.name for p in out.iterdir())
    assert made == sorted(p.name for p in shipped.iterdir())
    for file in made:
        assert (out / file).read_bytes() == (shipped / file).read_bytes(), file
    assert sum(p.stat().st_size for p in shipped.iterdir()) < 3_000_000


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    a = generate_client(tmp_path / "a", seed=5, clients=60, sellers=4, months=14)
    b = generate_client(tmp_path / "b", seed=5, clients=60, sellers=4, months=14)
    c = generate_client(tmp_path / "c", seed=6, clients=60, sellers=4, months=14)
    for f in ("billing.csv", "account_list.csv", "prospects.csv", "client.yml"):
        assert (a / f).read_bytes() == (b / f).read_bytes()
    assert (a / "billing.csv").read_bytes() != (c / "billing.csv").read_bytes()


# ----------------------------------------------------------------- the ledger's stories


def test_ledger_spans_the_months_and_stops_before_as_of(truth):
    days = truth.lines["day"]
    assert days.max() < pd.Timestamp(AS_OF)
    assert days.min() >= pd.Timestamp("2022-07-01")
    assert days.dt.to_period("M").nunique() == 36
    assert truth.lines["day"].is_monotonic_increasing


def test_exact_line_count_when_asked():
    s = build_sample(seed=1, clients=50, sellers=3, months=12, lines=5_000)
    n_zero = int((s.clients["profile"] == "zero_net").sum())
    assert len(s.lines) == 5_000 + 2 * n_zero


def test_spend_is_pareto_like(truth):
    net = _window(truth).groupby("client_no")["cents"].sum().sort_values(ascending=False)
    spending = net[net > 0]
    n_key = int(np.ceil(len(spending) * 0.25))
    share = spending.iloc[:n_key].sum() / spending.sum()
    assert 0.65 <= share <= 0.85, share


def test_credits_are_negative_lines(truth):
    credits = truth.lines["cents"] < 0
    assert 0.01 < credits.mean() < 0.06
    assert (truth.lines["cents"] != 0).all()


def test_zero_net_clients_net_to_exactly_zero_in_the_window(truth):
    zero = _of(truth, "zero_net")
    assert len(zero) >= 1
    w = _window(truth)
    for i in zero:
        lines = w[w["client_no"] == i]["cents"]
        assert len(lines) == 2 and lines.sum() == 0 and (lines > 0).sum() == 1


def test_some_clients_billed_by_two_sellers(truth):
    sellers = _window(truth).groupby("client_no", observed=True)["seller"].nunique()
    assert (sellers >= 2).sum() >= 10
    assert 6 <= len(truth.sellers) == len(set(truth.sellers))
    assert all(re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", s) for s in truth.sellers)


def test_seasonal_clients_bill_in_three_months_or_fewer(truth):
    w = _window(truth)
    packed = 0
    seasonal = _of(truth, "seasonal")
    for i in seasonal:
        monthly = w[w["client_no"] == i].groupby(w["day"].dt.to_period("M"))["cents"].sum()
        if monthly.sum() > 0 and monthly.nlargest(3).sum() >= 0.7 * monthly.sum():
            packed += 1
    assert packed >= 0.8 * len(seasonal) > 0


def test_new_clients_started_recently_and_some_would_be_key(truth):
    w = _window(truth)
    net = w.groupby("client_no")["cents"].sum()
    spending = net[net > 0].sort_values(ascending=False)
    cutoff = spending.iloc[int(np.ceil(len(spending) * 0.25)) - 1]
    big = 0
    for i in _of(truth, "new"):
        lines = truth.lines[truth.lines["client_no"] == i]
        first = lines["day"].min()
        assert first >= pd.Timestamp(AS_OF) - pd.DateOffset(months=5)
        months_billed = (pd.Timestamp(AS_OF) - first).days / 30.4
        annualised = lines["cents"].sum() * 12 / months_billed
        big += annualised >= cutoff and lines["cents"].sum() < cutoff
    assert big >= 1


def test_shrinking_clients_fell_in_the_last_three_months(truth):
    recent = pd.Timestamp(AS_OF) - pd.DateOffset(months=3)
    for i in _of(truth, "shrinking"):
        lines = truth.lines[truth.lines["client_no"] == i]
        before = lines[lines["day"] < recent]["cents"].sum() / 33
        last = lines[lines["day"] >= recent]["cents"].sum() / 3
        assert last < 0.5 * before


def test_lapsed_clients_billed_only_before_the_window(truth):
    lapsed = _of(truth, "lapsed")
    assert len(lapsed) >= 20
    start = pd.Timestamp(AS_OF) - pd.DateOffset(months=12)
    for i in lapsed:
        days = truth.lines.loc[truth.lines["client_no"] == i, "day"]
        assert len(days) and days.max() < start


def test_converting_targets_start_billing_after_the_review_a_year_ago(truth):
    conv = _of(truth, "converting")
    assert 4 <= len(conv) <= 6
    assert truth.clients.loc[conv, "seller"].nunique() == len(conv)  # different sellers' wins
    cut = pd.Timestamp(AS_OF) - pd.DateOffset(months=12)
    net = _window(truth).groupby("client_no")["cents"].sum()
    spending = net[net > 0].sort_values(ascending=False)
    cutoff = spending.iloc[int(np.ceil(len(spending) * 0.25)) - 1]
    firsts = []
    for i in conv:
        lines = truth.lines[truth.lines["client_no"] == i]
        assert lines["day"].min() >= cut  # a non-spending TARGET at the review a year ago
        assert net.get(i, 0) > 0  # a spending client now
        assert lines["client"].nunique() == 1 and truth.clients.loc[i, "variants"] == ()
        assert truth.clients.loc[i, "second_seller"] == ""
        firsts.append(lines["day"].min())
    assert (net.reindex(conv, fill_value=0) >= cutoff).sum() >= 1  # at least one KEY now
    assert min(firsts) < cut + pd.DateOffset(months=4)  # spending by a republish 6 months on


def test_short_histories_have_no_converting_targets():
    s = build_sample(seed=1, clients=40, sellers=3, months=12, as_of=AS_OF)
    assert "converting" not in set(s.clients["profile"])


def test_duplicate_spellings_of_the_same_client(truth):
    spellings = truth.lines.groupby("client_no", observed=True)["client"].nunique()
    assert (spellings >= 2).sum() >= 15
    variants = [v for vs in truth.clients["variants"] for v in vs]
    names = truth.clients["name"].tolist()
    # careful readers see the same company (same rough key) ... and typos need fuzzy matching
    same_key = sum(name_key(v) in {name_key(n) for n in names} for v in variants)
    assert same_key >= 5 and len(variants) - same_key >= 2
    assert any(v.isupper() for v in variants)


def test_name_variants_cover_the_usual_spellings():
    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(40):
        seen.update(name_variants(rng, "Vance & Holloway Law Inc.", k=10))
    assert "VANCE & HOLLOWAY LAW INC" in seen
    assert "Vance and Holloway Law Inc." in seen
    assert "Holloway & Vance Law Inc." in seen
    assert "The Vance & Holloway Law Inc." in seen
    assert {"Vance & Holloway Law Incorporated", "Vance & Holloway Law, Inc."} <= seen
    assert "Vance & Holloway Law Inc." not in seen
    typos = [v for v in seen if v.startswith("Vance & H") and v.endswith(" Law Inc.") and "Holloway" not in v]
    assert typos and all(name_key(v) != name_key("Vance & Holloway Law Inc.") for v in typos)


def test_company_and_person_names_are_distinct():
    rng = np.random.default_rng(1)
    names = company_names(rng, 2_000, "services")
    assert len({name_key(n) for n in names}) == 2_000
    assert any(n.startswith("First National Bank of") for n in names)
    people = person_names(rng, 30)
    assert len(set(people)) == 30


# ----------------------------------------------------------------- the files


def test_messy_billing_file_has_real_export_quirks(messy_dir):
    raw = (messy_dir / "billing.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # cp1252, as a Windows accounting package writes it
    text = raw.decode("cp1252")
    assert "\r\n" in text
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert tuple(df.columns) == MESSY_HEADERS
    assert df["Invoice Date"].str.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}").all()
    amounts = df["Net Amount"]
    assert (amounts == "n/a").sum() == 4
    assert amounts.str.fullmatch(r"\(\d{1,3}(,\d{3})*\.\d{2}\)").sum() > 10  # credits
    assert amounts.str.fullmatch(r"\$\d{1,3},\d{3}\.\d{2}").sum() > 10
    assert (df["Customer"].str.strip() == "").sum() == 5
    assert (df["Customer"] != df["Customer"].str.rstrip()).sum() >= 6
    assert df["Customer"].str.contains("[éèüöñ]", regex=True).any()
    cfg = load_config(messy_dir)
    assert cfg.billing.columns == {} and cfg.billing.encoding is None


def test_messy_amounts_sum_to_the_generated_cents(tmp_path):
    out = generate_client(tmp_path / "x", seed=2, clients=40, sellers=3, months=6)
    truth = build_sample(seed=2, clients=40, sellers=3, months=6)
    df = pd.read_csv(out / "billing.csv", dtype=str, keep_default_na=False, encoding="cp1252")
    ok = df["Net Amount"] != "n/a"
    text = df.loc[ok, "Net Amount"].str.replace(r"[$,)]", "", regex=True).str.replace("(", "-")
    cents = sum(money.from_decimal(v) for v in text) // 10_000
    expected = truth.lines["cents"].to_numpy()[ok.to_numpy()].sum()
    assert cents == expected


def test_clean_billing_file_is_a_plain_system_export(clean_dir):
    raw = (clean_dir / "billing.csv").read_bytes()
    df = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8")
    assert tuple(df.columns) == CLEAN_HEADERS
    assert df["invoice_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert df["amount"].str.fullmatch(r"-?\d+\.\d{2}").all()
    assert (df["client_name"].str.strip() != "").all()
    assert df["client_id"].str.fullmatch(r"C\d{5}(-2)?").all()
    cfg = load_config(clean_dir)
    assert cfg.billing.columns == {"date": "invoice_date", "client": "client_name", "amount": "amount",
                                   "seller": "account_manager", "client_id": "client_id"}


def test_client_yml_parses_with_the_sample_settings(messy_dir):
    cfg = load_config(messy_dir)
    assert cfg.as_of == AS_OF
    assert cfg.billing.file.name == "billing.csv"
    assert cfg.account_list is not None and cfg.account_list.file.name == "account_list.csv"
    assert cfg.account_list.date == dt.date(2025, 3, 15)
    assert cfg.prospects is not None and cfg.prospects.file.name == "prospects.csv"
    assert cfg.branding.consultant and cfg.branding.firm and cfg.branding.page_size == "Letter"
    assert cfg.branding.currency == "$"


def test_account_list_is_stale_alphabetical_and_without_billing(messy_dir):
    cfg = load_config(messy_dir)
    lst = pd.read_csv(messy_dir / "account_list.csv", dtype=str)
    assert list(lst.columns) == ["Seller", "Account"]
    for _, group in lst.groupby("Seller"):
        names = group["Account"].str.casefold().tolist()
        assert names == sorted(names)
    bill = pd.read_csv(messy_dir / "billing.csv", dtype=str, keep_default_na=False, encoding="cp1252")
    bill["day"] = pd.to_datetime(bill["Invoice Date"], format="%m/%d/%Y")
    recent = set(bill.loc[bill["day"] >= pd.Timestamp(AS_OF) - pd.DateOffset(months=12), "Customer"])
    listed = set(lst["Account"])
    assert len(listed - recent) >= 3  # clients that no longer spend are still listed
    assert len(recent - listed) >= 10  # clients that spend are missing
    assert cfg.account_list.date < AS_OF - dt.timedelta(days=90)


def test_prospects_carry_the_problems_an_audit_must_show(messy_dir):
    p = pd.read_csv(messy_dir / "prospects.csv", dtype=str, keep_default_na=False)
    assert list(p.columns) == ["Seller", "Prospect", "Category", "Spending potential",
                               "Decision maker access", "Product fit", "Notes"]
    assert set(p["Category"]) == {"TARGET", "EXTRA", "LEAD"}
    for col in ("Spending potential", "Decision maker access", "Product fit"):
        assert p[col].isin(["1", "2", "3", "4", "5", ""]).all()
    assert (p["Decision maker access"] == "").any()  # leads not yet vetted
    targets = p[p["Category"] == "TARGET"].groupby("Seller").size()
    assert targets.min() < 5 <= targets.median()
    on_two = p.groupby("Prospect")["Seller"].nunique()
    assert (on_two >= 2).sum() == 1
    bill = pd.read_csv(messy_dir / "billing.csv", dtype=str, keep_default_na=False, encoding="cp1252")
    bill["day"] = pd.to_datetime(bill["Invoice Date"], format="%m/%d/%Y")
    targets = p[p["Category"] == "TARGET"]
    spending_targets = set(targets["Prospect"]) & set(bill["Customer"])
    # the TARGET that already spends, and the TARGETs won since the review a year ago
    # (listed by their seller, spelled as billed, billed only from that review on)
    cut = pd.Timestamp(AS_OF) - pd.DateOffset(months=12)
    first = bill[bill["Customer"].isin(spending_targets)].groupby("Customer")["day"].min()
    won = set(first.index[first >= cut])
    assert len(spending_targets - won) == 1 and len(won) == 4
    for name in won:
        rows = bill[bill["Customer"] == name]
        assert set(targets.loc[targets["Prospect"] == name, "Seller"]) == set(rows["Sales Rep"])


def test_xlsx_billing_with_a_title_above_the_header(tmp_path):
    import openpyxl

    out = generate_client(tmp_path / "x", seed=4, clients=30, sellers=3, months=4, fmt="xlsx")
    assert not (out / "billing.csv").exists()
    ws = openpyxl.load_workbook(out / "billing.xlsx", read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Billing detail report"
    assert tuple(rows[2]) == MESSY_HEADERS
    assert isinstance(rows[3][1], dt.datetime)
    assert sum(1 for r in rows[3:] if r[5] == "n/a") == 4
    assert load_config(out).billing.file.name == "billing.xlsx"


# ----------------------------------------------------------------- refusals and the CLI


def test_bad_settings_are_all_reported_at_once(tmp_path):
    with pytest.raises(ConfigError) as err:
        generate_client(tmp_path / "x", clients=5, sellers=1, kind="retail")
    msg = str(err.value)
    assert "--clients" in msg and "--sellers" in msg and "--kind" in msg
    assert not (tmp_path / "x").exists()


def test_never_writes_over_a_client_folder_unless_asked(tmp_path):
    out = generate_client(tmp_path / "x", seed=1, clients=30, sellers=3, months=3)
    before = (out / "billing.csv").read_bytes()
    with pytest.raises(SampleExistsError) as err:
        generate_client(out, seed=2, clients=30, sellers=3, months=3)
    assert isinstance(err.value, OutputExistsError) and "--force" in str(err.value)
    assert (out / "billing.csv").read_bytes() == before
    generate_client(out, seed=2, clients=30, sellers=3, months=3, overwrite=True)
    assert (out / "billing.csv").read_bytes() != before


def test_cli_sample(tmp_path):
    runner = CliRunner()
    out = tmp_path / "demo"
    res = runner.invoke(main, ["sample", str(out), "--clients", "40", "--sellers", "4", "--months", "13",
                               "--kind", "services", "--clean", "--seed", "9"])
    assert res.exit_code == 0, res.output
    assert "billing.csv" in res.output and (out / "client.yml").exists()
    assert load_config(out).billing.columns["client"] == "client_name"
    again = runner.invoke(main, ["sample", str(out)])
    assert again.exit_code == 2 and "already holds a client folder" in again.output
    bad = runner.invoke(main, ["sample", str(tmp_path / "bad"), "--clients", "3"])
    assert bad.exit_code == 2 and "--clients must be at least 20" in bad.output


# ----------------------------------------------------------------- with the loader


@pytest.mark.parametrize("name", sorted(SHIPPED_SAMPLES))
def test_shipped_samples_load_and_reconcile(name):
    from alms_toolkit.io import load_ledger

    settings = SHIPPED_SAMPLES[name]
    loaded = load_ledger(load_config(REPO / "client_data" / name))
    rec = loaded.reconciliation
    excluded = rec.excluded
    assert rec.rows_read == rec.rows_used + sum(e.rows for e in excluded.values())
    assert rec.amount_read == rec.amount_used + sum(e.amount for e in excluded.values())
    assert loaded.window.as_of == settings["as_of"]
    assert len(loaded.earlier) > 0 and rec.rows_used > 1_000
    assert loaded.ledger["seller"].nunique() == settings["sellers"]
    if settings["messy"]:
        assert excluded["unparseable_amount"].rows == 4
        assert excluded["blank_client"].rows == 5
        assert (loaded.ledger["amount"] < 0).any()
        assert loaded.ledger["client"].str.contains("é").any()
    else:
        assert {k for k, e in excluded.items() if e.rows} <= {"outside_window"}
        assert loaded.ledger["client_id"].notna().all()
