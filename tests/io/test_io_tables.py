"""read_table: account lists and prospects with the ledger's readers and error style."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from alms_toolkit.config import TableSource
from alms_toolkit.errors import ColumnError, FileReadError, MissingFileError
from alms_toolkit.io import read_table
from alms_toolkit.io.readers import column_letter, detect_encoding, sniff_delimiter

ALIASES = {"seller": ("Seller", "Owner", "Rep"), "account": ("Account", "Client", "Customer"), "billing": ("Billing",)}


def test_csv_with_aliases_and_blank_lines(tmp_path: Path) -> None:
    p = tmp_path / "account_list.csv"
    p.write_text("Owner;Customer;Notes\nDana; Acme Inc. ;x\n;;\nEli;Bolt;\n", encoding="cp1252")
    df = read_table(TableSource(file=p), required=("seller", "account"), optional=("billing",), aliases=ALIASES)
    assert list(df.columns) == ["source_row", "seller", "account"]
    assert df["source_row"].tolist() == [2, 4]
    assert df["account"].tolist() == ["Acme Inc.", "Bolt"]


def test_mapping_and_xlsx(tmp_path: Path) -> None:
    p = tmp_path / "prospects.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Prospect list"])
    ws.append(["Who", "Company", "Fit"])
    ws.append(["Dana", "Zeta", 4])
    ws.append(["Eli", "Yotta", None])
    wb.save(p)
    src = TableSource(file=p, columns={"seller": "Who", "prospect": "Company"})
    df = read_table(src, required=("seller", "prospect"), optional=("fit",))
    assert df["source_row"].tolist() == [3, 4]
    assert df["seller"].tolist() == ["Dana", "Eli"]
    assert df["prospect"].tolist() == ["Zeta", "Yotta"]
    assert df["fit"].iloc[0] == "4" and df["fit"].iloc[1] is pd.NA


def test_errors(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text("Sellr,Account\nDana,Acme\n")
    with pytest.raises(ColumnError, match="no column for the seller.*'Sellr', 'Account'"):
        read_table(TableSource(file=p), required=("seller", "account"), aliases=ALIASES)
    with pytest.raises(ColumnError, match="closest header is 'Sellr'"):
        read_table(TableSource(file=p, columns={"seller": "Seller Name"}), required=("seller",))
    with pytest.raises(MissingFileError, match="does not exist"):
        read_table(TableSource(file=tmp_path / "nope.csv"), required=("seller",))
    x = tmp_path / "b.xlsx"
    openpyxl.Workbook().save(x)
    with pytest.raises(FileReadError, match="no sheet named 'List'"):
        read_table(TableSource(file=x, sheet="List"), required=("seller",))


def test_reader_helpers() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]
    assert detect_encoding("é".encode()) == "utf-8"
    assert detect_encoding("é".encode("cp1252")) == "cp1252"
    assert detect_encoding("\ufeffa".encode()) == "utf-8"
    assert detect_encoding("a,b\n".encode("utf-16")) == "utf-16"
    assert detect_encoding("a,b\n1,2\n".encode("utf-16-le")) == "utf-16-le"
    assert detect_encoding("a,b\n1,2\n".encode("utf-16-be")) == "utf-16-be"
    assert sniff_delimiter(['a;b;"c;d"', "1;2;3", "4;5,5;6"]) == ";"
    assert sniff_delimiter(["a\tb", "1\t2"]) == "\t"
    assert sniff_delimiter(["a,b", "1,2"]) == ","
