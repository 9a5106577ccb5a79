"""More ways students label their answers: part letters closed by a dash, labels framed by rules, a dash
or a word between problem and part, upper-case roman and bracketed numbers, LaTeX lists whose options
set their labels, a section that claims a question and a sub-heading that names it again, and answers
with no label at all. Fixtures written for these tests."""

from __future__ import annotations

import json

import pytest

from grader.segment import parse_label
from segment_helpers import answers, regions


# --- labels ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text,own,rest",
    [
        ("a- Yes, they are", ("a",), "Yes, they are"),
        ("c - Only X1", ("c",), "Only X1"),
        ("ii- the second one", ("b",), "the second one"),
        ("~~~ ignored ~~~", None, None),
        ("*** Problem 2 ***", (2,), ""),
        ("==== Exercise 2 (mixtures) ====", (2,), "(mixtures)"),
        ("---- Problem 1, part (c) ----", (1, "c"), ""),
        ("Exercise 2 — question (b)", (2, "b"), ""),
        ("Problem 1 – item c: text", (1, "c"), "text"),
        ("Problem 2, Q (d)", (2, "d"), ""),
        ("Problem 2 / (b) more", (2, "b"), "more"),
        ("Exercise 1 — a Gaussian vector", (1,), "a Gaussian vector"),
        ("III. The posterior", (3,), "The posterior"),
        ("II) Determinant", (2,), "Determinant"),
        ("IV - Mixtures", (4,), "Mixtures"),
        ("Exercice II : suite", (2,), "suite"),
        ("**(2)** $x$", (2,), "$x$"),
        ("[3] the third", (3,), "the third"),
        ("4° dernière", (4,), "dernière"),
    ],
)
def test_more_label_styles(text, own, rest):
    label = parse_label(text, heading=False)
    if own is None:
        assert label is None
    else:
        assert label is not None and label.own == own and label.rest == rest


@pytest.mark.parametrize(
    "text",
    ["a - b = 0", "a-b is small", "c - 2 = x", "I - A is invertible", "I am sure", "(1)", "1 - x = 0",
     "b -1 is the inverse"],
)
def test_math_and_words_that_are_not_labels(text):
    assert parse_label(text, heading=False) is None


# --- plain text and Markdown -------------------------------------------------------------------------

def test_plain_text_parts_closed_by_a_dash_under_framed_headers(em):
    text = ("Homework -- Ada\n\n--- Problem 1 (Gaussian vectors) ---\n\na- ONE-A\n\nb- ONE-B\n   goes on\n\n"
            "c - ONE-C\n\nd- ONE-D\n\n--- Problem 2 (EM) ---\n\na- TWO-A\n\nb- TWO-B\n\nc- TWO-C\n\nd- TWO-D\n")
    got = answers(regions(text, em, "hw.txt"))
    assert got == {"1a": "ONE-A", "1b": "ONE-B\n   goes on", "1c": "ONE-C", "1d": "ONE-D",
                   "2a": "TWO-A", "2b": "TWO-B", "2c": "TWO-C", "2d": "TWO-D"}


def test_a_line_of_math_with_a_dash_does_not_cut_an_answer(em):
    text = "Problem 1\n\n(d) Var(Y1) is\na - b = 0.91 here\n\n(c) {X1}\n"
    got = answers(regions(text, em, "hw.txt"))
    assert got["1d"] == "Var(Y1) is\na - b = 0.91 here" and got["1c"] == "{X1}"


def test_headings_with_a_dash_and_a_word_before_the_part(em):
    text = ("# HW\n\n## Problem 1 — question (a)\n\nALPHA\n\n## Problem 1 — question (b)\n\nBETA\n\n"
            "## Problem 2, item (c)\n\nGAMMA\n")
    assert answers(regions(text, em)) == {"1a": "ALPHA", "1b": "BETA", "2c": "GAMMA"}


def test_upper_case_roman_problem_numbers_with_title_lines(basic):
    text = ("Worksheet 1\n\nI. Gradient of the trace\n\n   TRACE\n\nII. Gradient of the determinant\n\n   DET\n\n"
            "III. Joint and posterior\n\n   POSTERIOR\n\nIV. Expectation maximisation\n\n   BOUND\n")
    got = answers(regions(text, basic, "hw.txt"))
    assert got["q1"].endswith("TRACE") and got["q2"].endswith("DET") and got["q4"].endswith("BOUND")
    assert got["q3-mean"] == got["q3-cov"] and got["q3-mean"].endswith("POSTERIOR")


def test_a_title_line_names_its_question_by_its_keywords(basic):
    text = "Answers\n\n1. TRACE\n\n2. DET\n\nThe EM algorithm\n\nBOUND\n"
    found = regions(text, basic, "hw.txt")
    assert found["q4"].text().strip() == "BOUND" and "EM" in found["q4"].how


def test_numbers_in_brackets_and_degrees(basic):
    text = "**(1)** TRACE\n\n**(2)** DET\n\n[3] POSTERIOR\n\n4° BOUND\n"
    got = answers(regions(text, basic))
    assert got == {"q1": "TRACE", "q2": "DET", "q3-mean": "POSTERIOR", "q3-cov": "POSTERIOR", "q4": "BOUND"}


def test_an_equation_number_on_its_own_line_is_not_a_label(basic):
    text = "**1.** $$A^T$$\n(1)\n\n**2.** DET\n"
    got = answers(regions(text, basic))
    assert got["q2"] == "DET" and "A^T" in got["q1"]


def test_a_sub_heading_naming_the_question_a_section_claimed(basic):
    text = ("## Matrix calculus\n\n### Q1\n\nTRACE\n\n### Q2\n\nDET\n\n## The posterior distribution\n\n### Q3\n\n"
            "POSTERIOR\n\n## EM\n\n### Q4\n\nBOUND\n")
    got = answers(regions(text, basic))
    assert got == {"q1": "TRACE", "q2": "DET", "q3-mean": "POSTERIOR", "q3-cov": "POSTERIOR", "q4": "BOUND"}


def test_a_list_of_parts_under_headings_without_numbers(em):
    text = ("# HW\n\n## Gaussian vectors\n\n1. ONE-A\n\n2. ONE-B\n\n3. ONE-C\n\n4. ONE-D\n\n## Mixtures\n\n"
            "1. TWO-A\n\n2. TWO-B\n\n3. TWO-C\n")
    assert answers(regions(text, em)) == {"1a": "ONE-A", "1b": "ONE-B", "1c": "ONE-C", "1d": "ONE-D",
                                          "2a": "TWO-A", "2b": "TWO-B", "2c": "TWO-C"}


def test_a_numbered_list_inside_a_part_stays_in_that_part(em):
    text = "# Problem 1\n\n(a) ALPHA\n\n(b) first:\n\n1. step one\n\n2. step two\n\n3. step three\n\n(c) GAMMA\n"
    got = answers(regions(text, em))
    assert got["1a"] == "ALPHA" and got["1c"] == "GAMMA" and "step two" in got["1b"]


# --- code comments -----------------------------------------------------------------------------------

def test_code_comments_framed_by_rules(em):
    def code(source):
        return {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [], "source": source}

    cells = [code("# ===== Problem 1, part (a) =====\nprint(0)\n# Answer: ALPHA"),
             code("# ----- Problem 2, part (d) -----\nprint(1)\n# Answer: DELTA")]
    nb = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    found = regions(nb, em, "a.ipynb")
    assert found["1a"].text().strip().endswith("ALPHA") and found["2d"].text().strip().endswith("DELTA")
    assert "part (a)" in found["1a"].how


# --- LaTeX -------------------------------------------------------------------------------------------

def _tex(body: str) -> str:
    return "\\documentclass{article}\n\\usepackage{enumitem}\n\\begin{document}\n" + body + "\n\\end{document}\n"


@pytest.mark.parametrize("options", ["[(a)]", "[a)]", "[label=(\\alph*)]", "[label=\\alph*.]"])
def test_latex_lists_labelled_by_their_options_under_numbered_sections(em, options):
    body = "\n".join([
        "\\section{Gaussian vectors}", f"\\begin{{enumerate}}{options}", "\\item ONE-A", "\\item ONE-B",
        "\\item ONE-C", "\\end{enumerate}",
        "\\section{Mixtures}", f"\\begin{{enumerate}}{options}", "\\item TWO-A", "\\item TWO-B", "\\end{enumerate}"])
    assert answers(regions(_tex(body), em, "a.tex")) == {"1a": "ONE-A", "1b": "ONE-B", "1c": "ONE-C",
                                                         "2a": "TWO-A", "2b": "TWO-B"}


def test_latex_plain_lists_under_unnumbered_sections(em):
    items = "\\begin{enumerate}\n\\item A\n\\item B\n\\item C\n\\item D\n\\end{enumerate}"
    body = "\\section*{Gaussian vectors}\n" + items.replace("\\item ", "\\item ONE-") + \
        "\n\\section*{Mixtures}\n" + items.replace("\\item ", "\\item TWO-")
    got = answers(regions(_tex(body), em, "a.tex"))
    assert got == {f"{p}{c}": f"{w}-{c.upper()}" for p, w in (("1", "ONE"), ("2", "TWO")) for c in "abcd"}


def test_latex_section_keyword_then_a_subsection_naming_the_question(basic):
    body = "\n".join(["\\section{Matrix calculus}", "\\subsection*{Question 1}", "TRACE",
                      "\\subsection*{Question 2}", "DET", "\\section{Posterior}", "\\subsection*{Question 3}",
                      "POSTERIOR", "\\section{The EM algorithm}", "\\subsection*{Question 4}", "BOUND"])
    got = answers(regions(_tex(body), basic, "a.tex"))
    assert got == {"q1": "TRACE", "q2": "DET", "q3-mean": "POSTERIOR", "q3-cov": "POSTERIOR", "q4": "BOUND"}


# --- no label at all ---------------------------------------------------------------------------------

def test_unlabelled_answers_in_the_questions_order(basic):
    text = ("Worksheet -- Sam Lee\n\n"
            "The trace Tr(XA) is linear in X, so the gradient is A^T\n\n"
            "For det(X) use the cofactors: the gradient is det(X) X^{-T}\n\n"
            "Posterior: the joint of (v, u) is Gaussian, so v|u has mean mu + J(u - L mu - m)\n"
            "and covariance K - JLK\n")
    found = regions(text, basic, "hw.txt")
    assert "A^T" in found["q1"].text() and "cofactors" in found["q2"].text()
    assert "K - JLK" in found["q3-cov"].text() and not found["q4"].found
    assert all("by the order of the answers" in found[q].how for q in ("q1", "q2", "q3-mean"))
    assert "Sam Lee" not in " ".join(r.text() for r in found.values())


def test_unlabelled_answers_a_keyword_places_the_one_after(basic):
    text = ("The gradient of Tr(XA) is A^T\n\n"
            "EM: f is the log joint and q the posterior of z\n\n"
            "and the bound is tight at the posterior\n")
    found = regions(text, basic, "hw.txt")
    assert "A^T" in found["q1"].text() and "tight" in found["q4"].text()
    assert not found["q2"].found and not found["q3-mean"].found


def test_a_labelled_file_never_falls_back_to_the_order(basic):
    text = "Intro paragraph with x = 1\n\nQ2: DET\n\nmore about it\n"
    found = regions(text, basic, "hw.txt")
    assert answers(found) == {"q2": "DET\n\nmore about it"}
    assert not any("order" in r.how for r in found.values())


def test_letters_and_lower_case_romans_count_questions_without_parts(basic):
    text = "(i) TRACE\n\n(ii) DET\n\n(iii) POSTERIOR\n\n(iv) BOUND\n"
    got = answers(regions(text, basic))
    assert got == {"q1": "TRACE", "q2": "DET", "q3-mean": "POSTERIOR", "q3-cov": "POSTERIOR", "q4": "BOUND"}


def test_unlabelled_notebook_cells_under_a_title(basic):
    def md(source):
        return {"cell_type": "markdown", "metadata": {}, "source": source}

    cells = [md("# Homework\n\nSam Lee"), md("The gradient of the trace is $A^T$"),
             md("The gradient of the determinant is $\\det(X) X^{-T}$")]
    nb = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    found = regions(nb, basic, "a.ipynb")
    assert "A^T" in found["q1"].text() and "X^{-T}" in found["q2"].text() and not found["q4"].found
    assert "Sam Lee" not in found["q1"].text()


def test_labels_that_match_no_question_are_not_guessed_about(basic):
    text = "Problem 7: A^T\n\nProblem 8: det(X) X^{-T}\n"
    assert answers(regions(text, basic, "hw.txt")) == {}


def test_title_lines_without_labels_placed_by_the_order_and_their_keywords(basic):
    text = ("Homework 1\n\nTrace\n\nWe get A^T since d Tr(XA) = Tr(A dX).\n\nDeterminant\n\n"
            "Jacobi gives det(X) X^{-T}.\n\nThe EM algorithm\n\nf = log p(x, z) and q is the posterior of z\n")
    found = regions(text, basic, "hw.txt")
    assert "A^T" in found["q1"].text() and "Jacobi" in found["q2"].text()
    assert "log p(x, z)" in found["q4"].text() and not found["q3-mean"].found
    assert found["q1"].how.startswith('the title "Trace"') and "by the order of the answers" in found["q1"].how
    assert "Homework" not in found["q1"].text()


def test_the_next_exercise_is_not_a_repeat_of_the_current_part(em):
    text = "Exercice 1\n\na) ALPHA\n\nb) BETA\n\nExercice 2\n\na) EPS\n\nb) ZETA\n"
    assert answers(regions(text, em, "hw.txt")) == {"1a": "ALPHA", "1b": "BETA", "2a": "EPS", "2b": "ZETA"}


@pytest.mark.parametrize("text,rest", [
    ("2d) -1 and 1", "-1 and 1"),  # the minus of a negative number is the answer's
    ("Q1: -2", "-2"),
    ("2) -.5 and .5", "-.5 and .5"),
    ("(b) - the answer is yes", "the answer is yes"),  # a dash that separates is not
    ("**1.** - yes", "yes"),
])
def test_a_label_keeps_the_sign_of_the_answer_after_it(text, rest):
    from grader.segment.labels import parse_label

    assert parse_label(text, heading=False).rest == rest


@pytest.mark.parametrize("text,own,rest", [
    ("(1a) Are X3 and X4 correlated?", (1, "a"), "Are X3 and X4 correlated?"),
    ("*(2b) Will EM converge?*", (2, "b"), "Will EM converge?"),  # the italics closed after the label's line
    ("**(1c)** the blanket", (1, "c"), "the blanket"),
    ("[2.d] K-means", (2, "d"), "K-means"),
    ("(1 c) blah", (1, "c"), "blah"),
    ("Question (2a): yes", (2, "a"), "yes"),
    ("**Q1 — the trace**", (1,), "the trace"),
])
def test_a_number_and_its_part_in_one_bracket(text, own, rest):
    label = parse_label(text, heading=False)
    assert label is not None and label.own == own and label.rest == rest


def test_questions_restated_in_italics_before_answer_lines_are_set_aside(em):
    text = ("Problem 1\n\n"
            "*(1b) Are X3 and X4 conditionally correlated given the rest, i.e. is the covariance zero?*\n\n"
            "Answer: No, they are not; cov = 0 since Q34 = 0.\n\n"
            "*(1d) With Y1 = X1 + X4 and Y2 = X2 - X4, compute the covariance matrix of Y.*\n\n"
            "Answer: [[0.91, -0.63], [-0.63, 0.26]]\n\n"
            "Problem 2\n\n*(2c) What is the fixed point of EM started from both means at 2?*\n\n"
            "Answer: mu1 = mu2 = 0.\n")
    found = answers(regions(text, em, "hw.md"))
    assert found == {"1b": "No, they are not; cov = 0 since Q34 = 0.", "1d": "[[0.91, -0.63], [-0.63, 0.26]]",
                     "2c": "mu1 = mu2 = 0."}


def test_a_question_the_student_answers_in_the_same_paragraph_is_not_set_aside(em):
    text = "Problem 2\n\n(2c) What is the fixed point of EM from 2 and 2? I get 0 and 0.\n"
    assert "I get 0 and 0" in answers(regions(text, em, "hw.md"))["2c"]


def test_a_label_that_repeats_its_heading_is_no_part_of_it(em):
    text = ("\\section*{Problem 2: Expectation maximization}\n\n\\paragraph{Problem 2.}\n"
            "(a) ALPHA\n(b) BETA\n(c) GAMMA\n")
    found = answers(regions(text, em, "hw.tex"))
    assert found == {"2a": "ALPHA", "2b": "BETA", "2c": "GAMMA"}


@pytest.mark.parametrize("text,own,also", [
    ("1(a) and 1(b).", (1, "a"), ("b",)),
    ("2c & 2d: both", (2, "c"), ("d",)),
    ("(1a) and (1b) no", (1, "a"), ("b",)),
    ("1(a) and 2(b)", (1, "a"), ()),  # another problem's part is no part of this label
])
def test_one_label_for_two_parts_of_a_problem(text, own, also):
    label = parse_label(text, heading=True)
    assert label.own == own and label.also == also


def test_the_paragraphs_of_two_parts_under_one_label_are_divided_by_what_they_are_about(em):
    text = ("## Problem 2\n\n### 2(c) and 2(d)\n\nBoth are fixed points.\n\n"
            "**EM from mu1 = mu2 = 2:** every responsibility is 1/2, so mu1 = mu2 = 0.\n\n"
            "**K-means from (-2, 2):** the centres move to mu1 = -1, mu2 = 1.\n")
    found = answers(regions(text, em, "hw.md"))
    assert found["2c"].startswith("Both are fixed points.") and "mu1 = mu2 = 0" in found["2c"]
    assert "K-means" not in found["2c"]
    assert found["2d"].startswith("Both are fixed points.") and "mu1 = -1" in found["2d"] and "EM from" not in found["2d"]
    assert 'its paragraph that starts "**K-means from (-2, 2):**' in regions(text, em, "hw.md")["2d"].how


def test_one_paragraph_for_two_parts_is_cut_where_it_names_each_part(em):
    text = ("PROBLEM 2\n\n(c) and (d): for (c), both components are equal, so mu1 = mu2 = 0. For (d), K-means from "
            "(-2, 2) moves the centres to mu1 = -1, mu2 = 1.\n")
    found = answers(regions(text, em, "hw.txt"))
    assert "mu1 = mu2 = 0" in found["2c"] and "K-means" not in found["2c"]
    assert found["2d"].startswith("For (d)") and "mu1 = mu2 = 0" not in found["2d"]


def test_two_parts_under_one_label_share_it_when_their_paragraphs_do_not_say_which_is_which(em):
    text = "## Problem 2\n\n### 2(c) and 2(d)\n\nFirst: mu1 = mu2 = 0.\n\nThen: mu1 = -1, mu2 = 1.\n"
    found = answers(regions(text, em, "hw.md"))
    assert found["2c"] == found["2d"] and "mu1 = -1" in found["2c"]


@pytest.mark.parametrize("text,own", [("Part 1 / a.", (1, "a")), ("Parte 2 / d.", (2, "d")), ("Problem 1 / a. The", (1, "a"))])
def test_a_part_after_a_slash_closed_by_a_dot(text, own):
    assert parse_label(text, heading=False).own == own


def test_a_part_label_under_a_question_without_parts_is_an_item_of_its_answer(basic):
    text = ("\\section*{1 Matrix calculus}\nA^T\n\n\\section*{2 Joint and posterior distributions}\nK - JLK\n\n"
            "\\section*{3 EM algorithm}\n\\begin{description}\n"
            "\\item[(a)] f is the complete-data log-likelihood and q the posterior.\n\\end{description}\n")
    found = answers(regions(text, basic, "hw.tex"))
    assert "complete-data log-likelihood" in found["q4"]


@pytest.mark.parametrize("text,own", [
    ("**a.** The covariance", ("a",)),
    ("1) a. Yes", (1, "a")),
    ("1)a) Yes", (1, "a")),
    ("2) (b) No", (2, "b")),
    ("1) a vector is Gaussian", (1,)),  # an article, not a part
    ("Problema 1, apartado a) No", (1, "a")),
])
def test_more_ways_to_write_a_number_and_its_part(text, own):
    assert parse_label(text, heading=False).own == own


def test_after_a_colon_a_bare_letter_is_no_part_unless_it_closes_itself():
    assert parse_label("Q2: d det(X)/dX = det(X) X^{-T}", heading=False).own == (2,)
    assert parse_label("Q2: b) the blanket", heading=False).own == (2, "b")
    assert parse_label("Q1 a the trace", heading=False).own == (1, "a")


def test_labels_after_a_summary_table_are_read_as_without_it(em):
    text = ("| | answer |\n|---|---|\n| 1 (a) | No |\n| 1 (b) | No |\n| 1 (d) | [[0.91, -0.63], [-0.63, 0.66]] |\n\n"
            "**Problem 1**\n\na) ALPHA\n\nb. BETA\n\n1c) GAMMA\n\n(d) DELTA\n")
    found = answers(regions(text, em, "hw.md"))
    assert found["1a"].endswith("ALPHA") and found["1b"].endswith("BETA") and found["1c"] == "GAMMA"
    assert found["1d"].endswith("DELTA") and "GAMMA" not in found["1d"]


def test_a_part_after_a_number_and_part_label_is_its_sibling(em):
    found = answers(regions("1c) GAMMA\n\n(d) DELTA\n", em, "hw.md"))
    assert found == {"1c": "GAMMA", "1d": "DELTA"}


@pytest.mark.parametrize("text,heading,own", [
    ("P2.a", True, (2, "a")), ("P1", True, (1,)), ("P1.c) ok", False, (1, "c")), ("P2 a) x", False, (2, "a")),
    ("P1 = 0.3 here", False, None), ("P_34 = 0", False, None),  # values, not labels
])
def test_a_problem_number_after_a_p(text, heading, own):
    label = parse_label(text, heading=heading)
    assert (label.own if label else None) == own


def test_code_labelled_by_its_own_comments_stays_with_them_when_a_markdown_label_follows(em):
    import json

    def md(text):
        return {"cell_type": "markdown", "metadata": {}, "source": text}

    def code(text, out):
        return {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": text,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": out}]}

    cells = [md("## Problem 1"), code("# (c) the blanket\nrow = Q[1]\n# ANSWER (c): MB(X2) = {X1}", "{'X1'}\n"),
             md("(d) Cov(Y) = [[0.91, -0.63], [-0.63, 0.66]]"), code("print(A @ S @ A.T)", "[[0.91 -0.63]]\n"),
             md("(a) No, Sigma_34 = 0.")]
    nb = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    found = answers(regions(nb, em, "hw.ipynb"))
    assert "MB(X2) = {X1}" in found["1c"] and "{'X1'}" in found["1c"]
    assert "MB(X2)" not in found["1d"]


@pytest.mark.parametrize("text,own", [("I.b Condition on", (1, "b")), ("II.c mu1 = 0", (2, "c")), ("II (b) No", (2, "b")),
                                      ("I am sure", None)])
def test_a_roman_problem_number_with_its_part(text, own):
    label = parse_label(text, heading=False)
    assert (label.own if label else None) == own


def test_a_matrix_drawn_in_ascii_is_no_table(em):
    text = ("I.c X1\n\nI.d Y = A X with\n    | 1  0  0  1 |\nA = |            |\n    | 0  1  0 -1 |\n\n"
            "Cov(Y) = | 0.91  -0.63 |\n         | -0.63  0.66 |\n")
    found = answers(regions(text, em, "hw.txt"))
    assert "0.91" in found["1d"] and "A = |" in found["1d"]


def test_the_rows_of_one_display_labelled_by_their_parts(em):
    text = ("\\section*{Problem 1}\n\\begin{align*}\n\\text{(a)}\\quad & \\Sigma_{34} = 0:\\ \\text{not correlated.}\\\\[4pt]\n"
            "\\text{(b)}\\quad & \\operatorname{Cov} = \\begin{pmatrix}0.2&0\\\\0&0.2\\end{pmatrix}\\\\\n"
            "\\text{(c)}\\quad & \\{X_1\\}\n\\end{align*}\n")
    found = answers(regions(text, em, "hw.tex"))
    assert set(found) == {"1a", "1b", "1c"}
    assert "not correlated" in found["1a"] and "pmatrix" in found["1b"] and "X_1" in found["1c"]


def test_headings_that_name_no_question_each_hold_one_answer_in_order(basic):
    text = ("# TD\n\nAyesha\n\n## A(i)\n\nThe trace is linear.\n\n$$\\nabla = A^T$$\n\nChecked numerically.\n\n"
            "## A(ii)\n\nJacobi gives the gradient.\n\n$$\\det(X) X^{-T}$$\n\n## B\n\nCompleting the square:\n\n"
            "$$\\operatorname{Cov}(v|u) = K - JLK$$\n\nFor the mean:\n\n$$\\mu + J(u - L\\mu - m)$$\n\n"
            "## C\n\nf is the complete-data log-likelihood.\n")
    found = answers(regions(text, basic, "hw.md"))
    assert "A^T" in found["q1"] and "Checked numerically" in found["q1"]
    assert "X^{-T}" in found["q2"] and "K - JLK" in found["q3-cov"] and "mu + J" in found["q3-mean"]
    assert "complete-data" in found["q4"]


def test_headings_of_parts_and_problems_at_inconsistent_levels(em):
    text = ("# Exercice 1\n\n## a)\n\nALPHA\n\n### b)\n\nBETA\n\n# c)\n\nGAMMA\n\n## d)\n\nDELTA\n\n"
            "#### Exercice 2\n\n## a)\n\nEPSILON\n\n# c)\n\nETA\n")
    found = answers(regions(text, em, "hw.md"))
    assert found == {"1a": "ALPHA", "1b": "BETA", "1c": "GAMMA", "1d": "DELTA", "2a": "EPSILON", "2c": "ETA"}


def test_answers_between_horizontal_rules_are_one_answer_each(em):
    text = ("Sam\n\nNo, they are not correlated: $\\Sigma_{34} = 0$.\n\n---\n\nNo, the conditional covariance is zero.\n\n"
            "---\n\n$X_1$ only.\n\n---\n\n$$\\operatorname{Cov}(Y) = \\begin{pmatrix}0.91&-0.63\\\\-0.63&0.66\\end{pmatrix}$$\n\n"
            "(I used the rounded Sigma.)\n\n---\n\n$\\mu_1 = -0.96$, $\\mu_2 = 0.96$.\n")
    found = answers(regions(text, em, "hw.md"))
    assert "rounded Sigma" in found["1d"] and found["2a"].startswith("$\\mu_1 = -0.96$")
