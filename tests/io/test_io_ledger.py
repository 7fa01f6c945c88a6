"""load_ledger: every file format, column recognition, reconciliation and errors."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alms_toolkit.config import load_config
from alms_toolkit.errors import (
    ColumnError,
    ConfigError,
    DataValidationError,
    FileReadError,
    MissingFileError,
)
from alms_toolkit.io import LEDGER_COLUMNS, REASONS, load_ledger

ROWS = [
    ("Date", "Customer", "Amount", "Rep"),
    ("2024-01-15", "Acme Inc.", "1,000.50", "Dana"),
    ("2024-02-01", "Bolt Ltd", "(200.25)", "Eli"),
    ("2024-03-10", "Café Noël", "$300", "Dana"),
    ("2022-06-01", "Acme Inc.", "50", "Dana"),
]


def make_client(tmp: Path, rows=ROWS, *, name="billing.csv", billing: dict | None = None, encoding="utf-8", delimiter=",", as_of=None) -> Path:
    folder = tmp / "client"
    folder.mkdir(exist_ok=True)
    path = folder / name
    if name.endswith(".xlsx"):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Billing"
        for r in rows:
            ws.append(list(r))
        wb.save(path)
    else:
        text = "\n".join(delimiter.join(_q(c, delimiter) for c in r) for r in rows) + "\n"
        data = text.encode(encoding)
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    cfg = {"client": "Test Co", "billing": {"file": name, **(billing or {})}}
    if as_of:
        cfg["as_of"] = as_of
    (folder / "client.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return folder


def _q(c: object, delimiter: str) -> str:
    s = "" if c is None else str(c)
    return f'"{s}"' if (delimiter in s or '"' in s) else s


def load(folder: Path, as_of=None):
    return load_ledger(load_config(folder), as_of=as_of)


def _check_basic(loaded) -> None:
    led = loaded.ledger
    assert list(led.columns) == list(LEDGER_COLUMNS)
    assert led["amount"].dtype == "int64" and led["source_row"].dtype == "int64"
    assert str(led["date"].dtype) == "datetime64[ns]"
    assert led["client"].tolist() == ["Acme Inc.", "Bolt Ltd", "Café Noël"]
    assert led["amount"].tolist() == [1_000_500_000, -200_250_000, 300_000_000]
    assert led["source_row"].tolist() == [2, 3, 4]
    assert led["seller"].tolist() == ["Dana", "Eli", "Dana"]
    assert loaded.window.as_of == dt.date(2024, 3, 11)
    assert loaded.window.start == dt.date(2023, 3, 11)
    assert loaded.window.as_of_source == "ledger"
    assert loaded.earlier["source_row"].tolist() == [5]
    r = loaded.reconciliation
    assert (r.rows_read, r.rows_used) == (4, 3)
    assert r.excluded["outside_window"].rows == 1 and r.excluded["outside_window"].amount == 50_000_000
    assert r.amount_used == 1_100_250_000 and r.balances()


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ","), ("utf-16", ","), ("utf-16-le", ";"), ("utf-8", "\t"), ("utf-8", ";")],
)
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    _check_basic(load(make_client(tmp_path, encoding=encoding, delimiter=delimiter)))


def test_encoding_setting_overrides_detection(tmp_path: Path) -> None:
    folder = make_client(tmp_path, encoding="cp1252", billing={"encoding": "latin-1"})
    _check_basic(load(folder))


def test_gzip_and_txt(tmp_path: Path) -> None:
    _check_basic(load(make_client(tmp_path, name="billing.csv.gz")))
    _check_basic(load(make_client(tmp_path / "b", name="billing.txt", delimiter="\t") if (tmp_path / "b").mkdir() is None else None))


def test_xlsx_with_title_rows_cells_and_serials(tmp_path: Path) -> None:
    rows = [
        ("Billing report 2024", None, None, None),
        (None, None, None, None),
        ("Invoice Date", "Account Name", "Net Amount", "Sales Rep"),
        (dt.datetime(2024, 1, 15, 9, 30), "Acme Inc.", 1000.5, "Dana"),
        (45323, "Bolt Ltd", "(200.25)", "Eli"),  # serial for 2024-02-01
        ("2024-03-10", "Café Noël", 300, "Dana"),
        (dt.date(2022, 6, 1), "Acme Inc.", 50.0, "Dana"),
        (None, None, None, None),
    ]
    loaded = load(make_client(tmp_path, rows, name="billing.xlsx"))
    assert loaded.ledger["source_row"].tolist() == [4, 5, 6]
    assert loaded.ledger["amount"].tolist() == [1_000_500_000, -200_250_000, 300_000_000]
    assert loaded.reconciliation.rows_read == 4
    assert loaded.reconciliation.columns == {"date": "Invoice Date", "client": "Account Name", "amount": "Net Amount", "seller": "Sales Rep"}


def test_xlsx_sheet_by_name_and_number_and_header_row(tmp_path: Path) -> None:
    folder = make_client(tmp_path, name="billing.xlsx", billing={"sheet": "billing", "header_row": 1})
    _check_basic(load(folder))
    folder = make_client(tmp_path, name="billing.xlsx", billing={"sheet": 1})
    _check_basic(load(folder))


def test_xlsx_numeric_ids_read_as_text(tmp_path: Path) -> None:
    rows = [("Date", "CustomerID", "Amount"), ("2024-01-01", 17850.0, 0.1), ("2024-01-02", 17851, 0.2)]
    loaded = load(make_client(tmp_path, rows, name="billing.xlsx"))
    # no client name column: the customer id is the client
    assert loaded.ledger["client"].tolist() == ["17850", "17851"]
    assert loaded.ledger["amount"].tolist() == [100_000, 200_000]


def test_decimal_comma_and_date_format(tmp_path: Path) -> None:
    rows = [("Datum", "Kunde", "Betrag"), ("31/01/2024", "A", "1.234,56"), ("01/02/2024", "B", "-0,5")]
    folder = make_client(
        tmp_path, rows, delimiter=";",
        billing={"decimal": ",", "date_format": "%d/%m/%Y", "columns": {"date": "Datum", "client": "Kunde", "amount": "Betrag"}},
    )
    loaded = load(folder)
    assert loaded.ledger["amount"].tolist() == [1_234_560_000, -500_000]
    assert loaded.ledger["date"].dt.date.tolist() == [dt.date(2024, 1, 31), dt.date(2024, 2, 1)]


def test_mapping_is_case_insensitive(tmp_path: Path) -> None:
    folder = make_client(tmp_path, billing={"columns": {"client": "customer", "amount": "AMOUNT", "date": "date", "seller": "rep"}})
    _check_basic(load(folder))


# ----------------------------------------------------------------- as_of and window


def test_as_of_argument_wins_over_config(tmp_path: Path) -> None:
    folder = make_client(tmp_path, as_of="2024-02-01")
    cfg_run = load(folder)
    assert cfg_run.window.as_of_source == "config" and cfg_run.window.end == dt.date(2024, 2, 1)
    assert cfg_run.ledger["client"].tolist() == ["Acme Inc."]
    assert cfg_run.reconciliation.excluded["outside_window"].rows == 3  # 2 after, 1 before
    arg_run = load(folder, as_of=dt.date(2024, 3, 1))
    assert arg_run.window.as_of_source == "argument"
    assert arg_run.ledger["client"].tolist() == ["Acme Inc.", "Bolt Ltd"]
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        load(folder, as_of="March 1")


def test_totals_ledger_skips_window(tmp_path: Path) -> None:
    rows = [("Client", "Total"), ("A", "100"), ("B", "0"), ("", "5")]
    loaded = load(make_client(tmp_path, rows))
    assert loaded.window is None and loaded.is_totals
    assert loaded.ledger["client"].tolist() == ["A"]
    assert loaded.ledger["date"].isna().all()
    d = loaded.reconciliation.to_dict()
    assert d["window_skipped"] is True and d["window_start"] is None
    assert set(d["rows_excluded"]) == {"zero_amount", "blank_client"}


# ----------------------------------------------------------------- reconciliation


def test_every_reason_in_precedence_order(tmp_path: Path) -> None:
    rows = [
        ("Date", "Client", "Amount", "Seller", "Region"),
        ("2024-01-01", "A", "10", "S", "EU"),       # used
        ("not a date", "A", "11", "S", "EU"),       # unparseable_date
        ("2024-01-02", "A", "", "S", "EU"),         # missing_amount
        ("2024-01-03", "A", "12x", "S", "EU"),      # unparseable_amount
        ("2020-01-03", "", "13", "S", "EU"),        # outside_window (before blank client)
        ("2024-01-04", "", "14", "S", "TEST"),      # excluded_by_filter (before blank client)
        ("2024-01-05", "  ", "15", "S", "EU"),      # blank_client
        ("2024-01-06", "A", "0.00", "S", "EU"),     # zero_amount
        ("", "", "", "", ""),                       # blank line: skipped
        ("2024-01-07", "B", "-3", "", "EU"),        # used, no seller
    ]
    loaded = load(make_client(tmp_path, rows, billing={"exclude": {"region": ["TEST"]}}))
    r = loaded.reconciliation
    layout_reasons = ("footer", "section_header", "aggregate", "hidden_row")
    assert list(r.excluded) == [x for x in REASONS if x not in layout_reasons]
    assert {k: (e.rows, e.first_rows) for k, e in r.excluded.items()} == {
        "unparseable_date": (1, (3,)),
        "missing_amount": (1, (4,)),
        "unparseable_amount": (1, (5,)),
        "outside_window": (1, (6,)),
        "excluded_by_filter": (1, (7,)),
        "blank_client": (1, (8,)),
        "zero_amount": (1, (9,)),
    }
    assert r.excluded["unparseable_date"].amount == 11_000_000
    assert r.excluded["unparseable_amount"].amount == 0
    assert (r.rows_read, r.rows_used, r.blank_rows_skipped) == (9, 2, 1)
    assert r.amount_read == (10 + 11 + 13 + 14 + 15 - 3) * 1_000_000
    assert r.balances()
    assert loaded.ledger["seller"].isna().tolist() == [False, True]
    assert (r.n_distinct_clients, r.n_distinct_sellers) == (2, 1)
    d = r.to_dict()
    assert d["amount_used"] == "7.00" and d["rows_excluded"]["outside_window"] == {"rows": 1, "amount": "13.00", "first_rows": [6]}
    assert "left out by billing.exclude" in r.to_text()


_cell = st.one_of(
    st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False).map(lambda d: f"{d:f}"),
    st.sampled_from(["", "-", "abc", "0", "(1,000.00)"]),
)
_row = st.tuples(
    st.sampled_from(["2023-01-05", "2023-11-30", "2024-06-30", "bad", "", "3/4/2024"]),
    st.sampled_from(["A", "B", " ", "", "Acme, Inc."]),
    _cell,
    st.sampled_from(["S1", "S2", "", "X"]),
)


@given(st.lists(_row, min_size=1, max_size=25), st.sampled_from([None, "2024-01-01", "2024-07-01"]))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_reconciliation_identity_on_random_ledgers(tmp_path_factory, rows, as_of) -> None:
    tmp = tmp_path_factory.mktemp("rand")
    rows = [("Date", "Client", "Amount", "Seller"), *rows]
    folder = make_client(tmp, rows, billing={"exclude": {"Seller": ["X"]}})
    try:
        loaded = load(folder, as_of=as_of)
    except DataValidationError:
        return  # most values unusable: a fatal, reported problem
    r = loaded.reconciliation
    assert r.balances()
    assert r.rows_used == len(loaded.ledger)
    assert r.amount_used == int(loaded.ledger["amount"].sum())
    assert (loaded.ledger["amount"] != 0).all()
    if loaded.window is not None and len(loaded.ledger):
        assert loaded.ledger["date"].min() >= pd.Timestamp(loaded.window.start)
        assert loaded.ledger["date"].max() < pd.Timestamp(loaded.window.end)
    if len(loaded.earlier):
        assert loaded.earlier["date"].max() < pd.Timestamp(loaded.window.start)


# ----------------------------------------------------------------- errors


def test_missing_file(tmp_path: Path) -> None:
    folder = make_client(tmp_path)
    (folder / "billing.csv").rename(folder / "billing-2024.csv")
    with pytest.raises(MissingFileError) as info:
        load(folder)
    assert "billing.csv" in str(info.value) and "billing-2024.csv" in str(info.value)


def test_missing_mapped_column_names_headers_and_closest(tmp_path: Path) -> None:
    folder = make_client(tmp_path, billing={"columns": {"client": "Customr", "amount": "Amnt", "date": "Date"}})
    with pytest.raises(ColumnError) as info:
        load(folder)
    msg = str(info.value)
    assert "billing.csv has 2 problems" in msg
    assert "'Customr'" in msg and "closest header is 'Customer'" in msg
    assert "'Amnt'" in msg and "closest header is 'Amount'" in msg
    assert "headers found: 'Date', 'Customer', 'Amount', 'Rep'" in msg


def test_ambiguous_columns(tmp_path: Path) -> None:
    rows = [("Date", "Customer", "Company", "Amount"), ("2024-01-01", "A", "A Inc", "1")]
    with pytest.raises(ColumnError, match="client could be in column 'Customer' .* or 'Company' .*client.yml"):
        load(make_client(tmp_path, rows))


def test_no_client_or_amount_column(tmp_path: Path) -> None:
    rows = [("When", "Who", "How much"), ("2024-01-01", "A", "1")]
    with pytest.raises(ColumnError) as info:
        load(make_client(tmp_path, rows))
    msg = str(info.value)
    assert "no column for the amount" in msg and "no column for the client" in msg


def test_unknown_exclude_column(tmp_path: Path) -> None:
    with pytest.raises(ColumnError, match="billing.exclude names column 'Region'"):
        load(make_client(tmp_path, billing={"exclude": {"Region": ["X"]}}))


def test_missing_sheet_lists_sheets(tmp_path: Path) -> None:
    folder = make_client(tmp_path, name="billing.xlsx", billing={"sheet": "Data"})
    with pytest.raises(FileReadError, match="no sheet named 'Data' \\(sheets: 'Billing'\\)"):
        load(folder)
    folder = make_client(tmp_path, name="billing.xlsx", billing={"sheet": 3})
    with pytest.raises(FileReadError, match="no sheet number 3"):
        load(folder)


def test_corrupt_workbook(tmp_path: Path) -> None:
    folder = make_client(tmp_path)
    (folder / "billing.xlsx").write_bytes(b"not a zip")
    cfg = load_config(folder)
    (folder / "client.yml").write_text("client: T\nbilling: billing.xlsx\n")
    with pytest.raises(FileReadError, match="billing.xlsx: is not a readable Excel workbook"):
        load(folder)
    assert cfg.client == "Test Co"


def test_number_format_and_date_order_come_from_the_whole_column(tmp_path: Path) -> None:
    rows = [("Date", "Client", "Amount")] + [(f"31/01/{2020 + i}", "A", f"1.234,5{i}") for i in range(7)] + [("2024-01-01", "A", "5")]
    loaded = load(make_client(tmp_path, rows), as_of="2030-01-01")
    r = loaded.reconciliation
    assert r.rows_read == 8 and r.balances()
    everything = loaded.ledger["amount"].sum() + loaded.earlier["amount"].sum()
    assert everything == sum(1_234_500_000 + i * 10_000 for i in range(7)) + 5_000_000
    assert loaded.reading.decimal == "," and loaded.reading.dates_why.startswith("day first")
    # two written forms (31/01/2020 and 2024-01-01): no single date_format to pin
    assert loaded.reading.date_format is None


def test_mostly_bad_amounts_and_dates_is_fatal_with_all_problems(tmp_path: Path) -> None:
    rows = [("Date", "Client", "Amount")] + [(f"31/01/{2020 + i}", "A", f"1.234,5{i}") for i in range(7)] + [("2024-01-01", "A", "5")]
    with pytest.raises(DataValidationError) as info:
        load(make_client(tmp_path, rows, billing={"decimal": ".", "date_format": "%m/%d/%Y"}))
    err = info.value
    msg = str(err)
    assert len(err.problems) == 2
    # the amounts read with ',': the setting is named, not the amounts called 'not numbers'
    assert ("7 of 8 amounts cannot be read with '.' as the decimal mark, which billing.decimal: \".\" in "
            "client.yml sets") in msg
    assert "(column 'Amount'; rows 2, 3, 4, 5, 6 and 2 more)" in msg
    assert "'1.234,50'" in msg and 'or set billing.decimal: ","' in msg
    assert "8 of 8 dates do not fit billing.date_format '%m/%d/%Y'" in msg
    assert "(column 'Date'; rows 2, 3, 4, 5, 6 and 3 more)" in msg
    assert "%d/%m/%Y" in msg


def test_a_few_bad_rows_are_counted_not_fatal(tmp_path: Path) -> None:
    rows = [("Date", "Client", "Amount")] + [("2024-01-01", "A", "5")] * 3 + [("2024-01-01", "A", "oops")]
    loaded = load(make_client(tmp_path, rows))
    assert loaded.reconciliation.excluded["unparseable_amount"].first_rows == (5,)


def test_malformed_rows_are_listed(tmp_path: Path) -> None:
    folder = make_client(tmp_path)
    (folder / "billing.csv").write_text("Date,Customer,Amount\n2024-01-01,A,5\n2024-01-02,B,6,7,8\n2024-01-03,C,1\n")
    with pytest.raises(FileReadError, match="more than the header's 3 columns.*row 3"):
        load(folder)


def test_empty_file(tmp_path: Path) -> None:
    folder = make_client(tmp_path)
    (folder / "billing.csv").write_text("")
    with pytest.raises(FileReadError, match="empty"):
        load(folder)


def test_old_xls_is_refused_clearly(tmp_path: Path) -> None:
    folder = make_client(tmp_path)
    (folder / "billing.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "client.yml").write_text("client: T\nbilling: billing.xls\n")
    with pytest.raises(FileReadError, match="save it as .xlsx"):
        load(folder)


def test_blank_seller_and_id_are_pd_na(tmp_path: Path) -> None:
    rows = [("Date", "Client", "Client ID", "Amount", "Rep"), ("2024-01-01", "A", "", "1", ""), ("2024-01-01", "B", " 7 ", "1", " Dana ")]
    led = load(make_client(tmp_path, rows)).ledger
    assert led["seller"].iloc[0] is pd.NA and led["client_id"].iloc[0] is pd.NA
    assert (led["seller"].iloc[1], led["client_id"].iloc[1]) == ("Dana", "7")


def test_csv_title_rows_blank_lines_quotes_and_multiline(tmp_path: Path) -> None:
    folder = make_client(tmp_path)
    (folder / "billing.csv").write_text(
        'Sales export\n\nDate,Customer,Amount\n2024-01-01,A,5\n\n2024-01-02,"B, Inc.","1,000"\n'
        '2024-01-03,"Multi\nline",7\n2024-01-04,C,8\n'
    )
    # "1,000" is the only amount with a separator and reads both ways: refused, naming the setting
    with pytest.raises(DataValidationError, match='billing.decimal: "."'):
        load(folder)
    (folder / "client.yml").write_text('client: T\nbilling: {file: billing.csv, decimal: "."}\n')
    loaded = load(folder)
    assert loaded.ledger["source_row"].tolist() == [4, 6, 7, 8]
    assert loaded.ledger["client"].tolist() == ["A", "B, Inc.", "Multi\nline", "C"]
    assert loaded.ledger["amount"].tolist() == [5_000_000, 1_000_000_000, 7_000_000, 8_000_000]
    assert loaded.reconciliation.blank_rows_skipped == 1
    assert "Header found in row 3." in loaded.reconciliation.notes
    # header_row given explicitly gives the same
    (folder / "client.yml").write_text('client: T\nbilling: {file: billing.csv, header_row: 3, decimal: "."}\n')
    assert load(folder).ledger["source_row"].tolist() == [4, 6, 7, 8]


@pytest.mark.parametrize("name", ["billing.csv", "billing.xlsx"])
def test_a_ledger_with_only_its_header_is_a_clear_input_error(tmp_path: Path, name: str) -> None:
    folder = make_client(tmp_path, ROWS[:1], name=name)
    with pytest.raises(DataValidationError, match="header but no rows") as info:
        load(folder)
    assert info.value.exit_code == 2 and "as_of" in str(info.value)


def test_a_csv_header_row_far_down_is_found_and_one_past_the_end_is_named(tmp_path: Path) -> None:
    preamble = [(f"Report line {i}", "", "", "") for i in range(1, 55)]  # 54 lines of export notes
    folder = make_client(tmp_path, [*preamble, *ROWS], billing={"header_row": 55})
    loaded = load(folder)
    assert loaded.ledger["client"].tolist() == ["Acme Inc.", "Bolt Ltd", "Café Noël"]
    assert loaded.ledger["source_row"].tolist() == [56, 57, 58]  # spreadsheet rows as a user sees them
    (folder / "client.yml").write_text("client: T\nbilling: {file: billing.csv, header_row: 90}\n")
    with pytest.raises(FileReadError, match="past the end of the file, which has 59 rows"):
        load(folder)
