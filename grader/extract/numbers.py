"""Numbers as students write them: parse one (``parse_number``) or find all in a text (``find_numbers``).

Accepted forms: ``-0.96``, ``-.96``, ``.96``, ``9.64e-1``, ``9.64 \\times 10^{-1}``, ``\\frac{24}{25}``,
``\\dfrac{-24}{25}``, ``-\\frac{1}{2}``, ``\\tfrac12``, ``24/25``, ``0{,}96``; ``parse_number`` also takes a lone
``0,96`` (a decimal comma, only when it cannot be a thousands separator), strips a leading relation
(``\\approx 0.96``, ``= 0.96``) and wrappers (``**…**``, ``$…$``, ``\\mathbf{…}``, ``\\boxed{…}``, ``(…)``).

Safety: every pattern runs in linear time (optional groups start with a literal, so no two quantifiers compete for the
same characters); a literal with more than ``MAX_DIGITS`` digits, an exponent beyond ``MAX_EXPONENT`` and any
non-finite result (``1/0``, overflow) give None: NaN and infinities never come out as numbers.

``find_numbers`` skips digits that belong to names (``X_3``, ``Q_{34}``, ``mu1``, ``2d.png``) and version-like runs
(``4.2.0``); it keeps superscripts (``e^{-4}`` gives -4). A decimal comma in running text is never read (``[3,5,0,0]``
is a list). This module also holds the spans the other extractors share: emphasis (bold, boxed) and math ($…$,
$$…$$, \\[…\\], equation environments); where things are in a text in general (brackets, snippets) is
grader.textgeom's.
"""

from __future__ import annotations

import math
import re

from grader.model import Found
from grader.textgeom import bracket_pairs, inside, snippet

MAX_DIGITS = 50
MAX_EXPONENT = 300
MAX_PARSE_LENGTH = 400  # one number with its decorations; anything longer is not "one number"

_DEC = r"(?:\d+(?:\.\d*)?|\.\d+)"
_SCI = (
    r"(?:\s*(?:\\times|\\cdot|×|\*)\s*10\s*\^\s*(?:\{\s*(?P<lexp>[-+]?\d+)\s*\}|(?P<lexp1>[-+]?\d))"
    r"|[eE](?P<eexp>[-+]?\d+)|/(?P<den>" + _DEC + r")|\{,\}(?P<cfrac>\d+))?"
)
_FRAC = (
    r"\\[dt]?frac\s*(?:\{\s*(?P<fnum>[-+]?\s*" + _DEC + r")\s*\}\s*\{\s*(?P<fden>[-+]?\s*" + _DEC + r")\s*\}"
    r"|(?P<fn1>\d)\s*(?P<fd1>\d)"
    # "\frac1{35}", "\frac{1}2": one argument a single digit, the other braced
    r"|(?P<fn2>\d)\s*\{\s*(?P<fd2>[-+]?\s*" + _DEC + r")\s*\}|\{\s*(?P<fn3>[-+]?\s*" + _DEC + r")\s*\}\s*(?P<fd3>\d))"
)
# In running text a sign belongs to the number only when nothing word-like stands right before it ("1-2" is a
# subtraction); the same guard keeps digits of names (X3, x_1, 4.2.0) out.
_FIND = re.compile(
    r"(?:(?P<fsign>(?<![\w)\]}])-)\s*)?" + _FRAC
    + r"|(?<![\w.\\)\]}])(?P<sign>[-+])?(?P<mant>" + _DEC + ")" + _SCI
)
_WHOLE = re.compile(
    r"\s*(?:(?P<fsign>-)\s*)?" + _FRAC
    + r"\s*|\s*(?P<sign>[-+])?\s*(?P<mant>" + _DEC + ")" + _SCI + r"\s*"
)
_COMMA_DECIMAL = re.compile(r"\s*(?P<sign>[-+])?\s*(?P<int>\d+),(?P<frac>\d+)\s*")
_LEADING_RELATION = re.compile(r"\s*(?:=|:|≈|\\approx|\\simeq|\\sim|\\to|\\rightarrow|\\approxeq)\s*")
_WRAPPER = re.compile(
    r"\s*(?:\\(?:mathbf|textbf|boxed|fbox|bm|boldsymbol|text|mathrm|displaystyle|left)\s*)?\s*([{(\[])"
)
_MATH = re.compile(
    r"\\\\|\\\$|\$\$|\$|\\\[|\\\]|\\\(|\\\)"
    r"|\\(?:begin|end)\{(?:equation|align|gather|multline|eqnarray|displaymath)\*?\}"
)
_MATH_CLOSER = {"$": "$", "$$": "$$", "\\[": "\\]", "\\(": "\\)"}
_BOLD = re.compile(r"\*\*")
_EMPHASIS_COMMAND = re.compile(r"\\(boxed|fbox|textbf|mathbf)\s*\{")
_NUMBER_START = re.compile(r"\s*[-+.\d]")
_CLOSERS = {"{": "}", "(": ")", "[": "]"}


def _literal(s: str) -> float | None:
    s = "".join(s.split())
    digits = sum(c.isdigit() for c in s)
    if digits == 0 or digits > MAX_DIGITS:
        return None
    return float(s)


def _exponent(s: str | None) -> int | None:
    if s is None:
        return None
    s = s.lstrip("+")
    if len(s.lstrip("-")) > 4:  # a 5-digit exponent is out of range anyway; int() of a huge run is slow
        return MAX_EXPONENT + 1
    return int(s)


def _value(m: re.Match) -> float | None:
    """The value of a ``_FIND``/``_WHOLE`` match, or None when it is out of range or not finite."""
    g = m.groupdict()
    if g["mant"] is None:
        num = _literal(g["fnum"] or g["fn1"] or g["fn2"] or g["fn3"])
        den = _literal(g["fden"] or g["fd1"] or g["fd2"] or g["fd3"])
        if num is None or den is None or den == 0:
            return None
        value = -num / den if g["fsign"] else num / den
    else:
        digits = g["mant"] if g["cfrac"] is None else f"{g['mant']}.{g['cfrac']}"
        if g["cfrac"] is not None and "." in g["mant"]:
            return None
        exp = _exponent(g["lexp"] or g["lexp1"] or g["eexp"])
        if exp is not None and abs(exp) > MAX_EXPONENT:
            return None
        # float() of the written digits and exponent is exact to the last bit, unlike mant * 10.0**exp
        mant = _literal(digits if exp is None else f"{digits}e{exp}")
        if mant is None:
            return None
        if g["den"] is not None:
            den = _literal(g["den"])
            if den is None or den == 0:
                return None
            mant = mant / den
        value = -mant if g["sign"] == "-" else mant
    return value if math.isfinite(value) else None


def _balanced(s: str) -> bool:
    depth = 0
    for c in s:
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _unwrap(s: str) -> tuple[str, bool] | None:
    """``s`` without one layer of decoration (and whether that was a bracket), or None when there is none."""
    t = s.strip()
    for mark in ("**", "$", "__"):
        if len(t) > 2 * len(mark) and t.startswith(mark) and t.endswith(mark):
            return t[len(mark) : -len(mark)], False
    m = _LEADING_RELATION.match(t)
    if m:
        return t[m.end() :], False
    m = _WRAPPER.match(t)
    if m:
        opener = m.group(1)
        body = t[m.end() :]
        if body.endswith(_CLOSERS[opener]):
            body = body[:-1]
            if body.rstrip().endswith("\\right"):  # \left( … \right)
                body = body.rstrip()[:-6]
            if _balanced(body):
                return body, opener != "{"
    if t.endswith((".", ",", ";")) and len(t) > 1:  # sentence punctuation after the number
        return t[:-1], False
    return None


def parse_number(s: str) -> float | None:
    """One number written by a student, or None (words, expressions, non-finite or out-of-range values)."""
    if not isinstance(s, str) or len(s) > MAX_PARSE_LENGTH:
        return None
    bracketed = False  # "(1,5)" is a pair, not 1.5
    for _ in range(8):  # each round removes one decoration; the bound keeps "((((…" cheap
        m = _WHOLE.fullmatch(s)
        if m:
            return _value(m)
        m = None if bracketed else _COMMA_DECIMAL.fullmatch(s)
        if m:
            whole, frac = m.group("int"), m.group("frac")
            # "1,000" may be a thousands separator: read a comma as a decimal mark only when it cannot be one.
            if len(frac) == 3 and whole.lstrip("0"):
                return None
            value = _literal(f"{whole}.{frac}")
            return None if value is None else (-value if m.group("sign") == "-" else value)
        inner = _unwrap(s)
        if inner is None:
            return None
        s, was_bracket = inner
        bracketed = bracketed or was_bracket
    return None


def emphasis_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint spans of bold or boxed text: ``**…**`` (within a paragraph), ``\\textbf{…}``,
    ``\\boxed{…}``, ``\\fbox{…}``, and ``\\mathbf{…}`` when it holds a number (``\\mathbf{A}`` is notation)."""
    spans: list[tuple[int, int]] = []
    opened = -1
    for m in _BOLD.finditer(text):
        if opened >= 0 and text.find("\n\n", opened, m.start()) < 0:
            spans.append((opened, m.end()))
            opened = -1
        else:
            opened = m.start()
    if "\\" in text:
        closing = bracket_pairs(text)[0]
        for m in _EMPHASIS_COMMAND.finditer(text):
            brace = m.end() - 1
            if brace not in closing:
                continue
            if m.group(1) == "mathbf" and not _NUMBER_START.match(text, brace + 1):
                continue
            spans.append((m.start(), closing[brace] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def math_spans(text: str) -> list[tuple[int, int]]:
    """The inside of each $…$, $$…$$, \\[…\\], \\(…\\) and equation/align environment, in order (disjoint)."""
    spans, opened = [], None
    for m in _MATH.finditer(text):
        t = m.group()
        if t in ("\\\\", "\\$"):
            continue
        if opened is None:
            if t in _MATH_CLOSER or t.startswith("\\begin"):
                opened = m
            continue
        o = opened.group()
        if t != _MATH_CLOSER.get(o, o.replace("begin", "end")):
            continue
        if o == "$" and text.find("\n\n", opened.end(), m.start()) >= 0:
            opened = m  # inline math never spans paragraphs: the earlier "$" was a plain dollar
            continue
        spans.append((opened.end(), m.start()))
        opened = None
    return spans


def _glued_to_name(text: str, start: int, end: int) -> bool:
    """Digits that are part of a name or a version rather than a quantity."""
    if start >= 2 and text[start - 2 : start] == "_{":
        return True
    nxt = text[end : end + 2]
    if nxt[:1].isalpha() or nxt[:1] == "_":  # 2d, 3rd, 1st
        return True
    return len(nxt) == 2 and nxt[0] == "." and nxt[1].isdigit()  # 4.2.0


def find_numbers(text: str) -> list[Found]:
    """Every number in ``text`` with its offsets; ``value`` is a float, ``emphasized`` marks bold/boxed ones."""
    if not isinstance(text, str) or not text:
        return []
    spans = emphasis_spans(text)
    found = []
    for m in _FIND.finditer(text):
        start, end = m.span()
        if m.group("mant") is not None and _glued_to_name(text, start, end):
            continue
        value = _value(m)
        if value is None:
            continue
        found.append(Found(value, start, end, snippet(text, start, end), emphasized=inside(spans, start)))
    return found


def match_number(text: str, pos: int) -> tuple[float, int] | None:
    """The number that starts exactly at ``pos`` (value and end offset), or None."""
    m = _FIND.match(text, pos)
    if not m or (m.group("mant") is not None and _glued_to_name(text, m.start(), m.end())):
        return None
    value = _value(m)
    return None if value is None else (value, m.end())
