"""Segment: give each question of a rubric its region of the document.

How a region is found, in order of trust:

1. Template tags. Blocks whose cell carries a question id (``Block.tags``) belong to that
   question (a cell tagged with several ids, to each), and so do the untagged blocks after them (a
   student who adds or splits cells keeps them with the question above) until the next tagged
   block. A template's statement cell carries its question's id too, so the region starts there;
   its blocks (``Block.role`` "statement") are set aside as the statement, except text that is not
   part of the question's statement (an answer typed into that cell).
2. Labels and headings, wherever students put them (grader.segment.labels): headings, the start of
   a paragraph or of one of its lines ("**1a**", "1)", "Q1 a", "Part A", "(ii)"), the first cell of
   a table row, a code comment ("# Q1a: …"). Each is read in the context of the labels around it
   and scored against every question, with the rubric's heading keywords; the questions are then
   assigned, strongest claims first, the rest in the order the student kept
   (grader.segment.assign). A region runs from its label to the next one.

3. The order of the answers, when nothing names a question at all (grader.segment.order): paragraph
   groups matched to the questions in order, with their keywords; ``Region.how`` says so.

Within a region the pasted question statement is set aside (grader.segment.statement). A question
with no region, or whose region holds only its statement, has no answer; so has one whose answer only
says it was skipped ("not done", "pas eu le temps": grader.segment.skipped). ``Region.how`` says where
the answer was found: 'the label "B)" in cell 7, under "Problem 1"'.
"""

from __future__ import annotations

from dataclasses import replace

from grader.model import Block, BlockKind, Document, Region
from grader.rubric import Rubric
from grader.segment.assign import Anchor, assign, find_anchors
from grader.segment.labels import Label, Unit, parse_label, units_of
from grader.segment.order import BY_ORDER, by_order
from grader.segment.shared import split_shared
from grader.segment.skipped import says_skipped
from grader.segment.statement import is_template_statement, split_statement

__all__ = ["Label", "parse_label", "segment"]

_CODE_KINDS = (BlockKind.CODE, BlockKind.OUTPUT)


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


def _first_block(unit: Unit) -> list[Block]:
    """What of a label's own unit is answer: a heading (or a title line) is never; a labelled paragraph,
    its text after the label."""
    block, label = unit.block, unit.label
    if block.kind is BlockKind.HEADING or (unit.title and label is None):
        return []
    if label is None or unit.where == "code comment":
        return [block]
    rest = label.rest
    return [Block(block.kind, rest, block.origin, block.level, block.tags, block.role)] if rest else []


def _code_first(anchors: list[Anchor], units: list[Unit]) -> set[str]:
    """The problems of a notebook where each answer's label comes after its code: every labelled paragraph (two
    or more) of the problem directly follows a code cell or its output. Returned by the label the parts are under
    ("Problem 2"); "" stands for the whole notebook when the rule holds for all its labels together."""
    labelled = [a for a in anchors if a.groups and a.unit.where == "label"]
    by_problem: dict[str, list[Anchor]] = {"": labelled}
    for a in labelled:
        if a.parent:
            by_problem.setdefault(a.parent, []).append(a)
    return {parent for parent, these in by_problem.items() if len(these) >= 2 and all(
        a.unit_index > 0 and units[a.unit_index - 1].block.kind in _CODE_KINDS for a in these)}


def _how(anchor: Anchor) -> str:
    unit = anchor.unit
    written = unit.label.written if unit.label and unit.where != "heading" else unit.block.text.strip()
    where = "title" if unit.title and unit.label is None else unit.where
    text = f'the {where} "{written[:60]}" in {unit.block.origin}'
    if anchor.parent and anchor.parent != written:
        text += f', under "{anchor.parent[:40]}"'
    if anchor.keyword:
        text += f', whose words match "{anchor.keyword}"'
    if anchor.by_order:
        text += ", " + BY_ORDER
    return text


def _without_lost_repeats(anchors: list[Anchor], units: list[Unit]) -> list[Anchor]:
    """A label that lost its question to the label just above it, which claims the same question ("Exercise 2:
    posterior", then "Question 3"), continues that region instead of cutting it short; so does a bare part
    label that lost ("(a)" under "3 EM algorithm", whose question has no parts: an item of that answer). Its
    unit keeps only the text after the label."""
    kept: list[Anchor] = []
    for a in anchors:
        part = a.unit.label is not None and a.unit.label.shape == "part"
        if a.candidates and not a.groups and kept and kept[-1].groups and (
                part or set(kept[-1].groups) & set(a.candidates)):
            units[a.unit_index] = Unit((_first_block(a.unit) or [replace(a.unit.block, text="")])[0], None,
                                       a.unit.where)
            continue
        kept.append(a)
    return kept


def _summary_rows(units: list[Unit], rubric: Rubric) -> tuple[list[Unit], dict[str, list[list[Block]]]]:
    """A table of final answers with one row per question, above derivations labelled on their own ("| 1 | A^T |",
    then "### 1. Trace"): those rows are a summary, not the answers' starts. A row whose question another label
    also starts leaves the segmentation and joins that question's answer, before the derivation; a row that is
    its question's only label (a table holding Exercise 2's answers) stays a label."""
    rows = [i for i, u in enumerate(units) if u.where == "table row" and u.label is not None]
    if len(rows) < 2 or sum(u.label is not None and u.where != "table row" for u in units) < 2:
        return units, {}
    without = [Unit(u.block, None, u.where) if i in rows else u for i, u in enumerate(units)]
    anchors, groups, _ = find_anchors(without, rubric)
    assign(anchors, groups, [a.unit.block.text for a in anchors])
    elsewhere = {g for a in anchors for g in a.groups}
    anchors, groups, _ = find_anchors(units, rubric)  # the rows read in their place ("(a)" under "Exercise 2")
    assign(anchors, groups, [a.unit.block.text for a in anchors])
    extra: dict[str, list[list[Block]]] = {}
    summary: set[int] = set()
    for a in anchors:
        if a.unit.where != "table row" or not a.candidates:
            continue
        claimed = set(a.groups) or {max(a.candidates, key=a.candidates.get)}
        if claimed <= elsewhere:
            summary.add(a.unit_index)
            for g in claimed:
                for q in groups[g]:
                    extra.setdefault(q.id, []).append([b for b in _first_block(a.unit) if b.text.strip()])
    if not summary:
        return units, {}
    return [Unit(replace(u.block, text=""), None, u.where) if i in summary else u for i, u in enumerate(units)], extra


def _by_labels(doc: Document, rubric: Rubric) -> tuple[dict[str, list[list[Block]]], dict[str, str]]:
    units, summary = _summary_rows(units_of(doc.blocks), rubric)
    anchors, groups, repeated = find_anchors(units, rubric)
    # A repeated label is not part of the answer: its unit keeps only the text after it.
    units = [Unit((_first_block(u) or [replace(u.block, text="")])[0], None, u.where) if i in repeated else u
             for i, u in enumerate(units)]
    starts = [a.unit_index for a in anchors] + [len(units)]
    texts = ["\n".join(u.block.text for u in units[s : starts[k + 1]]) for k, s in enumerate(starts[:-1])]
    assign(anchors, groups, texts)
    anchors = _without_lost_repeats(anchors, units)
    starts = [a.unit_index for a in anchors] + [len(units)]
    code_first = _code_first(anchors, units) if doc.format == "notebook" else set()
    if code_first:
        for k, a in enumerate(anchors):
            if a.groups and a.unit.where == "label" and ("" in code_first or a.parent in code_first):
                floor = anchors[k - 1].unit_index + 1 if k else 0
                run = a.unit_index
                while run > floor and units[run - 1].block.kind in _CODE_KINDS:
                    run -= 1
                # code whose own comment labels it ("# ANSWER (c): …") is the answer above's, not this label's
                if not any(units[j].where == "code comment" for j in range(run, a.unit_index)):
                    a.unit_index = run
        starts = [a.unit_index for a in anchors] + [len(units)]
    pieces: dict[str, list[list[Block]]] = {}
    how: dict[str, str] = {}
    for k, a in enumerate(anchors):
        if not a.groups:
            continue
        start, end = a.unit_index, starts[k + 1]
        first = next(j for j in range(start, end + 1) if j == end or units[j] is a.unit)
        blocks = [u.block for u in units[start:first]] + (_first_block(a.unit) if first < end else [])
        blocks += [u.block for u in units[first + 1 : end]]
        blocks = [b for b in blocks if b.text.strip()]
        # "2(c) and 2(d)": one label for two questions, maybe a paragraph for each (grader.segment.shared)
        shares, leads = split_shared(blocks, [groups[g][0] for g in a.groups]) \
            if len(a.groups) > 1 and all(len(groups[g]) == 1 for g in a.groups) else ({}, {})
        for g in a.groups:
            for q in groups[g]:
                pieces.setdefault(q.id, []).append(shares.get(q.id, blocks))
                lead = f', its paragraph that starts "{leads[q.id]}"' if q.id in leads else ""
                how.setdefault(q.id, _how(a) + lead)
    for qid, rows in summary.items():
        if qid in pieces:  # a row of the summary, then the derivation: the row comes first, as in the file
            pieces[qid] = rows + pieces[qid]
            how[qid] += " (and its row of the table of final answers)"
    return pieces, how


def segment(doc: Document, rubric: Rubric) -> dict[str, Region]:
    """One Region per rubric question (empty blocks when no answer was found)."""
    tagged = _by_tags(doc, rubric)
    if tagged is not None:
        pieces = {qid: [blocks] for qid, blocks in tagged.items()}
        how = {qid: "template cell tags" for qid in tagged}
    else:
        pieces, how = _by_labels(doc, rubric)
        if not any(pieces.values()) and len({q.locate for q in rubric.questions}) == 1:  # one question: no label needed
            pieces = {q.id: [list(doc.blocks)] for q in rubric.questions}
            how = {q.id: "the whole submission (the homework has one question)" for q in rubric.questions}
        elif not any(pieces.values()):  # nothing names a question: the answers in the questions' order
            pieces, how = by_order(units_of(doc.blocks), rubric)
    regions = {}
    for q in rubric.questions:
        answer: list[Block] = []
        pasted: list[Block] = []
        for blocks in pieces.get(q.id, []):
            template = [b for b in blocks if is_template_statement(b, q)]
            statement, rest = split_statement([b for b in blocks if not is_template_statement(b, q)], q)
            pasted += template + statement
            answer += rest
        found_how = how.get(q.id, "")
        if says_skipped(answer):  # "(skipped, ran out of time)": no answer, whatever its words
            answer, found_how = [], f"{found_how}; the answer says it was skipped" if found_how else \
                "the answer says it was skipped"
        regions[q.id] = Region(q.id, tuple(answer), tuple(pasted), found_how, by_order=BY_ORDER in found_how)
    return regions
