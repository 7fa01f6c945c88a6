"""Synthetic client folders: realistic, messy or clean, deterministic for a seed.

``generate_client(out_dir, seed=..., ...)`` writes one (see :mod:`.files`); the shipped
samples under ``client_data/`` are rewritten by ``write_shipped_samples``.
"""

from __future__ import annotations

from .files import (
    DEFAULT_AS_OF,
    SHIPPED_SAMPLES,
    build_sample,
    generate_client,
    write_shipped_samples,
)

__all__ = ["generate_client", "build_sample", "write_shipped_samples", "SHIPPED_SAMPLES", "DEFAULT_AS_OF"]
