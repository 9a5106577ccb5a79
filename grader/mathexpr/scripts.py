"""Reading super- and subscripts: transpose marks, constant exponents, symbol names versus index notation.

Kept apart from the grammar because these are decisions about notation, not about structure:

- ``^T``, ``^t``, ``^\\top``, ``^\\intercal``, ``^\\prime``, ``^{\\mathsf T}``, ``'`` mean transpose (``^t`` too: a
  common continental notation; a symbolic power ``x^t`` is not supported anyway);
- ``^{-T}``, ``^{-\\top}`` mean inverse transpose; any other exponent must fold to a constant number;
- ``X_3``, ``\\mu_0``, ``\\Sigma_{uv}`` are symbol names; ``X_{ij}``, ``X_{i,j}``, ``X_{-i,-j}`` are index notation.
"""

from __future__ import annotations

import math

from .lexer import Token
from .nodes import Add, Expr, Func, Mul, Neg, Num, Pow, Recip

# Largest |exponent| evaluated. Homework answers need -1, 2, 1/2; the cap keeps 10^{10^{10}} from being computed.
MAX_EXPONENT = 16

# Letters that read as summation indices when two or more of them form a subscript (X_{ij}, A_{lk}).
INDEX_LETTERS = frozenset("ijkl")


def _is_t(tok: Token) -> bool:
    return (tok.kind == "ident" and tok.text in ("T", "t")) or tok.kind == "transpose"


def transpose_mark(tokens: list[Token]) -> str | None:
    """``"T"`` for a transpose exponent, ``"-T"`` for an inverse transpose, None for anything else."""
    if len(tokens) == 1 and _is_t(tokens[0]):
        return "T"
    if len(tokens) == 2 and tokens[0].kind == "-" and _is_t(tokens[1]):
        return "-T"
    return None


def fold_constant(expr: Expr) -> float | None:
    """The value of an exponent made of numbers only, or None if it has a symbol (recursion bounded by the
    parser's depth cap). Overflow gives inf, which the caller reports as "too large"."""
    if isinstance(expr, Num):
        return expr.value
    if isinstance(expr, Neg):
        inner = fold_constant(expr.arg)
        return None if inner is None else -inner
    if isinstance(expr, Recip):
        inner = fold_constant(expr.arg)
        if inner is None:
            return None
        return math.inf if inner == 0 else 1.0 / inner
    if isinstance(expr, (Add, Mul)):
        parts = [fold_constant(p) for p in (expr.terms if isinstance(expr, Add) else expr.factors)]
        if any(p is None for p in parts):
            return None
        return math.fsum(parts) if isinstance(expr, Add) else math.prod(parts)
    if isinstance(expr, Pow):
        base = fold_constant(expr.base)
        if base is None:
            return None
        try:
            return math.pow(base, expr.exponent)
        except (OverflowError, ValueError, ZeroDivisionError):
            return math.inf
    if isinstance(expr, Func) and expr.name == "exp":
        inner = fold_constant(expr.arg)
        if inner is None:
            return None
        try:
            return math.exp(inner)
        except OverflowError:
            return math.inf
    return None


def classify_subscript(tokens: list[Token]) -> tuple[str, object]:
    """``("number", 3)``, ``("name", "uv")`` or ``("index", ("i", "j"))``; raises ValueError with a message."""
    if not tokens:
        raise ValueError("empty subscript")
    for tok in tokens:
        if tok.kind not in ("num", "ident", "text", ",", "-"):
            raise ValueError("unsupported subscript")
    kinds = {tok.kind for tok in tokens}
    if "," in kinds or "-" in kinds:
        indices, current = [], ""
        for tok in tokens:
            if tok.kind == ",":
                indices.append(current)
                current = ""
            else:
                current += tok.text
        indices.append(current)
        if not all(indices):
            raise ValueError("unsupported subscript")
        return "index", tuple(indices)
    if len(tokens) >= 2 and all(tok.kind == "ident" and tok.text in INDEX_LETTERS for tok in tokens):
        return "index", tuple(tok.text for tok in tokens)
    if len(tokens) == 1 and tokens[0].kind == "num" and tokens[0].text.isdigit():
        return "number", int(tokens[0].text)
    return "name", "".join(tok.text for tok in tokens)


def builder_rows(indices: tuple[str, ...], range_tokens: list[Token] | None) -> str | None:
    """For ``(A_{ji})_{1 \\leq i,j \\leq d}``: which index of the entry runs down the rows (here ``i``).

    The range lists the row index first; without a range the alphabetically first index is the row index
    (``(C_{ij})`` is C). None when the entry is not a two-index entry or the range names other indices.
    """
    if len(indices) != 2 or indices[0] == indices[1] or not all(len(i) == 1 and i.isalpha() for i in indices):
        return None
    if range_tokens is None:
        return min(indices)
    order: list[str] = []
    for tok in range_tokens:
        if tok.kind == "ident" and tok.text in indices and tok.text not in order:
            order.append(tok.text)
    return order[0] if len(order) == 2 else None
