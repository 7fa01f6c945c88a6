"""Write how a ledger was read into its client.yml, so every later run reads the file the
same way: the sheet, the header row, the separator and encoding, the columns, the decimal
mark, the date format, the fill-down and the 12-month totals layout.

client.yml is the consultant's file: it is edited in place with ruamel.yaml's round-trip
mode, so every comment, the order of the keys and the quoting stay as the consultant wrote
them. Settings already in the file are never changed; each new one gets a comment saying
where it came from. The file is replaced atomically (the previous one is kept, dated, in ``.history/``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = ["pin_settings", "PIN_ORDER"]

#: the order pinned settings are written in, under billing
PIN_ORDER = ("sheet", "header_row", "encoding", "delimiter", "columns", "decimal", "date_format",
             "fill_down", "twelve_month_totals")


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def pin_settings(
    config_path: Path,
    settings: Mapping[str, Any],
    *,
    today: dt.date | None = None,
    notes: Mapping[str, str] | None = None,
    stamp: str | None = None,
) -> list[str]:
    """Add the ``billing`` settings of ``settings`` that client.yml does not set yet.
    Returns what was added (``billing.columns.amount: 'Subtotal'``), empty when nothing
    was missing. Comments and the consultant's settings are kept. Each added setting gets
    a comment: ``notes[key]`` (``"columns.amount"``, ``"decimal"``) when given, else ``stamp``
    (default: where and when it was read)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError

    from .atomic import write_text

    y = _yaml()
    text = config_path.read_text(encoding="utf-8-sig")
    try:
        data = y.load(text)
    except YAMLError as exc:
        raise ConfigError(config_path, f"is not valid YAML, so the reading cannot be written into it ({exc})") from exc
    if not isinstance(data, CommentedMap):
        raise ConfigError(config_path, "must hold settings written 'key: value' before the reading can be written into it")
    billing = data.get("billing")
    if isinstance(billing, str):
        billing = CommentedMap([("file", billing)])
        data["billing"] = billing
    if not isinstance(billing, CommentedMap):
        raise ConfigError(config_path, "'billing' must be a mapping (file: ..., columns: ...) to write the reading into it")
    stamp = stamp or f"read from the file by alms validate --pin on {(today or dt.date.today()).isoformat()}"
    notes = notes or {}
    added: list[str] = []
    for key in PIN_ORDER:
        if key not in settings:
            continue
        value = settings[key]
        if key == "columns":
            cols = billing.get("columns")
            if cols is None:
                cols = CommentedMap()
                billing.insert(_position(billing), "columns", cols)
            for field, header in value.items():
                if field not in cols:
                    cols[field] = header
                    cols.yaml_add_eol_comment(notes.get(f"columns.{field}", stamp), field)
                    added.append(f"billing.columns.{field}: {header!r}")
            continue
        if key in billing:
            continue
        if isinstance(value, (list, tuple)):
            seq = CommentedSeq(value)
            seq.fa.set_flow_style()
            value = seq
        billing.insert(_position(billing), key, value)
        billing.yaml_add_eol_comment(notes.get(key, stamp), key)
        added.append(f"billing.{key}: {value!r}")
    if added:
        out = io.StringIO()
        y.dump(data, out)
        write_text(config_path, out.getvalue(), keep_backup=True)
    return added


def _position(billing: Any) -> int:
    """New settings go after the last one already there (at the end of billing)."""
    return len(billing)
