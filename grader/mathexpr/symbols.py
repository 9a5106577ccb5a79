"""Declared symbols, defined symbols and the seeded random draws they are evaluated on.

A question declares each symbol's kind and shape in named dimensions::

    {"K": "spd(d)", "L": "matrix(n, d)", "Sigma": "spd(n)", "mu": "vector(d)", "m": "vector(n)", "u": "vector(n)"}

Kinds: ``spd`` (symmetric positive definite), ``symmetric`` (well-conditioned, possibly indefinite),
``invertible`` (general and non-symmetric: a symmetric X cannot tell X⁻¹ from X⁻ᵀ), ``matrix`` (general, possibly
non-square), ``vector`` (a column), ``scalar``. Dimensions are names (``d``, ``n``) or fixed integers.

Each draw gives every named dimension a different size from 2 up (never 1, so a vector is never a scalar) and
rotates the sizes between draws: with d and n, the draws are (d, n) = (2, 3), (3, 4), (4, 2), so L is never square
and an answer that only works for one shape fails. Definitions (``J = Kᵀ Lᵀ (Σ + L K Lᵀ)⁻¹``) are evaluated from
the drawn symbols, in dependency order, on every draw. Draws are cached: grading a class re-uses them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np

from .errors import MathEvalError, MathParseError, MathReferenceError
from .evaluate import LazyIdentity, evaluate_value
from .lexer import ident_name
from .nodes import Expr, Sym, free_symbols
from .parser import parse

KINDS = ("spd", "symmetric", "invertible", "matrix", "vector", "scalar")
_SQUARE_KINDS = frozenset({"spd", "symmetric", "invertible"})
# Drawn symmetric and invertible matrices are redrawn until their condition number is below this, so that
# inverses are accurate to far better than the comparison tolerance.
MAX_CONDITION = 100.0
_PLAIN_NAME = re.compile(r"([A-Za-z]+)(?:_([A-Za-z0-9]+))?")
_SPEC = re.compile(r"\s*([A-Za-z]+)\s*(?:\((.*)\)|\s(.*))?\s*")


def canonical_name(name: str) -> str:
    """``\\Sigma``, ``Σ``, ``Sigma`` → ``Sigma``; ``X_{3}`` → ``X_3``; ``\\boldsymbol{\\mu}`` → ``mu``."""
    text = name.strip()
    m = _PLAIN_NAME.fullmatch(text)
    if m and (len(m.group(1)) == 1 or ident_name(m.group(1)) is not None):
        base = m.group(1) if len(m.group(1)) == 1 else ident_name(m.group(1))
        return f"{base}_{m.group(2)}" if m.group(2) else base
    try:
        node = parse(text)
    except MathParseError:
        node = None
    if not isinstance(node, Sym):
        raise ValueError(f"not a symbol name: {name!r}")
    return node.name


def _dimensions(shape) -> tuple:
    if isinstance(shape, (int, str)):
        shape = (shape,)
    dims = []
    for part in shape:
        if isinstance(part, str):
            dims.extend(p for p in re.split(r"[,×*\s]+", part) if p)
        else:
            dims.append(part)
    return tuple(int(d) if isinstance(d, str) and d.isdigit() else d for d in dims)


@dataclass(frozen=True)
class SymbolSpec:
    """One declared symbol; ``shape`` is normalised to (rows, cols): a vector is (n, 1), a scalar (1, 1)."""

    name: str
    kind: str
    shape: tuple = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", canonical_name(self.name))
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r} (one of {', '.join(KINDS)})")
        dims = _dimensions(self.shape)
        for d in dims:
            if not (isinstance(d, str) and d.isidentifier()) and not (isinstance(d, int) and d >= 1):
                raise ValueError(f"{self.name}: a dimension must be a name or a positive integer, not {d!r}")
        expected = {"scalar": (0,), "vector": (1,), "matrix": (2,)}.get(self.kind, (1, 2))
        if len(dims) not in expected:
            raise ValueError(f"{self.name}: a {self.kind} needs {' or '.join(map(str, expected))} dimension(s)")
        if self.kind in _SQUARE_KINDS and len(dims) == 2 and dims[0] != dims[1]:
            raise ValueError(f"{self.name}: a {self.kind} matrix must be square")
        if self.kind == "scalar":
            dims = (1, 1)
        elif self.kind == "vector":
            dims = (dims[0], 1)
        elif len(dims) == 1:
            dims = (dims[0], dims[0])
        object.__setattr__(self, "shape", dims)


SymbolTable = tuple  # of SymbolSpec, sorted by name: hashable, so draws can be cached


def _spec_from_text(name: str, text: str) -> SymbolSpec:
    m = _SPEC.fullmatch(text)
    if not m:
        raise ValueError(f"{name}: cannot read the declaration {text!r} (write e.g. 'spd(d)' or 'matrix(n, d)')")
    return SymbolSpec(name, m.group(1), m.group(2) or m.group(3) or ())


def symbol_table(symbols) -> SymbolTable:
    """Normalise declarations: a ``SymbolTable``, an iterable of ``SymbolSpec`` or a mapping name → spec, where a
    spec is a ``SymbolSpec``, a string (``"spd(d)"``, ``"matrix(n, d)"``, ``"scalar"``) or a (kind, shape) pair."""
    if isinstance(symbols, Mapping) and all(isinstance(v, str) for v in symbols.values()):
        return _table_from_text(tuple(sorted(symbols.items())))  # a rubric's table: read once, not per comparison
    return _table(symbols)


@functools.lru_cache(maxsize=256)
def _table_from_text(items: tuple[tuple[str, str], ...]) -> SymbolTable:
    return _table(dict(items))


def _table(symbols) -> SymbolTable:
    if isinstance(symbols, tuple) and all(isinstance(s, SymbolSpec) for s in symbols):
        specs: Iterable[SymbolSpec] = symbols
    elif isinstance(symbols, Mapping):
        specs = []
        for name, spec in symbols.items():
            if isinstance(spec, SymbolSpec):
                specs.append(spec)
            elif isinstance(spec, str):
                specs.append(_spec_from_text(name, spec))
            else:
                kind, shape = spec
                specs.append(SymbolSpec(name, kind, shape))
    else:
        specs = list(symbols)
    table = tuple(sorted(specs, key=lambda s: s.name))
    names = [s.name for s in table]
    if len(set(names)) != len(names):
        raise ValueError(f"a symbol is declared twice: {names}")
    return table


def definitions_key(definitions: Mapping | None) -> tuple:
    """Definitions as a hashable key: ((name, latex-or-Expr), …) sorted by name."""
    if not definitions:
        return ()
    return tuple(sorted(((canonical_name(k), v) for k, v in definitions.items()), key=lambda kv: kv[0]))


@functools.lru_cache(maxsize=256)
def ordered_definitions(key: tuple) -> tuple[tuple[str, Expr], ...]:
    """Parsed definitions, each after the ones it uses. Raises MathParseError, or ValueError for a cycle."""
    parsed = {name: (parse(v) if isinstance(v, str) else v) for name, v in key}
    needs = {name: free_symbols(expr) & parsed.keys() for name, expr in parsed.items()}
    ordered: list[tuple[str, Expr]] = []
    done: set[str] = set()
    while len(done) < len(parsed):
        ready = [n for n in sorted(parsed) if n not in done and needs[n] <= done]
        if not ready:
            circle = sorted(set(parsed) - done)
            raise ValueError(f"the definitions of {', '.join(circle)} refer to each other in a circle")
        for name in ready:
            ordered.append((name, parsed[name]))
            done.add(name)
    return tuple(ordered)


def extend(env: dict, definitions: tuple[tuple[str, Expr], ...]) -> dict:
    """``env`` plus the values of ``definitions`` (later ones may use earlier ones). Raises MathEvalError."""
    out = dict(env)
    for name, expr in definitions:
        value = evaluate_value(expr, out)
        if isinstance(value, LazyIdentity):
            raise MathEvalError(f"the size of I in the definition of {name} cannot be inferred")
        out[name] = value
    return out


def _sizes(dim_names: list[str], draw: int) -> dict[str, int]:
    pool = list(range(2, len(dim_names) + 3))
    return {name: pool[(j + draw) % len(pool)] for j, name in enumerate(dim_names)}


def _well_conditioned(rng: np.random.Generator, size: int, symmetric: bool) -> np.ndarray:
    for _ in range(50):
        g = rng.standard_normal((size, size))
        m = (g + g.T) / 2 if symmetric else g
        if np.linalg.cond(m) < MAX_CONDITION and (symmetric or not np.allclose(m, m.T)):
            return m
    return m + size * np.eye(size)  # practically unreachable: shifting the spectrum conditions it


def _draw(spec: SymbolSpec, sizes: dict[str, int], rng: np.random.Generator) -> np.ndarray:
    rows, cols = (sizes[d] if isinstance(d, str) else d for d in spec.shape)
    if spec.kind == "scalar":
        value = np.array([[rng.uniform(0.5, 2.0)]])  # positive: sqrt and log of a scalar stay defined
    elif spec.kind in ("matrix", "vector"):
        value = rng.standard_normal((rows, cols))
    elif spec.kind == "spd":
        g = rng.standard_normal((rows, rows))
        value = g @ g.T / rows + 0.5 * np.eye(rows)
        value = (value + value.T) / 2  # exactly symmetric, so K and Kᵀ are the same array
    else:
        value = _well_conditioned(rng, rows, symmetric=spec.kind == "symmetric")
    value.setflags(write=False)
    return value


@functools.lru_cache(maxsize=128)
def environments(table: SymbolTable, defs: tuple, n_draws: int, seed: int) -> tuple[dict, ...]:
    """The cached draws (read-only arrays); raises MathReferenceError for broken definitions."""
    try:
        ordered = ordered_definitions(defs)
    except (MathParseError, ValueError) as exc:
        raise MathReferenceError(f"a definition is broken: {exc}") from None
    declared = {spec.name for spec in table}
    for name, expr in ordered:
        missing = free_symbols(expr) - declared - {n for n, _ in ordered}
        if missing:
            raise MathReferenceError(f"the definition of {name} uses undeclared {', '.join(sorted(missing))}")
    rng = np.random.default_rng(seed)
    dim_names = sorted({d for spec in table for d in spec.shape if isinstance(d, str)})
    envs = []
    for draw in range(n_draws):
        sizes = _sizes(dim_names, draw)
        env = {spec.name: _draw(spec, sizes, rng) for spec in table}
        try:
            env = extend(env, ordered)
        except MathEvalError as exc:
            raise MathReferenceError(f"a definition does not evaluate: {exc.message}") from None
        for value in env.values():
            value.setflags(write=False)
        envs.append(env)
    return tuple(envs)


def draw_environments(symbols, definitions: Mapping | None = None, n_draws: int = 3, seed: int = 0) -> list[dict]:
    """``n_draws`` environments (symbol → 2-D array) drawn with ``np.random.default_rng(seed)``, definitions
    included. The arrays are read-only and shared with the cache; the dicts are fresh copies."""
    return [dict(env) for env in environments(symbol_table(symbols), definitions_key(definitions), n_draws, seed)]
