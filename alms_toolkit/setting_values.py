"""Checks of single client.yml values, each returning the value as the toolkit keeps it or
refusing it with a message for a consultant: the value found and what is allowed.

A refusal is a pydantic ``PydanticCustomError`` of type ``alms`` (raised by :func:`fail`);
:mod:`alms_toolkit.config` turns them into one :class:`~alms_toolkit.errors.ConfigError`
naming each key path. Used as ``BeforeValidator`` s of the settings declared in
:mod:`alms_toolkit.config`.
"""

from __future__ import annotations

import calendar
import codecs
import datetime as dt
import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from pydantic import BeforeValidator, ValidationInfo
from pydantic_core import PydanticCustomError

from .errors import ImplausibleDataError
from .slugs import slugify

__all__ = [
    "LEDGER_FIELDS", "FILL_DOWN_FIELDS", "ACCOUNT_LIST_FIELDS", "PROSPECT_FIELDS", "DELIMITERS",
    "THOUSANDS", "EARLIEST_DATE", "LATEST_DATE", "fail", "show", "suggest", "key_path",
]

#: the ledger fields billing.columns can map
#: (``parent``: the parent account or bill-to id of each line, read only when mapped; see
#: client.yml ``hierarchy.rule: parent_column``; ``credit``: credits written in a column of their
#: own beside the amount's debits, each line's amount then the amount less its credit)
LEDGER_FIELDS = ("date", "client", "amount", "seller", "client_id", "parent", "credit")
#: the ledger fields billing.fill_down can name
FILL_DOWN_FIELDS = ("client", "seller", "client_id", "date")
#: the fields of the other tables' ``columns``
ACCOUNT_LIST_FIELDS = ("client", "seller", "billing", "category")
PROSPECT_FIELDS = ("seller", "prospect", "category", "spending_potential",
                   "decision_maker_access", "product_fit", "notes")
#: billing.delimiter: accepted spellings -> the character
DELIMITERS: Mapping[str, str] = {
    ",": ",", ";": ";", "\t": "\t", "|": "|", "\\t": "\t",
    "comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|",
}
#: billing.thousands: accepted spellings -> the character
THOUSANDS: Mapping[str, str] = {
    ",": ",", ".": ".", " ": " ", "'": "'", "\u2019": "\u2019", "\u00a0": "\u00a0",
    "\u202f": "\u202f", "comma": ",", "dot": ".", "point": ".", "period": ".", "space": " ",
    "apostrophe": "'",
}
#: the dates the toolkit handles (the window code works in datetime64[ns])
EARLIEST_DATE = dt.date(1970, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
#: strptime directives a date_format may use
_DIRECTIVES = frozenset("aAbBdfHIjmMpSyYzZ%")
#: the largest spreadsheet row number (Excel's limit)
_MAX_ROW = 1_048_576
_TEXT_LIMIT = 60


# ---------------------------------------------------------------------------- messages


def fail(message: str, *items: tuple[tuple[str, ...], str]) -> NoReturn:
    """Refuse a value: ``message`` for the key being checked, or ``items`` (sub-key path,
    message) for several keys below it."""
    raise PydanticCustomError("alms", "{message}", {"message": message, "items": items})


def show(value: Any) -> str:
    """A short, safe rendering of any YAML value for a message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() <= 64 else "a number too large to be a setting"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        text = value if len(value) <= _TEXT_LIMIT else value[:_TEXT_LIMIT] + "..."
        return repr(text)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return f"a group of {len(value)} setting(s)"
    if isinstance(value, (list, tuple, set, frozenset)):
        return f"a list of {len(value)} item(s)"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, Path):
        return repr(str(value))
    return f"a value of type {type(value).__name__}"


def suggest(word: str, choices: Sequence[str]) -> str:
    """' (did you mean X?)' for a close match, else ''."""
    match = difflib.get_close_matches(str(word).lower(), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {match[0]}?)" if match else ""


def key_path(loc: Sequence[Any]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool) and parts:
            parts[-1] += f"[{part + 1}]"  # items counted from 1, as a consultant counts them
        else:
            parts.append(str(part))
    return ".".join(parts)


# ---------------------------------------------------------------------------- value checks


def check_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        fail(f"must be text, not {show(value)} (YAML reads yes/no/true/false as a switch: "
             "put the text in quotes)")
    if isinstance(value, int) and value.bit_length() <= 64 or isinstance(value, float):
        return str(value)
    fail(f"must be text, not {show(value)}")


def check_name(value: Any) -> str:
    text = check_text(value).strip()
    if not text:
        fail("must not be empty")
    return text


def check_header(value: Any) -> str:
    text = check_text(value)
    if not text.strip():
        fail("names no column (it is empty)")
    return text


def check_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "false", "no", "off"):
        return value.strip().lower() in ("true", "yes", "on")
    fail(f"must be true or false, not {show(value)}")


#: a number written in quotes ("0.25", "12"): read as the number (the quotes change nothing)
_QUOTED_NUMBER = re.compile(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*")


def _unquoted(value: Any) -> Any:
    if isinstance(value, str) and _QUOTED_NUMBER.fullmatch(value):
        return float(value) if "." in value else int(value)
    return value


def check_real(value: Any) -> float:
    value = _unquoted(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = ""
        if isinstance(value, str) and value.strip().endswith("%"):
            hint = " (write a share as a decimal number: 25% is 0.25)"
        elif isinstance(value, str) and re.fullmatch(r"\s*\d+,\d+\s*", value):
            hint = f" (write the decimal mark as a point: {value.strip().replace(',', '.')})"
        fail(f"must be a number, not {show(value)}{hint}")
    if isinstance(value, int) and value.bit_length() > 64 or value != value or value in (float("inf"), float("-inf")):
        fail(f"must be a finite number, not {show(value)}")
    return float(value)


def number_between(lo: float, hi: float, what: str = "") -> Any:
    def check(value: Any) -> float:
        number = check_real(value)
        if not lo <= number <= hi:
            fail(f"must be between {lo:g} and {hi:g}{what}, not {show(value)}")
        return number

    return BeforeValidator(check)


def check_whole(value: Any, lo: int, hi: int, what: str) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        fail(f"must be {what}, not {show(value)}")
    if not lo <= value <= hi:
        fail(f"must be {what} between {lo:,} and {hi:,}, not {show(value)}")
    return value


def parse_date_argument(value: dt.date | str | None, what: str = "as_of") -> dt.date | None:
    """A date given to a command or a function (a date, or text ``YYYY-MM-DD``; None: not
    given); a :class:`~alms_toolkit.errors.ConfigError` naming ``what`` otherwise. The one
    parser of a given audit date."""
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    from .errors import ConfigError

    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ConfigError(None, f"{what} must be a date written YYYY-MM-DD, not {value!r}") from exc


def check_calendar_date(value: Any) -> dt.date:
    """A real date between EARLIEST_DATE and LATEST_DATE, written YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            fail(f"must be a date written YYYY-MM-DD (e.g. 2025-07-01), not {show(value)}")
        text = str(value).strip()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?(?:[ ]*(?:Z|[+-]\d{1,2}(?::?\d{2})?))?)?", text)
        if m is None:
            fail(f"must be a date written YYYY-MM-DD (e.g. 2025-07-01), not {show(value)}")
        year, month, day = (int(g) for g in m.groups())
        if not 1 <= month <= 12:
            fail(f"is not a date on the calendar: {text} has no month {month} (write YYYY-MM-DD)")
        if year < 1:
            fail(f"is not a date on the calendar: {text} has no year 0")
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            month_name = dt.date(year, month, 1).strftime("%B %Y")
            fail(f"is not a date on the calendar: {text} ({month_name} has {last} days)")
        value = dt.date(year, month, day)
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        fail(f"must be a date between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}, "
             f"not {value.isoformat()}")
    return value


@functools.lru_cache(maxsize=1)
def encoding_names() -> tuple[str, ...]:
    from encodings.aliases import aliases

    names = {n.replace("_", "-") for n in (*aliases, *aliases.values())}
    return tuple(sorted(names | {"utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"}))


def check_encoding(value: Any) -> str:
    text = check_name(value)
    try:
        info = codecs.lookup(text)
    except (LookupError, ValueError, TypeError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        hint = ""
        if text.isdigit():
            for guess in (f"cp{text}", f"iso-8859-{text}"):
                try:
                    codecs.lookup(guess)
                except LookupError:
                    continue
                hint = f" (did you mean {guess}?)"
                break
        hint = hint or suggest(text, encoding_names())
        what = "not a text encoding" if info is not None else "not a known text encoding"
        fail(f"is {what}: {show(value)}{hint}; use e.g. utf-8, utf-8-sig, utf-16, cp1252 or latin-1")
    return info.name


def check_date_format(value: Any) -> str:
    text = check_name(value)
    used: list[str] = []
    i = 0
    while i < len(text):
        if text[i] != "%":
            i += 1
            continue
        if i + 1 >= len(text):
            fail(f"ends with a lone '%': {show(text)} (every % starts a code such as %d, %m, %Y)")
        code = text[i + 1]
        if code in "-#":
            fail(f"uses {'%' + text[i + 1:i + 3]!r}, which cannot read dates: write "
                 f"{'%' + text[i + 2:i + 3]!r} (it reads 1 and 01 alike)")
        if code not in _DIRECTIVES:
            fail(f"uses {'%' + code!r}, which is not a date code: {show(text)} (use %d day, %m month "
                 "number, %b/%B month name, %Y 4-digit year, %y 2-digit year, %H:%M:%S time)")
        if code != "%" and code in used:
            fail(f"uses {'%' + code!r} twice: {show(text)}")
        used.append(code)
        i += 2
    missing = [w for w, codes in (("the year (%Y or %y)", "Yy"), ("the month (%m, %b or %B)", "mbB"))
               if not set(codes) & set(used)]
    if missing:
        fail(f"must contain {' and '.join(missing)}: {show(text)} (e.g. \"%d/%m/%Y\"; the day "
             "may be left out for monthly periods, e.g. \"%m/%Y\")")
    sample = dt.datetime(2024, 1, 31, 13, 45, 30, tzinfo=dt.timezone.utc if "z" in used else None)
    try:
        dt.datetime.strptime(sample.strftime(text), text)
    except (ValueError, TypeError) as exc:
        fail(f"cannot read the dates it writes: {show(text)} ({exc})")
    return text


def check_colour(value: Any) -> str:
    import webcolors

    text = check_name(value)
    if text.startswith("#"):
        try:
            return webcolors.normalize_hex(text)
        except ValueError:
            fail(f"must be a colour written #rrggbb (e.g. \"#1f4e79\") or a CSS colour name, "
                 f"not {show(value)}")
    try:
        return webcolors.name_to_hex(text.lower())
    except ValueError:
        pass
    if re.fullmatch(r"[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}", text):
        hint = f" (did you mean \"#{text.lower()}\"? in quotes: in YAML a # starts a comment)"
    else:
        hint = suggest(text.lower(), webcolors.names("css3"))
    fail(f"must be a colour written #rrggbb (e.g. \"#1f4e79\") or a CSS colour name (e.g. teal), "
         f"not {show(value)}{hint}")


def check_page_size(value: Any) -> str:
    text = check_name(value)
    if text.lower() not in ("a4", "letter"):
        fail(f"must be A4 or Letter, not {show(value)}")
    return "Letter" if text.lower() == "letter" else "A4"


def check_currency(value: Any) -> str:
    text = check_text(value)
    if not text.strip() or len(text) > 10 or any(c in text for c in "\r\n\t"):
        fail(f"must be a short currency symbol or code (e.g. $, €, CHF), not {show(value)}")
    return text


def check_decimal(value: Any) -> str:
    text = check_text(value)
    if text not in (".", ","):
        fail(f"must be \".\" (1,234.56) or \",\" (1.234,56), not {show(value)}")
    return text


def choice(mapping: Mapping[str, str], what: str) -> Any:
    def check(value: Any) -> str:
        text = check_text(value)
        key = text if text in mapping else text.strip().lower()
        if key not in mapping:
            fail(f"must be {what}, not {show(value)}")
        return mapping[key]

    return BeforeValidator(check)


def check_same_name_different_ids(value: Any) -> str:
    """``matching.same_name_different_ids``: keep_apart or merge."""
    text = value.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(value, str) else ""
    if text not in ("keep_apart", "merge"):
        fail(f"must be keep_apart (two spellings with one name and different client ids are "
             f"proposed for review) or merge (combined), not {show(value)}")
    return text


#: hierarchy.rule: accepted spellings -> the rule
HIERARCHY_RULES: Mapping[str, str] = {
    "parenthesised": "parenthesised", "parenthesized": "parenthesised", "brackets": "parenthesised",
    "sub_customers": "sub_customers", "sub_customer": "sub_customers",
    "parent_column": "parent_column", "bill_to": "parent_column",
    "none": "none", "off": "none",
}


def check_hierarchy_rule(value: Any) -> str:
    """``hierarchy.rule``: parenthesised (``Group (Town, ST)`` rolls up to ``Group``),
    sub_customers (QuickBooks' ``Customer:Job`` rolls up to ``Customer``), parent_column or none."""
    if value is False:  # YAML reads a bare "no"/"off" as a switch
        return "none"
    text = value.strip().lower().replace("-", "_").replace(" ", "_") if isinstance(value, str) else ""
    if text not in HIERARCHY_RULES:
        fail(f"must be parenthesised (a branch written 'Group (Town, ST)' is rolled up to its "
             f"group's parent account), sub_customers (a job written 'Customer:Job', as QuickBooks names "
             f"sub-customers, is rolled up to its customer), parent_column (each line rolled up to the parent account or "
             f"bill-to id of billing.columns.parent) or none (every branch is an account), "
             f"not {show(value)}")
    return HIERARCHY_RULES[text]


def check_parent_names(value: Any) -> dict[str, str]:
    """``hierarchy.parents``: a group's name -> the name its parent account is listed under."""
    if not isinstance(value, Mapping):
        fail(f"must map a group's name to its parent account's name (Group: Group Holdings), "
             f"not {show(value)}")
    out: dict[str, str] = {}
    bad: list[tuple[tuple[str, ...], str]] = []
    for key, name in value.items():
        if not isinstance(key, str) or not key.strip():
            bad.append(((), f"names a group by {show(key)}: write the group's name as text"))
        elif not isinstance(name, str) or not name.strip():
            bad.append(((key,), f"must be the parent account's name as text, not {show(name)}"))
        else:
            out[key.strip()] = name.strip()
    if bad:
        fail(bad[0][1], *bad)
    return out


def check_kept_branches(value: Any) -> tuple[str, ...]:
    """``hierarchy.keep_branches``: branch spellings (or group names) that stay accounts."""
    return check_texts(value, what="a branch's or a group's name")


def check_hidden_rows(value: Any) -> str:
    text = value.strip().lower() if isinstance(value, str) else ""
    if text not in ("include", "exclude"):
        fail(f"must be include or exclude (spreadsheet rows hidden by a filter or by hand), "
             f"not {show(value)}")
    return text


def check_sheet(value: Any) -> str | int:
    if isinstance(value, int) and not isinstance(value, bool):
        return check_whole(value, 1, 100_000, "a sheet number counted from 1")
    if isinstance(value, str):
        return check_name(value)
    fail(f"must be a sheet name or a sheet number counted from 1, not {show(value)}")


def check_amount_unit(value: Any) -> int:
    """1, 1000 or 1000000: what one unit of the amount column is worth in currency units."""
    value = check_whole(value, 1, 1_000_000, "what one amount stands for: 1, 1000 (thousands) or 1000000 (millions)")
    if value not in (1, 1000, 1_000_000):
        fail(f"must be 1, 1000 (amounts in thousands) or 1000000 (in millions), not {show(value)}")
    return value


def check_header_row(value: Any) -> int:
    return check_whole(value, 1, _MAX_ROW, "a spreadsheet row number (1, 2, ...)")


def check_review_months(value: Any) -> int:
    value = _unquoted(value)
    if isinstance(value, bool) or value not in (6, 12):
        fail(f"must be 6 or 12, not {show(value)}")
    return int(value)


def check_texts(value: Any, *, choices: Sequence[str] | None = None, what: str = "a text") -> tuple[str, ...]:
    """A list of texts (a single text is a list of one); each checked against ``choices``."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, (list, tuple)):
        fail(f"must be a list, each item {what}, not {show(value)}")
    out: list[str] = []
    bad: list[tuple[tuple[str, ...], str]] = []
    for n, item in enumerate(value, 1):
        if isinstance(item, bool) or not isinstance(item, (str, int, float)) or (
            isinstance(item, int) and item.bit_length() > 64
        ):
            bad.append(((), f"item {n} must be {what}, not {show(item)}"))
            continue
        text = str(item).strip()
        if not text:
            bad.append(((), f"item {n} is empty"))
        elif choices is not None and text not in choices:
            bad.append(((), f"item {n} is {show(text)}, not one of {', '.join(choices)}"
                        f"{suggest(text, choices)}"))
        elif text not in out:
            out.append(text)
    if bad:
        fail(bad[0][1], *bad)
    return tuple(out)


def check_fill_down(value: Any) -> tuple[str, ...]:
    return check_texts(value, choices=FILL_DOWN_FIELDS, what="a ledger field")


def check_not_totals(value: Any) -> tuple[str, ...]:
    return check_texts(value, what="a client name")


def check_accept(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):  # "one_client, most_excluded", as on the command line
        value = [c for c in value.split(",") if c.strip()]
    codes = check_texts(value, what="a check code")
    bad: list[tuple[tuple[str, ...], str]] = []
    for code in codes:
        if code in ImplausibleDataError.NEVER_ACCEPTED:
            bad.append(((), f"cannot hold {code}: {ImplausibleDataError.CODES[code]}, "
                        "there is nothing to report; that cannot be accepted"))
        elif code not in ImplausibleDataError.CODES:
            bad.append(((), f"holds {show(code)}, not a check that can be accepted (use "
                        f"{', '.join(ImplausibleDataError.ACCEPTABLE)})"
                        f"{suggest(code, ImplausibleDataError.ACCEPTABLE)}"))
    if bad:
        fail(bad[0][1], *bad)
    return codes


def check_mapping(value: Any, what: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        fail(f"must map {what}, written 'name: value' one per line, not {show(value)}")
    return value


def check_columns(value: Any, fields: Sequence[str] | None = None) -> dict[str, str]:
    value = check_mapping(value, "each field to its column header")
    out: dict[str, str] = {}
    bad: list[tuple[tuple[str, ...], str]] = []
    for k, v in value.items():
        key = k if isinstance(k, str) else show(k)
        if not isinstance(k, str) or (fields is not None and k not in fields):
            allowed = f" (use {', '.join(fields)})" if fields is not None else ""
            bad.append(((key,), f"is not a known field{suggest(key, fields or ())}{allowed}"))
            continue
        if v is None or not isinstance(v, (str, int, float)) or isinstance(v, bool) or not str(v).strip():
            bad.append(((key,), f"must name the column header in the file, not {show(v)}"))
            continue
        if isinstance(v, int) and v.bit_length() > 64:
            bad.append(((key,), f"must name the column header in the file, not {show(v)}"))
            continue
        out[k] = str(v)
    if bad:
        fail(bad[0][1], *bad)
    return out


def check_ledger_columns(value: Any) -> dict[str, str]:
    return check_columns(value, LEDGER_FIELDS)


def check_any_columns(value: Any) -> dict[str, str]:
    return check_columns(value)


def check_exclude(value: Any) -> dict[str, tuple[str, ...]]:
    return _values_by_column(value, "a column header to the values to leave out")


def check_credits(value: Any) -> dict[str, tuple[str, ...]]:
    return _values_by_column(value, "a column header to the values that mark credits (e.g. Type: [Credit Note])")


def check_billed(value: Any) -> dict[str, tuple[str, ...]]:
    return _values_by_column(value, "a column header to the values that are billing although they read as not "
                                    "billing (e.g. Status: [Awaiting Payment])")


def check_client_headings(value: Any) -> str:
    text = check_text(value)
    if not text.strip():
        fail("must be the header of the column whose heading rows name the clients (e.g. Invoice Date)")
    return text


def _values_by_column(value: Any, what: str) -> dict[str, tuple[str, ...]]:
    value = check_mapping(value, what)
    out: dict[str, tuple[str, ...]] = {}
    bad: list[tuple[tuple[str, ...], str]] = []
    for col, vals in value.items():
        key = col if isinstance(col, str) else show(col)
        if isinstance(col, bool) or not isinstance(col, (str, int, float)) or not str(col).strip():
            bad.append(((key,), "must be a column header of the ledger"))
            continue
        items = vals if isinstance(vals, (list, tuple)) else [vals]
        texts = []
        for n, item in enumerate(items, 1):
            if isinstance(item, bool):
                bad.append(((key,), f"value {n} reads as {show(item)}: YAML turns yes/no/true/false "
                            "into a switch, put it in quotes (e.g. \"No\")"))
            elif item is None or not isinstance(item, (str, int, float)) or (
                isinstance(item, int) and item.bit_length() > 64
            ):
                bad.append(((key,), f"value {n} must be a cell value (text or number), not {show(item)}"))
            else:
                texts.append(str(item))
        out[str(col)] = tuple(texts)
    if bad:
        fail(bad[0][1], *bad)
    return out


def check_count_range(value: Any) -> tuple[int, int]:
    """[min, max] (or {min:, max:}, or one number N meaning [0, N]), 0 <= min <= max <= 1000."""
    what = "[min, max] with 0 <= min <= max <= 1000 (e.g. [5, 10])"
    if isinstance(value, int) and not isinstance(value, bool):
        value = [0, value]
    elif isinstance(value, Mapping):
        if set(value) - {"min", "max"}:
            fail(f"must be {what}, or min: and max:, not {show(value)}")
        value = [value.get("min", 0), value.get("max", 1000)]
    if (
        isinstance(value, (list, tuple))
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and 0 <= value[0] <= value[1] <= 1000
    ):
        return (int(value[0]), int(value[1]))
    shown = f"[{', '.join(show(v) for v in value[:3])}]" if isinstance(value, (list, tuple)) else show(value)
    fail(f"must be {what}, not {shown}")


def check_input_path(value: Any, info: ValidationInfo) -> Path:
    """A file of the client folder: relative to it, and inside it after symlinks."""
    text = str(value) if isinstance(value, Path) else check_name(value)
    if "\x00" in text:
        fail("must be a file name (it holds a NUL character)")
    folder = (info.context or {}).get("folder")
    path = Path(text)
    if folder is None:  # built in Python: the caller's path, as given
        return path
    full = path if path.is_absolute() else Path(folder) / path
    try:
        real, base = full.resolve(), Path(folder).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        fail(f"cannot be used as a file name: {show(text)} ({exc})")
    if real != base and not real.is_relative_to(base):
        fail(f"is {show(text)}, outside the client folder {base}: put the file in the client "
             "folder and name it relative to it (e.g. billing.csv)")
    try:
        is_dir = real.is_dir()
    except OSError as exc:  # a name too long for the file system, ...
        fail(f"cannot be used as a file name: {show(text)} ({exc.strerror or exc})")
    if is_dir:
        fail(f"is {show(text)}, a folder: name a file in the client folder (e.g. billing.csv)")
    return full


def check_logo(value: Any, info: ValidationInfo) -> Path:
    path = check_input_path(value, info)
    if path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp"):
        fail(f"must be an image file (PNG, JPEG or SVG), not {show(str(value))}")
    return path


def check_slug(value: Any) -> str:
    """The folder name of the client's reports; "" (not set) stays "" for a config built in Python."""
    if value == "":
        return ""
    return slugify(check_name(value))


# ---------------------------------------------------------------------------- crm.owners

#: an address as CRMs take it: one @, no spaces, a dot in the domain
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
#: a Salesforce user record ID: 15 (case-sensitive) or 18 letters/digits, starting 005
_SF_USER_ID = re.compile(r"^005[0-9A-Za-z]{12}([0-9A-Za-z]{3})?$")
_SF_CHECK = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def check_optional_text(value: Any) -> str | None:
    text = check_text(value).strip()
    return text or None


def check_email(value: Any) -> str | None:
    """An email address (``kwame.okafor@client.com``); empty: not given."""
    text = check_optional_text(value)
    if text is not None and not _EMAIL.match(text):
        fail(f"must be an email address (name@company.com), not {show(text)}")
    return text


def check_crm_username(value: Any) -> str | None:
    """A CRM user name; Salesforce's is written like an email address (``kwame@client.com.prod``)."""
    text = check_optional_text(value)
    if text is not None and not _EMAIL.match(text):
        fail(f"must be the user name the CRM signs in with, written like an email address "
             f"(a Salesforce username: name@company.com), not {show(text)}")
    return text


def salesforce_checksum(first15: str) -> str:
    """The 3 characters Salesforce appends to a 15-character record ID: for each group of 5,
    which of its characters are capital letters."""
    return "".join(
        _SF_CHECK[sum(1 << i for i, c in enumerate(first15[g:g + 5]) if "A" <= c <= "Z")] for g in (0, 5, 10))


def check_salesforce_user_id(value: Any) -> str | None:
    """A Salesforce user ID: 15 letters and digits starting ``005`` (case matters), or the
    18-character form whose last 3 say which of the first 15 are capitals (case does not
    matter: it is kept as Salesforce writes it)."""
    text = check_optional_text(value)
    if text is None:
        return None
    if not _SF_USER_ID.match(text):
        fail(f"must be a Salesforce user ID: 15 or 18 letters and digits starting with 005 "
             f"(Setup > Users, the user's record, in the address bar), not {show(text)}")
    if len(text) == 15:
        return text
    chars = []
    for g in range(3):
        bits = _SF_CHECK.index(text[15 + g].upper())
        for i, c in enumerate(text[g * 5:g * 5 + 5]):
            if bits >> i & 1 and not c.isalpha():
                fail(f"is not a Salesforce user ID as written: its last 3 characters do not match the first 15 "
                     f"(a character mistyped?), not {show(text)}")
            chars.append(c.upper() if bits >> i & 1 else c.lower())
    return "".join(chars) + text[15:].upper()


def check_owner_names(value: Any) -> dict[str, Any]:
    """crm.owners: seller name (as the billing file or the lists write it) -> the entry; two
    names differing only in case or spacing are one seller written twice."""
    value = check_mapping(value, "each seller (as the billing file names them) to their CRM user")
    out: dict[str, Any] = {}
    seen: dict[str, str] = {}
    bad: list[tuple[tuple[str, ...], str]] = []
    for k, entry in value.items():
        if not isinstance(k, str) or not k.strip():
            bad.append(((show(k),), "must be a seller's name as the billing file writes it"))
            continue
        name = k.strip()
        folded = " ".join(name.split()).casefold()
        if folded in seen:
            bad.append(((k,), f"is the same seller as {seen[folded]!r} (names are matched ignoring case and "
                              "spacing): keep one entry"))
            continue
        seen[folded] = name
        out[name] = {} if entry is None else entry
    if bad:
        fail(bad[0][1], *bad)
    return out
