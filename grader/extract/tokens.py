"""Word tokens and sentence spans for the prose extractors.

``words(text)`` turns one answer (Markdown with $…$ / $$…$$ math, or LaTeX source) into lower-cased
tokens with character offsets, so that phrase matching does not depend on how the math was typed.
Token forms (``Token.text``, with ``Token.kind`` in brackets):

- [word] lower-cased letters, accents kept ("corrélées"; ``Token.plain`` drops them). French
  elisions are expanded (l'algorithme → "le" "algorithme", n'est → "ne" "est"); English n't is a
  token of its own (don't → "do" "n't", can't → "can" "n't", won't → "will" "n't").
- [number] with ``Token.value``: "3", "0.71", ".96" → "0.96", "zero"/"zéro" → "0"; a minus sitting
  on the digits after an operator, a bracket, a space or at the start belongs to the number
  ("= −1" → "-1"; "1-2" stays "1" "-" "2").
- [var] a single letter or a Greek name with a plain subscript or directly followed by digits:
  X_3, X_{3}, X3, x_3 → "x_3"; Q_{34}, Q_{3,4}, Q34 → "q_34"; \\Sigma_{34}, Σ_{34}, Σ34, Sigma34
  \\mu_1, μ1 → "mu_1"; X_{M_2} → "x_m_2"; with ``typos`` {"sum": "sigma"} (a course whose students type
  \\sum for \\Sigma: a rubric's ``settings.typos``) \\sum_{34} → "sigma_34";
  X_i → "x_i". Other subscripts (\\sum_{i=1}^n) stay separate tokens and \\sum is then "sum".
  A Greek letter alone (\\mu, μ) is its name ("mu").
- [op] "=" → "eq"; \\neq ≠ != \\not= → "neq"; \\mid \\vert | → "given"; \\perp ⊥ ⫫ \\indep
  \\perp\\!\\!\\!\\perp → "indep"; \\not → "not"; \\approx ≈ → "approx"; \\to → → "to";
  \\emptyset \\varnothing ∅ → "emptyset"; more in _CMD_OPS and _SYM_OPS below.
- [brace] "{" "}" for \\{ \\} \\lbrace \\rbrace and for bare braces that are neither a command's
  argument nor a sub/superscript group (those vanish: \\frac{1}{2} → "frac" "1" "2").
- [word] other LaTeX commands by name (\\exp → "exp"); layout and font commands (\\left, \\text,
  \\mathrm, \\operatorname …) vanish and leave their argument.
- [punct] . , ; : ! ? ( ) [ ] - * ^ / quotes; [sym] any other character.
- A hyphenated "non-" prefix joins its word: "non-zero" → "nonzero" (not the negation "non").

Emphasis (**…** and __…__ paired within a paragraph, \\textbf, \\emph, \\textit, \\underline,
\\boxed, \\fbox) is removed and recorded in ``Token.emphasized``; ``Token.math`` is True inside
$…$, $$…$$, \\(…\\) and \\[…\\]. Every regular expression matches one token at a time (no nested
quantifiers), so the scan is linear in the length of the text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from typing import NamedTuple

from grader.textgeom import GREEK_LETTERS, GREEK_NAMES, GREEK_VARIANTS

__all__ = ["Token", "words", "sentences", "sentence_tokens", "plain"]


class Token(NamedTuple):
    """One token of an answer, in the normal form the module docstring describes.

    A named tuple: immutable like a frozen dataclass, and several times cheaper to make (an answer has thousands)."""

    text: str  # the normal form described in the module docstring
    start: int  # character offsets in the text given to words()
    end: int
    kind: str = "word"  # word | number | var | op | brace | punct | sym
    emphasized: bool = False
    math: bool = False
    value: float | None = None  # numbers only
    plain: str = ""  # text without accents, for accent-insensitive matching


# One alternative per token class; each is a single run, so the scan is linear.
_LEX = re.compile(
    r"(?P<cmd>\\[A-Za-z]+)"
    r"|(?P<esc>\\[^A-Za-z])"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
    r"|(?P<bold>\*\*|__)"
    r"|(?P<dollar>\$\$|\$)"
    r"|(?P<apos>['\u2019])"
    r"|(?P<brk>\n[ \t]*\n)"
    r"|(?P<other>\S)"
)

# tokens are lower case: a glyph is looked up lowered (Σ → σ → "sigma"), a command by its lowered name
_GREEK_CHARS = {glyph: name for glyph, name in GREEK_LETTERS.items() if glyph.islower()}
_GREEK_NAMES = frozenset(name for name in GREEK_NAMES if name.islower())
_VAR_GREEK = GREEK_VARIANTS

_CMD_OPS = {
    "neq": "neq", "ne": "neq", "mid": "given", "vert": "given", "perp": "indep", "indep": "indep",
    "independent": "indep", "bot": "indep", "upmodels": "indep", "approx": "approx",
    "simeq": "approx", "to": "to", "rightarrow": "to", "longrightarrow": "to",
    "Rightarrow": "implies", "Longrightarrow": "implies", "implies": "implies",
    "emptyset": "emptyset", "varnothing": "emptyset", "cup": "cup", "cap": "cap", "neg": "neg",
    "lnot": "neg", "in": "in", "leq": "leq", "le": "leq", "geq": "geq", "ge": "geq",
    "infty": "infinity", "cdot": "times", "times": "times",
}
_SYM_OPS = {
    "=": "eq", "≠": "neq", "|": "given", "∣": "given", "⊥": "indep", "⫫": "indep", "≈": "approx",
    "≃": "approx", "→": "to", "⟶": "to", "⇒": "implies", "⟹": "implies", "∅": "emptyset",
    "∪": "cup", "∩": "cap", "¬": "neg", "∈": "in", "≤": "leq", "≥": "geq", "∞": "infinity",
    "×": "times",
}
_PUNCT = frozenset(".,;:!?()[]-*^/\"`~…«»—'<>")
# Unicode operators typed for their commands: "∫ p(x, z) dz" reads as "\int p(x, z) dz" does
_SYM_WORDS = {"∫": "int", "∑": "sum", "∏": "prod", "∂": "partial", "∇": "nabla", "√": "sqrt"}
_EMPH_CMDS = frozenset("textbf emph textit underline uline boxed fbox framebox hl".split())
_TEXT_CMDS = frozenset("text textrm textnormal mbox intertext".split())  # prose inside math
# Layout and font commands carry no meaning for the prose extractors.
_DROP_CMDS = frozenset(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr middle quad qquad displaystyle textstyle"
    " limits nolimits hline text textrm textnormal mathrm operatorname mathit mathbf mathsf"
    " mathtt mathcal mathbb boldsymbol bm mbox textsf texttt hat bar tilde vec label noindent"
    " newline par item centering small large".split())
_ELISIONS = {"l": "le", "d": "de", "n": "ne", "j": "je", "c": "ce", "s": "se", "m": "me",
             "t": "te", "qu": "que", "jusqu": "jusque", "lorsqu": "lorsque", "puisqu": "puisque"}
_NT_BASE = {"can": "can", "won": "will", "shan": "shall"}
_ZERO_WORDS = frozenset({"zero", "zéro"})


def plain(text: str) -> str:
    """``text`` without accents (corrélées → correlees), for accent-insensitive comparison."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _states(lex: list) -> tuple[list[bool], list[bool]]:
    """Per lexeme: inside math?  inside a **…** / __…__ pair of the same paragraph?"""
    n = len(lex)
    math = [False] * n
    delta = [0] * (n + 1)
    inline = display = bracketed = False
    opened: dict[str, int | None] = {"**": None, "__": None}
    for i, (kind, s, _a, _b) in enumerate(lex):
        if kind == "dollar":
            if s == "$$" and not inline:
                display = not display
            elif s == "$" and not display:
                inline = not inline
        elif kind == "esc" and s in ("\\(", "\\[", "\\)", "\\]"):
            bracketed = s in ("\\(", "\\[")
        elif kind == "brk":
            inline = False  # inline math and bold never cross a blank line
            opened = {"**": None, "__": None}
        elif kind == "bold" and not (inline or display or bracketed):
            first, opened[s] = opened[s], (i if opened[s] is None else None)
            if first is not None:
                delta[first + 1], delta[i] = delta[first + 1] + 1, delta[i] - 1
        math[i] = inline or display or bracketed
    bold, depth = [False] * n, 0
    for i in range(n):
        depth += delta[i]
        bold[i] = depth > 0
    return math, bold


def _protos(lex: list, math: list[bool], bold: list[bool], typos: dict) -> list[list]:
    """Resolve commands, braces, apostrophes; subscripts are merged later by _merge."""
    out: list[list] = []  # [kind, text, start, end, math, emphasized]
    stack: list[tuple[str, bool]] = []  # open braces: (group | emph | set, is a command argument)
    emph_depth = text_depth = 0  # text_depth: inside \\text{…} in math, where the words are prose
    pending: tuple[str, bool] | None = None  # what a "{" right here would open
    n, i = len(lex), 0
    while i < n:
        kind, s, a, b = lex[i]
        here, pending = pending, None
        m, em = math[i] and not text_depth, bold[i] or emph_depth > 0
        if kind == "cmd":
            name = s[1:]
            low = name.lower()
            pending = ("group", True)
            if name in _EMPH_CMDS:
                pending = ("emph", True)
            elif name in _TEXT_CMDS and math[i]:
                pending = ("text", True)
            elif low in _GREEK_NAMES or name in _VAR_GREEK:
                out.append(["base", _VAR_GREEK.get(name, low), a, b, m, em])
            elif name in typos:  # a command typed for a letter: read as the letter when it has a digit index
                out.append(["typobase", name, a, b, m, em])
            elif name in ("lbrace", "rbrace"):
                out.append(["brace", "{" if name == "lbrace" else "}", a, b, m, em])
            elif name == "not" and i + 1 < n and lex[i + 1][1] == "=":
                out.append(["op", "neq", a, lex[i + 1][3], m, em])
                i += 2
                continue
            elif name in ("not", "nperp"):
                out.append(["op", "not", a, b, m, em])
                if name == "nperp":
                    out.append(["op", "indep", a, b, m, em])
            elif name in _CMD_OPS:
                op = _CMD_OPS[name]
                if (op == "indep" and out and out[-1][1] == "indep" and lex[i - 1][1] == "\\!"):
                    out[-1][3] = b  # \perp\!\!\!\perp is one symbol
                else:
                    out.append(["op", op, a, b, m, em])
            elif name not in _DROP_CMDS:
                out.append(["word", low, a, b, m, em])
        elif kind == "esc":
            if s in ("\\{", "\\}"):
                out.append(["brace", s[1], a, b, m, em])
        elif kind == "word":
            low = s.lower()
            after = lex[i + 1] if i + 1 < n else None
            nxt = lex[i + 2] if i + 2 < n else None
            if (after is not None and after[0] == "apos" and after[2] == b and nxt is not None
                    and nxt[0] == "word" and nxt[2] == after[3]):
                if nxt[1].lower() == "t" and low.endswith("n"):
                    base = _NT_BASE.get(low, low[:-1])
                    if base:
                        out.append(["word", base, a, b - 1, m, em])
                    out.append(["word", "n't", b - 1, nxt[3], m, em])
                    i += 3
                    continue
                if low in _ELISIONS:
                    out.append(["word", _ELISIONS[low], a, after[3], m, em])
                    i += 2
                    continue
            if low in _GREEK_CHARS:
                out.append(["base", _GREEK_CHARS[low], a, b, m, em])
            elif len(low) == 1 and low in typos:  # a letter the student declared for a symbol ("S for Σ")
                out.append(["typobase", low, a, b, m, em])
            elif len(low) == 1 or low in _GREEK_NAMES:
                out.append(["base", low, a, b, m, em])
            elif low in _ZERO_WORDS:
                out.append(["num", "0", a, b, m, em])
            else:
                out.append(["word", low, a, b, m, em])
        elif kind == "num":
            out.append(["num", "0" + s if s[0] == "." else s, a, b, m, em])
        elif kind == "other":
            if s == "{":
                if here is not None:
                    stack.append(here)
                    emph_depth += here[0] == "emph"
                    text_depth += here[0] == "text"
                    out.append(["gopen", s, a, b, m, em])
                else:
                    stack.append(("set", False))
                    out.append(["brace", s, a, b, m, em])
            elif s == "}":
                what, chained = stack.pop() if stack else ("set", False)
                if what == "set":
                    out.append(["brace", s, a, b, m, em])
                else:
                    emph_depth -= what == "emph"
                    text_depth -= what == "text"
                    out.append(["gclose", s, a, b, m, em])
                    if chained:
                        pending = ("group", True)  # \frac{a}{b}: the next brace is an argument too
            elif s == "_":
                out.append(["sub", s, a, b, m, em])
                pending = ("group", False)
            elif s == "^":
                out.append(["punct", s, a, b, m, em])
                pending = ("group", False)
            elif s == "=" and out and out[-1][1] == "!" and out[-1][3] == a:
                out[-1][:4] = ["op", "neq", out[-1][2], b]
            elif s in _SYM_OPS:
                out.append(["op", _SYM_OPS[s], a, b, m, em])
            elif s in _SYM_WORDS:
                out.append(["word", _SYM_WORDS[s], a, b, m, em])
            else:
                out.append(["punct" if s in _PUNCT else "sym", s, a, b, m, em])
        i += 1
    return out


def _group_index(protos: list, j: int) -> tuple[str | None, int]:
    """Read a plain index from the brace group opening at protos[j]; (index, position after)."""
    window = protos[j + 1: j + 11]
    k = next((t for t, p in enumerate(window) if p[0] == "gclose"), None)
    if not k:  # no closing brace nearby, or an empty group
        return None, j
    inner, k = window[:k], j + 1 + k
    kinds = [p[0] for p in inner]
    nums = [p[1] for p in inner if p[0] == "num"]
    if all(kd == "num" or (kd == "punct" and p[1] == ",") for kd, p in zip(kinds, inner)):
        if not nums or not all(x.isdigit() for x in nums):
            return None, j
        return ("".join(nums) if all(len(x) == 1 for x in nums) else ",".join(nums)), k + 1
    if kinds == ["base"] and len(inner[0][1]) == 1:
        return inner[0][1], k + 1
    if kinds == ["word"] and len(inner[0][1]) <= 3 and inner[0][1].isascii():
        return inner[0][1], k + 1  # \gamma_{ik}
    if kinds in (["base", "num"], ["base", "sub", "num"], ["base", "sub", "base"]):
        last = inner[-1][1]
        if len(inner[0][1]) == 1 and (last.isdigit() or len(last) == 1):
            if kinds[1] == "sub" or inner[1][2] == inner[0][3]:
                return f"{inner[0][1]}_{last}", k + 1
    return None, j


def _subscript(protos: list, j: int) -> tuple[str | None, int]:
    """The index written after the base symbol protos[j], and the position after it."""
    p, n = protos[j], len(protos)
    if j + 1 >= n:
        return None, j + 1
    q = protos[j + 1]
    if q[0] == "num" and q[2] == p[3] and q[1].isdigit():
        return q[1], j + 2  # X3, Q34, Sigma34
    if q[0] != "sub" or j + 2 >= n:
        return None, j + 1
    r = protos[j + 2]
    if (r[0] == "num" and r[1].isdigit()) or (r[0] == "base" and len(r[1]) == 1):
        return r[1], j + 3
    index, after = _group_index(protos, j + 2) if r[0] == "gopen" else (None, j)
    return (index, after) if index is not None else (None, j + 1)


def _merge(protos: list, typos: dict) -> list[Token]:
    out: list[Token] = []
    j, n = 0, len(protos)
    while j < n:
        kind, text, a, b, m, em = protos[j]
        if kind in ("base", "typobase"):
            index, after = _subscript(protos, j)
            if kind == "typobase" and index is not None and not index.isdigit():
                index = None  # \sum_{i} is a sum; only \sum_{34} is a mistyped \Sigma_{34}
            if index is not None:
                name = typos[text] if kind == "typobase" else text
                emph = any(p[5] for p in protos[j:after])
                var = f"{name}_{index}"
                out.append(Token(var, a, protos[after - 1][3], "var", emph, m, None, plain(var)))
                j = after
                continue
            out.append(Token(text, a, b, "word", em, m, None, plain(text)))
        elif kind == "num":
            prev = out[-1] if out else None
            before = out[-2] if len(out) > 1 else None
            if (prev is not None and prev.text == "-" and prev.end == a
                    and (before is None or before.end < prev.start
                         or before.kind in ("op", "brace")
                         or (before.kind == "punct" and before.text not in ")]"))):
                out.pop()
                text, a, em = "-" + text, prev.start, em or prev.emphasized
            # only digits, a dot and a minus reach here, so float() cannot raise
            out.append(Token(text, a, b, "number", em, m, float(text), text))
        elif kind not in ("sub", "gopen", "gclose"):
            out.append(Token(text, a, b, kind, em, m, None, plain(text)))
        j += 1
    return out


def words(text: str, typos: dict[str, str] | None = None) -> list[Token]:
    """Tokens of ``text`` in reading order (see the module docstring for their forms); ``typos`` maps a command
    students type by mistake to the letter they mean ({"sum": "sigma"}: \\sum_{34} is Σ_34)."""
    if not isinstance(text, str) or not text:
        return []
    typos = {k: v.lower() for k, v in (typos or {}).items()}
    lex = [(mt.lastgroup, mt.group(), mt.start(), mt.end()) for mt in _LEX.finditer(text)]
    math, bold = _states(lex)
    return _join_prefixes(_merge(_protos(lex, math, bold, typos), typos))


def _join_prefixes(toks: list[Token]) -> list[Token]:
    """"non-zero", "non-diagonal": a hyphenated prefix makes one word ("nonzero"), not the negation "non"."""
    out: list[Token] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if (t.plain == "non" and i + 2 < len(toks) and toks[i + 1].text == "-" and toks[i + 1].start == t.end
                and toks[i + 2].start == toks[i + 1].end and toks[i + 2].kind in ("word", "number")):
            nxt = toks[i + 2]
            rest = "zero" if nxt.kind == "number" and nxt.value == 0 else nxt.text
            text = f"non{rest}"
            out.append(Token(text, t.start, nxt.end, "word", t.emphasized, t.math, None, plain(text)))
            i += 3
            continue
        out.append(t)
        i += 1
    return out


# the closing marks of "**No.**" or "$x = 0.$" stay with the sentence they end
_SENTENCE_END = re.compile(r"[.!?][*_$)\]\"'”»]{0,3}(?=\s|$)")  # '"Are they correlated?" No.': two sentences
_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.", "fig.", "eq.", "resp.", "approx.")
_BULLET = re.compile(r"[ \t]*(?:[-*+•][ \t]|[0-9]{1,3}[.)][ \t]|\([a-z0-9]{1,3}\)[ \t]|\\item\b)")
_ROW_BREAK = re.compile(r"\\\\(?:\[[^\]\n]{0,10}\])?\s*$")
_HEADING = re.compile(r"[ \t]{0,3}(?:#|\\(?:sub){0,2}section\*?\{)")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of ``text``, whitespace trimmed.

    A sentence ends at . ! ? followed by whitespace (not after e.g./i.e./etc.), at a blank line,
    before a list item, and around a heading line or a line that is bold as a whole.
    """
    if not isinstance(text, str) or not text:
        return []
    spans: list[tuple[int, int]] = []
    start: int | None = None  # where the running sentence began

    def close(end: int) -> None:
        nonlocal start
        a, start = start, None
        while a is not None and a < end and text[a].isspace():
            a += 1
        while a is not None and end > a and text[end - 1].isspace():
            end -= 1
        if a is not None and a < end:
            spans.append((a, end))

    pos = 0
    for line in text.split("\n"):
        lo, hi = pos, pos + len(line)
        pos = hi + 1
        body = line.strip()
        if not body:
            close(lo)
            continue
        alone = bool(_HEADING.match(line)) or (
            len(body) > 4 and body.startswith("**") and body.endswith("**"))
        if alone or _BULLET.match(line):
            close(lo)
        if start is None:
            start = lo
        for mt in _SENTENCE_END.finditer(line):
            tail = line[max(0, mt.start() - 6): mt.start() + 1].lower()
            if tail.endswith(_ABBREVIATIONS):
                continue
            close(lo + mt.end())
            start = lo + mt.end()
        if alone or _ROW_BREAK.search(line):  # a display's row ("… \\\\") ends what its words say
            close(hi)
    close(len(text))
    return spans


def sentence_tokens(text: str, typos: dict[str, str] | None = None) -> list[tuple[tuple[int, int], list[Token]]]:
    """Each sentence span with its tokens (a token belongs to the sentence it starts in)."""
    spans = sentences(text)
    if not spans:
        return []
    starts = [s for s, _ in spans]
    groups: list[list[Token]] = [[] for _ in spans]
    for tok in words(text, typos):
        k = bisect_right(starts, tok.start) - 1
        groups[max(k, 0)].append(tok)
    return list(zip(spans, groups))

