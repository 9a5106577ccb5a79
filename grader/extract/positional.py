"""Values stated in order without their names: "0 and 0", "both are 0", "they become -1 and 1", "point fixe : -1 et 1".

A question asking for n named values (μ1, μ2) may be answered positionally, in the variables' order. The ``values``
checker reads such a statement only when the answer gives no variable a value by name (assignments.py) and states no
bare vector "(a, b)". ``positional_values(text, count, cues)`` returns every statement, in reading order, as a
``Found`` whose value is the tuple of the ``count`` values. A statement is read only at the head of a sentence or a
line (after a bullet, a label such as "Answer:", "Réponse :" or "K-means:", bold markers, an arrow, a connective
such as "then" or "donc", and a "when" such as "after one step," or "après une itération"), in one of three forms:

1. the values alone: "0 and 0 (both responsibilities are 1/2)", "-1, 1.";
2. a pronoun subject ("they", "both", "the two", "ils", "elles", "les deux", "tous les deux", optionally with one
   noun: "both means", "les deux moyennes"), or one of the caller's ``subjects`` (the rubric's nouns for the
   variables together, such as "means", "centres"), and a verb from prose_values ("are", "become", "converge to",
   "valent", "deviennent" …): "they become 0 and 0", "both converge to 0", "the centres move to -1 and 1";
3. one of the caller's ``cues`` (the rubric's words for the answer, such as "fixed point") and is / : / =: "the
   fixed point is 0 and 0", "point fixe : -1 et 1".

The values are ``count`` numbers joined by "," "and" "et" "&" (a comma between digits is a decimal comma when that
gives ``count`` values: "-0,96 et 0,96"), or one number after "both", "all", "les deux",
"tous" (every variable takes it). What follows must close the statement: the end of the sentence, punctuation, a
parenthesis, "respectively", or a word that is neither a verb nor a preposition ("-1 and 1 are the data points" is
about something else, "0.98 and 0.02 for x_1" is a qualified pair). A statement that says where the algorithm
starts ("from", "initially", "given" …) is skipped. Display math is never read here: a value written in display math
has a name or is a vector, and assignments.py reads it.
"""

from __future__ import annotations

import functools
import re

from grader.extract.numbers import emphasis_spans, math_spans
from grader.extract.prose_values import PROSE_FILLERS, PROSE_VERBS
from grader.lazyre import lazy
from grader.model import Found
from grader.textgeom import inside, snippet

__all__ = ["cue_pattern", "positional_values"]

# a sentence ends at a line break or at . ! ? before a space (not the point of a decimal); a clause that concludes
# ("…, so the means become -0.96 and 0.96", "; donc …") is read as a sentence of its own
# (no two quantifiers here compete for the same characters: every scan is linear, whatever the text)
_SEGMENT_END = lazy(r"\n|(?<!\d)[.!?](?=\s|$)|(?<=\d)[.!?](?=\s+[^\d\s]|\s*$)|;"
                          r"|(?<![ \t,]),?[ \t]+(?=(?:so|thus|hence|therefore|donc|ainsi|alors)[ \t,])", re.IGNORECASE)
_HEAD = lazy(
    r"[ \t]*(?:(?:[-*•>+]|\d{1,2}[.)]|\(?[a-h][.)])[ \t]+)?(?:(?:\*\*|__)[ \t]*)?"
    r"(?:(?:final[ \t]+answer|answer|r[ée]ponse(?:[ \t]+finale)?|result|r[ée]sultat|solution)[ \t]*:[ \t]*)?"
    r"(?:(?:\*\*|__)[ \t]*)?(?:(?:→|=>|->|⇒)[ \t]*)?(?:[^\W\d_][\w-]{0,15}[ \t]*:[ \t]*(?![^\s$]*\$))?"
    r"(?:(?:then|so|thus|hence|therefore|finally|and|donc|alors|ensuite|puis|ainsi|finalement|et)(?![^\W\d_]),?[ \t]*)?"
    # when: "after one step, the means become …", "après une itération les moyennes valent …"
    r"(?:(?:after|at|in|on|apr[eè]s|à|a|en)[ \t]+(?:[^\W\d_]+[ \t]+|\d+[ \t]+){0,2}"
    r"(?:steps?|iterations?|updates?|rounds?|[ée]tapes?|it[ée]rations?)(?:[ \t]+suivantes?|[ \t]+next)?(?![^\W\d_])"
    r",?[ \t]*)?",
    re.IGNORECASE,
)
_SUBJECT = lazy(
    r"(?:they|both(?:\s+of\s+them)?|the\s+two|all(?:\s+of\s+them)?|ils|elles|les\s+deux|tou(?:te)?s\s+(?:les\s+)?deux)"
    r"(?![^\W\d_])",
    re.IGNORECASE,
)
_ARTICLE = lazy(r"(?:(?:the|our|le|la|les|l')(?![^\W\d_])\s*|l')?", re.IGNORECASE)
_SUBJECT_WORD = lazy(r"[^\W\d_][\w-]*\s+")
_COLON = lazy(r"\s*(?:(?:\*\*|__)\s*)?[:=]\s*(?:\*\*|__)?")
_EVERY = lazy(r"\b(?:both|all|each|deux|tous|toutes)\b", re.IGNORECASE)
_WORD = lazy(r"\s*(=|:|≈|[^\W\d_]+)")
# "both means end up at zero": zero is the one value students write as a word
_NUMBER = lazy(r"\s*(?:\$\s*)?(?:(?P<sign>[-+−–])\s*)?(?P<num>(?i:zero|zéro)(?![^\W\d_])|\d+(?:\.\d+)?|\.\d+)"
                     r"(?:\s*/\s*(?P<den>\d+))?(?:\s*\$)?")
# the same with a decimal comma: "-0,96 et 0,96" (tried first; "-1,1" that gives too few values is read again as
# two values)
_NUMBER_COMMA = lazy(_NUMBER.pattern.replace(r"(?:\.\d+)?|\.\d+)", r"(?:[.,]\d+)?|\.\d+)", 1))
_SEPARATOR = lazy(r"\s*(?:,|and|et|&)\s*", re.IGNORECASE)
_CLOSE = lazy(r"\s*(?:(?:\*\*|__)\s*)?(?:$|[.,;:!?)(\]]|respectively\b|respectivement\b)", re.IGNORECASE)
_NEXT_WORD = lazy(r"\s*(?:(?:\*\*|__)\s*)?([^\W\d_]+|[=+\-*/^<>≈%×])")
# words after the numbers that make them something else than the values: "for x_1", "times larger", "de plus"
_QUALIFIERS = frozenset("for of in at on with from pour de du des en avec than que times fois percent pourcent more"
                        " less greater larger smaller bigger higher lower plus moins".split())
# … except when they say when: "0 and 0 in one step", "-1 et 1 en une itération"
_WHEN = lazy(r"\s+(?:in|at|on|after|en|à|après)\s+(?:[^\W\d_]+\s+|\d+\s+){0,2}"
                   r"(?:steps?|iterations?|updates?|rounds?|[ée]tapes?|it[ée]rations?)(?![^\W\d_])", re.IGNORECASE)
_STARTING = lazy(r"\b(?:given|assum\w*|suppos\w*|initial\w*|init|start\w*|from|begin\w*|partant|d[ée]part|"
                       r"commen[cç]\w*)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=64)
def cue_pattern(cues: tuple[str, ...]) -> re.Pattern | None:
    """One regular expression for the caller's cue phrases: words in order, ``stem*`` for a stem."""
    alternatives = []
    for cue in cues or ():
        parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") and len(w) > 1 else re.escape(w)
                 for w in str(cue).split()]
        if parts:
            alternatives.append(r"\s+".join(parts))
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE) if alternatives else None


def _segments(text: str):
    pos = 0
    for m in _SEGMENT_END.finditer(text):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if pos < len(text):
        yield pos, len(text)


def _verb_phrase(text: str, pos: int, end: int, after_cue: bool) -> tuple[int, bool, bool] | None:
    """Words among the verbs and fillers of prose_values (at least one verb; after a cue "is" or ":" will do)
    up to the values: (where the values start, a verb was seen, "both"/"all" was said)."""
    verb = every = False
    noun = not after_cue  # one unknown word may follow "both" / "les deux": the noun ("both means")
    for _ in range(8):
        m = _WORD.match(text, pos, end)
        word = m.group(1).lower() if m else ""
        if word in PROSE_VERBS or word in PROSE_FILLERS:
            verb, every = verb or word in PROSE_VERBS, every or bool(_EVERY.fullmatch(word))
            pos = m.end()
        elif m and noun and not verb and word not in _QUALIFIERS:
            noun, pos = False, m.end()
        else:
            break
    return (pos, verb, every) if verb or after_cue else None


def _values(text: str, pos: int, end: int, comma: bool = False) -> tuple[list[float], int, int] | None:
    """Numbers joined by separators from ``pos``: (values, start of the first, end of the last); ``comma``: a comma
    between digits is a decimal comma."""
    number = _NUMBER_COMMA if comma else _NUMBER
    values, first, last = [], None, pos
    while len(values) < 12:
        m = number.match(text, pos, end)
        if not m:
            break
        value = 0.0 if m.group("num")[0] in "zZ" else float(m.group("num").replace(",", "."))
        if m.group("den"):
            if float(m.group("den")) == 0:
                return None
            value /= float(m.group("den"))
        values.append(-value if m.group("sign") in ("-", "−", "–") else value)
        first, last = m.start() if first is None else first, m.end()
        sep = _SEPARATOR.match(text, last, end)
        if not sep or not number.match(text, sep.end(), end):
            break
        pos = sep.end()
    return (values, first, last) if values else None


def _closed(text: str, pos: int, end: int) -> bool:
    """Whether the statement ends at ``pos`` (see the module docstring)."""
    if _CLOSE.match(text, pos, end) or _WHEN.match(text, pos, end):
        return True
    m = _NEXT_WORD.match(text, pos, end)
    if m is None:
        return True
    word = m.group(1).lower()
    return word.isalpha() and word not in PROSE_VERBS and word not in _QUALIFIERS and text[pos:pos + 1].isspace()


def _statement(text: str, a: int, b: int, count: int, cues: re.Pattern | None, subjects: re.Pattern | None):
    pos = _HEAD.match(text, a, b).end()
    every, lead = False, pos
    cue = None
    if cues:  # the cue opens the sentence, or follows a subject of at most two words ("EM converges to")
        at = _ARTICLE.match(text, pos, b).end()
        for _ in range(3):
            if (cue := cues.match(text, at, b)) or not (word := _SUBJECT_WORD.match(text, at, b)):
                break
            at = word.end()
    subject = _SUBJECT.match(text, pos, b) or (subjects.match(text, _ARTICLE.match(text, pos, b).end(), b)
                                               if subjects else None)
    if cue:
        # "the fixed point is", "fixed point:", "the fixed point of EM is": at most three words before the verb
        found, at = None, cue.end()
        for _ in range(4):
            colon = _COLON.match(text, at, b)
            found = (colon.end(), False, False) if colon else _verb_phrase(text, at, b, True)
            if found and _NUMBER.match(text, found[0], b):
                break
            found, word = None, _WORD.match(text, at, b)
            if not word or not word.group(1).isalpha():
                break
            at = word.end()
        if found is None:
            return None
        pos, _, every = found
    elif subject:
        every = bool(_EVERY.search(subject.group()))
        found = _verb_phrase(text, subject.end(), b, False)
        if found is None:
            return None
        pos, _, also = found
        every = every or also
    for comma in (True, False) if "," in text[pos:b] else (False,):
        read = _values(text, pos, b, comma)
        if read is None or read[1] - pos > 3 or not _closed(text, read[2], b):
            continue
        values, start, stop = read
        all_of = every or bool(_EVERY.search(text, lead, start))  # "both means converge to 0"
        if len(values) == 1 and all_of and count > 1:
            values = values * count
        if len(values) != count or _STARTING.search(text, a, min(b, stop + 40)):
            continue
        return tuple(values), start, stop
    return None


def positional_values(text: str, count: int, cues: re.Pattern | None = None,
                      subjects: re.Pattern | None = None) -> list[Found]:
    """Every positional statement of ``count`` values in ``text``, in reading order (module docstring)."""
    if not isinstance(text, str) or not text or count < 2:
        return []
    display = [(s, e) for s, e in math_spans(text) if not (text[s - 1:s] == "$" != text[s - 2:s - 1])]
    emphasis, out = emphasis_spans(text), []
    for a, b in _segments(text):
        if inside(display, a) or not text[a:b].strip():
            continue
        hit = _statement(text, a, b, count, cues, subjects)
        if hit:
            values, start, stop = hit
            out.append(Found(values, start, stop, snippet(text, a, b), inside(emphasis, start), {}))
    return out
