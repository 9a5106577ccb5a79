"""Matrices typed as plain text over several lines, the way students write them without LaTeX or NumPy.

Two layouts, each giving ``Found`` records like grader.extract.matrices (``value`` a 2-D float array or None with
``extra["symbolic"]``/``extra["error"]``):

- one bracket around rows written on separate lines (or separated by ``;``)::

      Cov(Y) = [ 0.91  -0.63
                -0.63   0.66 ]

- one delimited row per line, ``[ … ]`` or ``| … |`` (a line holding only the delimiters is a spacer, and the
  name may stand before any one of the rows)::

               | 0,91   -0,63 |
      Cov(Y) = |              |
               | -0,63   0,66 |

Also read: rows in round brackets separated by ``;`` on one line (``(0.91 -0.63; -0.63 0.66)``), and rows of numbers
alone on the lines under a line that ends with ``=`` or ``:`` (``Cov(Y) =`` then ``0.91  -0.63`` and
``-0.63  0.66``).

Entries are separated by spaces, or by commas when a comma is followed by a space or stands between non-digits;
a comma between two digits with spaces around the entries is a decimal comma (``0,91   -0,63``). A layout needs two
rows of two entries at least; brackets nested inside (``[[…]]``, NumPy printouts) and lines with more than two
delimiters (Markdown tables) are left to the other readers.
"""

from __future__ import annotations

import re

from grader.model import Found
from grader.textgeom import inside, snippet

__all__ = ["text_matrices"]

# a single "[" whose body spans lines and holds no bracket; not right after a name (A[0, 1]) or a bracket
_MULTILINE = re.compile(r"(?<![\w\]\[])\[(?P<body>[^\[\]$\\]{1,4000}?)\]")
# MATLAB-like rows in round brackets, on one line: "(0.91 -0.63; -0.63 0.66)"
_PAREN_ROWS = re.compile(r"(?<![\w)\]])\((?P<body>[^()\[\]\n;$]{1,400}(?:;[^()\[\]\n;$]{1,400}){1,49})\)")
# a label that ends its line ("Cov(Y) =", "Cov(Y):"), then rows of numbers alone on the lines under it
_LABEL_LINE = re.compile(r"[^\n]*\S\s*[=:]\s*$")
_NUMBER_ROW = re.compile(r"\s*[-+]?(?:\d|\.\d)[-+\d.,eE\s]*$")
# one row per line: an optional name, one delimited row, nothing after but punctuation or a note in brackets
# ("|      |   (0.1996 with the rounded Σ)")
_LINE_ROW = re.compile(r"(?P<pre>[^\[\]|\n]*?)(?P<open>[\[|])(?P<body>[^\[\]|\n]*)(?P<close>[\]|])"
                       r"(?P<post>[ \t.,;]*(?:\([^()\[\]|\n]{0,80}\)[ \t.,;]*)?)$")
_LIST_COMMA = re.compile(r",(?=\s)|(?<!\d),|,(?!\d)")


def _cells(row: str) -> list[str]:
    """The entries of one row: comma-separated when a comma separates, else space-separated."""
    if _LIST_COMMA.search(row):
        return [c.strip() for c in row.split(",") if c.strip()]
    return row.split()


def _rows_value(rows: list[str]):
    from grader.extract.matrices import _from_cells, _too_large

    cells = [_cells(r) for r in rows]
    if len(cells) < 2 or max(len(c) for c in cells) < 2 or len({len(c) for c in cells}) > 1:
        return None  # rows of different lengths in plain text are more likely not a matrix at all
    error = _too_large(len(cells), max(len(c) for c in cells))
    if error:
        return None, {"error": error}
    value, extra = _from_cells(cells)
    if value is None and extra.get("symbolic"):
        return None  # words in brackets ("[see the plot above\n and below]"): not a matrix
    return value, extra


def _multiline(text: str, spans) -> list[Found]:
    out = []
    for m in _MULTILINE.finditer(text):
        body = m.group("body")
        if "\n" not in body.strip():
            continue  # one line: the semicolon and vector readers' business
        rows = [r.strip() for r in re.split(r"[\n;]", body) if r.strip()]
        read = _rows_value(rows)
        if read is None:
            continue
        value, extra = read
        out.append(Found(value, m.start(), m.end(), snippet(text, m.start(), m.end()), inside(spans, m.start()), extra))
    return out


def _line_rows(text: str, spans) -> list[Found]:
    out = []
    run: list[tuple[int, int, str, bool]] = []  # (line start, line end, body, named) of consecutive delimited rows

    def close_run() -> None:
        rows = [body for _, _, body, _ in run if body.strip()]
        named = sum(1 for *_, n in run if n)
        if len(rows) >= 2 and named <= 1:
            read = _rows_value(rows)
            if read is not None:
                value, extra = read
                start, end = run[0][0], run[-1][1]
                out.append(Found(value, start, end, snippet(text, start, end), inside(spans, start), extra))
        run.clear()

    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        m = _LINE_ROW.match(line)
        pairs = m and {"[": "]", "|": "|"}[m.group("open")] == m.group("close")
        if not pairs or line.count("|") + line.count("[") + line.count("]") > 2:
            close_run()
            continue
        pre = m.group("pre")
        if pre.strip() and not pre.rstrip().endswith(("=", ":")):
            close_run()  # "see [1 2]" in a sentence, not a row under a name
            continue
        run.append((start + m.start("open"), start + m.end("close"), m.group("body"), bool(pre.strip())))
    close_run()
    return out


def _paren_rows(text: str, spans) -> list[Found]:
    out = []
    for m in _PAREN_ROWS.finditer(text):
        read = _rows_value([r.strip() for r in m.group("body").split(";") if r.strip()])
        if read is not None:
            value, extra = read
            out.append(Found(value, m.start(), m.end(), snippet(text, m.start(), m.end()), inside(spans, m.start()),
                             extra))
    return out


def _bare_rows(text: str, spans) -> list[Found]:
    """Rows of numbers alone on their lines right under a line that ends with "=" or ":"."""
    out, lines, pos = [], text.split("\n"), 0
    starts = []
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    k = 0
    while k < len(lines):
        if not _LABEL_LINE.match(lines[k]):
            k += 1
            continue
        j = k + 1
        while j < len(lines) and _NUMBER_ROW.match(lines[j]) and lines[j].strip():
            j += 1
        read = _rows_value([line.strip() for line in lines[k + 1 : j]]) if j - k > 2 else None
        if read is not None:
            value, extra = read
            start, end = starts[k + 1] + len(lines[k + 1]) - len(lines[k + 1].lstrip()), starts[j - 1] + len(lines[j - 1])
            out.append(Found(value, start, end, snippet(text, start, end), inside(spans, start), extra))
        k = max(j, k + 1)
    return out


def text_matrices(text: str, spans) -> list[Found]:
    """Every plain-text matrix of the layouts in the module docstring (``spans``: the emphasis spans)."""
    if len(text) > 200_000:
        return []
    found = _paren_rows(text, spans) if ";" in text else []
    if "\n" in text:
        found += _multiline(text, spans) + _line_rows(text, spans) + _bare_rows(text, spans)
    return found
