"""The ``expression_form`` detector: what values cannot tell about the final expression.

It passes when the final expression (read as grader.checkers.expressions reads it, with the same parameters)
uses a symbol (``uses: [v]``, also through the student's own definitions), applies a function (``functions:
[tr]``), is a scalar, or inverts a matrix equal to a given one (``inverts``). docs/math-expressions.md describes it.
"""

from __future__ import annotations

from grader.checkers.expressions import (
    _CONDITION, _CUES, _DEFINITIONS, _OTHER_LABELS, _SYMBOLS, _TARGET, _TOLERANCE, _conflict, _final, _not_found,
    _setting, _Setting, _short, _too_long,
)
from grader.checkers.registry import Param, checker
from grader.extract.answer import Answer
from grader.mathexpr import MathEvalError, MathParseError, draw_environments, free_symbols, parse
from grader.mathexpr.equivalence import compare_values, student_definitions_for, used_definitions
from grader.mathexpr.evaluate import evaluate_value
from grader.mathexpr.nodes import Func, Matrix, Num, Pow, Sym, Transpose, children
from grader.mathexpr.symbols import canonical_name, extend
from grader.model import Outcome

_SCALAR_FUNCTIONS = frozenset({"tr", "det", "bars", "log", "exp", "sqrt"})


def _definitions_used(expr, setting: _Setting) -> list:
    """The student's definitions ``expr`` relies on, directly or through one another, as parsed trees."""
    own = student_definitions_for(setting.own)
    return [tree for _, tree in used_definitions(expr, own)] if isinstance(own, tuple) else []


def _nodes(*trees):
    stack = list(trees)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(children(node))


def _structurally_scalar(expr) -> bool:
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Num) or (isinstance(node, Func) and node.name in _SCALAR_FUNCTIONS):
            continue
        if isinstance(node, (Sym, Func, Transpose, Matrix)) or not children(node):
            return False  # a symbol, I, adj/Cof or a matrix: not known to be a scalar
        stack.extend(children(node))
    return True


def _environments(setting: _Setting) -> list[dict]:
    envs = draw_environments(setting.symbols, setting.definitions or None)
    own = student_definitions_for(setting.own)
    if isinstance(own, tuple) and own:
        try:
            return [extend(env, own) for env in envs]
        except MathEvalError:
            return envs
    return envs


def _is_scalar(expr, setting: _Setting) -> bool:
    try:
        value = evaluate_value(expr, _environments(setting)[0])
    except MathEvalError:
        return _structurally_scalar(expr)
    return getattr(value, "shape", None) == (1, 1)


def _inverts(trees: list, form: str, setting: _Setting) -> bool:
    envs = _environments(setting)
    target = parse(form)
    for node in _nodes(*trees):
        if not (isinstance(node, Pow) and node.exponent < 0):
            continue
        try:
            if all(compare_values(evaluate_value(node.base, env), evaluate_value(target, env), rtol=setting.tolerance,
                                  atol=1e-9, draw=i, n_draws=len(envs)) is None for i, env in enumerate(envs)):
                return True
        except MathEvalError:
            continue
    return False


def _other_sides(found) -> list:
    """The parsed right-hand sides before the final one in the final statement's chain (those that parse)."""
    extra = getattr(getattr(found, "source", None), "extra", None) or {}
    sides = tuple(extra.get("sides") or ())
    middle = sides[1:-1] if extra.get("lhs") else sides[:-1]
    trees = []
    for side in middle:
        try:
            trees.append(parse(side))
        except MathParseError:
            continue
    return trees


@checker(
    "expression_form",
    symbols=_SYMBOLS, definitions=_DEFINITIONS, target=_TARGET, condition=_CONDITION, tolerance=_TOLERANCE,
    uses=Param("str-list", required=False, default=[], doc="passes when the expression uses one of these symbols"),
    functions=Param("str-list", required=False, default=[], doc="… or applies one of these functions (tr, det)"),
    scalar=Param("bool", required=False, default=False, doc="… or is a scalar"),
    inverts=Param("str-list", required=False, default=[], doc="… or inverts a matrix equal to one of these"),
    reference=Param("str", required=False, default="", doc="the right answer, to tell an unlabelled mean from a "
                                                           "covariance by its shape"),
    cues=_CUES, other_labels=_OTHER_LABELS,
)
def check_expression_form(answer: Answer, *, symbols, definitions, target, condition, tolerance, uses, functions, scalar,
                          inverts, reference, cues, other_labels) -> Outcome:
    """Passes when the final expression has one of the described forms (a detector for what values cannot tell)."""
    setting = _setting(answer, symbols, definitions, tolerance, [r for r in (reference, *inverts) if r], cues,
                       other_labels)
    if (refused := _too_long(answer)) is not None:
        return refused
    found = _final(answer, target, condition, setting, reference or None)
    if found is None:
        return _not_found(target)
    if _conflict(found, setting, reference or None):
        return Outcome(0.0, "", found.snippet)
    try:
        expr = parse(found.latex)
    except MathParseError as exc:
        return Outcome(0.0, exc.message, found.snippet, readable=False)
    trees = [expr, *_definitions_used(expr, setting)]
    said = f"Read ${_short(found.latex)}$"
    names = set().union(*(free_symbols(t) for t in trees))
    used = sorted(names & {canonical_name(u) for u in uses})
    if used:
        return Outcome(1.0, f"{said}: it uses {', '.join(used)}.", found.snippet, value=found.latex)
    wanted = {f.lower() for f in functions}
    applied = sorted({n.name for n in _nodes(*trees) if isinstance(n, Func) and n.name in wanted})
    if applied:
        return Outcome(1.0, f"{said}: it applies {', '.join(applied)}.", found.snippet, value=found.latex)
    if scalar and _is_scalar(expr, setting):
        return Outcome(1.0, f"{said}: a scalar.", found.snippet, value=found.latex)
    # the chain's other sides are the student's too ("= K − K Lᵀ inv(L K Lᵀ) L K = K − J L K": what J stands for)
    hit = next((form for form in inverts if _inverts(trees + _other_sides(found), form, setting)), None)
    if hit:
        return Outcome(1.0, f"{said}: it inverts ${hit}$.", found.snippet, value=found.latex)
    return Outcome(0.0, "", found.snippet)
