"""The gaussian-em homework in layouts where the answer is right but unusually written: a bare set, a set after a
list of edges, values stated in order, a French "no" that names no limit, French wordings. Each whole submission
is graded as a careful TA would, and nothing is left for a person to review."""

from __future__ import annotations

import json

import pytest

from grading_asserts import assert_grades, assert_only_question, by_question

from grader.grade import grade_document
from grader.read import read_text
from grader.rubric import load_rubric

ALL_RIGHT = {q: (1.0, set(), "correct") for q in ("1a", "1b", "1c", "1d", "2a", "2b", "2c", "2d")}

TERSE = r"""# HW 5

1a) No: $\Sigma_{34} = 0$, so they are uncorrelated.

1b) No, $\operatorname{cov}(X_3, X_4 \mid X_1, X_2) = 0$ because $Q_{34} = 0$ and $X_1, X_2$ are all the others.

1c) $\{X_1\}$

1d) $\begin{bmatrix} 0.91 & -0.63 \\ -0.63 & 0.66 \end{bmatrix}$

2a) $\mu_1 = -0.96$, $\mu_2 = 0.96$

2b) No: by symmetry $m \leftarrow \tanh(m)$, so both means go to 0.

2c) both are 0 (each responsibility is 1/2)

2d) they end at -1 and 1
"""

EDGES = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": [
            "## 1.1\n", "\n", "$\\Sigma_{34} = 0$, so $X_3$ and $X_4$ are **not correlated**."]},
        {"cell_type": "markdown", "metadata": {}, "source": [
            "## 1.2\n", "\n", "Given all the others ($X_1, X_2$), $Q_{34} = 0$ means "
            "$\\operatorname{cov}(X_3, X_4 \\mid X_1, X_2) = 0$: not conditionally correlated."]},
        {"cell_type": "markdown", "metadata": {}, "source": [
            "## 1.3\n", "\n", "Edges of the graph of $Q$ at node 2:\n", "\n",
            "- $Q_{12} = 3$ → edge $X_1 - X_2$\n", "- $Q_{32} = 0$ → no edge\n", "- $Q_{42} = 0$ → no edge\n", "\n",
            "Markov blanket of $X_2$: $\\{X_1\\}$."]},
        {"cell_type": "markdown", "metadata": {}, "source": [
            "## 1.4\n", "\n", "$$\\mathrm{Cov}(Y) = \\begin{pmatrix} 0.91 & -0.63 \\\\ -0.63 & 0.66 \\end{pmatrix}$$"]},
        {"cell_type": "markdown", "metadata": {}, "source": [
            "## 2.1\n", "\n", "The responsibilities are 0.98 and 0.02, so the means become -0.96 and 0.96."]},
        {"cell_type": "markdown", "metadata": {}, "source": [
            "## 2.2\n", "\n", "No. The map is $m \\mapsto \\tanh(m)$; its only fixed point is 0, so the means go to 0."]},
        {"cell_type": "markdown", "metadata": {}, "source": [
            "## 2.3\n", "\n", "They become 0 and 0 after one step (every responsibility is 1/2) and stay there."]},
        {"cell_type": "markdown", "metadata": {}, "source": [
            "## 2.4\n", "\n", "K-means: the centres move to -1 and 1, then nothing changes."]},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}

FRENCH = """Devoir 5

Exercice 1

1) Sigma_34 = 0 donc X3 et X4 sont non corrélées.

2) On conditionne par toutes les autres variables : Q_34 = 0, donc cov(X3, X4 | X1, X2) = 0.

3) La ligne 2 de Q est (3, 5, 0, 0) : la couverture de Markov de X2 est X1.

4) Cov(Y) = [[0.91, -0.63], [-0.63, 0.66]]

Exercice 2

1) mu1 = -0.96 et mu2 = 0.96

2) Non : le seul point fixe est 0, les deux moyennes convergent vers 0.

3) Les deux moyennes deviennent 0 en une itération, puis ne bougent plus.

4) Point fixe : -1 et 1 (atteint en une itération).
"""


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("gaussian-em")


@pytest.mark.parametrize("text, name", [
    (TERSE, "terse.md"),
    (json.dumps(EDGES), "edges.ipynb"),
    (FRENCH, "devoir.txt"),
])
def test_right_answers_in_unusual_layouts_get_full_marks(text, name, rubric):
    result = grade_document(read_text(text, name), rubric)
    assert_grades(result, ALL_RIGHT)
    assert not any(q.needs_review for q in result.questions)


def test_a_french_no_that_names_no_limit_loses_the_limit_and_is_not_flagged(rubric):
    text = FRENCH.replace("2) Non : le seul point fixe est 0, les deux moyennes convergent vers 0.",
                          "2) Non, je ne pense pas. La variance est fixée à 1, grande devant l'écart des points.")
    q = by_question(grade_document(read_text(text, "devoir.txt"), rubric))["2b"]
    assert q.score == pytest.approx(2.5) and not q.misconceptions and not q.needs_review


def test_a_claimed_wrong_limit_is_flagged(rubric):
    text = FRENCH.replace("2) Non : le seul point fixe est 0, les deux moyennes convergent vers 0.",
                          "2) Non : les moyennes se stabilisent autour de ±0.5.")
    q = by_question(grade_document(read_text(text, "devoir.txt"), rubric))["2b"]
    assert q.score == pytest.approx(2.5) and {m.id for m in q.misconceptions} == {"em.wrong-limit"}


def one_question(qid: str, answer: str) -> str:
    return f"# Problem {qid[0]}\n\n## ({qid[1]})\n\n{answer}\n"


@pytest.mark.parametrize("qid, answer, fraction, flags", [
    ("1c", "X1 (its only neighbour in the graph of Q)", 1.0, set()),
    ("1c", "Dans la ligne 2 de Q, $X_1$ est le seul voisin de $X_2$.", 1.0, set()),
    ("1c", "Couverture de Markov : $X_1$ uniquement.", 1.0, set()),
    ("1c", "$M_2 = \\{1\\}$", 1.0, set()),
    ("2b", "Non, elles convergent vers l'origine.", 1.0, set()),
    ("2b", "EM ne converge pas vers $(-1, 1)$ : les moyennes se rapprochent de 0.", 1.0, set()),
    ("2b", "No, they get stuck around ±0.76.", 0.5, {"em.wrong-limit"}),
    ("2c", "0 et 0 (toutes les responsabilités valent 1/2).", 1.0, set()),
    ("2c", "Both means jump to 0 after one step and stay there.", 1.0, set()),
    ("2c", "All responsibilities are 1/2, so both means move to 0 in one step and then don't move.", 1.0, set()),
    ("2c", "They don't move: the two Gaussians are identical.", 0.0, {"em-fixed.no-move"}),
    ("2c", "Les moyennes ne bougent pas : elles restent à 2.", 0.0, {"em-fixed.no-move"}),
    ("2d", "Les centres deviennent -1 et 1 en une itération.", 1.0, set()),
    ("2d", "K-means : les centres deviennent -1 et 1, puis ne bougent plus.", 1.0, set()),
    ("2d", "Les centres ne bougent pas.", 0.0, {"kmeans.no-update"}),
    ("2a", "The responsibilities are 0.98 and 0.02.", 0.0, set()),  # no mean is stated: nothing is read
    # a set closed by "only" / "seulement"
    ("1c", "X1 only: row 2 of Q has a single non-zero off-diagonal entry.", 1.0, set()),
    ("1c", "$X_1$ seulement (la ligne 2 de Q).", 1.0, set()),
    # "neighbours" name the set in an undirected graph (and earn the reason's point, right set or not)
    ("1c", "In the graph of Q the neighbours of X2 are X1.", 1.0, set()),
    ("1c", "The neighbours of X2 are X1 and X3.", 0.2, {"blanket.from-covariance"}),
    # plain-text matrices over several lines, and the matrix stated entry by entry
    ("1d", "Y = AX, so\n\n    Cov(Y) = [ 0.91  -0.63\n              -0.63   0.66 ]", 1.0, set()),
    ("1d", "    | 0,91  -0,63 |\nCov(Y) = |   |\n    | -0,63  0,66 |", 1.0, set()),
    ("1d", "Var(Y1) = 0.71 + 0.2 = 0.91\nVar(Y2) = 0.46 + 0.2 = 0.66\nCov(Y1, Y2) = -0.43 - 0.2 = -0.63", 1.0, set()),
    ("1d", "Var(Y1) = 0.91, Var(Y2) = 0.46 - 0.2 = 0.26, Cov(Y1, Y2) = -0.63", 0.5,
     {"covy.difference-variance"}),
    # decimal commas after "=", closed by a full stop or by the next statement's comma
    ("2a", "Après une itération : mu1 = -0,96, mu2 = 0,96.", 1.0, set()),
    ("2a", "Donc mu1 = 0,96 et mu2 = -0,96.", 0.0, {"em-step.swapped"}),
    ("2a", "(mu1, mu2) = (-0,96 ; 0,96)", 1.0, set()),
    ("2a", "Après une itération, les moyennes valent -0,96 et 0,96.", 1.0, set()),
    # French nearest-centre reasoning for a "yes"
    ("2b", "Oui : chaque point est affecté au centre le plus proche, donc les moyennes convergent vers -1 et 1.",
     0.0, {"em.converges-to-data", "em.hard-assignment-reasoning"}),
])
def test_one_question_wordings(qid, answer, fraction, flags, rubric):
    assert_only_question(grade_document(read_text(one_question(qid, answer), "answer.md"), rubric), qid, fraction,
                         flags)
