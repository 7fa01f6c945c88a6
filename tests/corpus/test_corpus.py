"""Issue 9, item 8: every export shape of the corpus is read to its true figures or
cleanly refused (AlmsError, exit code 2, the file named, the fix named).

The true figures come from the generator's own invoice lines (Decimal arithmetic), never
from the toolkit. Run one family with ``-k <family>``; the shapes are listed with
``python -m corpus`` (from tests/)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from corpus.model import Refusal, Truth, matches, micros, sanitize
from corpus.shapes import SHAPES, Shape

from alms_toolkit.config import load_config
from alms_toolkit.errors import AlmsError
from alms_toolkit.io.factorized import factorize
from alms_toolkit.io.ledger import load_ledger


def test_the_corpus_is_large_named_and_documented() -> None:
    assert len(SHAPES) >= 70
    assert len({s.name for s in SHAPES}) == len(SHAPES)
    assert all(s.doc for s in SHAPES)
    families = Counter(s.family for s in SHAPES)
    assert min(families.values()) >= 3, families


def _describe(loaded) -> str:
    r = loaded.reconciliation
    excluded = ", ".join(f"{k}={v.rows}" for k, v in r.excluded.items()) or "none"
    return (f"read: columns {dict(r.columns)}; rows read {r.rows_read}, used {r.rows_used}; "
            f"excluded {excluded}; notes {list(r.notes)}")


def _check_truth(shape: Shape, folder: Path, truth: Truth) -> None:
    try:
        loaded = load_ledger(load_config(folder))
    except Exception as exc:  # the failure kind is the point of the report
        pytest.fail(f"{shape.name}: expected the true figures, got {type(exc).__name__}: {exc}", pytrace=False)
    r = loaded.reconciliation
    problems: list[str] = []

    def same(what: str, got, want) -> None:
        if got != want:
            problems.append(f"{what}: got {got!r}, true {want!r}")

    if not r.balances():
        problems.append("the reconciliation identity does not hold")
    same("amount_used (micros)", r.amount_used, micros(truth.amount))
    same("rows_used", r.rows_used, truth.rows_used)
    same("n_distinct_clients", r.n_distinct_clients, truth.n_clients)
    if truth.window is None:
        same("window", loaded.window, None)
    else:
        got = (loaded.window.start, loaded.window.end) if loaded.window is not None else None
        same("window (start, end)", got, truth.window)
    led = loaded.ledger
    per_client = {str(k): int(v) for k, v in led.groupby(led["client"].astype(str).str.strip())["amount"].sum().items()}
    want = {k: micros(v) for k, v in truth.per_client.items()}
    if per_client != want:
        diffs = sorted(set(per_client) | set(want))
        shown = [f"{c!r}: got {per_client.get(c)}, true {want.get(c)}" for c in diffs if per_client.get(c) != want.get(c)]
        problems.append(f"per-client totals differ for {len(shown)} clients: " + "; ".join(shown[:6]))
    for reason, rows in truth.reasons.items():
        got_rows = r.excluded[reason].rows if reason in r.excluded else 0
        same(f"rows excluded as {reason!r}", got_rows, rows)
        if reason == "aggregate" and reason in r.excluded:
            same("amount counted for 'aggregate' rows (a sum of other rows counts 0)", r.excluded[reason].amount, 0)
    for names, rows in truth.reason_groups.items():
        got_rows = sum(r.excluded[n].rows for n in names if n in r.excluded)
        same(f"rows excluded as {' or '.join(names)}", got_rows, rows)
    # the spellings and ids as the reader coded them are what hashing each frame's column gives
    for frame in ("ledger", "earlier", "zero_rows"):
        for column in ("client", "client_id"):
            if (frame, column) in loaded._given:
                seeded = loaded.factorized(frame, column)
                want_f = factorize(getattr(loaded, frame)[column])
                same(f"{frame}.{column} codes as read", seeded.codes.tolist(), want_f.codes.tolist())
                same(f"{frame}.{column} texts as read", seeded.uniques.tolist(), want_f.uniques.tolist())
    if problems:
        pytest.fail(f"{shape.name} ({shape.doc})\n  " + "\n  ".join(problems) + "\n  " + _describe(loaded), pytrace=False)


def _check_refusal(shape: Shape, folder: Path, refusal: Refusal) -> None:
    config = load_config(folder)  # the shapes that must be refused use only settings that exist
    file = config.billing.file.name
    try:
        loaded = load_ledger(config)
    except AlmsError as exc:
        message = str(exc)
        assert exc.exit_code == 2, f"{shape.name}: exit code {exc.exit_code}, not 2: {message}"
        assert file in message, f"{shape.name}: the message does not name {file!r}: {message}"
        text = sanitize(message, folder, folder.parent).replace(file, "<file>")
        if refusal.ignore:
            text = re.sub(refusal.ignore, "", text, flags=re.IGNORECASE | re.DOTALL)
        missing = [p for p in refusal.patterns if not matches(p, text)]
        assert not missing, f"{shape.name}: the refusal should match {missing} ({refusal.why}): {message}"
    except Exception as exc:
        pytest.fail(f"{shape.name}: {type(exc).__name__} escaped instead of a clean refusal: {exc}", pytrace=False)
    else:
        pytest.fail(f"{shape.name}: expected a refusal ({refusal.why}), but it was read silently. " + _describe(loaded),
                    pytrace=False)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s.family}-{s.name}")
def test_shape(shape: Shape, tmp_path: Path) -> None:
    folder = tmp_path / "client"
    folder.mkdir()
    outcome = shape.build(folder)
    if isinstance(outcome, Truth):
        _check_truth(shape, folder, outcome)
    else:
        _check_refusal(shape, folder, outcome)
