"""One label for two questions ("2(c) and 2(d)"), and inside it a paragraph for each: the paragraphs divided.

A student who answers two parts under one label often still starts each part's paragraph with what it is about
("**EM from μ1 = μ2 = 2:** …", "**K-means from (−2, 2):** …"). A paragraph's lead (its text up to the first colon
or full stop, at most a line) that has a word of exactly one of the questions' titles that the others' titles do
not have starts that question's share; what comes before the first such lead belongs to all of them. When not
every question gets a lead of its own the region stays whole: each question reads all of it. A paragraph that names
each part where its share starts ("(c) and (d): for (c), … For (d), …") is cut there first.
"""

from __future__ import annotations

import re

from grader.model import Block, BlockKind
from grader.rubric import Question

_WORD = re.compile(r"[^\W\d_]{2,}")
_LEAD = re.compile(r"[^\n:.]{0,80}")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _lead(block: Block) -> str:
    text = re.sub(r"\\textbf\{|\\emph\{|[*_{}$\\]", " ", block.text.lstrip())
    return _LEAD.match(text).group()


# "for (c), starting from …  For (d), K-means …": the part named inside the paragraph, before its share
_PART_MARK = re.compile(r"(?:\b(?:for|in|part|pour|dans|para|en|per|für|bei|zu)\s+)?\(([a-h])\)\s*[,:]", re.IGNORECASE)


def _by_part_marks(blocks: list[Block], questions: list[Question]) -> tuple[dict[str, list[Block]], dict[str, str]]:
    """The shares of a paragraph that names each part where its share starts ("for (c), … For (d), …"), or
    ({}, {}) when some question's part is not named so."""
    letters = {q.locate.part.lower(): q.id for q in questions if q.locate.part}
    if len(letters) != len(questions):
        return {}, {}
    marks = [(i, m) for i, b in enumerate(blocks) if b.kind is BlockKind.PROSE
             for m in _PART_MARK.finditer(b.text) if m.group(1).lower() in letters]
    if {letters[m.group(1).lower()] for _, m in marks} != set(letters.values()):
        return {}, {}
    shares: dict[str, list[Block]] = {q.id: [] for q in questions}
    leads: dict[str, str] = {}
    owner: str | None = None
    for i, block in enumerate(blocks):
        here = [m for j, m in marks if j == i]
        cuts = [0] + [m.start() for m in here] + [len(block.text)]
        for k in range(len(cuts) - 1):
            if k:
                owner = letters[here[k - 1].group(1).lower()]
                leads.setdefault(owner, " ".join(block.text[cuts[k]:cuts[k] + 40].split()))
            piece = block.text[cuts[k]:cuts[k + 1]].strip()
            if not piece:
                continue
            for qid in ([owner] if owner else list(shares)):  # before the first mark: every question's
                shares[qid].append(Block(block.kind, piece, block.origin, block.level, block.tags, block.role))
    return shares, leads


def split_shared(blocks: list[Block], questions: list[Question]) -> tuple[dict[str, list[Block]], dict[str, str]]:
    """Each question's share of ``blocks`` (see the module docstring), all of them for each when they cannot be
    told apart; and the lead each share starts with, for the report."""
    whole = {q.id: list(blocks) for q in questions}
    if len(questions) < 2:
        return whole, {}
    shares, leads = _by_part_marks(blocks, questions)
    if shares:
        return shares, leads
    titles = {q.id: _words(q.title) for q in questions}
    own = {qid: words - set().union(*(w for other, w in titles.items() if other != qid)) for qid, words in titles.items()}
    starts: list[tuple[int, str]] = []
    for i, block in enumerate(blocks):
        if block.kind is not BlockKind.PROSE:
            continue
        lead = _words(_lead(block))
        hits = [qid for qid, words in own.items() if words & lead]
        if len(hits) == 1 and (not starts or starts[-1][1] != hits[0]):
            starts.append((i, hits[0]))
    if {qid for _, qid in starts} != set(own):
        return whole, {}
    shares: dict[str, list[Block]] = {q.id: list(blocks[: starts[0][0]]) for q in questions}
    leads: dict[str, str] = {}
    for k, (i, qid) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(blocks)
        shares[qid] += blocks[i:end]
        leads.setdefault(qid, " ".join(blocks[i].text.split())[:40])
    return shares, leads
