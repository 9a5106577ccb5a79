"""LaTeX's exam class: questions, parts and solutions read as the headings LaTeX prints for them."""

from __future__ import annotations

from grader.grade import grade_document
from grader.model import BlockKind
from grader.read import read_text
from grader.rubric import load_rubric

EXAM = r"""\documentclass[answers]{exam}
\begin{document}
\begin{questions}
\question[10] Gaussian vectors.
\begin{parts}
\part Are $X_3$ and $X_4$ correlated?
\begin{solution}
No: $\Sigma_{34} = 0$, so they are uncorrelated.
\end{solution}
\part[5] Find the Markov blanket of $X_2$.
\begin{solution}
$\{X_1\}$, from row 2 of the precision matrix $Q$.
\end{solution}
\end{parts}
\question Expectation maximization.
\begin{parts}
\part Will EM converge to $\mu_1 = -1$, $\mu_2 = 1$?
\begin{solution}
No, they shrink to 0.
\end{solution}
\end{parts}
\end{questions}
\end{document}
"""


def test_questions_and_parts_become_numbered_headings_and_solutions_the_answers():
    doc = read_text(EXAM, "hw.tex")
    headings = [(b.level, b.text) for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings[:3] == [(2, "Question 1 Gaussian vectors."), (3, "(a) Are $X_3$ and $X_4$ correlated?"),
                            (4, "Solution")]
    assert (3, "(b) Find the Markov blanket of $X_2$.") in headings
    assert (2, "Question 2 Expectation maximization.") in headings
    assert [t for _, t in headings].count("Solution") == 3
    assert doc.blocks[0].origin == "line 4"  # lines rewritten in place: origins stay the student's


def test_a_part_s_question_text_is_never_its_answer():
    result = {q.question_id: q for q in grade_document(read_text(EXAM, "hw.tex"), load_rubric("gaussian-em")).questions}
    assert result["1a"].score == result["1a"].points
    assert result["1a"].answer_excerpt == "No: $\\Sigma_{34} = 0$, so they are uncorrelated."
    assert "Question 2" in result["2a"].how_found and result["2a"].answer_excerpt == "No, they shrink to 0."
