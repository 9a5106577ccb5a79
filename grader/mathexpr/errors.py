"""The three ways an expression can fail, kept apart because they are charged to different people.

- ``MathParseError``: the student's text is not an expression of the supported grammar (``kind`` is
  ``"unreadable"``), or it is too long, too deep or has a huge exponent (``TooLarge``, ``kind`` ``"too_large"``).
  The message is written for the student and quotes the snippet near the problem.
- ``MathEvalError``: the expression reads, but cannot be evaluated: shapes that do not conform (``"shape"``),
  a symbol nobody declared (``UnknownSymbol``, ``"unknown_symbol"``), a singular inverse or an overflow
  (``NonFinite``, ``"non_finite"``), index notation (``"unreadable"``), an overflowing ``exp`` (``"too_large"``).
- ``MathReferenceError``: the reference expression or a definition supplied by the grader is broken. That is a
  grader fault and must never be reported as the student's mistake.
"""

from __future__ import annotations

class MathParseError(ValueError):
    """The text could not be read as an expression; ``message`` is fit to show the student."""

    kind = "unreadable"

    def __init__(self, message: str, snippet: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.snippet = snippet


class TooLarge(MathParseError):
    """Refused before any work grows with the input: too long, nested too deeply, exponent too large."""

    kind = "too_large"


class MathEvalError(ValueError):
    """The expression reads but has no value on a draw; ``kind`` says why (see the module docstring)."""

    def __init__(self, message: str, kind: str = "shape") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


class UnknownSymbol(MathEvalError):
    """A symbol that is neither declared, defined nor a constant."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown symbol {name}", kind="unknown_symbol")
        self.name = name


class NonFinite(MathEvalError):
    """Division by zero, a singular inverse, an overflow: a value that can never equal anything."""

    def __init__(self, message: str) -> None:
        super().__init__(message, kind="non_finite")


class MathReferenceError(RuntimeError):
    """The grader's own reference or definitions do not parse or evaluate (a grader fault)."""
