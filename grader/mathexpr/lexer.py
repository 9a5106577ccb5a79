"""Tokens of the restricted LaTeX grammar.

Everything is decided here by a whitelist: a command that is not listed is refused with "unsupported command",
so nothing a student types (``\\input``, ``\\write18``, Python code) is ever interpreted, let alone run.
Spacing and sizing commands (``\\,``, ``\\quad``, ``\\left``, ``\\bigl``) vanish; font commands (``\\mathbf{X}``,
``\\boldsymbol{\\mu}``, ``\\mathsf T``) are transparent, except that ``\\operatorname{tr}``, ``\\text{Tr}``,
``\\mathrm{adj}`` and friends become function tokens.

Token kinds: ``num``, ``ident`` (a letter or a Greek name), ``func`` (det, tr, adj, cof, exp, log), ``frac``,
``sqrt``, ``transpose`` (``\\top``, ``\\intercal``, ``\\prime``), ``text`` (a word in ``\\text{…}``), ``begin``/``end``
(environment name as text), ``rowsep`` (``\\\\``), ``rel`` (``\\leq`` and friends, only meaningful in index
ranges), ``eof``, and single characters as their own kind (``{ } ( ) [ ] | ^ _ ' + - * / = & , .``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from grader.textgeom import GREEK_LETTERS, bracket_pairs, greek_name, snippet_at

from .errors import MathParseError


class Token(NamedTuple):
    kind: str
    text: str
    pos: int


# Identifiers written as a glyph (μ, Σ, ∞) or a command (\mu, \varepsilon, \infty), by their canonical name.
UNICODE_IDENTS = {**GREEK_LETTERS, "∞": "infty"}


def ident_name(command: str) -> str | None:
    """The identifier a command names (\\mu → mu, \\varepsilon → epsilon, \\infty → infty), else None."""
    return "infty" if command == "infty" else greek_name(command)

UNICODE_OPS = {"·": ("*", "*"), "×": ("*", "*"), "⋅": ("*", "*"), "⊤": ("transpose", "top"), "−": ("-", "-"),
               "′": ("'", "'"), "≤": ("rel", "leq"), "≥": ("rel", "geq")}

# Words that name an operator wherever they appear: \operatorname{tr}, \text{Tr}, \mathrm{Cof}, \tr.
OPERATORS = {
    "tr": "tr", "Tr": "tr", "TR": "tr", "trace": "tr", "Trace": "tr",
    "det": "det", "Det": "det",
    "adj": "adj", "Adj": "adj", "adjugate": "adj",
    "cof": "cof", "Cof": "cof", "com": "cof", "Com": "cof", "comatrix": "cof",
    "exp": "exp", "log": "log", "ln": "log",
    "inv": "inv",  # the parser makes it an inverse
}
COMMANDS = {
    "frac": ("frac", "frac"), "dfrac": ("frac", "frac"), "tfrac": ("frac", "frac"),
    "sqrt": ("sqrt", "sqrt"),
    "cdot": ("*", "*"), "times": ("*", "*"),
    "top": ("transpose", "top"), "intercal": ("transpose", "top"), "prime": ("transpose", "top"),
    "lvert": ("|", "|"), "rvert": ("|", "|"), "vert": ("|", "|"),
    "leq": ("rel", "leq"), "le": ("rel", "leq"), "geq": ("rel", "geq"), "ge": ("rel", "geq"),
    "lt": ("rel", "lt"), "gt": ("rel", "gt"),
}
SKIPPED = frozenset(
    "left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr quad qquad displaystyle "
    "textstyle scriptstyle limits nolimits nonumber notag enspace thinspace medspace thickspace negthinspace "
    "negmedspace negthickspace".split()
)
SIZED = frozenset("left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr".split())
MATH_FONTS = frozenset(
    "mathbf mathrm mathsf mathit mathnormal mathup mathtt boldsymbol bm pmb symbf symbfit mathbb operatorname".split()
)
TEXT_COMMANDS = frozenset("text textrm textit textbf textsf textnormal mbox hbox".split())
SKIPPED_ESCAPES = frozenset(",;:!> \n\t")

_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<cmd>\\[A-Za-z]+)"
    r"|(?P<rowsep>\\\\)"
    r"|(?P<esc>\\.)"
    r"|(?P<num>\d+(?:\.\d+)?|\.\d+)"
    r"|(?P<letter>[A-Za-z])"
    r"|(?P<punct>[{}()\[\]|^_'+\-*/=&,.<>;:!])",
    re.S,
)
_SINGLE_LETTER = re.compile(r"[A-Za-z]")


def _fail(text: str, pos: int, message: str) -> MathParseError:
    snip = snippet_at(text, pos)
    return MathParseError(f"could not read this expression: {message} near '{snip}'", snip)


def brace_pairs(text: str) -> dict[int, int]:
    """Position of each ``{`` → position of its ``}``; unbalanced braces are refused here, in one pass."""
    pairs, unmatched = bracket_pairs(text)
    if unmatched is not None:
        raise _fail(text, unmatched, "unbalanced braces")
    return pairs


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an ``eof`` token; raises ``MathParseError``."""
    pairs = brace_pairs(text)
    tokens: list[Token] = []
    pos, n = 0, len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        if m is None:
            ch = text[pos]
            if ch in UNICODE_IDENTS:
                tokens.append(Token("ident", UNICODE_IDENTS[ch], pos))
            elif ch in UNICODE_OPS:
                kind, canon = UNICODE_OPS[ch]
                tokens.append(Token(kind, canon, pos))
            else:
                raise _fail(text, pos, f"unexpected character {ch!r}")
            pos += 1
            continue
        kind, word, end = m.lastgroup, m.group(), m.end()
        if kind == "cmd":
            pos = _command(text, word[1:], pos, end, pairs, tokens)
            continue
        if kind == "rowsep":
            tokens.append(Token("rowsep", word, pos))
        elif kind == "esc":
            if word[1] == "|":
                raise _fail(text, pos, "norms ‖…‖ are not supported")
            if word[1] not in SKIPPED_ESCAPES:
                raise _fail(text, pos, f"unsupported '{word}'")
        elif kind == "num":
            tokens.append(Token("num", word, pos))
        elif kind == "letter":
            tokens.append(Token("ident", word, pos))
        elif kind == "punct":
            tokens.append(Token(word, word, pos))
        pos = end
    tokens.append(Token("eof", "", n))
    return tokens


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _command(text: str, name: str, start: int, end: int, pairs: dict[int, int], tokens: list[Token]) -> int:
    """Emit the tokens of the command ``\\name`` found at ``start``; return where lexing resumes."""
    if name in SKIPPED:
        nxt = _skip_spaces(text, end)
        if name in SIZED and nxt < len(text) and text[nxt] == ".":  # \left. and \right. are invisible
            return nxt + 1
        return end
    if (ident := ident_name(name)) is not None:
        tokens.append(Token("ident", ident, start))
        return end
    if name in OPERATORS:
        tokens.append(Token("func", OPERATORS[name], start))
        return end
    if name in COMMANDS:
        kind, canon = COMMANDS[name]
        tokens.append(Token(kind, canon, start))
        return end
    if name in ("begin", "end"):
        brace = _skip_spaces(text, end)
        if brace >= len(text) or text[brace] != "{":
            raise _fail(text, start, f"\\{name} without an environment name")
        close = pairs[brace]
        tokens.append(Token(name, text[brace + 1 : close].strip(), start))
        return close + 1
    if name in MATH_FONTS or name in TEXT_COMMANDS:
        return _font(text, name, start, end, pairs, tokens)
    digits = re.match(r"\d*", text[end:]).group()  # show "\write18", not just "\write"
    raise _fail(text, start, f"unsupported command \\{name}{digits}")


def _font(text: str, name: str, start: int, end: int, pairs: dict[int, int], tokens: list[Token]) -> int:
    brace = _skip_spaces(text, end)
    if brace < len(text) and text[brace] == "{":
        close = pairs[brace]
        word = text[brace + 1 : close].strip()
        if word in OPERATORS:
            tokens.append(Token("func", OPERATORS[word], start))
            return close + 1
        if name in TEXT_COMMANDS:
            if word and _SINGLE_LETTER.fullmatch(word):
                tokens.append(Token("ident", word, start))
            elif word:
                tokens.append(Token("text", word, start))
            return close + 1
        if name == "mathbb":
            if word in ("I", "1"):  # \mathbb{I}, \mathbb{1}: the identity
                tokens.append(Token("ident", "I", start))
                return close + 1
            raise _fail(text, start, f"unsupported \\mathbb{{{word}}}")
        if name == "operatorname":
            raise _fail(text, start, f"unsupported function {word!r}")
    elif name in ("mathbb", "operatorname"):
        raise _fail(text, start, f"unsupported command \\{name} without braces")
    # \mathbf{X}, \boldsymbol{\mu}, \mathsf T: the font changes nothing, the content is lexed as usual
    return end


def token_pairs(tokens: list[Token]) -> dict[int, int]:
    """Index of each ``{`` token → index of its ``}`` token."""
    pairs, stack = {}, []
    for index, tok in enumerate(tokens):
        if tok.kind == "{":
            stack.append(index)
        elif tok.kind == "}":
            pairs[stack.pop()] = index  # balanced: the lexer refused anything else
    return pairs


def describe(tok: Token) -> str:
    """A token as a message names it: ``'='``, ``'\\frac'``, ``end of the expression``."""
    if tok.kind == "eof":
        return "end of the expression"
    if tok.kind in ("func", "frac", "sqrt", "transpose", "rel"):
        return f"'\\{tok.text}'"
    if tok.kind == "rowsep":
        return "'\\\\'"
    if tok.kind in ("begin", "end"):
        return f"'\\{tok.kind}{{{tok.text}}}'"
    return f"'{tok.text}'"
