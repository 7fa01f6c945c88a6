"""client.yml: one client's settings, read and checked into a frozen :class:`ClientConfig`.

Every problem in the file is reported at once (:class:`~alms_toolkit.errors.ConfigError`).
Only ``client`` and ``billing.file`` are required; everything else has a default.
See ``alms new-client`` for a commented example.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, MissingFileError

__all__ = [
    "ClientConfig",
    "BillingSource",
    "TableSource",
    "Branding",
    "Limits",
    "Matching",
    "FitWeights",
    "load_config",
    "parse_config",
    "slugify",
    "CONFIG_FILE",
]

CONFIG_FILE = "client.yml"
LEDGER_FIELDS = ("date", "client", "amount", "seller", "client_id")


def slugify(text: str) -> str:
    """'Northwind Traders, Inc.' -> 'northwind-traders-inc' (safe as a folder name)."""
    import unicodedata

    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^A-Za-z0-9]+", "-", s).strip("-").lower()
    return s or "client"


@dataclass(frozen=True)
class BillingSource:
    """Where the ledger is and how to read it."""

    file: Path
    sheet: str | int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # field -> header in the file
    encoding: str | None = None
    decimal: str = "."
    thousands: str | None = None
    date_format: str | None = None
    header_row: int | None = None  # spreadsheet row number of the header (1-based)
    exclude: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class TableSource:
    """An optional client table (account list, prospects, decisions)."""

    file: Path
    sheet: str | int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    date: dt.date | None = None  # account list: the date the list was last published


@dataclass(frozen=True)
class Branding:
    consultant: str | None = None
    firm: str | None = None
    logo: Path | None = None
    page_size: str = "A4"  # "A4" or "Letter"
    currency: str = "$"
    accent_color: str = "#1f4e79"


@dataclass(frozen=True)
class Limits:
    """Per-seller prospect counts (inclusive ranges) from the Challenge."""

    target: tuple[int, int] = (5, 10)
    extra: tuple[int, int] = (5, 10)
    lead: tuple[int, int] = (0, 10)


@dataclass(frozen=True)
class Matching:
    """Fuzzy duplicate matching: candidates >= threshold are proposed; >= auto_accept merged."""

    threshold: float = 88.0
    auto_accept: float | None = None


@dataclass(frozen=True)
class FitWeights:
    spending_potential: float = 1.0
    decision_maker_access: float = 1.0
    product_fit: float = 1.0


@dataclass(frozen=True)
class ClientConfig:
    client: str
    folder: Path
    billing: BillingSource
    slug: str = ""
    as_of: dt.date | None = None
    key_share: float = 0.25
    review_months: int = 12
    branding: Branding = field(default_factory=Branding)
    limits: Limits = field(default_factory=Limits)
    matching: Matching = field(default_factory=Matching)
    fit_weights: FitWeights = field(default_factory=FitWeights)
    account_list: TableSource | None = None
    prospects: TableSource | None = None
    decisions_file: Path = Path("decisions.yml")
    path: Path = Path(CONFIG_FILE)


# ---------------------------------------------------------------------------- parsing


def _as_date(value: Any, key: str, problems: list[str]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(f"'{key}' must be a date written YYYY-MM-DD, not {value!r}")
        return None


def _range(value: Any, key: str, default: tuple[int, int], problems: list[str]) -> tuple[int, int]:
    if value is None:
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        return (0, value)
    if isinstance(value, Mapping):
        value = [value.get("min", default[0]), value.get("max", default[1])]
    if (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and 0 <= value[0] <= value[1]
    ):
        return (int(value[0]), int(value[1]))
    problems.append(f"'{key}' must be [min, max] with 0 <= min <= max, not {value!r}")
    return default


def _number(value: Any, key: str, default: float, problems: list[str], lo: float, hi: float) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(f"'{key}' must be a number, not {value!r}")
        return default
    if not lo <= float(value) <= hi:
        problems.append(f"'{key}' must be between {lo:g} and {hi:g}, not {value!r}")
        return default
    return float(value)


def _columns(value: Any, key: str, allowed: tuple[str, ...] | None, problems: list[str]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append(f"'{key}' must map field names to column headers")
        return {}
    out: dict[str, str] = {}
    for k, v in value.items():
        if allowed is not None and k not in allowed:
            problems.append(f"'{key}.{k}' is not a known field (use {', '.join(allowed)})")
            continue
        if v is None or str(v).strip() == "":
            problems.append(f"'{key}.{k}' names no column")
            continue
        out[str(k)] = str(v)
    return out


def _table(raw: Any, key: str, folder: Path, problems: list[str]) -> TableSource | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = {"file": raw}
    if not isinstance(raw, Mapping) or not raw.get("file"):
        problems.append(f"'{key}' needs a 'file'")
        return None
    unknown = set(raw) - {"file", "sheet", "columns", "date"}
    for k in sorted(unknown):
        problems.append(f"'{key}.{k}' is not a known setting (use file, sheet, columns, date)")
    return TableSource(
        file=folder / str(raw["file"]),
        sheet=raw.get("sheet"),
        columns=_columns(raw.get("columns"), f"{key}.columns", None, problems),
        date=_as_date(raw.get("date"), f"{key}.date", problems),
    )


_TOP_KEYS = {
    "client", "slug", "as_of", "key_share", "review_months", "billing", "account_list",
    "prospects", "decisions", "branding", "limits", "matching", "fit_weights",
}
_BILLING_KEYS = {
    "file", "sheet", "columns", "encoding", "decimal", "thousands", "date_format",
    "header_row", "exclude",
}


def parse_config(data: Any, folder: Path, path: Path | None = None) -> ClientConfig:
    """Check a parsed client.yml mapping and build the config; every problem at once."""
    path = path or folder / CONFIG_FILE
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise ConfigError(path, "the file must hold settings written 'key: value'")
    for k in sorted(set(data) - _TOP_KEYS):
        problems.append(f"'{k}' is not a known setting (known: {', '.join(sorted(_TOP_KEYS))})")

    client = data.get("client")
    if not client or not str(client).strip():
        problems.append("'client' (the client's display name) is required")
        client = folder.name
    client = str(client).strip()

    b = data.get("billing")
    if isinstance(b, str):
        b = {"file": b}
    if not isinstance(b, Mapping) or not b.get("file"):
        problems.append("'billing.file' (the ledger file in this folder) is required")
        b = {"file": "billing.csv"}
    for k in sorted(set(b) - _BILLING_KEYS):
        problems.append(f"'billing.{k}' is not a known setting (known: {', '.join(sorted(_BILLING_KEYS))})")
    decimal = str(b.get("decimal", "."))
    if decimal not in (".", ","):
        problems.append(f"'billing.decimal' must be '.' or ',', not {decimal!r}")
        decimal = "."
    thousands = b.get("thousands")
    if thousands is not None:
        thousands = str(thousands)
        if thousands == decimal:
            problems.append("'billing.thousands' and 'billing.decimal' cannot be the same character")
    header_row = b.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        problems.append(f"'billing.header_row' must be a spreadsheet row number (1, 2, ...), not {header_row!r}")
        header_row = None
    exclude_raw = b.get("exclude") or {}
    exclude: dict[str, tuple[str, ...]] = {}
    if not isinstance(exclude_raw, Mapping):
        problems.append("'billing.exclude' must map a column to the values to leave out")
    else:
        for col, vals in exclude_raw.items():
            vals = vals if isinstance(vals, (list, tuple)) else [vals]
            exclude[str(col)] = tuple(str(v) for v in vals)
    billing = BillingSource(
        file=folder / str(b["file"]),
        sheet=b.get("sheet"),
        columns=_columns(b.get("columns"), "billing.columns", LEDGER_FIELDS, problems),
        encoding=b.get("encoding"),
        decimal=decimal,
        thousands=thousands,
        date_format=b.get("date_format"),
        header_row=header_row,
        exclude=exclude,
    )

    br = data.get("branding") or {}
    if not isinstance(br, Mapping):
        problems.append("'branding' must hold consultant, firm, logo, page_size, currency")
        br = {}
    page_size = str(br.get("page_size", "A4"))
    if page_size.lower() not in ("a4", "letter"):
        problems.append(f"'branding.page_size' must be A4 or Letter, not {page_size!r}")
        page_size = "A4"
    logo = br.get("logo")
    branding = Branding(
        consultant=br.get("consultant"),
        firm=br.get("firm"),
        logo=(folder / str(logo)) if logo else None,
        page_size="Letter" if page_size.lower() == "letter" else "A4",
        currency=str(br.get("currency", "$")),
        accent_color=str(br.get("accent_color", "#1f4e79")),
    )

    lim = data.get("limits") or {}
    if not isinstance(lim, Mapping):
        problems.append("'limits' must hold target, extra, lead ranges")
        lim = {}
    limits = Limits(
        target=_range(lim.get("target"), "limits.target", (5, 10), problems),
        extra=_range(lim.get("extra"), "limits.extra", (5, 10), problems),
        lead=_range(lim.get("lead"), "limits.lead", (0, 10), problems),
    )

    m = data.get("matching") or {}
    if not isinstance(m, Mapping):
        problems.append("'matching' must hold threshold and auto_accept")
        m = {}
    auto = m.get("auto_accept")
    matching = Matching(
        threshold=_number(m.get("threshold"), "matching.threshold", 88.0, problems, 50, 100),
        auto_accept=None if auto is None else _number(auto, "matching.auto_accept", 100.0, problems, 50, 100),
    )

    fw = data.get("fit_weights") or {}
    if not isinstance(fw, Mapping):
        problems.append("'fit_weights' must hold spending_potential, decision_maker_access, product_fit")
        fw = {}
    fit = FitWeights(
        spending_potential=_number(fw.get("spending_potential"), "fit_weights.spending_potential", 1.0, problems, 0, 100),
        decision_maker_access=_number(fw.get("decision_maker_access"), "fit_weights.decision_maker_access", 1.0, problems, 0, 100),
        product_fit=_number(fw.get("product_fit"), "fit_weights.product_fit", 1.0, problems, 0, 100),
    )

    review_months = data.get("review_months", 12)
    if review_months not in (6, 12):
        problems.append(f"'review_months' must be 6 or 12, not {review_months!r}")
        review_months = 12

    decisions = data.get("decisions") or "decisions.yml"
    if isinstance(decisions, Mapping):
        decisions = decisions.get("file") or "decisions.yml"

    cfg = ClientConfig(
        client=client,
        folder=folder,
        slug=slugify(str(data.get("slug") or folder.name or client)),
        billing=billing,
        as_of=_as_date(data.get("as_of"), "as_of", problems),
        key_share=_number(data.get("key_share"), "key_share", 0.25, problems, 0.01, 0.99),
        review_months=int(review_months),
        branding=branding,
        limits=limits,
        matching=matching,
        fit_weights=fit,
        account_list=_table(data.get("account_list"), "account_list", folder, problems),
        prospects=_table(data.get("prospects"), "prospects", folder, problems),
        decisions_file=folder / str(decisions),
        path=path,
    )
    if problems:
        raise ConfigError(path, problems)
    return cfg


def load_config(client_dir: Path | str) -> ClientConfig:
    """Read ``<client_dir>/client.yml``. Missing optional tables are looked up by name
    (``account_list.*``, ``prospects.*``) when client.yml does not name them."""
    folder = Path(client_dir)
    path = folder / CONFIG_FILE
    if not folder.is_dir():
        raise MissingFileError(folder, "this client folder does not exist")
    if not path.is_file():
        raise MissingFileError(
            path,
            "the client folder has no client.yml",
            hint="Create one with: alms new-client NAME (it writes a commented example).",
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" near line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(path, f"is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(path, "is not a UTF-8 text file") from exc
    data = dict(data or {}) if isinstance(data, Mapping) else data
    if isinstance(data, dict):
        for key in ("account_list", "prospects"):
            if key not in data:
                found = sorted(
                    p for p in folder.glob(f"{key}.*") if p.suffix.lower() in (".csv", ".txt", ".xlsx")
                )
                if found:
                    data[key] = {"file": found[0].name}
    return parse_config(data, folder.resolve(), path)
