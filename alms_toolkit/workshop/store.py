"""Where the workshop saves each decision, the moment it is made.

Three files of the client folder are written, each atomically (a hidden temporary file
in the same folder, flushed, then renamed over the old one) with the previous version
kept, dated, in the client folder's ``.history/<name>/``:

* ``decisions.yml``: merges accepted or rejected, owners confirmed
  (through :mod:`alms_toolkit.io.decisions`);
* ``prospects.csv``: each seller's TARGETs, EXTRAs and LEADs with their filter scores;
* ``client.yml``: only the ``key_share:`` line, replaced (or added) in place so that every
  comment and every other setting stays as the consultant wrote it.

Never losing a decision: every change re-reads the file, applies only that one change
and writes the result, under a lock (a thread lock, plus an OS file lock where the
platform has one), so two widgets, or two open notebooks, cannot overwrite each other.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.names import canonical_name
from ..analysis.prospects import CATEGORIES, SCORE_MAX, SCORE_MIN, normalise_category
from ..atomic import write_bytes
from ..config import CONFIG_FILE, ClientConfig, parse_config, read_yaml
from ..date_text import day_text
from ..errors import ConfigError, DecisionsError, FileReadError, InputError
from ..io.columns import match_columns
from ..io.decisions import (
    Decisions,
    Stamp,
    read_decisions,
    stamp_now,
    with_merge,
    with_owner,
    without_owner,
    write_decisions,
)
from ..io.readers import detect_encoding, find_header_row, sniff_delimiter
from ..io.tables import PROSPECT_ALIASES

__all__ = [
    "WorkshopStore",
    "ProspectRow",
    "PROSPECT_FIELDS",
    "PROSPECT_ALIASES",
    "PROSPECT_HEADERS",
    "set_key_share_text",
    "without_merge",
    "plan_accepts",
    "MergeChange",
]

#: the prospect fields the workshop reads and writes, in file order
PROSPECT_FIELDS = (
    "seller", "prospect", "category", "spending_potential", "decision_maker_access",
    "product_fit", "notes", "dropped", "changed",
)
#: headers written in a new prospects.csv (what the loader and the sample generator use)
PROSPECT_HEADERS = {
    "seller": "Seller", "prospect": "Prospect", "category": "Category",
    "spending_potential": "Spending potential", "decision_maker_access": "Decision maker access",
    "product_fit": "Product fit", "notes": "Notes",
    # written by the workshop: when (and by whom) a prospect was dropped (kept, restorable)
    # and last changed
    "dropped": "Dropped", "changed": "Changed",
}
SCORE_FIELDS = ("spending_potential", "decision_maker_access", "product_fit")

_LOCKS: dict[Path, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def _user_id() -> str:
    import os

    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid is not None else stamp_now()[1]


def _lock_file(path: Path) -> Path:
    """The OS lock of a client file: in the system's temporary folder (never a file left in
    the client's folder), one per file, named by a hash of its full path."""
    import hashlib
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"alms-locks-{_user_id()}"  # one per OS user
    folder.mkdir(mode=0o700, exist_ok=True)
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:20]
    return folder / f"{digest}.lock"


@dataclass(frozen=True)
class ProspectRow:
    """One prospect as the file holds it. Scores are 1-5 or None (blank / not a score)."""

    seller: str
    prospect: str
    category: str  # as written, upper-cased when it is a known category
    scores: tuple[int | None, int | None, int | None] = (None, None, None)
    notes: str = ""
    source_row: int = 0  # spreadsheet row (header = row 1); 0 for a row not yet saved
    dropped: str = ""  # "2026-12-01 10:32 by Dana" when dropped in the workshop (kept, restorable)
    changed: str = ""  # when and by whom it was last changed in the workshop

    @property
    def key(self) -> tuple[str, str]:
        return _key(self.seller, self.prospect)


def _key(seller: str, prospect: str) -> tuple[str, str]:
    return (" ".join(str(seller).split()).casefold(), " ".join(str(prospect).split()).casefold())


def _score(text: str) -> int | None:
    try:
        value = float(str(text).strip())
    except ValueError:
        return None
    if value != int(value) or not SCORE_MIN <= value <= SCORE_MAX:
        return None
    return int(value)


# ------------------------------------------------------------------------- pure helpers


def without_merge(decisions: Decisions, a: str, b: str) -> Decisions:
    """A copy with no decision about the pair (either order): it is pending again."""
    pair = {a, b}
    from ..io.decisions import merge_key

    stamps = {k: v for k, v in decisions.stamps.items() if k != merge_key(a, b)}
    return Decisions(tuple(m for m in decisions.merges if {m[0], m[1]} != pair), decisions.owners, stamps)


def plan_accepts(decisions: Decisions, pairs: Sequence[tuple[str, str]],
                 group_of: Callable[[str], str] | None = None,
                 stamp: Stamp | None = None) -> tuple[Decisions, list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Accept ``pairs`` in turn, each checked as a single accept is (the earlier ones of the
    batch counting): a pair with a decision already saved keeps it, a reject is never
    replaced, and a pair whose accept would put two spellings rejected as different
    clients in one client is left. Returns the decisions with the accepts, the pairs
    accepted and the pairs left with why (``(a, b, reason)``)."""
    from ..analysis.combine import rejected_pair_joined

    accepted: list[tuple[str, str]] = []
    left: list[tuple[str, str, str]] = []
    for a, b in pairs:
        saved = decisions.merge_decision(a, b)
        if saved is not None:
            left.append((a, b, "rejected meanwhile: stays two clients" if saved == "reject"
                         else "already accepted"))
            continue
        clash = rejected_pair_joined(decisions, a, b, group_of)
        if clash is not None:
            left.append((a, b, f"it would put {clash[0]!r} and {clash[1]!r}, rejected as different "
                               "clients, in one client"))
            continue
        decisions = with_merge(decisions, a, b, "accept", stamp)
        accepted.append((a, b))
    return decisions, accepted, left


@dataclass(frozen=True)
class MergeChange:
    """One pair's decision changed by the workshop: what was saved before (``None``: no
    decision) with its stamp, and what the change saved (``None``: removed)."""

    name_a: str
    name_b: str
    before: str | None
    before_stamp: Stamp | None
    after: str | None

    @staticmethod
    def between(old: Decisions, new: Decisions) -> list[MergeChange]:
        """The pairs whose decision differs between two versions of the file."""
        from ..io.decisions import merge_key

        pairs: dict[frozenset[str], tuple[str, str]] = {}
        for x, y, _d in (*old.merges, *new.merges):
            pairs.setdefault(frozenset((x, y)), (x, y))
        return [MergeChange(x, y, old.merge_decision(x, y), old.stamps.get(merge_key(x, y)), new.merge_decision(x, y))
                for x, y in pairs.values() if old.merge_decision(x, y) != new.merge_decision(x, y)]


_KEY_SHARE_LINE = re.compile(r"^key_share[ \t]*:[^\n#]*(?P<comment>[ \t]*#[^\n]*)?$", re.MULTILINE)
_KEY_SHARE_EXAMPLE = re.compile(r"^#[ \t]*key_share[ \t]*:[^\n]*$", re.MULTILINE)


def set_key_share_text(text: str, share: float) -> str:
    """client.yml text with ``key_share`` set to ``share`` and nothing else changed.

    The uncommented top-level ``key_share:`` line is replaced (its trailing comment kept);
    without one, the line goes right under the commented example ``# key_share: ...``,
    else at the end of the file.
    """
    value = f"{round(float(share), 4):.4f}".rstrip("0")
    value = value.ljust(len(value.split(".")[0]) + 3, "0")  # at least two decimals: 0.30
    line = f"key_share: {value}"
    found = _KEY_SHARE_LINE.search(text)
    if found:
        comment = found.group("comment")
        comment = "  " + comment.strip() if comment else ""
        return text[: found.start()] + line + comment + text[found.end():]
    example = _KEY_SHARE_EXAMPLE.search(text)
    if example:
        return text[: example.end()] + "\n" + line + text[example.end():]
    sep = "" if not text or text.endswith("\n") else "\n"
    return text + sep + line + "\n"


# ------------------------------------------------------------------------- prospects file


@dataclass
class _ProspectFile:
    """A prospects CSV as text cells: every column and row kept as read."""

    path: Path
    encoding: str = "utf-8"
    delimiter: str = ","
    preamble: list[list[str]] = field(default_factory=list)  # rows above the header
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> header
    header_row: int = 1
    crlf: bool = False

    def index(self, name: str) -> int | None:
        header = self.columns.get(name)
        return self.headers.index(header) if header is not None else None

    def cell(self, row: list[str], name: str) -> str:
        i = self.index(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    def set_cell(self, row: list[str], name: str, value: str) -> None:
        i = self.index(name)
        if i is None:
            self.headers.append(PROSPECT_HEADERS[name])
            self.columns[name] = PROSPECT_HEADERS[name]
            i = len(self.headers) - 1
        while len(row) <= i:
            row.append("")
        row[i] = value

    def to_rows(self) -> list[ProspectRow]:
        out = []
        for n, row in enumerate(self.rows):
            if not any(c.strip() for c in row):
                continue
            cat = self.cell(row, "category")
            out.append(ProspectRow(
                seller=self.cell(row, "seller"),
                prospect=self.cell(row, "prospect"),
                category=normalise_category(cat) or cat,
                scores=tuple(_score(self.cell(row, f)) for f in SCORE_FIELDS),  # type: ignore[arg-type]
                notes=self.cell(row, "notes"),
                source_row=self.header_row + 1 + n,
                dropped=self.cell(row, "dropped"),
                changed=self.cell(row, "changed"),
            ))
        return out

    def find(self, seller: str, prospect: str) -> list[list[str]]:
        want = _key(seller, prospect)
        return [r for r in self.rows if _key(self.cell(r, "seller"), self.cell(r, "prospect")) == want]

    def render(self) -> bytes:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=self.delimiter, lineterminator="\r\n" if self.crlf else "\n")
        width = len(self.headers)
        for row in self.preamble:
            writer.writerow(row)
        writer.writerow(self.headers)
        for row in self.rows:
            writer.writerow(row + [""] * (width - len(row)))
        text = buf.getvalue()
        try:
            return text.encode(self.encoding)
        except UnicodeEncodeError:  # a new name the old encoding cannot hold
            return text.encode("utf-8-sig")


def _read_prospect_file(path: Path, columns: Mapping[str, str]) -> _ProspectFile:
    if not path.exists():
        standard = {f: PROSPECT_HEADERS[f] for f in PROSPECT_FIELDS[:7]}  # the workshop adds its own columns when used
        return _ProspectFile(path=path, headers=list(standard.values()), columns=standard)
    if path.suffix.lower() not in (".csv", ".txt"):
        raise FileReadError(
            path,
            "the workshop saves prospects in a CSV file and cannot edit this file type",
            hint="Save the sheet as prospects.csv (File > Save As > CSV UTF-8) in the client "
                 "folder, point 'prospects: file:' in client.yml to it, and reopen the workshop.",
        )
    data = path.read_bytes()
    encoding = detect_encoding(data)
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileReadError(path, f"cannot be read as {encoding} text") from exc
    lines = text.splitlines()
    delimiter = sniff_delimiter(lines)
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    known = [n for names in PROSPECT_ALIASES.values() for n in names] + list(columns.values())
    hidx = find_header_row(rows, known) if rows else 0
    headers = [h.strip() for h in rows[hidx]] if rows else []
    while headers and not headers[-1]:
        headers.pop()
    names = {f: PROSPECT_ALIASES[f] + (f,) for f in PROSPECT_FIELDS}
    found, problems = match_columns(
        headers, {k: v for k, v in columns.items() if k in PROSPECT_FIELDS},
        required=("seller", "prospect", "category"), names=names, config_key="prospects.columns",
    )
    if problems:
        raise InputError(path, problems)
    return _ProspectFile(
        path=path, encoding=encoding, delimiter=delimiter, preamble=rows[:hidx],
        headers=headers, rows=rows[hidx + 1:], columns=found, header_row=hidx + 1,
        crlf="\r\n" in text[:4096],
    )


# ------------------------------------------------------------------------- the store


@dataclass(frozen=True)
class TodaysDecisions:
    """What was decided on one day (from the stamps): merge decisions, owner confirmations,
    prospects changed (of which dropped), and by whom."""

    day: str
    merges: int
    owners: int
    prospects: int
    dropped: int
    by: tuple[str, ...]

    def text(self) -> str:
        parts = [f"{self.merges} merge decision{'s' if self.merges != 1 else ''}",
                 f"{self.owners} owner{'s' if self.owners != 1 else ''} confirmed",
                 f"{self.prospects} prospect{'s' if self.prospects != 1 else ''} changed"
                 + (f" ({self.dropped} dropped)" if self.dropped else "")]
        who = f" by {', '.join(self.by)}" if self.by else ""
        return f"Decided today ({day_text(self.day)}): {', '.join(parts)}{who}."


class WorkshopStore:
    """Saves one client's workshop decisions; every method re-reads, changes one thing,
    and writes atomically, the previous version kept, dated, in ``.history/``."""

    def __init__(self, config: ClientConfig, *, by: str | None = None,
                 group_of: Callable[[str], str] | None = None) -> None:
        self.config = config
        #: a spelling's automatic group (same id or canonical name; the audit's
        #: ``Combination.auto_group``), so decisions about other spellings of one client count
        self.group_of: Callable[[str], str] = group_of or canonical_name
        #: who makes the decisions (stamped on each): ``by``, else $ALMS_CONSULTANT, else the OS user
        self.by = stamp_now(by)[1]
        self.folder = Path(config.folder)
        self.decisions_path = Path(config.decisions_file)
        self.prospects_path = (
            Path(config.prospects.file) if config.prospects is not None else self.folder / "prospects.csv"
        )
        self.prospect_columns: Mapping[str, str] = (
            dict(config.prospects.columns) if config.prospects is not None else {}
        )
        self.config_path = Path(config.path) if config.path else self.folder / CONFIG_FILE

    # -- locking
    @contextlib.contextmanager
    def _locked(self, path: Path) -> Iterator[None]:
        with _LOCKS_GUARD:
            lock = _LOCKS.setdefault(path.resolve(), threading.RLock())
        with lock:
            lock_file = _lock_file(path)
            try:
                import fcntl
            except ImportError:  # Windows: the thread lock only
                yield
                return
            with open(lock_file, "a+") as fh:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    # -- what the workshop remembers between runs (not a decision: the seller last shown)
    @property
    def _state_path(self) -> Path:
        from ..atomic import HISTORY_DIR

        return self.folder / HISTORY_DIR / "workshop.json"

    def recall(self, name: str) -> str | None:
        """A choice the workshop remembered for this client (e.g. the seller last shown)."""
        import json

        try:
            value = json.loads(self._state_path.read_text(encoding="utf-8")).get(name)
        except (OSError, ValueError, AttributeError):
            return None
        return value if isinstance(value, str) else None

    def remember(self, name: str, value: str) -> None:
        """Remember a choice for the next run of the workshop (best effort, never an error)."""
        import json

        from ..atomic import write_text

        try:
            state = json.loads(self._state_path.read_text(encoding="utf-8"))
            state = state if isinstance(state, dict) else {}
        except (OSError, ValueError):
            state = {}
        state[name] = value
        try:
            self._state_path.parent.mkdir(parents=True, exist_ok=True)
            write_text(self._state_path, json.dumps(state, ensure_ascii=False) + "\n")
        except OSError:
            pass

    def today(self, day: dt.date | None = None) -> TodaysDecisions:
        """What was decided on ``day`` (default today), from the stamps in the files."""
        day_iso = (day or dt.date.today()).isoformat()
        d = self.decisions()
        merges = sum(1 for k, (at, _by) in d.stamps.items() if k[0] == "merge" and at.startswith(day_iso))
        owners = sum(1 for k, (at, _by) in d.stamps.items() if k[0] == "owner" and at.startswith(day_iso))
        rows = self.prospects() if self.prospects_path.exists() else []
        changed = sum(r.changed.startswith(day_iso) for r in rows)
        dropped = sum(r.dropped.startswith(day_iso) for r in rows)
        who = sorted({by for at, by in d.stamps.values() if at.startswith(day_iso) and by}
                     | {r.changed.split(" by ", 1)[1] for r in rows
                        if r.changed.startswith(day_iso) and " by " in r.changed})
        return TodaysDecisions(day_iso, merges, owners, changed, dropped, tuple(who))

    # -- decisions.yml
    def decisions(self) -> Decisions:
        """The decisions as saved now (re-read from the file)."""
        return read_decisions(self.decisions_path)

    def _change_decisions(self, change) -> Decisions:  # noqa: ANN001 - a Decisions -> Decisions
        with self._locked(self.decisions_path):
            new = change(read_decisions(self.decisions_path))
            write_decisions(self.decisions_path, new)
            return new

    def decide_merge(self, name_a: str, name_b: str, decision: str) -> Decisions:
        """Save ``accept`` or ``reject`` for a candidate pair (replacing an earlier one). An
        accept that would combine two spellings already rejected as different clients is
        refused (:class:`~alms_toolkit.errors.DecisionsError` saying which): a reject wins."""
        from ..analysis.combine import rejected_pair_joined

        def change(d: Decisions) -> Decisions:
            if str(decision).strip().lower() in ("accept", "accepted", "yes", "merge"):
                clash = rejected_pair_joined(without_merge(d, name_a, name_b), name_a, name_b, self.group_of)
                if clash is not None:
                    raise DecisionsError(
                        f"{clash[0]!r} and {clash[1]!r} were rejected as different clients, and "
                        f"combining {name_a!r} with {name_b!r} would put them in one client. Undo "
                        "that reject first if they are one client.")
            return with_merge(d, name_a, name_b, decision, stamp_now(self.by))

        return self._change_decisions(change)

    def accept_merges(self, pairs: Sequence[tuple[str, str]]
                      ) -> tuple[Decisions, list[tuple[str, str]], list[tuple[str, str, str]]]:
        """Accept many pairs in one save (:func:`plan_accepts`: a saved reject is kept, a
        pair a reject forbids is left). Returns the decisions saved, the pairs accepted and
        the pairs left with why."""
        result: list[tuple[list[tuple[str, str]], list[tuple[str, str, str]]]] = []

        def change(d: Decisions) -> Decisions:
            new, accepted, left = plan_accepts(d, pairs, self.group_of, stamp_now(self.by))
            result.append((accepted, left))
            return new

        saved = self._change_decisions(change)
        return saved, *result[-1]

    def put_back_merges(self, changes: Sequence[MergeChange]) -> tuple[Decisions, list[MergeChange]]:
        """Take back workshop changes: each pair gets its decision (and stamp) from before
        the change again, provided it still holds what the change saved. Returns the
        decisions saved and the changes not taken back because the pair was decided again
        since (in another window, say)."""
        kept: list[MergeChange] = []

        def change(d: Decisions) -> Decisions:
            kept.clear()
            for c in changes:
                if d.merge_decision(c.name_a, c.name_b) != c.after:
                    kept.append(c)
                elif c.before is None:
                    d = without_merge(d, c.name_a, c.name_b)
                else:
                    d = with_merge(d, c.name_a, c.name_b, c.before, c.before_stamp)
            return d

        return self._change_decisions(change), list(kept)

    def undo_merge(self, name_a: str, name_b: str) -> Decisions:
        """Remove the decisions about a pair, whichever spellings of the two clients they
        name: it is pending again."""
        g = self.group_of
        pair = {g(name_a), g(name_b)}

        def change(d: Decisions) -> Decisions:
            for x, y, _d in d.merges:
                if {g(x), g(y)} == pair:
                    d = without_merge(d, x, y)
            return d

        return self._change_decisions(change)

    def refused_accepts(self) -> list[tuple[tuple[str, str], tuple[str, str]]]:
        """The saved accepts the audit will not make because a reject wins (with the
        rejected pair each would break)."""
        from ..analysis.combine import refused_accepts

        return refused_accepts(self.decisions(), self.group_of)

    def confirm_owner(self, client: str, owner: str) -> Decisions:
        """Save the owner of a client billed by several sellers."""
        return self._change_decisions(lambda d: with_owner(d, client, owner, stamp_now(self.by)))

    def unconfirm_owner(self, client: str, spellings: Sequence[str] = ()) -> Decisions:
        """Take back the owner confirmation of a client, saved under any of its ``spellings``:
        unconfirmed again (the audit gives it to the account list's owner, else to the seller
        who billed it most)."""

        groups = {self.group_of(n) for n in (client, *spellings)}

        def change(d: Decisions) -> Decisions:
            for name, _owner in d.owners:  # saved under any spelling of the client
                if name in spellings or self.group_of(name) in groups:
                    d = without_owner(d, name)
            return d

        return self._change_decisions(change)

    # -- prospects.csv
    def prospects(self) -> list[ProspectRow]:
        """Every prospect as saved now, in file order."""
        return _read_prospect_file(self.prospects_path, self.prospect_columns).to_rows()

    def _change_prospects(self, change) -> list[ProspectRow]:  # noqa: ANN001 - (file) -> changed rows
        """Re-read the file, apply ``change`` (which returns the rows it changed; each gets its
        ``Changed`` stamp), write it."""
        with self._locked(self.prospects_path):
            pf = _read_prospect_file(self.prospects_path, self.prospect_columns)
            at, by = stamp_now(self.by)
            for row in change(pf) or []:
                pf.set_cell(row, "changed", f"{at} by {by}")
            write_bytes(self.prospects_path, pf.render(), keep_backup=True)
            return pf.to_rows()

    def add_prospect(
        self,
        seller: str,
        prospect: str,
        category: str,
        scores: Sequence[int | None] = (None, None, None),
        notes: str = "",
    ) -> list[ProspectRow]:
        """Add a prospect to a seller's list (an existing one of that name is updated)."""
        seller, prospect = " ".join(seller.split()), " ".join(prospect.split())
        if not seller or not prospect:
            raise InputError(self.prospects_path, "a new prospect needs a seller and a name")
        cat = _category(category, self.prospects_path)

        def change(pf: _ProspectFile) -> list[list[str]]:
            rows = pf.find(seller, prospect)
            if not rows:
                row: list[str] = [""] * len(pf.headers)
                pf.rows.append(row)
                rows = [row]
                pf.set_cell(row, "seller", seller)
                pf.set_cell(row, "prospect", prospect)
                if notes:
                    pf.set_cell(row, "notes", notes)
            for row in rows:
                pf.set_cell(row, "category", cat)
                for f, s in zip(SCORE_FIELDS, scores, strict=True):
                    if s is not None:
                        pf.set_cell(row, f, str(int(s)))
            return rows

        return self._change_prospects(change)

    def set_category(self, seller: str, prospect: str, category: str) -> list[ProspectRow]:
        """Mark a prospect TARGET, EXTRA or LEAD."""
        cat = _category(category, self.prospects_path)
        return self._change_prospects(lambda pf: self._set(pf, seller, prospect, "category", cat))

    def set_score(self, seller: str, prospect: str, score: str, value: int | None) -> list[ProspectRow]:
        """Set one filter score (``spending_potential``, ``decision_maker_access``,
        ``product_fit``) to 1-5, or None for blank."""
        if score not in SCORE_FIELDS:
            raise ValueError(f"unknown score {score!r} (use {', '.join(SCORE_FIELDS)})")
        if value is not None and not SCORE_MIN <= int(value) <= SCORE_MAX:
            raise ValueError(f"a score goes from {SCORE_MIN} to {SCORE_MAX}, not {value!r}")
        text = "" if value is None else str(int(value))
        return self._change_prospects(lambda pf: self._set(pf, seller, prospect, score, text))

    def drop_prospect(self, seller: str, prospect: str) -> list[ProspectRow]:
        """Take a prospect off the seller's list: its row stays in the file, marked dropped
        (when, by whom), on no list, and :meth:`restore_prospect` puts it back as it was."""
        at, by = stamp_now(self.by)
        return self._change_prospects(lambda pf: self._set(pf, seller, prospect, "dropped", f"{at} by {by}"))

    def restore_prospect(self, seller: str, prospect: str) -> list[ProspectRow]:
        """Put a dropped prospect back on the seller's list, in its category and with its scores."""
        return self._change_prospects(lambda pf: self._set(pf, seller, prospect, "dropped", ""))

    def _set(self, pf: _ProspectFile, seller: str, prospect: str, name: str, value: str) -> list[list[str]]:
        rows = self._rows(pf, seller, prospect)
        for r in rows:
            pf.set_cell(r, name, value)
        return rows

    def _rows(self, pf: _ProspectFile, seller: str, prospect: str) -> list[list[str]]:
        rows = pf.find(seller, prospect)
        if not rows:
            raise InputError(
                self.prospects_path,
                f"{prospect!r} is not on {seller}'s list any more (changed in another window?); "
                "reopen the workshop to see the file as it is now",
            )
        return rows

    # -- client.yml
    def saved_key_share(self) -> float:
        """key_share as client.yml says now (0.25 when it is not set)."""
        text = self.config_path.read_text(encoding="utf-8-sig")
        data = read_yaml(text, self.config_path) or {}
        value = data.get("key_share") if isinstance(data, Mapping) else None
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.25

    def save_key_share(self, share: float) -> Path:
        """Write ``key_share`` to client.yml, changing that one line only (checked first:
        the file must still be a valid client.yml afterwards)."""
        share = float(share)
        if not 0.01 <= share <= 0.99:
            raise ConfigError(self.config_path, f"key_share must be between 0.01 and 0.99, not {share}")
        with self._locked(self.config_path):
            raw = self.config_path.read_bytes()
            bom = raw.startswith(b"\xef\xbb\xbf")
            text = raw.decode("utf-8-sig")
            crlf = "\r\n" in text
            new = set_key_share_text(text.replace("\r\n", "\n"), share)
            parse_config(read_yaml(new, self.config_path), self.folder, self.config_path)  # raises if broken
            if crlf:
                new = new.replace("\n", "\r\n")
            data = (b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8")
            return write_bytes(self.config_path, data, keep_backup=True)


def _category(category: str, path: Path) -> str:
    cat = normalise_category(category)
    if cat is None:
        raise InputError(path, f"category {category!r} is not one of {', '.join(CATEGORIES)}")
    return cat


def rows_of(rows: Sequence[ProspectRow], seller: str, *, dropped: bool = False) -> list[ProspectRow]:
    """The rows of one seller (any spacing or case of the name) on the list, or with
    ``dropped`` the ones dropped from it."""
    want = _key(seller, "")[0]
    return [r for r in rows if _key(r.seller, "")[0] == want and bool(r.dropped) == dropped]
