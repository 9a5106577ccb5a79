"""Finding each question's answer: labels, headings, template tags, pasted statements."""

from __future__ import annotations

import pytest

from grader.model import Block, BlockKind, Document
from grader.read import read_text
from grader.rubric import load_rubric
from grader.segment import parse_label, segment


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("gaussian-em")


@pytest.mark.parametrize(
    "text,heading,expected",
    [
        ("Problem 1: Gaussian Multivariate", True, (1, None)),
        ("1. Gaussian Multivariate", True, (1, None)),
        ("Question 2", True, (2, None)),
        ("Part (a)", True, (None, "a")),
        ("(b) Are X3 and X4 conditionally correlated?", True, (None, "b")),
        ("**Question 1 :** Let A and X be", False, (1, None)),
        ("A) No, they are not", False, (None, "a")),
        ("**(c)** Please find", False, (None, "c")),
        ("1(b)", True, (1, "b")),
        ("Q2c", True, (2, "c")),
        ("Exercise 2.b", True, (2, "b")),
        ("Problem 2, part (d)", True, (2, "d")),
        ("c. Markov blanket", True, (None, "c")),
        # a label candidate: whether it is question 1 or an item of a list is decided by the labels around it
        ("1. E-step: compute the responsibilities", False, (1, None)),
        ("2 points for this", False, None),  # a number, not a label
        ("Step 1: Calculate the posterior", True, None),
        ("Solution", True, None),
        ("a. an article in prose", False, None),
    ],
)
def test_parse_label(text, heading, expected):
    label = parse_label(text, heading=heading)
    assert (None if label is None else (label.problem, label.part)) == expected


def regions(text: str, rubric, name="a.md"):
    return segment(read_text(text, name), rubric)


LAYOUTS = {
    "problem and parts": "# Problem 1\n\n### (a)\n\nANSWER_A\n\n### (b)\n\nANSWER_B\n\n# Problem 2\n\n### (a)\n\nANSWER_2A\n",
    "question and part": "## Question 1\n\n### Part (a)\n\nANSWER_A\n\n### Part (b)\n\nANSWER_B\n\n## Question 2\n\n"
                         "### Part (a)\n\nANSWER_2A\n",
    "numbered with letters": "# 1. Gaussian Multivariate\n\nA) ANSWER_A\n\nB) ANSWER_B\n\n# 2. EM\n\nA) ANSWER_2A\n",
    "combined labels": "## 1(a)\n\nANSWER_A\n\n## 1(b)\n\nANSWER_B\n\n## 2(a)\n\nANSWER_2A\n",
    "latex": "\\documentclass{article}\n\\begin{document}\n\\section*{Problem 1}\n\\subsection*{(a) Are they correlated?}\n"
             "ANSWER_A\n\n\\subsection*{(b) Conditionally?}\nANSWER_B\n\n\\section*{Problem 2}\n\\subsection*{(a) EM}\n"
             "ANSWER_2A\n\\end{document}\n",
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_layouts(layout, rubric):
    found = regions(LAYOUTS[layout], rubric, "a.tex" if layout == "latex" else "a.md")
    assert found["1a"].text().strip() == "ANSWER_A"
    assert found["1b"].text().strip() == "ANSWER_B"
    assert found["2a"].text().strip() == "ANSWER_2A"
    assert not found["1c"].found and not found["2d"].found


def test_solution_heading_sets_the_statement_aside(rubric):
    found = regions("# Problem 1\n\n### (a)\n\nAre $X_3$ and $X_4$ correlated?\n\n#### Solution\n\nNo.\n", rubric)
    assert found["1a"].text().strip() == "No."
    assert [b.text for b in found["1a"].statement_blocks] == ["Are $X_3$ and $X_4$ correlated?"]


def test_answer_marker_in_prose_keeps_the_working(rubric):
    found = regions("# Problem 2\n\n## (a)\n\nThe responsibilities are 0.98 and 0.02.\n\nAnswer: $\\mu_1 = -0.96$.\n", rubric)
    text = found["2a"].text()
    assert "responsibilities" in text and text.rstrip().endswith("$\\mu_1 = -0.96$.")


def test_an_answer_that_echoes_the_question_is_kept(rubric):
    answer = "I think EM **will** eventually converge to $\\mu_1 = -1$ and $\\mu_2 = 1$, the two data points."
    found = regions(f"# Problem 2\n\n## (b)\n\n{answer}\n", rubric)
    assert found["2b"].found and "I think" in found["2b"].text()


def test_numbered_list_inside_an_answer_is_not_a_new_question(rubric):
    text = "# Problem 2\n\n## (a)\n\nTwo steps:\n\n1. E-step: responsibilities.\n2. M-step: $\\mu_1 = -0.96$.\n"
    found = regions(text, rubric)
    assert "M-step" in found["2a"].text()


def test_template_tags_win_and_keep_added_cells(rubric):
    blocks = (
        Block(BlockKind.HEADING, "Problem 1", "cell 1", level=1),
        Block(BlockKind.PROSE, "tagged answer", "cell 2", tags=("1b",)),
        Block(BlockKind.PROSE, "a cell the student added", "cell 3"),
        Block(BlockKind.PROSE, "next", "cell 4", tags=("1c",)),
    )
    found = segment(Document("t.ipynb", "notebook", blocks), rubric)
    assert found["1b"].text() == "tagged answer\n\na cell the student added"
    assert found["1c"].text() == "next"
    assert found["1b"].how == "template cell tags"


def test_keyword_heading_selects_the_question_against_its_number():
    rubric = load_rubric("gaussian-em")
    # gaussian-em finds questions by number; a heading with a number but no part starts a problem
    found = regions("# 2 Expectation maximization\n\n(c) $\\mu_1 = \\mu_2 = 0$\n", rubric)
    assert found["2c"].found


def test_pasted_formula_is_set_aside_but_an_equation_of_its_symbols_is_an_answer():
    rubric = load_rubric("basic-knowledge")
    pasted = "**Question 1 :** Let $A$ and $X$ be two real-valued matrices, computes\n\n"
    copy = pasted + "$$\\frac{\\partial \\mathrm{Tr}(XA)}{\\partial X}$$\n\n$$= A^\\top$$\n"
    answer = pasted + "$$\\frac{\\partial Tr(XA)}{\\partial X} = XA$$\n"
    copied = regions(copy, rubric)["q1"]
    assert len(copied.statement_blocks) == 2 and copied.text().strip().endswith("= A^\\top\n$$")
    answered = regions(answer, rubric)["q1"]
    assert len(answered.statement_blocks) == 1 and "= XA" in answered.text()


def test_long_blocks_are_segmented_in_linear_time(rubric):
    from timing import fastest

    text = "# Problem 1\n\n## (a)\n\n" + " " * 20_000 + "x\n\n" + "**" + " " * 20_000 + "Solution\n"
    doc = read_text(text, "a.md")
    assert fastest(lambda: segment(doc, rubric)) < 0.5
