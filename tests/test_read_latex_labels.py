"""The labels and numbers LaTeX prints, as the LaTeX reader writes them: enumerate items labelled by their
list's options or the preamble's defaults, numbered sections and subsections. Fixtures written here."""

from __future__ import annotations

import pytest

from grader.model import BlockKind
from grader.read.latex import blocks_from_latex


def _doc(body: str, preamble: str = "") -> str:
    return f"\\documentclass{{article}}\n{preamble}\\begin{{document}}\n{body}\n\\end{{document}}\n"


def _prose(text: str) -> list[str]:
    return [b.text for b in blocks_from_latex(text) if b.kind is BlockKind.PROSE]


def _headings(text: str) -> list[str]:
    return [b.text for b in blocks_from_latex(text) if b.kind is BlockKind.HEADING]


@pytest.mark.parametrize(
    "options,labels",
    [
        ("", ["1.", "2."]),
        ("[(a)]", ["(a)", "(b)"]),
        ("[a)]", ["a)", "b)"]),
        ("[(i)]", ["(i)", "(ii)"]),
        ("[A.]", ["A.", "B."]),
        ("[label=(\\alph*)]", ["(a)", "(b)"]),
        ("[label=\\roman*.]", ["i.", "ii."]),
        ("[label=\\textbf{\\arabic*)}, noitemsep]", ["1)", "2)"]),
        ("[label={Q\\arabic*:}]", ["Q1:", "Q2:"]),
        ("[start=3]", ["3.", "4."]),
        ("[{Step} 1.]", ["Step 1.", "Step 2."]),
    ],
)
def test_enumerate_items_print_their_lists_labels(options, labels):
    text = _doc(f"\\begin{{enumerate}}{options}\n\\item first\n\\item second\n\\end{{enumerate}}")
    assert _prose(text) == [f"{labels[0]} first", f"{labels[1]} second"]


def test_nested_lists_keep_their_levels_defaults_and_options():
    body = "\n".join(["\\begin{enumerate}", "\\item outer", "\\begin{enumerate}", "\\item inner", "\\end{enumerate}",
                      "\\item again", "\\begin{enumerate}[label=\\Roman*)]", "\\item deep", "\\end{enumerate}",
                      "\\end{enumerate}"])
    assert _prose(_doc(body)) == ["1. outer", "(a) inner", "2. again", "I) deep"]


def test_an_item_with_its_own_label_keeps_it_and_does_not_count():
    body = "\\begin{enumerate}[(a)]\n\\item[(z)] own\n\\item counted\n\\end{enumerate}"
    assert _prose(_doc(body)) == ["(z) own", "(a) counted"]


def test_resume_continues_the_last_list():
    body = "\\begin{enumerate}[(a)]\n\\item one\n\\end{enumerate}\nbetween\n\\begin{enumerate}[resume]\n\\item two\n" \
           "\\end{enumerate}"
    assert _prose(_doc(body)) == ["(a) one", "between", "2. two"]


@pytest.mark.parametrize(
    "preamble",
    ["\\setlist[enumerate,1]{label=(\\alph*)}\n", "\\renewcommand{\\labelenumi}{(\\alph{enumi})}\n",
     "\\renewcommand\\labelenumi{(\\alph{enumi})}\n"],
)
def test_the_preamble_sets_a_levels_labels(preamble):
    text = _doc("\\begin{enumerate}\n\\item one\n\\item two\n\\end{enumerate}", preamble)
    assert _prose(text) == ["(a) one", "(b) two"]


def test_numbered_sections_print_their_numbers():
    body = "\n".join(["\\section{Gaussian vectors}", "\\subsection{Correlation}", "\\subsection*{Aside}",
                      "\\subsection{Blanket}", "\\section*{Notes}", "\\section{Mixtures}", "\\subsubsection{Deep}"])
    assert _headings(_doc(body)) == ["1 Gaussian vectors", "1.1 Correlation", "Aside", "1.2 Blanket", "Notes",
                                     "2 Mixtures", "Deep"]


def test_a_title_with_its_own_number_is_not_numbered_again():
    body = "\n".join(["\\section{Problem 2}", "\\subsection{Mean}", "\\section{Exercise 3: EM}",
                      "\\section{(a) part}", "\\section{Q4}"])
    # the subsection of a section whose title carries its own number does not print LaTeX's "1.1" either
    assert _headings(_doc(body)) == ["Problem 2", "Mean", "Exercise 3: EM", "(a) part", "Q4"]
