"""Q3: the student's own gain J is the one their mean and covariance are evaluated with, wherever it is defined:
in align* with \\tag / \\label / \\nonumber, inside \\textbf, or typed in a sentence with Unicode ᵀ and ⁻¹."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.grade import grade_document
from grader.mathexpr import find_definitions
from grader.read import read_submission
from grader.rubric import load_rubric

HERE = Path(__file__).parent / "fixtures" / "own_gain"
FILES = sorted(p.name for p in HERE.iterdir())


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("basic-knowledge")


def q3(path: Path, rubric):
    graded = grade_document(read_submission(path), rubric)
    return {q.question_id: q for q in graded.questions if q.question_id.startswith("q3")}


def test_there_are_layouts():
    assert len(FILES) >= 4


@pytest.mark.parametrize("name", FILES)
def test_a_gain_without_the_noise_is_found_in_every_layout(name, rubric):
    for qid, q in q3(HERE / name, rubric).items():
        assert q.score == 0 and {m.id for m in q.misconceptions} == {"posterior.cov-missing-noise"}, qid


@pytest.mark.parametrize("name", FILES)
def test_the_same_layout_with_the_noise_is_right(name, rubric, tmp_path):
    text = (HERE / name).read_text(encoding="utf-8")
    fixed = (text.replace("(L K L^\\top)", "(\\Sigma + L K L^\\top)").replace("(L K Lᵀ)", "(Σ + L K Lᵀ)")
             .replace("(LKLᵀ)", "(Σ + LKLᵀ)"))
    assert fixed != text
    path = tmp_path / name
    path.write_text(fixed, encoding="utf-8")
    for qid, q in q3(path, rubric).items():
        if qid == "q3-cov" or "prose" not in name:  # a mean inside a sentence is not read yet
            assert q.score == q.points and not q.misconceptions, qid


@pytest.mark.parametrize("text, name, rhs", [
    ("$$\\begin{align*} J &= K L^T (L K L^T)^{-1} \\tag{a} \\label{eq:j}\\\\ C &= K \\end{align*}$$", "J",
     "K L^T (L K L^T)^{-1}"),
    ("Let J = K L^T (Sigma + L K L^T)^{-1}.", "J", "K L^T (Sigma + L K L^T)^{-1}"),
    ("With P = (K^{-1} + L^T L)^{-1} the mean is P L^T u.", "P", "(K^{-1} + L^T L)^{-1}"),
])
def test_definitions_skip_layout_and_lead_words(text, name, rhs):
    assert find_definitions(text, None).get(name) == rhs


def test_a_sentence_is_not_a_definition():
    # "The result = …" names no symbol: nothing is defined
    assert find_definitions("The answer is that J = the gain we found.", None) == {}
