"""LaTeX → MathML for feedback pages, with everything a student wrote kept as text.

latex2mathml does the conversion; it is not a sanitizer (``\\text{<script>}`` comes out as a raw
``<script>`` element, ``\\href{javascript:…}`` as an ``href`` attribute, ``\\style{…}`` as CSS). So its
output is parsed as XML and rebuilt from an allow-list: known MathML elements, a few presentation
attributes whose values must look like keywords or lengths, every text node escaped again. Anything
outside the list, anything the parser refuses, and inputs past the size and nesting caps give
``None``: the caller then shows the LaTeX source as escaped text. Only this module's output is
wrapped in ``Markup``.

``split_math`` cuts an answer into text and math segments (``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

MAX_LATEX_CHARS = 2000  # a longer formula is shown as source: conversion time grows with length
MAX_BRACE_DEPTH = 40  # latex2mathml recurses per group; 5 000 nested braces would exhaust the stack
MAX_ELEMENT_DEPTH = 60
MAX_MATHML_CHARS = 80_000

ELEMENTS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac", "msqrt",
    "mroot", "mstyle", "merror", "mpadded", "mphantom", "menclose", "munder", "mover", "munderover", "mtable",
    "mtr", "mtd", "mlabeledtr", "mmultiscripts", "mprescripts", "none", "semantics",
})
# keywords, numbers, lengths, colour names and #hex; no 4-digit numbers (a 10000em space breaks the page)
_KEYWORD = re.compile(r"(?!.*\d{4})[A-Za-z0-9 .#%+-]{0,40}\Z")
# Presentation attributes only: no href, style, class, id, event handlers or anything taking a URL.
ATTRIBUTES = frozenset({
    "display", "mathvariant", "stretchy", "fence", "separator", "accent", "accentunder", "displaystyle",
    "scriptlevel", "columnalign", "rowalign", "columnlines", "rowlines", "columnspacing", "rowspacing", "frame",
    "linethickness", "lspace", "rspace", "width", "height", "depth", "movablelimits", "largeop", "symmetric",
    "minsize", "maxsize", "notation", "linebreak", "form", "mathsize", "mathcolor", "mathbackground",
    "columnspan", "rowspan",
})


class _Unsafe(Exception):
    """The converter's output holds something outside the allow-list."""


def _brace_depth(latex: str) -> int:
    depth = deepest = 0
    escaped = False
    for ch in latex:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == "}":
            depth -= 1
    return deepest


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rebuild(element, depth: int, out: list[str]) -> None:
    if not isinstance(element.tag, str):  # comments and processing instructions
        raise _Unsafe("not an element")
    tag = _local(element.tag)
    if tag not in ELEMENTS or depth > MAX_ELEMENT_DEPTH:
        raise _Unsafe(tag)
    attrs = []
    for name, value in element.attrib.items():
        name = _local(name)
        if name in ATTRIBUTES and _KEYWORD.match(value):
            attrs.append(f' {name}="{escape(value)}"')
    out.append(f"<{tag}{''.join(attrs)}>")
    if element.text:
        out.append(str(escape(element.text)))
    for child in element:
        _rebuild(child, depth + 1, out)
        if child.tail:
            out.append(str(escape(child.tail)))
    out.append(f"</{tag}>")


@lru_cache(maxsize=4096)  # a class repeats the same formulas; each converts once per process
def to_mathml(latex: str, display: bool = False) -> Markup | None:
    """Sanitized MathML for ``latex``, or None when it cannot be shown safely as math."""
    latex = latex.strip()
    if not latex or len(latex) > MAX_LATEX_CHARS or _brace_depth(latex) > MAX_BRACE_DEPTH:
        return None
    if "\x00" in latex or any("\ud800" <= ch <= "\udfff" for ch in latex):
        return None
    try:
        from latex2mathml.converter import convert  # only report rendering pays for it
        from xml.etree import ElementTree

        produced = convert(latex, display="block" if display else "inline")
        if len(produced) > MAX_MATHML_CHARS or "<!" in produced or "<?" in produced:
            return None  # no DOCTYPE, entity declarations or processing instructions reach the parser
        root = ElementTree.fromstring(produced)
        if _local(root.tag) != "math":
            return None
        out: list[str] = []
        _rebuild(root, 0, out)
    except (Exception, RecursionError):  # the converter's own errors, XML errors, _Unsafe: show the source
        return None
    return Markup("".join(out))


# --- answers: text with math in it --------------------------------------------------------------

_MATH = re.compile(
    r"\$\$(?P<dd>.+?)\$\$"
    r"|\\\[(?P<bd>.+?)\\\]"
    r"|\\\((?P<bi>.+?)\\\)"
    # $…$ as pandoc reads it: no space inside either dollar, no digit right after the closing one
    r"|(?<![\\$])\$(?=\S)(?P<di>[^$\n]+?)(?<=[^\s\\])\$(?!\d)",
    re.S,
)


def split_math(text: str) -> list[tuple[str, str]]:
    """``text`` as ("text", s), ("math", latex) and ("display", latex) segments, in order."""
    if "$" not in text and "\\[" not in text and "\\(" not in text:  # most feedback sentences: no scan needed
        return [("text", text)] if text else []
    parts: list[tuple[str, str]] = []
    pos = 0
    for m in _MATH.finditer(text):
        if m.start() > pos:
            parts.append(("text", text[pos:m.start()]))
        if m.group("dd") is not None or m.group("bd") is not None:
            parts.append(("display", m.group("dd") if m.group("dd") is not None else m.group("bd")))
        else:
            parts.append(("math", m.group("bi") if m.group("bi") is not None else m.group("di")))
        pos = m.end()
    if pos < len(text):
        parts.append(("text", text[pos:]))
    return parts


def _source(kind: str, latex: str) -> str:
    return f"$${latex}$$" if kind == "display" else f"${latex}$"


def math_html(text: str) -> Markup:
    """``text`` as HTML: prose escaped, each formula as MathML or, failing that, its escaped source."""
    out: list[str] = []
    parts = split_math(text)
    for i, (kind, part) in enumerate(parts):
        if kind == "text":
            # a display formula is a block already: the blank lines around it would double the gap
            if i > 0 and parts[i - 1][0] == "display":
                part = part.lstrip("\n")
            if i + 1 < len(parts) and parts[i + 1][0] == "display":
                part = part.rstrip("\n")
            out.append(str(escape(part)))
            continue
        mathml = to_mathml(part, kind == "display")
        if mathml is None:
            out.append(f'<code class="tex">{escape(_source(kind, part))}</code>')
        elif kind == "display":
            out.append(f'<span class="display-math">{mathml}</span>')
        else:
            out.append(str(mathml))
    return Markup("".join(out))


# --- feedback texts: code, matrices and bare formulas ------------------------------------------

# ```…``` fences (the answer's code cells and printouts, see grade._excerpt) and `inline code`
_CODE = re.compile(r"```[^\n`]*\n(?P<block>.*?)\n?```|`(?P<inline>[^`\n]+)`", re.S)
# a matrix printed as nested lists of numbers: [[0.91, -0.63], [-0.63, 0.66]]
_NUM = r"\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*"
_ROW = rf"\[{_NUM}(?:,{_NUM})*\]"
_LIST_MATRIX = re.compile(rf"\[\s*{_ROW}(?:\s*,\s*{_ROW})*\s*\]")
_BARE_FORMULA = re.compile(r"\\[A-Za-z]+|[_^]\{|\\[{}]")


def matrix_latex(text: str) -> str:
    """Each ``[[a, b], [c, d]]`` of ``text`` outside $…$ as ``$\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}$``."""
    if "[" not in text:  # no list of lists to rewrite
        return text
    out = []
    for kind, part in split_math(text):
        if kind != "text":
            out.append(_source(kind, part))
            continue
        out.append(_LIST_MATRIX.sub(lambda m: "$\\begin{bmatrix} " + " \\\\ ".join(
            " & ".join(x.strip() for x in row.split(",")) for row in re.findall(r"\[([^\[\]]*)\]", m.group()[1:-1])
        ) + " \\end{bmatrix}$", part))
    return "".join(out)


def rich_html(text: str) -> Markup:
    """Feedback text as HTML: code as code, matrices and formulas as MathML (or their source), prose escaped."""
    out, pos = [], 0
    for m in _CODE.finditer(text):
        out.append(math_html(matrix_latex(text[pos:m.start()])))
        if m.group("block") is not None:
            out.append(f'<pre class="code"><code>{escape(m.group("block"))}</code></pre>')
        else:
            out.append(f"<code>{escape(m.group('inline'))}</code>")
        pos = m.end()
    out.append(math_html(matrix_latex(text[pos:])))
    return Markup("".join(str(o) for o in out))


def quote_html(text: str) -> Markup:
    """A quoted piece of an answer ("Read: …"): a bare LaTeX formula (``Q_{34} = 0``, ``\\begin{bmatrix}…``)
    as one formula, text with $…$ or a printed matrix as rich text, anything else as escaped text."""
    if text.count("$") % 2 and "\\$" not in text:  # a quote cut inside a formula: close it
        text += "$"
    if "$" not in text and "\\(" not in text and "\\[" not in text and _BARE_FORMULA.search(text):
        mathml = to_mathml(text)
        if mathml is not None:
            return mathml
        return Markup(f'<code class="tex">{escape(text)}</code>')
    return rich_html(text)
