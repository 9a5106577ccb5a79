"""The fourth held-out set: eight submissions written the way ordinary students write homework (Markdown and
notebooks mostly, one LaTeX, one plain text; usual labels; mostly right answers with a realistic mistake or two, one
partial answer), with a careful TA's grades in tests/fixtures/heldout4/manifest.json. Written last and not tuned on:
it is the freshest measure of how the grader does on unseen submissions. Its thresholds (below) are the level
reached when it was written; raise them when the grader improves.
"""

from __future__ import annotations

import pytest
from heldout_sets import assert_graded_without_error, assert_manifest_matches, cases, grade_all, totals

SET = "heldout4"
CASES = cases(SET)

AGREEMENT_AT_LEAST = 48  # of 52 question-instances
MUST_FIRE_AT_LEAST = 9  # of 10 required misconception reports
FALSE_ALARMS_AT_MOST = 1


@pytest.fixture(scope="module")
def graded():
    return grade_all(SET)


def test_the_manifest_names_existing_files_and_real_questions(graded):
    assert len(CASES) == 8
    assert sorted(c["rubric"] for c in CASES) == ["basic-knowledge"] * 4 + ["gaussian-em"] * 4
    assert_manifest_matches(SET, graded)


@pytest.mark.parametrize("case", CASES, ids=[c["file"].split(":", 1)[1] for c in CASES])
def test_nothing_crashes(case, graded):
    assert_graded_without_error(case, graded[case["file"]])


def test_agreement_with_the_ta_stays_at_todays_level(graded):
    agree, questions, fired, required, false_alarms = totals(CASES, graded)
    assert (questions, required) == (52, 10)
    assert agree >= AGREEMENT_AT_LEAST, f"agreement {agree}/{questions}"
    assert fired >= MUST_FIRE_AT_LEAST, f"must-fire recall {fired}/{required}"
    assert false_alarms <= FALSE_ALARMS_AT_MOST, f"false alarms {false_alarms}"
