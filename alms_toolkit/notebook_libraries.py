"""The notebook libraries (papermill, nbformat, nbconvert), imported without the grammar
that ``jsonschema`` would compile at start-up.

``nbformat`` imports ``jsonschema``, whose format checkers import ``rfc3987_syntax`` when it
is installed (it comes with ``jsonschema[format-nongpl]``, a JupyterLab dependency); that
package builds an Earley parser from its Lark grammar at import: 1.3 s of CPU on every
``alms audit``, for a check (the ``iri`` string format) that no notebook schema uses and
that nbformat's validation does not run. :func:`notebook_modules` imports the libraries with
``rfc3987_syntax`` hidden, so ``jsonschema`` leaves that one check out in this process
(``jsonschema`` skips any format checker whose library is missing: documented behaviour);
the package is visible again afterwards. Nothing happens at import of this module.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from types import ModuleType

__all__ = ["notebook_modules", "SKIPPED"]

#: the optional package kept out of the import of ``jsonschema``'s format checkers
SKIPPED = "rfc3987_syntax"
_FORMATS = "jsonschema._format"


def notebook_modules(*names: str) -> tuple[ModuleType, ...]:
    """Import ``names`` (e.g. ``"papermill"``, ``"nbformat"``) as ``importlib`` would, but
    with ``jsonschema``'s format checkers loaded without :data:`SKIPPED` the first time."""
    hide = _FORMATS not in sys.modules and SKIPPED not in sys.modules
    if hide:
        sys.modules[SKIPPED] = None  # type: ignore[assignment]  # the import system's "not installed"
    try:
        if hide:
            with contextlib.suppress(ImportError):  # no jsonschema: nothing to keep out
                importlib.import_module(_FORMATS)
        return tuple(importlib.import_module(name) for name in names)
    finally:
        if hide and sys.modules.get(SKIPPED, "") is None:
            del sys.modules[SKIPPED]
