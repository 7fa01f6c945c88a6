"""Settings of client.yml whose value does not read as it is written, though the YAML reader
raises no error: a value cut short by a comment (a ``#`` after a space starts one, so
``client: Acme Media #2 Group`` is the client "Acme Media" and ``accent_color: #1f4e79`` is
no colour at all), and a value in the curly quotes a word processor types (“Acme”), which
YAML keeps as part of the text. Each is named with its line and the way to write it.

A comment is written ``# text`` (a space after the ``#``, or more ``#``), as every comment of
the file ``alms new-client`` writes; a ``#`` followed at once by a letter or digit is read
as part of a value that lost its quotes."""

from __future__ import annotations

import re

__all__ = ["values_not_as_written"]

#: ``key: rest`` (or ``key:`` alone, a group), or a list item ``- rest``, with its indentation
_KEY_LINE = re.compile(r"^(?P<indent>[ ]*)(?:(?P<key>[A-Za-z_][\w-]*)[ \t]*:|-)(?:[ \t]+(?P<rest>.*))?$")
#: a comment's start in a plain value: a '#' at the start or after a space or tab
_COMMENT = re.compile(r"(?:^|[ \t])#")
#: a comment as written after a value: a space, '#' and a space (or the line's end)
_WRITTEN_COMMENT = re.compile(r"[ \t]+#+(?:[ \t]|$)")
#: values YAML does not read as plain text (quoted, flow, block, anchor, alias, tag)
_NOT_PLAIN = ("'", '"', "{", "[", "|", ">", "&", "*", "!")
#: the quotes a word processor opens a quotation with (a value starting with ’ is an elision, 't Hoekje)
_CURLY = "\u201c\u201e\u00ab\u2018"


def values_not_as_written(text: str) -> list[str]:
    """One problem per setting of ``text`` (client.yml) whose value a comment cut short or
    emptied, or which is in curly quotes, naming the line, the setting and how to write it."""
    problems: list[str] = []
    groups: list[tuple[int, str]] = []  # the groups the line is in: (indentation, key)
    lines = text.splitlines()
    block: int | None = None  # the indentation of a block value's key ('key: |'), inside it
    for number, line in enumerate(lines, start=1):
        body = line.strip()
        if block is not None:
            if not body or len(line) - len(line.lstrip(" ")) > block:
                continue  # a line of the block's text
            block = None
        m = _KEY_LINE.match(line)
        if m is None or body.startswith("#"):
            continue
        indent, key, rest = len(m["indent"]), m["key"], (m["rest"] or "").rstrip()
        while groups and groups[-1][0] >= indent and key is not None:
            groups.pop()
        name = ".".join([k for _, k in groups] + ([key] if key else []))
        shown = f"{key}: " if key else "- "
        if rest.startswith(("|", ">")):
            block = indent
            continue
        if rest and rest[0] in _CURLY and (rest[0] != "\u2018" or rest.rstrip().endswith("\u2019")):
            problems.append(
                f"line {number}: the value of {name!r} is in curly quotes ({rest[:1]}...), as a word processor "
                f"types them, which are read as part of the text: type straight quotes (\") instead")
            continue
        comment = None if rest.startswith(_NOT_PLAIN) else _COMMENT.search(rest)
        value = (rest[: comment.start()] if comment else rest).strip()
        if not value and key is not None:
            groups.append((indent, key))
        if comment is None:
            continue
        cut = rest[comment.end() - 1:]  # from the '#'
        if len(cut) < 2 or cut[1].isspace() or cut[1] == "#":
            continue  # '# text' or '## text': a comment as written
        # the part of the value the comment took, up to a comment written as one after it
        after = _WRITTEN_COMMENT.search(cut)
        taken = cut[: after.start()] if after else cut
        if value:
            problems.append(
                f"line {number}: YAML reads {taken!r} as a comment (a '#' after a space starts one), so "
                f"{name!r} is {value!r}. If it is part of the value, write the value in quotes: "
                f"{shown}\"{value} {taken}\"; if it is a comment, write a space after the '#'.")
        elif key is not None and not _opens_a_group(lines, number, indent):
            problems.append(
                f"line {number}: {name!r} is empty: YAML reads {taken!r} as a comment (a '#' after a space "
                f"starts one). If it is the value, write it in quotes: {shown}\"{taken}\"; if it is a "
                "comment, write a space after the '#'.")
    return problems


def _opens_a_group(lines: list[str], number: int, indent: int) -> bool:
    """The line ``number`` (1-based), a key with nothing but a comment after it, is followed by
    lines indented further or list items (its settings or its list): a group with a comment,
    not a value."""
    for line in lines[number:]:
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        at = len(line) - len(line.lstrip(" "))
        return at > indent or (at == indent and body.startswith("- "))
    return False
