"""The third held-out set: eight submissions in layouts, wordings and mistakes that differ from the tuning corpus
and from the first two held-out sets (dotted "Ex1.a" labels, an e-mail with "Solution to problem 2, part c"
headings, a notebook with "#### (c)" headings whose answers are partly printed by code cells, the LaTeX exam class
with \\question / \\part and solution environments, a custom solution environment and a user macro for the
transpose, Matlab-style primes, "Exercise 1 (i)" numbering, Unicode subscripts, blank answers), with a careful TA's
grades in tests/fixtures/heldout3/manifest.json (the format of the agreement tool's manifests).

It measures how the grader generalises, so its thresholds (below) are the level the grader has reached: they
protect what works today. Raise them when the grader improves; a drop is a regression.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.model import Status
from grader.pipeline import grade as grade_file

HELDOUT = Path(__file__).parent / "fixtures" / "heldout3"
MANIFEST = json.loads((HELDOUT / "manifest.json").read_text(encoding="utf-8"))
CASES = MANIFEST["cases"]

AGREEMENT_AT_LEAST = 50  # of 52 question-instances
MUST_FIRE_AT_LEAST = 12  # of 13 required misconception reports
FALSE_ALARMS_AT_MOST = 2


def _path(case: dict) -> Path:
    kind, name = case["file"].split(":", 1)
    assert kind == "crafted"
    return HELDOUT / name


def _compare(case: dict, result) -> tuple[int, int, int, int, int]:
    """(agreeing questions, questions, required ids reported, required ids, false alarms), counted as the
    agreement tool counts them: a score agrees when its fraction lies in [lo, hi]; an id is a false alarm
    when it is neither required nor allowed for its question."""
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


@pytest.fixture(scope="module")
def graded():
    return {case["file"]: grade_file(_path(case), case["rubric"]) for case in CASES}


def test_the_manifest_names_existing_files_and_real_questions(graded):
    assert len(CASES) == 8
    assert sorted(c["rubric"] for c in CASES) == ["basic-knowledge"] * 4 + ["gaussian-em"] * 4
    assert {c["format"] for c in CASES} == {"md", "txt", "ipynb", "tex"}
    for case in CASES:
        assert _path(case).is_file(), case["file"]
        assert _path(case).suffix == "." + case["format"], case["file"]
        questions = {q.question_id for q in graded[case["file"]].questions}
        assert set(case["expect"]) == questions, case["file"]
        assert set(case["fire"]) <= questions and set(case.get("allow", {})) <= questions, case["file"]


@pytest.mark.parametrize("case", CASES, ids=[c["file"].split(":", 1)[1] for c in CASES])
def test_nothing_crashes(case, graded):
    result = graded[case["file"]]
    assert result.graded, result.error
    assert result.rubric_id == case["rubric"]
    errors = [(q.question_id, q.grader_error) for q in result.questions if q.status is Status.GRADER_ERROR]
    assert not errors


def test_agreement_with_the_ta_stays_at_todays_level(graded):
    totals = [0, 0, 0, 0, 0]
    for case in CASES:
        for k, n in enumerate(_compare(case, graded[case["file"]])):
            totals[k] += n
    agree, questions, fired, required, false_alarms = totals
    assert (questions, required) == (52, 13)
    assert agree >= AGREEMENT_AT_LEAST, f"agreement {agree}/{questions}"
    assert fired >= MUST_FIRE_AT_LEAST, f"must-fire recall {fired}/{required}"
    assert false_alarms <= FALSE_ALARMS_AT_MOST, f"false alarms {false_alarms}"
