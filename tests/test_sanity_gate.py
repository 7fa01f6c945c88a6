"""The sanity gate before any report (issue 9, item 5): no row used, most of the money left
out, one client holding everything: exit 2 with the reason and the figures, unless accepted
knowingly (``--accept CODE`` or client.yml ``accept: [CODE]``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from click.testing import CliRunner

from alms_toolkit.analysis.sanity import (
    Finding,
    accepted_codes,
    check_ledger,
    refuse_unaccepted,
)
from alms_toolkit.batch import jobs
from alms_toolkit.cli import main
from alms_toolkit.engine import audit
from alms_toolkit.errors import ConfigError, ImplausibleDataError
from alms_toolkit.io.reconciliation import ExcludedRows, Reconciliation
from alms_toolkit.io.window import twelve_month_window

M = 1_000_000


# ---------------------------------------------------------------------------- check_ledger, pure


def _loaded(used: dict[str, int], excluded: dict[str, tuple[int, int]] | None = None, *,
            window: object = "2024-07-01", earlier: list[str] | None = None) -> SimpleNamespace:
    """A loaded ledger: one used row per client (billing in units), excluded reasons
    (rows, amount in units), the window's as_of (config source), earlier row dates."""
    ledger = pd.DataFrame({"client": list(used), "amount": [v * M for v in used.values()]})
    excl = {r: ExcludedRows(rows=n, amount=a * M, first_rows=(2, 3)) for r, (n, a) in (excluded or {}).items()}
    win = twelve_month_window(dt.date.fromisoformat(window), "config") if isinstance(window, str) else None
    recon = Reconciliation(
        file=Path("billing.csv"), rows_read=len(used) + sum(e.rows for e in excl.values()),
        rows_used=len(used), amount_read=sum(ledger["amount"]) + sum(e.amount for e in excl.values()),
        amount_used=int(ledger["amount"].sum()), excluded=excl,
        window_start=win.start if win else None, window_end=win.end if win else None,
    )
    early = pd.DataFrame({"date": pd.to_datetime(earlier or []), "client": ["X"] * len(earlier or []),
                          "amount": [M] * len(earlier or [])})
    zeros = pd.DataFrame({"client": [], "amount": []})
    return SimpleNamespace(reconciliation=recon, ledger=ledger, earlier=early, window=win, zero_rows=zeros)


PLAUSIBLE = {"Acme": 4000, "Bolt": 3000, "Core": 2000, "Dune": 1000}


def _codes(findings: tuple[Finding, ...]) -> list[str]:
    return [f.code for f in findings]


def test_a_plausible_ledger_has_no_finding() -> None:
    assert check_ledger(_loaded(PLAUSIBLE, {"outside_window": (900, 10**6), "zero_amount": (50, 0)})) == ()


def test_no_rows_used_outside_the_window_names_the_window_as_of_and_dates() -> None:
    loaded = _loaded({}, {"outside_window": (12, 5000)}, earlier=["2019-03-01", "2021-11-30"])
    (f,) = check_ledger(loaded)
    assert f.code == "no_rows_used" and not f.acceptable
    assert "12 rows ($5,000.00) are dated outside the 12-month window 2023-07-01 to 2024-06-30" in f.message
    assert "from 2019-03-01 to 2021-11-30" in f.message
    assert "as_of is 2024-07-01" in f.check and "--as-of" in f.check


def test_no_rows_used_every_row_excluded_gives_the_top_reasons() -> None:
    loaded = _loaded({}, {"blank_client": (7, 700), "unparseable_amount": (3, 0), "zero_amount": (1, 0),
                          "missing_amount": (1, 0)})
    (f,) = check_ledger(loaded, currency="€")
    assert f.code == "no_rows_used"
    assert "client blank: 7 rows (€700.00; first rows 2, 3)" in f.message
    assert "amount not a number: 3 rows" in f.message and "and 1 more reason(s)" in f.message
    assert "billing.columns" in f.check


def test_most_excluded_by_money_and_by_rows() -> None:
    by_money = check_ledger(_loaded(PLAUSIBLE, {"blank_client": (2, 20_000)}))
    assert _codes(by_money) == ["most_excluded"]
    assert "66.7% of the money ($20,000.00 of $30,000.00, absolute amounts)" in by_money[0].message
    by_rows = check_ledger(_loaded(PLAUSIBLE, {"unparseable_amount": (5, 0)}))
    assert _codes(by_rows) == ["most_excluded"] and "5 of 9 rows (55.6%)" in by_rows[0].message
    # credits count by their size
    assert _codes(check_ledger(_loaded(PLAUSIBLE, {"blank_client": (1, -15_000)}))) == ["most_excluded"]
    # what the consultant's own settings leave out (billing.exclude, hidden_rows: exclude) is decided
    assert check_ledger(_loaded(PLAUSIBLE, {"excluded_by_filter": (5, 90_000), "hidden_row": (4, 50_000)})) == ()
    # half exactly is not most
    assert check_ledger(_loaded(PLAUSIBLE, {"blank_client": (1, 10_000)})) == ()


def test_totals_footers_window_and_zero_rows_are_not_real_exclusions_but_unknown_reasons_are() -> None:
    harmless = {"aggregate": (40, 90_000), "footer": (3, 0), "section_header": (10, 0),
                "outside_window": (100, 50_000), "zero_amount": (30, 0)}
    assert check_ledger(_loaded(PLAUSIBLE, harmless)) == ()
    assert _codes(check_ledger(_loaded(PLAUSIBLE, {"a_reason_added_later": (9, 20_000)}))) == ["most_excluded"]


def test_one_client_with_90_percent_or_alone() -> None:
    (f,) = check_ledger(_loaded({"Acme": 9000, "Bolt": 600, "Core": 400}))
    assert f.code == "one_client" and f.acceptable
    assert "one client holds 90.0% of the 12-month revenue: 'Acme' billed $9,000.00 of $10,000.00" in f.message
    (alone,) = check_ledger(_loaded({"Acme": 500, "Bolt": -100}))  # Bolt nets negative: not spending
    assert alone.code == "one_client" and "only one client spent money" in alone.message
    assert check_ledger(_loaded({"Acme": 8900, "Bolt": 1100})) == ()


def test_one_client_reads_the_combined_clients_when_given() -> None:
    loaded = _loaded({"Acme Inc": 5000, "ACME, Inc.": 4500, "Bolt": 500})
    assert check_ledger(loaded) == ()  # spellings apart: 50%
    combined = pd.DataFrame({"client": ["Acme Inc", "Bolt"], "billing": [9500 * M, 500 * M]})
    assert _codes(check_ledger(loaded, combined)) == ["one_client"]


def test_refusal_message_lists_figures_checks_and_the_exact_fix() -> None:
    findings = check_ledger(_loaded({"Acme": 9500, "Bolt": 500}, {"blank_client": (9, 20_000)}))
    assert _codes(findings) == ["most_excluded", "one_client"]
    with pytest.raises(ImplausibleDataError) as info:
        refuse_unaccepted(findings, {"one_client"}, Path("billing.csv"))
    err = info.value
    assert err.codes == ("most_excluded",) and err.exit_code == 2
    text = str(err)
    assert text.startswith("billing.csv: the file reads, but its figures cannot be used as they are")
    assert "Check first" in text
    assert text.rstrip().endswith("add --accept most_excluded to the command, or write in client.yml:  accept: [most_excluded]")
    assert refuse_unaccepted(findings, {"one_client", "most_excluded"}, "b.csv") == findings


def test_no_rows_used_cannot_be_accepted() -> None:
    findings = check_ledger(_loaded({}, {"outside_window": (3, 30)}))
    with pytest.raises(ImplausibleDataError, match="Nothing can be reported until the ledger gives spending clients"):
        refuse_unaccepted(findings, {"no_rows_used", "one_client", "most_excluded"}, "b.csv")
    with pytest.raises(ConfigError, match="no_rows_used: no row of the ledger is used, which cannot be accepted"):
        accepted_codes(["no_rows_used"])
    with pytest.raises(ConfigError, match="not a check that can be accepted"):
        accepted_codes("one_client,oops")
    assert accepted_codes(None, "one_client, most_excluded", ["one_client"]) == {"one_client", "most_excluded"}


# ---------------------------------------------------------------------------- through the commands

# each ledger reaches back before its 12-month window (a row of 2023 for Acme), so that the
# window is covered and only the check each test is about fails
HEADER = "Date,Customer,Amount,Rep\n2023-01-02,Acme,1,Ana\n"
ONE_CLIENT = HEADER + "2024-01-05,Acme,95000,Ana\n2024-02-05,Bolt,3000,Ben\n2024-03-05,Core,2000,Ana\n"
MOST_EXCLUDED = HEADER + (
    "2024-01-05,Acme,3000,Ana\n2024-02-05,Bolt,2500,Ben\n2024-03-05,Core,2000,Ana\n"
    "2024-03-06,Dune,1500,Ben\n2024-04-01,,90000,Ana\n"
)
PLAUSIBLE_CSV = HEADER + "".join(
    f"2024-0{1 + i % 6}-1{i % 9},Client {i % 7},{1000 + 97 * i},{'Ana' if i % 2 else 'Ben'}\n" for i in range(30)
)


def _client(root: Path, name: str, ledger: str, extra: str = "") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "billing.csv").write_text(ledger, encoding="utf-8")
    (folder / "client.yml").write_text(f"client: {name.title()}\nbilling: billing.csv\n{extra}", encoding="utf-8")
    return folder


def _invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("command", ["summary", "validate", "audit"])
def test_each_command_refuses_with_exit_2_and_accepts_with_the_option(tmp_path: Path, command: str) -> None:
    folder = _client(tmp_path, "solo", ONE_CLIENT)
    refused = _invoke(command, folder, *(["--quiet", "--out", tmp_path / "r"] if command == "audit" else []))
    assert refused.exit_code == 2, refused.output
    assert "Traceback" not in refused.output
    assert "one_client: one client holds 95.0% of the 12-month revenue: 'Acme' billed $95,000.00 of $100,000.00" in refused.output
    assert "--accept one_client" in refused.output and "accept: [one_client]" in refused.output
    assert not (tmp_path / "r").exists()  # refused before anything was written
    if command == "audit":
        return  # the accepted audit runs the notebook: see test_audit_with_accept_runs_the_notebook
    accepted = _invoke(command, folder, "--accept", "one_client")
    assert accepted.exit_code == 0, accepted.output
    if command == "summary":
        summary = json.loads(accepted.stdout)
        assert [c["code"] for c in summary["accepted_checks"]] == ["one_client"]
    else:
        assert "Sanity check one_client accepted" in accepted.output


def test_client_yml_accept_and_comma_separated_option(tmp_path: Path) -> None:
    folder = _client(tmp_path, "excluded", MOST_EXCLUDED)
    refused = _invoke("validate", folder)
    assert refused.exit_code == 2 and "most_excluded: most of the ledger is left out" in refused.output
    assert "client blank: 1 row ($90,000.00; first rows 7)" in refused.output
    assert "Reconciliation balances" in refused.output  # the findings come under the reconciliation
    assert _invoke("validate", folder, "--accept", "one_client,most_excluded").exit_code == 0
    assert _invoke("summary", folder, "--accept", "one_client", "--accept", "most_excluded").exit_code == 0
    (folder / "client.yml").write_text("client: Excluded\nbilling: billing.csv\naccept: [most_excluded]\n")
    assert _invoke("summary", folder).exit_code == 0
    data = json.loads(_invoke("validate", folder, "--json").stdout)
    assert data["sanity"][0]["code"] == "most_excluded" and data["sanity"][0]["accepted"] is True


def test_the_option_refuses_unknown_codes_and_no_rows_used(tmp_path: Path) -> None:
    folder = _client(tmp_path, "fine", PLAUSIBLE_CSV)
    bad = _invoke("summary", folder, "--accept", "one_clent")
    assert bad.exit_code == 2 and "did you mean one_client?" in bad.output
    never = _invoke("validate", folder, "--accept", "no_rows_used")
    assert never.exit_code == 2 and "no_rows_used cannot be accepted" in never.output


def test_no_rows_used_names_as_of_whatever_is_accepted(tmp_path: Path) -> None:
    folder = _client(tmp_path, "old", PLAUSIBLE_CSV, "as_of: 2021-01-01\naccept: [one_client, most_excluded]\n")
    for command in ("validate", "summary"):
        result = _invoke(command, folder, "--accept", "one_client")
        assert result.exit_code == 2, result.output
        assert "no_rows_used: not one of the 31 rows read is used" in result.output
        assert "window 2020-01-01 to 2020-12-31" in result.output and "as_of is 2021-01-01" in result.output
    with pytest.raises(ImplausibleDataError) as info:
        audit(folder, accept="one_client,most_excluded")
    assert info.value.codes == ("no_rows_used",)


def test_the_engine_and_republish_take_accept(tmp_path: Path) -> None:
    from alms_toolkit.runs.republish_run import republish

    folder = _client(tmp_path, "solo", ONE_CLIENT)
    with pytest.raises(ImplausibleDataError):
        audit(folder)
    assert [f.code for f in audit(folder, accept=["one_client"]).accepted_checks] == ["one_client"]
    assert audit(_client(tmp_path, "fine", PLAUSIBLE_CSV)).accepted_checks == ()

    review = tmp_path / "reports" / "solo" / "2024-01-01"
    review.mkdir(parents=True)
    (review / "accounts.csv").write_text(
        "client_key,name,tier,owner,billing_12m,rank,cutoff,as_of,review_date,last_billed,fit_score,notes\n"
        "acme,Acme,KEY,Ana,90000.00,1,50000.00,2024-01-01,2025-01-01,,,\n", encoding="utf-8")
    (review / "summary.json").write_text(json.dumps({
        "client": "Solo", "slug": "solo", "as_of": "2024-01-01", "review_date": "2025-01-01",
        "cutoff": "50000.00"}), encoding="utf-8")
    refused = _invoke("republish", folder, "--review", review)
    assert refused.exit_code == 2 and "one_client" in refused.output and "Traceback" not in refused.output
    assert not (review / "republished").exists()
    done = _invoke("republish", folder, "--review", review, "--accept", "one_client")
    assert done.exit_code == 0, done.output
    assert republish(folder, review, force=True, accept=["one_client"]).folder.is_dir()


def test_batch_jobs_carry_the_accepted_codes(tmp_path: Path) -> None:
    job = jobs.ClientJob.make(tmp_path, tmp_path / "out", accept=("one_client",))
    assert job.accept == ("one_client",)
    seen = {}

    def runner(client_dir: str, **kw: object) -> object:
        seen.update(kw)
        raise ImplausibleDataError(Path(client_dir) / "billing.csv", "one client holds it all",
                                   codes=["one_client"])

    result = jobs.run_client_job(job, runner=runner)
    assert seen["accept"] == ("one_client",)
    assert result.status == jobs.BAD_INPUT and "one client holds it all" in result.error
    assert result.reason == "implausible_data"  # the kind, for code; the message is for people


@pytest.mark.notebook
def test_audit_with_accept_runs_the_notebook(tmp_path: Path) -> None:
    folder = _client(tmp_path, "solo", ONE_CLIENT)
    result = _invoke("audit", folder, "--accept", "one_client", "--formats", "html", "--quiet",
                     "--out", tmp_path / "reports")
    assert result.exit_code == 0, result.output
    summary = json.loads(next((tmp_path / "reports").glob("*/*/summary.json")).read_text(encoding="utf-8"))
    assert summary["accepted_checks"][0]["code"] == "one_client"


@pytest.mark.notebook
def test_batch_fails_the_implausible_client_and_runs_the_others(tmp_path: Path) -> None:
    root = tmp_path / "clients"
    _client(root, "solo", ONE_CLIENT)
    _client(root, "fine", PLAUSIBLE_CSV)
    out = tmp_path / "reports"
    result = _invoke("batch", root, "--out", out, "--workers", "2", "--formats", "html", "--quiet")
    assert result.exit_code == 1, result.output
    rows = {r["client_folder"]: r for r in pd.read_csv(next(out.glob("batch_*.csv")), dtype=str)
            .fillna("").to_dict("records")}
    assert rows["fine"]["status"] == "ok"
    assert rows["solo"]["status"] == "bad input"
    assert "one_client" in rows["solo"]["error"] and "--accept one_client" in rows["solo"]["error"]
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------------- short_window


def _dated(dates: list[str], *, as_of: str, source: str = "ledger", earlier: list[str] = (),
           zero: list[str] = ()) -> SimpleNamespace:
    """A loaded ledger with used rows on ``dates`` (4 clients, 1,000 each) in the window of ``as_of``
    (rows of 0 on ``zero``)."""
    n = len(dates)
    ledger = pd.DataFrame({"date": pd.to_datetime(dates), "client": [f"C{i % 4}" for i in range(n)],
                           "amount": [1000 * M] * n})
    early = pd.DataFrame({"date": pd.to_datetime(list(earlier)), "client": ["C0"] * len(earlier),
                          "amount": [M] * len(earlier)})
    win = twelve_month_window(dt.date.fromisoformat(as_of), source)
    recon = Reconciliation(file=Path("billing.csv"), rows_read=n, rows_used=n, amount_read=n * 1000 * M,
                           amount_used=n * 1000 * M, excluded={}, window_start=win.start, window_end=win.end)
    zeros = pd.DataFrame({"date": pd.to_datetime(list(zero)), "client": ["C9"] * len(zero), "amount": [0] * len(zero)})
    return SimpleNamespace(reconciliation=recon, ledger=ledger, earlier=early, window=win, zero_rows=zeros)


def test_a_ledger_starting_inside_the_window_is_short() -> None:
    # the window 2024-04-01 .. 2025-03-31; the export starts on 1 September 2024
    months = [f"2024-{m:02d}-0{1 + m % 4}" for m in range(9, 13)] + ["2025-01-10", "2025-02-10", "2025-03-31"]
    (f,) = check_ledger(_dated(months, as_of="2025-04-01"))
    assert f.code == "short_window" and f.acceptable
    assert "the ledger starts on 2024-09-02, 154 days after the start of the 12-month window " \
           "(2024-04-01 to 2025-03-31)" in f.message
    assert "154 of the window's 365 days hold no row" in f.message
    assert "ask for the billing from 2024-04-01 on" in f.check
    # history before the window covers it; an export starting 14 days in still does
    assert check_ledger(_dated(months, as_of="2025-04-01", earlier=["2023-11-05"])) == ()
    assert check_ledger(_dated(["2024-04-15", *months], as_of="2025-04-01")) == ()
    assert _codes(check_ledger(_dated(["2024-04-16", *months], as_of="2025-04-01"))) == ["short_window"]


def test_an_audit_date_set_weeks_after_the_ledger_ends_is_short() -> None:
    dates = ["2024-04-03", "2024-08-01", "2024-12-01", "2025-02-14"]
    # the day after the last date: nothing missing at the end
    assert check_ledger(_dated(dates, as_of="2025-02-15", earlier=["2024-01-05"])) == ()
    # as_of set in client.yml six weeks later: the last weeks would read as stopped billing
    (f,) = check_ledger(_dated(dates, as_of="2025-04-01", source="config", earlier=["2024-01-05"]))
    assert f.code == "short_window"
    assert "its last date in the window is 2025-02-14, 45 days before the window's last day (2025-03-31" in f.message
    assert "would read as clients that stopped billing" in f.message
    assert "as_of in client.yml (or --as-of) to the day after the last invoice (2025-02-15)" in f.check
    # two weeks of quiet are no finding
    assert check_ledger(_dated(dates, as_of="2025-03-01", source="config", earlier=["2024-01-05"])) == ()
    assert _codes(check_ledger(_dated(dates, as_of="2025-03-02", source="config", earlier=["2024-01-05"]))) \
        == ["short_window"]


def test_rows_of_0_show_the_dates_the_export_covers() -> None:
    """A row of 0 dated near the end (or the start) of the window shows the export covers that
    date: the window is not short there (the audit refused such a ledger, naming a false last date)."""
    dates = ["2024-04-03", "2024-08-01", "2024-12-01", "2025-02-14"]
    assert check_ledger(_dated(dates, as_of="2025-04-01", source="config", earlier=["2024-01-05"],
                               zero=["2025-03-27"])) == ()
    assert check_ledger(_dated(dates[1:], as_of="2025-02-15", zero=["2024-02-20"])) == ()


def test_a_last_row_of_0_is_the_ledgers_last_date_through_the_audit(tmp_path: Path) -> None:
    ledger = HEADER + "".join(f"2024-{m:02d}-10,Client {m % 5},{1000 + m},Ana\n" for m in range(7, 13)) + "".join(
        f"2025-{m:02d}-12,Client {m % 5},{1000 + m},Ben\n" for m in range(1, 6)) + "2025-06-27,Client 1,0,Ben\n"
    folder = _client(tmp_path, "zero-last", ledger, "as_of: 2025-07-01\n")
    result = audit(folder)
    assert result.accepted_checks == ()
    notes = " ".join(result.summary()["insight_notes"])
    assert "last date" not in notes  # no early end claimed: 27 June is covered
    assert result.loaded.dates()[1] == dt.date(2025, 6, 27)


def test_short_window_is_refused_through_the_commands_and_accepted_knowingly(tmp_path: Path) -> None:
    short = "Date,Customer,Amount,Rep\n" + "".join(
        f"2024-{m:02d}-10,Client {m % 5},{1000 + m},Ana\n" for m in range(6, 13))
    folder = _client(tmp_path, "short", short)
    refused = _invoke("summary", folder)
    assert refused.exit_code == 2 and "short_window: the ledger starts on 2024-06-10" in refused.output
    assert "accept: [short_window]" in refused.output and "Traceback" not in refused.output
    accepted = _invoke("summary", folder, "--accept", "short_window")
    assert accepted.exit_code == 0, accepted.output
    assert [c["code"] for c in json.loads(accepted.stdout)["accepted_checks"]] == ["short_window"]


def test_an_early_end_is_said_in_days_not_as_a_month() -> None:
    from alms_toolkit.analysis.insights import _early_end_note
    from alms_toolkit.analysis.periods import periods_for

    note = _early_end_note(periods_for(dt.date(2025, 7, 1), dt.date(2024, 1, 5), dt.date(2025, 5, 20)))
    assert note == ("The ledger's last date is 20 May 2025, 41 days before the end of the window: its last "
                    "41 days hold no billing, which lowers the recent months' billing.")


def test_a_quiet_end_of_the_window_is_not_short_when_the_ledger_runs_past_it() -> None:
    """A re-review or a republish at an earlier as_of: the ledger runs on past the window, so
    weeks without billing at its end are billing, not a cut export (it was refused, and the
    fix named, as_of the day after the last row in the window, would have audited another year)."""
    import dataclasses

    dates = ["2024-04-03", "2024-08-01", "2024-09-15"]
    quiet = _dated(dates, as_of="2025-01-01", source="config", earlier=["2024-01-05"])
    assert _codes(check_ledger(quiet)) == ["short_window"]  # the export ends in September: short
    quiet.reconciliation = dataclasses.replace(quiet.reconciliation, dates_to=dt.date(2025, 6, 25))
    assert check_ledger(quiet) == ()


def test_a_mistyped_year_on_the_last_date_is_named_as_the_cause() -> None:
    """No as_of: the audit date is taken from the last date, a year typed 2042 for 2024. The
    window then holds one row; the ledger starts long before it, so only the hole in the
    window shows it (it was refused as one_client, whose advice did not help)."""
    dates = [f"2024-{m:02d}-15" for m in range(1, 13)]
    loaded = _dated([*dates, "2042-07-03"], as_of="2042-07-04")
    loaded.ledger["source_row"] = range(2, 2 + len(loaded.ledger))
    (f,) = [f for f in check_ledger(loaded) if f.code == "short_window"]
    assert ("the ledger's last date, 2042-07-03 (row 14), comes 6,409 days after the one before it (2024-12-15), "
            "and the 12-month window is taken back from it: no row is dated in 364 days of the window "
            "(from 2041-07-04 to 2042-07-02)") in f.message
    assert "if a date is mistyped (its year), correct it in the file" in f.check


def test_half_a_year_without_a_row_inside_the_window_is_short_but_a_quiet_season_is_not() -> None:
    spring_autumn = ["2024-07-10", "2024-08-10", "2025-02-20", "2025-03-10", "2025-06-20"]
    (f,) = check_ledger(_dated(spring_autumn, as_of="2025-07-01", earlier=["2024-05-05"]))
    assert f.code == "short_window"
    assert "no row is dated in 193 days of the window (from 2024-08-11 to 2025-02-19)" in f.message
    assert "last date" not in f.message  # the hole is not at the end: no typo is suggested
    quiet_winter = ["2024-07-10", "2024-09-30", "2025-03-10", "2025-06-20"]  # 160 days without a row
    assert check_ledger(_dated(quiet_winter, as_of="2025-07-01", earlier=["2024-05-05"])) == ()


def test_a_ledger_shorter_than_a_year_is_not_sent_to_another_audit_date() -> None:
    """The ledger covers 346 days: the day after its last invoice as audit date would start the
    window before its first; the advice says so instead of naming that date."""
    dates = ["2024-01-06", "2024-04-10", "2024-08-01", "2024-12-16"]
    (f,) = check_ledger(_dated(dates, as_of="2025-01-01", source="config"))
    assert "the ledger's dates run from 2024-01-06 to 2024-12-16 (346 days), so no audit date gives a window" in f.check
    assert "2024-12-17" not in f.check


def test_a_seasonal_business_is_not_short() -> None:
    """From an independent review: billing only from November to March, three seasons long.
    The summer without a row inside the window is the same a year earlier: a season, not an
    export with months missing; the same hole without that earlier season is short."""
    seasons = [f"{y}-{m:02d}-{d}" for y in (2022, 2023, 2024) for m in (1, 2, 3, 11, 12) for d in ("10", "28")]
    window = [d for d in seasons if "2024-01" <= d < "2025-01"]
    earlier = [d for d in seasons if d < "2024-01"]
    assert check_ledger(_dated(window, as_of="2025-01-01", source="config", earlier=earlier)) == ()
    recent = [d for d in earlier if d >= "2023-11"]  # no earlier season to compare with
    assert _codes(check_ledger(_dated(window, as_of="2025-01-01", source="config", earlier=recent))) \
        == ["short_window"]
