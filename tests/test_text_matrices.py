"""Matrices typed as plain text over several lines, and a covariance matrix an answer states entry by entry."""

from __future__ import annotations

import numpy as np
import pytest

from grader.extract.answer import Answer
from grader.extract.matrices import final_matrix, find_matrices
from grader.extract.text_matrices import text_matrices


@pytest.mark.parametrize("text, expected", [
    # one bracket around rows on separate lines
    ("Cov(Z) = [ 1.25  -0.40\n          -0.40   2.10 ]", [[1.25, -0.40], [-0.40, 2.10]]),
    ("[3 1 0\n 1 3 1\n 0 1 3]", [[3, 1, 0], [1, 3, 1], [0, 1, 3]]),
    ("M = [0.5, 0.1;\n     0.1, 0.7]", [[0.5, 0.1], [0.1, 0.7]]),  # rows split by ";" and a newline
    # one delimited row per line, the name beside any one of them, a spacer line between
    ("B = [ 4  2 ]\n    [ 2  5 ]", [[4, 2], [2, 5]]),
    ("| 1,5   -0,2 |\nC = |            |\n| -0,2   0,8 |", [[1.5, -0.2], [-0.2, 0.8]]),  # decimal commas
    ("| 7  1 |\n| 1  9 |.", [[7, 1], [1, 9]]),
    # rows in round brackets separated by ";", and rows of numbers alone under a line that ends with "=" or ":"
    ("Cov(Z) = (1.25 -0.4; -0.4 2.1)", [[1.25, -0.4], [-0.4, 2.1]]),
    ("Cov(Z) =\n   1.25  -0.40\n  -0.40   2.10\nwhich is positive definite.", [[1.25, -0.4], [-0.4, 2.1]]),
    ("La covariance :\n1,25 -0,4\n-0,4 2,1", [[1.25, -0.4], [-0.4, 2.1]]),
])
def test_plain_text_matrices_over_several_lines(text, expected):
    (found,) = find_matrices(text)
    np.testing.assert_allclose(found.value, np.array(expected, dtype=float))


@pytest.mark.parametrize("text", [
    "mu_1 = [0.5 0.2]\nmu_2 = [0.3 0.1]",  # two named vectors, not one matrix
    "| a | b |\n|---|---|\n| 1 | 2 |",  # a Markdown table
    "see [the notes\n and the plot]",  # words in brackets
    "[1 2]",  # one line: a vector
    "we use [3 4\n 5] and more",  # rows of different lengths: no matrix
    "(1 2; 3)",
    "f(1; 2) and g(3; 4)",  # arguments of functions
    "the values:\n0.5\n0.7",  # one number per line: a list, not a matrix
    "mu1 =\n -0.96\n 0.96",
])
def test_no_plain_text_matrix(text):
    assert [f for f in text_matrices(text, []) if f.value is not None] == []


def test_a_pair_with_a_semicolon_has_decimal_commas():
    from grader.extract.matrices import find_vectors

    assert [f.value for f in find_vectors("(-0,71 ; 0,71)")] == [(-0.71, 0.71)]
    assert [f.value for f in find_vectors("(3, 5, 0, 0)")] == [(3.0, 5.0, 0.0, 0.0)]


def test_a_numpy_printout_is_read_once():
    found = find_matrices("[[ 0.91 -0.63]\n [-0.63  0.66]]")
    assert len(found) == 1 and found[0].value.shape == (2, 2)


def test_the_final_plain_matrix_is_the_answer_and_its_entries_are_compared():
    text = ("Var(Z1) = 1.25\nVar(Z2) = 2.1\nCov(Z1, Z2) = 0.4\n"
            "Cov(Z) = [ 1.25  -0.40\n          -0.40   2.10 ]")
    answer = Answer.from_text(text)
    np.testing.assert_allclose(answer.matrix().value, [[1.25, -0.4], [-0.4, 2.1]])
    assert answer.matrix_disagreements()  # the hand-computed covariance has the other sign


# --- a covariance matrix stated entry by entry --------------------------------------------------------------------

def test_a_matrix_stated_entry_by_entry_is_assembled():
    text = ("Var(Z_1) = 1 + 0.25 = 1.25, Var(Z_2) = 2.1\n"
            "Cov(Z_1, Z_2) = Cov(W_1, W_2) - Var(W_3) = 0.1 - 0.5 = -0.4")
    found = final_matrix(text)
    assert found.extra == {"assembled": True}
    np.testing.assert_allclose(found.value, [[1.25, -0.4], [-0.4, 2.1]])


def test_a_later_statement_of_an_entry_replaces_the_earlier_one():
    text = "Var(Z1) = 1.3\nVar(Z2) = 2.1\nCov(Z1, Z2) = -0.4\ncorrection: Var(Z1) = 1.25"
    np.testing.assert_allclose(final_matrix(text).value, [[1.25, -0.4], [-0.4, 2.1]])


@pytest.mark.parametrize("text", [
    "Var(Z1) = 1.25 and Cov(Z1, Z2) = -0.4",  # Var(Z2) missing
    "Var(Z3) = 1.25, Var(Z4) = 2.1, Cov(Z3, Z4) = 0",  # not indices 1…k
])
def test_no_matrix_from_incomplete_entries(text):
    assert final_matrix(text) is None


@pytest.mark.parametrize("text", [
    "Var(Z1) = 1.25, Var(Z2) = 2.1\nThe covariance I did not have time to compute.",
    "Var(Z1) = 1.25, Var(Z2) = 2.1, Cov(Z1, Z2 | W) = 0",  # a conditional covariance is no entry
])
def test_the_variances_alone_make_a_matrix_whose_covariances_are_unknown(text):
    found = final_matrix(text)
    np.testing.assert_allclose(found.value, [[1.25, np.nan], [np.nan, 2.1]])
    from grader.format_values import format_value

    assert format_value(found.value) == "[[1.25, ?], [?, 2.10]]"


def test_a_complete_matrix_of_entries_is_preferred_to_a_partial_one():
    text = "Var(Y1) = 0.91, Var(Y2) = 0.66, Cov(Y1, Y2) = -0.63\n\nVar(Z1) = 1, Var(Z2) = 2"
    np.testing.assert_allclose(final_matrix(text).value, [[0.91, -0.63], [-0.63, 0.66]])


def test_a_written_matrix_wins_over_the_entries():
    text = "Var(Z1) = 1, Var(Z2) = 2, Cov(Z1, Z2) = 0.5\n[[1, 0.4], [0.4, 2]]"
    found = final_matrix(text)
    assert "assembled" not in found.extra and found.value[0, 1] == pytest.approx(0.4)


def test_a_matrix_on_the_line_after_another_statement_is_labelled_by_its_own_line():
    text = ("1(d) A = [[1,0,0,1],[0,1,0,-1]]\n     Cov(Y) = A Sigma A^T = [[0.91, -0.63],\n"
            "                             [-0.63, 0.66]]\n")
    np.testing.assert_allclose(final_matrix(text, other_labels=("Q", "A")).value, [[0.91, -0.63], [-0.63, 0.66]])
    # a statement that goes on on the next line keeps its name: this is A, not the answer
    assert final_matrix("A =\n[[1, 0], [0, 1]]", other_labels=("A",)) is None


def test_a_drawn_matrix_may_carry_a_note_beside_it():
    text = "| 0.20  0   |\n = |           |     (0.1996 with the rounded Sigma)\n   | 0     0.2 |\n"
    np.testing.assert_allclose(final_matrix(text).value, [[0.2, 0], [0, 0.2]])
