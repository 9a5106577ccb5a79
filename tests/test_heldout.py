"""The held-out set: submissions in layouts, wordings and mistakes the grader was not tuned on, with a
careful TA's grades in tests/fixtures/heldout/manifest.json (the format of the agreement tool's manifests).

It measures how the grader generalises, so its thresholds (below) are the level the grader has reached: they
protect what works today. Raise them when the grader improves; a drop is a regression.
"""

from __future__ import annotations

import pytest
from heldout_sets import assert_graded_without_error, assert_manifest_matches, cases, grade_all, totals

SET = "heldout"
CASES = cases(SET)

AGREEMENT_AT_LEAST = 104  # of 104 question-instances
MUST_FIRE_AT_LEAST = 50  # of 50 required misconception reports
FALSE_ALARMS_AT_MOST = 0


@pytest.fixture(scope="module")
def graded():
    return grade_all(SET)


def test_the_manifest_names_existing_files_and_real_questions(graded):
    assert len(CASES) == 16
    assert {c["rubric"] for c in CASES} == {"gaussian-em", "basic-knowledge"}
    assert_manifest_matches(SET, graded)


@pytest.mark.parametrize("case", CASES, ids=[c["file"].split(":", 1)[1] for c in CASES])
def test_nothing_crashes(case, graded):
    assert_graded_without_error(case, graded[case["file"]])


def test_agreement_with_the_ta_stays_at_todays_level(graded):
    agree, questions, fired, required, false_alarms = totals(CASES, graded)
    assert (questions, required) == (104, 50)
    assert agree >= AGREEMENT_AT_LEAST, f"agreement {agree}/{questions}"
    assert fired >= MUST_FIRE_AT_LEAST, f"must-fire recall {fired}/{required}"
    assert false_alarms <= FALSE_ALARMS_AT_MOST, f"false alarms {false_alarms}"


def test_every_misconception_is_required_somewhere():
    """The set exercises the whole misconception catalogue of both rubrics, not only the easy ids."""
    from grader.rubric import load_rubric

    required = {i for case in CASES for ids in case["fire"].values() for i in ids}
    for name in ("gaussian-em", "basic-knowledge"):
        declared = {m.id for q in load_rubric(name).questions for m in q.misconceptions}
        assert declared <= required, sorted(declared - required)
