"""Is a student's expression the reference expression? Decided by evaluation on seeded random draws.

Two expressions that agree on a few random draws of well-conditioned matrices of changing sizes are equal as
matrix expressions with overwhelming probability; ones that differ almost always differ on the first draw. The
comparison is on the Frobenius norm, ``‖a − b‖ ≤ atol + rtol · max(‖a‖, ‖b‖)``, so a tiny entry of a large matrix
does not make rounding differences (gain form versus information form) look like an error. NaN and inf are
refused before any comparison: they are never equal to anything.

Failures are kept apart (``Verdict.kind``):

=================  ===============  ==============================================================
kind               ``equivalent``   meaning
=================  ===============  ==============================================================
``equal``          True             equal on every draw
``different``      False            a different value on some draw
``shape``          False            a different shape, or shapes that do not conform inside the answer
``non_finite``     False            a singular inverse, a division by zero, an overflow
``unreadable``     None             the text does not parse (or uses index notation)
``unknown_symbol`` None             a symbol neither declared nor defined (``Verdict.unknown`` names it)
``too_large``      None             too long, too deep, an exponent or exponential too large
=================  ===============  ==============================================================

A problem with the reference or the grader's own definitions raises ``MathReferenceError``: a grader fault is
never turned into a verdict against the student.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from .errors import MathEvalError, MathParseError, MathReferenceError
from .evaluate import LazyIdentity, evaluate_value
from .nodes import Expr, free_symbols
from .parser import parse
from .symbols import definitions_key, environments, extend, ordered_definitions, symbol_table

_DECIDED = {"equal": True, "different": False, "shape": False, "non_finite": False}


@dataclass(frozen=True)
class Verdict:
    """``equivalent`` is True, False, or None when it cannot be decided; truthy only when True."""

    equivalent: bool | None
    message: str
    kind: str
    unknown: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.equivalent is True


def verdict_from_error(exc: MathParseError | MathEvalError) -> Verdict:
    unknown = (exc.name,) if getattr(exc, "name", None) else ()
    return Verdict(_DECIDED.get(exc.kind), exc.message, exc.kind, unknown)


def describe_shape(value) -> str:
    if isinstance(value, LazyIdentity):
        return "an identity of unspecified size"
    rows, cols = value.shape
    return "a scalar" if (rows, cols) == (1, 1) else f"a {rows}×{cols} matrix"


def compare_values(got, expected, *, rtol: float, atol: float, draw: int, n_draws: int,
                   labels: tuple[str, str] = ("the answer", "the expected answer")) -> Verdict | None:
    """None when ``got`` equals ``expected`` within tolerance, else the verdict saying how they differ."""
    if isinstance(got, LazyIdentity) and isinstance(expected, LazyIdentity):
        got, expected = np.array([[got.coeff]]), np.array([[expected.coeff]])
    elif isinstance(got, LazyIdentity) or isinstance(expected, LazyIdentity):
        full = expected if isinstance(got, LazyIdentity) else got
        if full.shape[0] != full.shape[1]:
            return _shape_verdict(got, expected, labels)
        if isinstance(got, LazyIdentity):
            got = got.materialize(full.shape[0])
        else:
            expected = expected.materialize(full.shape[0])
    if got.shape != expected.shape:
        return _shape_verdict(got, expected, labels)
    for value, label in ((got, labels[0]), (expected, labels[1])):
        if not np.isfinite(value).all():
            return Verdict(False, f"{label} is not finite on random draw {draw + 1} of {n_draws}", "non_finite")
    # Both sides are divided by their largest entry first: the norm of a value near 1e200 overflows to inf,
    # and inf <= rtol * inf would let any huge answer ((10^{16})^{16} X) pass for equal.
    unit = max(float(np.abs(got).max(initial=0.0)), float(np.abs(expected).max(initial=0.0))) or 1.0
    got, expected = got / unit, expected / unit
    diff = float(np.linalg.norm(got - expected))
    scale = max(float(np.linalg.norm(got)), float(np.linalg.norm(expected)))
    if diff <= atol / unit + rtol * scale:  # written so that NaN compares as "different"
        return None
    relative = diff / scale if scale else float("inf")
    return Verdict(False, f"{labels[0]} differs from {labels[1]} (relative difference {relative:.2g} on random "
                          f"draw {draw + 1} of {n_draws})", "different")


def _shape_verdict(got, expected, labels: tuple[str, str]) -> Verdict:
    return Verdict(False, f"{labels[0]} is {describe_shape(got)} but {labels[1]} is {describe_shape(expected)}",
                   "shape")


def _as_expr(value: str | Expr) -> Expr:
    return parse(value) if isinstance(value, str) else value


def _reference(reference: str | Expr) -> Expr:
    try:
        return _as_expr(reference)
    except MathParseError as exc:
        raise MathReferenceError(f"the reference does not parse: {exc.message}") from None


def student_definitions_for(definitions: Mapping | None) -> tuple | Verdict:
    """The student's own definitions in evaluation order, or the verdict explaining why they cannot be used."""
    if not definitions:
        return ()
    try:
        return ordered_definitions(definitions_key(definitions))
    except MathParseError as exc:
        return Verdict(None, f"could not read a definition: {exc.message}", exc.kind)
    except ValueError as exc:
        return Verdict(None, str(exc), "unreadable")


def used_definitions(expr: Expr, own: tuple) -> tuple:
    """The definitions (in evaluation order) that ``expr`` uses, directly or through one another: a student's
    aside "$k = i$" in an index derivation does not make an answer that never uses k unreadable."""
    parsed = dict(own)
    needed, seen = set(free_symbols(expr)), set()
    while needed - seen:
        name = (needed - seen).pop()
        seen.add(name)
        if name in parsed:
            needed |= free_symbols(parsed[name])
    return tuple((name, e) for name, e in own if name in seen)


def unknown_verdict(names: set[str]) -> Verdict:
    listed = ", ".join(sorted(names))
    plural = "s" if len(names) > 1 else ""
    return Verdict(None, f"unknown symbol{plural} {listed} (not declared for this question)", "unknown_symbol",
                   tuple(sorted(names)))


# Verdicts of text comparisons, by their arguments: the draws are seeded, so a verdict depends on nothing else, and
# a question's checks and detectors compare the same final expression with the same references many times over.
_VERDICTS: dict[tuple, Verdict] = {}
MAX_CACHED_VERDICTS = 20_000


def _key(mapping: Mapping | None) -> tuple:
    return tuple(sorted((str(k), v) for k, v in mapping.items())) if mapping else ()


def equivalent(student: str | Expr, reference: str | Expr, symbols, definitions: Mapping | None = None, *,
               student_definitions: Mapping | None = None, n_draws: int = 3, seed: int = 0,
               rtol: float = 1e-6, atol: float = 1e-9) -> Verdict:
    """Compare ``student`` with ``reference`` on ``n_draws`` seeded draws of ``symbols``.

    ``definitions`` (the question's, e.g. J) serve both sides; ``student_definitions`` (parsed from the student's
    "where J = …") add to or override them for the student's expression only.
    """
    textual = (isinstance(student, str) and isinstance(reference, str) and isinstance(symbols, Mapping)
               and all(isinstance(v, str) for v in symbols.values())
               and all(isinstance(v, str) for m in (definitions, student_definitions) if m for v in m.values()))
    if not textual:
        return _equivalent(student, reference, symbols, definitions, student_definitions, n_draws, seed, rtol, atol)
    key = (student, reference, _key(symbols), _key(definitions), _key(student_definitions), n_draws, seed, rtol, atol)
    verdict = _VERDICTS.get(key)
    if verdict is None:
        verdict = _equivalent(student, reference, symbols, definitions, student_definitions, n_draws, seed, rtol, atol)
        if len(_VERDICTS) >= MAX_CACHED_VERDICTS:
            _VERDICTS.clear()
        _VERDICTS[key] = verdict
    return verdict


def _equivalent(student, reference, symbols, definitions, student_definitions, n_draws, seed, rtol,
                atol) -> Verdict:
    ref = _reference(reference)
    table, defs = symbol_table(symbols), definitions_key(definitions)
    envs = environments(table, defs, n_draws, seed)
    missing = free_symbols(ref) - envs[0].keys()
    if missing:
        raise MathReferenceError(f"the reference uses undeclared {', '.join(sorted(missing))}")
    try:
        expr = _as_expr(student)
    except MathParseError as exc:
        return verdict_from_error(exc)
    own = student_definitions_for(student_definitions)
    if isinstance(own, Verdict):
        return own
    own = used_definitions(expr, own)
    needed = free_symbols(expr).union(*(free_symbols(e) for _, e in own)) - {name for name, _ in own}
    unknown = needed - envs[0].keys()
    if unknown:
        return unknown_verdict(unknown)
    for draw, env in enumerate(envs):
        expected = _reference_value(ref, (reference, table, defs, n_draws, seed, draw), env)
        try:
            got = evaluate_value(expr, extend(env, own) if own else env)
        except MathEvalError as exc:
            return verdict_from_error(exc)
        verdict = compare_values(got, expected, rtol=rtol, atol=atol, draw=draw, n_draws=len(envs))
        if verdict is not None:
            return verdict
    return Verdict(True, f"equal on {len(envs)} random draws", "equal")


# The reference's value on each draw: the reference, the symbols, the definitions and the seed are the rubric's,
# so a question's every comparison with that reference (each answer's checks and detectors) evaluates it once.
_REFERENCE_VALUES: dict[tuple, object] = {}
MAX_CACHED_REFERENCE_VALUES = 4096


def _reference_value(ref: Expr, key: tuple, env: dict):
    try:
        value = _REFERENCE_VALUES.get(key)
    except TypeError:  # an unhashable reference: evaluated each time
        key, value = None, None
    if value is None:
        try:
            value = evaluate_value(ref, env)
        except MathEvalError as exc:
            value = exc
        if isinstance(value, np.ndarray):
            value.flags.writeable = False  # shared by every comparison with this reference
        if key is not None:
            if len(_REFERENCE_VALUES) >= MAX_CACHED_REFERENCE_VALUES:
                _REFERENCE_VALUES.clear()
            _REFERENCE_VALUES[key] = value
    if isinstance(value, MathEvalError):
        raise MathReferenceError(f"the reference does not evaluate: {value.message}") from None
    return value


def matches_any(student: str | Expr, candidates: Mapping[str, str | Expr], symbols,
                definitions: Mapping | None = None, **options) -> str | None:
    """The id of the first candidate (e.g. a misconception's wrong answer) the student's answer equals, or None."""
    for key, candidate in candidates.items():
        if equivalent(student, candidate, symbols, definitions, **options).equivalent is True:
            return key
    return None
