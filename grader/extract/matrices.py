"""Matrices in answers: LaTeX environments, NumPy printouts and Python lists of lists.

``find_matrices(text)`` returns one ``Found`` per matrix, in text order, with ``value`` either a 2-D float
``numpy.ndarray`` or None. None means the matrix is there but has no numeric value, and ``extra`` says why:

- ``{"symbolic": True, "shape": (r, c)}``: an entry is not a number (``X_1 + X_4``, ``\\cdots``);
- ``{"error": "..."}``: rows of different lengths, or larger than ``MAX_SIDE`` × ``MAX_SIDE`` / ``MAX_ENTRIES``
  entries (rejected from a count of separators, before any entry is parsed).

Read: ``bmatrix``, ``pmatrix``, ``Bmatrix``, ``matrix``, ``smallmatrix`` and ``array`` (the column spec is dropped;
``\\left[ … \\right]`` around it changes nothing); rows split at ``\\\\`` (a trailing one is allowed, ``\\hline``
ignored), columns at ``&``, entries read with ``parse_number``. ``vmatrix``/``Vmatrix`` are determinants, not
matrices, and are skipped. A number written right before the environment (``\\frac{1}{35}\\begin{bmatrix}…``) is a
scalar factor: the value includes it and ``extra["factor"]`` records it. Also read: NumPy printouts
(``[[ 0.91 -0.63]`` newline `` [-0.63  0.66]]``, also inside ``array(…)``) and Python lists of lists
(``[[0.91, -0.63], [-0.63, 0.66]]``), and plain-text matrices over several lines (one bracket around rows on
separate lines, or one ``[ … ]`` / ``| … |`` row per line: grader.extract.text_matrices). Markdown tables are not
read.

``final_matrix(text, shape=None)`` applies the rule for "the answer": the last emphasized (boxed or bold) numeric
matrix, else the last numeric matrix; when there is no numeric matrix, the matrix the answer states entry by entry
(Var(Y_1), Var(Y_2) and Cov(Y_1, Y_2): ``extra["assembled"]``), else the last unreadable one that has an
``error`` (so the caller can say "too large"), else None. ``shape`` never changes the choice: the result's
``extra["shape_matches"]`` tells the caller whether the shapes agree.

``find_vectors(text)`` returns bare vectors as tuples of floats: "(a, b)", "[a, b]", NumPy's "[a  b]",
``\\left( … \\right)``, and one-row or one-column matrices from ``find_matrices``.
"""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np

from grader.extract.numbers import emphasis_spans, find_numbers, parse_number
from grader.textgeom import inside, snippet
from grader.model import Found

MAX_SIDE = 50
MAX_ENTRIES = 2500
MATRIX_ENVIRONMENTS = {"bmatrix", "pmatrix", "Bmatrix", "matrix", "smallmatrix", "array"}
DETERMINANT_ENVIRONMENTS = {"vmatrix", "Vmatrix"}

_ENV = re.compile(r"\\(begin|end)\s*\{\s*([A-Za-z]+)\*?\s*\}")
_ROW_BREAK = re.compile(r"\\\\(?:\s*\[[^\]\n]{0,20}\])?")  # \\ and \\[2pt]
_RULES = re.compile(r"\\(?:hline|midrule|toprule|bottomrule|cline\s*\{[^{}]{0,20}\})")
_COLUMN_SPEC = re.compile(r"\s*\{[^{}]{0,60}\}")
_FACTOR_GAP = re.compile(r"(?:\s+|\*|·|⋅|×|\\cdot|\\times|\\left\s*[\[(])$")
_CLOSE_ROWS = re.compile(r"[\s,]*\]")
_OPEN_ROWS = re.compile(r"\[\s*\[")
_ROW = re.compile(r"[\s,]*\[([^\[\]]*)\]")
_BRACKET = re.compile(r"[()\[\]]")
_SPACING = re.compile(r"\\[,;:! ]|\\q?quad(?![A-Za-z])")
_NESTED_ROW = re.compile(r"(?:\[|\],)\s*\Z")  # right after "[" or "],": a row inside an outer bracket
_SEMICOLON_MATRIX = re.compile(
    r"(?P<factor>\(\s*\d+(?:\.\d+)?\s*/\s*\d+(?:\.\d+)?\s*\)\s*\*?\s*|(?<![\w.])\d+(?:\.\d+)?\s*\*\s*)?"
    r"(?P<open>(?<![\w\]])\[)(?P<body>[^\[\]\n;]{1,400}(?:;[^\[\]\n;]{1,400}){1,49})\]"
)
_DIAG = re.compile(r"(?:\\operatorname\s*\{\s*diag\s*\}|\\mathrm\s*\{\s*diag\s*\}|\\text\s*\{\s*diag\s*\}|(?<![\w\\])diag)"
                   r"\s*(?:\\left)?\s*\(([^()\n]{1,400})(?:\\right)?\)")


def _too_large(rows: int, cols: int) -> str | None:
    if rows > MAX_SIDE or cols > MAX_SIDE or rows * cols > MAX_ENTRIES:
        return f"matrix too large ({rows}×{cols}; the limit is {MAX_SIDE}×{MAX_SIDE})"
    return None


_UNKNOWN = re.compile(r"\s*\?{1,3}\s*")  # "?": an entry the student left open (\cdots is a pattern, not a gap)


def _from_cells(rows: list[list[str]]) -> tuple[np.ndarray | None, dict]:
    """A float array from rows of entry strings, or None with the reason."""
    if not rows:
        return None, {"symbolic": True, "shape": (0, 0)}
    lengths = {len(r) for r in rows}
    if len(lengths) != 1:
        return None, {"error": f"rows have different lengths ({', '.join(str(len(r)) for r in rows[:10])})"}
    values = []
    unknown = 0
    for row in rows:
        parsed = [math.nan if _UNKNOWN.fullmatch(cell) else parse_number(cell) for cell in row]
        if any(v is None for v in parsed):
            return None, {"symbolic": True, "shape": (len(rows), len(row))}
        unknown += sum(1 for cell in row if _UNKNOWN.fullmatch(cell))
        values.append(parsed)
    if unknown == sum(len(r) for r in rows):
        return None, {"symbolic": True, "shape": (len(rows), len(rows[0]))}
    # "[[0.91, ?], [?, 0.66]]": the entries left open are unknown (NaN), so the others can still earn credit
    return np.array(values, dtype=float), {"unknown_entries": unknown} if unknown else {}


def _latex_rows(body: str) -> tuple[np.ndarray | None, dict]:
    body = _RULES.sub(" ", body).strip()
    while body.endswith("\\\\"):  # a trailing row break makes no empty row
        body = body[:-2].rstrip()
    if not body:
        return None, {"symbolic": True, "shape": (0, 0)}
    # Count separators before splitting anything, so a 400×400 paste is turned away in one C-speed pass.
    first_row = _ROW_BREAK.split(body, maxsplit=1)[0]
    error = _too_large(body.count("\\\\") + 1, first_row.count("&") + 1)
    if error:
        return None, {"error": error}
    rows = [[c.strip() for c in r.split("&")] for r in _ROW_BREAK.split(body) if r.strip()]
    return _from_cells(rows)


def _factor(text: str, begin: int, printed: bool = False) -> tuple[float, int] | None:
    """A scalar written right before a matrix: its value and where it starts. Before a printed matrix (a list of
    lists) only a factor on the same line, in brackets or with a multiplication sign, counts ("(1/35) [[…]]",
    "0.5 * [[…]]"): a bare number there is as likely the end of the sentence before it."""
    window_start = max(0, begin - 80)
    window = text[window_start:begin]
    for stop in ("$", "=", "\n\n", "&", "\\\\", "\\end") + (("\n",) if printed else ()):  # this expression only
        cut = window.rfind(stop)
        if cut >= 0:
            window_start, window = window_start + cut + len(stop), window[cut + len(stop) :]
    gap = len(window)
    for _ in range(6):  # drop spaces, \cdot, \times, \left[ between the factor and the matrix (window ≤ 80 chars)
        shorter = _FACTOR_GAP.sub("", window)
        if shorter == window:
            break
        window = shorter
    if window.endswith(")") and (opening := window.rfind("(")) >= 0:  # "(1/35) [[32, -22], …]": a bracketed factor
        inner = parse_number(window[opening + 1:-1])
        before = window[:opening].rstrip()
        if inner is not None and not (before and (before[-1].isalnum() or before[-1] in "_^}")):  # not f(1/35)
            return inner, window_start + opening
    if printed and not re.search(r"[*·⋅×]|\\cdot|\\times", text[window_start + len(window): window_start + gap]):
        return None
    numbers = find_numbers(window)
    if not numbers or numbers[-1].end != len(window):
        return None
    number = numbers[-1]
    if window[: number.start].rstrip().endswith(("^", "^{", "_")):  # an exponent or index, not a factor
        return None
    return number.value, window_start + number.start


def _latex_matrices(text: str, spans: list[tuple[int, int]]) -> list[Found]:
    found = []
    stack: list[tuple[str, int, int]] = []  # environment name, \begin offset, body offset
    for m in _ENV.finditer(text):
        name = m.group(2)
        if m.group(1) == "begin":
            stack.append((name, m.start(), m.end()))
            continue
        # Close the nearest open environment of that name; a stray \end is ignored.
        for depth in range(len(stack) - 1, max(-1, len(stack) - 20), -1):
            if stack[depth][0] == name:
                break
        else:
            continue
        _, begin, body_start = stack[depth]
        del stack[depth:]
        if name not in MATRIX_ENVIRONMENTS:
            continue
        body = text[body_start : m.start()]
        if name == "array":
            spec = _COLUMN_SPEC.match(body)
            body = body[spec.end() :] if spec else body
        value, extra = _latex_rows(body)
        start = begin
        factor = _factor(text, begin) if value is not None else None
        if factor is not None:
            value, start = value * factor[0], factor[1]
            extra = {"factor": factor[0]}
        found.append(
            Found(value, start, m.end(), snippet(text, start, m.end()), inside(spans, begin), extra)
        )
    return found


def _printed_matrices(text: str, spans: list[tuple[int, int]]) -> list[Found]:
    """NumPy printouts and Python lists of lists: ``[[a b] [c d]]`` / ``[[a, b], [c, d]]``."""
    found = []
    pos = 0
    while True:
        m = _OPEN_ROWS.search(text, pos)
        if not m:
            return found
        start = m.start()
        p = m.start() + 1  # at the first row's "["
        rows: list[list[str]] = []
        error = None
        while True:
            row = _ROW.match(text, p)
            if not row:
                break
            body = row.group(1)
            sep = _cell_separator(body)
            cells = body.split(sep) if sep else body.split()
            cells = [c.strip() for c in cells]
            if cells and cells[-1] == "" and sep:  # [1, 2, ]
                cells.pop()
            error = _too_large(len(rows) + 1, len(cells))
            if error:
                break
            rows.append(cells)
            p = row.end()
        close = _CLOSE_ROWS.match(text, p)
        if error:
            end = p
            found.append(Found(None, start, end, snippet(text, start, end), inside(spans, start), {"error": error}))
            pos = max(end, start + 2)
            continue
        if not rows or not close:
            pos = start + 1
            continue
        end = close.end()
        value, extra = _from_cells(rows)
        factor = _factor(text, start, printed=True) if value is not None else None
        if factor is not None:  # "(1/35) [[32, -22], [-22, 23]]": the value includes the factor, as for LaTeX
            value, start, extra = value * factor[0], factor[1], {**extra, "factor": factor[0]}
        found.append(Found(value, start, end, snippet(text, start, end), inside(spans, start), extra))
        pos = end


def _semicolon_matrices(text: str, spans: list[tuple[int, int]]) -> list[Found]:
    """MATLAB-style ``[a b; c d]`` / ``[a, b; c, d]``, with an optional factor ``(1/35)*[…]``: two rows at least."""
    found = []
    for m in _SEMICOLON_MATRIX.finditer(text):
        if _NESTED_ROW.search(text, max(0, m.start("open") - 8), m.start("open")):
            continue  # "[[0,91 ; -0,63], [-0,63 ; 0,66]]": a row of a nested list, with decimal commas
        rows = [r.strip() for r in m.group("body").split(";")]
        cells = [[c.strip() for c in (r.split(",") if "," in r else r.split())] for r in rows if r]
        if len(cells) < 2 or max(len(r) for r in cells) < 2:
            continue
        error = _too_large(len(cells), max(len(r) for r in cells))
        value, extra = (None, {"error": error}) if error else _from_cells(cells)
        start = m.start("open")
        if value is not None and m.group("factor"):
            factor = parse_number(m.group("factor").strip("()* \t"))
            if factor is not None:
                value, start, extra = value * factor, m.start("factor"), {"factor": factor}
        found.append(Found(value, start, m.end(), snippet(text, start, m.end()), inside(spans, start), extra))
    return found


def _cell_separator(body: str) -> str | None:
    """How the entries of a row are separated: a semicolon is never inside a number, so with one the commas are
    decimal commas ("[0,91 ; -0,63]", "diag(0,2 ; 0,2)")."""
    return ";" if ";" in body else "," if "," in body else None


def _diagonal_matrices(text: str, spans: list[tuple[int, int]]) -> list[Found]:
    """``diag(0.2, 0.2)``, ``\\operatorname{diag}(5, 5)``: a diagonal matrix of numbers."""
    found = []
    for m in _DIAG.finditer(text):
        body = _SPACING.sub(" ", m.group(1))  # "diag(0.2,\, 0.2)": LaTeX spacing between the entries
        values = [parse_number(c) for c in body.split(_cell_separator(body) or ",")]
        if len(values) < 2 or any(v is None for v in values) or _too_large(len(values), len(values)):
            continue
        found.append(Found(np.diag(np.array(values, dtype=float)), m.start(), m.end(),
                           snippet(text, m.start(), m.end()), inside(spans, m.start()), {"diagonal": True}))
    return found


def find_matrices(text: str) -> list[Found]:
    """Every matrix in ``text``, in order of where it starts (see the module docstring for ``value``/``extra``)."""
    if not isinstance(text, str) or not text:
        return []
    spans = emphasis_spans(text)
    found = _latex_matrices(text, spans) + _printed_matrices(text, spans)
    if ";" in text:
        found += _semicolon_matrices(text, spans)
    if "diag" in text:
        found += _diagonal_matrices(text, spans)
    if "\n" in text or ("(" in text and ";" in text):
        from grader.extract.text_matrices import text_matrices

        taken = [(f.start, f.end) for f in found]
        found += [f for f in text_matrices(text, spans)
                  if not any(a < f.end and f.start < b for a, b in taken)]
    return sorted(found, key=lambda f: (f.start, -f.end))


def final_matrix(text: str, shape: tuple[int, int] | None = None, other_labels: tuple[str, ...] = ()) -> Found | None:
    """The answer matrix by the rule in the module docstring, or None when the text has none.

    Matrices named as one of ``other_labels`` (``Q_{34,34} = …``, "the block of Q is …") are not the answer, nor are
    operands (a matrix raised to a power or multiplied where it stands) while another matrix is stated."""
    from grader.extract.matrix_labels import assembled, is_operand, label, names_other, said_to_be_other

    found = [f for f in find_matrices(text) if not names_other(label(text, f.start), list(other_labels))]
    found = [f for f in found if not is_operand(text, f.start, f.end)]
    found = [f for f in found if not said_to_be_other(text, f.end)] or found  # "diag(5,5) is the precision"
    numeric = [f for f in found if f.value is not None]
    emphasized = [f for f in numeric if f.emphasized]
    if emphasized or numeric:
        pick = (emphasized or numeric)[-1]
    elif (entries := assembled(text)) is not None:  # Var(Y_1), Var(Y_2), Cov(Y_1, Y_2) stated, no matrix
        value, start, end, shown = entries
        pick = Found(value, start, end, shown, False, {"assembled": True})
    else:
        errors = [f for f in found if "error" in f.extra]
        return errors[-1] if errors else None
    if shape is None:
        return pick
    extra = dict(pick.extra, shape_matches=tuple(pick.value.shape) == tuple(shape))
    return dataclasses.replace(pick, extra=extra)


def find_vectors(text: str) -> list[Found]:
    """Bare vectors: "(a, b)", "[a, b]", "[a  b]", ``\\left( … \\right)``, one-row/one-column LaTeX matrices.

    ``value`` is a tuple of at least two floats. Brackets right after a name (``f(1, 2)``, ``A[0, 1]``) and rows of
    a list of lists are not vectors."""
    if not isinstance(text, str) or not text:
        return []
    spans = emphasis_spans(text)
    found = []
    stack: list[tuple[str, int, bool]] = []  # bracket, offset, whether a bracket closed inside it
    for m in _BRACKET.finditer(text):
        c, pos = m.group(), m.start()
        if c in "([":
            stack.append((c, pos, False))
            continue
        if not stack or stack[-1][0] != {")": "(", "]": "["}[c]:
            continue
        opener, start, nested = stack.pop()
        parent = stack[-1][0] if stack else None
        if stack:
            stack[-1] = (stack[-1][0], stack[-1][1], True)
        left = start >= 5 and text.startswith("\\left", start - 5)
        before = text[start - 1 : start]
        if nested or parent == "[" or (before and (before.isalnum() or before in "_^}") and not left):
            continue
        body = text[start + 1 : pos].strip()
        body = body[:-6].rstrip() if body.endswith("\\right") else body
        sep = _cell_separator(body)  # "(-0,96 ; 0,96)"
        cells = body.split(sep) if sep else body.split()
        if not 2 <= len(cells) <= MAX_ENTRIES:
            continue
        values = [parse_number(cell) for cell in cells]
        if all(v is not None for v in values):
            begin = start - 5 if left else start
            found.append(Found(tuple(values), begin, pos + 1, snippet(text, begin, pos + 1), inside(spans, begin)))
    for f in find_matrices(text):
        if f.value is not None and min(f.value.shape) == 1 and max(f.value.shape) >= 2:
            values = tuple(float(v) for v in f.value.ravel())
            found.append(Found(values, f.start, f.end, f.snippet, f.emphasized))
    return sorted(found, key=lambda f: f.start)
