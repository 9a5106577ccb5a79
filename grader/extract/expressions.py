"""Matrix expressions in answers: which expression a student gives as the result, and the derivation chains.

``final_expression(text, target)`` applies the rule for "the answer" (one ``Found`` whose ``value`` is LaTeX):

- ``target="final"``: the right-hand side of the last equation in the answer's math (``$$…$$``, ``\\[…\\]``,
  equation environments, inline ``$…$``); an expression alone in display math counts as its own right-hand side.
  A boxed (``\\boxed``, ``\\fbox``) or bold (``**$…$**``, ``\\textbf``) expression wins over later plain ones: the
  last emphasized one is the answer. Not answers: inline math without ``=`` unless a concluding word stands just
  before it ("the gradient is $A^T$", "hence $A^T$", "answer: $A^T$"); distribution statements (``\\sim``);
  definitions of a symbol that another statement uses ("$\\mu + J(u - L\\mu - m)$ where $J = …$"). A statement
  that only has the symbol on its left side is about it, not a use: after "$S_N^{-1} = A$", "so $S_N = A^{-1}$"
  (after a concluding word) is the result. Text with no math delimiters at all is read line by line (the
  right-hand side of a line's last ``=``, or the line; a note in words in brackets after it is dropped, words before
  a colon label it; numpy forms through grader.mathexpr.plain.code_forms, and the ``greek`` letters spelled out).
  So is a line of prose with no math beside an answer's LaTeX, when it has an ``=`` or ``~`` and its value parses
  ("J = K L^T (L K L^T)^-1" typed under a sentence with ``$v$`` in it).
  Not answers either, for any target: a boolean (``True``), a number or array printed by code (the ``printed``
  ranges), and an equation whose left side names one of ``other_labels`` (grader.extract.expression_labels).
- ``target="mean"`` / ``"cov"``: the mean or covariance of a conditional distribution, from the last of: the two
  arguments of ``\\mathcal{N}(mean, cov)`` (also ``N(v; mean, cov)``) stated for the conditional, the right-hand
  side of a labelled chain (``\\mathbb{E}(v|u) = …``, ``E[v \\mid u]``, ``\\mu_{v|u}``; ``\\text{Cov}(v|u) = …``,
  ``\\mathrm{Var}(v|u)``, ``\\Sigma_{v|u}``), or math right after cue words (``cues``: the rubric's, by default
  "posterior/conditional mean", "the covariance is" …; math that opens with its ``=``, "mean $= …$", has the words
  before it as its label). The last statement wins whatever its form, unless an
  emphasized one is there. The same holds in plain text. ``condition`` names the conditional (``"v|u"``); empty: any ``a|b``. When nothing is labelled,
  the "final" statements are returned with ``extra["unlabelled"] = True``: the caller tells a mean from a
  covariance by the shape of its value.

Two different final results: ``extra["rivals"]`` lists the statements that compete with the chosen one — the
other emphasized ones, and display statements of the same quantity after an emphasized answer. This module cannot
tell whether they are equal (that needs the question's symbols); the checker compares them and credits neither
when they differ. ``extra["candidates"]`` holds every statement of the target in text order (the derivation's
intermediate results), ``extra["lhs"]`` the left-hand side when there is one.

``derivation_chains(text)`` returns the chains ``a = b = c`` of display math, in order, with ``Found.value`` the
tuple of sides; a display block that opens with ``=`` continues the previous display's last chain (a derivation
split over consecutive display equations).

Leftover markup is blanked first (grader.mathexpr.layout.blank_markup: ``\\tag{…}``, ``\\label{…}``, ``\\nonumber``,
HTML tags, footnote markers ``[^1]``), keeping every offset.

Scanning is linear in the text (math spans, brace pairs and short look-behind windows); blocks the chain splitter
refuses as too long are kept whole, so the parser rejects them with its own message. Texts longer than
``MAX_TEXT_LENGTH`` are not read (no statements, no chains): the checkers say so. Nothing here raises.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace

from grader.extract.distributions import normal_arguments
from grader.extract.expression_labels import Cues, cues_for, label_target, names_other_quantity
from grader.extract.numbers import emphasis_spans, math_spans
from grader.extract.plain_text import (BARE_FUNCTION, MAX_NORMALISED, PLAIN_LEAD, PROSE_LINE, plain_clauses,
                                       plain_side, plain_value, prose, said_in_symbols)
from grader.extract.revisions import after_last_correction
from grader.textgeom import bracket_pairs, inside, snippet
from grader.mathexpr import MathParseError, canonical_name, free_symbols, parse, split_chains
from grader.mathexpr.layout import blank_markup
from grader.model import Found

TARGETS = ("final", "mean", "cov")
CUE_WINDOW = 120  # characters of prose before a math span searched for "the answer is", "posterior mean"
# Only the end of a long answer can hold its result: these caps keep hostile inputs (thousands of spans, chains or
# lines) linear without changing the answer of any real one.
MAX_TEXT_LENGTH = 50_000  # an answer longer than this is not read at all (a real one is a few thousand characters)
MAX_SPANS = 400
MAX_CHAINS_PER_SPAN = 100
MAX_PLAIN_LINES = 200

_BOX = re.compile(r"\\(?:boxed|fbox|textbf)\s*\{")
_STARTS_WITH_EQUALS = re.compile(r"\s*(?:\\begin\s*\{[A-Za-z]+\*?\}\s*)?&?\s*=")
_NOT_AN_ANSWER = re.compile(r"\\sim(?![A-Za-z])|\\in(?![A-Za-z])|\\perp|∼|⊥")
# "the gradient is $A^T$", and up to three words that name it: "is the cofactor matrix $\operatorname{Cof}(X)$" (a
# preposition among them makes the math an argument: "is a function of $X$")
_CONCLUDING = re.compile(
    r"(?:\b(?:is|are|equals?|gives?|get|obtain|find|yields?|becomes?|answer|result|hence|thus|therefore|so"
    r"|vaut|valent|est|sont|donne|devient|donc|soit|obtient|trouve|r[ée]ponse|r[ée]sultat)\b"
    r"(?:\s+(?!(?:of|in|on|for|with|to|by|from|at|than|de|du|des|en|dans|sur|pour|avec|par|que)\b)[^\W\d_]+){0,3}"
    r"|[:=])[\s*_]*$",
    re.IGNORECASE,
)
# "$A^\top$ — that's 1.", "$P(…)$ — that's the mean in 3", "$A^T$ is my final answer", "$A^T$ (final answer)":
# words after the math that mark it as the answer (of the question numbered, or of the quantity named)
_THATS = r"(?:that'?s|that\s+is|this\s+is|c['’]est|das\s+ist|eso\s+es|questa\s+è|isso\s+é)"
_ANSWER_WORD = (r"(?:answer|result|réponse|reponse|résultat|resultat|antwort|ergebnis|respuesta|resultado|risposta"
                r"|risultato|resposta)")
_STATED_AFTER = re.compile(
    r"(?:\$\$?|\\[)\]])?[^\S\n]*(?:(?:[—–]|--?|:|,)[^\S\n]*)?(?:"
    rf"(?:{_THATS}|which\s+is|is|est|ist|es|è|é)\s+(?:(?:my|the|our|ma|la|notre|meine|die|mi|la\s+mia|a\s+minha)\s+)?"
    rf"(?:final\s+|finale\s+)?{_ANSWER_WORD}\b"
    rf"|{_THATS}\s+(?:(?:for|of|pour|la|le|für|die)\s+)?(?:(?:question|q|part|exercise|problem|aufgabe|frage|pregunta|domanda)\s*)?"
    r"\(?\d+\s*\)?\s*[a-d]?\s*\)?(?:[.;,]|$)"
    r"|(?:that'?s|that\s+is)\s+(?P<named>the\s+[^\W\d_]+(?:\s+[^\W\d_]+)?)\s+(?:in|of|for)\s+"
    r"(?:(?:question|q|part)\s*)?\(?\d"
    rf"|\(\s*(?:final\s+)?{_ANSWER_WORD}(?:\s+finale?)?\s*\)|(?:←|<-+)\s*(?:final\s+)?{_ANSWER_WORD})",
    re.IGNORECASE | re.MULTILINE)
_STATED_WINDOW = 80
_NAMED_BY = re.compile(r"\s*(?:\\begin\s*\{[A-Za-z]+\*?\}\s*)?\\?[A-Za-z]\w{0,2}\s*&?=(?!=)")  # "$P = …$"
_OPENER_TAIL = re.compile(r"(?:\$\$?|\\[\[(]|\\begin\s*\{[A-Za-z]+\*?\})$")  # the span's own opening delimiter
# In undelimited text: "v|u ~ N(…)" states a distribution
_PLAIN_SIM = re.compile(r"~|∼|\\sim(?![A-Za-z])")
# bold in a line of plain text, "**…**" or "__…__" between blanks or punctuation ("X**2 + Y**2" is no bold: a
# power's stars stand between operands)
_PLAIN_BOLD = re.compile(r"(?<![\w)\]}*])\*\*(?=[^\s*])[^*\n]+?(?<=[^\s*])\*\*(?![\w(*])"
                         r"|(?<![\w_])__(?=[^\s_])[^_\n]+?(?<=[^\s_])__(?![\w_])")
# a printed check (stripped): booleans, numbers, shapes and their mixes ("(3, 2) True")
_CHECK_VALUE = re.compile(r"(?:True|False|true|false|nan|NaN|inf|n/a|N/A|None|[-+\d.eE\s\[\](),])+")
_BOOLEAN = re.compile(r"\s*(?:True|False|true|false)\s*")
_BARE_NAME = re.compile(
    r"\s*(?:\\(?:mathbf|boldsymbol|bm)\s*\{\s*)?(\\?[A-Za-z]+)\s*\}?\s*(?:_\s*\{?\s*([A-Za-z0-9]+)\s*\}?)?\s*"
)
_ENTRY_INDEX = re.compile(r"[ijklmn]{2}")  # C_ij, X_kl: an entry in index notation
# "A is $q \times p$", "X is n×n": a matrix's shape, not its value
_DIM = r"(?:[a-z0-9]{1,3}|\([a-z0-9]{1,3}\s*[-+]\s*[a-z0-9]{1,3}\))"  # n, 2, (n-1): lower case, as sizes are named
_SHAPE = re.compile(rf"\s*{_DIM}\s*(?:\\times|×)\s*{_DIM}\s*")
_INDEX_PAIR = re.compile(r"\s*\(?\s*[ijklmn]\s*,\s*[ijklmn]\s*\)?\s*")  # "the $(i,j)$ entry": a place, no value
_INDEX = re.compile(r"\s*[ijklmn]\s*")  # "only the $k = j$ term": indices, no value
_ROW_INDEX = re.compile(r"\s*[ijkl]\s*")  # "selon **la ligne $i$**": an index alone, bold or not, is no result
_DOLLAR = re.compile(r"(?<!\\)\$")  # "\\textbf{$…$}" inside display math: the inner dollars are not math


@dataclass(frozen=True)
class _Span:
    start: int  # offsets of the math body in the text
    end: int
    display: bool
    emphasized: bool


def _spans(text: str) -> list[_Span]:
    bold = emphasis_spans(text)
    out = []
    for start, end in math_spans(text):
        opener = text[max(0, start - 2) : start]
        display = opener in ("$$", "\\[") or opener.endswith("}")
        out.append(_Span(start, end, display, inside(bold, max(0, start - 1))))
    return out


def _unbox(body: str) -> tuple[str, list[tuple[int, int]]]:
    """The body with \\boxed{…} wrappers blanked out (offsets kept), and the boxed contents' ranges."""
    if "\\" not in body or not _BOX.search(body):
        return body, []
    closing = bracket_pairs(body)[0]
    chars, boxes = list(body), []
    for m in _BOX.finditer(body):
        brace = m.end() - 1
        if brace not in closing:
            continue
        chars[m.start() : m.end()] = " " * (m.end() - m.start())
        chars[closing[brace]] = " "
        boxes.append((m.end(), closing[brace]))
    return "".join(chars), boxes


def _chains(body: str) -> list[list[str]]:
    try:
        return split_chains(body)
    except MathParseError:  # too long to split: kept whole, so the parser rejects it with its own message
        return [[body.strip()]]


def _names(latex: str) -> set[str]:
    try:
        return free_symbols(parse(latex))
    except MathParseError:
        return set()


def _bare_name(lhs: str) -> str | None:
    m = _BARE_NAME.fullmatch(lhs) if len(lhs) < 40 else None
    if not m or (not m.group(1).startswith("\\") and len(m.group(1)) > 1):
        return None
    try:
        return canonical_name(f"{m.group(1)}_{m.group(2)}" if m.group(2) else m.group(1))
    except ValueError:
        return None


def _found(text: str, span: _Span, side: str, body: str, **extra) -> Found:
    at = body.rfind(side) if side else -1
    start = span.start + at if at >= 0 else span.start
    end = start + len(side) if at >= 0 else span.end
    value = BARE_FUNCTION.sub(r"\\operatorname{\1}", side) if len(side) <= MAX_NORMALISED else side
    return Found(value, start, end, snippet(text, start, end), extra.pop("emphasized", span.emphasized), extra)


def _normal_statements(text: str, span: _Span, body: str, condition: str, boxes: list) -> list[Found]:
    """Mean and covariance of each ``\\mathcal{N}(…)`` stated for the conditional (one Found per argument)."""
    return [_found(text, span, arg, body, kind="distribution", target=target, lhs="", emphasized=span.emphasized or boxed)
            for target, arg, boxed in normal_arguments(body, condition, boxes)]


def _cue(text: str, span: _Span, previous_end: int, cues: Cues) -> str | None:
    return cues.last(text[max(previous_end, span.start - CUE_WINDOW) : span.start])


def _math_body(text: str, span: _Span) -> tuple[str, list[tuple[int, int]]]:
    """The span's math (stray inner dollars blanked, offsets kept) with \\boxed wrappers blanked, and the boxes."""
    return _unbox(_DOLLAR.sub(" ", text[span.start : span.end]))


def _typed_before(text: str, span: _Span) -> list[str] | None:
    """The sides of a formula typed without delimiters on the line before the math that continues it with "= …",
    or None."""
    line_start, end = text.rfind("\n", 0, span.start) + 1, span.start
    while end > line_start and text[end - 1] == "$":
        end -= 1
    if text.startswith("\\(", end - 2):
        end -= 2
    typed = text[max(line_start, end - 240) : end]
    if "$" in typed or "=" not in typed:
        return None
    typed = re.sub(r"[*_`]{2,}|(?<!\w)[*_`]|[*_`](?!\w)", " ", typed).strip().lstrip("->+ ")
    chains = _chains(typed) if len(typed) >= 5 else []
    return list(chains[-1]) if chains and len(chains[-1]) > 1 and not prose(chains[-1][0]) else None


def _span_statements(text: str, span: _Span, previous_end: int, condition: str, cues: Cues,
                     after: str = "") -> list[Found]:
    """Every statement a math span makes: its chains' right-hand sides, boxed results, distributions. ``after``:
    the words after the span that mark it as the answer ("— that's 1."), if any."""
    body, boxes = _math_body(text, span)
    out = _normal_statements(text, span, body, condition, boxes)
    boxed_results = []
    for start, end in boxes:
        inner = _chains(body[start:end])
        if inner and inner[-1] and inner[-1][-1] and not _NOT_AN_ANSWER.search(" ".join(inner[-1])):
            boxed_results.append(inner[-1][-1])
    before = text[max(previous_end, span.start - 40) : span.start]
    concluding = bool(_CONCLUDING.search(_OPENER_TAIL.sub("", before)))
    cue = _cue(text, span, previous_end, cues)
    # "mean $= …$", "covariance $P = …$": the words before the math are its label, the math's "=" its verb
    if cue is None and (_STARTS_WITH_EQUALS.match(body) or _NAMED_BY.match(body)):
        window = _OPENER_TAIL.sub("", text[max(previous_end, span.start - CUE_WINDOW) : span.start]).rstrip()
        cue = cues.last(window + " =") if window[-1:].isalpha() else None
    typed = _typed_before(text, span) if _STARTS_WITH_EQUALS.match(body) else None
    if after:  # "$A^\top$ — that's 1.": the answer, marked after it; "— that's the mean in 3" names the quantity
        cue = cue or cues.last(after)
    for k, chain in enumerate(_chains(body)[-MAX_CHAINS_PER_SPAN:]):
        if k == 0 and typed:  # "**∂det(X)/∂X = det X * X^-T** $= \det(X)(X^{-1})^T$": the math goes on from there
            chain = typed + chain
        side = chain[-1] if chain else ""
        if not side or _NOT_AN_ANSWER.search(" ".join(chain)):
            continue
        lhs = chain[0] if len(chain) > 1 else ""
        if not lhs and not span.display and not span.emphasized and not concluding and cue is None and not after:
            continue
        emphasized = span.emphasized or side in boxed_results or bool(after)
        target = label_target(lhs, condition) if lhs else None
        out.append(_found(text, span, side, body, kind="display" if span.display else "inline", lhs=lhs,
                          target=target or cue, emphasized=emphasized, sides=tuple(chain), concluding=concluding,
                          **({"stated_after": True} if after else {})))
        if side in boxed_results:
            boxed_results.remove(side)
    for side in boxed_results:  # a boxed result that is not the end of a chain: "\boxed{A^T} \text{ is the answer}"
        out.append(_found(text, span, side, body, kind="boxed", lhs="", target=None, emphasized=True))
    return out


def _plain_lines(text: str, condition: str, cues: Cues, greek) -> list[Found]:
    """Text without math delimiters: each line's last right-hand side (or the whole line) as a statement; a line
    "v|u ~ N(mean, cov)" states a distribution; labels and cue words say what a value is, as in math."""
    lines = text.splitlines(keepends=True)
    pos = len(text) - sum(len(line) for line in lines[-MAX_PLAIN_LINES:])
    out = []
    carried: Found | None = None  # the last statement of the line above: "= …" on the next line continues it
    for line in lines[-MAX_PLAIN_LINES:]:
        bold = [(m.start() + 2, m.end() - 2) for m in _PLAIN_BOLD.finditer(line)]
        if bold:  # "so **∂Tr(XA)/∂X = Aᵀ**.": the marks are emphasis, not a product (offsets kept)
            line = _PLAIN_BOLD.sub(lambda m: "  " + m.group()[2:-2] + "  ", line)
        said = said_in_symbols(line)  # "mu plus J times (u minus L mu minus m)": the formula said in words
        stripped = said.strip().strip("*_").strip()
        stripped = re.sub(r"^(?:[-+#]\s+|\d+[.)]\s+|(?:=>|⇒|->|→)\s*)", "", stripped)  # "=> Tr(A)": the result
        above, carried = carried, None
        paragraph = len(stripped) > PROSE_LINE  # a paragraph typed on one line: read clause by clause
        if _PLAIN_SIM.search(stripped):  # "v|u ~ N(mean, cov)", also inside a paragraph typed on one line
            found = _normal_statements(text, _Span(pos, pos + len(line), False, False), line, condition, [])
            out.extend(replace(f, value=plain_value(f.value, greek),
                               emphasized=any(a <= f.start - pos < b for a, b in bold)) for f in found)
            if not paragraph:
                pos += len(line)
                continue
        clauses = plain_clauses(stripped) if stripped and not _NOT_AN_ANSWER.search(stripped) else []
        chains = [c for clause in clauses if not (paragraph and _PLAIN_SIM.search(clause)) for c in _chains(clause)
                  if c]
        continues = above is not None and stripped.startswith("=")
        for chain in chains:  # every statement of the line ("Cov(v|u) = K - J L K, where J = …")
            side, words = plain_side(chain[-1])
            lhs = PLAIN_LEAD.sub("", chain[0]) if len(chain) > 1 else ""
            value = plain_value(side, greek)
            if side and not prose(value):
                at = pos + max(line.rfind(side), 0)  # the last side: "dTr(XA)/dX = A" states the last A
                if said != line and side not in line:  # said in words: the statement runs from the first word said
                    at = pos + _said_from(line, said, side)
                    side = line[at - pos:].rstrip()
                named = lhs or words
                # "mean = …", "Posterior covariance: …": the label is followed by its sign
                target = (label_target(named, condition) if named else None) or cues.last(named + " =")
                sides = tuple(plain_value(plain_side(c)[0] if k == len(chain) - 1 else c, greek)
                              for k, c in enumerate(chain))
                if continues:  # "E[v|u] = E[v] + …" then "       = mu + K L^T (…)": one chain over two lines
                    lhs, target = above.extra["lhs"], above.extra["target"]
                    sides = above.extra["sides"] + sides
                    continues = False
                inside = at - pos
                emphasized = any(a <= inside < b for a, b in bold)
                carried = Found(value, at, at + len(side), snippet(text, at, at + len(side)), emphasized,
                                {"kind": "plain", "lhs": lhs, "target": target, "sides": sides})
                out.append(carried)
        pos += len(line)
    return out


# "$P(…)$ with $P = …$ — that's the mean": the definitions after the result belong to it
_DEFINITIONS_BETWEEN = re.compile(r"\$*[^\S\n]*,?[^\S\n]*(?:with|where|and|où|avec|mit|wobei|con|dove)[^\S\n]*\$*",
                                  re.IGNORECASE)


def _marked_after(text: str, spans: list[_Span]) -> dict[int, str]:
    """The spans marked as answers by the words after them ("$A^\top$ — that's 1."), by index, with those words; a
    mark after a definition ("$P(…)$ with $P = …$ — that's the mean") marks the result the definition follows."""
    marks: dict[int, str] = {}
    for k, span in enumerate(spans):
        after = _STATED_AFTER.match(text, span.end, min(len(text), span.end + _STATED_WINDOW))
        if not after:
            continue
        while k > 0 and _NAMED_BY.match(_math_body(text, spans[k])[0]) and \
                _DEFINITIONS_BETWEEN.fullmatch(text, spans[k - 1].end, spans[k].start):
            k -= 1
        marks[k] = f"{after.group('named')} =" if after.group("named") else after.group()
    return marks


def _said_from(line: str, said: str, side: str) -> int:
    """Where in ``line`` the value ``side`` of its rewritten form ``said`` starts: the two are the same up to the
    first phrase rewritten, so a value starting before it starts at the same place; one starting later starts at
    the word the texts first differ in."""
    k = next((i for i, (a, b) in enumerate(zip(line, said)) if a != b), min(len(line), len(said)))
    at = said.rfind(side)
    if 0 <= at <= k:
        return at
    while k > 0 and not line[k - 1].isspace() and line[k - 1] not in "(=:,":
        k -= 1
    return k


def _statements(text: str, spans: list[_Span], condition: str, cues: Cues, greek, printed=(), prose=()) -> list[Found]:
    if not spans:
        return _plain_lines(text, condition, cues, greek)
    out, previous_end = [], 0
    spans = spans[-MAX_SPANS:]
    marks = _marked_after(text, spans)
    for k, span in enumerate(spans):
        out.extend(_span_statements(text, span, previous_end, condition, cues, marks.get(k, "")))
        previous_end = span.end
    # What a code cell printed has no math delimiters ("∂det(X)/∂X = det(X) · tr(X^{-1})"): it is read as plain
    # lines, as a whole answer without LaTeX is, even when the rest of the answer has math.
    for start, end in printed:
        if not any(s.start < end and start < s.end for s in spans):
            out.extend(replace(f, start=f.start + start, end=f.end + start)
                       for f in _plain_lines(text[start:end], condition, cues, greek))
    out.extend(_plain_beside_math(text, spans, prose, condition, cues, greek))
    return sorted(out, key=lambda f: f.start)


# The last few answers' math spans and statements: the mean and the covariance of a posterior read one text twice.
_READ: dict[tuple, tuple[list[_Span], tuple[Found, ...]]] = {}
MAX_READ = 8


def _read_statements(text: str, condition: str, cues: Cues, greek: tuple, printed: tuple, prose: tuple,
                     other_labels: tuple) -> tuple[list[_Span], list[Found]]:
    """The math spans and every statement that can be an answer, whatever its target; read once per text and
    reading options."""
    key = (text, condition, cues.key, greek, printed, prose, other_labels)
    known = _READ.get(key)
    if known is None:
        spans = _spans(text)
        found = _continued(_answers(_statements(text, spans, condition, cues, greek, printed, prose), other_labels,
                                    printed))
        if len(_READ) >= MAX_READ:
            _READ.pop(next(iter(_READ)))
        known = _READ[key] = (spans, tuple(found))
    return list(known[0]), list(known[1])


def _plain_beside_math(text: str, spans: list[_Span], prose, condition: str, cues: Cues, greek) -> list[Found]:
    """Formulas typed without delimiters on lines of prose beside some LaTeX ("J = K L^T (L K L^T)^-1",
    "E[v|u] = mu + J (u - L mu - m)"): a line with no math, with an "=" or a "~", whose value parses. Prose
    lines ("so the answer is A") have words in their value and are not read."""
    out: list[Found] = []
    for start, end in prose:
        for line in re.finditer(r"[^\n]+", text[start:end]):
            a, b = start + line.start(), start + line.end()
            if "$" in line.group() or not re.search(r"=|~|∼", line.group()) or \
                    any(s.start - 2 < b and a < s.end + 2 for s in spans):
                continue
            for f in _plain_lines(line.group(), condition, cues, greek):
                try:
                    parse(f.value)
                except MathParseError:
                    continue
                out.append(replace(f, start=f.start + a, end=f.end + a,
                                   snippet=snippet(text, f.start + a, f.end + a)))
    return out


def _answers(statements: list[Found], other_labels, printed) -> list[Found]:
    """Statements that can be answers: not a printed check ("True", "0.0" in a code output), not a boolean, not a
    shape ("A is $q \\times p$"), not a place ("is the $(i,j)$ entry of"), not an equation about another quantity
    (``other_labels``)."""
    def printed_check(f: Found) -> bool:
        return any(start <= f.start < end for start, end in printed) and bool(_CHECK_VALUE.fullmatch(f.value.strip()))

    return [f for f in statements if not _BOOLEAN.fullmatch(f.value) and not printed_check(f)
            and not _SHAPE.fullmatch(f.value) and not _INDEX_PAIR.fullmatch(f.value)
            and not (_INDEX.fullmatch(f.value) and _INDEX.fullmatch(f.extra.get("lhs") or ""))
            and not (_ROW_INDEX.fullmatch(f.value) and not f.extra.get("lhs"))
            and not names_other_quantity(f.extra.get("lhs", ""), other_labels)]


_LAYOUT = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])|\\[,;:! ]|\s+|[.,;]+$")


def _continued(statements: list[Found]) -> list[Found]:
    """A chain that starts from what a labelled statement equals carries that statement on: "Cov(v|u) = P." then
    "P = K + … = K + JLK" ends the covariance's derivation with K + JLK, so it is a statement of the covariance."""
    known: dict[str, str] = {}  # each side of a labelled statement, spacing ignored -> its target
    out = []
    for f in statements:
        target, lhs = f.extra.get("target"), f.extra.get("lhs", "")
        if not target and lhs and (carried := known.get(_LAYOUT.sub("", lhs))):
            f = replace(f, extra={**f.extra, "target": carried, "continues": True})
            target = carried
        if target:
            for side in f.extra.get("sides") or (f.value,):
                known.setdefault(_LAYOUT.sub("", side), target)
        out.append(f)
    return out


def _without_definitions(found: list[Found]) -> list[Found]:
    """Drop "NAME = …" statements whose NAME another statement uses, directly or through another definition
    ("… where $J = P L^T \\Sigma^{-1}$ and $P = …$"): a definition, not a result."""
    names = [(f, _bare_name(f.extra.get("lhs", ""))) for f in found]

    def uses(f: Found, left: bool = True) -> set[str]:
        sides = f.extra.get("sides") or (f.value,)
        return set().union(*(_names(side) for side in (sides if left or not f.extra.get("lhs") else sides[1:])))

    def defines(name: str | None) -> set[str]:
        return {name, _entry_base(name)} if name else set()

    # "S_N^{-1} = A, so S_N = A^{-1}": a concluding "NAME = …" solves for a NAME the other statements only have
    # on their left side: a result. It stays a definition when another statement uses NAME on a right side.
    right = [uses(f, left=False) for f, _ in names]
    counts = Counter(n for found_names in right for n in found_names)
    solved = {i for i, (f, name) in enumerate(names) if name and f.extra.get("concluding")
              and not any(counts[n] - (n in right[i]) > 0 for n in defines(name))}
    names = [(f, None if i in solved else name) for i, (f, name) in enumerate(names)]
    used = set().union(*(right[i] if i in solved else uses(f) for i, (f, name) in enumerate(names) if name is None))
    pending = [(f, name) for f, name in names if name is not None]
    while grown := [(f, name) for f, name in pending if defines(name) & used]:
        pending = [p for p in pending if p not in grown]
        used |= set().union(*(uses(f) for f, _ in grown))
    return [f for f, name in names if name is None or not (defines(name) & used)]


def _entry_base(name: str) -> str:
    """``C`` for an entry ``C_ij`` (its matrix is what the answer uses: ``(C_{ij})``); the name otherwise."""
    base, _, index = name.partition("_")
    return base if index and _ENTRY_INDEX.fullmatch(index) else name


def find_expressions(text: str, target: str = "final", condition: str = "", *, cues=None, other_labels=(),
                     greek=(), printed=(), prose=()) -> list[Found]:
    """Every statement of ``target`` in text order (see the module docstring). ``cues``: the cue words for each
    target ({"mean": [...], "cov": [...]}, grader.extract.expression_labels; None: generic English ones);
    ``other_labels``: left sides that name another quantity than the question's; ``greek``: Greek letters a
    plain-text answer may spell out (``Sigma``); ``printed``: (start, end) ranges of code outputs; ``prose``: the
    ranges of prose, whose lines without math may hold formulas typed as plain text."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r} (one of {', '.join(TARGETS)})")
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT_LENGTH:
        return []
    cues = cues if isinstance(cues, Cues) else cues_for(cues)
    text = blank_markup(text)  # "XA</b>", "A^T[^2]", "\\tag{1}": markup, not maths (offsets kept)
    spans, statements = _read_statements(text, condition, cues, tuple(greek), tuple(printed), tuple(prose),
                                         tuple(other_labels))

    in_aside = _asides(text, spans)
    remarks = [(m.start(), _paragraph_end(text, m.start())) for m in _REMARK.finditer(text)]
    remarks += [(m.end(), _paragraph_end(text, m.end())) for m in _REJECTED_LEAD.finditer(text)]
    checks = [(m.start(), _paragraph_end(text, m.start())) for m in _CHECK_LEAD.finditer(text)]

    def outside_asides(f: Found) -> bool:  # inline math, or a formula typed in prose, inside a bracket of words
        if any(a <= f.start < b for a, b in remarks):  # "Remark: in the sheet the mean is written with $Lv + m$"
            return False
        if any(a <= f.start < b for a, b in checks) and not _ANSWER_BEFORE.search(text, max(0, f.start - 40), f.start):
            return False  # a check's values; "… so the answer is $A$" still states an answer
        return f.extra.get("kind") not in ("inline", "plain") or not in_aside(f.start)

    if target == "final":
        results = _without_definitions([f for f in statements if f.extra.get("kind") != "distribution"])
        # a reason ("because $adj(X) = …$"), an aside ("(second form: …)"), an entry ("the partial is C_ij") is how
        # the student got there, not the result, whenever the answer states one otherwise
        for keep in (lambda f: not _is_reason(text, f), outside_asides, lambda f: not _is_check(text, f),
                     lambda f: not _ENTRY_VALUE.search(f.value) or _ENTRY_MATRIX.fullmatch(f.value)):
            results = _prefer(results, keep)
        return results
    labelled = [f for f in statements if f.extra.get("target") == target]
    if labelled:  # "(… the conditional mean given $u$ can't depend on $v$)": a remark in brackets, not the result
        return _prefer(_prefer(labelled, outside_asides), lambda f: not _is_check(text, f))
    unlabelled = _prefer([f for f in statements if f.extra.get("kind") != "distribution" and not f.extra.get("target")],
                         outside_asides)
    return [Found(f.value, f.start, f.end, f.snippet, f.emphasized, {**f.extra, "unlabelled": True})
            for f in _without_definitions(unlabelled)]


# "C_ij", "A_{ji}", "Σ_j X_ij C_ij": entries in index notation (a double index), a step towards the matrix; the
# matrix of the entries, "(C_{ij})" or "(C_{ij})_{i,j}", is a matrix
_ENTRY_VALUE = re.compile(r"_\s*\{?\s*[ijklmn]\s*,?\s*[ijklmn]\s*\}?(?![A-Za-z])")
_ENTRY_MATRIX = re.compile(r"\s*(?:\\left)?\(\s*[A-Za-z]_\s*\{?\s*[ijklmn]\s*,?\s*[ijklmn]\s*\}?\s*(?:\\right)?\)"
                           r"(?:_\s*\{[^{}]{0,40}\})?\s*")
# "… hence the gradient is adj(X)^T, because $adj(X) = det(X) X^{-1}$": what follows "because" is a reason
_REASON_BEFORE = re.compile(r"(?i:\b(?:because|since|car|puisque|parce que|weil|porque|perché|poiché))"
                            r"[^\S\n]*\$*[^\S\n]*(?:[^$\n=]{1,40}=[^\S\n]*)?\Z")  # "because $adj(X) = " then the value


# a line that starts with a lower-case "because" goes on with the sentence above: it gives the reason for the claim
# there ("… = det(X) (X⁻¹)⊤" then "because X⁻¹ = adj(X)/det(X) and adj(X) = com(X)⊤.")
_REASON_LINE = re.compile(r"[^\S\n]*[*_>-]*[^\S\n]*(?:because|car|parce que|weil|porque|perché|poiché)\b")


def _is_reason(text: str, f: Found) -> bool:
    line_start = text.rfind("\n", 0, f.start) + 1
    return bool(_REASON_BEFORE.search(text, max(0, f.start - 80), f.start)) or \
        bool(_REASON_LINE.match(text, line_start, f.start))


# "Check: $(A^T)^T = A$", "Sanity check with $A = I$: $I^T = I$", "Probe: …": a sentence that verifies the result;
# one that says "so the answer is $A$" states a result again
_CHECK_OPENING = re.compile(r"(?:^|(?<=[.!?\n]))[\s*_#>-]*(?:[\w×-]{1,12}[^\S\n]+){0,2}?(?i:(?:sanity\s+|quick\s+|numerical\s+)?check(?:ing)?|verif\w*"
                            r"|vérif\w*|probe|kontrolle|überprüf\w*|comprobaci[oó]n|comprob\w*|controllo|test(?:ing)?)"
                            r"\b(?:(?!(?i:answer|result|réponse|résultat|ergebnis|respuesta|risposta))[^.!?\n])*\Z")


def _is_check(text: str, f: Found) -> bool:
    return bool(_CHECK_OPENING.search(text, max(0, f.start - 160), f.start))


def _prefer(found: list[Found], keep) -> list[Found]:
    """``found`` without the statements ``keep`` refuses, unless it refuses them all."""
    kept = [f for f in found if keep(f)]
    return kept if kept else found


def _asides(text: str, spans: list[_Span]):
    """A test of whether an offset stands inside a bracket of the prose of its paragraph ("(second form: write
    $K^{-1}\\mu = …$)"), the brackets of math not counted: one scan of the text, then a look-up per offset."""
    if "(" not in text:
        return lambda pos: False
    pieces, k = [], 0
    for span in spans:  # the math blanked, so that only the prose's brackets count
        if span.start >= k:
            pieces += [text[k : span.start], " " * (span.end - span.start)]
            k = span.end
    prose = "".join(pieces) + text[k:]
    ends, depths, depth = [], [], 0
    for m in _PROSE_BRACKET.finditer(prose):
        depth = 0 if m.group() == "\n\n" else depth + 1 if m.group() == "(" else max(0, depth - 1)
        ends.append(m.end())
        depths.append(depth)
    return lambda pos: (i := bisect_right(ends, pos) - 1) >= 0 and depths[i] > 0


_PROSE_BRACKET = re.compile(r"\n\n|[()]")
# a paragraph that says it is a remark: what it states is an aside, not the result
_REMARK = re.compile(r"(?im)^[^\S\n]*[*_>-]*[^\S\n]*(?:(?:remarks?|notes?(?:\s+for\s+myself)?|side\s+notes?|remarques?|bemerkung(?:en)?|anmerkung(?:en)?|nota(?:\s+bene)?"
                     r"|observaci[óo]n|osservazione|observa[çc][ãa]o)[*_]*[^\S\n]*[:.—-]|n\.\s?b\.|p\.\s?s\.)")


# a line that introduces what the answer rules out ("Two things I want to rule out explicitly:", "Attention aux deux
# pièges classiques :", "Common mistakes:"): the list after it, to the end of its paragraph, is no result
_REJECTED_LEAD = re.compile(r"(?im)^[^\n]{0,80}?\b(?:rule[sd]?\s+out|pitfalls?|traps?|(?:common|typical|classic)\s+mistakes?"
                            r"|wrong\s+(?:answers?|candidates?)|pi[èe]ges?|erreurs?\s+(?:classiques|fr[ée]quentes)"
                            r"|fallen|typische\s+fehler|errores\s+comunes|trampas?|trabocchett\w*|errori\s+comuni)"
                            r"\b[^\n]{0,40}:[^\S\n]*$")


# a paragraph that opens as a check ("2x2 check, X = [a b; c d]: …", "Sanity check:"): its values test the result
_CHECK_LEAD = re.compile(r"(?im)^[^\S\n]*[-*_#>]*[^\S\n]*(?:[\w×-]{1,12}[^\S\n]+){0,2}?(?:sanity\s+|quick\s+|numerical\s+)?"
                         r"(?:check|verification|vérification|kontrolle|controllo|comprobaci[oó]n|contr[ôo]le)\b")


_ANSWER_BEFORE = re.compile(r"(?i:\b(?:answer|r[ée]ponse|antwort|respuesta|risposta|resposta)\b)[^.\n]{0,15}\Z")


def _paragraph_end(text: str, start: int) -> int:
    end = text.find("\n\n", start)
    return len(text) if end < 0 else end


def _same_quantity(a: Found, b: Found) -> bool:
    lhs_a, lhs_b = (re.sub(r"\s+", "", f.extra.get("lhs", "")) for f in (a, b))
    return not lhs_a or not lhs_b or lhs_a == lhs_b


def choose_final(candidates: list[Found], since: int = 0) -> Found | None:
    """The answer among ``candidates`` (in text order) from offset ``since`` on (where a correction starts), with its
    rivals and all the candidates (the derivation before the correction too) in ``extra``."""
    final_word = [f for f in candidates if f.start >= since]
    if not final_word:
        return None
    emphasized = [f for f in final_word if f.emphasized]
    chosen = (emphasized or final_word)[-1]
    rivals = [f for f in emphasized if f is not chosen]
    if emphasized and not chosen.extra.get("stated_after"):  # an answer announced first, its derivation after it
        rivals += [f for f in final_word if f.start > chosen.start and not f.emphasized
                   and f.extra.get("kind") in ("display", "plain") and _same_quantity(chosen, f)]
    extra = {**chosen.extra, "rivals": tuple(rivals), "candidates": tuple(candidates)}
    return Found(chosen.value, chosen.start, chosen.end, chosen.snippet, chosen.emphasized, extra)


def final_expression(text: str, target: str = "final", condition: str = "", **options) -> Found | None:
    """The answer's final expression for ``target``, or None when the answer states none (``options``: those of
    find_expressions)."""
    found = find_expressions(text, target, condition, **options)
    since = after_last_correction(text, [f.start for f in found])  # "Correction: … A^T" takes back a boxed A
    return choose_final(found, since)


_ASSUMED = re.compile(r"(?i:\b(?:for|if|when|let|suppose|assume|assuming|take|pour|si|soit|quand|lorsque|für|wenn))"
                      r"[^\S\n]*\$*\Z")


def derivation_chains(text: str, inline: bool = False) -> list[Found]:
    """The chains of display math (and of inline math too with ``inline``), in order; ``value`` is the tuple of
    sides (see the module docstring)."""
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH:
        return []
    text = blank_markup(text)
    chains: list[Found] = []
    previous_display = False
    for span in (s for s in _spans(text)[-MAX_SPANS:] if s.display or inline):
        if not span.display and _ASSUMED.search(text, max(0, span.start - 30), span.start):
            continue  # "for $A = I$ we get …": a case assumed, not a step
        body, _ = _math_body(text, span)
        found = [list(c) for c in _chains(body)[-MAX_CHAINS_PER_SPAN:] if c]
        joins = span.display and previous_display and _STARTS_WITH_EQUALS.match(body)
        previous_display = span.display
        if found and chains and joins:
            last, first = chains.pop(), found.pop(0)
            joined = tuple(last.value) + tuple(first)
            chains.append(Found(joined, last.start, span.end, snippet(text, last.start, span.end)))
        for chain in found:
            if any("\\begin" in side and _numeric(side) for side in chain):
                continue  # "$X = \begin{pmatrix}1&2\\0&1\end{pmatrix}$": an example worked in numbers, not a step
            chains.append(Found(tuple(chain), span.start, span.end, snippet(text, span.start, span.end)))
    return chains


_MATRIX_MARKUP = re.compile(r"\\(?:begin|end)\s*\{[a-zA-Z]*\*?\}|\\\\|&|\\[,;:! ]|\\(?:left|right)")


def _numeric(side: str) -> bool:
    """A number or a matrix of numbers: no letter once the matrix markup is gone."""
    rest = _MATRIX_MARKUP.sub(" ", side)
    return bool(re.search(r"\d", rest)) and not re.search(r"[A-Za-z]", rest)
