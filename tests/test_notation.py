"""A student's own names for the homework's symbols, declared in a notation paragraph: "S is the covariance Σ"
makes S_34 read as Σ_34 in every answer of the submission (grader/extract/notation.py, settings.notation)."""

from __future__ import annotations

import pytest

from grader.extract.notation import declared_aliases
from grader.grade import grade_document
from grader.model import Block, BlockKind
from grader.read import read_text
from grader.rubric import RubricError, load_rubric, parse_rubric

NOTATION = {"sigma": ["Σ", "Sigma"], "q": ["Q"], "mu": ["μ1", "mu1"]}


@pytest.mark.parametrize("text,aliases", [
    ("*Notation:* `S` is the covariance Σ, `P` is the precision matrix Q, and `m_1`, `m_2` are the means μ1, μ2.",
     {"s": "sigma", "p": "q", "m": "mu"}),
    ("I write S for the noise covariance Sigma.", {"s": "sigma"}),
    ("S = Σ (the covariance).", {"s": "sigma"}),
    # statements about a letter, not names for a symbol
    ("X is Gaussian with covariance Σ.", {}),
    ("X is the random vector whose covariance is Σ.", {}),
    ("Cov(X_1, X_2) = Σ_bb - Σ_ba Σ_aa^{-1} Σ_ab", {}),
    ("Q is the precision matrix Q.", {}),  # the symbol's own letter
])
def test_declarations_that_name_a_symbol(text, aliases):
    assert declared_aliases([Block(BlockKind.PROSE, text, "line 1")], NOTATION) == aliases


def test_a_declared_name_is_read_as_the_symbol_in_every_answer():
    rubric = load_rubric("gaussian-em")
    text = ("Notation: `S` is the covariance Σ and `P` is the precision matrix Q.\n\n"
            "## Problem 1\n\n(a) S_34 = 0, so X3 and X4 are uncorrelated.\n\n"
            "(b) P_34 = 0 and we condition on all the other variables, so the conditional covariance is zero: "
            "not conditionally correlated.\n")
    result = grade_document(read_text(text, "hw.md"), rubric)
    by_id = {q.question_id: q for q in result.questions}
    assert by_id["1a"].score == by_id["1a"].points, [c.message for c in by_id["1a"].checks]
    assert by_id["1b"].score == by_id["1b"].points, [c.message for c in by_id["1b"].checks]
    assert any("notation was read as you declared it" in n for n in result.notes)
    plain = grade_document(read_text(text.split("\n\n", 1)[1], "hw.md"), rubric)  # no declaration: S is S
    assert {q.question_id: q for q in plain.questions}["1a"].score < by_id["1a"].score


def test_a_broken_notation_setting_is_the_rubric_s_fault(tmp_path):
    data = {"id": "t", "title": "T", "solutions": "gaussian_em", "settings": {"notation": {"sigma": "Σ"}},
            "questions": []}
    with pytest.raises(RubricError, match="settings.notation"):
        parse_rubric(data, tmp_path / "t.yaml")


def test_a_declaration_in_brackets_and_the_renamed_symbol_in_an_expression():
    rubric = load_rubric("basic-knowledge")
    text = ("Q3) prior v ~ N(mu, K), likelihood u|v ~ N(Lv + m, S)   (S = Sigma)\n"
            "Cov(v|u) = (K^-1 + L^T S^-1 L)^-1\n")
    by_id = {q.question_id: q for q in grade_document(read_text(text, "hw.txt"), rubric).questions}
    assert by_id["q3-cov"].score == by_id["q3-cov"].points, [c.message for c in by_id["q3-cov"].checks]
    undeclared = text.replace("   (S = Sigma)", "")
    by_id = {q.question_id: q for q in grade_document(read_text(undeclared, "hw.txt"), rubric).questions}
    assert by_id["q3-cov"].score == 0  # S is no symbol of the question
