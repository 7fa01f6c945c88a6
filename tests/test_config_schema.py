"""client.yml fully checked: every bad value is a ConfigError (exit 2) naming the key path,
the value and what is allowed; every problem at once; no traceback for any YAML input."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import string
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alms_toolkit import config as cfg_module
from alms_toolkit.cli import main
from alms_toolkit.config import BillingSource, ClientConfig, load_config, parse_config
from alms_toolkit.errors import ConfigError, MissingFileError

BASE = "client: Acme Media\nbilling: billing.csv\n"


def _folder(tmp_path: Path, text: str | bytes, name: str = "acme") -> Path:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    (folder / "client.yml").write_bytes(data)
    return folder


def _refused(tmp_path: Path, text: str | bytes) -> str:
    """The ConfigError message of load_config, checked against `alms validate` (exit 2, no traceback)."""
    folder = _folder(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(folder)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert str(info.value) in result.output
    return str(info.value)


# ---------------------------------------------------------------------------- the crash cases

CRASHES = {
    "a date not on the calendar": (
        "client: A\nas_of: 2024-02-30\nbilling: billing.csv\n",
        ["'as_of'", "2024-02-30", "February 2024 has 29 days"]),
    "a date far in the future": (
        "client: A\nas_of: 9999-12-31\nbilling: billing.csv\n",
        ["'as_of'", "9999-12-31", "between 1970-01-01 and 2199-12-31"]),
    "a month 13 in the account list date": (
        "client: A\nbilling: billing.csv\naccount_list: {file: list.csv, date: 2024-13-01}\n",
        ["'account_list.date'", "no month 13"]),
    "a timestamp tag": (
        "client: A\nas_of: !!timestamp 2024-02-30\nbilling: billing.csv\n",
        ["'as_of'", "2024-02-30"]),
    "a date as a number": (
        "client: A\nas_of: 20240101\nbilling: billing.csv\n",
        ["'as_of'", "YYYY-MM-DD", "20240101"]),
    "a dangling %": (
        'client: A\nbilling: {file: billing.csv, date_format: "%d/%m/%"}\n',
        ["'billing.date_format'", "lone '%'", "'%d/%m/%'"]),
    "an unknown directive": (
        'client: A\nbilling: {file: billing.csv, date_format: "%d/%q/%Y"}\n',
        ["'billing.date_format'", "'%q'"]),
    "a date format without the month": (
        'client: A\nbilling: {file: billing.csv, date_format: "%d/%Y"}\n',
        ["'billing.date_format'", "the month"]),
    "a glibc-only flag": (
        'client: A\nbilling: {file: billing.csv, date_format: "%-d/%m/%Y"}\n',
        ["'billing.date_format'", "'%-d'", "'%d'"]),
    "an unknown encoding": (
        "client: A\nbilling: {file: billing.csv, encoding: utf-9}\n",
        ["'billing.encoding'", "'utf-9'", "did you mean"]),
    "a codec that is not a text encoding": (
        "client: A\nbilling: {file: billing.csv, encoding: base64}\n",
        ["'billing.encoding'", "not a text encoding"]),
    "a colour that is no colour": (
        "client: A\nbilling: billing.csv\nbranding: {accent_color: tael}\n",
        ["'branding.accent_color'", "'tael'", "did you mean teal?"]),
    "a hex colour eaten by a YAML comment": (
        "client: A\nbilling: billing.csv\nbranding:\n  accent_color: #1f4e79\n",
        ["'branding.accent_color'", 'accent_color: "#1f4e79"']),
    "a bad item of a list written one item a line": (
        "client: A\nbilling: billing.csv\naccept:\n  - short_window\n  - bogus_check\n",
        ["line 5: 'accept' holds 'bogus_check'"]),
    "a bad item of a nested list written one item a line": (
        "client: A\nbilling:\n  file: billing.csv\n  fill_down:\n    - client\n    - colour\n",
        ["line 6: 'billing.fill_down' item 2 is 'colour'"]),
    "a bad item of a list written on its key's line": (
        "client: A\nbilling: billing.csv\naccept: [short_window, bogus_check]\n",
        ["line 3: 'accept' holds 'bogus_check'"]),
    "a column mapped one level too high": (
        "client: A\nbilling:\n  file: billing.csv\n  columns:\n    client: Kunde\n  amount: Betrag\n",
        ["line 6: 'billing.amount' is not a setting under 'billing'",
         "'amount' is a setting under 'billing.columns' (indent it under 'columns:' inside 'billing:')"]),
    "a billing setting at the top level": (
        'client: A\ndecimal: ","\nbilling: billing.csv\n',
        ["line 2: 'decimal' is not a setting at the top level", "under 'billing' (indent it under 'billing:')"]),
    "the client's name indented under branding": (
        "client: A\nbilling: billing.csv\nbranding:\n  client: B\n",
        ["line 4: 'branding.client'", "at the top level (write it at the start of its line, not indented)"]),
    "a client name cut by a comment": (
        "client: Acme Media #2 Group\nbilling: billing.csv\n",
        ["line 1", "'#2 Group' as a comment", "'client' is 'Acme Media'", 'client: "Acme Media #2 Group"']),
    "a column name cut by a comment, inside its groups": (
        "client: A\nbilling:   # the export\n  file: billing.csv\n  columns:\n    client: Store #\n"
        "    amount: Net #1\n",
        ["line 6", "'billing.columns.amount' is 'Net'", 'amount: "Net #1"']),
    "a name cut by a comment, with a comment after it": (
        "client: Acme Media #2 Group   # the name on the cover\nbilling: billing.csv\n",
        ['client: "Acme Media #2 Group";']),
    "a list item cut by a comment": (
        "client: A\nbilling:\n  file: billing.csv\n  not_totals:\n    - Total #1 Wine\n",
        ["line 5", "'billing.not_totals' is 'Total'", '- "Total #1 Wine"']),
    "a name in curly quotes": (
        "client: \u201cHarborlight Media\u201d\nbilling: billing.csv\n",
        ["line 1: the value of 'client' is in curly quotes", "type straight quotes"]),
    "a hex colour without #": (
        "client: A\nbilling: billing.csv\nbranding: {accent_color: 1f4e79}\n",
        ["'branding.accent_color'", '"#1f4e79"']),
    "keys of mixed types": (
        "client: A\nbilling: billing.csv\n1: x\nnull: y\n2024-01-01: z\n",
        ["a key 1", "an empty key (null)", "'2024-01-01' is not a known setting"]),
    "a bool key": (
        "client: A\nbilling: billing.csv\ntrue: y\n",
        ["a key true"]),
    "a list as a key": (
        "client: A\nbilling: billing.csv\n? [a, b]\n: z\n",
        ["line 3", "a key is a list"]),
    "a ledger outside the client folder": (
        "client: A\nbilling: ../../../../etc/passwd\n",
        ["'billing.file'", "outside the client folder"]),
    "an absolute path outside": (
        "client: A\nbilling: {file: /etc/passwd}\n",
        ["'billing.file'", "outside the client folder"]),
    "a prospects file outside": (
        "client: A\nbilling: billing.csv\nprospects: ../prospects.csv\n",
        ["'prospects.file'", "outside the client folder"]),
    "a decisions file outside": (
        "client: A\nbilling: billing.csv\ndecisions: {file: ../../decisions.yml}\n",
        ["'decisions'", "outside the client folder"]),
    "a logo outside": (
        "client: A\nbilling: billing.csv\nbranding: {logo: /etc/logo.png}\n",
        ["'branding.logo'", "outside the client folder"]),
    "a logo that is no image": (
        "client: A\nbilling: billing.csv\nbranding: {logo: notes.txt}\n",
        ["'branding.logo'", "image"]),
    "the folder itself as the ledger": (
        "client: A\nbilling: .\n",
        ["'billing.file'", "a folder"]),
    "typos at every level": (
        "client: A\nbilling: {file: billing.csv, delimter: ';'}\nbrandng: {}\n"
        "limits: {targt: [1, 2]}\nmatching: {treshold: 90}\naccount_list: {file: l.csv, dat: 2024-01-01}\n",
        ["'billing.delimter' is not a known setting (did you mean delimiter?)",
         "'brandng' is not a known setting (did you mean branding?)",
         "'limits.targt' is not a known setting (did you mean target?)",
         "'matching.treshold' is not a known setting (did you mean threshold?)",
         "'account_list.dat' is not a known setting (did you mean date?)"]),
    "a column field typo": (
        "client: A\nbilling: {file: billing.csv, columns: {amout: Total}}\n",
        ["'billing.columns.amout'", "did you mean amount?"]),
    "an account list field typo": (
        "client: A\nbilling: billing.csv\naccount_list: {file: l.csv, columns: {sellr: Rep}}\n",
        ["'account_list.columns.sellr'", "did you mean seller?"]),
    "numbers out of range": (
        "client: A\nkey_share: 1.5\nbilling: {file: billing.csv, header_row: 0}\n"
        "matching: {threshold: 120}\nfit_weights: {product_fit: -1}\n",
        ["'key_share' must be between 0.01 and 0.99", "'billing.header_row'",
         "'matching.threshold' must be between 50 and 100", "'fit_weights.product_fit'"]),
    "a share in percent": (
        "client: A\nkey_share: 25%\nbilling: billing.csv\n",
        ["'key_share'", "25% is 0.25"]),
    "not a number": (
        "client: A\nkey_share: .nan\nbilling: billing.csv\n",
        ["'key_share'", "finite"]),
    "a header row that is a switch": (
        "client: A\nbilling: {file: billing.csv, header_row: yes}\n",
        ["'billing.header_row'", "true"]),
    "a page size": (
        "client: A\nbilling: billing.csv\nbranding: {page_size: A5}\n",
        ["'branding.page_size'", "A4 or Letter", "'A5'"]),
    "a sheet number 0": (
        "client: A\nbilling: {file: billing.xlsx, sheet: 0}\n",
        ["'billing.sheet'", "counted from 1"]),
    "a delimiter": (
        "client: A\nbilling: {file: billing.csv, delimiter: x}\n",
        ["'billing.delimiter'", "comma, semicolon, tab, pipe"]),
    "a fill-down field": (
        "client: A\nbilling: {file: billing.csv, fill_down: [amount]}\n",
        ["'billing.fill_down'", "client, seller, client_id, date"]),
    "hidden rows": (
        "client: A\nbilling: {file: billing.xlsx, hidden_rows: maybe}\n",
        ["'billing.hidden_rows'", "include or exclude"]),
    "twelve-month totals": (
        "client: A\nbilling: {file: billing.csv, twelve_month_totals: sometimes}\n",
        ["'billing.twelve_month_totals'", "true or false"]),
    "not_totals of groups": (
        "client: A\nbilling: {file: billing.csv, not_totals: [{a: 1}]}\n",
        ["'billing.not_totals'", "item 1"]),
    "the same decimal and thousands": (
        'client: A\nbilling: {file: billing.csv, decimal: ",", thousands: ","}\n',
        ["'billing.thousands'", "must differ"]),
    "a decimal mark": (
        'client: A\nbilling: {file: billing.csv, decimal: ";"}\n',
        ["'billing.decimal'", "';'"]),
    "an exclude value YAML turned into a switch": (
        "client: A\nbilling: {file: billing.csv, exclude: {Internal: [No]}}\n",
        ["'billing.exclude.Internal'", 'quotes (e.g. "No")']),
    "accepting what cannot be accepted": (
        "client: A\nbilling: billing.csv\naccept: [no_rows_used, one_clent]\n",
        ["'accept' cannot hold no_rows_used", "did you mean one_client?"]),
    "review months": (
        "client: A\nbilling: billing.csv\nreview_months: 7\n",
        ["'review_months' must be 6 or 12, not 7"]),
    "a duplicate key": (
        "client: A\nbilling: billing.csv\nclient: B\n",
        ["line 3", "'client' is written twice"]),
    "a tab for indentation": (
        "client: A\nbilling:\n\tfile: billing.csv\n",
        ["line 3 is indented with a tab", "spaces only"]),
    "no space after a colon, found by YAML two lines later": (
        'client: A\nbilling:\n  file:billing.csv\n  decimal: ","\nbranding:\n  firm: X\n',
        ["line 3 ('file:billing.csv') needs a space after the colon: write file: billing.csv"]),
    "a date format out of quotes": (
        "client: A\nbilling:\n  file: billing.csv\n  date_format: %d/%m/%Y\n",
        ["line 4 ('date_format: %d/%m/%Y')", "cannot start with '%' unless it is in quotes"]),
    "a quote never closed": (
        'client: "Acme\nbilling: billing.csv\n',
        ["a quote opened on line 1 ('client: \"Acme') is never closed"]),
    "a setting indented by one space less": (
        "client: A\nbilling: billing.csv\nbranding:\n  firm: X\n consultant: Y\n",
        ["line 5 ('consultant: Y') and line 4 ('firm: X') above it are not lined up"]),
    "a setting indented under one that has a value": (
        "client: A\n  billing: billing.csv\n",
        ["line 2 ('billing: billing.csv') and line 1 ('client: A') above it are not lined up"]),
    "a brace never closed": (
        "client: A\nbilling: {file: billing.csv\n",
        ["the { opened on line 2", "not closed with '}'"]),
    "a colon and space in a value": (
        "client: Acme: Media\nbilling: billing.csv\n",
        ["line 1 ('client: Acme: Media')", 'must be in quotes, e.g. client: "Acme: Media"']),
    "a tab at the end of a value": (
        "client: A\nbilling: billing.csv\nbranding:\n  firm: Northstar Sales\t\n  consultant: Jo\n",
        ["line 4 ('firm: Northstar Sales') holds a tab at the end of the line: replace it with a space"]),
    "a quote never closed, with comments and groups below": (
        'client: "Harborlight Media\n# the ledger\nbilling: billing.csv\nbranding:\n  firm: X\n',
        ["a quote opened on line 1 ('client: \"Harborlight Media') is never closed"]),
    "a non-breaking space after a colon": (
        "client:\u00a0Harborlight\nas_of: 2025-07-01\nbilling: billing.csv\n",
        ["line 1", "holds a non-breaking space", "after 'client:'"]),
    "two settings on one line": (
        "client: Harborlight Media Group  as_of: 2025-07-01\nbilling: billing.csv\n",
        ["line 1", "holds two settings ('client' and 'as_of'): put each on its own line"]),
    "a Windows path in double quotes": (
        'client: A\nbilling:\n  file: "C:\\Users\\me\\billing.csv"\n',
        ["line 3", "in double quotes a backslash"]),
    "an apostrophe in single quotes": (
        "client: 'O'Brien Media'\nbilling: billing.csv\n",
        ["line 1", "an apostrophe is written twice"]),
    "a vertical tab from Word": (
        "client: A\nbilling: billing.csv\nbranding:\n  firm: X\x0bY\n",
        ["line 4 holds a character that cannot be in a text file (code 0x0B"]),
    "a line out of line below a block value holding 'key:value'": (
        "client: A\nbilling: billing.csv\nbranding:\n  firm: >\n    Call:Monday\n  consultant: Y\n bad: 1\n",
        ["line 7 ('bad: 1') and line 6 ('consultant: Y') above it are not lined up"]),
    "a bad explicit tag": (
        "client: !!int abc\nbilling: billing.csv\n",
        ["not valid YAML"]),
    "a group where a value belongs": (
        "client: {name: A}\nbilling: billing.csv\nbranding: 5\n",
        ["'client' must be text", "'branding' must hold settings"]),
    "a list document": ("- client: A\n", ["settings written 'key: value'"]),
    "an empty file": ("", ["settings written 'key: value'"]),
    "a settings name that is internal": (
        BASE + "folder: /etc\n", ["'folder' is not a known setting"]),
    "the client missing": ("billing: billing.csv\n", ["'client'", "required"]),
    "the billing file missing": ("client: A\nbilling: {sheet: 2}\n", ["'billing.file'", "required"]),
    "nested too deeply": ("client: " + "[" * 3000 + "]" * 3000 + "\nbilling: billing.csv\n",
                          ["nested too deeply"]),
}


@pytest.mark.parametrize("case", sorted(CRASHES))
def test_each_bad_value_is_a_config_error_naming_the_key(tmp_path: Path, case: str) -> None:
    text, needles = CRASHES[case]
    message = _refused(tmp_path, text)
    for needle in needles:
        assert needle in message, (needle, message)


def test_not_utf8_is_a_message(tmp_path: Path) -> None:
    assert "not a UTF-8 text file" in _refused(tmp_path, b"client: caf\xe9\nbilling: b.csv\n")


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("Date,Customer,Amount\n")
    folder = _folder(tmp_path, BASE)
    (folder / "billing.csv").symlink_to(outside)
    assert "outside the client folder" in _refused(tmp_path, BASE)
    # a symlink that stays inside the folder is fine
    (folder / "billing.csv").unlink()
    (folder / "data").mkdir()
    (folder / "data" / "ledger.csv").write_text("x\n")
    (folder / "billing.csv").symlink_to(folder / "data" / "ledger.csv")
    assert load_config(folder).billing.file == folder.resolve() / "billing.csv"


def test_every_problem_at_once(tmp_path: Path) -> None:
    text = ("client: A\nas_of: 2024-02-30\nkey_share: 2\nbilling: {file: ../x.csv, encoding: nope, "
            "decimal: ';', colums: {}}\nbranding: {accent_color: notacolour}\nextra: 1\n")
    folder = _folder(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(folder)
    problems = info.value.problems
    assert len(problems) == 8, problems
    for key in ("'as_of'", "'key_share'", "'billing.file'", "'billing.encoding'", "'billing.decimal'",
                "'billing.colums'", "'branding.accent_color'", "'extra'"):
        assert sum(key in p for p in problems) >= 1, key
    assert info.value.exit_code == 2


# ---------------------------------------------------------------------------- what is accepted


def test_values_are_normalised(tmp_path: Path) -> None:
    folder = _folder(tmp_path, (
        "client: '  Acme  '\nas_of: 2024-02-29\nbilling:\n  file: billing.csv\n  encoding: 1252\n"
        "  delimiter: tab\n  date_format: '%m/%Y'\n  thousands: space\n  fill_down: client\n"
        "  not_totals: Total Wine & More\n  hidden_rows: Exclude\n  twelve_month_totals: false\n"
        "  sheet: 2\n  header_row: 3\nbranding: {accent_color: teal, page_size: letter}\n"
        "accept: one_client, \ndecisions:\n"))
    cfg = load_config(folder)
    b = cfg.billing
    assert cfg.client == "Acme" and cfg.as_of == dt.date(2024, 2, 29)
    assert (b.encoding, b.delimiter, b.date_format, b.thousands) == ("cp1252", "\t", "%m/%Y", " ")
    assert (b.fill_down, b.not_totals, b.hidden_rows, b.twelve_month_totals) == (
        ("client",), ("Total Wine & More",), "exclude", False)
    assert (b.sheet, b.header_row) == (2, 3)
    assert cfg.branding.accent_color == "#008080" and cfg.branding.page_size == "Letter"
    assert cfg.decisions_file == folder.resolve() / "decisions.yml" and cfg.accept == ("one_client",)


@pytest.mark.parametrize("spelling,char", [(",", ","), (";", ";"), ("\t", "\t"), ("|", "|"), ("comma", ","),
                                           ("semicolon", ";"), ("tab", "\t"), ("pipe", "|"), ("\\t", "\t")])
def test_delimiter_spellings(tmp_path: Path, spelling: str, char: str) -> None:
    data = {"client": "A", "billing": {"file": "b.csv", "delimiter": spelling}}
    assert parse_config(data, tmp_path).billing.delimiter == char


def test_defaults_of_the_new_settings(tmp_path: Path) -> None:
    cfg = load_config(_folder(tmp_path, BASE))
    b = cfg.billing
    assert (b.delimiter, b.not_totals, b.fill_down, b.twelve_month_totals, b.hidden_rows) == (None, (), (), False, None)
    assert cfg.accept == () and cfg.branding.accent_color == "#1f4e79"


def test_short_hex_and_empty_keys_take_defaults(tmp_path: Path) -> None:
    cfg = load_config(_folder(tmp_path, BASE + "as_of:\nkey_share:\nbranding:\n  accent_color: '#ABC'\n"))
    assert cfg.as_of is None and cfg.key_share == 0.25 and cfg.branding.accent_color == "#aabbcc"


def test_configs_built_in_python_are_checked_and_replace_works(tmp_path: Path) -> None:
    cfg = ClientConfig(client="Test", folder=tmp_path, billing=BillingSource(file=Path("b.csv")))
    assert cfg.decisions_file == Path("decisions.yml") and cfg.billing.decimal is None
    later = dataclasses.replace(cfg, as_of=dt.date(2024, 7, 1))
    assert later.as_of == dt.date(2024, 7, 1) and later.billing is cfg.billing
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.client = "Other"  # type: ignore[misc]
    with pytest.raises(ValueError, match="between 0.01 and 0.99"):
        dataclasses.replace(cfg, key_share=5)


def test_the_keys_the_scaffold_documents_are_the_schema() -> None:
    assert {"delimiter", "not_totals", "fill_down", "twelve_month_totals", "hidden_rows"} <= cfg_module._BILLING_KEYS
    assert "accept" in cfg_module._TOP_KEYS and "folder" not in cfg_module._TOP_KEYS


# ---------------------------------------------------------------------------- fuzz

_KNOWN = sorted(cfg_module._TOP_KEYS | cfg_module._BILLING_KEYS | {
    "consultant", "firm", "logo", "page_size", "currency", "accent_color", "target", "extra", "lead",
    "threshold", "auto_accept", "spending_potential", "decision_maker_access", "product_fit", "date",
    "min", "max", "amount", "client_id", "seller",
})
_scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["%d/%m/%", "%Y-%m-%d", "1252", "teal", "#12345", "../../etc/passwd", "/etc",
                     ".", "billing.csv", "2024-02-30", "9999-12-31", "tab", ";", "A4", "one_client",
                     "no_rows_used", "include", "0x1F", "1:30", "~", "", " ", "\x00", "é" * 70]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
)
_keys = st.one_of(
    st.sampled_from(_KNOWN), st.text(max_size=8), st.integers(-5, 5), st.booleans(), st.none(),
    st.floats(allow_nan=False), st.dates(),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=5)),
    max_leaves=20,
)
_documents = st.one_of(
    st.fixed_dictionaries(
        {}, optional={"client": _values, "billing": _values, "as_of": _values, "branding": _values}
    ).flatmap(lambda base: st.dictionaries(_keys, _values, max_size=4).map(lambda extra: {**extra, **base})),
    st.dictionaries(st.sampled_from(_KNOWN), _values, max_size=6),
    _values,
)
_ALLOWED_TEXT = string.printable + "éü€ "


def _check_no_traceback(folder: Path) -> None:
    with contextlib.suppress(ConfigError, MissingFileError):
        load_config(folder)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code in (0, 2), (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(document=_documents)
def test_fuzz_any_yaml_document_gives_a_message_never_a_traceback(tmp_path_factory, document) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    try:
        text = yaml.safe_dump(document, allow_unicode=True)
    except (yaml.YAMLError, ValueError):  # not representable in YAML: nothing to test
        return
    (folder / "client.yml").write_text(text, encoding="utf-8")
    _check_no_traceback(folder)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=_ALLOWED_TEXT + "[]{}:-?&*!|>'\"%@`#,", max_size=80))
def test_fuzz_any_text_gives_a_message_never_a_traceback(tmp_path_factory, text: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz-text")
    (folder / "client.yml").write_text(BASE + text if len(text) % 2 else text, encoding="utf-8")
    _check_no_traceback(folder)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_unreadable_client_yml_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    folder = _folder(tmp_path, BASE)

    def denied(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "client.yml cannot be read: permission is denied" in result.output


# ---------------------------------------------------------------------------- crm.owners

CRM = """\
crm:
  owners:
    Kwame Okafor:
      email: kwame.okafor@client.com
      username: kwame.okafor@client.com.prod
      user_id: 005d0000001AZ5JIAW
      full_name: Kwame Okafor
    Maria Chen: maria.chen@client.com
    Yuki Duarte:
      email:
      username:
"""


def test_the_crm_owner_map(tmp_path: Path) -> None:
    cfg = load_config(_folder(tmp_path, BASE + CRM))
    owners = cfg.crm.owners
    assert list(owners) == ["Kwame Okafor", "Maria Chen", "Yuki Duarte"]
    kwame = owners["Kwame Okafor"]
    # an 18-character id: its case restored from its last 3 characters, as Salesforce reads it
    assert kwame.user_id == "005D0000001AZ5JIAW" and kwame.username == "kwame.okafor@client.com.prod"
    assert owners["Maria Chen"].email == "maria.chen@client.com"  # just the email
    assert owners["Yuki Duarte"].email is None and owners["Yuki Duarte"].user_id is None  # not filled in yet
    assert load_config(_folder(tmp_path, BASE, name="bare")).crm.owners == {}

    from alms_toolkit.analysis.crm_records import crm_users

    users = crm_users(cfg.crm)
    assert users["Kwame Okafor"].full_name == "Kwame Okafor" and not users["Yuki Duarte"].has_any()


def test_the_crm_owner_map_refuses_every_bad_value(tmp_path: Path) -> None:
    text = BASE + """\
crm:
  owners:
    Kwame Okafor:
      emial: kwame@client.com
    Maria Chen:
      email: maria at client.com
      user_id: 006d0000001AZ5J
    Yuki Duarte:
      user_id: 005D0000001AZ5JI
    Ana:
      user_id: 00500000000001A5AA
    Ben:
      username: ben
"""
    with pytest.raises(ConfigError) as caught:
        load_config(_folder(tmp_path, text))
    message = str(caught.value)
    assert "'crm.owners.Kwame Okafor.emial' is not a known setting (did you mean email?)" in message
    assert "'crm.owners.Maria Chen.email' must be an email address" in message
    assert "'crm.owners.Maria Chen.user_id' must be a Salesforce user ID: 15 or 18 letters and digits " \
           "starting with 005" in message
    assert "'crm.owners.Yuki Duarte.user_id' must be a Salesforce user ID" in message  # 16 characters
    assert "'crm.owners.Ana.user_id' is not a Salesforce user ID as written" in message  # a capital digit
    assert "'crm.owners.Ben.username' must be the user name the CRM signs in with" in message
    assert caught.value.exit_code == 2
    with pytest.raises(ConfigError, match=r"'crm.owners.kwame  okafor' is the same seller as 'Kwame Okafor'"):
        load_config(_folder(tmp_path, BASE + "crm:\n  owners:\n    Kwame Okafor: {}\n    kwame  okafor: {}\n",
                            name="twice"))
    with pytest.raises(ConfigError, match=r"'crm.owner' is not a known setting \(did you mean owners\?\)"):
        load_config(_folder(tmp_path, BASE + "crm:\n  owner: {}\n", name="typo"))


def test_new_client_explains_the_owner_map_and_it_parses_uncommented(tmp_path: Path) -> None:
    from alms_toolkit.scaffold import client_yml

    text = client_yml("Acme", crm=True)
    block = text[text.index("# crm:"):]
    lines = [line.replace("# ", "", 1) for line in block.splitlines() if line.startswith("#")]
    (tmp_path / "billing.csv").write_text("x", encoding="utf-8")
    cfg = parse_config({"client": "Acme", "billing": "billing.csv", **yaml.safe_load("\n".join(lines))}, tmp_path)
    assert cfg.crm.owners["Okafor"].user_id == "005Dn000001AbCd"


def test_a_number_in_quotes_is_the_number(tmp_path: Path) -> None:
    """key_share: "0.25" and review_months: "12" were refused with 'must be a number, not
    '0.25'' (the quotes change nothing for the consultant); a decimal comma is told its point."""
    from alms_toolkit.errors import ConfigError

    cfg = parse_config({"client": "Acme", "billing": "billing.csv", "key_share": "0.25", "review_months": "12"},
                       tmp_path)
    assert cfg.key_share == 0.25 and cfg.review_months == 12
    with pytest.raises(ConfigError) as refused:
        parse_config({"client": "Acme", "billing": "billing.csv", "key_share": "0,25"}, tmp_path)
    assert "write the decimal mark as a point: 0.25" in str(refused.value)


def test_comments_written_with_a_space_and_quoted_hashes_cut_nothing(tmp_path: Path) -> None:
    """Hard negatives: a comment after a value or a group ('# text'), a '#' inside quotes or
    inside a word, and the file alms new-client writes for names holding '#'."""
    from alms_toolkit.scaffold import client_yml

    text = ('client: "Acme Media #2 Group"\nbilling:   # the ledger\n  file: billing.csv   ## the export\n'
            "  columns: {client: 'Store #4', amount: Net#}\n  not_totals: #names\n  - Total Wine & More\n"
            "branding:\n  firm: A&B#3\n  consultant: >\n    Jo #1 Avery\n")
    config = load_config(_folder(tmp_path, text))
    assert config.client == "Acme Media #2 Group"
    assert config.billing.columns == {"client": "Store #4", "amount": "Net#"}
    assert config.branding.firm == "A&B#3"
    assert config.billing.not_totals == ("Total Wine & More",)
    # a name starting with an apostrophe (Dutch elision) is no curly quote
    assert load_config(_folder(tmp_path, "client: \u2019t Hoekje\nbilling: billing.csv\n", name="dutch")).client \
        == "\u2019t Hoekje"
    assert config.branding.consultant.strip() == "Jo #1 Avery"
    written = client_yml("Acme Media #2 Group", consultant="Jo #1", firm="A&B #3")
    config = load_config(_folder(tmp_path, written, name="scaffolded"))
    assert (config.client, config.branding.consultant, config.branding.firm) == ("Acme Media #2 Group", "Jo #1", "A&B #3")


def test_a_setting_at_another_level_is_not_offered_a_look_alike(tmp_path: Path) -> None:
    """'amount' under billing: is billing.columns' amount, not 'amount_unit' (the did-you-mean
    a wrong indentation used to get)."""
    message = _refused(tmp_path, "client: A\nbilling:\n  file: billing.csv\n  amount: Betrag\n")
    assert "amount_unit" not in message and "did you mean" not in message
    assert "under 'billing.columns'" in message


def test_each_problem_names_its_line_in_the_file_s_order(tmp_path: Path) -> None:
    """Every setting problem starts with the line of client.yml that writes the setting (its
    group's line for a setting left out), the problems in the order of the file."""
    text = ("client: A\nkey_share: 2\nbilling:\n  encoding: nope\n  columns:\n    amount: 5\n"
            "branding: {accent_color: tael}\nmatching:\n  threshold: 200\n")
    with pytest.raises(ConfigError) as info:
        load_config(_folder(tmp_path, text))
    problems = info.value.problems
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 3", "line 4", "line 7", "line 9"], problems
    assert problems[1].startswith("line 3: 'billing.file'") and "required" in problems[1]
    assert problems[2].startswith("line 4: 'billing.encoding'")
    assert problems[4].startswith("line 9: 'matching.threshold'")
