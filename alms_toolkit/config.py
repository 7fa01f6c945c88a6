"""client.yml: one client's settings, declared once and checked into a frozen :class:`ClientConfig`.

The settings are frozen dataclasses validated by pydantic (v2): each field's type, range and
meaning is declared here, once, and the same declarations check a client.yml and a config
built in Python (``dataclasses.replace`` re-checks the new values). Reading a client.yml:

- YAML is read without implicit timestamps (``as_of: 2024-02-30`` stays text and is reported
  as a date that does not exist, never a crash), duplicate keys are refused with their line;
- every problem of the file is reported at once in one
  :class:`~alms_toolkit.errors.ConfigError` (exit 2): the key path (``billing.decimal``), the
  value found and what is allowed, with a did-you-mean for unknown keys at every level;
- a ``key:`` left empty (null) takes the default;
- input paths (``billing.file``, ``account_list.file``, ``prospects.file``, ``decisions``,
  ``branding.logo``) must stay inside the client folder, after symlinks.

Only ``client`` and ``billing.file`` are required. See ``alms new-client`` for a commented
example of every setting.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, ClassVar

import yaml
from pydantic import (
    AliasChoices,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass
from pydantic_core import ArgsKwargs

from . import setting_values as v
from .errors import ConfigError, FileAccessError, MissingFileError
from .setting_values import (
    ACCOUNT_LIST_FIELDS,
    DELIMITERS,
    EARLIEST_DATE,
    FILL_DOWN_FIELDS,
    LATEST_DATE,
    LEDGER_FIELDS,
    PROSPECT_FIELDS,
    THOUSANDS,
)
from .slugs import slugify
from .written_values import values_not_as_written
from .yaml_errors import reader_problem, yaml_problem

__all__ = [
    "ClientConfig",
    "BillingSource",
    "TableSource",
    "Branding",
    "Limits",
    "Matching",
    "FitWeights",
    "AccountHierarchy",
    "CrmSettings",
    "CrmOwner",
    "load_config",
    "parse_config",
    "read_yaml",
    "slugify",
    "CONFIG_FILE",
    "LEDGER_FIELDS",
    "FILL_DOWN_FIELDS",
    "DELIMITERS",
    "EARLIEST_DATE",
    "LATEST_DATE",
]

CONFIG_FILE = "client.yml"


# ---------------------------------------------------------------------------- the schema

_SETTINGS = ConfigDict(extra="forbid", populate_by_name=True, hide_input_in_errors=True)

Text = Annotated[str, BeforeValidator(v.check_text)]
NameText = Annotated[str, BeforeValidator(v.check_name)]
InputPath = Annotated[Path, BeforeValidator(v.check_input_path)]
CalendarDate = Annotated[dt.date, BeforeValidator(v.check_calendar_date)]
Sheet = Annotated[str | int, BeforeValidator(v.check_sheet)]
Range = Annotated[tuple[int, int], BeforeValidator(v.check_count_range)]


@dataclass(frozen=True, config=_SETTINGS)
class _Settings:
    """A group of settings: ``key:`` left empty (null) takes the default; a group with a
    ``_shorthand`` key may be written as a single text (``billing: ledger.csv``)."""

    _shorthand: ClassVar[str | None] = None

    @model_validator(mode="before")
    @classmethod
    def _prepare(cls, data: Any) -> Any:
        if isinstance(data, (ArgsKwargs, cls)):
            return data
        if cls._shorthand is not None and isinstance(data, (str, Path)):
            return {cls._shorthand: data}
        if isinstance(data, Mapping):
            return {k: v for k, v in data.items() if v is not None}
        return data


@dataclass(frozen=True, config=_SETTINGS)
class BillingSource(_Settings):
    """Where the ledger is and how to read it."""

    _shorthand: ClassVar[str | None] = "file"

    file: InputPath
    sheet: Sheet | None = None  # a sheet name, or its number counted from 1
    columns: Annotated[Mapping[str, str], BeforeValidator(v.check_ledger_columns)] = Field(default_factory=dict)
    encoding: Annotated[str, BeforeValidator(v.check_encoding)] | None = None
    #: the decimal mark of the amounts ("." or ","); None: read from the values themselves
    decimal: Annotated[str, BeforeValidator(v.check_decimal)] | None = None
    thousands: Annotated[str, v.choice(THOUSANDS, "a thousands separator: \",\" \".\" \"'\" or \" \"")] | None = None
    date_format: Annotated[str, BeforeValidator(v.check_date_format)] | None = None
    header_row: Annotated[int, BeforeValidator(v.check_header_row)] | None = None  # 1-based
    exclude: Annotated[Mapping[str, tuple[str, ...]], BeforeValidator(v.check_exclude)] = Field(default_factory=dict)
    #: the CSV field separator: , ; \t or | (None: detected)
    delimiter: Annotated[str, v.choice(DELIMITERS, "one of \",\" \";\" \"\\t\" \"|\" (or comma, semicolon, tab, pipe)")] | None = None
    #: client labels that look like totals but are real clients ("Total Wine & More")
    not_totals: Annotated[tuple[str, ...], BeforeValidator(v.check_not_totals)] = ()
    #: ledger fields left blank below the first row of a group, taking the value above
    fill_down: Annotated[tuple[str, ...], BeforeValidator(v.check_fill_down)] = ()
    #: the file holds one row per client with its 12-month total (no dates)
    twelve_month_totals: Annotated[bool, BeforeValidator(v.check_boolean)] = False
    #: xlsx rows hidden by a filter or by hand: "include", "exclude" (None: decided by the reader)
    hidden_rows: Annotated[str, BeforeValidator(v.check_hidden_rows)] | None = None
    #: rows marked as credits (column -> values, e.g. Type: [Credit Note]) whose amounts the
    #: file writes as positive: they are subtracted
    credits: Annotated[Mapping[str, tuple[str, ...]], BeforeValidator(v.check_credits)] = Field(default_factory=dict)
    #: values a status column writes that read as not billing but are billing in this file
    #: (column -> values, e.g. Status: [Awaiting Payment]: invoices billed, not yet paid)
    billed: Annotated[Mapping[str, tuple[str, ...]], BeforeValidator(v.check_billed)] = Field(default_factory=dict)
    #: the column whose heading rows (a name on a line of its own) name the client of the lines
    #: below, where the file has no client column (Xero's Receivable Invoice Detail: the date column)
    client_headings: Annotated[str, BeforeValidator(v.check_client_headings)] | None = None
    #: the file writes sales as negative amounts (a general-ledger export): every sign is turned
    flip_sign: Annotated[bool, BeforeValidator(v.check_boolean)] = False
    #: the amounts are written in thousands (1000) or millions (1000000) of the currency
    amount_unit: Annotated[int, BeforeValidator(v.check_amount_unit)] = 1

    @field_validator("thousands")
    @classmethod
    def _thousands_not_decimal(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("decimal"):
            v.fail(f"is {value!r}, the same character as billing.decimal: the thousands separator "
                   "and the decimal mark must differ")
        return value


@dataclass(frozen=True, config=_SETTINGS)
class TableSource(_Settings):
    """An optional client table (account list, prospects)."""

    _shorthand: ClassVar[str | None] = "file"

    file: InputPath
    sheet: Sheet | None = None
    columns: Annotated[Mapping[str, str], BeforeValidator(v.check_any_columns)] = Field(default_factory=dict)
    date: CalendarDate | None = None  # account list: the date the list was last published



@dataclass(frozen=True, config=_SETTINGS)
class Branding(_Settings):
    consultant: Text | None = None
    firm: Text | None = None
    logo: Annotated[Path, BeforeValidator(v.check_logo)] | None = None  # the client's, on the cover
    consultant_logo: Annotated[Path, BeforeValidator(v.check_logo)] | None = None  # the consultant's firm's
    page_size: Annotated[str, BeforeValidator(v.check_page_size)] = "A4"  # "A4" or "Letter"
    currency: Annotated[str, BeforeValidator(v.check_currency)] = "$"
    accent_color: Annotated[str, BeforeValidator(v.check_colour)] = "#1f4e79"  # normalised to #rrggbb



@dataclass(frozen=True, config=_SETTINGS)
class Limits(_Settings):
    """Per-seller prospect counts (inclusive ranges) from the Challenge."""

    target: Range = (5, 10)
    extra: Range = (5, 10)
    lead: Range = (0, 10)



@dataclass(frozen=True, config=_SETTINGS)
class Matching(_Settings):
    """Fuzzy duplicate matching: candidates >= threshold are proposed; >= auto_accept merged."""

    threshold: Annotated[float, v.number_between(50, 100)] = 88.0
    auto_accept: Annotated[float, v.number_between(50, 100)] | None = None
    #: spellings with the same canonical name but different client ids: ``keep_apart``
    #: (default: proposed as a candidate for the consultant) or ``merge`` (combined, logged)
    same_name_different_ids: Annotated[str, BeforeValidator(v.check_same_name_different_ids)] = "keep_apart"


@dataclass(frozen=True, config=_SETTINGS)
class AccountHierarchy(_Settings):
    """Branches rolled up to a parent account (``hierarchy:``; may be written as just the rule).

    ``rule``: ``parenthesised`` (``Group (Town, ST)`` is a branch of ``Group``: rolled up to
    the group's head office, ``Group (Head Office)``, when the ledger has one),
    ``sub_customers`` (QuickBooks' ``Customer:Job`` is a job of ``Customer``: rolled up to the
    customer), ``parent_column`` or ``none``
    (every branch its own account); not set (None), a ledger showing the pattern gets a
    proposal in the report and nothing is rolled up. ``parents``: a group's name (or any
    of its spellings) -> the parent account's name, the consultant's choice (default: the
    head office, else the group's name alone). ``keep_branches``: branches (or whole groups,
    by the group's name) that stay accounts of their own."""

    _shorthand: ClassVar[str | None] = "rule"

    rule: Annotated[str, BeforeValidator(v.check_hierarchy_rule)] | None = None
    parents: Annotated[Mapping[str, str], BeforeValidator(v.check_parent_names)] = Field(default_factory=dict)
    keep_branches: Annotated[tuple[str, ...], BeforeValidator(v.check_kept_branches)] = ()


@dataclass(frozen=True, config=_SETTINGS)
class FitWeights(_Settings):
    spending_potential: Annotated[float, v.number_between(0, 100)] = 1.0
    decision_maker_access: Annotated[float, v.number_between(0, 100)] = 1.0
    product_fit: Annotated[float, v.number_between(0, 100)] = 1.0


    @model_validator(mode="after")
    def _some_weight(self) -> FitWeights:
        if self.spending_potential + self.decision_maker_access + self.product_fit <= 0:
            v.fail("are all 0: at least one of the three filters must count in the fit score")
        return self


@dataclass(frozen=True, config=_SETTINGS)
class CrmOwner(_Settings):
    """One seller's user in the client's CRM (``crm.owners.<seller>``): what the import files
    name the owner by. An entry may be written as just the email address; values left empty
    are not known yet (``alms crm-owners`` writes empty entries to fill in)."""

    _shorthand: ClassVar[str | None] = "email"

    #: the user's email (HubSpot's owner, Pipedrive's and Dynamics 365's)
    email: Annotated[str | None, BeforeValidator(v.check_email)] = None
    #: the user name the CRM signs in with (Salesforce: Owner.Username, written like an email)
    username: Annotated[str | None, BeforeValidator(v.check_crm_username)] = None
    #: the Salesforce user ID (15 or 18 characters, starting 005): OwnerId
    user_id: Annotated[str | None, BeforeValidator(v.check_salesforce_user_id)] = None
    #: the user's full name as the CRM shows it (Dynamics 365's owner by name)
    full_name: Annotated[str | None, BeforeValidator(v.check_optional_text)] = None


@dataclass(frozen=True, config=_SETTINGS)
class CrmSettings(_Settings):
    """The CRM import files: who each seller is in the client's CRM."""

    #: seller name, as the billing file and the lists write it -> their CRM user
    owners: Annotated[Mapping[str, CrmOwner], BeforeValidator(v.check_owner_names)] = Field(default_factory=dict)


def _decisions(value: Any, info: ValidationInfo) -> Path:
    if isinstance(value, Mapping):
        if set(value) - {"file"} or value.get("file") is None:
            v.fail(f"must name the decisions file (decisions: decisions.yml, or file: under it), "
                   f"not {v.show(value)}")
        value = value["file"]
    return v.check_input_path(value, info)


@dataclass(frozen=True, config=_SETTINGS)
class ClientConfig(_Settings):
    client: NameText
    folder: Path
    billing: BillingSource
    slug: Annotated[str, BeforeValidator(v.check_slug)] = ""
    as_of: CalendarDate | None = None
    key_share: Annotated[float, v.number_between(0.01, 0.99, " (e.g. 0.25 for the top 25%)")] = 0.25
    review_months: Annotated[int, BeforeValidator(v.check_review_months)] = 12
    branding: Branding = Field(default_factory=Branding)
    limits: Limits = Field(default_factory=Limits)
    matching: Matching = Field(default_factory=Matching)
    #: branches rolled up to a parent account (issue 15: account hierarchy)
    hierarchy: AccountHierarchy = Field(default_factory=AccountHierarchy)
    fit_weights: FitWeights = Field(default_factory=FitWeights)
    account_list: TableSource | None = None
    prospects: TableSource | None = None
    decisions_file: Annotated[Path, BeforeValidator(_decisions)] = Field(
        default=Path("decisions.yml"), validation_alias=AliasChoices("decisions_file", "decisions")
    )
    path: Path = Path(CONFIG_FILE)
    #: sanity-check codes the consultant accepts knowingly (see ImplausibleDataError)
    accept: Annotated[tuple[str, ...], BeforeValidator(v.check_accept)] = ()
    #: the CRM import files' settings: crm.owners maps each seller to their CRM user
    crm: CrmSettings = Field(default_factory=CrmSettings)


    @field_validator("account_list", "prospects")
    @classmethod
    def _table_fields(cls, value: TableSource | None, info: ValidationInfo) -> TableSource | None:
        if value is None:
            return value
        fields = ACCOUNT_LIST_FIELDS if info.field_name == "account_list" else PROSPECT_FIELDS
        bad = [
            (("columns", k), f"is not a known field{v.suggest(k, fields)} (use {', '.join(fields)})")
            for k in value.columns if k not in fields
        ]
        if bad:
            v.fail(bad[0][1], *bad)
        return value


#: the settings a client.yml may hold, per group (tests and the scaffold read them)
_INTERNAL = frozenset({"folder", "path", "decisions_file"})
_GROUPS: Mapping[str, type] = {
    "": ClientConfig, "billing": BillingSource, "account_list": TableSource,
    "prospects": TableSource, "branding": Branding, "limits": Limits, "matching": Matching,
    "hierarchy": AccountHierarchy, "fit_weights": FitWeights, "crm": CrmSettings,
}


def _yaml_keys(cls: type) -> tuple[str, ...]:
    names = [f.name for f in dataclasses.fields(cls) if f.name not in _INTERNAL]
    return tuple(names + (["decisions"] if cls is ClientConfig else []))


_TOP_KEYS = frozenset(_yaml_keys(ClientConfig))
_BILLING_KEYS = frozenset(_yaml_keys(BillingSource))


# ---------------------------------------------------------------------------- parsing


@functools.lru_cache(maxsize=1)
def _adapter() -> TypeAdapter[ClientConfig]:
    return TypeAdapter(ClientConfig)


def _group_of(loc: Sequence[Any]) -> tuple[str, type | None]:
    """The settings group a location points into: ('billing', 'x') -> ('billing', BillingSource)."""
    if not loc:
        return "", ClientConfig
    if len(loc) == 3 and tuple(loc[:2]) == ("crm", "owners"):  # one seller's entry
        return "crm.owners", CrmOwner
    name = str(loc[0])
    return name, _GROUPS.get(name) if len(loc) == 1 or isinstance(loc[0], str) else None


def _unknown_key(loc: tuple[Any, ...], key: Any) -> str:
    parent = loc[:-1]
    group, cls = _group_of(parent) if parent else ("", ClientConfig)
    known = _yaml_keys(cls) if cls is not None else ()
    where = f"under '{v.key_path(parent)}'" if parent else "at the top level"
    listed = f" (known {where}: {', '.join(sorted(known))})" if known else ""
    if not isinstance(key, str):
        shown = "an empty key (null)" if key is None else f"a key {v.show(key)}"
        return (f"{shown} {where} is not a setting: settings are named with words"
                f"{listed}")
    elsewhere = _where_else(str(key), v.key_path(parent))
    if elsewhere:  # written at another indentation: where it belongs, not a look-alike here
        return f"'{v.key_path(loc)}' is not a setting {where}: '{key}' is a setting {elsewhere}"
    return f"'{v.key_path(loc)}' is not a known setting{v.suggest(key, known)}{listed}"


def _where_else(key: str, group: str) -> str:
    """Where a setting written in ``group`` ("" the top level) belongs when it is a setting
    of another group, and how to write it there ("" when it is no other group's setting):
    a group inside this one first, then the top level."""
    found = [g for g, names in _all_groups().items() if key in names and g != group]
    inside = [g for g in found if group and g.startswith(group + ".")]
    chosen = inside or ([""] if "" in found else found)

    def there(g: str) -> str:
        if not g:
            return "at the top level (write it at the start of its line, not indented)"
        head, _, last = g.rpartition(".")
        return f"under '{g}' (indent it under '{last}:'" + (f" inside '{head}:')" if head else ")")

    return " or ".join(there(g) for g in chosen)


@functools.lru_cache(maxsize=1)
def _all_groups() -> dict[str, frozenset[str]]:
    """Every group of settings -> the settings it holds ("" the top level; the column maps)."""
    groups = {name: frozenset(_yaml_keys(cls)) for name, cls in _GROUPS.items()}
    groups |= {"billing.columns": frozenset(LEDGER_FIELDS), "account_list.columns": frozenset(ACCOUNT_LIST_FIELDS),
               "prospects.columns": frozenset(PROSPECT_FIELDS)}
    return groups


_REQUIRED = {
    "client": "'client' (the client's display name) is required",
    "billing": "'billing.file' (the ledger file in this folder) is required",
    "billing.file": "'billing.file' (the ledger file in this folder) is required",
}


def _problems(exc: ValidationError) -> list[str]:
    out: list[str] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        ctx = err.get("ctx") or {}
        if kind == "alms":
            for sub, message in ctx.get("items") or (((), ctx.get("message", "")),):
                out.append(f"'{v.key_path(loc + tuple(sub))}' {message}")
        elif kind in ("unexpected_keyword_argument", "extra_forbidden"):
            out.append(_unknown_key(loc, loc[-1] if loc else None))
        elif kind == "invalid_key":
            out.append(_unknown_key(loc, err.get("input")))
        elif kind == "missing":
            key = v.key_path(loc)
            out.append(_REQUIRED.get(key, f"'{key}' is required"))
        elif kind in ("dataclass_type", "dataclass_args_type", "dict_type", "model_type"):
            group, cls = _group_of(loc)
            known = f" ({', '.join(_yaml_keys(cls))})" if cls is not None else ""
            where = f"'{v.key_path(loc)}'" if loc else "the file"
            out.append(f"{where} must hold settings written 'key: value', one per line{known}")
        else:  # a check of pydantic's own (rare): its words, with the key
            out.append(f"'{v.key_path(loc)}': {err.get('msg', 'is not valid')}")
    return list(dict.fromkeys(out))


def _parse(data: Any, folder: Path, path: Path, problems: list[str]) -> ClientConfig:
    if not isinstance(data, Mapping):
        raise ConfigError(path, "the file must hold settings written 'key: value', one per line "
                                "(start from the example written by: alms new-client NAME)")
    payload: dict[Any, Any] = {}
    for key, value in data.items():
        if key in _INTERNAL:
            problems.append(_unknown_key((key,), key))
        else:
            payload[key] = value
    if payload.get("decisions") is None and payload.get("decisions_file") is None:
        payload["decisions"] = "decisions.yml"  # in the client folder
    slug = payload.get("slug")
    if slug is None or (isinstance(slug, str) and not slug.strip()):
        payload["slug"] = folder.name or (data.get("client") if isinstance(data.get("client"), str) else "")
        if not str(payload["slug"]).strip():
            payload["slug"] = "client"
    payload["folder"] = Path(folder)
    payload["path"] = Path(path)
    try:
        cfg = _adapter().validate_python(payload, context={"folder": Path(folder)})
    except ValidationError as exc:
        problems.extend(_problems(exc))
        raise ConfigError(path, problems) from None
    except RecursionError:
        problems.append("the settings are nested too deeply to be a client.yml")
        raise ConfigError(path, problems) from None
    if problems:
        raise ConfigError(path, problems)
    return cfg


def parse_config(data: Any, folder: Path, path: Path | None = None) -> ClientConfig:
    """Check a parsed client.yml mapping and build the config; every problem at once
    (:class:`~alms_toolkit.errors.ConfigError`)."""
    return _parse(data, Path(folder), Path(path) if path is not None else Path(folder) / CONFIG_FILE, [])


# ---------------------------------------------------------------------------- reading


@functools.lru_cache(maxsize=1)
def _loader() -> type:
    """PyYAML's safe loader without implicit timestamps (a date stays text and the schema
    checks it) and refusing duplicate keys."""

    class Loader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                seen: dict[tuple[str, str], Any] = {}
                for key_node, _ in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                        ident = (key_node.tag, key_node.value)
                        if ident in seen:
                            raise yaml.constructor.ConstructorError(
                                "while reading a group of settings", node.start_mark,
                                f"the key {key_node.value!r} is written twice (first near line "
                                f"{seen[ident].line + 1})", key_node.start_mark)
                        seen[ident] = key_node.start_mark
            return super().construct_mapping(node, deep=deep)

    timestamp = "tag:yaml.org,2002:timestamp"
    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != timestamp]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_constructor(timestamp, lambda loader, node: loader.construct_scalar(node))
    return Loader


def read_yaml(text: str, path: Path | str) -> Any:
    """Parse client.yml text (dates stay text); any YAML problem is a ConfigError naming the line."""
    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" near line {mark.line + 1}" if mark is not None else ""
        problem = str(exc.problem or exc.context)
        if "unhashable" in problem:
            raise ConfigError(path, f"is not valid YAML{where}: a key is a list or a group of settings (a "
                                    "setting's name must be a word)") from None
        if "written twice" in problem:
            raise ConfigError(path, f"is not valid YAML{where}: {problem}") from None
        raise ConfigError(path, yaml_problem(exc, text, frozenset().union(*_all_groups().values()))) from None
    except yaml.reader.ReaderError as exc:
        raise ConfigError(path, reader_problem(exc, text)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, f"is not valid YAML: {exc}") from None
    except RecursionError:
        raise ConfigError(path, "is not a client.yml: its settings are nested too deeply") from None
    except (ValueError, TypeError, KeyError, OverflowError) as exc:  # a bad explicit tag (!!int x)
        raise ConfigError(path, f"is not valid YAML: a value cannot be read ({exc})") from None


def load_config(client_dir: Path | str) -> ClientConfig:
    """Read ``<client_dir>/client.yml``. Missing optional tables are looked up by name
    (``account_list.*``, ``prospects.*``) when client.yml does not name them."""
    folder = Path(client_dir)
    path = folder / CONFIG_FILE
    try:
        if not folder.is_dir():
            raise MissingFileError(folder, "this client folder does not exist")
        if not path.is_file():
            # saved under another name: Windows hides the '.txt' an editor adds, or '.yaml' was chosen
            near = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != CONFIG_FILE
                          and p.name.lower().startswith(("client.yml", "client.yaml")))
            if near:
                raise MissingFileError(
                    path, f"the client folder has no client.yml, but it has {near[0]!r}",
                    hint=f"Rename {near[0]!r} to client.yml (Windows may hide the end of the name: in File "
                         "Explorer, View > File name extensions shows it).")
            raise MissingFileError(
                path,
                "the client folder has no client.yml",
                hint="Create one with: alms new-client NAME (it writes a commented example).",
            )
        raw = path.read_bytes()
    except OSError as exc:
        error = FileAccessError.from_os_error(exc, path, reading=True)
        if error is exc:
            raise ConfigError(path, f"cannot be read: {exc.strerror or exc}") from None
        raise error from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(path, "is not a UTF-8 text file (save it as UTF-8 in your editor)") from None
    data = read_yaml(text, path)
    problems: list[str] = values_not_as_written(text)
    if isinstance(data, Mapping):
        data = dict(data)
        for key in ("account_list", "prospects"):
            if key not in data:
                found = sorted(
                    p for p in folder.glob(f"{key}.*") if p.suffix.lower() in (".csv", ".txt", ".xlsx")
                )
                if found:
                    data[key] = {"file": found[0].name}
    try:
        return _parse(data, folder.resolve(), path, problems)
    except ConfigError as exc:
        raise ConfigError(path, _with_lines(exc.problems, text)) from None


def _with_lines(problems: Sequence[str], text: str) -> list[str]:
    """Each problem that names a setting ('billing.decimal' ...) with the line of client.yml
    that writes it (or writes its group, for a setting left out) in front."""
    lines = _key_lines(text)
    out: list[tuple[float, str]] = []
    for problem in problems:
        m = re.match(r"'([^']+)'", problem)
        key = m.group(1) if m else None
        while key and key not in lines:
            key = key.rpartition(".")[0]
        if key:
            line = _item_line(key, problem[m.end():] if m else problem, lines) or lines[key]
            out.append((line, f"line {line}: {problem}"))
        else:
            m = re.match(r"line (\d+):", problem)
            out.append((int(m.group(1)) if m else float("inf"), problem))
    return [problem for _, problem in sorted(out, key=lambda item: item[0])]  # in the file's order


def _item_line(key: str, said: str, lines: Mapping[str, int]) -> int | None:
    """The line of the one item of the list ``key`` whose value the problem quotes (``'accept'
    holds 'bogus'``: the line of ``- bogus``, not of ``accept:``), None when the problem quotes
    none of its items, or several."""
    quoted = set(re.findall(r"'([^']*)'", said))
    prefix = f"{key}["
    hits = {line for item, line in lines.items()
            if item.startswith(prefix) and "]=" in item and item.split("]=", 1)[1] in quoted}
    return hits.pop() if len(hits) == 1 else None


def _key_lines(text: str) -> dict[str, int]:
    """Each setting's path as problems name it (``billing.columns.client``, ``crm.owners[2]``)
    -> the line of client.yml where its key is written (1-based); and each plain item of a
    list by its value (``accept[2]=bogus``)."""
    found: dict[str, int] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    here = f"{path}.{key_node.value}" if path else str(key_node.value)
                    found.setdefault(here, key_node.start_mark.line + 1)
                    walk(value_node, here)
        elif isinstance(node, yaml.SequenceNode) and path:
            for i, item in enumerate(node.value):
                found.setdefault(f"{path}[{i + 1}]", item.start_mark.line + 1)
                if isinstance(item, yaml.ScalarNode):
                    found.setdefault(f"{path}[{i + 1}]={item.value}", item.start_mark.line + 1)
                walk(item, f"{path}[{i + 1}]")

    with contextlib.suppress(yaml.YAMLError, RecursionError):
        walk(yaml.compose(text, Loader=_loader()), "")  # noqa: S506 - a SafeLoader subclass
    return found
