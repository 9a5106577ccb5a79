"""Q4 (EM and log Z): the steps must both be named as maximisations, and a bound called upper earns no credit."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.checkers import registry
from grader.grade import grade_document
from grader.read import read_submission, read_text
from grader.rubric import load_rubric

HERE = Path(__file__).parent / "fixtures" / "em_logz"


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("basic-knowledge")


def q4(name: str, rubric):
    graded = grade_document(read_submission(HERE / name), rubric)
    return next(q for q in graded.questions if q.question_id == "q4")


def test_one_step_named_is_not_the_mapping(rubric):
    q = q4("one_step_named.md", rubric)
    assert "em-logz.no-e-m-mapping" in {m.id for m in q.misconceptions}
    assert q.score == pytest.approx(q.points - 1)


def test_both_steps_named_earn_full_marks(rubric):
    q = q4("both_steps_named.md", rubric)
    assert q.score == q.points and not q.misconceptions


def test_a_bound_called_upper_withholds_the_lower_bound_point(rubric):
    q = q4("called_upper.md", rubric)
    assert "em-logz.upper-bound" in {m.id for m in q.misconceptions}
    assert q.score == pytest.approx(q.points - 1)


def run(text: str, **params):
    return registry.call(registry.get("mentions"), text, params)


@pytest.mark.parametrize("text, fraction", [
    ("We maximise over q, then we maximise over theta.", 1.0),
    ("We maximise over q.", 0.0),
    ("We maximise over theta.", 0.0),
])
def test_mentions_also_needs_both_halves(text, fraction):
    assert run(text, patterns=["max* * over q"], also=["max* * over theta"]).fraction == fraction


@pytest.mark.parametrize("text, fraction", [
    ("It is a lower bound.", 1.0),
    ("It is a lower bound, that is an upper bound.", 0.0),
    ("It is a lower bound, not an upper bound.", 1.0),
])
def test_mentions_unless_withholds_the_credit(text, fraction):
    assert run(text, patterns=["lower bound"], unless=["upper bound"]).fraction == fraction


def test_a_bound_maximised_without_its_two_steps_is_not_the_mapping(rubric):
    # the posterior reached at the end of a chain earns its point; "log p(x|θ) … hard to maximize" and "the max over
    # the densities" name no step of EM
    q = q4("bound_maximised_no_steps.txt", rubric)
    assert {m.id for m in q.misconceptions} == {"em-logz.no-e-m-mapping"}
    assert q.score == pytest.approx(q.points - 1)
    assert next(c for c in q.checks if c.check_id == "q-posterior").earned == 1


def test_each_step_named_after_its_variable_is_the_mapping(rubric):
    text = ("# Question 4\n\nf(z) = log p(x, z | θ) and Z = p(x | θ), so log Z is the log-likelihood; the maximum is at "
            "q = p(z | x, θ), the posterior, and the right-hand side is a lower bound (the ELBO). EM alternates "
            "maximising this bound over q (E-step) and over θ (M-step).\n")
    graded = grade_document(read_text(text, "q4.md"), rubric)
    q = next(q for q in graded.questions if q.question_id == "q4")
    assert q.score == q.points and not q.misconceptions
