"""Answers without any label, matched to the questions by their order: the last resort of grader.segment.

A submission where no template tag, label or heading names a question may still answer the questions
one after the other. Its answers are then its paragraph groups, in the file's order:

- in plain text with title lines (a short line of words standing alone, grader.segment.labels), a title
  and what follows it up to the next title;
- otherwise a paragraph and the display math, code and outputs after it (with the heading above it,
  if any); a paragraph that carries on the sentence above ("and with J = …", "so the mean is …")
  stays with it.

A file with labels that name a problem or a question (which matched none of the rubric's) is not
guessed about: it keeps no answer.

The title block (the student's name, the homework's title: text with no math before the first answer)
is set aside. A group whose title or lead-in names a question's keywords ("Posterior of v given u:")
answers that question; the groups between two such answers take the questions left between theirs in
order, the most similar content first (grader.segment.assign.align); a group left over carries on the
answer above it. Every region found this way says so: its ``how`` ends with "by the order of the
answers", so that a reader checks it. The order never gives the whole document to one question of
several: a submission read as a single answer keeps no answer at all.
"""

from __future__ import annotations

import re
from dataclasses import replace

from grader.model import AFTER_RULE, Block, BlockKind
from grader.rubric import Rubric
from grader.segment.assign import align, distinct_words, keyword_groups, question_groups, similarity
from grader.segment.labels import Unit, line_origin

# How a region found by its place in the file says so (Region.by_order is read from it).
BY_ORDER = "by the order of the answers"

_MATH_MARKS = re.compile(r"[=$\\^_{}()<>|/+*]")
_CONTINUES = re.compile(r"(?:and|or|so|then|thus|hence|where|which|with|et|ou|donc|puis|alors|où|avec)\b", re.I)
_LEAD_IN = re.compile(r"[^:\n]{3,80}:")  # "Posterior of v given u:"


def _groups(units: list[Unit]) -> list[tuple[str, list[Block]]]:
    """(lead-in, blocks) per paragraph group, in order (see the module docstring)."""
    units = [u for u in units if u.block.text.strip()]
    titled = sum(u.title for u in units) >= 2
    # headings over the answers ("A(i)", "A(ii)", "B", "C"): each holds one answer, whatever its paragraphs; so do
    # horizontal rules between the answers
    headed = sum(u.block.kind is BlockKind.HEADING for u in units[1:]) >= 2
    ruled = not headed and sum(u.block.role == AFTER_RULE for u in units) >= 2
    groups: list[tuple[str, list[Block]]] = []
    under_heading = False
    for unit in units:
        block = unit.block
        if block.kind is BlockKind.HEADING:  # a heading that names no question: what follows is one answer
            groups.append((block.text.strip(), []))
            under_heading = headed
            continue
        if under_heading:
            groups[-1][1].append(block)
            continue
        if ruled and groups and block.role != AFTER_RULE:
            groups[-1][1].append(block)
            continue
        if groups and not groups[-1][1]:  # the first paragraph under a heading or a title
            groups[-1][1].append(block)
            continue
        if titled:
            starts = unit.title
        else:
            starts = block.kind is BlockKind.PROSE and not (groups and _carries_on(groups[-1][1], block.text))
        if starts or not groups:
            title = titled and unit.title
            lead = block.text if title else (_LEAD_IN.match(block.text) or [""])[0]
            groups.append((lead.strip(), [] if title else [block]))
        else:
            groups[-1][1].append(block)
    while groups and _is_preamble(groups[0][1]):
        groups.pop(0)
    return [g for g in groups if g[1]]


_TABLE_RULE = re.compile(r"\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?")


def _table_rows_as_answers(answers: list[tuple[str, list[Block]]], questions: int) -> list[tuple[str, list[Block]]]:
    """One answer per row of a table that stands alone as an answer, when its rows are exactly the answers still
    missing ("| start | algorithm | fixed point |", one row for 2(c), one for 2(d)): each row, under the table's
    header, is an answer of its own."""
    if len(answers) >= questions:
        return answers
    for k, (lead, blocks) in enumerate(answers):
        rows = _table_rows(blocks[0]) if len(blocks) == 1 else None
        if rows and len(rows) >= 2 and len(answers) - 1 + len(rows) == questions:
            return answers[:k] + [(lead, [row]) for row in rows] + answers[k + 1:]
    return answers


def _table_rows(block: Block) -> list[Block] | None:
    """The rows of a Markdown table that is the whole block, each under the header, or None."""
    lines = block.text.strip().split("\n")
    if len(lines) < 3 or not all(line.strip().startswith("|") for line in lines) or \
            not _TABLE_RULE.fullmatch(lines[1].strip()):
        return None
    return [replace(block, text="\n".join([lines[0], lines[1], row]), origin=line_origin(block, i))
            for i, row in enumerate(lines[2:], start=2)]


def _carries_on(above: list[Block], text: str) -> bool:
    """A paragraph that goes on with the sentence above: it starts with a connective ("and with J = …"), or
    in lower case after a comma, a colon or a semicolon."""
    text = text.lstrip()
    if _CONTINUES.match(text):
        return True
    last = above[-1].text.rstrip() if above else ""
    return bool(last) and last[-1] in ",:;" and text[:1].islower()


def _is_preamble(blocks: list[Block]) -> bool:
    """A name, a title, a date: a little text with no math at all."""
    text = "\n".join(b.text for b in blocks)
    return all(b.kind is BlockKind.PROSE for b in blocks) and text.count("\n") < 3 and len(text) < 160 \
        and not _MATH_MARKS.search(text)


def by_order(units: list[Unit], rubric: Rubric) -> tuple[dict[str, list[list[Block]]], dict[str, str]]:
    """Regions for a submission without labels (see the module docstring): blocks and ``how`` per question."""
    if any(u.label is not None and u.label.problem is not None for u in units):
        return {}, {}  # a file with labels that name no question: not one to guess about
    qgroups = question_groups(rubric)
    answers = _table_rows_as_answers(_groups(units), len(qgroups))
    if not answers:
        return {}, {}
    owner: list[int | None] = []
    for lead, _ in answers:
        hits, _word = keyword_groups(lead, qgroups) if lead else ([], "")
        owner.append(hits[0] if hits else None)
    # A question claimed by two lead-ins keeps the first; the second is left to the order.
    seen: set[int] = set()
    for k, g in enumerate(owner):
        if g is not None:
            owner[k] = None if g in seen else g
            seen.add(g)
    distinct = distinct_words(qgroups)
    texts = ["\n".join(b.text for b in blocks) for _, blocks in answers]
    fixed = [k for k, g in enumerate(owner) if g is not None]
    bounds = [-1, *fixed, len(answers)]
    for left, right in zip(bounds, bounds[1:]):
        run = list(range(left + 1, right))
        low = owner[left] if left >= 0 else -1
        high = owner[right] if right < len(answers) else len(qgroups)
        free = [g for g in range(low + 1, high) if g not in seen]
        for k, g in align(run, free, lambda k, g: similarity(texts[k], g, distinct)):
            owner[k] = g
            seen.add(g)
    if len(qgroups) > 1 and len({g for g in owner if g is not None}) <= 1:
        return {}, {}  # one question would get the whole document: that is no reading of its order
    pieces: dict[str, list[list[Block]]] = {}
    how: dict[str, str] = {}
    current: int | None = None
    for k, (lead, blocks) in enumerate(answers):
        if owner[k] is None:
            if current is None:
                continue
            g = current  # a paragraph no question took carries on the answer above
        else:
            g = current = owner[k]
        for q in qgroups[g]:
            pieces.setdefault(q.id, []).append(blocks)
            if q.id not in how:
                first = blocks[0]
                if first.text.count("\n") == 2 and _table_rows(first):  # one row of a table, under its header
                    words = " ".join(first.text.splitlines()[-1].split())[:50]
                    how[q.id] = f'the row "{words}" of the table in {first.origin}, {BY_ORDER}'
                    continue
                words = " ".join((lead or first.text).split())[:50]
                how[q.id] = f'the paragraph "{words}" in {first.origin}, {BY_ORDER}'
    return pieces, how
