"""Layout and leftover markup that says nothing about the mathematics, dropped before an expression is read.

Equation numbers and labels (``\\tag{a}``, ``\\label{eq:1}``, ``\\nonumber``, ``\\notag``), display environments
(``\\begin{align*}`` … ``\\end{align*}``), HTML tags left in a Markdown cell (``XA</b>``, ``<br>``) and footnote
markers (``[^1]``) would otherwise make a right formula unreadable.
"""

from __future__ import annotations

import re

from grader.markup import EQUATION_MARKS

WRAPPERS = re.compile(
    r"\\(?:begin|end)\s*\{(?:aligned|align|alignat|alignedat|split|gathered|gather|equation|eqnarray|multline|flalign)"
    r"\*?\}(?:\{\d+\})?"
)
NOISE = re.compile(EQUATION_MARKS.pattern + r"|\\displaystyle\b")
# An HTML tag: a known name after "<" or "</", so that "a < b" or "x<y>" in maths is never taken for one
HTML_TAG = re.compile(
    r"</?(?:b|i|u|em|strong|sup|sub|br|p|div|span|code|tt|small|big|font|mark|center|blockquote|li|ul|ol|hr|td|tr"
    r"|th|table|h[1-6]|a)(?:\s+[a-z-]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'|[^\s<>]+))*\s*/?>",
    re.I,
)
FOOTNOTE = re.compile(r"\[\^[^\]\s]{1,20}\]")


def strip_layout(text: str) -> str:
    """``text`` without equation numbers, labels, display wrappers, HTML tags or footnote markers."""
    text = NOISE.sub(" ", WRAPPERS.sub(" ", text))
    if "<" in text:
        text = HTML_TAG.sub(" ", text)
    if "[^" in text:
        text = FOOTNOTE.sub(" ", text)
    return text


_SCRIPT_TAG = re.compile(r"<(sup|sub)>([^<>\n]{1,20})</\1\s*>", re.I)


def _script(m: re.Match) -> str:
    """``<sup>T</sup>`` → ``^{T}`` padded with blanks to the tag's length (offsets kept)."""
    mark = "^" if m.group(1).lower() == "sup" else "_"
    out = f"{mark}{{{m.group(2)}}}"
    return out + " " * (m.end() - m.start() - len(out))


def blank_markup(text: str) -> str:
    """``text`` with equation numbers, labels, HTML tags and footnote markers replaced by as many blanks: every
    other character keeps its offset, so snippets and positions found in the result point into ``text``.
    Display wrappers stay: they delimit the maths."""
    blank = lambda m: " " * (m.end() - m.start())  # noqa: E731
    if "\\" in text:
        text = NOISE.sub(blank, text)
    if "<" in text:
        text = HTML_TAG.sub(blank, _SCRIPT_TAG.sub(_script, text))  # "adj(X)<sup>T</sup>" is adj(X)^{T}
    if "[^" in text:
        text = FOOTNOTE.sub(blank, text)
    return text
