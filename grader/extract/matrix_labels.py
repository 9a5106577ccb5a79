"""What a matrix in an answer is: the quantity it is the value of, whether it is an operand, and hand-computed entries.

A student writes matrices that are not the answer: a block of a given matrix (``Q_{34,34} = [[5, 0], [0, 5]]``, "the
(3,4) block of Q is …"), or an operand (``\\begin{bmatrix}5&0\\\\0&5\\end{bmatrix}^{-1} = …``). ``label`` reads the
name a matrix is given: the first side of the chain it ends (``\\operatorname{Cov}(Y) = A\\Sigma A^T = [...]`` gives
``\\operatorname{Cov}(Y)``), or the words before "is"/"est"/":" in its sentence. ``names_other`` tells whether that
label is one of the rubric's ``other_labels``: a bare symbol (``Q``, ``Q_{34,34}``, ``\\mathbf{Q}``) whose letters are
one of them, or a phrase "block/entry/sub-matrix of Q". An inverse (``(Q_{34,34})^{-1}``) is an expression, not
the symbol, so it does not name Q.

``entry_statements`` reads hand computations of entries: ``Var(Y_1) = … = 0.91``, ``Cov(Y_1, Y_2) = … = -0.43``
(the last side of the chain, continued on a next line that starts with "="), as ((row, column), value, snippet,
end). A statement corrected on its own line (the matrix's value stated after it) is no contradiction. ``assembled``
builds the matrix an answer gives only entry by entry (every Var and Cov of Y_1 … Y_k stated).
"""

from __future__ import annotations

import re

import numpy as np

from grader.extract.numbers import find_numbers, parse_number
from grader.textgeom import snippet

# … and a line's end after a complete statement ("A = [[1, 0], [0, 1]]"), unless the next line goes on with "="
_BOUNDARY = re.compile(r"\$\$|\$|\n\s*\n|\\\\|\\\[|\\\]|(?<=[.!?;])\s|\\(?:begin|end)\{(?:align|equation|gather)\*?\}|&(?!=)"
                       r"|(?<=[^=\s&+\-*/(,{])[ \t]*\n(?!\s*&?=)")
_SENTENCE = re.compile(r"\n\s*\n|(?<=[.!?;])\s")
_RELATION = re.compile(r"&?=|\\approx|≈|:=|\\simeq")
_PROSE_IS = re.compile(r"\b(?:is|are|est|vaut|gives|equals|becomes)\s*:?\s*\$*\s*$|:\s*\$*\s*$", re.IGNORECASE)
_SYMBOL = re.compile(
    r"\s*(?:\\(?:mathbf|boldsymbol|bm|mathrm|operatorname)\s*\{\s*)?(?P<base>\\?[A-Za-z]+)\s*\}?"
    r"(?:\s*_\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\w)|\s*\[[^\[\]]*\])*\s*"
)
_PART_OF = r"(?:block|sub-?block|sub-?matrix|entry|entries|part|bloc|sous-matrice|coefficient)s?"
_OPERAND_AFTER = re.compile(r"\s*(?:\^|\\cdot|\\times|\*(?!\*)|@)")
_OPERAND_BEFORE = re.compile(r"(?:\\cdot|\\times|@)\s*$")
_ENTRY = re.compile(
    r"(?<![A-Za-z])(Var|Cov|\\operatorname\{Var\}|\\operatorname\{Cov\}|\\mathrm\{Var\}|\\mathrm\{Cov\}|"
    r"\\text\{Var\}|\\text\{Cov\}|\\textbf\{Var\}|\\textbf\{Cov\})\s*(?:\\left)?\s*\(\s*([A-Za-z])\s*_?\s*\{?\s*(\d)\s*\}?"
    r"\s*(?:,\s*\2\s*_?\s*\{?\s*(\d)\s*\}?\s*)?(?:\\right)?\s*\)\s*&?\s*="
)
_ENTRY_START = re.compile(r"\n|\\\\|\$|;|\\quad|\\qquad|\\begin\{[a-z]*\*?\}|(?<=[.!?])\s|,\s")
_ROW_END = re.compile(r"\\\\|\n|\$|;|\\quad|\\qquad|\\end\{")


def _window(text: str, start: int, boundary: re.Pattern) -> str:
    """The text of this statement before ``start``: back to the last boundary, at most 160 characters."""
    window = text[max(0, start - 160) : start]
    cuts = [m.end() for m in boundary.finditer(window)]
    return window[cuts[-1] if cuts else 0 :]


def _after_top_level_comma(s: str) -> str:
    depth, cut = 0, 0
    for i, c in enumerate(s):
        depth += 1 if c in "([{" else -1 if c in ")]}" else 0
        if c == "," and depth == 0:
            cut = i + 1
    return s[cut:]


def label(text: str, start: int) -> str:
    """The name the matrix starting at ``start`` is given ("" when none)."""
    sides = _RELATION.split(_window(text, start, _BOUNDARY))
    if len(sides) > 1:
        return _after_top_level_comma(sides[0]).strip().strip("$").strip()
    window = _window(text, start, _SENTENCE)  # "the (3,4) block of Q is $…$": the words before the math
    m = _PROSE_IS.search(window)
    return window[: m.start()].strip()[-80:] if m else ""


def names_other(name: str, other_labels: list[str]) -> bool:
    """Whether the label names one of ``other_labels`` (see the module docstring)."""
    if not name or not other_labels:
        return False
    wanted = {o.lower().lstrip("\\") for o in other_labels}
    m = _SYMBOL.fullmatch(name.split()[-1] if " " in name and not name.startswith("\\") else name)
    if m and m.group("base").lower().lstrip("\\") in wanted:
        return True
    for other in wanted:
        if re.search(rf"\b{_PART_OF}\b[^.]{{0,30}}\b(?:of|de|du)\s+\$*\\?{re.escape(other)}\b(?![\^_]?\{{?-)",
                     name, re.IGNORECASE) and not re.search(r"invers|\^\s*\{?\s*-", name):
            return True
    return False


# "… $\operatorname{diag}(5,5)$ itself is the conditional precision, not the covariance": words after the matrix
# that name it as another quantity
_SAID_OTHER = re.compile(r"[\s$)}]*(?:itself\s+|here\s+)?(?:is|are|est|ist|es|è|é)\s+(?:(?:the|la|le|die|el|il|a)\s+)?"
                         r"(?:[^\W\d_]+\s+){0,2}?[*_]*(?:\\(?:emph|textit|textbf)\s*\{)?[*_]*"
                         r"(?:precision|précision|präzision|precisi[óo]n|precisione|precisão)\b"
                         r"|[\s$)}]*(?:is|are|est)\s+not\s+the\s+(?:conditional\s+)?covariance", re.IGNORECASE)


def said_to_be_other(text: str, end: int) -> bool:
    """Whether the words right after a matrix name it as a precision, not the covariance asked for."""
    return bool(_SAID_OTHER.match(text, end, end + 120))


def is_operand(text: str, start: int, end: int) -> bool:
    """A matrix multiplied, inverted or transposed where it stands is part of an expression, not a stated value."""
    return bool(_OPERAND_AFTER.match(text, end) or _OPERAND_BEFORE.search(text[max(0, start - 40) : start]))


def _entries(text: str) -> list[tuple[str, tuple[int, int], float, str, int, int]]:
    """Hand-computed entries: (letter, (row, column), value, snippet, start, end), indices from 1."""
    out = []
    for m in _ENTRY.finditer(text):
        if _RELATION.search(_window(text, m.start(), _ENTRY_START)):
            continue  # a term inside another chain ("… = Cov(X_1, X_2) - Cov(X_4, X_4)"), not a statement
        i = int(m.group(3))
        j = int(m.group(4)) if m.group(4) else i
        if m.group(1).endswith(("Var", "Var}")) != (m.group(4) is None):
            continue  # Var takes one variable, Cov two
        end = m.end()
        while True:  # the chain goes on on the next line when that line starts with "="
            stop = _ROW_END.search(text, end)
            end = min(stop.start() if stop else len(text), _top_level_comma(text, end))
            nxt = re.match(r"(?:\\\\|\n)\s*&?\s*=", text[end:])
            if not nxt or end - m.end() > 600:
                break
            end += nxt.end()
        last = _RELATION.split(text[m.end() : end])[-1]
        value = parse_number(last.strip().rstrip(".,"))
        if value is not None:
            out.append((m.group(2).upper(), (i, j), value, snippet(text, m.start(), end), m.start(), end))
    return out


def entry_statements(text: str) -> list[tuple[tuple[int, int], float, str, int]]:
    """Hand-computed entries: ((row, column), value, snippet, end), indices from 1 (see the module docstring)."""
    return [(ij, value, shown, end) for _, ij, value, shown, _, end in _entries(text)]


def assembled(text: str, max_side: int = 6) -> tuple[np.ndarray, int, int, str] | None:
    """The covariance matrix an answer gives entry by entry without writing it: Var(Y_1), Var(Y_2) and
    Cov(Y_1, Y_2) all stated (each by its last statement) make [[Var(Y_1), Cov], [Cov, Var(Y_2)]]. Every variance
    of a k×k matrix (k ≥ 2) of one letter must be there, indices 1…k; a covariance not stated is unknown (NaN: no
    entry of the answer, as a "?" is). A complete matrix is preferred; (value, start, end, snippet) or None."""
    by_letter: dict[str, dict[tuple[int, int], tuple[float, int, int]]] = {}
    for letter, (i, j), value, _, start, end in _entries(text):
        by_letter.setdefault(letter, {})[(min(i, j), max(i, j))] = (value, start, end)
    best, best_key = None, None
    for letter, entries in by_letter.items():
        k = max(j for _, j in entries)
        needed = [(i, j) for i in range(1, k + 1) for j in range(i, k + 1)]
        if not 2 <= k <= max_side or any((i, i) not in entries for i in range(1, k + 1)) \
                or any(ij not in needed for ij in entries):
            continue
        value = np.full((k, k), np.nan)
        for (i, j), (v, _, _) in entries.items():
            value[i - 1, j - 1] = value[j - 1, i - 1] = v
        start = min(s for _, s, _ in entries.values())
        end = max(e for _, _, e in entries.values())
        key = (len(entries) == len(needed), end)
        if best_key is None or key > best_key:
            best, best_key = (value, start, end, snippet(text, start, end)), key
    return best


def _top_level_comma(text: str, pos: int, reach: int = 600) -> int:
    """Offset of the first ", " outside brackets after ``pos`` ("Var(Y_1) = 0.91, Var(Y_2) = …"), or the end."""
    depth = 0
    for k in range(pos, min(len(text), pos + reach)):
        c = text[k]
        depth += 1 if c in "([{" else -1 if c in ")]}" else 0
        if c == "," and depth <= 0 and text[k + 1 : k + 2].isspace():
            return k
    return len(text)


def disagreements(text: str, value, tol: float = 0.011) -> list[str]:
    """Hand-computed entries that the matrix ``value`` contradicts, in words (empty when they agree)."""
    notes = []
    rows, cols = value.shape
    for (i, j), v, shown, end in entry_statements(text):
        if i > rows or j > cols or abs(float(value[i - 1, j - 1]) - v) <= tol:
            continue
        rest = text[end : end + 300].split("\n\n")[0]
        if any(abs(n.value - float(value[i - 1, j - 1])) <= tol for n in find_numbers(rest.split("\n")[0])):
            continue  # corrected on the spot: "= 0.26 ← no wait, … = 0.66"
        notes.append(f'"{shown}" gives entry ({i}, {j}) = {v:g}, but the matrix has {float(value[i - 1, j - 1]):g}')
    return notes
