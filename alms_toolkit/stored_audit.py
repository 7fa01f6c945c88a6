"""The audit stored in the run folder, in open formats: one JSON file and parquet tables.

``alms audit`` computes the audit once (:func:`~alms_toolkit.engine.analyse`), stores it
with :func:`store_audit` in ``<run>/audit/`` and makes the report and every file of the run
from that stored audit (issue 11, item 2): the notebook is handed ``audit/audit.json`` and
only displays it, so a decisions.yml saved while the run works changes neither.

Layout::

    audit/
      audit.json          every value of the audit, tagged (below); tables by file name
      tables/t000.parquet one file per table (DataFrame or Series), written by pyarrow

``audit.json`` holds ``{"format": "alms-audit", "version": 1, "toolkit": ..., "audit": ...,
"comparison": ...}``. Plain JSON values (strings, numbers, booleans, null, lists of them)
stand for themselves; every other value is an object with one ``$`` key naming its kind:
``$dataclass`` (``"module:Class"`` plus ``fields``; only the toolkit's own dataclasses are
read back), ``$frame`` / ``$series`` (a parquet file), ``$date``, ``$datetime``,
``$decimal``, ``$fraction`` (``"3/4"``), ``$path``, ``$tuple``, ``$frozenset``, ``$dict``
(string keys), ``$pairs`` (other keys), ``$mapping`` (a read-only dict), ``$float``
(``nan``/``inf``). A value reached twice (the same table or settings object under two
fields) is written once with ``$id`` and referred to as ``{"$ref": n}``, and read back as
one shared object, as it was.

Table columns that parquet cannot hold as they are (tuples, mixed kinds, fractions) are
written as this JSON text and listed under ``json_columns``; a text column whose missing
cells are all NaN or all ``pd.NA`` is kept in parquet (nulls) and listed under ``missing_as``; non-text column names are
listed under ``columns``. Nothing is lost: ``tests/test_stored_audit.py`` compares every
field of audits read back with the computed ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import json
import math
import re
import types
from decimal import Decimal
from fractions import Fraction
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import atomic
from .errors import ReportError

if TYPE_CHECKING:
    from .analysis.compare import Comparison
    from .engine import Audit

__all__ = ["AUDIT_DIR", "AUDIT_FILE", "store_audit", "load_audit", "audit_file_of"]

#: the stored audit's folder in the run folder, and its JSON file in that folder
AUDIT_DIR = "audit"
AUDIT_FILE = "audit.json"
_TABLES = "tables"
_FORMAT, _VERSION = "alms-audit", 1
#: only these packages' dataclasses are built when an audit is read back
_OWN = "alms_toolkit."
#: values parquet gives back as they were in an object column (one kind per column; null
#: cells come back as None). Numbers, booleans and datetimes would come back as typed
#: columns, so an object column holding them is written as JSON text.
_PARQUET_OBJECTS = (str, bytes, Decimal, dt.date)


def audit_file_of(run_folder: Path | str) -> Path:
    """Where a run folder keeps its stored audit (``<run>/audit/audit.json``)."""
    return Path(run_folder) / AUDIT_DIR / AUDIT_FILE


def store_audit(audit: Audit, comparison: Comparison | None, folder: Path | str) -> Path:
    """Write ``audit`` (and the re-review ``comparison``, or None) into ``folder`` (created,
    normally ``<run>/audit``); return the path of its ``audit.json``."""
    import sys

    folder = Path(folder)
    (folder / _TABLES).mkdir(parents=True, exist_ok=True)
    encoder = _Encoder(folder)
    document = {
        "format": _FORMAT,
        "version": _VERSION,
        "toolkit": getattr(sys.modules.get("alms_toolkit"), "__version__", None),
        "audit": encoder.encode(audit),
        "comparison": encoder.encode(comparison),
    }
    return atomic.write_text(folder / AUDIT_FILE, json.dumps(document, ensure_ascii=False, indent=1) + "\n")


def load_audit(path: Path | str) -> tuple[Audit, Comparison | None]:
    """The ``(audit, comparison)`` that :func:`store_audit` wrote to ``path`` (its
    ``audit.json``, or the folder holding it). A file that is missing, damaged or of another
    format raises :class:`~alms_toolkit.errors.ReportError` (reason ``stored_audit``) naming it."""
    import pyarrow

    path = Path(path)
    if path.is_dir():
        path = path / AUDIT_FILE

    def refuse(why: str) -> ReportError:
        return ReportError(f"The stored audit {path} {why}", reason="stored_audit", path=path)

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise refuse("does not exist.") from exc
    except (OSError, ValueError) as exc:
        raise refuse(f"cannot be read ({exc}).") from exc
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise refuse("is not an audit stored by the ALMS toolkit.")
    if document.get("version") != _VERSION:
        raise refuse(
            f"was stored in format version {document.get('version')}; this toolkit reads "
            f"version {_VERSION}. Run `alms audit` again to store it anew."
        )
    decoder = _Decoder(path.parent)
    try:
        return decoder.decode(document["audit"]), decoder.decode(document["comparison"])
    except ReportError:
        raise
    except (OSError, KeyError, TypeError, ValueError, AttributeError, pyarrow.ArrowException) as exc:
        raise refuse(f"is incomplete or damaged ({type(exc).__name__}: {exc}). "
                     "Run `alms audit` again to store it anew.") from exc


# ------------------------------------------------------------------------------ writing


class _Encoder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ids: dict[int, int] = {}
        self.keep: list[Any] = []  # objects given an id stay alive, so their id() is not reused

    def encode(self, value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self._shared(value, self._dataclass)
        if isinstance(value, (pd.DataFrame, pd.Series)):
            return self._shared(value, self._table)
        return _encode_value(value, self.encode)

    def _shared(self, value: Any, encode: Any) -> Any:
        key = id(value)
        if key in self.ids:
            return {"$ref": self.ids[key]}
        number = self.ids[key] = len(self.ids)
        self.keep.append(value)
        return {"$id": number, **encode(value, number)}

    def _dataclass(self, value: Any, number: int) -> dict[str, Any]:
        cls = type(value)
        fields = {f.name: self.encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$dataclass": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}

    def _table(self, value: pd.DataFrame | pd.Series, number: int) -> dict[str, Any]:
        name = f"{_TABLES}/t{number:03d}.parquet"
        kind = "$series" if isinstance(value, pd.Series) else "$frame"
        frame = value.to_frame(name="value") if isinstance(value, pd.Series) else value
        entry: dict[str, Any] = {kind: name}
        if isinstance(value, pd.Series):
            entry["name"] = self.encode(value.name)
        if isinstance(frame.columns, pd.MultiIndex) or not all(isinstance(c, str) for c in frame.columns):
            entry["columns"] = [self.encode(c) for c in frame.columns]
            entry["columns_name"] = self.encode(frame.columns.name)
            frame = frame.set_axis([f"c{i}" for i in range(frame.shape[1])], axis=1)
        kinds = {c: _object_column_kind(frame[c]) for c in frame.columns if frame[c].dtype == object}
        as_json = [c for c, kind in kinds.items() if kind == "json"]
        missing = {c: kind for c, kind in kinds.items() if kind in _MISSING}
        if missing:
            entry["missing_as"] = missing
        plain = [c for c, kind in kinds.items() if kind == "plain"]
        if plain:  # read back as object columns again (pandas 3 would make text columns str)
            entry["object_columns"] = plain
        if as_json:
            entry["json_columns"] = as_json
            frame = frame.assign(**{
                c: [None if v is None else json.dumps(_encode_plain_value(v), ensure_ascii=False)
                    for v in frame[c]] for c in as_json})
        frame.to_parquet(self.folder / name, engine="pyarrow")
        return entry


def _encode_plain(value: Any, encode: Any) -> Any:
    """A value that is neither a dataclass nor a table, tagged (``encode`` for its parts)."""
    if value is pd.NA:
        return {"$na": None}
    if value is pd.NaT:
        return {"$nat": None}
    if isinstance(value, pd.Timestamp):
        return {"$timestamp": value.isoformat()}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, Fraction):
        return {"$fraction": f"{value.numerator}/{value.denominator}"}
    if isinstance(value, PurePath):
        return {"$path": str(value)}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, (set, frozenset)):
        items = sorted((encode(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
        return {"$frozenset" if isinstance(value, frozenset) else "$set": items}
    if isinstance(value, (dict, types.MappingProxyType)):
        tag = "$mapping" if isinstance(value, types.MappingProxyType) else None
        if all(isinstance(k, str) for k in value):
            body: dict[str, Any] = {"$dict": {k: encode(v) for k, v in value.items()}}
        else:
            body = {"$pairs": [[encode(k), encode(v)] for k, v in value.items()]}
        return {tag: body} if tag else body
    raise ReportError(
        f"The audit holds a value the stored audit cannot write ({type(value).__module__}."
        f"{type(value).__qualname__}); this is a fault of the toolkit, please report it."
    )


def _encode_value(value: Any, encode: Any) -> Any:
    """A value that is neither a record nor a table as JSON: plain scalars as they are,
    the rest tagged (``encode`` for its parts)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else {"$float": repr(number)}
    return _encode_plain(value, encode)


def _encode_plain_value(value: Any) -> Any:
    """A table cell's value as tagged JSON (cells hold no records or tables)."""
    return _encode_value(value, _encode_plain_value)




#: how a text column's missing cells are given back (parquet holds them as nulls)
_MISSING: dict[str, Any] = {"none": None, "nan": float("nan"), "na": pd.NA}


def _object_column_kind(column: pd.Series) -> str:
    """How an object column is stored: ``"json"`` when parquet would not give it back as it
    is (values that are not plain scalars, scalars of more than one kind, or missing cells
    of more than one kind: None, NaN, pd.NA); for a text column with missing cells of one
    kind, that kind (a key of :data:`_MISSING`); else ``"plain"``."""
    kinds: set[type] = set()
    missing: set[str] = set()
    for v in column:
        if v is None:
            missing.add("none")
        elif v is pd.NA:
            missing.add("na")
        elif isinstance(v, float) and math.isnan(v):
            missing.add("nan")
        else:
            kinds.add(type(v))
    if any(issubclass(k, dt.datetime) or not issubclass(k, _PARQUET_OBJECTS) for k in kinds):
        return "json"
    families = {next(s for s in _PARQUET_OBJECTS if issubclass(k, s)) for k in kinds}
    if len(families) > 1 or len(missing) > 1:
        return "json"
    if not missing:
        return "plain"
    return next(iter(missing)) if families <= {str} or missing == {"none"} else "json"


# ------------------------------------------------------------------------------ reading


class _Decoder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.shared: dict[int, Any] = {}

    def decode(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "$ref" in value:
            return self.shared[value["$ref"]]
        number = value.get("$id")
        if "$dataclass" in value:
            result = self._dataclass(value)
        elif "$frame" in value or "$series" in value:
            result = self._table(value)
        else:
            return _decode_plain(value, self.decode)
        if number is not None:
            self.shared[number] = result
        return result

    def _dataclass(self, value: dict[str, Any]) -> Any:
        cls = _own_dataclass(value["$dataclass"])
        obj: Any = object.__new__(cls)  # frozen records: fields set as they were, no __init__ run
        stored = value["fields"]
        for f in dataclasses.fields(cls):
            if f.name in stored:
                object.__setattr__(obj, f.name, self.decode(stored[f.name]))
            elif f.default is not dataclasses.MISSING:  # a field added since: its default
                object.__setattr__(obj, f.name, f.default)
            elif f.default_factory is not dataclasses.MISSING:
                object.__setattr__(obj, f.name, f.default_factory())
            else:
                raise KeyError(f"{name_of(cls)} has no stored {f.name}")
        return obj

    def _table(self, value: dict[str, Any]) -> pd.DataFrame | pd.Series:
        name = value.get("$frame") or value["$series"]
        frame = pd.read_parquet(self.folder / name, engine="pyarrow")
        for column in value.get("object_columns", ()):
            frame[column] = frame[column].astype(object)
        for column, kind in value.get("missing_as", {}).items():
            cells = frame[column].astype(object)
            frame[column] = cells.where(cells.notna(), _MISSING[kind])
        for column in value.get("json_columns", ()):
            frame[column] = pd.Series(
                [_decode_plain_value(json.loads(v)) if isinstance(v, str) else None for v in frame[column]],
                index=frame.index, dtype=object)
        if "columns" in value:
            labels = [self.decode(c) for c in value["columns"]]
            axis = (pd.MultiIndex.from_tuples(labels) if labels and all(isinstance(c, tuple) for c in labels)
                    else pd.Index(labels, dtype=object))
            frame = frame.set_axis(axis, axis=1)
            frame.columns.name = self.decode(value.get("columns_name"))
        if "$series" in value:
            series = frame.iloc[:, 0]
            series.name = self.decode(value.get("name"))
            return series
        return frame


def _decode_plain_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode_plain_value(v) for v in value]
    if isinstance(value, dict):
        return _decode_plain(value, _decode_plain_value)
    return value


def _decode_plain(value: dict[str, Any], decode: Any) -> Any:
    ((tag, body),) = value.items()
    if tag == "$na":
        return pd.NA
    if tag == "$nat":
        return pd.NaT
    if tag == "$date":
        return dt.date.fromisoformat(body)
    if tag == "$datetime":
        return dt.datetime.fromisoformat(body)
    if tag == "$timestamp":
        return pd.Timestamp(body)
    if tag == "$decimal":
        return Decimal(body)
    if tag == "$fraction":
        return Fraction(body)
    if tag == "$path":
        return Path(body)
    if tag == "$float":
        return float(body)
    if tag == "$tuple":
        return tuple(decode(v) for v in body)
    if tag in ("$frozenset", "$set"):
        items = (decode(v) for v in body)
        return frozenset(items) if tag == "$frozenset" else set(items)
    if tag == "$dict":
        return {k: decode(v) for k, v in body.items()}
    if tag == "$pairs":
        return {decode(k): decode(v) for k, v in body}
    if tag == "$mapping":
        return types.MappingProxyType(decode(body))
    raise ReportError(f"The stored audit holds an unknown kind of value ({tag}).", reason="stored_audit")


def name_of(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def stored_modules(path: Path | str) -> tuple[str, ...]:
    """The modules :func:`load_audit` imports to read the stored audit at ``path``: those of
    its records, and the parquet reader when it holds tables (() when it cannot be read)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        return ()
    modules = dict.fromkeys(m for m in re.findall(r'"\$dataclass": "([\w.]+):', text) if m.startswith(_OWN))
    if '"$frame"' in text or '"$series"' in text:
        modules.update(dict.fromkeys(("pyarrow.parquet", "pandas.io.parquet")))
    return tuple(modules)


def _own_dataclass(name: str) -> type:
    """The toolkit's dataclass called ``module:Qualname`` (nothing else is ever built)."""
    module_name, _, qualname = name.partition(":")
    if not module_name.startswith(_OWN):
        raise ReportError(f"The stored audit names {name}, which is not part of the ALMS toolkit.",
                          reason="stored_audit")
    obj: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    if not (isinstance(obj, type) and dataclasses.is_dataclass(obj)):
        raise ReportError(f"The stored audit names {name}, which is not one of the toolkit's records.",
                          reason="stored_audit")
    return obj
