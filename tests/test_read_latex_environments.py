"""Question environments of LaTeX templates (``\\begin{question} … \\end{question}``, ``\\newtheorem{exo}{Exercice}``)
read as the headings LaTeX prints for them, and ``solution`` environments as the answers."""

from __future__ import annotations

from grader.grade import grade_document
from grader.model import BlockKind
from grader.read import read_text
from grader.read.latex_environments import environments_as_sections
from grader.rubric import load_rubric

TEMPLATE = r"""\documentclass{article}
\newcounter{qn}
\newenvironment{question}[1][]{\refstepcounter{qn}\noindent\textbf{Question \theqn\ #1.}\ \itshape}{\par}
\newenvironment{solution}{\noindent\textbf{Solution.}\ }{\par}
\begin{document}
\begin{question}[(trace)]
Compute $\partial \operatorname{Tr}(XA)/\partial X$ for real matrices $A$ and $X$.
\end{question}
\begin{solution}
Entrywise $\partial \operatorname{Tr}(XA)/\partial X_{ij} = A_{ji}$, so the gradient is $A^T$.
\end{solution}

\begin{question}[(determinant)]
Compute $\partial \det(X)/\partial X$ for an invertible $X$.
\end{question}
\begin{solution}
Expanding along row $i$, only the $k = j$ term depends on $X_{ij}$:
\[ \frac{\partial \det X}{\partial X} = (C_{ij})_{i,j}, \quad C_{ij} = (-1)^{i+j}\det(X_{-i,-j}). \]
\end{solution}
\end{document}
"""


def test_each_question_environment_is_a_numbered_heading_and_its_solution_a_solution_heading():
    doc = read_text(TEMPLATE, "hw.tex")
    headings = [b.text for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings == ["Question 1 (trace)", "Solution", "Question 2 (determinant)", "Solution"]
    assert doc.blocks[0].origin == "line 6"  # lines rewritten in place: origins stay the student's


def test_the_question_text_is_set_aside_and_the_matrix_of_cofactors_is_the_answer():
    result = {q.question_id: q for q in grade_document(read_text(TEMPLATE, "hw.tex"),
                                                       load_rubric("basic-knowledge")).questions}
    assert result["q1"].score == result["q1"].points and "Compute" not in result["q1"].answer_excerpt
    assert result["q2"].score == result["q2"].points, [c.message for c in result["q2"].checks]
    assert result["q2"].checks[0].evidence == "(C_{ij})_{i,j}"  # not the index equation "k = j"


def test_the_preamble_names_what_a_theorem_like_environment_prints():
    text = ("\\newtheorem{exo}{Exercice}\n\\newtheorem{problem}{Theorem}\n\\begin{document}\n"
            "\\begin{exo} Gaussiennes \\end{exo}\nNon.\n\\begin{exo}\nEM\n\\end{exo}\n"
            "\\begin{problem} not a question \\end{problem}\n\\end{document}")
    out = environments_as_sections(text).split("\n")
    assert out[3] == "\\subsection*{Exercice 1 Gaussiennes}" and out[5] == "\\subsection*{Exercice 2}"
    assert out[8] == "\\begin{problem} not a question \\end{problem}"  # printed "Theorem": not a question
    assert len(out) == len(text.split("\n"))


def test_a_file_without_question_environments_is_read_as_it_is():
    text = "\\begin{document}\n\\begin{solution}\nA^T\n\\end{solution}\n\\end{document}"
    assert environments_as_sections(text) == text
