"""What of a code cell is prose: its comments and docstrings, the rest blanked with its offsets kept.

A cell that was run shows what it printed below it; its code is a program, not a claim. The words of
``print("2b) converges to (-1, 1)?", False)`` or ``Sigma[2, 3] != 0`` are no verdict of the student's (the
output "… (-1, 1)? False" is), while a comment ("# Q1a: no, Σ34 = 0") or a docstring says what the student
means. The prose readings (stance, phrases) read a run cell's code as this; a cell never run keeps its text,
since its strings are then all that states its answers.
"""

from __future__ import annotations

import io
import tokenize
from functools import lru_cache


@lru_cache(maxsize=256)
def code_prose(code: str) -> str:
    """``code`` with everything but its comments and its statement strings (docstrings) blanked, newlines kept;
    code that does not tokenize as Python is returned as it is."""
    kept: list[tuple[int, int, int, int]] = []  # (start row, start col, end row, end col), rows from 1
    starts_statement = True
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type == tokenize.COMMENT or (tok.type == tokenize.STRING and starts_statement):
                kept.append((*tok.start, *tok.end))
            if tok.type in (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT):
                starts_statement = True
            elif tok.type not in (tokenize.COMMENT, tokenize.ENCODING):
                starts_statement = False
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return code
    lines = code.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    chars = [c if c == "\n" else " " for c in code]
    for row_a, col_a, row_b, col_b in kept:
        a, b = offsets[row_a - 1] + col_a, offsets[row_b - 1] + col_b
        chars[a:b] = code[a:b]
    return "".join(chars)
