"""Checkers for stated values: named numbers, matrices, sets of variables.

Each compares the student's final answer (the documented rules of grader.extract) with a value
the rubric resolves from the solutions module. Tolerances are absolute and per entry; a NaN or an
infinity never compares equal (``abs(a - b) <= tol`` is False for them).
"""

from __future__ import annotations

import math
import re

import numpy as np

from grader.checkers.registry import Param, checker
from grader.extract.answer import Answer
from grader.format_values import format_value
from grader.markup import QUOTED
from grader.model import Outcome
from grader.textgeom import inside

# An answer is there but states no value we can read (words, an image): a person should look.
UNREAD_CONFIDENCE = 0.5
# Hand-computed entries contradict the final matrix: which one is the answer is a person's call.
CONFLICT_CONFIDENCE = 0.4


def _close(a: float, b: float, tol: float) -> bool:
    return math.isfinite(a) and abs(a - b) <= tol


def _names(variables: dict[str, list[str]]) -> list[str]:
    return list(variables)


@checker(
    "values",
    variables=Param("aliases", doc="{canonical name: [ways students write it]}, in the order of `expected`"),
    expected=Param("numbers", doc="the reference values, one per variable"),
    tol=Param("number", required=False, default=0.005, doc="absolute tolerance per value"),
    vector=Param("str-list", required=False, default=[], doc="names of the whole vector (e.g. mu) for '(a, b)' answers"),
    cues=Param("str-list", required=False, default=[],
               doc="the homework's words that introduce an answer ('fixed point', 'converge*': a stem*), besides "
                   "thus / therefore / answer"),
    subjects=Param("str-list", required=False, default=[],
                   doc="the homework's nouns for the variables together ('means', 'centres'), for values stated in "
                       "their order: 'the means become 0 and 0'"),
)
def check_values(answer: Answer, *, variables, expected, tol, vector, cues=(), subjects=()) -> Outcome:
    """Named numbers such as μ1 = -0.96, μ2 = 0.96 ('μ1 = μ2 = 0', '(μ1, μ2) = (a, b)' too).

    Share of the variables whose final value is within ``tol``. When no variable is named, a
    lone stated vector '(a, b)' of the right length is read in the variables' order; failing that,
    values stated in that order without names ('0 and 0', 'both are 0', 'they become -1 and 1',
    'fixed point: -1 and 1' with a cue), the last such statement (the last emphasized one first);
    and for one variable an answer stating one number alone ('0.21') gives it.
    """
    names = _names(variables)
    vectors = {v: names for v in vector} if vector else None
    reading = answer.assignments(variables, vectors, tuple(cues))
    values, notes = dict(reading.values), reading.notes
    evidence = ""
    if not values:
        found = [f for f in answer.vectors() if len(f.values) == len(names)]
        if found:
            values = dict(zip(names, found[-1].values))
            evidence = found[-1].snippet
    if not values and len(names) > 1:  # "0 and 0 (all responsibilities are 1/2)": in the variables' order
        found = list(answer.positional(len(names), tuple(cues), tuple(subjects)))
        if found:
            chosen = ([f for f in found if f.emphasized] or found)[-1]
            values, evidence = dict(zip(names, chosen.values)), chosen.snippet
    if not values and len(names) == 1:  # "0.21": an answer that is one number answers a one-value question
        numbers = answer.numbers()
        if len(numbers) == 1:
            values, evidence = {names[0]: numbers[0].value}, numbers[0].snippet
    if not values:
        return Outcome(0.0, f"No value for {', '.join(names)} found.", found=False, confidence=UNREAD_CONFIDENCE)
    right = sum(1 for n, e in zip(names, expected) if n in values and _close(values[n], float(e), tol))
    stated = ", ".join(f"{n} = {format_value(values[n], '.4g')}" for n in names if n in values)
    message = f"Read {stated}." + (f" Note: {' '.join(notes)}" if notes else "")
    if notes:  # two different final answers: never credit either
        return Outcome(0.0, message, evidence or stated, value=values)
    return Outcome(right / len(names), message, evidence or stated, value=values)


def _share_right(right: np.ndarray, ref: np.ndarray) -> float:
    """The share of the reference's entries the answer has right; a symmetric reference counts each of its
    distinct entries once (Cov(Y1, Y2) miscomputed is one slip, written twice), right only where both copies are."""
    if ref.ndim == 2 and ref.shape[0] == ref.shape[1] > 1 and np.allclose(ref, ref.T):
        both = right & right.T
        return float(both[np.triu_indices(ref.shape[0])].mean())
    return float(right.mean())


@checker(
    "matrix",
    expected=Param("matrix", doc="the reference matrix"),
    tol=Param("number", required=False, default=0.01, doc="absolute tolerance per entry"),
    also=Param("matrix-list", required=False, default=[], doc="other accepted matrices (e.g. from the rounded data)"),
    partial=Param("number", required=False, default=0.0,
                  doc="credit share for a right-shaped matrix, prorated by right entries (each distinct entry of a "
                      "symmetric one once)"),
    other_labels=Param("str-list", required=False, default=[],
                       doc="names of other quantities (Q, A): a matrix the answer names so is not its answer"),
)
def check_matrix(answer: Answer, *, expected, tol, also, partial, other_labels) -> Outcome:
    """The final matrix of the answer (LaTeX, NumPy printout or list of lists) against the reference.

    Hand-computed entries that contradict it (Cov(Y_1, Y_2) = -0.43 beside a matrix with -0.63) leave the reading
    uncertain: the final matrix is graded, with a note and a low confidence, so a person reviews it."""
    found = answer.matrix(tuple(other_labels))
    if found is None:
        return Outcome(0.0, "No matrix found.", found=False, confidence=UNREAD_CONFIDENCE)
    if found.value is None:
        reason = found.error or "its entries are not all numbers"
        return Outcome(0.0, f"Could not read the matrix: {reason}.", found.snippet,
                       readable=found.symbolic, confidence=UNREAD_CONFIDENCE)
    got = np.asarray(found.value, dtype=float)
    conflicts = answer.matrix_disagreements(tuple(other_labels))
    note = f" Note: {'; '.join(conflicts)}." if conflicts else ""
    sure = CONFLICT_CONFIDENCE if conflicts else 1.0
    best = 0.0
    for ref in [expected, *also]:
        ref = np.asarray(ref, dtype=float)
        if ref.shape != got.shape:
            continue
        right = np.abs(got - ref) <= tol  # NaN compares False
        if right.all():
            return Outcome(1.0, f"Read {format_value(got)}.{note}", found.snippet, value=got.tolist(), confidence=sure)
        best = max(best, partial * _share_right(right, ref))
    ref_shape = np.asarray(expected).shape
    if got.shape != ref_shape:
        msg = f"Read a {got.shape[0]}×{got.shape[1]} matrix; the answer is {ref_shape[0]}×{ref_shape[1]}."
        return Outcome(0.0, msg, found.snippet, value=got.tolist())
    return Outcome(best, f"Read {format_value(got)}.{note}", found.snippet, value=got.tolist(), confidence=sure)


@checker(
    "matrix_shape",
    shape=Param("numbers", doc="[rows, columns]"),
    other_labels=Param("str-list", required=False, default=[],
                       doc="names of other quantities (Q, A): a matrix the answer names so is not its answer"),
)
def check_matrix_shape(answer: Answer, *, shape, other_labels) -> Outcome:
    """Passes when the final matrix has this shape (a detector for answers of the wrong size)."""
    found = answer.matrix(tuple(other_labels))
    if found is None or found.value is None:
        return Outcome(0.0, "No numeric matrix found.", found=False)
    got = np.asarray(found.value).shape
    ok = tuple(got) == tuple(int(s) for s in shape)
    return Outcome(1.0 if ok else 0.0, f"Read a {got[0]}×{got[1]} matrix.", found.snippet)


_CALLED_DOC = ("the set's names, for statements such as 'the Markov blanket of X_2 is X_1' (words, matched in order;"
               " a one-letter entry such as M_i is a label: X_{M_2} = {X_1})")


@checker(
    "set",
    expected=Param("int-set", doc="indices of the variables in the set"),
    symbol=Param("str", required=False, default="X", doc="the variables' letter"),
    exclude=Param("int-set", required=False, default=[], doc="indices never part of the answer (the variable itself)"),
    called=Param("str-list", required=False, default=[], doc=_CALLED_DOC),
)
def check_set(answer: Answer, *, expected, symbol, exclude, called=()) -> Outcome:
    """A set of variables such as {X_1}: exact match of the final set."""
    found = answer.final_set(symbol, frozenset(exclude), tuple(called))
    if found is None:
        return Outcome(0.0, "No set of variables found.", found=False, confidence=UNREAD_CONFIDENCE)
    got = found.members
    want = frozenset(int(i) for i in expected)
    return Outcome(1.0 if got == want else 0.0, f"Read {format_value(got)}.", found.snippet, value=sorted(got))


@checker(
    "set_stated",
    symbol=Param("str", required=False, default="X", doc="the variables' letter"),
    exclude=Param("int-set", required=False, default=[], doc="indices never part of the answer"),
    called=Param("str-list", required=False, default=[], doc=_CALLED_DOC),
)
def check_set_stated(answer: Answer, *, symbol, exclude, called=()) -> Outcome:
    """Passes when the answer states a set of variables at all (for 'a wrong set' detectors)."""
    found = answer.final_set(symbol, frozenset(exclude), tuple(called))
    if found is None:
        return Outcome(0.0, "No set of variables found.", found=False)
    return Outcome(1.0, f"Read {format_value(found.members)}.", found.snippet, value=sorted(found.members))


@checker(
    "sequence_toward",
    target=Param("number", doc="the value the printed sequence should approach"),
    min_length=Param("int", required=False, default=4, doc="how many successive values at least"),
)
def check_sequence_toward(answer: Answer, *, target, min_length) -> Outcome:
    """Passes when successive lines print values moving steadily toward ``target`` (a simulation).

    The last number of each line is taken (so "step 10: 0.37" reads 0.37); a run counts when every
    value is closer to the target than the one before and the last is at most half as far as the first.
    """
    run: list[tuple[float, str]] = []
    best: list[tuple[float, str]] = []
    for line, numbers in answer.line_numbers():
        if not numbers:
            run = []
            continue
        value = numbers[-1]
        distance = abs(value - float(target))
        if run and not distance < abs(run[-1][0] - float(target)):  # NaN breaks the run too
            run = []
        run.append((value, line.strip()))
        if len(run) > len(best):
            best = list(run)
    if len(best) >= min_length and abs(best[-1][0] - target) <= abs(best[0][0] - target) / 2:
        shown = " / ".join(line for _, line in (best[0], best[-1]))
        return Outcome(1.0, f"A printed sequence approaches {format_value(float(target), '.4g')}.", shown)
    return Outcome(0.0, "", found=bool(best))


_COUNTED = re.compile(r"\s*(?:iterations?|itérations?|steps?|étapes?|updates?|rounds?|times|fois)\b", re.IGNORECASE)
LIMIT_REACH = 60  # characters after a limit phrase in which its value is stated ("converges to roughly μ1 ≈ −0.27")
_IF = re.compile(r"(?i:\b(?:if|si|suppose|supposons|assuming|whether)\b)")  # "Si EM convergeait vers …": a hypothesis


@checker(
    "limit_claimed",
    target=Param("number", doc="the right limit"),
    cues=Param("str-list", doc="phrases that introduce the limit a sequence goes to ('converg* to', 'settl* at')"),
    tol=Param("number", required=False, default=0.05, doc="a stated limit this close to the target is the target"),
)
def check_limit_claimed(answer: Answer, *, target, cues, tol) -> Outcome:
    """Passes when the answer's last word on the limit is a value other than ``target``: the first number stated
    after each limit phrase that is not negated ("so EM converges to roughly μ1 ≈ −0.27"), the last such statement
    counting, as a final answer does ("my group thought it would settle at ±1, … both converge to 0" says 0). A count
    of iterations ("after 20 iterations") states no limit."""
    numbers = answer.numbers()
    quoted = [m.span() for m in QUOTED.finditer(answer.text)]
    last = None
    for hit in sorted(answer.phrases(list(cues)), key=lambda h: h.start):
        if hit.negated or inside(quoted, hit.start) or _IF.search(answer.text, hit.sentence_start, hit.start):
            continue  # "it does not go to -1, 1", '"… converges to (-1, 1)": False', "if it converged to …": denied
        stated = next((n for n in numbers if hit.end <= n.start <= hit.end + LIMIT_REACH
                       and not _COUNTED.match(answer.text, n.end)), None)
        if stated is not None:
            last = (hit, stated)
    if last is not None and abs(last[1].value - float(target)) > float(tol):
        hit, stated = last
        return Outcome(1.0, f"Read the limit {format_value(stated.value, '.4g')}.", answer.text[hit.start: stated.end],
                       value=stated.value)
    return Outcome(0.0, "", found=last is not None)
