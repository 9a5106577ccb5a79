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

import pytest
from heldout_sets import assert_graded_without_error, assert_manifest_matches, case_path, cases, grade_all, totals

SET = "heldout3"
CASES = cases(SET)

AGREEMENT_AT_LEAST = 51  # of 52 question-instances
MUST_FIRE_AT_LEAST = 13  # of 13 required misconception reports
FALSE_ALARMS_AT_MOST = 1


@pytest.fixture(scope="module")
def graded():
    return grade_all(SET)


def test_the_manifest_names_existing_files_and_real_questions(graded):
    assert len(CASES) == 8
    assert sorted(c["rubric"] for c in CASES) == ["basic-knowledge"] * 4 + ["gaussian-em"] * 4
    assert {c["format"] for c in CASES} == {"md", "txt", "ipynb", "tex"}
    assert all(case_path(SET, c).suffix == "." + c["format"] for c in CASES)
    assert_manifest_matches(SET, graded)


@pytest.mark.parametrize("case", CASES, ids=[c["file"].split(":", 1)[1] for c in CASES])
def test_nothing_crashes(case, graded):
    assert_graded_without_error(case, graded[case["file"]])


def test_agreement_with_the_ta_stays_at_todays_level(graded):
    agree, questions, fired, required, false_alarms = totals(CASES, graded)
    assert (questions, required) == (52, 13)
    assert agree >= AGREEMENT_AT_LEAST, f"agreement {agree}/{questions}"
    assert fired >= MUST_FIRE_AT_LEAST, f"must-fire recall {fired}/{required}"
    assert false_alarms <= FALSE_ALARMS_AT_MOST, f"false alarms {false_alarms}"
