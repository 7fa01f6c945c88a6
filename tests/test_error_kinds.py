"""Errors with kinds (issue 11, item 7): one base for bad input (exit 2), one for failed runs
(exit 1); every error has a reason code and structured fields, read by code instead of the
message text."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from alms_toolkit import errors as E
from alms_toolkit.io.columns import match_columns

BAD_INPUT = [E.ConfigError, E.InputError, E.MissingFileError, E.FileReadError, E.ColumnError,
             E.DataValidationError, E.ImplausibleDataError, E.DecisionsError, E.OutputExistsError]
RUN_FAILED = [E.ReportError, E.NotebookRunError, E.FileAccessError]


def test_two_bases_carry_the_exit_codes() -> None:
    for cls in BAD_INPUT:
        assert issubclass(cls, E.BadInputError) and cls.exit_code == 2, cls
    for cls in RUN_FAILED:
        assert issubclass(cls, E.RunFailedError) and cls.exit_code == 1, cls
    # every concrete class names its own kind
    reasons = [cls.reason for cls in BAD_INPUT + RUN_FAILED]
    assert len(set(reasons)) == len(reasons) and "error" not in reasons


def test_details_give_the_file_problems_rows_column_and_codes() -> None:
    problem = E.Problem("3 of 3 amounts are not numbers", column="Amount", rows=(2, 3, 4), examples=("abc",),
                        reason="amounts_unreadable")
    err = E.DataValidationError(Path("billing.csv"), [problem])
    d = err.details()
    assert d["reason"] == "data_validation" and d["exit_code"] == 2 and d["file"] == "billing.csv"
    assert d["problems"] == [{"reason": "amounts_unreadable", "message": "3 of 3 amounts are not numbers",
                              "column": "Amount", "rows": [2, 3, 4], "n_rows": 3, "examples": ["abc"]}]
    implausible = E.ImplausibleDataError("billing.csv", "one client holds it all", codes=["one_client"])
    assert implausible.details()["codes"] == ["one_client"]
    access = E.FileAccessError("/out/report.pdf", errno.ENOSPC)
    assert access.details()["access"] == "ENOSPC" and access.details()["reading"] is False
    assert E.ConfigError(None, "as_of must be a date").details()["reason"] == "config"


def test_an_ambiguous_column_is_told_apart_by_its_reason() -> None:
    """Two headers that could be the client: one 'ambiguous_column' problem, and no second
    'missing_column' problem for the same field (decided on the reason, not the text)."""
    headers = ["Date", "Customer", "Client", "Amount"]
    names = {"date": ("Date",), "client": ("Customer", "Client"), "amount": ("Amount",)}
    found, problems = match_columns(headers, {}, names=names, required=("date", "client", "amount"))
    assert [p.reason for p in problems] == ["ambiguous_column"]
    assert "client" not in found
    found, problems = match_columns(["Date", "Amount"], {}, names=names, required=("date", "client", "amount"))
    assert [p.reason for p in problems] == ["missing_column"]
    _, problems = match_columns(["Date", "Amount"], {"client": "Kunde"}, names=names, required=("client",))
    assert [(p.reason, p.column) for p in problems] == [("mapped_column_absent", "Kunde")]


@pytest.mark.parametrize("cls", BAD_INPUT + RUN_FAILED)
def test_every_error_class_is_documented_in_the_tree(cls: type) -> None:
    assert cls.__name__ in (E.__doc__ or "")
