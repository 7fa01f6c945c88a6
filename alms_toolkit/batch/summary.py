"""The end of a batch: one line per client, as a terminal table, ``batch_<date>.csv`` and an
``index.html`` linking every client's report.

Columns: client, status (ok / bad input / failed / interrupted), cut-off, KEY count,
duration, and the report's path or the error's first line. The CSV keeps the full error
and the exact cut-off (a decimal string, as in summary.json); its text cells are made
inert for spreadsheets. The index is one self-contained HTML file (no external CSS, fonts
or scripts) styled like the report; every name in it is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from .. import atomic
from ..money import format_money, from_decimal
from ..report.writers.safe_cells import write_safe_csv
from .jobs import STATUSES, JobResult

__all__ = [
    "CSV_COLUMNS",
    "summary_table",
    "format_table",
    "status_counts",
    "write_batch_csv",
    "write_index_html",
    "lost_workers_text",
    "INDEX_NAME",
]

INDEX_NAME = "index.html"
#: the columns of batch_<date>.csv
CSV_COLUMNS = ("client_folder", "client", "status", "as_of", "cutoff", "n_key", "n_clients",
               "duration_s", "attempts", "report", "error", "reason", "lost_workers")
_TEXT_COLUMNS = ("client_folder", "client", "status", "as_of", "report", "error", "reason",
                 "lost_workers")
_HEADERS = {"client": "Client", "status": "Status", "cutoff": "Cut-off", "n_key": "KEY",
            "duration": "Duration", "where": "Report or error"}


def format_duration(seconds: float) -> str:
    """12.3 -> '12.3 s'; 125 -> '2 min 05 s'."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes} min {secs:02d} s"


def _cutoff_text(r: JobResult) -> str:
    if r.cutoff is None:
        return ""
    try:
        return format_money(from_decimal(r.cutoff), r.currency)
    except Exception:  # noqa: BLE001 - show the exact figure rather than nothing
        return str(r.cutoff)


def summary_table(results: Sequence[JobResult]) -> pd.DataFrame:
    """One row per client (display text): client, status, cutoff, n_key, duration, where."""
    return pd.DataFrame(
        [{
            "client": r.label,
            "status": r.status,
            "cutoff": _cutoff_text(r),
            "n_key": "" if r.n_key is None else f"{r.n_key:,}",
            "duration": format_duration(r.duration),
            "where": (r.report or "") if r.ok else r.error_line,
        } for r in results],
        columns=list(_HEADERS),
    )


def status_counts(results: Sequence[JobResult]) -> dict[str, int]:
    """Clients per status, every status listed (in the order ok, bad input, failed, interrupted)."""
    counts = Counter(r.status for r in results)
    return {s: counts.get(s, 0) for s in STATUSES}


def lost_workers_text(results: Sequence[JobResult]) -> str:
    """'' when no Dask worker died under a client, else e.g. 'a Dask worker died under 2
    clients (3 times): 1 ran again elsewhere and is ok, 1 failed'."""
    hit = [r for r in results if r.lost_workers]
    if not hit:
        return ""
    deaths = sum(len(r.lost_workers) for r in hit)
    counts = status_counts(hit)
    parts = [("1 ran again elsewhere and is ok" if n == 1 else f"{n} ran again elsewhere and are ok")
             if s == "ok" else f"{n} {s}" for s, n in counts.items() if n]
    return (f"a Dask worker died under {len(hit)} client{'s' if len(hit) != 1 else ''} "
            f"({deaths} time{'s' if deaths != 1 else ''}): " + ", ".join(parts))


def _counts_text(results: Sequence[JobResult]) -> str:
    counts = status_counts(results)
    parts = [f"{n} {s}" for s, n in counts.items() if n]
    text = f"{len(results)} client{'s' if len(results) != 1 else ''}: " + ", ".join(parts)
    lost = lost_workers_text(results)
    return f"{text}; {lost}" if lost else text


def format_table(results: Sequence[JobResult], max_cell: int = 160) -> str:
    """The table printed at the end of a batch, then a line of counts."""
    table = summary_table(results)
    widths = {c: min(max_cell, max([len(h)] + [len(str(v)) for v in table[c]]))
              for c, h in _HEADERS.items()}
    right = {"cutoff", "n_key", "duration"}

    def line(values: dict[str, str]) -> str:
        cells = []
        for c, w in widths.items():
            text = str(values[c])
            if len(text) > w:
                text = text[: max(w - 3, 0)] + "..."
            cells.append(text.rjust(w) if c in right else text.ljust(w))
        return "  ".join(cells).rstrip()

    rows = [line(_HEADERS), line({c: "-" * w for c, w in widths.items()})]
    rows += [line(row) for row in table.to_dict("records")]
    rows.append(_counts_text(results))
    return "\n".join(rows)


def _csv_frame(results: Sequence[JobResult]) -> pd.DataFrame:
    return pd.DataFrame(
        [{
            "client_folder": r.name,
            "client": r.client or "",
            "status": r.status,
            "as_of": r.as_of or "",
            "cutoff": r.cutoff or "",
            "n_key": "" if r.n_key is None else str(r.n_key),
            "n_clients": "" if r.n_clients is None else str(r.n_clients),
            "duration_s": f"{r.duration:.1f}",
            "attempts": str(r.attempts),
            "report": (r.report or "") if r.ok else (r.kept_notebook or ""),
            "error": r.error or "",
            "reason": r.reason or "",
            "lost_workers": "; ".join(r.lost_workers),
        } for r in results],
        columns=list(CSV_COLUMNS),
    )


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    path = folder / f"{stem}{suffix}"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path


def write_batch_csv(results: Sequence[JobResult], out_root: Path | str, day: dt.date | None = None) -> Path:
    """Write ``<out_root>/batch_<day>.csv`` (``batch_<day>-2.csv`` ... when a batch of the same
    day is there: an earlier summary is never overwritten); return its path."""
    folder = Path(out_root)
    folder.mkdir(parents=True, exist_ok=True)
    path = _free_name(folder, f"batch_{(day or dt.date.today()).isoformat()}", ".csv")
    return write_safe_csv(_csv_frame(results), path, text_columns=list(_TEXT_COLUMNS))


_CSS = """
:root { --accent: #1f4e79; --ink: #222; --muted: #666; --rule: #d4d8de; --tint: #f3f5f8; --zebra: #f6f7f9;
  --font: "Liberation Sans", "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif; }
html { background: #e9ecf0; }
body { margin: 0; font-family: var(--font); font-size: 10.5pt; line-height: 1.45; color: var(--ink); }
main { max-width: 1000px; margin: 24px auto; padding: 40px 48px; background: white;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12); }
h1 { color: var(--accent); font-size: 20pt; margin: 0 0 0.2em; }
p.lead { color: var(--muted); margin: 0 0 1.2em; }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th { text-align: left; color: white; background: var(--accent); padding: 5px 8px; font-weight: 700; }
td { padding: 5px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
tbody tr:nth-child(even) td { background: var(--zebra); }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.status { display: inline-block; padding: 1px 8px; border-radius: 9px; font-size: 8.5pt;
  font-weight: 700; white-space: nowrap; line-height: 1.4; }
.status-ok { background: #e6f2e8; color: #1d5a2c; border: 1px solid #1d5a2c; }
.status-ok::before { content: "\\2713\\00a0"; }
.status-bad-input, .status-failed { background: #8a2c1b; color: white; border: 1px solid #8a2c1b; }
.status-bad-input::before, .status-failed::before { content: "\\2717\\00a0"; }
.status-interrupted { background: #f1f1f1; color: #555; border: 1px dashed #888; }
.status-interrupted::before { content: "\\2013\\00a0"; }
details summary { cursor: pointer; }
pre { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; white-space: pre-wrap;
  background: var(--tint); padding: 0.5em 0.7em; border-radius: 3px; margin: 0.4em 0 0; }
.muted { color: var(--muted); }
"""


def _href(target: str | None, base: Path) -> str | None:
    if not target:
        return None
    try:
        rel = os.path.relpath(Path(target).resolve(), base.resolve())
    except ValueError:  # another drive (Windows)
        return Path(target).resolve().as_uri()
    return quote(Path(rel).as_posix())


def _row_html(r: JobResult, base: Path) -> str:
    e = html.escape
    status_class = "status-" + r.status.replace(" ", "-")
    name = e(r.label)
    if r.client and r.client != r.name:
        name += f'<br><span class="muted">{e(r.name)}</span>'
    if r.ok:
        href = _href(r.report, base)
        label = "report" if (r.report or "").endswith(".html") else "run folder"
        where = f'<a href="{e(href or "")}">{e(label)}</a>' if href else ""
        if r.folder:
            where += f' <span class="muted">{e(r.folder)}</span>'
        if r.lost_workers:
            where += (f'<br><span class="muted">run again after its Dask worker died: '
                      f'{e(", ".join(r.lost_workers))}</span>')
    else:
        where = e(r.error_line)
        rest = (r.error or "").strip()
        extra = "\n".join(p for p in (rest if rest != r.error_line else "", r.detail or "") if p)
        if r.kept_notebook:
            href = _href(r.kept_notebook, base)
            where += f'<br><a href="{e(href or "")}">executed notebook (with the failing cell)</a>'
        if extra:
            where += f"<details><summary>details</summary><pre>{e(extra)}</pre></details>"
    return (
        f"<tr><td>{name}</td><td><span class=\"status {status_class}\">{e(r.status)}</span></td>"
        f"<td class=\"num\">{e(_cutoff_text(r))}</td>"
        f"<td class=\"num\">{'' if r.n_key is None else f'{r.n_key:,}'}</td>"
        f"<td class=\"num\">{e(format_duration(r.duration))}</td><td>{where}</td></tr>"
    )


def write_index_html(
    results: Sequence[JobResult],
    out_root: Path | str,
    *,
    started: dt.datetime | None = None,
    csv_path: Path | str | None = None,
) -> Path:
    """Write ``<out_root>/index.html`` (the latest batch) and return its path."""
    root = Path(out_root)
    root.mkdir(parents=True, exist_ok=True)
    when = (started or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    csv_link = ""
    if csv_path is not None:
        href = _href(str(csv_path), root)
        csv_link = f' Table: <a href="{html.escape(href or "")}">{html.escape(Path(csv_path).name)}</a>.'
    num = ' class="num"'
    head = "".join(f"<th{num if c in ('cutoff', 'n_key', 'duration') else ''}>{html.escape(h)}</th>"
                   for c, h in _HEADERS.items())
    body = "\n".join(_row_html(r, root) for r in results)
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>ALMS batch {html.escape(when)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>ALMS Challenge: batch of {html.escape(when)}</h1>\n"
        f"<p class=\"lead\">{html.escape(_counts_text(results))}.{csv_link}</p>\n"
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n"
        "</main>\n</body>\n</html>\n"
    )
    return atomic.write_text(root / INDEX_NAME, page)

