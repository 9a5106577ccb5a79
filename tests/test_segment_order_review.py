"""An answer that no label names is taken by its place in the file; when it loses points, a person checks it."""

from __future__ import annotations

from grader.grade import BY_ORDER_REVIEW, grade_document
from grader.read import read_text
from grader.rubric import load_rubric

UNLABELLED = """Homework 1, Jean Dupont

The derivative of Tr(XA) with respect to X is $A$.

The derivative of det(X) is $\\det(X) X^{-T}$.
"""
LABELLED = "## Question 1\n\nThe derivative of Tr(XA) with respect to X is $A$.\n"


def test_a_lost_point_on_an_answer_taken_by_order_is_left_for_review():
    result = {q.question_id: q for q in grade_document(read_text(UNLABELLED, "a.md"), load_rubric("basic-knowledge")).questions}
    q1, q2 = result["q1"], result["q2"]
    assert q1.score == 0 and q1.needs_review and BY_ORDER_REVIEW in q1.summary
    assert "by the order of the answers" in q1.how_found
    assert q2.score == q2.points and not q2.needs_review  # full marks: nothing to check


def test_a_labelled_answer_is_not_left_for_review_for_its_place():
    q1 = grade_document(read_text(LABELLED, "a.md"), load_rubric("basic-knowledge")).questions[0]
    assert q1.score == 0 and not q1.needs_review and BY_ORDER_REVIEW not in q1.summary
