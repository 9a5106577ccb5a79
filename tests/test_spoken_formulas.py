"""Formulas said in words in a plain-text answer ("the transpose of A", "mu plus J times (u minus L mu minus m)"):
the rewrite into symbols, what it leaves alone, and whole submissions typed without a symbol graded as the same
answers in symbols would be."""

from __future__ import annotations

import pytest

from grader.grade import grade_document
from grader.mathexpr.defs import find_definitions
from grader.mathexpr.spoken import spoken_forms
from grader.read import read_text
from grader.rubric import load_rubric

from grading_asserts import by_question


@pytest.mark.parametrize("said, written", [
    ("the gradient is the transpose of A", "the gradient is A^T"),
    ("det of X times the inverse transpose of X", "det(X) X^{-T}"),
    ("the determinant of X multiplied by the transpose of X inverse", "det(X) (X^{-1})^T"),
    ("the inverse of (Sigma plus L K L-transpose)", "(Sigma + L K L^T)^{-1}"),
    ("mu plus J times (u minus L mu minus m)", "mu + J (u - L mu - m)"),
    ("K minus J L K transpose", "K - J L K^T"),
    ("X inverse transpose", "X^{-T}"),
    ("Let J be K L-transpose times S inverse", "Let J = K L^T S^{-1}"),
    ("the means go to plus or minus 1", "the means go to ± 1"),
    # the course's other languages
    ("le gradient est la transposée de A", "le gradient est A^T"),
    ("det de X fois la transposée de X inverse", "det(X) (X^{-1})^T"),
    ("die Transponierte von A", "A^T"),
    ("mu più J per (u meno L mu meno m)", "mu + J (u - L mu - m)"),
    ("K menos J L K", "K - J L K"),
    ("o gradiente é a transposta de A", "o gradiente é A^T"),
])
def test_a_formula_said_in_words_is_written_in_symbols(said, written):
    assert spoken_forms(said) == written


@pytest.mark.parametrize("words", [
    "we ran EM three times and the means moved",  # "three times" is no product
    "the transpose of the cofactor matrix is the adjugate",  # no symbol named
    "the noise term plus the signal",  # words on both sides of "plus"
    "u = L v + m",  # already in symbols
    "la respuesta está mal hecha",  # "mal" between words is no product
])
def test_words_that_say_no_formula_are_left_alone(words):
    assert spoken_forms(words) == words


def test_a_definition_said_in_words_defines_its_symbol():
    text = "Let G be K L-transpose times the inverse of (L K L-transpose plus Sigma).\nmean: mu plus G times (u minus m)"
    assert find_definitions(text)["G"].replace(" ", "") == \
        "KL^T(LKL^T+Sigma)^{-1}"


WORDS = """Homework answers (no symbols on this keyboard)

Problem 1
d/dX of the trace of X A: only the entry A_ji survives when differentiating by X_ij.
Final: the transpose of A.

Problem 2
By Jacobi's formula the derivative of det X in the direction H is det X times trace(X^-1 H).
So the gradient equals det of X times the transpose of X inverse.

Problem 3
Cross covariance K L-transpose; covariance of u is L K L-transpose plus Sigma.
Let G be K L-transpose times the inverse of (L K L-transpose plus Sigma).
Posterior mean: mu plus G times (u minus L mu minus m)
Posterior covariance: K minus G L K
"""


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("basic-knowledge")


def test_a_submission_without_symbols_is_graded_like_one_with_them(rubric):
    got = by_question(grade_document(read_text(WORDS, "answers.txt"), rubric))
    for qid in ("q1", "q2", "q3-mean", "q3-cov"):
        assert got[qid].score == got[qid].points, (qid, got[qid].summary)
        assert not got[qid].misconceptions, qid


def test_a_wrong_formula_said_in_words_is_flagged(rubric):
    wrong = WORDS.replace("the transpose of X inverse", "X inverse")
    q2 = by_question(grade_document(read_text(wrong, "answers.txt"), rubric))["q2"]
    assert q2.score < q2.points / 2
    assert "det.missing-transpose" in {m.id for m in q2.misconceptions}


def test_a_remark_in_brackets_said_in_words_is_not_the_answer(rubric):
    text = WORDS.replace("Final: the transpose of A.", "dTr(XA)/dX = A'\n\n(A' = A transpose.)")
    q1 = by_question(grade_document(read_text(text, "answers.txt"), rubric))["q1"]
    assert q1.score == q1.points
    assert "A'" in q1.summary
