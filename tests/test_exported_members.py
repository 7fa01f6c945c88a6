"""The public API is pinned: every name in ``alms_toolkit.__all__`` resolves, and the list
changes only on purpose (edit EXPECTED with the change)."""

from __future__ import annotations

import subprocess
import sys

import alms_toolkit

EXPECTED = {
    "AlmsError", "Audit", "ClientConfig", "ClientInputs", "analyse", "load_inputs", "Combination", "Comparison", "ConfigError",
    "Decisions", "InputError", "LoadedLedger", "Reconciliation", "Republished", "RunResult",
    "Symptom", "Workshop", "__version__", "assess_symptoms", "audit", "canonical_name",
    "check_prospects", "combine_clients", "compare_reviews", "compare_with_review",
    "export_html", "find_at_risk", "find_candidates", "find_growth", "find_lapsed",
    "generate_client", "html_to_pdf", "load_config", "load_ledger", "new_client",
    "read_decisions", "read_review", "republish", "run_audit", "run_batch", "with_merge",
    "with_owner", "OfficialList", "write_seller_files", "write_crm_files",
    "write_decisions", "write_seller_pdf", "write_seller_workbook",
}


def test_all_is_exactly_the_pinned_list() -> None:
    assert set(alms_toolkit.__all__) == EXPECTED


def test_every_exported_name_resolves() -> None:
    for name in alms_toolkit.__all__:
        assert getattr(alms_toolkit, name) is not None, name


def test_audit_and_republish_are_the_functions_whatever_was_imported_first() -> None:
    import alms_toolkit.engine  # noqa: F401  (the module behind audit)
    import alms_toolkit.republishing  # noqa: F401

    assert callable(alms_toolkit.audit) and alms_toolkit.audit.__name__ == "audit"
    assert alms_toolkit.republish.__name__ == "republish"


def test_importing_the_package_imports_nothing_heavy() -> None:
    code = (
        "import sys, alms_toolkit; heavy = [m for m in ('pandas', 'matplotlib', 'weasyprint', "
        "'papermill', 'nbconvert', 'ipywidgets') if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_analysis_layer_never_imports_rendering_libraries() -> None:
    code = (
        "import sys, alms_toolkit.engine, alms_toolkit.analysis.compare, alms_toolkit.analysis.matching;"
        "import alms_toolkit.analysis.insights, alms_toolkit.analysis.prospects, alms_toolkit.analysis.symptoms;"
        "print(','.join(m for m in ('matplotlib', 'weasyprint', 'nbconvert', 'papermill') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_type_checkers_see_every_public_name_from_its_module() -> None:
    """The TYPE_CHECKING imports of the package root name the same names, from the same
    modules, as the lazy exports (so editors and mypy see what run time gives)."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(alms_toolkit.__file__).read_text(encoding="utf-8"))
    guarded = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    seen = {alias.name: node.module for node in guarded.body if isinstance(node, ast.ImportFrom)
            for alias in node.names}
    assert seen == alms_toolkit._EXPORTS
    assert set(alms_toolkit.__all__) == set(alms_toolkit._EXPORTS) | {"__version__"}
