"""ALMS consulting toolkit: the ALMS Challenge as pure functions, notebooks and reports.

Importing the package does nothing and imports nothing heavy: the public names below are
loaded on first use.
"""

from __future__ import annotations

from .lazy import lazy_exports

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
    "Audit": "engine",
    "check_prospects": "analysis.prospects",
    "find_growth": "analysis.insights",
    "find_at_risk": "analysis.insights",
    "find_lapsed": "analysis.insights",
    "assess_symptoms": "analysis.symptoms",
    "Symptom": "analysis.symptoms",
    "export_html": "report.html",
    "html_to_pdf": "report.pdf",
    "run_batch": "batch.run",
    "write_seller_workbook": "report.xlsx",
    "write_seller_pdf": "report.seller_pdf",
    "write_all_seller_files": "report.seller_pdf",
    "write_crm_files": "report.crm",
    "write_all_crm_files": "report.crm",
    "generate_client": "sample.files",
    "new_client": "scaffold",
    "republish": "republishing",
    "Republished": "republishing",
    "Workshop": "workshop.session",
    "compare_with_review": "analysis.compare",
    "compare_reviews": "analysis.compare",
    "Comparison": "analysis.compare",
    "read_review": "io.review",
    "run_audit": "report.runner",
    "canonical_name": "analysis.names",
    "find_candidates": "analysis.matching",
    "combine_clients": "analysis.combine",
    "Combination": "analysis.combine",
    "Decisions": "io.decisions",
    "read_decisions": "io.decisions",
    "write_decisions": "io.decisions",
    "with_merge": "io.decisions",
    "with_owner": "io.decisions",
    "RunResult": "report.runner",
}

_names, __getattr__, _ = lazy_exports(__name__, _EXPORTS)
__all__ = [*_names, "__version__"]


def __dir__() -> list[str]:
    return __all__
