"""Checkers for matrix expressions written in LaTeX: final answers, derivation steps and form rules.

The answer is read with grader.extract.expressions (the final expression, or the mean / covariance of a stated
conditional distribution) and compared by evaluation on seeded random draws of the declared ``symbols``
(grader.mathexpr): two expressions are equal when they agree on every draw within ``tolerance`` (relative).
The question's ``definitions`` (J, P) serve both sides; the student's own "where J = …" / "P = …" replaces them
for the student's expression only. docs/math-expressions.md describes each checker.

Answers that state two different final results earn nothing and fire no detector; the message names both. The
student's problems are outcomes with messages: nothing found (``found=False``), unreadable or too large
(``readable=False``), unknown symbols, shapes, non-finite values. A broken reference, definition or symbol table
is the grader's fault: it raises MathReferenceError, and grade.py reports the question as a grader error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from grader.checkers.registry import Param, checker
from grader.extract.answer import Answer, ExpressionReading, choose_final
from grader.extract.expression_labels import cues_for
from grader.extract.expressions import MAX_TEXT_LENGTH
from grader.mathexpr import MathReferenceError, check_chain, draw_environments, equivalent
from grader.mathexpr.plain import greek_names
from grader.mathexpr.symbols import symbol_table
from grader.model import Outcome

_WHAT = {"final": "final expression", "mean": "mean", "cov": "covariance"}
_UNREAD = ("unreadable", "too_large")
# An answer with no expression we can find or read (words, an image, notation outside the grammar): a person
# should look, as for the other checkers' unread answers.
UNREAD_CONFIDENCE = 0.5

_SYMBOLS = Param("symbols", doc="the symbol table: {name: kind and shape}, e.g. {K: 'spd(d)', L: 'matrix(n, d)'}")
_DEFINITIONS = Param("str-map", required=False, default={}, doc="symbols defined by the question, e.g. {J: 'K L^T …'}")
_TARGET = Param("str", required=False, default="final", doc="final, mean or cov (of the stated conditional)")
_CONDITION = Param("str", required=False, default="", doc="the conditional of mean and cov (v given u, with a bar); "
                                                          "empty: any")
_TOLERANCE = Param("number", required=False, default=1e-6, doc="relative tolerance of the comparison")
_ALSO = Param("str-list", required=False, default=[], doc="other accepted expressions")
_ALSO_WHEN = Param("str-list", required=False, default=[],
                   doc="phrase patterns: `also` is accepted only when the answer uses one (e.g. 'numerator layout')")
_CUES = Param("cues", required=False, default=None,
              doc="words before math that say what it is, {mean: [...], cov: [...]} (default: generic English ones)")
_OTHER_LABELS = Param("str-list", required=False, default=[],
                      doc="left sides that name another quantity than the question's (\\langle, \\det, C)")


@dataclass(frozen=True)
class _Setting:
    symbols: dict
    definitions: dict
    tolerance: float
    own: dict  # the student's definitions
    reading: dict = None  # how the answer's statements are read: cues, other_labels, greek
    moments: tuple = ()  # what the answer's own names stand for: ((pattern of "\mathbb E[u]", "(L\mu + m)"), …)

    def verdict(self, student: str, reference: str):
        for pattern, value in self.moments:  # the answer's own moments, and its own names for the symbols
            student = pattern.sub(lambda _m, v=value: v, student)
        return equivalent(student, reference, self.symbols, self.definitions or None,
                          student_definitions=self.own or None, rtol=self.tolerance)


# A moment of one variable or a pair, unconditional: "\mathbb E[u]", "E(u)", "\operatorname{Cov}(v, u)", "Var(u)"
_MOMENT = re.compile(r"\s*(?:\\mathbb\s*\{?\s*E\s*\}?|\\operatorname\s*\{\s*(?:E|Cov|Var)\s*\}|\\mathrm\s*\{\s*(?:E|Cov|Var)\s*\}"
                     r"|E|Cov|Var|\\text\s*\{\s*(?:Cov|Var)\s*\})\s*(?:\\left|\\bigl|\\big)?\s*[\[(]\s*[A-Za-z](?:\s*,\s*[A-Za-z])?"
                     r"\s*(?:\\right|\\bigr|\\big)?\s*[\])]\s*")


# a moment anywhere in a side: the general formula names them
_MOMENT_IN = re.compile(_MOMENT.pattern)
_FUNCTION = {"E": r"(?:\\mathbb\s*\{?\s*E\s*\}?|\\operatorname\s*\{\s*E\s*\}|\\mathrm\s*\{\s*E\s*\}|E)",
             "Cov": r"(?:\\operatorname\s*\{\s*Cov\s*\}|\\mathrm\s*\{\s*Cov\s*\}|\\text\s*\{\s*Cov\s*\}|Cov)",
             "Var": r"(?:\\operatorname\s*\{\s*Var\s*\}|\\mathrm\s*\{\s*Var\s*\}|\\text\s*\{\s*Var\s*\}|Var)"}
_GIVEN_KEY = re.compile(r"\s*(E|Cov|Var)\s*[\[(]\s*([A-Za-z])\s*(?:,\s*([A-Za-z])\s*)?[\])]\s*")


@lru_cache(maxsize=32)
def _given_moments(given: tuple[tuple[str, str], ...]) -> tuple:
    """(pattern, value) for each moment the question gives ("E[v]": "\\mu"), whatever its spelling: E[v], E(v),
    \\mathbb{E}[v], \\operatorname{Cov}(v)."""
    out = []
    for key, value in given:
        m = _GIVEN_KEY.fullmatch(key)
        if not m:
            raise MathReferenceError(f"given moments are written E[v], Cov(v) or Cov(v, u), not {key!r}")
        args = r"\s*,\s*".join(re.escape(a) for a in m.groups()[1:] if a)
        out.append((re.compile(_FUNCTION[m.group(1)] + r"\s*(?:\\left|\\bigl|\\big)?\s*[\[(]\s*" + args
                               + r"\s*(?:\\right|\\bigr|\\big)?\s*[\])]"), f"({value})"))
    return tuple(out)


def _middle_sides(statement: ExpressionReading) -> tuple[str, ...]:
    """The sides of a statement's chain between its left side and its value (the steps on the way)."""
    sides = statement.source.extra.get("sides", ()) if statement.source is not None else ()
    return tuple(sides[1:-1])


def _moments(answer: Answer, greek: tuple = ()) -> tuple:
    """The moments the answer states on their own ("\\mathbb E[u] = L\\mu + m", "Cov(v, u) = K L^T"), each with a
    pattern for it that ignores spacing: "μ + K Lᵀ(Σ + L K Lᵀ)⁻¹(u − \\mathbb E[u])" means what it says with E[u]
    replaced by the answer's own value of it."""
    found = {}
    for chain in answer.chains(inline=True):
        if len(chain.sides) == 2 and _MOMENT.fullmatch(chain.sides[0]):
            lhs, value = chain.sides[0].strip(), chain.sides[1].strip().rstrip(".,;")
            if value and lhs not in value:
                found[lhs] = value
    typed = answer.final_expression(greek=greek)  # on lines without math: "E[u] = L mu + m"
    for statement in typed.candidates if typed is not None else ():
        if statement.kind == "plain" and _MOMENT.fullmatch(statement.lhs or "") and statement.lhs.strip() not in found:
            found[statement.lhs.strip()] = statement.latex.strip().rstrip(".,;")
    return tuple((_spaced(lhs), f"({value})") for lhs, value in found.items())


def _renamed(answer: Answer, symbols: dict) -> tuple:
    """The letters the student declared for the question's symbols ("I write S for Sigma": settings.notation,
    grader.extract.notation), each with a pattern for the letter standing alone and the symbol's LaTeX."""
    names = {name.lower(): name for name in symbols}
    out = []
    for letter, symbol in answer.typos.items():
        if len(letter) != 1 or symbol not in names or letter in names or letter.upper() in symbols:
            continue
        name = names[symbol]
        latex = f"\\{name} " if len(name) > 1 else name  # Sigma → \Sigma
        out.append((_standalone(letter), latex))
    return tuple(out)


@lru_cache(maxsize=64)
def _standalone(letter: str) -> re.Pattern:
    return re.compile(rf"(?<![\\A-Za-z]){letter}(?![A-Za-z_])", re.IGNORECASE)


@lru_cache(maxsize=256)
def _spaced(text: str) -> re.Pattern:
    """A pattern for ``text`` whatever its spacing (answers repeat the same few moments)."""
    return re.compile(r"\s*".join(re.escape(c) for c in text if not c.isspace()))


# The grader's sides already validated: they depend on the rubric only, not on the answer being graded.
_VALIDATED: set[tuple] = set()


def _validate(symbols: dict, definitions: dict, references) -> None:
    """Raise MathReferenceError when the symbol table, a definition or a reference is broken (the grader's fault)."""
    key = (tuple(sorted(symbols.items())), tuple(sorted((definitions or {}).items())), tuple(references))
    if key in _VALIDATED:
        return
    try:
        draw_environments(symbols, definitions or None)
        for reference in references:
            equivalent(reference, reference, symbols, definitions or None)
    except ValueError as exc:  # a symbol table the math layer cannot read (MathReferenceError passes through)
        raise MathReferenceError(f"the symbol table is broken: {exc}") from None
    _VALIDATED.add(key)


def _reading(symbols: dict, cues, other_labels) -> dict:
    """The options of Answer.final_expression; broken cues are the rubric's fault (MathReferenceError)."""
    if cues is not None:
        unknown = sorted(set(cues) - {"mean", "cov"})
        if unknown:
            raise MathReferenceError(f"cues are given for mean and cov, not for {', '.join(unknown)}")
        try:
            cues_for(cues)
        except ValueError as exc:
            raise MathReferenceError(f"the cues are broken: {exc}") from None
        cues = {target: tuple(words) for target, words in cues.items()}
    greek = tuple(sorted(greek_names(spec.name for spec in symbol_table(symbols))))
    return {"cues": cues, "other_labels": tuple(other_labels or ()), "greek": greek}


def _setting(answer: Answer, symbols: dict, definitions: dict, tolerance: float, references=(), cues=None,
             other_labels=()) -> _Setting:
    """Validate the grader's side (raises MathReferenceError) and read the student's definitions."""
    _validate(symbols, definitions, references)
    # None: too long to search, and the answer is judged without its definitions
    own = answer.definitions(symbols, MAX_TEXT_LENGTH) or {}
    reading = _reading(symbols, cues, other_labels)
    return _Setting(symbols, definitions, float(tolerance), own, reading,
                    _moments(answer, reading["greek"]) + _renamed(answer, symbols))


def _fits(found: ExpressionReading, setting: _Setting, reference: str) -> bool:
    return setting.verdict(found.latex, reference).kind != "shape"


def _final(answer: Answer, target: str, condition: str, setting: _Setting,
           reference: str | None) -> ExpressionReading | None:
    """The final expression; an unlabelled mean or covariance is told apart by the shape of the reference."""
    found = answer.final_expression(target, condition, **setting.reading)
    if found is None or target == "final" or not found.unlabelled or not reference:
        return found
    return choose_final([f for f in found.candidates if _fits(f, setting, reference)])


def _conflict(found: ExpressionReading, setting: _Setting, reference: str | None) -> str | None:
    """The message for an answer that states two different final results, else None."""
    for rival in found.rivals:
        if "".join(rival.latex.split()) == "".join(found.latex.split()):
            continue
        differ = bool(reference) and len({setting.verdict(f.latex, reference).equivalent is True
                                          for f in (found, rival)}) == 2
        if not differ:
            try:
                differ = setting.verdict(rival.latex, found.latex).equivalent is not True
            except MathReferenceError:  # the answer itself cannot serve as a reference: compare the texts
                differ = True
        if differ:
            return (f"The answer states two different final results, ${_short(found.latex)}$ and "
                    f"${_short(rival.latex)}$; neither is credited.")
    return None


def _short(latex: str, limit: int = 80) -> str:
    latex = " ".join(latex.split())
    return latex if len(latex) <= limit else latex[: limit - 1] + "…"


def _mentions(answer: Answer, patterns) -> bool:
    return any(not f.negated for f in answer.phrases(patterns))


def _accepted(answer: Answer, reference: str, also, also_when) -> list[str]:
    return [reference] + (list(also) if also and (not also_when or _mentions(answer, also_when)) else [])


def _too_long(answer: Answer) -> Outcome | None:
    if len(answer.text) <= MAX_TEXT_LENGTH:
        return None
    return Outcome(0.0, f"The answer is too long to read ({len(answer.text)} characters; the limit is "
                   f"{MAX_TEXT_LENGTH}).",
                   readable=False, confidence=UNREAD_CONFIDENCE)


def _not_found(target: str) -> Outcome:
    return Outcome(0.0, f"No {_WHAT.get(target, 'expression')} found.", found=False, confidence=UNREAD_CONFIDENCE)


@checker(
    "expression",
    reference=Param("str", doc="the reference expression in LaTeX"),
    symbols=_SYMBOLS, definitions=_DEFINITIONS, target=_TARGET, condition=_CONDITION, tolerance=_TOLERANCE,
    which=Param("str", required=False, default="final",
                doc="final: the final expression; any: any statement of the target (a derivation reaching it)"),
    also=_ALSO, also_when=_ALSO_WHEN, cues=_CUES, other_labels=_OTHER_LABELS,
    given=Param("str-map", required=False, default={},
                doc="with which: any, the moments the question gives ({'E[v]': '\\mu', 'Cov(v)': 'K'}): a step that is "
                    "the general formula in moments (E[v] + Cov(v, u) Cov(u)^{-1} (u - E[u])) counts when, with the "
                    "answer's own values of the other moments, it equals the reference"),
)
def check_expression(answer: Answer, *, reference, symbols, definitions, target, condition, tolerance, which, also,
                     also_when, cues, other_labels, given=None) -> Outcome:
    """The answer's final expression equals the reference on every random draw."""
    if which not in ("final", "any"):
        raise MathReferenceError(f"which must be 'final' or 'any', not {which!r}")
    setting = _setting(answer, symbols, definitions, tolerance, [reference, *also], cues, other_labels)
    if (refused := _too_long(answer)) is not None:
        return refused
    found = _final(answer, target, condition, setting, reference)
    if found is None:
        return _not_found(target)
    conflict = _conflict(found, setting, reference)
    if conflict:
        return Outcome(0.0, conflict, found.snippet, value=found.latex)
    accepted = _accepted(answer, reference, also, also_when)
    statements = [found]
    if which == "any":
        statements = [f for f in found.candidates if not f.unlabelled or _fits(f, setting, reference)]
    for statement in reversed(statements):
        if any(setting.verdict(statement.latex, ref).equivalent is True for ref in accepted):
            where = "" if statement.start == found.start else " (in the derivation)"
            return Outcome(1.0, f"Read ${_short(statement.latex)}${where}.", statement.snippet, value=statement.latex)
    if which == "any" and given:  # "E[v|u] = E[v] + Cov(v,u) Cov(u)^-1 (u - E[u]) = …": the general formula, read
        general = replace(setting, moments=setting.moments + _given_moments(tuple(sorted(given.items()))))
        for statement in reversed(statements):
            for side in (statement.latex, *_middle_sides(statement)):
                if _MOMENT_IN.search(side) and any(general.verdict(side, ref).equivalent is True for ref in accepted):
                    return Outcome(1.0, f"Read ${_short(side)}$ (in the derivation, with the moments it names).",
                                   statement.snippet, value=side)
    verdict = setting.verdict(found.latex, reference)
    unread = verdict.kind in _UNREAD
    return Outcome(0.0, f"Read ${_short(found.latex)}$: {verdict.message}.", found.snippet, readable=not unread,
                   value=found.latex, confidence=UNREAD_CONFIDENCE if unread else 1.0)


@checker(
    "expression_matches",
    references=Param("str-list", doc="wrong expressions in LaTeX (any one matching is enough)"),
    symbols=_SYMBOLS, definitions=_DEFINITIONS, target=_TARGET, condition=_CONDITION, tolerance=_TOLERANCE,
    kinds=Param("str-list", required=False, default=["equal"],
                doc="verdicts that count as a match: equal, or shape (a value of another shape)"),
    cues=_CUES, other_labels=_OTHER_LABELS,
)
def check_expression_matches(answer: Answer, *, references, symbols, definitions, target, condition, tolerance,
                             kinds, cues, other_labels) -> Outcome:
    """Passes when the final expression equals one of ``references`` (a misconception detector)."""
    if not references:
        raise MathReferenceError("expression_matches needs at least one reference")
    setting = _setting(answer, symbols, definitions, tolerance, references, cues, other_labels)
    if (refused := _too_long(answer)) is not None:
        return refused
    found = _final(answer, target, condition, setting, references[0])
    if found is None:
        return _not_found(target)
    if _conflict(found, setting, references[0] if "equal" not in kinds else None):
        return Outcome(0.0, "", found.snippet)
    for reference in references:
        verdict = setting.verdict(found.latex, reference)
        if verdict.kind in kinds:
            return Outcome(1.0, f"Read ${_short(found.latex)}$.", found.snippet, value=found.latex)
    return Outcome(0.0, "", found.snippet)


def _steps(answer: Answer, setting: _Setting):
    """(chain, steps) for every chain of two sides or more, in text order."""
    for chain in answer.chains(inline=True):
        sides = list(chain.sides)
        if len(sides) >= 2:
            yield chain, sides, check_chain(sides, setting.symbols, setting.definitions or None,
                                            student_definitions=setting.own or None, rtol=setting.tolerance)


@checker(
    "derivation",
    symbols=_SYMBOLS, definitions=_DEFINITIONS, tolerance=_TOLERANCE, target=_TARGET, condition=_CONDITION,
    reference=Param("str", required=False, default="",
                    doc="when given, the derivation counts only if the final expression equals it"),
    also=_ALSO, also_when=_ALSO_WHEN, cues=_CUES, other_labels=_OTHER_LABELS,
)
def check_derivation(answer: Answer, *, symbols, definitions, tolerance, target, condition, reference, also,
                     also_when, cues, other_labels) -> Outcome:
    """Passes unless a step of a chain a = b = c … is false; the first false step is the message.

    With ``reference``, an answer whose final expression is not the reference (or an accepted ``also``) earns
    nothing here either: having no false step is not a merit of a wrong answer, or of no answer.
    """
    setting = _setting(answer, symbols, definitions, tolerance, [reference, *also] if reference else [], cues,
                       other_labels)
    if (refused := _too_long(answer)) is not None:
        return refused
    if reference:
        found = _final(answer, target, condition, setting, reference)
        if found is None:
            return _not_found(target)
        accepted = _accepted(answer, reference, also, also_when)
        if _conflict(found, setting, reference) or not any(
                setting.verdict(found.latex, ref).equivalent is True for ref in accepted):
            return Outcome(0.0, "", found.snippet)
    checked = unchecked = 0
    for chain, sides, steps in _steps(answer, setting):
        for step in steps:
            if step.status == "different":
                shown = f"${_short(step.left, 60)}$ = ${_short(step.right, 60)}$"
                reason = step.verdict.message if step.verdict is not None else step.message
                return Outcome(0.0, f"The step {shown} does not hold: {reason}.", f"{step.left} = {step.right}",
                               value=[step.left, step.right])
            checked += step.status == "equal"
            unchecked += step.status == "not checked"
    if not checked and not unchecked:
        return Outcome(1.0, "")
    why = "index notation, derivatives and the like are outside what is read"
    if not checked:
        return Outcome(1.0, f"No step of the derivation could be checked ({why}).")
    message = f"{checked} step{'s' if checked != 1 else ''} checked, none false"
    return Outcome(1.0, message + (f" ({unchecked} not checked: {why})." if unchecked else "."))


@checker(
    "derivation_step",
    symbols=_SYMBOLS, definitions=_DEFINITIONS, tolerance=_TOLERANCE,
    left=Param("str", required=False, default="", doc="the step's left side equals this expression"),
    right=Param("str", required=False, default="", doc="the step's right side equals this expression"),
    patterns=Param("str-list", required=False, default=[], doc="phrase patterns one side must match"),
    false_only=Param("bool", required=False, default=True, doc="only false steps count"),
)
def check_derivation_step(answer: Answer, *, symbols, definitions, tolerance, left, right, patterns,
                          false_only) -> Outcome:
    """Passes when a step of a derivation has the described form (a detector)."""
    setting = _setting(answer, symbols, definitions, tolerance, [r for r in (left, right) if r])
    if (refused := _too_long(answer)) is not None:
        return refused
    for chain, sides, steps in _steps(answer, setting):
        for step in steps:
            if false_only and step.status != "different":
                continue
            if left and setting.verdict(step.left, left).equivalent is not True:
                continue
            if right and setting.verdict(step.right, right).equivalent is not True:
                continue
            if patterns and not any(_mentions(Answer.from_text(f"${side}$"), patterns) for side in (step.left, step.right)):
                continue
            shown = f"${_short(step.left, 60)}$ = ${_short(step.right, 60)}$"
            return Outcome(1.0, f"The step {shown}.", f"{step.left} = {step.right}", value=[step.left, step.right])
    return Outcome(0.0, "")


# The form detector lives in its own module; importing it here registers it with the other expression checkers.
from grader.checkers import expression_form  # noqa: E402,F401
