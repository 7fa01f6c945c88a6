"""``alms audit``: run the audit notebook with papermill and write every deliverable.

One run, in order:

1. start the notebook's kernel (it starts and imports meanwhile), then compute the audit in
   this process (:func:`alms_toolkit.audit`): bad input raises an
   :class:`~alms_toolkit.errors.InputError` (exit 2) before the notebook runs, and the kernel
   is stopped;
2. decide the run folder ``<out>/<client_slug>/<as_of>/`` (``out`` defaults to ``reports``);
   an existing folder raises :class:`~alms_toolkit.errors.OutputExistsError` unless ``force``;
3. build everything in a hidden sibling ``.<as_of>.partial-XXXX``: first the audit, stored in
   ``audit/`` (JSON + parquet, :mod:`alms_toolkit.stored_audit`); then, all made from that
   stored audit, the executed notebook (handed ``audit/audit.json``), ``summary.json``,
   ``merge_log.csv``, ``flags.csv`` and the chosen formats (HTML, PDF, XLSX, CRM);
4. rename the finished folder into place (with ``force``, the old one is moved aside first
   and deleted after).

A failing notebook cell keeps the executed notebook in ``<as_of>.failed/`` and raises
:class:`~alms_toolkit.errors.NotebookRunError` naming the cell and the exception.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import atomic
from ..errors import (
    ConfigError,
    FileAccessError,
    InputError,
    MissingFileError,
    NotebookRunError,
    OutputExistsError,
    ReportError,
)
from ..notebook_libraries import notebook_modules
from .folder import RunFolder
from .seller_files_pool import KINDS as SELLER_KINDS
from .seller_files_pool import SellerFiles
from .warm_kernel import WarmKernel, close_thread_event_loop, imported_modules

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.compare import Comparison
    from ..analysis.official_list import OfficialList
    from ..config import ClientConfig
    from ..engine import Audit

__all__ = [
    "FORMATS",
    "NOTEBOOK_NAME",
    "RunResult",
    "run_audit",
    "run_folder",
    "notebook_parameters",
    "check_parameters",
    "report_metadata",
    "CrmPlan",
    "plan_crm",
    "chosen_presets",
]

#: every deliverable format ``alms audit`` can write
#: ``crm`` writes every CRM preset; a preset's own name writes that one (and its setup files)
FORMATS: tuple[str, ...] = ("html", "pdf", "xlsx", "crm", "salesforce-loader", "salesforce-wizard", "hubspot",
                            "pipedrive", "dynamics")
#: the audit notebook shipped with the toolkit (repository layout: notebooks/ beside the package)
#: the executed notebook's name in the run folder (the audit trail)
NOTEBOOK_NAME = "audit_notebook.ipynb"
#: the report files' stem in the run folder
REPORT_STEM = "report"
#: the per-seller files' folder in the run folder
SELLERS_DIR = "sellers"


@dataclass(frozen=True)
class RunResult:
    """What one run wrote: the run folder, every file in it, and how long each step took."""

    client: str
    slug: str
    as_of: dt.date
    folder: Path
    files: tuple[Path, ...]
    timings: Mapping[str, float] = field(default_factory=dict)
    summary: Mapping[str, Any] = field(default_factory=dict)
    #: what the consultant should know about the files (a CRM export not written, and why)
    notes: tuple[str, ...] = ()

    def file(self, name: str) -> Path:
        """The written file called ``name`` (relative to the run folder)."""
        path = self.folder / name
        if path not in self.files:
            raise KeyError(f"{name} was not written by this run")
        return path


def run_folder(root: Path | str, slug: str, as_of: dt.date) -> Path:
    """``<root>/<slug>/<as_of>`` (the run folder of one client review)."""
    return Path(root) / slug / as_of.isoformat()


def notebook_parameters(
    client_dir: Path | str,
    *,
    as_of: dt.date,
    key_share: float | None,
    output_dir: Path | str | None,
    previous_review: Path | str | None = None,
    consultant: str | None = None,
    firm: str | None = None,
    page_size: str | None = None,
    accept: Iterable[str] = (),
    audit_file: Path | str | None = None,
    crm_files: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The parameters the runner passes to the notebook (plain JSON values). ``audit_file``:
    the audit this run computed and stored (:mod:`alms_toolkit.stored_audit`), given only to a notebook that
    declares the parameter (a firm's own notebook without it computes the audit itself).
    ``crm_files``: the CRMs whose import files the run writes ([]: asked for, none written, for
    want of the sellers' CRM users), given only to a notebook that declares it; None: not asked."""
    accepted = sorted(set(accept))
    extra: dict[str, Any] = {} if audit_file is None else {"audit_file": str(Path(audit_file).resolve())}
    if crm_files is not None:
        extra["crm_files"] = list(crm_files)
    return {
        **extra,
        "client_dir": str(Path(client_dir).resolve()),
        "as_of": as_of.isoformat(),
        "key_share": None if key_share is None else float(key_share),
        "output_dir": None if output_dir is None else str(Path(output_dir).resolve()),
        "previous_review": None if previous_review is None else str(Path(previous_review).resolve()),
        "consultant": consultant,
        "firm": firm,
        "page_size": page_size,
        "accept": accepted or None,
    }


def check_parameters(notebook: Path | str, parameters: Iterable[str]) -> None:
    """Raise :class:`ConfigError` if a parameter is not declared in the notebook's
    ``parameters`` cell (papermill only warns)."""
    (papermill,) = notebook_modules("papermill")

    declared = set(papermill.inspect_notebook(str(notebook)))
    unknown = sorted(set(parameters) - declared)
    if unknown:
        raise ConfigError(
            notebook,
            f"the notebook has no parameter {', '.join(unknown)} "
            f"(its parameters are {', '.join(sorted(declared)) or 'none'})",
        )


def _logo_data_uri(logo: Path | None, setting: str = "branding.logo") -> str | None:
    """A logo of client.yml (``setting``) for the cover page; a logo that is missing or not an
    image the report can show is the consultant's to fix (exit 2), before the notebook runs."""
    if logo is None:
        return None
    from ..report.writers.html import LOGO_TYPES, logo_data_uri

    if not logo.is_file():
        raise MissingFileError(logo, f"the logo named in client.yml ({setting}) does not exist")
    if logo.suffix.lower() not in LOGO_TYPES:
        raise ConfigError(logo, f"{setting} must be a PNG, JPEG, GIF, SVG or WebP image")
    return logo_data_uri(logo)


def report_metadata(config: ClientConfig, as_of: dt.date, *, consultant: str | None = None,
                    firm: str | None = None, page_size: str | None = None) -> dict[str, Any]:
    """The notebook metadata ``alms`` that the report template reads for its cover page."""
    b = config.branding
    return {
        "client": config.client,
        "consultant": consultant or b.consultant,
        "firm": firm or b.firm,
        "as_of": as_of.isoformat(),
        "logo_data_uri": _logo_data_uri(b.logo),
        "consultant_logo_data_uri": _logo_data_uri(b.consultant_logo, "branding.consultant_logo"),
        "page_size": page_size or b.page_size,
        "accent_color": b.accent_color,
    }


class _Steps:
    """A tqdm bar over the run's named steps, recording each step's duration."""

    def __init__(self, names: Sequence[str], enabled: bool) -> None:
        from tqdm.auto import tqdm

        self.bar = tqdm(total=len(names), disable=not enabled, unit="step", file=sys.stderr,
                        bar_format="{desc:<30}{bar}| {n_fmt}/{total_fmt} [{elapsed}]")
        self.timings: dict[str, float] = {}

    def run(self, name: str, label: str, fn: Callable[[], Any]) -> Any:
        self.bar.set_description_str(label)
        start = time.perf_counter()
        try:
            return fn()
        finally:
            self.timings[name] = round(time.perf_counter() - start, 3)
            self.bar.update(1)

    def close(self, ok: bool = True) -> None:
        self.bar.set_description_str("Done" if ok else "Stopped")
        self.bar.close()


class _Background:
    """Run ``fn`` in a daemon thread (the notebook: the work is in the kernel process);
    :meth:`wait` returns ``(result, None)`` or ``(None, exception)``."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        import threading

        self.started = time.perf_counter()
        self.seconds = 0.0
        self._result: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn,), daemon=True, name="alms-notebook")
        self._thread.start()

    def _run(self, fn: Callable[[], Any]) -> None:
        try:
            self._result = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            self._error = exc
        finally:
            self.seconds = round(time.perf_counter() - self.started, 3)

    def wait(self) -> tuple[Any, BaseException | None]:
        self._thread.join()
        return self._result, self._error


def _failure_message(exc: Any, notebook_path: Path | None = None) -> str:
    """'The audit notebook failed in cell [7] (section "The KEY cut-off"): ValueError: ...'."""
    cell = getattr(exc, "exec_count", None)
    index = getattr(exc, "cell_index", None)
    ename, evalue = getattr(exc, "ename", "Error"), getattr(exc, "evalue", "")
    where = f"cell [{cell}]" if cell is not None else f"cell #{index}"
    section = _section_of(notebook_path, index) if notebook_path is not None else None
    if section:
        where += f' (section "{section}")'
    return f"The audit notebook failed in {where}: {ename}: {evalue}"


def _section_of(notebook_path: Path, index: int | None) -> str | None:
    """The markdown heading above cell ``index`` of a notebook file, if any."""
    (nbformat,) = notebook_modules("nbformat")

    if index is None or not notebook_path.is_file():
        return None
    try:
        cells = nbformat.read(str(notebook_path), as_version=4).cells
    except Exception:  # noqa: BLE001 - the message is still useful without the section
        return None
    for cell in reversed(cells[: index + 1]):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return None


def _store(audit: Audit, comparison: Comparison | None, folder: Path) -> Path:
    """The run's audit stored in ``folder/audit/`` (:mod:`alms_toolkit.stored_audit`)."""
    from ..stored_audit import AUDIT_DIR, store_audit

    return store_audit(audit, comparison, folder / AUDIT_DIR)


def _load_stored(path: Path) -> tuple[Audit, Comparison | None]:
    from ..stored_audit import load_audit

    return load_audit(path)


#: the audit notebook's kernel, and its arguments: the kernel's own log (e.g. ipykernel's TCP
#: notice) is not for consultants, errors still show; no IPython history is kept (the executed
#: notebook is the run's record; kernels of a batch would otherwise all write one SQLite file)
KERNEL_NAME = "python3"
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR", "--HistoryManager.enabled=False")


def _warm_kernel(notebook: Path, cwd: Path) -> WarmKernel | None:
    """The notebook's kernel, starting now and importing what the notebook imports (None when
    the notebook cannot be read: the run reports that later, in its own words)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        sources = ["".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    # and the engine's modules: the stored audit's types live there (load_audit imports them by name)
    return WarmKernel(kernel_name=KERNEL_NAME, cwd=cwd, extra_arguments=KERNEL_ARGUMENTS,
                      modules=(*imported_modules(sources), "alms_toolkit.engine"))


def _execute_notebook(nb: Any, out_path: Path, parameters: Mapping[str, Any], cwd: Path,
                      kernel: WarmKernel | None = None) -> Any:
    (papermill,) = notebook_modules("papermill")

    km = kernel.manager() if kernel is not None else None
    try:
        return papermill.execute_notebook(
            nb,
            str(out_path),
            parameters=dict(parameters),
            kernel_name=KERNEL_NAME,
            **({"km": km} if km is not None else {}),
            progress_bar=False,
            # the executed notebook is written once, at the end (a failed cell's too): written after
            # every cell, papermill validated and saved the whole notebook, charts included, ~30 times
            request_save_on_cell_execute=False,
            cwd=str(cwd),
            extra_arguments=list(KERNEL_ARGUMENTS),
        )
    finally:
        if kernel is not None:  # its work is done: it exits while the report is written
            kernel.release()
        close_thread_event_loop()  # the loop nbclient ran the notebook in, in this thread


def _compute_audit(client_dir: Path | str, *, as_of: dt.date | None, key_share: float | None,
                   accept: Iterable[str] = ()) -> Audit:
    """The audit (engine.audit), sanity gate included: before the notebook runs."""
    from ..engine import audit

    return audit(client_dir, as_of=as_of, key_share=key_share, accept=accept)


def _summary(audit: Audit, comparison: Comparison | None = None) -> dict[str, Any]:
    """audit.summary(), plus a ``comparison`` block when an earlier review was compared."""
    summary = audit.summary()
    if comparison is not None:
        summary["comparison"] = comparison.to_dict()
    return summary


def _compare(audit: Audit, previous_review: Path | None) -> Comparison | None:
    """The comparison with the earlier review (None without one); a bad review folder
    raises the reader's InputError before the notebook runs."""
    if previous_review is None:
        return None
    from ..analysis.compare import compare_with_review
    from ..io.review import read_review

    review = read_review(previous_review)
    slug = audit.config.slug
    if review.slug is not None and review.slug != slug:
        raise InputError(
            previous_review,
            f"this is a review of {review.client or review.slug} ({review.slug}), not of "
            f"{audit.config.client} ({slug}): compare only with an earlier review of the same client",
        )
    if review.as_of >= audit.as_of:
        raise InputError(
            previous_review,
            f"this review is dated {review.as_of.isoformat()}, not before this audit's "
            f"{audit.as_of.isoformat()}: the previous review must be an earlier one",
        )
    return compare_with_review(audit, review)


def _write_summary(audit: Audit, folder: Path, comparison: Comparison | None = None) -> list[Path]:
    text = json.dumps(_summary(audit, comparison), indent=2, ensure_ascii=False) + "\n"
    return [atomic.write_text(folder / "summary.json", text)]


def _write_merge_log(audit: Audit, folder: Path) -> list[Path]:
    from ..money import to_str
    from ..report.writers.safe_cells import write_safe_csv

    log = audit.combination.merge_log.copy()
    if "billing" in log.columns:
        log["billing"] = [to_str(v) for v in log["billing"]]
    text = [c for c in log.columns if c != "billing"]
    return [write_safe_csv(log, folder / "merge_log.csv", text_columns=text)]


def _write_flags(audit: Audit, folder: Path) -> list[Path]:
    """flags.csv: every at-risk, growth and lapsed flag with the figures behind it (the
    report shows the largest; this file holds them all)."""
    from ..report.views.audit_tables import FLAG_COLUMNS, flags_table
    from ..report.writers.safe_cells import write_safe_csv

    text = [c for c in FLAG_COLUMNS if c != "billing_12m"]
    return [write_safe_csv(flags_table(audit), folder / "flags.csv", text_columns=text)]


def _warm_writers(formats: Sequence[str]) -> None:
    """Import the HTML exporter's and the PDF's libraries (and find the PDF's fonts)
    while the kernel runs the notebook: the runner only waits for it meanwhile, and the
    report's HTML and PDF, written after it, start at once (about a second sooner)."""
    if "html" in formats:
        from ..report.writers.html import warm_up as warm_html

        warm_html()
    if "pdf" in formats:
        from ..report.writers.report_typst import warm_up

        warm_up()


class _SetAside:
    """Objects set aside from the garbage collector's passes while the run writes its files
    (:func:`gc.freeze`): the libraries imported, the audit, the executed notebook. Python's
    full pass visits every object there is, each time; WeasyPrint's layout (which printed the
    report's PDF until Typst did) made enough objects to set off several, about 0.8 s of a small audit, visiting these
    same objects again and again. Objects set aside are still freed as soon as nothing refers
    to them. :meth:`hand_back` returns them to the collector when the run ends
    (:func:`gc.unfreeze`). A process that set objects aside itself (a server freezing before it
    forks workers) is left as it is: the run neither freezes nor unfreezes there.

    For the whole run the collector's passes are also rarer (:mod:`alms_toolkit.collector`),
    and put back as they were when the run ends."""

    def __init__(self) -> None:
        from ..collector import rarer_passes

        self.ours = gc.get_freeze_count() == 0
        self.used = False
        self.thresholds = rarer_passes()

    def now(self) -> None:
        if self.ours:
            gc.freeze()
            self.used = True

    def hand_back(self) -> None:
        from ..collector import restore_passes

        restore_passes(self.thresholds)
        if self.used:
            self.used = False
            gc.unfreeze()


def _write_html(nb: Any, folder: Path) -> tuple[list[Path], str]:
    from ..report.writers.html import export_html

    html = export_html(nb)
    return [atomic.write_text(folder / f"{REPORT_STEM}.html", html)], html


def _write_pdf(html: str, folder: Path) -> list[Path]:
    from ..report.writers.report_typst import write_report_pdf

    return [write_report_pdf(html, folder / f"{REPORT_STEM}.pdf")]


def _write_xlsx(official: OfficialList, folder: Path, comparison: Comparison | None = None) -> list[Path]:
    """The sales manager's master list (manager/master_list.xlsx; with each account's category
    at the earlier review when the run has one). The sellers' workbooks are written beside
    the run (:class:`~.seller_files_pool.SellerFiles`)."""
    from ..report.writers.master_workbook import MANAGER_DIR, MASTER_FILE, write_master_workbook
    from ..republishing import review_categories

    master = official if comparison is None else review_categories(official, comparison.movements)
    return [write_master_workbook(master, folder / MANAGER_DIR / MASTER_FILE)]


def _write_crm(official: OfficialList, folder: Path) -> list[Path]:
    """accounts.csv: the official list, the next review's input (every run writes it)."""
    from ..report.writers.crm import write_crm_files

    return write_crm_files(official, folder)


def chosen_presets(formats: Sequence[str]) -> tuple[str, ...]:
    """The CRM presets ``formats`` asks for: every one with ``crm``, else those named."""
    from ..report.writers.crm_presets import PRESET_NAMES

    return PRESET_NAMES if "crm" in formats else tuple(f for f in formats if f in PRESET_NAMES)


@dataclass(frozen=True)
class CrmPlan:
    """The CRM export of a run: the presets, the records (None: not written) and the notes."""

    presets: tuple[str, ...]
    records: pd.DataFrame | None
    notes: tuple[str, ...]


def plan_crm(audit: Audit, previous: pd.DataFrame | None, formats: Sequence[str]) -> CrmPlan:
    """Decide the CRM export before anything is written: with no presets asked for, nothing;
    with no ``crm.owners`` in client.yml, a note (accounts.csv is still written); else the
    records, checked by the readiness check (which refuses, exit 2, listing every problem
    at once) and keyed as the earlier review keyed its companies (``previous``: that review's
    accounts.csv, None without one)."""
    from ..analysis.crm_records import check_readiness, crm_records, crm_users
    from ..report.writers.crm_presets import owner_needs, presets_for

    presets = chosen_presets(formats)
    if not presets:
        return CrmPlan((), None, ())
    owners = crm_users(audit.config.crm)
    if not owners:
        return CrmPlan(presets, None, (
            "CRM import files not written: client.yml names no CRM user for the sellers (crm.owners). "
            f"Run `alms crm-owners {audit.config.folder}`, fill in each seller's e-mail or CRM user name, "
            "and run the audit again.",))
    official = _keyed(audit, previous)
    records = crm_records(official, owners, previous, client_of=audit.combination.client_of)
    notices = check_readiness(official, records, owners, needs=owner_needs(presets_for(presets)))
    return CrmPlan(presets, records, tuple(n.message for n in notices))


def _crm_names(crm: CrmPlan) -> list[str] | None:
    """The CRMs the run writes import files for, each once, for the report's next steps ([]:
    asked for, none written; None: none asked for)."""
    if not crm.presets:
        return None
    if crm.records is None:
        return []
    from ..report.writers.crm_presets import presets_for

    return list(dict.fromkeys(p.crm for p in presets_for(crm.presets)))


def _previous_accounts(previous_review: Path | None) -> pd.DataFrame | None:
    if previous_review is None:
        return None
    from ..io.review import read_review

    return read_review(previous_review).accounts


def _keyed(audit: Audit, previous: pd.DataFrame | None) -> OfficialList:
    """The official list with each company's stable key (the earlier review's when it had one)."""
    from ..analysis.crm_records import with_alms_keys

    return with_alms_keys(audit.official_list, previous, client_of=audit.combination.client_of)


def run_audit(
    client_dir: Path | str,
    *,
    as_of: dt.date | None = None,
    key_share: float | None = None,
    out: Path | str | None = None,
    formats: Iterable[str] = FORMATS,
    force: bool = False,
    progress: bool = True,
    previous_review: Path | str | None = None,
    consultant: str | None = None,
    firm: str | None = None,
    page_size: str | None = None,
    notebook: Path | str | None = None,
    accept: Iterable[str] = (),
) -> RunResult:
    """Run the audit of one client folder and write its deliverables; see the module doc.
    ``accept``: sanity-check codes accepted knowingly (with client.yml's ``accept``).

    Raises :class:`InputError`/:class:`ConfigError` (bad input, before the notebook runs),
    :class:`OutputExistsError` (run folder exists, no ``force``), :class:`NotebookRunError`
    (a cell failed; the executed notebook is kept) or :class:`ReportError`.
    """
    # papermill changes the process's directory while the kernel runs, and files are written
    # meanwhile: every path is made absolute before anything starts
    client_dir = Path(client_dir).absolute()
    out = Path(out if out is not None else "reports").absolute()
    previous_review = Path(previous_review).absolute() if previous_review is not None else None
    formats = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ConfigError(None, f"unknown format {', '.join(unknown)} (use {', '.join(FORMATS)})")
    if "pdf" in formats and "html" not in formats:
        formats = ("html",) + formats  # the PDF is rendered from the HTML
    if previous_review is not None and not Path(previous_review).exists():
        raise MissingFileError(previous_review, "the previous review given with --previous does not exist")
    if notebook is None:
        from ..package_files import notebook_path

        notebook = notebook_path()
    notebook = Path(notebook).absolute()
    if not notebook.is_file():
        raise ReportError(f"The audit notebook is missing: {notebook}")

    started = time.perf_counter()
    # the notebook's kernel starts first, before this process imports its libraries and reads
    # the client's files: the kernel's own start and imports take longer (warm_kernel.py)
    kernel = _warm_kernel(notebook, Path(client_dir).resolve())
    finished = False
    set_aside = _SetAside()
    bar: _Steps | None = None
    run: RunFolder | None = None  # the run's folder, built aside (runs/folder.py)
    sellers: SellerFiles | None = None  # the seller files, written in worker processes
    seller_seconds: float | None = None
    final: Path | None = None
    try:
        nbformat, papermill = notebook_modules("nbformat", "papermill")
        from ..analysis.sanity import accepted_codes

        accept = tuple(sorted(accepted_codes(accept)))
        shown = [f for f in formats if f in ("html", "pdf", "xlsx")] + (["crm"] if chosen_presets(formats) else [])
        seller_kinds = [k for k in SELLER_KINDS if k in formats]
        steps = ["validate", *shown, *(["seller_files_wait"] if seller_kinds else []), "notebook", "finish"]
        bar = _Steps(steps, progress)
        with FileAccessError.guard(client_dir, reading=True):
            audit = bar.run("validate", "Reading the client files", lambda: _compute_audit(
                client_dir, as_of=as_of, key_share=key_share, **({"accept": accept} if accept else {})))
        config = audit.config
        root = out
        final = run_folder(root, config.slug, audit.as_of)
        if previous_review is None:  # the latest earlier review of this client, if any
            from ..io.review import find_previous_review

            previous_review = find_previous_review(root, config.slug, audit.as_of)
        comparison = _compare(audit, Path(previous_review) if previous_review is not None else None)
        # the CRM export is checked before anything is written: a file that would not import is refused here
        # the earlier review's list, read once: its keys are kept (CRM records and every list writer)
        previous_accounts = _previous_accounts(Path(previous_review) if previous_review is not None else None)
        crm = plan_crm(audit, previous_accounts, formats)
        run = RunFolder(final, force=force, exists=OutputExistsError)  # exists, without force: refused here
        work = run.work
        declared = papermill.inspect_notebook(str(notebook))
        hand_over = "audit_file" in declared
        crm_files = _crm_names(crm) if "crm_files" in declared else None
        check_parameters(notebook, notebook_parameters(
            client_dir, as_of=audit.as_of, key_share=key_share, output_dir=final,
            previous_review=previous_review, consultant=consultant, firm=firm, page_size=page_size,
            accept=accept, audit_file="audit.json" if hand_over else None, crm_files=crm_files,
        ))
        nb = nbformat.read(str(notebook), as_version=4)
        nb.metadata["alms"] = report_metadata(config, audit.as_of, consultant=consultant,
                                              firm=firm, page_size=page_size)

        # the audit computed above is stored in the run folder (open formats) and every file of
        # the run, the notebook's report included, is made from that stored audit: one state,
        # whatever changes in the client's folder meanwhile (a decisions.yml saved by the workshop)
        stored = _store(audit, comparison, work)
        if kernel is not None:  # the notebook reads it back first: its types' modules, imported now
            from ..stored_audit import stored_modules

            kernel.also_import(stored_modules(stored))
        audit, comparison = _load_stored(stored)
        params = notebook_parameters(
            client_dir, as_of=audit.as_of, key_share=key_share, output_dir=final,
            previous_review=previous_review, consultant=consultant, firm=firm, page_size=page_size,
            accept=accept, audit_file=stored if hand_over else None, crm_files=crm_files,
        )
        written: list[Path] = sorted(p for p in stored.parent.rglob("*") if p.is_file())
        nb_path = work / NOTEBOOK_NAME

        # The kernel runs the notebook in its own process while this one writes the files
        # that do not need it (the master list, CRM) and worker processes the seller files.
        nb_run = _Background(lambda: _execute_notebook(nb, nb_path, params, Path(client_dir).resolve(), kernel))
        bar.bar.set_description_str("Running the audit notebook")
        try:
            # what every list writer takes: the official list, each company with its stable key
            official = _keyed(audit, previous_accounts)
            if seller_kinds:  # the seller files are written in worker processes from now until the end
                sellers = SellerFiles(official, work / SELLERS_DIR, kinds=seller_kinds)
            written += _write_summary(audit, work, comparison)
            written += _write_merge_log(audit, work)
            written += _write_flags(audit, work)
            if "xlsx" in formats:
                written += bar.run("xlsx", "Writing the master list", lambda: _write_xlsx(official, work, comparison))
            written += _write_crm(official, work)  # every run: the next review compares with it
            if crm.records is not None:
                from ..report.writers.crm_setup import write_crm_folder

                records = crm.records
                written += bar.run("crm", "Writing the CRM import files",
                                   lambda: write_crm_folder(records, work, formats=crm.presets))
            _warm_writers(formats)
            set_aside.now()
        finally:
            executed, nb_error = bar.run("notebook", "Running the audit notebook", nb_run.wait)
        if nb_error is not None:
            from papermill.exceptions import PapermillExecutionError

            if isinstance(nb_error, PapermillExecutionError):
                kept = run.keep_failed() / NOTEBOOK_NAME
                raise NotebookRunError(
                    _failure_message(nb_error, kept), kept,
                    cell_index=getattr(nb_error, "cell_index", None), exception_name=getattr(nb_error, "ename", None),
                ) from nb_error
            raise nb_error
        timings_nb = {**_notebook_split(executed, nb_run.started), "notebook": nb_run.seconds}
        written.append(nb_path)
        set_aside.now()  # the executed notebook too, before the report's HTML and PDF
        html = ""
        if "html" in formats:
            files, html = bar.run("html", "Writing the HTML report", lambda: _write_html(executed, work))
            written += files
        if "pdf" in formats:
            written += bar.run("pdf", "Writing the PDF report", lambda: _write_pdf(html, work))
        if sellers is not None:
            written += bar.run("seller_files_wait", "Writing the seller files", sellers.wait)
            seller_seconds = round(time.perf_counter() - sellers.started, 3)

        bar.run("finish", "Publishing the run folder", run.publish)
        finished = True
    except Exception as exc:
        # a full disk, a quota, a denied permission or a read-only disk while writing
        # (papermill, nbconvert, WeasyPrint, XlsxWriter): named, with what to do
        error = FileAccessError.from_os_error(exc, final if final is not None else out)
        if error is exc:
            raise
        raise error from exc
    finally:
        set_aside.hand_back()  # first: the rest may be cut short by a second interrupt
        if bar is not None:
            bar.close(ok=finished)
        if kernel is not None:
            kernel.close()
        if sellers is not None:
            sellers.close()
        if run is not None:
            run.discard()

    files = run.files(written)
    assert bar is not None  # made before anything could finish
    timings = {**bar.timings, **timings_nb}
    if seller_seconds is not None:  # from the start of the seller files (beside the rest) to the last one
        timings["seller_files"] = seller_seconds
    timings["total"] = round(time.perf_counter() - started, 3)
    return RunResult(
        client=config.client, slug=config.slug, as_of=audit.as_of, folder=final,
        files=files, timings=timings, summary=_summary(audit, comparison), notes=crm.notes,
    )


def _notebook_split(nb: Any, started: float) -> dict[str, float]:
    """Kernel start-up and the setup cell's compute time, from papermill's cell metadata."""
    meta = [c.get("metadata", {}).get("papermill", {}) for c in nb.cells]
    durations = [m.get("duration") or 0.0 for m in meta]
    pm = nb.metadata.get("papermill", {})
    try:
        nb_start = dt.datetime.fromisoformat(pm["start_time"])
        first = next(dt.datetime.fromisoformat(m["start_time"]) for m in meta if m.get("start_time"))
        kernel = (first - nb_start).total_seconds()
    except (KeyError, StopIteration, ValueError, TypeError):
        kernel = 0.0
    setup = max(durations) if durations else 0.0
    return {
        "kernel_start": round(max(kernel, 0.0), 3),
        "slowest_cell": round(float(setup), 3),
        "cells": round(float(sum(durations)), 3),
    }
