"""The real submissions in ../shared/seeds, graded as ANSWER_KEY.md says a careful TA would."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.pipeline import grade as grade_file

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
GAUSSIAN_EM = SEEDS / "004_2c6ebea7288b07f1.txt"

# question → (lowest fraction, highest fraction, misconceptions that must fire and no others)
EXPECTED_004 = {
    "1a": (1.0, 1.0, set()),
    "1b": (0.75, 0.75, {"condcov.wrong-variables"}),
    "1c": (1.0, 1.0, set()),
    "1d": (1.0, 1.0, set()),
    "2a": (1.0, 1.0, set()),
    "2b": (0.0, 0.0, {"em.converges-to-data"}),
    "2c": (1.0, 1.0, set()),
    "2d": (1.0, 1.0, set()),
}


@pytest.mark.skipif(not GAUSSIAN_EM.exists(), reason=f"the seed submissions are not here ({SEEDS} is absent)")
def test_gaussian_em_seed_without_a_rubric():
    result = grade_file(GAUSSIAN_EM)
    assert result.rubric_id == "gaussian-em"
    got = {q.question_id: q for q in result.questions}
    assert set(got) == set(EXPECTED_004)
    for qid, (low, high, flags) in EXPECTED_004.items():
        q = got[qid]
        assert low * q.points - 1e-9 <= q.score <= high * q.points + 1e-9, (qid, q.score, q.summary)
        assert {m.id for m in q.misconceptions} == flags, qid
    assert result.score == pytest.approx(33.75)
