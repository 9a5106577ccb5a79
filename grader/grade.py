"""Grade: run a rubric's checks and misconception detectors over a segmented document.

This is the pipeline's middle (segment → check → score). Each question is graded on its own:
an exception inside one checker marks that question "grader error" (ours, never the student's)
and the other questions are graded as usual.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from grader.checkers import registry
from grader.model import CheckResult, Document, MisconceptionHit, Outcome, QuestionResult, Region, Result, Status
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


def _run(call, text: str) -> Outcome:
    return registry.call(registry.get(call.checker), text, call.params)


def _best(calls, text: str) -> Outcome:
    """The best outcome among a check's alternatives (the first one when none earns anything)."""
    outcomes = [_run(c, text) for c in calls]
    return max(outcomes, key=lambda o: o.fraction) if any(o.fraction > 0 for o in outcomes) else outcomes[0]


def _passes(call, text: str) -> Outcome | None:
    outcome = _run(call, text)
    return outcome if outcome.fraction >= 1.0 - 1e-9 else None


def _fires(misconception: Misconception, text: str) -> MisconceptionHit | None:
    """All of ``all_of``, at least one of ``any_of`` (if any), none of ``none_of``."""
    evidence = []
    for call in misconception.all_of:
        outcome = _passes(call, text)
        if outcome is None:
            return None
        evidence.append(outcome.evidence)
    if misconception.any_of:
        hit = next((o for c in misconception.any_of if (o := _passes(c, text))), None)
        if hit is None:
            return None
        evidence.append(hit.evidence)
    if any(_passes(call, text) for call in misconception.none_of):
        return None
    shown = next((e for e in evidence if e), "")
    return MisconceptionHit(misconception.id, misconception.feedback, misconception.deduction, shown)


def _excerpt(region: Region) -> str:
    text = region.text()
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + " […]"


def grade_question(question: Question, region: Region, review_below: float = 0.6) -> QuestionResult:
    where = {"origin": region.origin, "how_found": region.how}
    if not region.found:
        pasted = " (only the question's text was found there)" if region.statement_blocks else ""
        return QuestionResult(
            question.id, question.number, question.title, float(question.points), 0.0, Status.NOT_FOUND,
            f"No answer found for {question.title}{pasted}.", tags=question.tags, expected=question.expected,
            **where,
        )
    text = region.text()
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
            outcome = _best(check.calls, text)
            fraction = min(max(float(outcome.fraction), 0.0), 1.0)
            earned = round(check.points * fraction, 4)
            full = earned >= check.points - 1e-9
            note = check.pass_text if full else check.fail_text
            message = " ".join(m for m in (outcome.message, note) if m)
            status = _check_status(outcome.found, outcome.readable, earned, check.points)
            checks.append(CheckResult(check.id, float(check.points), earned, message, outcome.evidence, status,
                                      float(outcome.confidence)))
        hits = [h for m in question.misconceptions if (h := _fires(m, text))]
        fired = {h.id for h in hits}  # a missing element that a more basic error explains is not reported
        explained = {m.id: set(m.explained_by) for m in question.misconceptions}
        hits = [h for h in hits if not fired & explained[h.id]]
    except Exception as exc:  # our fault: isolate it to this question and say so
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return QuestionResult(
            question.id, question.number, question.title, float(question.points), 0.0, Status.GRADER_ERROR,
            "The grader failed on this question (not your fault); it will be graded by hand.",
            answer_excerpt=_excerpt(region), tags=question.tags, expected=question.expected,
            grader_error=detail, needs_review=True, confidence=0.0, **where,
        )
    caps = [m.max_fraction for m in question.misconceptions if m.max_fraction is not None and any(h.id == m.id for h in hits)]
    confidence = min((c.confidence for c in checks), default=1.0)
    return build_result(question, checks, hits, caps, answer_excerpt=_excerpt(region), confidence=confidence,
                        needs_review=confidence < review_below, **where)


def grade_document(doc: Document, rubric: Rubric, notes: tuple[str, ...] = ()) -> Result:
    from grader.segment import segment

    regions = segment(doc, rubric)
    questions = tuple(grade_question(q, regions[q.id], rubric.review_below) for q in rubric.questions)
    return Result(doc.name, rubric.id, rubric.title, questions, notes=tuple(notes) + doc.notes)


def failed_result(submission: str, error: str, rubric: Rubric | None = None) -> Result:
    """A result for a submission nothing could be graded in: every question 0, the reason said."""
    questions = ()
    if rubric is not None:
        questions = tuple(
            QuestionResult(q.id, q.number, q.title, float(q.points), 0.0, Status.UNREADABLE, error, tags=q.tags)
            for q in rubric.questions
        )
    return Result(
        submission, rubric.id if rubric else "", rubric.title if rubric else "", questions, error=error
    )


def grade_file(path: Path, rubric_name: str | None = None) -> Result:
    """Read, recognise (unless a rubric is named) and grade one submission file."""
    from grader.read import UnreadableSubmission, read_submission
    from grader.recognize import RecognitionError, choose_rubric
    from grader.rubric import load_rubric

    rubric = load_rubric(rubric_name) if rubric_name else None
    try:
        doc = read_submission(Path(path))
    except UnreadableSubmission as exc:
        return failed_result(Path(path).name, str(exc), rubric)
    notes: tuple[str, ...] = ()
    if rubric is None:
        try:
            rubric, why = choose_rubric(doc)
        except RecognitionError as exc:
            return failed_result(doc.name, str(exc))
        notes = (why,)
    return grade_document(doc, rubric, notes)
