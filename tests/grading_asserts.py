"""Assertions shared by the homeworks' tests: a graded submission against a TA's expected grades.

A rubric's tests (see docs/writing-a-rubric.md) list, per submission, each question's expected
fraction of its points, the misconception ids that must fire (and no others) and its status.
"""

from __future__ import annotations

import pytest

from grader.model import QuestionResult, Result, Status
from grader.rubric import Rubric

SCORE_ROUNDING = 5e-5  # scores are reported to four decimals


def by_question(result: Result) -> dict[str, QuestionResult]:
    return {q.question_id: q for q in result.questions}


def assert_grades(result: Result, expected: dict[str, tuple[float, set[str], str]]) -> None:
    """Every question of ``result`` scores ``fraction`` of its points, flags exactly ``ids``, has ``status``."""
    assert result.graded, result.error
    got = by_question(result)
    assert set(got) == set(expected)
    for qid, (fraction, flags, status) in expected.items():
        q = got[qid]
        assert q.score == pytest.approx(fraction * q.points, abs=SCORE_ROUNDING), (qid, q.summary)
        assert {m.id for m in q.misconceptions} == flags, qid
        assert q.status.value == status, qid


def assert_only_question(result: Result, qid: str, fraction: float, flags: set[str]) -> QuestionResult:
    """A one-question submission: ``qid`` scores ``fraction`` of its points and flags exactly ``flags``;
    every other question found no answer, scored 0 and flagged nothing."""
    got = by_question(result)
    q = got[qid]
    assert q.score == pytest.approx(fraction * q.points, abs=SCORE_ROUNDING), [(c.check_id, c.earned, c.message) for c in q.checks]
    assert {m.id for m in q.misconceptions} == flags
    others = [o for o in got.values() if o.question_id != qid]
    assert all(o.status is Status.NOT_FOUND and o.score == 0 and not o.misconceptions for o in others)
    return q


def assert_every_misconception_exercised(rubric: Rubric, one_question: list[tuple], layouts: dict) -> None:
    """Each misconception the rubric declares fires somewhere in the tests' tables (rows end with their ids)."""
    declared = {m.id for q in rubric.questions for m in q.misconceptions}
    exercised = set().union(*(row[-1] for row in one_question))
    for layout in layouts.values():
        exercised |= set().union(*(flags for _, flags, _ in layout.values()))
    assert declared == exercised, declared ^ exercised
