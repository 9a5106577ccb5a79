"""Docstrings that label a code cell's answer, read as the comments they stand for.

A student who writes each answer as a function may state it in the function's docstring:
``def answer_1a(): \"\"\"Problem 1 (a). X3 and X4 are not correlated …\"\"\"``. A string that is the cell's
first statement, or the first statement of a function or class, and that starts with a label, says what
a comment would ("# Problem 1 (a). …"): grader.segment.labels reads its lines as comment lines, and the
answer's unit starts at the ``def`` line above it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_STRING_START = re.compile(r"""[ \t]*(?:[rRuU]|[bB][rR]?|[rR][bB])?("{3}|'{3}|"|')""")
_DEF_LINE = re.compile(r"[ \t]*(?:async[ \t]+)?(?:def|class)\b.*:[ \t]*(?:#.*)?$")


def leading_docstrings(lines: list[str], starts_label: Callable[[str], bool]) -> tuple[list[str], dict[int, int]]:
    """The lines with each leading docstring that starts with a label written as comments, one comment
    line per line: a cell's first statement, or the first statement of a function or class, that is a
    string (triple-quoted "Problem 1 (a). X3 and X4 …") says what a comment would ("# Problem 1 (a). …")."""
    out = list(lines)
    heads: dict[int, int] = {}  # a docstring's first line -> the def line above it, where its unit starts
    first = True  # no statement yet in the cell, or the line above opened a def/class
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        m = _STRING_START.match(line) if first else None
        first = bool(_DEF_LINE.match(line))
        if not m:
            i += 1
            continue
        quote, indent = m.group(1), line[: len(line) - len(line.lstrip())]
        body_lines, j, rest = [], i, line[m.end():]
        while True:
            end = rest.find(quote)
            if end >= 0:
                body_lines.append(rest[:end])
                tail = rest[end + len(quote):].strip()
                break
            if len(quote) == 1 or j + 1 >= len(lines):
                body_lines, tail = [], "?"  # not a closed string statement
                break
            body_lines.append(rest)
            j += 1
            rest = lines[j]
        if tail and not tail.startswith("#") or not body_lines \
                or not starts_label(body_lines[0].strip()):
            i = j + 1
            continue
        for k, text in enumerate(body_lines):
            out[i + k] = f"{indent}# {text.strip()}".rstrip()
        above = i - 1
        while above >= 0 and not lines[above].strip():
            above -= 1
        if above >= 0 and _DEF_LINE.match(lines[above]):
            heads[i] = above
        i = j + 1
    return out, heads
