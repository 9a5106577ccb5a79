import pytest

from grader.model import CheckResult, MisconceptionHit, Status
from grader.score import question_score, question_status


def check(points, earned, status=Status.CORRECT):
    return CheckResult("c", points, earned, "", "", status)


@pytest.mark.parametrize(
    "checks,deductions,caps,expected",
    [
        ([check(2.5, 2.5), check(2.5, 2.5)], [1.25], [], 3.75),
        ([check(2.5, 2.5), check(2.5, 0)], [], [], 2.5),
        ([check(5, 5)], [], [0.0], 0.0),
        ([check(5, 1)], [3.0], [], 0.0),  # never below zero
        ([check(5, 5)], [], [0.5, 0.8], 2.5),
    ],
)
def test_question_score(checks, deductions, caps, expected):
    hits = [MisconceptionHit("m", "", d) for d in deductions]
    assert question_score(5.0, checks, hits, caps) == expected


@pytest.mark.parametrize(
    "score,checks,status",
    [
        (5.0, [check(5, 5)], Status.CORRECT),
        (2.5, [check(5, 2.5, Status.PARTIAL)], Status.PARTIAL),
        (0.0, [check(5, 0, Status.WRONG)], Status.WRONG),
        (0.0, [check(5, 0, Status.NOT_FOUND)], Status.NOT_FOUND),
        (0.0, [check(5, 0, Status.UNREADABLE)], Status.UNREADABLE),
    ],
)
def test_question_status(score, checks, status):
    assert question_status(5.0, score, checks) is status
