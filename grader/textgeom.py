"""Text geometry shared by the readers, the segmenter, the extractors and the math layer.

Where things are in a text, and nothing about what they mean: which bracket closes which, splitting at separators
outside brackets, whether an offset falls in a span, short one-line quotes of a span, and the one table of Greek
letters (glyph → name) that every stage reads Unicode math with. A backslash escapes the character after it
everywhere here (``\\{`` is not a brace, ``\\\\`` is not an escape of what follows), as in LaTeX.
"""

from __future__ import annotations

import bisect
import re
from typing import Sequence

__all__ = [
    "GREEK_LETTERS", "GREEK_NAMES", "GREEK_VARIANTS", "bracket_pairs", "compact", "greek_name", "inside", "snippet",
    "snippet_at", "split_top", "split_top_pattern",
]

_LOWER = "αβγδεϵζηθϑικλμνξπϖρϱσςτυφϕχψω"
_LOWER_NAMES = ("alpha beta gamma delta epsilon epsilon zeta eta theta theta iota kappa lambda mu nu xi pi pi rho rho"
                " sigma sigma tau upsilon phi phi chi psi omega").split()
_UPPER = "ΓΔΘΛΞΠΣΥΦΨΩ"
_UPPER_NAMES = "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
# Glyph → LaTeX name: "μ" → "mu", "Σ" → "Sigma"; variant glyphs (ϵ ϑ ϕ ς) name their letter.
GREEK_LETTERS: dict[str, str] = {**dict(zip(_LOWER, _LOWER_NAMES)), **dict(zip(_UPPER, _UPPER_NAMES))}
# The LaTeX names of Greek letters (\mu, \Sigma), lower and upper case.
GREEK_NAMES: frozenset[str] = frozenset(_LOWER_NAMES) | frozenset(_UPPER_NAMES)
# Variant commands name the same symbol: a student's \varepsilon is the statement's \epsilon.
GREEK_VARIANTS: dict[str, str] = {"varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi", "varrho": "rho",
                                  "varsigma": "sigma", "varpi": "pi"}


def greek_name(glyph_or_command: str) -> str | None:
    """The letter's name for a glyph ("μ"), a command name ("mu", "varepsilon"), else None."""
    if glyph_or_command in GREEK_LETTERS:
        return GREEK_LETTERS[glyph_or_command]
    if glyph_or_command in GREEK_VARIANTS:
        return GREEK_VARIANTS[glyph_or_command]
    return glyph_or_command if glyph_or_command in GREEK_NAMES else None


def bracket_pairs(text: str, openers: str = "{", closers: str = "}") -> tuple[dict[int, int], int | None]:
    """Offset of each opening bracket → offset of the bracket that closes it, in one pass.

    Any closer closes the innermost open bracket (``openers[i]`` pairs with ``closers[i]`` in well-formed text).
    Returns the pairs and the offset of the first bracket left unmatched (a closer with nothing open, or an opener
    never closed), None when every bracket is matched; callers that refuse unbalanced text raise there.
    """
    pairs: dict[int, int] = {}
    stack: list[int] = []
    unmatched: int | None = None
    # only a backslash (with the character it escapes) and the brackets matter: the scanner skips the rest
    for m in _bracket_scanner(openers, closers).finditer(text):
        ch = m.group()
        if ch in openers:
            stack.append(m.start())
        elif ch in closers:
            if stack:
                pairs[stack.pop()] = m.start()
            elif unmatched is None:
                unmatched = m.start()
    if stack and unmatched is None:
        unmatched = stack[0]
    return pairs, unmatched


_SCANNERS: dict[tuple[str, str], re.Pattern] = {}


def _bracket_scanner(openers: str, closers: str) -> re.Pattern:
    """A pattern matching an escape (a backslash and the character after it, if any) or one of the brackets."""
    known = _SCANNERS.get((openers, closers))
    if known is None:
        brackets = "".join(sorted(set(openers + closers) - {"\\"}))
        alternatives = [r"\\[\s\S]?"] + ([f"[{re.escape(brackets)}]"] if brackets else [])
        known = _SCANNERS[(openers, closers)] = re.compile("|".join(alternatives))
    return known


def split_top(text: str, separators: str, openers: str = "([{", closers: str = ")]}") -> list[str]:
    """Split at any character of ``separators`` that stands outside every bracket (and is not escaped)."""
    parts, depth, last, i, n = [], 0, 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch in openers:
            depth += 1
        elif ch in closers:
            depth -= 1
        elif ch in separators and depth == 0:
            parts.append(text[last:i])
            last = i + 1
        i += 1
    parts.append(text[last:])
    return parts


_ENVIRONMENT = re.compile(r"\\(begin|end)\s*\{[^{}]*\}")


_SPECIAL = re.compile(r"[\\{}]")


def split_top_pattern(text: str, separator: re.Pattern) -> list[str]:
    """Split where ``separator`` matches outside every brace group and every ``\\begin … \\end`` environment."""
    # The scan jumps from one backslash or brace to the next; at depth 0 it asks for the separator's next
    # (non-empty) match once and keeps it while it lies ahead, so the text is searched once, not at every offset.
    parts, start, depth, env, i, n = [], 0, 0, 0, 0, len(text)
    ahead = special = -1  # where the next separator match and the next backslash or brace start, once known
    match = None
    while i < n:
        if special < i:
            found = _SPECIAL.search(text, i)
            special = found.start() if found else n
        if depth == 0 and env == 0:
            if ahead < i and ahead != n:
                match = separator.search(text, i)
                while match is not None and match.end() == match.start():  # an empty match splits nothing
                    match = separator.search(text, match.start() + 1) if match.start() < n else None
                ahead = match.start() if match is not None else n
            if ahead <= special and ahead < n:
                parts.append(text[start:ahead])
                start = i = match.end()
                continue
        i = special
        if i >= n:
            break
        ch = text[i]
        if ch == "\\":
            m = _ENVIRONMENT.match(text, i)
            if m:
                env += 1 if m.group(1) == "begin" else -1
                i = m.end()
            else:
                i += 2  # a command or an escaped brace: \{ is not a group
            continue
        if ch == "{":
            depth += 1
        else:
            depth -= 1
        i += 1
    parts.append(text[start:])
    return parts


def inside(spans: Sequence[tuple[int, int]], pos: int) -> bool:
    """Is ``pos`` inside one of ``spans`` (sorted, disjoint (start, end) pairs)?"""
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


SNIPPET_LENGTH = 200  # characters of a quote in feedback (the middle of a longer one elided)


def snippet(text: str, start: int, end: int, limit: int = SNIPPET_LENGTH) -> str:
    """``text[start:end]`` on one line, at most ``limit`` characters (the middle elided)."""
    if end - start > 2 * limit:  # never copy a huge span just to shorten it
        piece = text[start : start + limit] + " … " + text[end - limit : end]
    else:
        piece = text[start:end]
    piece = " ".join(piece.split())
    if len(piece) > limit:
        piece = piece[: limit - 60] + " … " + piece[-57:]
    return piece


def snippet_at(text: str, pos: int, radius: int = 20) -> str:
    """The text around ``pos``, with an ellipsis where it was cut (where a formula could not be read)."""
    start = max(0, pos - radius)
    end = min(len(text), pos + radius)
    head = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    return f"{head}{text[start:end]}{tail}"


def compact(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
