"""Shared by the held-out tests: a set's manifest, its files and its agreement with the TA, counted as the agreement
tool (../shared/tools/agreement.py) counts it."""

from __future__ import annotations

import json
from pathlib import Path

from grader.model import Status
from grader.pipeline import grade as grade_file

FIXTURES = Path(__file__).parent / "fixtures"


def cases(name: str) -> list[dict]:
    """The cases of ``tests/fixtures/NAME/manifest.json``."""
    return json.loads((FIXTURES / name / "manifest.json").read_text(encoding="utf-8"))["cases"]


def case_path(name: str, case: dict) -> Path:
    kind, file = case["file"].split(":", 1)
    assert kind == "crafted"
    return FIXTURES / name / file


def grade_all(name: str) -> dict[str, object]:
    """Each case's file graded with its rubric, by the case's file entry."""
    return {case["file"]: grade_file(case_path(name, case), case["rubric"]) for case in cases(name)}


def compare(case: dict, result) -> tuple[int, int, int, int, int]:
    """(agreeing questions, questions, required ids reported, required ids, false alarms): a score agrees when its
    fraction lies in [lo, hi]; an id is a false alarm when it is neither required nor allowed for its question."""
    got = {q.question_id: q for q in result.questions}
    agree = fired = required = false_alarms = 0
    for qid, (lo, hi) in case["expect"].items():
        q = got[qid]
        fraction = q.score / q.points if q.points else 0.0
        agree += lo - 1e-9 <= fraction <= hi + 1e-9
        flags = {m.id for m in q.misconceptions}
        must = set(case["fire"].get(qid, []))
        fired += len(must & flags)
        required += len(must)
        false_alarms += len(flags - must - set(case.get("allow", {}).get(qid, [])))
    return agree, len(case["expect"]), fired, required, false_alarms


def totals(all_cases: list[dict], graded: dict) -> tuple[int, int, int, int, int]:
    """compare() summed over a set."""
    sums = [0, 0, 0, 0, 0]
    for case in all_cases:
        for k, n in enumerate(compare(case, graded[case["file"]])):
            sums[k] += n
    return tuple(sums)


def assert_manifest_matches(name: str, graded: dict) -> None:
    """Every case names an existing file and the real questions of its rubric."""
    for case in cases(name):
        assert case_path(name, case).is_file(), case["file"]
        questions = {q.question_id for q in graded[case["file"]].questions}
        assert set(case["expect"]) == questions, case["file"]
        assert set(case["fire"]) <= questions and set(case.get("allow", {})) <= questions, case["file"]


def assert_graded_without_error(case: dict, result) -> None:
    assert result.graded, result.error
    assert result.rubric_id == case["rubric"]
    errors = [(q.question_id, q.grader_error) for q in result.questions if q.status is Status.GRADER_ERROR]
    assert not errors
