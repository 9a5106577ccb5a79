"""Where a statement of values stands, for grader.extract.assignments: after a concluding cue ("thus", "therefore",
the rubric's "fixed point"), or restating where an algorithm starts ("starting from $\\mu_1 = -2$", ``\\mu_1^{(0)}``,
a value passed to a function in code)."""

from __future__ import annotations

import re

from grader.extract.names import MAX_NAME_LENGTH, is_initial

__all__ = ["concluding", "initial"]

# words that conclude in any subject; a rubric adds its own (``cues``: "fixed point", "converge*")
_CUE = re.compile(r"\b(?:thus|therefore|hence|finally|final|answer|conclude|result)\b|\\therefore", re.IGNORECASE)
_STARTING = re.compile(r"\b(?:given|assume|suppose|initiali[sz]\w*|start\w*|from|let)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s)")
# "starting from $\mu_1 = -2$", "initialized at mu1 = -2", "Given μ1 = -2": the statement restates where the
# algorithm starts (a cue, at most three words, an optional colon, then the statement)
_STARTS_HERE = re.compile(
    r"\b(?:given|assum\w*|suppos\w*|initiali[sz]\w*|init|start\w*|from|begin\w*|partant|départ|depart|"
    r"commen[cç]\w*|initial\w*)\b(?:[^\S\n]+[\w\\(){}]+){0,3}?[^\S\n]*[:=]?[^\S\n]*\$*[^\S\n]*\Z",
    re.IGNORECASE,
)
_CODE_ASSIGNMENT = re.compile(r"\s*([A-Za-z_]\w*)\s*=(?!=)\s*\Z")
_NAME_WITH_SCRIPTS = re.compile(  # starts only where a word starts, so a long run of letters is scanned once
    r"(?<![A-Za-z\\])\\?[A-Za-z]+\d*(?:[ \t]?[_^][ \t]?(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?\w))+"
    r"|(?<![A-Za-z])[A-Za-z]+\d*[ \t]?[(\[][^()\[\]\n]{1,8}[)\]]"
)


def concluding(text: str, start: int, cues: re.Pattern | None = None) -> bool:
    """Whether a cue (thus, therefore, answer, or one of the caller's ``cues``) comes earlier in the sentence of the
    statement at ``start``, and no starting word (given, from, initialized)."""
    window = text[max(0, start - 120) : start]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    sentence = window[ends[-1] if ends else 0 :]
    cued = _CUE.search(sentence) or (cues is not None and cues.search(sentence))
    return bool(cued) and not _STARTING.search(sentence)


def initial(text: str, start: int, value_start: int, since: int) -> bool:
    """Whether the statement at ``start`` gives a starting value: its names carry an initial-step mark
    (``\\mu_1^{(0)}``), or a starting cue comes right before it."""
    head = text[max(start, value_start - 4 * MAX_NAME_LENGTH) : value_start]  # names sit next to their value
    if any(is_initial(m.group()) for m in _NAME_WITH_SCRIPTS.finditer(head)):
        return True
    code = _CODE_ASSIGNMENT.match(head)
    if code and re.search(rf"[A-Za-z_][\w.]*\([^()\n]*(?<![\w.]){re.escape(code.group(1))}(?![\w(])", text[value_start:]):
        return True  # "mu = np.array([2., 2.])" then "em_step(mu)": an input of the computation
    window = text[max(since, start - 60) : start]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    sentence = window[ends[-1] if ends else 0 :]
    return bool(_STARTS_HERE.search(sentence) or _WITH_FIRST.fullmatch(sentence.rsplit("\n", 1)[-1]))


# a sentence that opens with the values it supposes: "With μ1 = μ2 = 2 both components are equal", Dutch "Met",
# German "Mit", Spanish and Italian "Con", French "Avec", Portuguese "Com" (capitalised: the sentence's first word)
_WITH_FIRST = re.compile(r"[\s#>*_-]*(?:With|Met|Mit|Con|Avec|Com)[^\S\n]*\$*[^\S\n]*")
