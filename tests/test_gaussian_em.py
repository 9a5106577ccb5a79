"""The gaussian-em homework graded end to end: four submission layouts, every misconception of
ANSWER_KEY.md as a one-question submission, right answers, and missing answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from grading_asserts import (
    assert_every_misconception_exercised, assert_grades, assert_only_question, by_question,
)

from grader.grade import grade_document
from grader.pipeline import grade as grade_file
from grader.model import Status
from grader.read import read_text
from grader.rubric import load_rubric

FIXTURES = Path(__file__).parent / "fixtures" / "gaussian-em"


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("gaussian-em")



# fixture → {question: (fraction of its points, misconception ids, status)}
LAYOUTS = {
    "part-headings.ipynb": {q: (1.0, set(), "correct") for q in ("1a", "1b", "1c", "1d", "2a", "2b", "2c", "2d")},
    "pasted-statements.ipynb": {
        "1a": (0.6, {"corr.reads-precision"}, "partial"),
        "1b": (1.0, set(), "correct"),
        "1c": (0.0, {"blanket.from-covariance"}, "wrong"),
        "1d": (1.0, set(), "correct"),
        "2a": (0.0, {"em-step.divide-by-n"}, "wrong"),
        "2b": (1.0, set(), "correct"),  # its pasted statement says "μ1 = -1 and μ2 = 1"
        "2c": (0.0, {"em-fixed.no-move"}, "wrong"),
        "2d": (0.0, set(), "not_found"),  # only the statement was pasted
    },
    "subsections.tex": {
        "1a": (1.0, set(), "correct"),
        "1b": (0.5, {"condcov.marginal-reasoning"}, "partial"),
        "1c": (1.0, set(), "correct"),
        "1d": (0.5, {"covy.missing-var-x4"}, "partial"),
        "2a": (0.0, {"em-step.hard-assignment"}, "wrong"),
        "2b": (0.5, {"em.wrong-limit"}, "partial"),
        "2c": (0.0, {"em-fixed.symmetry-break"}, "wrong"),
        "2d": (0.0, {"kmeans.confused-with-em"}, "wrong"),
    },
    "lettered.md": {
        "1a": (1.0, set(), "correct"),
        "1b": (1.0, set(), "correct"),  # "Yes, ... conditionally independent" answers "no"
        "1c": (1.0, set(), "correct"),
        "1d": (0.0, {"covy.used-precision"}, "wrong"),
        "2a": (0.0, {"em-step.dropped-weight"}, "wrong"),
        "2b": (1.0, set(), "correct"),  # French
        "2c": (1.0, set(), "correct"),
        "2d": (0.0, {"kmeans.no-update"}, "wrong"),
    },
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layouts_grade_as_a_ta_would(name, rubric):
    assert_grades(grade_file(FIXTURES / name, "gaussian-em"), LAYOUTS[name])


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layouts_are_recognised_without_a_rubric(name):
    result = grade_file(FIXTURES / name)
    assert result.rubric_id == "gaussian-em"
    assert any("Recognised the homework as 'gaussian-em'" in n for n in result.notes)


def test_answers_printed_by_code_cells_are_read():
    q = by_question(grade_file(FIXTURES / "part-headings.ipynb", "gaussian-em"))
    assert "cell" in q["1d"].origin and q["1d"].status is Status.CORRECT
    assert "0.9640" in q["2a"].checks[0].message or "0.964" in q["2a"].checks[0].message


def test_pasted_statement_is_not_taken_for_an_answer(rubric):
    text = (
        "# Problem 2\n\n## (b)\n\nDo you think EM (when initialized with $\\mu_1 = -2$ and $\\mu_2 = 2$) will eventually "
        "converge to $\\mu_1 = -1$ and $\\mu_2 = 1$ (i.e., coinciding with the two data points). Please justify your "
        "answer using either your theoretical understanding or the result of an empirical simulation.\n"
    )
    q = by_question(grade_document(read_text(text, "answer.md"), rubric))["2b"]
    assert q.status is Status.NOT_FOUND and q.score == 0
    assert "only the question's text" in q.summary
    assert not q.misconceptions


# (question, answer, fraction of the question's points, misconception ids)
ONE_QUESTION = [
    ("1a", "No, $\\Sigma_{34} = 0$ so they are uncorrelated.", 1.0, set()),
    ("1a", "Uncorrelated: the covariance between $X_3$ and $X_4$ is zero.", 1.0, set()),
    ("1a", "Non, $\\Sigma_{34} = 0$ donc $X_3$ et $X_4$ ne sont pas corrélées.", 1.0, set()),
    ("1a", "They are uncorrelated because $Q_{34} = 0$.", 0.6, {"corr.reads-precision"}),
    ("1a", "Yes, they are correlated.", 0.0, {"corr.says-correlated"}),
    ("1b", "No. $Q_{34} = 0$ and $X_1, X_2$ are all the other variables, so $Cov(X_3, X_4 \\mid X_1, X_2) = 0$.", 1.0, set()),
    ("1b", "Yes, $X_3$ and $X_4$ are conditionally independent given $X_1$ and $X_2$, because $Q_{34} = 0$.", 1.0, set()),
    ("1b", "Since $\\Sigma_{34} = 0$, they are not conditionally correlated.", 0.5, {"condcov.marginal-reasoning"}),
    ("1b", "We can see that $Q_{34} = 0$. This indicates that $X_1$ and $X_2$ are conditionally independent given $X_1$ "
           "and $X_2$. Thus $Cov(X_3, X_4 \\mid X_1, X_2) = 0$.", 0.75, {"condcov.wrong-variables"}),
    ("1b", "No: $Q_{34} = 0$, and a zero in $Q$ means independence given any subset of the other variables.", 0.8,
     {"condcov.any-subset"}),
    ("1b", "The conditional covariance is $\\begin{bmatrix} 0.46 & 0 \\\\ 0 & 0.2 \\end{bmatrix}$: they are not "
           "correlated.", 0.5, {"condcov.wrong-numbers"}),
    ("1c", "$\\{X_1\\}$, read from row 2 of the precision matrix.", 1.0, set()),
    ("1c", "$X_{M_2} = \\{X_1, X_3\\}$", 0.0, {"blanket.from-covariance"}),
    ("1c", "$\\{X_1\\}$", 1.0, set()),  # the question asks for the set: no justification is required
    # beside a wrong set, a reason from the precision matrix earns its point
    ("1c", "From the precision matrix, the Markov blanket is $\\{X_1, X_3, X_4\\}$.", 0.2, {"blanket.wrong-set"}),
    ("1c", "La couverture de Markov de $X_2$ est $X_1$ : la ligne 2 de $Q$ n'a qu'un coefficient non nul hors de la "
           "diagonale.", 1.0, set()),
    ("1a", "$\\Sigma_{34} = 0$ so $X_3$ and $X_4$ are uncorrelated. But uncorrelated doesn't mean independent, they "
           "can still be dependent.", 0.6, {"corr.says-correlated"}),
    ("1a", "Looking at the covariance matrix, the (3,4) entry is 0. So no, X3 and X4 are uncorrelated.", 1.0, set()),
    # the (3,4) entry is a reason only when it is Σ's: read from Q, the verdict keeps its points, the reason not
    ("1a", "Look at the precision matrix: $Q_{34} = 0$, its (3,4) entry is 0, so they are uncorrelated.", 0.6,
     {"corr.reads-precision"}),
    # a "yes" earns nothing, whatever reason it cites; the verdict may follow the question copied above it
    ("1a", "Are X3 and X4 correlated? Yes. It is true that $\\Sigma_{34} = 0$, but they still depend on each other "
           "through X1, so they are correlated.", 0.0, {"corr.says-correlated"}),
    ("1c", "The blanket is the parents, the children and the other parents of the children: $X_1$ is a child of "
           "$X_2$ and $X_3$ a co-parent, so the blanket is $\\{X_1, X_3\\}$.", 0.0,
     {"blanket.wrong-set", "blanket.from-covariance"}),
    ("1c", "Markov blanket of $X_2$: $\\{X_1, X_3\\}$ (the non-zero entries of row 2 of $\\Sigma$).", 0.0,
     {"blanket.from-covariance"}),
    ("1d", "$$\\begin{bmatrix} 0.91 & -0.63 \\\\ -0.63 & 0.66 \\end{bmatrix}$$", 1.0, set()),
    ("1d", "$$\\frac{1}{35}\\begin{bmatrix} 32 & -22 \\\\ -22 & 23 \\end{bmatrix}$$", 1.0, set()),
    ("1d", "$$\\begin{bmatrix} 0.91 & -0.43 \\\\ -0.43 & 0.66 \\end{bmatrix}$$", 0.5, {"covy.missing-var-x4"}),
    ("1d", "$$\\begin{bmatrix} 0.91 & -0.63 \\\\ -0.63 & 0.26 \\end{bmatrix}$$", 0.5, {"covy.difference-variance"}),
    ("1d", "$$\\begin{bmatrix} 0.91 & -0.23 \\\\ -0.23 & 0.66 \\end{bmatrix}$$", 0.5, {"covy.sign"}),
    ("1d", "$$AQA^T = \\begin{bmatrix} 10 & -2 \\\\ -2 & 10 \\end{bmatrix}$$", 0.0, {"covy.used-precision"}),
    ("1d", "$$\\begin{bmatrix} 1 & 0 & 0 & 0 \\\\ 0 & 1 & 0 & 0 \\\\ 0 & 0 & 1 & 0 \\\\ 0 & 0 & 0 & 1 \\end{bmatrix}$$",
     0.0, {"covy.wrong-order"}),
    ("2a", "$\\mu_1 = -0.96$, $\\mu_2 = 0.96$", 1.0, set()),
    ("2a", "$(\\mu_1, \\mu_2) = (-0.964, 0.964)$", 1.0, set()),
    ("2a", "$\\mu_1 = -1$ and $\\mu_2 = 1$", 0.0, {"em-step.hard-assignment"}),
    ("2a", "$\\mu_1 = -0.48$ and $\\mu_2 = 0.48$", 0.0, {"em-step.divide-by-n"}),
    ("2a", "$\\mu_1 = -0.98$ and $\\mu_2 = 0.98$", 0.0, {"em-step.dropped-weight"}),
    ("2a", "$\\mu_1 = -0.9993$ and $\\mu_2 = 0.9993$", 0.0, {"em-step.missing-half"}),
    ("2a", "$\\mu_1 = 0.96$ and $\\mu_2 = -0.96$", 0.0, {"em-step.swapped"}),
    # the method set up right, a value slipping in the arithmetic: the method's 2 of 5 points
    ("2a", "E-step: the responsibility of component 2 for $x = 1$ is $1/(1 + e^{-4}) = 0.982$. M-step, the weighted "
           "means: $\\mu_1 = -0.946$ and $\\mu_2 = 0.946$.", 0.4, set()),
    # a catalogued wrong step earns nothing, method or not
    ("2a", "E-step: the responsibilities are 0.98 and 0.02. M-step: divide by the number of points, "
           "$\\mu_1 = -0.48$ and $\\mu_2 = 0.48$.", 0.0, {"em-step.divide-by-n"}),
    ("2b", "No. The means shrink to 0 slowly, since the update is $m \\leftarrow \\tanh(m)$.", 1.0, set()),
    ("2b", "No, the centroids will converge in the middle of the two data points.", 1.0, set()),
    ("2b", "No: each step pulls both means towards the middle, so they never get back out to the points.", 0.5, set()),
    ("2b", "Non : les moyennes tendent vers 0, avec une convergence linéaire.", 0.9, {"em.fast-convergence"}),
    ("2b", "No, the two means meet in the middle.", 1.0, set()),
    ("2b", "No. Unlike K-means, which assigns each point to its nearest centre, EM keeps soft responsibilities, so the "
           "means go to 0.", 1.0, set()),
    ("2b", "I think EM **will** eventually converge to $\\mu_1 = -1$ and $\\mu_2 = 1$: there are exactly two points and "
           "two distributions.", 0.0, {"em.converges-to-data"}),
    ("2b", "Yes: each point is assigned to its nearest centre, so the means reach the data points.", 0.0,
     {"em.converges-to-data", "em.hard-assignment-reasoning"}),
    ("2b", "Yes, the variances shrink to 0 and the means converge to the data points.", 0.0,
     {"em.converges-to-data", "em.learned-variance"}),
    ("2b", "No, the means stay near $\\pm 0.96$.", 0.5, {"em.wrong-limit"}),
    ("2b", "Non : les moyennes se stabilisent autour de $\\pm 0.5$.", 0.5, {"em.wrong-limit"}),
    # a "no" that claims no limit loses the limit's points, with no flag: it states no wrong limit
    ("2b", "No.", 0.5, set()),
    ("2b", "Je ne pense pas. La variance est fixée à 1, grande devant l'écart entre les points.", 0.5, set()),
    ("2b", "I don't think so: the variance is fixed at 1, which is large compared to the gap between the points.", 0.5,
     set()),
    ("2b", "No. A simulation of the means:\n\n```\n1 0.964\n10 0.371\n100 0.122\n1000 0.039\n```", 1.0, set()),
    ("2b", "No: both means converge to 0 quickly, in a few steps.", 0.9, {"em.fast-convergence"}),
    ("2b", "Yes. After one step the means are $-1$ and $1$; each point is again assigned to its own component, so EM "
           "converges to the data points.", 0.0, {"em.converges-to-data", "em.hard-assignment-reasoning"}),
    # fast at first, then slowing down: the slowing down is seen
    ("2b", "No: the means shrink quickly at first, then the steps get small; they converge to 0.", 1.0, set()),
    ("2c", "$\\mu_1 = \\mu_2 = 0$", 1.0, set()),
    ("2c", "The fixed point for $\\mu_1$ and $\\mu_2$ is 0.", 1.0, set()),
    ("2c", "$\\mu_1 = \\mu_2 = 2$", 0.0, {"em-fixed.no-move"}),
    ("2c", "$\\mu_1 = -1$, $\\mu_2 = 1$", 0.0, {"em-fixed.symmetry-break"}),
    ("2d", "$\\mu_1 = -1$, $\\mu_2 = 1$", 1.0, set()),
    ("2d", "K-means gives $(\\mu_1, \\mu_2) = (-0.96, 0.96)$.", 0.0, {"kmeans.confused-with-em"}),
    ("2d", "$\\mu_1 = -2$, $\\mu_2 = 2$: the centres stay where they are.", 0.0, {"kmeans.no-update"}),
]


def one_question(qid: str, answer: str) -> str:
    return f"# Problem {qid[0]}\n\n## ({qid[1]})\n\n{answer}\n"


@pytest.mark.parametrize("qid,answer,fraction,flags", ONE_QUESTION)
def test_one_question_submissions(qid, answer, fraction, flags, rubric):
    assert_only_question(grade_document(read_text(one_question(qid, answer), "answer.md"), rubric), qid, fraction, flags)


def test_every_misconception_of_the_rubric_is_exercised(rubric):
    assert_every_misconception_exercised(rubric, ONE_QUESTION, LAYOUTS)


def test_an_empty_answer_file_finds_nothing(rubric):
    text = "# Problem 1\n\n## (a)\n\n## (b)\n\n# Problem 2\n\n## (a)\n"
    result = grade_document(read_text(text, "empty.md"), rubric)
    assert result.score == 0
    assert all(q.status is Status.NOT_FOUND for q in result.questions)
    assert all(q.summary.startswith("No answer found") for q in result.questions)


# Answers a person should read: no verdict, two verdicts, or no readable value.
NEEDS_REVIEW = [
    ("1a", "The covariance matrix is interesting; this entry deserves a closer look."),
    ("1a", "They are correlated. They are uncorrelated."),
    ("2b", "It depends on many things, for instance the data."),
    ("2a", "minus zero point nine six and plus zero point nine six"),
    ("1d", "See the attached picture of my computation."),
]


@pytest.mark.parametrize("qid,answer", NEEDS_REVIEW)
def test_uncertain_readings_are_marked_for_review(qid, answer, rubric):
    q = by_question(grade_document(read_text(one_question(qid, answer), "answer.md"), rubric))[qid]
    assert q.needs_review and q.confidence < rubric.review_below
    from grader.render.gradescope import results_json

    extra = next(t["extra_data"] for t in results_json(grade_document(read_text(one_question(qid, answer), "a.md"),
                                                                      rubric))["tests"] if t["extra_data"]["question"] == qid)
    assert extra["needs_review"] is True
    from grader.render.feedback import question_markdown

    assert "Provisional score" in question_markdown(q, True)


def test_review_rate_on_the_fixtures(rubric, review_stats):
    """Clear answers are not sent to a person: the share marked for review stays small."""
    answered = flagged = 0
    for name in LAYOUTS:
        for q in grade_file(FIXTURES / name, "gaussian-em").questions:
            if q.status is not Status.NOT_FOUND:
                answered += 1
                flagged += q.needs_review
    for qid, answer, *_ in ONE_QUESTION:
        q = by_question(grade_document(read_text(one_question(qid, answer), "a.md"), rubric))[qid]
        answered += 1
        flagged += q.needs_review
    review_stats["gaussian-em fixtures"] = (flagged, answered)
    assert flagged / answered <= 0.10
