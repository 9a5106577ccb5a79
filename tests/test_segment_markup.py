"""Labels hidden by markup: docstrings of code cells, blockquotes, inline HTML and footnotes in
Markdown. Fixtures written for these tests."""

from __future__ import annotations

import json

import pytest

from grader.read import read_text
from grader.read.markdown import blocks_from_markdown
from grader.segment import segment


def _notebook(*sources: str) -> str:
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [], "source": s}
             for s in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


# --- docstrings in code cells -------------------------------------------------------------------------

def test_a_function_docstring_labels_its_cell(basic):
    nb = _notebook('def trace_part():\n    """Question 1: the gradient is A^T (JUPITER)."""\n    return 1',
                   '"""Question 2 — the gradient is det(X) X^{-T}\n    as said (SATURN)."""\nprint(2)')
    found = segment(read_text(nb, "a.ipynb"), basic)
    assert "JUPITER" in found["q1"].text() and "SATURN" not in found["q1"].text()
    assert "SATURN" in found["q2"].text() and "def trace_part" in found["q1"].text()
    assert "code comment" in found["q1"].how


def test_a_string_that_is_not_leading_or_has_no_label_is_code(basic):
    nb = _notebook('x = 1\n"""Question 1: not a docstring"""', 'def f():\n    """Helper for the plots."""\n    return 0')
    found = segment(read_text(nb, "a.ipynb"), basic)
    assert not any(r.found for r in found.values())


def test_the_order_never_gives_the_whole_document_to_one_question(em):
    nb = _notebook("import numpy as np\nS = np.eye(4)", "print(S @ S)", "def f(m):\n    return np.tanh(m)")
    found = segment(read_text(nb, "a.ipynb"), em)
    assert not any(r.found for r in found.values())


# --- Markdown markup ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text,want",
    [
        ("> <b>Question 1 a.</b> quoted", ["Question 1 a. quoted"]),
        ("Q<sub>34</sub> = 0 and X<sub>3</sub>", ["Q_{34} = 0 and X_3"]),
        ("A<sup>-1</sup> and B<sup>T</sup>", ["A^{-1} and B^T"]),
        ("x &lt; y&nbsp;&rArr; z &amp; w", ["x < y ⇒ z & w"]),
        ("<strong>Q2.</strong> <em>yes</em><br>next line", ["Q2. yes\nnext line"]),
        ("<p>one</p><p>two</p>", ["one", "two"]),
        ("Answer.[^a] More.\n\n[^a]: the remark", ["Answer. More.", "the remark"]),
        ("[^z]: a note nobody cites", ["a note nobody cites"]),
        ("```\n<b>kept</b> > x\n```", ["<b>kept</b> > x"]),
    ],
)
def test_markdown_markup_is_cleaned(text, want):
    assert [b.text for b in blocks_from_markdown(text)] == want


def test_a_footnote_stays_with_the_answer_that_cites_it_and_lines_keep_their_numbers(basic):
    text = ("<b>Q1.</b> The gradient is A^T.[^1]\n\n<b>Q2.</b> It is det(X) X^{-T}.<br>\nDone.\n\n"
            "<b>Q4.</b> The last one.\n\n[^1]: MERCURY\n")
    blocks = blocks_from_markdown(text)
    assert [b.origin for b in blocks] == ["line 1", "line 1", "line 3", "line 6"]
    found = segment(read_text(text, "a.md"), basic)
    assert "MERCURY" in found["q1"].text() and "MERCURY" not in found["q4"].text()
    assert found["q2"].text().strip().endswith("Done.")


def test_blockquoted_html_labels(em):
    text = ("> <b>Question 1 a.</b> Restated: are they correlated?\n\nNo: Q<sub>34</sub> = 0.\n\n"
            "> <b>Question 2 d.</b> Restated: k-means?\n\nThe centres stay.\n")
    found = segment(read_text(text, "a.md"), em)
    assert "Q_{34} = 0" in found["1a"].text() and "centres stay" in found["2d"].text()
    assert "centres" not in found["1a"].text()


# --- LaTeX description lists --------------------------------------------------------------------------

def test_description_items_with_dotted_numbers_are_the_lettered_parts(em):
    tex = ("\\documentclass{article}\\begin{document}\n\\paragraph{Problem 1.}\n\\begin{description}\n"
           "  \\item[1.1] ALPHA answer\n  \\item[1.3] GAMMA answer\n\\end{description}\n"
           "\\paragraph{Problem 2.}\n\\begin{description}\n  \\item[2.2] BETA answer\n\\end{description}\n"
           "\\end{document}\n")
    found = segment(read_text(tex, "a.tex"), em)
    got = {q: r.text().strip() for q, r in found.items() if r.found}
    assert got == {"1a": "ALPHA answer", "1c": "GAMMA answer", "2b": "BETA answer"}
    assert 'label "1.1"' in found["1a"].how


def test_a_number_like_one_point_five_in_an_item_without_its_own_label_is_text(em):
    tex = ("\\documentclass{article}\\begin{document}\n\\section*{Problem 1}\n\\begin{itemize}\n"
           "  \\item 1.2 times the variance, ALPHA\n\\end{itemize}\n\\end{document}\n")
    found = segment(read_text(tex, "a.tex"), em)
    assert not found["1b"].found


# --- flat answer numbers --------------------------------------------------------------------------------

@pytest.mark.parametrize("word", ["Answer {n}:", "Answer {n}.", "Réponse {n} :"])
def test_flat_answer_numbers_are_the_questions_in_order(em, word):
    words = ["ALPHA", "BETA", "GAMMA", "DELTA", "EPSILON", "ZETA", "ETA", "THETA"]
    text = "My homework\n\n" + "\n\n".join(f"{word.format(n=n)}\n{w} here" for n, w in enumerate(words, 1))
    found = segment(read_text(text, "a.txt"), em)
    ids = [q.id for q in em.questions]
    assert [found[q].text().strip() for q in ids] == [f"{w} here" for w in words]


def test_flat_numbers_that_are_not_one_per_question_are_not_mapped(em):
    text = "Answer 1:\nALPHA\n\nAnswer 2:\nBETA\n\nAnswer 3:\nGAMMA\n"
    found = segment(read_text(text, "a.txt"), em)
    assert not any("in order" in r.how for r in found.values())
    assert "BETA" not in found["1b"].text()


def test_struck_out_text_is_taken_back():
    assert [b.text for b in blocks_from_markdown("~~yes~~ no, and <del>2</del> 3")] == ["no, and 3"]


# --- answers that say they were skipped ---------------------------------------------------------------

@pytest.mark.parametrize("said", ["(skipped, ran out of time)", "Not done.", "no time, sorry",
                                  "Pas eu le temps.", "Je n'ai pas fait cette question.", "À faire",
                                  "2) pas eu le temps, je la rendrai avec le TD2"])
def test_an_answer_that_says_it_was_skipped_is_no_answer(basic, said):
    from grader.grade import grade_document
    from grader.model import Status

    text = f"Q1. The gradient is A^T.\n\nQ2. {said}\n\nQ4. The log-partition function.\n"
    doc = read_text(text, "a.md")
    found = segment(doc, basic)
    assert not found["q2"].found and "skipped" in found["q2"].how and found["q1"].found
    q2 = next(q for q in grade_document(doc, basic).questions if q.question_id == "q2")
    assert q2.score == 0 and q2.status is Status.NOT_FOUND and not q2.misconceptions


@pytest.mark.parametrize("said", ["No: the gradient is 0, not done by hand", "Skipped terms: A^T + A",
                                  "The answer is no, since the trace is linear in X and its gradient is A"])
def test_an_answer_with_math_or_without_a_skip_phrase_is_kept(basic, said):
    found = segment(read_text(f"Q1. {said}\n\nQ2. det(X) X^{{-T}}\n", "a.md"), basic)
    assert found["q1"].found and "skipped" not in found["q1"].how


# --- restated questions, LaTeX spacing before a label -------------------------------------------------

def test_a_restated_question_is_set_aside_up_to_its_answer_marker(basic):
    text = ("Question 1 — what is asked: the gradient of a trace, whatever words.\nRéponse : PLUTO is A^T\n\n"
            "Question 2 — Restated: the gradient of a determinant.\n(no time, not done)\n")
    found = segment(read_text(text, "a.txt"), basic)
    assert found["q1"].text().strip() == "PLUTO is A^T"
    assert any("what is asked" in b.text for b in found["q1"].statement_blocks)
    assert not found["q2"].found and "skipped" in found["q2"].how


def test_latex_spacing_commands_before_a_bold_label(basic):
    tex = ("\\documentclass{article}\\begin{document}\n\\medskip\\noindent\\textbf{Question 1.}\nVENUS $A^T$\n\n"
           "\\bigskip\\noindent\\textbf{Question 2.}\nMARS $X^{-T}$\n\\end{document}\n")
    found = segment(read_text(tex, "a.tex"), basic)
    assert "VENUS" in found["q1"].text() and "MARS" not in found["q1"].text() and "MARS" in found["q2"].text()
    assert 'label "Question 1' in found["q1"].how


@pytest.mark.parametrize("label", ["\\emph{Statement (copied):}", "Problem statement:", "Aufgabe:",
                                   "**Statement (from the handout):**"])
def test_a_labelled_copy_of_the_statement_is_set_aside_to_the_end_of_its_sentence(basic, label):
    # the copy's sentence runs over two lines; the student's own first line after it is the answer
    tex = (f"Question 3\n\n{label} if $v \\sim N(\\mu, K)$ and $u | v \\sim N(Lv + m, \\Sigma)$ then\n"
           "$v | u \\sim N(\\mu + J[u - (Lv + m)], K - JLK)$ with $J = K L^T (\\Sigma + L K L^T)^{-1}$.\n"
           "SATURN: my own result is $K - K L^T (L K L^T)^{-1} L K$.\n")
    found = segment(read_text(tex, "a.md"), basic)
    answer = found["q3-cov"].text()
    assert answer.strip().startswith("SATURN") and "JLK" not in answer
    assert any("K - JLK" in b.text for b in found["q3-cov"].statement_blocks)


def test_a_restated_question_followed_by_computed_values_in_its_paragraph_is_an_answer():
    from grader.rubric import load_rubric
    from segment_helpers import answers, regions

    em = load_rubric("gaussian-em")
    text = ("PROBLEM 2\n\n(a) One EM iteration from mu1 = -2, mu2 = 2.\nE-step: r = 1/(1 + exp(-4)) = 0.982, and 0.018\n"
            "M-step: mu1 = -0.964, mu2 = 0.964\n")
    found = answers(regions(text, em, "hw.txt"))
    assert "-0.964" in found["2a"]
