"""The templates of the printed packs: where a pack's template folder is (``templates/seller``,
Typst; ``templates/manager_pack``, Jinja2 HTML), and a Jinja2 pack's environment (autoescaped:
client text prints as text; strict: a value the template needs and is not given is an error,
not a blank)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

__all__ = ["pack_template_dir", "pack_environment"]


def pack_template_dir(name: str) -> Path:
    """``templates/<name>``: next to the report template (source tree or shipped copy)."""
    from .html import find_template_dir

    return find_template_dir() / name


@lru_cache(maxsize=4)
def pack_environment(name: str) -> jinja2.Environment:
    """The Jinja2 environment of the pack template folder ``name``."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(pack_template_dir(name))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
