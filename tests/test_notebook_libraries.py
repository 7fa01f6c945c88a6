"""The notebook libraries are imported without compiling rfc3987_syntax's grammar, and the
package is importable again afterwards."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_papermill_and_nbformat_import_without_the_iri_grammar():
    code = textwrap.dedent("""
        import sys
        from alms_toolkit.notebook_libraries import SKIPPED, notebook_modules
        nbformat, papermill = notebook_modules("nbformat", "papermill")
        assert hasattr(nbformat, "read") and hasattr(papermill, "execute_notebook")
        assert "jsonschema._format" in sys.modules
        assert SKIPPED not in sys.modules, "the grammar's package was imported"
        import importlib.util
        if importlib.util.find_spec(SKIPPED) is not None:  # installed: visible again
            __import__(SKIPPED)
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_modules_already_imported_are_returned_as_they_are():
    from alms_toolkit.notebook_libraries import notebook_modules

    (json_module,) = notebook_modules("json")
    import json

    assert json_module is json
