"""The corpus: every registered export shape, in family order (see each module)."""

from __future__ import annotations

from corpus import (  # noqa: F401  (importing a module registers its shapes)
    shapes_aggregates,
    shapes_columns,
    shapes_files,
    shapes_hard_negatives,
    shapes_layouts,
    shapes_locale,
    shapes_workbooks,
)
from corpus.model import SHAPES, Shape

__all__ = ["SHAPES", "Shape", "by_family"]


def by_family() -> dict[str, list[Shape]]:
    out: dict[str, list[Shape]] = {}
    for s in SHAPES:
        out.setdefault(s.family, []).append(s)
    return out
