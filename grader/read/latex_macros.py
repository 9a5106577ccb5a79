"""A student's own LaTeX shorthands, expanded before the file is read.

Students define shorthands in the preamble (``\\newcommand{\\T}{\\intercal}``, ``\\def\\R{\\mathbb{R}}``,
``\\DeclareMathOperator{\\tr}{tr}``) and write ``A^{\\T}``; the math reader knows only LaTeX's own commands, so an
answer written with a shorthand could not be read at all. Only shorthands without arguments are expanded (a macro
taking ``#1`` is a template, not a name for something), once (a body is not expanded again), and within bounds: at
most ``MAX_MACROS`` definitions of at most ``MAX_BODY`` characters each, and never to more than ``MAX_GROWTH`` times
the file's length, so a file of definitions cannot make the reader's work grow without limit. A shorthand that
redefines a command the math reader relies on (``\\frac``, ``\\begin``) is left alone.
"""

from __future__ import annotations

import re

from grader.textgeom import bracket_pairs

MAX_MACROS = 50
MAX_BODY = 200
MAX_GROWTH = 2.0

# \newcommand{\T}{…}, \newcommand\T{…}, \renewcommand*{\T}{…}, \providecommand, \def\T{…}, \DeclareMathOperator{\tr}{tr}
_DEFINITION = re.compile(
    r"\\(?P<how>(?:re|provide)?newcommand\*?|def|DeclareMathOperator\*?)\s*"
    r"(?:\{\s*\\(?P<braced>[A-Za-z]+)\s*\}|\\(?P<bare>[A-Za-z]+))\s*(?P<args>\[\s*\d\s*\])?\s*\{")
# Commands whose meaning the readers depend on: a student's redefinition of one is not followed.
_PROTECTED = frozenset("begin end frac dfrac tfrac left right item section subsection subsubsection paragraph "
                       "textbf emph boxed mathrm operatorname text newcommand renewcommand def documentclass "
                       "usepackage input include".split())


def shorthands(text: str) -> dict[str, str]:
    """The argument-free shorthands ``text`` defines: name (without the backslash) → what it stands for."""
    found: dict[str, str] = {}
    for m in _DEFINITION.finditer(text):
        if len(found) >= MAX_MACROS:
            break
        name = m.group("braced") or m.group("bare")
        if m.group("args") or name in _PROTECTED:
            continue
        opening = m.end() - 1
        pairs, _ = bracket_pairs(text[opening: opening + MAX_BODY + 2])
        close = pairs.get(0)
        if close is None:
            continue  # no closing brace within MAX_BODY: not a shorthand worth following
        body = text[opening + 1: opening + close].strip()
        if "#" in body or "\n" in body or not body:
            continue
        if m.group("how").startswith("DeclareMathOperator"):
            body = f"\\operatorname{{{body}}}"
        found[name] = body
    return found


def expand_shorthands(text: str) -> str:
    """``text`` with each use of a shorthand it defines replaced by what it stands for (see the module docstring)."""
    if "\\newcommand" not in text and "\\def" not in text and "\\DeclareMathOperator" not in text \
            and "\\renewcommand" not in text and "\\providecommand" not in text:
        return text
    names = shorthands(text)
    if not names:
        return text
    use = re.compile(r"\\(" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")(?![A-Za-z])")
    budget = int(len(text) * MAX_GROWTH)

    defining = [(m.start(), m.end()) for m in _DEFINITION.finditer(text)]
    out, last, size = [], 0, len(text)
    for m in use.finditer(text):
        if any(start <= m.start() < end for start, end in defining):
            continue  # the name being defined stays as it is
        body = names[m.group(1)]
        size += len(body) - len(m.group())
        if size > budget:
            return text  # past the bound: read the file as written
        out.append(text[last:m.start()])
        out.append(body)
        last = m.end()
    out.append(text[last:])
    return "".join(out)
