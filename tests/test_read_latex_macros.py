"""A student's own LaTeX shorthands are expanded before the file is read, within bounds."""

from __future__ import annotations

import time

import pytest

from grader.read import read_text
from grader.read.latex_macros import MAX_MACROS, expand_shorthands, shorthands

PREAMBLE = r"""\documentclass{article}
\newcommand{\T}{\intercal}
\newcommand\inv{^{-1}}
\renewcommand*{\R}{\mathbb{R}}
\def\Cov{\operatorname{Cov}}
\DeclareMathOperator{\adj}{adj}
\newcommand{\norm}[1]{\lVert #1 \rVert}
\newcommand{\frac}{oops}
\begin{document}
"""


def test_argument_free_shorthands_are_read_and_templates_are_not():
    names = shorthands(PREAMBLE)
    assert names == {"T": r"\intercal", "inv": "^{-1}", "R": r"\mathbb{R}", "Cov": r"\operatorname{Cov}",
                     "adj": r"\operatorname{adj}"}  # \norm takes an argument; \frac is LaTeX's own


@pytest.mark.parametrize("body,expanded", [
    (r"$A^{\T}$", r"$A^{\intercal}$"),
    (r"$X\inv$ and $\adj(X)^\T$", r"$X^{-1}$ and $\operatorname{adj}(X)^\intercal$"),
    (r"$\Cov(Y)$, not $\Tr$", r"$\operatorname{Cov}(Y)$, not $\Tr$"),  # \Tr is another name
])
def test_uses_are_replaced_by_what_they_stand_for(body, expanded):
    assert expand_shorthands(PREAMBLE + body).endswith(expanded)


def test_an_answer_written_with_a_shorthand_is_read():
    doc = read_text(PREAMBLE + "\\section*{Question 1}\n$$\\frac{\\partial}{\\partial X} = A^{\\T}$$\n\\end{document}\n",
                    "a.tex")
    assert any("A^{\\intercal}" in b.text for b in doc.blocks)


def test_expansion_is_bounded():
    letters = "abcdefghij"
    many = "".join(f"\\newcommand{{\\m{letters[i // 10]}{letters[i % 10]}}}{{x}}\n" for i in range(MAX_MACROS + 20))
    assert len(shorthands(many)) == MAX_MACROS
    huge = "\\newcommand{\\X}{" + "y" * 150 + "}\n" + "\\X " * 20_000
    started = time.perf_counter()
    assert expand_shorthands(huge) == huge  # it would grow past twice the file: read as written
    assert time.perf_counter() - started < 2
    unclosed = "\\newcommand{\\X}{" + "{" * 10_000
    assert expand_shorthands(unclosed + " \\X") == unclosed + " \\X"
