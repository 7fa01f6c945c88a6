"""The reading of a ledger file, piece by piece: number format and date order from the whole
column, aggregate labels, file types from their bytes, a workbook's hidden layout, and the
reading shown (alms validate), pinned (--pin) and proposed (alms new-client --from).

The end-to-end shapes (real export layouts with their true figures) are in tests/corpus.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from alms_toolkit.atomic import dated_copies
from alms_toolkit.cli import main
from alms_toolkit.config import load_config
from alms_toolkit.errors import DataValidationError, FileReadError
from alms_toolkit.io.aggregates import label_kind
from alms_toolkit.io.dates import infer_date_order, is_period, parse_dates
from alms_toolkit.io.filetype import sniff_kind
from alms_toolkit.io.ledger import load_ledger
from alms_toolkit.io.number_format import (
    AmbiguousNumbers,
    MixedNumbers,
    NumberFormat,
    infer_number_format,
)
from alms_toolkit.io.workbook import _scan_layout
from alms_toolkit.scaffold import new_client_from

# ---------------------------------------------------------------------- number format


@pytest.mark.parametrize(
    ("values", "decimal"),
    [
        (["1,234.56", "12"], "."),
        (["1.234,56", "7"], ","),
        (["12,5", "3"], ","),  # two digits after the only comma: a decimal comma
        (["0.250"], "."),  # a group cannot start with 0
        (["1234.567"], "."),  # four digits before: not a group of three
        (["1,234,567"], "."),  # a repeated separator groups thousands
        (["1.234.567"], ","),
        (["1 234,50 €", "15"], ","),
        (["1'234.50"], "."),
        (["12,34,567.89"], "."),  # Indian grouping
        (["17", "-3", ""], "."),  # nothing to decide: the default
    ],
)
def test_the_decimal_mark_comes_from_the_values(values, decimal):
    got = infer_number_format(values)
    assert isinstance(got, NumberFormat) and got.decimal == decimal


def test_three_decimals_only_is_ambiguous_and_a_mix_is_refused():
    amb = infer_number_format(["1.500", "2.250", "12.000", "300"])
    assert isinstance(amb, AmbiguousNumbers) and amb.separator == "."
    mixed = infer_number_format(["1,234.56", "1.234,56"])
    assert isinstance(mixed, MixedNumbers)
    # client.yml decides
    assert infer_number_format(["1.500"], decimal=",").decimal == ","
    # numbers given as numbers are read as their text
    assert infer_number_format([1.5, 2]).decimal == "."


def test_a_long_column_is_read_the_same_as_a_short_one():
    """Past 200 distinct values the simple ones are sorted out by Arrow; the proof, its count
    and its first examples are the same whichever way the texts arrive."""
    import pyarrow as pa

    euro = [f"{i},{i % 100:02d}" for i in range(1, 301)]  # 1,01 2,02 ...: ',' proved
    for texts in (euro, pa.array(euro + [None])):
        got = infer_number_format(texts)
        assert isinstance(got, NumberFormat) and got.decimal == ","
        assert got.evidence.startswith("300 distinct values") and "'1,01', '2,02', '3,03'" in got.evidence
    # one dot-proving value among 300 comma ones is a mix, named both ways
    mixed = infer_number_format(pa.array(euro + ["1,234.56"]))
    assert isinstance(mixed, MixedNumbers)
    assert mixed.dot_examples == ("1,234.56",) and mixed.comma_examples == ("1,01", "2,02", "3,03")
    # grouping only, 300 of them: ambiguous still, never guessed
    amb = infer_number_format(pa.array([f"{i}.500" for i in range(1, 301)]))
    assert isinstance(amb, AmbiguousNumbers) and amb.separator == "."


# ---------------------------------------------------------------------- dates


def test_date_order_from_the_whole_column():
    assert infer_date_order(["01/02/2024", "13/02/2024"]).day_first is True
    assert infer_date_order(["01/02/2024", "02/13/2024"]).day_first is False
    amb = infer_date_order(["01/02/2024", "01/03/2024", "2024-05-01"])
    assert amb.ambiguous and amb.day_first is None
    mixed = infer_date_order(["13/01/2024", "01/13/2024"])
    assert mixed.mixed
    dots = infer_date_order(["01.02.2024", "03.04.2024"])
    assert dots.day_first is True and dots.date_format == "%d.%m.%Y"
    assert infer_date_order(["31-1-24", "1-2-24"]).date_format == "%d-%m-%y"


def test_day_first_is_applied_to_every_row_and_periods_are_not_dates():
    got = parse_dates(["01/02/2024", "13/02/2024", "01/01/2024 - 12/31/2024", "2024-01-01 to 2024-12-31"],
                      day_first=True)
    assert [str(v)[:10] for v in got.values[:2]] == ["2024-02-01", "2024-02-13"]
    assert got.period.tolist() == [False, False, True, True]
    assert got.unparseable.tolist() == [False, False, True, True]
    for text in ("FY2024", "Q1 2024", "Jan 2024 - Dec 2024", "2024"):
        assert is_period(text), text
    assert not is_period("2024-01-31 08:26:00")


# ---------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("label", "kind", "subject"),
    [
        ("TOTAL", "pure", None),
        ("Grand Total", "pure", None),
        ("Total March", "pure", None),
        ("Total for Q1 2024", "pure", None),
        ("Gesamtergebnis", "pure", None),
        ("Count", "pure", None),
        ("Acme Corp Total", "affix", "acme corp"),
        ("Total for Acme Corp.", "affix", "acme corp"),
        ("Sous-total Dupont SA", "affix", "dupont sa"),
        ("Total Wine & More", "affix", "wine & more"),
        ("Acme Corp", None, None),
        ("Totalbank AG", None, None),
    ],
)
def test_aggregate_labels(label, kind, subject):
    got_kind, got_subject, _ = label_kind(label)
    assert (got_kind, got_subject) == (kind, subject)


# ---------------------------------------------------------------------- file types


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"%PDF-1.7 ...", "billing.csv", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "billing.xls", "97-2003"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "billing.xls", "web page"),
        (bytes(range(256)) * 4, "billing.csv", "binary"),
    ],
)
def test_files_that_are_not_tables_are_named(tmp_path, content, name, says):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(FileReadError, match=says):
        sniff_kind(p)


def test_ods_and_zip_are_named_and_a_renamed_workbook_is_read(tmp_path):
    ods = tmp_path / "billing.ods"
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    with pytest.raises(FileReadError, match="OpenDocument"):
        sniff_kind(ods)
    wb = openpyxl.Workbook()
    wb.active.append(["Date", "Customer", "Amount"])
    wb.save(tmp_path / "book.xlsx")
    renamed = tmp_path / "billing.csv"
    renamed.write_bytes((tmp_path / "book.xlsx").read_bytes())
    assert sniff_kind(renamed) == "xlsx"
    assert sniff_kind(tmp_path / "book.xlsx") == "xlsx"


# ---------------------------------------------------------------------- workbook layout


def test_sheet_layout_from_the_xml():
    xml = (
        b'<worksheet><cols><col min="3" max="4" hidden="1"/></cols><sheetData>'
        b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        b'<row r="5" hidden="1" outlineLevel="2"><c r="B5"><v>3</v></c></row>'
        b'<row r="6" hidden="1"><c r="B6"><f>SUM(B2:B5)</f></c></row>'
        b'<x:row r="7" x:spans="1:2"><x:c r="B7"><x:f>B6*2</x:f><x:v></x:v></x:c></x:row>'
        b'<row r="8"><c r="B8"><f>B7</f><v>12</v></c></row>'
        b'</sheetData><autoFilter ref="A1:B8"><filterColumn colId="0"/></autoFilter>'
        b'<mergeCells count="1"><mergeCell ref="A2:A4"/></mergeCells></worksheet>'
    )
    got = _scan_layout(xml)
    assert got.hidden_rows == {5, 6} and got.outline_rows == {5}
    assert got.hidden_columns == {3, 4} and got.filtered
    assert got.merges == ((2, 1, 4, 1),)
    assert set(got.formulas_without_values) == {(6, 2), (7, 2)}
    assert set(got.formula_cells) == {(6, 2), (7, 2), (8, 2)}


# ---------------------------------------------------------------------- shown, pinned, proposed


def _folder(tmp_path: Path, text: str, yml: str) -> Path:
    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "billing.csv").write_text(text, encoding="utf-8")
    (folder / "client.yml").write_text(yml, encoding="utf-8")
    return folder


EURO = "Datum;Kunde;Betrag;Verkäufer\n31.01.2024;Acme GmbH;1.500;Dana\n01.02.2024;Bolt AG;2.250,50;Eli\n"


def test_validate_shows_the_reading_and_pin_keeps_the_comments(tmp_path):
    folder = _folder(tmp_path, EURO, "# the client\nclient: Test Co   # shown on the cover\naccept: [short_window]\nbilling:\n  file: billing.csv   # the export\n")
    runner = CliRunner()
    out = runner.invoke(main, ["validate", str(folder)])
    assert out.exit_code == 0, out.output
    assert "How the file was read" in out.output
    assert "decimal ','" in out.output and "day first" in out.output
    assert "$3,750.50" in out.output  # 1.500 is fifteen hundred: the whole column decides
    out = runner.invoke(main, ["validate", str(folder), "--pin"])
    assert out.exit_code == 0, out.output
    text = (folder / "client.yml").read_text(encoding="utf-8")
    assert "# the client" in text and "# shown on the cover" in text and "# the export" in text
    data = yaml.safe_load(text)
    assert data["billing"]["decimal"] == "," and data["billing"]["date_format"] == "%d.%m.%Y"
    assert data["billing"]["columns"] == {"date": "Datum", "client": "Kunde", "amount": "Betrag", "seller": "Verkäufer"}
    assert dated_copies(folder / "client.yml")
    # pinned: the same reading, and a second --pin writes nothing
    assert load_ledger(load_config(folder)).reconciliation.amount_used == 3_750_500_000
    out = runner.invoke(main, ["validate", str(folder), "--pin"])
    assert "nothing written" in out.output


def test_validate_json_carries_the_reading(tmp_path):
    import json

    folder = _folder(tmp_path, EURO, "client: T\nbilling: billing.csv\naccept: [short_window]\n")
    out = CliRunner().invoke(main, ["validate", str(folder), "--json"])
    data = json.loads(out.output)
    assert data["reading"]["decimal"] == "," and data["reading"]["columns"]["amount"]["header"] == "Betrag"
    assert data["reading"]["settings"]["delimiter"] == "semicolon"


def test_new_client_from_an_erp_export_proposes_the_net_amount(tmp_path):
    export = tmp_path / "orders.csv"
    export.write_text(
        "Adventure Works Cycles\nSales Orders by Reseller\n\n"
        "Order Date,Reseller,Sales Representative,SubTotal,TaxAmt,Freight,TotalDue\n"
        '1/15/2024,Bike World,Shu Ito,"1,000.00",80.00,25.00,"1,105.00"\n'
        '2/20/2024,Cycle Hub,Linda Mitchell,500.50,40.04,12.51,553.05\n'
        '3/13/2024,Bike World,Shu Ito,"2,000.00",160.00,50.00,"2,210.00"\n'
        ',Grand Total,,"3,500.50",280.04,87.51,"3,868.05"\n',
        encoding="utf-8",
    )
    out = CliRunner().invoke(main, ["new-client", "Adventure Works", "--dir", str(tmp_path / "clients"), "--from", str(export)])
    assert out.exit_code == 0, out.output
    assert "amount: 'SubTotal'" in out.output and "net of 'TaxAmt' and 'Freight'" in out.output
    folder = tmp_path / "clients" / "adventure-works"
    assert (folder / "orders.csv").exists()
    cfg = load_config(folder)
    assert dict(cfg.billing.columns) == {"date": "Order Date", "client": "Reseller", "amount": "SubTotal",
                                         "seller": "Sales Representative"}
    loaded = load_ledger(cfg)
    assert loaded.reconciliation.amount_used == 3_500_500_000  # the Grand Total row is not a client
    assert loaded.reconciliation.excluded["aggregate"].rows == 1
    assert "# proposed:" in (folder / "client.yml").read_text(encoding="utf-8")


def test_new_client_from_a_file_it_cannot_decide_still_starts_the_folder(tmp_path):
    export = tmp_path / "ledger.csv"
    export.write_text("Date,Customer,Amount\n01/02/2024,Acme,10.50\n03/04/2024,Bolt,20.00\n", encoding="utf-8")
    proposal = new_client_from("Ambiguous Co", export, tmp_path / "clients")
    assert proposal.problem is not None and "date_format" in proposal.problem
    assert (proposal.folder / "ledger.csv").exists()
    assert load_config(proposal.folder).billing.file.name == "ledger.csv"


def test_the_report_tables_of_the_reading_and_reconciliation(tmp_path):
    folder = _folder(tmp_path, "Date,Customer,Amount\n2024-01-05,Acme,10.00\n2024-01-06,Bolt,5.00\n,TOTAL,15.00\n",
                     "client: T\nbilling: billing.csv\n")
    loaded = load_ledger(load_config(folder))
    frame = loaded.reconciliation.to_frame("$")
    labels = frame["what"].tolist()
    assert any("totals and subtotals" in w and "$15.00, not added" in w for w in labels)
    assert frame["amount"].iloc[0] == frame["amount"].iloc[1] == 15_000_000
    topics = loaded.reading.to_frame("$")["topic"].tolist()
    assert topics[:2] == ["File", "Header"] and "Totals rows" in topics and "Amount column" in topics


def test_hidden_rows_must_be_decided(tmp_path):
    folder = tmp_path / "client"
    folder.mkdir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Customer", "Amount"])
    for i in range(6):
        ws.append([dt.date(2024, 1, 10 + i), f"C{i}", 100 + i])
    ws.row_dimensions[3].hidden = True
    wb.save(folder / "billing.xlsx")
    (folder / "client.yml").write_text("client: T\nbilling: billing.xlsx\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="hidden_rows: include"):
        load_ledger(load_config(folder))
    (folder / "client.yml").write_text("client: T\nbilling: {file: billing.xlsx, hidden_rows: exclude}\n", encoding="utf-8")
    r = load_ledger(load_config(folder)).reconciliation
    assert r.excluded["hidden_row"].rows == 1 and r.amount_used == sum(100 + i for i in range(6) if i != 1) * 1_000_000


# ---------------------------------------------------------------------- statuses and credits


def test_lost_deals_are_refused_until_the_consultant_decides(tmp_path):
    folder = _folder(
        tmp_path,
        "Opportunity Owner,Account Name,Stage,Close Date,Amount\n"
        "Dana,Acme,Closed Won,2024-01-15,\"10,000.00\"\n"
        "Dana,Bolt,Closed Lost,2024-02-15,\"5,000.00\"\n"
        "Eli,Cyan,Negotiation/Review,2024-03-15,\"7,500.00\"\n"
        "Eli,Acme,Closed Won,2024-04-15,\"2,500.00\"\n",
        "client: T\nbilling: billing.csv\n",
    )
    with pytest.raises(DataValidationError, match=r"billing.exclude: \{Stage: \['Closed Lost', 'Negotiation/Review'\]\}"):
        load_ledger(load_config(folder))
    (folder / "client.yml").write_text(
        "client: T\nbilling: {file: billing.csv, exclude: {Stage: [Closed Lost, Negotiation/Review]}}\n", encoding="utf-8")
    r = load_ledger(load_config(folder)).reconciliation
    assert r.amount_used == 12_500_000_000 and r.excluded["excluded_by_filter"].rows == 2
    # "every row is billing": an empty list is the consultant's word
    (folder / "client.yml").write_text("client: T\nbilling: {file: billing.csv, exclude: {Stage: []}}\n", encoding="utf-8")
    assert load_ledger(load_config(folder)).reconciliation.amount_used == 25_000_000_000


def test_credits_written_positive_are_refused_then_subtracted(tmp_path):
    folder = _folder(
        tmp_path,
        "Date,Customer,Type,Net\n2024-01-15,Acme,Invoice,100.00\n2024-02-15,Acme,Credit Note,30.00\n"
        "2024-03-15,Bolt,Invoice,50.00\n",
        "client: T\nbilling: billing.csv\n",
    )
    with pytest.raises(DataValidationError, match=r"billing.credits: \{Type: \['Credit Note'\]\}"):
        load_ledger(load_config(folder))
    (folder / "client.yml").write_text("client: T\nbilling: {file: billing.csv, credits: {Type: [Credit Note]}}\n",
                                       encoding="utf-8")
    loaded = load_ledger(load_config(folder))
    assert loaded.reconciliation.amount_used == 120_000_000
    assert loaded.ledger["amount"].tolist() == [100_000_000, -30_000_000, 50_000_000]


def test_credits_already_negative_need_nothing(tmp_path):
    folder = _folder(
        tmp_path,
        "Date,Customer,Transaction Type,Amount\n2024-01-15,Acme,Invoice,100.00\n2024-02-15,Acme,Credit Memo,-30.00\n",
        "client: T\nbilling: billing.csv\n",
    )
    assert load_ledger(load_config(folder)).reconciliation.amount_used == 70_000_000


def test_numbered_customer_names_are_clients_not_ledger_accounts(tmp_path):
    rows = "".join(f"2024-01-{1 + i % 28:02d},{10040 + i % 12} Client {i % 12} Ltd,{100 + i}.00\n" for i in range(40))
    folder = _folder(tmp_path, "Date,Customer,Amount\n" + rows, "client: T\nbilling: billing.csv\n")
    assert load_ledger(load_config(folder)).reconciliation.n_distinct_clients == 12


def test_a_totals_row_labelled_under_the_dates_shows_its_label(tmp_path):
    """A European export's closing row 'Summe' written in the date column: left out as the sum
    of the rows above it, and named by that label (it showed as '')."""
    from alms_toolkit.io.ledger import load_ledger

    text = EURO + "15.02.2024;Total Wine & More;765,44;Dana\nSumme;;4.515,94;\n"
    loaded = load_ledger(load_config(_folder(tmp_path, text, "client: Test Co\nbilling: billing.csv\n")))
    assert loaded.reading is not None
    (agg,) = loaded.reading.aggregates
    assert agg.label == "Summe" and agg.row == 5
    assert loaded.reconciliation.amount_used == 4_515_940_000  # Total Wine & More is a client, kept


def test_a_subtotal_of_one_line_names_that_row(tmp_path):
    from alms_toolkit.io.ledger import load_ledger

    text = ("Date,Customer,Amount,Rep\n2024-01-05,Acme Inc,100.00,Dana\n2024-01-09,Acme Inc,50.00,Dana\n"
            ",Subtotal,150.00,\n2024-02-01,Bolt Ltd,2750.00,Eli\n,Subtotal,2750.00,\n"
            ",Grand Total,2900.00,\n")
    loaded = load_ledger(load_config(_folder(tmp_path, text, "client: Test Co\nbilling: billing.csv\n")))
    assert loaded.reading is not None
    told = {a.row: a.adds_up for a in loaded.reading.aggregates}
    assert told[4] == "the sum of rows 2-3" and told[6] == "the sum of row 5"
    assert loaded.reconciliation.amount_used == 2_900_000_000


REPORT_LAYOUT = ("Customer,Date,Invoice,Rep,Amount\n"
                 "Northwind Traders,2024-01-08,5001,Ann Lee,4200.00\n,2024-03-15,5002,,3800.00\n"
                 ",2024-09-30,5003,,2000.00\n,,Subtotal,,10000.00\n"
                 "Blue Harbor Hotels,2024-02-01,5004,Bob Diaz,6500.00\n,2024-07-19,5005,,1500.00\n"
                 ",,Subtotal,,8000.00\n"
                 "Total Wine & More,2024-04-11,5007,Ann Lee,2750.00\n,,Subtotal,,2750.00\n"
                 ",,Grand total,,20750.00\n")


def test_a_report_layout_counts_its_lines_not_its_subtotals(tmp_path):
    """The client written once per group, each group closed by a subtotal: the refusal and,
    once filled down, the reading count the 3 lines given a client ($7,300.00), not the
    subtotal and grand total rows (it said 7 lines, $48,800.00)."""
    from alms_toolkit.errors import DataValidationError
    from alms_toolkit.io.ledger import load_ledger

    folder = _folder(tmp_path, REPORT_LAYOUT, "client: Test Co\nbilling: billing.csv\n")
    with pytest.raises(DataValidationError) as refused:
        load_ledger(load_config(folder))
    assert "3 lines with an amount ($7,300.00) have a blank client" in str(refused.value)
    (folder / "client.yml").write_text("client: Test Co\nbilling:\n  file: billing.csv\n  fill_down: [client]\n")
    loaded = load_ledger(load_config(folder))
    assert loaded.reading is not None
    assert "3 blank client cells from the row above (billing.fill_down)" in loaded.reading.fills
    assert loaded.reconciliation.amount_used == 20_750_000_000


US_DATES = ("Date,Customer,Amount,Sales Rep\n1/1/2024,Alpha Corp,1000.50,Ann\n2/10/2024,Beta LLC,2400.00,Ann\n"
            "3/20/2024,Gamma,300.00,Bob\n4/5/2024,Alpha Corp,2500.00,Bob\n5/25/2024,Delta,50.00,Ann\n"
            "6/3/2024,Total Wine & More,900.00,Bob\n")


def test_a_date_format_that_some_dates_do_not_fit_is_refused(tmp_path):
    """billing.date_format '%d/%m/%Y' on month-first dates: 3/20/2024 and 5/25/2024 do not fit,
    and 2/10/2024 would be read as 2 October. It was accepted (fewer than half the dates
    failed: those rows were left out, the others read swapped); now refused, naming the rows
    and the fix. The right format, or none, reads every row."""
    from alms_toolkit.errors import DataValidationError
    from alms_toolkit.io.ledger import load_ledger

    yml = 'client: X\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n  date_format: "{}"\n'
    folder = _folder(tmp_path, US_DATES, yml.format("%d/%m/%Y"))
    with pytest.raises(DataValidationError) as refused:
        load_ledger(load_config(folder))
    text = str(refused.value)
    assert "2 of 6 dates do not fit billing.date_format '%d/%m/%Y'" in text and "rows 4, 6" in text
    assert 'set billing.date_format: "%m/%d/%Y"' in text and "or remove it" in text
    for right in (yml.format("%m/%d/%Y"), "client: X\nas_of: 2025-01-01\nbilling: billing.csv\n"):
        (folder / "client.yml").write_text(right, encoding="utf-8")
        loaded = load_ledger(load_config(folder))
        assert loaded.reconciliation.rows_used == 6 and loaded.reconciliation.amount_used == 7_150_500_000
        assert dt.date(2024, 2, 10) in set(loaded.ledger["date"].dt.date)
    # ISO dates under a day-first format: the hint is to remove the setting, not to set it again
    iso = "Date,Customer,Amount\n2024-01-31,Alpha Corp,10.00\n2024-02-28,Beta LLC,20.00\n"
    (folder / "billing.csv").write_text(iso, encoding="utf-8")
    (folder / "client.yml").write_text(yml.format("%d/%m/%Y"), encoding="utf-8")
    with pytest.raises(DataValidationError) as iso_refused:
        load_ledger(load_config(folder))
    assert "remove billing.date_format ('%d/%m/%Y') from client.yml" in str(iso_refused.value)
    assert 'set billing.date_format: "%d/%m/%Y"' not in str(iso_refused.value)


def test_a_thousands_separator_set_to_the_decimal_mark_is_named(tmp_path):
    """billing.thousands: "." on amounts written 1234.56: the setting to remove is the one named
    (the hint said to set billing.decimal: ".", which then clashed with billing.thousands)."""
    from alms_toolkit.errors import DataValidationError
    from alms_toolkit.io.ledger import load_ledger

    text = "Date,Customer,Amount\n2024-01-31,Alpha Corp,1234.50\n2024-02-28,Beta LLC,20.25\n"
    folder = _folder(tmp_path, text, 'client: X\nbilling:\n  file: billing.csv\n  thousands: "."\n')
    with pytest.raises(DataValidationError) as refused:
        load_ledger(load_config(folder))
    assert "billing.thousands: \".\" (which makes ',' the decimal mark) in client.yml" in str(refused.value)
    assert "Remove billing.thousands from client.yml" in str(refused.value)
    assert "billing.decimal" not in str(refused.value)
    (folder / "client.yml").write_text("client: X\nbilling:\n  file: billing.csv\n", encoding="utf-8")
    assert load_ledger(load_config(folder)).reconciliation.amount_used == 1_254_750_000


@pytest.mark.parametrize(
    ("setting", "amounts", "bad_rows", "examples"),
    [
        # a US file under billing.decimal ",": the cents and the grouped thousands are dots' numbers
        ('decimal: ","', ['"1,200.50"', "12.50", "500", "33.1", '"2,750"', "80"], (2, 3, 5), ("1,200.50", "12.50", "33.1")),
        # a European file under billing.decimal "."
        ('decimal: "."', ['"1.200,50"', '"12,50"', "500", '"1.234"', "80", "9"], (2, 3), ("1.200,50", "12,50")),
        # billing.thousands "," implies '.' as the decimal mark
        ('thousands: ","', ['"1.200,50"', '"7,5"', "500", "80", "9", "10"], (2, 3), ("1.200,50", "7,5")),
    ],
)
def test_a_decimal_setting_the_amounts_contradict_is_refused(tmp_path, setting, amounts, bad_rows, examples):
    """Amounts that client.yml's decimal mark cannot read but the other mark can are not
    'amount not a number' rows left out (half of them here, under the share that refuses a
    column): the setting is wrong for the file, and refused naming the rows, the column and the
    setting; without it the file reads by itself or is refused as a mix."""
    names = ["Alpha Corp", "Beta LLC", "Gamma Inc", "Delta Co", "Echo Ltd", "Fox plc"]
    text = "Date,Customer,Amount\n" + "".join(
        f"2024-0{i + 1}-15,{n},{a}\n" for i, (n, a) in enumerate(zip(names, amounts, strict=True)))
    folder = _folder(tmp_path, text, f"client: X\nbilling:\n  file: billing.csv\n  {setting}\n")
    with pytest.raises(DataValidationError) as refused:
        load_ledger(load_config(folder))
    problem = refused.value.problems[0]
    assert problem.reason == "number_format_setting"
    assert problem.column == "Amount"
    assert problem.rows == bad_rows
    assert problem.examples == examples
    assert f"billing.{setting.split(':')[0]}" in str(refused.value)
    assert f"Remove billing.{setting.split(':')[0]} from client.yml" in str(refused.value)


def test_a_decimal_setting_keeps_leaving_out_cells_that_are_no_number(tmp_path):
    """Hard negative: under billing.decimal ",", a cell that is no number in either format
    ('n/a') is still left out as 'amount not a number', and the amounts are read with ','."""
    text = ("Date,Customer,Amount\n2024-01-15,Alpha Corp,\"1.200,50\"\n2024-02-15,Beta LLC,n/a\n"
            "2024-03-15,Gamma Inc,\"7,25\"\n2024-04-15,Total Wine & More,300\n")
    folder = _folder(tmp_path, text, 'client: X\nbilling:\n  file: billing.csv\n  decimal: ","\n')
    loaded = load_ledger(load_config(folder))
    assert loaded.reconciliation.amount_used == 1_507_750_000
    assert loaded.reconciliation.excluded["unparseable_amount"].rows == 1


def test_the_client_column_s_count_of_names_leaves_out_totals_labels(tmp_path):
    """A report layout's client column holds each client's subtotal label and a grand total:
    the reading says how many names it holds, not how many texts (a client called 'Total Wine
    & More' is a name; 'Total Wine & More Total' beside it is its subtotal)."""
    rows = []
    for name, amounts in (("Acme Corp", (100, 50)), ("Bolt Ltd", (20,)), ("Total Wine & More", (70, 5)),
                          ("Core Inc", (30,))):
        rows += [f"2024-03-0{i + 1},{name},{a}.00" for i, a in enumerate(amounts)]
        rows.append(f",{name} Total,{sum(amounts)}.00")
    rows.append(",Grand Total,275.00")
    text = "Date,Customer,Amount\n" + "\n".join(rows) + "\n"
    folder = _folder(tmp_path, text, "client: X\nbilling:\n  file: billing.csv\n")
    loaded = load_ledger(load_config(folder))
    assert loaded.reconciliation.amount_used == 275_000_000
    client_line = next(v for k, v in loaded.reading.lines() if k == "Client column")
    assert "4 different names" in client_line, client_line


_INVOICES = [  # (date, invoice, client, seller, [line amounts])
    ("01/02/2024", "INV-1", "Arbor Day Spa", "Ng", ["3768.20"]),
    ("02/07/2024", "INV-2", "Dapper Barbers", "Shaw", ["5596.31", "4352.84", "1507.82"]),
    ("02/22/2024", "INV-3", "Total Wine & More", "Shaw", ["4519.77", "2217.88"]),
    ("02/24/2024", "INV-4", "Dapper Barbers", "Shaw", ["2587.44", "1344.03"]),
    ("03/02/2024", "INV-5", "Falcon Security", "Ng", ["4834.71", "692.64", "3393.72"]),
]
_TRUE_TOTAL = 34_815_360_000  # every line, in micros


def _invoice_lines(blank: tuple[str, ...]) -> str:
    """One row per invoice line; on the lines after an invoice's first, the fields in ``blank``
    are left empty (a report's suppressed repeats, or merged cells saved as CSV)."""
    out = ["Invoice Date,Invoice No,Customer,Sales Rep,Item,Line Amount"]
    for date, inv, client, rep, amounts in _INVOICES:
        for i, amount in enumerate(amounts):
            cells = {"date": date, "invoice": inv, "client": client, "seller": rep}
            if i:
                cells = {k: ("" if k in blank else v) for k, v in cells.items()}
            out.append(f"{cells['date']},{cells['invoice']},{cells['client']},{cells['seller']},Item {i},{amount}")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize(("blank", "fill", "said"), [
    (("client", "seller"), "[client, seller]", "have no client, each below a line that has it and the same invoice number ('Invoice No')"),
    (("client", "seller", "date", "invoice"), "[client, date, seller]", "have no client and no date, each below a line that has them"),
])
def test_lines_that_continue_the_line_above_are_refused_then_filled_down(tmp_path, blank, fill, said):
    """An invoice's client (and date) written on its first line only: the other lines were left
    out as 'client blank' (or 'date missing') with exit 0, 40% of the money lost. They are
    refused, naming the lines and the fill_down that reads them; with it every line counts."""
    folder = _folder(tmp_path, _invoice_lines(blank), "client: X\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n")
    with pytest.raises(DataValidationError) as refused:
        load_ledger(load_config(folder))
    problem = refused.value.problems[0]
    assert problem.reason == "continuation_lines"
    assert problem.rows == (4, 5, 7, 9, 11) and problem.n_rows == 6
    assert f"6 lines with an amount ($13,508.93) {said}" in str(refused.value)
    assert f"billing.fill_down: {fill}" in str(refused.value)
    (folder / "client.yml").write_text(
        f"client: X\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n  fill_down: {fill}\n", encoding="utf-8")
    loaded = load_ledger(load_config(folder))
    assert loaded.reconciliation.amount_used == _TRUE_TOTAL
    assert loaded.reconciliation.rows_used == 11
    by_client = loaded.ledger.groupby("client")["amount"].sum()
    assert by_client["Dapper Barbers"] == 15_388_440_000
    assert by_client["Total Wine & More"] == 6_737_650_000


def test_a_few_lines_without_a_client_on_other_invoices_are_still_left_out(tmp_path):
    """Hard negative: lines with a blank client that do not continue the line above (another
    invoice number) are left out and counted as before, not refused."""
    text = _invoice_lines(()).replace("02/24/2024,INV-4,Dapper Barbers", "02/24/2024,INV-4,") \
                             .replace("03/02/2024,INV-5,Falcon Security", "03/02/2024,INV-9,", 1)
    folder = _folder(tmp_path, text, "client: X\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n")
    loaded = load_ledger(load_config(folder))
    assert loaded.reconciliation.excluded["blank_client"].rows == 3
    assert loaded.reconciliation.amount_used == _TRUE_TOTAL - 3_931_470_000 - 4_834_710_000


def _uk_ledger_through_us_excel(tmp_path, dates):
    """A UK (day-first) ledger as a US-set Excel saves it: a date whose day is 12 or less becomes
    a date cell with day and month swapped; the others stay text."""
    import datetime as _dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Customer", "Net"])
    for i, day in enumerate(dates):
        cell = _dt.datetime(day.year, day.day, day.month) if day.day <= 12 else day.strftime("%d/%m/%Y")
        sheet.append([cell, f"Client {i % 4}", 100.0 + i])
    folder = tmp_path / "client"
    folder.mkdir()
    book.save(folder / "billing.xlsx")
    (folder / "client.yml").write_text("client: X\nas_of: 2024-10-01\nbilling:\n  file: billing.xlsx\n", encoding="utf-8")
    return folder


def test_day_first_dates_swapped_by_a_month_first_excel_are_refused(tmp_path):
    """The dates a US-set Excel could read month-first became date cells with day and month
    swapped (5 March -> 3 May, moved across the window's edge); they were read as they are,
    with exit 0. Refused, naming the date cells."""
    import datetime as _dt

    dates = [_dt.date(2024, m, d) for m, d in ((1, 5), (2, 25), (3, 9), (4, 18), (5, 2), (6, 30), (7, 11), (8, 21))]
    with pytest.raises(DataValidationError) as refused:
        load_ledger(load_config(_uk_ledger_through_us_excel(tmp_path, dates)))
    problem = refused.value.problems[0]
    assert problem.reason == "dates_swapped_by_excel" and problem.column == "Date"
    assert problem.rows == (2, 4, 6, 8)
    assert "'25/02/2024', '18/04/2024'" in problem.message
    assert "Data > From Text/CSV" in str(refused.value)


def test_date_cells_on_days_past_12_beside_day_first_text_are_read(tmp_path):
    """Hard negative: date cells on any day of the month (the 13th and later among them) beside
    a few dates typed as day-first text: a real mix, read as it is."""
    import datetime as _dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Customer", "Net"])
    for i, (cell) in enumerate([_dt.datetime(2024, 1, 5), _dt.datetime(2024, 2, 17), _dt.datetime(2024, 3, 9),
                                "25/04/2024", _dt.datetime(2024, 5, 28), "14/06/2024"]):
        sheet.append([cell, f"Client {i % 3}", 100.0])
    folder = tmp_path / "client"
    folder.mkdir()
    book.save(folder / "billing.xlsx")
    (folder / "client.yml").write_text("client: X\nas_of: 2024-10-01\nbilling:\n  file: billing.xlsx\n", encoding="utf-8")
    loaded = load_ledger(load_config(folder))
    assert loaded.reconciliation.rows_used == 6
    assert sorted(loaded.ledger["date"].dt.strftime("%m-%d")) == ["01-05", "02-17", "03-09", "04-25", "05-28", "06-14"]


def test_reading_notes_say_what_the_file_holds(tmp_path):
    """A workbook's amounts are number cells (not 'no value has a decimal part' for 6,118.89);
    a ledger sheet ending with Excel's 'Grand Total' subtotal is not called a pivot table;
    dates written with the month's name are said to be so."""
    import datetime as _dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sales"
    sheet.append(["Invoice Date", "Customer", "Net Amount"])
    sheet.append([_dt.datetime(2024, 1, 2), "Abbott Roofing", 6118.89])
    sheet.append([_dt.datetime(2024, 2, 5), "Brightline Dental", 3548.4])
    sheet.append([None, "Grand Total", 9667.29])
    folder = tmp_path / "client"
    folder.mkdir()
    book.save(folder / "billing.xlsx")
    (folder / "client.yml").write_text("client: X\nas_of: 2024-07-01\nbilling:\n  file: billing.xlsx\n", encoding="utf-8")
    lines = dict(load_ledger(load_config(folder)).reading.lines())
    assert lines["Numbers"].endswith("the amounts are spreadsheet number cells (no decimal mark to read)")
    from alms_toolkit.io.sheet_rank import rank_sheet

    assert "pivot" not in rank_sheet("Sales", [["Invoice Date", "Customer", "Net Amount"],
                                                [_dt.datetime(2024, 1, 2), "Abbott Roofing", 6118.89],
                                                [None, "Grand Total", 6118.89]])[1]
    assert "pivot" in rank_sheet("Summary", [["Customer", "Jan", "Feb"], ["Abbott", 1.0, 2.0],
                                             ["Grand Total", 1.0, 2.0]])[1]
    text = "InvoiceNumber,ContactName,InvoiceDate,Total\nINV-1,Acorn Bakery,02 Jan 2024,10.00\nINV-2,Birch,24 Jan 2024,5.00\n"
    (tmp_path / "named").mkdir()
    folder = _folder(tmp_path / "named", text, "client: X\nas_of: 2024-07-01\nbilling:\n  file: billing.csv\n")
    lines = dict(load_ledger(load_config(folder)).reading.lines())
    assert lines["Dates"] == "written with the month's name (e.g. '02 Jan 2024'): no order to decide"


def test_each_reason_lists_its_own_first_rows(tmp_path):
    """The footer line under a report (a note that does not split into the columns) is listed
    among the footers only, not among the section headings or the totals too."""
    text = ('"Harbor Media LLC"\n"Transaction Detail"\n\n"","Date","Num","Name","Amount"\n'
            '"Juniper Salon","","","",""\n"","02/11/2024","2665","Juniper Salon","7,204.99"\n'
            '"","02/26/2024","5770","Juniper Salon","2,977.16"\n"Total for Juniper Salon","","","","10,182.15"\n'
            '"Alder Creek","","","",""\n"","03/11/2024","4358","Alder Creek","4,103.74"\n'
            '"Total for Alder Creek","","","","4,103.74"\n"TOTAL","","","","14,285.89"\n\n'
            '"Accrual Basis Tuesday, January 7, 2025 09:41 AM GMT-08:00"\n')
    folder = _folder(tmp_path, text, "client: X\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n")
    recon = load_ledger(load_config(folder)).reconciliation
    assert recon.amount_used == 14_285_890_000
    assert recon.excluded["section_header"].first_rows == (5, 9)
    assert recon.excluded["aggregate"].first_rows == (8, 11, 12)
    assert recon.excluded["footer"].first_rows == (14,)


def test_a_second_line_equal_to_the_first_is_a_line_when_blank_dates_continue(tmp_path):
    """Merged cells saved as CSV, an invoice of two equal lines: the second (no label, no date,
    the amount of the one line above) read as the first's subtotal lost its money. With
    billing.fill_down naming date, a line without a date continues the line above: it counts."""
    text = ("Invoice Date,Invoice No,Customer,Sales Rep,Item,Line Amount\n"
            "01/05/2024,INV-1,Brickyard Pizza,Shaw,Item 0,5133.18\n,,,,Item 1,5133.18\n"
            "01/23/2024,INV-2,Dapper Barbers,Ng,Item 0,4512.47\n,,,,Item 1,4512.47\n,,,,Item 2,4512.48\n"
            "02/02/2024,INV-3,Total Wine & More,Ng,Item 0,700.00\n")
    yml = "client: X\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n  fill_down: [client, date, seller]\n"
    loaded = load_ledger(load_config(_folder(tmp_path, text, yml)))
    assert loaded.reconciliation.amount_used == 24_503_780_000
    assert loaded.reconciliation.rows_used == 6 and "aggregate" not in loaded.reconciliation.excluded
    assert loaded.ledger.groupby("client")["amount"].sum()["Dapper Barbers"] == 13_537_420_000
    assert any("equal to the one line above" in v for k, v in loaded.reading.lines() if k == "Adjusted")


def test_continuation_lines_review_cases(tmp_path):
    """From an independent review: (a) a file that writes subtotals, one-line groups' too,
    keeps them out under fill_down [client, date]; (b) the hint names no seller when the file
    has no seller column, and keeps the fill_down fields already set; (c) a file writing every
    line complete, each invoice followed by a bare gross-total row, is not said to continue
    lines (its advice would have counted the totals)."""
    sub = ("Date,Customer,Item,Amount\n01/15/2024,Acme Corp,Widget,100.00\n,,Gadget,250.00\n,,,350.00\n"
           "02/07/2024,Beta LLC,Widget,75.00\n,,,75.00\n03/03/2024,Gamma Inc,Widget,40.00\n,,Bolt,60.00\n,,,100.00\n"
           "04/01/2024,Delta Co,Widget,500.00\n,,,500.00\n")
    a = tmp_path / "a"
    a.mkdir()
    folder = _folder(a, sub, "client: X\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n")
    with pytest.raises(DataValidationError) as refused:
        load_ledger(load_config(folder))
    # the clients are filled down by themselves (each group's subtotal names it); no seller column
    assert "billing.fill_down: [date]." in str(refused.value) and "seller" not in str(refused.value)
    (folder / "client.yml").write_text(
        "client: X\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n  fill_down: [client]\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as refused:
        load_ledger(load_config(folder))
    assert "billing.fill_down: [client, date]." in str(refused.value)  # the field already set is kept
    (folder / "client.yml").write_text(
        "client: X\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n  fill_down: [date]\n", encoding="utf-8")
    assert load_ledger(load_config(folder)).reconciliation.amount_used == 1_025_000_000
    (folder / "client.yml").write_text(
        "client: X\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n  fill_down: [client, date]\n", encoding="utf-8")
    assert load_ledger(load_config(folder)).reconciliation.amount_used == 1_025_000_000
    gross = ("Invoice Date,Invoice No,Customer,Item,Net Amount\n01/15/2024,INV-1,Acme Corp,Widget,100.00\n"
             "01/15/2024,INV-1,Acme Corp,Gadget,50.00\n,,,,165.00\n02/17/2024,INV-2,Beta LLC,Widget,200.00\n,,,,220.00\n"
             "03/13/2024,INV-3,Gamma Inc,Widget,40.00\n03/13/2024,INV-3,Gamma Inc,Bolt,60.00\n,,,,110.00\n")
    c = tmp_path / "c"
    c.mkdir()
    loaded = load_ledger(load_config(_folder(c, gross, "client: X\nas_of: 2025-01-01\nbilling:\n  file: billing.csv\n")))
    assert loaded.reconciliation.amount_used == 450_000_000  # the lines; the gross totals are left out
    assert loaded.reconciliation.excluded["unparseable_date"].rows == 3


def test_a_workbook_billed_on_the_first_of_each_month_is_not_taken_for_swapped_dates(tmp_path):
    """From an independent review: date cells all on the 1st (monthly billing) and two dates
    typed as day-first text. Swapped by Excel, the cells' days would be the true months;
    all on day 1 they are no sign of it."""
    import datetime as _dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Date", "Customer", "Net"])
    for m in range(1, 13):
        for c in range(4):
            sheet.append([_dt.datetime(2024, m, 1), f"Client {c}", 1000.0])
    sheet.append(["15/03/2024", "Client 0", 11.0])
    sheet.append(["22/07/2024", "Client 1", 11.0])
    folder = tmp_path / "client"
    folder.mkdir()
    book.save(folder / "billing.xlsx")
    (folder / "client.yml").write_text("client: X\nas_of: 2025-01-01\nbilling:\n  file: billing.xlsx\n", encoding="utf-8")
    loaded = load_ledger(load_config(folder))
    assert loaded.reconciliation.rows_used == 50 and loaded.reconciliation.amount_used == 48_022_000_000
