"""`python -m alms_toolkit.cli` runs the `alms` command."""

from . import run

run()
