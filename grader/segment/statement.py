"""The question's own text, pasted into an answer, set aside.

Within a region, everything before a "Solution" / "Answer" / "Réponse" heading is the statement;
otherwise the leading blocks that read as a copy of the rubric's statement are. A copy may carry a
part label and a point value ("(a) [5 points] Are …") and light rewording; it is recognised by its
*words*: the prose outside the math must share at least three real words with the statement (all of
them when the statement has fewer) and be made nearly only of the statement's words. Math symbols
and small words ("where", "the") are not evidence: a short answer full of the statement's symbols
("μ1 = -0.98 where γ = 0.98") is an answer. A display formula counts only right after pasted prose
and only when it is the statement's own formula. A paragraph that says it restates the question
("what is asked: …", "Restated: …", "Énoncé : …") is set aside up to its "Réponse :" line (or its first
line), whatever its words.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from grader.model import Block, BlockKind
from grader.rubric import Question
from grader.segment.labels import parse_label, without_points
from grader.textgeom import GREEK_LETTERS
from grader.textnorm import normalize

MARKER_REACH = 200  # a "Solution" marker opens its block: matching only the head keeps the scan linear
MARKER = re.compile(
    r"[\s#>*_]*(?:\\textbf\{\s*)?(solution|answer|réponse|reponse|my answer|answers|réponses"
    r"|antwort|antwoord|respuesta|risposta|resposta|odpowiedź|lösung|oplossing)\b\s*[:.]?[\s*_}]*",
    re.IGNORECASE,
)
# A student's own restatement of the question, said to be one: "what is asked: …", "Restated: …".
RESTATED = re.compile(
    r"[\s#>*_]*(?:\\(?:emph|textbf|textit|textsc|underline)\s*\{\s*)?"
    r"(?:what\s+is\s+asked|the\s+question\s+asks|restated|restatement|in\s+my\s+own\s+words"
    r"|(?:problem\s+|question\s+)?statement|ce\s+qui\s+est\s+demand[ée]|on\s+demande|[ée]nonc[ée]|reformul[ée]e?"
    r"|question\s+reformul[ée]e|aufgabe(?:nstellung)?|enunciado|testo|consegna)"
    r"(?:\s*\((?:copied|pasted|from\s+the\s+\w+|copi[ée]e?|recopi[ée]e?)\))?[\s*_}]*[:.,—-]",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\W_]+")
_INLINE_MATH = re.compile(r"\$[^$]*\$|\\\(.*?\\\)")
_MATH_NOISE = re.compile(
    r"\\(?:left|right|big|Big|bigg|Bigg|bigl|bigr|Bigl|Bigr|text|mathrm|operatorname|mathbf|boldsymbol|"
    r"displaystyle|quad|qquad)(?![A-Za-z])|\\[,;:! ]|[{}$]"
)
_BLANKS = re.compile(r"\s+")
ANSWER_WORDS = frozenset(
    "i we my our me us je nous yes no not oui non pas because since therefore thus hence so donc car answer "
    "get got obtain find found".split()
)
_LAYOUT_WORDS = frozenset(
    "mathcal mathbb mathbf mathrm text left right frac dfrac begin end bmatrix pmatrix cdot sim quad "
    "textbf the a an of and to is are that be".split()
)
# Words every question shares: they say nothing about which text was copied.
_SMALL_WORDS = frozenset(
    "the and are that this with where which what when then than for from into over under given let "
    "les des une est que qui pour avec dans par sur où soit".split()
)


def tokens(text: str) -> set[str]:
    words = {GREEK_LETTERS.get(t, t).lower() for t in _TOKEN.findall(text)}  # μ and \mu are one word
    return {w for w in words if w not in _LAYOUT_WORDS and (len(w) > 1 or w.isdigit() or w.isalpha())}


# The verbs that ask for a result are one word: "compute the covariance" restates "calculate the covariance".
_ASKING = frozenset("compute calculate determine give decide derive evaluate find".split())
# "i.e.", "e.g." are no first person "I"
_ABBREVIATION = re.compile(r"\b(?:i\.\s?e|e\.\s?g)\.", re.IGNORECASE)
# A question the student wrote out: a paragraph that ends with its question mark (emphasis marks aside)
_ASKED = re.compile(r"\?[\s*_}]*\Z")


def prose_words(text: str) -> set[str]:
    """The real words of a text outside its math: three letters or more, not a small word; the verbs that ask
    for a result are one word."""
    plain = _INLINE_MATH.sub(" ", text)
    plain = re.sub(r"\\[A-Za-z]+", " ", plain)
    words = {w.lower() for w in _TOKEN.findall(plain) if len(w) >= 3 and w.isalpha()}
    return {"ask" if w in _ASKING else w for w in words if w not in _SMALL_WORDS}


def compact_math(text: str) -> str:
    """LaTeX without spacing, sizing and font commands, braces or blanks: two copies of one formula
    typed differently ("\\text{Tr}(XA)" and "Tr(XA)") compare equal."""
    return _BLANKS.sub("", _MATH_NOISE.sub("", text))


def _without_label(text: str) -> str:
    label = parse_label(text, heading=False)
    return label.rest if label is not None else text


def is_statement(block: Block, statement: str, after_statement: bool) -> bool:
    """Is this block a copy of the question's text (see the module docstring)?"""
    if block.kind is BlockKind.MATH:
        formula = compact_math(block.text)
        return after_statement and len(formula) >= 3 and formula in compact_math(statement)
    if block.kind is not BlockKind.PROSE:
        return False
    text = _ABBREVIATION.sub(" ", without_points(_without_label(block.text)))
    words = prose_words(text)
    known = prose_words(statement)
    if not words or not known:
        return False
    shared = words & known
    # a question written out as one ("What is the fixed point of EM started from …?") asks, it does not answer:
    # half its words from the statement are enough
    least, share = ((2, 0.5) if _ASKED.search(text) and "\n\n" not in text.strip() else (3, 0.7))
    if len(shared) < min(least, len(known)) or len(shared) / len(words) < share:
        return False
    return not answer_signals(text, tokens(text), tokens(statement)) and not _computes(text, statement)


_DECIMAL = re.compile(r"(?<![\d.])\d*\.\d+")


def _computes(text: str, statement: str) -> bool:
    """Two decimal numbers or more that the statement does not have ("= 0.982", "= -0.964"): values computed, which
    a copy of the question cannot hold."""
    given = set(_DECIMAL.findall(statement))
    return sum(1 for n in _DECIMAL.findall(text) if n not in given) >= 2


def answer_signals(text: str, words: set[str], statement_words: set[str]) -> bool:
    """Signs that a block echoing the question is the student's answer: first person, a verdict,
    a reason, or emphasis, none of which a copy of the statement has."""
    if (words & ANSWER_WORDS) - statement_words:
        return True
    return any(mark in text for mark in ("**", "__", "\\textbf", "\\boxed"))


def statement_of(question: Question) -> str:
    return _statement_text(question.statement, question.title)


@functools.lru_cache(maxsize=512)
def _statement_text(statement: str, title: str) -> str:
    """A rubric's statement, normalised once: every submission is compared with the same few."""
    return normalize(f"{statement} {title}")


@functools.lru_cache(maxsize=512)
def statement_tokens(text: str) -> frozenset[str]:
    """``tokens`` of a rubric's text, computed once per text."""
    return frozenset(tokens(text))


def is_template_statement(block: Block, question: Question) -> bool:
    """A block of a template's statement cell that is the question's own text (or its heading): a part of the
    rubric's statement, or prose that reads as a copy of it (a template printed before a typo was fixed)."""
    if block.role != "statement":
        return False
    if block.kind is BlockKind.HEADING:
        return True
    statement = statement_of(question)
    text = compact_math(block.text)
    return not text or text in compact_math(statement) or is_statement(block, statement, True)


def split_statement(blocks: list[Block], question: Question) -> tuple[list[Block], list[Block]]:
    """(statement paste-ins, answer blocks) of one stretch of a region; headings are dropped.

    A "Solution" heading sets aside everything above it. A paragraph that starts with
    "Answer:" only loses its marker: the working written before it stays part of the answer.
    """
    for i, block in enumerate(blocks):
        if block.kind is BlockKind.HEADING and MARKER.match(block.text[:MARKER_REACH]):
            return blocks[:i], [b for b in blocks[i + 1:] if b.kind is not BlockKind.HEADING]
    statement = question.statement + " " + question.title
    content = []
    restated: list[Block] = []
    answer_at = None  # where the first "Answer:" paragraph is in content
    for block in blocks:
        if block.kind is BlockKind.HEADING:
            continue
        if block.kind is BlockKind.PROSE and RESTATED.match(block.text):
            said, rest = _split_restatement(block.text)
            restated.append(replace(block, text=said))
            if not rest:
                continue
            block = replace(block, text=rest)
        m = MARKER.match(block.text[:MARKER_REACH]) if block.kind is BlockKind.PROSE else None
        if m and (m.end() < len(block.text) or len(block.text) < 30):
            rest = block.text[m.end():].strip()
            answer_at = len(content) if answer_at is None else answer_at
            if rest:
                # "Answer: $A'$": before a lone formula the marker is what says it is the result; it stays
                keep = m.group(1) is not None and rest.startswith(("$", "\\(", "\\["))
                content.append(block if keep else replace(block, text=rest))
            continue
        content.append(block)
    n = 0
    while n < len(content) and (is_statement(content[n], statement, n > 0)
                                or (answer_at is not None and n < answer_at and _asks(content[n], statement))):
        n += 1
    return restated + content[:n], content[n:]


def _asks(block: Block, statement: str) -> bool:
    """A question the student wrote above their "Answer:" line ("What is the fixed point …?"), in their own words."""
    if block.kind is not BlockKind.PROSE:
        return False
    text = _ABBREVIATION.sub(" ", block.text.strip())
    return bool(_ASKED.search(text)) and not answer_signals(text, tokens(text), tokens(statement))


def _split_restatement(text: str) -> tuple[str, str]:
    """(the restated question, the answer) of a paragraph that starts by restating the question: up to a
    line that starts with "Réponse :" / "Answer:", or else its first line."""
    lines = text.split("\n")
    for k in range(1, len(lines)):
        if MARKER.match(lines[k][:MARKER_REACH]):
            return "\n".join(lines[:k]).strip(), "\n".join(lines[k:]).strip()
    k = 1  # the first line, and the lines its sentence goes on to ("… then" / "$v | u \sim …$ with $J = …$.")
    while k < len(lines) and not _SENTENCE_END.search(lines[k - 1]):
        k += 1
    return "\n".join(lines[:k]).strip(), "\n".join(lines[k:]).strip()


_SENTENCE_END = re.compile(r"[.?!:][\s$*_}]*\Z")
