"""Formulas written out in words, rewritten into symbols: "the transpose of A", "det of X times the inverse transpose
of X", "mu plus J times (u minus L mu minus m)", "K minus J L K-transpose".

Students who type without symbols (on a phone, in a plain-text box) say the formula. ``spoken_forms(line)`` rewrites
the phrases whose meaning is fixed — transposes and inverses of a symbol or a bracket, "det of", "times", "plus",
"minus", "plus or minus", "Let J be …" — and leaves every other word alone, so a sentence stays prose unless
everything in it was a formula. An operand is a symbol (a letter with an optional index, or a Greek letter's name)
or a bracket; "the transpose of the cofactor matrix" names no symbol and is left as it is. Pure text, linear.
"""

from __future__ import annotations

import re

from grader.textgeom import GREEK_NAMES

__all__ = ["spoken_forms"]

MAX_SPOKEN_LENGTH = 2000
_GREEK = "|".join(sorted((g for g in GREEK_NAMES if g.isalpha()), key=len, reverse=True))
# a symbol: "X", "L_1", "X^{-1}" (rewritten already), a Greek letter's name; or one bracket, nested once
_SYM = (rf"(?:(?:{_GREEK})(?![A-Za-z])|[A-Za-z](?![A-Za-z'])(?:_\{{?\w+\}}?)?(?:\^\{{[^{{}}]*\}}|\^T)?"
        r"|\((?:[^()]|\([^()]*\))*\))")
_ARTICLE = r"(?:the\s+)?"
# the end of an operand before an operator said in words, and the start of one after it: a symbol, a number, a
# bracket, a power ("three times" is no product)
_END = rf"((?<![A-Za-z])(?:[A-Za-z]{{1,2}}|{_GREEK})(?![A-Za-z])|[\d)}}\]]|\^T)"
_NEXT = rf"(?=(?:(?:[A-Za-z]{{1,2}}|{_GREEK})(?![A-Za-z])|[\d(\\]|det\())"
_IGNORE = re.IGNORECASE
# each rewrite: pattern, replacement; applied in order (the longer phrase first)
_RULES: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p, flags), r) for p, r, flags in (
    (r"\bplus\s+or\s+minus\b|\bplus\s*/\s*minus\b", "±", _IGNORE),
    (rf"\b{_ARTICLE}(?:det|determinant)\s+of\s+({_SYM})", r"det(\1)", _IGNORE),
    (rf"\b{_ARTICLE}(?:inverse[\s-]+transpose|transpose[\s-]+inverse|transposed\s+inverse)\s+of\s+({_SYM})",
     r"\1^{-T}", _IGNORE),
    (rf"\b{_ARTICLE}transpose\s+of\s+(?:the\s+)?({_SYM})[\s-]+inverse\b", r"(\1^{-1})^T", _IGNORE),
    (rf"\b{_ARTICLE}inverse\s+of\s+(?:the\s+)?({_SYM})[\s-]+transpose(?:d)?\b", r"(\1^T)^{-1}", _IGNORE),
    (rf"\b{_ARTICLE}inverse\s+of\s+({_SYM})", r"\1^{-1}", _IGNORE),
    (rf"\b{_ARTICLE}transpose\s+of\s+({_SYM})", r"\1^T", _IGNORE),
    (rf"(?<![A-Za-z])({_SYM})[\s-]+(?:inverse[\s-]+transpose(?:d)?|transpose[\s-]+inverse)\b", r"\1^{-T}", _IGNORE),
    (rf"(?<![A-Za-z])({_SYM})[\s-]+inverse\b(?!\s+of)", r"\1^{-1}", _IGNORE),
    (rf"(?<![A-Za-z])({_SYM})[\s-]+transpose(?:d)?\b(?!\s+of)", r"\1^T", _IGNORE),
    # the operators, between operands only: "three times" and "plus a noise term" stay words
    (rf"{_END}\s+(?:times|multiplied\s+by)\s+{_NEXT}", r"\1 ", _IGNORE),
    (rf"{_END}\s+plus\s+{_NEXT}", r"\1 + ", _IGNORE),
    (rf"{_END}\s+minus\s+{_NEXT}", r"\1 - ", _IGNORE),
    (rf"(?:(?<=[(=])|^)\s*minus\s+{_NEXT}", "-", _IGNORE),
    # "Let J be …" defines J, as "Let J = …" does
    (rf"\b(let|soit)\s+({_SYM})\s+(?:be|denote)\s+(?=[\w(\\])", r"\1 \2 = ", _IGNORE),
))
_CUE = re.compile(r"(?i:\b(?:transpose|inverse|det|determinant|times|plus|minus|multiplied)\b)")


def spoken_forms(line: str) -> str:
    """``line`` with the formulas said in words written in symbols; a line saying none is returned as it is."""
    if len(line) > MAX_SPOKEN_LENGTH or not _CUE.search(line):
        return line
    for pattern, replacement in _RULES:
        line = pattern.sub(replacement, line)
    return line
