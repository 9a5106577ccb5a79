"""Values a text gives to named variables (μ1 = -0.96), and the rule for "the final answer".

Names: ``variables`` maps a canonical name to its spellings (``{"mu1": ["\\mu_1", "mu1", "m_1"]}``), ``vectors`` a
vector's spelling to its components' canonical names (``{"\\mu": ["mu1", "mu2"]}``); a canonical name is a spelling
too. Spellings match in a normal form without backslashes, braces, underscores, spaces, primes, hats, bars, tildes,
bold, and superscripts that are not numbers; a Greek letter equals its name. So ``\\hat{\\mu}_{1}^{(t+1)}``,
``μ_1'``, ``mu1`` and ``\\mu_1^{new}`` are one name; a power stays part of the name (``\\mu_1^2`` is ``mu1^2``),
so it matches only a spelling with the same power (``\\sigma^2``, ``σ²`` for a variance named that way).

Statements (``find_assignments``), in math and on each line of plain text (code output):
1. Chains ``a = b = … = v`` (also ≈ := : ``\\approx`` ``\\to`` ``\\leftarrow``, ``&=`` across aligned rows): each
   side that is only a variable, a tuple ``(\\mu_1, \\mu_2)`` or a vector name gets the LAST side's value when that is
   a plain number (or numbers, as many as names). A chain ending in an expression with symbols gives nothing: values
   are never guessed. A chain ends at a top-level , ; "and" ``\\quad`` ``\\text{…}`` ``\\Rightarrow``, a row break
   (unless the next row goes on with ``&=``), a blank line or the end of the math. ``mu1, mu2 = -0.96, 0.96`` is
   read pairwise when the counts agree, and skipped when they do not.
2. Prose: "the fixed point for $\\mu_1$ and $\\mu_2$ is 0", "mu1 and mu2 both converge to 0": names joined by "," or
   "and", up to six words among is/are/both/equal/converge/to/=/…, then a number.
Each ``Found`` is one statement, ``value`` a ``dict[str, float]``; statements joined only by punctuation or "and"
(``$\\mu_1 = -1$ and $\\mu_2 = 1$``) form one. ``emphasized``: the value is bold or boxed. ``extra["concluding"]``: a
cue ("thus", "therefore", "answer", or one of the caller's ``cues``, such as "fixed point" or "converge*") comes
earlier in the sentence, and no "given", "from", "initialized".

The final answer (``final_assignment``): for each variable, the value in the last emphasized statement that gives it
one, else the last value the text gives it (so "Given μ1 = -2" early on is overridden by values computed later).
Disagreements become notes, never "any of them matches": emphasized or concluding values that differ, and an
emphasized answer followed by a different value. Values within 1 % agree. Bare vectors are not given to names:
``find_vectors`` (defined with the matrices, re-exported here) returns them.
"""

from __future__ import annotations

import bisect
import functools
import re

from grader.extract.matrices import find_vectors
from grader.extract.names import MAX_NAME_LENGTH, strip_iteration
from grader.extract.positional import cue_pattern
from grader.extract.revisions import after_last_correction
from grader.extract.statement_context import concluding as _concluding, initial as _initial
from grader.extract.prose_values import assign, prose_statements
from grader.extract.numbers import emphasis_spans, math_spans, parse_number
from grader.model import Found
from grader.textgeom import GREEK_LETTERS, bracket_pairs, inside, snippet, split_top

__all__ = ["find_assignments", "final_assignment", "find_vectors"]

AGREEMENT = 0.01  # relative difference below which two stated values are one answer (rounding)

_GREEK = str.maketrans(GREEK_LETTERS)
_DECORATION = re.compile(
    r"\\(?:hat|widehat|bar|overline|tilde|widetilde|check|dot|ddot|boldsymbol|mathbf|bm|vec|mathrm|mathit|"
    r"mathnormal|text|textbf|operatorname|boxed|fbox|displaystyle|prime|left|right)(?![A-Za-z])|\\[,;! ]|[{}\s_'*$`]"
)
_POWER = re.compile(r"\s*[-+]?\s*\d+(?:\.\d+)?\s*")
_SUPERSCRIPT = re.compile(r"\^\s*(?:\\[A-Za-z]+|[^{\s])")  # ^x, ^\prime; ^{…} is matched by brace counting
_TOKEN = re.compile(
    r"\\\\|\\(?:begin|end)\s*\{[^{}\n]{0,30}\}|\\[A-Za-z]+|\\.|:=|==|&=|(?<![A-Za-z])and(?![A-Za-z])"
    r"|(?<![^\W\d_])(?:et|so|donc|since|because|car|then|puis|where|with|which|or|ou)(?![^\W\d_])"
    r"|[(){}\[\],;=:≈→|\n]"
)
# Outside math, prose words and a table's "|" end a statement: "mu1 = mu2 = 0 | all γ = ½ so …"
_PLAIN_BOUNDARIES = {"et", "so", "donc", "since", "because", "car", "then", "puis", "where", "with", "which", "or",
                     "ou", "|"}
# On a plain line a value may be followed by a remark: "mu1 = mu2 = 0 (all responsibilities are 1/2)"
# "= 0 (all γ = ½)", "= 0. All the responsibilities are ½": a number, then words (after a full stop too)
_PLAIN_LEAD = re.compile(r"([-+]?(?:\d+(?:[.,]\d+)?|\.\d+))(?=(?:\*\*|__)?\.?\s+(?:\(\s*)?[^\W\d_]{2,}(?:\s|$))")
# "-0,96": one number, not two sides; a sentence's full stop or the next statement's comma may follow it
# ("mu2 = -0,96.", "mu1 = -0,96, mu2 = 0,96"), another digit group may not ("3,5,0,0" is a list)
_DECIMAL_COMMA = re.compile(r"(?<![\d.,])\d+,\d+(?!\d|[.,]\d)")
_ENV_NAME = re.compile(r"\\(begin|end)\s*\{\s*([A-Za-z]+)")
_RELATIONS = {"=", ":=", "==", "&=", ":", "≈", "→", "\\approx", "\\simeq", "\\approxeq", "\\leftarrow", "\\gets",
              "\\to", "\\rightarrow", "\\longrightarrow", "\\coloneqq", "\\mapsto"}
_BOUNDARIES = {",", ";", "and", "\\quad", "\\qquad", "\\Rightarrow", "\\implies", "\\iff", "\\Longrightarrow",
               "\\Leftrightarrow", "\\therefore", "\\because", "\\newline", "\\cr", "\\hfill"}
_ARGUMENT_BOUNDARIES = {"\\text", "\\textrm", "\\textit", "\\mbox", "\\hbox", "\\hspace", "\\intertext"}
_TRANSPARENT = {"\\boxed", "\\fbox", "\\textbf"}  # their braces hold statements; they do not nest them
_ALIGN_ENVIRONMENTS = {"aligned", "align", "alignat", "alignedat", "gathered", "gather", "split", "equation",
                       "eqnarray", "multline"}
_CONTINUED_ROW, _BLANK_LINE = re.compile(r"\s*&?\s*(?:=|\\approx|≈)"), re.compile(r"[ \t]*\n")
_ARGUMENT, _LINE = re.compile(r"\s*\{"), re.compile(r"[^\n]+")
_GAP_IN_STATEMENT = re.compile(r"[\s$,;&]*(?:and|\\quad|\\qquad|\\text\{\s*and\s*\})?[\s$,;&]*")
_BOLD_EDGE = re.compile(r"\A(?:\*\*|__)\s*|\s*(?:\*\*|__)[.,;!?]?\Z")


def _drop_superscripts(s: str) -> str | None:
    """``s`` without superscripts that decorate a name (^{t+1}, ^{(1)}, ^*); a power stays, as ``^2``."""
    if "^" not in s:  # most names have no superscript: nothing to pair or drop
        return s
    out, i, pairs = [], 0, bracket_pairs(s)[0]
    while (hat := s.find("^", i)) >= 0:
        out.append(s[i:hat])
        brace = len(s[hat + 1 :]) - len(s[hat + 1 :].lstrip()) + hat + 1
        if s.startswith("{", brace):
            end = pairs.get(brace, len(s))
            content, i = s[brace + 1 : end], end + 1
        else:
            m = _SUPERSCRIPT.match(s, hat)
            content, i = (m.group()[1:], m.end()) if m else ("", hat + 1)
        if _POWER.fullmatch(content):
            out.append("^" + "".join(content.split()))
    return "".join(out) + s[i:]


def _key(s: str) -> str | None:
    """The normal form of a name (see the module docstring), or None."""
    s = _drop_superscripts(strip_iteration(s)[0]) if len(s) <= MAX_NAME_LENGTH else None
    return (_DECORATION.sub("", s).translate(_GREEK).replace("\\", "") or None) if s is not None else None


def spelling_problem(spelling: str) -> str | None:
    """Why a rubric's spelling of a variable can never be read in an answer (None when it can)."""
    if not spelling.strip():
        return "it is empty"
    if _clauses(spelling, 0, len(spelling), True) != [[(0, len(spelling))]]:
        return "statements are cut at = : , ; and 'and', so no name holds one"
    if _key(spelling) is None:
        return f"longer than {MAX_NAME_LENGTH} characters" if len(spelling) > MAX_NAME_LENGTH else \
            "nothing is left of it without its decorations (braces, bold, accents)"
    return None


def _clean(piece: str) -> str:
    """A chain side without alignment marks, row breaks, and braces or bold markers left open by the cut."""
    s = _BOLD_EDGE.sub("", piece.strip().strip("&").strip())  # "**Var(X) = 0.21**": "**Var(X)", "0.21**"
    while s.endswith("\\\\"):
        s = s[:-2].rstrip()
    if "{" not in s and "}" not in s:
        return s
    pairs = bracket_pairs(s)[0]
    kept = set(pairs) | set(pairs.values())
    return "".join(c for i, c in enumerate(s) if c not in "{}" or i in kept or s[i - 1 : i] == "\\").strip()


class _Names:
    def __init__(self, variables: dict[str, list[str]], vectors: dict[str, list[str]] | None):
        spelled = [(s, (c,)) for c, spellings in (variables or {}).items() for s in [c, *(spellings or [])]]
        spelled += [(s, tuple(parts)) for s, parts in (vectors or {}).items() if parts]
        self.keys: dict[str, tuple[str, ...]] = {}
        for spelling, names in spelled:
            self.keys.setdefault(_key(spelling) or "", names)
        self.keys.pop("", None)
        self.order = tuple(variables or ())  # the variables in the rubric's order, for "the first mean"
        self.target = functools.lru_cache(maxsize=4096)(self._target)  # answers repeat names and values a lot

    def _target(self, piece: str) -> tuple[str, ...] | None:
        """The canonical names a chain side stands for: one variable, a vector, or a tuple of variables."""
        s = _clean(piece)
        if not s or len(s) > 4 * MAX_NAME_LENGTH:
            return None
        if (key := _key(s)) in self.keys:
            return self.keys[key]
        s = s[5:].strip() if s.startswith("\\left") else s
        if s[:-1].rstrip().endswith("\\right"):
            s = s[:-1].rstrip()[:-6].rstrip() + s[-1]
        if len(s) < 2 or (s[0], s[-1]) not in {("(", ")"), ("[", "]")}:
            return None
        names = [self.keys.get(_key(p.strip()) or "") for p in split_top(s[1:-1], ",")]
        if len(names) < 2 or any(n is None or len(n) != 1 for n in names):
            return None
        return tuple(n[0] for n in names)


def _scopes(text: str, math: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Math insides, and each line of the text outside math."""
    scopes, pos = [], 0
    for start, end in math + [(len(text), len(text))]:
        scopes += [(line.start(), line.end(), False) for line in _LINE.finditer(text, pos, start)]
        scopes += [(start, end, True)] if start < end else []
        pos = end
    return scopes


def _clauses(text: str, a: int, b: int, math: bool) -> list[list[tuple[int, int]]]:
    """Split ``text[a:b]`` into clauses, each a list of (start, end) sides of top-level relations."""
    clauses: list[list[tuple[int, int]]] = []
    parts: list[tuple[int, int]] = []
    part_start, stack, depth = a, [], 0  # stack: one entry per open bracket, True for transparent braces
    transparent_next = skip_argument = False

    def close(at: int, restart: int) -> None:
        nonlocal parts, part_start
        clauses.append(parts + [(part_start, at)])
        parts, part_start = [], restart

    for m in _TOKEN.finditer(text, a, b):
        t, (s, e) = m.group(), m.span()
        transparent, transparent_next = transparent_next, False
        if t in ("(", "[", "{", "\\{"):
            stack.append(transparent and t == "{")
            depth += not stack[-1]
        elif t in (")", "]", "}", "\\}"):
            depth -= bool(stack) and not stack.pop()
            if skip_argument and depth == 0:  # the end of \text{…}: the next clause starts after it
                skip_argument, part_start = False, e
        elif t.startswith(("\\begin", "\\end")) and _ENV_NAME.match(t):  # not a bare \end, nor \begin{}
            kind, env = _ENV_NAME.match(t).groups()
            if env in _ALIGN_ENVIRONMENTS:
                if depth == 0:
                    close(s, e)
            elif kind == "begin":
                stack.append(False)
                depth += 1
            else:
                depth -= bool(stack) and not stack.pop()
        elif depth > 0:
            continue
        elif t in _RELATIONS:
            parts.append((part_start, s))
            part_start = e
        elif t in _TRANSPARENT:
            transparent_next = True
        elif t in _ARGUMENT_BOUNDARIES:
            close(s, e)
            skip_argument = bool(_ARGUMENT.match(text, e, b))
        elif t == "," and _decimal_comma_at(text, a, s):
            continue
        elif t in _BOUNDARIES or (t == "\\\\" and not _CONTINUED_ROW.match(text, e, b)):
            close(s, e)
        elif t in _PLAIN_BOUNDARIES and not math:
            close(s, e)
        elif t == "\n" and (not math or _BLANK_LINE.match(text, e, b)):
            close(s, e)
    close(b, b)
    return clauses


def _decimal_comma_at(text: str, a: int, comma: int) -> bool:
    """Whether the comma at ``comma`` sits inside a number written with a decimal comma ("0,96")."""
    start = comma
    while start > a and text[start - 1].isdigit():
        start -= 1
    m = _DECIMAL_COMMA.match(text, start)
    if not (m and start < comma and m.end() > comma + 1):
        return False
    # "1,000" may be a thousands separator; "0,964" cannot be one (the rule of numbers.parse_number)
    return len(text[comma + 1 : m.end()]) != 3 or not text[start:comma].lstrip("0")


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    return s + len(text[s:e]) - len(text[s:e].lstrip()), e - len(text[s:e]) + len(text[s:e].rstrip())


def _read_value(piece: str) -> float | tuple[float, ...] | None:
    s = _clean(piece)
    value = parse_number(s)
    if value is not None or not s or s[-1] not in ")]}":
        return value
    for f in find_vectors(s):
        before, after = s[: f.start].strip(), s[f.end :].strip()
        if (before, after) in {("", ""), ("array(", ")"), ("np.array(", ")")}:
            return f.value
    return None


def _chain(text: str, parts: list[tuple[int, int]], names: _Names, math: bool = True) -> list[tuple[dict, int, int, int]]:
    """Statements of one clause: (values, start, end, where the value starts)."""
    out, targets, first = [], [], parts[0][0]
    for s, e in parts[:-1]:
        if not math and not targets:  # "fixed point mu1 = mu2 = 2": on a plain line, the side's last word
            s, e = _last_word(text, s, e, names)
            first = s
        piece = text[s:e]
        if target := names.target(piece):
            targets.append(target)
            continue
        # "mu1 = -0.964 mu2 = 0.964": a value, then the next name with no comma in between
        head, _, tail = piece.rstrip().rpartition(" ")
        target = names.target(tail) if targets and head.strip() else None
        if target and (value := parse_number(_clean(head))) is not None:
            value_start, value_end = _trim(text, s, s + len(head))
            if values := assign(targets, value):
                out.append((values, _trim(text, first, s)[0], value_end, value_start))
            targets, first = [target], s + len(head) + 1
    value_start, value_end = _trim(text, *parts[-1])
    value = _read_value(text[value_start:value_end]) if targets else None
    if value is None and targets and not math and (lead := _PLAIN_LEAD.match(text, value_start, value_end)):
        value, value_end = parse_number(lead.group(1)), value_start + len(lead.group(1))  # "= 0 (all γ = ½)"
    if targets and (values := assign(targets, value)):
        out.append((values, _trim(text, first, value_end)[0], value_end, value_start))
    return out


def _last_word(text: str, s: int, e: int, names: _Names) -> tuple[int, int]:
    if names.target(text[s:e]) is not None:
        return s, e
    piece = text[s:e].rstrip()
    cut = max(piece.rfind(" "), piece.rfind(":"), piece.rfind("\t"))
    if cut >= 0 and names.target(piece[cut + 1 :]) is not None:
        return s + cut + 1, e
    return s, e


def _equations(text: str, names: _Names, spans: list[tuple[int, int]]) -> list[tuple[dict, int, int, int]]:
    out = []
    for a, b, math in _scopes(text, spans):
        clauses = _clauses(text, a, b, math)
        lone: list[tuple[tuple[str, ...], int]] = []  # names standing alone, as in "mu1, mu2 = -0.96, 0.96"
        i = 0
        while i < len(clauses):
            parts = clauses[i]
            target = names.target(text[slice(*parts[0])])
            if len(parts) == 1:
                lone = lone + [(target, parts[0][0])] if target else []
            elif lone and len(parts) == 2 and target:
                # Pair names and values in order when the counts agree; otherwise skip: which goes with which?
                tail = clauses[i + 1 : i + 1 + len(lone)]
                values = [_read_value(text[slice(*c[-1])]) for c in [parts, *tail]]
                paired = len(tail) == len(lone) and all(len(c) == 1 for c in tail)
                if paired and all(isinstance(v, float) for v in values):
                    targets = [t for t, _ in lone] + [target]
                    values = {t[0]: v for t, v in zip(targets, values) if len(t) == 1}
                    out.append((values, lone[0][1], _trim(text, *tail[-1][0])[1], lone[0][1]))
                    i += len(tail)
                lone = []
            else:
                out.extend(_chain(text, parts, names, math))
                lone = []
            i += 1
    return out


# "mu1 = mu2 = 2 gives every point responsibility 1/2": a statement that is the subject of a consequence is where
# the reasoning starts, not its result
_PREMISE = re.compile(r"\$*[^\S\n]*(?:gives|give|yields|implies|means|makes|leads\s+to|donne|implique|conduit)\b",
                      re.IGNORECASE)


def find_assignments(
    text: str, variables: dict[str, list[str]], vectors: dict[str, list[str]] | None = None, cues=()
) -> list[Found]:
    """Statements giving values to the named variables, in text order (see the module docstring); ``cues``: the
    caller's words that conclude ("fixed point", "converge*")."""
    if not isinstance(text, str) or not text or not (variables or vectors):
        return []
    cue = cue_pattern(tuple(cues or ()))
    names, math = _Names(variables, vectors), math_spans(text)
    equations = sorted(_equations(text, names, math), key=lambda s: s[1])
    starts = [s[1] for s in equations]

    def covered(start: int, end: int) -> bool:  # "mu1 = 3" on a plain line is an equation, not also prose
        i = bisect.bisect_left(starts, end) - 1
        return i >= 0 and equations[i][2] > start

    prose = [s for s in prose_statements(text, names, math) if not covered(s[1], s[2])]
    spans, found = emphasis_spans(text), []
    for values, start, end, value_start in sorted(equations + prose, key=lambda s: s[1]):
        emphasized, concluding = inside(spans, value_start), _concluding(text, start, cue)
        last = found[-1] if found else None
        initial = _initial(text, start, value_start, last.end if last else 0) or bool(_PREMISE.match(text, end))
        if (last and last.emphasized == emphasized and not set(last.value) & set(values)
                and 0 <= start - last.end <= 30 and _GAP_IN_STATEMENT.fullmatch(text, last.end, start)):
            start, values = last.start, {**last.value, **values}
            concluding = concluding or last.extra["concluding"]
            initial = initial or last.extra["initial"]
            found.pop()
        extra = {"concluding": concluding and not initial, "initial": initial}
        found.append(Found(values, start, end, snippet(text, start, end), emphasized, extra))
    return found


def _agree(a: float, b: float) -> bool:
    return abs(a - b) <= AGREEMENT * max(1.0, abs(a), abs(b))


def final_assignment(
    text: str, variables: dict[str, list[str]], vectors: dict[str, list[str]] | None = None, cues=()
) -> tuple[dict[str, float], list[str]]:
    """The final value of each variable and notes on contradictions, by the rule in the module docstring."""
    history: dict[str, list[tuple[float, Found]]] = {}
    stated = [f for f in find_assignments(text, variables, vectors, cues) if not f.extra["initial"]]
    # where the algorithm starts is given, not answered; after "Correction:" the earlier values are taken back
    since = after_last_correction(text, [f.start for f in stated])
    for f in (f for f in stated if f.start >= since):
        for name, value in f.value.items():
            history.setdefault(name, []).append((value, f))
    final: dict[str, float] = {}
    notes: list[str] = []
    for name, said in history.items():
        value, chosen = ([(v, f) for v, f in said if f.emphasized] or said)[-1]
        final[name] = value
        concluding = [(v, f) for v, f in said if f.emphasized or f.extra.get("concluding")]
        clash = [(v, f) for v, f in concluding if not _agree(v, concluding[-1][0])]
        if clash:
            (v, f), (w, g) = clash[0], concluding[-1]
            notes.append(f'{name}: concluding statements disagree: {v:g} in "{f.snippet}" and {w:g} in '
                         f'"{g.snippet}"; {value:g} is used')
        later = [(v, f) for v, f in said if f.start > chosen.start and not _agree(v, value)]
        if chosen.emphasized and later:
            notes.append(f'{name}: the emphasized answer {value:g} ("{chosen.snippet}") is followed by a different '
                         f'value {later[-1][0]:g} ("{later[-1][1].snippet}"); {value:g} is used')
    return final, notes
