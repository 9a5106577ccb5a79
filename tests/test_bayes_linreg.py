"""The bayes-linreg homework graded end to end: four submissions (Markdown in Bishop's notation, LaTeX with typical
mistakes, pasted statements, a filled template notebook), every accepted form and every misconception of the rubric
as a one-question submission, and missing answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from grading_asserts import (
    assert_every_misconception_exercised, assert_grades, assert_only_question, by_question,
)

from grader.extract.expressions import final_expression
from grader.grade import grade_document
from grader.pipeline import grade as grade_file
from grader.model import Status
from grader.read import read_text
from grader.rubric import load_rubric

FIXTURES = Path(__file__).parent / "fixtures" / "bayes-linreg"
RUBRIC = "bayes-linreg"


@pytest.fixture(scope="module")
def rubric():
    return load_rubric(RUBRIC)



# fixture → {question: (fraction of its points, misconception ids, status)}
LAYOUTS = {
    "bishop-notation.md": {q: (1.0, set(), "correct") for q in ("1a", "1b", "2a", "2b", "3")},
    "typical-mistakes.tex": {
        "1a": (0.0, {"blr.no-prior"}, "wrong"),
        "1b": (0.0, {"blr.noise-scale-dropped"}, "wrong"),
        "2a": (0.0, {"blr.precision-as-covariance"}, "wrong"),
        "2b": (0.0, {"blr.mean-missing-noise-factor"}, "wrong"),
        "3": (0.0, {"map.not-mean", "map.penalty-lambda"}, "wrong"),
    },
    "pasted-statements.md": {
        "1a": (0.0, {"blr.covariances-added"}, "wrong"),
        "1b": (0.0, set(), "not_found"),  # only the statement was pasted
        "2a": (0.0, {"blr.prior-variance-as-precision"}, "wrong"),
        "2b": (1.0, set(), "correct"),
        "3": (0.0, set(), "not_found"),
    },
    # A template: 1a under the kept placeholder line, 1b in an added cell, 2a split over two cells, 2b untouched,
    # 3's answer cell moved to the top and α printed by a code cell at the end.
    "template-answers.ipynb": {
        "1a": (1.0, set(), "correct"),
        "1b": (1.0, set(), "correct"),
        "2a": (1.0, set(), "correct"),
        "2b": (0.0, set(), "not_found"),
        "3": (1.0, set(), "correct"),
    },
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_submissions_grade_as_a_ta_would(name):
    assert_grades(grade_file(FIXTURES / name, RUBRIC), LAYOUTS[name])


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_submissions_are_recognised_without_a_rubric(name):
    result = grade_file(FIXTURES / name)
    assert result.rubric_id == RUBRIC
    assert any("Recognised the homework as 'bayes-linreg'" in n for n in result.notes)


def test_missing_answers_say_so():
    got = by_question(grade_file(FIXTURES / "pasted-statements.md", RUBRIC))
    assert got["1b"].summary.startswith("No answer found") and "only the question's text" in got["1b"].summary
    assert got["3"].summary.startswith("No answer found")


def test_the_template_notebook_was_found_by_its_tags():
    got = by_question(grade_file(FIXTURES / "template-answers.ipynb", RUBRIC))
    assert {q.how_found for q in got.values()} == {"template cell tags"}
    assert "cell" in got["3"].origin


LABELS = {"1a": "# Problem 1\n\n## (a)", "1b": "# Problem 1\n\n## (b)", "2a": "# Problem 2\n\n## (a)",
          "2b": "# Problem 2\n\n## (b)", "3": "# Problem 3"}
ALPHA_REASON = "Yes: the posterior is Gaussian, so its mode is its mean and $w_{MAP} = m_N$."

# (question, answer, fraction of the question's points, misconception ids)
ONE_QUESTION = [
    # 1a: the covariance, in the forms strong students write
    ("1a", r"$$S_N = \left(\lambda I + \frac{1}{\sigma^2} X^T X\right)^{-1}$$", 1.0, set()),
    ("1a", r"$$S_N = \sigma^2 (X^\top X + \lambda \sigma^2 I)^{-1}$$", 1.0, set()),
    ("1a", r"$$\Sigma_N = (\lambda I + X^TX/\sigma^2)^{-1}$$", 1.0, set()),
    ("1a", r"$$S_N^{-1} = \lambda I + \frac{1}{\sigma^2}X^T X$$ so $$S_N = \left(\lambda I + \frac{1}{\sigma^2}X^T X"
           r"\right)^{-1}$$", 1.0, set()),
    ("1a", r"The precision is $S_N^{-1} = \lambda I + \sigma^{-2} X^T X$, hence $$S_N = (\lambda I + \sigma^{-2} "
           r"X^T X)^{-1}.$$", 1.0, set()),
    # Bishop's form stops at the precision: the covariance check passes, the derivation point needs S_N itself
    ("1a", r"$$S_N^{-1} = \lambda I_d + \sigma^{-2} X^\top X$$", 0.8, set()),
    ("1a", r"$$S_N = \sigma^2 (X^T X)^{-1}$$", 0.0, {"blr.no-prior"}),
    ("1a", r"$$S_N^{-1} = \frac{1}{\sigma^2} X^T X$$", 0.0, {"blr.no-prior"}),
    ("1a", r"$$S_N = \lambda I + \frac{1}{\sigma^2} X^T X$$", 0.0, {"blr.precision-as-covariance"}),
    ("1a", r"$$S_N = (\lambda I + X^T X)^{-1}$$", 0.0, {"blr.noise-scale-dropped"}),
    ("1a", r"$$S_N^{-1} = \lambda I + X^T X$$", 0.0, {"blr.noise-scale-dropped"}),
    ("1a", r"$$S_N = (\lambda^{-1} I + X^T X / \sigma^2)^{-1}$$", 0.0, {"blr.prior-variance-as-precision"}),
    ("1a", r"$$S_N = \frac{1}{\lambda} I + \sigma^2 (X^T X)^{-1}$$", 0.0, {"blr.covariances-added"}),
    ("1a", r"$$S_N = (\lambda I + X X^T/\sigma^2)^{-1}$$", 0.0, {"blr.shape"}),
    # 1b: the mean
    ("1b", r"$$m_N = \frac{1}{\sigma^2} S_N X^T y$$", 1.0, set()),
    ("1b", r"$$m_N = (X^T X + \lambda \sigma^2 I)^{-1} X^T y$$", 1.0, set()),
    ("1b", r"$$m_N = X^T (X X^T + \lambda \sigma^2 I)^{-1} y$$", 1.0, set()),
    ("1b", r"$$m_N = \sigma^{-2} \left(\lambda I + \sigma^{-2} X^\top X\right)^{-1} X^\top y$$", 1.0, set()),
    ("1b", r"Comparing the linear terms, $S_N^{-1} m_N = \frac{1}{\sigma^2} X^T y$, so "
           r"$$m_N = \frac{1}{\sigma^2} S_N X^T y.$$", 1.0, set()),
    ("1b", r"$$m_N = (X^T X)^{-1} X^T y$$", 0.0, {"blr.no-prior"}),
    ("1b", r"$$m_N = (\lambda I + X^T X)^{-1} X^T y$$", 0.0, {"blr.noise-scale-dropped"}),
    ("1b", r"$$m_N = S_N X^T y$$", 0.0, {"blr.mean-missing-noise-factor"}),
    ("1b", r"$$m_N = \frac{1}{\sigma^2}(\lambda I + X^TX/\sigma^2) X^T y$$", 0.0, {"blr.precision-as-covariance"}),
    ("1b", r"$$m_N = \frac{1}{\sigma^2}(\lambda^{-1} I + X^TX/\sigma^2)^{-1} X^T y$$", 0.0,
     {"blr.prior-variance-as-precision"}),
    ("1b", r"$$m_N = \frac{1}{\sigma^2} X S_N X^T y$$", 0.0, {"blr.shape"}),
    # 2a: the covariance for the data, exact or rounded
    ("2a", r"$$S_N = \begin{bmatrix} 0.2 & -0.1 \\ -0.1 & 0.133 \end{bmatrix}$$", 1.0, set()),
    ("2a", r"$$S_N = \frac{1}{60}\begin{bmatrix} 12 & -6 \\ -6 & 8 \end{bmatrix}$$", 1.0, set()),
    ("2a", "```\n[[ 0.2        -0.1       ]\n [-0.1         0.13333333]]\n```", 1.0, set()),
    ("2a", r"$$S_N = \begin{bmatrix} 0.2 & -0.1 \\ -0.1 & 0.5 \end{bmatrix}$$", 0.5 * 2 / 3, set()),  # 2 of its 3 distinct entries
    ("2a", r"$$S_N = \begin{bmatrix} 0.42 & -0.25 \\ -0.25 & 0.25 \end{bmatrix}$$", 0.0, {"blr.no-prior"}),
    ("2a", r"$$S_N = \begin{bmatrix} 8 & 6 \\ 6 & 12 \end{bmatrix}$$", 0.0, {"blr.precision-as-covariance"}),
    ("2a", r"$$S_N = \begin{bmatrix} 0.269 & -0.115 \\ -0.115 & 0.192 \end{bmatrix}$$", 0.0,
     {"blr.noise-scale-dropped"}),
    ("2a", r"$$S_N = \begin{bmatrix} 0.326 & -0.186 \\ -0.186 & 0.202 \end{bmatrix}$$", 0.0,
     {"blr.prior-variance-as-precision"}),
    ("2a", r"$$S_N = \begin{bmatrix} 0.917 & -0.25 \\ -0.25 & 0.75 \end{bmatrix}$$", 0.0, {"blr.covariances-added"}),
    ("2a", r"$$S_N = \begin{bmatrix} 1 & 0 & 0 \\ 0 & 1 & 0 \\ 0 & 0 & 1 \end{bmatrix}$$", 0.0, {"blr.shape"}),
    # 2b: the mean for the data
    ("2b", r"$m_N = (-0.2, 0.933)$", 1.0, set()),
    ("2b", r"$w_0 = -0.2$ and $w_1 = 0.9333$", 1.0, set()),
    ("2b", r"$$m_N = \begin{bmatrix} -1/5 \\ 14/15 \end{bmatrix}$$", 1.0, set()),
    ("2b", r"$m_N = (-0.2, 0.5)$", 0.5, set()),  # the intercept only
    ("2b", r"$m_N = (-0.833, 1.5)$", 0.0, {"blr.no-prior"}),
    ("2b", r"$m_N = (-0.038, 0.731)$", 0.0, {"blr.noise-scale-dropped"}),
    ("2b", r"$m_N = (-0.558, 1.271)$", 0.0, {"blr.prior-variance-as-precision"}),
    ("2b", r"$m_N = (92, 144)$", 0.0, {"blr.precision-as-covariance"}),
    ("2b", r"$m_N = (-0.1, 0.467)$", 0.0, {"blr.mean-missing-noise-factor"}),
    # 3: verdict (2), reason (1), α (2)
    ("3", r"Yes. The posterior is Gaussian, and the mode of a Gaussian is its mean, so $w_{MAP} = m_N$. The ridge "
          r"penalty is $\alpha = \lambda\sigma^2 = 1$.", 1.0, set()),
    ("3", r"**Yes**: $w_{MAP} = m_N$ because the posterior is symmetric and unimodal. $\alpha = 1$.", 1.0, set()),
    ("3", r"They coincide: for a Gaussian posterior the mode and the mean are the same point. The penalty is "
          r"$\alpha = \lambda \sigma^2 = 2 \times 0.5 = 1$.", 1.0, set()),
    ("3", r"Yes, the MAP estimate equals the posterior mean. $\alpha = 1$", 0.8, set()),  # no reason
    ("3", r"No, the MAP estimate is the mode of the posterior, which differs from its mean. $\alpha = 1$.", 0.4,
     {"map.not-mean"}),
    ("3", r"The MAP is not equal to the posterior mean in general. $\alpha = 1$.", 0.4, {"map.not-mean"}),
    ("3", ALPHA_REASON + r" $\alpha = \lambda = 2$.", 0.6, {"map.penalty-lambda"}),
    ("3", ALPHA_REASON + r" $\alpha = \lambda / \sigma^2 = 4$.", 0.6, {"map.penalty-over-noise"}),
    ("3", ALPHA_REASON + r" $\alpha = \sigma^2/\lambda = 0.25$.", 0.6, {"map.penalty-prior-variance"}),
    ("3", r"The MAP estimate is the least squares solution. $\alpha = 0$.", 0.0, {"map.is-least-squares"}),
    ("3", r"Yes. The MAP estimate is the maximum likelihood estimate, which is also the mean.", 0.4,
     {"map.is-least-squares"}),
    ("3", r"Yes. $w_{MAP} = m_N$: the MAP is not the least squares estimate, it is ridge regression with "
          r"$\alpha = 1$, since the posterior is Gaussian.", 1.0, set()),
]


def one_question(qid: str, answer: str) -> str:
    return f"{LABELS[qid]}\n\n{answer}\n"


@pytest.mark.parametrize("qid,answer,fraction,flags", ONE_QUESTION)
def test_one_question_submissions(qid, answer, fraction, flags, rubric):
    assert_only_question(grade_document(read_text(one_question(qid, answer), "answer.md"), rubric), qid, fraction, flags)


def test_every_misconception_of_the_rubric_is_exercised(rubric):
    assert_every_misconception_exercised(rubric, ONE_QUESTION, LAYOUTS)


def test_every_question_has_right_and_wrong_forms():
    right = {q for q, _, f, _ in ONE_QUESTION if f == 1.0}
    wrong = {q for q, _, f, flags in ONE_QUESTION if f < 1.0 and flags}
    assert right == wrong == set(LABELS)


def test_an_empty_answer_file_finds_nothing(rubric):
    text = "# Problem 1\n\n## (a)\n\n## (b)\n\n# Problem 2\n\n## (a)\n\n## (b)\n\n# Problem 3\n"
    result = grade_document(read_text(text, "empty.md"), rubric)
    assert result.score == 0
    assert all(q.status is Status.NOT_FOUND and q.summary.startswith("No answer found") for q in result.questions)


def test_feedback_prints_the_computed_numbers(rubric):
    q = by_question(grade_document(read_text(one_question("2b", "$m_N = (-0.1, 0.467)$"), "a.md"), rubric))["2b"]
    text = " ".join(m.feedback for m in q.misconceptions)
    assert "(-0.1000, 0.4667)" in text and "= 2 here" in text
    assert "{{" not in rubric.question("2a").statement and "\\sigma^2 = 0.5" in rubric.question("2a").statement


# Solving for a name the other statements only have on their left side is a result, not a definition
# (grader/extract/expressions.py): Bishop's derivations end this way.
@pytest.mark.parametrize("text,final", [
    (r"$S_N^{-1} m_N = \frac{1}{\sigma^2} X^T y$, so $$m_N = \frac{1}{\sigma^2} S_N X^T y$$",
     r"\frac{1}{\sigma^2} S_N X^T y"),
    (r"$$S_N^{-1} = A$$ hence $$S_N = A^{-1}$$", "A^{-1}"),
    # A name used on a right side stays a definition, whatever word comes before it.
    (r"$$\mathbb{E}[w] = S_N b$$ so $$S_N = A^{-1}$$", "S_N b"),
    # Without a concluding word, a statement about the name still makes "NAME = …" a definition.
    (r"$$S_N^{-1} = A$$ $$S_N = A^{-1}$$", "A"),
])
def test_a_name_solved_for_after_a_concluding_word_is_the_result(text, final):
    assert final_expression(text).value == final
