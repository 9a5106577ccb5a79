"""Score: from the checks' results and the misconceptions that fired to one question's result.

Pure arithmetic, no text parsing:  score = Σ earned − Σ deductions, capped by the smallest
``max_fraction`` of the fired misconceptions, clipped to [0, points], rounded to 4 decimals so
that a regrade prints the same bytes.
"""

from __future__ import annotations

from grader.model import CheckResult, MisconceptionHit, QuestionResult, Status
from grader.rubric import Question


def question_score(points: float, checks: list[CheckResult], hits: list[MisconceptionHit], caps: list[float]) -> float:
    score = sum(c.earned for c in checks) - sum(h.deduction for h in hits)
    for cap in caps:
        score = min(score, cap * points)
    return round(min(max(score, 0.0), points), 4)


def question_status(points: float, score: float, checks: list[CheckResult]) -> Status:
    if score >= points - 1e-9:
        return Status.CORRECT
    if checks and all(c.status is Status.NOT_FOUND for c in checks):
        return Status.NOT_FOUND
    if score <= 1e-9:
        if any(c.status is Status.UNREADABLE for c in checks):
            return Status.UNREADABLE
        return Status.WRONG
    return Status.PARTIAL


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    cut = text.find(". ")
    return text if cut < 0 else text[: cut + 1]


def summarize(status: Status, checks: list[CheckResult], hits: list[MisconceptionHit]) -> str:
    """One line saying why the question got its score."""
    if hits:
        return _first_sentence(hits[0].feedback)
    if status is Status.CORRECT:
        return _first_sentence(checks[0].message) if checks and checks[0].message else "Correct."
    lost = [c for c in checks if c.earned < c.points]
    return _first_sentence(lost[0].message) if lost and lost[0].message else status.value.replace("_", " ")


def build_result(
    question: Question,
    checks: list[CheckResult],
    hits: list[MisconceptionHit],
    caps: list[float],
    **fields,
) -> QuestionResult:
    score = question_score(question.points, checks, hits, caps)
    status = question_status(question.points, score, checks)
    return QuestionResult(
        question_id=question.id,
        number=question.number,
        title=question.title,
        points=float(question.points),
        score=float(score),
        status=status,
        summary=summarize(status, checks, hits),
        checks=tuple(checks),
        misconceptions=tuple(hits),
        tags=question.tags,
        expected=question.expected,
        **fields,
    )
