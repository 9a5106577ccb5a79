"""Assertions shared by the homeworks' tests: a graded submission against a TA's expected grades.

A rubric's tests (see docs/writing-a-rubric.md) list, per submission, each question's expected
fraction of its points, the misconception ids that must fire (and no others) and its status.
"""

from __future__ import annotations

import pytest

from grader.model import QuestionResult, Result


def by_question(result: Result) -> dict[str, QuestionResult]:
    return {q.question_id: q for q in result.questions}


def assert_grades(result: Result, expected: dict[str, tuple[float, set[str], str]]) -> None:
    """Every question of ``result`` scores ``fraction`` of its points, flags exactly ``ids``, has ``status``."""
    assert result.graded, result.error
    got = by_question(result)
    assert set(got) == set(expected)
    for qid, (fraction, flags, status) in expected.items():
        q = got[qid]
        assert q.score == pytest.approx(fraction * q.points), (qid, q.summary)
        assert {m.id for m in q.misconceptions} == flags, qid
        assert q.status.value == status, qid
