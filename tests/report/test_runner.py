"""The runner's mechanics with a tiny notebook and a stand-in audit (the real notebook is
run end to end in tests/test_e2e_audit.py)."""

import datetime as dt
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest

from alms_toolkit import atomic
from alms_toolkit.config import Branding
from alms_toolkit.errors import (
    ConfigError,
    InputError,
    MissingFileError,
    NotebookRunError,
    OutputExistsError,
)
from alms_toolkit.runs import audit_run as runner

AS_OF = dt.date(2024, 7, 1)


def _tiny_notebook(path: Path) -> Path:
    params = "\n".join(f"{name} = None" for name in runner.notebook_parameters(
        ".", as_of=AS_OF, key_share=None, output_dir=None))
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import sys\nprint(sys.executable)"),
        nbformat.v4.new_markdown_cell("## The KEY cut-off"),
        nbformat.v4.new_code_cell("if key_share == 0.99:\n    raise ValueError('key share too high')"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def _fake_audit(client_dir, *, as_of, key_share):
    config = SimpleNamespace(client="Acme <b>Media</b>", slug="acme-media", branding=Branding(consultant="Dana"))
    log = pd.DataFrame({"raw_name": ["=HYPERLINK(\"x\")", "Acme"], "client_key": ["k1", "k2"],
                        "client": ["=HYPERLINK(\"x\")", "Acme"], "reason": ["single", "single"],
                        "billing": pd.array([-2_000_000, 1_500_000], dtype="int64")})
    flagged = pd.DataFrame({"client_key": ["k2"], "client": ["Acme"], "owner": ["Dana"],
                            "billing": pd.array([1_500_000], dtype="int64"), "reason": ["falling"],
                            "detail": ["Last 3 months: $0.10"]})
    lapsed = pd.DataFrame({"client_key": ["k3"], "client": ["+Old Co"], "last_seller": ["Eli"],
                           "last_billed": [dt.date(2023, 5, 2)], "previous_billing": pd.array([7_000_000], dtype="int64")})
    from alms_toolkit.analysis.official_list import list_flags

    flags = list_flags(flagged, flagged.iloc[0:0], lapsed)
    return SimpleNamespace(config=config, as_of=as_of or AS_OF, official_list=SimpleNamespace(flags=flags), summary=lambda: {"n_key": 1, "cutoff": "1.50"},
                           combination=SimpleNamespace(merge_log=log), at_risk=flagged, growth=flagged.iloc[0:0],
                           lapsed=lapsed)


@pytest.fixture()
def setup(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "_compute_audit", _fake_audit)
    written_lists: list[bool] = []

    def fake_accounts(official, folder):  # the stand-in audit has no tables
        written_lists.append(True)
        return [atomic.write_text(folder / "accounts.csv", "client_key,name,tier\n")]

    monkeypatch.setattr(runner, "_write_crm", fake_accounts)
    monkeypatch.setattr(runner, "_keyed", lambda audit, previous: audit.official_list)
    stored: dict[Path, tuple] = {}  # the stand-in audit is not the engine's: kept as it is

    def fake_store(audit, comparison, folder):
        stored[folder / "audit" / "audit.json"] = (audit, comparison)
        return atomic.write_text(folder / "audit" / "audit.json", "{}\n")

    monkeypatch.setattr(runner, "_store", fake_store)
    monkeypatch.setattr(runner, "_load_stored", stored.__getitem__)
    client = tmp_path / "client"
    client.mkdir()
    nb = _tiny_notebook(tmp_path / "tiny.ipynb")
    return SimpleNamespace(client=client, nb=nb, out=tmp_path / "reports", written_lists=written_lists)


def _run(s, **kw):
    return runner.run_audit(s.client, out=s.out, formats=(), progress=False, notebook=s.nb, **kw)


@pytest.mark.notebook
def test_run_writes_the_folder_then_refuses_then_replaces(setup):
    result = _run(setup)
    final = setup.out / "acme-media" / "2024-07-01"
    assert result.folder == final and final.is_dir()
    # accounts.csv (the official list, the next review's input) is written by every run,
    # without the CRM presets when the crm format is not asked for
    assert {p.name for p in result.files} == {runner.NOTEBOOK_NAME, "summary.json", "merge_log.csv",
                                              "flags.csv", "accounts.csv", "audit.json"}
    assert setup.written_lists == [True]
    assert all(p.is_file() for p in result.files)
    assert json.loads((final / "summary.json").read_text()) == {"n_key": 1, "cutoff": "1.50"}
    flags = (final / "flags.csv").read_bytes().decode()
    assert flags.splitlines()[1] == "at risk,falling,Acme,Dana,1.50,Last 3 months: $0.10,k2"
    assert flags.splitlines()[2].startswith("lapsed,no billing in the last 12 months,'+Old Co,Eli,0.00,")
    assert "Last billed on 2 May 2023 (seller: Eli); $7.00 in the 12 months before those." in flags
    merge_log = (final / "merge_log.csv").read_bytes().decode()
    assert "'=HYPERLINK" in merge_log and ",-2.00\r\n" in merge_log  # text inert, amount numeric
    executed = nbformat.read(str(final / runner.NOTEBOOK_NAME), as_version=4)
    assert executed.metadata["alms"]["client"] == "Acme <b>Media</b>"
    assert executed.metadata["alms"]["consultant"] == "Dana"
    # the kernel is this interpreter (the venv's), not some other python3 on the machine
    assert executed.cells[2].outputs[0]["text"].strip() == sys.executable
    assert result.timings["notebook"] > 0 and "kernel_start" in result.timings
    assert [p.name for p in setup.out.joinpath("acme-media").iterdir()] == ["2024-07-01"]

    with pytest.raises(OutputExistsError, match="--force"):
        _run(setup)
    (final / "marker").write_text("old run")
    again = _run(setup, force=True, key_share=0.3)
    assert again.folder == final and not (final / "marker").exists()
    assert [p.name for p in setup.out.joinpath("acme-media").iterdir()] == ["2024-07-01"]


@pytest.mark.notebook
def test_failing_cell_keeps_the_notebook_and_names_the_cell(setup):
    with pytest.raises(NotebookRunError) as info:
        _run(setup, key_share=0.99)
    message = str(info.value)
    assert "ValueError: key share too high" in message and "cell [4]" in message  # 1 injected-parameters cell
    assert 'section "The KEY cut-off"' in message
    # the structured fields, for code: no need to read the message
    details = info.value.details()
    assert (details["reason"], details["exit_code"], details["exception_name"]) == ("notebook_failed", 1, "ValueError")
    assert details["cell_index"] == 4  # 0-based: the injected-parameters cell comes first
    kept = info.value.notebook_path
    assert kept == setup.out / "acme-media" / "2024-07-01.failed" / runner.NOTEBOOK_NAME
    assert kept.is_file() and "key share too high" in kept.read_text()
    assert not (setup.out / "acme-media" / "2024-07-01").exists()
    assert info.value.exit_code == 1


def test_unknown_parameter_and_format_are_errors(setup):
    with pytest.raises(ConfigError, match="no parameter colour"):
        runner.check_parameters(setup.nb, ["client_dir", "colour"])
    runner.check_parameters(setup.nb, ["client_dir", "as_of"])
    with pytest.raises(ConfigError, match="unknown format docx"):
        runner.run_audit(setup.client, out=setup.out, formats=("html", "docx"), notebook=setup.nb)
    assert not setup.out.exists()


def test_missing_previous_review_is_an_input_error(setup):
    from alms_toolkit.errors import InputError

    with pytest.raises(InputError, match="previous review"):
        _run(setup, previous_review=setup.client / "nope")


def test_report_metadata_logo_and_overrides(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    cfg = SimpleNamespace(client="X", branding=Branding(firm="F", logo=logo, page_size="Letter"))
    meta = runner.report_metadata(cfg, AS_OF, consultant="C")
    assert meta["logo_data_uri"].startswith("data:image/png;base64,")
    assert (meta["consultant"], meta["firm"], meta["page_size"], meta["as_of"]) == ("C", "F", "Letter", "2024-07-01")
    from alms_toolkit.errors import MissingFileError

    cfg2 = SimpleNamespace(client="X", branding=Branding(logo=tmp_path / "none.png"))
    with pytest.raises(MissingFileError, match="branding.logo"):
        runner.report_metadata(cfg2, AS_OF)


def test_atomic_write_leaves_nothing_on_failure(tmp_path):
    target = atomic.write_text(tmp_path / "a.txt", "first")
    with pytest.raises(RuntimeError), atomic.atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_publish_dir_refuses_or_replaces(tmp_path):
    final = tmp_path / "2024-07-01"
    final.mkdir()
    (final / "old").write_text("x")
    part = atomic.partial_dir(final)
    assert part.name.startswith(".2024-07-01.partial-")
    (part / "new").write_text("y")
    with pytest.raises(FileExistsError):
        atomic.publish_dir(part, final)
    atomic.publish_dir(part, final, replace=True)
    assert sorted(p.name for p in final.iterdir()) == ["new"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-07-01"]


@pytest.mark.notebook
def test_a_relative_reports_folder_works_though_papermill_changes_directory(setup, monkeypatch):
    # papermill chdirs the whole process while the kernel runs, and the runner writes files
    # meanwhile: every path must be absolute before the notebook starts (the CLI's default
    # --out is the relative "reports")
    monkeypatch.chdir(setup.out.parent)
    result = runner.run_audit(Path("client"), out=Path("reports"), formats=(), progress=False,
                              notebook=setup.nb)
    final = setup.out / "acme-media" / "2024-07-01"
    assert result.folder == final and (final / "summary.json").is_file()
    assert not any(p.name.startswith(".") for p in final.parent.iterdir())


def _review_folder(root: Path, slug: str, as_of: str, client: str) -> Path:
    folder = root / slug / as_of
    folder.mkdir(parents=True)
    (folder / "accounts.csv").write_text(
        "client_key,name,tier,owner,billing_12m,rank,cutoff,as_of,review_date\n"
        f"k2,Acme,KEY,Dana,1.50,1,1.50,{as_of},2030-01-01\n", encoding="utf-8")
    (folder / "summary.json").write_text(json.dumps(
        {"client": client, "slug": slug, "as_of": as_of, "cutoff": "1.50"}), encoding="utf-8")
    return folder


def test_previous_review_of_another_client_or_not_earlier_is_refused_before_any_kernel(setup, monkeypatch):
    monkeypatch.setattr(runner, "_execute_notebook", lambda *a, **k: pytest.fail("kernel started"))
    other = _review_folder(setup.out, "other-co", "2023-07-01", "Other Co")
    with pytest.raises(InputError, match="review of Other Co \\(other-co\\), not of Acme"):
        _run(setup, previous_review=other)
    later = _review_folder(setup.out, "acme-media", "2025-01-01", "Acme <b>Media</b>")
    with pytest.raises(InputError, match="dated 2025-01-01, not before this audit's 2024-07-01"):
        _run(setup, previous_review=later)
    assert not (setup.out / "acme-media" / "2024-07-01").exists()


@pytest.mark.notebook
def test_a_run_hands_the_collector_back_as_it_found_it(setup, monkeypatch):
    """The run sets the objects alive before its writing aside from the garbage collector
    (gc.freeze) and hands them back at its end, failed or not; a process that had set its
    own objects aside keeps them set aside (the run leaves the collector alone there)."""
    import gc

    assert gc.get_freeze_count() == 0
    thresholds = gc.get_threshold()
    _run(setup)
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds  # the run's rarer passes are put back
    gc.freeze()  # a host process (a server forking workers) that froze its own objects
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        _run(setup, force=True)
        assert gc.get_freeze_count() > frozen * 0.9  # still set aside (a few freed since: nothing refers to them)

        def unreadable(*args, **kwargs):
            raise MissingFileError(setup.client / "billing.csv", "the ledger named in client.yml is missing")

        monkeypatch.setattr(runner, "_compute_audit", unreadable)
        with pytest.raises(MissingFileError):
            _run(setup, force=True)
        assert gc.get_freeze_count() > frozen * 0.9
    finally:
        gc.unfreeze()


def test_the_crm_files_the_report_names_are_those_written():
    import pandas as pd

    plan = runner.CrmPlan
    assert runner._crm_names(plan((), None, ())) is None  # none asked for
    assert runner._crm_names(plan(("hubspot", "salesforce-wizard"), None, ("no owners",))) == []
    records = pd.DataFrame()
    assert runner._crm_names(plan(("hubspot", "salesforce-wizard", "salesforce-loader"), records, ())) == [
        "Salesforce", "HubSpot"]
