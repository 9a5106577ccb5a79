"""Math typed without LaTeX — plain text and numpy code — rewritten into the grammar the parser reads.

Two rewrites, both pure text and linear:

- ``code_forms(text)``: numpy and Python forms of matrix expressions. ``A.T`` and ``A.transpose()`` are transposes,
  ``inv(X)`` (also ``np.linalg.inv``, ``linalg.inv``, ``scipy.linalg.inv``) an inverse, ``transpose(A)`` a transpose,
  ``dot(A, B)`` / ``matmul(A, B)`` / ``A @ B`` products, ``X ** 2`` a power (and ``X^(-1)``, ``X^(-T)`` as typed
  without LaTeX), ``np.linalg.det`` and
  ``np.trace`` the functions ``det`` and ``trace`` (read as functions before a bracket), ``np.eye(n)`` the identity.
  So ``np.linalg.det(X) * np.linalg.inv(X).T`` reads as det(X) (X⁻¹)ᵀ.
- ``spelled_greek(text, names)``: a Greek letter's name typed as a word (``Sigma^-1``, ``mu``, ``lambda_0``) is the
  letter, for the names given — the question's declared symbols, so that a plain ``mu`` is μ only where the question
  has a μ (elsewhere it stays the product m·u). Case matters: ``Sigma`` is Σ and ``sigma`` is σ.

Only undelimited text (a plain-text answer, a notebook's code and comments) goes through these: inside ``$…$`` a
student writes LaTeX, where ``A.T`` and a bare ``mu`` are not meant as code.
"""

from __future__ import annotations

import re
from typing import Iterable

from grader.textgeom import GREEK_NAMES, GREEK_VARIANTS, bracket_pairs, split_top

__all__ = ["code_forms", "greek_names", "spelled_greek"]

MAX_PLAIN_LENGTH = 2000  # longer text is left as it is (the parser refuses it anyway)
_PREFIX = re.compile(r"(?<![A-Za-z0-9_.])(?:(?:np|numpy|scipy|sp|jnp|torch)\s*\.\s*)?linalg\s*\.\s*"
                     r"|(?<![A-Za-z0-9_.])(?:np|numpy|jnp|torch)\s*\.\s*(?=[A-Za-z])")
# Calls rewritten with their argument(s): name → how.
_CALL = re.compile(r"(?<![A-Za-z0-9_\\.])(inv|transpose|dot|matmul|eye|identity)\s*\(")
_METHOD = re.compile(r"\.\s*(?:T|transpose\s*\(\s*\))(?![A-Za-z0-9_(])")
_POWER = re.compile(r"\*\*\s*(\(\s*-\s*\d+\s*\)|-?\s*\d+)")
# a power in round brackets, as typed without LaTeX: (…)^(-1), X^(-T), A^(T)
_PAREN_POWER = re.compile(r"\^\s*\(\s*([-+]?\s*(?:\d+|[Tt])|-\s*\d+)\s*\)")


def _args(text: str, open_at: int, close_at: int) -> list[str]:
    return [a.strip() for a in split_top(text[open_at + 1 : close_at], ",")]


def _call(name: str, args: list[str]) -> str | None:
    """The grammar's form of one call, or None to leave it as it is."""
    if name == "inv" and len(args) == 1:
        return f"{{({args[0]})^{{-1}}}}"
    if name == "transpose" and len(args) == 1:
        return f"{{({args[0]})^{{T}}}}"
    if name in ("dot", "matmul") and len(args) == 2:
        return f"{{({args[0]})({args[1]})}}"
    if name in ("eye", "identity") and 1 <= len(args) <= 2:
        return "I"
    return None


def _rewrite_calls(text: str, depth: int = 0) -> str:
    """Calls innermost-first, by matching brackets (a nested ``inv(inv(X))`` is two calls)."""
    if depth > 20 or not _CALL.search(text):
        return text
    pairs = bracket_pairs(text, "([{", ")]}")[0]
    out, pos = [], 0
    for m in _CALL.finditer(text):
        if m.start() < pos:
            continue
        close = pairs.get(m.end() - 1)
        if close is None:
            continue
        inner = _rewrite_calls(text[m.end() : close], depth + 1)
        inner_text = text[: m.end()] + inner + ")"
        replaced = _call(m.group(1), _args(inner_text, m.end() - 1, len(inner_text) - 1))
        if replaced is None:
            continue
        out.append(text[pos : m.start()])
        out.append(replaced)
        pos = close + 1
    out.append(text[pos:])
    return "".join(out)


def _methods(text: str) -> str:
    """``X.T`` and ``X.transpose()`` → ``X^{T}``: the transpose of the atom just before (``A.dot(B)`` is left
    alone: it would need the whole product before it, and a wrong reading is worse than none)."""
    return _METHOD.sub("^{T}", text)


def code_forms(text: str) -> str:
    """``text`` with numpy / Python matrix forms rewritten into the grammar (see the module docstring)."""
    if not isinstance(text, str) or len(text) > MAX_PLAIN_LENGTH or not re.search(r"[.@(]|\*\*", text):
        return text
    text = _PREFIX.sub("", text)
    text = _rewrite_calls(text)
    text = _methods(text)
    text = _POWER.sub(lambda m: "^{" + re.sub(r"[\s()]", "", m.group(1)) + "}", text)
    text = _PAREN_POWER.sub(lambda m: "^{" + "".join(m.group(1).split()) + "}", text)
    return " ".join(part.strip() for part in text.split("@")) if "@" in text else text


def greek_names(names: Iterable[str]) -> frozenset[str]:
    """The Greek letters among canonical symbol names (``Sigma``, ``mu_0`` → ``mu``), with their variants."""
    found = {n.partition("_")[0] for n in names}
    out = {n for n in found if n in GREEK_NAMES}
    out |= {variant for variant, base in GREEK_VARIANTS.items() if base in out}
    return frozenset(out)


def spelled_greek(text: str, names: Iterable[str]) -> str:
    """``text`` with the Greek letters in ``names`` typed as words (``Sigma``) written as commands (``\\Sigma``)."""
    wanted = sorted(set(names), key=len, reverse=True)
    if not wanted or not isinstance(text, str) or len(text) > MAX_PLAIN_LENGTH:
        return text
    pattern = re.compile(r"(?<![\\A-Za-z])(" + "|".join(map(re.escape, wanted)) + r")(?![A-Za-z])")
    return pattern.sub(r"\\\1", text)
