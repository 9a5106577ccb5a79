"""A student's own definitions: "where J = …", "Let P = …", and "C_{ij} = (-1)^{i+j} det(X_{-i,-j})".

``find_definitions(text, symbols)`` looks at every math segment (``$…$``, ``$$…$$``, ``\\[…\\]``, or each line
when the text has no delimiters, and the lines with an ``=`` outside them), cuts it at row breaks, ``\\quad`` and ``\\text{…}`` words, and keeps each piece of
the form ``NAME = expression`` whose expression parses; in a chain ``Cov(v|u) = P = (…)^{-1}`` the name before the
last side is defined by it. Undelimited lines are read as plain text (grader.mathexpr.plain: numpy forms, and the
declared Greek letters spelled out, ``Sigma^-1``). Declared symbols (``u`` in "u = Lv + m + ε") are never
redefined, which is why ``symbols`` should be passed. A cofactor written entrywise — the formula
``C_{ij} = (-1)^{i+j} \\det(X_{-i,-j})`` (or with the minor in words, "det(X without row i and column j)") or the words "C_{ij} is the cofactor of X_{ij}" — defines C as Cof(X), so
that a step ``(C_{ij}) = \\text{Cof}(X)^T`` can be checked.
"""

from __future__ import annotations

import re

from grader.textgeom import GREEK_NAMES, split_top_pattern

from .chain import MAX_BLOCK_LENGTH
from .errors import MathParseError, TooLarge
from .layout import strip_layout
from .nodes import Sym, free_symbols
from .parser import parse
from .plain import code_forms, greek_names, spelled_greek
from .spoken import spoken_forms
from .symbols import canonical_name, symbol_table

_DELIMITERS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))
_PIECE_BREAK = re.compile(r"\\\\|\\q?quad(?![A-Za-z])|\\(?:text|textrm|mbox)\s*\{[^{}]*\}|;")
_RELATION = re.compile(r":?=|≔|\\coloneqq(?![A-Za-z])")
# "J := …" defines J; a later "J = …" (the handout's J quoted in a remark, say) does not replace it
_DEFINES = re.compile(r"\s*(?::=|≔|\\coloneqq(?![A-Za-z]))")
_AMPERSAND = re.compile("&")
# the connective a definition typed in a sentence starts with: "Let J = …", "With J = …", "Soit J = …"
# … or a label with its colon: "Gain: J = …", "Kalman gain: J = …"
_LEAD = re.compile(r"^\s*(?:(?:let|with|where|define|set|put|and|then|so|soit|avec|où|posons|on pose|et)\s+"
                   r"|(?:[^\W\d_]{3,}\s+){0,2}[^\W\d_]{3,}\s*:\s+)", re.I)
# prose after a definition in a sentence: a word of three letters or more that is no LaTeX command or symbol name
_PROSE_AFTER = re.compile(r"(?<![\s,;])[\s,;]+(?=(?<![\\A-Za-z])(?:the|and|so|then|we|is|which|gives|et|donc|alors|on|le|la|for|"
                          r"where|with|avec|où|hence|thus|in)\b)", re.I)  # alignment marks, outside any matrix
_NAME = re.compile(
    r"\s*(?:\\(?:mathbf|boldsymbol|bm|mathrm)\s*\{\s*)?(\\?[A-Za-z]+)\s*\}?\s*(?:_\s*\{?\s*([A-Za-z0-9]+)\s*\}?)?\s*"
)
_IJ = r"_\s*(?:\{\s*i\s*,?\s*j\s*\}|ij(?![A-Za-z]))"  # C_{ij}, C_{i,j}, and C_ij typed without braces
# C_{ij} = (-1)^{i+j} det(X_{-i,-j}), and in plain text "C_ij = (-1)^(i+j) det(X without row i and column j)": the
# sign and the determinant of X's minor, however the minor is written
_COFACTOR_FORMULA = re.compile(
    r"([A-Za-z])" + _IJ + r"\s*=\s*\(\s*-\s*1\s*\)\s*\^\s*[{(]\s*i\s*\+\s*j\s*[})]\s*"
    r"(?:\\det|\\operatorname\s*\{\s*det\s*\}|\\mathrm\s*\{\s*det\s*\}|det)\s*(?:\\left|\\bigl?|\\Bigl?)?\s*[(\[]?\s*"
    r"(?:\\mathbf\s*\{\s*)?([A-Za-z])(?![A-Za-z])"
)
_COFACTOR_WORDS = re.compile(
    r"([A-Za-z])" + _IJ + r"\s*\$?[^$]{0,40}?\bcofactor\s+of\s+\$?\s*([A-Za-z])" + _IJ, re.S | re.I
)


def _delimited(text: str) -> list[tuple[str, int, int]]:
    """Math segments in order with where each starts and ends (delimiters included), found with str.find and
    remembered next positions: linear in the text (a regex with lazy groups is quadratic on unclosed ``\\[``)."""
    found: list[tuple[str, int, int]] = []
    pos = 0
    upcoming = {opening: text.find(opening) for opening, _ in _DELIMITERS}
    closings = dict(_DELIMITERS)
    while True:
        for opening, at in upcoming.items():
            if 0 <= at < pos:
                upcoming[opening] = text.find(opening, pos)
        live = [(at, -len(opening), opening) for opening, at in upcoming.items() if at >= 0]
        if not live:
            break
        start, _, opening = min(live)
        end = text.find(closings[opening], start + len(opening))
        if end < 0:
            break
        pos = end + len(closings[opening])
        found.append((text[start + len(opening) : end], start, pos))
    return found


def _with_plain_lines(text: str, delimited: list[tuple[str, int, int]], greek) -> list[str]:
    """The math segments and, in text order between them, the lines with an "=" outside them rewritten as plain
    text ("J = K L^T (L K L^T)^-1" typed beside some LaTeX)."""
    out, pos = [], 0
    for segment, start, end in [*delimited, (None, len(text), len(text))]:
        for line in re.finditer(r"[^\n]+", text[pos:start]):
            if "=" in line.group() and "$" not in line.group() and not _in_check(text, pos + line.start()):
                out.append(spelled_greek(code_forms(line.group().strip()), greek))
        if segment is not None:
            out.append(segment)
        pos = end
    return out


# the opening of a check or an example in the sentence before a formula: its values are supposed, not defined
_CHECK_CONTEXT = re.compile(
    r"\b(?i:sanity\s+check|check|contr[ôo]le|v[ée]rification|probe|kontrolle|test|cas\s+scalaire|scalar\s+case"
    r"|in\s+1-?d|for\s+example|for\s+instance|e\.\s?g\.|par\s+exemple|zum\s+beispiel|por\s+ejemplo|ad\s+esempio)"
    r"\b[^.!?\n]*\Z")
_CHECK_REACH = 160


def _in_check(text: str, start: int) -> bool:
    """Whether the formula at ``start`` is inside a check or an example, by the words before it in its sentence."""
    window = text[max(0, start - _CHECK_REACH, text.rfind("\n\n", 0, start) + 1) : start]
    return bool(_CHECK_CONTEXT.search(window))


def find_definitions(text: str, symbols=None) -> dict[str, str]:
    """Definitions the student wrote, name → LaTeX of the defining expression (the last one of a name wins)."""
    if len(text) > MAX_BLOCK_LENGTH * 10:
        raise TooLarge(f"text too long to search for definitions ({len(text)} characters)", text[:40])
    declared = {spec.name for spec in symbol_table(symbols)} if symbols else set()
    # what a sanity check or an example supposes ("cas scalaire $K = L = 1$ : $J = 1/2$") defines nothing
    delimited = [d for d in _delimited(text) if not _in_check(text, d[1])]
    greek = greek_names(declared)
    if not delimited:  # no delimiters: plain text, read line by line
        said = (spoken_forms(m.group()) for m in re.finditer(r"[^\n]+", text) if not _in_check(text, m.start()))
        segments = [spelled_greek(code_forms(line), greek) for line in said if "=" in line]
    else:  # math, and plain lines typed beside it
        segments = _with_plain_lines(text, delimited, greek)
    text = re.sub(r"\s+", " ", text)  # single blanks keep the patterns below free of backtracking on long runs
    found: dict[str, str] = {}
    declared_here: set[str] = set()  # the names given with ":="
    for m in list(_COFACTOR_FORMULA.finditer(text)) + list(_COFACTOR_WORDS.finditer(text)):
        found[canonical_name(m.group(1))] = f"\\operatorname{{Cof}}({m.group(2)})"
    for segment in segments:
        segment = re.sub(r"\s+", " ", strip_layout(segment))  # "J &= … , \tag{a} \\" inside align*
        for piece in split_top_pattern(" ".join(split_top_pattern(segment, _AMPERSAND)), _PIECE_BREAK):
            parts = split_top_pattern(piece, _RELATION)
            if len(parts) < 2:
                continue
            name, rhs = _definition_name(_LEAD.sub("", parts[0])), parts[1]
            explicit = bool(_DEFINES.match(piece, piece.find(parts[0]) + len(parts[0])))
            if name is None and len(parts) > 2:  # "Cov(v|u) = P = (K^{-1} + …)^{-1}": P names the last side
                name, rhs, explicit = _definition_name(parts[-2]), parts[-1], False
            if name is None or name in declared or name == "I" or name in found and "Cof" in found[name]:
                continue
            if name in declared_here and not explicit:
                continue
            expr, rhs = _parsed(rhs.strip().rstrip(".,"))
            if expr is None:
                continue
            if name not in free_symbols(expr):
                found[name] = rhs
                if explicit:
                    declared_here.add(name)
    return found


def _parsed(rhs: str):
    """The tree of a defining side, or of its part before the prose that follows it in a sentence typed without
    math ("J = K L^T (L K L^T)^{-1} the posterior is …"); (None, rhs) when neither parses."""
    cut = _PROSE_AFTER.split(rhs, maxsplit=1)[0].strip().rstrip(".,")
    word = next((m for m in _WORD_AFTER.finditer(cut) if m.group().lower() not in _MATH_WORDS), None)
    before_word = cut[: word.start()].strip().rstrip(".,") if word else ""  # "… (Sigma + L K L^T)^-1 like in …"
    for side in (before_word, cut, rhs):
        if not side:
            continue
        try:
            return parse(side), side
        except MathParseError:
            continue
    return None, rhs


# a word of prose after a definition typed in a sentence: four letters or more, no command, no Greek letter's name
_WORD_AFTER = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{4,}(?![A-Za-z(])")
_MATH_WORDS = frozenset(name.lower() for name in GREEK_NAMES) | {"trace", "diag"}


def _definition_name(lhs: str) -> str | None:
    lhs = lhs.strip()
    if len(lhs) > 40:  # a name is short; longer left-hand sides are equations, not definitions
        return None
    m = _NAME.fullmatch(lhs)
    if not m:
        return None
    word = m.group(1)
    if not word.startswith("\\") and len(word) > 1:
        return None  # "Cov", "E": a word, not a symbol
    candidate = f"{word}_{{{m.group(2)}}}" if m.group(2) else word
    try:
        name = canonical_name(candidate)
        node = parse(candidate)
    except (ValueError, MathParseError):
        return None
    return name if isinstance(node, Sym) else None
