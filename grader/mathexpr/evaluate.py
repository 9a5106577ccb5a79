"""Numeric evaluation of an expression tree on one environment (symbol → 2-D float array).

Every value is a 2-D array: scalars are 1×1, vectors are columns. Rules, chosen to match how the course writes:

- ``A B`` is a matrix product when the inner sizes agree; otherwise, if one side is 1×1, it is a scalar multiple
  (so ``(u^T u) K`` and ``2A`` work); anything else is "shapes do not conform".
- ``A + B`` needs equal shapes; a scalar is never added to a matrix.
- ``I`` without a size is a ``LazyIdentity``: ``c·I`` whose size the context fixes (``I - JL`` takes JL's size;
  ``(I - JL) K`` too). A result that is still lazy is compared by materialising it at the other side's shape.
- ``/`` and ``\\frac`` divide by scalars only; ``|A|`` is a determinant for a square matrix, an absolute value for
  a scalar; ``adj(X) = det(X) X⁻¹`` and ``Cof(X) = det(X) X⁻ᵀ`` (the formulas hold for the invertible X drawn).
- A value that is not finite anywhere is an error (``NonFinite``): NaN and inf never count as equal.
- What is notation this package does not evaluate (a fractional power or ``\\exp`` of a matrix, a norm, an ``I``
  whose size nothing fixes) raises ``MathEvalError`` with kind ``"unreadable"``: undecided, not wrong.
"""

from __future__ import annotations

import numpy as np

from .errors import MathEvalError, NonFinite, UnknownSymbol
from .nodes import (CONSTANTS, Add, Expr, Func, Identity, Indexed, Matrix, Mul, Neg, Num, Pow, Recip, Sym,
                    Transpose, render)
from .parser import parse

# exp(x) overflows float64 beyond this; refuse it as "too large" rather than produce inf.
EXP_LIMIT = 709.0


class LazyIdentity:
    """``coeff · I`` of a size still to be decided by the context."""

    __slots__ = ("coeff",)

    def __init__(self, coeff: float) -> None:
        self.coeff = float(coeff)

    def materialize(self, size: int) -> np.ndarray:
        return self.coeff * np.eye(size)

    def __repr__(self) -> str:
        return f"LazyIdentity({self.coeff})"


def shape_text(value) -> str:
    if isinstance(value, LazyIdentity):
        return "I of unspecified size"
    rows, cols = value.shape
    return f"{rows}×{cols}"


def as_matrix(value) -> np.ndarray:
    """A user value as a 2-D float array: numbers become 1×1, 1-D arrays become columns."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return arr.reshape(1, 1)
    if arr.ndim == 1:
        return arr.reshape(-1, 1)
    if arr.ndim == 2:
        return arr
    raise ValueError(f"a symbol's value must be a number, a vector or a matrix, not a {arr.ndim}-D array")


def evaluate(expr: Expr | str, env: dict, *, shape: tuple[int, int] | None = None) -> np.ndarray:
    """The value of ``expr`` on ``env`` as a 2-D array (scalars come back 1×1).

    A bare ``I`` needs ``shape`` to get a size. Raises ``MathEvalError`` (``UnknownSymbol``, ``NonFinite``).
    """
    if isinstance(expr, str):
        expr = parse(expr)
    value = evaluate_value(expr, {name: as_matrix(v) for name, v in env.items()})
    if isinstance(value, LazyIdentity):
        if shape is None or shape[0] != shape[1]:
            raise MathEvalError("the size of I cannot be inferred from this expression", kind="unreadable")
        return value.materialize(shape[0])
    return value


def evaluate_value(expr: Expr, env: dict):
    """Like ``evaluate`` on a prepared environment, but a size-free ``I`` comes back as a ``LazyIdentity``."""
    with np.errstate(all="ignore"):  # overflow shows up as inf and is reported below, not as a warning
        try:
            value = _eval(expr, env)
        except RecursionError:
            raise MathEvalError("nested too deeply to evaluate", kind="too_large") from None
        finite = np.isfinite(value.coeff) if isinstance(value, LazyIdentity) else np.isfinite(value).all()
        if not finite:
            raise NonFinite("the value is not finite (a division by zero, an overflow or an undefined operation)")
    return value


def _eval(node: Expr, env: dict):
    return _HANDLERS[type(node)](node, env)


def _num(node: Num, env: dict):
    return np.array([[node.value]])


def _sym(node: Sym, env: dict):
    value = env.get(node.name)
    if value is not None:
        return value
    if node.name in CONSTANTS:
        return np.array([[CONSTANTS[node.name]]])
    raise UnknownSymbol(node.name)


def _identity(node: Identity, env: dict):
    return LazyIdentity(1.0) if node.size is None else np.eye(node.size)


def _indexed(node: Indexed, env: dict):
    raise MathEvalError(f"index notation {render(node)} is not evaluated", kind="unreadable")


def _add(node: Add, env: dict):
    terms = node.terms
    acc = _eval(terms[0], env)
    for k in range(1, len(terms)):
        acc = _plus(acc, _eval(terms[k], env), terms[:k], terms[k])
    return acc


def _plus(a, b, left: tuple, right: Expr):
    if isinstance(a, LazyIdentity) and isinstance(b, LazyIdentity):
        return LazyIdentity(a.coeff + b.coeff)
    if isinstance(a, LazyIdentity) or isinstance(b, LazyIdentity):
        lazy, full = (a, b) if isinstance(a, LazyIdentity) else (b, a)
        rows, cols = full.shape
        if rows != cols:
            raise MathEvalError(f"cannot add I to a {rows}×{cols} matrix, which is not square")
        return full + lazy.materialize(rows)
    if a.shape != b.shape:
        left_text = render(left[0] if len(left) == 1 else Add(left))
        right_text = render(right.arg if isinstance(right, Neg) else right)
        raise MathEvalError(
            f"shapes do not match: cannot add {left_text} ({shape_text(a)}) and {right_text} ({shape_text(b)})"
        )
    return a + b


def _neg(node: Neg, env: dict):
    value = _eval(node.arg, env)
    return LazyIdentity(-value.coeff) if isinstance(value, LazyIdentity) else -value


def _mul(node: Mul, env: dict):
    factors = node.factors
    values = [_eval(f, env) for f in factors]
    acc = values[0]
    try:
        for k in range(1, len(values)):
            acc = _times(acc, values[k], factors, k)
        return acc
    except MathEvalError as left_error:
        # A x^T x reads as A (x^T x): when the left-to-right product fails, a right-to-left one may meet a 1×1
        # scalar in time. Only an otherwise failing product is affected.
        acc = values[-1]
        try:
            for k in range(len(values) - 2, -1, -1):
                acc = _times(values[k], acc, factors, k + 1)
        except MathEvalError:
            raise left_error from None
        return acc


def _times(a, b, factors: tuple, k: int):
    a_lazy, b_lazy = isinstance(a, LazyIdentity), isinstance(b, LazyIdentity)
    if a_lazy or b_lazy:
        if a_lazy and b_lazy:
            return LazyIdentity(a.coeff * b.coeff)
        lazy, full = (a, b) if a_lazy else (b, a)
        if full.shape == (1, 1):  # 2I stays an identity of open size
            return LazyIdentity(lazy.coeff * full[0, 0])
        return full if lazy.coeff == 1.0 else lazy.coeff * full
    if a.shape[1] == b.shape[0]:
        return a @ b
    if a.shape == (1, 1):
        return a[0, 0] * b
    if b.shape == (1, 1):
        return a * b[0, 0]
    left = render(factors[0] if k == 1 else Mul(factors[:k]))
    right = render(factors[k].arg if isinstance(factors[k], Recip) else factors[k])
    raise MathEvalError(f"shapes do not conform: {left} ({shape_text(a)}) times {right} ({shape_text(b)})")


def _recip(node: Recip, env: dict):
    value = _eval(node.arg, env)
    if isinstance(value, LazyIdentity) or value.shape != (1, 1):
        raise MathEvalError(f"cannot divide by {render(node.arg)} ({shape_text(value)}), which is not a scalar")
    if value[0, 0] == 0:
        raise NonFinite(f"division by zero ({render(node.arg)} is 0)")
    return 1.0 / value


def _inverse(value: np.ndarray, node: Expr) -> np.ndarray:
    rows, cols = value.shape
    if rows != cols:
        raise MathEvalError(f"cannot invert {render(node)} ({rows}×{cols}): it is not square")
    try:
        return np.linalg.inv(value)
    except np.linalg.LinAlgError:
        raise NonFinite(f"{render(node)} is singular, so it has no inverse") from None


def _pow(node: Pow, env: dict):
    value = _eval(node.base, env)
    p = node.exponent
    if isinstance(value, LazyIdentity):
        if value.coeff == 0 and p < 0:
            raise NonFinite("cannot invert 0·I")
        return LazyIdentity(value.coeff**p)
    if value.shape == (1, 1):
        if value[0, 0] == 0 and p < 0:
            raise NonFinite(f"division by zero ({render(node.base)} is 0)")
        return value**p  # a negative base with a fractional power gives NaN, refused at the end
    if not float(p).is_integer():
        raise MathEvalError(f"only whole-number powers of a matrix are evaluated, not {render(node)}",
                            kind="unreadable")
    n = int(p)
    if n < 0:
        value, n = _inverse(value, node.base), -n
    elif value.shape[0] != value.shape[1]:
        raise MathEvalError(f"cannot take a power of {render(node.base)} ({shape_text(value)}): it is not square")
    return value if n == 1 else np.linalg.matrix_power(value, n)


def _transpose(node: Transpose, env: dict):
    value = _eval(node.arg, env)
    return value if isinstance(value, LazyIdentity) else value.T


_FUNC_NAMES = {"det": "det", "tr": "tr", "adj": "adj", "cof": "Cof", "bars": "|…|", "exp": "exp", "log": "log",
               "sqrt": "sqrt"}


def _func(node: Func, env: dict):
    value = _eval(node.arg, env)
    name = node.name
    if isinstance(value, LazyIdentity):
        if name in ("det", "bars", "adj", "cof") and value.coeff == 1.0:  # det I = 1, adj I = Cof I = I
            return np.array([[1.0]]) if name in ("det", "bars") else value
        raise MathEvalError(f"the size of I cannot be inferred inside {_FUNC_NAMES[name]}(…)", kind="unreadable")
    rows, cols = value.shape
    if name in ("exp", "log", "sqrt"):
        if (rows, cols) != (1, 1):
            raise MathEvalError(f"\\{name} of a matrix is not evaluated ({render(node.arg)} is {rows}×{cols})",
                                kind="unreadable")
        x = value[0, 0]
        if name == "exp":
            if x > EXP_LIMIT:
                raise MathEvalError("too large to evaluate (an exponential overflows)", kind="too_large")
            return np.exp(value)
        if x < 0 or (x == 0 and name == "log"):
            raise NonFinite(f"\\{name} of a {'negative' if x < 0 else 'zero'} number")
        return np.log(value) if name == "log" else np.sqrt(value)
    if name == "bars":
        if (rows, cols) == (1, 1):
            return np.abs(value)
        if rows == 1 or cols == 1:
            raise MathEvalError(f"|{render(node.arg)}| of a vector (a norm) is not evaluated", kind="unreadable")
        name = "det"
    if rows != cols:
        raise MathEvalError(f"{_FUNC_NAMES[node.name]} needs a square matrix, but {render(node.arg)} is {rows}×{cols}")
    if name == "det":
        return np.array([[np.linalg.det(value)]])
    if name == "tr":
        return np.array([[np.trace(value)]])
    adjugate = np.linalg.det(value) * _inverse(value, node.arg)
    return adjugate if name == "adj" else adjugate.T


def _matrix(node: Matrix, env: dict):
    blocks = [[_eval(entry, env) for entry in row] for row in node.rows]
    if any(isinstance(b, LazyIdentity) for row in blocks for b in row):
        raise MathEvalError("an I inside a matrix needs an explicit size (I_2, I_3, …)", kind="unreadable")
    if all(b.shape == (1, 1) for row in blocks for b in row):
        return np.array([[b[0, 0] for b in row] for row in blocks], dtype=float)
    try:
        return np.block(blocks)
    except ValueError:
        raise MathEvalError(f"the blocks of {render(node)} do not fit together") from None


_HANDLERS = {
    Num: _num, Sym: _sym, Identity: _identity, Indexed: _indexed, Add: _add, Neg: _neg, Mul: _mul,
    Recip: _recip, Pow: _pow, Transpose: _transpose, Func: _func, Matrix: _matrix,
}
