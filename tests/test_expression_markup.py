"""Leftover markup around an expression (HTML tags, footnote markers, \\tag / \\label / \\nonumber) is not maths:
the expression is read as if it were not there, and offsets still point into the original text."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.extract.expressions import final_expression
from grader.grade import grade_document
from grader.mathexpr.layout import blank_markup, strip_layout
from grader.model import Status
from grader.read import read_submission
from grader.rubric import load_rubric

HERE = Path(__file__).parent / "fixtures" / "markup"
# file -> (score of question 1, the misconceptions): XA is the trace-depends-on-X answer, A^T the right one
EXPECTED = {
    "html_bold_footnote.md": (0, {"trace.depends-on-x"}),
    "html_br.md": (0, {"trace.depends-on-x"}),
    "tag_in_display.md": (0, {"trace.depends-on-x"}),
    "footnote_in_math.md": (5, set()),
    "align_label.md": (5, set()),
}


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("basic-knowledge")


def test_every_fixture_is_listed():
    assert sorted(p.name for p in HERE.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_markup_does_not_make_the_answer_unreadable(name, rubric):
    q1 = grade_document(read_submission(HERE / name), rubric).questions[0]
    score, ids = EXPECTED[name]
    assert q1.status is not Status.UNREADABLE and "could not read" not in q1.summary
    assert q1.score == score and {m.id for m in q1.misconceptions} == ids


@pytest.mark.parametrize("text, value", [
    ("$$X = A^T \\tag{3}$$", "A^T"),
    ("$$X = A^T \\label{eq:x} \\nonumber$$", "A^T"),
    ("<b>$X = A^T$</b>", "A^T"),
    ("$X = A^T[^1]$", "A^T"),
])
def test_final_expression_skips_markup(text, value):
    found = final_expression(text)
    assert found is not None and found.value.strip() == value
    assert text[found.start:found.end].strip() == value  # offsets into the original text


@pytest.mark.parametrize("text", ["a < b", "x<y>z", "$P(x<b)$", "[1, 2]", "A^{-1}"])
def test_maths_that_looks_like_markup_is_kept(text):
    assert blank_markup(text) == text and strip_layout(text).strip() == text


def test_an_equation_number_is_no_value(tmp_path):
    # "μ2 = … = 0.96 \tag{6}": the 6 numbers the equation, it is not the mean
    path = Path(__file__).parent / "fixtures" / "markup_values" / "tagged_means.tex"
    q = next(q for q in grade_document(read_submission(path), load_rubric("gaussian-em")).questions
             if q.question_id == "2a")
    assert q.score == q.points, q.summary


@pytest.mark.parametrize("text, value", [
    ("adj(X)<sup>T</sup>", "adj(X)^{T}"),
    ("Q<sub>34</sub> = 0", "Q_{34} = 0"),
])
def test_html_scripts_become_latex_scripts(text, value):
    out = blank_markup(text)
    assert len(out) == len(text) and out.split() == value.split()
