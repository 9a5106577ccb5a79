"""What of a code cell is prose: its comments and docstrings, the rest blanked with its offsets kept.

A cell that was run shows what it printed below it; its code is a program, not a claim. The words of
``print("2b) converges to (-1, 1)?", False)`` or ``Sigma[2, 3] != 0`` are no verdict of the student's (the
output "… (-1, 1)? False" is), while a comment ("# Q1a: no, Σ34 = 0") or a docstring says what the student
means; and ``mu1, mu2 = -2.0, 2.0`` at the top of a simulation is where it starts, not a result. The prose readings
(stance, phrases, expressions, values) read a run cell's code as this; a cell never run keeps its text, since its
code and strings are then all that states its answers (an answer typed as code, words in a cell of the wrong type).

The scan knows Python's strings (quotes, triple quotes, escapes, string prefixes) and comments, line by line, and
nothing else: it needs no tokenizer (whose patterns cost a cold start more than the whole scan).
"""

from __future__ import annotations

import re
from functools import lru_cache

_QUOTE = re.compile(r"""(?i:[rbuf]{0,2})("{3}|'{3}|"|')""")


@lru_cache(maxsize=256)
def code_prose(code: str) -> str:
    """``code`` with everything but its comments and the strings that open a statement (docstrings) blanked,
    newlines kept."""
    chars = [c if c == "\n" else " " for c in code]
    i, n = 0, len(code)
    line_start = True  # nothing but blanks since the last newline: a string here opens a statement
    while i < n:
        c = code[i]
        if c == "\n":
            line_start, i = True, i + 1
            continue
        if c in " \t":
            i += 1
            continue
        if c == "#":
            end = code.find("\n", i)
            end = n if end < 0 else end
            chars[i:end] = code[i:end]
            i = end
            continue
        quote = _QUOTE.match(code, i) if c in "\"'rRbBuUfF" else None
        if quote is None:
            line_start, i = False, i + 1
            continue
        mark = quote.group(1)
        j = quote.end()
        while j < n:  # the string's end: its closing mark not escaped; a one-quote string ends at its line
            if code[j] == "\\":
                j += 2
                continue
            if code.startswith(mark, j):
                j += len(mark)
                break
            if len(mark) == 1 and code[j] == "\n":
                break
            j += 1
        j = min(j, n)
        if line_start:  # a docstring or a string standing alone: prose
            chars[i:j] = code[i:j]
        line_start, i = False, j
    return "".join(chars)
