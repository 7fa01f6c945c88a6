"""`alms audit` end to end: the real notebook, on both shipped samples and on Northwind
(with hostile client names). One run per client, shared by every assertion (module fixtures)."""

import collections
import csv
import datetime as dt
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from shared_data import SHARED_DATA

from alms_toolkit import money
from alms_toolkit.cli import main
from alms_toolkit.engine import audit
from alms_toolkit.report.writers.crm import ACCOUNTS_COLUMNS, TIERS
from alms_toolkit.report.writers.xlsx import seller_file_stems
from alms_toolkit.runs import audit_run as runner
from alms_toolkit.stored_audit import load_audit

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


def _shows(text, wanted):
    """True when the whole of ``wanted`` is in ``text``, whatever line breaks the PDF's
    layout put into it (pypdf may break a long name anywhere, even inside a word)."""
    return re.sub(r"\s+", "", wanted) in re.sub(r"\s+", "", text)


def _accounts_csv(run):
    with open(run["folder"] / "accounts.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames) == ACCOUNTS_COLUMNS
        return list(reader)


def _seller_files(run, ext):
    """{seller: path} of the seller files, by the toolkit's own file names."""
    stems = seller_file_stems(s["seller"] for s in run["summary"]["sellers"])
    return {seller: run["folder"] / "sellers" / f"{stem}.{ext}" for seller, stem in stems.items()}


def _official_list(path):
    """(client, tier, billing) of the "Official list" sheet's account rows, and the sheet."""
    ws = openpyxl.load_workbook(path)["Official list"]
    header = [c.value for c in ws[5]]
    assert header[:4] == ["Rank", "Client", "Tier", "12-month billing"], header
    rows = []
    for rank, client, tier, billing, *_ in ws.iter_rows(min_row=6, values_only=True):
        if tier is None:
            assert rank is None and billing is None, (path.name, client)
            continue
        rows.append((client, tier, billing))
    return rows, ws


# ------------------------------------------------------------------------ every client


def test_every_deliverable_is_written_and_listed(run):
    folder = run["folder"]
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for name in (runner.NOTEBOOK_NAME, "summary.json", "merge_log.csv", "report.html", "report.pdf",
                 "accounts.csv"):
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
    assert _shows(text, s["client"]), s["client"]  # the whole name, never a prefix
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
                        got = cached[ws.title].cell(c.row, c.column).value
                        if isinstance(expected, str) or expected is None:  # a blank left blank
                            assert got in (None, "", expected), (path.name, c.coordinate)
                        else:
                            assert (got or 0) == pytest.approx(expected, abs=0.005), (path.name, c.coordinate)
                        checked += 1
    assert checked > 0


def _lazy_if(text):
    """IF(c, a, b) as Python's (a if c else b): only the chosen branch is computed, as in a
    spreadsheet (a growth formula divides only when its IF allows it)."""
    start = text.find("IF(")
    while start >= 0 and start > 0 and (text[start - 1].isalpha() or text[start - 1] == "_"):
        start = text.find("IF(", start + 1)
    if start < 0:
        return text
    depth, args, last = 0, [], start + 3
    for i in range(start + 2, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                args.append(text[last:i])
                end = i
                break
        elif text[i] == "," and depth == 1:
            args.append(text[last:i])
            last = i + 1
    cond, yes, no = (_lazy_if(a) for a in args)
    return text[:start] + f"(({yes}) if ({cond}) else ({no}))" + _lazy_if(text[end + 1:])


_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


def _evaluate(ws, formula):
    """The value of one of the toolkit's own formulas (sums, SUMIF, SUMPRODUCT, growth and
    goal arithmetic, IF/OR), computed in Python from the sheet's cells: an independent check
    of the cached value a spreadsheet shows before it recalculates."""
    def value(cell):
        v = cell.value
        if isinstance(v, str) and v.startswith("="):
            return _evaluate(ws, v)
        return v if isinstance(v, (int, float)) else (v if isinstance(v, str) else 0)

    def ref(m):
        if m.group(3):
            return f"_rng({m.group(1) + m.group(2) + ':' + m.group(3) + m.group(4)!r})"
        return f"_cell({m.group(1) + m.group(2)!r})"

    def num(v):
        return v if isinstance(v, (int, float)) else 0

    env = {
        "_rng": lambda r: [value(c) for row in ws[r] for c in row],
        "_cell": lambda r: value(ws[r]),
        "SUM": lambda *a: sum(num(x) for v in a for x in (v if isinstance(v, list) else [v])),
        "SUMIF": lambda keys, crit, vals: sum(num(v) for k, v in zip(keys, vals, strict=True) if k == crit),
        "SUMPRODUCT": lambda a, b: sum(num(x) * num(y) for x, y in zip(a, b, strict=True)),
        "IF": lambda c, a, b: a if c else b,
        "OR": lambda *a: any(a),
    }
    body = formula[1:]
    parts = re.split(r'("[^"]*")', body)  # keep the string literals as they are
    for i in range(0, len(parts), 2):
        text = _REF.sub(ref, parts[i])
        text = re.sub(r"(?<![<>!=])=(?!=)", "==", text).replace("<>", "!=")
        parts[i] = text
    python = _lazy_if("".join(parts))
    assert re.fullmatch(r"[\w\s\d.,+\-*/()<>=!\"':]*", python), formula

    try:
        return eval(python, {"__builtins__": {}}, env)  # noqa: S307 - the toolkit's own formulas only
    except TypeError:  # arithmetic on a blank text cell: the spreadsheet reads it as 0
        return 0


def test_accounts_csv_matches_the_summary(run):
    rows = _accounts_csv(run)
    s = run["summary"]
    found = audit(run["dir"], as_of=s["as_of"])  # the engine alone: no notebook, no files
    tiers = collections.Counter(r["tier"] for r in rows)
    assert set(tiers) <= set(TIERS), tiers
    # rows in tier order: KEY, SECONDARY, NON-SPENDING, TARGET, EXTRA, LEAD, LAPSED
    order = [TIERS.index(r["tier"]) for r in rows]
    assert order == sorted(order)

    # one row per combined client, each once
    clients = [r for r in rows if r["tier"] in ("KEY", "SECONDARY", "NON-SPENDING")]
    assert tiers["KEY"] == s["n_key"] and tiers["SECONDARY"] == s["n_secondary"]
    assert tiers["KEY"] + tiers["SECONDARY"] == s["n_clients"]
    assert tiers["NON-SPENDING"] == s["n_nonpositive_clients"]
    keys = [r["client_key"] for r in clients]
    assert all(keys) and len(set(keys)) == len(keys)
    assert set(keys) == {str(k) for k in found.accounts["client_key"]}

    # the prospects, as the audit read them from the prospects file
    prospects = collections.Counter() if found.prospects is None else collections.Counter(found.prospects["category"])
    for category in ("TARGET", "EXTRA", "LEAD"):
        assert tiers[category] == prospects[category], category
    assert tiers["TARGET"] + tiers["EXTRA"] + tiers["LEAD"] == s["n_prospects"]
    assert tiers["LAPSED"] == s["n_lapsed"]

    # every row carries the review's cut-off and dates
    for r in rows:
        assert (r["cutoff"], r["as_of"], r["review_date"]) == (s["cutoff"], s["as_of"], s["review_date"]), r
    # each seller's counts are the summary's
    owned = collections.Counter((r["owner"], r["tier"]) for r in rows)
    for seller in s["sellers"]:
        name = seller["seller"]
        assert (owned[name, "KEY"], owned[name, "SECONDARY"]) == (seller["n_key"], seller["n_secondary"]), name
        assert (owned[name, "TARGET"], owned[name, "EXTRA"], owned[name, "LEAD"]) == (
            seller["n_targets"], seller["n_extras"], seller["n_leads"]), name

    # billing exact to the last digit: KEY totals the KEY revenue; KEY >= cut-off > SECONDARY
    cutoff = Decimal(s["cutoff"])
    key = [Decimal(r["billing_12m"]) for r in rows if r["tier"] == "KEY"]
    secondary = [Decimal(r["billing_12m"]) for r in rows if r["tier"] == "SECONDARY"]
    assert sum(key, Decimal(0)) == Decimal(s["key_revenue"])
    assert key and min(key) >= cutoff
    assert not secondary or max(secondary) < cutoff
    assert all(b > 0 for b in secondary)
    assert all(Decimal(r["billing_12m"]) <= 0 for r in clients if r["tier"] == "NON-SPENDING")
    # ranks: 1..n over the spending clients, in billing order; none for the non-spending
    spending = [r for r in clients if r["tier"] != "NON-SPENDING"]
    assert sorted(int(r["rank"]) for r in spending) == list(range(1, len(spending) + 1))
    by_rank = sorted(spending, key=lambda r: int(r["rank"]))
    billing = [Decimal(r["billing_12m"]) for r in by_rank]
    assert billing == sorted(billing, reverse=True)
    assert all(r["rank"] == "" for r in clients if r["tier"] == "NON-SPENDING")
    # prospects have no billing; lapsed clients billed nothing in the window, last before as_of
    assert all(r["billing_12m"] == "" and r["client_key"] == "" for r in rows if r["tier"] in ("TARGET", "EXTRA", "LEAD"))
    for r in rows:
        if r["tier"] == "LAPSED":
            assert r["billing_12m"] == "0.00" and r["owner"]
            assert dt.date.fromisoformat(r["last_billed"]) < dt.date.fromisoformat(s["as_of"])


# ------------------------------------------------------------------------ seller files


def test_seller_pdfs_open_and_name_their_seller_and_client(run):
    s = run["summary"]
    for seller, path in _seller_files(run, "pdf").items():
        assert path.is_file(), path
        n_pages, text = _pdf_text(path)
        assert n_pages > 0
        assert _shows(text, seller), (path.name, seller)
        assert _shows(text, s["client"]), path.name


def test_seller_workbooks_list_exactly_the_sellers_accounts(run):
    rows = _accounts_csv(run)
    for seller in run["summary"]["sellers"]:
        name = seller["seller"]
        path = _seller_files(run, "xlsx")[name]
        listed, _ = _official_list(path)
        assert len(listed) == seller["n_key"] + seller["n_secondary"], path.name
        assert [t for _, t, _ in listed] == ["KEY"] * seller["n_key"] + ["SECONDARY"] * seller["n_secondary"]
        # the very accounts of accounts.csv (names neutralised the same way), same billing
        own = {r["name"]: r for r in rows if r["owner"] == name and r["tier"] in ("KEY", "SECONDARY")}
        assert sorted(c for c, _, _ in listed) == sorted(own), path.name
        for client, tier, billing in listed:
            assert tier == own[client]["tier"], client
            assert billing == pytest.approx(float(Decimal(own[client]["billing_12m"])), abs=0.005), client


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


def _owner_of(northwind, name):
    """The seller who holds ``name`` in accounts.csv (the name as the CSV writes it)."""
    owners = {r["owner"] for r in _accounts_csv(northwind) if r["name"] == name}
    assert len(owners) == 1, (name, owners)
    return owners.pop()


def test_seller_pdfs_show_hostile_names_as_text(northwind):
    client = northwind["summary"]["client"]
    texts = {seller: _pdf_text(path)[1] for seller, path in _seller_files(northwind, "pdf").items()}
    for seller, text in texts.items():
        assert "<script>alert(1)</script>" in text and _shows(text, client), seller
    # each hostile ledger name is printed, literally, in the PDF of the seller who holds it
    for name in HOSTILE_NAMES.values():
        csv_name = "'" + name if name.startswith("=") else name
        seller = _owner_of(northwind, csv_name)
        assert _shows(texts[seller], name), (seller, name)
    assert "<script>alert('x')</script>" in _squash(texts[_owner_of(northwind, "<script>alert('x')</script>")])


def test_seller_workbooks_keep_hostile_names_inert(northwind):
    client = northwind["summary"]["client"]
    for seller, path in _seller_files(northwind, "xlsx").items():
        wb = openpyxl.load_workbook(path)
        for ws in wb:
            # the title block: the client's name leads the subtitle, neutralised by a quote
            title, subtitle = ws["A1"], ws["A2"]
            assert title.data_type == "s" and seller in title.value, (path.name, ws.title)
            assert subtitle.data_type == "s" and subtitle.value.startswith("'" + client), (path.name, ws.title)
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f":  # only the toolkit's own formulas: no text of a client's in them
                        code = re.sub(r'"[^"]*"', '""', c.value)
                        assert re.fullmatch(r'=[A-Z0-9$:+\-*/(),<>=."]*', code), (path.name, c.coordinate, c.value)
                        assert set(re.findall(r'"([^"]*)"', c.value)) <= {"Projection", "Last year", ""}, c.value
                    elif isinstance(c.value, str):
                        assert not c.value.startswith(("=", "+", "-", "@")), (path.name, c.coordinate, c.value)
    # each hostile ledger name is a plain string in its seller's official list
    for name in HOSTILE_NAMES.values():
        safe = "'" + name if name.startswith("=") else name
        listed, ws = _official_list(_seller_files(northwind, "xlsx")[_owner_of(northwind, safe)])
        assert safe in [c for c, _, _ in listed], name
        cell = next(c for row in ws.iter_rows(min_row=6) for c in row if c.value == safe)
        assert cell.data_type == "s"


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
    assert (kept.parent / "audit" / "audit.json").is_file()  # the audit the failed notebook was given
    assert "Tabloid" in kept.read_text(encoding="utf-8")
    assert not [p for p in kept.parent.parent.iterdir() if not p.name.endswith(".failed")]


# ------------------------------------------------------------------------ one computation


def test_a_decision_saved_during_the_run_changes_neither_the_report_nor_the_files(tmp_path, monkeypatch):
    """The workshop saves an owner decision while alms audit runs: the report, summary.json
    and accounts.csv all show the audit the run computed (one state), because the notebook is
    handed that audit instead of computing it again."""
    client = tmp_path / "services"
    shutil.copytree(ROOT / "client_data" / "sample-services", client)
    top, owner_then, owner_later = "Wild Olive Instruments", "James Romano", "Quinn Morales"
    compute = runner._compute_audit

    def compute_then_decide(*args, **kwargs):
        result = compute(*args, **kwargs)
        (client / "decisions.yml").write_text(
            f"owners:\n  - {{client: {top}, owner: {owner_later}}}\n", encoding="utf-8")
        return result

    monkeypatch.setattr(runner, "_compute_audit", compute_then_decide)
    run = runner.run_audit(client, out=tmp_path / "out", formats=runner.FORMATS, progress=False)
    with open(run.folder / "accounts.csv", encoding="utf-8", newline="") as fh:
        owners = {r["name"]: r["owner"] for r in csv.DictReader(fh)}
    assert owners[top] == owner_then
    stems = seller_file_stems([owner_then, owner_later])
    for seller, holds in ((owner_then, True), (owner_later, False)):
        book = openpyxl.load_workbook(run.folder / "sellers" / f"{stems[seller]}.xlsx")
        listed = {c.value for row in book["Official list"].iter_rows() for c in row}
        pdf = "".join(p.extract_text() for p in PdfReader(run.folder / "sellers" / f"{stems[seller]}.pdf").pages)
        assert (top in listed, top in pdf) == (holds, holds), seller
    html = (run.folder / "report.html").read_text(encoding="utf-8")
    row = re.search(rf"<td[^>]*>{re.escape(top)}</td>\s*<td[^>]*>([^<]*)</td>", html)
    assert row is not None and row.group(1) == owner_then
    assert owner_later not in html.split(top)[1][:300]
    # the run's stored audit (open formats) is the one state the report and the files show
    stored, _ = load_audit(run.folder / "audit")
    assert stored.accounts.set_index("client").loc[top, "owner"] == owner_then
    assert json.loads((run.folder / "summary.json").read_text(encoding="utf-8")) == json.loads(
        json.dumps(stored.summary()))
    assert run.folder / "audit" / "audit.json" in run.files
    # the decision is kept for the next run, which shows it
    assert audit(client).accounts.set_index("client").loc[top, "owner"] == owner_later


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium")
def test_the_html_report_fits_a_phone_and_a_laptop(services):
    """Headless Chromium at 390 and 1280 px: the page never scrolls sideways (a wide table
    scrolls inside its output) and the KPI figures are never broken across lines."""
    from playwright.sync_api import sync_playwright

    html = services["folder"] / "report.html"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            for width in (390, 1280):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(html.as_uri())
                assert page.evaluate("() => document.documentElement.scrollWidth") <= width
                wide = page.evaluate("() => [...document.querySelectorAll('.alms-output')]"
                                     ".filter(o => o.scrollWidth > o.clientWidth + 1).length")
                assert width == 390 or wide == 0  # on a laptop nothing needs to scroll
                for value in page.locator(".kpi .value").all():
                    assert value.evaluate("e => e.offsetHeight < 2 * parseFloat(getComputedStyle(e).fontSize)")
                page.close()
        finally:
            browser.close()


# ------------------------------------------------------------------------ the report's promises

_FILE_NAME = re.compile(r"(?<![\w/.-])((?:sellers/)?[\w.-]+\.(?:csv|xlsx|pdf|json|ipynb|yml))\b")


def _report_text(run):
    import html as html_lib

    page = (run["folder"] / "report.html").read_text(encoding="utf-8")
    body = page[page.index("<body"):]
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", body))


def test_every_promise_of_the_report_is_kept(run):
    """Every file the report names is there (in the run folder, or the client's folder for
    its own inputs); what the report says the files hold, they hold: each flagged client
    is flagged in accounts.csv and listed in its seller's workbook; the figures the report
    prints are the summary's and accounts.csv's."""
    text = _report_text(run)
    folder, client_dir = run["folder"], Path(run["dir"])
    named = set(_FILE_NAME.findall(text))
    assert {"accounts.csv", "merge_log.csv"} <= named
    for name in named:
        assert (folder / name).is_file() or (client_dir / name).is_file(), name
    # the flagged lists (at risk, growth potential, lapsed): in accounts.csv, each under its flag
    stored, _comparison = load_audit(folder / "audit" / "audit.json")
    rows = _accounts_csv(run)
    flagged = {(r["client_key"], r["flag"]) for r in rows if r["flag"] and r["client_key"]}
    # a target that is already a client, or on two lists, is never a plain prospect row
    if stored.prospects is not None:
        for name, issue in zip(stored.prospects["prospect"], stored.prospects["issues"], strict=True):
            if str(issue).startswith(("already a client", "also on the list of")):
                assert any(r["name"] == str(name) and r["flag"] == "check prospect" for r in rows), name
    expected = ({(str(k), "at risk") for k in stored.at_risk["client_key"]}
                | {(str(k), "growth potential") for k in stored.growth["client_key"]}
                | {(str(k), "lapsed") for k in stored.lapsed["client_key"]})
    assert flagged == expected
    if expected:
        assert "accounts.csv flags every one" in _squash(text) and "Flagged page" in _squash(text)
    # ... and in the seller's workbook, on its Flagged sheet (what the report promises)
    owners = {str(k): str(s) for k, s in zip(stored.official_list.flags["client_key"],
                                               stored.official_list.flags["seller"], strict=True)}
    names = dict(zip(stored.official_list.flags["client_key"].astype(str), stored.official_list.flags["client"],
                     strict=True))
    books = _seller_files(run, "xlsx")
    cells: dict[str, set[str]] = {}
    for seller, path in books.items():
        book = openpyxl.load_workbook(path, read_only=True)
        cells[seller] = {str(v) for row in book["Flagged"].iter_rows(values_only=True) for v in row if v}
    for key, seller in owners.items():
        if seller in cells:
            assert str(names[key]) in cells[seller], (seller, names[key])
    # the headline figures: the report's are the summary's, to the cent
    s = run["summary"]
    flat = _squash(text)
    assert money.format_money(money.from_decimal(s["cutoff"])) in flat
    assert money.format_money(money.from_decimal(s["revenue_total"])) in flat
    assert f"{s['n_key']:,} of {s['n_clients']:,}" in flat
    assert sum(1 for r in rows if r["tier"] == "KEY") == s["n_key"]


def _page_fill(pdf: Path) -> list[float]:
    """How far down each page its content reaches (0..1 of the text area, header and footer
    left out), from a 20 dpi rendering."""
    import subprocess
    import tempfile

    import numpy as np
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "20", "-gray", str(pdf), f"{tmp}/p"], check=True)
        fills = []
        for page in sorted(Path(tmp).glob("p-*.pgm")):
            ink = np.asarray(Image.open(page)) < 200
            h = ink.shape[0]
            rows = np.where(ink.any(axis=1))[0]
            body = rows[(rows > h * 0.05) & (rows < h * 0.93)]
            fills.append(float((body.max() - h * 0.05) / (h * 0.88)) if len(body) else 0.0)
    return fills


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_no_report_page_is_left_near_empty(run):
    """A page under 45% filled is only the contents, the last page of a part (the next page
    starts the list today or the appendices) or the report's last page."""
    pdf = run["folder"] / "report.pdf"
    fills = _page_fill(pdf)
    texts = [p.extract_text() or "" for p in PdfReader(str(pdf)).pages]
    parts = ("The list today", "Appendix: the words of this report")
    for i, fill in enumerate(fills):
        if fill >= 0.45 or i in (0, 1) or i == len(fills) - 1:
            continue
        assert any(part in texts[i + 1][:300] for part in parts), (i + 1, round(fill, 2))


def test_a_chain_of_bill_to_ids_audits_to_the_end(tmp_path):
    """The parent_column rule through the real notebook: the audit once stopped at the reading
    table (no topic for the parent column). Stores billed to regions billed to a head office
    are one account, every spelling shown under it, the money to the cent."""
    from test_hierarchy_audit import _chain

    run = _run(_chain(tmp_path), tmp_path / "out")
    assert run["summary"]["hierarchy"]["applied"] is True
    _, text = _pdf_text(run["folder"] / "report.pdf")
    for wanted in ("Parent account column", "'Bill-To ID'", "Northwind Head Office", "branch of Northwind Head Office",
                   "$727.75", "Ring Two", "$9,757.75"):
        assert _shows(text, wanted), wanted
    # no CRM user named for the sellers: no import file written, and the next steps do not say one is
    assert not (run["folder"] / "crm").exists() and not _shows(text, "import files are ready")
    assert _shows(text, "name each seller's CRM user in client.yml (alms crm-owners)")
    billing = {r["name"]: r["billing_12m"] for r in _accounts_csv(run)}
    assert billing == {"Northwind Head Office": "727.75", "Ring Two": "30.00", "Total Wine & More": "9000.00"}
