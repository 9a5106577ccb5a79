"""Layouts of answers beyond headings: labels in paragraphs, lists, tables, code comments, exercises
that hold several questions, pasted statements with their own labels. Fixtures written for these tests."""

from __future__ import annotations

import json

import pytest

from grader.model import Block, BlockKind, Document
from grader.segment import parse_label, segment
from segment_helpers import answers, regions


@pytest.mark.parametrize(
    "text,expected",
    [
        ("**1.** The gradient", (1, None, None)),
        ("**1a** No", (1, "a", None)),
        ("1) Non corrélées", (1, None, None)),
        ("1a) No", (1, "a", None)),
        ("Q1: yes", (1, None, None)),
        ("Q1 a", (1, "a", None)),
        ("Part A: the mean", (None, "a", None)),
        ("(ii) second part", (None, "b", None)),
        ("(b) [5 points] Are they?", (None, "b", None)),
        ("Question one.", (1, None, None)),
        ("Question three, the mean.", (3, None, None)),
        ("Frage 2 (Determinante)", (2, None, None)),
        ("Esercizio 2", (2, None, None)),
        ("**Second part.** Here we condition", (None, "b", None)),
        ("Question two.\nd det(X) = det(X) tr(X^{-1} dX)", (2, None, None)),  # "d" on the next line is no part
        ("**(a) and (b).** Both false", (None, "a", None)),
        ("[Q3] v | u", (3, None, None)),
        ("Vraag 1 — afgeleide van een spoor", (1, None, None)),  # Dutch, Polish, Swedish, Portuguese
        ("Zadanie 2, część b", (2, "b", None)),
        ("Uppgift 3", (3, None, None)),
        ("Questão 4: EM", (4, None, None)),
        ("问题 1 / Q1 求 ∂Tr(XA)/∂X", (1, None, None)),  # Chinese and Japanese
        ("第2問 答え: det(X) X^{-T}", (2, None, None)),
        ("題目 3", (3, None, None)),
    ],
)
def test_labels_in_a_paragraph(text, expected):
    label = parse_label(text, heading=False)
    assert label is not None and (label.problem, label.part, label.sub) == expected


def test_point_value_is_not_part_of_the_rest():
    assert parse_label("(b) [5 points] Are they?", heading=False).rest == "Are they?"


def test_sub_numbers_in_headings():
    label = parse_label("3.2 Second part", heading=True)
    assert (label.problem, label.sub) == (3, 2) and label.absolute


def test_terse_answers_labelled_number_and_letter(em):
    text = "# Homework\n\n1a) ALPHA\n\n1b) BETA\n\n2c) GAMMA\n\n2d) DELTA\n"
    got = answers(regions(text, em))
    assert got == {"1a": "ALPHA", "1b": "BETA", "2c": "GAMMA", "2d": "DELTA"}


def test_bold_numbers_answer_numbered_questions(basic):
    text = "Answers\n\n**1.** FIRST\n\n**2.** SECOND\n\n**4.** FOURTH\n"
    got = answers(regions(text, basic))
    assert got == {"q1": "FIRST", "q2": "SECOND", "q4": "FOURTH"}


def test_numbered_list_of_answers_in_one_paragraph(basic):
    got = answers(regions("My answers:\n1. FIRST\n2. SECOND\n3. THIRD\n", basic))
    assert got["q1"] == "FIRST" and got["q2"] == "SECOND"
    assert got["q3-mean"] == got["q3-cov"] == "THIRD"


def test_plain_text_lines_with_question_and_part(em):
    text = "Name\n\nQ1 a\nALPHA one\nQ1 b\nBETA two\nQ2 a\nGAMMA three\n"
    found = regions(text, em, "a.txt")
    assert answers(found) == {"1a": "ALPHA one", "1b": "BETA two", "2a": "GAMMA three"}
    assert found["1b"].how.startswith('the label "Q1 b" in line ')


def test_table_with_one_row_per_question(em):
    text = ("Summary:\n\n| Question | Result | Reason |\n|---|---|---|\n| 1(a) | No | zero entry |\n"
            "| 1(c) | {X1} | |\n| 2(b) | Yes | |\n")
    found = regions(text, em)
    # the Result column is the row's stated answer: read as emphasized, beside the reason
    assert answers(found) == {"1a": "**No**\nzero entry", "1c": "**{X1}**", "2b": "**Yes**"}
    assert found["1c"].how == 'the table row "1(c)" in line 6'


def test_answers_in_code_comments(em):
    blocks = (
        Block(BlockKind.PROSE, "**Question 1 :** matrices", "cell 1"),
        Block(BlockKind.CODE, "import numpy as np\n# a) Answer: ALPHA\nprint(0)", "cell 2"),
        Block(BlockKind.OUTPUT, "0.0", "cell 2 output"),
        Block(BlockKind.CODE, "# b)\nprint(1)", "cell 3"),
        Block(BlockKind.PROSE, "b) BETA in words", "cell 4"),
    )
    found = segment(Document("t.ipynb", "notebook", blocks), em)
    first = found["1a"].blocks
    assert [b.kind for b in first] == [BlockKind.CODE, BlockKind.OUTPUT, BlockKind.PROSE]
    assert first[-1].text == "ALPHA"  # the answer follows what the cell printed
    assert "import numpy" not in found["1a"].text()
    assert found["1b"].text().endswith("BETA in words")
    assert found["1a"].how == 'the code comment "a)" in cell 2, under "Question 1"'


def test_labels_after_their_code_cells(basic):
    blocks = (
        Block(BlockKind.HEADING, "Matrix calculus", "cell 1", level=2),
        Block(BlockKind.CODE, "check_trace()", "cell 2"),
        Block(BlockKind.PROSE, "**Q1.** TRACE", "cell 3"),
        Block(BlockKind.CODE, "check_det()", "cell 4"),
        Block(BlockKind.OUTPUT, "True", "cell 4 output"),
        Block(BlockKind.PROSE, "**Q2.** DET", "cell 5"),
    )
    found = segment(Document("t.ipynb", "notebook", blocks), basic)
    assert "check_det" in found["q2"].text() and "check_det" not in found["q1"].text()
    assert found["q2"].text().endswith("DET")


def test_an_exercise_holds_several_questions_and_the_next_follows_in_order(basic):
    text = ("## Exercise 1\n\n**1)** TRACE\n\n**2)** DET\n\n## Exercise 2\n\nPOSTERIOR\n\n## Exercise 3\n\nLOGZ\n")
    found = regions(text, basic)
    assert answers(found) == {"q1": "TRACE", "q2": "DET", "q3-mean": "POSTERIOR", "q3-cov": "POSTERIOR",
                              "q4": "LOGZ"}
    assert "by the order of the answers" in found["q4"].how


def test_french_heading_keywords_beat_the_section_number(basic):
    text = ("## 1 Dérivées\n\n### Question 1\n\nTRACE\n\n### Question 2\n\nDET\n\n"
            "## 2 Calcul de la loi a posteriori\n\nPOSTERIOR\n\n## 3 Algorithme EM\n\nLOGZ\n")
    found = regions(text, basic)
    assert answers(found)["q3-cov"] == "POSTERIOR" and answers(found)["q4"] == "LOGZ"
    assert found["q4"].how.endswith('whose words match "EM"')


def test_numbered_items_under_an_exercise_are_its_parts(em):
    text = "Exercice 2\n\n1) ALPHA\n\n2) BETA\n\nExercice 1\n\n3) GAMMA\n"
    got = answers(regions(text, em, "a.txt"))
    assert got == {"2a": "ALPHA", "2b": "BETA", "1c": "GAMMA"}


def test_letters_that_start_again_belong_to_the_next_problem(em):
    got = answers(regions("(a) ONE\n\n(b) TWO\n\n(a) THREE\n\n(d) FOUR\n", em))
    assert got == {"1a": "ONE", "1b": "TWO", "2a": "THREE", "2d": "FOUR"}


def test_pasted_statement_with_its_own_label_keeps_the_students_label(em):
    text = ("# Problem 1\n\n(a) [5 points] Are $X_3$ and $X_4$ correlated?\n\nA) NO they are not\n\n"
            "(b) [5 pts] Are $X_3$ and $X_4$ conditionally correlated given the remaining variables?\n\n"
            "B) ZERO conditional covariance\n")
    found = regions(text, em)
    assert found["1a"].text().strip() == "NO they are not"
    assert found["1b"].text().strip() == "ZERO conditional covariance"
    assert len(found["1a"].statement_blocks) == 1 and len(found["1b"].statement_blocks) == 1


def test_statements_pasted_first_then_answered_with_the_same_labels(em):
    text = ("# Problem 2\n\n(c) Please decide the fixed point of EM when we initialize it from equal means\n\n"
            "(d) Please decide the fixed point of K-means when we initialize it\n\n# Answers\n\n(c) ZERO\n\n(d) MINUS ONE\n")
    got = answers(regions(text, em))
    assert got == {"2c": "ZERO", "2d": "MINUS ONE"}


def test_a_short_answer_full_of_the_statements_symbols_is_an_answer(em):
    text = "# Problem 2\n\n## (a)\n\n$\\mu_1 = -0.96$ and $\\mu_2 = 0.96$ where the initialization is $\\mu_1 = -2$\n"
    assert regions(text, em)["2a"].found


def test_latex_enumerate_under_a_section_per_exercise(basic):
    tex = ("\\documentclass{article}\\begin{document}\n\\section*{Exercise 1}\n\\begin{enumerate}\n"
           "\\item TRACE\n\\item DET\n\\end{enumerate}\n\\section*{Exercise 2}\nPOSTERIOR\n\\end{document}\n")
    got = answers(regions(tex, basic, "a.tex"))
    assert got["q1"] == "TRACE" and got["q2"] == "DET" and got["q3-mean"] == "POSTERIOR"


def test_out_of_order_problems(em):
    text = "## Problem 2\n\n### (b)\n\nTWO-B\n\n## Problem 1\n\n### (a)\n\nONE-A\n"
    assert answers(regions(text, em)) == {"2b": "TWO-B", "1a": "ONE-A"}


def test_notebook_file_with_code_comment_answers(em):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "**Problem 2**"},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
         "source": "x = 1\n# (c) Answer: both means stay equal, 0"},
    ]
    nb = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    found = regions(nb, em, "a.ipynb")
    assert found["2c"].text().strip().endswith("both means stay equal, 0")


# --- labels that count the handout's sections (rubric locate.section) ---------------------------------------------

def test_labels_that_count_the_handouts_sections(basic):
    # the handout's section 1 holds Q1 and Q2, section 2 the posterior, section 3 EM: "1.b)" is Q2, "2.a)" the mean
    text = ("=== Partie 1 : calcul ===\n\n1.a) TRACE\n\n1.b) DET\n\n=== Partie 2 : loi a posteriori ===\n\n"
            "2.a) MEAN\n\n2.b) COV\n\n=== Partie 3 : EM ===\n\n3) LOGZ\n")
    got = answers(regions(text, basic, "a.txt"))
    assert got["q1"].endswith("TRACE") and "DET" not in got["q1"] and got["q2"] == "DET"
    assert "MEAN" in got["q3-mean"] and "COV" in got["q3-cov"]
    assert got["q4"].endswith("LOGZ")  # "3)" under "Partie 3" repeats the section's number: no label of question 3


def test_parts_of_a_question_that_groups_two_results_are_not_sections(basic):
    # Q3's mean and covariance share one region: "(a)" and "(b)" under "Q3" are its parts, not section 3 (EM)
    text = "## Q1\n\nTRACE\n\n## Q2\n\nDET\n\n## Q3\n\n(a) MEAN\n\n(b) COV\n\n## Q4\n\nLOGZ\n"
    got = answers(regions(text, basic))
    assert "MEAN" in got["q3-mean"] and "COV" in got["q3-cov"] and got["q4"] == "LOGZ"


def test_a_numbered_list_inside_a_later_section_is_no_question_label(basic):
    # "1." "2." under "Problem 3 — EM" are the steps of the EM answer, not questions 1 and 2 of section 1
    text = ("## Problem 1\n\n### Part (a)\n\nTRACE\n\n### Part (b)\n\nDET\n\n## Problem 2\n\nPOSTERIOR\n\n"
            "## Problem 3 — EM\n\nLOGZ\n\n1. E-STEP\n2. M-STEP\n")
    got = answers(regions(text, basic))
    assert got["q1"] == "TRACE" and got["q2"] == "DET"
    assert "E-STEP" in got["q4"] and "M-STEP" in got["q4"]


def test_a_table_of_final_answers_above_the_derivations_joins_each_answer(basic):
    text = ("## Final answers\n\n| # | what | answer |\n|---|---|---|\n| 1 | trace | ROW1 |\n| 2 | det | ROW2 |\n\n"
            "### 1. Trace\n\nDERIVATION1\n\n### 2. Determinant\n\nDERIVATION2\n")
    found = regions(text, basic)
    got = answers(found)
    assert "ROW1" in got["q1"] and "DERIVATION1" in got["q1"] and "ROW2" not in got["q1"]
    assert got["q2"].index("ROW2") < got["q2"].index("DERIVATION2")
    assert "table of final answers" in found["q1"].how


def test_a_table_that_is_its_questions_only_label_stays_the_answer(em):
    text = ("## Exercise 1 — question (a)\n\nALPHA\n\n## Exercise 2\n\n| question | answer |\n|---|---|\n"
            "| (a) | ROWA |\n| (b) | ROWB |\n")
    got = answers(regions(text, em))
    assert got["1a"] == "ALPHA" and "ROWA" in got["2a"] and "ROWB" in got["2b"]


def test_one_answer_for_two_parts_serves_both(em):
    text = "## Problem 1\n\n**(a) and (b).** BOTH\n\n**(c).** BLANKET\n"
    got = answers(regions(text, em))
    assert "BOTH" in got["1a"] and "BOTH" in got["1b"] and got["1c"] == "BLANKET"
    # a part another label claims is that label's
    got = answers(regions("## Problem 1\n\n**(a) and (b).** BOTH\n\n**(b).** OWN\n", em))
    assert "BOTH" in got["1a"] and got["1b"] == "OWN"


def test_a_printed_line_labels_the_answer_it_prints(em):
    blocks = (
        Block(BlockKind.PROSE, "**1d** — the covariance of Y.", "cell 1"),
        Block(BlockKind.CODE, "print(A @ S @ A.T)", "cell 2"),
        Block(BlockKind.OUTPUT, "1d) Cov(Y) =\n[[0.91 -0.63]\n [-0.63 0.66]]", "cell 2 output"),
        Block(BlockKind.PROSE, "**Problem 2**", "cell 3"),
        Block(BlockKind.CODE, "print(em_step(-2, 2))", "cell 4"),
        Block(BlockKind.OUTPUT, "responsibilities: [0.98 0.02]\n2a) mu1 = -0.964  mu2 = 0.964", "cell 4 output"),
        Block(BlockKind.PROSE, "**2b** — NO", "cell 5"),
    )
    found = segment(Document("t.ipynb", "notebook", blocks), em)
    assert "mu1 = -0.964" in found["2a"].text() and "-0.63 0.66" in found["1d"].text()
    assert "NO" in found["2b"].text() and "mu1" not in found["2b"].text()
