"""Values stated in prose, for grader.extract.assignments: "the fixed point for $\\mu_1$ and $\\mu_2$ is 0",
"mu1 and mu2 both converge to 0", "μ1 ends at 0", "the first mean moves to -0.96 and the second to 0.96",
"mu1 vaut -1": names joined by "," or "and", up to eight words among is/are/both/equal/converge/ends/lies/at/to/vaut/…
(at least one a verb), then a number. An ordinal with a noun ("the first mean", "the second centroid") names the
n-th variable in the rubric's order; after one, a bare "to"/"at" will do for the verb.
"""

from __future__ import annotations

import re

from grader.extract.names import MAX_NAME_LENGTH
from grader.extract.numbers import match_number
from grader.textgeom import inside

_WORD_NAME = re.compile(r"(?<![\w\\])\\?[^\W\d_]\w*")
_GAP_IN_LIST = re.compile(r"\s*(?:,|,?\s*and|&)\s*")
_PROSE_WORD = re.compile(r"\s*(=|≈|:|\\approx|[^\W\d_]+)")
_PROSE_VERBS = {"is", "are", "be", "equal", "equals", "=", "≈", "\\approx", "converge", "converges", "go", "goes",
                "tend", "tends", "approach", "approaches", "become", "becomes", "reach", "reaches", "remain",
                "remains", "stay", "stays", "end", "ends", "lie", "lies", "move", "moves", "settle", "settles", "sit",
                "sits", "jump", "jumps", "land", "lands", "converging", "ending", "moving", "gets", "get",
                # French
                "est", "sont", "vaut", "valent", "égal", "égale", "égaux", "égales", "devient", "deviennent",
                "convergent", "tend", "tendent", "reste", "restent", "va", "vont", "arrive", "arrivent", "finit"}
_PROSE_FILLERS = {"both", "all", "each", "will", "would", "should", "then", "to", "at", "also", "again", "up", "on",
                  "around", "about", "exactly", "approximately", "roughly", "the", "its", "it", "now", "finally",
                  "value", "new", "centroid", "centre", "center", "mean", "one", ":", "vers", "à", "a", "en", "tous",
                  "toutes", "deux", "les", "la", "le", "alors", "ensuite", "donc", "environ", "exactement"}
# "the first mean moves to -0.96", "the second centroid ends at 1": an ordinal names the n-th variable
_ORDINAL = re.compile(
    r"\b(?:(first|1st|premi[eè]re?)|(second|2nd|seconde?|deuxi[eè]me))"
    r"(?:\s+(?:mean|centroid|centre|center|cluster(?:\s+cent(?:re|er))?|component|moyenne|centroïde|composante|"
    r"estimate))?s?\b",
    re.IGNORECASE,
)
PROSE_VERBS, PROSE_FILLERS = frozenset(_PROSE_VERBS), frozenset(_PROSE_FILLERS)  # shared with positional.py
_OPEN_MATH, _CLOSE_MATH = re.compile(r"\s*(\$?)\s*"), re.compile(r"\s*\$")
_AFTER_VALUE = re.compile(r"[\s.,;:!?)*]|$")


def assign(targets: list[tuple[str, ...]], value) -> dict[str, float]:
    out: dict[str, float] = {}
    for names in targets:
        if isinstance(value, float) and len(names) == 1:
            out[names[0]] = value
        elif isinstance(value, tuple) and len(value) == len(names) > 1:
            out.update(zip(names, value))
    return out


def prose_statements(text: str, names, math: list[tuple[int, int]]) -> list[tuple[dict, int, int, int]]:
    """Statements in prose: (values, start, end, where the value starts). ``names`` is the caller's name table
    (``target(piece)`` → canonical names, ``order`` the variables in the rubric's order)."""
    tokens = []  # (start, end, target)
    for start, end in math:
        if text[start - 1 : start] == "$" != text[start - 2 : start - 1] and text[end : end + 1] == "$":
            if target := names.target(text[start:end]):
                tokens.append((start - 1, end + 1, target, False))
    for m in _WORD_NAME.finditer(text):
        if len(m.group()) <= MAX_NAME_LENGTH and (target := names.target(m.group())) and not inside(math, m.start()):
            tokens.append((m.start(), m.end(), target, False))
    order = list(names.order)
    for m in _ORDINAL.finditer(text):
        k = 0 if m.group(1) else 1
        if k < len(order) and not inside(math, m.start()):
            tokens.append((m.start(), m.end(), (order[k],), True))
    tokens.sort()
    out, group = [], []
    for k, (start, end, target, ordinal) in enumerate(tokens):
        group.append(target)
        after = tokens[k + 1][0] if k + 1 < len(tokens) else -1
        if 0 <= after - end <= 12 and _GAP_IN_LIST.fullmatch(text, end, after):
            continue  # the list of names goes on
        if (number := _prose_value(text, end, ordinal)) and (values := assign(group, number[0])):
            out.append((values, tokens[k - len(group) + 1][0], number[2], number[1]))
        group = []
    return out


def _prose_value(text: str, pos: int, elided: bool = False) -> tuple[float, int, int] | None:
    """After a list of names: "is", "are both equal to", "converge to" … then a number: (value, start, end).
    ``elided``: after an ordinal a bare "to" or "at" will do ("the first mean moves to -1 and the second to 1")."""
    verb = False
    for _ in range(8):
        m = _PROSE_WORD.match(text, pos)
        word = m.group(1).lower() if m else ""
        if word not in _PROSE_VERBS and word not in _PROSE_FILLERS:
            break
        verb, pos = verb or word in _PROSE_VERBS or (elided and word in ("to", "at", "vers", "à")), m.end()
    opening = _OPEN_MATH.match(text, pos)
    number = match_number(text, opening.end()) if verb else None
    if number is None or not (_CLOSE_MATH if opening.group(1) else _AFTER_VALUE).match(text, number[1]):
        return None
    return number[0], opening.end(), number[1]
