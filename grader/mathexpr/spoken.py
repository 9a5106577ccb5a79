"""Formulas written out in words, rewritten into symbols: "the transpose of A", "det of X times the inverse transpose
of X", "mu plus J times (u minus L mu minus m)", "K minus J L K-transpose".

Students who type without symbols (on a phone, in a plain-text box) say the formula. ``spoken_forms(line)`` rewrites
the phrases whose meaning is fixed — transposes and inverses of a symbol or a bracket, "det of", "times", "plus",
"minus", "plus or minus", "Let J be …", in English and in the words of the course's other languages ("la transposée
de A", "det de X fois l'inverse de X", "K menos J L K") — and leaves every other word alone, so a sentence stays prose unless
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
# the words, in English, French, German, Spanish, Italian and Portuguese
_ARTICLE = r"(?:(?:the|la|le|les|die|das|der|el|il|lo|a|o)\s+|l['’]\s*)?"
_OF = r"(?:of|de|du|des|von|der|des|di|del|della|do|da)"
_TRANSPOSE = r"(?:transpose[ed]?|transposée|transposee|transponierte|transponiert|transpuesta|trasposta|transposta)"
_INVERSE = r"(?:inverse|inversa|inverso|inversen)"
_DET = r"(?:det|determinant|déterminant|determinante)"
_TIMES = r"(?:times|multiplied\s+by|fois|mal|por|per|vezes)"
_PLUS = r"(?:plus|más|mas|più|piu|mais)"
_MINUS = r"(?:minus|moins|menos|meno)"
# the end of an operand before an operator said in words, and the start of one after it: a symbol, a number, a
# bracket, a power ("three times" is no product)
_END = rf"((?<![A-Za-z])(?:[A-Za-z]{{1,2}}|{_GREEK})(?![A-Za-z])|[\d)}}\]]|\^T)"
_NEXT = rf"(?=(?:(?:[A-Za-z]{{1,2}}|{_GREEK})(?![A-Za-z])|[\d(\\]|det\())"
_IGNORE = re.IGNORECASE
# each rewrite: pattern, replacement; applied in order (the longer phrase first)
_RULES: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p, flags), r) for p, r, flags in (
    (r"\bplus\s+or\s+minus\b|\bplus\s*/\s*minus\b|\bplus\s+ou\s+moins\b", "±", _IGNORE),
    (rf"\b{_ARTICLE}{_DET}\s+{_OF}\s+({_SYM})", r"det(\1)", _IGNORE),
    (rf"\b{_ARTICLE}(?:{_INVERSE}[\s-]+{_TRANSPOSE}|{_TRANSPOSE}[\s-]+{_INVERSE})\s+{_OF}\s+({_SYM})", r"\1^{-T}",
     _IGNORE),
    (rf"\b{_ARTICLE}{_TRANSPOSE}\s+{_OF}\s+{_ARTICLE}({_SYM})[\s-]+{_INVERSE}\b", r"(\1^{-1})^T", _IGNORE),
    (rf"\b{_ARTICLE}{_INVERSE}\s+{_OF}\s+{_ARTICLE}({_SYM})[\s-]+{_TRANSPOSE}\b", r"(\1^T)^{-1}", _IGNORE),
    (rf"\b{_ARTICLE}{_INVERSE}\s+{_OF}\s+({_SYM})", r"\1^{-1}", _IGNORE),
    (rf"\b{_ARTICLE}{_TRANSPOSE}\s+{_OF}\s+({_SYM})", r"\1^T", _IGNORE),
    (rf"(?<![A-Za-z])({_SYM})[\s-]+(?:{_INVERSE}[\s-]+{_TRANSPOSE}|{_TRANSPOSE}[\s-]+{_INVERSE})\b", r"\1^{-T}",
     _IGNORE),
    (rf"(?<![A-Za-z])({_SYM})[\s-]+{_INVERSE}\b(?!\s+{_OF}\b)", r"\1^{-1}", _IGNORE),
    (rf"(?<![A-Za-z])({_SYM})[\s-]+{_TRANSPOSE}\b(?!\s+{_OF}\b)", r"\1^T", _IGNORE),
    # the operators, between operands only: "three times" and "plus a noise term" stay words
    (rf"{_END}\s+{_TIMES}\s+{_NEXT}", r"\1 ", _IGNORE),
    (rf"{_END}\s+{_PLUS}\s+{_NEXT}", r"\1 + ", _IGNORE),
    (rf"{_END}\s+{_MINUS}\s+{_NEXT}", r"\1 - ", _IGNORE),
    (rf"(?:(?<=[(=])|^)\s*{_MINUS}\s+{_NEXT}", "-", _IGNORE),
    # "Let J be …" defines J, as "Let J = …" does
    (rf"\b(let|soit)\s+({_SYM})\s+(?:be|denote)\s+(?=[\w(\\])", r"\1 \2 = ", _IGNORE),
))
_CUE = re.compile(rf"(?i:\b(?:{_TRANSPOSE}|{_INVERSE}|{_DET}|{_TIMES}|{_PLUS}|{_MINUS})\b)")


def spoken_forms(line: str) -> str:
    """``line`` with the formulas said in words written in symbols; a line saying none is returned as it is."""
    if len(line) > MAX_SPOKEN_LENGTH or not _CUE.search(line):
        return line
    for pattern, replacement in _RULES:
        line = pattern.sub(replacement, line)
    return line
