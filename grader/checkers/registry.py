"""Checkers register here by name, with a declared parameter list.

A rubric file names checkers and gives their parameters; the rubric loader validates every call
against the declaration below before any submission is graded, so a misspelt checker or
parameter fails ``check-rubric`` instead of a student's grade.

The built-in checkers use the same ``@checker`` decorator an outside module would.
A checker is a pure function ``(answer: Answer, **params) -> Outcome``: no I/O, no globals. It reads
the answer through the Answer's cached, typed readings (grader.extract.answer), so every check of a
question sees the same final answer. Its keyword parameters must be exactly the declared ones:
``@checker`` refuses a function whose signature disagrees with its declaration, at import time.

Checkers from outside grader/ register the same way, from a module that a rubric names in its
``plugins:`` list or that a package declares in the ``grader.checkers`` entry-point group.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from grader.extract.answer import Answer
from grader.model import Outcome


@dataclass(frozen=True)
class Param:
    """A checker parameter as declared: its type, whether it is required, its default and meaning."""

    type: str  # see TYPES
    required: bool = True
    default: object = None
    doc: str = ""


@dataclass(frozen=True)
class CheckerSpec:
    """A registered checker: its function, its declared parameters and its documentation."""

    name: str
    func: Callable[..., Outcome]
    params: dict[str, Param] = field(default_factory=dict)
    doc: str = ""


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def _is_numbers(v: object) -> bool:
    if isinstance(v, np.ndarray):
        return v.ndim == 1 and np.issubdtype(v.dtype, np.number)
    return isinstance(v, (list, tuple)) and len(v) > 0 and all(_is_number(x) for x in v)


def _is_matrix(v: object) -> bool:
    if isinstance(v, np.ndarray):
        return v.ndim == 2 and v.size > 0 and np.issubdtype(v.dtype, np.number)
    return (
        isinstance(v, (list, tuple))
        and len(v) > 0
        and all(_is_numbers(row) and len(row) == len(v[0]) for row in v)
    )


def _is_int_set(v: object) -> bool:
    return isinstance(v, (set, frozenset, list, tuple)) and all(
        isinstance(x, (int, np.integer)) and not isinstance(x, bool) for x in v
    )


def _is_str_list(v: object) -> bool:
    return isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v)


def _is_str_map(v: object) -> bool:
    return isinstance(v, dict) and all(isinstance(k, str) and isinstance(x, str) for k, x in v.items())


def _is_symbol_table(v: object) -> bool:
    """{name: "spd(d)" | "matrix(n, d)" | "vector(n)" | "scalar" | …}, read by grader.mathexpr.symbol_table."""
    if not _is_str_map(v) or not v:
        return False
    from grader.mathexpr import symbol_table

    try:
        symbol_table(v)
    except ValueError:
        return False
    return True


def _is_aliases(v: object) -> bool:
    return isinstance(v, dict) and all(isinstance(k, str) and _is_str_list(a) for k, a in v.items())


def _is_cues(v: object) -> bool:
    """{mean: [cue, …], cov: [cue, …]}, read by grader.extract.expression_labels.Cues."""
    if not (isinstance(v, dict) and v and set(v) <= {"mean", "cov"} and all(_is_str_list(a) for a in v.values())):
        return False
    from grader.extract.expression_labels import Cues

    try:
        Cues(v)
    except ValueError:
        return False
    return True


# Parameter types a checker may declare, with what a rubric value must look like.
TYPES: dict[str, Callable[[object], bool]] = {
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "bool|null": lambda v: v is None or isinstance(v, bool),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": _is_number,
    "numbers": _is_numbers,  # a vector: a list of numbers
    "matrix": _is_matrix,
    "int-set": _is_int_set,
    "str-list": _is_str_list,
    "aliases": _is_aliases,  # {canonical name: [ways students write it]}
    "cues": _is_cues,  # {mean: [...], cov: [...]}: words before math that say what it is
    "matrix-list": lambda v: isinstance(v, (list, tuple)) and all(_is_matrix(m) for m in v),
    "str-map": _is_str_map,  # {name: text}, e.g. definitions {J: "K L^T (…)^{-1}"}
    "symbols": _is_symbol_table,  # a symbol table of grader.mathexpr
}

_REGISTRY: dict[str, CheckerSpec] = {}
# Built-in checker modules, imported on first use. The light ones come first; a name they do not
# register is looked up in the later ones, so grading a homework of numbers and prose never pays
# for the math-expression layer.
_BUILTIN_MODULES = ("grader.checkers.values", "grader.checkers.prose", "grader.checkers.expressions")
_loaded = 0  # how many of _BUILTIN_MODULES have been imported


def checker(name: str, **params: Param) -> Callable:
    """Register ``func`` as checker ``name`` taking the declared ``params``."""
    for pname, p in params.items():
        if p.type not in TYPES:
            raise ValueError(f"checker {name}: parameter {pname} has unknown type {p.type!r}")

    def register(func: Callable[..., Outcome]) -> Callable[..., Outcome]:
        _check_signature(name, func, params)
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise ValueError(f"checker {name!r} is registered twice")
        _REGISTRY[name] = CheckerSpec(name, func, dict(params), (func.__doc__ or "").strip())
        return func

    return register


def _check_signature(name: str, func: Callable, params: dict[str, Param]) -> None:
    """One positional parameter (the answer), then exactly the declared parameters, keyword-only.

    Read from the code object rather than with inspect, whose import a cold grade would pay for."""
    code = func.__code__
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    keywords = set(names[code.co_argcount:])
    if code.co_argcount != 1 or code.co_flags & 0x0C or keywords != set(params):  # 0x0C: *args or **kwargs
        raise ValueError(f"checker {name}: the function must take (answer, *, {', '.join(params)}), "
                         f"not ({', '.join(names)})")


def _load_next_builtin() -> bool:
    global _loaded
    if _loaded >= len(_BUILTIN_MODULES):
        return False
    importlib.import_module(_BUILTIN_MODULES[_loaded])  # registers its checkers
    _loaded += 1
    return True


_entry_points_loaded = False


def load_plugin(module: str) -> None:
    """Import a module that registers checkers (a rubric's ``plugins:`` entry); ImportError says what is missing."""
    importlib.import_module(module)


def _load_entry_points() -> bool:
    """Import the modules packages declare in the ``grader.checkers`` entry-point group (once)."""
    global _entry_points_loaded
    if _entry_points_loaded:
        return False
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group="grader.checkers"):
        ep.load()  # the module registers its checkers with @checker
    return True


def get(name: str) -> CheckerSpec | None:
    while name not in _REGISTRY and (_load_next_builtin() or _load_entry_points()):
        pass
    return _REGISTRY.get(name)


def all_checkers() -> dict[str, CheckerSpec]:
    while _load_next_builtin():
        pass
    _load_entry_points()
    return dict(sorted(_REGISTRY.items()))


def validate_params(spec: CheckerSpec, params: dict) -> list[str]:
    """Problems with ``params`` for ``spec``, as 'key: what is wrong' strings (empty when fine)."""
    problems = []
    for key in params:
        if key not in spec.params:
            known = ", ".join(spec.params) or "none"
            problems.append(f"{key}: unknown parameter of checker {spec.name!r} (it takes: {known})")
    for key, p in spec.params.items():
        if key not in params:
            if p.required:
                problems.append(f"{key}: missing (checker {spec.name!r} requires it: {p.doc})")
            continue
        if not TYPES[p.type](params[key]):
            problems.append(f"{key}: expected {p.type}, got {params[key]!r:.80}")
    return problems


def call(spec: CheckerSpec, answer: Answer | str, params: dict) -> Outcome:
    """Run a checker on an Answer (a string is read as an answer of one block, for tests and tools)."""
    if not isinstance(answer, Answer):
        answer = Answer.from_text(answer)
    full = {k: p.default for k, p in spec.params.items() if not p.required}
    full.update(params)
    return spec.func(answer, **full)
