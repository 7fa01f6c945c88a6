"""`alms audit` end to end: the real notebook, on both shipped samples and on Northwind
(with hostile client names). One run per client, shared by every assertion (module fixtures)."""

import csv
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from shared_data import SHARED_DATA

from alms_toolkit import money
from alms_toolkit.cli import main
from alms_toolkit.report import runner

pytestmark = pytest.mark.notebook

ROOT = Path(__file__).resolve().parents[1]
NORTHWIND = SHARED_DATA / "northwind" / "ledger.csv"  # see its PROVENANCE.md

HOSTILE_CLIENT = '=HYPERLINK("http://evil.example","x") <script>alert(1)</script> <img src="file:///etc/passwd">'
# three ledger companies renamed to hostile names (they keep their billing)
HOSTILE_NAMES = {
    "Vins et alcools Chevalier": '=HYPERLINK("http://evil.example","click")',
    "Toms Spezialitäten": "<script>alert('x')</script>",
    "Hanari Carnes": '<img src="file:///etc/passwd">',
}


def _audit(args, **kw):
    return CliRunner().invoke(main, ["audit", *map(str, args), "--quiet"], catch_exceptions=False, **kw)


def _summary(client_dir):
    result = CliRunner().invoke(main, ["summary", str(client_dir)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def northwind_dir(tmp_path_factory):
    if not NORTHWIND.is_file():
        pytest.skip(f"{NORTHWIND} is not on this machine")
    folder = tmp_path_factory.mktemp("clients") / "northwind"
    folder.mkdir()
    text = NORTHWIND.read_text(encoding="utf-8")
    for old, new in HOSTILE_NAMES.items():
        quoted = '"' + new.replace('"', '""') + '"'
        text = text.replace(f",{old},", f",{quoted},")
    (folder / "billing.csv").write_text(text, encoding="utf-8")
    client = HOSTILE_CLIENT.replace("'", "''")
    (folder / "client.yml").write_text(
        f"client: '{client}'\n"
        "billing:\n  file: billing.csv\n  columns:\n    date: OrderDate\n    client: CompanyName\n"
        "    amount: ExtendedPrice\n    seller: Salesperson\n    client_id: CustomerID\n"
        "branding:\n  consultant: Jordan Avery\n  firm: Northstar Sales Consulting\n",
        encoding="utf-8",
    )
    return folder


def _run(client_dir, out):
    result = _audit([client_dir, "--out", out])
    assert result.exit_code == 0, result.output
    summary = json.loads(next(out.glob("*/*/summary.json")).read_text(encoding="utf-8"))
    folder = out / summary["slug"] / summary["as_of"]
    return {"dir": client_dir, "out": out, "folder": folder, "summary": summary, "output": result.output}


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return _run(ROOT / "client_data" / "sample-media", tmp_path_factory.mktemp("media"))


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    return _run(ROOT / "client_data" / "sample-services", tmp_path_factory.mktemp("services"))


@pytest.fixture(scope="module")
def northwind(northwind_dir, tmp_path_factory):
    return _run(northwind_dir, tmp_path_factory.mktemp("northwind"))


@pytest.fixture(params=["media", "services", "northwind"])
def run(request):
    return request.getfixturevalue(request.param)


def _pdf_text(path):
    reader = PdfReader(str(path))
    assert len(reader.pages) > 0
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def _squash(text):
    return re.sub(r"\s+", " ", text)


# ------------------------------------------------------------------------ every client


def test_every_deliverable_is_written_and_listed(run):
    folder = run["folder"]
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for name in (runner.NOTEBOOK_NAME, "summary.json", "merge_log.csv", "report.html", "report.pdf",
                 "accounts.csv", "salesforce_accounts.csv", "hubspot_companies.csv"):
        assert name in names
    sellers = [s["seller"] for s in run["summary"]["sellers"]]
    assert sellers and sum(n.startswith("sellers/") and n.endswith(".xlsx") for n in names) >= len(sellers)
    assert sum(n.startswith("sellers/") and n.endswith(".pdf") for n in names) >= len(sellers)
    # nothing half-written or hidden is left, and the command printed every path
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]
    assert not [n for n in names if n.split("/")[-1].startswith(".")]
    out = run["output"]
    assert f"HTML report: {folder / 'report.html'}" in out and f"PDF report: {folder / 'report.pdf'}" in out
    for name in names:
        assert str(folder / name) in out


def test_summary_json_equals_alms_summary(run):
    assert run["summary"] == _summary(run["dir"])


def test_html_is_clean(run):
    html = (run["folder"] / "report.html").read_text(encoding="utf-8")
    assert "<code" not in html and "Traceback" not in html
    # no code input: no editor blocks, no highlighted source, none of the cells' calls
    assert "jp-CodeMirrorEditor" not in html and 'class="highlight' not in html
    for source in ("show.paragraph(", "audit(client_dir", "client_dir =", "import pandas"):
        assert source not in html
    for heading in ("Executive summary", "The KEY cut-off", "Each seller's assignment", "Next steps"):
        assert heading in html
    assert money.format_money(money.from_decimal(run["summary"]["cutoff"])) in html
    assert '<img src="file:' not in html and "<img src='file:" not in html


def test_pdf_holds_client_cutoff_and_every_seller(run):
    n_pages, text = _pdf_text(run["folder"] / "report.pdf")
    flat = _squash(text)
    s = run["summary"]
    assert money.format_money(money.from_decimal(s["cutoff"])) in flat
    for seller in s["sellers"]:
        assert _squash(seller["seller"]) in flat, seller["seller"]
    client = _squash(s["client"])
    assert client in flat or client[:40] in flat
    assert n_pages < 40  # the report shows the top of each list, never the whole ledger


def test_xlsx_formulas_total_correctly(run):
    checked = 0
    for path in sorted((run["folder"] / "sellers").glob("*.xlsx")):
        formulas = openpyxl.load_workbook(path)
        cached = openpyxl.load_workbook(path, data_only=True)
        for ws in formulas:
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f":
                        expected = _evaluate(ws, c.value)
                        assert cached[ws.title].cell(c.row, c.column).value == pytest.approx(expected, abs=0.005), (path.name, c.coordinate)
                        checked += 1
    assert checked > 0


def _evaluate(ws, formula):
    def value(cell):
        v = cell.value
        if isinstance(v, str) and v.startswith("="):
            return _evaluate(ws, v)
        return v if isinstance(v, (int, float)) else 0

    def cells(ref):
        return [c for row in ws[ref.replace("$", "")] for c in row]

    m = re.fullmatch(r"=SUM\(([$A-Z0-9]+:[$A-Z0-9]+)\)", formula)
    if m:
        return sum(value(c) for c in cells(m.group(1)))
    m = re.fullmatch(r'=SUMIF\(([$A-Z0-9]+:[$A-Z0-9]+),"([^"]+)",([$A-Z0-9]+:[$A-Z0-9]+)\)', formula)
    assert m, formula
    return sum(value(v) for k, v in zip(cells(m.group(1)), cells(m.group(3)), strict=True) if k.value == m.group(2))


def test_accounts_csv_matches_the_summary(run):
    with open(run["folder"] / "accounts.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= run["summary"]["n_clients"]


# ------------------------------------------------------------------------ hostile names


def test_hostile_names_are_inert_everywhere(northwind):
    folder = northwind["folder"]
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and '<img src="file:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the client name, shown as text
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html or "&lt;img src=\"file:///etc/passwd\"&gt;" in html
    # the PDF shows the names as text (nothing was fetched from file:)
    _, text = _pdf_text(folder / "report.pdf")
    assert "etc/passwd" in _squash(text)
    # CSV: no text cell a spreadsheet would evaluate
    for path in [*folder.glob("*.csv")]:
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.reader(io.StringIO(fh.read())):
                for cell in row:
                    assert not cell.startswith(("=", "+", "@", "\t", "\r")), (path.name, cell)
                    if cell.startswith("-"):
                        float(cell)  # only numbers may start with a minus
    # XLSX: the hostile name is a string with a leading quote, never a formula
    texts = []
    for path in (folder / "sellers").glob("*.xlsx"):
        wb = openpyxl.load_workbook(path)
        for ws in wb:
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f":
                        assert "HYPERLINK" not in c.value
                    elif isinstance(c.value, str):
                        texts.append(c.value)
    assert any(t.startswith("'=HYPERLINK") for t in texts)


# ------------------------------------------------------------------------ refusals and failures


def test_second_run_refuses_to_overwrite(media):
    before = sorted(p.name for p in media["folder"].iterdir())
    result = _audit([media["dir"], "--out", media["out"]])
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert sorted(p.name for p in media["folder"].iterdir()) == before


def test_bad_input_exits_2_before_any_kernel(tmp_path, monkeypatch):
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started for bad input")

    monkeypatch.setattr(runner, "_execute_notebook", no_kernel)
    client = tmp_path / "broken"
    client.mkdir()
    (client / "billing.csv").write_text("Customer,Amount,Date\nAcme,12.50,2024-01-05\n", encoding="utf-8")
    (client / "client.yml").write_text(
        "client: Broken\nbilling:\n  file: billing.csv\n  columns:\n    amount: Net Amount\n", encoding="utf-8")
    result = _audit([client, "--out", tmp_path / "out"])
    assert result.exit_code == 2
    assert "billing.csv" in result.output and "Net Amount" in result.output
    assert not (tmp_path / "out").exists()


def test_failing_cell_keeps_the_executed_notebook(northwind_dir, tmp_path):
    client = tmp_path / "nw"
    shutil.copytree(northwind_dir, client)
    with pytest.raises(runner.NotebookRunError) as info:
        runner.run_audit(client, out=tmp_path / "out", formats=("html",), progress=False, page_size="Tabloid")
    message = str(info.value)
    assert "ValueError: page_size must be A4 or Letter, not 'Tabloid'" in message
    kept = info.value.notebook_path
    assert kept.is_file() and kept.parent.name.endswith(".failed")
    assert "Tabloid" in kept.read_text(encoding="utf-8")
    assert not [p for p in kept.parent.parent.iterdir() if not p.name.endswith(".failed")]
