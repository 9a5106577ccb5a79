"""One label for two questions ("2(c) and 2(d)"), and inside it a paragraph for each: the paragraphs divided.

A student who answers two parts under one label often still starts each part's paragraph with what it is about
("**EM from μ1 = μ2 = 2:** …", "**K-means from (−2, 2):** …"). A paragraph's lead (its text up to the first colon
or full stop, at most a line) that has a word of exactly one of the questions' titles that the others' titles do
not have starts that question's share; what comes before the first such lead belongs to all of them. When not
every question gets a lead of its own the region stays whole: each question reads all of it.
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


def split_shared(blocks: list[Block], questions: list[Question]) -> tuple[dict[str, list[Block]], dict[str, str]]:
    """Each question's share of ``blocks`` (see the module docstring), all of them for each when they cannot be
    told apart; and the lead each share starts with, for the report."""
    whole = {q.id: list(blocks) for q in questions}
    if len(questions) < 2:
        return whole, {}
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
