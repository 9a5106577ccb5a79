"""Grade: run a rubric's checks and misconception detectors over a segmented document.

This is the pipeline's middle (segment → extract → check → score). Each question's region is read once
into an Answer (grader.extract.answer); its checks and its misconception detectors all read that Answer, so
they agree on what the final answer is and each reading is computed once. Each question is graded on its own:
an exception inside one checker marks that question "grader error" (ours, never the student's)
and the other questions are graded as usual.
"""

from __future__ import annotations

import traceback
from dataclasses import replace

from grader.checkers import registry
from grader.extract.answer import Answer, extract
from grader.extract.notation import declared_aliases
from grader.model import (
    BlockKind, CheckResult, Document, MisconceptionHit, Outcome, QuestionResult, Region, Result, Status,
)
from grader.rubric import Misconception, Question, Rubric
from grader.score import build_result

EXCERPT_CHARS = 1500  # how much of an answer reports echo back
# Checkers re-read an answer once per check, about half a second per 50 000 characters: a longer answer
# (10 MB pasted into a cell) is left to a person rather than tying up the grader for minutes.
MAX_ANSWER_CHARS = 100_000


def _check_status(found: bool, readable: bool, earned: float, points: float) -> Status:
    if not found:
        return Status.NOT_FOUND
    if not readable:
        return Status.UNREADABLE
    if earned >= points - 1e-9:
        return Status.CORRECT
    return Status.WRONG if earned <= 1e-9 else Status.PARTIAL


def _run(call, answer: Answer) -> Outcome:
    return registry.call(registry.get(call.checker), answer, call.params)


def _best(calls, answer: Answer) -> Outcome:
    """The best outcome among a check's alternatives: the first that earns the most (the first one when none earns
    anything). Alternatives after one that earns everything are not run: none of them could be chosen."""
    best = None
    for call in calls:
        outcome = _run(call, answer)
        if best is None or outcome.fraction > max(best.fraction, 0.0):
            best = outcome
        if best.fraction >= 1.0:
            break
    return best


def _passes(call, answer: Answer) -> Outcome | None:
    outcome = _run(call, answer)
    return outcome if outcome.fraction >= 1.0 - 1e-9 else None


def _fires(misconception: Misconception, answer: Answer) -> MisconceptionHit | None:
    """All of ``all_of``, at least one of ``any_of`` (if any), none of ``none_of``."""
    evidence = []
    for call in misconception.all_of:
        outcome = _passes(call, answer)
        if outcome is None:
            return None
        evidence.append(outcome.evidence)
    if misconception.any_of:
        hit = next((o for c in misconception.any_of if (o := _passes(c, answer))), None)
        if hit is None:
            return None
        evidence.append(hit.evidence)
    if any(_passes(call, answer) for call in misconception.none_of):
        return None
    shown = next((e for e in evidence if e), "")
    return MisconceptionHit(misconception.id, misconception.feedback, misconception.deduction, shown)


_SHOWN = {BlockKind.MATH: "$$\n{}\n$$", BlockKind.CODE: "```\n{}\n```", BlockKind.OUTPUT: "```\n{}\n```"}


def _excerpt(region: Region) -> str:
    """The answer as reports echo it: region.text() with code and printouts fenced, so they show as code."""
    text = "\n\n".join(_SHOWN.get(b.kind, "{}").format(b.text) for b in region.blocks)
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + " […]"


def _sentence(text: str) -> str:
    """``text`` ending with one stop: a title that ends "correlated?" gets no second one."""
    return text if text.endswith((".", "?", "!")) else text + "."


def grade_question(question: Question, region: Region, review_below: float = 0.6,
                   typos: dict | None = None) -> QuestionResult:
    where = {"origin": region.origin, "how_found": region.how}
    if not region.found:
        pasted = " (only the question's text was found there)" if region.statement_blocks else ""
        return QuestionResult(
            question.id, question.number, question.title, float(question.points), 0.0, Status.NOT_FOUND,
            _sentence(f"No answer found for {question.title}{pasted}"), tags=question.tags, expected=question.expected,
            **where,
        )
    answer = extract(region, typos)
    text = answer.text
    if len(text) > MAX_ANSWER_CHARS:
        return QuestionResult(
            question.id, question.number, question.title, float(question.points), 0.0, Status.UNREADABLE,
            f"This answer is {len(text):,} characters long, more than the {MAX_ANSWER_CHARS:,} the grader reads; "
            "a person will grade it.", answer_excerpt=_excerpt(region), tags=question.tags,
            expected=question.expected, needs_review=True, confidence=0.0, **where,
        )
    try:
        checks = []
        for check in question.checks:
            outcome = _best(check.calls, answer)
            void = next((o for c in check.unless if (o := _passes(c, answer))), None) if outcome.fraction else None
            if void is not None:  # what earned the points is taken back by what else the answer says
                outcome = replace(outcome, fraction=0.0, message=void.message, evidence=void.evidence or outcome.evidence)
            fraction = min(max(float(outcome.fraction), 0.0), 1.0)
            earned = round(check.points * fraction, 4)
            full = earned >= check.points - 1e-9
            note = check.pass_text if full else check.fail_text
            message = " ".join(m for m in (outcome.message, note) if m)
            status = _check_status(outcome.found, outcome.readable, earned, check.points)
            checks.append(CheckResult(check.id, float(check.points), earned, message, outcome.evidence, status,
                                      float(outcome.confidence), outcome.value))
        fired_all = [(m, h) for m in question.misconceptions if (h := _fires(m, answer))]
        seen: set[str] = set()  # entries sharing an id are ways to detect one error: the first that fires reports it
        found = [(m, h) for m, h in fired_all if h.id not in seen and not seen.add(h.id)]
        fired = {h.id for _, h in found}  # a missing element that a more basic error explains is not reported
        hits = [h for m, h in found if not fired & set(m.explained_by)]
        reported = {h.id for h in hits}
        # the caps of the entries that fired: one way to make an error may cost more than another ("yes, correlated"
        # earns nothing; "uncorrelated but dependent" keeps the right verdict's points)
        caps = [m.max_fraction for m, h in fired_all if m.max_fraction is not None and h.id in reported]
    except Exception as exc:  # our fault: isolate it to this question and say so
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return QuestionResult(
            question.id, question.number, question.title, float(question.points), 0.0, Status.GRADER_ERROR,
            "The grader failed on this question (not your fault); it will be graded by hand.",
            answer_excerpt=_excerpt(region), tags=question.tags, expected=question.expected,
            grader_error=detail, needs_review=True, confidence=0.0, **where,
        )
    confidence = min((c.confidence for c in checks), default=1.0)
    return build_result(question, checks, hits, caps, answer_excerpt=_excerpt(region), confidence=confidence,
                        needs_review=confidence < review_below, **where)


def grade_document(doc: Document, rubric: Rubric, notes: tuple[str, ...] = ()) -> Result:
    from grader.segment import segment

    regions = segment(doc, rubric)
    aliases = declared_aliases(doc.blocks, rubric.notation)  # "S is the covariance Σ": S_34 reads as Σ_34
    typos = {**rubric.typos, **aliases}
    questions = tuple(grade_question(q, regions[q.id], rubric.review_below, typos) for q in rubric.questions)
    if aliases:
        notes = tuple(notes) + ("Your notation was read as you declared it (" + ", ".join(
            f"{letter}: {rubric.notation[symbol][0]}" for letter, symbol in sorted(aliases.items())) + ").",)
    if doc.review:  # part of the file could not be read (a scanned page): a lost point may be in that part
        questions = tuple(q if q.status is Status.CORRECT else _left_for_review(q, doc.review) for q in questions)
    # An answer no label named was taken by its place in the file: a lost point may be the wrong paragraph's.
    questions = tuple(_left_for_review(q, (BY_ORDER_REVIEW,)) if regions[q.question_id].by_order and q.status is not
                      Status.CORRECT and not q.needs_review else q for q in questions)
    return Result(doc.name, rubric.id, rubric.title, questions, notes=tuple(notes) + doc.notes,
                  show_expected=rubric.show_expected, feedback_visibility=rubric.feedback_visibility)


BY_ORDER_REVIEW = "no label names this question in the file, so its answer was taken by the order of the answers"


def _left_for_review(q: QuestionResult, reasons: tuple[str, ...]) -> QuestionResult:
    why = "; ".join(reasons[:3]) + ("; …" if len(reasons) > 3 else "")
    return replace(q, needs_review=True, summary=f"{q.summary} A person will check it: {why}.")


def failed_result(submission: str, error: str, rubric: Rubric | None = None) -> Result:
    """A result for a submission nothing could be graded in: every question 0, the reason said."""
    questions = ()
    if rubric is not None:
        questions = tuple(
            QuestionResult(q.id, q.number, q.title, float(q.points), 0.0, Status.UNREADABLE, error, tags=q.tags)
            for q in rubric.questions
        )
    if rubric is None:
        return Result(submission, "", "", questions, error=error)
    return Result(submission, rubric.id, rubric.title, questions, error=error, show_expected=rubric.show_expected,
                  feedback_visibility=rubric.feedback_visibility)
