"""Segment: give each question of a rubric its region of the document.

How a region is found, in order of trust:

1. Template tags. Blocks whose cell carries a question id (``Block.tags``) belong to that
   question (a cell tagged with several ids, to each), and so do the untagged blocks after them (a
   student who adds or splits cells keeps them with the question above) until the next tagged
   block. A template's statement cell carries its question's id too, so the region starts there;
   its blocks (``Block.role`` "statement") are set aside as the statement, except text that is not
   part of the question's statement (an answer typed into that cell).
2. Labels. A heading, or the very start of a paragraph, that reads like a question label:
   "Problem 1", "# 1. Gaussian Multivariate", "## Question 1" / "### Part (a)", "(a)", "A)",
   "1(b)", "Q2c", "**Question 1 :**", LaTeX "\\subsection*{(a) …}". The problem number carries over
   to later part labels. A bare number ("1. …") counts only in a heading or in bold ("**1.**"),
   because numbered lists inside answers are common; a bare letter needs its parenthesis ("a)", "(a)").
   A homework of one question needs no label: with none found, the whole submission is its answer.
3. Keywords. A heading whose words match one question's ``locate.keywords``
   ("## 2 Joint and Posterior Distributions") selects that question, even against its number:
   section numbers and question numbers often differ. Questions with the same ``locate`` (the
   mean and the covariance of one posterior) share one region; their checks pick their part.

Within a region, the pasted question statement is set aside: everything before a "Solution" /
"Answer" / "Réponse" marker when there is one, otherwise the leading blocks whose words are nearly
all words of the rubric's statement. Headings are never part of an answer. A question with no
region, or whose region holds only its statement, has no answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from grader.model import Block, BlockKind, Document, Region
from grader.rubric import Question, Rubric
from grader.textnorm import normalize

_LEAD_MARKUP = re.compile(r"[\s#>*_]*(?:\\textbf\{|\\textit\{|\\emph\{|\\item\b)?[\s*_]*")
_WORD = re.compile(
    r"(problem|problème|probleme|exercise|exercice|question|exo|ex|part|partie|q)(?=[\s\d(.:#-])\.?\s*#?\s*",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(\d{1,2})(?!\d)")
_PART_AFTER_NUMBER = re.compile(
    r"\s*[.:,\-]?\s*(?:(?:part|partie)\s*)?(?:\(([a-hA-H])\)|([a-hA-H])(?:\)|\.(?=\s)|(?=[\s:)]|$)))"
)
_BOLD_NUMBER_END = re.compile(r"[.):]\s*(?:\*\*|__)|(?:\*\*|__)\s*[.):]")  # "**1.**", "__2)__", "**3**:"
_PART_PAREN = re.compile(r"(?:(?:part|partie)\s+)?(?:\(([a-hA-H])\)|([a-hA-H])\))")
_PART_WORD = re.compile(r"(?:part|partie)\s+\(?([a-hA-H])\)?(?=[\s:.)]|$)", re.IGNORECASE)
_PART_DOT = re.compile(r"([a-h])\.(?=\s)")
MARKER_REACH = 200  # a "Solution" marker opens its block: matching only the head keeps the scan linear
_MARKER = re.compile(
    r"[\s#>*_]*(?:\\textbf\{)?\s*(solution|answer|réponse|reponse|my answer|answers)\b\s*[:.]?[\s*_}]*",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[^\W_]+")
_GREEK = {"μ": "mu", "σ": "sigma", "Σ": "sigma", "θ": "theta", "π": "pi", "γ": "gamma", "φ": "phi", "ε": "varepsilon"}
_MATH_NOISE = re.compile(
    r"\\(?:left|right|big|Big|bigg|Bigg|bigl|bigr|Bigl|Bigr|text|mathrm|operatorname|mathbf|boldsymbol|"
    r"displaystyle|quad|qquad)(?![A-Za-z])|\\[,;:! ]|[{}$]"
)
_BLANKS = re.compile(r"\s+")
_ANSWER_WORDS = frozenset(
    "i we my our me us je nous yes no oui non because since therefore thus hence so donc car answer".split()
)
_LAYOUT_WORDS = frozenset(
    "mathcal mathbb mathbf mathrm text left right frac dfrac begin end bmatrix pmatrix cdot sim quad "
    "textbf the a an of and to is are that be".split()
)


@dataclass(frozen=True)
class Label:
    problem: int | None
    part: str | None
    rest: str  # the text after the label


def parse_label(text: str, *, heading: bool) -> Label | None:
    """Read a question label at the start of ``text``; None when it does not start with one."""
    head = text[:160]
    start = _LEAD_MARKUP.match(head).end()
    s = head[start:]
    word = _WORD.match(s)
    pos = word.end() if word else 0
    number = _NUMBER.match(s, pos)
    bold = number and ("**" in head[:start] or "__" in head[:start]) and _BOLD_NUMBER_END.match(s, number.end())
    if number and (heading or word or bold):
        pos = number.end()
        part = _PART_AFTER_NUMBER.match(s, pos)
        letter = None
        if part and (part.group(1) or part.group(2)):
            letter = (part.group(1) or part.group(2)).lower()
            pos = part.end()
        return Label(int(number.group(1)), letter, _rest(text, start + pos))
    for pattern in (_PART_WORD, _PART_PAREN) + ((_PART_DOT,) if heading else ()):
        part = pattern.match(s, pos)
        if part:
            letter = next(g for g in part.groups() if g).lower()
            return Label(None, letter, _rest(text, start + part.end()))
    return None


def _rest(text: str, pos: int) -> str:
    return re.sub(r"^[\s*_:.)\-]+", "", text[pos:]).strip()


def _tokens(text: str) -> set[str]:
    words = {_GREEK.get(t, t.lower()) for t in _TOKEN.findall(text)}
    return {w for w in words if w not in _LAYOUT_WORDS and (len(w) > 1 or w.isdigit() or w.isalpha())}


def _content_words(words: set[str]) -> set[str]:
    return {w for w in words if len(w) >= 3 and w.isalpha() and w not in _GREEK.values()}


def _compact_math(text: str) -> str:
    """LaTeX without spacing, sizing and font commands, braces or blanks: two copies of one formula
    typed differently ("\\text{Tr}(XA)" and "Tr(XA)") compare equal."""
    return _BLANKS.sub("", _MATH_NOISE.sub("", text))


def _is_statement(block: Block, statement: str, statement_words: set[str], after_statement: bool) -> bool:
    """Is this block a copy of the question's text?

    Prose must share at least three real words with the statement (fewer when the statement has
    fewer: "Are X3 and X4 correlated?"), so that a short symbolic answer such as
    "μ1 = -0.98 and μ2 = 0.98" uses only the statement's symbols and is an answer. A math block
    counts only right after pasted prose and only when it is the statement's own formula: an
    equation made of the statement's symbols ("∂Tr(XA)/∂X = XA") is an answer.
    """
    if block.kind is BlockKind.MATH:
        formula = _compact_math(block.text)
        return after_statement and len(formula) >= 3 and formula in _compact_math(statement)
    words = _tokens(block.text)
    if not words or not statement_words:
        return False
    overlap = len(words & statement_words) / len(words)
    needed = min(3, len(_content_words(statement_words)))
    if needed == 0 or len(_content_words(words) & statement_words) < needed or overlap < 0.75:
        return False
    return not _answer_signals(block.text, words, statement_words)


def _answer_signals(text: str, words: set[str], statement_words: set[str]) -> bool:
    """Signs that a block echoing the question is the student's answer: first person, a verdict,
    a reason, or emphasis, none of which a copy of the statement has."""
    if (words & _ANSWER_WORDS) - statement_words:
        return True
    return any(mark in text for mark in ("**", "__", "\\textbf", "\\boxed"))


def _keyword_questions(text: str, rubric: Rubric) -> list[Question]:
    """Questions whose heading keywords the text uses; several only when they share one locate
    (e.g. the mean and the covariance of one posterior, answered together)."""
    hits = [
        q for q in rubric.questions
        if any(re.search(rf"(?<![\w]){re.escape(k)}(?![\w])", text, re.IGNORECASE) for k in q.locate.keywords)
    ]
    return hits if hits and all(q.locate == hits[0].locate for q in hits) else []


def _questions_for(label: Label, problem: int | None, rubric: Rubric) -> list[Question]:
    number = label.problem if label.problem is not None else problem
    if label.part:
        same_part = [q for q in rubric.questions if q.locate.part == label.part]
        exact = [q for q in same_part if q.locate.problem == number]
        if exact:
            return exact
        return same_part if number is None and len({q.locate.problem for q in same_part}) == 1 else []
    return [q for q in rubric.questions if q.locate.problem == number and q.locate.part is None]


def _by_tags(doc: Document, rubric: Rubric) -> dict[str, list[Block]] | None:
    ids = {q.id for q in rubric.questions}
    if not any(set(b.tags) & ids for b in doc.blocks):
        return None
    raw: dict[str, list[Block]] = {}
    current: list[str] = []
    for block in doc.blocks:
        tagged = [t for t in block.tags if t in ids]
        if tagged:
            current = tagged
        for qid in current:
            raw.setdefault(qid, []).append(block)
    return raw


def _is_template_statement(block: Block, question: Question) -> bool:
    """A block of a template's statement cell that is the question's own text (or its heading): a part of the
    rubric's statement, or prose that reads as a copy of it (a template printed before a typo was fixed)."""
    if block.role != "statement":
        return False
    if block.kind is BlockKind.HEADING:
        return True
    statement = normalize(f"{question.statement} {question.title}")
    text = _compact_math(block.text)
    return not text or text in _compact_math(statement) or _is_statement(block, statement, _tokens(statement), True)


def _by_labels(doc: Document, rubric: Rubric) -> tuple[dict[str, list[Block]], dict[str, str]]:
    raw: dict[str, list[Block]] = {}
    how: dict[str, str] = {}
    problem: int | None = None
    problem_title = ""
    current: list[Question] = []
    for block in doc.blocks:
        is_heading = block.kind is BlockKind.HEADING
        label = parse_label(block.text, heading=is_heading) if block.kind in (BlockKind.HEADING, BlockKind.PROSE) else None
        targets = _keyword_questions(block.text, rubric) if is_heading else []
        if label is not None:
            by_label = _questions_for(label, problem, rubric)
            if label.problem is not None and label.part is None and not targets:
                problem, problem_title = label.problem, block.text.strip()
            targets = targets or by_label
            if not targets and label.part is None and label.problem is not None:
                current = []  # a new problem whose parts come later
            if targets and not is_heading and targets[0].id in raw and current != targets:
                targets = []  # a paragraph starting "(a)" inside another answer is a list item
        if targets:
            current = targets
            if targets[0].locate.problem is not None:
                problem = targets[0].locate.problem
            where = f'{"heading" if is_heading else "label"} "{block.text.strip()[:60]}" ({block.origin})'
            if problem_title and problem_title != block.text.strip():
                where += f' under "{problem_title[:40]}"'
            rest = label.rest if label is not None and not is_heading else ""
            for q in targets:
                how.setdefault(q.id, where)
                raw.setdefault(q.id, []).extend([replace(block, text=rest)] if rest else [])
            continue
        for q in current:
            raw.setdefault(q.id, []).append(block)
    return raw, how


def _split_statement(blocks: list[Block], question: Question) -> tuple[list[Block], list[Block]]:
    """(statement paste-ins, answer blocks) of one region; headings are dropped.

    A "Solution" heading sets aside everything above it. A paragraph that starts with
    "Answer:" only loses its marker: the working written before it stays part of the answer.
    """
    for i, block in enumerate(blocks):
        if block.kind is BlockKind.HEADING and _MARKER.match(block.text[:MARKER_REACH]):
            return blocks[:i], [b for b in blocks[i + 1:] if b.kind is not BlockKind.HEADING]
    statement = question.statement + " " + question.title
    statement_words = _tokens(statement)
    content = []
    for block in blocks:
        if block.kind is BlockKind.HEADING:
            continue
        m = _MARKER.match(block.text[:MARKER_REACH]) if block.kind is BlockKind.PROSE else None
        if m and (m.end() < len(block.text) or len(block.text) < 30):
            rest = block.text[m.end():].strip()
            if rest:
                content.append(replace(block, text=rest))
            continue
        content.append(block)
    n = 0
    while n < len(content) and _is_statement(content[n], statement, statement_words, n > 0):
        n += 1
    return content[:n], content[n:]


def segment(doc: Document, rubric: Rubric) -> dict[str, Region]:
    """One Region per rubric question (empty blocks when no answer was found)."""
    tagged = _by_tags(doc, rubric)
    if tagged is not None:
        raw, how = tagged, {qid: "template cell tags" for qid in tagged}
    else:
        raw, how = _by_labels(doc, rubric)
        if not any(raw.values()) and len({q.locate for q in rubric.questions}) == 1:  # one question: no label needed
            raw = {q.id: list(doc.blocks) for q in rubric.questions}
            how = {q.id: "the whole submission (the homework has one question)" for q in rubric.questions}
    regions = {}
    for q in rubric.questions:
        blocks = raw.get(q.id, [])
        template = [b for b in blocks if _is_template_statement(b, q)]
        statement, answer = _split_statement([b for b in blocks if not _is_template_statement(b, q)], q)
        regions[q.id] = Region(q.id, tuple(answer), tuple(template + statement), how.get(q.id, ""))
    return regions
