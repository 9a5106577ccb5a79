"""The typed readings of an answer (grader.extract.answer): one frozen record per kind of reading, so the checkers
never see the extractors' internal records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from grader.model import Found

__all__ = [
    "AssignmentsReading", "ChainReading", "ExpressionReading", "MatrixReading", "NumberReading", "PairReading",
    "PhraseHit", "SetReading", "VectorReading",
]

@dataclass(frozen=True)
class MatrixReading:
    """The answer's final matrix. ``value`` is None when a matrix is there but has no numeric value."""

    value: object  # numpy.ndarray | None
    snippet: str
    start: int
    error: str = ""  # why ``value`` is None, when it is known
    symbolic: bool = False  # the entries are symbols (readable, just not numbers)
    factor: float | None = None  # a scalar factor written before the matrix (already in ``value``)


@dataclass(frozen=True)
class AssignmentsReading:
    """The final value of each named variable, and notes on final answers that contradict each other."""

    values: Mapping[str, float]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NumberReading:
    """A number stated in the answer."""

    value: float
    snippet: str
    start: int
    emphasized: bool = False
    end: int = 0  # where the number ends in the answer's text


@dataclass(frozen=True)
class VectorReading:
    """A bare vector "(a, b)" stated in the answer."""

    values: tuple[float, ...]
    snippet: str
    start: int
    emphasized: bool = False


@dataclass(frozen=True)
class SetReading:
    """The final set of variables (their indices), and how it was written (braces, empty, blanket, only, given)."""

    members: frozenset
    snippet: str
    form: str
    emphasized: bool = False


@dataclass(frozen=True)
class PhraseHit:
    """One match of a phrase pattern, with its negation read in its clause."""

    pattern: str
    snippet: str
    start: int
    end: int
    negated: bool
    emphasized: bool = False
    sentence_start: int = 0  # where the match's sentence starts in the answer's text
    asked: bool = False  # the sentence asks ("Converge a mu1 = -1, mu2 = 1?", the question copied): it claims nothing


@dataclass(frozen=True)
class PairReading:
    """A statement about a pair of variables and the conditioning set it names (None: no "given")."""

    pair: frozenset
    given: frozenset | None
    snippet: str
    form: str  # function (Cov(X3, X4 | …)), indep (X3 ⊥ X4 | …) or prose
    example: bool = False  # in a sentence that gives an example ("For instance Cov(X2, X3 | X4) ≠ 0"), or said to be
    # nonzero beside a "zero" for the pair asked about: no claim of the answer about the pair it was asked about


@dataclass(frozen=True)
class ExpressionReading:
    """A statement of an expression (LaTeX): the final one of the answer, or one of its candidates.

    ``rivals`` are emphasized or later statements of the same quantity that compete with the chosen one (two
    different final results); ``candidates`` every statement of the target in text order (the derivation's
    intermediate results). ``unlabelled``: the statement does not say whether it is a mean or a covariance.
    """

    latex: str
    snippet: str
    start: int
    end: int
    emphasized: bool = False
    kind: str = ""  # display, inline, plain, boxed, distribution
    lhs: str = ""
    unlabelled: bool = False
    rivals: tuple["ExpressionReading", ...] = ()
    candidates: tuple["ExpressionReading", ...] = ()
    source: Found | None = field(default=None, compare=False, repr=False)  # to choose again among candidates


@dataclass(frozen=True)
class ChainReading:
    """A chain a = b = c … of the answer's math, as its sides."""

    sides: tuple[str, ...]
    snippet: str
    start: int
