"""The YAML reader's errors on client.yml in a consultant's words: which line, what is wrong
with it and how to write it. PyYAML names its tokens ('<block mapping start>') and often the
line where it gave up, lines after the one to fix: a key written without a space after its
colon, a quote never closed, a non-breaking space pasted from a web page, a setting out of
line with the one above it. Those are looked for first, from the top of the file down to the
line PyYAML names."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

__all__ = ["yaml_problem", "reader_problem"]

#: ``key:value`` without the space YAML needs after the colon (not a URL, a time or a drive)
_NO_SPACE = re.compile(r"^(?P<indent>[ ]*)(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/\\].*)$")
#: ``key: "text`` or ``key: 'text`` whose quote is not closed on its line
_OPEN_QUOTE = re.compile(r"""^\s*(?:-\s+)?[\w-]+\s*:\s+(?P<q>["'])(?:(?!(?P=q)).)*$""")
#: a key line: indentation, key
_KEY = re.compile(r"^(?P<indent>[ ]*)(?:- +)?(?P<key>[\w-]+)\s*:")
_NBSP = "\u00a0"


def reader_problem(exc: Any, text: str) -> str:
    """The message for a PyYAML ``ReaderError`` (a character no YAML file may hold)."""
    position = getattr(exc, "position", None)
    character = getattr(exc, "character", None)
    line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
    code = f"0x{ord(character):02X}" if isinstance(character, str) else (
        f"0x{character:02X}" if isinstance(character, int) else "?")
    what = " (a line break a word processor writes)" if code in ("0x0B", "0x0C") else ""
    where = f"line {line}" if line else "the file"
    return (f"{where} holds a character that cannot be in a text file (code {code}{what}): delete it, or type "
            "the line again in a plain text editor")


def yaml_problem(exc: Any, text: str, settings: Collection[str] = ()) -> str:
    """The message for a PyYAML ``MarkedYAMLError`` raised on ``text``; ``settings``: every
    setting's name (a value holding ``name:`` is two settings on one line)."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = str(exc.problem or exc.context or "")
    lines = text.splitlines()
    where = f"line {line}" if line else "the file"
    last = min(line or len(lines), len(lines))

    def shown(n: int) -> str:
        return repr(lines[n - 1].strip()) if 0 < n <= len(lines) else ""

    def written(n: int) -> bool:
        body = lines[n - 1].strip() if 0 < n <= len(lines) else ""
        return bool(body) and not body.startswith("#")

    # the lines above the error, from the top: what PyYAML reads on and gives up on later
    block: int | None = None  # inside a block value ('key: |'): its key's indentation
    for n in range(1, last + 1):
        if not written(n):
            continue
        text_n = lines[n - 1]
        indent = len(text_n) - len(text_n.lstrip(" "))
        if block is not None and indent > block:
            continue  # a line of a block value's text
        block = indent if re.match(r"^\s*(?:-\s+)?[\w-]+\s*:\s*[|>][+-]?\d*\s*(?:#.*)?$", text_n) else None
        if _NBSP in text_n and not _quoted_only(text_n, _NBSP):
            after = text_n.split(_NBSP, 1)[0].strip()
            return (f"line {n} ({shown(n)}) holds a non-breaking space (as web pages and word processors "
                    f"write them){f' after {after!r}' if after else ' in its indentation'}: type a normal space instead")
        m = _NO_SPACE.match(text_n)
        if m:
            return f"line {n} ({shown(n)}) needs a space after the colon: write {m['key']}: {m['value'].strip()}"
        if _OPEN_QUOTE.match(text_n) and n < last:
            return (f"a quote opened on line {n} ({shown(n)}) is never closed: end the value with the same quote "
                    f"on that line")
    if "\t" in problem or "'\\t'" in problem:
        return _tab(lines, line)
    if "escape" in problem:
        return (f"{where} ({shown(line or 0)}): in double quotes a backslash (\\) starts a code: write the value "
                "in single quotes ('C:\\folder'), or with / instead of \\")
    bad = re.search(r"found character '(.)' that cannot start any token", problem)
    if bad:
        return (f"{where} ({shown(line or 0)}): a value cannot start with {bad.group(1)!r} unless it is in quotes: "
                f"write the value in double quotes (e.g. date_format: \"%d/%m/%Y\")")
    text_line = lines[line - 1] if line and line <= len(lines) else ""
    if re.match(r"""^\s*[\w-]+\s*:\s*'[^']*'[^'\s#]""", text_line):
        return (f"line {line} ({shown(line or 0)}): in single quotes an apostrophe is written twice ('O''Brien'), or "
                "put the value in double quotes (\"O'Brien\")")
    two = _two_settings(text_line, settings) if line else ""
    if two:
        return f"line {line} ({shown(line or 0)}) holds two settings ({two}): put each on its own line"
    if "mapping values are not allowed" in problem and line and re.match(r"^\s*[^:#]+:\s+[^'\"].*:\s", text_line + " "):
        key, value = text_line.split(":", 1)
        return (f"line {line} ({shown(line)}): a value holding ': ' must be in quotes, e.g. "
                f"{key.strip()}: \"{value.strip()}\"")
    if ("mapping values are not allowed" in problem or "expected <block end>" in problem
            or "block mapping" in problem) and line:
        above = next((n for n in range(line - 1, 0, -1) if written(n)), None)
        if above is not None:
            return (f"line {line} ({shown(line)}) and line {above} ({shown(above)}) above it are not lined up: "
                    "the settings of one group start at the same column, and a setting that holds others is "
                    "followed by them indented further; move the one that is out of line")
        return f"{where} ({shown(line)}) is indented differently from the settings around it"
    if "end of stream" in problem and exc.context_mark is not None and "quoted" in str(exc.context or ""):
        opened = exc.context_mark.line + 1
        return f"a quote opened on line {opened} ({shown(opened)}) is never closed: end the value with the same quote"
    brackets = re.search(r"expected ',' or '([}\]])'", problem)
    if brackets:
        opened = exc.context_mark.line + 1 if exc.context_mark is not None else line
        close = brackets.group(1)
        return (f"the {'{' if close == '}' else '['} opened on line {opened} ({shown(opened or 0)}) is not closed "
                f"with {close!r} on that line, or holds a ':' or ',' that must be in quotes")
    return f"is not valid YAML near {where}: {problem}"


def _quoted_only(line: str, char: str) -> bool:
    """Every ``char`` of the line is inside a quoted value (where it is text)."""
    m = re.match(r"""^[^"']*:\s*(["'])(.*)\1\s*(?:#.*)?$""", line)
    return m is not None and char not in line[: m.start(2)]


def _tab(lines: list[str], line: int | None) -> str:
    """Where the tab is that PyYAML stopped at: in the indentation, or inside the line."""
    near = [n for n in ([line] if line else []) + list(range(1, len(lines) + 1)) if 0 < n <= len(lines) and "\t" in lines[n - 1]]
    if not near:
        return "the file holds a tab: client.yml is indented with spaces only (2 per level); replace it with spaces"
    n = near[0]
    text = lines[n - 1]
    if not text.strip():
        return f"line {n} looks blank but holds a tab, which YAML does not allow: delete what the line holds"
    if text[: len(text) - len(text.lstrip())].count("\t"):
        return f"line {n} is indented with a tab: client.yml is indented with spaces only (2 per level); replace the tab with spaces"
    before = text.split("\t", 1)[0].strip()
    spot = "at the end of the line" if not text.split("\t", 1)[1].strip() else f"after {before!r}"
    return f"line {n} ({text.strip()!r}) holds a tab {spot}: replace it with a space"


def _two_settings(line: str, settings: Collection[str]) -> str:
    """'client' and 'as_of' when the value of a key line holds another setting's ``name:``."""
    m = _KEY.match(line)
    if m is None:
        return ""
    rest = line[m.end():]
    found = [k for k in re.findall(r"(?:^|[\s\"'])([A-Za-z_][\w-]*)\s*:(?:\s|$)", rest) if k in settings]
    return f"{m['key']!r} and {found[0]!r}" if found else ""
