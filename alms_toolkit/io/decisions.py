"""The consultant's decisions file (``decisions.yml``): fuzzy merges and owner confirmations.

Format (see docs/ARCHITECTURE.md)::

    merges:      # fuzzy candidates the consultant decided
      - {names: ["Acme Inc.", "Acme Incorprated"], decision: accept, at: "2026-12-01 10:32", by: "Dana"}
    owners:      # owner confirmations for clients billed by several sellers
      - {client: "Acme Inc.", owner: "Dana Scott", at: "2026-12-01 10:35", by: "Dana"}

``at`` and ``by`` (when and by whom; the workshop writes them) are optional.

Every later run reads it again, so batch runs are reproducible. Names are any raw
spelling of a client; the analysis resolves them through the merge log. Writing is
atomic: a temporary file in the same folder is written, flushed and fsync'ed, the
previous file is kept, dated, in ``.history/decisions.yml/``, then the new one replaces it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DecisionsError

__all__ = [
    "Decisions",
    "read_decisions",
    "write_decisions",
    "with_merge",
    "with_owner",
    "without_owner",
    "MERGE_DECISIONS",
    "Stamp",
    "stamp_now",
    "merge_key",
]

MERGE_DECISIONS = ("accept", "reject")
_SYNONYMS = {"accept": "accept", "accepted": "accept", "yes": "accept", "merge": "accept",
             "reject": "reject", "rejected": "reject", "no": "reject"}


#: when and by whom a decision was made: ("2026-12-01 10:32", "Dana")
Stamp = tuple[str, str]


def stamp_now(by: str | None = None) -> Stamp:
    """Now (local time, to the minute) and who: ``by``, else $ALMS_CONSULTANT, else the OS user."""
    who = by or os.environ.get("ALMS_CONSULTANT") or _os_user()
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M"), who


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on this system
        return "unknown"


def merge_key(a: str, b: str) -> tuple[str, str, str]:
    """The key of a pair's stamp in :attr:`Decisions.stamps` (either order)."""
    x, y = sorted((a, b))
    return ("merge", x, y)


@dataclass(frozen=True)
class Decisions:
    """Merges ``(name_a, name_b, "accept"|"reject")`` and owners ``(client, owner)``,
    in file order (a later entry about the same pair or client wins). ``stamps``: when and
    by whom, by :func:`merge_key` or ``("owner", client)``, for the entries that say so."""

    merges: tuple[tuple[str, str, str], ...] = ()
    owners: tuple[tuple[str, str], ...] = ()
    stamps: Mapping[tuple[str, ...], Stamp] = field(default_factory=dict, compare=False)

    def merge_decision(self, a: str, b: str) -> str | None:
        """The latest decision about the pair (either order), or None."""
        pair = {a, b}
        for x, y, d in reversed(self.merges):
            if {x, y} == pair:
                return d
        return None

    def owner_of(self, client: str) -> str | None:
        """The latest confirmed owner of a client spelling, or None."""
        for c, o in reversed(self.owners):
            if c == client:
                return o
        return None


def _lines(node: yaml.Node | None, key: str) -> list[int]:
    """1-based line of each item of the sequence under ``key`` (for messages)."""
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def _text(value: Any) -> str | None:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value)
        return text if text.strip() else None
    return None


def read_decisions(path: Path | str) -> Decisions:
    """Read a decisions file; a missing file means no decisions yet.

    Raises :class:`~alms_toolkit.errors.DecisionsError` naming the file and every
    malformed entry (its position and line).
    """
    path = Path(path)
    if not path.exists():
        return Decisions()
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except UnicodeDecodeError as exc:
        raise DecisionsError(f"{path}: is not a UTF-8 text file") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" near line {mark.line + 1}" if mark is not None else ""
        raise DecisionsError(f"{path}: is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from exc
    except OSError as exc:
        raise DecisionsError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except RecursionError:
        raise DecisionsError(f"{path}: is not a decisions file: its entries are nested too deeply") from None
    except (ValueError, TypeError, KeyError, OverflowError) as exc:  # a bad tag (!!int x), a date like 2024-02-30
        raise DecisionsError(f"{path}: is not valid YAML: a value cannot be read ({exc})") from None
    if data is None:
        return Decisions()
    if not isinstance(data, Mapping):
        raise DecisionsError(f"{path}: must hold 'merges:' and 'owners:' lists")
    problems: list[str] = []
    for key in sorted(set(map(str, data)) - {"merges", "owners"}):
        problems.append(f"'{key}' is not a known section (use merges, owners)")

    merges: list[tuple[str, str, str]] = []
    stamps: dict[tuple[str, ...], Stamp] = {}
    raw = data.get("merges") or []
    lines = _lines(node, "merges")
    if not isinstance(raw, list):
        problems.append("'merges' must be a list of {names: [A, B], decision: accept|reject}")
        raw = []
    for n, entry in enumerate(raw, start=1):
        where = f"merges entry {n}" + (f" (line {lines[n - 1]})" if n <= len(lines) else "")
        if not isinstance(entry, Mapping):
            problems.append(f"{where}: must be {{names: [A, B], decision: accept|reject}}")
            continue
        names = entry.get("names")
        texts = [_text(x) for x in names] if isinstance(names, list) else []
        if len(texts) != 2 or None in texts:
            problems.append(f"{where}: 'names' must list exactly two client names, not {names!r}")
        decision = _SYNONYMS.get(str(entry.get("decision", "")).strip().lower())
        if decision is None:
            problems.append(f"{where}: 'decision' must be accept or reject, not {entry.get('decision')!r}")
        a, b = (texts + [None, None])[:2]
        if len(texts) == 2 and a is not None and b is not None and decision is not None:
            if a == b:
                problems.append(f"{where}: both names are {a!r}")
                continue
            merges.append((a, b, decision))
            stamp = _stamp(entry)
            if stamp is not None:
                stamps[merge_key(a, b)] = stamp

    owners: list[tuple[str, str]] = []
    raw = data.get("owners") or []
    lines = _lines(node, "owners")
    if not isinstance(raw, list):
        problems.append("'owners' must be a list of {client: NAME, owner: SELLER}")
        raw = []
    for n, entry in enumerate(raw, start=1):
        where = f"owners entry {n}" + (f" (line {lines[n - 1]})" if n <= len(lines) else "")
        if not isinstance(entry, Mapping):
            problems.append(f"{where}: must be {{client: NAME, owner: SELLER}}")
            continue
        client, owner = _text(entry.get("client")), _text(entry.get("owner"))
        if client is None:
            problems.append(f"{where}: 'client' is missing or empty")
        if owner is None:
            problems.append(f"{where}: 'owner' is missing or empty")
        if client is not None and owner is not None:
            owners.append((client, owner))
            stamp = _stamp(entry)
            if stamp is not None:
                stamps[("owner", client)] = stamp

    if problems:
        if len(problems) == 1:
            raise DecisionsError(f"{path}: {problems[0]}")
        listed = "\n".join(f"  - {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more problems" if len(problems) > 20 else ""
        raise DecisionsError(f"{path} has {len(problems)} problems:\n{listed}{more}")
    return Decisions(tuple(merges), tuple(owners), stamps)


def _stamp(entry: Mapping[Any, Any]) -> Stamp | None:
    at, by = _text(entry.get("at")), _text(entry.get("by"))
    return (at or "", by or "") if at or by else None


def _dump(decisions: Decisions) -> str:
    def q(s: str) -> str:
        return yaml.safe_dump(s, default_style='"', width=10_000, allow_unicode=True).strip().removesuffix("\n...")

    lines = ["# Decisions of the consultant, read by every run (written by the workshop).",
             "merges:      # fuzzy candidates decided: accept merges them, reject keeps them apart"]
    if not decisions.merges:
        lines[-1] = "merges: []  # fuzzy candidates decided: accept merges them, reject keeps them apart"
    def when(key: tuple[str, ...]) -> str:
        at, by = decisions.stamps.get(key, ("", ""))
        return (f", at: {q(at)}" if at else "") + (f", by: {q(by)}" if by else "")

    lines += [f"  - {{names: [{q(a)}, {q(b)}], decision: {d}{when(merge_key(a, b))}}}"
              for a, b, d in decisions.merges]
    lines.append("owners:      # owner confirmations for clients billed by several sellers")
    if not decisions.owners:
        lines[-1] = "owners: []  # owner confirmations for clients billed by several sellers"
    lines += [f"  - {{client: {q(c)}, owner: {q(o)}{when(('owner', c))}}}" for c, o in decisions.owners]
    return "\n".join(lines) + "\n"


def write_decisions(path: Path | str, decisions: Decisions) -> Path:
    """Write the file atomically, keeping the previous version, dated, in ``.history/``."""
    from ..atomic import write_text

    return write_text(Path(path), _dump(decisions), keep_backup=True)


def with_merge(decisions: Decisions, a: str, b: str, decision: str, stamp: Stamp | None = None) -> Decisions:
    """A copy with the pair's decision set (an earlier one for the same pair is replaced),
    stamped with ``stamp`` (when, by whom) when given."""
    d = _SYNONYMS.get(str(decision).strip().lower())
    if d is None:
        raise DecisionsError(f"a merge decision must be accept or reject, not {decision!r}")
    if a == b:
        raise DecisionsError(f"cannot decide a merge of {a!r} with itself")
    pair = {a, b}
    kept = tuple(m for m in decisions.merges if {m[0], m[1]} != pair)
    stamps = {k: v for k, v in decisions.stamps.items() if k != merge_key(a, b)}
    if stamp is not None:
        stamps[merge_key(a, b)] = stamp
    return Decisions(kept + ((a, b, d),), decisions.owners, stamps)


def with_owner(decisions: Decisions, client: str, owner: str, stamp: Stamp | None = None) -> Decisions:
    """A copy with the client's owner confirmed (an earlier one for it is replaced)."""
    if not str(client).strip() or not str(owner).strip():
        raise DecisionsError("an owner confirmation needs a client and an owner")
    kept = tuple(o for o in decisions.owners if o[0] != client)
    stamps = {k: v for k, v in decisions.stamps.items() if k != ("owner", client)}
    if stamp is not None:
        stamps[("owner", client)] = stamp
    return Decisions(decisions.merges, kept + ((client, owner),), stamps)


def without_owner(decisions: Decisions, client: str) -> Decisions:
    """A copy with no owner confirmed for the client: unconfirmed again."""
    stamps = {k: v for k, v in decisions.stamps.items() if k != ("owner", client)}
    return Decisions(decisions.merges, tuple(o for o in decisions.owners if o[0] != client), stamps)
