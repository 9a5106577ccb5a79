"""Distribution statements in math: the mean and covariance of ``\\mathcal{N}(…)`` stated for a conditional.

``normal_arguments(body, condition, boxes)`` finds each ``\\mathcal{N}`` (``\\mathscr{N}``, a bare ``N`` before a
bracket) whose row, before it, names the conditional (``v \\mid u \\sim``), and returns its two arguments: mean and
covariance, from ``N(mean, cov)``, ``N(v; mean, cov)``, ``N(v | mean, cov)`` or ``N(v, mean, cov)``. Sized brackets
(``\\left(``, ``\\big(``, ``\\Bigl(``) are brackets; spacing at an argument's edges (``,\\;``) is not part of it.
"""

from __future__ import annotations

import re

from grader.extract.expression_labels import condition_pattern, label_form
from grader.textgeom import bracket_pairs, split_top

__all__ = ["normal_arguments"]

LHS_WINDOW = 200  # characters before \mathcal{N} searched for the conditional it describes
_NORMAL = re.compile(r"\\mathcal\s*\{?\s*N\s*\}?|\\mathscr\s*\{?\s*N\s*\}?|(?<![A-Za-z\\])N(?=\s*(?:\\left\s*)?\()")
_OPENING = re.compile(r"\s*(?:\\(?:left|bigl?|Bigl?|biggl?|Biggl?)(?![A-Za-z])\s*)?\(")
_SIZED_CLOSE = re.compile(r"\\(?:right|bigr?|Bigr?|biggr?|Biggr?)\s*$")
_SPACING = ("\\qquad", "\\quad", "\\,", "\\;", "\\:", "\\!", "\\ ")


def _without_spacing(part: str) -> str:
    """``part`` without blanks and spacing commands at its edges (``,\\; K`` → ``K``)."""
    part, changed = part.strip(), True
    while changed:
        changed = False
        for command in _SPACING:
            glued = command[-1].isalpha() and part[len(command) : len(command) + 1].isalpha()  # \quadrant
            if part.startswith(command) and not glued:
                part, changed = part[len(command) :].strip(), True
            if part.endswith(command) and not part.endswith("\\" + command):
                part, changed = part[: -len(command)].strip(), True
    return part


def _split_stripped(body: str, separators: str) -> list[str]:
    return [_without_spacing(p) for p in split_top(body, separators)]


def normal_arguments(body: str, condition: str, boxes=()) -> list[tuple[str, str, bool]]:
    """(target, argument, boxed) for the mean and the covariance of each normal stated for ``condition``;
    ``boxed``: the ``\\mathcal{N}`` stands inside one of the ``boxes`` ((start, end) offsets in ``body``)."""
    out, c, pairs = [], condition_pattern(condition), None
    for m in _NORMAL.finditer(body):
        low = max(0, m.start() - LHS_WINDOW)
        row_start = max(body.rfind("\\\\", low, m.start()), body.rfind("&", low, m.start()), low - 1) + 1
        if not re.search(c, label_form(body[row_start : m.start()])):
            continue
        opening = _OPENING.match(body, m.end())
        if not opening:
            continue
        pairs = bracket_pairs(body, "([{", ")]}")[0] if pairs is None else pairs
        close = pairs.get(opening.end() - 1, -1)
        if close < 0 or body[close] != ")":
            continue
        args = _split_stripped(_SIZED_CLOSE.sub("", body[opening.end() : close]), ",")
        first = _split_stripped(re.sub(r"\\(?:mid|vert)(?![A-Za-z])", "|", args[0]), "|;")
        if len(args) == 3 or len(first) > 1:  # N(v; mean, cov), N(v | mean, cov), N(v, mean, cov)
            args = ([first[-1]] if len(args) == 2 else []) + args[1:]
        boxed = any(start <= m.start() < end for start, end in boxes)
        if len(args) == 2:
            out.extend((target, arg, boxed) for target, arg in zip(("mean", "cov"), args))
    return out
