"""The audit stored in open formats (alms_toolkit/stored_audit.py) comes back whole: every
field of every record, every table with its dtypes and index, shared objects shared."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd
import pytest
from same_values import assert_same

from alms_toolkit.analysis.compare import compare_with_review
from alms_toolkit.engine import audit
from alms_toolkit.errors import ReportError
from alms_toolkit.io.review import read_review
from alms_toolkit.report.writers.crm import write_crm_files
from alms_toolkit.stored_audit import AUDIT_FILE, load_audit, store_audit, stored_modules

ROOT = Path(__file__).resolve().parents[1]


def _roundtrip(computed: Any, comparison: Any, folder: Path) -> tuple[Any, Any]:
    return load_audit(store_audit(computed, comparison, folder))


@pytest.mark.parametrize("client", ["sample-services", "sample-media"])
def test_the_samples_come_back_whole(client: str, tmp_path: Path) -> None:
    computed = audit(ROOT / "client_data" / client)
    loaded, comparison = _roundtrip(computed, None, tmp_path / "audit")
    assert comparison is None
    assert_same(computed, loaded)
    assert loaded.summary() == computed.summary()
    # a value reached twice is one object again (the settings, the ledger)
    assert loaded.inputs.config is loaded.config and loaded.inputs.loaded is loaded.loaded
    # open formats only: JSON and parquet, readable without the toolkit
    files = {p.suffix for p in (tmp_path / "audit").rglob("*") if p.is_file()}
    assert files == {".json", ".parquet"}
    document = json.loads((tmp_path / "audit" / AUDIT_FILE).read_text(encoding="utf-8"))
    assert document["format"] == "alms-audit" and document["version"] == 1
    assert document["audit"]["$dataclass"] == "alms_toolkit.engine:Audit"
    ledger = document["audit"]["fields"]["inputs"]["fields"]["loaded"]["fields"]["ledger"]["$frame"]
    assert len(pd.read_parquet(tmp_path / "audit" / ledger)) == len(computed.loaded.ledger)
    # the modules reading it back imports (the notebook's kernel imports them beforehand)
    modules = stored_modules(tmp_path / "audit" / AUDIT_FILE)
    assert modules[0] == "alms_toolkit.engine" and "alms_toolkit.analysis.combine" in modules
    assert {"pyarrow.parquet", "pandas.io.parquet"} <= set(modules)
    assert stored_modules(tmp_path / "missing.json") == ()


def test_a_re_review_comparison_comes_back_whole(tmp_path: Path) -> None:
    client = tmp_path / "services"
    shutil.copytree(ROOT / "client_data" / "sample-services", client)
    then = audit(client, as_of=dt.date(2024, 10, 1))
    review = tmp_path / "reports" / "sample-services" / "2024-10-01"
    write_crm_files(then.official_list, review)
    (review / "summary.json").write_text(json.dumps(then.summary()), encoding="utf-8")
    now = audit(client)
    comparison = compare_with_review(now, read_review(review))
    loaded, loaded_comparison = _roundtrip(now, comparison, tmp_path / "audit")
    assert_same(comparison, loaded_comparison, "comparison")
    assert loaded_comparison.to_dict() == comparison.to_dict()
    assert_same(now, loaded)


@dataclasses.dataclass(frozen=True)
class _Odd:
    """Values an audit may come to hold: every kind the format names."""

    frame: pd.DataFrame
    series: pd.Series
    values: dict[Any, Any]


def test_every_kind_of_value_and_awkward_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame({
        "rows": [(2, 3), (), None],                 # tuples: JSON text in parquet
        "mixed": ["a", 1, None],                    # two kinds in one column
        "share": [Fraction(1, 3), None, Fraction(2)],
        "day": [dt.date(2024, 2, 29), None, dt.date(2025, 1, 1)],
        "cents": pd.array([1, None, -5], dtype="Int64"),
        "tier": pd.Categorical(["KEY", "SECONDARY", "KEY"], categories=["KEY", "SECONDARY"]),
        "when": pd.to_datetime(["2024-01-01", "2024-06-30", None]),
        # text with missing cells of one kind stays in parquet; of two kinds, JSON text
        "na_text": pd.Series(["a", pd.NA, "b"], dtype=object, index=list("xyz")),
        "nan_text": pd.Series([float("nan"), "x", float("nan")], dtype=object, index=list("xyz")),
        "all_na": pd.Series([pd.NA] * 3, dtype=object, index=list("xyz")),
        "none_and_nan": pd.Series([None, float("nan"), "x"], dtype=object, index=list("xyz")),
        "ints_and_none": pd.Series([1, None, 3], dtype=object, index=list("xyz")),
        "flags": pd.Series([True, False, True], dtype=object, index=list("xyz")),  # bools, not a bool column
        "stamps": pd.Series([dt.datetime(2024, 1, 1, 9)] * 3, dtype=object, index=list("xyz")),
    }, index=pd.Index(["x", "y", "z"], name="key"))
    wide = pd.DataFrame([[1, 2]], columns=pd.Index([dt.date(2024, 1, 1), 3]))
    odd = _Odd(frame, pd.Series([Decimal("1.10"), None], name=("a", 1)), {
        "inf": float("inf"), "nan_free": 1.5, 2: "int key", "path": Path("/x/y.csv"),
        "set": frozenset({"b", "a"}), "proxy": MappingProxyType({"k": (1, "2")}),
        "$looks_tagged": {"$date": "not a date"}, "wide": wide, "same": frame,
    })
    # the test's own record is not the toolkit's: let it be read back for this test only
    monkeypatch.setattr("alms_toolkit.stored_audit._OWN", __name__)
    loaded, _ = load_audit(store_audit(odd, None, tmp_path))  # type: ignore[arg-type]
    assert_same(odd, loaded)
    assert loaded.values["same"] is loaded.frame
    stored = json.loads((tmp_path / AUDIT_FILE).read_text(encoding="utf-8"))["audit"]["fields"]["frame"]
    assert stored["missing_as"] == {"day": "none", "na_text": "na", "nan_text": "nan", "all_na": "na"}
    assert set(stored["json_columns"]) == {"rows", "mixed", "share", "none_and_nan", "ints_and_none", "flags",
                                            "stamps"}


def test_only_the_toolkits_records_are_built_and_other_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / AUDIT_FILE).write_text(json.dumps({
        "format": "alms-audit", "version": 1,
        "audit": {"$dataclass": "subprocess:Popen", "fields": {}}, "comparison": None}), encoding="utf-8")
    with pytest.raises(ReportError, match="not part of the ALMS toolkit"):
        load_audit(tmp_path)
    (tmp_path / AUDIT_FILE).write_text('{"format": "alms-audit", "version": 7}', encoding="utf-8")
    with pytest.raises(ReportError, match="format version 7.*alms audit"):
        load_audit(tmp_path / AUDIT_FILE)
    (tmp_path / AUDIT_FILE).write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ReportError, match="not an audit stored by the ALMS toolkit"):
        load_audit(tmp_path)
