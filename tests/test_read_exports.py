"""Markdown exported by a word processor ("File → Download → Markdown"): its backslash escapes ("X\\_ij",
"E\\[v \\| u\\]", "1\\. Matrix calculus") are CommonMark escapes, read as the characters they escape, when the file has
no LaTeX; a file with LaTeX keeps its backslashes ("\\[" opens display math there)."""

from __future__ import annotations

from grader.grade import grade_document
from grader.model import BlockKind
from grader.read import read_text
from grader.read.markdown import blocks_from_markdown
from grader.rubric import load_rubric

from grading_asserts import by_question

EXPORT = """**Homework 1**

# **1\\. Matrix calculus**

**Question 2**

Only C\\_ij contains X\\_ij.

**Answer:** ∂det(X)/∂X = det(X) · (X⁻¹)⊤

**Question 3**

Let P = (K⁻¹ + L⊤ Σ⁻¹ L)⁻¹.

**Mean:** E\\[v \\| u\\] = P ( L⊤ Σ⁻¹ (u − m) + K⁻¹ μ )

**Covariance:** Cov\\[v \\| u\\] = P
"""


def test_the_escapes_of_an_export_are_the_characters_they_escape():
    blocks = blocks_from_markdown(EXPORT)
    assert not any(b.kind is BlockKind.MATH for b in blocks)  # "\\[" opened no display math
    text = "\n".join(b.text for b in blocks)
    assert "E[v | u] = P" in text and "C_ij contains X_ij" in text and "1. Matrix calculus" in text
    assert "\\" not in text


def test_a_file_with_latex_keeps_its_backslashes():
    text = "Only $C\\_{ij}$ and X\\_ij.\n\n\\[ E[v \\mid u] = \\mu \\]\n"
    blocks = blocks_from_markdown(text)
    assert any(b.kind is BlockKind.MATH for b in blocks)
    assert "X\\_ij" in blocks[0].text


def test_fenced_code_keeps_its_escapes():
    text = "Only C\\_ij and X\\_ij.\n\n```\nprint('a\\_b')\n```\n"
    code = [b for b in blocks_from_markdown(text) if b.kind is BlockKind.CODE]
    assert code and "a\\_b" in code[0].text


def test_an_exported_submission_is_graded_like_the_same_text_typed():
    rubric = load_rubric("basic-knowledge")
    got = by_question(grade_document(read_text(EXPORT, "export.md"), rubric))
    for qid in ("q2", "q3-mean", "q3-cov"):
        assert got[qid].score == got[qid].points, (qid, got[qid].summary)
        assert not got[qid].misconceptions, qid
