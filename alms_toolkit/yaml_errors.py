"""The YAML reader's errors on client.yml in a consultant's words: which line, what is wrong
with it and how to write it. PyYAML names its tokens ('<block mapping start>') and, for a key
written without a space after its colon, the line where it gave up, often lines later."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["yaml_problem"]

#: ``key:value`` without the space YAML needs after the colon (not a URL, a time or a drive)
_NO_SPACE = re.compile(r"^(?P<indent>[ ]*)(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/\\].*)$")


def yaml_problem(exc: Any, text: str) -> str:
    """The message for a PyYAML ``MarkedYAMLError`` raised on ``text``."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = str(exc.problem or exc.context or "")
    lines = text.splitlines()
    where = f"line {line}" if line else "the file"

    def shown(n: int) -> str:
        return repr(lines[n - 1].strip()) if 0 < n <= len(lines) else ""

    # a key written 'key:value' above the error: YAML read it as text and failed further down
    for n in range(min(line or len(lines), len(lines)), 0, -1):
        m = _NO_SPACE.match(lines[n - 1])
        if m and not lines[n - 1].lstrip().startswith("#"):
            return (f"line {n} ({shown(n)}) needs a space after the colon: write "
                    f"{m['key']}: {m['value'].strip()}")
    if "'\\t'" in problem:
        return (f"{where} is indented with a tab: client.yml is indented with spaces only (2 per level); "
                "replace the tab with spaces")
    bad = re.search(r"found character '(.)' that cannot start any token", problem)
    if bad:
        return (f"{where} ({shown(line or 0)}): a value cannot start with {bad.group(1)!r} unless it is in quotes: "
                f"write the value in double quotes (e.g. date_format: \"%d/%m/%Y\")")
    if "mapping values are not allowed" in problem and line:
        text_line = lines[line - 1] if line <= len(lines) else ""
        if re.match(r"^\s*[^:#]+:\s+[^'\"].*:\s", text_line + " "):
            return (f"line {line} ({shown(line)}): a value holding ': ' must be in quotes, e.g. "
                    f"{text_line.split(':', 1)[0].strip()}: \"{text_line.split(':', 1)[1].strip()}\"")
        return (f"line {line} ({shown(line)}) is indented more than the setting above it, which already has a "
                "value: write it at the indentation of the settings of its group")
    if "expected <block end>" in problem or "block mapping" in problem:
        return (f"{where} ({shown(line or 0)}) is indented differently from the settings around it: the "
                "settings of one group are indented by the same number of spaces")
    if "end of stream" in problem and ("quoted" in str(exc.context or "") or '"' in text or "'" in text):
        opened = exc.context_mark.line + 1 if exc.context_mark is not None else line
        return f"a quote opened on line {opened} ({shown(opened or 0)}) is never closed: end the value with the same quote"
    brackets = re.search(r"expected ',' or '([}\]])'", problem)
    if brackets:
        opened = exc.context_mark.line + 1 if exc.context_mark is not None else line
        close = brackets.group(1)
        return (f"the {'{' if close == '}' else '['} opened on line {opened} ({shown(opened or 0)}) is not closed "
                f"with {close!r} on that line, or holds a ':' or ',' that must be in quotes")
    return f"is not valid YAML near {where}: {problem}"
