"""Settings whose value a YAML comment cut short: in client.yml a ``#`` after a space starts a
comment, so ``client: Acme Media #2 Group`` is the client "Acme Media" and
``accent_color: #1f4e79`` is no colour at all, without any error from the YAML reader. A
comment is written ``# text`` (a space after the ``#``), as every comment of the file
``alms new-client`` writes; a ``#`` followed at once by a letter or digit is read as part of
a value that lost its quotes, and named with its line and the way to write it."""

from __future__ import annotations

import re

__all__ = ["values_cut_by_comments"]

#: ``key: rest`` (or ``key:`` alone, a group), with its indentation
_KEY_LINE = re.compile(r"^(?P<indent>[ ]*)(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(?P<rest>.*))?$")
#: a comment's start in a plain value: a '#' at the start or after a space or tab
_COMMENT = re.compile(r"(?:^|[ \t])#")
#: values YAML does not read as plain text (quoted, flow, block, anchor, alias, tag)
_NOT_PLAIN = ("'", '"', "{", "[", "|", ">", "&", "*", "!")


def values_cut_by_comments(text: str) -> list[str]:
    """One problem per setting of ``text`` (client.yml) whose value a comment cut short or
    emptied, naming the line, the setting and how to write it (none when every ``#`` that
    starts a comment is followed by a space)."""
    problems: list[str] = []
    groups: list[tuple[int, str]] = []  # the groups the line is in: (indentation, key)
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        m = _KEY_LINE.match(line)
        if m is None:
            continue
        indent, key, rest = len(m["indent"]), m["key"], (m["rest"] or "").rstrip()
        while groups and groups[-1][0] >= indent:
            groups.pop()
        name = ".".join([k for _, k in groups] + [key])
        comment = None if rest.startswith(_NOT_PLAIN) else _COMMENT.search(rest)
        value = (rest[: comment.start()] if comment else rest).strip()
        if not value:
            groups.append((indent, key))
        if comment is None:
            continue
        cut = rest[comment.end() - 1:]  # from the '#'
        if len(cut) < 2 or cut[1].isspace():
            continue  # '# text': a comment as written
        if value:
            problems.append(
                f"line {number}: YAML reads {cut!r} as a comment (a '#' after a space starts one), so "
                f"{name!r} is {value!r}. If it is part of the value, write the whole value in quotes: "
                f"{key}: \"{value} {cut}\"; if it is a comment, write a space after the '#'.")
        elif not _opens_a_group(lines, number, indent):
            problems.append(
                f"line {number}: {name!r} is empty: YAML reads {cut!r} as a comment (a '#' after a space "
                f"starts one). If it is the value, write it in quotes: {key}: \"{cut}\"; if it is a "
                "comment, write a space after the '#'.")
    return problems


def _opens_a_group(lines: list[str], number: int, indent: int) -> bool:
    """The line ``number`` (1-based), a key with nothing but a comment after it, is followed by
    lines indented further (its settings or list items): a group with a comment, not a value."""
    for line in lines[number:]:
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        return len(line) - len(line.lstrip(" ")) > indent or body.startswith("- ") and indent == 0
    return False
