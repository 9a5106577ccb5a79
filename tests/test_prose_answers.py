"""Answers in words, English and French: the verdict read, the score and the misconceptions flagged.

Each row is graded through the whole pipeline as a one-question Markdown submission; the verdict
is also read on its own with the rubric's own stance parameters, so a right score cannot hide a
wrong reading.
"""

from __future__ import annotations

import pytest

from grader.checkers import registry
from grader.grade import grade_document
from grader.read import read_text
from grader.rubric import load_rubric

YES, NO, NONE = True, False, None

# (question, answer, verdict on the question's proposition, fraction of the points, misconceptions)
# 1a asks "correlated?", 1b "conditionally correlated?", 2b "converges to the data points?"
ANSWERS = [
    ("1a", "No, they are not correlated: $\\Sigma_{34} = 0$.", NO, 1.0, set()),
    ("1a", "Uncorrelated, since $\\Sigma_{34} = 0$.", NO, 1.0, set()),
    ("1a", "$X_3$ and $X_4$ are **not correlated** because the covariance entry $\\Sigma_{34}$ is 0.", NO, 1.0, set()),
    ("1a", "They are independent (jointly Gaussian with zero covariance).", NO, 1.0, set()),
    ("1a", "No.", NO, 0.6, set()),
    ("1a", "Yes, they are correlated.", YES, 0.0, {"corr.says-correlated"}),
    ("1a", "They are not independent, so they are correlated.", YES, 0.0, {"corr.says-correlated"}),
    ("1a", "They are uncorrelated because $Q_{34} = 0$.", NO, 0.6, {"corr.reads-precision"}),
    ("1a", "Non, $X_3$ et $X_4$ ne sont pas corrélées car $\\Sigma_{34} = 0$.", NO, 1.0, set()),
    ("1a", "Elles sont décorrélées : la covariance est nulle, $\\Sigma_{34} = 0$.", NO, 1.0, set()),
    ("1a", "Oui, elles sont corrélées.", YES, 0.0, {"corr.says-correlated"}),
    ("1b", "Yes, X3 and X4 are conditionally independent given X1 and X2, because $Q_{34} = 0$.", NO, 1.0, set()),
    ("1b", "No: $Q_{34} = 0$ and $\\{X_1, X_2\\}$ are all the other variables.", NO, 1.0, set()),
    ("1b", "The conditional covariance is zero: by the Schur complement it is diag(0.2, 0.2).", NO, 1.0, set()),
    ("1b", "They are not conditionally correlated, since $\\Sigma_{34} = 0$.", NO, 0.5, {"condcov.marginal-reasoning"}),
    ("1b", "Yes, they are conditionally correlated.", YES, 0.0, set()),
    # X4 independent of all the rest: the conclusion holds whatever is conditioned on, a valid reason
    ("1b", "No: $X_4$ is independent of the whole vector $(X_1, X_2, X_3)$ (row 4 of $\\Sigma$ is zero off the "
           "diagonal), so $\\operatorname{cov}(X_3, X_4 \\mid X_1, X_2) = 0$.", NO, 1.0, set()),
    ("1b", "They are not conditionally correlated, since $X_4 \\perp (X_1, X_2, X_3)$.", NO, 1.0, set()),
    ("1b", "$X_1$ and $X_2$ are conditionally independent given $X_1$ and $X_2$ since $Q_{34} = 0$.", NO, 0.75,
     {"condcov.wrong-variables"}),
    ("1b", "No, because $Q_{34} = 0$ makes them independent given any subset of the other variables.", NO, 0.8,
     {"condcov.any-subset"}),
    ("1b", "Non, elles ne sont pas corrélées conditionnellement : $Q_{34} = 0$ et on conditionne sur toutes les "
           "autres variables.", NO, 1.0, set()),
    ("1b", "Oui, $X_3$ et $X_4$ sont indépendantes sachant $X_1, X_2$, car $Q_{34} = 0$.", NO, 1.0, set()),
    ("2b", "No. The means shrink to 0: the update is $m \\leftarrow \\tanh(m)$.", NO, 1.0, set()),
    ("2b", "No, the centroids will converge in the middle of the two data points.", NO, 1.0, set()),
    ("2b", "It will not converge to the data points; both means tend to 0.", NO, 1.0, set()),
    ("2b", "EM doesn't converge to $\\pm 1$: $\\tanh(1) \\approx 0.76$, so 1 is not a fixed point and the means go to 0.",
     NO, 1.0, set()),
    ("2b", "Never: each mean stays a weighted average of both points, so they approach 0.", NO, 1.0, set()),
    ("2b", "No.", NO, 0.5, set()),  # no limit claimed: the limit check's points are lost, no wrong limit flagged
    ("2b", "Non, je ne pense pas. Les deux gaussiennes ont une variance fixée à 1.", NO, 0.5, set()),
    ("2b", "Je ne pense pas qu'EM converge vers les deux points : les moyennes tendent vers 0.", NO, 1.0, set()),
    ("2b", "I think so: each component ends up on one point.", YES, 0.0, {"em.converges-to-data"}),
    ("2b", "No, the means stay near $\\pm 0.96$.", NO, 0.5, {"em.wrong-limit"}),
    ("2b", "No, they converge to 0 quickly, in a few steps.", NO, 0.9, {"em.fast-convergence"}),
    ("2b", "Yes, it will converge to the data points.", YES, 0.0, {"em.converges-to-data"}),
    ("2b", "Yes: two points and two components, so each mean ends on a point.", YES, 0.0, {"em.converges-to-data"}),
    ("2b", "I think EM **will** eventually converge to $\\mu_1 = -1$ and $\\mu_2 = 1$.", YES, 0.0,
     {"em.converges-to-data"}),
    ("2b", "Yes, each point is assigned to its nearest centre, so the means reach the data points.", YES, 0.0,
     {"em.converges-to-data", "em.hard-assignment-reasoning"}),
    ("2b", "Yes: the variances shrink to 0, so the means converge to the data points.", YES, 0.0,
     {"em.converges-to-data", "em.learned-variance"}),
    ("2b", "Non : l'algorithme ne converge pas vers les points, les moyennes tendent vers 0.", NO, 1.0, set()),
    ("2b", "Non, les deux moyennes convergent vers 0.", NO, 1.0, set()),
    ("2b", "Oui, l'algorithme converge vers les deux points.", YES, 0.0, {"em.converges-to-data"}),
    ("2b", "Je pense que non : les moyennes tendent vers 0, lentement.", NO, 1.0, set()),
    ("1c", "$\\{X_1\\}$: the only neighbour of $X_2$ in the precision matrix.", NONE, 1.0, set()),
    ("1c", "$\\{X_1\\}$", NONE, 1.0, set()),  # finding the set is the whole question
    ("1c", "Le seul voisin de $X_2$ dans la matrice de précision est $X_1$ : la couverture de Markov est $\\{X_1\\}$.",
     NONE, 1.0, set()),
    ("1c", "$\\{X_1, X_3\\}$, from the covariance matrix.", NONE, 0.0, {"blanket.from-covariance"}),
]


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("gaussian-em")


def submission(qid: str, answer: str) -> str:
    return f"# Problem {qid[0]}\n\n## ({qid[1]})\n\n{answer}\n"


def test_the_table_is_large_and_bilingual():
    assert len(ANSWERS) >= 40
    french = [a for _, a, *_ in ANSWERS if any(w in a for w in ("Non", "Oui", "les ", "elles", "Elles", "Le seul"))]
    assert len(french) >= 10


@pytest.mark.parametrize("qid,answer,verdict,fraction,flags", ANSWERS)
def test_prose_answer(qid, answer, verdict, fraction, flags, rubric):
    question = rubric.question(qid)
    result = grade_document(read_text(submission(qid, answer), "answer.md"), rubric)
    graded = next(q for q in result.questions if q.question_id == qid)
    assert graded.score == pytest.approx(fraction * graded.points), graded.summary
    assert {m.id for m in graded.misconceptions} == flags
    stance_checks = [c for c in question.checks if c.calls[0].checker == "stance"]
    if verdict is not None:
        call = stance_checks[0].calls[0]
        outcome = registry.call(registry.get("stance"), answer, call.params)
        assert outcome.value is verdict, outcome.evidence


def test_no_misconception_fires_on_a_right_answer(rubric):
    for qid, answer, _, fraction, flags in ANSWERS:
        if fraction == 1.0:
            assert not flags, (qid, answer)


def test_review_rate_on_prose_answers(rubric, review_stats):
    flagged = sum(
        next(q for q in grade_document(read_text(submission(qid, a), "a.md"), rubric).questions
             if q.question_id == qid).needs_review
        for qid, a, *_ in ANSWERS
    )
    review_stats["prose answers (EN/FR)"] = (flagged, len(ANSWERS))
    assert flagged <= len(ANSWERS) // 10
