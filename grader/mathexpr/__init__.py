"""Matrix expressions written in LaTeX: parse, evaluate on seeded random draws, decide equivalence.

Libraries that treat letters as commutative scalars cannot grade matrix answers (they call ``AB`` and ``BA`` equal
and drop ``^T``), and those built on ``sympify`` run ``eval`` on the student's text. This package parses a
restricted grammar into a small tree (no eval, no exec, whitelisted commands only), evaluates it with numpy on a few
random draws of declared symbols (symmetric positive definite, non-symmetric invertible, non-square) and compares
with a tolerance — the approach of WeBWorK's matrix context and STACK's answer tests.

    >>> from grader.mathexpr import equivalent
    >>> symbols = {"X": "invertible(d)"}
    >>> equivalent(r"|X| X^{-\\top}", r"\\det(X)(X^{-1})^T", symbols).equivalent
    True
    >>> equivalent(r"\\det(X) X^{-1}", r"\\det(X)(X^{-1})^T", symbols).kind
    'different'

Read: symbols with subscripts and Greek letters (``\\Sigma``, ``Σ``, ``\\mathbf{X}``, ``\\boldsymbol{\\mu}``), numbers,
``+ -``, products (implicit, ``\\cdot``, ``\\times``, ``*``), ``/`` and ``\\frac`` by scalars, brackets of all sizes,
powers with constant exponents (``|n| ≤ 16``), transposes (``^T ^{T} ^\\top ^\\intercal ^{\\mathsf T} ^t ' {}^tA``),
inverses (``^{-1} ^{-T} ^{-\\top}``), ``\\det``, ``|X|``, ``tr``, ``adj``, ``Cof``/``com`` in their
``\\operatorname``/``\\text``/``\\mathrm`` spellings, ``I``/``I_n``/``I_3``, ``\\exp``, ``e^{…}``, ``\\log``,
``\\sqrt`` (scalars), ``bmatrix``/``pmatrix``/``vmatrix`` with numeric, symbolic or block entries, and the
entrywise forms ``(A_{ji})_{1 \\leq i,j \\leq d}`` (= Aᵀ) and ``(C_{ij})`` (= C).

Conventions: ``I`` is always the identity and ``e^{…}`` always the exponential, whatever is declared; ``|M|`` is a
determinant for a square matrix and an absolute value for a scalar; a 1×1 value is a scalar wherever a scalar
fits; ``\\varepsilon`` and ``\\epsilon`` (``\\varphi``/``\\phi``, …) are one symbol; names are canonical without
backslash (``Sigma``, ``mu_0``), and declarations may use any spelling (``"\\Sigma"``, ``"Σ"``, ``"Sigma"``).

Out of scope (reported as unreadable, or "not checked" inside a derivation): derivatives (``\\partial``), sums and
integrals, other index notation (``X_{ij}`` alone, ``\\sum_k X_{kl} A_{lk}``), expectations and covariances
(``\\mathbb{E}``, ``\\text{Cov}``), distributions (``\\mathcal{N}``), norms, symbolic exponents (``x^n``),
functions of matrices (``\\exp`` or ``\\sqrt`` of a matrix), a zero matrix of unspecified size (``0`` is the scalar
0), ``\\operatorname{diag}``, Kronecker and Hadamard products, complex conjugation. ``A^*`` and ``A^\\dagger`` are
refused rather than guessed. In derivations only consecutive sides are compared, so a false step written in index
notation (``\\det X = \\sum_i \\sum_j X_{ij} C_{ij}``) is "not checked", not reported; ``(C_{ij})`` is only
compared once C is defined (``find_definitions`` reads "C_{ij} = (-1)^{i+j}\\det(X_{-i,-j})" as C = Cof(X)).

Modules: ``lexer`` (tokens, whitelist), ``parser`` (grammar, caps), ``scripts`` (transposes, exponents,
subscripts), ``nodes`` (tree, ``free_symbols``, ``render``), ``evaluate`` (numpy, shape rules), ``symbols``
(declarations, draws, definitions), ``equivalence`` (verdicts), ``chain`` (derivations), ``defs`` (a student's
own definitions), ``plain`` (plain text and numpy code into the grammar: ``A.T``, ``inv(X)``, ``Sigma^-1``).
"""

from .chain import StepVerdict, check_chain, split_chain, split_chains
from .defs import find_definitions
from .equivalence import Verdict, equivalent, matches_any
from .errors import MathEvalError, MathParseError, MathReferenceError, NonFinite, TooLarge, UnknownSymbol
from .evaluate import LazyIdentity, evaluate
from .nodes import Expr, free_symbols, render
from .parser import MAX_DEPTH, MAX_LENGTH, parse
from .scripts import MAX_EXPONENT
from .symbols import KINDS, SymbolSpec, canonical_name, draw_environments, symbol_table

__all__ = [
    "KINDS", "MAX_DEPTH", "MAX_EXPONENT", "MAX_LENGTH", "Expr", "LazyIdentity", "MathEvalError", "MathParseError",
    "MathReferenceError", "NonFinite", "StepVerdict", "SymbolSpec", "TooLarge", "UnknownSymbol", "Verdict",
    "canonical_name", "check_chain", "draw_environments", "equivalent", "evaluate", "find_definitions",
    "free_symbols", "matches_any", "parse", "render", "split_chain", "split_chains", "symbol_table",
]
