"""Answers stated before their question's number or their derivation ("$A^\\top$ — that's 1.", "$X$ is my final
answer"): the words after the math mark it as the answer, the derivation after it does not replace it, and a
definition after the result ("$P(…)$ with $P = …$ — that's the mean") lets the mark fall on the result."""

from __future__ import annotations

import pytest

from grader.extract.expressions import final_expression

MEAN = {"mean": ["posterior|conditional mean", "the mean ="], "cov": ["posterior|conditional covariance",
                                                                       "the covariance ="]}


def final(text, target="final"):
    found = final_expression(text, target, cues=MEAN if target != "final" else None)
    return None if found is None else found.value


@pytest.mark.parametrize("text, expected", [
    ("$B^\\top C$ — that's 1.\n\nWhy: entry by entry, $\\partial/\\partial X_{ij} = C_{ji}$.", "B^\\top C"),
    ("$2 Y$ -- that is question 3.\n\nThe steps: $d(Y^2) = 2 Y\\,dY$, so $g = Y + Y$.", "2 Y"),
    ("$Y^{-T}$ is my final answer. Check in one dimension: $y \\cdot 1/y = 1$ and $y' = y$.", "Y^{-T}"),
    ("$Y^{-T}$ (final answer)\n\nDerivation: $\\partial_{ij} = y_{ji}$ and $g = y$.", "Y^{-T}"),
    # in the course's other languages
    ("$B^\\top C$ — c'est la 1.\n\nPourquoi : $\\partial/\\partial X_{ij} = C_{ji}$.", "B^\\top C"),
    ("$Y^{-T}$ (réponse finale)\n\nDétail : $g = y$.", "Y^{-T}"),
    ("$Y^{-T}$ ist die Antwort. Denn $g = y$.", "Y^{-T}"),
])
def test_words_after_the_math_mark_it_as_the_answer(text, expected):
    assert final(text) == expected


@pytest.mark.parametrize("text, expected", [
    # "that's wrong" and "that's the shape" name no question and no answer: the last statement stands
    ("$Y^{-1}$ — that's wrong; the right one is $Y^{-T}$.", "Y^{-T}"),
    ("$n \\times n$ — that's the shape. The gradient is $G = 2Y$.", "2Y"),
])
def test_other_words_after_the_math_mark_nothing(text, expected):
    assert final(text) == expected


def test_a_definition_after_the_result_does_not_take_its_mark():
    text = ("$W\\,(B^\\top b + c)$ with $W = (I + B^\\top B)^{-1}$ — that's the mean in 2.\n\n"
            "Why: the linear part is $B^\\top b + c$, so the mean is $W$ times that vector.")
    assert final(text, "mean") == "W\\,(B^\\top b + c)"


def test_without_the_mark_the_derivation_after_the_result_wins():
    text = "$B^\\top C$.\n\nWhy: entry by entry, $\\partial/\\partial X_{ij} = C_{ji}$."
    assert final(text) == "C_{ji}"
