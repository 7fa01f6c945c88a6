"""ALMS consulting toolkit: the ALMS Challenge as pure functions, notebooks and reports.

Importing the package does nothing and imports nothing heavy: the public names below are
loaded on first use. The same names are imported under ``TYPE_CHECKING``, so type checkers
and editors see them (tests/test_exported_members.py keeps the two lists equal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_exports

if TYPE_CHECKING:  # the public names, visible to type checkers (loaded lazily at run time)
    from .analysis.combine import Combination, combine_clients
    from .analysis.compare import Comparison, compare_reviews, compare_with_review
    from .analysis.insights import find_at_risk, find_growth, find_lapsed
    from .analysis.matching import find_candidates
    from .analysis.names import canonical_name
    from .analysis.official_list import OfficialList
    from .analysis.prospects import check_prospects
    from .analysis.symptoms import Symptom, assess_symptoms
    from .batch.run import run_batch
    from .config import ClientConfig, load_config
    from .engine import Audit, analyse, audit
    from .errors import AlmsError, ConfigError, InputError
    from .inputs import ClientInputs, load_inputs
    from .io.decisions import Decisions, read_decisions, with_merge, with_owner, write_decisions
    from .io.ledger import LoadedLedger, load_ledger
    from .io.reconciliation import Reconciliation
    from .io.review import read_review
    from .report.writers.crm import write_crm_files
    from .report.writers.html import export_html
    from .report.writers.pdf import html_to_pdf
    from .report.writers.seller_pdf import write_seller_files, write_seller_pdf
    from .report.writers.xlsx import write_seller_workbook
    from .runs.audit_run import RunResult, run_audit
    from .runs.republish_run import Republished, republish
    from .sample.files import generate_client
    from .scaffold import new_client
    from .workshop.session import Workshop

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "AlmsError": "errors",
    "ConfigError": "errors",
    "InputError": "errors",
    "ClientConfig": "config",
    "load_config": "config",
    "load_ledger": "io.ledger",
    "LoadedLedger": "io.ledger",
    "Reconciliation": "io.reconciliation",
    "audit": "engine",
    "analyse": "engine",
    "load_inputs": "inputs",
    "ClientInputs": "inputs",
    "Audit": "engine",
    "check_prospects": "analysis.prospects",
    "find_growth": "analysis.insights",
    "find_at_risk": "analysis.insights",
    "find_lapsed": "analysis.insights",
    "assess_symptoms": "analysis.symptoms",
    "Symptom": "analysis.symptoms",
    "export_html": "report.writers.html",
    "html_to_pdf": "report.writers.pdf",
    "run_batch": "batch.run",
    "write_seller_workbook": "report.writers.xlsx",
    "write_seller_pdf": "report.writers.seller_pdf",
    "write_seller_files": "report.writers.seller_pdf",
    "write_crm_files": "report.writers.crm",
    "OfficialList": "analysis.official_list",
    "generate_client": "sample.files",
    "new_client": "scaffold",
    "republish": "runs.republish_run",
    "Republished": "runs.republish_run",
    "Workshop": "workshop.session",
    "compare_with_review": "analysis.compare",
    "compare_reviews": "analysis.compare",
    "Comparison": "analysis.compare",
    "read_review": "io.review",
    "run_audit": "runs.audit_run",
    "canonical_name": "analysis.names",
    "find_candidates": "analysis.matching",
    "combine_clients": "analysis.combine",
    "Combination": "analysis.combine",
    "Decisions": "io.decisions",
    "read_decisions": "io.decisions",
    "write_decisions": "io.decisions",
    "with_merge": "io.decisions",
    "with_owner": "io.decisions",
    "RunResult": "runs.audit_run",
}

__getattr__ = lazy_exports(__name__, _EXPORTS)[1]

#: the public API (a literal list, so type checkers and linters read it; it equals the
#: names of _EXPORTS and __version__, tests/test_exported_members.py checks it)
__all__ = [
    "AlmsError",
    "Audit",
    "OfficialList",
    "ClientConfig",
    "ClientInputs",
    "Combination",
    "Comparison",
    "ConfigError",
    "Decisions",
    "InputError",
    "LoadedLedger",
    "Reconciliation",
    "Republished",
    "RunResult",
    "Symptom",
    "Workshop",
    "analyse",
    "assess_symptoms",
    "audit",
    "canonical_name",
    "check_prospects",
    "combine_clients",
    "compare_reviews",
    "compare_with_review",
    "export_html",
    "find_at_risk",
    "find_candidates",
    "find_growth",
    "find_lapsed",
    "generate_client",
    "html_to_pdf",
    "load_config",
    "load_inputs",
    "load_ledger",
    "new_client",
    "read_decisions",
    "read_review",
    "republish",
    "run_audit",
    "run_batch",
    "with_merge",
    "with_owner",
    "write_crm_files",
    "write_seller_files",
    "write_decisions",
    "write_seller_pdf",
    "write_seller_workbook",
    "__version__",
]


def __dir__() -> list[str]:
    return __all__
