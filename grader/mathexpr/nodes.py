"""The expression tree: small frozen dataclasses, hashable so parsed expressions can be cached and compared.

Symbol names are canonical: ``X``, ``Sigma`` (for ``\\Sigma`` and ``Σ``), ``mu_0`` (for ``\\mu_0`` and
``\\mu_{0}``). Products and sums are n-ary (``Mul``/``Add`` hold tuples) so a long ``x+x+…`` is one wide node, not a
deep one: the tree's height only grows with real nesting, which the parser caps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Union

from grader.textgeom import GREEK_NAMES

# Names that evaluate to a number when no symbol of that name is declared.
CONSTANTS = {"e": math.e, "pi": math.pi, "infty": math.inf}


@dataclass(frozen=True, slots=True)
class Num:
    value: float


@dataclass(frozen=True, slots=True)
class Sym:
    name: str


@dataclass(frozen=True, slots=True)
class Indexed:
    """Index notation such as ``X_{ij}``: read so a derivation step can be recognised, never evaluated."""

    base: str
    indices: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Identity:
    """``I``; ``size`` None means "as large as the context needs" (``I - JL``, ``I_n``)."""

    size: int | None = None


@dataclass(frozen=True, slots=True)
class Add:
    terms: tuple  # of Expr; a subtraction is an added Neg


@dataclass(frozen=True, slots=True)
class Neg:
    arg: "Expr"


@dataclass(frozen=True, slots=True)
class Mul:
    factors: tuple  # of Expr, in order: matrix products do not commute


@dataclass(frozen=True, slots=True)
class Recip:
    """Division by a scalar (``/`` and ``\\frac``); dividing by a matrix is an evaluation error."""

    arg: "Expr"


@dataclass(frozen=True, slots=True)
class Pow:
    """A constant exponent, checked at parse time; an inverse is ``Pow(x, -1.0)``."""

    base: "Expr"
    exponent: float


@dataclass(frozen=True, slots=True)
class Transpose:
    arg: "Expr"


@dataclass(frozen=True, slots=True)
class Func:
    """``det``, ``tr``, ``adj``, ``cof``, ``exp``, ``log``, ``sqrt`` and ``bars`` (``|x|``: det or abs)."""

    name: str
    arg: "Expr"


@dataclass(frozen=True, slots=True)
class Matrix:
    rows: tuple  # of tuples of Expr; entries may be blocks


Expr = Union[Num, Sym, Indexed, Identity, Add, Neg, Mul, Recip, Pow, Transpose, Func, Matrix]


def children(node: Expr) -> tuple:
    if isinstance(node, (Add,)):
        return node.terms
    if isinstance(node, Mul):
        return node.factors
    if isinstance(node, (Neg, Recip, Transpose, Func)):
        return (node.arg,)
    if isinstance(node, Pow):
        return (node.base,)
    if isinstance(node, Matrix):
        return tuple(entry for row in node.rows for entry in row)
    return ()


def free_symbols(expr: Expr) -> set[str]:
    """Names the expression needs from the environment (constants such as e and π excluded)."""
    found: set[str] = set()
    stack = [expr]
    while stack:  # explicit stack: no recursion on student input
        node = stack.pop()
        if isinstance(node, Sym):
            if node.name not in CONSTANTS:
                found.add(node.name)
        else:
            stack.extend(children(node))
    return found


_COMMAND_NAMES = GREEK_NAMES | {"infty"}  # names typed as a command


def latex_name(name: str) -> str:
    """``Sigma_uv`` → ``\\Sigma_{uv}``: symbol names as they would be typed."""
    base, _, sub = name.partition("_")
    head = f"\\{base}" if base in _COMMAND_NAMES else base
    return f"{head}_{{{sub}}}" if sub else head


_FUNC_LATEX = {"det": "\\det", "tr": "\\operatorname{tr}", "adj": "\\operatorname{adj}",
               "cof": "\\operatorname{Cof}", "exp": "\\exp", "log": "\\log", "sqrt": "\\sqrt"}


def render(expr: Expr, limit: int = 60) -> str:
    """A short LaTeX form of ``expr`` for messages (cut at ``limit`` characters)."""
    text = _render(expr)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrap(node: Expr) -> str:
    text = _render(node)
    return f"({text})" if isinstance(node, (Add, Neg, Mul, Recip)) else text


def _base(node: Expr) -> str:
    """A base of ^: anything but a plain symbol, number or bracketed form gets parentheses."""
    text = _render(node)
    return text if isinstance(node, (Sym, Num, Identity, Indexed, Func, Matrix)) else f"({text})"


def _render(node: Expr) -> str:  # recursion is bounded: the parser caps the tree's height
    if isinstance(node, Num):
        return f"{node.value:g}"
    if isinstance(node, Sym):
        return latex_name(node.name)
    if isinstance(node, Indexed):
        glue = "" if all(len(i) == 1 for i in node.indices) else ","
        return f"{node.base}_{{{glue.join(node.indices)}}}"
    if isinstance(node, Identity):
        return "I" if node.size is None else f"I_{{{node.size}}}"
    if isinstance(node, Add):
        parts = [_render(node.terms[0])]
        for term in node.terms[1:]:
            if isinstance(term, Neg):
                inner = term.arg
                parts.append(f"- ({_render(inner)})" if isinstance(inner, (Add, Neg)) else f"- {_render(inner)}")
            else:
                parts.append(f"+ {_render(term)}")
        return " ".join(parts)
    if isinstance(node, Neg):
        return f"-{_wrap(node.arg)}"
    if isinstance(node, Mul):
        first = node.factors[0]
        parts = [_render(first) if isinstance(first, Recip) else _wrap(first)]
        for f in node.factors[1:]:
            parts.append(f"/{_base(f.arg)}" if isinstance(f, Recip) else _wrap(f))
        return " ".join(parts)
    if isinstance(node, Recip):
        return f"\\frac{{1}}{{{_render(node.arg)}}}"
    if isinstance(node, Pow):
        exponent = node.exponent
        shown = f"{int(exponent)}" if float(exponent).is_integer() else f"{exponent:g}"
        return f"{_base(node.base)}^{{{shown}}}"
    if isinstance(node, Transpose):
        inner = node.arg
        if isinstance(inner, Pow) and inner.exponent == -1.0:
            return f"{_base(inner.base)}^{{-T}}"
        return f"{_base(inner)}^T"
    if isinstance(node, Func):
        if node.name == "bars":
            return f"|{_render(node.arg)}|"
        return f"{_FUNC_LATEX.get(node.name, node.name)}({_render(node.arg)})"
    if isinstance(node, Matrix):
        rows = " \\\\ ".join(" & ".join(_render(e) for e in row) for row in node.rows)
        return f"\\begin{{bmatrix}} {rows} \\end{{bmatrix}}"
    raise TypeError(f"not an expression node: {node!r}")
